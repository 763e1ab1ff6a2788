"""Service performance metrics (KPIs): how many, how fast, how many on time, how many waiting.

Every function takes the canonical service-requests table (see :mod:`cda_lib.core.schema`),
the moment the data was extracted (``as_of``, ``CityData.as_of``) and, where a metric
needs them, the city's service standards (``city.service_standards``: target days to
close per request type code). :func:`kpi_table` computes the whole suite per group
(request type, district, week, month ...); the single-number functions
(:func:`median_days_to_close`, :func:`on_time_share` ...) give one group's value as a
:class:`MetricResult` that says in words what it is, or why there is no number.

Requests still open are not dropped
-----------------------------------
Time to close is only known for closed requests. Dropping the open ones makes a service
look faster than it is, because the slowest requests are exactly the ones still open (and
the more recent the month, the worse the distortion). So every time-to-close figure here
treats an open request as *censored*: it has waited at least from its request to the
extract. The median and 90th percentile are Kaplan–Meier estimates (Kaplan & Meier 1958,
the standard survival-analysis estimate, as in R's ``survival`` package): the first time
by which half (or 90%) of the requests are estimated closed, counting open ones for as
long as they have been open. When fewer than half (or 90%) are closed even by that
estimate, the honest answer is a lower bound, reported as "at least N days"
(``median_at_least`` is true). With no open requests the Kaplan–Meier median is the
ordinary median. The estimate assumes an open request will close like the closed ones
that waited as long (independent censoring); requests that will never be closed break
that assumption, which is one more reason to watch the backlog alongside.

The share closed within the service standard needs no estimate once a request's standard
has passed: closed within it, on time; closed later or still open, late. A request
younger than its standard is *pending* and not counted either way (``on_time_pending``
says how many), even when it has already closed on time: among the youngest requests
only the fast ones have closed so far, so counting them would flatter the latest weeks.

Looking back
------------
``as_of`` is the moment the figures describe. A request closed after it counts as still
open at ``as_of``, so the KPIs as they stood on an earlier date are those of the requests
opened by then (:func:`cda_lib.metrics.selection.select_requests` with a period ending
that day) with that date as ``as_of``. Requests opened after ``as_of`` are refused with
a clear error.

Too few requests
----------------
A metric over a handful of requests mostly measures chance. A group with fewer than
:data:`MIN_REQUESTS` requests (or fewer known outcomes, for the on-time share) gets no
number; its ``note`` says how many requests it has and how many are needed.

Large cities
------------
Everything is vectorized (NumPy and pandas group operations, no Python loop over
requests), so the suite runs on a million rows in memory (``benchmarks/kpi_suite.py``).
For a city with many millions, :func:`cda_lib.metrics.engine.open_requests` leaves the requests
on disk and every function here takes the table it returns in place of a DataFrame:
DuckDB does the counting and sorting, and the same code as for a pandas table turns the
counts into the same table, to the last digit (``benchmarks/kpi_scale.py``).

>>> table = pd.DataFrame({
...     "service_code": ["POTHOLE"] * 3,
...     "status": ["closed", "closed", "open"],
...     "requested_datetime": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03"]),
...     "closed_datetime": pd.to_datetime(["2025-03-03", "2025-03-12", None]),
... })
>>> print(median_days_to_close(table, as_of="2025-03-31", min_requests=3))
Median days to close: 10.0 days (3 requests, 1 still open)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cda_lib.core.errors import did_you_mean, list_choices
from cda_lib.metrics.figures import GroupFigures, figures_in_memory
from cda_lib.metrics.inputs import (
    MetricInputError,
    as_timestamp,
    check_standards,
    on_disk,
    require_columns,
)
from cda_lib.metrics.kpi_notes import (
    BACKLOG_NOT_OVER,
    NO_REQUESTS,
    TOO_FEW_REQUESTS,
    KpiNotes,
)
from cda_lib.metrics.outcomes import NEEDED_COLUMNS
from cda_lib.metrics.periods import TIME_KEYS
from cda_lib.metrics.survival import QUANTILES
from cda_lib.text.numbers import format_value
from cda_lib.text.translation import N_, format_message, gettext as _, ngettext

# Below 30 requests a share is uncertain by more than about +/-18 points (95%, at 50%),
# and a 90th percentile rests on the slowest two or three requests: numbers nobody should
# act on. Thirty is the usual rule of thumb for "enough to summarize".
MIN_REQUESTS = 30

# How a closure note says a request was cancelled: "Cancelled", "Canceled", "Cancelado",
# "Cancelada", "Cancellation" ... (matched anywhere in the note, ignoring case).
CANCELLED_PATTERN = r"cancel"

# The columns a table can be grouped by, besides a period.
GROUP_KEYS = ("service_code", "service_name", "district", "agency_responsible", "channel")


@dataclass(frozen=True)
class MetricResult:
    """One metric for one group: the number, or the reason there is no number.

    ``value`` is ``None`` when the group has too few requests (see ``note``); ``at_least``
    is true when the value is a lower bound because too many requests are still open.
    ``float(result)`` gives the number, or raises a clear error when there is none.

    >>> result = MetricResult("On-time share", 0.8, "share", requests=50)
    >>> print(result)
    On-time share: 80% (50 requests)
    >>> float(result)
    0.8
    """

    name: str
    value: float | None
    unit: str
    requests: int
    note: str = ""
    at_least: bool = False
    open_requests: int = 0

    @property
    def is_reliable(self) -> bool:
        """True when there is a number to act on (enough requests)."""
        return self.value is not None

    def __float__(self) -> float:
        if self.value is None:
            raise MetricInputError(_("{name} has no number to use. {note}", name=_(self.name),
                                     note=self.note))
        return float(self.value)

    def __str__(self) -> str:
        """The sentence in the page's language (``name``: English, translated here)."""
        name = _(self.name)
        if self.value is None:
            return _("{name}: no number. {note}", name=name, note=self.note)
        counted = ngettext("{count:,} request", "{count:,} requests", self.requests)
        if self.open_requests:
            counted = _("{requests}, {open:,} still open", requests=counted,
                        open=self.open_requests)
        number = _format_value(self.value, self.unit)
        text = (_("{name}: at least {number} ({requests})", name=name, number=number,
                  requests=counted) if self.at_least else
                _("{name}: {number} ({requests})", name=name, number=number, requests=counted))
        return f"{text}. {self.note}" if self.note else text

    def _repr_html_(self) -> str:
        import html

        return f'<p class="cda-metric">{html.escape(str(self))}</p>'

