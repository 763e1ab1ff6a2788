"""Exercises 1.2: measuring performance (the exercise set of page 1.2).

The exercises themselves (their words, answer kinds, mistakes and hints) are written in
``performance.yaml`` beside this module; this module holds the functions that file names.

Seven exercises: the median days to close of the request type with the most requests still
open (counting them, as the KPI suite does), why the mean sits far above the median, the
share closed within the service standard (leaving out requests still within it), what
dropping open requests does, how to read the composite score, scoring a metric where lower
is better, and a metric for the next stat meeting. Every expected answer comes from the
KPI suite (:mod:`cda_lib.metrics.kpi`) and :mod:`cda_lib.themes.lead.performance` on the
city's own data.

>>> from types import SimpleNamespace
>>> result = SimpleNamespace(metrics=pd.DataFrame({
...     "metric": [performance.BACKLOG_METRIC], "actual": [200.0], "target": [150.0]}))
>>> _score_lower_is_better(result)
0.75
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cda_lib.core.readable import ReadableTable
from cda_lib.exercises.exercise import CityMemo
from cda_lib.metrics import composite, kpi, survival
from cda_lib.metrics.outcomes import request_outcomes
from cda_lib.metrics.periods import describe_period, period_bounds, period_label
from cda_lib.metrics.selection import select_requests
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import gettext as _
from cda_lib.themes.lead import performance
from cda_lib.themes.lead.performance_charts import metric_words

if TYPE_CHECKING:
    from cda_lib.data import CityData

# Days to close are read to a tenth of a day: ±0.05 accepts any correct rounding.
DAYS_TOLERANCE = 0.05
# Shares are read to a tenth of a percentage point (three decimals).
SHARE_TOLERANCE = 0.001
# Scores are read to two decimals, as the composite chart prints them.
SCORE_TOLERANCE = 0.005
_memo = CityMemo()



# --- the request type with the most requests still open -----------------------------------


def slow_type(data: CityData) -> pd.Series:
    """The request type with the largest share still open: its name, requests and open ones."""
    def compute():
        name = performance.most_open_type(data.requests, as_of=data.as_of)
        row = kpi.kpi_table(select_requests(data.requests, service_code=name), None,
                            as_of=data.as_of, by=()).iloc[0]
        return pd.Series({"service_name": name, "requests": int(row["requests"]),
                          "still_open": int(row["still_open"])})
    return _memo("slow_type", data, compute)


def _slow_requests(data: CityData) -> pd.DataFrame:
    return select_requests(data.requests, service_code=slow_type(data)["service_name"])


def km_median(data: CityData) -> float:
    """The slow type's median days to close, open requests counted (Kaplan–Meier)."""
    result = kpi.median_days_to_close(_slow_requests(data), as_of=data.as_of)
    return float(result)


def _closed_days(data: CityData) -> pd.Series:
    outcomes = request_outcomes(_slow_requests(data), None, as_of=data.as_of)
    return outcomes.loc[outcomes["closed"], "days"]


def _open_as_closed_median(data: CityData) -> float:
    outcomes = request_outcomes(_slow_requests(data), None, as_of=data.as_of)
    return float(outcomes["days"].median())


# --- the on-time share of the most common type --------------------------------------------


def _standard_type(data: CityData) -> pd.Series:
    """The most common request type that has a service standard: name, code, days."""
    def compute():
        standards = data.city.service_standards
        name = performance.most_common_type(data.requests, standards)
        chosen = select_requests(data.requests, service_code=name)
        code = str(chosen["service_code"].iloc[0])
        return pd.Series({"name": name, "code": code, "days": float(standards[code])})
    return _memo("standard_type", data, compute)


def _quarter(data: CityData) -> str:
    return _memo("quarter", data, lambda: performance.latest_full_period(data.requests,
                                                                         as_of=data.as_of))


def _quarter_kpis(data: CityData, whole_period: bool = False) -> pd.Series:
    chosen = select_requests(data.requests, service_code=_standard_type(data)["code"],
                                 period=None if whole_period else _quarter(data))
    return kpi.kpi_table(chosen, data.city.service_standards, as_of=data.as_of,
                         by=()).iloc[0]


def on_time_share(data: CityData) -> float:
    """The most common type's share within its standard, last full quarter, pending left out."""
    value = _quarter_kpis(data)["on_time_share"]
    if pd.isna(value):
        raise ValueError(_("too few requests past their standard in the last full quarter"))
    return float(value)


def _pending_as_late(data: CityData) -> float:
    row = _quarter_kpis(data)
    return float(row["on_time_count"] / row["requests"])


def _closed_denominator(data: CityData) -> float:
    kinds = _standard_type(data)
    chosen = select_requests(data.requests, service_code=kinds["code"],
                                 period=_quarter(data))
    outcomes = request_outcomes(chosen, data.city.service_standards, as_of=data.as_of)
    closed = outcomes[outcomes["closed"]]
    return float((closed["days"] <= kinds["days"]).sum() / len(closed))


