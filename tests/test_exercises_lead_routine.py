"""Exercises 1.5 checked three ways: the solution passes, ``...`` is "not started", and each
known wrong answer gets its own message.

Benchville (tests/lead_fixtures.py) is small enough to count by hand; the comment beside
each figure says how. Riverbend's backlog is recomputed with plain pandas, written
independently of cda_lib, to show the code exercises on a realistic city.
"""

from __future__ import annotations

import pytest
from lead_fixtures import routine_data
from widget_answers import answer_by_widget, recording_session, slider_bounds, untouched_status

from cda_lib.data import load_city_data
from cda_lib.exercises import Exercises
from cda_lib.exercises.catalog import exercise_set
from cda_lib.exercises.feedback import CORRECT, NOT_STARTED, NOT_YET, SAVED
from cda_lib.themes.lead.brief import brief_for_city

EXERCISES = exercise_set("1.5").exercises


@pytest.fixture(scope="module")
def benchville():
    return Exercises(routine_data(), record=False)


RIGHT_ANSWERS = {
    "1.5.1": "B",  # look at data against targets, decide, follow up
    "1.5.2": "B",  # restore the routine
    # At the end of 28 December: the 30 weekly curb repairs (never closed) and the 20 alley
    # cleanings of that week that take 9 days; every other request had closed.
    "1.5.3": 50,
    # Alley cleaning only: its on-time share (20 of 40 against 36 of 40) and its backlog
    # growth (+20 in the week of 1 December, when the slow cleanings start, against 0 in every
    # week before). Curb repair's backlog grows by one every week, its usual growth: no signal.
    "1.5.4": 1,
    "1.5.5": "A",  # leave noise alone, keep watching
    "1.5.6": "B",  # an owner, an action and a date
    "1.5.7": "Backlog, owned by Public Works; on-time repairs, owned by the streets chief.",
}


def test_every_exercise_has_a_right_answer_here():
    assert set(RIGHT_ANSWERS) == {exercise.id for exercise in EXERCISES}


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_the_solution_passes(benchville, exercise_id):
    feedback = benchville.check(exercise_id, RIGHT_ANSWERS[exercise_id])
    assert feedback.status == (SAVED if exercise_id == "1.5.7" else CORRECT), feedback


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_an_untouched_answer_is_not_started(benchville, exercise_id):
    feedback = benchville.check(exercise_id, ...)
    assert feedback.status == NOT_STARTED and "Not started yet" in str(feedback)


KNOWN_MISTAKES = [
    ("1.5.1", "A", "a beat-down session", "beat-down session"),
    ("1.5.1", "C", "a report, not a routine", "Without follow-up it is a report"),
    ("1.5.1", "D", "everything, every week", "2 this week in Handcount"),
    ("1.5.2", "A", "a dashboard instead of a meeting", "nobody answers to it"),
    ("1.5.2", "C", "only when something looks bad", "punishment"),
    ("1.5.2", "D", "more figures", "already lists 2 exceptions"),
    # Opened in the week: 40 alley cleanings, 40 broken benches, 10 dog waste, 1 curb repair.
    ("1.5.3", 91, "requests opened that week", "opened during the week"),
    # Open at the extract: 30 weekly curb repairs, 3 more that Monday, and the last week's 20
    # slow alley cleanings, which close only on 31 December.
    ("1.5.3", 53, "open when the data was extracted", "29 December 2025"),
    ("1.5.3", 21, "only the week's own requests", "Older requests still"),  # 20 + 1
    ("1.5.4", 2, "rows, not request types", "number of rows"),  # alley cleaning twice
    ("1.5.4", 4, "every request type", "every request type in the data"),  # A, B, C and D
    ("1.5.5", "B", "explaining noise", "made-up causes"),
    ("1.5.5", "C", "everything is an exception", "chases noise"),
    ("1.5.5", "D", "moving the target", "not a thermometer"),
    ("1.5.6", "A", "no owner, no date", "nobody will know"),
    ("1.5.6", "C", "everyone owns it", "no one does"),
    ("1.5.6", "D", "blame, not action", "reprimand"),
]


@pytest.mark.parametrize(("exercise_id", "answer", "mistake", "words"), KNOWN_MISTAKES,
                         ids=[f"{m[0]}-{m[2]}" for m in KNOWN_MISTAKES])
