"""Page 3.3's figures and sentences on Fairfield (tests/equity_fixtures.py), worked by hand.

Rates (one year of data): Amber 20 / 1,000 × 1,000 = 20 per 1,000 a year; Birch 30 / 2,000
× 1,000 = 15; Cedar 10 / 1,000 × 1,000 = 10. On time: Amber 8/20 = 40%, Birch 20/30 = 67%,
Cedar 10/10 = 100%. Median days (Kaplan–Meier, nothing open): Amber 8 (12 of 20 waited 8
days, so fewer than half closed in 2), Birch 2 (20 of 30 closed in 2), Cedar 2.

Split by low income: Amber (40%) is the half with the most, Birch (10%) the half with the
fewest; Cedar (20%) is the middle of three and in neither.

* Rate ratio Amber/Birch = 20 / 15 = 1.3333; Poisson log SE = √(1/20 + 1/30) = √0.083333 =
  0.288675; × 1.959964 = 0.565794; e^0.565794 = 1.76077; interval 1.3333 / 1.76077 = 0.757 to
  1.3333 × 1.76077 = 2.348: "1.33 times the rate (95% interval 0.76 to 2.35)", includes 1.
* On-time ratio = 0.4 / 0.6667 = 0.60; Katz SE = √(1/8 − 1/20 + 1/20 − 1/30) = √0.091667 =
  0.302765; × 1.959964 = 0.593408; e^0.593408 = 1.81012; interval 0.60 / 1.81012 = 0.331 to
  0.60 × 1.81012 = 1.086: "0.60 times as often (95% interval 0.33 to 1.09)", includes 1.
* Amber against the rest of the city: 20 of 1,000 residents against (30 + 10) = 40 of 3,000,
  13.33: ratio 1.50; SE √(1/20 + 1/40) = √0.075 = 0.273861; × 1.959964 = 0.536758; e^ =
  1.710480; interval 1.50 / 1.71048 = 0.88 to 1.50 × 1.71048 = 2.57.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from equity_fixtures import DISTRICTS, equity_data, equity_requests

from cda_lib.metrics.ratios import rate_ratio, share_ratio
from cda_lib.sources.census import DistrictDemographics
from cda_lib.synth.districts import grid_boundaries
from cda_lib.themes.empower.equity import (
    channel_mix,
    compare_groups,
    district_ratios,
    equity_table,
    readable_equity,
    split_districts,
    with_demographics,
)
from cda_lib.themes.empower.page import equity_page

AS_OF = "2025-12-31 23:59:59"
STANDARDS = {"POTHOLE": 5}


@pytest.fixture(scope="module")
def table():
    return equity_table(equity_requests(), DISTRICTS, STANDARDS, as_of=AS_OF)


def test_rates_medians_and_on_time_by_district(table):
    rows = table.set_index("district")
    assert rows["per_1000_a_year"].round(6).to_dict() == {"Amber": 20.0, "Birch": 15.0,
                                                          "Cedar": 10.0}
    assert rows["median_days"].to_dict() == {"Amber": 8.0, "Birch": 2.0, "Cedar": 2.0}
    assert rows["on_time_share"].round(4).to_dict() == {"Amber": 0.4, "Birch": 0.6667,
                                                        "Cedar": 1.0}


def test_the_split_leaves_the_middle_district_out(table):
    assert split_districts(table, "share_low_income") == (["Amber"], ["Birch"])


def test_the_comparison_and_its_intervals(table):
    comparison = compare_groups(equity_requests(), table, STANDARDS, as_of=AS_OF)
    assert comparison.rate_ratio.value == pytest.approx(4 / 3)
    assert comparison.rate_ratio.low == pytest.approx(0.7572, abs=1e-3)
    assert comparison.rate_ratio.high == pytest.approx(2.3477, abs=1e-3)
    assert comparison.on_time_ratio.value == pytest.approx(0.6)
    assert comparison.on_time_ratio.low == pytest.approx(0.3315, abs=1e-3)
    assert comparison.on_time_ratio.high == pytest.approx(1.0861, abs=1e-3)
    assert not comparison.on_time_ratio.clear and not comparison.rate_ratio.clear
    said = str(comparison.sentences())
    assert ("The 1 district with the most low-income households (Amber) is set against the 1 "
            "with the fewest (Birch), over the same period and the same request types (1 request "
            "type).") in said
    assert ("Requests were closed more slowly in the districts with more low-income households: "
            "half within 8.0 days, against 2.0 days in the others.") in said
    assert ("40% of their requests were closed on time, against 67%: 0.60 times as often (95% "
            "interval 0.33 to 1.09). The interval includes 1: the data cannot tell this "
            "difference from chance.") in said
    assert ("They made 20 requests per 1,000 residents a year, against 15: 1.33 times the rate "
            "(95% interval 0.76 to 2.35).") in said
    assert "they do not say what causes it" in said
    assert "because" not in said


def test_a_clear_difference_says_so():
    # 400 of 1,000 against 800 of 1,000: ratio 0.5; SE √(1/400 − 1/1000 + 1/800 − 1/1000)
    # = √0.00175 = 0.041833; e^(1.959964 × 0.041833) = 1.08538: 0.46 to 0.54, leaves out 1.
    ratio = share_ratio(400, 1000, 800, 1000)
    assert (round(ratio.low, 2), round(ratio.high, 2), ratio.clear) == (0.46, 0.54, True)
    assert rate_ratio(0, 1.0, 3, 1.0).value is None


def test_each_district_against_the_rest_of_the_city(table):
    ratios = district_ratios(table, 1.0)
    amber = ratios[0]
    assert (round(amber.value, 2), round(amber.low, 2), round(amber.high, 2)) == (1.5, 0.88, 2.57)
    readable = str(readable_equity(table, ratios, synthetic=False))
    assert "1.50 (0.88 to 2.57)" in readable and "Amber" in readable.splitlines()[2]
    assert "synthetic" not in readable


def test_the_channel_mix(table):
    # Amber: 15 of 20 by phone (75%), 5 by web (25%); Birch 10 of 30 (33%) and 20 (67%).
    mix = str(channel_mix(equity_requests(), ["Amber", "Birch", "Cedar"]))
    assert "Amber" in mix and "75%" in mix and "33%" in mix and "67%" in mix


def test_missing_demographics_are_synthetic_and_labelled():
    bare = DISTRICTS[["district_id", "district", "population"]]
    filled, synthetic = with_demographics(bare, seed=3)
    again, _ = with_demographics(bare, seed=3)
    assert synthetic and filled["share_low_income"].tolist() == again["share_low_income"].tolist()
    assert not with_demographics(DISTRICTS, seed=3)[1]
    table = equity_table(equity_requests(), filled, STANDARDS, as_of=AS_OF)
    assert "synthetic" in str(readable_equity(table, district_ratios(table, 1.0), synthetic=True))


def test_generated_boundaries_tile_the_box():
    shapes = grid_boundaries(["Amber", "Birch", "Cedar"], seed=1)
    # 3 districts: 2 columns, 2 rows of 0.5 × 0.5 squares
    areas = {name: (max(x for x, _y in ring) - min(x for x, _y in ring))
             * (max(y for _x, y in ring) - min(y for _x, y in ring))
             for name, (ring,) in shapes.items()}
    assert areas == {"Amber": 0.25, "Birch": 0.25, "Cedar": 0.25}


def test_the_page_on_the_fixture_city():
    page = equity_page(equity_data())
    assert not page.synthetic_demographics
    assert page.years == 1.0
    assert list(page.record().columns) == ["district", "share_low_income", "per_1000_a_year",
                                           "median_days", "on_time_share"]


def census_table(amber_moe: float = 0.05, birch_moe: float = 0.03) -> pd.DataFrame:
    """Census shares of low-income households for Fairfield, with margins (90%)."""
    return pd.DataFrame({"district_id": ["A", "B", "C"], "district": ["Amber", "Birch", "Cedar"],
                         "share_low_income": [0.38, 0.12, 0.21],
                         "share_low_income_moe": [amber_moe, birch_moe, 0.04]})


def test_census_shares_replace_the_city_files_with_their_margins():
    districts, synthetic = with_demographics(DISTRICTS, seed=3, census=census_table())
    assert not synthetic
    assert districts["share_low_income"].tolist() == [0.38, 0.12, 0.21]
    assert districts["share_renters"].tolist() == [0.60, 0.20, 0.40]  # the Census gave none
    table = equity_table(equity_requests(), districts, STANDARDS, as_of=AS_OF)
    readable = str(readable_equity(table, district_ratios(table, 1.0), synthetic=False))
    assert "38% ± 5" in readable and "12% ± 3" in readable and "21% ± 4" in readable
    assert "60% ±" not in readable and "Census ACS" in readable and "90%" in readable


def test_margins_that_keep_the_groups_apart_are_said_so():
    # Amber (the half with most) 38% − 5 = 33% stays above Birch's 12% + 3 = 15%.
    districts, _ = with_demographics(DISTRICTS, seed=3, census=census_table())
    table = equity_table(equity_requests(), districts, STANDARDS, as_of=AS_OF)
    comparison = compare_groups(equity_requests(), table, STANDARDS, as_of=AS_OF)
    assert comparison.edge_higher == ("Amber", 0.38, 0.05)
    assert comparison.edge_lower == ("Birch", 0.12, 0.03)
    assert comparison.groups_overlap is False
    assert ("they do not overlap here: even Amber (38% ± 5 points) has more low-income "
            "households than Birch (12% ± 3 points)") in str(comparison.sentences())


def test_margins_that_overlap_weaken_the_split():
    # Amber 38% − 15 = 23% falls below Birch's 12% + 12 = 24%: the split is not firm.
    districts, _ = with_demographics(DISTRICTS, seed=3,
                                     census=census_table(amber_moe=0.15, birch_moe=0.12))
    table = equity_table(equity_requests(), districts, STANDARDS, as_of=AS_OF)
    comparison = compare_groups(equity_requests(), table, STANDARDS, as_of=AS_OF)
    assert comparison.groups_overlap is True
    said = str(comparison.sentences())
    assert ("Amber (38% ± 15 points) may have no more low-income households than Birch "
            "(12% ± 12 points)") in said
    assert said.index("may have no more") < said.index("do not say what causes it")


def test_city_file_shares_have_no_margins_to_weigh(table):
    comparison = compare_groups(equity_requests(), table, STANDARDS, as_of=AS_OF)
    assert comparison.groups_overlap is None and comparison.margin_sentence() is None
    assert "±" not in str(readable_equity(table, district_ratios(table, 1.0), synthetic=False))


def test_the_page_uses_the_census_connector_when_the_city_has_one():
    data = dataclasses.replace(equity_data(), demographics=DistrictDemographics(
        census_table(), by_area=pd.DataFrame(), description="ACS 2023 5-year estimates"))
    page = equity_page(data)
    assert page.table.set_index("district").at["Amber", "share_low_income_moe"] == 0.05
    assert "38% ± 5" in str(page.readable())