# --- the suite ---------------------------------------------------------------------------


def kpi_table(requests: pd.DataFrame, standards: Mapping[str, float] | None = None, *, as_of,
              by: str | Iterable[str] = ("service_code", "month"),
              min_requests: int = MIN_REQUESTS,
              cancelled_pattern: str = CANCELLED_PATTERN) -> pd.DataFrame:
    """The KPI suite for every group: count, time to close, on time, backlog, reopens, cancels.

    ``by`` names the groups: any of :data:`GROUP_KEYS` and at most one period of
    :data:`TIME_KEYS` (requests are placed in the period they were *opened*). With a
    period, every period from the first request to the extract gets a row for every
    group, including periods with no requests. Columns:

    * ``requests``, ``closed``, ``still_open``: requests opened in the group;
    * ``median_days``, ``p90_days``: Kaplan–Meier median and 90th percentile days to
      close, open requests censored; ``median_at_least`` / ``p90_at_least`` mark lower
      bounds;
    * ``on_time_share``: share closed within the type's standard among requests whose
      standard has passed (``on_time_count`` of ``on_time_known``, given even when the
      share is withheld, for control charts); ``on_time_pending`` are younger than it;
    * ``backlog_at_end`` (with a period): requests open at the end of the period, opened
      then or earlier; empty for a period not over at the extract. The table holds no
      requests opened before its first date, so the first periods' backlog is too low
      (a warm-up): judge the backlog from a few months in;
    * ``reopen_rate``: share of requests closed at least once that were reopened (needs
      the optional ``reopened`` column); ``cancellation_rate``: share of closed requests
      whose closure note matches ``cancelled_pattern``;
    * ``note``: why a number is missing or is a lower bound, in words.

    >>> table = pd.DataFrame({
    ...     "service_code": ["POTHOLE", "POTHOLE", "NOISE"],
    ...     "status": ["closed", "open", "closed"],
    ...     "requested_datetime": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-05"]),
    ...     "closed_datetime": pd.to_datetime(["2025-03-03", None, "2025-03-06"]),
    ... })
    >>> kpis = kpi_table(table, {"POTHOLE": 5, "NOISE": 3}, as_of="2025-03-31",
    ...                  by="service_code", min_requests=1)
    >>> kpis[["service_code", "requests", "median_days", "on_time_share"]]
      service_code  requests  median_days  on_time_share
    0        NOISE         1          1.0            1.0
    1      POTHOLE         2          2.0            0.5
    """
    return _suite(requests, standards, as_of, by, min_requests, cancelled_pattern)[0]


