"""The target setter: choose a metric, a place and an improvement; see the gap and the path.

Module 1.3's widget, with its logic in plain functions so it can be tested without a
browser. :func:`plan_target` turns a metric's history (:mod:`cda_lib.themes.lead.metric_series`)
into a :class:`TargetPlan`:

* the **baseline**: the median of the last year's values (12 months, or 4 quarters), so
  every season counts once and one odd month does not set the bar
  (:func:`cda_lib.metrics.targets.baseline`);
* the **target**: the baseline improved by the chosen share (10% better: a share 10%
  higher, days 10% fewer), due a chosen number of months after the data ends;
* the **trajectory**: the straight line from baseline to target, one expected value per
  month (:func:`cda_lib.metrics.targets.trajectory`), and the **gap** it closes each month;
* a **reality check**: is the target inside the metric's usual ups and downs (the
  natural process limits of the baseline year, :mod:`cda_lib.metrics.control`)? Then a month at
  that level can happen by chance and proves nothing on its own. Beyond them, it needs a
  real change in how the work is done, and the control chart will show it when it comes.

:class:`TargetSetter` offers the city's own metrics, districts and request types,
falls back from months to quarters when a district's months hold too few requests, and
records the chosen target in the city's workspace (:func:`cda_lib.metrics.targets.record_target`),
where the weekly brief and the capstone read it.

>>> history = MetricHistory("on_time_share", "month", pd.Series(
...     [0.6, 0.62, 0.58, 0.61, 0.6, 0.59, 0.6, 0.62, 0.6, 0.61, 0.6, 0.6],
...     index=[str(p) for p in pd.period_range("2025-01", periods=12, freq="M")]),
...     pd.Series([100] * 12))
>>> plan = plan_target(history, improvement=0.1, months=12)
>>> print(plan.target)
On-time share: from 60% to 66% between 2026-01 and 2026-12 (higher is better)
>>> round(plan.step, 4)
0.0055
"""

from __future__ import annotations

import dataclasses
import html
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import ipywidgets as widgets
import numpy as np
import pandas as pd

from cda_lib.core.errors import CdaError, did_you_mean, list_choices
from cda_lib.core.workspace import Workspace
from cda_lib.exercises.widgets import WithSnapshot
from cda_lib.metrics import kpi
from cda_lib.metrics.control import ControlChartError
from cda_lib.metrics.periods import TIME_KEYS, describe_period
from cda_lib.metrics.targets import (
    KPI_DIRECTIONS,
    Baseline,
    Target,
    TargetError,
    baseline,
    gap,
    progress_summary,
    record_target,
    set_target,
    trajectory,
)
from cda_lib.text.numbers import format_difference, format_percent, format_value
from cda_lib.text.translation import N_, gettext as _, ngettext
from cda_lib.themes.lead.charts import plot_target_plan
from cda_lib.themes.lead.metric_series import (
    FREQUENCY_WORDS,
    METRIC_NAMES,
    MetricHistory,
    control_chart,
    metric_history,
    period_count,
)

if TYPE_CHECKING:
    from cda_lib.data import CityData

MODULE = "1.3"  # the page that records the targets (page 1.3)
# A year of periods sets the baseline: every season once (12 months, or 4 quarters).
BASELINE_PERIODS = {"month": 12, "quarter": 4}
# Improvements offered by the slider: none to half again better, in steps of five points.
# Beyond 50% in a year is rarely a target and more often a wish.
MAX_IMPROVEMENT = 0.5
IMPROVEMENT_STEP = 0.05
# A first target of 10% better in 12 months: a common starting point for a team's first
# year (Boston's CityScore-style targets and stat programmes move in such steps); the
# team changes both with the sliders.
DEFAULT_IMPROVEMENT = 0.10
DEFAULT_MONTHS = 12
MONTHS_RANGE = (3, 24)  # from a quarter ahead to two budget years
# Control limits need a year of values (cda_lib.metrics.control.MIN_BASELINE_POINTS, 12); with
# fewer, the reality check compares the target with the range the baseline year covered.
MIN_POINTS_FOR_LIMITS = 12
CITYWIDE = N_("Citywide")
ALL_TYPES = N_("All request types")
EVERYTHING = ""  # the dropdowns' value for the whole city, or every request type


