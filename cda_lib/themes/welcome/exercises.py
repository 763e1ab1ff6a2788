"""Exercises 0: your city in numbers (the welcome module's exercise set).

The exercises themselves (their words, answer kinds, mistakes and hints) are written in
``exercises.yaml`` beside this module; this module holds the functions that file names.

Ten exercises on the material of page 0.2: how many requests, a typical month, the
busiest season, the most common request types, requests per 1,000 residents by
district, choosing a fair chart, why 311 volume is not need, the data-quality
account and the typical time to close. Every expected answer is computed here from
the city's own data, so the same exercise works for every city.

The functions that compute expected answers are plain pandas, readable by an
analyst who wants to know exactly what "right" means:

>>> import pandas as pd
>>> from types import SimpleNamespace
>>> requests = pd.DataFrame({"requested_datetime": pd.to_datetime(
...     ["2024-06-01", "2025-03-01", "2025-09-01"])})
>>> data = SimpleNamespace(requests=requests, as_of=pd.Timestamp("2025-12-31"))
>>> requests_in_last_12_months(data)
2
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from cda_lib.core.readable import ReadableTable
from cda_lib.exercises.values import table_options
from cda_lib.metrics.periods import requests_per_whole_month
from cda_lib.text.dates import format_date, month_name
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import gettext as _, pgettext

if TYPE_CHECKING:
    from cda_lib.data import CityData

SECONDS_PER_DAY = 86_400
DAYS_PER_YEAR = 365.25  # average calendar year, for "per year" over any period
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
TOP_TYPES = 5  # the question asks for the five most common request types
PER_RESIDENTS = 1000  # rates per 1,000 residents, as on page 0.2's district chart
# The quarters as exercise 0.3's options name them (A is January to March), by first month.
QUARTERS = (("A", 1), ("B", 4), ("C", 7), ("D", 10))


# --- expected answers, from the city's data ---------------------------------------------


def _day(moment: pd.Timestamp) -> str:
    return format_date(moment, "long")


def quarter_name(letter: str) -> str:
    """The quarter of exercise 0.3's option ``letter``, by its months, in a sentence.

    >>> quarter_name("C")
    'July to September'
    """
    first = dict(QUARTERS)[letter]
    return pgettext("a quarter of the year, by its first and last months", "{first} to {last}",
                    first=month_name(first), last=month_name(first + 2))


def requests_in_last_12_months(data: CityData) -> int:
    """Requests opened in the 12 months up to the moment the data was extracted."""
    start = data.as_of - pd.DateOffset(months=12)
    return int((data.requests["requested_datetime"] > start).sum())


def _requests_in_first_12_months(data: CityData) -> int:
    opened = data.requests["requested_datetime"]
    return int((opened < opened.min() + pd.DateOffset(months=12)).sum())


def _closed_in_last_12_months(data: CityData) -> int:
    requests = data.requests
    recent = requests["requested_datetime"] > data.as_of - pd.DateOffset(months=12)
    return int((recent & (requests["status"] == "closed")).sum())


def _requests_in_last_calendar_year(data: CityData) -> int:
    opened = data.requests["requested_datetime"]
    year = data.as_of.year if data.as_of.month == 12 and data.as_of.day == 31 \
        else data.as_of.year - 1
    return int((opened.dt.year == year).sum())


def requests_per_month(data: CityData) -> pd.Series:
    """Requests in each whole month the data covers (months with none count as 0).

    A first or last month the data only partly covers is left out, as on the chart
    of requests per month.
    """
    return requests_per_whole_month(data.requests["requested_datetime"])


def typical_month(data: CityData) -> float:
    """The median month: half the whole months had fewer requests, half more."""
    return float(requests_per_month(data).median())


def _month_slider(data: CityData) -> tuple[float, float, float]:
    """From 0 to half again above the busiest month, in about 45 round steps."""
    top = requests_per_month(data).max() * 1.5
    step = _round_step(top / 45)
    return 0, math.ceil(top / step) * step, step


def _round_step(rough: float) -> float:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten at or above ``rough``.

    >>> _round_step(37), _round_step(221), _round_step(0.8)
    (50, 250, 1)
    """
    if rough <= 1:
        return 1
    power = 10 ** math.floor(math.log10(rough))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= rough:
            step = factor * power
            return int(step) if float(step).is_integer() else step
    return 10 * power