def _suite(requests, standards: Mapping[str, float] | None, as_of, by, min_requests: int,
           cancelled_pattern: str = CANCELLED_PATTERN) -> tuple[pd.DataFrame, dict, KpiNotes]:
    """The KPI table, the denominators of the rates and the notes (for single numbers).

    A table of requests on disk (:class:`cda_lib.metrics.disk_table.LargeRequests`) has its
    figures counted by the engine; a pandas table here. Either way :func:`_finish` turns the
    same per-group figures into the same table, notes and all.
    """
    keys, time_key = _check_by(by)
    _check_min_requests(min_requests)
    check_standards(standards)
    pattern = _cancel_regex(cancelled_pattern)
    if on_disk(requests):
        figures = requests.kpi_figures(standards, as_of=as_timestamp(as_of, "as_of"),
                                       keys=keys, time_key=time_key, pattern=pattern.pattern)
    else:
        figures = figures_in_memory(requests, standards, as_of, keys, time_key, pattern)
    return _finish(figures, min_requests, time_key)

def _finish(figures: GroupFigures, min_requests: int,
            time_key: str | None) -> tuple[pd.DataFrame, dict, KpiNotes]:
    result = figures.labels.reset_index(drop=True)
    result["requests"] = figures.requests
    result["closed"] = figures.closed
    result["still_open"] = result["requests"] - result["closed"]
    for name in QUANTILES:
        values, at_least = figures.quantiles[name]
        result[f"{name}_days"], result[f"{name}_at_least"] = values, at_least
    notes = KpiNotes(len(result))
    enough = result["requests"].to_numpy() >= min_requests
    notes.add_too_few(result["requests"].to_numpy(), min_requests, TOO_FEW_REQUESTS, NO_REQUESTS)
    for name in QUANTILES:
        result.loc[~enough, f"{name}_days"] = np.nan
        result.loc[~enough, f"{name}_at_least"] = False
    _add_bound_notes(notes, result)
    _add_on_time(result, notes, figures, min_requests)
    if time_key is not None:
        _add_backlog(result, notes, figures.backlog, time_key)
    bases = {
        "reopen_rate": _add_reopens(result, notes, figures, min_requests),
        "cancellation_rate": _add_cancellations(result, notes, figures, min_requests),
    }
    result["note"] = notes.texts()
    return result, bases, notes


