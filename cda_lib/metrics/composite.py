"""A CityScore-style composite: one number that says whether the city is meeting its targets.

Boston's CityScore (see ``civic-standards.md``, B3, and the CityScoreToolkit's
``models.py``) scores each metric as *actual / target*, or *target / actual* when lower
is better, so 1 means "on target", above 1 better, below 1 worse; the city's score is the
plain average of the metric scores. Boston's published scores stop at 1.25, which looks
like a cap so one runaway metric cannot hide the others; the toolkit's code does not show
it, so the cap here is a parameter (:data:`DEFAULT_CAP`, ``cap=None`` for none). A leader
reads the composite with its top-5 and bottom-5 metrics, never alone.

A metric with no number this period (too few requests) is left out of the average and
named in the result, not counted as zero.

>>> metrics = pd.DataFrame({
...     "metric": ["Potholes on time", "Median days, graffiti", "Backlog"],
...     "actual": [0.72, 8.0, 150],
...     "target": [0.80, 10.0, 150],
...     "direction": ["higher_is_better", "lower_is_better", "lower_is_better"]})
>>> result = city_score(score_metrics(metrics))
>>> print(result)
City score 1.05 across 3 metrics: above target overall; 2 of 3 metrics meet their target.
>>> score_metrics(metrics)["score"].round(3).tolist()
[0.9, 1.25, 1.0]
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cda_lib.core.errors import CdaError, did_you_mean, list_choices
from cda_lib.core.readable import ReadableTable
from cda_lib.metrics import kpi
from cda_lib.metrics.periods import TIME_KEYS
from cda_lib.metrics.selection import select_requests
from cda_lib.metrics.targets import DIRECTIONS, Target
from cda_lib.text.translation import gettext as _, ngettext

# Boston's published CityScore values top out at exactly 1.25 (civic-standards.md B3, [U]):
# a metric far above target counts as 25% above, so it cannot mask the metrics below.
DEFAULT_CAP = 1.25
# Four in five requests closed within the standard: a common service-level target (Boston's
# CityScore on-time metrics and many cities' service agreements sit between 80% and 95%).
# Each city sets its own in the targets module; this is only the starting point.
DEFAULT_ON_TIME_TARGET = 0.8
# A composite over fewer metrics than this is mostly one or two services: say so.
MIN_METRICS = 3
TOP_N = 5  # CityScore shows the five best and five worst metrics next to the score
COLUMNS = ("metric", "actual", "target", "direction")


class CompositeError(CdaError, ValueError):
    """The composite cannot be computed from the metrics given."""


@dataclass(frozen=True)
class CompositeScore:
    """The city's composite score, the scored metrics, and the words to read it by."""

    value: float | None
    metrics: pd.DataFrame
    cap: float | None

    @property
    def used(self) -> pd.DataFrame:
        """The metrics that count toward the score."""
        return self.metrics[self.metrics["score"].notna()]

    @property
    def left_out(self) -> pd.DataFrame:
        """The metrics with no number this period, and why."""
        return self.metrics[self.metrics["score"].isna()]

    def top(self, n: int = TOP_N) -> pd.DataFrame:
        """The ``n`` best-scoring metrics, best first (ties by name)."""
        return _ranked(self.used, ascending=False).head(n)

    def bottom(self, n: int = TOP_N) -> pd.DataFrame:
        """The ``n`` worst-scoring metrics, worst first (ties by name)."""
        return _ranked(self.used, ascending=True).head(n)

    def __str__(self) -> str:
        if self.value is None:
            return (_("No city score: none of the metrics has a number this period.") + " "
                    + _left_out_sentence(self.left_out))
        used = self.used
        meeting = int((used["score"] >= 1).sum())
        text = ngettext("City score {score:.2f} across {count} metric: {reading}; {meeting} of "
                        "{count} metric meet their target.", "City score {score:.2f} across "
                        "{count} metrics: {reading}; {meeting} of {count} metrics meet their "
                        "target.", len(used), score=self.value, reading=_reading(self.value),
                        meeting=meeting)
        if len(used) < MIN_METRICS:
            text += " " + _("With fewer than {count} metrics the score mostly reflects one "
                            "service; read the metrics themselves.", count=MIN_METRICS)
        if len(self.left_out):
            text += " " + _left_out_sentence(self.left_out)
        return text

    def __repr__(self) -> str:  # a page shows the sentence, never the dataclass's fields
        return str(self)

    def _repr_html_(self) -> str:
        return f'<p class="cda-metric"><strong>{html.escape(str(self))}</strong></p>'

    def view(self) -> ReadableTable:
        """The scored metrics as a table to read: each metric's actual value and target in
        its unit, which way is better, its score and why it has none.

        >>> metrics = pd.DataFrame({"metric": ["On time: Potholes", "Backlog"],
        ...     "actual": [0.72, 150.0], "target": [0.8, 120.0], "unit": ["share", "requests"],
        ...     "direction": ["higher_is_better", "lower_is_better"]})
        >>> rows = city_score(score_metrics(metrics)).view().to_frame().values.tolist()
        >>> rows[0], rows[1]
        (['On time: Potholes', '72%', '80%', 'higher', '0.90', ''], \
['Backlog', '150', '120', 'lower', '0.80', ''])
        """
        from cda_lib.text.numbers import format_value

        better = {"higher_is_better": _("higher"), "lower_is_better": _("lower")}
        rows = []
        for row in self.metrics.to_dict("records"):
            unit = row.get("unit") if isinstance(row.get("unit"), str) else (
                "share" if 0 <= float(row["target"]) <= 1 else "")
            shown_unit = "share" if unit == "share" else ""

            def written(value, unit=shown_unit):
                return "—" if value is None or pd.isna(value) else format_value(value, unit)

            note = row.get("note")
            rows.append([(_(str(row["metric"])), False), (written(row["actual"]), True),
                         (written(row["target"]), True),
                         (better.get(str(row["direction"]), str(row["direction"])), False),
                         (written(row["score"], "score"), True),
                         (note if isinstance(note, str) else "", False)])
        return ReadableTable([_("Metric"), _("Actual"), _("Target"), _("Better when"),
                              _("Score"), _("Note")], rows)


