"""Handcount's data inventory: seven datasets whose audit can be worked out by hand.

Freshness is judged on 30 June 2025 (:data:`AS_OF`). Periods: R/P1W 7 days, R/P1M 365/12 =
30.42 days, R/P1Y 365 days, R/P1D 1 day. The nine checks, in order: description (D),
owner (O), contact (C), licence (L), frequency (F), sensitivity (S), source (Src), up to
date (U), open format (Fmt); "-" does not apply.

    dataset (department)         D O C L F S Src U Fmt  passed/applicable  score
    Potholes (Public Works)      ✓ ✓ ✓ ✓ ✓ ✓ ✗   ✓ ✓    8/9 = 88.9         89
        weekly, updated 27 June (3 days ≤ 7), csv
    Street lights (Public Works) ✓ ✓ ✗ ✗ ✓ ✓ ✗   ✗ ✗    4/9 = 44.4         44
        monthly, updated 30 April (61 days > 30.42), xlsx only
    Budget (Finance)             ✓ ✓ ✓ ✗ ✓ ✓ ✗   ✓ ✓    7/9 = 77.8         78
        yearly, updated 15 January (166 days ≤ 365), csv and xlsx
    Employee records (HR)        ✓ ✓ ✓ - ✓ ✓ ✓   ✓ -    7/7               100
        non-public with a note, monthly, updated 1 June (29 days ≤ 30.42)
    Zoning (no department)       ✗ ✗ ✓ ✗ ✗ ✓ ✗   - ✓    3/8 = 37.5         38
        a contact e-mail only, no frequency, geojson
    Victim cases (Police)        ✓ ✓ ✓ - ✓ ✗ ✓   ✗ -    5/7 = 71.4         71
        non-public with no note, daily, no date of update
    Street trees (Parks)         ✓ ✓ ✓ ✓ ✓ ✓ ✓   - ✓    8/8               100
        irregular, csv

Gaps (datasets failing of those the check applies to): source 4 of 7, licence 3 of 5,
up to date 2 of 5, then description, owner, contact, frequency, sensitivity and open format
1 each (description 1 of 7 and owner 1 of 7 come first, in the checks' order).
"""

from __future__ import annotations

import dataclasses

import pandas as pd
from exercise_fixtures import hand_counted_data

from cda_lib.data import CityData
from cda_lib.sources.catalog import CatalogEntry

AS_OF = pd.Timestamp("2025-06-30")
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"


def csv(name: str) -> tuple[dict[str, str], ...]:
    return ({"url": f"https://data.handcount.example.org/{name}.csv", "media_type": "",
             "format": "csv"},)


ENTRIES = (
    CatalogEntry("potholes", "Potholes", description="Potholes repaired.",
                 department="Public Works", contact_name="Data liaison",
                 contact_email="works@handcount.example.org", license=CC0, frequency="R/P1W",
                 modified=pd.Timestamp("2025-06-27"), access_level="public",
                 formats=("csv",), distributions=csv("potholes")),
    CatalogEntry("street-lights", "Street lights", description="Every street light.",
                 department="Public Works", frequency="R/P1M",
                 modified=pd.Timestamp("2025-04-30"), access_level="public", formats=("xlsx",)),
    CatalogEntry("budget", "Budget", description="The adopted budget.", department="Finance",
                 contact_name="Budget office", frequency="R/P1Y",
                 modified=pd.Timestamp("2025-01-15"), access_level="public",
                 formats=("csv", "xlsx"), distributions=csv("budget")),
    CatalogEntry("employees", "Employee records", description="Staff records.",
                 department="Human Resources", contact_name="HR data steward",
                 frequency="R/P1M", modified=pd.Timestamp("2025-06-01"),
                 access_level="non-public", rights="Personal records: private by law.",
                 source="payroll system"),
    CatalogEntry("zoning", "Zoning", contact_email="gis@handcount.example.org",
                 access_level="public", modified=pd.Timestamp("2024-03-01"),
                 formats=("geojson",)),
    CatalogEntry("victims", "Victim cases", description="Victim services cases.",
                 department="Police", contact_name="Records unit", frequency="R/P1D",
                 access_level="non-public", source="case system"),
    CatalogEntry("trees", "Street trees", description="Every street tree.", department="Parks",
                 contact_name="Forestry", license=CC0, frequency="irregular",
                 modified=pd.Timestamp("2023-05-01"), access_level="public",
                 source="tree survey", formats=("csv",), distributions=csv("trees")),
)


def inventory_data() -> CityData:
    """Handcount's data with the seven datasets above as its inventory, judged on AS_OF."""
    return dataclasses.replace(hand_counted_data(), inventory=ENTRIES, as_of=AS_OF)
