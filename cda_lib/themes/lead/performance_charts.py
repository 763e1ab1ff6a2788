"""Charts for performance management: control charts, trajectories, the composite, an evaluation.

The same house style as :mod:`cda_lib.charts.style` (whose helpers these charts reuse): a
title computed from the data that states the finding, labelled axes with units, the
Okabe–Ito palette, alt text, and the SYNTHETIC DATA label from the :class:`ChartContext`.
Each function takes the result of the matching library function (a
:class:`cda_lib.metrics.control.ControlChart`, a :func:`cda_lib.metrics.targets.gap` table, a
:class:`cda_lib.metrics.composite.CompositeScore`,
a :class:`cda_lib.metrics.evaluation.DidResult`, a
:func:`cda_lib.metrics.survival.closed_within_curve` table), so the numbers on the chart are the
numbers the notebook computed.

>>> from cda_lib.metrics.control import xmr_chart
>>> weekly = pd.Series([10.0, 12, 11, 13, 12, 11, 10, 12, 11, 12, 13, 11, 30],
...                    index=[f"2025-W{i:02d}" for i in range(1, 14)])
>>> chart = plot_control_chart(xmr_chart(weekly, baseline=12, metric="Requests per week"),
...                            context=ChartContext("Riverbend", synthetic=True), unit="requests")
>>> chart.title
'Requests per week: 1 signal of real change, in 2025-W13'
>>> weekly.index = [str(p) for p in pd.period_range("2025-01-06", periods=13, freq="W-SUN")]
>>> plot_control_chart(xmr_chart(weekly, baseline=12, metric="Requests per week"),
...                    context=ChartContext("Riverbend", synthetic=True)).title
'Requests per week: 1 signal of real change, in the week of 31 Mar 2025'
"""

from __future__ import annotations

import re
import textwrap

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from cda_lib.charts.style import (
    MAIN_COLOUR,
    OKABE_ITO,
    WIDTH_INCHES,
    Chart,
    ChartContext,
    bar_panel_height,
    count_ticks,
    finish_chart,
    new_axes,
    style_axes,
)
from cda_lib.core.errors import ChartDataError
from cda_lib.metrics.composite import CompositeScore
from cda_lib.metrics.control import ControlChart
from cda_lib.metrics.evaluation import DidResult
from cda_lib.metrics.periods import describe_period
from cda_lib.metrics.targets import Target
from cda_lib.text.dates import format_date, month_name
from cda_lib.text.numbers import format_bound, format_percent, format_points, format_value
from cda_lib.text.translation import N_, format_message, gettext as _, ngettext

SIGNAL_COLOUR = OKABE_ITO[6]  # vermillion: the points that call for attention
LIMIT_COLOUR = "#666666"  # the usual range: quiet grey, dashed
BELOW_TARGET_COLOUR = OKABE_ITO[6]  # vermillion bars: below target
AT_TARGET_COLOUR = OKABE_ITO[5]  # blue bars: at or above target
TREATED_COLOUR = OKABE_ITO[1]  # orange: the group that got the change
COMPARISON_COLOUR = OKABE_ITO[5]  # blue: the comparison group
NAIVE_COLOUR = OKABE_ITO[7]  # reddish purple: the misleading "closed only" curve
MAX_TICKS = 10  # period labels shown on a time axis; more would overlap at 800 pixels
# Weekly shares jump around in small cities; the evaluation chart draws a 4-week moving
# average as the line (the weekly points stay visible behind it).
SMOOTHING_WEEKS = 4
UNITS = {"share": "%", "days": N_("days"), "requests": N_("requests"), "score": N_("score")}
# A target's status (cda_lib.metrics.targets.gap) in a chart's title.
STATUS_WORDS = {"ahead": N_("ahead of its trajectory"), "behind": N_("behind its trajectory"),
                "on the line": N_("on its trajectory")}


