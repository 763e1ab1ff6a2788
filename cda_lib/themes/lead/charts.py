"""Charts for theme 1's lessons: seasons, who calls, mean against median, backlog, a target plan.

The house style of :mod:`cda_lib.charts.style` (whose helpers these reuse, as
:mod:`cda_lib.themes.lead.performance_charts` does): a title computed from the data that states the
finding, labelled axes with units, the Okabe–Ito palette, alt text, and the SYNTHETIC
DATA label from the :class:`~cda_lib.charts.style.ChartContext`. Each function takes the table
a library function computed (:func:`cda_lib.themes.lead.patterns.seasonal_index`,
:func:`cda_lib.themes.lead.patterns.district_rates`,
:func:`cda_lib.metrics.kpi.month_end_backlog`, a
:class:`cda_lib.themes.lead.target_setter.TargetPlan`), so the chart shows the notebook's numbers.

>>> backlog = pd.DataFrame({"month": ["2025-01", "2025-02", "2025-03"],
...                         "backlog_at_end": [120, 150, 180]})
>>> plot_backlog(backlog, context=ChartContext("Riverbend", synthetic=True)).title
'Open requests at month end rose from 120 in January 2025 to 180 in March 2025'
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from cda_lib.charts.style import (
    MAIN_COLOUR,
    OKABE_ITO,
    WHO_CALLS_CAVEAT,
    Chart,
    ChartContext,
    count_ticks,
    finish_chart,
    new_axes,
    style_axes,
)
from cda_lib.core.errors import ChartDataError
from cda_lib.metrics.outcomes import request_outcomes
from cda_lib.metrics.periods import describe_period
from cda_lib.text.dates import month_name
from cda_lib.text.numbers import format_difference, format_number, format_percent, format_value
from cda_lib.text.translation import N_, format_message, gettext as _, ngettext

if TYPE_CHECKING:
    from cda_lib.themes.lead.metric_series import SignalCheck
    from cda_lib.themes.lead.target_setter import Backtest, TargetPlan

MEAN_COLOUR = OKABE_ITO[6]  # vermillion: the misleading figure
MEDIAN_COLOUR = OKABE_ITO[0]  # black: the figure to use
GUIDE_COLOUR = "#666666"  # reference lines: 1 = an average month, the usual range
TARGET_COLOUR = OKABE_ITO[3]  # bluish green: the target and the path to it
# The histogram shows the bulk of the waits: days up to the 95th percentile (the rest are
# counted in the caption, and in the mean); at most this many one-day bars.
SHOWN_SHARE = 0.95
MAX_BARS = 60
# Below this peak (a month 15% busier than usual) the seasons hardly matter for planning,
# and the seasonal chart's title says so instead of naming a "peak".
FLAT_SEASON = 1.15
# A target chart shows the last two years of history at most: enough for two seasons.
HISTORY_SHOWN = {"month": 24, "quarter": 8}
_SEASON_STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)))  # lines apart in grey too
# The districts tables' share columns in words ("Share of residents: without internet").
SHARE_WORDS = {"share_without_internet": N_("without internet"),
               "share_low_income": N_("on a low income"), "share_renters": N_("renting")}
FREQUENCY_WORDS = {"month": N_("Month"), "quarter": N_("Quarter"), "week": N_("Week")}


def plot_seasonality(index: pd.DataFrame, *, context: ChartContext) -> Chart:
    """Lines of each column's seasonal index (:func:`cda_lib.themes.lead.patterns.seasonal_index`).

    The title names the request type whose busiest month stands furthest above its
    average; "All requests" is drawn thick and black.
    """
    if not isinstance(index, pd.DataFrame) or index.empty:
        raise ChartDataError(_("A seasonal chart needs the table from "
                               "cda_lib.themes.lead.patterns.seasonal_index(requests)."))
    figure, ax = new_axes()
    x = np.arange(len(index))
    types = [c for c in index.columns if c != "All requests"]
    for number, name in enumerate(types):
        ax.plot(x, index[name], color=OKABE_ITO[(number % 7) + 1], linewidth=1.8,
                linestyle=_SEASON_STYLES[number % len(_SEASON_STYLES)], label=str(name))
    if "All requests" in index.columns:
        ax.plot(x, index["All requests"], color=OKABE_ITO[0], linewidth=3,
                label=_("All requests"))
    ax.axhline(1.0, color=GUIDE_COLOUR, linewidth=0.8, linestyle=":")
    ax.set_xticks(x, [str(m)[:3] for m in index.index])
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    style_axes(ax, value_axis="y", xlabel=_("Month"),
                ylabel=_("Busyness (1 = a usual month)"))
    peaks = index[types].max() if types else index.max()
    swing = peaks.idxmax()
    month = index[swing].idxmax()
    title = _("{type} swings most with the seasons: in {month} it runs at {peak:.1f} times its "
              "usual daily volume", type=swing, month=month, peak=peaks[swing])
    if peaks[swing] < FLAT_SEASON:
        title = _("No request type swings much with the seasons: no month runs above "
                  "{peak:.2f} times its usual daily volume", peak=peaks[swing])
    return finish_chart(
        figure, context=context, title=title,
        subtitle=_("How busy each month is, for all requests and the most common types, {city}",
                   city=context.city_name),
        notes=[_("Per day, so short months compare fairly; whole months of data only, each "
                 "calendar month pooled over the years the data covers.")],
        panel_height=3.4,
        description=_("Line chart of the seasonal pattern of service requests in {city}: each "
                      "month's requests per day divided by the year's average, for all requests "
                      "and the most common types.", city=context.city_name))


def plot_rates_against(rates: pd.DataFrame, column: str, *, context: ChartContext,
                       what: str = N_("Requests")) -> Chart:
    """Each district's requests per 1,000 residents a year against one of its shares.

    ``rates`` is :func:`cda_lib.themes.lead.patterns.district_rates`; ``column`` a share column such
    as ``"share_without_internet"``. The title names the highest and lowest districts
    with their share, without claiming a cause: six or ten districts cannot prove one.
    """
    if column not in rates.columns:
        shares = [c for c in rates.columns if str(c).startswith("share")]
        if shares:
            raise ChartDataError(_('The rates table has no "{column}" column. It has {shares}.',
                                   column=column, shares=", ".join(shares)))
        raise ChartDataError(_('The rates table has no "{column}" column. It has no share '
                               "columns.", column=column))
    shown = rates.dropna(subset=["per_1000_a_year", column])
    if len(shown) < 2:
        raise ChartDataError(_("There is nothing to compare: fewer than two districts have "
                               "both a rate and that share."))
    figure, ax = new_axes()
    ax.scatter(shown[column], shown["per_1000_a_year"], s=60, color=MAIN_COLOUR, zorder=3)
    for _index, row in shown.iterrows():
        ax.annotate(str(row["district"]), (row[column], row["per_1000_a_year"]),
                    xytext=(6, 4), textcoords="offset points", fontsize=8, color="#444444")
    ax.xaxis.set_major_formatter(FuncFormatter(_percent_tick))
    words = _(SHARE_WORDS[column]) if column in SHARE_WORDS else \
        column.removeprefix("share_").replace("_", " ")
    what = _(what)
    style_axes(ax, value_axis="both", xlabel=_("Share of residents: {words}", words=words),
                ylabel=_("{what} per 1,000 residents a year", what=what))
    high = shown.loc[shown["per_1000_a_year"].idxmax()]
    low = shown.loc[shown["per_1000_a_year"].idxmin()]
    title = _("{what} per 1,000 residents: most from {high} ({high_share} {words}), fewest from "
              "{low} ({low_share})", what=what, high=high["district"],
              high_share=format_percent(high[column]), words=words, low=low["district"],
              low_share=format_percent(low[column]))
    return finish_chart(
        figure, context=context, title=title,
        subtitle=_("Each dot is a district of {city}: its rate against its share of residents "
                   "{words}", city=context.city_name, words=words),
        notes=[_(WHO_CALLS_CAVEAT), _("{count} districts show a pattern to ask about, not a "
                                   "cause.", count=len(shown))],
        panel_height=3.4,
        description=_("Scatter plot of {count} districts of {city}: {what} per 1,000 residents "
                      "a year against the share of residents {words}.", count=len(shown),
                      city=context.city_name, what=what.lower(), words=words))


def plot_days_to_close(requests: pd.DataFrame, *, as_of, context: ChartContext,
                       label: str = N_("requests")) -> Chart:
    """A histogram of days to close (closed requests), with the median and the mean marked.

    Days beyond the 95th percentile are not drawn (the caption counts them; they are in
    the mean). The title says how far the mean sits above the median.
    """
    outcomes = request_outcomes(requests, None, as_of=as_of)
    days = outcomes.loc[outcomes["closed"], "days"].to_numpy(dtype=float)
    if days.size == 0:
        raise ChartDataError(_("There is nothing to plot: none of these requests has closed "
                               "yet."))
    median, mean = float(np.median(days)), float(days.mean())
    edge = max(float(np.quantile(days, SHOWN_SHARE)), 1.0)
    width = max(1.0, float(np.ceil(edge / MAX_BARS)))
    bins = np.arange(0, edge + width, width)
    shown = days[days <= bins[-1]]
    figure, ax = new_axes()
    ax.hist(shown, bins=bins, color=MAIN_COLOUR, alpha=0.8, zorder=2)
    top = ax.get_ylim()[1]
    for value, colour, name, style, height in ((median, MEDIAN_COLOUR, _("Median"), "-", 0.92),
                                               (mean, MEAN_COLOUR, _("Mean"), "--", 0.8)):
        ax.axvline(value, color=colour, linewidth=2, linestyle=style, zorder=3)
        ax.annotate(_("{name}: {days}", name=name, days=format_value(value, "days")),
                    (value, top * height), xytext=(5, 0),
                    textcoords="offset points", fontsize=9, color=colour,
                    backgroundcolor="white")
    count_ticks(ax.yaxis)
    label = _(label)
    style_axes(ax, value_axis="y", xlabel=_("Days from request to close"),
                ylabel=_("Closed {label} (count)", label=label))
    beyond = int((days > bins[-1]).sum())
    notes = [_("Closed {label} only ({count:,}): open ones have no time to close yet.",
               label=label, count=days.size)]
    if beyond:
        notes.append(ngettext("Not drawn: {count:,} of the {label} took longer than {days:,.0f} "
                              "days (the slowest 5%); they are in the mean.",
                              "Not drawn: {count:,} of the {label} took longer than {days:,.0f} "
                              "days (the slowest 5%); they are in the mean.", beyond,
                              label=label, days=bins[-1]))
    ratio = mean / median if median > 0 else float("inf")
    mean_days, median_days = format_value(mean, "days"), format_value(median, "days")
    title = _("The mean wait, {mean}, is {ratio} times the median, {median}: a few slow {label} "
              "pull it up", mean=mean_days, ratio=format_number(ratio, 1), median=median_days,
              label=label) if ratio >= 1.2 else \
        _("The mean ({mean}) and the median ({median}) are close", mean=mean_days,
          median=median_days)
    return finish_chart(
        figure, context=context, title=title,
        subtitle=_("How many {label} closed after each number of days, {city}", label=label,
                   city=context.city_name),
        notes=notes, panel_height=3.2,
        description=_("Histogram of days to close for closed {label} in {city}, with the median "
                      "and the mean marked.", label=label, city=context.city_name))


def plot_backlog(backlog: pd.DataFrame, *, context: ChartContext) -> Chart:
    """Open requests at each month's end (:func:`cda_lib.themes.lead.performance.backlog_by_month`):
    those open under 90 days and those open longer as two lines, the warm-up months shaded.

    The title states what changed after the warm-up (see :mod:`cda_lib.metrics.backlog`): the
    band that moved most, so a pile of requests that never close is not read as a slower
    service, nor the data's start as a rise.
    """
    if not isinstance(backlog, pd.DataFrame) or not {"month", "backlog_at_end"} <= set(
            backlog.columns) or backlog.empty:
        raise ChartDataError(_("A backlog chart needs the table from "
                               "cda_lib.themes.lead.performance.backlog_by_month(requests, "
                               "as_of=data.as_of)."))
    by_age = {"open_recent", "open_long"} <= set(backlog.columns) and \
        backlog["open_recent"].notna().all()
    warm = backlog["warm_up"].astype(bool).to_numpy() if "warm_up" in backlog else \
        np.zeros(len(backlog), dtype=bool)
    figure, ax = new_axes()
    x = np.arange(len(backlog))
    if by_age:
        lines = [("open_recent", MAIN_COLOUR, _("Open under 90 days")),
                 ("open_long", OKABE_ITO[6], _("Open 90 days or more"))]
    else:
        lines = [("backlog_at_end", MAIN_COLOUR, _("Open requests at month end"))]
    top = 1.0
    for column, colour, label in lines:
        values = backlog[column].to_numpy(dtype=float)
        ax.plot(x, values, color=colour, marker="o", markersize=4, linewidth=2, label=label)
        top = max(top, float(np.nanmax(values)))
        if by_age:
            ax.annotate(label, (x[-1], values[-1]), xytext=(6, 0), textcoords="offset points",
                        va="center", fontsize=9, color=colour)
    if warm.any():
        ax.axvspan(-0.5, int(np.flatnonzero(warm)[-1]) + 0.5, color="#e6e6e6", zorder=0)
        ax.text(0, top * 1.08, _("warm-up"), fontsize=8.5, color="#444444", va="top")
    ax.set_ylim(bottom=0, top=top * 1.12)
    ax.set_xlim(-0.5, len(backlog) - 0.5 + (2.8 if by_age else 0))
    _time_axis(ax, backlog["month"].astype(str).tolist())
    count_ticks(ax.yaxis)
    style_axes(ax, value_axis="y", xlabel=_("Month"), ylabel=_("Open requests at month end"))
    shown = backlog[~warm] if (~warm).any() else backlog
    title, other = _backlog_title(shown, by_age)
    notes = [other] if other else []
    if by_age:
        notes.append(_("Requests open 90 days or more count only those opened since the data "
                       "starts ({start}); the city's true number is higher.",
                       start=describe_period(backlog["month"].iloc[0])))
    if warm.any():
        notes.append(ngettext(
            "{count} month at the start (shaded) is a warm-up: requests opened before the data "
            "starts are not in it, so it is left out of the headline and of targets.",
            "{count} months at the start (shaded) are a warm-up: requests opened before the "
            "data starts are not in them, so they are left out of the headline and of targets.",
            int(warm.sum())))
    return finish_chart(
        figure, context=context, title=title,
        subtitle=_("Requests still open at the end of each month, {city}",
                   city=context.city_name),
        notes=notes, panel_height=3.2,
        description=_("Line chart of {city}'s open requests at the end of each month, {count} "
                      "months.", city=context.city_name, count=len(backlog)))


def _backlog_title(shown: pd.DataFrame, by_age: bool) -> tuple[str, str]:
    """The chart's title (what moved most after the warm-up) and a sentence on the rest."""
    first, last = shown.iloc[0], shown.iloc[-1]
    words = {"start": describe_period(first["month"]), "end": describe_period(last["month"])}
    column = "open_recent" if by_age else "backlog_at_end"
    if by_age:
        long_change = last["open_long"] - first["open_long"]
        if long_change > abs(last["open_recent"] - first["open_recent"]):
            other = _("Requests open under 90 days: {first:,} in {start}, {last:,} in {end}.",
                      first=int(first["open_recent"]), last=int(last["open_recent"]), **words)
            return _("Requests open 90 days or more grew from {first:,} in {start} to {last:,} "
                     "in {end}: some requests are not being closed", first=int(
                         first["open_long"]), last=int(last["open_long"]), **words), other
    start, end = int(first[column]), int(last[column])
    other = _("Requests open 90 days or more: {first:,} in {start}, {last:,} in {end}.",
              first=int(first["open_long"]), last=int(last["open_long"]), **words) \
        if by_age else ""
    name = _("Requests open under 90 days") if by_age else _("Open requests at month end")
    if abs(end - start) <= 0.1 * max(start, 1):
        return _("{name} stayed near {level:,} from {start} to {end}", name=name,
                 level=int(round((start + end) / 2)), **words), other
    if end > start:
        return _("{name} rose from {first:,} in {start} to {last:,} in {end}", name=name,
                 first=start, last=end, **words), other
    return _("{name} fell from {first:,} in {start} to {last:,} in {end}", name=name,
             first=start, last=end, **words), other