def score_metrics(metrics: pd.DataFrame, *, cap: float | None = DEFAULT_CAP) -> pd.DataFrame:
    """Score each metric: actual / target, inverted when lower is better, capped at ``cap``.

    ``metrics`` has the columns ``metric``, ``actual``, ``target`` and ``direction``
    ("higher_is_better" or "lower_is_better"). Adds ``score`` and ``note``; a metric
    without an actual value gets no score and a note saying so.

    >>> table = pd.DataFrame({"metric": ["Days to close"], "actual": [0.0], "target": [3.0],
    ...                       "direction": ["lower_is_better"]})
    >>> score_metrics(table)["score"].tolist()  # nothing left waiting: the best score, capped
    [1.25]
    """
    table = _checked(metrics)
    cap = _checked_cap(cap)
    actual = table["actual"].to_numpy(dtype=float)
    target = table["target"].to_numpy(dtype=float)
    lower = (table["direction"] == "lower_is_better").to_numpy()
    present = ~np.isnan(actual)
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(lower, target / actual, actual / target)
    perfect = present & lower & (actual == 0)
    if perfect.any() and cap is None:
        names = list_choices(table.loc[perfect, "metric"].astype(str))
        raise CompositeError(_(
            "{names} reached 0 where lower is better, which scores as infinitely good without "
            "a cap. Set a cap (e.g. cap=1.25) so one metric cannot outweigh the rest.",
            names=names))
    raw = np.where(perfect, np.inf, raw)
    score = np.minimum(raw, cap) if cap is not None else raw
    table["score"] = np.where(present, score, np.nan)
    notes = np.where(present, "", _("No value this period, so it is left out of the score."))
    notes = np.where(present & (raw > (cap or math.inf)),
                     _("Capped at {cap:g}: far better than target.", cap=cap) if cap else "",
                     notes)
    table["note"] = pd.array(notes, dtype="string")
    return table