class TargetSetterError(CdaError, ValueError):
    """A target cannot be planned from the choices made; the message says what to change."""


class NoBaselineError(TargetSetterError):
    """Too few periods with a value to set a baseline from (longer periods may help)."""


@dataclass(frozen=True, repr=False)
class TargetPlan:
    """A planned target: the history it rests on, baseline, target, trajectory and check."""

    history: MetricHistory
    baseline: Baseline
    target: Target
    improvement: float
    trajectory: pd.DataFrame
    usual_range: tuple[float, float]
    range_basis: str  # "natural limits" or "range"

    @property
    def gap(self) -> float:
        """The target minus the baseline (negative when lower is better)."""
        return self.target.target - self.baseline.value

    @property
    def steps(self) -> int:
        """Periods from the start of the trajectory to the due date."""
        return len(self.trajectory) - 1

    @property
    def step(self) -> float:
        """How far the trajectory moves each period."""
        return self.gap / self.steps if self.steps else self.gap

    @property
    def beyond_usual(self) -> bool:
        """True when the target lies outside the metric's usual ups and downs."""
        low, high = self.usual_range
        return not (low <= self.target.target <= high)

    def verdict(self) -> str:
        """The reality check in words (see the module text)."""
        unit, quarters = self.target.unit, self.history.frequency == "quarter"
        low, high = (format_value(v, unit) for v in self.usual_range)
        values = {"count": self.baseline.periods, "low": low, "high": high,
                  "target": format_value(self.target.target, unit)}
        if self.range_basis == "natural limits":
            values["where"] = _("the natural limits of the last {count} quarters ({low} to "
                                "{high})", **values) if quarters else \
                _("the natural limits of the last {count} months ({low} to {high})", **values)
        else:
            values["where"] = _("the range of the last {count} quarters ({low} to {high})",
                                **values) if quarters else \
                _("the range of the last {count} months ({low} to {high})", **values)
        if self.improvement == 0:
            return _("This target keeps the metric where it is: it asks for no change.")
        if self.beyond_usual and quarters:
            return _("{target} lies beyond {where}: no quarter reaches it by chance, so reaching "
                     "it needs a real change in how the work is done. When that change comes, "
                     "the control chart will show it as a signal.", **values)
        if self.beyond_usual:
            return _("{target} lies beyond {where}: no month reaches it by chance, so reaching "
                     "it needs a real change in how the work is done. When that change comes, "
                     "the control chart will show it as a signal.", **values)
        if quarters:
            return _("{target} lies within {where}: a quarter at that level can happen by "
                     "chance, so one good quarter proves nothing. Judge progress by a run of "
                     "quarters on the better side of the centre line, as the control chart's "
                     "rules do.", **values)
        return _("{target} lies within {where}: a month at that level can happen by chance, so "
                 "one good month proves nothing. Judge progress by a run of months on the "
                 "better side of the centre line, as the control chart's rules do.", **values)

    def lines(self) -> list[str]:
        """The plan in a few sentences: baseline, target, gap, reality check, data notes."""
        t, h = self.target, self.history
        target = _("The target: {target} by {due}, {improvement} better than the baseline.",
                   target=format_value(t.target, t.unit), due=describe_period(t.due),
                   improvement=format_percent(self.improvement))
        if t.owner:
            target += " " + _("Owner: {owner}.", owner=t.owner)
        values = {"gap": format_difference(abs(self.gap), t.unit),
                  "step": format_difference(abs(self.step), t.unit, per_period=True)}
        gap = ngettext("The gap: {gap} in {count} quarter, about {step} each quarter.",
                       "The gap: {gap} in {count} quarters, about {step} each quarter.",
                       self.steps, **values) if h.frequency == "quarter" else \
            ngettext("The gap: {gap} in {count} month, about {step} each month.",
                     "The gap: {gap} in {count} months, about {step} each month.",
                     self.steps, **values)
        lines = [
            _("Where it stands: {metric}, baseline {baseline}.", metric=h.label,
              baseline=str(self.baseline)),
            target, gap, self.verdict(),
        ]
        return lines + list(h.notes)

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines())
        return f'<ul class="cda-target-plan">{items}</ul>'


