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
opened by then (:func:`select_requests` with a period ending that day) with that date as
``as_of``. Requests opened after ``as_of`` are refused with a clear error.

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

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cda_lib.core.errors import CdaError, did_you_mean, list_choices
from cda_lib.text.numbers import format_value

# Below 30 requests a share is uncertain by more than about +/-18 points (95%, at 50%),
# and a 90th percentile rests on the slowest two or three requests: numbers nobody should
# act on. Thirty is the usual rule of thumb for "enough to summarize".
MIN_REQUESTS = 30

# How a closure note says a request was cancelled: "Cancelled", "Canceled", "Cancelado",
# "Cancelada", "Cancellation" ... (matched anywhere in the note, ignoring case).
CANCELLED_PATTERN = r"cancel"

# The periods a table can be grouped by, as pandas period frequencies. Weeks run Monday to
# Sunday (ISO 8601), as city work weeks and stat meetings do.
TIME_KEYS = {"week": "W-SUN", "month": "M", "quarter": "Q-DEC", "year": "Y-DEC"}
# The columns a table can be grouped by, besides a period.
GROUP_KEYS = ("service_code", "service_name", "district", "agency_responsible", "channel")
# What a group key shows for requests that have no value in that column (no district ...).
NOT_RECORDED = "(not recorded)"

DAY_NS = 86_400 * 1_000_000_000
# Kaplan–Meier survival is a running product of fractions; allow this much rounding when
# asking whether it has reached exactly one half.
_TOLERANCE = 1e-9
QUANTILES = {"median": 0.5, "p90": 0.9}
_NEEDED = ("service_code", "status", "requested_datetime", "closed_datetime")


class MetricInputError(CdaError, ValueError):
    """A metric was asked for with an argument or a table it cannot use."""


class UnknownChoiceError(CdaError, KeyError):
    """A district, request type or period was asked for that the data does not have."""


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
            raise MetricInputError(f"{self.name} has no number to use. {self.note}")
        return float(self.value)

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.name}: no number. {self.note}"
        number = _format_value(self.value, self.unit)
        bound = "at least " if self.at_least else ""
        counted = f"{self.requests:,} request{'s' if self.requests != 1 else ''}"
        if self.open_requests:
            counted += f", {self.open_requests:,} still open"
        text = f"{self.name}: {bound}{number} ({counted})"
        return f"{text}. {self.note}" if self.note else text

    def _repr_html_(self) -> str:
        import html

        return f'<p class="cda-metric">{html.escape(str(self))}</p>'


# --- per-request building blocks ---------------------------------------------------------


def request_outcomes(requests: pd.DataFrame, standards: Mapping[str, float] | None = None, *,
                     as_of) -> pd.DataFrame:
    """Each request's days to close (or days open so far) and whether it met its standard.

    Returns a table aligned with ``requests``: ``closed`` (true once closed), ``days``
    (request to close, or request to the extract while open: a censored time),
    ``standard_days`` (empty when the type has no standard), ``on_time`` (true, false,
    or empty while the request is open and still within its standard) and
    ``standard_passed`` (its standard has run out by the extract: the requests the
    on-time share counts).

    >>> table = pd.DataFrame({
    ...     "service_code": ["POTHOLE", "POTHOLE", "POTHOLE"],
    ...     "status": ["closed", "open", "open"],
    ...     "requested_datetime": pd.to_datetime(["2025-03-01", "2025-03-01", "2025-03-29"]),
    ...     "closed_datetime": pd.to_datetime(["2025-03-04", None, None]),
    ... })
    >>> request_outcomes(table, {"POTHOLE": 5}, as_of="2025-03-31")
       closed  days  standard_days  on_time  standard_passed
    0    True   3.0            5.0     True             True
    1   False  30.0            5.0    False             True
    2   False   2.0            5.0     <NA>            False
    """
    prepared = _prepare(requests, as_of)
    standard = _standard_days(requests, standards)
    passed = _standard_passed(prepared, standard)
    on_time = pd.array(_closed_on_time(prepared, standard), dtype="boolean")
    on_time[~(passed | on_time.to_numpy(dtype=bool))] = pd.NA
    return pd.DataFrame({"closed": prepared.closed, "days": prepared.days,
                         "standard_days": standard, "on_time": on_time,
                         "standard_passed": passed}, index=requests.index)


def select_requests(requests: pd.DataFrame, *, service_code: str | Iterable[str] | None = None,
                    district: str | Iterable[str] | None = None, period=None) -> pd.DataFrame:
    """The requests of some types, districts and period, with a clear error for a typo.

    ``service_code`` takes codes or names ("POTHOLE" or "Pothole repair"), ``district``
    district names, ``period`` a year ("2025"), quarter ("2025Q1"), month ("2025-03") or a
    pair of dates (both days included). A choice the table does not have gets an error
    listing what it has, with a "did you mean". A table kept on disk
    (:func:`cda_lib.metrics.engine.open_requests`) gives a selection that stays on disk.

    >>> table = pd.DataFrame({"service_code": ["POTHOLE", "NOISE"],
    ...                       "service_name": ["Pothole repair", "Noise complaint"],
    ...                       "district": ["Northbank", "Old Town"],
    ...                       "requested_datetime": pd.to_datetime(["2025-03-01", "2025-04-02"])})
    >>> len(select_requests(table, service_code="Pothole repair", period="2025-03"))
    1
    >>> select_requests(table, district="Nortbank")
    Traceback (most recent call last):
    ...
    cda_lib.metrics.kpi.UnknownChoiceError: This table has no district "Nortbank". Did you mean \
"Northbank"? It has "Northbank" and "Old Town".
    """
    if _on_disk(requests):
        return requests.select(service_code=service_code, district=district, period=period)
    chosen = pd.Series(True, index=requests.index)
    if service_code is not None:
        chosen &= _type_mask(requests, service_code)
    if district is not None:
        require_columns(requests, ["district"], "choosing districts")
        chosen &= _choice_mask(requests["district"], district, "district")
    if period is not None:
        require_columns(requests, ["requested_datetime"], "choosing a period")
        start, end = period_bounds(period)
        chosen &= _period_mask(requests["requested_datetime"], start, end, period)
    return requests[chosen.to_numpy()]


