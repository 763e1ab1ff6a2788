"""Tests of cda_lib.themes.lead.target_setter: the plan's logic by hand, and the widget
without a browser.

The widget is driven the way a browser would drive it: setting a control's value fires
its observers, and ``Button.click()`` fires the click handlers.
"""

from __future__ import annotations

import pandas as pd
import pytest
from tallyville_fixtures import tallyville_data

from cda_lib.core.workspace import Workspace
from cda_lib.metrics.targets import read_targets
from cda_lib.themes.lead.metric_series import MetricHistory
from cda_lib.themes.lead.target_setter import TargetSetter, TargetSetterError, plan_target

MONTHS = [str(p) for p in pd.period_range("2025-01", periods=12, freq="M")]


def history(values, kpi_name="on_time_share", frequency="month", index=None) -> MetricHistory:
    index = index or MONTHS[:len(values)]
    return MetricHistory(kpi_name, frequency, pd.Series(values, index=index, dtype=float),
                         pd.Series([100] * len(values), index=index))


@pytest.fixture(scope="module")
def tallyville():
    return tallyville_data()


@pytest.fixture
def setter(tallyville, tmp_path):
    return TargetSetter(tallyville, workspace=Workspace("tallyville", folder=tmp_path))


def test_a_plan_by_hand_baseline_target_trajectory_and_natural_limits():
    # Twelve months alternating 60% and 62%: median 61%. 10% better: 67.1%, due in 12
    # months after December 2025, so from 2026-01 (61%) to 2026-12 (67.1%) in 11 steps of
    # 0.555 points. XmR limits: mean 61%, every moving range 2 points → sigma 2 / 1.128 =
    # 1.773 points → 61% ± 5.32 = 55.7% to 66.3%: 67.1% is beyond them.
    plan = plan_target(history([0.60, 0.62] * 6), improvement=0.1, months=12,
                       owner=" Public Works ")
    assert plan.baseline.value == pytest.approx(0.61)
    assert plan.target.target == pytest.approx(0.671)
    assert (plan.target.start, plan.target.due) == ("2026-01", "2026-12")
    assert plan.target.owner == "Public Works" and plan.target.kpi == "on_time_share"
    assert plan.trajectory["expected"].iloc[0] == pytest.approx(0.61)
    assert plan.step == pytest.approx(0.061 / 11)
    assert plan.range_basis == "natural limits"
    assert plan.usual_range == pytest.approx((0.61 - 3 * 0.02 / 1.128, 0.61 + 3 * 0.02 / 1.128))
    assert plan.beyond_usual and "needs a real change" in plan.verdict()
    # 5% better: 64.05%, inside the limits: one good month proves nothing
    modest = plan_target(history([0.60, 0.62] * 6), improvement=0.05)
    assert not modest.beyond_usual and "proves nothing" in modest.verdict()


def test_data_that_stopped_long_ago_is_planned_from_the_extract():
    # 2025's months, extracted in March 2027: the trajectory starts in April 2027, not in
    # January 2026, so the target is not due in the past.
    stale = MetricHistory("on_time_share", "month", pd.Series([0.6] * 12, index=MONTHS),
                          pd.Series([100] * 12, index=MONTHS),
                          as_of=pd.Timestamp("2027-03-10"))
    plan = plan_target(stale, improvement=0.1, months=12)
    assert (plan.target.start, plan.target.due) == ("2027-04", "2028-03")


def test_lower_is_better_metrics_aim_down():
    # Median days 10 every month; 20% better is 8 days: 2 days in 11 steps.
    plan = plan_target(history([10.0] * 12, kpi_name="median_days"), improvement=0.2)
    assert plan.target.target == pytest.approx(8.0) and plan.target.direction == \
        "lower_is_better"
    assert plan.gap == pytest.approx(-2.0) and plan.step == pytest.approx(-2 / 11)
    # The gap in tenths of a day like every gap (text.numbers.DIFFERENCE_DECIMALS), the step
    # a month in hundredths: 2 / 11 = 0.18.
    assert "The gap: 2.0 days in 11 months, about 0.18 days each month." in plan.lines()


def test_a_short_history_is_checked_against_its_range_instead_of_limits():
    quarters = ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    plan = plan_target(history([0.5, 0.7, 0.6, 0.6], frequency="quarter", index=quarters),
                       improvement=0.1, months=12)
    # 4 quarters: median 0.6, range 0.5 to 0.7; 0.66 lies within; due 4 quarters later
    assert plan.range_basis == "range" and plan.usual_range == (0.5, 0.7)
    assert (plan.target.start, plan.target.due) == ("2026Q1", "2026Q4")
    assert "within the range of the last 4 quarters (50% to 70%)" in plan.verdict()


@pytest.mark.parametrize(("make", "words"), [
    # 95% x 1.1 = 104.5%, which rounds half up to 105% (the float 0.95 * 1.1 is a hair
    # below 1.045, which Python's own formatting wrote as 104%).
    (lambda: plan_target(history([0.95] * 12), improvement=0.1),
     "would be 105%, and a share cannot pass 100%. The most this metric can improve is 5%"),
    (lambda: plan_target(history([100.0] * 12, kpi_name="requests")), "measures demand"),
    (lambda: plan_target(history([0.5] * 12), improvement=1.2), "between 0 and 1"),
    (lambda: plan_target(history([0.5] * 12), months=1), "at least 2 months"),
    (lambda: plan_target(history([0.5, None]), improvement=0.1), "no baseline"),
])
def test_impossible_plans_say_what_to_change(make, words):
    with pytest.raises(TargetSetterError, match=words):
        make()


