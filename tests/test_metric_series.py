"""Tests of cda_lib.themes.lead.metric_series: one KPI per period, and the control chart
that fits it."""

from __future__ import annotations

import pandas as pd
import pytest
from tallyville_fixtures import tallyville_data

from cda_lib.themes.lead import metric_series
from cda_lib.themes.lead.metric_series import MetricHistory, SeriesError


def monthly(counts: dict[str, tuple[int, int]], code: str = "NOISE") -> pd.DataFrame:
    """``counts``: month -> (closed in 1 day, closed in 5 days), opened on the 2nd."""
    parts = []
    for month, (fast, slow) in counts.items():
        opened = pd.Timestamp(f"{month}-02")
        days = [1] * fast + [5] * slow
        parts.append(pd.DataFrame({
            "service_code": code, "service_name": code.title(), "status": "closed",
            "requested_datetime": [opened] * len(days),
            "closed_datetime": [opened + pd.Timedelta(days=d) for d in days]}))
    return pd.concat(parts, ignore_index=True)


@pytest.fixture(scope="module")
def tallyville():
    return tallyville_data()


def test_a_history_keeps_the_periods_the_data_covers_and_that_are_over():
    table = monthly({"2025-01": (30, 10), "2025-02": (20, 20), "2025-03": (10, 5)})
    # Extracted on 20 March: March is not over, so it is left out (and said so).
    history = metric_series.metric_history(table, {"NOISE": 2}, as_of="2025-03-20")
    assert history.values.index.tolist() == ["2025-01", "2025-02"]
    assert history.values.tolist() == [0.75, 0.5]  # 30 of 40, 20 of 40 within 2 days
    assert history.successes.tolist() == [30, 20] and history.totals.tolist() == [40, 40]
    assert "2025-03" in history.notes[0] and "not over" in history.notes[0]
    assert history.label == "On-time share, all request types, citywide"
    by_name = metric_series.metric_history(table, {"NOISE": 2}, as_of="2025-03-20",
                                           service_code="Noise")
    assert by_name.label == "On-time share, Noise, citywide"
    assert by_name.service_code == "NOISE"  # chosen by name, recorded by code


def test_a_download_of_an_earlier_year_stops_at_its_latest_request():
    # Data of early 2025 extracted in 2026: the empty months after March are not a series.
    table = monthly({"2025-01": (30, 0), "2025-02": (30, 0), "2025-03": (30, 0)})
    history = metric_series.metric_history(table, None, as_of="2026-06-15",
                                           kpi_name="requests")
    assert history.values.tolist() == [30.0, 30.0, 30.0]
    assert history.notes == ()  # June 2026 is not over, but the data never reached it


def test_too_few_requests_and_lower_bounds_have_no_value_and_a_note():
    table = monthly({"2025-01": (30, 0), "2025-02": (5, 0)})
    open_ones = pd.DataFrame({"service_code": "NOISE", "service_name": "Noise",
                              "status": "open",
                              "requested_datetime": [pd.Timestamp("2025-03-02")] * 40,
                              "closed_datetime": pd.NaT})
    history = metric_series.metric_history(pd.concat([table, open_ones]), None,
                                           as_of="2025-03-31", kpi_name="median_days")
    # January: 30 closed in 1 day → 1.0; February: 5 requests, too few; March: all 40 open,
    # so the median is only "at least 29 days" → no value.
    assert history.values.tolist()[0] == 1.0 and history.values.isna().tolist() == [
        False, True, True]
    notes = " ".join(history.notes)
    assert "1 month without a value: more requests are still open" in notes
    assert "1 month without a value, e.g. February 2025: too few requests" in notes


