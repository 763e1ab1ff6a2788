"""Baselines, targets and trajectories: where a metric starts, where the city wants it, and
whether it is on the way there.

A *baseline* is where the metric stands before the push (the median of recent periods,
so one odd month does not set it). A *target* is the value the city commits to by a due
date, with a direction (is higher better?). The *trajectory* is the straight line from
the baseline at the start to the target at the due date, one expected value per period,
and the *gap* is how far each period's actual value is from that line, in the direction
that matters. A target recorded in the city's workspace (:func:`record_target`) is read
back by the weekly brief and the capstone.

>>> target = set_target("On-time share, potholes", baseline=0.62, target=0.80,
...                     start="2025-01", due="2025-12", unit="share")
>>> print(target)
On-time share, potholes: from 62% to 80% between 2025-01 and 2025-12 (higher is better)
>>> trajectory(target)["expected"].round(3).tolist()[:3]
[0.62, 0.636, 0.653]
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from cda_lib.core.errors import CdaError, did_you_mean, list_choices
from cda_lib.core.workspace import Workspace
from cda_lib.metrics.periods import describe_period
from cda_lib.text.numbers import format_difference, format_value
from cda_lib.text.translation import N_, gettext as _

DIRECTIONS = ("higher_is_better", "lower_is_better")
UNITS = ("share", "days", "requests", "score")
BASELINE_METHODS = ("median", "mean", "last")
# The median of the last 12 months: a full year, so every season counts once, and the
# median so one odd month does not set the bar.
DEFAULT_BASELINE_PERIODS = 12
# A baseline from fewer than three periods is one or two numbers: too easily a fluke.
MIN_BASELINE_PERIODS = 3
PERIOD_FREQUENCIES = {"month": "M", "week": "W-SUN", "quarter": "Q-DEC", "year": "Y-DEC"}
WORKSPACE_KEY = "targets"  # the workspace record holding every target the city set
# The KPI table columns a target can track (so the brief can compute its actual value),
# with the direction that is better for each.
KPI_DIRECTIONS = {
    "on_time_share": "higher_is_better",
    "median_days": "lower_is_better",
    "p90_days": "lower_is_better",
    "backlog_at_end": "lower_is_better",
    "reopen_rate": "lower_is_better",
    "cancellation_rate": "lower_is_better",
}
# A baseline in words, one sentence per method (English, translated where it is shown).
BASELINE_WORDS = {
    "median": N_("{value} (median of {periods} periods, {first} to {last})"),
    "mean": N_("{value} (mean of {periods} periods, {first} to {last})"),
    "last": N_("{value} (last of {periods} periods, {first} to {last})"),
}
# The names of a target's parts in a message ("The target is 1.2, but ...").
# Translators: the target's value, its starting level, and its first and last periods.
_PARTS = {"target": N_("target"), "baseline": N_("baseline"), "start": N_("start"),
          "due": N_("due")}
KPI_UNITS = {"on_time_share": "share", "median_days": "days", "p90_days": "days",
             "backlog_at_end": "requests", "reopen_rate": "share", "cancellation_rate": "share"}


class TargetError(CdaError, ValueError):
    """A baseline, target or trajectory cannot be made from what was given."""


@dataclass(frozen=True)
class Baseline:
    """Where a metric stands before a push: the value and the periods it summarizes.

    >>> print(Baseline(4.2, "median", "2024-01", "2024-12", 12, "days"))
    4.2 days (median of 12 periods, 2024-01 to 2024-12)
    """

    value: float
    method: str
    first: str
    last: str
    periods: int
    unit: str = ""

    def __float__(self) -> float:
        return float(self.value)

    def __str__(self) -> str:
        return _(BASELINE_WORDS[self.method], value=format_value(self.value, self.unit),
                 periods=self.periods, first=self.first, last=self.last)

    def __repr__(self) -> str:  # a page shows the sentence, never the dataclass's fields
        return str(self)

    def _repr_html_(self) -> str:
        return f'<p class="cda-metric"><strong>{html.escape(_("Baseline:"))}</strong> ' \
               f"{html.escape(str(self))}</p>"


@dataclass(frozen=True)
class Target:
    """A commitment: move ``metric`` from ``baseline`` to ``target`` between two periods.

    ``start`` and ``due`` are period labels ("2025-01" for months); ``district`` and
    ``service_code`` say which part of the city it is for (empty: citywide, all types);
    ``owner`` is the person who answers for it in the stat meeting; ``kpi`` names the
    column of :func:`cda_lib.metrics.kpi.kpi_table` it tracks (e.g. "on_time_share"), so the
    weekly brief can compute its actual value.
    """

    metric: str
    baseline: float
    target: float
    start: str
    due: str
    direction: str = "higher_is_better"
    unit: str = ""
    frequency: str = "month"
    district: str | None = None
    service_code: str | None = None
    owner: str | None = None
    kpi: str | None = None

    @property
    def key(self) -> str:
        """What makes a target unique in a workspace: the metric and the part of the city."""
        return f"{self.metric} | {self.district or 'citywide'} | {self.service_code or 'all'}"

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher_is_better"

    @property
    def change(self) -> float:
        """The improvement asked for, as a share of the baseline (0.2 = 20% better)."""
        if self.baseline == 0:
            return math.inf if self.target != 0 else 0.0
        change = (self.target - self.baseline) / abs(self.baseline)
        return change if self.higher_is_better else -change

    def __str__(self) -> str:
        where = ", ".join(x for x in (self.district, self.service_code) if x)
        values = {"metric": _(self.metric), "where": f" ({where})" if where else "",
                  "baseline": format_value(self.baseline, self.unit),
                  "target": format_value(self.target, self.unit), "start": self.start,
                  "due": self.due}
        if self.higher_is_better:
            return _("{metric}{where}: from {baseline} to {target} between {start} and {due} "
                     "(higher is better)", **values)
        return _("{metric}{where}: from {baseline} to {target} between {start} and {due} "
                 "(lower is better)", **values)

    def to_record(self) -> dict:
        """A plain dict for the workspace."""
        return asdict(self)

    @classmethod
    def from_record(cls, record: dict) -> Target:
        return cls(**record)


def baseline(values: pd.Series, *, periods: int = DEFAULT_BASELINE_PERIODS,
             method: str = "median", unit: str = "") -> Baseline:
    """The baseline of a metric: the median (or mean, or last value) of its last periods.

    ``values`` is one value per period in time order (e.g. a column of :func:`kpi_table`
    indexed by month). Missing values (periods with too few requests) are skipped.

    >>> monthly = pd.Series([4.0, 5.0, 4.5, 9.0, 4.2], index=["2025-01", "2025-02", "2025-03",
    ...                                                      "2025-04", "2025-05"])
    >>> print(baseline(monthly, periods=5, unit="days"))
    4.5 days (median of 5 periods, 2025-01 to 2025-05)
    """
    if method not in BASELINE_METHODS:
        raise TargetError(_('There is no baseline method "{method}".{hint} Use {choices}.',
                            method=method, hint=did_you_mean(str(method), BASELINE_METHODS),
                            choices=list_choices(BASELINE_METHODS)))
    if isinstance(periods, bool) or not isinstance(periods, (int, np.integer)) or periods < 1:
        raise TargetError(_("periods should be a whole number such as 12, not {value}.",
                            value=repr(periods)))
    series = _numbers(values, "values")
    present = series.dropna()
    chosen = present.iloc[-periods:]
    if len(chosen) < MIN_BASELINE_PERIODS:
        raise TargetError(_(
            "A baseline needs at least {needed} periods with a value; these values have "
            "{count}. Choose a longer history, or a larger group (the whole city, or a month "
            "instead of a week).", needed=MIN_BASELINE_PERIODS, count=len(present)))
    value = {"median": chosen.median, "mean": chosen.mean, "last": lambda: chosen.iloc[-1]}[
        method]()
    return Baseline(float(value), method, str(chosen.index[0]), str(chosen.index[-1]),
                    len(chosen), unit)


def historic_target(values: pd.Series, *, direction: str = "higher_is_better") -> float:
    """A target one standard deviation better than the historic average (CityScore's rule).

    Boston's CityScore toolkit sets a metric's historic target at its mean minus one
    standard deviation of past values, for metrics where lower is better; the mirror
    image (mean plus one deviation) serves metrics where higher is better. Shares are
    kept between 0 and 1 by the caller's choice of metric; this returns the raw number.

    >>> historic_target(pd.Series([4.0, 6.0, 5.0]), direction="lower_is_better")
    4.0
    """
    _check_direction(direction)
    series = _numbers(values, "values").dropna()
    if len(series) < MIN_BASELINE_PERIODS:
        raise TargetError(_("A historic target needs at least {needed} past values; there are "
                            "{count}.", needed=MIN_BASELINE_PERIODS, count=len(series)))
    spread = float(series.std(ddof=1))
    mean = float(series.mean())
    return mean + spread if direction == "higher_is_better" else mean - spread


def set_target(metric: str, *, baseline: float | Baseline, start, due,
               target: float | None = None, improvement: float | None = None,
               direction: str | None = None, unit: str = "",
               frequency: str = "month", district: str | None = None,
               service_code: str | None = None, owner: str | None = None,
               kpi: str | None = None) -> Target:
    """Set a target: give the value (``target``) or the improvement (0.1 = 10% better).

    ``kpi`` (optional) names the KPI column the target tracks; it then also gives the
    direction and unit when they are not given. Without it, higher is better unless
    ``direction`` says otherwise.

    >>> print(set_target("Median days to close", baseline=6.0, improvement=0.25,
    ...                  direction="lower_is_better", start="2025-01", due="2025-06",
    ...                  unit="days"))
    Median days to close: from 6.0 days to 4.5 days between 2025-01 and 2025-06 (lower is \
better)
    """
    if kpi is not None and kpi not in KPI_DIRECTIONS:
        raise TargetError(_('A target cannot track "{kpi}".{hint} It can track {choices}.',
                            kpi=kpi, hint=did_you_mean(str(kpi), KPI_DIRECTIONS),
                            choices=list_choices(KPI_DIRECTIONS)))
    if direction is None:
        direction = KPI_DIRECTIONS.get(kpi, "higher_is_better")
    unit = unit or KPI_UNITS.get(kpi, "")
    _check_direction(direction)
    if unit and unit not in UNITS:
        raise TargetError(_('There is no unit "{unit}".{hint} Use {choices}, or leave it '
                            "empty.", unit=unit, hint=did_you_mean(str(unit), UNITS),
                            choices=list_choices(UNITS)))
    freq = _frequency(frequency)
    base = float(baseline)
    if not math.isfinite(base):
        raise TargetError(_("The baseline is {value}, not a number. Compute it from periods "
                            "that have enough requests.", value=str(base)))
    if (target is None) == (improvement is None):
        raise TargetError(_("Give either target (the value to reach) or improvement (e.g. 0.1 "
                            "for 10% better), not both and not neither."))
    if target is None:
        if isinstance(improvement, bool) or not isinstance(improvement, (int, float)):
            raise TargetError(_("improvement should be a number such as 0.1, not {value}.",
                                value=repr(improvement)))
        sign = 1 if direction == "higher_is_better" else -1
        target = base + sign * abs(base) * improvement
    target = float(target)
    _check_value(target, unit, "target")
    _check_value(base, unit, "baseline")
    first, last = _period(start, freq, "start"), _period(due, freq, "due")
    if last <= first:
        raise TargetError(_("The due period ({due}) must come after the start ({start}). Give "
                            "the start first, e.g. start='2025-01', due='2025-12'.",
                            due=str(last), start=str(first)))
    return Target(metric=str(metric), baseline=base, target=target, start=str(first),
                  due=str(last), direction=direction, unit=unit, frequency=frequency,
                  district=district, service_code=service_code, owner=owner, kpi=kpi)


def trajectory(target: Target) -> pd.DataFrame:
    """The straight line from the baseline to the target: one expected value per period.

    >>> line = trajectory(set_target("Backlog", baseline=100, target=70, start="2025-01",
    ...                              due="2025-04", direction="lower_is_better"))
    >>> line["expected"].tolist()
    [100.0, 90.0, 80.0, 70.0]
    """
    freq = _frequency(target.frequency)
    periods = pd.period_range(pd.Period(target.start, freq), pd.Period(target.due, freq),
                              freq=freq)
    steps = np.arange(len(periods)) / (len(periods) - 1)
    expected = target.baseline + (target.target - target.baseline) * steps
    return pd.DataFrame({"period": periods.astype(str), "expected": expected})


def gap(actuals: pd.Series, target: Target) -> pd.DataFrame:
    """Each period's actual value against the trajectory, and whether it is ahead or behind.

    ``actuals`` is indexed by period label ("2025-03"). ``gap`` is actual minus expected;
    ``status`` reads it in the metric's direction: "ahead", "behind" or "on the line".
    Periods of the trajectory without an actual value are kept, with status "no value".

    >>> target = set_target("On-time share", baseline=0.6, target=0.8, start="2025-01",
    ...                     due="2025-05", unit="share")
    >>> actual = pd.Series([0.6, 0.62, 0.75], index=["2025-01", "2025-02", "2025-03"])
    >>> gap(actual, target)["status"].tolist()
    ['on the line', 'behind', 'ahead', 'no value', 'no value']
    """
    line = trajectory(target)
    series = _numbers(actuals, "actuals")
    series.index = [str(p) for p in series.index]
    unknown = [p for p in series.index if p not in set(line["period"])]
    if len(unknown) == len(series) and len(series):
        raise TargetError(_(
            "None of the actual values' periods ({periods}) falls between the target's start "
            '({start}) and due ({due}). Label them the same way, e.g. "{start}".',
            periods=list_choices(unknown[:3]), start=target.start, due=target.due))
    table = line.copy()
    table["actual"] = series.reindex(table["period"]).to_numpy()
    table["gap"] = table["actual"] - table["expected"]
    better = table["gap"] if target.higher_is_better else -table["gap"]
    # Within a millionth of the scale counts as on the line (floating-point rounding).
    tolerance = 1e-6 * max(abs(target.baseline), abs(target.target), 1e-9)
    table["status"] = np.select(
        [table["actual"].isna(), better > tolerance, better < -tolerance],
        ["no value", "ahead", "behind"], default="on the line")
    return table


def progress_summary(gaps: pd.DataFrame, target: Target) -> str:
    """One sentence on the latest period with a value: where it stands against the line.

    >>> target = set_target("On-time share", baseline=0.6, target=0.8, start="2025-01",
    ...                     due="2025-05", unit="share")
    >>> table = gap(pd.Series([0.6, 0.62], index=["2025-01", "2025-02"]), target)
    >>> print(progress_summary(table, target))
    In February 2025, On-time share was 62%: 3.0 points behind the trajectory (65%) toward \
80% by May 2025.
    >>> near = gap(pd.Series([0.6, 0.648], index=["2025-01", "2025-02"]), target)
    >>> print(progress_summary(near, target))
    In February 2025, On-time share was 64.8%: 0.2 points behind the trajectory (65.0%) \
toward 80% by May 2025.
    """
    known = gaps[gaps["status"] != "no value"]
    metric = _(target.metric)
    if known.empty:
        return _("No actual values yet for {metric} between {start} and {due}.", metric=metric,
                 start=target.start, due=target.due)
    row = known.iloc[-1]
    size = format_difference(abs(row["gap"]), target.unit)
    # A gap under one point is written to a decimal, and so are the two shares, so that
    # "70%: 0.2 points behind (71%)" cannot happen: the figures agree with the gap.
    decimals = 1 if target.unit == "share" and abs(row["gap"]) < 0.01 else None
    expected = format_value(row["expected"], target.unit, decimals=decimals)
    where = {"on the line": _("on the trajectory"),
             "ahead": _("{size} ahead of the trajectory ({expected})", size=size,
                        expected=expected),
             "behind": _("{size} behind the trajectory ({expected})", size=size,
                         expected=expected)}[row["status"]]
    return _("In {period}, {metric} was {actual}: {where} toward {target} by {due}.",
             period=describe_period(row["period"]), metric=metric,
             actual=format_value(row["actual"], target.unit, decimals=decimals), where=where,
             target=format_value(target.target, target.unit), due=describe_period(target.due))


def record_target(workspace: Workspace, target: Target, *, module: str) -> None:
    """Save a target in the city's workspace (replacing one for the same metric and place).

    >>> import tempfile
    >>> workspace = Workspace("riverbend", folder=tempfile.mkdtemp())
    >>> record_target(workspace, set_target("On-time share", baseline=0.6, target=0.8,
    ...     start="2025-01", due="2025-12", kpi="on_time_share"), module="1_lead/03")
    >>> [t.target for t in read_targets(workspace)]
    [0.8]
    """
    targets = {t.key: t for t in read_targets(workspace)}
    targets[target.key] = target
    workspace.record(WORKSPACE_KEY, [t.to_record() for t in targets.values()], module=module)


def read_targets(workspace: Workspace) -> list[Target]:
    """Every target the city has recorded (none yet: an empty list)."""
    if WORKSPACE_KEY not in set(workspace.records()["key"]):
        return []
    return [Target.from_record(record) for record in workspace.read(WORKSPACE_KEY)]


def targets_table(targets: Iterable[Target]) -> pd.DataFrame:
    """The targets as a table: metric, place, baseline, target, start, due, owner.

    >>> t = set_target("Backlog", baseline=100, target=70, start="2025-01", due="2025-04",
    ...                direction="lower_is_better", owner="Public Works")
    >>> targets_table([t])[["metric", "baseline", "target", "owner"]]
        metric  baseline  target         owner
    0  Backlog     100.0    70.0  Public Works
    """
    columns = ["metric", "district", "service_code", "baseline", "target", "start", "due",
               "direction", "unit", "owner"]
    return pd.DataFrame([{c: getattr(t, c) for c in columns} for t in targets], columns=columns)


# --- internals ---------------------------------------------------------------------------


def _check_direction(direction: str) -> None:
    if direction not in DIRECTIONS:
        raise TargetError(_('The direction "{direction}" is not one the workbook knows.{hint} '
                            "Use {choices}.", direction=direction,
                            hint=did_you_mean(str(direction), DIRECTIONS),
                            choices=list_choices(DIRECTIONS)))


def _frequency(frequency: str) -> str:
    if frequency not in PERIOD_FREQUENCIES:
        raise TargetError(_('"{frequency}" is not a period length the workbook knows.{hint} Use '
                            "{choices}.", frequency=frequency,
                            hint=did_you_mean(str(frequency), PERIOD_FREQUENCIES),
                            choices=list_choices(PERIOD_FREQUENCIES)))
    return PERIOD_FREQUENCIES[frequency]


def _period(value, freq: str, what: str) -> pd.Period:
    try:
        return pd.Period(value, freq=freq)
    except (ValueError, TypeError):
        raise TargetError(_('The {what} "{value}" is not a period the workbook can read. Write '
                            'a month as "2025-03".', what=_(_PARTS[what]), value=value)) from None


def _check_value(value: float, unit: str, what: str) -> None:
    if not math.isfinite(value):
        raise TargetError(_("The {what} is not a finite number ({value}).",
                            what=_(_PARTS[what]), value=str(value)))
    if unit == "share" and not 0 <= value <= 1:
        raise TargetError(_("The {what} is {value:g}, but a share lies between 0 and 1 (write "
                            "80% as 0.8).", what=_(_PARTS[what]), value=value))
    if unit in ("days", "requests") and value < 0:
        raise TargetError(_("The {what} is {value:g}, but {unit} cannot be negative.",
                            what=_(_PARTS[what]), value=value,
                            unit=_({"days": N_("days"), "requests": N_("requests")}[unit])))


def _numbers(values, what: str) -> pd.Series:
    if isinstance(values, pd.DataFrame):
        raise TargetError(_("{what} should be one column of numbers, not a whole table. Pick "
                            "the column, e.g. kpis.set_index('month')['on_time_share'].",
                            what=what))
    try:
        return pd.Series(values).astype(float)
    except (TypeError, ValueError):
        raise TargetError(_("{what} should hold numbers, one per period.", what=what)) from None