def plot_target_plan(plan: TargetPlan, *, context: ChartContext) -> Chart:
    """The metric's history, its baseline, the trajectory to the target and the usual range."""
    history = plan.history.values.iloc[-HISTORY_SHOWN[plan.history.frequency]:]
    line = plan.trajectory
    labels = [*history.index.astype(str), *line["period"].astype(str)]
    x_history = np.arange(len(history))
    x_line = np.arange(len(history), len(labels))
    figure, ax = new_axes()
    low, high = plan.usual_range
    ax.axhspan(low, high, color="#EEEEEE", zorder=0,
               label=_("Usual range of the baseline year") if plan.range_basis == "range"
               else _("Natural limits of the baseline year"))
    ax.plot(x_history, history.to_numpy(dtype=float), color=MAIN_COLOUR, marker="o",
            markersize=4, linewidth=2, label=_("Actual"))
    inside = history.index.astype(str).isin(
        plan.history.values.loc[plan.baseline.first:plan.baseline.last].index.astype(str))
    if inside.any():
        ax.hlines(plan.baseline.value, x_history[inside][0], x_history[inside][-1],
                  colors=GUIDE_COLOUR, linestyles="--", linewidth=1.5,
                  label=_("Baseline (median)"))
    ax.plot(x_line, line["expected"], color=TARGET_COLOUR, linestyle="--", linewidth=2,
            label=_("Trajectory to the target"))
    ax.scatter([x_line[-1]], [plan.target.target], marker="*", s=180, color=TARGET_COLOUR,
               zorder=4, label=_("Target"))
    _time_axis(ax, labels)
    unit = plan.target.unit
    if unit == "share":
        ax.yaxis.set_major_formatter(FuncFormatter(_percent_tick))
    elif unit == "requests":
        count_ticks(ax.yaxis)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    name = plan.history.name
    axis_label = {"share": _("{metric} (%)", metric=name),
                  "days": _("{metric} (days)", metric=name),
                  "requests": _("{metric} (requests)", metric=name)}.get(unit, name)
    frequency = plan.history.frequency
    style_axes(ax, value_axis="y", xlabel=_(FREQUENCY_WORDS[frequency]) if frequency in
                FREQUENCY_WORDS else frequency.capitalize(),
                ylabel=textwrap.fill(axis_label, 30))
    title = _("{metric}: reaching {target} by {due} means {step}", metric=name,
              target=_value(plan.target.target, unit), due=describe_period(plan.target.due),
              step=_step_words(plan))
    return finish_chart(
        figure, context=context, title=title, subtitle=str(plan.target),
        notes=[plan.verdict(), *plan.history.notes], panel_height=3.4,
        description=_("Line chart of {metric} in {city}: the actual values, the baseline, and "
                      "the straight trajectory to the target by {due}.",
                      metric=plan.history.label, city=context.city_name, due=plan.target.due))


