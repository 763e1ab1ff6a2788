"""Tests of cda_lib.themes.lead.charts: titles that state the finding, alt text, the
synthetic label."""

from __future__ import annotations

import pandas as pd
import pytest

from cda_lib.charts.style import ChartContext
from cda_lib.core.errors import ChartDataError
from cda_lib.themes.lead import charts as charts_lead
from cda_lib.themes.lead.metric_series import MetricHistory
from cda_lib.themes.lead.target_setter import plan_target

SYNTHETIC = ChartContext("Riverbend", synthetic=True)
REAL = ChartContext("Boston", synthetic=False)


def test_the_seasonal_chart_names_the_type_that_swings_most():
    index = pd.DataFrame({"All requests": [1.1, 0.9], "Pothole repair": [1.8, 0.2],
                          "Noise complaint": [0.7, 1.3]},
                         index=pd.Index(["March", "July"], name="month"))
    chart = charts_lead.plot_seasonality(index, context=SYNTHETIC)
    assert chart.title == ("Pothole repair swings most with the seasons: in March it runs at "
                           "1.8 times its usual daily volume")
    assert chart.alt_text.startswith("Synthetic data.")
    flat = index.assign(**{"Pothole repair": [1.05, 0.95], "Noise complaint": [0.98, 1.02]})
    assert charts_lead.plot_seasonality(flat, context=SYNTHETIC).title.startswith(
        "No request type swings much with the seasons: no month runs above 1.05 times")


def test_the_rates_chart_names_both_ends_without_claiming_a_cause():
    rates = pd.DataFrame({"district": ["North", "South", "(not recorded)"],
                          "per_1000_a_year": [12.0, 30.0, None],
                          "share_without_internet": [0.25, 0.05, None]})
    chart = charts_lead.plot_rates_against(rates, "share_without_internet", context=REAL,
                                           what="Pothole reports")
    assert chart.title == ("Pothole reports per 1,000 residents: most from South (5% without "
                           "internet), fewest from North (25%)")
    assert "not a cause" in chart.alt_text and "311 volume measures who calls" in chart.alt_text
    assert not chart.alt_text.startswith("Synthetic")
    with pytest.raises(ChartDataError, match="share_without_internet"):
        charts_lead.plot_rates_against(rates, "share_renters", context=REAL)


def test_the_days_chart_puts_the_mean_against_the_median():
    # Nine requests closing in 1 day and one in 91: median 1, mean (9 + 91) / 10 = 10.
    opened = pd.Timestamp("2025-01-01")
    days = [1] * 9 + [91]
    table = pd.DataFrame({"service_code": "NOISE", "status": "closed",
                          "requested_datetime": [opened] * 10,
                          "closed_datetime": [opened + pd.Timedelta(days=d) for d in days]})
    chart = charts_lead.plot_days_to_close(table, as_of="2025-06-30", context=SYNTHETIC)
    assert chart.title == ("The mean wait, 10.0 days, is 10.0 times the median, 1.0 days: a few "
                           "slow requests pull it up")
    assert "Not drawn: 1 of the requests took longer than" in chart.alt_text


def test_the_backlog_chart_says_which_way_it_went():
    backlog = pd.DataFrame({"month": ["2025-01", "2025-02"], "backlog_at_end": [90, 60]})
    assert charts_lead.plot_backlog(backlog, context=REAL).title == (
        "Open requests at month end fell from 90 in January 2025 to 60 in February 2025")
    with pytest.raises(ChartDataError, match="backlog_by_month"):
        charts_lead.plot_backlog(pd.DataFrame(), context=REAL)


def test_the_backlog_chart_names_the_band_that_moved_after_the_warm_up():
    """Warm-up January and February are left out of the headline. From March to June the
    requests open 90 days or more grow 0 → 30 and those open under 90 days move 50 → 52:
    the older pile moved more, so the title is about it, and the other band is a note."""
    backlog = pd.DataFrame({
        "month": ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"],
        "backlog_at_end": [10, 30, 50, 62, 72, 82], "open_recent": [10, 30, 50, 52, 52, 52],
        "open_long": [0, 0, 0, 10, 20, 30], "warm_up": [True, True, False, False, False, False]})
    chart = charts_lead.plot_backlog(backlog, context=REAL)
    assert chart.title == ("Requests open 90 days or more grew from 0 in March 2025 to 30 in "
                           "June 2025: some requests are not being closed")
    assert "Requests open under 90 days: 50 in March 2025, 52 in June 2025." in chart.alt_text
    assert "2 months at the start (shaded) are a warm-up" in chart.alt_text
    steady = backlog.assign(open_long=[0, 0, 0, 1, 1, 2],
                            open_recent=[10, 30, 50, 70, 75, 80])
    assert charts_lead.plot_backlog(steady, context=REAL).title == (
        "Requests open under 90 days rose from 50 in March 2025 to 80 in June 2025")
    flat = steady.assign(open_recent=[10, 30, 50, 53, 48, 54])  # 54 is within 10% of 50
    assert charts_lead.plot_backlog(flat, context=REAL).title == (
        "Requests open under 90 days stayed near 52 from March 2025 to June 2025")


def test_the_target_chart_says_what_each_month_must_bring():
    months = [str(p) for p in pd.period_range("2025-01", periods=12, freq="M")]
    history = MetricHistory("on_time_share", "month", pd.Series([0.60, 0.62] * 6, index=months),
                            pd.Series([100] * 12, index=months))
    plan = plan_target(history, improvement=0.1, months=12)
    chart = charts_lead.plot_target_plan(plan, context=SYNTHETIC)
    # from 61% to 67.1% in 11 steps: 0.55 points a month
    assert chart.title == ("On-time share: reaching 67% by December 2026 means about 0.6 "
                           "points better each month")
    assert "needs a real change" in chart.alt_text