def test_the_on_time_share_gets_a_p_chart_and_other_metrics_an_xmr_chart(tallyville):
    on_time = metric_series.metric_history(tallyville.requests,
                                           tallyville.city.service_standards,
                                           as_of=tallyville.as_of)
    chart = metric_series.control_chart(on_time)
    assert chart.kind in {"p", "p' (Laney)"} and chart.baseline_points == 12
    # 2024's months are all 26 of 35 on time except March (34 of 45): centre 0.7447
    assert chart.center == pytest.approx((26 * 11 + 34) / (35 * 11 + 45))
    volume = metric_series.metric_history(tallyville.requests, as_of=tallyville.as_of,
                                          kpi_name="requests")
    xmr = metric_series.control_chart(volume)
    # 2024: eleven months of 35 and March's 45: centre 430 / 12; moving ranges 0, 10, 10
    # and eight 0s average 20 / 11, so the upper limit is 35.83 + 2.66 × 1.818 = 40.67.
    assert xmr.kind == "XmR" and xmr.center == pytest.approx(430 / 12)
    assert xmr.table["upper"].iloc[0] == pytest.approx(430 / 12 + 3 * (20 / 11) / 1.128)


def test_laneys_chart_is_chosen_only_when_months_vary_more_than_chance():
    # Twelve identical months of 50 on time of 100 vary less than binomial chance: p-chart.
    steady = MetricHistory("on_time_share", "month", pd.Series([0.5] * 12),
                           pd.Series([100] * 12), successes=pd.Series([50.0] * 12),
                           totals=pd.Series([100.0] * 12))
    assert metric_series.control_chart(steady).kind == "p"
    # Alternating 20 and 80 of 100 vary far more: Laney's p' chart.
    wild = [20.0, 80.0] * 6
    swinging = MetricHistory("on_time_share", "month", pd.Series(wild) / 100,
                             pd.Series([100] * 12), successes=pd.Series(wild),
                             totals=pd.Series([100.0] * 12))
    assert metric_series.control_chart(swinging).kind == "p' (Laney)"


def test_period_changes_are_the_report_style_month_on_month_moves():
    history = MetricHistory("requests", "month", pd.Series(
        [10.0, None, 12.0], index=["2025-01", "2025-02", "2025-03"]), pd.Series([10, 2, 12]))
    changes = metric_series.period_changes(history)
    assert changes["period"].tolist() == ["2025-01", "2025-03"]  # February had no value
    assert changes["change"].tolist()[1] == 2.0


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"kpi_name": "median_day"}, 'Did you mean "median_days"'),
    ({"frequency": "fortnight"}, "not a period length"),
])
def test_unknown_choices_are_named(kwargs, words):
    table = monthly({"2025-01": (30, 0)})
    with pytest.raises(SeriesError, match=words):
        metric_series.metric_history(table, None, as_of="2025-02-28", **kwargs)


def test_a_signal_check_always_has_something_to_show(tallyville):
    from cda_lib.charts.style import ChartContext
    from cda_lib.themes.lead.charts import Note, plot_signals

    context = ChartContext("Tallyville", synthetic=False)
    volume = metric_series.metric_history(tallyville.requests, as_of=tallyville.as_of,
                                          kpi_name="requests")
    check = metric_series.check_signals(volume)
    # Signals after and inside the baseline (see test_exercises_lead_targets): 13 in all
    assert len(check.signals()) == 13 and list(check.signals().columns) == [
        "value", "lower", "upper", "rules"]
    assert plot_signals(check, context=context, unit="requests").title.startswith("Requests")
    # A district whose every request is late has no variation to set limits from.
    late = tallyville.requests[tallyville.requests["service_code"] == "SIDEWALK"].copy()
    late["status"], late["closed_datetime"] = "open", pd.NaT
    stuck = metric_series.metric_history(late, tallyville.city.service_standards,
                                         as_of=tallyville.as_of, min_requests=1)
    nothing = metric_series.check_signals(stuck)
    assert nothing.chart is None and "no variation to set limits from" in nothing.summary()
    assert nothing.signals().empty and isinstance(plot_signals(nothing, context=context), Note)
