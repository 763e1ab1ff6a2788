"""Exercises 1.1 checked three ways: the solution passes, ``...`` is "not started", and each
known wrong answer gets its own message.

Expected figures for Tallyville are worked out by hand from the rules in
``tallyville_fixtures.py`` (the comment beside each says how).
"""

from __future__ import annotations

import pandas as pd
import pytest
from tallyville_fixtures import tallyville_data
from widget_answers import (
    answer_by_widget,
    letter_of,
    recording_session,
    slider_bounds,
    untouched_status,
)

from cda_lib.exercises import Exercises
from cda_lib.exercises.catalog import exercise_set
from cda_lib.exercises.feedback import CORRECT, NOT_STARTED, NOT_YET, SAVED

EXERCISES = exercise_set("1.1").exercises


@pytest.fixture(scope="module")
def tallyville():
    return Exercises(tallyville_data(), record=False)


# 2024 has 430 requests (240 noise, 130 potholes, 60 sidewalks), 2025 has 473 (264, 143, 66).
# Noise by district: k divisible by 4 is North: 5 of 20 a month in 2024, 6 of 22 in 2025:
# North 60 + 72 = 132, South 180 + 192 = 372; 24 months = 2 years; North 3,000 residents,
# South 5,000: 132 / 3,000 × 1,000 / 2 = 22.0, 372 / 5,000 × 1,000 / 2 = 37.2.
NOISE_RATES = {"North": 22.0, "South": 37.2}
RIGHT_ANSWERS = {
    "1.1.1": 43 / 430,  # (473 - 430) / 430 = 0.1
    "1.1.2": "B",
    # Potholes: March has 20 + 22 in 62 days, the year 273 in 731: 1.81 times a usual day,
    # more than any month of noise (February 1.07) or sidewalks (February 1.12).
    "1.1.3": "March",
    "1.1.4": pd.Series(NOISE_RATES),
    "1.1.5": "B",
    "1.1.6": "Asked: are potholes fixed faster? Measurable: median days, Q3 against Q3 last year.",
}


def test_every_exercise_of_the_set_has_a_right_answer_here():
    assert set(RIGHT_ANSWERS) == {exercise.id for exercise in EXERCISES}


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_the_solution_passes(tallyville, exercise_id):
    feedback = tallyville.check(exercise_id, RIGHT_ANSWERS[exercise_id])
    assert feedback.status == (SAVED if exercise_id == "1.1.6" else CORRECT), feedback


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_an_untouched_answer_is_not_started(tallyville, exercise_id):
    feedback = tallyville.check(exercise_id, ...)
    assert feedback.status == NOT_STARTED and "Not started yet" in str(feedback)


