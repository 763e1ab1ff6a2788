"""Exercises 3.1: who has a stake (the exercise set of page 3.1).

The exercises themselves are written in ``stakeholders.yaml`` beside this module; this module
holds the functions that file names. The city's figures come from the functions the page
uses: the stakeholder map of :func:`cda_lib.themes.empower.stakeholders.stakeholder_map` (how
many are to be managed closely) and page 3.3's table by district
(:func:`cda_lib.themes.empower.kickoff.district_figures`: the slowest district's median days
to close). The other answers are the same in every city: the quadrant of two scores, the
plan's cadence and owner, and the figure a kick-off meeting can stand on.

>>> fixed_quadrant(None), cadence_letter(None), owner_letter(None), figure_letter(None)
('C', 'B', 'A', 'A')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cda_lib.exercises.exercise import CityMemo
from cda_lib.text.dates import format_list
from cda_lib.text.numbers import format_number
from cda_lib.themes.empower.kickoff import district_figures
from cda_lib.themes.empower.stakeholders import HIGH, StakeholderMap, stakeholder_map

if TYPE_CHECKING:
    import pandas as pd

    from cda_lib.data import CityData

_memo = CityMemo()


def districts_of(data: CityData) -> pd.DataFrame | None:
    return _memo("stakeholder-districts", data, lambda: district_figures(data))


def map_of(data: CityData) -> StakeholderMap:
    return _memo("stakeholders", data, lambda: stakeholder_map(data, districts_of(data)))


def _medians(data: CityData) -> pd.DataFrame:
    """Page 3.3's districts that have a median (none when the data has too few)."""
    import pandas as pd

    table = districts_of(data)
    if table is None:
        return pd.DataFrame({"district": [], "median_days": []})
    return table.dropna(subset=["median_days"])

# --- expected answers ---------------------------------------------------------------------

def fixed_quadrant(data) -> str:
    """Exercise 3.1.1: interest 4 and influence 2 is high interest, lower influence."""
    return "C"


def closely_count(data: CityData) -> int:
    """Exercise 3.1.2: how many stakeholders score 4 or 5 on both."""
    return len(map_of(data).in_quadrant("manage_closely"))


def cadence_letter(data) -> str:
    """Exercise 3.1.3: manage closely meets every month, in a working session."""
    return "B"


def owner_letter(data) -> str:
    """Exercise 3.1.4: the communications lead keeps residents' groups informed."""
    return "A"


def figure_letter(data) -> str:
    """Exercise 3.1.5: the figure the data supports, stated with what it counts."""
    return "A"


def slowest_days(data: CityData) -> float:
    """Exercise 3.1.6: the slowest district's median days to close (page 3.3); 0 when no
    district has a median."""
    medians = _medians(data)["median_days"]
    return float(medians.max()) if len(medians) else 0.0

# --- known mistakes -----------------------------------------------------------------------

def mistaken_either_high(data: CityData) -> Any:
    table = map_of(data).table
    return int(((table["interest"] >= HIGH) | (table["influence"] >= HIGH)).sum())


def mistaken_three_is_high(data: CityData) -> Any:
    table = map_of(data).table
    return int(((table["interest"] >= HIGH - 1) & (table["influence"] >= HIGH - 1)).sum())


def mistaken_fastest(data: CityData) -> Any:
    medians = _medians(data)["median_days"]
    return float(medians.min()) if len(medians) else None

# --- slider bounds ------------------------------------------------------------------------

def _count_slider(data: CityData) -> tuple[float, float, float]:
    return 0, max(len(map_of(data).table), 1), 1


def _days_slider(data: CityData) -> tuple[float, float, float]:
    top = float(_medians(data)["median_days"].max()) if len(_medians(data)) else 1.0
    return 0, max(round(top * 2) + 1, 2), 0.1

# --- facts for the messages ---------------------------------------------------------------

def _map_facts(data: CityData) -> dict[str, Any]:
    stakeholders = map_of(data)
    closely = stakeholders.in_quadrant("manage_closely")
    return {"total": len(stakeholders.table), "count": len(closely),
            "names": format_list(closely) if closely else "—"}


def _slowest_facts(data: CityData) -> dict[str, Any]:
    table = _medians(data)
    if not len(table):
        return {"slow": "—", "slow_days": "—", "fast": "—", "fast_days": "—", "districts": 0}
    slow = table.loc[table["median_days"].idxmax()]
    fast = table.loc[table["median_days"].idxmin()]
    return {"slow": slow["district"], "slow_days": format_number(slow["median_days"], 1),
            "fast": fast["district"], "fast_days": format_number(fast["median_days"], 1),
            "districts": len(table)}
