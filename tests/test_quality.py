import pandas as pd
import pytest

from cda_lib.cities.loader import load_city
from cda_lib.core.account import LoadAccount
from cda_lib.core.schema import SERVICE_REQUESTS
from cda_lib.metrics import quality


@pytest.fixture(scope="module")
def riverbend():
    return load_city("riverbend")


def requests_table(rows):
    """A canonical table from (district, lat, long) triples; other columns are filler."""
    table = pd.DataFrame(rows, columns=["district", "lat", "long"])
    n = len(table)
    table["service_request_id"] = [f"R{i}" for i in range(n)]
    table["service_code"] = "POTHOLE"
    table["service_name"] = "Pothole"
    table["status"] = "open"
    table["status_notes"] = pd.NA
    table["requested_datetime"] = pd.Timestamp("2025-01-01")
    table["closed_datetime"] = pd.NaT
    table["agency_responsible"] = "Public Works"
    table["channel"] = "phone"
    return table.astype(SERVICE_REQUESTS.dtypes)[SERVICE_REQUESTS.columns]


def test_kept_row_checks_count_each_problem(riverbend):
    # Riverbend's box: lat 44.08-44.19, long -93.06 to -92.90
    table = requests_table([
        ("Northbank", 44.10, -93.00),   # fine
        (None, 44.10, -93.00),          # missing district
        ("Atlantis", 44.10, -93.00),    # district not in the city file
        ("Northbank", None, None),      # missing coordinates
        ("Northbank", -93.00, 44.10),   # lat and long swapped: outside the city
        ("Northbank", 0.0, 0.0),        # null island: outside the city
    ])
    account = LoadAccount.start("hand-made", table)
    profile = quality.quality_profile(table, account, riverbend)
    assert profile.count(quality.MISSING_DISTRICT) == 1
    assert profile.count(quality.UNKNOWN_DISTRICT) == 1
    assert profile.count(quality.MISSING_COORDINATES) == 1
    assert profile.count(quality.OUTSIDE_CITY) == 2
    assert profile.count(quality.DEFAULT_POINT) == 0  # 6 rows: far below the 20-row minimum


def test_a_crowded_default_point_is_flagged(riverbend):
    spread = [("Northbank", 44.10 + i / 1000, -93.00) for i in range(50)]
    city_hall = [("Old Town", 44.15, -92.95)] * 25
    profile = quality.quality_profile(requests_table(spread + city_hall),
                                      LoadAccount.start("x", requests_table(spread + city_hall)),
                                      riverbend)
    assert profile.count(quality.DEFAULT_POINT) == 25


def test_set_aside_reasons_appear_with_their_dimension():
    table = requests_table([("Northbank", 44.1, -93.0)] * 4)
    account = LoadAccount.start("four rows", table)
    account.set_aside([False, False, True, True], "duplicate request id")
    kept = account.kept_rows(table)
    profile = quality.quality_profile(kept, account)
    row = profile.table.set_index("check").loc["duplicate request id"]
    assert (row["dimension"], row["handling"], row["rows"], row["of_rows"]) == (
        "uniqueness", "set aside", 2, 4)
    assert profile.share("duplicate request id") == 0.5
    assert "Set aside 2 of 4 rows: duplicate request id" in profile.lines()


def test_a_clean_table_says_so():
    table = requests_table([("Northbank", 44.1, -93.0)])
    profile = quality.quality_profile(table, LoadAccount.start("one row", table))
    assert profile.lines() == ["No quality problems were found."]
