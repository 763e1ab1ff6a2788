"""Handcount: a city whose 76 service requests can be counted by hand, for exercise tests.

The rows are laid out by rule so every figure the welcome exercises ask for is known
without running any workbook code (the tests say how each one is worked out):

- Requests per month: 2024 has 1 a month in January–March, 2 in April–June, 4 in
  July–September and 3 in October–December (30 in all); 2025 has one more each month
  (2, 3, 5, 4: 42 in all). 72 usable requests, at 09:00; the j-th of a month falls on
  day 1, the month's last day, 15, 8, 22 (so every month, first and last included, is
  whole).
- Each located request has its own point inside the city's box.
- Four more rows are set aside when loaded: two copies of existing ids, one closed
  before it was opened, one opened after the data was extracted. 76 rows read.
- Districts, in order of opening: the first two requests have no district and no
  coordinates; the other 70 cycle North, North, North, South, South, East, East, so
  North 30, South 20, East 20 (populations 2,000, 4,000 and 1,000).
- Types: Pothole repair 20, Graffiti removal 15, Streetlight out 12, Noise complaint 10,
  Missed trash collection 8, Tree maintenance 4, Rodent control 3 (72).
- Status: the last 8 requests (1, 8, 15 and 30 November, 1, 8, 15 and 31 December 2025)
  are open. The 64 closed ones took 1, 2, 5, 30, 1, 2, ... days in turn (16 of each).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cda_lib.cities.loader import load_city
from cda_lib.data import CityData
from cda_lib.metrics.quality import quality_profile
from cda_lib.sources.conform import conform_service_requests
from cda_lib.sources.mapping import ColumnMapping

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"
AS_OF = pd.Timestamp("2025-12-31 23:59:59")
PER_MONTH = {2024: (1, 1, 1, 2, 2, 2, 4, 4, 4, 3, 3, 3), 2025: (2, 2, 2, 3, 3, 3, 5, 5, 5, 4, 4, 4)}
TYPES = (("POTHOLE", "Pothole repair", 20), ("GRAFFITI", "Graffiti removal", 15),
         ("STREETLIGHT", "Streetlight out", 12), ("NOISE", "Noise complaint", 10),
         ("MISSED_COLLECTION", "Missed trash collection", 8), ("TREE", "Tree maintenance", 4),
         ("RODENTS", "Rodent control", 3))
DISTRICT_CYCLE = ("North", "North", "North", "South", "South", "East", "East")
CLOSE_DAYS = (1, 2, 5, 30)
OPEN_AT_END = 8


def _opening_times() -> list[pd.Timestamp]:
    times = []
    for year, counts in PER_MONTH.items():
        for month, count in enumerate(counts, start=1):
            last = pd.Timestamp(year=year, month=month, day=1).days_in_month
            for day in (1, last, 15, 8, 22)[:count]:
                times.append(pd.Timestamp(year=year, month=month, day=day, hour=9))
    return sorted(times)


def raw_requests() -> pd.DataFrame:
    """The 76 rows as a city might export them (canonical column names)."""
    opened = _opening_times()
    types = [(code, name) for code, name, count in TYPES for _ in range(count)]
    rows = []
    for i, when in enumerate(opened):
        code, name = types[(i * 5) % len(types)]  # 5 and 72 share no factor: a shuffle
        is_open = i >= len(opened) - OPEN_AT_END
        closed = None if is_open else when + pd.Timedelta(days=CLOSE_DAYS[i % len(CLOSE_DAYS)])
        district = None if i < 2 else DISTRICT_CYCLE[(i - 2) % len(DISTRICT_CYCLE)]
        rows.append({
            "service_request_id": f"HC-{i + 1:03d}", "service_code": code, "service_name": name,
            "status": "open" if is_open else "closed", "status_notes": None,
            "requested_datetime": when, "closed_datetime": closed,
            "agency_responsible": "Public Works", "district": district,
            # each request on its own point, so none looks like a default location
            "lat": None if district is None else 40.01 + i * 0.001,
            "long": None if district is None else -80.05,
            "channel": "phone",
        })
    set_aside = [
        {**rows[10], "status_notes": "exported twice"},
        {**rows[40], "status_notes": "exported twice"},
        {**rows[20], "service_request_id": "HC-901",
         "closed_datetime": rows[20]["requested_datetime"] - pd.Timedelta(days=2)},
        {**rows[30], "service_request_id": "HC-902",
         "requested_datetime": pd.Timestamp("2026-02-01 09:00"), "closed_datetime": None,
         "status": "open"},
    ]
    return pd.DataFrame(rows + set_aside)


def hand_counted_data() -> CityData:
    """Handcount's data, loaded through the same conforming and quality checks as any city."""
    city = load_city(FIXTURES / "hand_counted_city.yaml")
    result = conform_service_requests(raw_requests(), ColumnMapping.identity("hand-counted rows"),
                                      source="Handcount's hand-counted rows", as_of=AS_OF)
    return CityData(city=city, requests=result.table, districts=city.districts_table(),
                    account=result.account, quality=quality_profile(result.table, result.account,
                                                                    city),
                    as_of=AS_OF, source_description="Handcount 311, hand-counted test rows")