def quarter_averages(data: CityData) -> pd.Series:
    """Average requests per whole month in each quarter (1 = January to March)."""
    months = requests_per_month(data)
    return months.groupby(months.index.quarter).mean()


def busiest_quarter(data: CityData) -> str:
    """The letter of the quarter with the most requests per month, on average."""
    return QUARTERS[int(quarter_averages(data).idxmax()) - 1][0]


def _quietest_quarter(data: CityData) -> str:
    return QUARTERS[int(quarter_averages(data).idxmin()) - 1][0]


def _second_busiest_quarter(data: CityData) -> str:
    ranked = quarter_averages(data).sort_values(ascending=False)
    return QUARTERS[int(ranked.index[1]) - 1][0]


def _type_counts(data: CityData, column: str = "service_name") -> pd.Series:
    """Requests of each type, most common first, ties in alphabetical order."""
    names = data.requests[column].dropna().astype("string").str.strip()
    counts = names.value_counts().sort_index().sort_values(ascending=False, kind="stable")
    return counts.astype("int64")


def top_request_types(data: CityData) -> pd.Series:
    """The five most common request types and their number of requests."""
    return _type_counts(data).head(TOP_TYPES)


def requests_per_1000_by_district(data: CityData) -> pd.Series:
    """Each district's requests per 1,000 residents a year (a year: 12 of the calendar
    months the data covers, :attr:`CityData.years_of_data`, as page 1.1 counts it).

    Districts come from the city file; one with no requests has a rate of 0. Requests
    without a district, or naming one the city file does not have, are not counted.
    """
    population = data.districts.set_index("district")["population"]
    population = population[population > 0]
    counts = data.requests["district"].value_counts().reindex(population.index, fill_value=0)
    whole_data = counts.astype("int64") / population * PER_RESIDENTS
    return (whole_data / data.years_of_data).astype("float64")


def _requests_by_district(data: CityData) -> pd.Series:
    rates = requests_per_1000_by_district(data)
    return data.requests["district"].value_counts().reindex(rates.index, fill_value=0)


def share_set_aside(data: CityData) -> float:
    """Rows set aside as unusable, as a share of the rows read (between 0 and 1)."""
    return data.account.rows_set_aside / data.account.rows_read


def _share_with_flagged(data: CityData) -> float:
    """The mistake of adding up every line of the quality table, kept rows included."""
    return float(data.quality.table["rows"].sum()) / data.account.rows_read


def days_to_close(data: CityData, *, open_as_closed: bool = False) -> pd.Series:
    """Days from opening to closing, for closed requests.

    With ``open_as_closed``, open requests are counted as if they closed when the data
    was extracted: a common mistake, kept here so that it can be recognised.
    """
    requests = data.requests
    if open_as_closed:
        closed_at = requests["closed_datetime"].fillna(data.as_of)
        return (closed_at - requests["requested_datetime"]).dt.total_seconds() / SECONDS_PER_DAY
    closed = requests[requests["status"] == "closed"]
    span = closed["closed_datetime"] - closed["requested_datetime"]
    return span.dt.total_seconds() / SECONDS_PER_DAY


def median_days_to_close(data: CityData) -> float:
    """Half of the closed requests were closed within this many days."""
    return float(days_to_close(data).median())


def _median_whole_days_to_close(data: CityData) -> float:
    closed = data.requests[data.requests["status"] == "closed"]
    return float((closed["closed_datetime"] - closed["requested_datetime"]).dt.days.median())


# --- facts for the messages ---------------------------------------------------------------