# --- the composite ------------------------------------------------------------------------


def city_score(data: CityData) -> composite.CompositeScore:
    """The composite of the last full quarter, as page 1.2 computes it (default target and cap)."""
    def compute():
        metrics = performance.composite_metrics(data.requests, data.city.service_standards,
                                                as_of=data.as_of, period=_quarter(data))
        return composite.city_score(composite.score_metrics(metrics))
    return _memo("city_score", data, compute)


def _backlog_row(data: CityData) -> pd.Series:
    _score_lower_is_better(city_score(data))  # says why when there is no backlog metric
    return city_score(data).metrics.set_index("metric").loc[performance.BACKLOG_METRIC]


def backlog_score(data: CityData) -> float:
    """The backlog's score before any cap: target ÷ actual (lower is better)."""
    return _score_lower_is_better(city_score(data))


def _score_lower_is_better(result) -> float:
    metrics = result.metrics.set_index("metric")
    if performance.BACKLOG_METRIC not in metrics.index:
        raise performance.PerformanceError(_(
            "There is no year before the quarter to set the backlog's target from."))
    row = metrics.loc[performance.BACKLOG_METRIC]
    if not row["actual"]:
        raise performance.PerformanceError(_(
            "No request was open at the end of the quarter, so a lower-is-better score "
            "(target ÷ actual) has nothing to divide by."))
    return float(row["target"] / row["actual"])



# --- the no-code forms: sliders and what the page shows -------------------------------

# Closings shown either side of the one where half the requests have closed (exercise 1.2.1),
# so the row that answers is never the first or the last.
CLOSINGS_AROUND_HALF = 5


def _days_slider(data: CityData) -> tuple[float, float, float]:
    """Exercise 1.2.1: days from 0 to past the largest mistaken figure, a hundredth of a day
    a step (the table gives days to two decimals; the tolerance is ±0.05)."""
    top = max(km_median(data), mistaken_mean_of_closed_requests(data),
              _open_as_closed_median(data), 1.0)
    return 0, math.ceil(top * 1.2), 0.01


def _share_slider(data: CityData) -> tuple[float, float, float]:
    """Exercise 1.2.3: a share from 0 to 1 in steps of 0.001, the tolerance's own grain."""
    return 0, 1, 0.001


def _score_slider(data: CityData) -> tuple[float, float, float]:
    """Exercise 1.2.6: a score from 0 to past the backlog's ratio either way, in steps of
    0.01 (any correct rounding to two decimals is within the ±0.005 tolerance)."""
    row = _backlog_row(data)
    top = max(backlog_score(data), float(row["actual"] / row["target"]) if row["target"] else 0,
              composite.DEFAULT_CAP)
    return 0, math.ceil(top * 1.2), 0.01


def _closings_inputs(data: CityData) -> ReadableTable:
    """Exercise 1.2.1's inputs: the slow type's closings around the middle, each with the
    share closed by then counting the open requests (the Kaplan–Meier estimate): the median
    is the first closing at which that share reaches half."""
    ordered = survival.km_steps(_slow_requests(data), as_of=data.as_of)
    share_closed = ordered["share_closed"].to_numpy()
    events = np.flatnonzero(ordered["closed"].to_numpy(dtype=bool))
    half = np.flatnonzero(share_closed[events] >= 0.5 - 1e-9)
    middle = int(half[0]) if half.size else len(events) - 1
    chosen = events[max(0, middle - CLOSINGS_AROUND_HALF):middle + CLOSINGS_AROUND_HALF + 1]
    days = ordered["days"].to_numpy(dtype=float)
    decimals = _decimals_that_keep_half(share_closed[chosen])
    rows = [[(format_number(days[i], 2), True), (format_percent(share_closed[i], decimals), True)]
            for i in chosen]
    notes = [] if half.size else [_(
        "Fewer than half of these requests have closed: the workbook's median is then the "
        "longest wait so far, {days} days, a lower bound.",
        days=format_number(float(days.max()), 2))]
    return ReadableTable([_("Closed after (days)"), _("Share closed by then, open requests "
                                                      "counted")], rows, caption=_(
        "{type}: the closings around the middle, of {count} requests",
        type=slow_type(data)["service_name"], count=format_number(len(ordered))), notes=notes)


def _decimals_that_keep_half(shares: np.ndarray) -> int:
    """The fewest decimals of a percent (two at least) at which no share below one half
    can be written as 50% or more, so that "the first row at 50% or more" holds as written.

    >>> _decimals_that_keep_half(np.array([0.49996, 0.5001]))
    3
    >>> _decimals_that_keep_half(np.array([0.4]))
    2
    """
    below = shares[shares < 0.5 - 1e-9] * 100
    for decimals in range(2, 7):
        if (50 - below > 0.5 * 10.0 ** -decimals).all():  # rounding cannot reach 50
            return decimals
    return 6


