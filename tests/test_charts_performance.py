"""Tests of the performance charts (cda_lib.themes.lead.performance_charts).

Each chart keeps the house promises of cda_lib.charts.style (labelled axes, the SYNTHETIC DATA
label and alt text, a title that states the finding, matplotlib settings untouched), and
its title says what the hand-built input says.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

from cda_lib.charts.style import SYNTHETIC_LABEL, ChartContext
from cda_lib.core.errors import ChartDataError
from cda_lib.metrics import composite, control, evaluation, targets
from cda_lib.metrics.survival import closed_within_curve
from cda_lib.themes.lead import performance_charts as charts

SYNTHETIC = ChartContext("Riverbend", synthetic=True, source_note="Source: test")
REAL = ChartContext("Riverbend", synthetic=False)
STABLE = [5.0, 6, 5, 7, 6, 5, 6, 7, 5, 6, 6, 5]
MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]


def control_chart() -> control.ControlChart:
    # the stable months of test_control, then a jump to 9 in January (above 8.65)
    values = pd.Series(STABLE + [9.0], index=MONTHS + ["2026-01"])
    return control.xmr_chart(values, baseline=12, metric="Median days to close")


def trajectory_inputs():
    target = targets.set_target("On-time share", baseline=0.6, target=0.8, start="2025-01",
                                due="2025-05", unit="share")
    # February: 62% against a line at 65%: behind
    return targets.gap(pd.Series([0.6, 0.62], index=MONTHS[:2]), target), target


def composite_result() -> composite.CompositeScore:
    return composite.city_score(pd.DataFrame({
        "metric": ["Potholes", "Graffiti", "Noise"], "actual": [0.4, 0.8, 1.0],
        "target": [0.8, 0.8, 0.8], "direction": ["higher_is_better"] * 3}))


def did_result() -> evaluation.DidResult:
    start = pd.Timestamp("2025-03-03")
    rows = []
    for week in range(-8, 8):
        for district, on_time in (("Treated", 5 if week < 0 else 8),
                                  ("Other", 6 if week < 0 else 7)):
            for i in range(10):
                opened = start + pd.Timedelta(weeks=week, hours=9 + i)
                closed = opened + pd.Timedelta(days=1 if i < on_time else 10)
                rows.append((district, opened, closed))
    table = pd.DataFrame(rows, columns=["district", "requested_datetime", "closed_datetime"])
    table = table.assign(service_code="POTHOLE", status="closed")
    return evaluation.difference_in_differences(table, {"POTHOLE": 5}, as_of="2025-05-31",
                                                treated_district="Treated", start=start)


def curve() -> pd.DataFrame:
    table = pd.DataFrame({
        "service_code": ["SIDEWALK"] * 4, "status": ["closed", "closed", "open", "open"],
        "requested_datetime": pd.to_datetime(["2025-03-01"] * 4),
        "closed_datetime": pd.to_datetime(["2025-03-02", "2025-03-04", None, None])})
    return closed_within_curve(table, as_of="2025-03-11")


BUILDERS = {
    "control": lambda c: charts.plot_control_chart(control_chart(), context=c, unit="days"),
    "trajectory": lambda c: charts.plot_trajectory(*trajectory_inputs(), context=c),
    "composite": lambda c: charts.plot_composite(composite_result(), context=c),
    "did": lambda c: charts.plot_did(did_result(), context=c),
    "closed_within": lambda c: charts.plot_closed_within(curve(), context=c,
                                                         label="sidewalk requests"),
}


def texts(chart) -> list[str]:
    return [t.get_text() for t in chart.figure.findobj(Text) if t.get_text()]


@pytest.fixture(params=list(BUILDERS))
def build(request):
    return BUILDERS[request.param]


def test_every_chart_labels_both_axes(build):
    (ax,) = build(REAL).figure.axes
    assert ax.get_xlabel().strip() and ax.get_ylabel().strip()


def test_synthetic_data_is_labelled_in_the_figure_and_the_alt_text(build):
    chart = build(SYNTHETIC)
    assert SYNTHETIC_LABEL in texts(chart)
    assert chart.alt_text.startswith("Synthetic data.")
    assert f"{chart.title}." in chart.alt_text
    real = build(REAL)
    assert not any("SYNTHETIC" in text.upper() for text in texts(real))


def test_charts_leave_matplotlib_settings_alone(build):
    before = dict(matplotlib.rcParams.copy())
    build(REAL)._repr_png_()
    assert dict(matplotlib.rcParams.copy()) == before


def test_control_chart_title_names_the_signal_and_its_month():
    chart = BUILDERS["control"](REAL)
    assert chart.title == "Median days to close: 1 signal of real change, in January 2026"
    (ax,) = chart.figure.axes
    assert ax.get_ylabel() == "Median days to close (days)"
    stable = control.xmr_chart(pd.Series(STABLE), metric="Backlog")
    assert charts.plot_control_chart(stable, context=REAL).title == (
        "Backlog: no signal, only the usual ups and downs")


def test_trajectory_title_says_behind_in_words():
    assert BUILDERS["trajectory"](REAL).title == "On-time share is behind its trajectory in " \
                                                 "February 2025"


def test_composite_title_names_the_score_the_best_and_the_worst():
    # scores: Potholes 0.5, Graffiti 1.0, Noise 1.25; mean 0.9167
    assert BUILDERS["composite"](REAL).title == ("City score 0.92: best Noise (1.25), worst "
                                                 "Potholes (0.50)")


def test_did_title_gives_the_difference_and_its_interval():
    # +20 points exactly, every week the same (see test_evaluation); the interval's ends are
    # written in points like every other interval (they said "+20 to +20" before)
    assert BUILDERS["did"](REAL).title == (
        "Treated's on-time share rose 20 points more than the comparison's (95% interval "
        "+20 points to +20 points)")


def test_closed_within_title_contrasts_counting_and_dropping_open_requests():
    # counting open: 25% closed by day 1, 50% by day 3; dropping them: 50% by day 1
    assert BUILDERS["closed_within"](REAL).title == ("Half of sidewalk requests close within 3 "
                                                     "days, not 1 as a closed-only table "
                                                     "suggests")


def test_week_labels_are_readable_on_the_axis():
    weeks = [str(p) for p in pd.period_range("2025-01-06", periods=13, freq="W-SUN")]
    chart = charts.plot_control_chart(control.xmr_chart(pd.Series(STABLE + [9.0], index=weeks),
                                                        baseline=12, metric="Backlog"),
                                      context=REAL, unit="requests")
    (ax,) = chart.figure.axes
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "6 Jan\n2025"
    assert len(labels) <= charts.MAX_TICKS


def test_wrong_inputs_get_clear_errors():
    with pytest.raises(ChartDataError, match="result of xmr_chart or p_chart"):
        charts.plot_control_chart(pd.Series(STABLE), context=REAL)
    with pytest.raises(ChartDataError, match="cda_lib.metrics.targets.gap"):
        charts.plot_trajectory(pd.DataFrame({"x": [1]}), trajectory_inputs()[1], context=REAL)
    empty = composite.city_score(pd.DataFrame({"metric": ["A"], "actual": [np.nan],
                                               "target": [0.8],
                                               "direction": ["higher_is_better"]}))
    with pytest.raises(ChartDataError, match="no metric has a score"):
        charts.plot_composite(empty, context=REAL)
    with pytest.raises(ChartDataError, match="difference_in_differences"):
        charts.plot_did("not a result", context=REAL)


def test_a_chart_for_a_narrow_column_is_drawn_at_its_width_with_its_text_on_the_page():
    # The brief's column is 4.6 inches: drawn there (460 px at 100 dpi) its 8-point text
    # keeps its size; the house 8-inch chart shrunk into it lost half.
    chart = charts.plot_control_chart(control_chart(), context=SYNTHETIC, width_inches=4.6,
                                      text_in_figure=False)
    assert chart.figure.get_size_inches()[0] == pytest.approx(4.6)
    drawn = texts(chart)
    assert SYNTHETIC_LABEL in drawn  # the label stays in the picture
    assert chart.title not in drawn and not any("Source: test" in t for t in drawn)
    assert chart.alt_text.startswith("Synthetic data.") and f"{chart.title}." in chart.alt_text
    page = chart.html()
    assert f"<figcaption><strong>{chart.title}</strong>" in page
    assert "<p>Source: test</p>" in page and chart.caption.startswith("XmR control chart")
    house = charts.plot_control_chart(control_chart(), context=SYNTHETIC)
    assert house.figure.get_size_inches()[0] == pytest.approx(8.0)
    assert house.title in texts(house) and "<figcaption>" not in house.html()