def _volume_facts(data: CityData) -> dict[str, Any]:
    opened = data.requests["requested_datetime"]
    count = requests_in_last_12_months(data)
    return {"count": count, "per_day": round(count / DAYS_PER_YEAR),
            "first": _day(opened.min()), "last": _day(opened.max()), "as_of": _day(data.as_of),
            "whole": len(data.requests), "set_aside": data.account.rows_set_aside}


def _month_facts(data: CityData) -> dict[str, Any]:
    months = requests_per_month(data)
    peak, low = months.idxmax(), months.idxmin()
    return {"typical": round(typical_month(data)), "months": len(months),
            "peak": int(months.max()), "peak_month": format_date(peak.to_timestamp(), "month"),
            "low": int(months.min()), "low_month": format_date(low.to_timestamp(), "month")}


def _quarter_facts(data: CityData) -> dict[str, Any]:
    averages = quarter_averages(data)
    return {"busiest": quarter_name(busiest_quarter(data)), "busy_average": round(averages.max()),
            "quietest": quarter_name(_quietest_quarter(data)),
            "quiet_average": round(averages.min())}


def _type_facts(data: CityData) -> dict[str, Any]:
    top = top_request_types(data)
    return {"top_type": top.index[0], "top_count": int(top.iloc[0]),
            "top_share": top.sum() / len(data.requests)}


def _district_facts(data: CityData) -> dict[str, Any]:
    rates = requests_per_1000_by_district(data).sort_values(ascending=False, kind="stable")
    facts = {"high": rates.index[0], "high_rate": rates.iloc[0],
             "low": rates.index[-1], "low_rate": rates.iloc[-1],
             "years": data.years_of_data, "internet": ""}
    column = "share_without_internet"
    if column in data.districts.columns:
        shares = data.districts.set_index("district")[column]
        weights = data.districts.set_index("district")["population"]
        citywide = (shares * weights).sum() / weights.sum()
        facts["internet"] = " " + _(
            "In {district}, {share} of households have no internet at home, against "
            "{citywide} across the city: fewer of its residents can use the app or the web "
            "form.", district=rates.index[-1], share=format_percent(shares[rates.index[-1]]),
            citywide=format_percent(citywide))
    return facts


def _quality_facts(data: CityData) -> dict[str, Any]:
    reasons = data.account.reasons()
    # A reason is kept in English (cda_lib.core.account) and written in the page's language.
    top_reason = _(reasons.index[0]) if len(reasons) else _("nothing")
    return {"set_aside": data.account.rows_set_aside, "read": data.account.rows_read,
            "share": share_set_aside(data), "top_reason": top_reason}


def _closing_facts(data: CityData) -> dict[str, Any]:
    days = days_to_close(data)
    return {"median": median_days_to_close(data), "within_week": float((days <= 7).mean())}


# --- the no-code forms: sliders, the tables to choose from, what the page shows -------


def _count_slider(data: CityData) -> tuple[float, float, float]:
    """Exercise 0.1: from 0 to every row read, one request at a time (a count is exact)."""
    return 0, max(int(data.account.rows_read), len(data.requests), 1), 1


def _share_slider(data: CityData) -> tuple[float, float, float]:
    """Exercise 0.9: a share from 0 to 1 in steps of 0.001, the tolerance's own grain."""
    return 0, 1, 0.001


def _days_slider(data: CityData) -> tuple[float, float, float]:
    """Exercise 0.10: from 0 days to past the longest mistaken average, a tenth of a day a
    step (any reading to one decimal is within the ±0.05 tolerance)."""
    top = max(mistaken_mean_with_open_requests_counted_as_closed(data),
              mistaken_mean_instead_of_median(data), median_days_to_close(data), 1.0)
    return 0, math.ceil(top * 1.2), 0.1