def plot_control_chart(chart: ControlChart, *, context: ChartContext,
                       unit: str = "", width_inches: float = WIDTH_INCHES,
                       text_in_figure: bool = True) -> Chart:
    """The values over time with the centre line, the natural limits and the signals marked.

    ``unit`` ("share", "days", "requests" or empty) labels the value axis; a p-chart is
    always a share. A chart narrower than the house width (``width_inches``, for a page's
    column) puts its legend under the plot, so the plot keeps the width; ``text_in_figure``
    is :func:`~cda_lib.charts.style.finish_chart`'s.
    """
    if not isinstance(chart, ControlChart):
        raise ChartDataError(_("plot_control_chart needs the result of xmr_chart or p_chart, "
                               "not {kind}. Make the chart first, e.g. xmr_chart(values).",
                               kind=type(chart).__name__))
    unit = "share" if chart.kind.startswith("p") else unit
    table = chart.table
    labels = [str(label) for label in table.index]
    x = np.arange(len(table))
    figure, ax = new_axes(width_inches)
    baseline = table["baseline"].to_numpy()
    if not baseline.all():
        last = int(np.flatnonzero(baseline).max())
        ax.axvspan(-0.5, last + 0.5, color="#F2F2F2", zorder=0, label=_("Baseline (sets limits)"))
    ax.plot(x, table["upper"], color=LIMIT_COLOUR, linestyle="--", linewidth=1,
            drawstyle="steps-mid", label=_("Natural limits (3 sigma)"))
    ax.plot(x, table["lower"], color=LIMIT_COLOUR, linestyle="--", linewidth=1,
            drawstyle="steps-mid")
    ax.plot(x, table["center"], color=LIMIT_COLOUR, linewidth=1.2, label=_("Centre line"))
    ax.plot(x, table["value"], color=MAIN_COLOUR, marker="o", markersize=4, linewidth=1.8,
            label=chart.metric)
    signals = table["signal"].to_numpy()
    if signals.any():
        ax.scatter(x[signals], table["value"].to_numpy()[signals], s=70, color=SIGNAL_COLOUR,
                   zorder=4, label=_("Signal of real change"))
    _time_ticks(ax, labels)
    _value_axis(ax, unit)
    narrow = width_inches < WIDTH_INCHES
    if narrow:  # the dates say what the axis is; the value's name on two lines
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles, [textwrap.fill(label, 30) for label in labels], loc="upper center",
                  bbox_to_anchor=(0.5, -0.2), ncols=2, frameon=False, fontsize=8)
        style_axes(ax, value_axis="y", xlabel="",
                   ylabel=textwrap.fill(_unit_label(chart.metric, unit), 22))
    else:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
        style_axes(ax, value_axis="y", xlabel=_("Period"),
                   ylabel=_unit_label(chart.metric, unit))
    found = table.index[signals]
    title = ngettext("{metric}: {count} signal of real change, in {period}",
                     "{metric}: {count} signals of real change, the latest in {period}",
                     len(found), metric=chart.metric,
                     period=describe_period(found[-1])) if len(found) else \
        _("{metric}: no signal, only the usual ups and downs", metric=chart.metric)
    return finish_chart(
        figure, context=context, title=title,
        subtitle=_("{kind} control chart, {city}: limits from the first {points} points; "
                   "Western Electric and Nelson run rules", kind=chart.kind,
                   city=context.city_name, points=chart.baseline_points),
        notes=[chart.summary()], panel_height=3.4 if width_inches >= WIDTH_INCHES else 2.2,
        text_in_figure=text_in_figure,
        description=_("Control chart of {metric} in {city} over {periods} periods, with the "
                      "centre line, the natural process limits and the points that signal a "
                      "real change.", metric=chart.metric, city=context.city_name,
                      periods=len(table)))


