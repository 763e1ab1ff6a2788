"""Exercises 2.2 checked three ways: the solution passes, ``...`` is "not started", and each
known wrong answer gets its own message.

Expected figures for Handcount's seven datasets are worked out by hand from the table in
``inventory_fixtures.py`` (the comment beside each says how); exercise 2.2.6 reads
Handcount's 76 hand-counted requests (``exercise_fixtures.py``).
"""

from __future__ import annotations

import pytest
from inventory_fixtures import inventory_data

from cda_lib.exercises import Exercises
from cda_lib.exercises.catalog import exercise_set
from cda_lib.exercises.feedback import CORRECT, NOT_STARTED, NOT_YET, SAVED
from cda_lib.text.translation import use_language

EXERCISES = exercise_set("2.2").exercises


@pytest.fixture(scope="module")
def handcount():
    return Exercises(inventory_data(), record=False)


RIGHT_ANSWERS = {
    # of the five that may be public, no licence: street lights, budget, zoning
    "2.2.1": 3,
    # five declare a frequency; street lights (61 days, monthly) and victims (no date) late
    "2.2.2": 2,
    # the lowest, Zoning: 3 of its 8 checks pass, 100 × 3 / 8 = 37.5, written 38
    "2.2.3": 38,
    # the source system, missing from 4 datasets: G
    "2.2.4": "G",
    # Public Works, the named department at the foot: 0.5 × 66.5 + 0.25 × 50 + 0.25 × 50
    "2.2.5": 58.25,
    # completeness: 4 problems (2 with no district, 2 with no coordinates): A
    "2.2.6": "A",
    "2.2.7": "Keep it, as non-public, with a note on why.",
}


def test_every_exercise_of_the_set_has_a_right_answer_here():
    assert set(RIGHT_ANSWERS) == {exercise.id for exercise in EXERCISES}
    assert len([e for e in EXERCISES if e.kind != "reflection"]) >= 5


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_the_solution_passes(handcount, exercise_id):
    feedback = handcount.check(exercise_id, RIGHT_ANSWERS[exercise_id])
    assert feedback.status == (SAVED if exercise_id == "2.2.7" else CORRECT), feedback


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_an_untouched_answer_is_not_started(handcount, exercise_id):
    feedback = handcount.check(exercise_id, ...)
    assert feedback.status == NOT_STARTED and "Not started yet" in str(feedback)


def test_a_rounded_score_is_right_too(handcount):
    """2.2.5 with the metadata score read as 66 from the table: 33 + 12.5 + 12.5 = 58."""
    assert handcount.check("2.2.5", 58).status == CORRECT
    assert handcount.check("2.2.3", 37.5).status == CORRECT


KNOWN_MISTAKES = [
    # the two private datasets counted as well: 3 + 2
    ("2.2.1", 5, "private datasets counted", "counts the non-public datasets too"),
    # potholes and trees have one
    ("2.2.1", 2, "datasets with a licence", "how many do have a licence"),
    # zoning and trees declare no frequency: 2 + 2
    ("2.2.2", 4, "no frequency counted as late", "declare no frequency as late"),
    # potholes, budget and employees are up to date
    ("2.2.2", 3, "on-time datasets", "how many are up to date"),
    # 100 × 3 / 9 = 33.3
    ("2.2.3", 33, "divided by all nine checks", "Only 8 apply to Zoning"),
    # 100 × 5 / 8 = 62.5, written 63 (halves up)
    ("2.2.3", 63, "share missing", "the share of checks it fails"),
    # the licence: 3 of 5 (60%) against the source's 4 of 7 (57%)
    ("2.2.4", "D", "the largest share", "largest share of the datasets it applies to"),
    # Zoning's first gap, its description
    ("2.2.4", "A", "the lowest dataset's gap", "lowest-scoring dataset"),
    # (66.5 + 50 + 50) / 3 = 55.5
    ("2.2.5", 55.5, "plain average of the three", "plain average of the three figures"),
    ("2.2.5", 66.5, "metadata score only", "the metadata score alone"),
    # validity and consistency have 1 each; validity comes first
    ("2.2.6", "B", "the smallest", "fewest problems"),
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
    assert handcount.question("2.2.1") == (
        "Of the 5 datasets of your inventory that may be public (not non-public), how many "
        "have no licence?")
    assert handcount.check("2.2.1", 3).message == (
        "3 of the 5 datasets that may be public have no licence: Street lights, Budget and "
        "Zoning.")
    # Victim cases has no date of update; Street lights was updated 61 days before
    assert handcount.check("2.2.2", 2).message == (
        "2 of the 5 datasets with a declared frequency are late. The latest, Street lights, "
        "was updated 61 days before, for a period of 30 days.")
    assert handcount.question("2.2.3") == (
        "Zoning lacks 5 things: a description, an owning department, a licence, an update "
        "frequency and the source system. 8 of the nine checks apply to it. What is its "
        "score, out of 100?")
    assert handcount.check("2.2.3", 38).message == "3 of its 8 checks pass: 100 × 3 ÷ 8 = 38."
    assert handcount.check("2.2.4", "G").message == (
        "The widest gap is the source system: 4 of 7 datasets lack it. Next comes a licence "
        "(3).")
    assert handcount.question("2.2.5") == (
        "Public Works has an average metadata score of 66.5; 50% of its datasets are up to "
        "date and 50% of those that may be public are published openly. What is its "
        "department score, out of 100?")
    assert handcount.check("2.2.5", 58.25).message == (
        "Half of 66.5 plus a quarter of 50 plus a quarter of 50: 58.25.")
    assert handcount.check("2.2.6", "A").message == (
        "Completeness: 4 problems in 76 rows read (5.3%).")


def test_the_feedback_in_spanish(handcount):
    with use_language("es"):
        message = handcount.check("2.2.1", 5).message
    assert message.startswith("5 cuenta también los conjuntos no públicos.")


def test_the_sliders_run_over_what_the_answer_can_be(handcount):
    assert handcount.widget("2.2.1").control.max == 7  # the seven datasets
    assert (handcount.widget("2.2.3").control.min, handcount.widget("2.2.3").control.max) == \
        (0, 100)
    widget = handcount.widget("2.2.2")
    widget.control.value = 2
    assert "Right." in widget.feedback.value


def test_a_hint_comes_one_tier_at_a_time(handcount):
    assert handcount.hint("2.2.1").tier == 1
    assert handcount.hint("2.2.1").tier == 2
    third = handcount.hint("2.2.1")
    assert third.tier == 3 and "license" in str(third)
