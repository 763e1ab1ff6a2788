"""Exercises 3.3 checked three ways on Fairfield (tests/equity_fixtures.py) over two years:
the solution passes, ``...`` is "not started", and each known wrong answer gets its own
message.

Over 24 months (January 2024 to December 2025) the counts are those of tests/test_equity.py,
so every rate is half as large: Amber 20 / 1,000 × 1,000 / 2 = 10 per 1,000 a year. The
on-time shares do not depend on the period: 8/20 = 40% in Amber, 20/30 = 67% in Birch, ratio
0.60 with 95% interval 0.33 to 1.09, which includes 1. Amber has the most residents without
internet (30%); 15 of its 20 requests came by phone: 0.75.
"""

from __future__ import annotations

import pytest
from equity_fixtures import equity_data

from cda_lib.exercises import Exercises
from cda_lib.exercises.catalog import exercise_set
from cda_lib.exercises.feedback import CORRECT, NOT_STARTED, NOT_YET

EXERCISES = exercise_set("3.3").exercises


@pytest.fixture(scope="module")
def fairfield():
    return Exercises(equity_data(months=24), record=False)


RIGHT_ANSWERS = {"3.3.1": 10, "3.3.2": 0.60, "3.3.3": "B", "3.3.4": 0.75, "3.3.5": "B"}


def test_every_exercise_of_the_set_has_a_right_answer_here():
    assert set(RIGHT_ANSWERS) == {exercise.id for exercise in EXERCISES}
    assert len(EXERCISES) >= 5


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_the_solution_passes(fairfield, exercise_id):
    feedback = fairfield.check(exercise_id, RIGHT_ANSWERS[exercise_id])
    assert feedback.status == CORRECT, feedback


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_an_untouched_answer_is_not_started(fairfield, exercise_id):
    feedback = fairfield.check(exercise_id, ...)
    assert feedback.status == NOT_STARTED and "Not started yet" in str(feedback)


KNOWN_MISTAKES = [
    ("3.3.1", 20, "not divided by the years", "Divide it by the 2.00 years"),
    ("3.3.2", 1 / 0.6, "the wrong way round", "divides the second share by the first"),
    ("3.3.5", "A", "a cause claimed", "not its cause"),
    ("3.3.5", "C", "volume read as need", "who calls as well as need"),
]


@pytest.mark.parametrize(("exercise_id", "answer", "mistake", "words"), KNOWN_MISTAKES,
                         ids=[f"{m[0]}-{m[2]}" for m in KNOWN_MISTAKES])
def test_a_known_wrong_answer_gets_its_own_message(fairfield, exercise_id, answer, mistake,
                                                    words):
    feedback = fairfield.check(exercise_id, answer)
    assert feedback.status == NOT_YET
    assert feedback.mistake == mistake, feedback
    assert words in feedback.message, feedback


def test_every_mistake_of_the_set_is_tested():
    tested = {(exercise_id, mistake) for exercise_id, _, mistake, _ in KNOWN_MISTAKES}
    defined = {(e.id, m.name) for e in EXERCISES for m in e.mistakes}
    assert defined - tested == set()


def test_a_wrong_choice_is_not_yet(fairfield):
    assert fairfield.check("3.3.3", "A").status == NOT_YET


def test_the_questions_and_feedback_name_the_citys_own_figures(fairfield):
    assert fairfield.question("3.3.1").startswith(
        "Amber made 20 requests of the compared types in 2.00 years of data, and has 1,000 "
        "residents.")
    assert fairfield.check("3.3.1", 10).message == (
        "20 ÷ 1,000 × 1,000 ÷ 2.00 = 10 requests per 1,000 residents a year in Amber.")
    assert fairfield.check("3.3.2", 0.6).message == (
        "40% ÷ 67% = 0.60: requests in the districts with more low-income households were "
        "closed on time 0.60 times as often (95% interval 0.33 to 1.09).")
    assert fairfield.check("3.3.4", 0.75).message == (
        "75% of Amber's requests came in by phone, against 50% across the city.")