def period_bounds(period) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last moment of a period given as "2025", "2025Q1", "2025-03" or dates.

    >>> period_bounds("2025-02")
    (Timestamp('2025-02-01 00:00:00'), Timestamp('2025-02-28 23:59:59.999999999'))
    >>> period_bounds(("2025-01-01", "2025-01-31"))[1]
    Timestamp('2025-01-31 23:59:59.999999999')
    """
    if isinstance(period, pd.Period):
        return period.start_time, last_moment(period)
    if isinstance(period, (tuple, list)) and len(period) == 2:
        start, end = (as_timestamp(value, "period") for value in period)
        end = end + pd.Timedelta(days=1) - pd.Timedelta(1, "ns") if end == end.normalize() \
            else end
        if end < start:
            raise MetricInputError(
                f"The period ends ({end:%d %b %Y}) before it starts ({start:%d %b %Y}). "
                "Give the earlier date first.")
        return start, end
    text = str(period).strip()
    try:
        parsed = pd.Period(text)
    except (ValueError, TypeError):
        raise MetricInputError(
            f'"{period}" is not a period the workbook can read. Write a year ("2025"), a '
            'quarter ("2025Q1"), a month ("2025-03") or two dates ("2025-01-01", "2025-03-31")'
            ".") from None
    return parsed.start_time, last_moment(parsed)


def last_moment(period: pd.Period) -> pd.Timestamp:
    """The period's last nanosecond (pandas rounds ``end_time`` to microseconds)."""
    return (period + 1).start_time.as_unit("ns") - pd.Timedelta(1, "ns")


def describe_period(label) -> str:
    """A period label from :func:`kpi_table` in words: "the week of 10 Mar 2025", "March 2025".

    >>> describe_period("2025-03-10/2025-03-16"), describe_period("2025-03")
    ('the week of 10 Mar 2025', 'March 2025')
    >>> describe_period("2025Q1"), describe_period("Mill District")
    ('Q1 2025', 'Mill District')
    """
    text = str(label)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}", text):
        return f"the week of {pd.Timestamp(text[:10]):%d %b %Y}"
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return f"{pd.Timestamp(text + '-01'):%B %Y}"
    if re.fullmatch(r"\d{4}Q[1-4]", text):
        return f"{text[4:]} {text[:4]}"
    return text


def period_label(when: pd.Timestamp | dt.date, time_key: str) -> str:
    """The label :func:`kpi_table` gives the period holding ``when`` ("2025-03" for a month).

    >>> period_label(pd.Timestamp("2025-03-14"), "month"), period_label(pd.Timestamp(
    ...     "2025-03-14"), "week")
    ('2025-03', '2025-03-10/2025-03-16')
    """
    if time_key not in TIME_KEYS:
        raise MetricInputError(f'"{time_key}" is not a period; use {list_choices(TIME_KEYS)}.')
    return str(pd.Timestamp(when).to_period(TIME_KEYS[time_key]))


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


def _suite(requests, standards: Mapping[str, float] | None, as_of, by,
           min_requests: int, cancelled_pattern: str) -> tuple[pd.DataFrame, dict]:
    """The KPI table, and the denominators of the rates (for single-number results).

    A table of requests on disk (:class:`cda_lib.metrics.engine.LargeRequests`) has its figures
    counted by the engine; a pandas table here. Either way :func:`_finish` turns the same
    per-group figures into the same table, notes and all.
    """
    keys, time_key = _check_by(by)
    _check_min_requests(min_requests)
    _check_standards(standards)
    pattern = _cancel_regex(cancelled_pattern)
    if _on_disk(requests):
        figures = requests.kpi_figures(standards, as_of=as_timestamp(as_of, "as_of"),
                                       keys=keys, time_key=time_key, pattern=pattern.pattern)
    else:
        figures = _figures_in_memory(requests, standards, as_of, keys, time_key, pattern)
    return _finish(figures, min_requests, time_key)


@dataclass
class GroupFigures:
    """The counts and raw quantiles behind the KPI table, one entry per group.

    Both ways of counting (pandas in memory, the engine on disk) fill this in; the rules
    that turn it into numbers and notes (too few requests, lower bounds ...) are then
    written once. ``labels`` holds the group keys (and period) in the table's row order;
    the reopen and cancellation counts are ``None`` when the data has no such column.
    """

    labels: pd.DataFrame
    requests: np.ndarray
    closed: np.ndarray
    quantiles: dict[str, tuple[np.ndarray, np.ndarray]]  # "median" -> (days, at_least)
    on_time_known: np.ndarray
    on_time_count: np.ndarray
    on_time_pending: np.ndarray
    without_standard: np.ndarray
    backlog: np.ndarray | None = None  # NaN for a period not over at the extract
    reopen_base: np.ndarray | None = None
    reopened: np.ndarray | None = None
    reopen_recorded: np.ndarray | None = None
    cancel_base: np.ndarray | None = None
    cancelled: np.ndarray | None = None
    cancel_telling: np.ndarray | None = None


