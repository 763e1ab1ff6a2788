"""Exercises 1.3 checked three ways: the solution passes, ``...`` is "not started", and each
known wrong answer gets its own message.

Expected figures for Tallyville are worked out by hand from the rules in
``tallyville_fixtures.py`` (the comment beside each says how).
"""

from __future__ import annotations

import pytest
from tallyville_fixtures import tallyville_data
from widget_answers import answer_by_widget, recording_session, slider_bounds, untouched_status

from cda_lib.exercises import Exercises
from cda_lib.exercises.catalog import exercise_set
from cda_lib.exercises.feedback import CORRECT, NOT_STARTED, NOT_YET, SAVED

EXERCISES = exercise_set("1.3").exercises

# Citywide on-time share in 2025's months (known requests: noise 22, potholes 11 (March
# 22), sidewalks 5 or 6; December: 20 noise past their standard, 11 potholes, 1 sidewalk):
# Jan 31/38, Feb 30/39, Mar 38/49, Apr 28/39, May 27/38, Jun 31/39, Jul 30/38, Aug 29/39,
# Sep 28/38, Oct 27/39, Nov 31/38, Dec 26/32. Sorted, the 6th and 7th are 30/39 (0.7692)
# and 38/49 (0.7755): the median is their average.
MONTHS_2025 = [31 / 38, 30 / 39, 38 / 49, 28 / 39, 27 / 38, 31 / 39, 30 / 38, 29 / 39, 28 / 38,
               27 / 39, 31 / 38, 26 / 32]
BASELINE = (30 / 39 + 38 / 49) / 2  # 0.7724


@pytest.fixture(scope="module")
def tallyville():
    return Exercises(tallyville_data(), record=False)


RIGHT_ANSWERS = {
    "1.3.1": BASELINE,
    "1.3.2": BASELINE * 1.1,  # 0.8496
    "1.3.3": "B",
    # Requests per month: 2024 35 a month but March 45; 2025 38 and 39 alternately, March
    # 49. Limits from 2024: centre 35.83, average moving range 20/11, sigma 1.61, upper limit
    # 40.67, one sigma 37.45. After 2024: March 2025 (49) is beyond the limit; April 2025 and
    # every later month is the fourth of five beyond one sigma (all 2025 months are): 10.
    "1.3.4": 10,
    "1.3.5": "B",
    "1.3.6": "Noise on-time share, owned by the 311 manager; evidence: eight months above.",
}


def test_every_exercise_of_the_set_has_a_right_answer_here():
    assert set(RIGHT_ANSWERS) == {exercise.id for exercise in EXERCISES}


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_the_solution_passes(tallyville, exercise_id):
    feedback = tallyville.check(exercise_id, RIGHT_ANSWERS[exercise_id])
    assert feedback.status == (SAVED if exercise_id == "1.3.6" else CORRECT), feedback


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_an_untouched_answer_is_not_started(tallyville, exercise_id):
    feedback = tallyville.check(exercise_id, ...)
    assert feedback.status == NOT_STARTED and "Not started yet" in str(feedback)


# Every month of 2024 is 26/35 on time, except March, 34/45; with 2025's twelve months, the
# median of all 24 is 26/35 (0.7429: the 12th and 13th of them in order).
KNOWN_MISTAKES = [
    ("1.3.1", sum(MONTHS_2025) / 12, "mean, not median", "mean of the 12 months"),
    ("1.3.1", 26 / 32, "last month only", "latest month alone"),
    ("1.3.1", 26 / 35, "every month", "every month in the data"),
    ("1.3.1", BASELINE * 100, "percent instead of share", "looks like a percent"),
    ("1.3.2", BASELINE + 0.10, "points, not percent", "adds 10 percentage points"),
    ("1.3.2", BASELINE * 0.9, "the wrong direction", "10% lower"),
    ("1.3.3", "A", "noise read as a change", "usual movement"),
    ("1.3.3", "C", "noise read as bad data", "Nothing suggests an error"),
    ("1.3.3", "D", "limits set by hand", "computed from the data"),
    # the baseline's own signals too: March 2024 beyond the limit, and November and December
    # 2024, the 8th and 9th months in a row below the centre: 13
    ("1.3.4", 13, "the baseline counted too", "inside the baseline"),
    ("1.3.4", 1, "beyond the limits only", "only the points beyond the limits"),
    ("1.3.5", "A", "limits only", "small, lasting shift"),
    ("1.3.5", "C", "waiting for a jump", "a signal already"),
    ("1.3.5", "D", "the story before the signal", "does not depend on an explanation"),
]