def plan_target(history: MetricHistory, *, improvement: float = DEFAULT_IMPROVEMENT,
                months: int = DEFAULT_MONTHS, owner: str | None = None) -> TargetPlan:
    """Plan a target for a metric's history: baseline, target, trajectory and reality check.

    ``improvement`` is the share better than the baseline (0.1: a share 10% higher, or a
    time 10% shorter); ``months`` how far after the data's last period the target is
    due (in quarters, rounded up, for a quarterly history). The trajectory starts in the
    period after the data ends, or after the extract when the data stopped before it.
    """
    direction = KPI_DIRECTIONS.get(history.kpi)
    if direction is None:
        raise TargetSetterError(_(
            "{metric} measures demand, not how well the city serves it: no direction is "
            "better, so it takes no target. Choose one of {choices}.", metric=history.name,
            choices=list_choices(_(METRIC_NAMES[k]) for k in KPI_DIRECTIONS)))
    improvement = _checked_improvement(improvement)
    months = _checked_months(months)
    periods = BASELINE_PERIODS.get(history.frequency)
    if periods is None:
        raise TargetSetterError(_("Targets are set by month or by quarter, not by "
                                  "{frequency}. Follow the metric by month.",
                                  frequency=_(FREQUENCY_WORDS.get(history.frequency,
                                                                  history.frequency))))
    try:
        base = baseline(history.values, periods=periods, unit=history.unit)
    except TargetError as error:
        raise NoBaselineError(_("There is no baseline for {metric}: {problem}",
                                metric=history.label, problem=str(error))) from None
    _check_reachable(base.value, improvement, history)
    freq = TIME_KEYS[history.frequency]
    last = pd.Period(history.values.index[-1], freq=freq)
    if history.as_of is not None:  # data that stopped long before the extract: plan from now
        last = max(last, history.as_of.to_period(freq))
    steps = months if history.frequency == "month" else math.ceil(months / 3)
    start, due = last + 1, last + max(steps, 2)
    target = set_target(history.name, baseline=base, improvement=improvement,
                        direction=direction, unit=history.unit, start=str(start), due=str(due),
                        frequency=history.frequency, district=history.district,
                        service_code=history.service_code, owner=(owner or "").strip() or None,
                        kpi=history.kpi)
    usual, basis = _usual_range(history, base)
    return TargetPlan(history=history, baseline=base, target=target, improvement=improvement,
                      trajectory=trajectory(target), usual_range=usual, range_basis=basis)


# --- looking back --------------------------------------------------------------------------


@dataclass(frozen=True)
class Backtest:
    """A target as if it had been set a year before the data ends, and where it stands now.

    ``target`` and ``gaps`` (:func:`cda_lib.metrics.targets.gap`) are None when the data is too
    short to look back; ``reason`` then says why. :func:`cda_lib.themes.lead.charts.plot_backtest`
    draws it.
    """

    target: Target | None
    gaps: pd.DataFrame | None
    reason: str = ""

    def summary(self) -> str:
        """Where the metric stood against the trajectory in its latest period, or why not."""
        if self.target is None or self.gaps is None:
            return self.reason
        return progress_summary(self.gaps, self.target)

    def _repr_html_(self) -> str:
        return f'<p class="cda-metric"><strong>{html.escape(self.summary())}</strong></p>'

    def __repr__(self) -> str:
        return self.summary()


