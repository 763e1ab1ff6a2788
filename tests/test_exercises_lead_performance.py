"""Exercises 1.2 checked three ways: the solution passes, ``...`` is "not started", and each
known wrong answer gets its own message.

Expected figures for Tallyville are worked out by hand from the rules in
``tallyville_fixtures.py`` (the comment beside each says how).
"""

from __future__ import annotations

import pandas as pd
import pytest
from tallyville_fixtures import tallyville_data
from widget_answers import answer_by_widget, recording_session, slider_bounds, untouched_status

from cda_lib.exercises import Exercises
from cda_lib.exercises.catalog import exercise_set
from cda_lib.exercises.feedback import CORRECT, NOT_STARTED, NOT_YET, SAVED

EXERCISES = exercise_set("1.2").exercises

# Requests open under 90 days at the month ends of October 2024 to September 2025
# (tallyville_fixtures: only sidewalks are open at a month's end; those open under 90 days
# are the month's 45-day one, opened on the 3rd, and the never-closing ones, opened from the
# 4th, of the month and the two before it: 2 a month in 2024, in 2025 2 in odd and 3 in even
# months): 7, 7, 7, 7 (October to January), then 2025's 8, 8, 9, 8, 9, 8, 9, 8. CityScore's
# historic target: their mean, 95 / 12 = 7.9167, minus their standard deviation, 0.7930 =
# 7.1237. December 2025: October's 3 and November's 2 never-closing sidewalks, all 6 of
# December's and the complaint of 31 December = 12. (All open requests: 58, of which 46 are
# the sidewalks open 90 days or more, piled up since January 2024.)
BACKLOG_TARGET = 95 / 12 - 0.79296
BACKLOG_ACTUAL = 12


@pytest.fixture(scope="module")
def tallyville():
    return Exercises(tallyville_data(), record=False)


RIGHT_ANSWERS = {
    # Sidewalks have the largest share open (57 of 126). Kaplan-Meier: 46 close at 10 days
    # of 126 at risk (S = 80/126); 6 December ones are censored at 25 to 31 days; 23 close
    # at 45 days of 74 at risk (S = 0.438 < 0.5): the median is 45 days.
    "1.2.1": 45.0,
    "1.2.2": "A",
    # Noise in Q4 2025: 66 complaints, the 2 of 30 and 31 December still within 2 days;
    # of the other 64, L = 6 + 2 + 3 = 11 late: 53 / 64.
    "1.2.3": 53 / 64,
    "1.2.4": "A",
    "1.2.5": "B",
    "1.2.6": BACKLOG_TARGET / BACKLOG_ACTUAL,  # 0.594
    "1.2.7": "Sidewalk repair: I would ask what holds the oldest requests.",
}


def test_every_exercise_of_the_set_has_a_right_answer_here():
    assert set(RIGHT_ANSWERS) == {exercise.id for exercise in EXERCISES}


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_the_solution_passes(tallyville, exercise_id):
    feedback = tallyville.check(exercise_id, RIGHT_ANSWERS[exercise_id])
    assert feedback.status == (SAVED if exercise_id == "1.2.7" else CORRECT), feedback


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_an_untouched_answer_is_not_started(tallyville, exercise_id):
    feedback = tallyville.check(exercise_id, ...)
    assert feedback.status == NOT_STARTED and "Not started yet" in str(feedback)


