"""Hand-built cities for theme 1's pages 1.4 and 1.5, small enough to work out by hand.

**Pilotville** (:func:`pilot_data`) reuses Handcount's city file (tests/fixtures/exercises/
hand_counted_city.yaml): a synthetic city from 2024-01-01 to 2025-12-31 whose district
with the most low-income households is South. By the generator's rule its planted pilot
is therefore POTHOLE requests in South from Tuesday 1 April 2025 (60% of the 731 days
falls on 14 March 2025; the pilot starts on the first of the next month), with the city's
5-day pothole standard. The rows are all potholes: in each of the 16 weeks before the
start and the 10 weeks from it, one Wednesday at 09:00 brings 10 requests in South and 20
in the comparison districts (North and East, alternately). Each week's on-time count is
given by the caller: the first ``n`` requests close after 1 day (on time), the rest after
10 days (late). Every request is closed long before the extract (31 Dec 2025), so every
outcome is known. Because every week of a period is the same, every bootstrap resample
gives the same estimate: the interval is a single point, known by hand.

**Benchville** (:func:`routine_data`) for the weekly brief: 30 weeks of Mondays from
2 June 2025, extract on the Monday noon after the last week (the brief's week is
22-28 December 2025). Each Monday at 09:00 brings 40 "Alley cleaning" (A) and 40
"Broken bench" (B) requests, both with a 2-day standard, 10 "Dog waste" (D) requests
(no standard; each closed the next day), and one "Curb repair" (C) request that is never
closed; three more C requests arrive on the extract's Monday morning. B closes 36 of 40
in 1 day and 4 in 5 days every week. A does the same for 26 weeks; in the last 4 weeks
only 20 close in 1 day and the other 20 take 9 days (so they are still open at the end
of their week; the last week's 20 are still open at the extract). The "Dog waste" rows
sit at 10:00; they are the fourth request type, and never an exception.

(Kept by the helper that wrote pages 1.4 and 1.5; page 1.1-1.3's fixture is
``tallyville_fixtures.py``.)
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from cda_lib.cities.loader import load_city
from cda_lib.data import CityData
from cda_lib.metrics.quality import quality_profile
from cda_lib.sources.conform import conform_service_requests
from cda_lib.sources.mapping import ColumnMapping

CITY_FILE = Path(__file__).parent / "fixtures" / "exercises" / "hand_counted_city.yaml"
PILOT_START = pd.Timestamp("2025-04-01")  # the generator's rule for Handcount (see above)
PILOT_AS_OF = pd.Timestamp("2025-12-31 23:59:59")
WEEKS_BEFORE, WEEKS_AFTER = 16, 10
TREATED_PER_WEEK, COMPARISON_PER_WEEK = 10, 20

ROUTINE_FIRST_MONDAY = pd.Timestamp("2025-06-02")
ROUTINE_WEEKS = 30
ROUTINE_AS_OF = ROUTINE_FIRST_MONDAY + pd.Timedelta(weeks=ROUTINE_WEEKS, hours=12)


def _row(number: int, code: str, name: str, district: str, opened: pd.Timestamp,
         closed: pd.Timestamp | None) -> dict:
    return {"service_request_id": f"T-{number:05d}", "service_code": code, "service_name": name,
            "status": "closed" if closed is not None else "open", "status_notes": None,
            "requested_datetime": opened, "closed_datetime": closed,
            "agency_responsible": f"{name} crew", "district": district, "lat": None,
            "long": None, "channel": "phone"}


def _city_data(rows: list[dict], as_of: pd.Timestamp, **changes) -> CityData:
    city = load_city(CITY_FILE)
    if changes:
        city = dataclasses.replace(city, **changes)
    result = conform_service_requests(pd.DataFrame(rows), ColumnMapping.identity("test rows"),
                                      source="hand-built test rows", as_of=as_of)
    return CityData(city=city, requests=result.table, districts=city.districts_table(),
                    account=result.account,
                    quality=quality_profile(result.table, result.account, city), as_of=as_of,
                    source_description="hand-built test rows")


def pilot_data(treated: list[int], comparison: list[int]) -> CityData:
    """Pilotville with these on-time counts per week (16 before the start, then 10 after):
    ``treated`` out of 10 requests in South, ``comparison`` out of 20 in North and East."""
    assert len(treated) == len(comparison) == WEEKS_BEFORE + WEEKS_AFTER
    rows = []
    for index, week in enumerate(range(-WEEKS_BEFORE, WEEKS_AFTER)):
        wednesday = PILOT_START + pd.Timedelta(weeks=week, days=1, hours=9)
        groups = (("South", TREATED_PER_WEEK, treated[index]),
                  ("North/East", COMPARISON_PER_WEEK, comparison[index]))
        for group, count, on_time in groups:
            for i in range(count):
                opened = wednesday + pd.Timedelta(minutes=len(rows) % 600)
                district = group if group == "South" else ("North", "East")[i % 2]
                days = 1 if i < on_time else 10
                rows.append(_row(len(rows) + 1, "POTHOLE", "Pothole repair", district, opened,
                                 opened + pd.Timedelta(days=days)))
    return _city_data(rows, PILOT_AS_OF)


def weeks(before: int | list[int], after: int | list[int]) -> list[int]:
    """Per-week counts: a number repeats for every week of its period; a list is as given."""
    first = [before] * WEEKS_BEFORE if isinstance(before, int) else list(before)
    second = [after] * WEEKS_AFTER if isinstance(after, int) else list(after)
    return first + second


def routine_data() -> CityData:
    """Benchville (see the module docstring)."""
    rows = []
    for week in range(ROUTINE_WEEKS):
        monday = ROUTINE_FIRST_MONDAY + pd.Timedelta(weeks=week, hours=9)
        last_four = week >= ROUTINE_WEEKS - 4
        for code, name in (("A", "Alley cleaning"), ("B", "Broken bench")):
            on_time, late_days = (20, 9) if code == "A" and last_four else (36, 5)
            for i in range(40):
                opened = monday + pd.Timedelta(minutes=i)
                closed = opened + pd.Timedelta(days=1 if i < on_time else late_days)
                rows.append(_row(len(rows) + 1, code, name, "North", opened,
                                 closed if closed <= ROUTINE_AS_OF else None))
        for i in range(10):
            opened = monday + pd.Timedelta(hours=1, minutes=i)
            rows.append(_row(len(rows) + 1, "D", "Dog waste", "North", opened,
                             opened + pd.Timedelta(days=1)))
        rows.append(_row(len(rows) + 1, "C", "Curb repair", "North", monday, None))
    for i in range(3):
        rows.append(_row(len(rows) + 1, "C", "Curb repair", "North",
                         ROUTINE_AS_OF.normalize() + pd.Timedelta(hours=8, minutes=i), None))
    return _city_data(rows, ROUTINE_AS_OF, service_standards={"A": 2.0, "B": 2.0})