def backtest(history: MetricHistory, *, improvement: float = DEFAULT_IMPROVEMENT) -> Backtest:
    """Had the city set this target a year before its data ends, where would it stand now?

    The baseline is the median of the year before the last (12 months, or 4 quarters); the
    trajectory runs through the last year, whose actual values are set against it.
    """
    direction = KPI_DIRECTIONS.get(history.kpi)
    if direction is None:
        return Backtest(None, None, _("{metric} takes no target: no direction is better.",
                                      metric=history.name))
    improvement = _checked_improvement(improvement)
    periods = BASELINE_PERIODS.get(history.frequency, 12)
    values = history.values
    if len(values) < 2 * periods:
        has = period_count(len(values), history.frequency)
        return Backtest(None, None, {
            "quarter": _("Looking back needs two years of quarters: one to set the baseline "
                         "and one to compare with it. This data has {periods}.", periods=has),
            "week": _("Looking back needs two years of weeks: one to set the baseline and one "
                      "to compare with it. This data has {periods}.", periods=has),
        }.get(history.frequency) or _("Looking back needs two years of months: one to set the "
                                      "baseline and one to compare with it. This data has "
                                      "{periods}.", periods=has))
    before, after = values.iloc[:-periods], values.iloc[-periods:]
    try:
        base = baseline(before, periods=periods, unit=history.unit)
        _check_reachable(base.value, improvement, history)
    except (TargetError, TargetSetterError) as problem:
        return Backtest(None, None, _("No look back for {metric}: {problem}",
                                      metric=history.label, problem=str(problem)))
    target = set_target(history.name, baseline=base, improvement=improvement,
                        direction=direction, unit=history.unit, start=str(after.index[0]),
                        due=str(after.index[-1]), frequency=history.frequency,
                        district=history.district, service_code=history.service_code,
                        kpi=history.kpi)
    return Backtest(target, gap(after, target))


# --- the setter ----------------------------------------------------------------------------


@dataclass
class TargetSetter:
    """Plan targets from a city's data and record the chosen ones in its workspace.

    ``workspace`` defaults to the city's own (``Workspace(data.city.id)``). The choices
    offered come from the data: the metrics it can measure, its districts and its
    request types (most common first).
    """

    data: CityData
    workspace: Workspace | None = None
    module: str = MODULE
    min_requests: int = kpi.MIN_REQUESTS
    recorded: list[Target] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.workspace is None:
            self.workspace = Workspace(self.data.city.id)

    @property
    def metrics(self) -> dict[str, str]:
        """The metrics a target can be set for in this data: label -> KPI column."""
        requests = self.data.requests
        offered = {}
        for name in KPI_DIRECTIONS:
            if name == "reopen_rate" and "reopened" not in requests.columns:
                continue
            if name == "cancellation_rate" and "status_notes" not in requests.columns:
                continue
            offered[METRIC_NAMES[name]] = name
        return offered

    @property
    def districts(self) -> list[str]:
        return [str(d) for d in self.data.districts["district"]]

    @property
    def request_types(self) -> list[tuple[str, str]]:
        """(name, code) of every request type, most common first."""
        requests = self.data.requests
        counts = requests.groupby(["service_name", "service_code"], observed=True).size()
        counts = counts.sort_index().sort_values(ascending=False, kind="stable")
        return [(str(name), str(code)) for name, code in counts.index]

    def history(self, kpi_name: str, *, district: str | None = None,
                service_code: str | None = None, frequency: str = "month") -> MetricHistory:
        data = self.data
        return metric_history(data.requests, data.city.service_standards, as_of=data.as_of,
                              kpi_name=kpi_name, district=district, service_code=service_code,
                              frequency=frequency, min_requests=self.min_requests)

    def plan(self, kpi_name: str = "on_time_share", *, district: str | None = None,
             service_code: str | None = None, improvement: float = DEFAULT_IMPROVEMENT,
             months: int = DEFAULT_MONTHS, owner: str | None = None) -> TargetPlan:
        """Plan a target by month; by quarter when the months hold too few requests."""
        if kpi_name not in self.metrics.values():
            offered = list(self.metrics.values())
            raise TargetSetterError(_('This data cannot set a target for "{metric}".',
                                      metric=kpi_name)
                                    + did_you_mean(str(kpi_name), offered) + " "
                                    + _("It can for {choices}.",
                                        choices=list_choices(offered)))
        monthly = self.history(kpi_name, district=district, service_code=service_code)
        try:
            return plan_target(monthly, improvement=improvement, months=months, owner=owner)
        except NoBaselineError as by_month:
            quarterly = self.history(kpi_name, district=district, service_code=service_code,
                                     frequency="quarter")
            try:
                plan = plan_target(quarterly, improvement=improvement, months=months,
                                   owner=owner)
            except TargetSetterError:
                raise TargetSetterError(_(
                    "{problem} Quarters do not help either: choose a larger group (the whole "
                    "city, or all request types).", problem=str(by_month))) from None
            notes = (_("Too few requests by month for {metric}, so the target is set by "
                       "quarter.", metric=quarterly.label),)
            history = dataclasses.replace(quarterly, notes=notes + quarterly.notes)
            return dataclasses.replace(plan, history=history)

    def record(self, plan: TargetPlan) -> Target:
        """Save the plan's target in the city's workspace (replacing one for the same metric
        and place) and return it."""
        record_target(self.workspace, plan.target, module=self.module)
        self.recorded = [t for t in self.recorded if t.key != plan.target.key] + [plan.target]
        return plan.target

    def widget(self) -> TargetSetterWidget:
        """The no-code target setter: menus and sliders, the plan, its chart, a Record button."""
        return build_widget(self)