@pytest.mark.parametrize(("exercise_id", "answer", "mistake", "words"), KNOWN_MISTAKES,
                         ids=[f"{m[0]}-{m[2]}" for m in KNOWN_MISTAKES])
def test_a_known_wrong_answer_gets_its_own_message(tallyville, exercise_id, answer, mistake,
                                                    words):
    feedback = tallyville.check(exercise_id, answer)
    assert feedback.status == NOT_YET
    assert feedback.mistake == mistake, feedback
    assert words in feedback.message, feedback


def test_every_mistake_of_the_set_is_tested():
    tested = {(exercise_id, mistake) for exercise_id, _, mistake, _ in KNOWN_MISTAKES}
    defined = {(e.id, m.name) for e in EXERCISES for m in e.mistakes}
    assert defined - tested == set()


def test_the_slider_and_the_messages_use_the_citys_own_chart(tallyville):
    widget = tallyville.widget("1.3.4")
    assert (widget.control.min, widget.control.max) == (0, 24)  # 24 months on the chart
    widget.control.value = 10
    assert "Right." in widget.feedback.value
    assert "10 of the 12 months after the baseline are marked: 1 beyond the limits" in \
        widget.feedback.value
    # 2025 on-time share month to month: |change| of 3 points or more in 7 of 23 moves
    # (Jan→Feb −4.7, Mar→Apr −5.8, May→Jun +8.4, Jul→Aug −4.6, Sep→Oct −4.5, Oct→Nov +12.3,
    # and Dec 2024→Jan 2025 +7.3); the p-chart finds no signal after the baseline.
    assert tallyville.check("1.3.3", "B").message == (
        "In Tallyville's monthly on-time share, 7 of 23 month-to-month moves were 3 points or "
        "more; 0 of the 12 months after the baseline year broke a rule.")


# --- the no-code forms, on Tallyville -----------------------------------------------------

WIDGET_ANSWERS = {
    "1.3.1": (0.772, round(sum(MONTHS_2025) / 12, 3), "mean, not median"),  # 0.7724; 0.7598
    # 0.7724 × 1.1 = 0.8496, 0.8495 on the slider; 10 points: 0.8724, 0.8725 on the slider.
    "1.3.2": (0.8495, 0.8725, "points, not percent"),
}


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    return recording_session(tallyville_data(), tmp_path_factory.mktemp("widgets"))


@pytest.mark.parametrize("exercise_id", list(WIDGET_ANSWERS))
def test_the_no_code_form_is_right_wrong_or_not_started(recorded, exercise_id):
    right, wrong, mistake = WIDGET_ANSWERS[exercise_id]
    assert untouched_status(recorded, exercise_id) == NOT_STARTED
    assert answer_by_widget(recorded, exercise_id, right) == (CORRECT, "")
    assert answer_by_widget(recorded, exercise_id, wrong) == (NOT_YET, mistake)


def test_the_page_shows_the_inputs_of_the_no_code_forms(tallyville):
    assert slider_bounds(tallyville, "1.3.1") == (0, 1, 0.001)
    assert slider_bounds(tallyville, "1.3.2") == (0, 1, 0.0005)
    months = tallyville.inputs("1.3.1").to_frame().values.tolist()
    assert months[0] == ["Jan 2025", "81.58%"] and months[-1] == ["Dec 2025", "81.25%"]
    assert len(months) == 12  # 31/38 and 26/32