def _figures_in_memory(requests: pd.DataFrame, standards: Mapping[str, float] | None, as_of,
                       keys: list[str], time_key: str | None,
                       pattern: re.Pattern) -> GroupFigures:
    prepared = _prepare(requests, as_of, also=keys)
    groups = _Groups.build(requests, prepared, keys, time_key)
    standard = _standard_days(requests, standards)
    quantiles = _km_quantiles(groups.codes, groups.size, prepared, QUANTILES.values())
    has_standard = ~np.isnan(standard)
    known = _standard_passed(prepared, standard)
    figures = GroupFigures(
        labels=groups.labels.copy(), requests=groups.count(None),
        closed=groups.count(prepared.closed),
        quantiles={name: quantiles[q] for name, q in QUANTILES.items()},
        on_time_known=groups.count(known),
        on_time_count=groups.count(known & _closed_on_time(prepared, standard)),
        on_time_pending=groups.count(has_standard & ~known),
        without_standard=groups.count(~has_standard))
    if time_key is not None:
        figures.backlog = _backlog(groups, prepared)
    if "reopened" in requests.columns:
        flag = requests["reopened"].astype("boolean")
        recorded = flag.notna().to_numpy()
        reopened = flag.fillna(False).to_numpy(dtype=bool)
        figures.reopen_base = groups.count((prepared.closed | reopened) & recorded)
        figures.reopened = groups.count(reopened)
        figures.reopen_recorded = groups.count(recorded)
    if "status_notes" in requests.columns:
        codes, uniques = pd.factorize(requests["status_notes"].astype("string"))
        matches = np.array([bool(pattern.search(str(u))) for u in uniques] + [False])[codes]
        bare = np.array([_is_bare_note(u) for u in uniques] + [True])[codes]
        recorded = prepared.closed & (codes >= 0)
        figures.cancel_base = groups.count(recorded)
        figures.cancel_telling = groups.count(recorded & ~bare)
        figures.cancelled = groups.count(recorded & matches)
    return figures


def _is_bare_note(note) -> bool:
    """A note that only repeats the status ("Closed", as in Boston's export) says nothing
    about how the request ended: where every note is like that, nothing is recorded."""
    return str(note).strip().lower() in ("closed", "")


def _finish(figures: GroupFigures, min_requests: int,
            time_key: str | None) -> tuple[pd.DataFrame, dict]:
    result = figures.labels.reset_index(drop=True)
    result["requests"] = figures.requests
    result["closed"] = figures.closed
    result["still_open"] = result["requests"] - result["closed"]
    for name in QUANTILES:
        values, at_least = figures.quantiles[name]
        result[f"{name}_days"], result[f"{name}_at_least"] = values, at_least
    notes = _Notes(len(result))
    enough = result["requests"].to_numpy() >= min_requests
    _note_too_few(notes, result["requests"].to_numpy(), min_requests, "requests")
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
    return result, bases


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
            text = values.map(lambda v: "—" if pd.isna(v) else f"{v:,.1f}")
            shown[column] = np.where(bound.fillna(False).astype(bool) & values.notna(),
                                     "at least " + text, text)
        elif column.endswith(("_share", "_rate")):
            shown[column] = values.map(lambda v: "—" if pd.isna(v) else _format_value(v, "share"))
        elif pd.api.types.is_integer_dtype(values):
            shown[column] = values.map(lambda v: "—" if pd.isna(v) else f"{v:,}")
        elif pd.api.types.is_float_dtype(values):
            shown[column] = values.map(lambda v: "—" if pd.isna(v) else f"{v:,.0f}")
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
    return _days_result(requests, as_of, min_requests, "median", "Median days to close")


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
                        "90th percentile days to close")


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
    row = kpi_table(requests, standards, as_of=as_of, by=(), min_requests=min_requests).iloc[0]
    value = None if pd.isna(row["on_time_share"]) else float(row["on_time_share"])
    pending = int(row["on_time_pending"])
    note = _row_note(row, "on-time share") if value is None else (
        f"{pending:,} more {'is' if pending == 1 else 'are'} still within "
        f"{'its' if pending == 1 else 'their'} standard (pending)." if pending else "")
    return MetricResult("Share closed within the service standard", value, "share",
                        int(row["on_time_known"]), note)


