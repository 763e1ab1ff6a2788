"""Exercises 1.4: did it work? (the exercise set of page 1.4, evaluating a change).

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

from cda_lib.exercises.exercise import Buttons, Exercise, Mistake, TextBox, always
from cda_lib.exercises.feedback import HintTier
from cda_lib.exercises.kinds import Choice, Number, Reflection
from cda_lib.metrics.evaluation import DidResult, EvaluationError
from cda_lib.text.numbers import format_percent, format_points
from cda_lib.themes.lead.pilot_evaluation import evaluate, evaluation_plan

if TYPE_CHECKING:
    from cda_lib.data import CityData

SET_ID = "1.4"
NOTEBOOK = "01_lead/04_did_it_work.ipynb"
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
        raise EvaluationError("There were too few weeks before the start for a placebo test.")
    return "B" if result.placebo.interval_excludes_zero else "A"


def _from_result(pick):
    return lambda data: pick(city_result(data))


def _unless_expected(letter: str, expected):
    """A wrong option only when this city's answer is another one (else not offered)."""
    return lambda data: letter if expected(city_result(data)) != letter else None



# --- facts for the messages ---------------------------------------------------------------


def _facts(data: CityData) -> dict[str, Any]:
    plan = evaluation_plan(data)
    result = city_result(data)
    includes = not result.interval_excludes_zero
    facts = {
        "district": plan.district, "service": plan.service_name.lower(),
        "start": f"{plan.start.day} {plan.start:%B %Y}",
        "before": format_percent(result.treated_before),
        "after": format_percent(result.treated_after),
        # one decimal, so that the two changes visibly add up to the difference
        "plain": format_points(plain_change(result), 1),
        "comparison": format_points(comparison_change(result), 1),
        "difference": format_points(result.estimate, 1),
        "estimate": format_points(result.estimate), "low": format_points(result.low),
        "high": format_points(result.high),
        "interval_sentence": (f"Your interval runs from {format_points(result.low)} to "
                              f"{format_points(result.high)}, so it "
                              f"{'includes' if includes else 'leaves out'} zero."),
        "placebo_start": "", "placebo": "", "placebo_low": "", "placebo_high": "",
    }
    placebo = result.placebo
    if placebo is not None:
        facts.update(placebo_start=f"{placebo.start.day} {placebo.start:%B %Y}",
                     placebo=format_points(placebo.estimate),
                     placebo_low=format_points(placebo.low),
                     placebo_high=format_points(placebo.high))
    return facts


# --- the exercises -----------------------------------------------------------------------

PLAIN_BEFORE_AFTER = Exercise(
    id="1.4.1",
    title="The plain before/after",
    question="By how much did the on-time share of the district that got the change move, "
             "from the weeks before the start to the weeks after? Give the change as a "
             "difference of shares (0.10 for 10 points).",
    kind=Number(absolute=SHARE_TOLERANCE, share=True),
    expected=_from_result(plain_change),
    facts=_facts,
    right="{district}'s on-time share went from {before} to {after}: {plain} in a plain "
          "before/after.",
    why="This is the number a plain before/after reports. It credits the change with "
        "everything else that happened over the same weeks; the next exercise takes that out.",
    next_step="Read {district}'s row of the table: its share after the start minus its share "
              "before.",
    mistakes=(
        Mistake("comparison districts' change", _from_result(comparison_change),
                "{given} is the change in the comparison districts. The question asks about "
                "{district}, the district that got the change."),
        Mistake("difference in differences", _from_result(lambda r: r.estimate),
                "{given} is the difference in differences: {district}'s change minus the "
                "comparison districts'. This exercise asks for the plain before/after in "
                "{district} alone (the next one asks for the difference)."),
        Mistake("before minus after", _from_result(lambda r: -plain_change(r)),
                "{given} has the wrong sign: it is the share before minus the share after.",
                "Subtract the other way round: after minus before."),
        Mistake("the share after, not the change", _from_result(lambda r: r.treated_after),
                "{given} is {district}'s on-time share after the start, not how much it "
                "changed.", "Subtract the share before the start from it."),
    ),
    hints=(
        HintTier("The table has a row for {district} and a row for the comparison districts, "
                 "with a column for before the start and one for after."),
        HintTier("A change is after minus before. table.loc[row, column] picks one number out "
                 "of the table; plan.district is the row's name."),
        HintTier("In one line:",
                 'answer = table.loc[plan.district, "after"] - table.loc[plan.district, '
                 '"before"]'),
    ),
)

