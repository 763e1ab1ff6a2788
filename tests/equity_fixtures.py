"""Fairfield: three districts whose figures for page 3.3 are worked out by hand.

One request type, POTHOLE, with a 5-day standard. Requests are opened on the 10th of each
month of 2025 in turn (January to December), so the data covers 12 calendar months: one
year. Each is closed 2 days (on time) or 8 days (late) after it was opened; the extract is
31 December 2025, long after every standard has passed.

    district  population  low income  requests  closed in 2 days  closed in 8 days  channel
    Amber       1,000       40%         20          8                12            phone 15, web 5
    Birch       2,000       10%         30         20                10            phone 10, web 20
    Cedar       1,000       20%         10         10                 0            phone 5, web 5

Renters and residents without internet: Amber 60% and 30%, Birch 20% and 5%, Cedar 40%
and 10%.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
from exercise_fixtures import hand_counted_data

from cda_lib.data import CityData

DISTRICTS = pd.DataFrame({
    "district_id": ["A", "B", "C"], "district": ["Amber", "Birch", "Cedar"],
    "population": [1000, 2000, 1000], "share_low_income": [0.40, 0.10, 0.20],
    "share_renters": [0.60, 0.20, 0.40], "share_without_internet": [0.30, 0.05, 0.10]})
PLAN = {"Amber": (8, 12, 15), "Birch": (20, 10, 10), "Cedar": (10, 0, 5)}


def equity_requests(months: int = 12) -> pd.DataFrame:
    """Fairfield's requests; with ``months=24`` they run over 2024 and 2025 in turn instead."""
    rows = []
    for district, (fast, slow, phone) in PLAN.items():
        for index in range(fast + slow):
            month = index % months
            opened = pd.Timestamp(2026 - months // 12 + month // 12, month % 12 + 1, 10, 9)
            days = 2 if index < fast else 8
            rows.append({
                "service_request_id": f"{district}-{index}", "service_code": "POTHOLE",
                "service_name": "Pothole", "status": "closed", "status_notes": "completed",
                "requested_datetime": opened, "closed_datetime": opened + pd.Timedelta(days=days),
                "agency_responsible": "Streets", "district": district, "lat": None,
                "long": None, "channel": "phone" if index < phone else "web",
                "reopened": False})
    table = pd.DataFrame(rows)
    table["district"] = table["district"].astype("string")
    table["channel"] = table["channel"].astype("string")
    return table


def equity_data(months: int = 12) -> CityData:
    """Handcount's city with Fairfield's requests and districts."""
    return dataclasses.replace(hand_counted_data(), requests=equity_requests(months),
                               districts=DISTRICTS.copy())
