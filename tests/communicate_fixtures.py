"""Handcount's city with 44 requests whose page-3.4 figures are worked out by hand.

The extract is 31 December 2025, 23:59:59, so the headline period is the 12 months after
31 December 2024, 23:59:59: all of 2025.

- 4 requests in June 2024, all Pothole repair, closed in 2 days: before the period, so on
  no figure (they only make the data longer than a year).
- 40 requests in 2025, the i-th (i = 0 ... 39) opened at 09:00 on the 10th of month
  i mod 12 + 1: rows 0-19 Pothole repair, 20-31 Streetlight out, 32-39 Graffiti removal
  (20, 12 and 8: 50%, 30% and 20%). Rows 0-29 are closed 2 days after opening, rows 30-39
  (2 streetlights, 8 graffiti) 10 days after.

Every type has a 5-day standard. By hand: 40 requests; median days to close 2.0 (30 of the
40 took 2 days); on time 30 of 40 = 75%; the leader is Pothole repair, 20 / 12 = 1.67 times
the next type (Streetlight out).
"""

from __future__ import annotations

import dataclasses

import pandas as pd
from exercise_fixtures import hand_counted_data

from cda_lib.data import CityData

STANDARDS = {"POTHOLE": 5, "STREETLIGHT": 5, "GRAFFITI": 5}
NAMES = {"POTHOLE": "Pothole repair", "STREETLIGHT": "Streetlight out",
         "GRAFFITI": "Graffiti removal"}


def _row(number: int, code: str, opened: pd.Timestamp, days: int) -> dict:
    return {"service_request_id": f"P-{number}", "service_code": code,
            "service_name": NAMES[code], "status": "closed", "status_notes": "completed",
            "requested_datetime": opened, "closed_datetime": opened + pd.Timedelta(days=days),
            "agency_responsible": "Public Works", "district": "North", "lat": None,
            "long": None, "channel": "phone", "reopened": False}


def plain_requests() -> pd.DataFrame:
    rows = [_row(100 + k, "POTHOLE", pd.Timestamp(2024, 6, 10 + k, 9), 2) for k in range(4)]
    for i in range(40):
        code = "POTHOLE" if i < 20 else "STREETLIGHT" if i < 32 else "GRAFFITI"
        rows.append(_row(i, code, pd.Timestamp(2025, i % 12 + 1, 10, 9), 2 if i < 30 else 10))
    table = pd.DataFrame(rows)
    for column in ("district", "channel", "service_name", "service_code"):
        table[column] = table[column].astype("string")
    return table


def plain_data(**city_changes) -> CityData:
    """Handcount with these requests and standards (and any other change to its city)."""
    data = hand_counted_data()
    city = dataclasses.replace(data.city, service_standards=dict(STANDARDS), **city_changes)
    return dataclasses.replace(data, city=city, requests=plain_requests())
