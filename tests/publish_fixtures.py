"""Clearwater: 105 requests whose figures for page 3.5 are worked out by hand.

Handcount's city file (United States, bounds 40.00 to 40.10 north), with these requests:

* December 2025, the last whole month before the extract (31 December 2025 23:59:59):

      request type   North   South   no district
      Noise              4      30        2
      Pothole           25      41        -

  So the published table (types by district) is the page's own example: the 4 is withheld
  (primary), then the 30 (its row), the 25 (its column) and the 41 (the South column), and
  the totals 34, 66, 29, 71 and 100 are published. 9 counts in all, 1 primary, 3
  complementary; the 2 requests without a district are not in the table.
* November 2025: 3 noise complaints in North, outside the month.

The first five requests carry notes:

    0  "Caller Ana Lee asked for a call back at (612) 555-0143."   a name, a phone
    1  "Please write to ana.lee@example.org"                       an e-mail
    2  "Account check: caller gave SSN 987-65-4321."               a national ID
    3  "Deep hole in the right lane."                              nothing
    4  "My name is Robert Clark."                                  a name

so 5 notes, 4 with personal data: 2 names, 1 phone, 1 e-mail, 1 ID (5 removed).
The first five also have addresses: "1234 Elm St" (1200 block), "Rua das Flores, 1278 -
apto 5" (1200 block), "42 Mill Rd" (numbers 1 to 99), "Elm St & River Rd" (no number: kept)
and "12-A" (not readable: removed): 3 generalised, 1 kept, 1 removed. The first ten have
coordinates 40.012345, -80.054321, rounded to 40.012, -80.054.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
from exercise_fixtures import hand_counted_data

from cda_lib.data import CityData

NOTES = ["Caller Ana Lee asked for a call back at (612) 555-0143.",
         "Please write to ana.lee@example.org", "Account check: caller gave SSN 987-65-4321.",
         "Deep hole in the right lane.", "My name is Robert Clark."]
PLANTED = ["Ana Lee", "555-0143", "ana.lee@example.org", "987-65-4321", "Robert Clark"]
ADDRESSES = ["1234 Elm St", "Rua das Flores, 1278 - apto 5", "42 Mill Rd", "Elm St & River Rd",
             "12-A"]
PLAN = [("Noise", "North", 4), ("Noise", "South", 30), ("Pothole", "North", 25),
        ("Pothole", "South", 41), ("Noise", None, 2)]


def publish_requests() -> pd.DataFrame:
    rows = []
    for service, district, count in PLAN:
        for index in range(count):
            rows.append((service, district, pd.Timestamp(2025, 12, 1 + index % 28, 9, 30)))
    rows += [("Noise", "North", pd.Timestamp(2025, 11, 10, 14, 5))] * 3
    table = pd.DataFrame({
        "service_request_id": [f"CW-{i}" for i in range(len(rows))],
        "service_code": [s.upper() for s, _d, _t in rows],
        "service_name": [s for s, _d, _t in rows], "status": "closed",
        "status_notes": "completed",
        "requested_datetime": [t for _s, _d, t in rows],
        "closed_datetime": [t + pd.Timedelta(days=2) for _s, _d, t in rows],
        "agency_responsible": "Public Works", "district": [d for _s, d, _t in rows],
        "lat": [40.012345] * 10 + [None] * (len(rows) - 10),
        "long": [-80.054321] * 10 + [None] * (len(rows) - 10), "channel": "phone"})
    for column in ("service_request_id", "service_code", "service_name", "status",
                   "status_notes", "agency_responsible", "district", "channel"):
        table[column] = table[column].astype("string")
    table["description"] = pd.array(NOTES + [None] * (len(rows) - 5), dtype="string")
    table["address"] = pd.array(ADDRESSES + [None] * (len(rows) - 5), dtype="string")
    return table


def publish_data(*, without: tuple[str, ...] = ()) -> CityData:
    """Handcount's city with Clearwater's requests (``without`` drops columns)."""
    requests = publish_requests()
    for column in without:
        if column in ("lat", "long"):
            requests[column] = float("nan")
        elif column == "district":
            requests[column] = pd.array([None] * len(requests), dtype="string")
        else:
            requests = requests.drop(columns=[column])
    return dataclasses.replace(hand_counted_data(), requests=requests)