def plot_trajectory(gaps: pd.DataFrame, target: Target, *, context: ChartContext) -> Chart:
    """The trajectory from baseline to target, with the actual values and the latest gap.

    ``gaps`` is the table from :func:`cda_lib.metrics.targets.gap`.
    """
    _require(gaps, ["period", "expected", "actual", "status"], N_("a trajectory chart"),
             "cda_lib.metrics.targets.gap(actuals, target)")
    from cda_lib.metrics.targets import progress_summary

    x = np.arange(len(gaps))
    figure, ax = new_axes()
    ax.plot(x, gaps["expected"], color=LIMIT_COLOUR, linestyle="--", linewidth=1.5,
            label=_("Trajectory"))
    ax.plot(x, gaps["actual"], color=MAIN_COLOUR, marker="o", markersize=5, linewidth=2,
            label=_("Actual"))
    ax.scatter([x[-1]], [target.target], marker="*", s=160, color=OKABE_ITO[3], zorder=4,
               label=_("Target"))
    _time_ticks(ax, gaps["period"].astype(str).tolist())
    _value_axis(ax, target.unit)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    style_axes(ax, value_axis="y", xlabel=_("Period"),
                ylabel=_unit_label(target.metric, target.unit))
    summary = progress_summary(gaps, target)
    known = gaps[gaps["status"] != "no value"]
    if known.empty:
        title = _("{metric}: no actual values yet toward the target", metric=target.metric)
    else:
        latest = known.iloc[-1]
        title = _("{metric} is {status} in {period}", metric=target.metric,
                  status=_status_words(latest["status"]),
                  period=describe_period(latest["period"]))
    return finish_chart(
        figure, context=context, title=title, subtitle=str(target), notes=[summary],
        panel_height=3.2,
        description=_("Line chart of {metric} in {city}: the straight trajectory from the "
                      "baseline to the target by {due}, and the actual values.",
                      metric=target.metric, city=context.city_name, due=target.due))


def plot_composite(result: CompositeScore, *, context: ChartContext, n: int = 5) -> Chart:
    """Bars of the top-``n`` and bottom-``n`` metric scores, with the target line at 1."""
    if not isinstance(result, CompositeScore):
        raise ChartDataError(_("plot_composite needs the result of city_score, not {kind}.",
                               kind=type(result).__name__))
    if result.value is None:
        raise ChartDataError(_("There is nothing to plot: no metric has a score this period "
                               "(too few requests). Choose a longer period."))
    top, bottom = result.top(n), result.bottom(n)
    shown = pd.concat([top, bottom[~bottom["metric"].isin(top["metric"])]])
    shown = shown.sort_values("score", ascending=False, kind="stable")
    figure, ax = new_axes()
    positions = np.arange(len(shown))[::-1]
    colours = [AT_TARGET_COLOUR if s >= 1 else BELOW_TARGET_COLOUR for s in shown["score"]]
    bars = ax.barh(positions, shown["score"], color=colours, height=0.65, zorder=2)
    ax.set_yticks(positions, [metric_words(m) for m in shown["metric"]])
    ax.bar_label(bars, labels=[format_value(s, "score") for s in shown["score"]], padding=3,
                 fontsize=9)
    ax.axvline(1.0, color="#1A1A1A", linewidth=1.2, zorder=3)
    ax.set_xlim(0, max(1.3, float(shown["score"].max()) * 1.12))
    style_axes(ax, value_axis="x", xlabel=_("Score (actual ÷ target; 1 = on target)"),
                ylabel=_("Metric"))
    best, worst = result.top(1).iloc[0], result.bottom(1).iloc[0]
    title = _("City score {score}: best {best} ({best_score}), worst {worst} ({worst_score})",
              score=format_value(result.value, "score"), best=metric_words(best["metric"]),
              best_score=format_value(best["score"], "score"),
              worst=metric_words(worst["metric"]),
              worst_score=format_value(worst["score"], "score"))
    notes = [str(result)]
    if result.cap is not None:
        notes.append(_("Scores are capped at {cap:g}, so one metric far above target cannot "
                       "hide the others.", cap=result.cap))
    return finish_chart(
        figure, context=context, title=title,
        subtitle=_("Top {top} and bottom {bottom} metrics, {city}; bars right of the line meet "
                   "their target", top=len(top), bottom=len(bottom), city=context.city_name),
        notes=notes, panel_height=bar_panel_height(len(shown)),
        description=_("Horizontal bar chart of the best and worst scoring metrics in {city}'s "
                      "composite score, with a line at 1 for on target.",
                      city=context.city_name))