def _months_table(data: CityData) -> ReadableTable:
    """Exercise 0.1's inputs: the requests of each of the 12 months up to ``data.as_of``
    (each month ends on the same day and hour as the data), so they add up to the answer."""
    opened = data.requests["requested_datetime"]
    rows = []
    for months_back in range(12, 0, -1):
        start = data.as_of - pd.DateOffset(months=months_back)
        end = data.as_of - pd.DateOffset(months=months_back - 1)
        count = int(((opened > start) & (opened <= end)).sum())
        rows.append([(format_date(start + pd.Timedelta(seconds=1), "day"), False),
                     (format_date(end, "day"), False), (format_number(count), True)])
    return ReadableTable([_("From"), _("To"), _("Requests")], rows, caption=_(
        "Requests opened in each of the 12 months up to {as_of}", as_of=_day(data.as_of)))


def _type_tables(data: CityData) -> dict[str, pd.Series]:
    """Exercise 0.4's tables to choose from: the five most common types and the mistakes'."""
    candidates = [top_request_types(data), mistaken_least_common(data),
                  _computed_or_none(mistaken_codes_not_names, data),
                  mistaken_shares_not_counts(data)]
    return table_options(candidates, most=4)


def _district_tables(data: CityData) -> dict[str, pd.Series]:
    """Exercise 0.5's tables to choose from: the rates a year and the mistakes' tables."""
    candidates = [requests_per_1000_by_district(data), mistaken_whole_period_not_a_year(data),
                  _requests_by_district(data), mistaken_per_100_not_per_1_000(data)]
    return table_options(candidates, absolute=0.05, most=4)


def _district_inputs(data: CityData) -> ReadableTable:
    """Exercise 0.5's inputs: each district's requests over the whole data and residents."""
    population = data.districts.set_index("district")["population"]
    population = population[population > 0]
    counts = _requests_by_district(data)
    rows = [[(str(name), False), (format_number(int(counts[name])), True),
             (format_number(int(population[name])), True)] for name in population.index]
    return ReadableTable([_("District"), _("Requests"), _("Residents")], rows, caption=_(
        "Requests over the whole data ({years} years) and residents, by district",
        years=format_number(round(data.years_of_data, 2))))


def _days_inputs(data: CityData) -> ReadableTable:
    """Exercise 0.10's inputs: closed requests by the whole days they took, with a running
    count, down to well past the middle request (whole days are accepted as the answer)."""
    closed = data.requests[data.requests["status"] == "closed"]
    whole = (closed["closed_datetime"] - closed["requested_datetime"]).dt.days
    counts = whole.value_counts().sort_index()
    running = counts.cumsum()
    total = int(running.iloc[-1])
    # Down to three-quarters of the requests or three rows past the middle, whichever is
    # later, so the last row shown is never the median itself.
    past_middle = int((running < total / 2).sum()) + 1 + 3
    shown = max(int((running < total * 0.75).sum()) + 1, past_middle)
    rows = [[(format_number(int(days)), True), (format_number(int(count)), True),
             (format_number(int(running[days])), True)]
            for days, count in counts.iloc[:shown].items()]
    if shown < len(counts):
        rest = int(counts.iloc[shown:].sum())
        rows.append([(_("{days} or more", days=format_number(int(counts.index[shown]))), True),
                     (format_number(rest), True), (format_number(total), True)])
    return ReadableTable([_("Whole days to close"), _("Closed requests"), _("Running total")],
                         rows, caption=_("The {count} closed requests, by the whole days "
                                         "each took to close", count=format_number(total)))


def _computed_or_none(function, data: CityData) -> Any:
    try:
        return function(data)
    except (KeyError, ValueError):  # a city without the column the mistake uses
        return None


# --- charts offered in exercise 0.6 ------------------------------------------------------


def _chart_per_month(data: CityData):
    from cda_lib.charts.kinds import plot_requests_per_month

    return plot_requests_per_month(data.requests, context=data.chart_context)


def _chart_top_types(data: CityData):
    from cda_lib.charts.kinds import plot_top_request_types

    return plot_top_request_types(data.requests, context=data.chart_context)


def _chart_by_district(data: CityData):
    from cda_lib.charts.kinds import plot_requests_by_district

    return plot_requests_by_district(data.requests, data.districts, context=data.chart_context,
                                     per_year=True)


def _chart_map(data: CityData):
    from cda_lib.charts.kinds import plot_request_locations

    return plot_request_locations(data.requests, data.city.bounds, context=data.chart_context)


