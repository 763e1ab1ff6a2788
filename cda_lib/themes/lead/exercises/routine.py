"""Exercises 1.5: data in the weekly routine (the exercise set of page 1.5, the stat meeting).

Seven exercises: what a stat meeting is for, what to do when the routine slips (the
failure modes Baltimore's CitiStat went through, civic-standards.md B4), the backlog at
the end of the brief's week worked out from the requests, how many request types the
brief flags, what to do with a dip that is not a signal, a follow-up that can be
followed up, and what the participant's own city would bring to the table. The figures
come from :func:`cda_lib.themes.lead.brief.brief_for_city` on the city's own data.

>>> import pandas as pd
>>> from types import SimpleNamespace
>>> requests = pd.DataFrame({
...     "requested_datetime": pd.to_datetime(["2025-12-01", "2025-12-20", "2025-12-27"]),
...     "closed_datetime": pd.to_datetime(["2025-12-02", None, "2025-12-30"])})
>>> brief = SimpleNamespace(week_start=pd.Timestamp("2025-12-22"),
...                         week_end=pd.Timestamp("2025-12-28 23:59:59"))
>>> open_at(requests, brief.week_end), opened_in_week(requests, brief)
(2, 1)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from cda_lib.exercises.exercise import Buttons, Exercise, Mistake, TextBox, always
from cda_lib.exercises.feedback import HintTier
from cda_lib.exercises.kinds import Choice, Number, Reflection
from cda_lib.metrics.kpi import describe_period
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.themes.lead.brief import StatBrief, brief_for_city

if TYPE_CHECKING:
    from cda_lib.data import CityData

SET_ID = "1.5"
NOTEBOOK = "01_lead/05_data_in_the_weekly_routine.ipynb"

_LAST: list[tuple[Any, StatBrief]] = []  # the latest city's brief: a session checks one city


# --- expected answers, from the city's data ---------------------------------------------


def city_brief(data: CityData) -> StatBrief:
    """The city's weekly brief for its last full week (without targets or follow-ups, which
    change none of the figures these exercises ask for); kept for the city last asked."""
    if _LAST and _LAST[0][0] is data:
        return _LAST[0][1]
    brief = brief_for_city(data)
    _LAST[:] = [(data, brief)]
    return brief


def open_at(requests: pd.DataFrame, moment: pd.Timestamp) -> int:
    """Requests opened by ``moment`` and not closed by then: the backlog at that moment."""
    opened = requests["requested_datetime"] <= moment
    closed = requests["closed_datetime"] <= moment  # an open request has no date: False
    return int((opened & ~closed).sum())


def opened_in_week(requests: pd.DataFrame, brief: Any) -> int:
    """Requests opened during the brief's week."""
    opened = requests["requested_datetime"]
    return int(((opened >= brief.week_start) & (opened <= brief.week_end)).sum())


def backlog_at_week_end(data: CityData) -> int:
    """The brief's backlog at the end of its week (the KPI table's ``backlog_at_end``)."""
    brief = city_brief(data)
    return int(brief.trend.set_index("week").loc[brief.week, "backlog_at_end"])


def exception_types(data: CityData) -> int:
    """How many request types the brief lists as exceptions (a type may be listed twice)."""
    return int(city_brief(data).exceptions["service_code"].nunique())


def _new_and_still_open(data: CityData) -> int:
    """The mistake of counting only the week's own requests that are still open."""
    brief = city_brief(data)
    opened = data.requests["requested_datetime"]
    this_week = data.requests[((opened >= brief.week_start) & (opened <= brief.week_end))
                              .to_numpy()]
    return open_at(this_week, brief.week_end)



# --- facts for the messages ---------------------------------------------------------------


def _facts(data: CityData) -> dict[str, Any]:
    brief = city_brief(data)
    trend = brief.trend.set_index("week")
    backlog = backlog_at_week_end(data)
    earlier = trend["backlog_at_end"].dropna()
    earlier = earlier[earlier.index < brief.week]
    change = ""
    if len(earlier) >= 4:
        moved = backlog - int(earlier.iloc[-4])
        change = (f", {moved:+,} on four weeks before" if moved else
                  ", the same as four weeks before")
    exceptions = brief.exceptions
    top = "none this week; take the request type furthest below its target instead"
    if len(exceptions):
        row = exceptions.iloc[0]
        if row["unit"] == "share":
            value, usual = format_percent(row["value"]), format_percent(row["usual"])
        else:
            value, usual = format_number(row["value"], 0), format_number(row["usual"], 0)
        top = f"{row['service']}, whose {row['metric']} is {value} against a usual {usual}"
    return {
        "week": describe_period(brief.week), "week_end": f"{brief.week_end:%d %B %Y}",
        "as_of": f"{data.as_of:%d %B %Y}", "backlog": backlog, "backlog_change": change,
        "opened": opened_in_week(data.requests, brief),
        "open_now": int((data.requests["status"] == "open").sum()),
        "exceptions": len(exceptions), "exception_types": exception_types(data),
        "types": int(data.requests["service_code"].nunique()),
        "top_exception": top,
    }