def closed_within_curve(requests: pd.DataFrame, *, as_of,
                        days: Iterable[float] | None = None) -> pd.DataFrame:
    """Share of requests closed within each number of days: open requests counted, or not.

    ``share_closed`` is the Kaplan–Meier estimate (1 - survival), which counts every open
    request as "not closed yet" for as long as it has been open. ``share_closed_if_open_dropped``
    is what a table of closed requests alone would say: always faster than the truth,
    because the slowest requests are the ones still open. ``days`` defaults to 0 to the
    longest wait seen, in whole days.

    >>> table = pd.DataFrame({
    ...     "service_code": ["POTHOLE"] * 4, "status": ["closed", "closed", "open", "open"],
    ...     "requested_datetime": pd.to_datetime(["2025-03-01"] * 4),
    ...     "closed_datetime": pd.to_datetime(["2025-03-02", "2025-03-04", None, None])})
    >>> curve = closed_within_curve(table, as_of="2025-03-11", days=[1, 3, 10])
    >>> curve.round(2).values.tolist()
    [[1.0, 0.25, 0.5], [3.0, 0.5, 1.0], [10.0, 0.5, 1.0]]
    """
    prepared = _prepare(requests, as_of)
    if days is None:
        longest = float(prepared.days.max()) if prepared.days.size else 0.0
        grid = np.arange(0, math.floor(longest) + 1, dtype=float)
    else:
        grid = np.asarray(list(days), dtype=float)
    order = _time_order(prepared, np.zeros(prepared.days.size, dtype=np.int64))
    duration, event = prepared.days[order], prepared.closed[order]
    at_risk = duration.size - np.arange(duration.size)
    survival = np.cumprod(1.0 - event / np.maximum(at_risk, 1))
    # survival just after each row; at a day d take the last row with duration <= d
    position = np.searchsorted(duration, grid, side="right") - 1
    km = np.where(position >= 0, 1.0 - survival[np.maximum(position, 0)], 0.0)
    closed_days = np.sort(prepared.days[prepared.closed])
    naive = (np.searchsorted(closed_days, grid, side="right") / closed_days.size
             if closed_days.size else np.full(grid.size, np.nan))
    return pd.DataFrame({"days": grid, "share_closed": km,
                         "share_closed_if_open_dropped": naive})


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
    return _rate_result(requests, min_requests, "reopen_rate", "Reopen rate", "reopen")


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
    return _rate_result(requests, min_requests, "cancellation_rate", "Cancellation rate",
                        "cancellation", pattern=pattern)


# --- preparing the table -----------------------------------------------------------------


@dataclass(frozen=True)
class _Prepared:
    """The request-level arrays every metric needs."""

    requested: np.ndarray  # int64 nanoseconds
    closed_at: np.ndarray  # int64 nanoseconds, meaningless where not closed
    closed: np.ndarray  # bool
    days: np.ndarray  # float: to the close, or to the extract while open (censored)
    as_of: pd.Timestamp


def _prepare(requests: pd.DataFrame, as_of, also: Iterable[str] = ()) -> _Prepared:
    if _on_disk(requests):
        raise requests.needs_memory("this measure")
    if not isinstance(requests, pd.DataFrame):
        raise MetricInputError(
            f"Metrics need a table of service requests, not {type(requests).__name__}. "
            "Pass data.requests (or a selection of it).")
    require_columns(requests, [*_NEEDED, *also], "these metrics")
    for column in ("requested_datetime", "closed_datetime"):
        if not pd.api.types.is_datetime64_dtype(requests[column]):
            raise MetricInputError(
                f"The {column} column holds {requests[column].dtype} values, not dates. Load "
                "the table with cda_lib's loaders, or convert it with pd.to_datetime.")
    as_of = as_timestamp(as_of, "as_of")
    requested_dates = requests["requested_datetime"]
    if requested_dates.isna().any():
        raise MetricInputError(
            f"{int(requested_dates.isna().sum()):,} requests have no opened date, so their "
            "time to close cannot be measured. Load the table with cda_lib's loaders, which "
            "set such rows aside with a reason.")
    requested = requested_dates.to_numpy(dtype="datetime64[ns]").view("int64")
    closed_dates = requests["closed_datetime"].to_numpy(dtype="datetime64[ns]")
    status = requests["status"].astype("string").str.lower().to_numpy(dtype=object,
                                                                     na_value="")
    closed_at = closed_dates.view("int64")
    closed = (status == "closed") & ~np.isnat(closed_dates)
    _check_as_of(requests, as_of, requested, closed_at, closed)
    # a request closed after as_of was still open at as_of (see "Looking back" above)
    closed &= closed_at <= as_of.value
    end = np.where(closed, closed_at, as_of.value)
    days = (end - requested) / DAY_NS
    return _Prepared(requested, closed_at, closed, days, as_of)


def _check_as_of(requests: pd.DataFrame, as_of: pd.Timestamp, requested: np.ndarray,
                 closed_at: np.ndarray, closed: np.ndarray) -> None:
    later = int((requested > as_of.value).sum())
    if later:
        raise opened_after_error(later, as_of, requests["requested_datetime"].max())
    if (closed & (closed_at < requested)).any():
        raise MetricInputError(
            f"{int((closed & (closed_at < requested)).sum()):,} requests closed before they "
            "were opened. Load the table with cda_lib's loaders, which set such rows aside.")


def opened_after_error(later: int, as_of: pd.Timestamp,
                       latest: pd.Timestamp) -> MetricInputError:
    """The error for a table holding requests opened after the moment the KPIs describe."""
    return MetricInputError(
        f"{later:,} request{'s' if later != 1 else ''} in the table "
        f"{'were' if later != 1 else 'was'} opened after as_of ({as_of:%d %b %Y %H:%M}); "
        f"the latest on {latest:%d %b %Y %H:%M}. Pass the moment the data was extracted "
        "(as_of=data.as_of), or select the requests opened by the date you give.")


def as_timestamp(value, what: str) -> pd.Timestamp:
    if value is None:
        raise MetricInputError(
            f"{what} is missing. Give the moment the data was extracted, e.g. as_of=data.as_of.")
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise MetricInputError(
            f'{what} should be a date such as "2025-12-31", not {value!r}. Write the date as '
            "year-month-day.")
    if stamp.tz is not None:
        stamp = stamp.tz_localize(None)
    return stamp


