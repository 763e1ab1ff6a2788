"""Exercises 1.1: asking good questions of service data (the exercise set of page 1.1).

The exercises themselves (their words, answer kinds, mistakes and hints) are written in
``questions.yaml`` beside this module; this module holds the functions that file names.

Six exercises: how volume changed over the last year, what a closing date records, which
request type swings most through the year, a request type's rate per 1,000 residents by
district, which version of a leader's question the data can answer, and a measurable
question of the participant's own. Every expected answer is computed from the city's data
with :mod:`cda_lib.themes.lead.patterns`, the functions page 1.1 uses, so the same exercises
work for every city.

>>> import pandas as pd
>>> from types import SimpleNamespace
>>> requests = pd.DataFrame({"requested_datetime": pd.to_datetime(
...     ["2024-01-20", "2024-06-01", "2025-03-01", "2025-05-01", "2025-12-01"])})
>>> data = SimpleNamespace(requests=requests, as_of=pd.Timestamp("2025-12-31"))
>>> volume_change_share(data)
0.5
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

import pandas as pd

from cda_lib.core.readable import ReadableTable
from cda_lib.exercises.values import table_options
from cda_lib.text.dates import format_date, month_names
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import gettext as _
from cda_lib.themes.lead import patterns

if TYPE_CHECKING:
    from cda_lib.data import CityData

PER_RESIDENTS = 1000  # rates per 1,000 residents, as on page 1.1
# Closure notes that mean "closed, but nothing was fixed": matched anywhere in the note,
# ignoring case, in English, Spanish and Portuguese exports (cancelled/cancelado,
# duplicate/duplicado, referred/remitido/encaminhado).
NOT_FIXED_PATTERN = r"cancel|duplicat|duplicad|referred|remitid|encaminhad"
MONTH_LETTERS = "ABCDEFGHIJKL"  # the choices of exercise 1.1.3: A is January, L December


# --- expected answers, from the city's data ---------------------------------------------


def volume_change_share(data: CityData) -> float:
    """Requests in the last 12 months against the 12 before, as a share (0.08 = 8% more)."""
    change = patterns.volume_change(data.requests, as_of=data.as_of)
    if change.change is None:
        raise ValueError(change.note)
    return change.change


def _volume(data: CityData) -> patterns.VolumeChange:
    return patterns.volume_change(data.requests, as_of=data.as_of)


def swinging_type(data: CityData) -> pd.Series:
    """The peaks row of the request type (not "All requests") that swings most."""
    peaks = patterns.seasonal_peaks(patterns.seasonal_index(data.requests))
    types = peaks[peaks["name"] != "All requests"]
    if types.empty:
        raise ValueError(_("the data does not cover a whole month of any request type"))
    return types.iloc[0]


def peak_month(data: CityData) -> str:
    """The letter of the month in which the most seasonal request type peaks."""
    return _letter(swinging_type(data)["peak_month"])


def _quietest_month(data: CityData) -> str:
    return _letter(swinging_type(data)["quietest_month"])


def _all_requests_peak(data: CityData) -> str:
    peaks = patterns.seasonal_peaks(patterns.seasonal_index(data.requests))
    return _letter(peaks.set_index("name").loc["All requests", "peak_month"])


def _letter(month: str) -> str:
    """The choice letter of a month named as seasonal_index names it (the page's language)."""
    return MONTH_LETTERS[month_names().index(month)]


def top_type(data: CityData) -> str:
    """The most common request type's name."""
    return str(patterns.type_concentration(data.requests).iloc[0]["service_name"])


def _rates(data: CityData, *, all_types: bool = False) -> pd.DataFrame:
    requests = data.requests
    if not all_types:
        requests = requests[requests["service_name"].astype("string") == top_type(data)]
    rates = patterns.district_rates(requests, data.districts, per=PER_RESIDENTS)
    return rates[rates["district"] != patterns.NOT_RECORDED].set_index("district")


def type_rates_by_district(data: CityData) -> pd.Series:
    """The most common type's requests per 1,000 residents a year, by district."""
    return _rates(data)["per_1000_a_year"].dropna()


def _years(data: CityData) -> float:
    return patterns.months_covered(data.requests) / 12



# --- the no-code forms: sliders, the tables to choose from, what the page shows -------


def _change_slider(data: CityData) -> tuple[float, float, float]:
    """Exercise 1.1.1: a change from -1 (every request gone) to past the ratio of the two
    years, in steps of 0.001, the tolerance's own grain."""
    volume = _volume(data)
    ratio = volume.last_12_months / volume.previous_12_months if volume.previous_12_months \
        else 1.0
    return -1, max(1, math.ceil(ratio + 0.1)), 0.001


def _volume_inputs(data: CityData) -> ReadableTable:
    """Exercise 1.1.1's inputs: the requests of the two 12-month windows."""
    volume = _volume(data)
    rows = [[(_("The 12 months up to {end}", end=format_date(volume.end, "long")), False),
             (format_number(volume.last_12_months), True)],
            [(_("The 12 months before those"), False),
             (format_number(volume.previous_12_months or 0), True)]]
    return ReadableTable([_("Period"), _("Requests")], rows,
                         caption=_("Requests in the last two years of the data"))


def _type_district_tables(data: CityData) -> dict[str, pd.Series]:
    """Exercise 1.1.4's tables to choose from: the rates a year and the mistakes' tables."""
    candidates = [type_rates_by_district(data), mistaken_whole_period_not_a_year(data),
                  mistaken_raw_counts(data), mistaken_every_request_type(data)]
    return table_options(candidates, absolute=0.05, most=4)


def _type_district_inputs(data: CityData) -> ReadableTable:
    """Exercise 1.1.4's inputs: each district's requests of the type and its residents."""
    rates = _rates(data)
    population = data.districts.set_index("district")["population"]
    rows = [[(str(name), False), (format_number(int(rates.loc[name, "requests"])), True),
             (format_number(int(population[name])), True)]
            for name in rates.index if name in population.index and population[name] > 0]
    return ReadableTable([_("District"), _("Requests"), _("Residents")], rows, caption=_(
        "{type} requests over the whole data ({years} years) and residents, by district",
        type=top_type(data), years=format_number(round(_years(data), 2))))


# --- facts for the messages ---------------------------------------------------------------


def _volume_facts(data: CityData) -> dict[str, Any]:
    change = _volume(data)
    return {"last": change.last_12_months, "previous": change.previous_12_months or 0,
            "end": format_date(change.end, "long"),
            "share": change.change if change.change is not None else 0.0,
            "more": _("more") if (change.change or 0) >= 0 else _("fewer")}


def _closure_facts(data: CityData) -> dict[str, Any]:
    requests = data.requests
    closed = requests[requests["status"].astype("string") == "closed"]
    notes = closed["status_notes"].astype("string") if "status_notes" in closed.columns else \
        pd.Series(pd.NA, index=closed.index, dtype="string")
    if notes.str.strip().replace("", pd.NA).isna().all() or \
            notes.str.strip().str.lower().eq("closed").all():
        sentence = _("{city}'s data has no closure notes, so a fix cannot be told from a "
                     "cancellation: ask the 311 team how they record it.", city=data.city.name)
    else:
        not_fixed = int(notes.str.contains(NOT_FIXED_PATTERN, flags=re.IGNORECASE)
                        .fillna(False).sum())
        sentence = _("In {city}, {count:,} of {closed:,} closed requests ({share}) were closed "
                     "as cancelled, duplicates or referred elsewhere: nothing was fixed.",
                     city=data.city.name, count=not_fixed, closed=len(closed),
                     share=format_percent(not_fixed / len(closed)))
    return {"closure_sentence": sentence}


def _season_facts(data: CityData) -> dict[str, Any]:
    row = swinging_type(data)
    return {"swing_type": row["name"], "peak": row["peak_month"],
            "peak_index": row["peak_index"], "quiet": row["quietest_month"],
            "quiet_index": row["quietest_index"]}


def _rate_facts(data: CityData) -> dict[str, Any]:
    rates = type_rates_by_district(data).sort_values(ascending=False, kind="stable")
    months = patterns.months_covered(data.requests)
    table = _rates(data)
    online = table["online_share"]
    low = rates.index[-1]
    online_words = ""
    if pd.notna(online.get(low)):
        online_words = " " + _("{district} made {share} of these requests online, against "
                               "{average} across districts.", district=low,
                               share=format_percent(online[low]),
                               average=format_percent(online.dropna().mean()))
    return {"type": top_type(data), "months": months, "years": months / 12,
            "high": rates.index[0], "high_rate": rates.iloc[0], "low": low,
            "low_rate": rates.iloc[-1], "online_words": online_words}


def _question_facts(data: CityData) -> dict[str, Any]:
    return {"type": top_type(data).lower()}


# --- answers named by the exercise file (questions.yaml) ---------------------------------


def mistaken_ratio_not_change(data: CityData) -> Any:
    """The answer the mistake "ratio, not change" gives in exercise 1.1.1."""
    return _volume(data).last_12_months / _volume(data).previous_12_months


def mistaken_against_the_later_year(data: CityData) -> Any:
    """The answer the mistake "against the later year" gives in exercise 1.1.1."""
    volume = _volume(data)
    return (volume.last_12_months - volume.previous_12_months) / volume.last_12_months


def mistaken_count_not_share(data: CityData) -> Any:
    """The answer the mistake "count, not share" gives in exercise 1.1.1."""
    return _volume(data).last_12_months - _volume(data).previous_12_months


def mistaken_every_request_type(data: CityData) -> Any:
    """The answer the mistake "every request type" gives in exercise 1.1.4."""
    return _rates(data, all_types=True)['per_1000_a_year'].dropna()


def mistaken_whole_period_not_a_year(data: CityData) -> Any:
    """The answer the mistake "whole period, not a year" gives in exercise 1.1.4."""
    return type_rates_by_district(data) * _years(data)


def mistaken_raw_counts(data: CityData) -> Any:
    """The answer the mistake "raw counts" gives in exercise 1.1.4."""
    return _rates(data)['requests']


def mistaken_per_resident_not_per_1_000(data: CityData) -> Any:
    """The answer the mistake "per resident, not per 1,000" gives in exercise 1.1.4."""
    return type_rates_by_district(data) / PER_RESIDENTS
