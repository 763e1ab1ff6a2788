"""Exercises 1.4 checked three ways: the solution passes, ``...`` is "not started", and each
known wrong answer gets its own message.

Pilotville (tests/lead_fixtures.py) has identical weeks within each period, so its
shares are known by hand. Three versions of it cover the three readings the exercises
can expect: a clear effect (interval a single point above zero, no drift before the
start), no effect (interval a single point at zero) and a comparison group that was
drifting away before the start. Riverbend's shares are recomputed here with plain pandas,
written independently of cda_lib, to show the same exercises on a realistic city.
"""

from __future__ import annotations

import pandas as pd
import pytest
from lead_fixtures import pilot_data, weeks
from widget_answers import answer_by_widget, recording_session, slider_bounds, untouched_status

from cda_lib.data import load_city_data
from cda_lib.exercises import Exercises
from cda_lib.exercises.catalog import exercise_set
from cda_lib.exercises.feedback import CORRECT, NOT_STARTED, NOT_YET, SAVED

EXERCISES = exercise_set("1.4").exercises


def session(treated, comparison) -> Exercises:
    return Exercises(pilot_data(treated, comparison), record=False)


@pytest.fixture(scope="module")
def clear():
    """South 5 -> 8 of 10 on time (0.5 -> 0.8), comparison 12 -> 13 of 20 (0.6 -> 0.65)."""
    return session(weeks(5, 8), weeks(12, 13))


@pytest.fixture(scope="module")
def no_effect():
    """Nothing changes: South 5 of 10 and the comparison 12 of 20 throughout."""
    return session(weeks(5, 5), weeks(12, 12))


@pytest.fixture(scope="module")
def drifting():
    """South falls from 5 to 3 of 10 halfway through the before weeks, then 8 after."""
    return session(weeks([5] * 8 + [3] * 8, 8), weeks(12, 13))


# Clear: plain before/after 0.8 - 0.5 = 0.3; comparison 0.65 - 0.6 = 0.05; DiD 0.25.
RIGHT_ANSWERS = {
    "1.4.1": 0.3,
    "1.4.2": 0.25,
    "1.4.3": "B",  # the other districts over the same weeks, checked before the start
    "1.4.4": "A",  # every before week is the same: the placebo finds exactly 0
    "1.4.5": "D",  # every resample gives +25 points: the interval leaves out zero
    "1.4.6": "The second crew in South looks like it worked; we will keep measuring.",
}


def test_every_exercise_has_a_right_answer_here():
    assert set(RIGHT_ANSWERS) == {exercise.id for exercise in EXERCISES}


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_the_solution_passes(clear, exercise_id):
    feedback = clear.check(exercise_id, RIGHT_ANSWERS[exercise_id])
    assert feedback.status == (SAVED if exercise_id == "1.4.6" else CORRECT), feedback


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_an_untouched_answer_is_not_started(clear, exercise_id):
    feedback = clear.check(exercise_id, ...)
    assert feedback.status == NOT_STARTED and "Not started yet" in str(feedback)


def test_the_other_readings_are_right_where_the_data_says_so(no_effect, drifting):
    assert no_effect.check("1.4.5", "C").status == CORRECT  # interval 0 to 0: includes zero
    assert no_effect.check("1.4.2", 0).status == CORRECT
    # Drifting: the placebo is (0.3 - 0.5) - (0.6 - 0.6) = -20 points, leaving out zero.
    assert drifting.check("1.4.4", "B").status == CORRECT
    # Its before share is (8 x 5 + 8 x 3) / 160 = 0.4, so the plain change is 0.4.
    assert drifting.check("1.4.1", 0.4).status == CORRECT


KNOWN_MISTAKES = [
    ("clear", "1.4.1", 0.05, "comparison districts' change", "change in the comparison"),
    ("clear", "1.4.1", 0.25, "difference in differences", "is the difference in differences"),
    ("clear", "1.4.1", -0.3, "before minus after", "wrong sign"),
    ("clear", "1.4.1", 0.8, "the share after, not the change", "after the start, not how much"),
    ("clear", "1.4.2", 0.3, "plain before/after", "South's own change"),
    ("clear", "1.4.2", 0.05, "comparison districts' change", "comparison districts' change"),
    ("clear", "1.4.2", -0.25, "the wrong way round", "the other way round"),
    ("clear", "1.4.2", 0.15, "the gap after the start only", "after the start only"),  # .8-.65
    ("clear", "1.4.3", "A", "last year's months", "takes out the season"),
    ("clear", "1.4.3", "C", "comparison chosen by its result", "cherry-picking"),
    ("clear", "1.4.3", "D", "plain before/after", "no comparison at all"),
    ("clear", "1.4.4", "B", "parallel read as drift", "0 points to 0 points, includes zero"),
    ("drifting", "1.4.4", "A", "drift read as parallel", "-20 points to -20 points, leaves out"),
    ("clear", "1.4.4", "C", "an effect before the start", "nothing to have an effect"),
    ("clear", "1.4.4", "D", "placebo read as proof", "cannot prove"),
    ("clear", "1.4.5", "A", "the estimate without its interval", "how uncertain it is"),
    ("no_effect", "1.4.5", "B", "no evidence read as no effect", "not evidence that the change"),
    ("clear", "1.4.5", "C", "too cautious", "can tell this change"),
    ("no_effect", "1.4.5", "D", "too sure", "cannot yet tell"),
]