# --- the exercises -----------------------------------------------------------------------

PURPOSE = Exercise(
    id="1.5.1",
    title="What a stat meeting is for",
    question="What is a stat meeting (CitiStat, PerformanceStat) for?",
    kind=Choice(options=(
        ("A", "To hold department heads to account in public, so that poor performers feel "
              "the pressure."),
        ("B", "Regular, frequent meetings where the leadership team looks at current "
              "performance against targets, agrees what to do about it, and follows up on "
              "earlier commitments."),
        ("C", "To present the monthly dashboard to the mayor."),
        ("D", "To review every figure the city collects, so that nothing is missed."),
    )),
    expected=always("B"),  # the concept is the same in every city; the messages use its data
    facts=_facts,
    widget=Buttons(),
    start="Choose an answer; the feedback appears here.",
    right="Robert Behn calls it a leadership strategy, not a system: regular meetings that "
          "analyse current data, give feedback against targets and follow up on commitments. "
          "{city}'s brief for {week} gives such a meeting its agenda.",
    why="The meeting is where data turns into decisions and decisions turn into commitments "
        "someone answers for. Without the follow-up it is only a report.",
    next_step="Think about what happens after the meeting, not only during it.",
    mistakes=(
        Mistake("a beat-down session", always("A"),
                "That is how such meetings fail: Baltimore suspended its ComStat in 2010 as a "
                "\"beat-down session\". Pressure without problem-solving teaches managers to "
                "hide bad news."),
        Mistake("a report, not a routine", always("C"),
                "A dashboard shows the numbers; a stat meeting decides what to do about them "
                "and checks back on what was promised. Without follow-up it is a report."),
        Mistake("everything, every week", always("D"),
                "A meeting that reviews everything decides nothing. The brief puts the "
                "exceptions first ({exceptions} this week in {city}) so the time goes to real "
                "changes."),
    ),
    hints=(
        HintTier("Think of the meeting as a routine that repeats: what happens between one "
                 "meeting and the next?"),
        HintTier("Behn's definition has three parts: look at current data, compare it with "
                 "targets, follow up on earlier commitments."),
        HintTier("Look for the option that includes following up."),
    ),
)

ROUTINE_SLIPS = Exercise(
    id="1.5.2",
    title="When the routine slips",
    question="Two years in, {city}'s stat meeting is slipping: the analyst who prepared the "
             "brief has left, briefs go out late or not at all, and a third of the meetings "
             "are cancelled. What should the city manager do first?",
    kind=Choice(options=(
        ("A", "Replace the meeting with a public dashboard: the data speaks for itself."),
        ("B", "Restore the routine: name who prepares the brief, fix the meetings in the "
              "calendar, and open each one with the follow-ups from the last."),
        ("C", "Meet only when a number looks bad."),
        ("D", "Add more figures, so that every department has something to show."),
    )),
    expected=always("B"),
    facts=_facts,
    widget=Buttons(),
    start="Choose an answer; the feedback appears here.",
    right="This is what happened to Baltimore's CitiStat in 2014: it lost its analysts, "
          "published no reports and cancelled a third of its meetings. The routine is the "
          "product: protect the people and the calendar that keep it going.",
    why="A stat meeting lives on relentless follow-up. Once the brief stops arriving and "
        "meetings are cancelled, commitments go unchecked and the meeting loses its point.",
    next_step="Which option keeps the three things a stat meeting needs: data prepared, a "
              "regular meeting, and follow-up?",
    mistakes=(
        Mistake("a dashboard instead of a meeting", always("A"),
                "A dashboard is worth publishing, but nobody answers to it: no one commits to "
                "anything and no one checks back."),
        Mistake("only when something looks bad", always("C"),
                "Meeting only in a crisis turns the meeting into a punishment, and leaves no "
                "routine in which to follow up on commitments."),
        Mistake("more figures", always("D"),
                "More figures make the brief longer, not the routine stronger. The brief "
                "already lists {exceptions} exceptions for {week}; the problem is who prepares "
                "it and whether anyone meets."),
    ),
    hints=(
        HintTier("What has actually broken here: the data, or the routine around it?"),
        HintTier("A stat meeting needs someone to prepare the data, a regular meeting, and "
                 "follow-up on what was promised."),
        HintTier("Look for the option that repairs all three."),
    ),
)

