"""Each request's outcome: its days to close (or open so far) and whether it met its standard.

:func:`prepare_requests` checks the canonical table and turns it into the request-level
arrays every metric needs (:class:`PreparedRequests`); :func:`request_outcomes` shows them
as a table. A request closed after ``as_of`` counts as still open at ``as_of`` (see
"Looking back" in :mod:`cda_lib.metrics.kpi`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cda_lib.metrics.inputs import (
    MetricInputError,
    as_timestamp,
    check_standards,
    on_disk,
    require_columns,
)
from cda_lib.metrics.periods import DAY_NS
from cda_lib.text.dates import format_date
from cda_lib.text.translation import N_, gettext as _, ngettext

# The columns every metric reads.
NEEDED_COLUMNS = ("service_code", "status", "requested_datetime", "closed_datetime")


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
    prepared = prepare_requests(requests, as_of)
    standard = standard_days(requests, standards)
    passed = standard_passed(prepared, standard)
    on_time = pd.array(closed_on_time(prepared, standard), dtype="boolean")
    on_time[~(passed | on_time.to_numpy(dtype=bool))] = pd.NA
    return pd.DataFrame({"closed": prepared.closed, "days": prepared.days,
                         "standard_days": standard, "on_time": on_time,
                         "standard_passed": passed}, index=requests.index)


@dataclass(frozen=True)
class PreparedRequests:
    """The request-level arrays every metric needs, from :func:`prepare_requests`."""

    requested: np.ndarray  # int64 nanoseconds
    closed_at: np.ndarray  # int64 nanoseconds, meaningless where not closed
    closed: np.ndarray  # bool
    days: np.ndarray  # float: to the close, or to the extract while open (censored)
    as_of: pd.Timestamp


def prepare_requests(requests: pd.DataFrame, as_of,
                     also: Iterable[str] = ()) -> PreparedRequests:
    """Check the table (and the ``also`` columns) and turn it into :class:`PreparedRequests`."""
    if on_disk(requests):
        raise requests.needs_memory("this measure")
    if not isinstance(requests, pd.DataFrame):
        raise MetricInputError(_(
            "Metrics need a table of service requests, not {kind}. Pass data.requests (or a "
            "selection of it).", kind=type(requests).__name__))
    require_columns(requests, [*NEEDED_COLUMNS, *also], N_("these metrics"))
    for column in ("requested_datetime", "closed_datetime"):
        if not pd.api.types.is_datetime64_dtype(requests[column]):
            raise MetricInputError(_(
                "The {column} column holds {dtype} values, not dates. Load the table with "
                "cda_lib's loaders, or convert it with pd.to_datetime.", column=column,
                dtype=str(requests[column].dtype)))
    as_of = as_timestamp(as_of, "as_of")
    requested_dates = requests["requested_datetime"]
    if requested_dates.isna().any():
        raise MetricInputError(_(
            "{count:,} requests have no opened date, so their time to close cannot be "
            "measured. Load the table with cda_lib's loaders, which set such rows aside with a "
            "reason.", count=int(requested_dates.isna().sum())))
    requested = requested_dates.to_numpy(dtype="datetime64[ns]").view("int64")
    closed_dates = requests["closed_datetime"].to_numpy(dtype="datetime64[ns]")
    status = requests["status"].astype("string").str.lower().to_numpy(dtype=object,
                                                                     na_value="")
    closed_at = closed_dates.view("int64")
    closed = (status == "closed") & ~np.isnat(closed_dates)
    _check_as_of(requests, as_of, requested, closed_at, closed)
    # a request closed after as_of was still open at as_of ("Looking back" in kpi.py)
    closed &= closed_at <= as_of.value
    end = np.where(closed, closed_at, as_of.value)
    days = (end - requested) / DAY_NS
    return PreparedRequests(requested, closed_at, closed, days, as_of)


def _check_as_of(requests: pd.DataFrame, as_of: pd.Timestamp, requested: np.ndarray,
                 closed_at: np.ndarray, closed: np.ndarray) -> None:
    later = int((requested > as_of.value).sum())
    if later:
        raise opened_after_error(later, as_of, requests["requested_datetime"].max())
    if (closed & (closed_at < requested)).any():
        raise MetricInputError(_(
            "{count:,} requests closed before they were opened. Load the table with cda_lib's "
            "loaders, which set such rows aside.",
            count=int((closed & (closed_at < requested)).sum())))


def opened_after_error(later: int, as_of: pd.Timestamp,
                       latest: pd.Timestamp) -> MetricInputError:
    """The error for a table holding requests opened after the moment the KPIs describe."""
    return MetricInputError(ngettext(
        "{count:,} request in the table was opened after as_of ({as_of}); the latest on "
        "{latest}. Pass the moment the data was extracted (as_of=data.as_of), or select the "
        "requests opened by the date you give.",
        "{count:,} requests in the table were opened after as_of ({as_of}); the latest on "
        "{latest}. Pass the moment the data was extracted (as_of=data.as_of), or select the "
        "requests opened by the date you give.", later, as_of=format_date(as_of, "moment"),
        latest=format_date(latest, "moment")))


def standard_days(requests: pd.DataFrame, standards: Mapping[str, float] | None) -> np.ndarray:
    """Each request's standard in days (NaN where its type has none)."""
    if standards is None:
        return np.full(len(requests), np.nan)
    check_standards(standards)
    codes, uniques = pd.factorize(requests["service_code"].astype("string"))
    lookup = np.array([float(standards.get(str(code), np.nan)) for code in uniques] + [np.nan])
    return lookup[codes]  # code -1 (missing) takes the last entry: NaN


def standard_passed(prepared: PreparedRequests, standard: np.ndarray) -> np.ndarray:
    """The request's standard has run out by the extract, so on time or late is final."""
    age = (prepared.as_of.value - prepared.requested) / DAY_NS
    with np.errstate(invalid="ignore"):
        return ~np.isnan(standard) & (age >= standard)


def closed_on_time(prepared: PreparedRequests, standard: np.ndarray) -> np.ndarray:
    """The request closed within its standard (false where its type has none)."""
    with np.errstate(invalid="ignore"):
        return prepared.closed & (prepared.days <= standard)
