"""Tallyville: 903 service requests laid out by rule, for theme 1's exercise and setter tests.

Handcount (``exercise_fixtures.py``) is too small for the KPI suite, which gives no number
for fewer than 30 requests; Tallyville has enough, and every figure can still be worked
out by hand from these rules (the tests say how, beside each figure):

- Three types, with standards POTHOLE 5 days, NOISE 2, SIDEWALK 30 (``tallyville.yaml``).
- Requests per month: Noise complaint 20 in 2024, 22 in 2025; Pothole repair 10 (March:
  20) in 2024 and 11 (March: 22) in 2025; Sidewalk repair 5 a month in 2024 and, in 2025,
  5 in odd months (January, March ...) and 6 in even ones. 430 requests in 2024, 473 in
  2025.
- The k-th request (from 0) of a type in a month opens on day k + 1, noise at 09:00,
  potholes at 10:00, sidewalks at 11:00; except the last two noise complaints of December
  2025, opened on 30 and 31 December.
- Noise: the first L of a month close after 3 days (late); the others after 1 day. L is 4
  every month of 2024 and 2, 3, 4, 5, 6, 2, 3, 4, 5, 6, 2, 3 in the months of 2025. The
  complaint of 31 December 2025 is still open.
- Potholes: the first 2 of a month (4 in March) close after 8 days (late); the others
  after 2 days.
- Sidewalks: the first two of a month close after 10 days, the third after 45 days, the
  rest never; all six of December 2025 are still open.
- Districts: noise k divisible by 4 and potholes k even are North, the others South; every
  sidewalk is North. North has 3,000 residents, South 5,000.
- Notes: the first on-time noise complaint of a month (k = L) is a "Duplicate", the first
  on-time pothole a "Referred to another agency", the first sidewalk (k = 0) "Cancelled";
  other closed requests "Completed"; open ones "In progress" (sidewalks) or "Received".
- Extracted at 23:59:59 on 31 December 2025. Nothing is set aside when loaded.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cda_lib.cities.loader import load_city
from cda_lib.data import CityData
from cda_lib.metrics.quality import quality_profile
from cda_lib.sources.conform import conform_service_requests
from cda_lib.sources.mapping import ColumnMapping

CITY_FILE = Path(__file__).parent / "fixtures" / "lead" / "tallyville.yaml"
AS_OF = pd.Timestamp("2025-12-31 23:59:59")
NOISE_LATE = {2024: (4,) * 12, 2025: (2, 3, 4, 5, 6, 2, 3, 4, 5, 6, 2, 3)}
TYPES = {"NOISE": "Noise complaint", "POTHOLE": "Pothole repair", "SIDEWALK": "Sidewalk repair"}
HOURS = {"NOISE": 9, "POTHOLE": 10, "SIDEWALK": 11}


def _count(code: str, year: int, month: int) -> int:
    if code == "NOISE":
        return 20 if year == 2024 else 22
    if code == "POTHOLE":
        base = 10 if year == 2024 else 11
        return base * 2 if month == 3 else base
    return 5 if year == 2024 or month % 2 == 1 else 6


def _outcome(code: str, year: int, month: int, k: int) -> tuple[int | None, str, str]:
    """Days to close (None: open), the closing or open note, and the district."""
    if code == "NOISE":
        late = NOISE_LATE[year][month - 1]
        district = "North" if k % 4 == 0 else "South"
        if (year, month, k) == (2025, 12, 21):
            return None, "Received", district
        note = "Duplicate" if k == late else "Completed"
        return (3 if k < late else 1), note, district
    if code == "POTHOLE":
        late = 4 if month == 3 else 2
        note = "Referred to another agency" if k == late else "Completed"
        return (8 if k < late else 2), note, "North" if k % 2 == 0 else "South"
    if (year, month) == (2025, 12) or k >= 3:
        return None, "In progress", "North"
    return (10 if k < 2 else 45), ("Cancelled" if k == 0 else "Completed"), "North"


def raw_requests() -> pd.DataFrame:
    """Tallyville's rows as a city might export them (canonical column names)."""
    rows = []
    for year in (2024, 2025):
        for month in range(1, 13):
            for code, name in TYPES.items():
                for k in range(_count(code, year, month)):
                    day = k + 1
                    if (code, year, month) == ("NOISE", 2025, 12) and k >= 20:
                        day = 30 + (k - 20)
                    opened = pd.Timestamp(year=year, month=month, day=day, hour=HOURS[code])
                    days, note, district = _outcome(code, year, month, k)
                    rows.append({
                        "service_request_id": f"TV-{len(rows) + 1:04d}",
                        "service_code": code, "service_name": name,
                        "status": "open" if days is None else "closed", "status_notes": note,
                        "requested_datetime": opened,
                        "closed_datetime": None if days is None else
                        opened + pd.Timedelta(days=days),
                        "agency_responsible": "Public Works", "district": district,
                        # each request on its own point inside the box
                        "lat": (40.07 if district == "North" else 40.03) + len(rows) * 1e-5,
                        "long": -80.05,
                        "channel": "phone" if district == "North" else "web",
                    })
    return pd.DataFrame(rows)


def tallyville_data() -> CityData:
    """Tallyville's data, loaded through the same conforming and quality checks as any city."""
    city = load_city(CITY_FILE)
    result = conform_service_requests(raw_requests(), ColumnMapping.identity("tallied rows"),
                                      source="Tallyville's rows laid out by rule", as_of=AS_OF)
    return CityData(city=city, requests=result.table, districts=city.districts_table(),
                    account=result.account,
                    quality=quality_profile(result.table, result.account, city), as_of=AS_OF,
                    source_description="Tallyville 311, rows laid out by rule")