def _on_time_inputs(data: CityData) -> ReadableTable:
    """Exercise 1.2.3's inputs: the type's requests of the quarter, on time, late or pending."""
    row = _quarter_kpis(data)
    on_time, known = int(row["on_time_count"]), int(row["on_time_known"])
    pending = int(row["on_time_pending"])
    rows = [[(_("Closed within the standard"), False), (format_number(on_time), True)],
            [(_("Past the standard: closed late, or still open"), False),
             (format_number(known - on_time), True)],
            [(_("Still within the standard (pending)"), False), (format_number(pending), True)],
            [(_("All requests"), False), (format_number(int(row["requests"])), True)]]
    kinds = _standard_type(data)
    return ReadableTable([_("Requests"), _("Number")], rows, caption=_(
        "{type} requests opened in {quarter} (standard: {days} days)", type=kinds["name"],
        quarter=describe_period(_quarter(data)), days=format_number(kinds["days"])))


# --- facts for the messages ---------------------------------------------------------------


def _slow_facts(data: CityData) -> dict[str, Any]:
    row = slow_type(data)
    closed = _closed_days(data)
    return {"slow_type": row["service_name"], "share_open": row["still_open"] / row["requests"],
            "km": km_median(data), "naive": float(closed.median()),
            "mean": float(closed.mean())}


def _mean_facts(data: CityData) -> dict[str, Any]:
    outcomes = request_outcomes(data.requests, None, as_of=data.as_of)
    days = outcomes.loc[outcomes["closed"], "days"]
    slowest = days.quantile(0.95)
    return {"mean": float(days.mean()), "median": float(days.median()),
            "slowest": float(slowest),
            "slow_share": float((days > days.mean()).mean())}


def _on_time_facts(data: CityData) -> dict[str, Any]:
    kinds = _standard_type(data)
    row = _quarter_kpis(data)
    return {"type": kinds["name"], "days": kinds["days"],
            "quarter": describe_period(_quarter(data)), "quarter_label": _quarter(data),
            "known": int(row["on_time_known"]), "on_time": int(row["on_time_count"]),
            "pending": int(row["on_time_pending"]), "share": float(row["on_time_share"])
            if pd.notna(row["on_time_share"]) else 0.0}


def _score_facts(data: CityData) -> dict[str, Any]:
    result = city_score(data)
    worst = result.bottom(1).iloc[0]
    return {"score": result.value or 0.0, "metrics": len(result.used),
            "quarter": describe_period(_quarter(data)),
            "worst": metric_words(worst["metric"]), "worst_score": float(worst["score"]),
            "meeting": int((result.used["score"] >= 1).sum())}


def _backlog_facts(data: CityData) -> dict[str, Any]:
    row = _backlog_row(data)
    end = period_bounds(_quarter(data))[1]
    actual, target = float(row["actual"]), float(row["target"])
    # Said from the two counts, not from the rounded score, so it cannot contradict them.
    reading = (_("Below 1, because more requests are open than the target allows.")
               if actual > target else
               _("Above 1, because fewer requests are open than the target allows.")
               if actual < target else _("Exactly 1: as many requests are open as the target "
                                         "allows."))
    return {"actual": actual, "target": target, "reading": reading,
            "month": describe_period(period_label(end, "month")), "score": target / actual}


# --- answers named by the exercise file (performance.yaml) -------------------------------


def mistaken_open_requests_dropped(data: CityData) -> Any:
    """The answer the mistake "open requests dropped" gives in exercise 1.2.1."""
    return float(_closed_days(data).median())


def mistaken_mean_of_closed_requests(data: CityData) -> Any:
    """The answer the mistake "mean of closed requests" gives in exercise 1.2.1."""
    return float(_closed_days(data).mean())


def mistaken_whole_period_not_the_quarter(data: CityData) -> Any:
    """The answer the mistake "whole period, not the quarter" gives in exercise 1.2.3."""
    return float(_quarter_kpis(data, whole_period=True)['on_time_share'])


def mistaken_not_turned_round(data: CityData) -> Any:
    """The answer the mistake "not turned round" gives in exercise 1.2.6."""
    return 1 / backlog_score(data)


def mistaken_a_difference_not_a_ratio(data: CityData) -> Any:
    """The answer the mistake "a difference, not a ratio" gives in exercise 1.2.6."""
    return float(_backlog_row(data)['target'] - _backlog_row(data)['actual'])


def mistaken_capped(data: CityData) -> Any:
    """The answer the mistake "capped" gives in exercise 1.2.6."""
    return min(backlog_score(data), composite.DEFAULT_CAP)
