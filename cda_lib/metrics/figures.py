"""The per-group counts behind the KPI table, counted in memory with pandas and NumPy.

:class:`GroupFigures` holds, per group, the counts and raw quantiles the KPI suite turns
into numbers and notes (:mod:`cda_lib.metrics.kpi`). A pandas table has them counted here
by :func:`figures_in_memory`; a table on disk has them counted by DuckDB
(:mod:`cda_lib.metrics.engine`). Every group gets a row, and with a period every period
from the first request to the extract, including those with no requests.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cda_lib.metrics.outcomes import (
    PreparedRequests,
    closed_on_time,
    prepare_requests,
    standard_days,
    standard_passed,
)
from cda_lib.metrics.periods import TIME_KEYS, periods_over
from cda_lib.metrics.survival import QUANTILES, km_quantiles

# What a group key shows for requests that have no value in that column (no district ...).
NOT_RECORDED = "(not recorded)"


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


def figures_in_memory(requests: pd.DataFrame, standards: Mapping[str, float] | None, as_of,
                      keys: list[str], time_key: str | None,
                      pattern: re.Pattern) -> GroupFigures:
    """Count the :class:`GroupFigures` of a pandas table: the groups of ``keys`` (and
    ``time_key``), cancellations found by ``pattern`` in the closure notes."""
    prepared = prepare_requests(requests, as_of, also=keys)
    groups = _Groups.build(requests, prepared, keys, time_key)
    standard = standard_days(requests, standards)
    quantiles = km_quantiles(groups.codes, groups.size, prepared, QUANTILES.values())
    has_standard = ~np.isnan(standard)
    known = standard_passed(prepared, standard)
    figures = GroupFigures(
        labels=groups.labels.copy(), requests=groups.count(None),
        closed=groups.count(prepared.closed),
        quantiles={name: quantiles[q] for name, q in QUANTILES.items()},
        on_time_known=groups.count(known),
        on_time_count=groups.count(known & closed_on_time(prepared, standard)),
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
    def build(cls, requests: pd.DataFrame, prepared: PreparedRequests, keys: list[str],
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


def _backlog(groups: _Groups, prepared: PreparedRequests) -> np.ndarray:
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