def test_the_setter_plans_from_the_citys_data(setter):
    assert "Reopen rate" not in setter.metrics  # Tallyville does not record reopens
    assert setter.districts == ["North", "South"]
    assert setter.request_types[0] == ("Noise complaint", "NOISE")  # 504 requests
    plan = setter.plan()
    # Citywide on-time share: the median of 2025's months is (30/39 + 38/49) / 2 (see
    # test_exercises_lead_targets for the twelve values)
    assert plan.baseline.value == pytest.approx((30 / 39 + 38 / 49) / 2)


def test_months_too_small_fall_back_to_quarters(setter):
    # Potholes: 11 a month (too few), but 2025's quarters have 44, 33, 33, 33 requests,
    # each with 9 in 11 on time (2 late a month, 4 in March): baseline 9/11; 10% better
    # is 0.9 exactly.
    plan = setter.plan("on_time_share", service_code="POTHOLE")
    assert plan.history.frequency == "quarter"
    assert plan.baseline.value == pytest.approx(9 / 11)
    assert plan.target.target == pytest.approx(0.9)
    assert "set by quarter" in plan.history.notes[0]
    # Sidewalks in North: 15 to 18 a quarter, too few either way
    with pytest.raises(TargetSetterError, match="Quarters do not help either"):
        setter.plan("on_time_share", district="North", service_code="SIDEWALK")


def test_recording_saves_the_target_and_replaces_the_same_metric_and_place(setter):
    setter.record(setter.plan(improvement=0.1))
    setter.record(setter.plan(improvement=0.05, owner="311 director"))
    saved = read_targets(setter.workspace)
    assert len(saved) == 1 and saved[0].owner == "311 director"
    assert saved[0].target == pytest.approx((30 / 39 + 38 / 49) / 2 * 1.05)
    setter.record(setter.plan("on_time_share", service_code="POTHOLE"))
    assert len(read_targets(setter.workspace)) == 2
    assert setter.workspace.records().set_index("key").loc["targets", "module"] == "1.3"


def test_the_widget_updates_its_plan_and_records_on_click(setter):
    box = setter.widget()
    assert "77%" in box.summary.value and "<img" in box.chart.value  # citywide baseline
    # a Dropdown whose value is None shows nothing chosen: these read what they mean
    assert (box.district.label, box.service.label) == ("Citywide", "All request types")
    box.service.value = "POTHOLE"
    assert "set by quarter" in box.summary.value
    box.district.value, box.service.value = "North", "SIDEWALK"
    assert box.plan is None and box.record_button.disabled
    assert "No target yet" in box.summary.value and box.chart.value == ""
    box.service.label = "All request types"
    box.district.label = "Citywide"
    box.improvement.value = 0.15
    box.owner.value = "Chief of staff"
    assert not box.record_button.disabled
    box.record_button.click()
    assert "Recorded." in box.status.value
    saved = read_targets(setter.workspace)
    assert [t.owner for t in saved] == ["Chief of staff"]
    assert saved[0].target == pytest.approx((30 / 39 + 38 / 49) / 2 * 1.15)


def test_looking_back_sets_a_target_a_year_before_the_data_ends(setter):
    from cda_lib.charts.style import ChartContext
    from cda_lib.themes.lead.charts import plot_backtest
    from cda_lib.themes.lead.target_setter import backtest

    history = setter.history("on_time_share")
    looked = backtest(history, improvement=0.05)
    # 2024's months are all 26/35 on time except March (34/45): median 26/35; 5% better is
    # 0.78 by December 2025, when the actual was 26/32 = 0.8125: ahead.
    assert looked.target.baseline == pytest.approx(26 / 35)
    assert looked.target.target == pytest.approx(26 / 35 * 1.05)
    assert (looked.target.start, looked.target.due) == ("2025-01", "2025-12")
    assert looked.gaps["status"].iloc[-1] == "ahead"
    assert looked.summary().startswith("In December 2025, On-time share was 81%")
    chart = plot_backtest(looked, context=ChartContext("Tallyville", synthetic=False))
    assert chart.title == "On-time share is ahead of its trajectory in December 2025"


def test_looking_back_needs_two_years_and_says_so():
    from cda_lib.themes.lead.charts import Note, plot_backtest
    from cda_lib.themes.lead.target_setter import backtest

    short = backtest(history([0.6] * 12))
    assert short.target is None and "needs two years of months" in short.summary()
    assert isinstance(plot_backtest(short, context=None), Note)
    assert "This data has 12 months." in repr(plot_backtest(short, context=None))


def test_a_page_made_without_jupyterlab_shows_the_setter_s_plan_and_chart(setter):
    bundle = setter.widget()._repr_mimebundle_()
    assert "77%" in bundle["text/html"] and "<img" in bundle["text/html"]
    assert "Widget(children=" not in bundle["text/html"] + bundle["text/plain"]