KNOWN_MISTAKES = [
    ("1.1.1", 473 / 430, "ratio, not change", "ratio of the two years"),  # 1.1
    ("1.1.1", 43 / 473, "against the later year", "divides the difference by the later"),
    ("1.1.1", 43, "count, not share", "difference in requests"),
    ("1.1.1", 10.0, "percent instead of share", "looks like a percent"),  # 10% as a percent
    ("1.1.2", "A", "a close read as a fix", "closed without a fix"),
    ("1.1.2", "C", "a close read as a reply", "no reply"),
    ("1.1.2", "D", "a close read as an assignment", "earlier step"),
    # potholes are quietest in January: 21 in 62 days, the first of the 31-day months
    ("1.1.3", "January", "quietest month", "quietest month"),
    # every type, by district: North 132 + 142 potholes + 126 sidewalks = 400 → 66.67;
    # South 372 + 131 potholes = 503 → 50.3
    ("1.1.4", pd.Series({"North": 400 / 3000 * 500, "South": 50.3}), "every request type",
     "every request type"),
    ("1.1.4", pd.Series({"North": 44.0, "South": 74.4}), "whole period, not a year",
     "whole 24 months"),
    ("1.1.4", pd.Series({"North": 132, "South": 372}), "raw counts", "not rates"),
    ("1.1.4", pd.Series({"North": 0.022, "South": 0.0372}), "per resident, not per 1,000",
     "per resident"),
    ("1.1.5", "A", "no metric", "names no metric"),
    ("1.1.5", "C", "311 does not measure satisfaction", "resident survey"),
    ("1.1.5", "D", "reports read as problems", "who calls"),
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
    # "all requests' peak" is March in Tallyville too, like the potholes' peak: tested below
    assert defined - tested == {("1.1.3", "all requests' peak")}


def test_all_requests_peak_is_recognised_when_it_differs_from_the_types():
    # 40 more noise complaints in July 2024: all requests now peak in July ((35 + 40 + 38) /
    # 62 days against 943 / 731 a day = 1.41, March 1.18), while potholes (1.81) still swing
    # more than noise (July (20 + 40 + 22) / 62 against 544 / 731 = 1.78).
    data = tallyville_data()
    extra = data.requests[data.requests["service_code"] == "NOISE"].head(40).copy()
    extra["requested_datetime"] = pd.Timestamp("2024-07-10 09:00")
    extra["closed_datetime"] = pd.Timestamp("2024-07-11 09:00")
    extra["service_request_id"] = [f"TV-X{i}" for i in range(40)]
    data.requests = pd.concat([data.requests, extra], ignore_index=True)
    exercises = Exercises(data, record=False)
    assert exercises.check("1.1.3", "March").status == CORRECT
    feedback = exercises.check("1.1.3", "July")
    assert feedback.mistake == "all requests' peak" and "thick black line" in feedback.message


def test_messages_use_the_citys_own_figures(tallyville):
    feedback = tallyville.check("1.1.1", 0.1)
    assert feedback.message == ("Tallyville received 473 requests in the 12 months to 31 "
                                "December 2025, against 430 in the 12 months before: 10.0% more.")
    # closed: 845 (903 minus 57 open sidewalks and 1 open complaint); not fixed: a duplicate
    # complaint, a referred pothole and (for 23 months) a cancelled sidewalk each month: 71
    closing = tallyville.check("1.1.2", "B")
    assert "71 of 845 closed requests (8%)" in closing.message
    assert tallyville.question("1.1.3").startswith("In Tallyville, Pothole repair is the request")


def test_a_city_without_two_years_says_the_exercise_is_not_available_and_why():
    data = tallyville_data()
    data.requests = data.requests[data.requests["requested_datetime"] >= "2024-06-01"]
    exercises = Exercises(data, record=False)
    feedback = exercises.check("1.1.1", 0.1)
    # June 2024 to the end of 2025: 19 whole months, short of the 24 that two years need
    assert feedback.status == "not available"
    assert feedback.message == ("This exercise needs at least 24 whole months of requests; "
                                "this city's data covers 19 months. The other exercises still "
                                "work.")
    progress = exercises.progress().set_index("exercise")["status"]
    assert progress["1.1.1"] == "not available" and progress["1.1.2"] == "not started"


@pytest.mark.slow
def test_riverbend_solutions_written_the_participants_way_pass():
    from cda_lib.data import load_city_data

    data = load_city_data("riverbend")
    requests = data.requests
    exercises = Exercises(data, record=False)
    opened = requests["requested_datetime"]
    last = ((opened > data.as_of - pd.DateOffset(months=12)) & (opened <= data.as_of)).sum()
    before = ((opened > data.as_of - pd.DateOffset(months=24))
              & (opened <= data.as_of - pd.DateOffset(months=12))).sum()
    assert exercises.check("1.1.1", (last - before) / before).status == CORRECT
    top = requests["service_name"].value_counts().index[0]
    counts = requests.loc[requests["service_name"] == top, "district"].value_counts()
    population = data.districts.set_index("district")["population"]
    rates = counts / population * 1000 / 2  # riverbend covers 2024 and 2025
    assert exercises.check("1.1.4", rates).status == CORRECT
    assert exercises.check("1.1.4", counts / population * 1000).mistake == \
        "whole period, not a year"


# --- the no-code forms, on Tallyville -----------------------------------------------------

WIDGET_ANSWERS = {
    # (473 - 430) / 430 = 0.1; the ratio of the years, 473 / 430 = 1.1.
    "1.1.1": (0.1, 1.1, "ratio, not change"),
    # The noise rates a year, 22.0 and 37.2; over the whole period (two years) twice them,
    # 44.0 and 74.4. Each is looked up in the menu by its numbers.
    "1.1.4": ({"North": 22.0, "South": 37.2}, {"North": 44.0, "South": 74.4},
              "whole period, not a year"),
}


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    return recording_session(tallyville_data(), tmp_path_factory.mktemp("widgets"))


@pytest.mark.parametrize("exercise_id", list(WIDGET_ANSWERS))
def test_the_no_code_form_is_right_wrong_or_not_started(recorded, exercise_id):
    right, wrong, mistake = WIDGET_ANSWERS[exercise_id]
    if isinstance(right, dict):  # a table menu: the letter of the table holding these rows
        right, wrong = (letter_of(recorded, exercise_id, table) for table in (right, wrong))
    assert untouched_status(recorded, exercise_id) == NOT_STARTED
    assert answer_by_widget(recorded, exercise_id, right) == (CORRECT, "")
    assert answer_by_widget(recorded, exercise_id, wrong) == (NOT_YET, mistake)


def test_the_page_shows_the_inputs_of_the_no_code_forms(tallyville):
    assert slider_bounds(tallyville, "1.1.1") == (-1, 2, 0.001)  # up past the ratio, 1.1
    years = tallyville.inputs("1.1.1").to_frame()["Requests"].tolist()
    assert years == ["473", "430"]
    districts = tallyville.inputs("1.1.4")
    # Noise by district: North 132 of 3,000 residents, South 372 of 5,000, over 2 years.
    assert districts.to_frame().values.tolist() == [["North", "132", "3,000"],
                                                    ["South", "372", "5,000"]]
    assert districts.caption.startswith("Noise complaint requests over the whole data (2 years)")
    assert letter_of(tallyville, "1.1.4", {"North": 132, "South": 372}) in "BCD"
