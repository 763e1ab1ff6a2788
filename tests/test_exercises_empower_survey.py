"""Exercises 3.2 checked three ways: the solution passes, ``...`` is "not started", and each
known wrong answer gets its own message. The survey and its results are the hand-made ones of
``survey_fixtures.py``, with every expected figure worked out there and beside each answer."""

from __future__ import annotations

import pytest
from exercise_fixtures import hand_counted_data
from survey_fixtures import HAND_RESULTS, hand_survey

from cda_lib.exercises import Exercises
from cda_lib.exercises.catalog import exercise_set
from cda_lib.exercises.feedback import CORRECT, NOT_STARTED, NOT_YET
from cda_lib.themes.empower.exercises import survey as functions

EXERCISES = exercise_set("3.2").exercises


@pytest.fixture(scope="module")
def handcount():
    patch = pytest.MonkeyPatch()
    patch.setattr(functions, "survey_of", lambda data: hand_survey())
    patch.setattr(functions, "results_of", lambda data: HAND_RESULTS)
    yield Exercises(hand_counted_data(), record=False)
    patch.undo()


RIGHT_ANSWERS = {
    "3.2.1": "C",  # 65 and over: 40/70 of the sample against 20/100 of the city (ratio 2.86)
    "3.2.2": 320,  # 400 ÷ 1.25
    "3.2.3": 5.26,  # 1.96 × √(0.64 × 0.36 ÷ 320) × 100 = 5.259
    "3.2.4": "A",  # raw 70% against 64% weighted: 6 points above, more than the 5.3 margin
    "3.2.5": 1,  # South, with 8 respondents (North has 62)
}


def test_every_exercise_of_the_set_has_a_right_answer_here():
    assert set(RIGHT_ANSWERS) == {exercise.id for exercise in EXERCISES}
    assert len(EXERCISES) >= 5


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_the_solution_passes(handcount, exercise_id):
    feedback = handcount.check(exercise_id, RIGHT_ANSWERS[exercise_id])
    assert feedback.status == CORRECT, feedback


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_an_untouched_answer_is_not_started(handcount, exercise_id):
    feedback = handcount.check(exercise_id, ...)
    assert feedback.status == NOT_STARTED and "Not started yet" in str(feedback)


KNOWN_MISTAKES = [
    ("3.2.1", "A", "answered least readily"),  # 18 to 39: 10/70 against 50/100, ratio 0.29
    ("3.2.2", 400, "is the number of respondents"),
    ("3.2.2", 500, "multiplies by the design effect"),  # 400 × 1.25
    ("3.2.3", 4.70, "uses every respondent as n"),  # 1.96 × √(0.2304 ÷ 400) × 100 = 4.704
]


@pytest.mark.parametrize("exercise_id, given, message", KNOWN_MISTAKES)
def test_each_known_mistake_gets_its_own_message(handcount, exercise_id, given, message):
    feedback = handcount.check(exercise_id, given)
    assert feedback.status == NOT_YET and message in str(feedback), feedback


def test_a_right_answer_explains_itself(handcount):
    text = str(handcount.check("3.2.2", 320))
    assert "400 ÷ 1.25 = 320" in text
    assert "65 and over: 20% of the city, but 57% of the respondents" in str(
        handcount.check("3.2.1", "C"))


def test_a_wrong_choice_without_a_named_mistake_points_to_the_next_step(handcount):
    feedback = handcount.check("3.2.4", "C")
    assert feedback.status == NOT_YET and "compare it with the margin" in str(feedback)
