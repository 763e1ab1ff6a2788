"""Exercises 2.3 checked three ways: the solution passes, ``...`` is "not started", and each
known wrong answer gets its own message, on Handcount's four-person team
(tests/people_fixtures.py, where the ratings are laid out)."""

from __future__ import annotations

import pytest
from people_fixtures import people_data

from cda_lib.exercises import Exercises
from cda_lib.exercises.catalog import exercise_set
from cda_lib.exercises.feedback import CORRECT, NOT_STARTED, NOT_YET, SAVED

EXERCISES = exercise_set("2.3").exercises


@pytest.fixture(scope="module")
def handcount():
    return Exercises(people_data(), record=False)


RIGHT_ANSWERS = {
    # seats minus holders: officer 1 - 0, analysts 2 - 2, engineer 1 - 0, leads 2 - 1,
    # stewards 3 - 1: 1 + 0 + 1 + 1 + 2 = 5
    "2.3.1": 5,
    # Ada Park is most short: analysis 3 - 2, communication 3 - 1, quality 2 - 1 = 1 + 2 + 1
    "2.3.2": 4,
    # the analysts' skill gap, the one with most levels: Ada's 4 × US$4,500
    "2.3.3": 18_000,
    # the first judgement call, the analysts' gap: US$18,000 ≤ US$85,000, but the largest
    # gap, 2 levels × 3 months = 6 months, against 4 months to recruit + 1 to settle in: C
    "2.3.4": "C",
    # signals: Ada under 2 years and paid 60,000 of the analyst market's 110,000 (85,000 ×
    # 1.25 = 106,250, to two figures; 45% below); Ben the only one at 3+ in analysis,
    # engineering and communication; Cleo the only one at 3+ in governance, and 1.2 years;
    # Dev 1.5 years, paid 90,000 of 100,000 (90,000 × 1.15 = 103,500, to two figures; 10%
    # below). Two or more: Ada and Cleo
    "2.3.5": 2,
    "2.3.6": "A career path for analysts first, then a fellowship for the engineer.",
}


def test_every_exercise_of_the_set_has_a_right_answer_here():
    assert set(RIGHT_ANSWERS) == {exercise.id for exercise in EXERCISES}


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_the_solution_passes(handcount, exercise_id):
    feedback = handcount.check(exercise_id, RIGHT_ANSWERS[exercise_id])
    assert feedback.status == (SAVED if exercise_id == "2.3.6" else CORRECT), feedback


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_an_untouched_answer_is_not_started(handcount, exercise_id):
    feedback = handcount.check(exercise_id, ...)
    assert feedback.status == NOT_STARTED and "Not started yet" in str(feedback)


KNOWN_MISTAKES = [
    # the officer, engineer, leads and stewards have an empty seat: 4 roles
    ("2.3.1", 4, "roles, not seats", "count the seats"),
    # Ada, Cleo and Dev are below a level
    ("2.3.1", 3, "members below the level", "That is a skill gap"),
    ("2.3.2", 2, "largest gap only", "largest single gap"),  # communication, 3 - 1
    ("2.3.2", 3, "skills counted, not levels", "Count the levels"),  # three skills short
    ("2.3.3", 4_500, "one level each", "one level per person"),  # one person, one level
    ("2.3.3", 85_000, "a year's salary", "a year's salary for a hire"),
    ("2.3.4", "A", "cost only", "the cost alone"),  # cheaper: train
    ("2.3.4", "B", "time only", "the months alone"),  # faster: hire
    # Ada and Cleo, and Ben and Dev with one signal each
    ("2.3.5", 4, "one signal counted", "At risk takes two or more"),
    ("2.3.5", 1, "pay only", "only the pay signal"),  # Ada alone is paid 25%+ below
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


def test_the_questions_and_feedback_name_the_teams_own_figures(handcount):
    assert handcount.question("2.3.2") == (
        "Ada Park is an analyst. Their self-ratings in the skills the role needs are analysis "
        "2, communication 1 and data quality 1; the role needs analysis 3, communication 3 and "
        "data quality 2. How many levels short are they, all skills together?")
    assert handcount.check("2.3.1", 5).message == (
        "5 of the 9 seats are empty: Chief data officer 1, Data engineer 1, Department data "
        "lead 1 and Data steward 2.")
    assert handcount.check("2.3.2", 4).message == (
        "Ada Park is 4 levels short: analysis 3 − 2, communication 3 − 1 and data quality "
        "2 − 1.")
    assert handcount.check("2.3.3", 18_000).message == (
        "4 levels × US$4,500 = US$18,000. Analyst: training the 1 person below the role's "
        "levels (4 levels) costs US$18,000 and takes 6 months; hiring one costs US$85,000 a "
        "year and takes 5 months to recruit and settle in.")
    assert handcount.check("2.3.4", "C").message == (
        "Judgement call: training is cheaper, but slower than hiring.")
    assert handcount.check("2.3.5", 2).message == "2 of the 4: Ada Park and Cleo Diaz."


def test_the_sliders_run_over_what_the_answer_can_be(handcount):
    assert handcount.widget("2.3.1").control.max == 9  # the nine seats
    assert handcount.widget("2.3.5").control.max == 4  # the four members
    widget = handcount.widget("2.3.3")
    assert widget.control.step == 4_500
    widget.control.value = 18_000
    assert "Right." in widget.feedback.value


def test_a_hint_comes_one_tier_at_a_time(handcount):
    assert handcount.hint("2.3.1").tier == 1
    assert handcount.hint("2.3.1").tier == 2
    third = handcount.hint("2.3.1")
    assert third.tier == 3 and "uncovered_seats" in str(third)