def plot_did(result: DidResult, *, context: ChartContext) -> Chart:
    """Weekly on-time shares of the treated and comparison groups, before and after."""
    if not isinstance(result, DidResult) or result.weekly.empty:
        raise ChartDataError(_("plot_did needs the result of difference_in_differences."))
    weekly = result.weekly
    figure, ax = new_axes()
    for group, colour, label in (("comparison", COMPARISON_COLOUR, _("Comparison districts")),
                                 ("treated", TREATED_COLOUR, result.treated)):
        rows = weekly[weekly["group"] == group]
        ax.scatter(rows["week_start"], rows["share"], s=10, color=colour, alpha=0.35,
                   linewidths=0)
        smooth = _weighted_rolling(rows)
        ax.plot(rows["week_start"], smooth, color=colour, linewidth=2,
                label=_("{group} ({weeks}-week average)", group=label, weeks=SMOOTHING_WEEKS))
        for start, end, level in (
                (result.before_start, result.start,
                 result.treated_before if group == "treated" else result.comparison_before),
                (result.start, result.after_end,
                 result.treated_after if group == "treated" else result.comparison_after)):
            ax.hlines(level, start, end, colors=colour, linestyles=":", linewidth=1.5)
    ax.axvline(result.start, color="#1A1A1A", linewidth=1.2)
    ax.annotate(_("Change starts"), (result.start, 1.0), xytext=(4, -12),
                textcoords="offset points", fontsize=8)
    ax.set_ylim(0, 1.05)
    _value_axis(ax, "share")
    ax.legend(loc="lower left", frameon=False, fontsize=8)
    style_axes(ax, value_axis="y", xlabel=_("Week requests were opened"),
                ylabel=_("Closed within standard (%)"))
    values = {"district": result.treated, "size": format_points(result.estimate, signed=False),
              "level": format_percent(result.confidence), "low": format_bound(result.low),
              "high": format_bound(result.high)}
    title = _("{district}'s on-time share rose {size} more than the comparison's ({level} "
              "interval {low} to {high})", **values) if result.estimate >= 0 else \
        _("{district}'s on-time share fell {size} more than the comparison's ({level} interval "
          "{low} to {high})", **values)
    notes = [result.summary(), _("Dotted lines: each group's share before and after the start.")]
    return finish_chart(
        figure, context=context, title=title,
        subtitle=_("Difference-in-differences, {city}: {codes}; weekly shares with a "
                   "{weeks}-week average", city=context.city_name,
                   codes=", ".join(result.service_codes), weeks=SMOOTHING_WEEKS),
        notes=notes, panel_height=3.4,
        description=_("Line chart of the weekly share of requests closed within standard in "
                      "{district} and in the comparison districts, before and after {start}.",
                      district=result.treated, start=format_date(result.start, "long")))


def plot_closed_within(curve: pd.DataFrame, *, context: ChartContext,
                       label: str = N_("requests")) -> Chart:
    """Share closed within N days, counting open requests, against dropping them."""
    _require(curve, ["days", "share_closed", "share_closed_if_open_dropped"],
             N_("a time-to-close curve"),
             "cda_lib.metrics.survival.closed_within_curve(requests, as_of=...)")
    figure, ax = new_axes()
    ax.plot(curve["days"], curve["share_closed_if_open_dropped"], color=NAIVE_COLOUR,
            linestyle="--", linewidth=1.8, label=_("Open requests dropped (too rosy)"))
    ax.plot(curve["days"], curve["share_closed"], color=MAIN_COLOUR, linewidth=2.2,
            label=_("Open requests counted (Kaplan–Meier)"))
    ax.axhline(0.5, color=LIMIT_COLOUR, linewidth=0.8, linestyle=":")
    ax.set_ylim(0, 1.02)
    _value_axis(ax, "share")
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    style_axes(ax, value_axis="y", xlabel=_("Days since the request"),
                ylabel=_("Share closed (%)"))
    honest = _first_day_reaching(curve, "share_closed")
    rosy = _first_day_reaching(curve, "share_closed_if_open_dropped")
    label = _(label)
    if honest is None:
        title = _("Fewer than half of these {label} are closed even counting open ones",
                  label=label)
    elif rosy is not None and rosy < honest:
        title = _("Half of {label} close within {days:g} days, not {rosy:g} as a closed-only "
                  "table suggests", label=label, days=honest, rosy=rosy)
    else:
        title = _("Half of {label} close within {days:g} days", label=label, days=honest)
    return finish_chart(
        figure, context=context, title=title,
        subtitle=_("Share of {label} closed within each number of days, {city}", label=label,
                   city=context.city_name),
        notes=[_("Dropping open requests leaves out the slowest ones, so it always looks "
                 "faster than the truth.")],
        panel_height=3.2,
        description=_("Line chart of the share of {label} in {city} closed within each number "
                      "of days, counting open requests and dropping them.", label=label,
                      city=context.city_name))