DIFFERENCE_IN_DIFFERENCES = Exercise(
    id="1.4.2",
    title="The difference in differences, by hand",
    question="Now take out what happened anyway: compute the difference in differences, the "
             "change in the district that got the change minus the change in the comparison "
             "districts.",
    kind=Number(absolute=SHARE_TOLERANCE, share=True),
    expected=_from_result(lambda r: r.estimate),
    facts=_facts,
    right="{district} moved {plain} and the comparison districts {comparison}: the difference "
          "in differences is {difference} (95% interval {low} to {high}).",
    why="Subtracting the comparison districts' change takes out what happened to everyone over "
        "the same weeks (the season, a citywide backlog, a new system), leaving what the "
        "change itself did, if the groups would otherwise have moved in parallel.",
    next_step="Work out each group's change (after minus before), then subtract the "
              "comparison districts' change from {district}'s.",
    mistakes=(
        Mistake("plain before/after", _from_result(plain_change),
                "{given} is {district}'s own change, the plain before/after of exercise 1.4.1.",
                "Subtract the comparison districts' change from it: that is what would have "
                "happened anyway."),
        Mistake("comparison districts' change", _from_result(comparison_change),
                "{given} is the comparison districts' change alone.",
                "Take it away from {district}'s change."),
        Mistake("the wrong way round", _from_result(lambda r: -r.estimate),
                "{given} is the comparison districts' change minus {district}'s: the other way "
                "round.", "Start from {district}'s change and subtract the comparison's."),
        Mistake("the gap after the start only",
                _from_result(lambda r: r.treated_after - r.comparison_after),
                "{given} compares the two groups after the start only. A gap that was already "
                "there before the start would be counted as the change's effect.",
                "Subtract the gap before the start too: work with each group's change."),
    ),
    hints=(
        HintTier("You need two changes: {district}'s (exercise 1.4.1) and the comparison "
                 "districts'."),
        HintTier("The table's change column holds after minus before for each row. The "
                 "difference in differences is the first row's change minus the second's."),
        HintTier("In one line:",
                 'answer = table.loc[plan.district, "change"] - '
                 f'table.loc["{COMPARISON_ROW}", "change"]'),
    ),
)

COMPARISON_GROUP = Exercise(
    id="1.4.3",
    title="Choosing a comparison group",
    question="{city} wants to know whether the change in {district} sped up {service} "
             "requests. Which comparison is the most convincing?",
    kind=Choice(options=(
        ("A", "The same district in the same months a year earlier."),
        ("B", "The other districts over the same weeks, after checking that they moved in "
              "parallel with the district before the start."),
        ("C", "The district that improved the most over the same weeks."),
        ("D", "The same district before the start, compared with after."),
    )),
    expected=always("B"),  # the concept is the same in every city; the messages use its data
    facts=_facts,
    widget=Buttons(),
    start="Choose an answer; the feedback appears here.",
    right="The other districts lived through the same weeks (the same season, the same "
          "citywide events) without the change. In {city}, they moved {comparison} while "
          "{district} moved {plain}.",
    why="A comparison group stands in for what would have happened without the change. It "
        "must share the same weeks, must not get the change itself, and must be checked on the "
        "weeks before.",
    next_step="Think about what else changes from one period to another, and which group "
              "lived through the same changes.",
    mistakes=(
        Mistake("last year's months", always("A"),
                "A year earlier takes out the season, but not whatever else changed over the "
                "year: staff, a new work-order system, the trend in requests. And it cannot be "
                "checked on the same weeks."),
        Mistake("comparison chosen by its result", always("C"),
                "Choosing the comparison by how it turned out is cherry-picking: the answer then "
                "depends on the choice, not on the change. Fix the comparison group before "
                "looking at the results."),
        Mistake("plain before/after", always("D"),
                "That is the plain before/after, with no comparison at all: it credits the "
                "change with the season and everything else that happened at the same time."),
    ),
    hints=(
        HintTier("A comparison group shows what would have happened without the change. "
                 "What must it share with {district}?"),
        HintTier("It must live through the same weeks (the same season and citywide events) "
                 "without getting the change, and it should be checked on the weeks before."),
        HintTier("Look for the option with the same weeks and a check before the start."),
    ),
)