def readable_kpis(kpis: pd.DataFrame) -> pd.DataFrame:
    """The KPI table as text for reading: "12.3", "at least 40.0", "80%", "too few".

    >>> kpis = pd.DataFrame({"service_code": ["POTHOLE"], "requests": [40],
    ...                      "median_days": [50.0], "median_at_least": [True],
    ...                      "on_time_share": [0.75], "note": [""]})
    >>> readable_kpis(kpis).iloc[0].tolist()
    ['POTHOLE', '40', 'at least 50.0', '75%', '']
    """
    shown = pd.DataFrame(index=kpis.index)
    for column in kpis.columns:
        if column.endswith("_at_least"):
            continue
        values = kpis[column]
        if column in ("median_days", "p90_days"):
            bound = kpis.get(column.replace("_days", "_at_least"),
                             pd.Series(False, index=kpis.index))
            text = values.map(lambda v: "—" if pd.isna(v) else format_message("{v:,.1f}", v=v))
            bounded = text.map(lambda written: _("at least {value}", value=written))
            shown[column] = np.where(bound.fillna(False).astype(bool) & values.notna(),
                                     bounded, text)
        elif column.endswith(("_share", "_rate")):
            shown[column] = values.map(lambda v: "—" if pd.isna(v) else _format_value(v, "share"))
        elif pd.api.types.is_integer_dtype(values):
            shown[column] = values.map(lambda v: "—" if pd.isna(v) else
                                       format_message("{v:,}", v=int(v)))
        elif pd.api.types.is_float_dtype(values):
            shown[column] = values.map(lambda v: "—" if pd.isna(v) else
                                       format_message("{v:,.0f}", v=v))
        else:
            shown[column] = values.astype("string").fillna("")
    return shown


# --- single numbers ----------------------------------------------------------------------


def median_days_to_close(requests: pd.DataFrame, *, as_of,
                         min_requests: int = MIN_REQUESTS) -> MetricResult:
    """The Kaplan–Meier median days to close of these requests, open ones censored.

    >>> table = pd.DataFrame({
    ...     "service_code": ["NOISE"] * 2, "status": ["closed", "open"],
    ...     "requested_datetime": pd.to_datetime(["2025-03-01", "2025-03-01"]),
    ...     "closed_datetime": pd.to_datetime(["2025-03-02", None])})
    >>> print(median_days_to_close(table, as_of="2025-03-31"))
    Median days to close: no number. Too few requests to be meaningful: 2 (at least 30 \
are needed).
    """
    return _days_result(requests, as_of, min_requests, "median", N_("Median days to close"))


def p90_days_to_close(requests: pd.DataFrame, *, as_of,
                      min_requests: int = MIN_REQUESTS) -> MetricResult:
    """The Kaplan–Meier 90th percentile days to close: the wait of the slowest tenth.

    >>> table = pd.DataFrame({
    ...     "service_code": ["NOISE"] * 10, "status": ["closed"] * 10,
    ...     "requested_datetime": pd.to_datetime(["2025-03-01"] * 10),
    ...     "closed_datetime": pd.to_datetime([f"2025-03-{d:02d}" for d in range(2, 12)])})
    >>> p90_days_to_close(table, as_of="2025-03-31", min_requests=10).value
    9.5
    """
    return _days_result(requests, as_of, min_requests, "p90",
                        N_("90th percentile days to close"))