def require_columns(requests: pd.DataFrame, columns: Iterable[str], purpose: str) -> None:
    missing = [c for c in columns if c not in requests.columns]
    if missing:
        have = [str(c) for c in requests.columns]
        raise MetricInputError(
            f"The service requests table has no {list_choices(missing)} column, which "
            f"{purpose} need.{did_you_mean(missing[0], have)} It has "
            f"{list_choices(have, limit=15)}; load it with cda_lib's loaders.")


def _check_min_requests(min_requests) -> None:
    if isinstance(min_requests, bool) or not isinstance(min_requests, (int, np.integer)) \
            or min_requests < 1:
        raise MetricInputError(
            f"min_requests should be a whole number of at least 1, not {min_requests!r}. "
            f"The workbook's default is {MIN_REQUESTS}.")


def _check_by(by) -> tuple[list[str], str | None]:
    keys = [by] if isinstance(by, str) else list(by)
    allowed = [*GROUP_KEYS, *TIME_KEYS]
    for key in keys:
        if key not in allowed:
            raise MetricInputError(
                f'KPIs cannot be grouped by "{key}".{did_you_mean(str(key), allowed)} Group by '
                f"{list_choices(allowed)}.")
    times = [k for k in keys if k in TIME_KEYS]
    if len(times) > 1:
        raise MetricInputError(
            f"Group by one period at a time, not {list_choices(times)}. Choose the one the "
            "meeting looks at, e.g. by=('service_code', 'month').")
    if len(set(keys)) != len(keys):
        raise MetricInputError(f"by names a column twice ({list_choices(keys)}). Name each once.")
    return [k for k in keys if k not in TIME_KEYS], (times[0] if times else None)


def _standard_days(requests: pd.DataFrame, standards: Mapping[str, float] | None) -> np.ndarray:
    """Each request's standard in days (NaN where its type has none)."""
    if standards is None:
        return np.full(len(requests), np.nan)
    _check_standards(standards)
    codes, uniques = pd.factorize(requests["service_code"].astype("string"))
    lookup = np.array([float(standards.get(str(code), np.nan)) for code in uniques] + [np.nan])
    return lookup[codes]  # code -1 (missing) takes the last entry: NaN


def _check_standards(standards: Mapping[str, float] | None) -> None:
    if standards is None:
        return
    if not isinstance(standards, Mapping):
        raise MetricInputError(
            f"Service standards should map request type codes to days (e.g. {{'POTHOLE': 5}}), "
            f"not {type(standards).__name__}. Pass city.service_standards.")
    for code, days in standards.items():
        if isinstance(days, bool) or not isinstance(days, (int, float)) \
                or not math.isfinite(days) or days < 0:
            raise MetricInputError(
                f'The service standard for "{code}" is {days!r}; it should be a number of days, '
                "0 or more. Fix it in the city file's service_standards.")


def _standard_passed(prepared: _Prepared, standard: np.ndarray) -> np.ndarray:
    """The request's standard has run out by the extract, so on time or late is final."""
    age = (prepared.as_of.value - prepared.requested) / DAY_NS
    with np.errstate(invalid="ignore"):
        return ~np.isnan(standard) & (age >= standard)


