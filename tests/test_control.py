"""Tests of the control charts and run rules (cda_lib.metrics.control).

Limits are worked out by hand in the comments (XmR: mean +/- 3 x average moving range /
1.128; p-chart: p +/- 3 sqrt(p(1 - p)/n)); each run rule is checked on a sequence that
just breaks it and one that just does not.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from cda_lib.metrics import control

STABLE = [5.0, 6, 5, 7, 6, 5, 6, 7, 5, 6, 6, 5]


def test_xmr_limits_by_hand():
    chart = control.xmr_chart(pd.Series(STABLE))
    # mean = 69 / 12 = 5.75; moving ranges 1,1,2,1,1,1,1,2,1,0,1 sum to 12 over 11 pairs
    average_range = 12 / 11
    sigma = average_range / 1.128
    row = chart.table.iloc[0]
    assert row["center"] == pytest.approx(5.75)
    assert row["sigma"] == pytest.approx(sigma)
    assert row["upper"] == pytest.approx(5.75 + 3 * sigma)  # 8.651
    assert row["lower"] == pytest.approx(5.75 - 3 * sigma)  # 2.849
    assert row["moving_range_upper"] == pytest.approx(3.268 * average_range)
    assert not chart.table["signal"].any()
    assert chart.summary().startswith("No signals in the metric: the ups and downs are the "
                                      "usual variation around 5.8.")


def test_a_point_after_the_baseline_is_judged_against_the_baseline_limits():
    values = pd.Series(STABLE + [9.0], index=[f"2025-{m:02d}" for m in range(1, 13)]
                       + ["2026-01"])
    chart = control.xmr_chart(values, baseline=12, metric="Median days to close")
    # 9.0 is above the baseline's upper limit of 8.65 (computed above)
    assert chart.table["signal"].tolist() == [False] * 12 + [True]
    assert chart.table["rules"].iloc[-1] == "beyond_limits"
    assert not chart.table["baseline"].iloc[-1]
    assert chart.summary().startswith("1 signal of real change in Median days to close: "
                                      "January 2026 (9.0) is above the upper limit (8.7)")
    # With the new point in the baseline the limits widen and swallow it: that is why
    # the baseline should end before the change being judged.
    assert not control.xmr_chart(values).table["signal"].iloc[-1]


def test_p_chart_limits_follow_each_periods_count():
    # 6 months of 100 requests and 6 of 25, all 80% on time: p = 0.8.
    # n = 100: sigma = sqrt(0.8 * 0.2 / 100) = 0.04, limits 0.68 to 0.92.
    # n = 25: sigma = 0.08, limits 0.56 to 1.04, capped at 1.
    # Then a month of 100 at 60%: below 0.68, a signal.
    totals = pd.Series([100] * 6 + [25] * 6 + [100])
    successes = pd.Series([80] * 6 + [20] * 6 + [60])
    chart = control.p_chart(successes, totals, baseline=12, metric="On-time share")
    table = chart.table
    assert chart.center == pytest.approx(0.8)
    assert table["lower"].iloc[0] == pytest.approx(0.68)
    assert table["upper"].iloc[0] == pytest.approx(0.92)
    assert table["lower"].iloc[6] == pytest.approx(0.56)
    assert table["upper"].iloc[6] == 1.0
    assert table["signal"].tolist() == [False] * 12 + [True]
    assert "12 (60.0%) is below the lower limit (68.0%)" in chart.summary()


def test_laney_widens_limits_for_huge_counts_that_vary_more_than_chance():
    # 10,000 requests a week, share alternating 78% and 82%: sigma = sqrt(.16/10000) = 0.004,
    # so each point is 5 sigmas out and a plain p-chart flags every week.
    totals = pd.Series([10_000] * 12)
    successes = pd.Series([7_800, 8_200] * 6)
    plain = control.p_chart(successes, totals)
    assert plain.table["signal"].all()
    # Laney: z alternates -5, +5, moving range 10, sigma_z = 10 / 1.128 = 8.87:
    # limits widen to 0.8 +/- 3 * 0.004 * 8.87 = +/- 0.106, and nothing is flagged.
    laney = control.p_chart(successes, totals, laney=True)
    assert laney.dispersion == pytest.approx(10 / 1.128)
    assert laney.table["upper"].iloc[0] == pytest.approx(0.8 + 3 * 0.004 * 10 / 1.128)
    assert not laney.table["signal"].any()
    assert laney.kind == "p' (Laney)"


def zones(values) -> pd.Series:
    return pd.Series(values, dtype=float)


@pytest.mark.parametrize("rule, breaks, holds", [
    # two of three beyond 2 sigma on one side; the flagged point is the second one out
    ("two_of_three", [0.5, 2.5, 0.1, 2.2], [0.5, 2.5, 0.1, 0.2, 2.2]),
    # four of five beyond 1 sigma on one side
    ("four_of_five", [1.5, 1.2, 0.3, 1.1, 1.4], [1.5, 1.2, 0.3, 0.2, 1.4]),
    # eight in a row on one side (seven do not count)
    ("run_of_eight", [0.1] * 8, [0.1] * 7 + [-0.1] + [0.1] * 7),
    # beyond three sigma
    ("beyond_limits", [0.0, -3.1], [0.0, -3.0]),
    # one point far out on each side does not add up to two of three
    ("two_of_three", [2.5, 0.1, 2.5], [-2.5, 2.5, 0.1]),
])
def test_each_rule_breaks_exactly_at_its_threshold(rule, breaks, holds):
    flagged = control.detect_signals(zones(breaks), rules=[rule])[rule]
    assert flagged.tolist() == [False] * (len(breaks) - 1) + [True]
    assert not control.detect_signals(zones(holds), rules=[rule])[rule].any()


def test_a_run_of_eight_flags_the_eighth_point_and_every_one_after():
    flagged = control.detect_signals(zones([0.1] * 10), rules=["run_of_eight"])
    assert flagged["run_of_eight"].tolist() == [False] * 7 + [True] * 3


def test_six_rising_points_are_a_trend_five_are_not():
    rising = control.detect_signals(zones([1, 2, 3, 4, 5, 6]), rules=["trend_of_six"])
    assert rising["trend_of_six"].tolist() == [False] * 5 + [True]
    five = control.detect_signals(zones([1, 2, 3, 4, 5, 5]), rules=["trend_of_six"])
    assert not five["trend_of_six"].any()  # a level step breaks the trend


def test_the_trend_rule_uses_the_values_and_says_which_way():
    values = pd.Series(STABLE + [7.0, 6.8, 6.6, 6.4, 6.2, 6.0],
                       index=[f"W{i:02d}" for i in range(1, 19)])
    chart = control.xmr_chart(values, baseline=12, rules=["trend_of_six"])
    assert chart.table["signal"].tolist() == [False] * 17 + [True]
    assert "W18 (6.0) is the sixth point in a row going down" in chart.summary()


def test_missing_values_are_skipped_not_treated_as_zero():
    values = pd.Series(STABLE + [np.nan, 12.0])
    chart = control.xmr_chart(values, baseline=12)
    assert not chart.table["signal"].iloc[12]
    assert chart.table["signal"].iloc[13]


def test_summary_lists_three_signals_and_counts_the_rest():
    values = pd.Series(STABLE + [20.0] * 5, index=[f"P{i:02d}" for i in range(17)])
    summary = control.xmr_chart(values, baseline=12, rules=["beyond_limits"]).summary()
    assert summary.startswith("5 signals of real change")
    assert summary.count("is above the upper limit") == 3
    assert "and 2 more." in summary


@pytest.mark.parametrize("call, message", [
    (lambda: control.xmr_chart(pd.Series([1.0, 2, 3])), "has 3 points with values"),
    (lambda: control.xmr_chart(pd.Series(STABLE), baseline="all"), "number of periods"),
    (lambda: control.xmr_chart(pd.DataFrame({"a": STABLE})), "not a whole table"),
    (lambda: control.xmr_chart(pd.Series(STABLE, index=[0] * 12)), "same period twice"),
    (lambda: control.xmr_chart(pd.Series(STABLE), rules=["beyond_limit"]),
     'Did you mean "beyond_limits"?'),
    (lambda: control.p_chart(pd.Series([5] * 12), pd.Series([4] * 12)), "0 <= successes <= total"),
    (lambda: control.p_chart(pd.Series([4] * 12), pd.Series([4] * 12)), "share is 100%"),
    (lambda: control.p_chart(pd.Series([1] * 12), pd.Series([4] * 12, index=range(1, 13))),
     "different periods"),
])
def test_impossible_charts_get_clear_errors(call, message):
    with pytest.raises(control.ControlChartError, match=message):
        call()


def test_every_rule_has_a_source():
    for name, (_, full) in control.RULES.items():
        assert "Western Electric" in full or "Nelson" in full, name
    chart = control.xmr_chart(pd.Series(STABLE))
    assert len(chart.rule_descriptions()) == 5
    assert "Western Electric rule 1" in chart._repr_html_()


# --- properties -------------------------------------------------------------------------------
# derandomize: hypothesis tries the same examples on every run, so a test never fails by
# luck in CI; the examples still cover the edge cases hypothesis looks for.

# Whole numbers, so that changing units is exact arithmetic (no rounding can move a point
# from just above the centre line to exactly on it).
series_values = st.lists(st.integers(min_value=-1000, max_value=1000), min_size=12,
                         max_size=40)


@settings(max_examples=80, deadline=None, derandomize=True)
@given(series_values, st.integers(1, 100), st.integers(-1000, 1000))
def test_signals_do_not_change_with_the_unit_of_measure(values, scale, shift):
    # Days or hours, counts or thousands: an affine change of units moves the limits with
    # the data, so the same points are signals.
    original = control.xmr_chart(pd.Series(values, dtype=float)).table["signal"]
    rescaled = control.xmr_chart(pd.Series(values, dtype=float) * scale + shift)
    assert original.tolist() == rescaled.table["signal"].tolist()


@settings(max_examples=80, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(1, 500), st.floats(0.05, 0.95)), min_size=12,
                max_size=40))
def test_p_chart_limits_bracket_the_centre_and_stay_between_0_and_1(periods):
    totals = pd.Series([n for n, _ in periods])
    successes = pd.Series([math.floor(n * p) for n, p in periods])
    if successes.sum() in (0, totals.sum()):
        return
    table = control.p_chart(successes, totals).table
    assert (table["lower"] >= 0).all() and (table["upper"] <= 1).all()
    assert (table["lower"] <= table["center"]).all()
    assert (table["center"] <= table["upper"]).all()
    beyond = (table["value"] > table["upper"]) | (table["value"] < table["lower"])
    assert (table.loc[beyond, "signal"]).all()