def on_time_share(requests: pd.DataFrame, standards: Mapping[str, float], *, as_of,
                  min_requests: int = MIN_REQUESTS) -> MetricResult:
    """The share of requests closed within their type's service standard, once it has passed.

    >>> table = pd.DataFrame({
    ...     "service_code": ["POTHOLE"] * 4, "status": ["closed", "closed", "open", "open"],
    ...     "requested_datetime": pd.to_datetime(["2025-03-01"] * 3 + ["2025-03-30"]),
    ...     "closed_datetime": pd.to_datetime(["2025-03-02", "2025-03-20", None, None])})
    >>> print(on_time_share(table, {"POTHOLE": 5}, as_of="2025-03-31", min_requests=3))
    Share closed within the service standard: 33% (3 requests). 1 more is still within \
its standard (pending).
    """
    table, _bases, notes = _suite(requests, standards, as_of, (), min_requests)
    row = table.iloc[0]
    value = None if pd.isna(row["on_time_share"]) else float(row["on_time_share"])
    pending = int(row["on_time_pending"])
    note = notes.about(0, "on-time share") if value is None else (ngettext(
        "{count:,} more is still within its standard (pending).",
        "{count:,} more are still within their standard (pending).", pending) if pending else "")
    return MetricResult(N_("Share closed within the service standard"), value, "share",
                        int(row["on_time_known"]), note)


def month_end_backlog(requests: pd.DataFrame, *, as_of,
                      by: str | Iterable[str] = ()) -> pd.DataFrame:
    """Requests still open at the end of each month (opened that month or earlier).

    ``by`` adds groups such as ``"service_code"`` or ``"district"``. A month counts as
    over when the data was extracted on its last day or later.

    >>> table = pd.DataFrame({
    ...     "service_code": ["POTHOLE"] * 3, "status": ["closed", "closed", "open"],
    ...     "requested_datetime": pd.to_datetime(["2025-01-10", "2025-01-20", "2025-02-03"]),
    ...     "closed_datetime": pd.to_datetime(["2025-01-15", "2025-02-10", None])})
    >>> month_end_backlog(table, as_of="2025-03-31")
         month  backlog_at_end
    0  2025-01               1
    1  2025-02               1
    2  2025-03               1
    """
    keys = [by] if isinstance(by, str) else list(by)
    table = kpi_table(requests, None, as_of=as_of, by=[*keys, "month"], min_requests=1)
    table = table[table["backlog_at_end"].notna()]
    backlog = table[[*keys, "month", "backlog_at_end"]].reset_index(drop=True)
    return backlog.astype({"backlog_at_end": "int64"})


def reopen_rate(requests: pd.DataFrame, *, min_requests: int = MIN_REQUESTS) -> MetricResult:
    """The share of requests closed at least once that were reopened (``reopened`` column).

    >>> table = pd.DataFrame({
    ...     "service_code": ["POTHOLE"] * 4, "status": ["closed"] * 4,
    ...     "requested_datetime": pd.to_datetime(["2025-03-01"] * 4),
    ...     "closed_datetime": pd.to_datetime(["2025-03-02"] * 4),
    ...     "reopened": pd.array([True, False, False, False], dtype="boolean")})
    >>> print(reopen_rate(table, min_requests=4))
    Reopen rate: 25% (4 requests)
    """
    return _rate_result(requests, min_requests, "reopen_rate", N_("Reopen rate"), "reopen")


def cancellation_rate(requests: pd.DataFrame, *, min_requests: int = MIN_REQUESTS,
                      pattern: str = CANCELLED_PATTERN) -> MetricResult:
    """The share of closed requests whose closure note says they were cancelled.

    >>> table = pd.DataFrame({
    ...     "service_code": ["POTHOLE"] * 4, "status": ["closed"] * 4,
    ...     "status_notes": ["Completed", "Cancelled", "Completed", "Completed"],
    ...     "requested_datetime": pd.to_datetime(["2025-03-01"] * 4),
    ...     "closed_datetime": pd.to_datetime(["2025-03-02"] * 4)})
    >>> cancellation_rate(table, min_requests=4).value
    0.25
    """
    return _rate_result(requests, min_requests, "cancellation_rate", N_("Cancellation rate"),
                        "cancellation", pattern=pattern)
def _check_min_requests(min_requests) -> None:
    if isinstance(min_requests, bool) or not isinstance(min_requests, (int, np.integer)) \
            or min_requests < 1:
        raise MetricInputError(_(
            "min_requests should be a whole number of at least 1, not {value}. The workbook's "
            "default is {default}.", value=repr(min_requests), default=MIN_REQUESTS))


