"""Exercises 2.1 checked three ways: the solution passes, ``...`` is "not started", and each
known wrong answer gets its own message.

Expected figures come from Handcount's three-member team (tests/maturity_fixtures.py, where
every average and spread is worked out by hand), recorded in its workspace as the form
would. The team's averages: governance 3.67, quality 4.17, use 3.83, capacity 3.00,
transparency 2.67; spreads 1.5, 0.5, 0.5, 2.0, 0.5. What Works Cities: 4 of the 7 criteria
met (Data governance 4.33, Improving Data Quality 4.00, Performance and Analytics 4.33, Open
Data 4.33; not DG1 3.00, Rigorous Evaluations 3.33, Stakeholder Engagement 1.00).
"""

from __future__ import annotations

import pytest
from exercise_fixtures import hand_counted_data
from maturity_fixtures import record_hand_answers

from cda_lib.exercises import Exercises
from cda_lib.exercises.catalog import exercise_set
from cda_lib.exercises.feedback import CORRECT, NOT_STARTED, NOT_YET, SAVED

EXERCISES = exercise_set("2.1").exercises


@pytest.fixture(scope="module")
def handcount(tmp_path_factory):
    folder = tmp_path_factory.mktemp("maturity-build")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CDA_BUILD_DIR", str(folder))
        record_hand_answers(folder)
        yield Exercises(hand_counted_data(), record=False)


RIGHT_ANSWERS = {
    # governance: (13/3 + 9/3) / 2 = 22/6 = 3.67, written 3.7
    "2.1.1": 3.7,
    # capacity: Ana 2.0, Ben 4.0, a spread of 2.0, wider than governance's 1.5
    "2.1.2": "D",
    # Data governance, Improving Data Quality, Performance and Analytics, Open Data
    "2.1.3": 4,
    # 4 / 7 = 57%: Silver is 51% to 67%
    "2.1.4": "B",
    # Gold needs 68% of 7 = 4.76, so 5 criteria: 1 more than 4
    "2.1.5": 1,
    "2.1.6": "Capacity first: I would ask Ana and Ben which teams they had in mind.",
}


def test_every_exercise_of_the_set_has_a_right_answer_here():
    assert set(RIGHT_ANSWERS) == {exercise.id for exercise in EXERCISES}


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_the_solution_passes(handcount, exercise_id):
    feedback = handcount.check(exercise_id, RIGHT_ANSWERS[exercise_id])
    assert feedback.status == (SAVED if exercise_id == "2.1.6" else CORRECT), feedback


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_an_untouched_answer_is_not_started(handcount, exercise_id):
    feedback = handcount.check(exercise_id, ...)
    assert feedback.status == NOT_STARTED and "Not started yet" in str(feedback)


KNOWN_MISTAKES = [
    # Ben, the first member: (4 + 2) / 2 = 3.0
    ("2.1.1", 3.0, "one member only", "one member's view"),
    # every statement: (13 + 9 + 12 + 13 + 13 + 10 + 12 + 6 + 13 + 3) / 3 / 10 = 104 / 30 = 3.47
    ("2.1.1", 3.5, "every statement", "whole questionnaire"),
    # transparency's 2.67 is the lowest average, but its spread is only 0.5
    ("2.1.2", "E", "the weakest component", "lowest team average"),
    # quality, use and transparency share the narrowest spread, 0.5: quality comes first
    ("2.1.2", "B", "the narrowest spread", "agree most"),
    # statements with a criterion at 4 or more: committee, audit, standards, decisions,
    # open data: 5 (the two quality statements are one criterion)
    ("2.1.3", 5, "statements counted, not criteria", "Improving Data Quality"),
    # criteria at 3 or more: the four met, DG1 (3.00) and Rigorous Evaluations (3.33): 6
    ("2.1.3", 6, "level 3 counted as met", "met at 4"),
    # 4 / 43 = 9%: no tier
    ("2.1.4", "A", "share of all 43", "divide by 7"),
    ("2.1.4", "C", "the next tier", "next tier up"),
    # Gold needs 5 in all
    ("2.1.5", 5, "the total, not how many more", "Take away the 4 already met"),
    # Platinum needs 85% of 7 = 5.95, so 6: 2 more
    ("2.1.5", 2, "all the way to Platinum", "gap to Platinum"),
]


@pytest.mark.parametrize(("exercise_id", "answer", "mistake", "words"), KNOWN_MISTAKES,
                         ids=[f"{m[0]}-{m[2]}-{m[1]}" for m in KNOWN_MISTAKES])
def test_a_known_wrong_answer_gets_its_own_message(handcount, exercise_id, answer, mistake,
                                                    words):
    feedback = handcount.check(exercise_id, answer)
    assert feedback.status == NOT_YET
    assert feedback.mistake == mistake, feedback
    assert words in feedback.message, feedback


def test_every_mistake_of_the_set_is_tested():
    tested = {(exercise_id, mistake) for exercise_id, _, mistake, _ in KNOWN_MISTAKES}
    defined = {(e.id, m.name) for e in EXERCISES for m in e.mistakes}
    assert defined - tested == set()


def test_the_feedback_names_the_teams_own_figures(handcount):
    assert handcount.check("2.1.1", 3.7).message == (
        "The team's averages on the two governance statements are 4.3 and 3.0; their average "
        "is 3.7, for the 3 members who answered.")
    assert handcount.check("2.1.2", "D").message == (
        "Members disagree most on capacity, a spread of 2.0: on capacity, their averages run "
        "from 2.0 to 4.0.")
    assert handcount.check("2.1.3", 4).message == (
        "Criteria met: 4 of the 7 (57%), Data governance, Improving Data Quality, "
        "Performance and Analytics and Open Data.")
    assert handcount.check("2.1.4", "B").message == (
        "4 of 7 is 57%: Silver, in the workbook's approximation.")
    assert handcount.check("2.1.5", 1).message == (
        "1 more criterion: Gold needs 5 of 7, and the answers meet 4.")
    assert handcount.question("2.1.3").endswith(
        "How many of the 7 What Works Cities criteria do your team's answers meet?")


def test_the_sliders_run_over_what_the_answer_can_be(handcount):
    assert (handcount.widget("2.1.1").control.min, handcount.widget("2.1.1").control.max) == \
        (1, 5)
    assert handcount.widget("2.1.3").control.max == 7
    widget = handcount.widget("2.1.5")
    widget.control.value = 1
    assert "Right." in widget.feedback.value


def test_a_hint_comes_one_tier_at_a_time(handcount):
    assert handcount.hint("2.1.3").tier == 1
    assert handcount.hint("2.1.3").tier == 2
    assert handcount.hint("2.1.3").tier == 3