def build_widget(setter: TargetSetter) -> TargetSetterWidget:
    """Build the target setter's widget (see :class:`TargetSetterWidget`)."""
    wide = widgets.Layout(width="100%", max_width="760px")
    style = {"description_width": "11em"}
    metric = widgets.Dropdown(options=[(_(label), name) for label, name in
                                       setter.metrics.items()], value="on_time_share",
                              description=_("Metric"), style=style, layout=wide)
    # "" for the whole city and every type: a Dropdown whose value is None shows no choice
    district = widgets.Dropdown(options=[(_(CITYWIDE), EVERYTHING)] + [(d, d) for d in
                                                                       setter.districts],
                                value=EVERYTHING, description=_("District"), style=style,
                                layout=wide)
    service = widgets.Dropdown(options=[(_(ALL_TYPES), EVERYTHING)] + setter.request_types,
                               value=EVERYTHING, description=_("Request type"), style=style,
                               layout=wide)
    improvement = widgets.FloatSlider(value=DEFAULT_IMPROVEMENT, min=0.0, max=MAX_IMPROVEMENT,
                                      step=IMPROVEMENT_STEP, readout_format=".0%",
                                      continuous_update=False, description=_("Improvement"),
                                      style=style, layout=wide)
    months = widgets.IntSlider(value=DEFAULT_MONTHS, min=MONTHS_RANGE[0], max=MONTHS_RANGE[1],
                               continuous_update=False, description=_("Months to reach it"),
                               style=style, layout=wide)
    owner = widgets.Text(value="", placeholder=_("Who answers for it in the stat meeting"),
                         description=_("Owner"), style=style, layout=wide)
    record = widgets.Button(description=_("Record this target"), icon="save",
                            button_style="primary", layout=widgets.Layout(width="max-content"))
    box = TargetSetterWidget([metric, district, service, improvement, months, owner, record],
                             layout=wide)
    box.setter = setter
    box.metric, box.district, box.service = metric, district, service
    box.improvement, box.months, box.owner, box.record_button = improvement, months, owner, record
    box.status = widgets.HTML("", layout=wide)
    box.summary = widgets.HTML("", layout=wide)
    box.chart = widgets.HTML("", layout=wide)
    box.children = (*box.children, box.status, box.summary, box.chart)
    for control in (metric, district, service, improvement, months, owner):
        control.observe(lambda _change: box.refresh(), names="value")
    record.on_click(lambda _button: box.record())
    box.add_class("cda-target-setter")
    box.refresh()
    return box