def _check_by(by) -> tuple[list[str], str | None]:
    keys = [by] if isinstance(by, str) else list(by)
    allowed = [*GROUP_KEYS, *TIME_KEYS]
    for key in keys:
        if key not in allowed:
            raise MetricInputError(_('KPIs cannot be grouped by "{key}".{hint} Group by {choices}.',
                                     key=key, hint=did_you_mean(str(key), allowed),
                                     choices=list_choices(allowed)))
    times = [k for k in keys if k in TIME_KEYS]
    if len(times) > 1:
        raise MetricInputError(_(
            "Group by one period at a time, not {choices}. Choose the one the meeting looks at, "
            "e.g. by=('service_code', 'month').", choices=list_choices(times)))
    if len(set(keys)) != len(keys):
        raise MetricInputError(_("by names a column twice ({choices}). Name each once.",
                                 choices=list_choices(keys)))
    return [k for k in keys if k not in TIME_KEYS], (times[0] if times else None)

# --- the parts of the suite --------------------------------------------------------------


def _add_bound_notes(notes: KpiNotes, result: pd.DataFrame) -> None:
    median_bound = result["median_at_least"].to_numpy()
    p90_bound = result["p90_at_least"].to_numpy() & ~median_bound
    notes.add(median_bound, N_("Median and 90th percentile are lower bounds: more than half of "
                               "these requests are still open."), "bounds")
    notes.add(p90_bound, N_("The 90th percentile is a lower bound: more than a tenth of these "
                            "requests are still open."), "bounds")


def _add_on_time(result: pd.DataFrame, notes: KpiNotes, figures: GroupFigures,
                 min_requests: int) -> None:
    known_count, on_time_count = figures.on_time_known, figures.on_time_count
    without = figures.without_standard
    result["on_time_known"] = known_count
    result["on_time_count"] = on_time_count
    result["on_time_pending"] = figures.on_time_pending
    with np.errstate(invalid="ignore", divide="ignore"):
        share = on_time_count / known_count
    enough = known_count >= min_requests
    result["on_time_share"] = np.where(enough, share, np.nan)
    requests = result["requests"].to_numpy()
    no_standard = (without == requests) & (requests > 0)
    topic = "on-time share"
    notes.add(no_standard, N_("On-time share: no service standard for these request types."),
              topic)
    notes.add((without > 0) & ~no_standard, N_("On-time share leaves out {count:,} requests of "
                                               "types without a service standard."), topic,
              count=without)
    few = ~enough & ~no_standard & (requests >= min_requests)
    notes.add(few, N_("On-time share: Too few requests past their standard to be meaningful: "
                      "{count:,} (at least {needed:,} are needed)."), topic, count=known_count,
              needed=min_requests)

def _add_backlog(result: pd.DataFrame, notes: KpiNotes, backlog: np.ndarray,
                 time_key: str) -> None:
    over = ~np.isnan(backlog)
    result["backlog_at_end"] = pd.array(backlog, dtype="Float64").astype("Int64")
    notes.add(~over, BACKLOG_NOT_OVER[time_key], "backlog")

def _add_reopens(result: pd.DataFrame, notes: KpiNotes, figures: GroupFigures,
                 min_requests: int) -> np.ndarray:
    """Add the reopen rate; return its denominator per group."""
    requests = result["requests"].to_numpy()
    if figures.reopened is None:
        result["reopen_rate"] = np.nan
        notes.add(requests > 0, N_("Reopens are not recorded in this data."), "reopen")
        return np.zeros(len(result), dtype=np.int64)
    base = figures.reopen_base
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = figures.reopened / base
    result["reopen_rate"] = np.where(base >= min_requests, rate, np.nan)
    unrecorded = (figures.reopen_recorded == 0) & (requests > 0)
    notes.add(unrecorded, N_("Reopens are not recorded for these requests."), "reopen")
    few = ~unrecorded & (base < min_requests) & (requests >= min_requests)
    notes.add(few, N_("Reopen rate: Too few closed requests to be meaningful: {count:,} (at "
                      "least {needed:,} are needed)."), "reopen", count=base,
              needed=min_requests)
    return base


