"""Exercises 1.3: targets and telling signal from noise (the exercise set of page 1.3).

The exercises themselves (their words, answer kinds, mistakes and hints) are written in
``targets.yaml`` beside this module; this module holds the functions that file names.

Six exercises: the baseline of the citywide on-time share, a target 10% better than it
(10 percent, not 10 points), what a point inside the control limits means, how many
months of the city's request volume signal a real change, whether a run of eight is a
signal, and a target of the participant's own. Every expected answer comes from
:mod:`cda_lib.themes.lead.metric_series` and :mod:`cda_lib.metrics.targets`, the functions
page 1.3 uses.

>>> import pandas as pd
>>> table = pd.DataFrame({"signal": [True, False, True, True],
...                       "baseline": [True, True, False, False],
...                       "rules": ["beyond_limits", "", "run_of_eight", "beyond_limits"]})
>>> _signals_after_baseline(table), _beyond_after_baseline(table)
(2, 1)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from cda_lib.core.readable import ReadableTable
from cda_lib.exercises.exercise import CityMemo
from cda_lib.metrics.targets import baseline
from cda_lib.text.dates import format_date
from cda_lib.text.numbers import format_percent
from cda_lib.text.translation import gettext as _
from cda_lib.themes.lead import metric_series

if TYPE_CHECKING:
    from cda_lib.data import CityData

# Shares are read to a tenth of a percentage point (three decimals).
SHARE_TOLERANCE = 0.001
IMPROVEMENT = 0.10  # the exercise's target: 10% better than the baseline
BASELINE_MONTHS = 12  # the median of the last 12 months, as page 1.3 sets it
# A move of 3 percentage points from one month to the next is what a monthly report would
# headline ("on-time share down 3 points"); exercise 1.3.3 counts how often that happens.
HEADLINE_MOVE = 0.03
_memo = CityMemo()



# --- expected answers, from the city's data ---------------------------------------------


def on_time_history(data: CityData) -> metric_series.MetricHistory:
    """The citywide on-time share, month by month (page 1.3's first series)."""
    return _memo("on_time", data, lambda: metric_series.metric_history(
        data.requests, data.city.service_standards, as_of=data.as_of))


def on_time_baseline(data: CityData) -> float:
    """The median of the last 12 monthly values of the citywide on-time share."""
    return baseline(on_time_history(data).values, periods=BASELINE_MONTHS).value


def target_value(data: CityData) -> float:
    """The baseline made 10% better (higher): 10 percent of it, not 10 points."""
    value = on_time_baseline(data) * (1 + IMPROVEMENT)
    if value > 1:
        raise ValueError(_("a 10% better on-time share would pass 100% in this city"))
    return value


def volume_chart(data: CityData):
    """The XmR chart of requests per month, limits from the first year (page 1.3)."""
    return _memo("volume_chart", data, lambda: metric_series.control_chart(
        metric_series.metric_history(data.requests, as_of=data.as_of, kpi_name="requests")))


def _signals_after_baseline(table: pd.DataFrame) -> int:
    return int((table["signal"] & ~table["baseline"]).sum())


def _beyond_after_baseline(table: pd.DataFrame) -> int:
    beyond = table["rules"].astype(str).str.contains("beyond_limits")
    return int((beyond & ~table["baseline"]).sum())


def signal_months(data: CityData) -> int:
    """Months after the baseline year whose request volume breaks a run rule."""
    return _signals_after_baseline(volume_chart(data).table)


def _volume_slider(data: CityData) -> tuple[float, float, float]:
    return 0, len(volume_chart(data).table), 1


def _last_12(data: CityData) -> pd.Series:
    return on_time_history(data).present.iloc[-BASELINE_MONTHS:]



# --- the no-code forms: sliders and what the page shows -------------------------------


def _share_slider(data: CityData) -> tuple[float, float, float]:
    """Exercise 1.3.1: a share from 0 to 1 in steps of 0.001, the tolerance's own grain."""
    return 0, 1, 0.001


def _target_slider(data: CityData) -> tuple[float, float, float]:
    """Exercise 1.3.2: a share from 0 to 1 in steps of 0.0005, so that a target worked out
    from a three-decimal baseline (off by up to 0.00055 once multiplied by 1.1) still lands
    within the ±0.001 tolerance."""
    return 0, 1, 0.0005


def _month(month: Any) -> str:
    """A month of the series ("2025-12") as the pages write it ("Dec 2025").

    >>> _month("2025-12"), _month("not a month")
    ('Dec 2025', 'not a month')
    """
    try:
        return format_date(pd.Period(str(month), freq="M").to_timestamp(), "month_short")
    except ValueError:
        return str(month)


def _months_inputs(data: CityData) -> ReadableTable:
    """Exercise 1.3.1's inputs: the last 12 monthly on-time shares, in the order of the
    months (to two decimals of a percent, so their median is read to the tolerance)."""
    last = _last_12(data)
    rows = [[(_month(month), False), (format_percent(float(value), 2), True)]
            for month, value in last.items()]
    return ReadableTable([_("Month"), _("On-time share")], rows, caption=_(
        "The citywide on-time share of the last {count} months with a value",
        count=len(last)))


# --- facts for the messages ---------------------------------------------------------------


def _baseline_facts(data: CityData) -> dict[str, Any]:
    last = _last_12(data)
    return {"baseline": on_time_baseline(data), "first": str(last.index[0]),
            "last": str(last.index[-1]), "low": float(last.min()), "high": float(last.max())}


def _target_facts(data: CityData) -> dict[str, Any]:
    base = on_time_baseline(data)
    return {"baseline": base, "target": base * (1 + IMPROVEMENT),
            "points": (base * IMPROVEMENT) * 100}


def _noise_facts(data: CityData) -> dict[str, Any]:
    history = on_time_history(data)
    changes = metric_series.period_changes(history)
    moves = int((changes["change"].abs() >= HEADLINE_MOVE).sum())
    chart = metric_series.control_chart(history)
    return {"moves": moves, "changes": int(changes["change"].notna().sum()),
            "signals": _signals_after_baseline(chart.table),
            "after": int((~chart.table["baseline"]).sum())}


def _volume_facts(data: CityData) -> dict[str, Any]:
    table = volume_chart(data).table
    return {"baseline_months": int(table["baseline"].sum()),
            "after": int((~table["baseline"]).sum()), "signals": signal_months(data),
            "beyond": _beyond_after_baseline(table),
            "in_baseline": int((table["signal"] & table["baseline"]).sum())}


# --- answers named by the exercise file (targets.yaml) -----------------------------------


def mistaken_mean_not_median(data: CityData) -> Any:
    """The answer the mistake "mean, not median" gives in exercise 1.3.1."""
    return float(_last_12(data).mean())


def mistaken_last_month_only(data: CityData) -> Any:
    """The answer the mistake "last month only" gives in exercise 1.3.1."""
    return float(_last_12(data).iloc[-1])


def mistaken_every_month(data: CityData) -> Any:
    """The answer the mistake "every month" gives in exercise 1.3.1."""
    return float(on_time_history(data).present.median())


def mistaken_points_not_percent(data: CityData) -> Any:
    """The answer the mistake "points, not percent" gives in exercise 1.3.2."""
    return on_time_baseline(data) + IMPROVEMENT


def mistaken_the_wrong_direction(data: CityData) -> Any:
    """The answer the mistake "the wrong direction" gives in exercise 1.3.2."""
    return on_time_baseline(data) * (1 - IMPROVEMENT)


def mistaken_the_baseline_counted_too(data: CityData) -> Any:
    """The answer the mistake "the baseline counted too" gives in exercise 1.3.4."""
    return int(volume_chart(data).table['signal'].sum())


def mistaken_beyond_the_limits_only(data: CityData) -> Any:
    """The answer the mistake "beyond the limits only" gives in exercise 1.3.4."""
    return _beyond_after_baseline(volume_chart(data).table)
