"""Exercises 3.3: who is served, and who is missed (the exercise set of page 3.3).

The exercises themselves are written in ``equity.yaml`` beside this module; this module holds
the functions that file names. Every figure comes from
:func:`cda_lib.themes.empower.page.equity_page`, the function the page uses: one district's
rate per 1,000 residents a year, the on-time ratio of the districts with the most and the
fewest low-income households, whether its interval leaves out 1, the phone share of the
district with the most residents without internet, and which sentence the data can carry.

>>> careful_letter(None)
'B'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cda_lib.exercises.exercise import CityMemo
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import gettext as _, ngettext
from cda_lib.themes.empower.equity import clarity as clarity_words
from cda_lib.themes.empower.page import EquityPage, equity_page

if TYPE_CHECKING:
    from cda_lib.data import CityData

_memo = CityMemo()

def page_of(data: CityData) -> EquityPage:
    return _memo("equity", data, lambda: equity_page(data))

def _top_row(data: CityData):
    table = page_of(data).table
    return table.loc[table["share_low_income"].idxmax()]

def _offline_row(data: CityData):
    table = page_of(data).table
    return table.loc[table["share_without_internet"].idxmax()]

# --- expected answers ---------------------------------------------------------------------

def top_district_rate(data: CityData) -> float:
    """Exercise 3.3.1: the most low-income district's requests per 1,000 residents a year."""
    return float(_top_row(data)["per_1000_a_year"])

def on_time_ratio(data: CityData) -> float:
    """Exercise 3.3.2: the on-time share ratio, most against fewest low-income districts."""
    return float(page_of(data).comparison.on_time_ratio.value)

def interval_letter(data: CityData) -> str:
    """Exercise 3.3.3: A when the interval leaves out 1, else B."""
    return "A" if page_of(data).comparison.on_time_ratio.clear else "B"

def offline_phone_share(data: CityData) -> float:
    """Exercise 3.3.4: the phone share of the district with most residents offline."""
    if "channel" not in data.requests.columns:
        return 0.0
    rows = data.requests[data.requests["district"] == _offline_row(data)["district"]]
    return float((rows["channel"] == "phone").mean())

def careful_letter(data) -> str:
    """Exercise 3.3.5: the sentence that states a difference without a cause."""
    return "B"

# --- known mistakes -----------------------------------------------------------------------

def mistaken_not_per_year(data: CityData) -> Any:
    return top_district_rate(data) * page_of(data).years

def mistaken_ratio_inverted(data: CityData) -> Any:
    return 1 / on_time_ratio(data)

def mistaken_cause(data: CityData) -> Any:
    return "A"

def mistaken_volume_as_need(data: CityData) -> Any:
    return "C"

# --- slider bounds ------------------------------------------------------------------------

def _rate_slider(data: CityData) -> tuple[float, float, float]:
    top = max(float(page_of(data).table["per_1000_a_year"].max()), 1.0)
    return 0, round(top * 3), 1

def _ratio_slider(data: CityData) -> tuple[float, float, float]:
    return 0, 2, 0.01

def _share_slider(data: CityData) -> tuple[float, float, float]:
    return 0, 1, 0.01

# --- facts for the messages ---------------------------------------------------------------

def _rate_facts(data: CityData) -> dict[str, Any]:
    row, years = _top_row(data), page_of(data).years
    return {"district": row["district"], "requests": int(row["requests"]),
            "population": int(row["population"]), "rate": float(row["per_1000_a_year"]),
            "years": ngettext("{count} year", "{count} years", years,
                              count=format_number(years, 2)),
            "years_number": format_number(years, 2)}

def _ratio_facts(data: CityData) -> dict[str, Any]:
    comparison = page_of(data).comparison
    ratio = comparison.on_time_ratio

    counts = _on_time_counts(data)
    return {"a": format_percent(comparison.on_time_higher or 0),
            "b": format_percent(comparison.on_time_lower or 0), **counts,
            "ratio": format_number(ratio.value or 0, 2), "low": format_number(ratio.low or 0, 2),
            "high": format_number(ratio.high or 0, 2), "clarity": clarity_words(ratio)}

def _on_time_counts(data: CityData) -> dict[str, int]:
    page = page_of(data)
    table = page.table.set_index("district")
    higher, lower = page.comparison.higher, page.comparison.lower
    return {"x_a": int(table.loc[higher, "on_time_count"].sum()),
            "n_a": int(table.loc[higher, "on_time_known"].sum()),
            "x_b": int(table.loc[lower, "on_time_count"].sum()),
            "n_b": int(table.loc[lower, "on_time_known"].sum())}

def _phone_facts(data: CityData) -> dict[str, Any]:
    row = _offline_row(data)
    return {"district": row["district"], "offline": format_percent(row["share_without_internet"]),
            "share": format_percent(offline_phone_share(data)),
            "city_share": format_percent(float((data.requests.get("channel") == "phone").mean())
                                         if "channel" in data.requests.columns else 0.0)}

def _careful_facts(data: CityData) -> dict[str, Any]:
    return {"city": data.city.name,
            "sentence": " ".join(page_of(data).comparison.sentences().sentences[1:2]) or
            _("The careful sentence states a difference and what it does not show.")}