KNOWN_MISTAKES = [
    # closed sidewalks only: 46 of 10 days and 23 of 45: median 10, mean 1,495 / 69 = 21.67
    ("1.2.1", 10.0, "open requests dropped", "leaves out the 45% still open"),
    ("1.2.1", 1495 / 69, "mean of closed requests", "average (mean)"),
    ("1.2.2", "B", "the median drops the slow ones", "counts every request"),
    ("1.2.2", "C", "skew read as errors", "quality checks"),
    ("1.2.2", "D", "the mean as typical", "describes almost nobody"),
    ("1.2.3", 53 / 66, "pending counted as late", "the 2 still within"),  # every request
    # closed ones: 65 (the 31 December complaint is open); within 2 days: 53 + the 30
    # December one, closed in a day: 54 / 65
    ("1.2.3", 54 / 65, "closed requests as the base", "share of closed requests"),
    # all of 2024-2025: 2024 48 late of 240; 2025 45 late (2 + 3 + 4 + 5 + 6 twice, then
    # 2 + 3) of 262 known (2 pending in December): (192 + 217) / 502
    ("1.2.3", 409 / 502, "whole period, not the quarter", "over the whole data"),
    ("1.2.3", 5300 / 64, "percent instead of share", "looks like a percent"),
    ("1.2.4", "B", "open read as fast", "removes slow requests"),
    ("1.2.4", "C", "open requests ignored", "at least from the request"),
    ("1.2.4", "D", "the effect read as chance", "always goes the same way"),
    ("1.2.5", "A", "the score read as every metric", "far below"),
    ("1.2.5", "C", "the score read as a share", "not that share"),
    ("1.2.5", "D", "the average read as cover", "cap guards against"),
    ("1.2.6", BACKLOG_ACTUAL / BACKLOG_TARGET, "not turned round", "actual ÷ target"),
    ("1.2.6", BACKLOG_TARGET - BACKLOG_ACTUAL, "a difference, not a ratio", "a difference"),
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
    # In Tallyville counting open sidewalks as closed also gives 45 days, and the backlog's
    # score is below the cap: both are tested below, where they differ.
    assert defined - tested == {("1.2.1", "open requests counted as closed"),
                                ("1.2.6", "capped")}


def test_a_backlog_far_below_its_target_is_capped_only_when_asked():
    # Every sidewalk still open closes: those opened before December 2025 on 15 November,
    # December's six on 20 December. The history (October 2024 to September 2025) is
    # unchanged, and December's backlog is the complaint of 31 December alone: 1. Score
    # 7.124 / 1 = 7.12; capped, 1.25.
    data = tallyville_data()
    requests = data.requests.copy()
    sidewalks = (requests["status"] == "open") & (requests["service_code"] == "SIDEWALK")
    early = sidewalks & (requests["requested_datetime"] < "2025-12-01")
    requests.loc[sidewalks, "status"] = "closed"
    requests.loc[early, "closed_datetime"] = pd.Timestamp("2025-11-15 12:00")
    requests.loc[sidewalks & ~early, "closed_datetime"] = pd.Timestamp("2025-12-20 12:00")
    data.requests = requests
    exercises = Exercises(data, record=False)
    right = exercises.check("1.2.6", BACKLOG_TARGET / 1)
    assert right.status == CORRECT
    # 1 request open against a target of 7.1: fewer than the target allows, a score above 1.
    assert right.message == ("Target ÷ actual: 7.1 ÷ 1 = 7.12. Above 1, because fewer "
                             "requests are open than the target allows.")
    feedback = exercises.check("1.2.6", 1.25)
    assert feedback.mistake == "capped" and "before any cap" in feedback.message


def test_messages_use_the_citys_own_figures(tallyville):
    assert tallyville.check("1.2.4", "A").message.endswith(
        "For Sidewalk repair, dropping them gives a median of 10.0 days; counting them, 45.0.")
    assert tallyville.check("1.2.3", 53 / 64).message.startswith(
        "53 of the 64 Noise complaint requests past their standard were closed within 2 days")
    # the composite of Q4 2025: noise 53/64 and potholes 27/33 on time (sidewalks: too few),
    # and the backlog: 3 metrics, 2 of them at or above the 80% target
    assert "The score averages 3 metric scores; 2 of them meet their target" in \
        tallyville.check("1.2.5", "B").message
    # 12 requests open against a target of 7.12: more than the target allows, below 1
    assert tallyville.check("1.2.6", 0.59).message == (
        "Target ÷ actual: 7.1 ÷ 12 = 0.59. Below 1, because more requests are open than the "
        "target allows.")


@pytest.mark.slow
def test_riverbend_solutions_and_the_open_as_closed_mistake():
    from cda_lib.data import load_city_data
    from cda_lib.metrics.kpi import median_days_to_close, on_time_share
    from cda_lib.metrics.selection import select_requests
    from cda_lib.themes.lead.performance import latest_full_period, most_common_type, most_open_type

    data = load_city_data("riverbend")
    requests = data.requests
    exercises = Exercises(data, record=False)
    slow = most_open_type(requests, as_of=data.as_of)
    chosen = select_requests(requests, service_code=slow)
    assert exercises.check("1.2.1", median_days_to_close(chosen, as_of=data.as_of).value
                           ).status == CORRECT
    # the mistake, computed the way a participant would make it: open ones closed "now"
    ends = chosen["closed_datetime"].where(chosen["status"] == "closed", data.as_of)
    naive = ((ends - chosen["requested_datetime"]).dt.total_seconds() / 86400).median()
    assert exercises.check("1.2.1", naive).mistake == "open requests counted as closed"
    common = most_common_type(requests, data.city.service_standards)
    quarter = latest_full_period(requests, as_of=data.as_of)
    share = on_time_share(select_requests(requests, service_code=common, period=quarter),
                          data.city.service_standards, as_of=data.as_of).value
    assert exercises.check("1.2.3", share).status == CORRECT


# --- the no-code forms, on Tallyville -----------------------------------------------------

WIDGET_ANSWERS = {
    # The Kaplan-Meier median, 45 days; the closed sidewalks alone: 46 at 10 days of 69.
    "1.2.1": (45.0, 10.0, "open requests dropped"),
    # 53 of the 64 past their standard, 0.828; with the 2 pending as late, 53 / 66 = 0.803.
    "1.2.3": (0.828, 0.803, "pending counted as late"),
    # 7.1237 / 12 = 0.594, 0.59 on the slider; not turned round, 12 / 7.1237 = 1.6845: 1.68.
    "1.2.6": (0.59, 1.68, "not turned round"),
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
    assert slider_bounds(tallyville, "1.2.3") == (0, 1, 0.001)
    assert slider_bounds(tallyville, "1.2.6")[2] == 0.01
    closings = tallyville.inputs("1.2.1").to_frame().values.tolist()
    # Sidewalks: 46 close at 10 days, then the 45-day ones, 74 at risk: after the k-th of
    # those, 1 - 80/126 × (74 - k)/74 is closed. The 16th is the first at half or more
    # (1 - 80/126 × 58/74 = 50.24%); the table starts five closings before it (the 11th:
    # 1 - 80/126 × 63/74 = 45.95%) and ends five after (the 21st: 1 - 80/126 × 53/74 = 54.53%).
    first_half = next(row for row in closings if float(row[1].rstrip("%")) >= 50)
    assert first_half == ["45.00", "50.24%"]
    assert closings[0] == ["45.00", "45.95%"] and closings[-1] == ["45.00", "54.53%"]
    assert len(closings) == 11
    counts = tallyville.inputs("1.2.3").to_frame()["Number"].tolist()
    assert counts == ["53", "11", "2", "66"]  # on time, late, pending, all