class Note:
    """A sentence shown where a chart would be, when there is nothing to draw (and why).

    >>> Note("No control chart: too few months.")
    No control chart: too few months.
    """

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        import html

        return f'<p class="cda-note"><em>{html.escape(self.text)}</em></p>'


def plot_signals(check: SignalCheck, *, context: ChartContext, unit: str = "") -> Chart | Note:
    """The control chart of a :func:`cda_lib.themes.lead.metric_series.check_signals` result,
    or a note saying why the metric has none (too few periods, no variation)."""
    if check.chart is None:
        return Note(check.reason)
    from cda_lib.themes.lead.performance_charts import plot_control_chart

    return plot_control_chart(check.chart, context=context, unit=unit)


def plot_backtest(backtest: Backtest, *, context: ChartContext) -> Chart | Note:
    """The trajectory chart of a :func:`cda_lib.themes.lead.target_setter.backtest` result, or a
    note saying why there is none (less than two years of data)."""
    if backtest.target is None or backtest.gaps is None:
        return Note(backtest.reason)
    from cda_lib.themes.lead.performance_charts import plot_trajectory

    return plot_trajectory(backtest.gaps, backtest.target, context=context)


# --- internals -----------------------------------------------------------------------------


def _time_axis(ax, labels: list[str]) -> None:
    """Period labels on two lines ("Mar / 2025"), at most about ten of them."""
    step = max(1, int(np.ceil(len(labels) / 10)))
    ticks = np.arange(0, len(labels), step)
    ax.set_xticks(ticks, [_two_lines(labels[i]) for i in ticks])
    ax.set_xlim(-0.5, len(labels) - 0.5)


def _two_lines(label: str) -> str:
    if len(label) == 7 and label[4] == "-":  # a month: "Mar\n2025"
        return f"{month_name(int(label[5:]), 'abbreviated')}\n{label[:4]}"
    return describe_period(label).replace(" ", "\n", 1)


def _percent_tick(value: float, _position) -> str:
    return format_message("{value:.0%}", value=value)


def _value(value: float, unit: str) -> str:
    """A value in its unit; request counts without the word, as the title names them."""
    return format_number(value, 0) if unit == "requests" else format_value(value, unit)


def _step_words(plan: TargetPlan) -> str:
    unit, every = plan.target.unit, plan.history.frequency
    size = abs(plan.step)
    if plan.improvement == 0 or size == 0:
        return _("holding the line")
    step = format_difference(size, unit, per_period=True)
    if unit == "share":
        return _("about {step} better each quarter", step=step) if every == "quarter" else \
            _("about {step} better each month", step=step)
    if unit == "days":
        return _("about {step} faster each quarter", step=step) if every == "quarter" else \
            _("about {step} faster each month", step=step)
    step = format_number(size, 0)
    return _("about {step} fewer each quarter", step=step) if every == "quarter" else \
        _("about {step} fewer each month", step=step)