# --- answers named by the exercise file (exercises.yaml) ---------------------------------


def mistaken_whole_period(data: CityData) -> Any:
    """The answer the mistake "whole period" gives in exercise 0.1."""
    return len(data.requests)


def mistaken_rows_read(data: CityData) -> Any:
    """The answer the mistake "rows read" gives in exercise 0.1."""
    return data.account.rows_read


def mistaken_busiest_month(data: CityData) -> Any:
    """The answer the mistake "busiest month" gives in exercise 0.2."""
    return requests_per_month(data).max()


def mistaken_quietest_month(data: CityData) -> Any:
    """The answer the mistake "quietest month" gives in exercise 0.2."""
    return requests_per_month(data).min()


def mistaken_a_year_not_a_month(data: CityData) -> Any:
    """The answer the mistake "a year, not a month" gives in exercise 0.2."""
    return typical_month(data) * 12


def mistaken_a_day_not_a_month(data: CityData) -> Any:
    """The answer the mistake "a day, not a month" gives in exercise 0.2."""
    return typical_month(data) / DAYS_PER_MONTH


def mistaken_shares_not_counts(data: CityData) -> Any:
    """The answer the mistake "shares, not counts" gives in exercise 0.4."""
    return (_type_counts(data) / len(data.requests)).head(TOP_TYPES)


def mistaken_percent_not_counts(data: CityData) -> Any:
    """The answer the mistake "percent, not counts" gives in exercise 0.4."""
    return (_type_counts(data) / len(data.requests) * 100).head(TOP_TYPES)


def mistaken_least_common(data: CityData) -> Any:
    """The answer the mistake "least common" gives in exercise 0.4."""
    return _type_counts(data).tail(TOP_TYPES)


def mistaken_codes_not_names(data: CityData) -> Any:
    """The answer the mistake "codes, not names" gives in exercise 0.4."""
    return _type_counts(data, 'service_code').head(TOP_TYPES)


def mistaken_per_resident_not_per_1_000(data: CityData) -> Any:
    """The answer the mistake "per resident, not per 1,000" gives in exercise 0.5."""
    return requests_per_1000_by_district(data) / PER_RESIDENTS


def mistaken_per_100_not_per_1_000(data: CityData) -> Any:
    """The answer the mistake "per 100, not per 1,000" gives in exercise 0.5."""
    return requests_per_1000_by_district(data) / 10


def mistaken_whole_period_not_a_year(data: CityData) -> Any:
    """The answer the mistake "the whole period, not a year" gives in exercise 0.5."""
    return requests_per_1000_by_district(data) * data.years_of_data


def mistaken_count_not_share(data: CityData) -> Any:
    """The answer the mistake "count, not share" gives in exercise 0.9."""
    return data.account.rows_set_aside


def mistaken_share_kept(data: CityData) -> Any:
    """The answer the mistake "share kept" gives in exercise 0.9."""
    return data.account.rows_kept / data.account.rows_read


def mistaken_mean_instead_of_median(data: CityData) -> Any:
    """The answer the mistake "mean instead of median" gives in exercise 0.10."""
    return float(days_to_close(data).mean())


def mistaken_open_requests_counted_as_closed(data: CityData) -> Any:
    """The answer the mistake "open requests counted as closed" gives in exercise 0.10."""
    return float(days_to_close(data, open_as_closed=True).median())


def mistaken_mean_with_open_requests_counted_as_closed(data: CityData) -> Any:
    """The answer the mistake "mean, with open requests counted as closed" gives (0.10)."""
    return float(days_to_close(data, open_as_closed=True).mean())


def mistaken_hours_not_days(data: CityData) -> Any:
    """The answer the mistake "hours, not days" gives in exercise 0.10."""
    return median_days_to_close(data) * 24


def mistaken_seconds_not_days(data: CityData) -> Any:
    """The answer the mistake "seconds, not days" gives in exercise 0.10."""
    return median_days_to_close(data) * SECONDS_PER_DAY