PLACEBO = Exercise(
    id="1.4.4",
    title="Reading the placebo test",
    question="The placebo test pretends the change started on {placebo_start}, halfway "
             "through the weeks before the real start, and finds {placebo} (95% interval "
             "{placebo_low} to {placebo_high}). What does that tell you?",
    kind=Choice(options=(
        ("A", "Before the start, the district and the comparison districts moved in parallel "
              "as far as the data can tell: the comparison group passes this check."),
        ("B", "The two groups were already drifting apart before the start: the comparison "
              "may credit the change with a gap that was opening anyway."),
        ("C", "The change was already working before it started."),
        ("D", "The placebo test proves that the change worked."),
    )),
    expected=_from_result(placebo_reading),
    facts=_facts,
    widget=Buttons(),
    start="Choose an answer; the feedback appears here.",
    right="A difference in differences is only fair if the groups would have moved together "
          "without the change. The placebo test checks the weeks where we know there was no "
          "change: {placebo} (95% interval {placebo_low} to {placebo_high}).",
    why="No data can check what would have happened after the start without the change; the "
        "weeks before are the only place to look. A check that fails there is a reason to "
        "find a better comparison group before trusting the estimate.",
    next_step="Does the placebo interval include zero? Zero means no drift between the groups.",
    mistakes=(
        Mistake("drift read as parallel", _unless_expected("A", placebo_reading),
                "Your placebo interval, {placebo_low} to {placebo_high}, leaves out zero: the "
                "groups were already moving apart before the change."),
        Mistake("parallel read as drift", _unless_expected("B", placebo_reading),
                "Your placebo interval, {placebo_low} to {placebo_high}, includes zero: the data "
                "show no drift between the groups before the start."),
        Mistake("an effect before the start", always("C"),
                "The placebo test uses only weeks before the change began, so there was nothing "
                "to have an effect: it checks the comparison group, not the change."),
        Mistake("placebo read as proof", always("D"),
                "A placebo test cannot prove the change worked: it only checks that the groups "
                "moved together before the start. The estimate and its interval answer whether "
                "it worked."),
    ),
    hints=(
        HintTier("The placebo test looks only at weeks before the real change. What could it "
                 "possibly find there?"),
        HintTier("If the groups moved in parallel before the start, a fake start should show "
                 "no difference: an interval that includes zero."),
        HintTier("Check whether {placebo_low} to {placebo_high} includes zero, then pick the "
                 "option that says what that means for the comparison group."),
    ),
)

INTERVAL = Exercise(
    id="1.4.5",
    title="Reading the interval",
    question="{city}'s estimate is {estimate} (95% interval {low} to {high}). What should a "
             "leader conclude?",
    kind=Choice(options=(
        ("A", "The change worked: the estimate is above zero, so roll it out citywide."),
        ("B", "The change did not work: the interval includes zero, so stop it."),
        ("C", "The data cannot yet tell the effect from chance: they fit no effect and a large "
              "one. Keep the change running and keep measuring before deciding."),
        ("D", "The effect is bigger than the usual ups and downs: the change very likely moved "
              "the on-time share, by an amount within the interval."),
    )),
    expected=_from_result(interval_reading),
    facts=_facts,
    widget=Buttons(),
    start="Choose an answer; the feedback appears here.",
    right="{interval_sentence} The estimate, {estimate}, is the middle of that range; the "
          "range is what the decision must live with.",
    why="An interval that includes zero is not proof that nothing happened, and one that "
        "leaves out zero is not proof that the same will happen everywhere. Saying which one "
        "you have, in plain words, is what keeps a council from over- or under-reacting.",
    next_step="Does the interval include zero? Then read the options with that in mind.",
    mistakes=(
        Mistake("the estimate without its interval", always("A"),
                "The estimate alone leaves out how uncertain it is. {interval_sentence} And one "
                "district's result does not say what would happen citywide."),
        Mistake("no evidence read as no effect", always("B"),
                "{interval_sentence} Even an interval that includes zero is not evidence that "
                "the change did nothing: it says the data are too few to tell."),
        Mistake("too cautious", _unless_expected("C", interval_reading),
                "{interval_sentence} The data can tell this change from the usual ups and "
                "downs."),
        Mistake("too sure", _unless_expected("D", interval_reading),
                "{interval_sentence} The data cannot yet tell this change from the usual ups "
                "and downs."),
    ),
    hints=(
        HintTier("First question: does the interval, {low} to {high}, include zero?"),
        HintTier("If it includes zero, the data fit 'no effect' as well as a real one; if it "
                 "leaves zero out, the change is bigger than chance would usually make it."),
        HintTier("Pick the option that matches what the interval says and does not promise "
                 "more than it (one district is not the whole city)."),
    ),
)

COUNCIL = Exercise(
    id="1.4.6",
    title="What you would tell the council",
    question="Write the two or three sentences you would say to the council about the change "
             "in {district}: what changed, how sure you are, and what happens next.",
    kind=Reflection(),
    expected=always(None),
    facts=_facts,
    widget=TextBox(placeholder="Write two or three sentences, then press Save."),
    start="Write your sentences in the box and press Save.",
    right="",
    why="",
    next_step="",
    hints=(
        HintTier("Start with what changed and where: {service} requests in {district}, from "
                 "{start}."),
        HintTier("Then say how sure you are in words, not only numbers: the estimate is "
                 "{estimate}, and the interval runs from {low} to {high}."),
        HintTier("One way to start: \"Since {start}, {district}'s on-time repairs ... compared "
                 "with the rest of the city. We can / cannot yet say ..., so next we will ...\""),
    ),
)

EXERCISES = (PLAIN_BEFORE_AFTER, DIFFERENCE_IN_DIFFERENCES, COMPARISON_GROUP, PLACEBO, INTERVAL,
             COUNCIL)
