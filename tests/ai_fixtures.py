"""Triage Town: 34 service requests laid out so that page 2.5's triage figures can be worked
out by hand, and Handcount's city with them for the exercises.

Service standards: POTHOLE 5 days, NOISE 2 days (TREE has none). Every request is opened on
1 March 2025 at 09:00 unless said otherwise; data extracted on 31 March 2025. A late pothole
closes after 10 days, an on-time one after 3; a late noise complaint after 4 days, an
on-time one after 1.

    district  pothole late  pothole on time  noise late  noise on time
    North          3              2              2             4
    South          2              2              4             4
    East           1              0              4             1
    West           0              0              2             0

and three requests with no known outcome or no district: a TREE request in South (no
standard), a NOISE request in North opened on 30 March and still open (within its 2 days
at the extract) and a late POTHOLE with no district.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
from exercise_fixtures import hand_counted_data

from cda_lib.data import CityData

AS_OF = pd.Timestamp("2025-03-31 23:59:59")
STANDARDS = {"POTHOLE": 5, "NOISE": 2}
OPENED = pd.Timestamp("2025-03-01 09:00")
NAMES = {"POTHOLE": "Pothole repair", "NOISE": "Noise complaint", "TREE": "Tree maintenance"}
DAYS = {("POTHOLE", True): 10, ("POTHOLE", False): 3, ("NOISE", True): 4, ("NOISE", False): 1}
LAYOUT = {  # district: (pothole late, pothole on time, noise late, noise on time)
    "North": (3, 2, 2, 4), "South": (2, 2, 4, 4), "East": (1, 0, 4, 1), "West": (0, 0, 2, 0)}


def _row(i: int, code: str, district, opened=OPENED, closed_days=None) -> dict:
    closed = None if closed_days is None else opened + pd.Timedelta(days=closed_days)
    return {"service_request_id": f"TT-{i:03d}", "service_code": code,
            "service_name": NAMES[code], "status": "open" if closed is None else "closed",
            "status_notes": None, "requested_datetime": opened, "closed_datetime": closed,
            "agency_responsible": "Public Works", "district": district, "lat": None,
            "long": None, "channel": "phone"}


def triage_requests() -> pd.DataFrame:
    rows = []
    for district, counts in LAYOUT.items():
        for (code, late), count in zip([("POTHOLE", True), ("POTHOLE", False), ("NOISE", True),
                                        ("NOISE", False)], counts, strict=True):
            for _ in range(count):
                rows.append(_row(len(rows) + 1, code, district, closed_days=DAYS[(code, late)]))
    rows.append(_row(len(rows) + 1, "TREE", "South", closed_days=20))
    rows.append(_row(len(rows) + 1, "NOISE", "North", opened=pd.Timestamp("2025-03-30 09:00")))
    rows.append(_row(len(rows) + 1, "POTHOLE", None, closed_days=10))
    table = pd.DataFrame(rows)
    for column in ("requested_datetime", "closed_datetime"):
        table[column] = pd.to_datetime(table[column])
    return table


def triage_data() -> CityData:
    """Handcount's city with Triage Town's requests and standards (its generated inventory
    of AI uses is Handcount's, from its seed)."""
    data = hand_counted_data()
    city = dataclasses.replace(data.city, service_standards=dict(STANDARDS))
    return dataclasses.replace(data, city=city, requests=triage_requests(), as_of=AS_OF)


# Five hand-made uses of AI, each worked out by hand in the GovEx toolkit's tables
# (civic-standards.md, B2):
#
# 311 routing (in use; vendor, 5 yes answers; data 4 years old): minor x large = substantial,
#   x mostly positive = moderate impact; yes x supportive = low use; audit easy, explain
#   medium = accessible, x algorithm-mediated = low accountability; 5 points = medium third
#   party; 4 years = low historic; high x medium = high technical. Overall high. Safeguards:
#   bias testing, public notice (residents meet it), vendor disclosure.
# Chatbot (candidate; vendor, 3): substantial, moderate impact; somewhat x mixed = medium;
#   audit medium, explain hard = major concerns, x algorithmically determined = high; 3 =
#   medium; 2 years low; medium x high = high. Overall high. All four safeguards.
# Fraud flags (in use; vendor, 2; 12 years): major x medium = broad, x negative = extreme;
#   somewhat x not supportive = high; hard, hard = major concerns, x algorithm-mediated =
#   high; 2 = high; 12 years medium; high x medium = high. Overall high. All four.
# Translation (candidate; vendor, 6; 3 years): minor x medium = limited, x positive = very
#   low; low use; audit easy, explain hard = some concerns, x algorithmically determined =
#   high; 6 = low; low; medium x medium = medium. Overall high. Human review, bias testing,
#   public notice.
# Revenue forecast (in use; the city's own; 20 years): moderate x large = broad, x positive =
#   moderate; low use; audit easy, explain medium = accessible, x human-mediated = low; no
#   third party; 20 years medium; low x medium = low. Overall medium. Bias testing.
INVENTORY_ROWS = [
    ("311-routing", "in use", "contact-centre", True, "minor", "large", "mostly positive", "yes",
     "supportive", "algorithm-mediated", "medium", "easy", True, 5, 4, "high", "medium"),
    ("resident-chatbot", "candidate", "contact-centre", True, "minor", "large",
     "mostly positive", "somewhat", "mixed", "algorithmically determined", "hard", "medium",
     True, 3, 2, "medium", "high"),
    ("fraud-flags", "in use", "social-services", True, "major", "medium", "negative",
     "somewhat", "not supportive", "algorithm-mediated", "hard", "hard", True, 2, 12, "high",
     "medium"),
    ("translation", "candidate", "communications", True, "minor", "medium", "positive", "yes",
     "supportive", "algorithmically determined", "hard", "easy", True, 6, 3, "medium",
     "medium"),
    ("revenue-forecast", "in use", "budget", False, "moderate", "large", "positive", "yes",
     "supportive", "human-mediated", "medium", "easy", False, 0, 20, "low", "medium"),
]


def hand_inventory():
    from cda_lib.synth.ai_uses import COLUMNS, AiUseInventory

    return AiUseInventory(pd.DataFrame(INVENTORY_ROWS, columns=list(COLUMNS)), 0)


def ai_data() -> CityData:
    """Triage Town's requests with the five hand-made uses of AI."""
    return dataclasses.replace(triage_data(), ai_uses=hand_inventory())
