"""Exercises 3.5 checked three ways on Clearwater (tests/publish_fixtures.py): the solution
passes, ``...`` is "not started", and each known wrong answer gets its own message.

Worked by hand: the first address whose house number ends in 50 to 99 is "Rua das Flores,
1278 - apto 5" (1234 ends in 34), on block 1200; rounding to the nearest hundred gives
1300, and the house number itself is 1278. 4 of the 5 notes hold personal data: 4 / 5 =
0.80; divided by all 105 requests instead, 4 / 105 = 0.038. The three choices and the
reflection are the same for every city: B (the note with Mrs. Ortiz's phone), A (the 24,
the smallest other count in the 6's row), A (counts from 1 to 10).
"""

from __future__ import annotations

import pytest
from publish_fixtures import publish_data

from cda_lib.exercises import Exercises
from cda_lib.exercises.catalog import exercise_set
from cda_lib.exercises.feedback import CORRECT, NOT_STARTED, NOT_YET, SAVED

EXERCISES = exercise_set("3.5").exercises


@pytest.fixture(scope="module")
def clearwater():
    return Exercises(publish_data(), record=False)


RIGHT_ANSWERS = {"3.5.1": "B", "3.5.2": 1200, "3.5.3": "A", "3.5.4": "A", "3.5.5": 0.80,
                 "3.5.6": "Calls about domestic violence: counts by district only."}


def test_every_exercise_of_the_set_has_a_right_answer_here():
    assert set(RIGHT_ANSWERS) == {exercise.id for exercise in EXERCISES}
    assert 5 <= len(EXERCISES) <= 7


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_the_solution_passes(clearwater, exercise_id):
    feedback = clearwater.check(exercise_id, RIGHT_ANSWERS[exercise_id])
    assert feedback.status == (SAVED if exercise_id == "3.5.6" else CORRECT), feedback


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_an_untouched_answer_is_not_started(clearwater, exercise_id):
    feedback = clearwater.check(exercise_id, ...)
    assert feedback.status == NOT_STARTED and "Not started yet" in str(feedback)


KNOWN_MISTAKES = [
    ("3.5.1", "C", "a date read as personal", "12/03 is a date"),
    ("3.5.1", "D", "a lamp number read as personal", "numbers a streetlight"),
    ("3.5.2", 1300, "rounded to the nearest hundred", "so 1278 is on block 1200"),
    ("3.5.2", 1278, "the house number kept", "is the house number itself"),
    ("3.5.3", "C", "the column, not the row", "61 − 24 − 31 = 6"),
    ("3.5.3", "B", "the total alone", "171 − 110 = 61"),
    ("3.5.3", "D", "one withheld is enough", "gives the withheld count back"),
    ("3.5.4", "B", "11 withheld", "publishes 11"),
    ("3.5.4", "C", "zeros withheld", "points at no one"),
    ("3.5.5", 4 / 105, "a share of all requests", "divides by all 105 requests"),
]


@pytest.mark.parametrize(("exercise_id", "answer", "mistake", "words"), KNOWN_MISTAKES,
                         ids=[f"{m[0]}-{m[2]}" for m in KNOWN_MISTAKES])
def test_a_known_wrong_answer_gets_its_own_message(clearwater, exercise_id, answer, mistake,
                                                    words):
    feedback = clearwater.check(exercise_id, answer)
    assert feedback.status == NOT_YET
    assert feedback.mistake == mistake, feedback
    assert words in feedback.message, feedback


def test_every_mistake_of_the_set_is_tested():
    tested = {(exercise_id, mistake) for exercise_id, _, mistake, _ in KNOWN_MISTAKES}
    defined = {(e.id, m.name) for e in EXERCISES for m in e.mistakes}
    assert defined - tested == set()


def test_the_questions_name_the_citys_own_figures(clearwater):
    assert clearwater.question("3.5.2").startswith(
        "A request in Handcount's data has the address Rua das Flores, 1278 - apto 5.")
    assert clearwater.question("3.5.5").startswith(
        "Page 3.5 scanned 5 notes in Handcount's requests and found personal data in 4 of them.")
    assert "0.800: 80.0% of the notes" in str(clearwater.check("3.5.5", 0.8))


def test_a_grid_address_asks_for_the_cross_street():
    import dataclasses

    import pandas as pd

    data = publish_data()
    requests = data.requests.copy()
    requests["address"] = pd.array(["Carrera 7 # 45-10"] + [None] * (len(requests) - 1),
                                   dtype="string")
    grid = Exercises(dataclasses.replace(data, requests=requests), record=False)
    assert grid.check("3.5.2", 45).status == CORRECT
    assert grid.check("3.5.2", 10).mistake == "the house number kept"


def test_a_city_without_free_text_or_addresses_is_told_so():
    bare = Exercises(publish_data(without=("description", "address")), record=False)
    for exercise_id in ("3.5.2", "3.5.5"):
        assert bare.check(exercise_id, 1).status != CORRECT
    assert bare.check("3.5.1", "B").status == CORRECT