def test_a_known_wrong_answer_gets_its_own_message(benchville, exercise_id, answer, mistake,
                                                    words):
    feedback = benchville.check(exercise_id, answer)
    assert feedback.status == NOT_YET
    assert feedback.mistake == mistake, feedback
    assert words in feedback.message, feedback


def test_every_mistake_of_every_exercise_is_tested():
    tested = {(exercise_id, mistake) for exercise_id, _, mistake, _ in KNOWN_MISTAKES}
    defined = {(e.id, m.name) for e in EXERCISES for m in e.mistakes}
    assert defined == tested


def test_the_right_messages_use_the_citys_brief(benchville):
    backlog = benchville.check("1.5.3", 50).message
    # Four weeks earlier (the week of 24 November) 26 curb repairs were open and no alley
    # cleaning: 50 - 26 = +24.
    assert backlog == ("50 requests were open at the end of the week of 22 Dec 2025, +24 on "
                       "four weeks before.")
    assert benchville.check("1.5.4", 1).message.startswith(
        "1 of Handcount's 4 request types got worse")
    # The latest exception comes first: alley cleaning's on-time share in the last week.
    assert "(Alley cleaning, whose on-time share is 50% against a usual 90%)" in \
        benchville.question("1.5.6")
    # Six series were checked (A and B on-time share; A, B, C and D backlog growth): about
    # 6 x 0.04 = 0.24, written 0.2, could be chance.
    assert ("The brief lists 2 exceptions for the week of 22 Dec 2025, of which about 0.2 "
            "could be chance too") in benchville.check("1.5.5", "A").message


def test_a_number_given_as_text_is_explained_not_judged(benchville):
    feedback = benchville.check("1.5.3", "50")
    assert feedback.status == NOT_YET and "text in quotes" in feedback.message


# --- Riverbend, recomputed with plain pandas --------------------------------------------------


@pytest.mark.slow
def test_riverbend_solutions_pass_and_untouched_answers_are_not_started():
    data = load_city_data("riverbend")
    riverbend = Exercises(data, record=False)
    requests = data.requests
    brief = brief_for_city(data)
    # The last full week before the extract (Wednesday 31 December 2025) ends on Sunday 28th.
    assert str(brief.week_end) == "2025-12-28 23:59:59"
    end = brief.week_end
    opened = requests["requested_datetime"] <= end
    still_open = requests["closed_datetime"].isna() | (requests["closed_datetime"] > end)
    assert riverbend.check("1.5.3", int((opened & still_open).sum())).status == CORRECT
    types = brief.exceptions["service"].nunique()
    assert riverbend.check("1.5.4", types).status == CORRECT
    for exercise in EXERCISES:
        assert riverbend.check(exercise.id, ...).status == NOT_STARTED


# --- the no-code forms, on Benchville -----------------------------------------------------

WIDGET_ANSWERS = {
    "1.5.3": (50, 91, "requests opened that week"),  # as in RIGHT_ANSWERS and KNOWN_MISTAKES
    "1.5.4": (1, 2, "rows, not request types"),  # alley cleaning, listed twice
}


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    return recording_session(routine_data(), tmp_path_factory.mktemp("widgets"))


@pytest.mark.parametrize("exercise_id", list(WIDGET_ANSWERS))
def test_the_no_code_form_is_right_wrong_or_not_started(recorded, exercise_id):
    right, wrong, mistake = WIDGET_ANSWERS[exercise_id]
    assert untouched_status(recorded, exercise_id) == NOT_STARTED
    assert answer_by_widget(recorded, exercise_id, right) == (CORRECT, "")
    assert answer_by_widget(recorded, exercise_id, wrong) == (NOT_YET, mistake)


def test_the_page_shows_the_inputs_of_the_no_code_forms(benchville):
    assert slider_bounds(benchville, "1.5.4") == (0, 4, 1)  # 4 request types in the data
    table = benchville.inputs("1.5.3")
    opened, closed = (int(text.replace(",", "")) for text in table.to_frame()["Number"])
    assert opened - closed == 50  # the backlog: opened by then, less those closed by then
    assert "28 Dec 2025" in table.caption