def city_score(scored: pd.DataFrame, *, cap: float | None = DEFAULT_CAP) -> CompositeScore:
    """The composite: the average score of the metrics that have one.

    ``scored`` comes from :func:`score_metrics` (a table without scores is scored first,
    with ``cap``).

    >>> scored = score_metrics(pd.DataFrame({"metric": ["A", "B"], "actual": [0.5, None],
    ...     "target": [0.8, 0.8], "direction": ["higher_is_better"] * 2}))
    >>> city_score(scored).value
    0.625
    """
    if "score" not in scored.columns:
        scored = score_metrics(scored, cap=cap)
    values = scored["score"].dropna()
    value = float(values.mean()) if len(values) else None
    return CompositeScore(value=value, metrics=scored.reset_index(drop=True), cap=cap)


def top_bottom(scored: pd.DataFrame, n: int = TOP_N) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` best and ``n`` worst metrics (a metric can be in both when there are few).

    >>> table = pd.DataFrame({"metric": ["A", "B", "C"], "actual": [0.9, 0.5, 0.7],
    ...                       "target": [0.8] * 3, "direction": ["higher_is_better"] * 3})
    >>> best, worst = top_bottom(table, n=1)
    >>> best["metric"].tolist(), worst["metric"].tolist()
    (['A'], ['B'])
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise CompositeError(_("n should be a whole number of at least 1, not {value}. Try 5.",
                               value=repr(n)))
    result = city_score(scored)
    return result.top(n), result.bottom(n)


def service_metrics(requests: pd.DataFrame, standards: Mapping[str, float], *, as_of,
                    period=None, on_time_target: float = DEFAULT_ON_TIME_TARGET,
                    targets: Iterable[Target] = (),
                    min_requests: int = kpi.MIN_REQUESTS) -> pd.DataFrame:
    """The composite's metrics from service requests: each type's on-time share vs a target.

    One metric per request type with a service standard: the share closed within the
    standard among requests opened in ``period`` (a month such as "2025-11", a pair of
    dates; default: all requests given), against ``on_time_target``, or against a target
    recorded for that type (a :class:`cda_lib.metrics.targets.Target` whose ``service_code`` is the
    type and whose unit is "share", citywide).

    >>> table = pd.DataFrame({
    ...     "service_code": ["POTHOLE"] * 2, "service_name": ["Pothole repair"] * 2,
    ...     "status": ["closed"] * 2,
    ...     "requested_datetime": pd.to_datetime(["2025-03-01", "2025-03-02"]),
    ...     "closed_datetime": pd.to_datetime(["2025-03-02", "2025-03-20"])})
    >>> row = service_metrics(table, {"POTHOLE": 5}, as_of="2025-03-31", min_requests=2).iloc[0]
    >>> row["metric"], row["service"], float(row["actual"]), float(row["target"])
    ('On time: Pothole repair', 'Pothole repair', 0.5, 0.8)
    """
    chosen = select_requests(requests, period=period) if period is not None else requests
    kpis = kpi.kpi_table(chosen, standards, as_of=as_of, by="service_code",
                         min_requests=min_requests)
    kpis = kpis[kpis["service_code"].isin(list(standards))]
    names = type_names(chosen)
    recorded = {t.service_code: t.target for t in targets
                if t.service_code and not t.district and t.unit == "share"}
    codes = kpis["service_code"].astype(str)
    return pd.DataFrame({
        "metric": [_("On time: {name}", name=names.get(code, code)) for code in codes],
        "actual": kpis["on_time_share"].to_numpy(dtype=float),
        "target": [float(recorded.get(code, on_time_target)) for code in codes],
        "direction": "higher_is_better",
        "service_code": codes.to_numpy(),
        "service": [names.get(code, code) for code in codes],  # the type's name, for sentences
        "requests": kpis["on_time_known"].to_numpy(),
    })


def latest_known_metrics(requests: pd.DataFrame, standards: Mapping[str, float], *, as_of,
                         end, days: int = 28, on_time_target: float = DEFAULT_ON_TIME_TARGET,
                         targets: Iterable[Target] = (),
                         min_requests: int = kpi.MIN_REQUESTS) -> pd.DataFrame:
    """:func:`service_metrics` with every request type over its latest ``days`` of requests
    whose standard has passed by ``as_of``: like for like across types.

    Over the same calendar weeks, a type with a 60-day standard has no known outcome yet
    and would drop out of the score, which then averages only the quick types. Here each
    type's window ends at ``end`` or ``as_of`` minus its standard, whichever is earlier, so
    every type with enough requests counts, each on outcomes that are known. The columns
    ``window_start`` and ``window_end`` say which requests each type was scored on.

    >>> table = pd.DataFrame({
    ...     "service_code": ["QUICK", "SLOW"], "service_name": ["Quick", "Slow"],
    ...     "status": ["closed", "closed"],
    ...     "requested_datetime": pd.to_datetime(["2025-03-28", "2025-02-20"]),
    ...     "closed_datetime": pd.to_datetime(["2025-03-29", "2025-03-01"])})
    >>> rows = latest_known_metrics(table, {"QUICK": 2, "SLOW": 30}, as_of="2025-03-31",
    ...                             end="2025-03-30", min_requests=1)
    >>> rows[["service_code", "actual"]].values.tolist()
    [['QUICK', 1.0], ['SLOW', 1.0]]
    >>> [str(day.date()) for day in rows["window_end"]]
    ['2025-03-29', '2025-03-01']
    """
    as_of, end = pd.Timestamp(as_of), pd.Timestamp(end)
    opened = requests["requested_datetime"]
    parts = []
    for code, standard in standards.items():
        last = min(end.normalize(), (as_of - pd.Timedelta(days=float(standard))).normalize())
        first = last - pd.Timedelta(days=days - 1)
        chosen = requests[((requests["service_code"].astype(str) == str(code))
                           & (opened >= first) & (opened < last + pd.Timedelta(days=1)))
                          .to_numpy()]
        if chosen.empty:
            continue
        rows = service_metrics(chosen, {code: standard}, as_of=as_of,
                               on_time_target=on_time_target, targets=targets,
                               min_requests=min_requests)
        parts.append(rows.assign(window_start=first, window_end=last))
    if not parts:
        return service_metrics(requests.head(0), standards, as_of=as_of).assign(
            window_start=pd.NaT, window_end=pd.NaT)
    return pd.concat(parts, ignore_index=True)


def city_score_by_period(requests: pd.DataFrame, standards: Mapping[str, float], *, as_of,
                         by: str = "month", on_time_target: float = DEFAULT_ON_TIME_TARGET,
                         cap: float | None = DEFAULT_CAP,
                         min_requests: int = kpi.MIN_REQUESTS) -> pd.DataFrame:
    """The composite for every period (month, week ...): its trend over time.

    Returns ``period``, ``score`` and ``metrics`` (how many metrics had a number).

    >>> table = pd.DataFrame({
    ...     "service_code": ["NOISE"] * 2, "status": ["closed"] * 2,
    ...     "requested_datetime": pd.to_datetime(["2025-03-03", "2025-04-07"]),
    ...     "closed_datetime": pd.to_datetime(["2025-03-05 00:00", "2025-04-07 12:00"])})
    >>> city_score_by_period(table, {"NOISE": 1}, as_of="2025-04-30", min_requests=1)
        period  score  metrics
    0  2025-03   0.00        1
    1  2025-04   1.25        1
    """
    if by not in TIME_KEYS:
        raise CompositeError(_('"{key}" is not a period.{hint} Use {choices}.', key=by,
                               hint=did_you_mean(str(by), TIME_KEYS),
                               choices=list_choices(TIME_KEYS)))
    kpis = kpi.kpi_table(requests, standards, as_of=as_of, by=("service_code", by),
                         min_requests=min_requests)
    kpis = kpis[kpis["service_code"].isin(list(standards))]
    scored = score_metrics(pd.DataFrame({
        "metric": kpis["service_code"].astype(str) + " " + kpis[by].astype(str),
        "actual": kpis["on_time_share"],
        "target": on_time_target, "direction": "higher_is_better"}), cap=cap)
    scored[by] = kpis[by].to_numpy()
    grouped = scored.groupby(by, sort=True)["score"]
    return pd.DataFrame({"period": grouped.mean().index.astype(str),
                         "score": grouped.mean().to_numpy(),
                         "metrics": grouped.count().to_numpy()})


@dataclass(frozen=True)
class ScoreTrend:
    """The composite period by period over one fixed set of request types (like for like).

    ``table`` has ``period``, ``score`` and ``metrics``; ``types`` are the request types
    scored in every period shown, ``left_out`` the others, each with the periods it has no
    score in (too few requests with a known outcome).
    """

    table: pd.DataFrame
    types: list[str]
    left_out: dict[str, list[str]]

    def __str__(self) -> str:
        if self.table.empty:
            return _("No month has a score: no request type has enough requests with a known "
                     "outcome.")
        text = ngettext(
            "Each period counts the same {count} request type, the one scored in every period "
            "shown.", "Each period counts the same {count} request types, the ones scored in "
            "every period shown.", len(self.types))
        if self.left_out:
            parts = [_("{service} (no score in {periods})", service=name,
                       periods=_period_span(periods, len(self.table))) for name, periods in
                     self.left_out.items()]
            text += " " + ngettext("Left out so the periods compare: {types}.",
                                   "Left out so the periods compare: {types}.",
                                   len(parts), types="; ".join(parts))
        return text

    __repr__ = __str__

    def view(self) -> ReadableTable:
        """The trend as a table to read, with the sentence on its set of types below it."""
        from cda_lib.metrics.periods import describe_period
        from cda_lib.text.numbers import format_value

        rows = [[(describe_period(row.period), False), (format_value(row.score, "score"), True),
                 (str(int(row.metrics)), True)] for row in self.table.itertuples()]
        return ReadableTable([_("Period"), _("City score"), _("Request types")], rows,
                             notes=[str(self)])

    def _repr_html_(self) -> str:
        return self.view()._repr_html_()


def score_trend(requests: pd.DataFrame, standards: Mapping[str, float], *, as_of,
                by: str = "month", periods: int = 12,
                on_time_target: float = DEFAULT_ON_TIME_TARGET, cap: float | None = DEFAULT_CAP,
                min_requests: int = kpi.MIN_REQUESTS) -> ScoreTrend:
    """The composite for the last ``periods`` periods with a score, over the request types
    scored in all of them, so a month does not look better only because a type with a long
    standard has no known outcome yet (it is named instead).

    >>> table = pd.DataFrame({
    ...     "service_code": ["NOISE", "NOISE", "TREE"], "service_name": ["Noise", "Noise", "Tree"],
    ...     "status": ["closed"] * 3,
    ...     "requested_datetime": pd.to_datetime(["2025-03-03", "2025-04-07", "2025-03-04"]),
    ...     "closed_datetime": pd.to_datetime(["2025-03-05 00:00", "2025-04-07 12:00",
    ...                                        "2025-03-05 00:00"])})
    >>> trend = score_trend(table, {"NOISE": 1, "TREE": 30}, as_of="2025-04-30", min_requests=1)
    >>> trend.table.values.tolist()
    [['2025-03', 0.0, 1], ['2025-04', 1.25, 1]]
    >>> print(trend)  # doctest: +NORMALIZE_WHITESPACE
    Each period counts the same 1 request type, the one scored in every period shown.
    Left out so the periods compare: Tree (no score in April 2025).
    """
    kpis = kpi.kpi_table(requests, standards, as_of=as_of, by=("service_code", by),
                         min_requests=min_requests)
    kpis = kpis[kpis["service_code"].isin(list(standards)) & kpis["on_time_share"].notna()]
    shown = sorted(kpis[by].astype(str).unique())[-periods:]
    kpis = kpis[kpis[by].astype(str).isin(shown)]
    scored_in = {str(code): set(group.astype(str))
                 for code, group in kpis.groupby("service_code", observed=True)[by]}
    names = type_names(requests)
    every = [code for code, had in scored_in.items() if had >= set(shown)]
    left_out = {names.get(code, code): [p for p in shown if p not in scored_in.get(code, ())]
                for code in map(str, standards) if code not in every and shown}
    same = kpis[kpis["service_code"].astype(str).isin(every)]
    scores = score_metrics(pd.DataFrame({
        "metric": same["service_code"].astype(str) + " " + same[by].astype(str),
        "actual": same["on_time_share"], "target": on_time_target,
        "direction": "higher_is_better"}), cap=cap)
    scores[by] = same[by].astype(str).to_numpy()
    grouped = scores.groupby(by, sort=True)["score"]
    table = pd.DataFrame({"period": grouped.mean().index.astype(str),
                          "score": grouped.mean().round(4).to_numpy(),
                          "metrics": grouped.count().to_numpy()})
    return ScoreTrend(table, every, left_out)


def _period_span(periods: list[str], total: int) -> str:
    from cda_lib.metrics.periods import describe_period
    from cda_lib.text.dates import format_list

    if len(periods) <= 2:
        return format_list([describe_period(p) for p in periods])
    return _("{count} of the {total} periods", count=len(periods), total=total)


# --- internals ---------------------------------------------------------------------------


def _checked(metrics: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(metrics, pd.DataFrame):
        raise CompositeError(_("The composite needs a table of metrics, not {kind}. Give one "
                               "row per metric with {columns}.", kind=type(metrics).__name__,
                               columns=list_choices(COLUMNS)))
    missing = [c for c in COLUMNS if c not in metrics.columns]
    if missing:
        have = [str(c) for c in metrics.columns]
        raise CompositeError(_("The metrics table has no {missing} column.{hint} It has "
                               "{have}; each metric needs {columns}.",
                               missing=list_choices(missing), hint=did_you_mean(missing[0], have),
                               have=list_choices(have), columns=list_choices(COLUMNS)))
    if metrics.empty:
        raise CompositeError(_("The metrics table is empty, so there is nothing to score. Add "
                               "one row per metric."))
    table = metrics.reset_index(drop=True).copy()
    for column in ("actual", "target"):
        try:
            table[column] = pd.to_numeric(table[column]).astype(float)
        except (TypeError, ValueError):
            raise CompositeError(_("The {column} column should hold numbers; some are text. "
                                   "Write 80% as 0.8.", column=column)) from None
    wrong = ~table["direction"].isin(DIRECTIONS)
    if wrong.any():
        value = str(table.loc[wrong, "direction"].iloc[0])
        raise CompositeError(_('The direction "{direction}" is not one the workbook knows.{hint} '
                               "Use {choices}.", direction=value,
                               hint=did_you_mean(value, DIRECTIONS),
                               choices=list_choices(DIRECTIONS)))
    bad_target = table["target"].isna() | (table["target"] < 0) | (
        (table["target"] == 0) & (table["direction"] == "higher_is_better"))
    if bad_target.any():
        name = table.loc[bad_target, "metric"].iloc[0]
        raise CompositeError(_('The metric "{name}" has a target of {target}; a target must '
                               "be a number above 0 (0 is allowed only where lower is better).",
                               name=name, target=str(table.loc[bad_target, "target"].iloc[0])))
    if (table["actual"] < 0).any():
        name = table.loc[table["actual"] < 0, "metric"].iloc[0]
        raise CompositeError(_('The metric "{name}" has a negative actual value; scores need '
                               "counts, days or shares, which are never negative.", name=name))
    if table["metric"].duplicated().any():
        name = table.loc[table["metric"].duplicated(), "metric"].iloc[0]
        raise CompositeError(_('The metric "{name}" appears twice. Give each metric one row '
                               "(or name them apart, e.g. by district).", name=name))
    return table


def _checked_cap(cap: float | None) -> float | None:
    if cap is None:
        return None
    if isinstance(cap, bool) or not isinstance(cap, (int, float)) or not cap >= 1:
        raise CompositeError(_("The cap should be a number of at least 1 (such as 1.25), not "
                               "{value}: a cap below 1 would hide metrics that meet their "
                               "target.", value=repr(cap)))
    return float(cap)


def _ranked(table: pd.DataFrame, ascending: bool) -> pd.DataFrame:
    ordered = table.sort_values("metric", kind="stable").sort_values(
        "score", ascending=ascending, kind="stable")
    return ordered.reset_index(drop=True)


def _reading(value: float) -> str:
    if math.isclose(value, 1.0, abs_tol=0.005):
        return _("on target overall")
    return _("above target overall") if value > 1 else _("below target overall")


def _left_out_sentence(left_out: pd.DataFrame) -> str:
    if left_out.empty:
        return ""
    names = list_choices(left_out["metric"].astype(str), limit=5)
    return _("Left out for lack of a number this period (too few requests): {names}.",
             names=names)


def type_names(requests: pd.DataFrame) -> dict[str, str]:
    if "service_name" not in requests.columns or requests.empty:
        return {}
    pairs = requests[["service_code", "service_name"]].dropna().drop_duplicates("service_code")
    return dict(zip(pairs["service_code"].astype(str), pairs["service_name"].astype(str),
                    strict=True))
