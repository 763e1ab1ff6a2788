"""Module 1.2's views of performance: the tables that show *why* the KPIs are built as they are.

The KPIs themselves are :mod:`cda_lib.metrics.kpi`'s and the composite is
:mod:`cda_lib.metrics.composite`'s; this module puts them side by side with the figures a
spreadsheet would give, so a leader sees the difference on the city's own data:

* :func:`mean_and_median`: the mean days to close against the median (a few requests
  that take months pull the mean far above what a typical resident waits);
* :func:`open_requests_effect`: the median of closed requests only against the
  Kaplan–Meier median that counts open ones (dropping open requests flatters the latest
  months most, because their slow requests have not closed yet);
* :func:`on_time_by_type` and :func:`rank_districts`: the share closed within the city's
  service standard, worst first;
* :func:`composite_metrics`: the CityScore-style metrics for one period, on-time shares
  against the service-level target, and the backlog and reopen rate against CityScore's
  historic rule (mean minus one standard deviation of the year before: civic-standards.md
  B3), so the composite shows both directions;
* :func:`key_figures`: the citywide figures a later module or the cohort page reads from
  the workspace.

>>> table = pd.DataFrame({
...     "service_code": ["POTHOLE"] * 4, "service_name": ["Pothole repair"] * 4,
...     "status": ["closed"] * 4,
...     "requested_datetime": pd.to_datetime(["2025-03-01"] * 4),
...     "closed_datetime": pd.to_datetime(["2025-03-02", "2025-03-03", "2025-03-04",
...                                        "2025-04-30"])})
>>> row = mean_and_median(table, as_of="2025-05-31", min_requests=4).iloc[0]
>>> float(row["mean_days_closed"]), float(row["median_days_closed"])
(16.5, 2.5)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from cda_lib.core.errors import CdaError, did_you_mean, list_choices
from cda_lib.metrics import composite, kpi
from cda_lib.metrics.backlog import backlog_by_age
from cda_lib.metrics.figures import NOT_RECORDED
from cda_lib.metrics.inputs import on_disk
from cda_lib.metrics.outcomes import request_outcomes
from cda_lib.metrics.periods import TIME_KEYS, period_bounds, period_label, period_labels
from cda_lib.metrics.selection import select_requests
from cda_lib.metrics.targets import Target, historic_target
from cda_lib.text.dates import format_date
from cda_lib.text.numbers import format_percent
from cda_lib.text.translation import N_, gettext as _

# The year before a period gives the history for CityScore's historic targets: twelve
# months, so every season counts once.
HISTORY_MONTHS = 12
# A historic target needs at least this many past values (targets.MIN_BASELINE_PERIODS).
MIN_HISTORY = 3
ALL_REQUESTS = "All requests"  # the label of the citywide row
# A period's name in a sentence ("No quarter with requests was over ...").
PERIOD_WORDS = {"week": N_("week"), "month": N_("month"),
                "quarter": N_("quarter"), "year": N_("year")}
# A key, translated where shown: the backlog the composite scores (see cda_lib.metrics.backlog).
BACKLOG_METRIC = N_("Requests open under 90 days at month end (citywide)")
REOPEN_METRIC = N_("Reopen rate (citywide)")
HISTORIC_BASIS = N_("CityScore historic rule: mean minus one standard deviation of the year "
                    "before")


class PerformanceError(CdaError, ValueError):
    """A performance view was asked for something the data cannot give."""


# --- mean and median -----------------------------------------------------------------------


def mean_and_median(requests: pd.DataFrame, *, as_of, by: str | Iterable[str] = "service_name",
                    min_requests: int = kpi.MIN_REQUESTS) -> pd.DataFrame:
    """Days to close per group: the mean and median of closed requests, and the KPI median.

    Columns: the group, ``requests``, ``closed``, ``mean_days_closed`` and
    ``median_days_closed`` (closed requests only, as a spreadsheet would compute them),
    ``mean_to_median`` (how many times the median the mean is) and ``median_days`` with
    ``median_at_least`` (the workbook's median, open requests counted: see
    :mod:`cda_lib.metrics.kpi`). A group with fewer than ``min_requests`` closed requests gets no
    figures. ``by=()`` gives one row for all requests. Most common group first.
    """
    keys = _keys(by)
    kpis = kpi.kpi_table(requests, None, as_of=as_of, by=keys, min_requests=min_requests)
    outcomes = request_outcomes(requests, None, as_of=as_of)
    closed = outcomes["closed"].to_numpy()
    days = outcomes["days"].where(outcomes["closed"])
    frame = pd.DataFrame({"days": days})
    if keys:
        for key in keys:
            frame[key] = _labels(requests[key])
        grouped = frame[closed].groupby(keys)["days"]
        stats = pd.DataFrame({"mean_days_closed": grouped.mean(),
                              "median_days_closed": grouped.median()}).reset_index()
        table = kpis.merge(stats, on=keys, how="left")
    else:
        table = kpis.assign(mean_days_closed=float(days[closed].mean()) if closed.any()
                            else np.nan,
                            median_days_closed=float(days[closed].median()) if closed.any()
                            else np.nan)
        table.insert(0, "group", ALL_REQUESTS)
        keys = ["group"]
    few = table["closed"] < min_requests
    table.loc[few, ["mean_days_closed", "median_days_closed"]] = np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        table["mean_to_median"] = table["mean_days_closed"] / table["median_days_closed"]
    columns = [*keys, "requests", "closed", "mean_days_closed", "median_days_closed",
               "mean_to_median", "median_days", "median_at_least"]
    table = table[columns].sort_values("requests", ascending=False, kind="stable")
    return table.reset_index(drop=True)


def open_requests_effect(requests: pd.DataFrame, *, as_of, time_key: str = "month",
                         min_requests: int = kpi.MIN_REQUESTS) -> pd.DataFrame:
    """Per period: the median of closed requests only, against the median counting open ones.

    Columns: the period, ``requests``, ``still_open``, ``share_open``,
    ``median_closed_only``, ``median_days`` (Kaplan–Meier, open requests counted for as
    long as they have waited), ``median_at_least`` (a lower bound: more than half still
    open) and ``flattered_by`` (how many days dropping the open requests takes off).
    Periods with fewer than ``min_requests`` requests are left out.

    >>> table = pd.DataFrame({
    ...     "service_code": ["NOISE"] * 5, "status": ["closed"] * 2 + ["open"] * 3,
    ...     "requested_datetime": pd.to_datetime(["2025-03-01"] * 5),
    ...     "closed_datetime": pd.to_datetime(["2025-03-02", "2025-03-04", None, None, None])})
    >>> row = open_requests_effect(table, as_of="2025-03-31", min_requests=5).iloc[0]
    >>> float(row["median_closed_only"]), float(row["median_days"]), bool(row["median_at_least"])
    (2.0, 30.0, True)
    """
    _check_time_key(time_key)
    kpis = kpi.kpi_table(requests, None, as_of=as_of, by=time_key, min_requests=min_requests)
    outcomes = request_outcomes(requests, None, as_of=as_of)
    period = period_labels(requests["requested_datetime"], time_key)
    closed_only = outcomes["days"][outcomes["closed"]].groupby(
        period[outcomes["closed"]].to_numpy()).median()
    table = kpis[kpis["requests"] >= min_requests].copy()
    table["share_open"] = table["still_open"] / table["requests"]
    table["median_closed_only"] = closed_only.reindex(table[time_key].astype(str)).to_numpy()
    table["flattered_by"] = table["median_days"] - table["median_closed_only"]
    columns = [time_key, "requests", "still_open", "share_open", "median_closed_only",
               "median_days", "median_at_least", "flattered_by"]
    return table[columns].reset_index(drop=True)


# --- periods -------------------------------------------------------------------------------


def latest_full_period(requests: pd.DataFrame, *, as_of, time_key: str = "quarter") -> str:
    """The latest whole period (month, quarter ...) with requests, over by the extract.

    A period counts as over when the data was extracted on its last day or later (the
    same rule as the KPI suite's backlog).

    >>> table = pd.DataFrame({"requested_datetime": pd.to_datetime(["2025-05-02", "2025-11-20"])})
    >>> latest_full_period(table, as_of="2025-11-30"), latest_full_period(table, as_of="2025-12-31")
    ('2025Q2', '2025Q4')
    """
    _check_time_key(time_key)
    as_of = pd.Timestamp(as_of)
    freq = TIME_KEYS[time_key]
    periods = requests["requested_datetime"].dropna().dt.to_period(freq).unique()
    over = [p for p in periods if as_of >= p.end_time.normalize()]
    if not over:
        raise PerformanceError(_(
            "No {period} with requests was over when the data was extracted ({as_of}). "
            'Choose a shorter period, e.g. time_key="month".', period=_(PERIOD_WORDS.get(
                time_key, time_key)), as_of=format_date(as_of)))
    return str(max(over))


# --- which request type to look at -----------------------------------------------------------


def most_open_type(requests: pd.DataFrame, *, as_of,
                   min_requests: int = kpi.MIN_REQUESTS) -> str:
    """The request type (by name) with the largest share of its requests still open.

    Only types with at least ``min_requests`` requests compete; a tie goes to the type with
    more requests.

    >>> table = pd.DataFrame({"service_code": ["A", "A", "B", "B"],
    ...     "service_name": ["Noise", "Noise", "Sidewalk", "Sidewalk"],
    ...     "status": ["closed", "closed", "closed", "open"],
    ...     "requested_datetime": pd.to_datetime(["2025-03-01"] * 4),
    ...     "closed_datetime": pd.to_datetime(["2025-03-02"] * 3 + [None])})
    >>> most_open_type(table, as_of="2025-03-31", min_requests=2)
    'Sidewalk'
    """
    kpis = kpi.kpi_table(requests, None, as_of=as_of, by="service_name",
                         min_requests=min_requests)
    kpis = kpis[kpis["requests"] >= min_requests]
    if kpis.empty:
        raise PerformanceError(_("No request type has {count} requests or more, so none can be "
                                 "compared. Use a longer period.", count=min_requests))
    kpis = kpis.assign(share_open=kpis["still_open"] / kpis["requests"])
    ranked = kpis.sort_values(["share_open", "requests"], ascending=False, kind="stable")
    return str(ranked.iloc[0]["service_name"])


def most_common_type(requests: pd.DataFrame, standards: Mapping[str, float] | None = None
                     ) -> str:
    """The most common request type (by name); with ``standards``, among the types that have
    one. Ties go to the name first in alphabetical order.

    >>> table = pd.DataFrame({"service_code": ["A", "B", "B"],
    ...                       "service_name": ["Noise", "Bulky item", "Bulky item"]})
    >>> most_common_type(table), most_common_type(table, {"A": 2})
    ('Bulky item', 'Noise')
    """
    chosen = requests
    if standards is not None:
        chosen = requests[requests["service_code"].isin(list(standards))]
    if chosen.empty:
        raise PerformanceError(_("No request of these types has a service standard. Add "
                                 "standards to the city file (service_standards)."))
    counts = chosen["service_name"].astype("string").value_counts().sort_index()
    return str(counts.sort_values(ascending=False, kind="stable").index[0])


# --- backlog -------------------------------------------------------------------------------


def backlog_by_month(requests: pd.DataFrame, *, as_of) -> pd.DataFrame:
    """Requests still open at each month's end, all of them and split by age
    (:func:`cda_lib.metrics.backlog.backlog_by_age`: ``open_recent`` under 90 days,
    ``open_long`` older, ``warm_up`` for the first months), for the months the data
    covers: a download of an earlier year says nothing about the months after its latest
    request, so they are left out.

    >>> table = pd.DataFrame({
    ...     "service_code": ["POTHOLE"] * 2, "status": ["open", "closed"],
    ...     "requested_datetime": pd.to_datetime(["2024-01-10", "2024-02-03"]),
    ...     "closed_datetime": pd.to_datetime([None, "2024-02-05"])})
    >>> backlog_by_month(table, as_of="2026-06-30")["month"].tolist()
    ['2024-01', '2024-02']
    """
    backlog = backlog_by_age(requests, as_of=as_of)
    if backlog.empty:
        return backlog
    last = period_label(requests["requested_datetime"].max(), "month") if not on_disk(
        requests) else backlog["month"].iloc[-1]
    return backlog[backlog["month"] <= last].reset_index(drop=True)


# --- on time -------------------------------------------------------------------------------


def on_time_by_type(requests: pd.DataFrame, standards: Mapping[str, float], *, as_of,
                    period=None, min_requests: int = kpi.MIN_REQUESTS) -> pd.DataFrame:
    """Each request type with a service standard: its on-time share and speed, worst first.

    Counts requests opened in ``period`` (default: all). ``on_time_share`` counts only the
    requests whose standard has passed (``on_time_known``); ``on_time_pending`` are
    younger than their standard and not counted either way. Types without a number
    (too few requests) come last.
    """
    chosen = select_requests(requests, period=period) if period is not None else requests
    kpis = kpi.kpi_table(chosen, standards, as_of=as_of, by=("service_code", "service_name"),
                         min_requests=min_requests)
    kpis = kpis[kpis["service_code"].isin(list(standards))].copy()
    kpis["standard_days"] = kpis["service_code"].map(lambda code: float(standards[code]))
    columns = ["service_name", "service_code", "standard_days", "requests", "on_time_known",
               "on_time_count", "on_time_pending", "on_time_share", "median_days",
               "median_at_least", "p90_days", "p90_at_least"]
    return kpis[columns].sort_values("on_time_share", kind="stable", na_position="last") \
        .reset_index(drop=True)


def rank_districts(requests: pd.DataFrame, standards: Mapping[str, float], *, as_of,
                   service_code: str | None = None, period=None,
                   min_requests: int = kpi.MIN_REQUESTS) -> pd.DataFrame:
    """Districts by the on-time share of one request type (default: all), worst first (too
    few requests: last).

    Requests without a district are left out of the ranking (they are in no district).
    """
    chosen = requests
    if service_code is not None or period is not None:
        chosen = select_requests(requests, service_code=service_code, period=period)
    kpis = kpi.kpi_table(chosen, standards, as_of=as_of, by="district",
                         min_requests=min_requests)
    kpis = kpis[kpis["district"] != NOT_RECORDED]
    columns = ["district", "requests", "on_time_known", "on_time_share", "median_days",
               "median_at_least"]
    return kpis[columns].sort_values("on_time_share", kind="stable", na_position="last") \
        .reset_index(drop=True)


# --- the composite's metrics ---------------------------------------------------------------


def composite_metrics(requests: pd.DataFrame, standards: Mapping[str, float], *, as_of, period,
                      on_time_target: float = composite.DEFAULT_ON_TIME_TARGET,
                      targets: Iterable[Target] = (),
                      min_requests: int = kpi.MIN_REQUESTS) -> pd.DataFrame:
    """The metrics of a CityScore-style composite for one period, each with its target.

    * one **on-time share** per request type with a standard (higher is better), against
      ``on_time_target`` or a target the city recorded for that type
      (:func:`cda_lib.metrics.composite.service_metrics`);
    * the citywide **backlog** of requests open under 90 days at the end of the period's last
      month (older ones pile up from the data's start; warm-up months never set the
      target, see :mod:`cda_lib.metrics.backlog`) and the citywide
      **reopen rate** of the period's requests (lower is better), each against CityScore's
      historic target: the mean minus one standard deviation of its monthly values in the
      :data:`HISTORY_MONTHS` months before the period.

    A metric without a number this period stays in (the composite leaves it out and
    names it); the backlog and reopen rate are left out when the data has no year before
    the period to set their target from, or does not record reopens. The ``basis`` column
    says where each target comes from.
    """
    recorded = list(targets)
    on_time = composite.service_metrics(requests, standards, as_of=as_of, period=period,
                                        on_time_target=on_time_target, targets=recorded,
                                        min_requests=min_requests)
    recorded_codes = {t.service_code for t in recorded
                      if t.service_code and not t.district and t.unit == "share"}
    standard = _("service-level target, {share} within standard",
                 share=format_percent(on_time_target))
    recorded_words = _("a target the city recorded")
    on_time["basis"] = [(recorded_words if code in recorded_codes else standard)
                        for code in on_time["service_code"]]
    on_time["unit"] = "share"
    start, end = period_bounds(period)
    monthly = kpi.kpi_table(requests, None, as_of=as_of, by="month", min_requests=min_requests)
    monthly = monthly.set_index("month")
    before = [str(p) for p in pd.period_range(end=start.to_period("M") - 1,
                                              periods=HISTORY_MONTHS, freq="M")]
    rows = []
    by_age = backlog_by_age(requests, as_of=as_of).set_index("month")
    recent = by_age["open_recent"].where(~by_age["warm_up"].astype(bool)) if len(by_age) else \
        pd.Series(dtype=float)
    last_month = period_label(end, "month")
    if last_month in recent.index and pd.notna(recent[last_month]):
        rows.append(_historic_row(BACKLOG_METRIC, float(recent[last_month]),
                                  recent.reindex(before), int(recent[last_month])))
    period_kpis = kpi.kpi_table(select_requests(requests, period=period), None,
                                as_of=as_of, by=(), min_requests=min_requests).iloc[0]
    if pd.notna(period_kpis["reopen_rate"]):
        rows.append(_historic_row(REOPEN_METRIC, float(period_kpis["reopen_rate"]),
                                  monthly["reopen_rate"].reindex(before),
                                  int(period_kpis["requests"])))
    extra = pd.DataFrame([row for row in rows if row is not None], columns=on_time.columns)
    return pd.concat([on_time, extra], ignore_index=True) if len(extra) else on_time


def _historic_row(metric: str, actual: float, history: pd.Series, requests: int) -> dict | None:
    values = history.astype(float).dropna()
    if len(values) < MIN_HISTORY:
        return None
    target = historic_target(values, direction="lower_is_better")
    if not target > 0:  # a year so variable that mean minus one deviation is not a target
        return None
    return {"metric": metric, "actual": actual, "target": target,
            "direction": "lower_is_better", "service_code": None, "requests": requests,
            "basis": _(HISTORIC_BASIS),
            "unit": "requests" if metric == BACKLOG_METRIC else "share"}


# --- the figures for the workspace ---------------------------------------------------------


def key_figures(requests: pd.DataFrame, standards: Mapping[str, float], *, as_of,
                period=None) -> dict[str, float | bool | int | str | None]:
    """The citywide figures of a period, as plain numbers for the workspace.

    ``median_days`` and ``p90_days`` count open requests (Kaplan–Meier; ``*_at_least``
    marks a lower bound); ``mean_days_closed`` and ``median_days_closed`` are the closed
    requests' figures, kept so a later page can show the difference; ``backlog_at_end`` is
    the citywide backlog at the end of the period's last month (None if not over).
    """
    chosen = select_requests(requests, period=period) if period is not None else requests
    row = kpi.kpi_table(chosen, standards, as_of=as_of, by=()).iloc[0]
    closed_days = request_outcomes(chosen, None, as_of=as_of)
    days = closed_days["days"][closed_days["closed"]]
    last = period_bounds(period)[1] if period is not None else pd.Timestamp(as_of)
    backlog = kpi.month_end_backlog(requests, as_of=as_of)
    at_end = backlog[backlog["month"] == period_label(last, "month")]["backlog_at_end"]
    return {
        "period": str(period) if period is not None else "all",
        "requests": int(row["requests"]),
        "still_open": int(row["still_open"]),
        "median_days": _number(row["median_days"]),
        "median_at_least": bool(row["median_at_least"]),
        "p90_days": _number(row["p90_days"]),
        "p90_at_least": bool(row["p90_at_least"]),
        "mean_days_closed": _number(days.mean()) if len(days) else None,
        "median_days_closed": _number(days.median()) if len(days) else None,
        "on_time_share": _number(row["on_time_share"]),
        "reopen_rate": _number(row["reopen_rate"]),
        "cancellation_rate": _number(row["cancellation_rate"]),
        "backlog_at_end": int(at_end.iloc[0]) if len(at_end) else None,
    }


# --- internals -----------------------------------------------------------------------------


def _keys(by) -> list[str]:
    keys = [by] if isinstance(by, str) else list(by)
    for key in keys:
        if key not in kpi.GROUP_KEYS:
            raise PerformanceError(_('Figures cannot be grouped by "{key}".', key=key)
                                   + did_you_mean(str(key), kpi.GROUP_KEYS) + " "
                                   + _("Group by {choices}.",
                                       choices=list_choices(kpi.GROUP_KEYS)))
    return keys


def _check_time_key(time_key: str) -> None:
    if time_key not in TIME_KEYS:
        raise PerformanceError(_('"{period}" is not a period.', period=time_key)
                               + did_you_mean(time_key, TIME_KEYS) + " "
                               + _("Use {choices}.", choices=list_choices(TIME_KEYS)))


def _labels(values: pd.Series) -> pd.Series:
    """Group labels as the KPI table writes them (blank or missing: "(not recorded)")."""
    return values.astype("string").str.strip().replace("", pd.NA).fillna(NOT_RECORDED)


def _number(value) -> float | None:
    return None if pd.isna(value) else float(value)
