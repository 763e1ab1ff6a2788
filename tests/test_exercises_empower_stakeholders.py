"""Exercises 3.1 checked three ways on Fairfield (tests/stakeholder_fixtures.py): the solution
passes, ``...`` is "not started", and each known wrong answer gets its own message.

By hand, from the fixture's table of eight stakeholders (4 or 5 is high):

* 3.1.1: interest 4 (high), influence 2 (lower): keep informed, C.
* 3.1.2: both scores 4 or 5: Fairfield Council (4, 5) and Streets Department (5, 4): 2. High
  on either score: those two, Workers' Union (influence 5), Chamber of Commerce (influence 4),
  Amber Tenants (interest 4) and Civic Coders (interest 5): 6. Both 3 or more: the two, Workers'
  Union (3, 5) and Local Radio (3, 3): 4.
* 3.1.3 B, 3.1.4 A, 3.1.5 A: the same in every city.
* 3.1.6: Amber's median is 8.0 days (36 of its 60 requests waited 8 days), the slowest;
  Birch's and Cedar's 2.0, the fastest.
"""

from __future__ import annotations

import pytest
from stakeholder_fixtures import stakeholder_data

from cda_lib.exercises import Exercises
from cda_lib.exercises.catalog import exercise_set
from cda_lib.exercises.feedback import CORRECT, NOT_STARTED, NOT_YET, SAVED

EXERCISES = exercise_set("3.1").exercises


@pytest.fixture(scope="module")
def fairfield(tmp_path_factory):
    return Exercises(stakeholder_data(tmp_path_factory.mktemp("fairfield")), record=False)


RIGHT_ANSWERS = {"3.1.1": "C", "3.1.2": 2, "3.1.3": "B", "3.1.4": "A", "3.1.5": "A",
                 "3.1.6": 8.0, "3.1.7": "The seniors' center is missing: we would invite it."}


def test_every_exercise_of_the_set_has_a_right_answer_here():
    assert set(RIGHT_ANSWERS) == {exercise.id for exercise in EXERCISES}
    assert 5 <= len(EXERCISES) <= 7


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_the_solution_passes(fairfield, exercise_id):
    feedback = fairfield.check(exercise_id, RIGHT_ANSWERS[exercise_id])
    assert feedback.status == (SAVED if exercise_id == "3.1.7" else CORRECT), feedback


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_an_untouched_answer_is_not_started(fairfield, exercise_id):
    feedback = fairfield.check(exercise_id, ...)
    assert feedback.status == NOT_STARTED and "Not started yet" in str(feedback)


KNOWN_MISTAKES = [
    ("3.1.1", "B", "the axes swapped", "the wrong way round"),
    ("3.1.1", "A", "one high score is enough", "needs both scores high"),
    ("3.1.1", "D", "4 read as low", "interest 4 is high"),
    ("3.1.2", 6, "high on either score", "6 counts every stakeholder high on one score"),
    ("3.1.2", 4, "3 counted as high", "4 counts a score of 3 as high"),
    ("3.1.3", "A", "the internal rhythm", "stat meeting (page 1.5)"),
    ("3.1.3", "C", "the keep satisfied rhythm", "for those to keep satisfied"),
    ("3.1.3", "D", "the monitor rhythm", "for those to monitor"),
    ("3.1.4", "B", "the data team owns it", "a communications job"),
    ("3.1.4", "D", "the mayor owns it", "The mayor opens the kick-off"),
    ("3.1.5", "B", "a cause claimed", "a cause the data cannot carry"),
    ("3.1.5", "C", "three days made a year", "at least six whole months"),
    ("3.1.6", 2.0, "the fastest district", "the fastest district, Birch"),
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


def test_a_wrong_count_without_a_named_mistake_is_not_yet(fairfield):
    feedback = fairfield.check("3.1.2", 1)
    assert feedback.status == NOT_YET and "1 is lower than the figure" in feedback.message


def test_the_questions_and_feedback_name_the_citys_own_figures(fairfield):
    assert fairfield.question("3.1.2") == ("How many of Fairfield's 8 stakeholders on page "
                                           "3.1's map are to be managed closely?")
    assert fairfield.check("3.1.2", 2).message == (
        "2 of 8 stakeholders score 4 or 5 on both interest and influence: Fairfield Council and "
        "Streets Department.")
    assert fairfield.question("3.1.6").startswith(
        "Page 3.3's table gives each district's median days to close. In the slowest of "
        "Fairfield's 3 districts,")
    assert fairfield.check("3.1.6", 8.0).message == (
        "Amber waits longest: half its requests were closed within 8.0 days, against 2.0 days "
        "in Birch. Its residents belong at the kick-off table.")


def test_the_slowest_district_says_what_it_needs_without_districts(tmp_path):
    import dataclasses

    data = stakeholder_data(tmp_path)
    one = Exercises(dataclasses.replace(data, requests=data.requests.assign(district="Amber")),
                    record=False)
    assert "at least 2 districts" in str(one.check("3.1.6", 8.0))
    assert one.check("3.1.1", "C").status == CORRECT
