"""Exercises 3.4 checked three ways on Handcount's 44 requests (tests/communicate_fixtures.py):
the solution passes, ``...`` is "not started", and each known wrong answer gets its own
message. The facts are the figures worked out there: Pothole repair 20 of 40 (50%), 1.7 times
Streetlight out's 12; median 2.0 days. The palette contrasts are those of tests/
test_communicate.py: the grey #949494 at 3.0:1, the rainbow's yellow 1.1:1 and the palest
pastel (#98DF8A: luminance 0.2126 x 0.314 + 0.7152 x 0.738 + 0.0722 x 0.254 = 0.613, and
1.05 / 0.663 = 1.58) 1.6:1.
"""

from __future__ import annotations

import pytest
from communicate_fixtures import plain_data

from cda_lib.exercises import Exercises
from cda_lib.exercises.catalog import exercise_set
from cda_lib.exercises.feedback import CORRECT, NOT_STARTED, NOT_YET, SAVED

EXERCISES = exercise_set("3.4").exercises
RIGHT_ANSWERS = {"3.4.1": "B", "3.4.2": "C", "3.4.3": "A", "3.4.5": "C"}
PLAIN = "We fixed the hole in the road on Main Street. Thank you for all the calls you made to us."


@pytest.fixture(scope="module")
def plainview():
    return Exercises(plain_data(), record=False)


def test_every_exercise_of_the_set_is_tested_here():
    assert set(RIGHT_ANSWERS) | {"3.4.4"} == {exercise.id for exercise in EXERCISES}
    assert 5 <= len(EXERCISES) <= 7


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_the_solution_passes(plainview, exercise_id):
    feedback = plainview.check(exercise_id, RIGHT_ANSWERS[exercise_id])
    assert feedback.status == CORRECT, feedback


@pytest.mark.parametrize("exercise_id", [*RIGHT_ANSWERS, "3.4.4"])
def test_an_untouched_answer_is_not_started(plainview, exercise_id):
    feedback = plainview.check(exercise_id, ...)
    assert feedback.status == NOT_STARTED and "Not started yet" in str(feedback)


KNOWN_MISTAKES = [
    ("3.4.1", "A", "a topic, not a finding", "names the topic"),
    ("3.4.1", "C", "a description of the chart", "says what is drawn"),
    ("3.4.2", "A", "bright is not contrast", "yellow is 1.1:1"),
    ("3.4.2", "B", "pale colours", "the palest is 1.6:1"),
    ("3.4.3", "B", "written for staff", "for staff"),
    ("3.4.3", "C", "written for the council", "for the council"),
    ("3.4.5", "A", "a file name", "A file name tells a listener nothing"),
    ("3.4.5", "B", "only the kind of chart", "not what it shows"),
]


@pytest.mark.parametrize(("exercise_id", "answer", "mistake", "words"), KNOWN_MISTAKES,
                         ids=[f"{m[0]}-{m[2]}" for m in KNOWN_MISTAKES])
def test_a_known_wrong_answer_gets_its_own_message(plainview, exercise_id, answer, mistake,
                                                    words):
    feedback = plainview.check(exercise_id, answer)
    assert feedback.status == NOT_YET
    assert feedback.mistake == mistake, feedback
    assert words in feedback.message, feedback


def test_every_mistake_of_the_set_is_tested():
    tested = {(exercise_id, mistake) for exercise_id, _, mistake, _ in KNOWN_MISTAKES}
    defined = {(e.id, m.name) for e in EXERCISES for m in e.mistakes}
    assert defined - tested == set()


def test_the_questions_and_feedback_name_the_citys_own_figures(plainview):
    assert plainview.question("3.4.1").startswith(
        "In Handcount, Pothole repair is the most common request: 50% of the 40 requests of "
        "the 12 months up to 31 Dec 2025.")
    right = str(plainview.check("3.4.1", "B"))
    assert ('"Pothole repair is the most common request: 50% of all requests, 1.7 times the '
            'next type"') in right
    assert "the grey, at 3.0:1" in str(plainview.check("3.4.2", "C"))
    assert "2.0 days" in plainview.question("3.4.4")
    assert "Pothole repair 20 (50%)" in str(plainview.check("3.4.5", "C"))


def test_the_rewrite_is_saved_with_its_readability_never_graded(plainview):
    feedback = plainview.check("3.4.4", PLAIN)
    assert feedback.status == SAVED
    # 20 one-syllable words in 2 sentences: grade 0.39 x 10 + 11.8 - 15.59 = 0.1
    assert "Flesch–Kincaid grade: 0.1, at or below the target of grade 8." in feedback.message
    # tests/test_communicate.py's 26-word sentence of long words: above grade 8
    hard = plainview.check("3.4.4", (
        "The municipality's administration communicated comprehensive information regarding "
        "infrastructure maintenance, prioritization methodologies and operational performance "
        "indicators to stakeholders, residents, departments, councillors and community "
        "organizations throughout the jurisdiction."))
    assert hard.status == SAVED and "above the target of grade 8" in hard.message
    assert "split the longest" in hard.message

