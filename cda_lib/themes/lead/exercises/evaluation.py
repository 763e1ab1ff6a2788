"""Exercises 1.4: did it work? (the exercise set of page 1.4, evaluating a change).

The exercises themselves (their words, answer kinds, mistakes and hints) are written in
``evaluation.yaml`` beside this module; this module holds the functions that file names.

Six exercises on the change the city evaluates (:func:`cda_lib.themes.lead.pilot_evaluation.
evaluation_plan`: the planted pilot in a synthetic city): the plain before/after, the
difference in differences worked out from the two-by-two table, choosing a comparison
group, reading the placebo test, reading the interval, and what to tell the council.
Every expected answer comes from :func:`cda_lib.metrics.evaluation.difference_in_differences` on
the city's own data, so the same exercises work for every city, whether its interval
includes zero or not.

>>> import pandas as pd
>>> from types import SimpleNamespace
>>> result = SimpleNamespace(treated_before=0.5, treated_after=0.8, comparison_before=0.6,
...                          comparison_after=0.7, estimate=0.2)
>>> round(plain_change(result), 3), round(comparison_change(result), 3)
(0.3, 0.1)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cda_lib.metrics.evaluation import DidResult, EvaluationError
from cda_lib.text.dates import format_date
from cda_lib.text.numbers import format_bound, format_percent, format_points
from cda_lib.text.translation import gettext as _
from cda_lib.themes.lead.pilot_evaluation import evaluate, evaluation_plan

if TYPE_CHECKING:
    from cda_lib.data import CityData

# A difference of shares is read to half a percentage point: ±0.005 accepts any correct
# rounding to two decimals (0.15 for 0.146) and nothing a real mistake gives.
SHARE_TOLERANCE = 0.005
COMPARISON_ROW = "Comparison districts"  # the row name of DidResult.table()


# --- expected answers, from the city's data ---------------------------------------------


_LAST: list[tuple[Any, DidResult]] = []  # the latest city's result: a session checks one city


def city_result(data: CityData) -> DidResult:
    """The difference-in-differences of the city's evaluation plan (page 1.4's estimate),
    kept for the city last asked."""
    if _LAST and _LAST[0][0] is data:
        return _LAST[0][1]
    result = evaluate(data, evaluation_plan(data))
    _LAST[:] = [(data, result)]
    return result


def plain_change(result: Any) -> float:
    """The plain before/after: the treated district's share after minus before."""
    return result.treated_after - result.treated_before


def comparison_change(result: Any) -> float:
    """The comparison districts' share after minus before: what happened anyway."""
    return result.comparison_after - result.comparison_before


def interval_reading(result: DidResult) -> str:
    """"C" when the interval includes zero (too soon to tell), else "D" (a real change)."""
    return "D" if result.interval_excludes_zero else "C"


def placebo_reading(result: DidResult) -> str:
    """"A" when the placebo interval includes zero (parallel), else "B" (drifting apart)."""
    if result.placebo is None:
        raise EvaluationError(_("There were too few weeks before the start for a placebo "
                                "test."))
    return "B" if result.placebo.interval_excludes_zero else "A"


def _unless_expected(letter: str, expected):
    """A wrong option only when this city's answer is another one (else not offered)."""
    return lambda data: letter if expected(city_result(data)) != letter else None



# --- the no-code forms: sliders --------------------------------------------------------


def _change_slider(data: CityData) -> tuple[float, float, float]:
    """Exercises 1.4.1 and 1.4.2: a change of share from -1 to +1 in steps of 0.005, so
    every figure is within half a step of one (the tolerance is ±0.005)."""
    return -1, 1, 0.005


# --- facts for the messages ---------------------------------------------------------------


def _facts(data: CityData) -> dict[str, Any]:
    plan = evaluation_plan(data)
    result = city_result(data)
    includes = not result.interval_excludes_zero
    facts = {
        "district": plan.district, "service": plan.service_name.lower(),
        "start": format_date(plan.start, "long"),
        "before": format_percent(result.treated_before),
        "after": format_percent(result.treated_after),
        # one decimal, so that the two changes visibly add up to the difference
        "plain": format_points(plain_change(result), 1),
        "comparison": format_points(comparison_change(result), 1),
        "difference": format_points(result.estimate, 1),
        "estimate": format_points(result.estimate), "low": format_bound(result.low),
        "high": format_bound(result.high),
        "interval_sentence": _("Your interval runs from {low} to {high}, so it includes zero.",
                               low=format_bound(result.low), high=format_bound(result.high))
        if includes else _("Your interval runs from {low} to {high}, so it leaves out zero.",
                           low=format_bound(result.low), high=format_bound(result.high)),
        "placebo_start": "", "placebo": "", "placebo_low": "", "placebo_high": "",
    }
    placebo = result.placebo
    if placebo is not None:
        facts.update(placebo_start=format_date(placebo.start, "long"),
                     placebo=format_points(placebo.estimate),
                     placebo_low=format_bound(placebo.low),
                     placebo_high=format_bound(placebo.high))
    return facts


# --- answers named by the exercise file (evaluation.yaml) --------------------------------


def city_plain_change(data: CityData) -> Any:
    """The plain before/after of the city's evaluation (exercise 1.4.1's answer)."""
    return plain_change(city_result(data))


def city_comparison_change(data: CityData) -> Any:
    """The comparison districts' change in the city's evaluation."""
    return comparison_change(city_result(data))


def city_estimate(data: CityData) -> Any:
    """The difference in differences of the city's evaluation (exercise 1.4.2's answer)."""
    result = city_result(data)
    return result.estimate


def mistaken_before_minus_after(data: CityData) -> Any:
    """The answer the mistake "before minus after" gives in exercise 1.4.1."""
    result = city_result(data)
    return -plain_change(result)


def mistaken_the_share_after_not_the_change(data: CityData) -> Any:
    """The answer the mistake "the share after, not the change" gives in exercise 1.4.1."""
    result = city_result(data)
    return result.treated_after


def mistaken_the_wrong_way_round(data: CityData) -> Any:
    """The answer the mistake "the wrong way round" gives in exercise 1.4.2."""
    result = city_result(data)
    return -result.estimate


def mistaken_the_gap_after_the_start_only(data: CityData) -> Any:
    """The answer the mistake "the gap after the start only" gives in exercise 1.4.2."""
    result = city_result(data)
    return result.treated_after - result.comparison_after


def city_placebo_reading(data: CityData) -> Any:
    """What the city's placebo test says, as an option letter (exercise 1.4.4)."""
    return placebo_reading(city_result(data))


def mistaken_drift_read_as_parallel(data: CityData) -> Any:
    """The answer the mistake "drift read as parallel" gives in exercise 1.4.4."""
    return _unless_expected('A', placebo_reading)(data)


def mistaken_parallel_read_as_drift(data: CityData) -> Any:
    """The answer the mistake "parallel read as drift" gives in exercise 1.4.4."""
    return _unless_expected('B', placebo_reading)(data)


def city_interval_reading(data: CityData) -> Any:
    """What the city's interval says, as an option letter (exercise 1.4.5)."""
    return interval_reading(city_result(data))


def mistaken_too_cautious(data: CityData) -> Any:
    """The answer the mistake "too cautious" gives in exercise 1.4.5."""
    return _unless_expected('C', interval_reading)(data)


def mistaken_too_sure(data: CityData) -> Any:
    """The answer the mistake "too sure" gives in exercise 1.4.5."""
    return _unless_expected('D', interval_reading)(data)