def _add_cancellations(result: pd.DataFrame, notes: KpiNotes, figures: GroupFigures,
                       min_requests: int) -> np.ndarray:
    """Add the cancellation rate; return its denominator per group."""
    requests = result["requests"].to_numpy()
    if figures.cancelled is None:
        result["cancellation_rate"] = np.nan
        notes.add(requests > 0, N_("Cancellations are not recorded in this data (no status "
                                   "notes)."), "cancellation")
        return np.zeros(len(result), dtype=np.int64)
    base = figures.cancel_base
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = figures.cancelled / base
    unrecorded = (figures.cancel_telling == 0) & (result["closed"].to_numpy() > 0)
    result["cancellation_rate"] = np.where((base >= min_requests) & ~unrecorded, rate, np.nan)
    base = np.where(unrecorded, 0, base)
    notes.add(unrecorded, N_("Cancellations: no closure notes are recorded for these "
                             "requests."), "cancellation")
    few = ~unrecorded & (base < min_requests) & (requests >= min_requests)
    notes.add(few, N_("Cancellation rate: Too few closed requests with a note to be meaningful: "
                      "{count:,} (at least {needed:,} are needed)."), "cancellation", count=base,
              needed=min_requests)
    return base


def _cancel_regex(pattern: str) -> re.Pattern:
    try:
        return re.compile(pattern, flags=re.IGNORECASE)
    except re.error:
        raise MetricInputError(_(
            'The cancellation pattern "{pattern}" is not a valid search pattern. Use a plain '
            'word such as "{example}".', pattern=pattern, example=CANCELLED_PATTERN)) from None


# --- single-number helpers ---------------------------------------------------------------


def _days_result(requests: pd.DataFrame, as_of, min_requests: int, which: str,
                 name: str) -> MetricResult:
    table, _bases, notes = _suite(requests, None, as_of, (), min_requests)
    row = table.iloc[0]
    value = row[f"{which}_days"]
    at_least = bool(row[f"{which}_at_least"])
    note = ""
    if pd.isna(value):
        note = notes.about(0, "")
    elif at_least:
        note = (_("Still open: more than half of these requests, so the true figure is longer "
                  "and not known yet.") if which == "median" else
                _("Still open: more than a tenth of these requests, so the true figure is "
                  "longer and not known yet."))
    return MetricResult(name, None if pd.isna(value) else float(value), "days",
                        int(row["requests"]), note, at_least, int(row["still_open"]))


def _rate_result(requests: pd.DataFrame, min_requests: int, column: str, name: str,
                 topic: str, pattern: str = CANCELLED_PATTERN) -> MetricResult:
    table, bases, notes = _suite(requests, None, _latest_moment(requests), (), min_requests,
                                 pattern)
    row = table.iloc[0]
    value = row[column]
    note = "" if pd.notna(value) else notes.about(0, topic)
    return MetricResult(name, None if pd.isna(value) else float(value), "share",
                        int(bases[column][0]), note)


def _latest_moment(requests: pd.DataFrame) -> pd.Timestamp:
    """Rates do not depend on the extract moment; any moment after every date will do."""
    if on_disk(requests):
        return requests.latest_moment()
    require_columns(requests, NEEDED_COLUMNS, N_("these metrics"))
    dates = pd.concat([requests["requested_datetime"], requests["closed_datetime"]])
    latest = dates.max()
    return pd.Timestamp("2000-01-01") if pd.isna(latest) else pd.Timestamp(latest)


def _format_value(value: float, unit: str) -> str:
    return format_value(value, unit)

