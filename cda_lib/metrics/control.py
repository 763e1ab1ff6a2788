"""Control charts: is this week's number a real change, or the usual ups and downs?

Every service metric wobbles from week to week. A control chart draws the range the
metric usually wobbles in (the natural process limits, three sigma either side of the
centre line, worked out from a baseline of past values) and flags the points that a
stable process would rarely produce. Leaders act on those signals and leave the rest
alone: reacting to noise wastes crews and blames people for chance.

Two charts, both the textbook versions:

* :func:`xmr_chart`, the *individuals and moving range* chart (XmR), for any series of
  values (median days to close, backlog, requests per week). Sigma is estimated from the
  average moving range (the mean absolute difference of consecutive baseline values)
  divided by d2 = 1.128, so the limits are mean +/- 2.66 x average moving range
  (Wheeler, *Understanding Variation*, 1993; Montgomery, *Introduction to Statistical
  Quality Control*, ch. 6). The moving ranges get their own upper limit, 3.268 x the
  average moving range.
* :func:`p_chart`, for a share out of a count that changes each period (on-time share:
  on-time requests out of requests with a known outcome). Sigma is
  sqrt(p(1 - p) / n) for each period's own n, so weeks with few requests get wider
  limits. With very large counts real-world shares vary more than the binomial formula
  allows and every point looks like a signal; ``laney=True`` widens the limits by the
  observed spread of the standardized values (Laney's p' chart, *Quality Engineering*
  14(4), 2002).

The run rules (:data:`RULES`) are the Western Electric rules (Western Electric Co.,
*Statistical Quality Control Handbook*, 1956), plus Nelson's trend rule (L. S. Nelson,
"The Shewhart control chart: tests for special causes", *Journal of Quality
Technology* 16(4), 1984). Each extra rule catches smaller shifts and also raises false
alarms: a stable process trips rule 1 alone about once in 370 points, and the five rules
together flag about one point in 55 (simulated in ``tests/test_exceptions.py``).

Missing values (a week with too few requests) are left out: the rules look at the points
that have values, in order.

>>> weekly = pd.Series([10, 12, 11, 13, 12, 11, 10, 12, 11, 12, 13, 11, 30],
...                    index=[f"W{i}" for i in range(1, 14)])
>>> chart = xmr_chart(weekly, baseline=12, metric="Requests per week")
>>> print(chart.summary())  # doctest: +NORMALIZE_WHITESPACE
1 signal of real change in Requests per week: W13 (30.0) is above the upper limit (15.1).
The limits rest on 12 points, fewer than 20: treat them as provisional.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from cda_lib.core.errors import CdaError, did_you_mean, list_choices
from cda_lib.metrics.periods import describe_period
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import N_, gettext as _, ngettext

D2 = 1.128  # expected range of two normal values in sigmas: sigma = average moving range / d2
XMR_LIMIT_FACTOR = 3 / D2  # 2.66: three sigma, written with the average moving range
MOVING_RANGE_FACTOR = 3.268  # D4 for ranges of two points: the moving ranges' upper limit
SIGMA_LIMIT = 3.0  # Shewhart's three-sigma limits: rare for a stable process, ~1 in 370
# Fewer than a dozen baseline points give limits that move a lot with each new point;
# Wheeler recommends 20 to 30 where the data allows, and this module notes "soft" limits
# below that.
MIN_BASELINE_POINTS = 12
FIRM_BASELINE_POINTS = 20

# name: (short description for messages, above or rising first, then below or falling;
# full description with its source). English, translated where a chart's words show them.
RULES: dict[str, tuple[tuple[str, str], str]] = {
    "beyond_limits": (
        (N_("is above the upper limit ({bound})"), N_("is below the lower limit ({bound})")),
        N_("Western Electric rule 1 (Nelson 1): one point beyond a three-sigma limit")),
    "two_of_three": (
        (N_("is the second of three points in a row far above the centre line"),
         N_("is the second of three points in a row far below the centre line")),
        N_("Western Electric rule 2 (Nelson 5): two of three consecutive points beyond two "
           "sigma on the same side")),
    "four_of_five": (
        (N_("is the fourth of five points in a row above one sigma from the centre line"),
         N_("is the fourth of five points in a row below one sigma from the centre line")),
        N_("Western Electric rule 3 (Nelson 6): four of five consecutive points beyond one "
           "sigma on the same side")),
    "run_of_eight": (
        (N_("is the eighth point in a row above the centre line"),
         N_("is the eighth point in a row below the centre line")),
        N_("Western Electric rule 4: eight consecutive points on the same side of the centre "
           "line (Nelson 2 asks for nine)")),
    "trend_of_six": (
        (N_("is the sixth point in a row going up"), N_("is the sixth point in a row going down")),
        N_("Nelson rule 3: six points in a row steadily increasing or decreasing")),
}
DEFAULT_RULES = tuple(RULES)


class ControlChartError(CdaError, ValueError):
    """A control chart cannot be drawn from the values given."""


@dataclass(frozen=True)
class ControlChart:
    """A finished control chart: the points, their limits, and the signals found.

    ``table`` has one row per period: ``value``, ``center``, ``lower`` and ``upper``
    limits, ``sigma``, ``zone`` (the value in sigmas from the centre), ``baseline`` (used
    to set the limits), ``signal`` and ``rules`` (the names of the rules it breaks).
    """

    kind: str
    metric: str
    table: pd.DataFrame
    rules_checked: tuple[str, ...]
    baseline_points: int
    dispersion: float | None = None  # Laney's sigma of z, p-charts only

    @property
    def center(self) -> float:
        return float(self.table["center"].iloc[0])

    def signals(self, *, first_rule_only: bool = False) -> pd.DataFrame:
        """The rows that break a rule, with a sentence saying which and why.

        ``first_rule_only`` keeps the first rule broken (in the order of :data:`RULES`, the
        strongest first) for a short sentence.
        """
        rows = self.table[self.table["signal"]].copy()
        rows["why"] = [self._why(row, first_rule_only) for row in rows.itertuples()]
        return rows

    def summary(self) -> str:
        """One or two sentences for a leader: is there a signal, and where."""
        found = self.signals()
        soft = " " + _("The limits rest on {points} points, fewer than {firm}: treat them as "
                       "provisional.", points=self.baseline_points, firm=FIRM_BASELINE_POINTS) \
            if self.baseline_points < FIRM_BASELINE_POINTS else ""
        metric = _(self.metric)
        if found.empty:
            return _("No signals in {metric}: the ups and downs are the usual variation around "
                     "{center}.", metric=metric, center=self._number(self.center)) + soft
        listed = "; ".join(f"{describe_period(row.Index)} ({self._number(row.value)}) {row.why}"
                           for row in found.head(3).itertuples())
        if len(found) > 3:
            listed = _("{listed}; and {count} more", listed=listed, count=len(found) - 3)
        return ngettext("{count} signal of real change in {metric}: {listed}.",
                        "{count} signals of real change in {metric}: {listed}.", len(found),
                        metric=metric, listed=listed) + soft

    def rule_descriptions(self) -> list[str]:
        """The rules checked, each with its source."""
        return [_(RULES[name][1]) for name in self.rules_checked]

    def __repr__(self) -> str:
        return f"<{self.kind} control chart of {self.metric}: {self.summary()}>"

    def _repr_html_(self) -> str:
        rules = "".join(f"<li>{html.escape(text)}</li>" for text in self.rule_descriptions())
        checked = html.escape(_("Rules checked:"))
        return (f'<div class="cda-control"><p><strong>{html.escape(self.summary())}</strong></p>'
                f"<p>{checked}</p><ul>{rules}</ul></div>")

    def _why(self, row, first_rule_only: bool = False) -> str:
        reasons = []
        names = row.rules.split(", ")
        for name in names[:1] if first_rule_only else names:
            rising_or_above, falling_or_below = RULES[name][0]
            above = self._rising(row.Index) if name == "trend_of_six" else row.zone > 0
            reasons.append(_(rising_or_above if above else falling_or_below,
                             bound=self._number(row.upper if row.zone > 0 else row.lower)))
        joined = reasons[0]
        for reason in reasons[1:]:  # "x and y and z": each rule its own clause
            joined = _("{first} and {second}", first=joined, second=reason)
        return joined

    def _rising(self, label) -> bool:
        values = self.table["value"].dropna()
        position = values.index.get_loc(label)
        return bool(position > 0 and values.iloc[position] > values.iloc[position - 1])

    def _number(self, value: float) -> str:
        # One decimal: the limits sit close to the centre, and a point and the limit it
        # breaks must not print as the same figure.
        if self.kind.startswith("p"):
            return format_percent(value, 1)
        return format_number(value, 1)


def xmr_chart(values: pd.Series, *, baseline: int | None = None, metric: str = "the metric",
              rules: Iterable[str] = DEFAULT_RULES) -> ControlChart:
    """An individuals (XmR) chart of ``values``, one per period, in time order.

    ``baseline`` is how many of the first periods set the limits (default: all of them;
    periods without a value are skipped); later points are judged against those limits,
    which is how a chart shows whether a change after the baseline is real.

    >>> chart = xmr_chart(pd.Series([5.0, 6, 5, 7, 6, 5, 6, 7, 5, 6, 6, 5]))
    >>> round(chart.center, 2), round(float(chart.table["upper"].iloc[0]), 2)
    (5.75, 8.65)
    """
    series = _as_series(values, "values")
    chosen = _check_rules(rules)
    present = series.dropna()
    base = _baseline(series, baseline)
    center = float(base.mean())
    moving = present.diff().abs()
    average_range = float(base.diff().abs().mean())
    sigma = average_range / D2
    table = pd.DataFrame({"value": series})
    table["center"] = center
    table["sigma"] = sigma
    table["lower"] = center - SIGMA_LIMIT * sigma
    table["upper"] = center + SIGMA_LIMIT * sigma
    table["moving_range"] = moving.reindex(series.index)
    table["moving_range_upper"] = MOVING_RANGE_FACTOR * average_range
    with np.errstate(divide="ignore", invalid="ignore"):
        zone = (series - center) / sigma if sigma > 0 else _flat_zone(series, center)
    table["zone"] = zone
    table["baseline"] = series.index.isin(base.index)
    return _finish("XmR", metric, table, chosen, len(base))


def p_chart(successes: pd.Series, totals: pd.Series, *, baseline: int | None = None,
            metric: str = "the share", laney: bool = False,
            rules: Iterable[str] = DEFAULT_RULES) -> ControlChart:
    """A p-chart of ``successes / totals`` per period, limits from each period's own count.

    Periods with a total of 0 have no value. ``laney=True`` gives Laney's p' chart, for
    very large counts whose shares vary more than chance alone would make them.

    >>> on_time = pd.Series([40, 42, 38, 41, 39, 40, 43, 37, 40, 41, 39, 40])
    >>> known = pd.Series([50] * 12)
    >>> chart = p_chart(on_time, known, metric="On-time share")
    >>> f"{chart.center:.3f}", f"{chart.table['upper'].iloc[0]:.3f}"
    ('0.800', '0.970')
    """
    hits = _as_series(successes, "successes").astype(float)
    counts = _as_series(totals, "totals").astype(float)
    if not hits.index.equals(counts.index):
        raise ControlChartError(_(
            "successes and totals cover different periods. Give both for the same periods, "
            "e.g. two columns of one table."))
    if ((hits < 0) | (counts < 0) | (hits > counts)).any():
        raise ControlChartError(_(
            "Every period needs 0 <= successes <= total. Check that the successes are counted "
            "out of the totals (e.g. on-time requests out of requests with a known outcome)."))
    chosen = _check_rules(rules)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = (hits / counts).where(counts > 0)
    base = _baseline(share, baseline)
    center = float(hits[base.index].sum() / counts[base.index].sum())
    if center in (0.0, 1.0):
        raise ControlChartError(_(
            "In every baseline period the share is {share}, so there is no variation to set "
            "limits from. Choose a longer baseline, or a metric that varies.",
            share=format_percent(center)))
    sigma = np.sqrt(center * (1 - center) / counts.where(counts > 0))
    dispersion = None
    if laney:
        z_base = (base - center) / sigma[base.index]
        dispersion = float(z_base.diff().abs().mean() / D2)
        sigma = sigma * dispersion
    table = pd.DataFrame({"value": share, "successes": hits, "total": counts})
    table["center"] = center
    table["sigma"] = sigma
    table["lower"] = (center - SIGMA_LIMIT * sigma).clip(lower=0)
    table["upper"] = (center + SIGMA_LIMIT * sigma).clip(upper=1)
    table["zone"] = (share - center) / sigma
    table["baseline"] = share.index.isin(base.index)
    return _finish("p' (Laney)" if laney else "p", metric, table, chosen, len(base),
                   dispersion)


def detect_signals(zone: pd.Series, values: pd.Series | None = None,
                   rules: Iterable[str] = DEFAULT_RULES) -> pd.DataFrame:
    """Which points break which run rule, from their distance to the centre in sigmas.

    ``zone`` is (value - centre) / sigma per point, in time order; ``values`` (for the
    trend rule) defaults to ``zone``. Missing points are skipped. Returns one boolean
    column per rule.

    >>> zone = pd.Series([0.5, 2.5, 0.1, 2.2, -0.3])
    >>> detect_signals(zone, rules=["two_of_three"])["two_of_three"].tolist()
    [False, False, False, True, False]
    """
    chosen = _check_rules(rules)
    zone = _as_series(zone, "zone", allow_infinite=True)
    values = zone if values is None else _as_series(values, "values")
    present = zone.notna() & values.notna()
    z = zone[present].to_numpy()
    v = values[present].to_numpy()
    found = pd.DataFrame(False, index=zone.index, columns=list(chosen))
    checks = {
        "beyond_limits": lambda: np.abs(z) > SIGMA_LIMIT,
        "two_of_three": lambda: _k_of_n(z, 2.0, 2, 3),
        "four_of_five": lambda: _k_of_n(z, 1.0, 4, 5),
        "run_of_eight": lambda: _run(z > 0, 8) | _run(z < 0, 8),
        "trend_of_six": lambda: _trend(v, 6),
    }
    for name in chosen:
        found.loc[present, name] = checks[name]()
    return found


# --- internals ---------------------------------------------------------------------------


def _finish(kind: str, metric: str, table: pd.DataFrame, rules: tuple[str, ...],
            baseline_points: int, dispersion: float | None = None) -> ControlChart:
    found = detect_signals(table["zone"], table["value"], rules)
    table["signal"] = found.any(axis=1)
    names = np.array(list(found.columns), dtype=object)
    table["rules"] = [", ".join(names[row]) for row in found.to_numpy()]
    return ControlChart(kind=kind, metric=metric, table=table, rules_checked=rules,
                        baseline_points=baseline_points, dispersion=dispersion)


def _as_series(values, what: str, allow_infinite: bool = False) -> pd.Series:
    if isinstance(values, pd.DataFrame):
        raise ControlChartError(_(
            "{what} should be one column of numbers (a Series), not a whole table. Pick the "
            "column, e.g. kpis['on_time_share'].", what=what))
    try:
        series = pd.Series(values).astype(float)
    except (TypeError, ValueError):
        raise ControlChartError(_("{what} should hold numbers, one per period. Some of them "
                                  "are not numbers.", what=what)) from None
    if not series.index.is_unique:
        raise ControlChartError(_("{what} has the same period twice. Give one value per "
                                  "period.", what=what))
    if not allow_infinite and np.isinf(series).any():
        raise ControlChartError(_("{what} holds an infinite value. Check how it was computed.",
                                  what=what))
    return series


def _baseline(series: pd.Series, baseline: int | None) -> pd.Series:
    """The values of the first ``baseline`` periods (all by default), gaps left out."""
    if baseline is None:
        base = series.dropna()
    else:
        if isinstance(baseline, bool) or not isinstance(baseline, (int, np.integer)):
            raise ControlChartError(_(
                "baseline should be a number of periods, such as 12, not {value}.",
                value=repr(baseline)))
        base = series.iloc[:baseline].dropna()
    if len(base) < MIN_BASELINE_POINTS:
        raise ControlChartError(ngettext(
            "The baseline has {count} point with values; control limits need at least "
            "{needed}. Use a longer baseline or shorter periods (weeks instead of months).",
            "The baseline has {count} points with values; control limits need at least "
            "{needed}. Use a longer baseline or shorter periods (weeks instead of months).",
            len(base), needed=MIN_BASELINE_POINTS))
    return base


def _check_rules(rules: Iterable[str]) -> tuple[str, ...]:
    chosen = (rules,) if isinstance(rules, str) else tuple(rules)
    for name in chosen:
        if name not in RULES:
            raise ControlChartError(_(
                'There is no run rule called "{name}".{hint} The rules are {rules}.', name=name,
                hint=did_you_mean(str(name), RULES), rules=list_choices(RULES)))
    return chosen


def _flat_zone(series: pd.Series, center: float) -> pd.Series:
    """A baseline with no variation: any change is infinitely many sigmas away (a difference
    within floating-point rounding of the centre is no change)."""
    difference = series - center
    same = np.isclose(series, center, rtol=1e-9, atol=1e-12)
    return pd.Series(np.where(same, 0.0, np.sign(difference) * np.inf), index=series.index)


def _k_of_n(z: np.ndarray, beyond: float, k: int, n: int) -> np.ndarray:
    """The last point of n in a row, k of which (itself included) lie beyond ``beyond`` sigma
    on the same side."""
    flagged = np.zeros(z.size, dtype=bool)
    if z.size < n:
        return flagged
    for side in (z > beyond, z < -beyond):
        enough = sliding_window_view(side, n).sum(axis=1) >= k
        flagged[n - 1:] |= enough & side[n - 1:]
    return flagged


def _run(side: np.ndarray, length: int) -> np.ndarray:
    """Every point that ends a run of ``length`` (or more) points in a row on one side."""
    flagged = np.zeros(side.size, dtype=bool)
    if side.size >= length:
        flagged[length - 1:] = sliding_window_view(side, length).all(axis=1)
    return flagged


def _trend(values: np.ndarray, length: int) -> np.ndarray:
    """Every point that ends ``length`` points in a row steadily rising or steadily falling."""
    flagged = np.zeros(values.size, dtype=bool)
    steps = np.diff(values)
    if steps.size >= length - 1:
        rising = sliding_window_view(steps > 0, length - 1).all(axis=1)
        falling = sliding_window_view(steps < 0, length - 1).all(axis=1)
        flagged[length - 1:] = rising | falling
    return flagged