BACKLOG = Exercise(
    id="1.5.3",
    title="The backlog at the end of the week",
    question="How many requests were still open at the end of the brief's week (its last "
             "moment is brief.week_end)? Count the requests opened by then that had not "
             "closed by then.",
    kind=Number(relative=0.005, unit="requests"),  # an exact count: 0.5% accepts a request
    # or two counted at the stroke of midnight, not any of the mistakes below.
    expected=backlog_at_week_end,
    facts=_facts,
    right="{backlog:,} requests were open at the end of {week}{backlog_change}.",
    why="The backlog is the work waiting. When requests arrive faster than crews close them, "
        "it shows here weeks before residents complain.",
    next_step="A request is in the backlog at a moment when it was opened by then and had "
              "not closed by then.",
    mistakes=(
        Mistake("requests opened that week", lambda data: opened_in_week(
                    data.requests, city_brief(data)),
                "{given} is the number of requests opened during the week. The backlog counts "
                "every request still open at the week's end, however old."),
        Mistake("open when the data was extracted",
                lambda data: int((data.requests["status"] == "open").sum()),
                "{given} is the number of requests open when the data was extracted ({as_of}), "
                "after the week ended. Count those open at the week's end.",
                "Compare the dates with brief.week_end instead of using the status column."),
        Mistake("only the week's own requests", _new_and_still_open,
                "{given} counts only requests opened during the week. Older requests still "
                "open at its end are part of the backlog too."),
    ),
    hints=(
        HintTier("Two conditions: opened by the end of the week, and not closed by then."),
        HintTier("requests[\"requested_datetime\"] <= brief.week_end is True for requests opened "
                 "by then. A request still open has no closed date, so closed_datetime <= "
                 "brief.week_end is False for it: put ~ in front to turn 'closed by then' into "
                 "'not closed by then'. Combine with & and count with .sum()."),
        HintTier("In three lines:",
                 'opened = requests["requested_datetime"] <= brief.week_end\n'
                 'closed = requests["closed_datetime"] <= brief.week_end\n'
                 "answer = (opened & ~closed).sum()"),
    ),
)

EXCEPTION_TYPES = Exercise(
    id="1.5.4",
    title="How many request types need attention",
    question="How many different request types are on the brief's list of exceptions "
             "(brief.exceptions)?",
    kind=Number(absolute=0.5, unit="request types"),  # a whole number: exact
    expected=exception_types,
    facts=_facts,
    right="{exception_types} of {city}'s {types} request types got worse beyond their usual "
          "range in the last four weeks.",
    why="The list is the meeting's agenda: control-chart signals, not every dip. When it is "
        "long, ask whether one cause sits behind several lines (a backlog creeping up across "
        "many types points to capacity, not to one service).",
    next_step="The exceptions table has one row per signal; count the request types, not "
              "the rows.",
    mistakes=(
        Mistake("rows, not request types", lambda data: len(city_brief(data).exceptions),
                "{given} is the number of rows. A request type can be listed twice, once for "
                "its on-time share and once for its backlog.",
                "Count the distinct values of the service_code (or service) column."),
        Mistake("every request type", lambda data: int(data.requests["service_code"].nunique()),
                "{given} is every request type in the data, not only the ones on the list."),
    ),
    hints=(
        HintTier("Look at the table brief.exceptions: which column names the request type?"),
        HintTier("A type can appear in two rows. .nunique() counts the distinct values of a "
                 "column."),
        HintTier("In one line:", 'answer = brief.exceptions["service_code"].nunique()'),
    ),
)