class TargetSetterWidget(WithSnapshot, widgets.VBox):
    """The target setter's controls and what they show; parts reachable by name for tests.

    ``metric``, ``district``, ``service``, ``improvement``, ``months``, ``owner`` and
    ``record_button`` are the controls; ``summary`` (the plan in words), ``chart`` (the
    trajectory) and ``status`` (what was recorded) show the result; ``plan`` is the
    current :class:`TargetPlan`, or None when the choices cannot make one.
    """

    setter: TargetSetter
    metric: widgets.Dropdown
    district: widgets.Dropdown
    service: widgets.Dropdown
    improvement: widgets.FloatSlider
    months: widgets.IntSlider
    owner: widgets.Text
    record_button: widgets.Button
    summary: widgets.HTML
    chart: widgets.HTML
    status: widgets.HTML
    plan: TargetPlan | None = None

    def snapshot_html(self) -> str:
        """The plan in words and its chart, as the current choices make them."""
        return f'<div class="cda-setter-snapshot">{self.summary.value}{self.chart.value}</div>'

    def refresh(self) -> None:
        """Plan again from the current choices and show the result (or why there is none)."""
        self.status.value = ""
        try:
            self.plan = self.setter.plan(self.metric.value,
                                         district=self.district.value or None,
                                         service_code=self.service.value or None,
                                         improvement=self.improvement.value,
                                         months=self.months.value, owner=self.owner.value)
        except CdaError as problem:
            self.plan = None
            self.summary.value = (f'<p class="cda-problem"><strong>'
                                  f"{html.escape(_('No target yet.'))}</strong> "
                                  f"{html.escape(str(problem))}</p>")
            self.chart.value = ""
            self.record_button.disabled = True
            return
        self.summary.value = self.plan._repr_html_()
        self.chart.value = plot_target_plan(self.plan,
                                            context=self.setter.data.chart_context).html()
        self.record_button.disabled = False

    def record(self) -> Target | None:
        """Record the current plan's target in the workspace and say so."""
        if self.plan is None:
            return None
        target = self.setter.record(self.plan)
        recorded = _("{target}, in {city}'s workspace.", target=str(target),
                     city=self.setter.data.city.name)
        self.status.value = (f'<p class="cda-recorded"><strong>{html.escape(_("Recorded."))}'
                             f"</strong> {html.escape(recorded)}</p>")
        return target


# --- internals -----------------------------------------------------------------------------


def _checked_improvement(improvement) -> float:
    if isinstance(improvement, bool) or not isinstance(improvement, (int, float, np.floating)) \
            or not 0 <= improvement < 1:
        raise TargetSetterError(_("The improvement should be a share between 0 and 1, such as "
                                  "0.1 for 10% better, not {value}.", value=repr(improvement)))
    return round(float(improvement), 6)  # slider steps arrive as 0.15000000000000002


def _checked_months(months) -> int:
    if isinstance(months, bool) or not isinstance(months, (int, np.integer)) or months < 2:
        raise TargetSetterError(_("The target needs at least 2 months ahead (a start and a due "
                                  "date), not {value}. Try 12.", value=repr(months)))
    return int(months)


def _check_reachable(value: float, improvement: float, history: MetricHistory) -> None:
    if history.unit != "share" or history.direction != "higher_is_better":
        return
    target = value * (1 + improvement)
    if target > 1:
        most = (1 - value) / value if value > 0 else 0.0
        raise TargetSetterError(_(
            "{improvement} better than {value} would be {target}, and a share cannot pass 100%. "
            "The most this metric can improve is {most}: choose a smaller improvement.",
            improvement=format_percent(improvement), value=format_percent(value),
            target=format_percent(target), most=format_percent(math.floor(most * 100) / 100)))


def _usual_range(history: MetricHistory, base: Baseline) -> tuple[tuple[float, float], str]:
    """The natural limits of the baseline periods, or their range when too few for limits."""
    window = history.values.loc[base.first:base.last]
    present = window.dropna()
    if len(present) >= MIN_POINTS_FOR_LIMITS:
        period = dataclasses.replace(history, values=window,
                                     successes=_slice(history.successes, window),
                                     totals=_slice(history.totals, window))
        try:
            chart = control_chart(period, baseline=len(window))
        except ControlChartError:  # no variation to set limits from: use the range
            return (float(present.min()), float(present.max())), "range"
        rows = chart.table[chart.table["value"].notna()]
        return (float(rows["lower"].median()), float(rows["upper"].median())), "natural limits"
    return (float(present.min()), float(present.max())), "range"


def _slice(series: pd.Series | None, window: pd.Series) -> pd.Series | None:
    return None if series is None else series.reindex(window.index)