# --- internals ---------------------------------------------------------------------------


def _require(table: pd.DataFrame, columns: list[str], purpose: str, source: str) -> None:
    if not isinstance(table, pd.DataFrame) or any(c not in table.columns for c in columns):
        purpose = _(purpose)
        raise ChartDataError(_("{purpose} needs the table from {source}.",
                               purpose=purpose[:1].upper() + purpose[1:], source=source))
    if table.empty:
        raise ChartDataError(_("There is nothing to plot: the table for {purpose} has no rows.",
                               purpose=_(purpose)))


def _time_ticks(ax: Axes, labels: list[str]) -> None:
    width = ax.figure.get_size_inches()[0]
    most = max(4, int(MAX_TICKS * width / WIDTH_INCHES))  # as many as the width has room for
    step = max(1, int(np.ceil(len(labels) / most)))
    ticks = np.arange(0, len(labels), step)
    ax.set_xticks(ticks, [_short_period(labels[i]) for i in ticks], rotation=0)
    ax.set_xlim(-0.5, len(labels) - 0.5)


def _short_period(label: str) -> str:
    """A period on two lines: a week "10 Mar / 2025", a month "Mar / 2025", a quarter
    "Q1 / 2025"; other labels as they are."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}", label):
        start = pd.Timestamp(label[:10])
        return f"{start.day} {month_name(start.month, 'abbreviated')}\n{start.year}"
    if re.fullmatch(r"\d{4}-\d{2}", label):
        return f"{month_name(int(label[5:]), 'abbreviated')}\n{label[:4]}"
    if re.fullmatch(r"\d{4}Q[1-4]", label):
        return f"{label[4:]}\n{label[:4]}"
    return label


def _value_axis(ax: Axes, unit: str) -> None:
    if unit == "share":
        ax.yaxis.set_major_formatter(FuncFormatter(
            lambda value, _position: format_message("{value:.0%}", value=value)))
    elif unit == "requests":
        count_ticks(ax.yaxis)


def _unit_label(metric: str, unit: str) -> str:
    if unit not in UNITS:
        return metric
    return _("{metric} ({unit})", metric=metric, unit=_(UNITS[unit]) if unit != "share" else "%")


def _status_words(status: str) -> str:
    return _(STATUS_WORDS[status]) if status in STATUS_WORDS else status


def metric_words(metric: str) -> str:
    """A composite metric's name as a page shows it: the citywide metrics module 1.2 adds
    are named in English in the data (they are keys) and translated here."""
    from cda_lib.themes.lead.performance import BACKLOG_METRIC, REOPEN_METRIC

    return _(metric) if metric in (BACKLOG_METRIC, REOPEN_METRIC) else str(metric)


def _weighted_rolling(rows: pd.DataFrame) -> np.ndarray:
    """A moving average of weekly shares weighted by each week's requests."""
    on_time = (rows["share"].fillna(0) * rows["known"]).rolling(SMOOTHING_WEEKS,
                                                               min_periods=1).sum()
    known = rows["known"].rolling(SMOOTHING_WEEKS, min_periods=1).sum()
    return (on_time / known.where(known > 0)).to_numpy()


def _first_day_reaching(curve: pd.DataFrame, column: str, share: float = 0.5) -> float | None:
    reached = curve.loc[curve[column] >= share, "days"]
    return float(reached.iloc[0]) if len(reached) else None
