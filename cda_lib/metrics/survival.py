"""Kaplan–Meier survival of requests: median and 90th percentile days to close, open ones counted.

Time to close is known only for closed requests; an open request has waited at least from
its request to the extract (it is *censored*). The Kaplan–Meier estimate (Kaplan & Meier
1958) counts it for as long as it has been open; see :mod:`cda_lib.metrics.kpi` for why the
suite never drops open requests. The pandas suite and the on-disk engine
(:mod:`cda_lib.metrics.engine`) both end in :func:`km_quantiles_sorted`, so they agree to the
last digit.

>>> values, at_least = km_quantiles_sorted(np.zeros(3, dtype=np.int64), np.array([1.0, 2, 3]),
...                                        np.array([True, True, True]), 1, [0.5])[0.5]
>>> values.tolist(), at_least.tolist()
([2.0], [False])
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from cda_lib.metrics.outcomes import PreparedRequests, prepare_requests

# Kaplan–Meier survival is a running product of fractions; allow this much rounding when
# asking whether it has reached exactly one half.
_TOLERANCE = 1e-9
# The quantiles of days to close the KPI table reports, by the name of their column.
QUANTILES = {"median": 0.5, "p90": 0.9}


def time_order(prepared: PreparedRequests, codes: np.ndarray) -> np.ndarray:
    """Row order by group, then time to close (or open so far), closes first on a tie.

    Two stable sorts of whole numbers (nanoseconds, doubled, plus 1 for an open request;
    then the group), exact and several times faster than sorting on three keys.
    """
    end = np.where(prepared.closed, prepared.closed_at, prepared.as_of.value)
    key = (end - prepared.requested) * 2 + (~prepared.closed)
    by_time = np.argsort(key, kind="stable")
    return by_time[np.argsort(codes[by_time], kind="stable")]


def km_quantiles(codes: np.ndarray, n_groups: int, prepared: PreparedRequests,
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
    order = time_order(prepared, codes)
    return km_quantiles_sorted(codes[order], prepared.days[order], prepared.closed[order],
                               n_groups, quantiles)


def km_quantiles_sorted(group: np.ndarray, days: np.ndarray, event: np.ndarray, n_groups: int,
                        quantiles: Iterable[float]) -> dict[float, tuple[np.ndarray, np.ndarray]]:
    """:func:`km_quantiles` on rows already in order: by group, then days, closes first.

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
    prepared = prepare_requests(requests, as_of)
    if days is None:
        longest = float(prepared.days.max()) if prepared.days.size else 0.0
        grid = np.arange(0, math.floor(longest) + 1, dtype=float)
    else:
        grid = np.asarray(list(days), dtype=float)
    steps = _km_steps(prepared)
    duration = steps["days"].to_numpy()
    # the share just after each row; at a day d take the last row with duration <= d
    position = np.searchsorted(duration, grid, side="right") - 1
    shares = steps["share_closed"].to_numpy()
    km = np.where(position >= 0, shares[np.maximum(position, 0)], 0.0)
    closed_days = np.sort(prepared.days[prepared.closed])
    naive = (np.searchsorted(closed_days, grid, side="right") / closed_days.size
             if closed_days.size else np.full(grid.size, np.nan))
    return pd.DataFrame({"days": grid, "share_closed": km,
                         "share_closed_if_open_dropped": naive})


def km_steps(requests: pd.DataFrame, *, as_of) -> pd.DataFrame:
    """Every request in time order with the share closed just after it, open ones counted.

    One row per request, by days to close (or open so far), a close before an open
    request on the same day: ``days``, ``closed`` and ``share_closed``, the Kaplan–Meier
    estimate (1 - survival) after that row. The median is the first closed row whose share
    reaches one half: the table a learner reads the median from (exercise 1.2.1), and the
    curve :func:`closed_within_curve` samples.

    Worked by hand: four requests, one closed after 1 day (1 of 4 at risk: 1/4 closed),
    one open for 3 days, one closed after 5 days (1 of the 2 left: survival 3/4 x 1/2, so
    5/8 closed), one open for 10 days. The median is 5 days; closed ones alone say 3.

    >>> table = pd.DataFrame({
    ...     "service_code": ["POTHOLE"] * 4, "status": ["closed", "open", "closed", "open"],
    ...     "requested_datetime": pd.to_datetime(["2025-03-01", "2025-03-08", "2025-03-01",
    ...                                           "2025-03-01"]),
    ...     "closed_datetime": pd.to_datetime(["2025-03-02", None, "2025-03-06", None])})
    >>> km_steps(table, as_of="2025-03-11").values.tolist()
    [[1.0, True, 0.25], [3.0, False, 0.25], [5.0, True, 0.625], [10.0, False, 0.625]]
    """
    return _km_steps(prepare_requests(requests, as_of))


def _km_steps(prepared: PreparedRequests) -> pd.DataFrame:
    order = time_order(prepared, np.zeros(prepared.days.size, dtype=np.int64))
    duration, event = prepared.days[order], prepared.closed[order]
    at_risk = duration.size - np.arange(duration.size)
    survival = np.cumprod(1.0 - event / np.maximum(at_risk, 1))
    return pd.DataFrame({"days": duration, "closed": event, "share_closed": 1.0 - survival})
