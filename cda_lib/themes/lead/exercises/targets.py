"""Exercises 1.3: targets and telling signal from noise (the exercise set of page 1.3).

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

from cda_lib.exercises.exercise import Buttons, CityMemo, Exercise, Mistake, Slider, TextBox, always
from cda_lib.exercises.feedback import HintTier
from cda_lib.exercises.kinds import Choice, Number, Reflection
from cda_lib.metrics.targets import baseline
from cda_lib.themes.lead import metric_series

if TYPE_CHECKING:
    from cda_lib.data import CityData

SET_ID = "1.3"
NOTEBOOK = "01_lead/03_targets_and_signal.ipynb"
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
        raise ValueError("a 10% better on-time share would pass 100% in this city")
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


# --- the exercises -----------------------------------------------------------------------

BASELINE = Exercise(
    id="1.3.1",
    title="Where does the on-time share stand?",
    question="What is the baseline of your city's citywide on-time share: the median of its "
             "last 12 monthly values? Give a share to three decimals.",
    kind=Number(absolute=SHARE_TOLERANCE, share=True),
    expected=on_time_baseline,
    facts=_baseline_facts,
    right="The baseline is {baseline:.1%}: the middle of the 12 months from {first} to {last}, "
          "which ran from {low:.1%} to {high:.1%}.",
    why="A year of months counts every season once, and the median keeps one odd month from "
        "setting the bar: the team is measured against where it usually stands.",
    next_step="Take the last 12 values of the monthly series and their median.",
    mistakes=(
        Mistake("mean, not median", lambda data: float(_last_12(data).mean()),
                "{given} is the mean of the 12 months. The baseline is their median, so one "
                "odd month cannot move it.", "Use .median() instead of .mean()."),
        Mistake("last month only", lambda data: float(_last_12(data).iloc[-1]),
                "{given} is the latest month alone: one month is too easily a fluke to set a "
                "target from.", "Take the median of the last 12 months."),
        Mistake("every month", lambda data: float(on_time_history(data).present.median()),
                "{given} is the median of every month in the data, not of the last 12.",
                "Keep the last 12 values first: .tail(12)."),
    ),
    hints=(
        HintTier("metric_history gives the on-time share month by month; its values are a "
                 "column with one number per month."),
        HintTier("The last 12 values of a column: .tail(12); their median: .median(). The "
                 "history's present attribute leaves out months without a value."),
        HintTier("In two lines:",
                 "history = metric_history(requests, data.city.service_standards, "
                 "as_of=data.as_of)\nanswer = history.present.tail(12).median()"),
    ),
)

TARGET = Exercise(
    id="1.3.2",
    title="Ten percent better",
    question="Your team commits to a citywide on-time share 10% higher than that baseline. "
             "What is the target? Give a share to three decimals.",
    kind=Number(absolute=SHARE_TOLERANCE, share=True),
    expected=target_value,
    facts=_target_facts,
    right="10% better than {baseline:.1%} is {target:.1%}: {points:.1f} percentage points "
          "higher.",
    why="\"10% better\" and \"10 points better\" are different promises. Write the target as "
        "the number to reach, so the team, the council and the press read it the same way.",
    next_step="Multiply the baseline by 1.1.",
    mistakes=(
        Mistake("points, not percent", lambda data: on_time_baseline(data) + IMPROVEMENT,
                "{given} adds 10 percentage points ({baseline:.1%} + 10 points). 10% better is "
                "a tenth of the baseline more: {points:.1f} points.",
                "Multiply the baseline by 1.1 instead of adding 0.10."),
        Mistake("the wrong direction", lambda data: on_time_baseline(data) * (1 - IMPROVEMENT),
                "{given} is 10% lower. For the on-time share higher is better.",
                "Multiply by 1.1, not 0.9."),
    ),
    hints=(
        HintTier("10% of the baseline is 0.1 × baseline."),
        HintTier("The target is the baseline plus 10% of itself."),
        HintTier("In one line (with baseline_share from exercise 1.3.1):",
                 "answer = baseline_share * 1.1"),
    ),
)

INSIDE_THE_LIMITS = Exercise(
    id="1.3.3",
    title="Down since last month",
    question="This month's on-time share is lower than last month's, but inside the control "
             "chart's limits and breaking no run rule. What does that tell you?",
    kind=Choice(options=(
        ("A", "Performance got worse: ask the department why."),
        ("B", "On its own, nothing: it is within the usual ups and downs. Keep watching for a "
              "signal."),
        ("C", "The data must be wrong."),
        ("D", "The limits are too wide: they should be narrowed until the drop shows."),
    )),
    expected=always("B"),
    facts=_noise_facts,
    widget=Buttons(),
    start="Choose an answer; the feedback appears here.",
    right="In {city}'s monthly on-time share, {moves} of {changes} month-to-month moves were 3 "
          "points or more; {signals} of the {after} months after the baseline year broke a "
          "rule.",
    why="Asking a department to explain a move that chance alone produces wastes its time and "
        "teaches it to dread the meeting. Save the questions for signals, and ask about the "
        "system, not the people.",
    next_step="What do the limits show: the range a stable process moves in, or a standard?",
    mistakes=(
        Mistake("noise read as a change", always("A"),
                "A stable process moves up and down every month; a move inside the limits, "
                "with no run rule broken, is that usual movement. In {city}, {moves} of "
                "{changes} monthly moves were 3 points or more."),
        Mistake("noise read as bad data", always("C"),
                "Nothing suggests an error: months differ because the requests, crews and "
                "weather differ. That is why a chart has limits."),
        Mistake("limits set by hand", always("D"),
                "The limits are computed from the data (three sigma around the centre), not "
                "chosen: narrowing them would turn ordinary months into false alarms."),
    ),
    hints=(
        HintTier("The limits show how far a month moves by chance alone."),
        HintTier("A signal is a point beyond the limits or a pattern the run rules name."),
        HintTier("With no signal, is there anything to explain yet?"),
    ),
)

COUNT_SIGNALS = Exercise(
    id="1.3.4",
    title="How many months signal a change?",
    question="Look at the control chart of {city}'s requests per month above. Its limits come "
             "from the first {baseline_months} months. How many of the {after} months after "
             "those are marked as a signal of real change?",
    kind=Number(absolute=0, unit="months"),  # an exact count of marked points
    expected=signal_months,
    facts=_volume_facts,
    widget=Slider(bounds=_volume_slider, description="Months with a signal"),
    start="Move the slider to your count; the feedback appears here.",
    right="{signals} of the {after} months after the baseline are marked: {beyond} beyond the "
          "limits, the others for breaking a run rule.",
    why="Request volume is demand, and a signal in demand is a planning fact: a season the "
        "limits did not expect, a new channel, a storm. Find the cause before adding crews.",
    next_step="Count the marked points to the right of the grey baseline band.",
    mistakes=(
        Mistake("the baseline counted too", lambda data: int(volume_chart(data).table[
            "signal"].sum()),
                "{given} also counts the {in_baseline} marked months inside the baseline. The "
                "question asks about the months after it.",
                "Count only the marked points to the right of the grey band."),
        Mistake("beyond the limits only", lambda data: _beyond_after_baseline(
            volume_chart(data).table),
                "{given} counts only the points beyond the limits. Run rules (eight in a row on "
                "one side, four of five beyond one sigma ...) mark signals too.",
                "Count every marked point after the baseline."),
    ),
    hints=(
        HintTier("The grey band on the left is the baseline; the months after it are judged "
                 "against its limits."),
        HintTier("Marked points (in vermillion) are signals, whichever rule they break."),
        HintTier("The text under the chart lists the signals too."),
    ),
)

RUN_OF_EIGHT = Exercise(
    id="1.3.5",
    title="Eight in a row",
    question="Eight months in a row sit above the centre line of a control chart, and none is "
             "outside the limits. Is that a signal?",
    kind=Choice(options=(
        ("A", "No: every point is inside the limits."),
        ("B", "Yes: eight in a row on one side rarely happens by chance, so something has "
              "changed."),
        ("C", "Only if the last point is outside the limits."),
        ("D", "Only if the team can explain it."),
    )),
    expected=always("B"),
    widget=Buttons(),
    start="Choose an answer; the feedback appears here.",
    right="For a stable process each point is as likely above the centre as below: eight in a "
          "row on one given side happens about once in 256 runs (Western Electric rule 4).",
    why="Run rules catch small, lasting shifts that never cross a limit: the kind a new crew "
        "or a new procedure makes. They are how a chart shows a change is real before any "
        "single month looks dramatic.",
    next_step="What are the chances of eight coin tosses in a row coming up heads?",
    mistakes=(
        Mistake("limits only", always("A"),
                "The limits catch big jumps. A small, lasting shift stays inside them but "
                "keeps every point on one side: the run rules catch that."),
        Mistake("waiting for a jump", always("C"),
                "The run is a signal already: a small shift may never cross a limit."),
        Mistake("the story before the signal", always("D"),
                "Whether a signal is real does not depend on an explanation. Find the cause "
                "after the chart says something changed."),
    ),
    hints=(
        HintTier("For a stable process, is a point equally likely above or below the centre?"),
        HintTier("Eight coin tosses in a row all heads: (1/2)^8 = 1/256."),
        HintTier("Look for the answer that treats the run itself as the evidence."),
    ),
)

OWN_TARGET = Exercise(
    id="1.3.6",
    title="Your own target",
    question="Which target would you set for your team with the target setter, who would own "
             "it, and what would you accept as evidence that it is working?",
    kind=Reflection(),
    expected=always(None),
    widget=TextBox(placeholder="Target ... owned by ... I will believe it works when ..."),
    start="Write your reflection in the box and press Save.",
    right="",
    why="",
    next_step="",
    hints=(
        HintTier("Pick one metric and one place from the target setter on page 1.3."),
        HintTier("Evidence: a signal on the control chart (a run above the centre line, or a "
                 "point beyond the limits), not one good month."),
        HintTier("For example: \"Pothole on-time share in Mill District, 10% better by next "
                 "December, owned by the streets superintendent; I will believe it when eight "
                 "months in a row sit above the old centre line.\""),
    ),
)

EXERCISES = (BASELINE, TARGET, INSIDE_THE_LIMITS, COUNT_SIGNALS, RUN_OF_EIGHT, OWN_TARGET)