def _closed_on_time(prepared: _Prepared, standard: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return prepared.closed & (prepared.days <= standard)


# --- groups ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Groups:
    """Group number of every request, and one row of labels per group (all combinations)."""

    codes: np.ndarray
    labels: pd.DataFrame
    size: int
    key_codes: np.ndarray  # the group without its period
    period_codes: np.ndarray | None  # the period's position, 0 = first period
    periods: pd.PeriodIndex | None
    n_keys: int

    def count(self, mask: np.ndarray | None) -> np.ndarray:
        weights = None if mask is None else mask.astype(np.float64)
        return np.bincount(self.codes, weights=weights, minlength=self.size).astype(np.int64)

    @classmethod
    def build(cls, requests: pd.DataFrame, prepared: _Prepared, keys: list[str],
              time_key: str | None) -> _Groups:
        if keys:
            key_frame = pd.DataFrame({k: requests[k].astype("string").str.strip()
                                      .replace("", pd.NA).fillna(NOT_RECORDED) for k in keys})
            grouped = key_frame.groupby(keys, sort=True)
            key_codes = grouped.ngroup().to_numpy()
            key_labels = grouped.size().index.to_frame(index=False)
        else:
            key_codes = np.zeros(len(requests), dtype=np.int64)
            key_labels = pd.DataFrame(index=[0])
        n_keys = len(key_labels)
        if time_key is None:
            return cls(key_codes, key_labels.reset_index(drop=True), n_keys, key_codes, None,
                       None, n_keys)
        freq = TIME_KEYS[time_key]
        first = (pd.Timestamp(prepared.requested.min()) if len(requests)
                 else prepared.as_of).to_period(freq)
        periods = pd.period_range(first, prepared.as_of.to_period(freq), freq=freq)
        opened = pd.PeriodIndex(pd.DatetimeIndex(prepared.requested.view("datetime64[ns]")),
                                freq=freq).asi8 - first.ordinal if len(requests) else \
            np.zeros(0, dtype=np.int64)
        codes = key_codes * len(periods) + opened
        labels = key_labels.loc[np.repeat(np.arange(n_keys), len(periods))].reset_index(drop=True)
        labels[time_key] = np.tile(periods.astype(str), n_keys)
        labels[time_key] = labels[time_key].astype("string")
        return cls(codes, labels, n_keys * len(periods), key_codes, opened, periods, n_keys)


# --- Kaplan–Meier ------------------------------------------------------------------------


def _time_order(prepared: _Prepared, codes: np.ndarray) -> np.ndarray:
    """Row order by group, then time to close (or open so far), closes first on a tie.

    Two stable sorts of whole numbers (nanoseconds, doubled, plus 1 for an open request;
    then the group), exact and several times faster than sorting on three keys.
    """
    end = np.where(prepared.closed, prepared.closed_at, prepared.as_of.value)
    key = (end - prepared.requested) * 2 + (~prepared.closed)
    by_time = np.argsort(key, kind="stable")
    return by_time[np.argsort(codes[by_time], kind="stable")]


def _km_quantiles(codes: np.ndarray, n_groups: int, prepared: _Prepared,
                  quantiles: Iterable[float]) -> dict[float, tuple[np.ndarray, np.ndarray]]:
    """Kaplan–Meier quantiles of days to close per group, and whether each is a bound.

    Requests are sorted by group, then time, closes before censorings at the same time
    (the usual convention: a request open at t was still at risk at t). Survival after
    each row is the running product of (1 - closed / at risk) within the group; with ties
    this telescopes to the textbook product over distinct times. The q-quantile is the
    first time survival reaches 1 - q; when it lands exactly on 1 - q, the midpoint to
    the next close (so with nothing censored it equals the usual sample quantile,
    NumPy's "averaged_inverted_cdf"). Never reached: the longest time seen, as a bound.
    One sort serves every quantile.
    """
    if codes.size == 0:
        return km_quantiles_sorted(codes, prepared.days, prepared.closed, n_groups, quantiles)
    order = _time_order(prepared, codes)
    return km_quantiles_sorted(codes[order], prepared.days[order], prepared.closed[order],
                               n_groups, quantiles)


def km_quantiles_sorted(group: np.ndarray, days: np.ndarray, event: np.ndarray, n_groups: int,
                        quantiles: Iterable[float]) -> dict[float, tuple[np.ndarray, np.ndarray]]:
    """:func:`_km_quantiles` on rows already in order: by group, then days, closes first.

    ``group`` numbers each row's group from 0; ``event`` is true for a close, false for a
    request still open (censored). The engine for large tables sorts on disk and calls this.
    """
    quantiles = list(quantiles)
    empty = {q: (np.full(n_groups, np.nan), np.zeros(n_groups, dtype=bool)) for q in quantiles}
    if group.size == 0:
        return empty
    sizes = np.bincount(group, minlength=n_groups)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    at_risk = sizes[group] - (np.arange(group.size) - starts[group])
    factor = 1.0 - event / at_risk
    survival = pd.Series(factor).groupby(group, sort=False).cumprod().to_numpy()
    events = np.flatnonzero(event)
    results = {}
    for q in quantiles:
        values, at_least = empty[q]
        target = 1.0 - q
        reached = np.flatnonzero(survival <= target + _TOLERANCE)
        reached_groups = group[reached]  # sorted, as the rows are
        first_of_group = np.concatenate([[True], reached_groups[1:] != reached_groups[:-1]]) \
            if reached.size else np.zeros(0, dtype=bool)
        first = reached[first_of_group]
        found_groups = reached_groups[first_of_group]
        values[found_groups] = days[first]
        exact = np.abs(survival[first] - target) <= _TOLERANCE
        if exact.any():
            nxt = np.searchsorted(events, first[exact], side="right")
            has_next = nxt < events.size
            nxt_index = events[np.minimum(nxt, events.size - 1)]
            same = has_next & (group[nxt_index] == group[first[exact]])
            midpoint = (days[first[exact]] + days[nxt_index]) / 2
            values[found_groups[exact]] = np.where(same, midpoint, days[first[exact]])
        missing = np.setdiff1d(np.flatnonzero(sizes), found_groups)
        last = starts[missing] + sizes[missing] - 1
        values[missing] = days[last]
        at_least[missing] = True
        results[q] = (values, at_least)
    return results


# --- the parts of the suite --------------------------------------------------------------


class _Notes:
    """Words collected per row; joined with "; " at the end."""

    def __init__(self, rows: int):
        self.parts: list[np.ndarray] = []
        self.rows = rows

    def add(self, mask: np.ndarray, text) -> None:
        texts = np.where(mask, text, "").astype(object)
        self.parts.append(texts)

    def texts(self) -> pd.Series:
        joined = np.full(self.rows, "", dtype=object)
        for part in self.parts:
            has = part != ""
            both = has & (joined != "")
            joined = np.where(both, joined + " " + part, np.where(has, part, joined))
        return pd.Series(joined, dtype="string")


def _too_few_text(counts: np.ndarray, needed: int, what: str) -> np.ndarray:
    numbers = pd.Series(counts).map("{:,}".format).to_numpy(dtype=object)
    return ("Too few " + what + " to be meaningful: " + numbers
            + f" (at least {needed:,} are needed).")


def _note_too_few(notes: _Notes, counts: np.ndarray, needed: int, what: str,
                  prefix: str = "") -> None:
    few = counts < needed
    text = np.where(counts == 0, f"{prefix}No {what}.", prefix + _too_few_text(counts, needed,
                                                                               what))
    notes.add(few, text)


def _add_bound_notes(notes: _Notes, result: pd.DataFrame) -> None:
    median_bound = result["median_at_least"].to_numpy()
    p90_bound = result["p90_at_least"].to_numpy() & ~median_bound
    notes.add(median_bound, "Median and 90th percentile are lower bounds: more than half of "
                            "these requests are still open.")
    notes.add(p90_bound, "The 90th percentile is a lower bound: more than a tenth of these "
                         "requests are still open.")


def _add_on_time(result: pd.DataFrame, notes: _Notes, figures: GroupFigures,
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
    notes.add(no_standard, "On-time share: no service standard for these request types.")
    partly = (without > 0) & ~no_standard
    notes.add(partly, "On-time share leaves out " + pd.Series(without).map("{:,}".format)
              .to_numpy(dtype=object) + " requests of types without a service standard.")
    few = ~enough & ~no_standard & (requests >= min_requests)
    notes.add(few, "On-time share: " + _too_few_text(known_count, min_requests,
                                                     "requests past their standard"))


def _backlog(groups: _Groups, prepared: _Prepared) -> np.ndarray:
    """Requests open at the end of each period (NaN for a period not over at the extract)."""
    n_periods = len(groups.periods)
    opened = np.bincount(groups.codes, minlength=groups.size).reshape(groups.n_keys, n_periods)
    closed_rows = prepared.closed
    closed_period = pd.PeriodIndex(
        pd.DatetimeIndex(prepared.closed_at[closed_rows].view("datetime64[ns]")),
        freq=groups.periods.freq).asi8 - groups.periods[0].ordinal
    closed_codes = groups.key_codes[closed_rows] * n_periods + closed_period
    closes = np.bincount(closed_codes, minlength=groups.size).reshape(groups.n_keys, n_periods)
    backlog = (np.cumsum(opened, axis=1) - np.cumsum(closes, axis=1)).ravel().astype(float)
    over = np.tile(periods_over(groups.periods, prepared.as_of), groups.n_keys)
    backlog[~over] = np.nan
    return backlog


def periods_over(periods: pd.PeriodIndex, as_of: pd.Timestamp) -> np.ndarray:
    """True for each period whose last day had begun by the extract (its backlog is final)."""
    return np.asarray(as_of >= periods.end_time.normalize())


def _add_backlog(result: pd.DataFrame, notes: _Notes, backlog: np.ndarray,
                 time_key: str) -> None:
    over = ~np.isnan(backlog)
    result["backlog_at_end"] = pd.array(backlog, dtype="Float64").astype("Int64")
    notes.add(~over, f"Backlog: the {time_key} was not over when the data was extracted.")


def _add_reopens(result: pd.DataFrame, notes: _Notes, figures: GroupFigures,
                 min_requests: int) -> np.ndarray:
    """Add the reopen rate; return its denominator per group."""
    requests = result["requests"].to_numpy()
    if figures.reopened is None:
        result["reopen_rate"] = np.nan
        notes.add(requests > 0, "Reopens are not recorded in this data.")
        return np.zeros(len(result), dtype=np.int64)
    base = figures.reopen_base
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = figures.reopened / base
    result["reopen_rate"] = np.where(base >= min_requests, rate, np.nan)
    unrecorded = (figures.reopen_recorded == 0) & (requests > 0)
    notes.add(unrecorded, "Reopens are not recorded for these requests.")
    few = ~unrecorded & (base < min_requests) & (requests >= min_requests)
    notes.add(few, "Reopen rate: " + _too_few_text(base, min_requests, "closed requests"))
    return base


def _add_cancellations(result: pd.DataFrame, notes: _Notes, figures: GroupFigures,
                       min_requests: int) -> np.ndarray:
    """Add the cancellation rate; return its denominator per group."""
    requests = result["requests"].to_numpy()
    if figures.cancelled is None:
        result["cancellation_rate"] = np.nan
        notes.add(requests > 0, "Cancellations are not recorded in this data (no status notes).")
        return np.zeros(len(result), dtype=np.int64)
    base = figures.cancel_base
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = figures.cancelled / base
    unrecorded = (figures.cancel_telling == 0) & (result["closed"].to_numpy() > 0)
    result["cancellation_rate"] = np.where((base >= min_requests) & ~unrecorded, rate, np.nan)
    base = np.where(unrecorded, 0, base)
    notes.add(unrecorded, "Cancellations: no closure notes are recorded for these requests.")
    few = ~unrecorded & (base < min_requests) & (requests >= min_requests)
    notes.add(few, "Cancellation rate: " + _too_few_text(base, min_requests,
                                                         "closed requests with a note"))
    return base


def _cancel_regex(pattern: str) -> re.Pattern:
    try:
        return re.compile(pattern, flags=re.IGNORECASE)
    except re.error:
        raise MetricInputError(
            f'The cancellation pattern "{pattern}" is not a valid search pattern. Use a plain '
            f'word such as "{CANCELLED_PATTERN}".') from None


# --- single-number helpers ---------------------------------------------------------------


def _days_result(requests: pd.DataFrame, as_of, min_requests: int, which: str,
                 name: str) -> MetricResult:
    row = kpi_table(requests, None, as_of=as_of, by=(), min_requests=min_requests).iloc[0]
    value = row[f"{which}_days"]
    at_least = bool(row[f"{which}_at_least"])
    note = ""
    if pd.isna(value):
        note = _row_note(row, "")
    elif at_least:
        share = "half" if which == "median" else "a tenth"
        note = (f"Still open: more than {share} of these requests, so the true figure is "
                "longer and not known yet.")
    return MetricResult(name, None if pd.isna(value) else float(value), "days",
                        int(row["requests"]), note, at_least, int(row["still_open"]))


def _rate_result(requests: pd.DataFrame, min_requests: int, column: str, name: str,
                 topic: str, pattern: str = CANCELLED_PATTERN) -> MetricResult:
    table, bases = _suite(requests, None, _latest_moment(requests), (), min_requests, pattern)
    row = table.iloc[0]
    value = row[column]
    note = "" if pd.notna(value) else _row_note(row, topic)
    return MetricResult(name, None if pd.isna(value) else float(value), "share",
                        int(bases[column][0]), note)


def _latest_moment(requests: pd.DataFrame) -> pd.Timestamp:
    """Rates do not depend on the extract moment; any moment after every date will do."""
    if _on_disk(requests):
        return requests.latest_moment()
    require_columns(requests, _NEEDED, "these metrics")
    dates = pd.concat([requests["requested_datetime"], requests["closed_datetime"]])
    latest = dates.max()
    return pd.Timestamp("2000-01-01") if pd.isna(latest) else pd.Timestamp(latest)


def _row_note(row: pd.Series, topic: str) -> str:
    """The sentences of a row's note that concern ``topic`` (or the general ones)."""
    sentences = [s.strip() for s in re.split(r"(?<=\.)\s+", str(row["note"])) if s.strip()]
    topical = [s for s in sentences if topic and topic.lower() in s.lower()]
    general = [s for s in sentences if s.startswith(("Too few requests", "No requests"))]
    chosen = general + [s for s in topical if s not in general]
    return " ".join(chosen) or " ".join(sentences)


def _format_value(value: float, unit: str) -> str:
    return format_value(value, unit)


# --- choosing requests -------------------------------------------------------------------


def _type_mask(requests: pd.DataFrame, wanted) -> pd.Series:
    require_columns(requests, ["service_code"], "choosing request types")
    codes = requests["service_code"].astype("string")
    names = requests["service_name"].astype("string") if "service_name" in requests.columns \
        else pd.Series(pd.NA, index=requests.index, dtype="string")
    mask = pd.Series(False, index=requests.index)
    known_codes = sorted(codes.dropna().unique())
    known_names = sorted(names.dropna().unique())
    for value in as_list(wanted, "request type"):
        hit = (codes == value) | (names == value)
        if not hit.fillna(False).any():
            raise UnknownChoiceError(
                f'This table has no request type "{value}".'
                f"{did_you_mean(value, [*known_codes, *known_names])} Its type codes are "
                f"{list_choices(known_codes, limit=15)}.")
        mask |= hit.fillna(False)
    return mask


def _choice_mask(column: pd.Series, wanted, what: str) -> pd.Series:
    values = column.astype("string")
    known = sorted(values.dropna().unique())
    mask = pd.Series(False, index=column.index)
    for value in as_list(wanted, what):
        hit = (values == value).fillna(False)
        if not hit.any():
            listing = f"It has {list_choices(known, limit=15)}." if known else \
                f"It has no {what} values at all."
            raise UnknownChoiceError(
                f'This table has no {what} "{value}".{did_you_mean(value, known)} {listing}')
        mask |= hit
    return mask


def as_list(wanted, what: str) -> list[str]:
    if isinstance(wanted, str):
        values = [wanted]
    elif isinstance(wanted, Iterable):
        values = list(wanted)
    else:
        values = []
    if not values or not all(isinstance(v, str) for v in values):
        raise MetricInputError(f"Name the {what} as text, e.g. one name or a list of names, "
                               f"not {wanted!r}.")
    return values


def _period_mask(when: pd.Series, start: pd.Timestamp, end: pd.Timestamp,
                 period) -> pd.Series:
    mask = ((when >= start) & (when <= end)).fillna(False)
    if not mask.any():
        raise empty_period_error(period, when.min(), when.max())
    return mask


def check_choices(catalog: pd.DataFrame, *, service_code=None, district=None) -> None:
    """Raise the usual clear error if a chosen type or district is not in ``catalog``.

    ``catalog`` holds the distinct ``service_code``, ``service_name`` and ``district``
    values of a table kept on disk (:mod:`cda_lib.metrics.engine`), which checks its choices
    here so that its messages are the same as for a pandas table.
    """
    if service_code is not None:
        _type_mask(catalog, service_code)
    if district is not None:
        _choice_mask(catalog["district"], district, "district")


def empty_period_error(period, first, last) -> UnknownChoiceError:
    """The error for a period with no requests opened in it (``first`` and ``last``: the
    dates the table covers)."""
    start, end = period_bounds(period)
    covers = (f"The data covers {first:%d %b %Y} to {last:%d %b %Y}" if pd.notna(first)
              else "The table has no dated requests")
    return UnknownChoiceError(
        f"This table has no requests opened in {_period_words(period, start, end)}. "
        f"{covers}; choose a period inside it.")


def _on_disk(requests) -> bool:
    """A table kept on disk by :mod:`cda_lib.metrics.engine`, which counts for itself."""
    return not isinstance(requests, pd.DataFrame) and hasattr(requests, "kpi_figures")


def _period_words(period, start: pd.Timestamp, end: pd.Timestamp) -> str:
    if isinstance(period, (tuple, list)):
        return f"{start:%d %b %Y} to {end:%d %b %Y}"
    return f'"{period}"'