NOT_A_SIGNAL = Exercise(
    id="1.5.5",
    title="A dip that is not a signal",
    question="A council member points out that one request type's on-time share fell five "
             "points this week, but it is not on {city}'s list of exceptions. What should the "
             "meeting do with it?",
    kind=Choice(options=(
        ("A", "Note it and move on: a fall within the usual ups and downs is noise, and if it "
              "keeps falling the control chart will flag it."),
        ("B", "Ask the department to explain the fall at this meeting."),
        ("C", "Add it to the exceptions by hand, to be safe."),
        ("D", "Lower that type's target, so that it is met again."),
    )),
    expected=always("A"),
    facts=_facts,
    widget=Buttons(),
    start="Choose an answer; the feedback appears here.",
    right="Every week some request types dip by chance. The brief lists {exceptions} real "
          "signals for {week}; that is where the meeting's time goes.",
    why="Asking for explanations of noise invites stories that are not true and teaches "
        "departments that the meeting is about blame. A run of small falls is a signal too, "
        "and the control chart catches it.",
    next_step="What separates an exception from an ordinary dip on a control chart?",
    mistakes=(
        Mistake("explaining noise", always("B"),
                "Asking for an explanation of every dip invites made-up causes and takes time "
                "from the {exceptions} exceptions that are real signals."),
        Mistake("everything is an exception", always("C"),
                "An exceptions list that takes every dip is no list at all: the meeting then "
                "chases noise."),
        Mistake("moving the target", always("D"),
                "A target is a commitment, not a thermometer: lowering it after one bad week "
                "makes it meaningless."),
    ),
    hints=(
        HintTier("Think back to the control charts of page 1.3: what counts as a signal?"),
        HintTier("A point inside the limits, with no run of points on one side, is the usual "
                 "ups and downs."),
        HintTier("Pick the option that leaves noise alone but keeps watching."),
    ),
)

GOOD_FOLLOW_UP = Exercise(
    id="1.5.6",
    title="A follow-up that can be followed up",
    question="Take the first exception on {city}'s brief ({top_exception}). Which "
             "commitment is written so that the next meeting can follow it up?",
    kind=Choice(options=(
        ("A", "Look into it."),
        ("B", "The department responsible, named, finds the cause and brings a plan with a "
              "date to bring it back within its usual range, by the next meeting."),
        ("C", "Everyone will try harder on this request type."),
        ("D", "The department should be more careful."),
    )),
    expected=always("B"),
    facts=_facts,
    widget=Buttons(),
    start="Choose an answer; the feedback appears here.",
    right="A commitment the next meeting can check has three parts: what will be done, who "
          "owns it, and by when. The tracker on page 1.5 keeps all three.",
    why="Relentless follow-up is the fourth of CitiStat's tenets. A commitment without an "
        "owner and a date cannot be followed up, so it quietly disappears.",
    next_step="What will the next meeting need to know to check on it?",
    mistakes=(
        Mistake("no owner, no date", always("A"),
                "At the next meeting nobody will know who was to report, on what, or when."),
        Mistake("everyone owns it", always("C"),
                "When everyone owns a commitment, no one does; and 'trying harder' cannot be "
                "checked."),
        Mistake("blame, not action", always("D"),
                "That is a reprimand, not a commitment: it names no action and no date, and "
                "teaches departments to hide problems."),
    ),
    hints=(
        HintTier("Imagine the next meeting: what would it need to ask about this commitment?"),
        HintTier("Who will do it, what exactly, and by when."),
        HintTier("Only one option names an owner, an action and a date."),
    ),
)

YOUR_MEETING = Exercise(
    id="1.5.7",
    title="Your own stat meeting",
    question="Which three figures would you bring to {city}'s next stat meeting, and who would "
             "own each one? Write two or three sentences.",
    kind=Reflection(),
    expected=always(None),
    facts=_facts,
    widget=TextBox(placeholder="Write two or three sentences, then press Save."),
    start="Write your sentences in the box and press Save.",
    right="",
    why="",
    next_step="",
    hints=(
        HintTier("Start from the city's priorities and from this week's brief: {exceptions} "
                 "exceptions, and {backlog:,} requests open at the end of the week."),
        HintTier("For each figure, name the person (a role) who would answer for it in the "
                 "meeting."),
        HintTier("One way to start: \"I would bring ..., owned by ...; ..., owned by ...; and "
                 "..., because ...\""),
    ),
)

EXERCISES = (PURPOSE, ROUTINE_SLIPS, BACKLOG, EXCEPTION_TYPES, NOT_A_SIGNAL, GOOD_FOLLOW_UP,
             YOUR_MEETING)