@pytest.mark.parametrize(("city", "exercise_id", "answer", "mistake", "words"), KNOWN_MISTAKES,
                         ids=[f"{m[1]}-{m[3]}" for m in KNOWN_MISTAKES])
def test_a_known_wrong_answer_gets_its_own_message(request, city, exercise_id, answer, mistake,
                                                    words):
    feedback = request.getfixturevalue(city).check(exercise_id, answer)
    assert feedback.status == NOT_YET
    assert feedback.mistake == mistake, feedback
    assert words in feedback.message, feedback


def test_every_mistake_of_every_exercise_is_tested():
    tested = {(exercise_id, mistake) for _, exercise_id, _, mistake, _ in KNOWN_MISTAKES}
    defined = {(e.id, m.name) for e in EXERCISES for m in e.mistakes}
    assert defined == tested


def test_a_percent_is_recognised_and_a_mistake_that_would_be_right_is_not_offered(clear,
                                                                                 no_effect):
    assert clear.check("1.4.2", 25).mistake == "percent instead of share"
    # With no effect the comparison's change is 0, which is also the right answer for 1.4.2:
    # that mistake is dropped, so 0 is right, never "the comparison districts' change".
    assert no_effect.check("1.4.2", 0.0).status == CORRECT


def test_questions_and_hints_carry_the_citys_figures(clear):
    assert clear.question("1.4.5") == ("Handcount's estimate is +25 points (95% interval +25 "
                                       "points to +25 points). What should a leader conclude?")
    assert "South" in clear.question("1.4.3") and "pothole repair" in clear.question("1.4.3")
    assert "4 February 2025" in clear.question("1.4.4")  # 8 weeks before 1 April 2025
    assert "South moved +30.0 points and the comparison districts +5.0 points" in \
        clear.check("1.4.2", 0.25).message


# --- Riverbend, recomputed with plain pandas --------------------------------------------------


def riverbend_shares(data) -> dict[str, float]:
    """The four on-time shares of Mill District's potholes and the other districts', from
    the requests alone: a request counts once its 5-day standard has passed by the extract
    (opened by the extract minus 5 days), on time when closed within 5 days."""
    requests = data.requests
    potholes = requests[requests["service_code"] == "POTHOLE"]
    standard = pd.Timedelta(days=data.city.service_standards["POTHOLE"])
    last = min(data.as_of - standard, potholes["requested_datetime"].max())
    potholes = potholes[potholes["requested_datetime"] <= last]
    took = potholes["closed_datetime"] - potholes["requested_datetime"]
    on_time = (potholes["status"] == "closed") & (took <= standard)
    after = potholes["requested_datetime"] >= pd.Timestamp("2025-04-01")
    treated = potholes["district"] == "Mill District"
    others = potholes["district"].notna() & ~treated
    share = {}
    for group, rows in (("treated", treated), ("comparison", others)):
        for side, when in (("before", ~after), ("after", after)):
            chosen = rows & when
            share[f"{group} {side}"] = on_time[chosen].sum() / chosen.sum()
    return share


@pytest.mark.slow
def test_riverbend_solutions_pass_and_untouched_answers_are_not_started():
    data = load_city_data("riverbend")
    riverbend = Exercises(data, record=False)
    share = riverbend_shares(data)
    plain = share["treated after"] - share["treated before"]
    anyway = share["comparison after"] - share["comparison before"]
    assert riverbend.check("1.4.1", plain).status == CORRECT
    assert riverbend.check("1.4.2", plain - anyway).status == CORRECT
    assert riverbend.check("1.4.2", plain).mistake == "plain before/after"
    assert riverbend.check("1.4.3", "B").status == CORRECT
    for exercise in EXERCISES:
        assert riverbend.check(exercise.id, ...).status == NOT_STARTED
    assert riverbend.solution("1.4.5").text.startswith(("C.", "D."))


# --- the no-code forms, on the clear Pilotville --------------------------------------------

WIDGET_ANSWERS = {
    # South 0.5 -> 0.8: +0.3; the comparison districts 0.6 -> 0.65: +0.05.
    "1.4.1": (0.3, 0.05, "comparison districts' change"),
    # 0.3 - 0.05 = 0.25; the plain before/after, 0.3.
    "1.4.2": (0.25, 0.3, "plain before/after"),
}


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    clear_city = pilot_data(weeks(5, 8), weeks(12, 13))  # as the clear fixture
    return recording_session(clear_city, tmp_path_factory.mktemp("widgets"))


@pytest.mark.parametrize("exercise_id", list(WIDGET_ANSWERS))
def test_the_no_code_form_is_right_wrong_or_not_started(recorded, exercise_id):
    right, wrong, mistake = WIDGET_ANSWERS[exercise_id]
    assert untouched_status(recorded, exercise_id) == NOT_STARTED
    assert answer_by_widget(recorded, exercise_id, right) == (CORRECT, "")
    assert answer_by_widget(recorded, exercise_id, wrong) == (NOT_YET, mistake)


def test_the_sliders_reach_every_change_on_their_steps(clear):
    assert slider_bounds(clear, "1.4.1") == slider_bounds(clear, "1.4.2") == (-1, 1, 0.005)
