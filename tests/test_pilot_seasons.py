"""Tests of cda_lib.themes.lead.pilot_seasons: the before/after trap and the seasons chart.

Pilotville (tests/lead_fixtures.py) has identical weeks within each period, and the small
tables below are counted by hand; the comment beside each expected number says how.
"""

from __future__ import annotations

import pandas as pd
import pytest
from lead_fixtures import pilot_data, weeks

from cda_lib.charts.style import ChartContext
from cda_lib.core.errors import ChartDataError
from cda_lib.metrics.evaluation import EvaluationError
from cda_lib.themes.lead import pilot_evaluation as pe, pilot_seasons as seasons

CONTEXT = ChartContext("Pilotville", synthetic=True, source_note="Source: test rows")


@pytest.fixture(scope="module")
def clear():
    """South 5 -> 8 of 10 on time, comparison 12 -> 13 of 20: +30 and +5 points, DiD +25."""
    return pilot_data(weeks(5, 8), weeks(12, 13))


def test_before_after_volume_counts_each_group_in_each_window(clear):
    plan = pe.evaluation_plan(clear)
    change = seasons.before_after_volume(clear.requests, plan, weeks=4)
    # Four Wednesdays each side: 10 South and 20 comparison requests each.
    assert change.table[["before", "after"]].to_dict("index") == {
        "South": {"before": 40, "after": 40}, "Comparison districts": {"before": 80, "after": 80}}
    assert "year_before" not in change.table.columns  # the data starts in December 2024
    assert "stayed the same" in change.summary()


def test_before_after_volume_in_words_and_a_year_earlier():
    requests = pd.DataFrame({
        "service_code": ["POTHOLE"] * 12,
        "district": ["N", "S", "S", "S", "S", "N", "N", "N", None, "S", "N", "S"],
        "requested_datetime": pd.to_datetime([
            "2024-03-01", "2024-04-03", "2025-03-26", "2025-03-27", "2025-04-02",
            "2025-03-26", "2025-04-02", "2025-04-03", "2025-04-04", "2025-04-10",
            "2025-04-20", "2025-04-01"])})
    plan = pe.EvaluationPlan("S", "POTHOLE", "Pothole", pd.Timestamp("2025-04-01"))
    change = seasons.before_after_volume(requests, plan, weeks=2)
    table = change.table
    # S: 2 in the two weeks before (18-31 March), 3 after (1-14 April: the 1st at midnight,
    # when the change starts, the 2nd and the 10th),
    # 1 a year earlier (3 April 2024, inside 2-15 April 2024); N: 1 before, 2 after (its 1
    # March 2024 and 20 April 2025 requests are outside every window); the request with no
    # district counts in neither group.
    assert table.loc["S", ["before", "after", "year_before"]].tolist() == [2, 3, 1]
    assert table.loc["Comparison districts", ["before", "after", "year_before"]].tolist() == \
        [1, 2, 0]
    assert table.loc["Comparison districts", "change"] == pytest.approx(1.0)  # 2 / 1 - 1
    assert pd.isna(table.loc["Comparison districts", "change_on_year"])  # none a year earlier
    text = change.summary()
    assert "Pothole requests in S rose 50%" in text and "they rose 100%" in text  # 3/2, 2/1
    assert "S was +200%" in text  # 3 against 1 a year earlier
    assert "13 weeks" not in str(change) and "2 weeks before" in str(change)


def test_before_after_volume_refuses_windows_outside_the_data(clear):
    with pytest.raises(EvaluationError, match="do not fit inside the data"):
        seasons.before_after_volume(clear.requests, pe.evaluation_plan(clear), weeks=30)
    with pytest.raises(EvaluationError, match="whole number"):
        seasons.before_after_volume(clear.requests, pe.evaluation_plan(clear), weeks=0)


def seasonal(opposite: bool) -> pd.DataFrame:
    """Treated gets 1, 2, 3, 2 requests in January to April 2025; comparison the same or
    the opposite (3, 2, 1, 2). Both months at the edges are whole."""
    rows = []
    counts = {"T": [1, 2, 3, 2], "C": [3, 2, 1, 2] if opposite else [2, 4, 6, 4]}
    for district, per_month in counts.items():
        for month, count in enumerate(per_month, start=1):
            for day in range(count):
                rows.append({"service_code": "POTHOLE", "district": district,
                             "requested_datetime": pd.Timestamp(2025, month, 1 + day)})
    rows.append({"service_code": "POTHOLE", "district": "C",
                 "requested_datetime": pd.Timestamp("2025-04-30 18:00")})
    return pd.DataFrame(rows)


def test_the_monthly_index_puts_both_groups_on_one_scale():
    plan = pe.EvaluationPlan("T", "POTHOLE", "Pothole", pd.Timestamp("2025-03-01"))
    table = seasons.monthly_index(seasonal(opposite=False), plan)
    # Treated averages 2 a month: 1, 2, 3, 2 are 50, 100, 150, 100; the comparison (2, 4,
    # 6, 5 with the extra April request) averages 4.25.
    assert table["treated_index"].tolist() == [50.0, 100.0, 150.0, 100.0]
    assert table["comparison"].tolist() == [2, 4, 6, 5]
    assert table["comparison_index"].round(2).tolist() == [47.06, 94.12, 141.18, 117.65]


def test_the_monthly_index_leaves_out_half_covered_months():
    requests = seasonal(opposite=False)
    requests.loc[len(requests)] = {"service_code": "POTHOLE", "district": "T",
                                   "requested_datetime": pd.Timestamp("2025-05-10")}
    plan = pe.EvaluationPlan("T", "POTHOLE", "Pothole", pd.Timestamp("2025-03-01"))
    assert [str(m) for m in seasons.monthly_index(requests, plan).index] == \
        ["2025-01", "2025-02", "2025-03", "2025-04"]  # May ends on the 10th: left out


@pytest.mark.parametrize(("opposite", "words"), [
    (False, "rise and fall with the seasons in T and in the comparison districts alike"),
    (True, "do not follow the comparison districts' months")])
def test_the_seasons_chart_says_whether_the_groups_move_together(opposite, words):
    plan = pe.EvaluationPlan("T", "POTHOLE", "Pothole", pd.Timestamp("2025-03-01"))
    chart = seasons.plot_seasons(seasonal(opposite), plan, context=CONTEXT)
    assert words in chart.title
    assert chart.alt_text.startswith("Synthetic data.") and "Correlation" in chart.alt_text


def test_the_seasons_chart_needs_three_whole_months():
    requests = seasonal(opposite=False)
    requests = requests[requests["requested_datetime"] < "2025-03-01"]
    plan = pe.EvaluationPlan("T", "POTHOLE", "Pothole", pd.Timestamp("2025-02-01"))
    with pytest.raises(ChartDataError, match="fewer than three whole months"):
        seasons.plot_seasons(requests, plan, context=CONTEXT)
