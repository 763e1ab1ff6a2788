"""Exercises 2.5 checked three ways: the solution passes, ``...`` is "not started", and each
known wrong answer gets its own message.

The figures are worked out by hand on tests/ai_fixtures.py: the five hand-made uses of AI
(each looked up in the toolkit's tables in the comment there) and Triage Town's requests.
The exercises use the page's default triage rule, which for Triage Town is worked out here:
noise complaints go late 2 + 4 + 4 + 2 = 12 times, potholes 3 + 2 + 1 + 1 = 7, so the type is
Noise complaint; South sends 12 + 1 (the tree) = 13 requests, North 11 + 1 (the open one) =
12, East 6, West 2, so the district is South. By district, with that rule:

    North: late potholes 3 not flagged (misses 3), late noise 2 flagged; on-time noise 4
           flagged (false alarms 4), on-time potholes 2 not. Late 5, miss rate 3/5 = 0.6;
           11 requests; false-alarm rate 4/6.
    South: everything flagged: late 6, misses 0; on time 6, false alarms 6.
    East:  late pothole 1 missed, late noise 4 flagged (1/5 = 0.2); on-time noise 1 flagged.
    West:  late noise 2, flagged: misses 0 (fewer than 5 late: not compared).

Compared (5 late or more): North 0.6, East 0.2, South 0: the rule misses most in North.
In all: misses 3 + 0 + 1 + 0 = 4 of 5 + 6 + 5 + 2 = 18 late; false alarms 4 + 6 + 1 = 11.
"""

from __future__ import annotations

import dataclasses

import pytest
from ai_fixtures import ai_data

from cda_lib.exercises import Exercises
from cda_lib.exercises.catalog import exercise_set
from cda_lib.exercises.feedback import CORRECT, NOT_AVAILABLE, NOT_STARTED, NOT_YET, SAVED

EXERCISES = exercise_set("2.5").exercises


@pytest.fixture(scope="module")
def handcount():
    return Exercises(ai_data(), record=False)


RIGHT_ANSWERS = {
    # 311 routing: minor x large = substantial; x mostly positive = moderate (C)
    "2.5.1": "C",
    # translation: audit easy, explain hard = some concerns; x algorithmically determined =
    # high (C)
    "2.5.2": "C",
    # fraud flags: 2 yes answers of 8 = high (C)
    "2.5.3": "C",
    # human review: the chatbot (accountability high), the fraud flags (high, and an extreme
    # impact), translation (high): 3; routing and the forecast are low and moderate
    "2.5.4": 3,
    "2.5.5": 0.6,  # North: 3 misses of 5 late
    "2.5.6": 4,
    "2.5.7": "The rule serves North worse: it favours South, which calls most.",
}


def test_every_exercise_of_the_set_has_a_right_answer_here():
    assert set(RIGHT_ANSWERS) == {exercise.id for exercise in EXERCISES}


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_the_solution_passes(handcount, exercise_id):
    feedback = handcount.check(exercise_id, RIGHT_ANSWERS[exercise_id])
    assert feedback.status == (SAVED if exercise_id == "2.5.7" else CORRECT), feedback


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_an_untouched_answer_is_not_started(handcount, exercise_id):
    feedback = handcount.check(exercise_id, ...)
    assert feedback.status == NOT_STARTED and "Not started yet" in str(feedback)


KNOWN_MISTAKES = [
    # minor read as the scope "limited/narrow"; x mostly positive = low
    ("2.5.1", "B", "scope table skipped", "reads the degree straight"),
    # substantial x negative = high
    ("2.5.1", "E", "direction read as negative", "Its direction is Mostly positive"),
    # some concerns x human-mediated = low
    ("2.5.2", "A", "automation left out", "if a person decided each case"),
    # some concerns read as medium
    ("2.5.2", "B", "accessibility taken for the risk", "reads the accessibility as the risk"),
    ("2.5.3", "A", "bands reversed", "more yes answers, less risk"),
    # in use and needing review: the fraud flags alone (translation and the chatbot are
    # candidates)
    ("2.5.4", 1, "in use only", "only the uses already running"),
    # the chatbot and translation decide on their own
    ("2.5.4", 2, "algorithmically determined only", "decide on their own"),
    # routing, chatbot, fraud flags, translation
    ("2.5.4", 4, "every high-risk use", "every high-risk use"),
    # North's false alarms 4 of its 6 on time
    ("2.5.5", 0.67, "false-alarm rate", "false-alarm rate"),
    # North's 3 misses of its 11 requests with an outcome
    ("2.5.5", 0.27, "share of all its requests", "all of North's requests"),
    # the city: 4 of 18
    ("2.5.5", 0.22, "the city's rate", "whole city"),
    # 2 of North's 5 late flagged
    ("2.5.5", 0.4, "caught, not missed", "caught"),
    ("2.5.6", 18, "every late request", "every late request"),
    ("2.5.6", 11, "false alarms", "false alarms"),
    ("2.5.6", 3, "one district only", "one district"),
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


def test_the_questions_and_feedback_name_the_citys_own_figures(handcount):
    assert handcount.question("2.5.1") == (
        "In your city's inventory, 311 request routing has these judgements: degree Minor, "
        "scale Large, direction Mostly positive. Look them up in the toolkit's two impact "
        "tables. What is its overall impact?")
    assert handcount.check("2.5.1", "C").message == (
        "Degree Minor and scale Large give a scope of Substantial; Substantial and Mostly "
        "positive give an impact of Moderate.")
    assert handcount.check("2.5.2", "C").message == (
        "Explainability Hard and auditability Easy make it Some concerns; Some concerns and "
        "Algorithmically determined give an accountability risk of High.")
    assert handcount.check("2.5.3", "C").message == "2 yes answers of 8: a High third-party risk."
    assert handcount.check("2.5.4", 3).message == (
        "3 of the 5 uses need human review: Chatbot on the city's website, Benefit fraud flags "
        "and Machine translation of notices.")
    assert handcount.question("2.5.5").startswith(
        "The rule flags a request as urgent if its type is Noise complaint or it comes from "
        "South. In North, the district where it misses most")
    assert handcount.check("2.5.5", 0.6).message == (
        "The rule misses 3 of the 5 late requests in North: 60%.")
    # 4 of 18 = 22.2%
    assert handcount.check("2.5.6", 4).message == "The rule misses 4 of the 18 late requests (22%)."


def test_the_sliders_run_over_what_the_answer_can_be(handcount):
    assert handcount.widget("2.5.4").control.max == 5  # the five uses
    assert handcount.widget("2.5.6").control.max == 18  # the late requests
    widget = handcount.widget("2.5.5")
    assert (widget.control.min, widget.control.max) == (0, 1)
    widget.control.value = 0.6
    assert "Right." in widget.feedback.value


def test_a_hint_comes_one_tier_at_a_time(handcount):
    assert handcount.hint("2.5.5").tier == 1
    assert handcount.hint("2.5.5").tier == 2
    third = handcount.hint("2.5.5")
    assert third.tier == 3 and "3 misses over 5 late requests" in str(third)


def test_the_triage_exercises_say_so_on_a_city_without_districts():
    data = ai_data()
    data = dataclasses.replace(data, requests=data.requests.assign(district=None))
    feedback = Exercises(data, record=False).check("2.5.5", 0.6)
    assert feedback.status == NOT_AVAILABLE
    # the inventory's exercises still run
    assert Exercises(data, record=False).check("2.5.1", "C").status == CORRECT
