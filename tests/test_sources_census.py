"""The Census ACS connector: 50-name calls, jam values, margins of error, districts, attribution.

The local API serves make_tracts(): six tracts of state 17, county 031. The district
figures below are worked out by hand from that table (see each comment).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from portal_server import PortalServer

from cda_lib.core.errors import PortalError
from cda_lib.sources.census import (
    ATTRIBUTION,
    CensusQuery,
    acs_values,
    combine_moe,
    district_demographics,
    fetch_acs,
    proportion_moe,
)
from cda_lib.sources.http import PortalClient, RetryPolicy

FAST = RetryPolicy(attempts=4, connect_timeout=1.0, read_timeout=0.3, backoff_seconds=0.01,
                   max_backoff_seconds=0.04)
VARIABLES = {"population": "B01003_001", "households": "B25003_001",
             "renter_households": "B25003_003"}
WARDS = {"W1": ["000100", "000200"], "W2": ["000300", "000400"], "W3": ["000500", "000600"]}
NAMES = {"W1": "Ward 1", "W2": "Ward 2", "W3": "Ward 3"}
SHARES = {"share_renters": ["renter_households", "households"]}


@pytest.fixture
def portal():
    with PortalServer() as server:
        yield server


def query(portal: PortalServer, variables=None) -> CensusQuery:
    return CensusQuery(2023, variables or VARIABLES, within={"state": "17", "county": "031"},
                       url=f"{portal.url}/data")


def fetch(q: CensusQuery, **client_options):
    with PortalClient("the test API", FAST, sleep=lambda s: None, **client_options) as client:
        return fetch_acs(q, client)


def test_estimates_and_margins_come_side_by_side_per_tract(portal):
    table = fetch(query(portal)).table
    assert table.columns.tolist() == [
        "geoid", "name", "population", "population_moe", "households", "households_moe",
        "renter_households", "renter_households_moe"]
    assert table["geoid"].tolist() == [f"17031000{n}00" for n in range(1, 7)]
    first = table.iloc[0]
    assert (first["population"], first["population_moe"]) == (4000.0, 300.0)
    request = portal.requests_to("census")[0]
    assert request.params["for"] == "tract:*" and request.params["in"] == "state:17 county:031"


def test_jam_values_become_missing_and_a_controlled_margin_becomes_zero(portal):
    table = fetch(query(portal)).table.set_index("geoid")
    assert math.isnan(table.loc["17031000500", "renter_households"])  # -666666666
    assert math.isnan(table.loc["17031000500", "renter_households_moe"])  # -222222222
    assert table.loc["17031000600", "population_moe"] == 0.0  # -555555555: controlled


def test_more_than_50_names_are_split_into_calls_the_api_accepts(portal):
    many = {**VARIABLES, **{f"filler_{k}": f"B99{k:03d}_001" for k in range(1, 31)}}
    table = fetch(query(portal, many)).table
    calls = portal.requests_to("census")
    # 33 variables × (E, M) = 66 names; with NAME in every call, 49 + 17 per call
    assert [len(c.params["get"].split(",")) for c in calls] == [50, 18]
    assert table["filler_30"].tolist() == [30.0] * 6  # filler k holds k in every tract
    assert len(table) == 6


def test_asking_for_more_than_50_at_once_is_what_the_api_refuses(portal):
    names = ",".join(["NAME"] + [f"B99{k:03d}_001E" for k in range(1, 31)] * 2)
    with PortalClient("the test API", FAST) as client, pytest.raises(PortalError,
                                                                     match="more than 50"):
        client.get_json(f"{portal.url}/data/2023/acs/acs5", {"get": names, "for": "tract:*"},
                        what="too many")


def test_an_unknown_variable_gets_the_apis_reason(portal):
    with pytest.raises(PortalError, match="unknown variable 'B00000_001E'"):
        fetch(query(portal, {"nothing": "B00000_001"}))


@pytest.mark.parametrize("fault", ["rate_limit", "server_error", "drop", "truncated_json"])
def test_a_passing_fault_still_gives_every_tract(portal, fault):
    portal.fail("census", "page", fault, value=0.05)
    assert len(fetch(query(portal)).table) == 6


def test_the_key_is_sent_as_the_api_asks_but_never_shown():
    key = "census-KEY-0123456789"
    with PortalServer(census_key=key) as portal:
        assert len(fetch(query(portal), params={"key": key}, secrets=[key]).table) == 6
        assert portal.requests_to("census")[0].params["key"] == key
        with pytest.raises(PortalError) as raised:
            fetch(query(portal), params={"key": key + "-wrong"}, secrets=[key + "-wrong"])
    assert "Invalid Key" in str(raised.value) and key not in str(raised.value)


def test_districts_add_up_their_tracts_with_combined_margins(portal):
    by_tract = fetch(query(portal)).table
    result = district_demographics(by_tract, query(portal), WARDS, NAMES, SHARES)
    ward = result.table.set_index("district_id")
    # Ward 1 = tracts 000100 + 000200: population 4,000 + 3,000, MOE √(300² + 400²) = 500
    assert (ward.loc["W1", "population"], ward.loc["W1", "population_moe"]) == (7000.0, 500.0)
    # households 1,500 + 1,200 = 2,700, MOE √(80² + 90²) = √14,500
    assert ward.loc["W1", "households_moe"] == pytest.approx(math.sqrt(14_500))
    # renters 600 + 300 = 900 of 2,700: a third; MOE √(√6,100² − (1/3)² × 14,500) / 2,700
    assert ward.loc["W1", "share_renters"] == pytest.approx(1 / 3)
    assert ward.loc["W1", "share_renters_moe"] == pytest.approx(
        math.sqrt(6_100 - 14_500 / 9) / 2_700)
    # Ward 3: the controlled margin of tract 000600 counts as 0, so the MOE is 150 alone
    assert ward.loc["W3", "population_moe"] == 150.0
    # ... and its renters are unknown, because one tract's estimate is: no silent gap
    assert math.isnan(ward.loc["W3", "renter_households"])
    assert math.isnan(ward.loc["W3", "share_renters"])
    assert ward["district"].tolist() == ["Ward 1", "Ward 2", "Ward 3"]
    assert ward["areas"].tolist() == [2, 2, 2]


def test_an_area_that_was_not_downloaded_is_an_error(portal):
    by_tract = fetch(query(portal)).table
    with pytest.raises(PortalError, match='District W1 lists the area "009900"'):
        district_demographics(by_tract, query(portal), {"W1": ["009900"]}, NAMES)


def test_the_attribution_is_shown_with_the_table(portal):
    by_tract = fetch(query(portal)).table
    result = district_demographics(by_tract, query(portal), WARDS, NAMES)
    assert ATTRIBUTION in repr(result) and ATTRIBUTION in result._repr_html_()
    assert "90% confidence" in result.caption
    assert result.description == ("U.S. Census Bureau, ACS 5-year estimates 2019-2023, tracts "
                                  "in state 17 county 031")


def test_combine_moe_is_the_root_of_the_sum_of_squares():
    assert combine_moe([5]) == 5.0
    assert combine_moe([6, 8]) == 10.0
    assert combine_moe([]) == 0.0
    assert combine_moe(pd.Series([3.0, 4.0, 12.0])) == 13.0  # √(9 + 16 + 144)


def test_proportion_moe_falls_back_to_the_ratio_formula_when_the_root_would_be_negative():
    # p = 0.9, MOE_part 10, MOE_whole 100: 100 − 0.81 × 10,000 < 0, so √(100 + 8,100) / 1,000
    assert proportion_moe(900, 1000, 10, 100) == pytest.approx(math.sqrt(8_200) / 1000)
    assert math.isnan(proportion_moe(1, 0, 1, 1))


def test_acs_values_only_blank_the_special_values():
    values = acs_values(["-1", "0", "-999999999", "abc", "-888888888"])
    assert values.tolist()[:2] == [-1.0, 0.0]
    assert values.isna().tolist() == [False, False, True, True, True]
