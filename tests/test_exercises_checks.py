"""Every welcome exercise checked three ways: the solution passes, ``...`` is "not started",
and each known wrong answer gets its own message.

Expected figures for Handcount are worked out by hand from the layout described in
``exercise_fixtures.py`` (the comment beside each says how). Riverbend's are computed
here with plain pandas written independently of ``cda_lib.themes.welcome.exercises``, so the
same exercises are shown to work on a generated city of realistic size.
"""

from __future__ import annotations

import pandas as pd
import pytest
from exercise_fixtures import hand_counted_data
from widget_answers import (
    answer_by_widget,
    letter_of,
    recording_session,
    slider_bounds,
    untouched_status,
)

from cda_lib.data import load_city_data
from cda_lib.exercises import Exercises
from cda_lib.exercises.catalog import exercise_set
from cda_lib.exercises.feedback import CORRECT, NOT_STARTED, NOT_YET, SAVED

WELCOME = exercise_set("0").exercises  # this file tests the welcome set


@pytest.fixture(scope="module")
def handcount():
    return Exercises(hand_counted_data(), record=False)


@pytest.fixture(scope="module")
def riverbend():
    return Exercises(load_city_data("riverbend"), record=False)


def counts(pairs: dict) -> pd.Series:
    return pd.Series(pairs, dtype="int64")


# --- Handcount: right answers worked out by hand -------------------------------------------

TOP_FIVE = {"Pothole repair": 20, "Graffiti removal": 15, "Streetlight out": 12,
            "Noise complaint": 10, "Missed trash collection": 8}  # the fixture's type counts
# 30/2,000, 20/4,000, 20/1,000 × 1,000 over the data's 24 calendar months, 2 years: ÷ 2
RATES = {"North": 7.5, "South": 2.5, "East": 10.0}

RIGHT_ANSWERS = {
    "0.1": 42,  # 2025: 3 months each of 2, 3, 5 and 4 requests
    "0.2": 3,  # 24 monthly counts: three 1s, six 2s, six 3s, six 4s, three 5s; 12th and 13th are 3
    "0.3": "C",  # average per month: Jan–Mar 1.5, Apr–Jun 2.5, Jul–Sep 4.5, Oct–Dec 3.5
    "0.4": counts(TOP_FIVE),
    "0.5": pd.Series(RATES),
    "0.6": "C",  # the per-1,000 chart
    "0.7": "B",  # keep both explanations open
    "0.8": "I would ask South's council office and compare with code inspections.",
    "0.9": 4 / 76,  # 2 duplicates + 1 closed before opened + 1 future date, of 76 rows read
    "0.10": 3.5,  # 64 closed: 16 each of 1, 2, 5, 30 days; the 32nd and 33rd are 2 and 5
}


def test_every_exercise_has_a_right_answer_here():
    assert set(RIGHT_ANSWERS) == {exercise.id for exercise in WELCOME}


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_the_solution_passes(handcount, exercise_id):
    feedback = handcount.check(exercise_id, RIGHT_ANSWERS[exercise_id])
    expected = SAVED if exercise_id == "0.8" else CORRECT
    assert feedback.status == expected, feedback


@pytest.mark.parametrize("exercise_id", list(RIGHT_ANSWERS))
def test_an_untouched_answer_is_not_started(handcount, exercise_id):
    feedback = handcount.check(exercise_id, ...)
    assert feedback.status == NOT_STARTED
    assert "Not started yet" in str(feedback)


KNOWN_MISTAKES = [
    ("0.1", 72, "whole period", "every request in the data"),  # both years: 30 + 42
    ("0.1", 76, "rows read", "rows set aside"),  # 72 kept + 4 set aside
    ("0.1", 30, "first 12 months", "first 12 months"),  # 2024 alone
    ("0.1", 34, "closed only", "only the closed requests"),  # 42 minus the 8 open
    ("0.2", 5, "busiest month", "busiest month"),  # July–September 2025
    ("0.2", 1, "quietest month", "quietest month"),  # January–March 2024
    ("0.2", 36, "a year, not a month", "whole year"),  # 3 × 12
    ("0.2", 0.1, "a day, not a month", "per day"),  # 3 / 30.4
    ("0.3", "A", "quietest quarter", "quietest quarter"),
    ("0.3", "D", "second busiest quarter", "second busiest"),
    ("0.3", "B", "another option", "not the best answer"),
    ("0.4", counts(TOP_FIVE) / 72, "shares, not counts", "shares"),
    ("0.4", counts(TOP_FIVE) / 72 * 100, "percent, not counts", "percents"),
    ("0.4", counts({"Streetlight out": 12, "Noise complaint": 10, "Missed trash collection": 8,
                    "Tree maintenance": 4, "Rodent control": 3}), "least common", "least common"),
    ("0.4", counts({"POTHOLE": 20, "GRAFFITI": 15, "STREETLIGHT": 12, "NOISE": 10,
                    "MISSED_COLLECTION": 8}), "codes, not names", "short codes"),
    ("0.4", counts({**TOP_FIVE, "Tree maintenance": 4}), "wrong number of rows",
     "Your table has 6 rows; the question asks for 5"),
    ("0.4", counts({**TOP_FIVE, "Pothole repair": 19}), "wrong numbers", "Pothole repair"),
    ("0.5", counts({"North": 30, "South": 20, "East": 20}), "raw counts, not per 1,000",
     "not rates"),
    ("0.5", pd.Series({"North": 0.0075, "South": 0.0025, "East": 0.01}),
     "per resident, not per 1,000", "per resident"),
    ("0.5", pd.Series({"North": 0.75, "South": 0.25, "East": 1.0}), "per 100, not per 1,000",
     "per 100 residents"),
    # the rates over the whole data, its 2 years not divided out: 15, 5 and 20
    ("0.5", pd.Series({"North": 15.0, "South": 5.0, "East": 20.0}),
     "the whole period, not a year", "over the whole data, which covers 2.0 years"),
    ("0.6", "D", "map without population", "does not allow for population"),
    ("0.6", "A", "time, not place", "month by month"),
    ("0.6", "B", "types, not place", "what residents ask for"),
    ("0.7", "A", "volume read as need", "hide unmet need"),
    ("0.7", "C", "low use read as bad data", "South's data is wrong"),
    ("0.7", "D", "crews follow calls", "under-served"),
    ("0.9", 400 / 76, "percent instead of share", "looks like a percent"),  # 5.26
    ("0.9", 4, "count, not share", "number of rows set aside"),
    ("0.9", 72 / 76, "share kept", "share of rows kept"),
    ("0.9", 8 / 76, "flagged rows counted as set aside", "kept and flagged"),  # + 2 + 2 flagged
    ("0.10", 9.5, "mean instead of median", "average (mean)"),  # 16 × (1+2+5+30) / 64
    # 8 open requests counted as closed on 31 December: their ages put 16 more values
    # above 2 days, so the 36th and 37th of 72 are both 5.
    ("0.10", 5.0, "open requests counted as closed", "still open"),
    # (608 closed days + 264 days of the 8 open ones, 9:00 to midnight counted) / 72 = 12.11
    ("0.10", 12.11, "mean, with open requests counted as closed", "two things pull it up"),
    ("0.10", 84, "hours, not days", "looks like hours"),  # 3.5 × 24
    ("0.10", 3.5 * 86_400, "seconds, not days", "looks like seconds"),
]


@pytest.mark.parametrize(("exercise_id", "answer", "mistake", "words"), KNOWN_MISTAKES,
                         ids=[f"{m[0]}-{m[2]}" for m in KNOWN_MISTAKES])
def test_a_known_wrong_answer_gets_its_own_message(handcount, exercise_id, answer, mistake,
                                                    words):
    feedback = handcount.check(exercise_id, answer)
    assert feedback.status == NOT_YET
    assert feedback.mistake == mistake, feedback
    assert words in feedback.message, feedback


def test_every_mistake_of_every_exercise_is_tested():
    tested = {(exercise_id, mistake) for exercise_id, _, mistake, _ in KNOWN_MISTAKES}
    defined = {(e.id, m.name) for e in WELCOME for m in e.mistakes}
    # "last calendar year" cannot arise in Handcount: its data ends on 31 December, so the
    # last 12 months are the calendar year (the test below covers it with a mid-year city).
    assert defined - tested == {("0.1", "last calendar year")}


def test_the_calendar_year_mistake_is_recognised_when_the_data_ends_mid_year():
    data = hand_counted_data()
    # Data from April 2024, extracted on 30 June 2025: the last 12 months are July 2024 to
    # June 2025 (4×3 + 3×3 + 2×3 + 3×3 = 36), the first 12 months April 2024 to March 2025
    # (33), and the last calendar year, 2024 from April, had 2×3 + 4×3 + 3×3 = 27.
    data.as_of = pd.Timestamp("2025-06-30 23:59:59")
    opened = data.requests["requested_datetime"]
    data.requests = data.requests[(opened >= "2024-04-01") & (opened <= data.as_of)]
    exercises = Exercises(data, record=False)
    assert exercises.check("0.1", 36).status == CORRECT
    assert exercises.check("0.1", 33).mistake == "first 12 months"
    feedback = exercises.check("0.1", 27)
    assert feedback.mistake == "last calendar year"
    assert "calendar year" in feedback.message


def test_right_answers_say_why_they_matter_with_the_citys_own_figures(handcount):
    feedback = handcount.check("0.5", pd.Series(RATES))
    assert feedback.message == ("East has the most requests per 1,000 residents a year (10.0) "
                                "and South the fewest (2.5).")
    assert feedback.why.startswith("Rates make districts of different sizes comparable")
    # South: 30% without internet; city: (0.10×2,000 + 0.30×4,000 + 0.05×1,000) / 7,000 = 21%
    choice = handcount.check("0.7", "B")
    assert "In South, 30% of households have no internet at home, against 21%" in choice.message


def test_a_table_is_compared_by_content_in_any_order_and_shape(handcount):
    reordered = counts(TOP_FIVE).sort_values()  # smallest first
    as_frame = counts(TOP_FIVE).rename_axis("service_name").reset_index(name="count")
    with_more_columns = as_frame.assign(share=as_frame["count"] / 72)
    for answer in (reordered, as_frame, with_more_columns, dict(TOP_FIVE)):
        assert handcount.check("0.4", answer).status == CORRECT, answer


def test_a_district_table_may_leave_out_districts_without_a_rate(handcount):
    # counts / population leaves NaN for a district name the city file does not have
    counts_ = pd.Series({"North": 30, "South": 20, "East": 20, "Nowhere": 3})
    population = pd.Series({"North": 2000, "South": 4000, "East": 1000})
    assert handcount.check("0.5", counts_ / population * 1000 / 2).status == CORRECT  # 2 years


def test_whole_days_and_lengths_of_time_are_accepted_for_days_to_close(handcount):
    assert handcount.check("0.10", pd.Timedelta(days=3, hours=12)).status == CORRECT
    assert handcount.check("0.10", 3.5).status == CORRECT


@pytest.mark.parametrize("answer", ["C", "c", " c ", "(C)", "C.", "July to September",
                                    "july to september"])
def test_a_choice_can_be_given_by_letter_or_words(handcount, answer):
    assert handcount.check("0.3", answer).status == CORRECT


@pytest.mark.parametrize(("exercise_id", "answer", "words"), [
    ("0.1", "42", "text in quotes"),
    ("0.1", None, "print()"),
    ("0.1", True, "yes/no value"),
    ("0.1", pd.Series([1, 2]), "column of 2 values"),
    ("0.1", float("nan"), "NaN"),
    ("0.4", 5, "asks for a table"),
    ("0.4", pd.DataFrame(), "empty"),
    ("0.3", "Summer", "not one of the options"),
    ("0.3", 3, "Choose one of"),
    ("0.8", 42, "text between quotes"),
])
def test_a_wrong_type_gets_feedback_not_an_error(handcount, exercise_id, answer, words):
    feedback = handcount.check(exercise_id, answer)
    assert feedback.status == NOT_YET
    assert feedback.mistake == "unreadable answer"
    assert words in feedback.message


# --- Riverbend: the same exercises on a generated city -------------------------------------


def riverbend_solutions(data) -> dict:
    """Each answer computed the way a participant would, step by step."""
    requests = data.requests
    opened = requests["requested_datetime"]
    last_year = requests[opened > data.as_of - pd.DateOffset(months=12)]
    monthly = requests.groupby(opened.dt.to_period("M")).size()  # generated data: whole months
    by_quarter = monthly.groupby(monthly.index.quarter).mean()
    counts_ = requests["district"].value_counts()
    population = data.districts.set_index("district")["population"]
    closed = requests[requests["status"] == "closed"]
    days = (closed["closed_datetime"] - closed["requested_datetime"]).dt.total_seconds() / 86400
    return {
        "0.1": len(last_year),
        "0.2": monthly.median(),
        "0.3": "ABCD"[int(by_quarter.idxmax()) - 1],
        "0.4": requests["service_name"].value_counts().head(5),
        "0.5": counts_ / population * 1000 / data.years_of_data,
        "0.6": "C",
        "0.7": "B",
        "0.8": "Before deciding, I would compare the district's inspections with its requests.",
        "0.9": data.account.rows_set_aside / data.account.rows_read,
        "0.10": days.median(),
        "mean days": days.mean(),
    }


@pytest.mark.slow
def test_riverbend_solutions_pass_and_untouched_answers_are_not_started(riverbend):
    solutions = riverbend_solutions(riverbend.data)
    for exercise in WELCOME:
        feedback = riverbend.check(exercise.id, solutions[exercise.id])
        assert feedback.status in {CORRECT, SAVED}, feedback
        assert riverbend.check(exercise.id, ...).status == NOT_STARTED


@pytest.mark.slow
def test_riverbend_wrong_answers_get_their_messages(riverbend):
    solutions = riverbend_solutions(riverbend.data)
    assert riverbend.check("0.10", solutions["mean days"]).mistake == "mean instead of median"
    assert riverbend.check("0.1", len(riverbend.data.requests)).mistake == "whole period"
    assert riverbend.check("0.9", solutions["0.9"] * 100).mistake == "percent instead of share"
    rates = solutions["0.5"]
    assert riverbend.check("0.5", rates / 1000).mistake == "per resident, not per 1,000"


# --- the no-code forms, on Handcount ------------------------------------------------------

# Each: the widget's value for the right answer, and for one named mistake (worked out from
# exercise_fixtures' rules). Slider positions are the figures on the slider's own steps; a
# table menu's option is the table it offers (its letter is drawn from its numbers).
WIDGET_ANSWERS = {
    # 2025: 2 + 2 + 2 + 3 + 3 + 3 + 5 + 5 + 5 + 4 + 4 + 4 = 42; every usable request: 72.
    "0.1": (42, 72, "whole period"),
    # The five most common types (20, 15, 12, 10, 8), and the five least common (12, 10, 8,
    # 4, 3).
    "0.4": ({"Pothole repair": 20, "Graffiti removal": 15, "Streetlight out": 12,
             "Noise complaint": 10, "Missed trash collection": 8},
            {"Streetlight out": 12, "Noise complaint": 10, "Missed trash collection": 8,
             "Tree maintenance": 4, "Rodent control": 3}, "least common"),
    # Rates a year (2 years): North 30 / 2,000 × 1,000 / 2 = 7.5, South 20 / 4,000 × 1,000
    # / 2 = 2.5, East 20 / 1,000 × 1,000 / 2 = 10; over the whole period 15, 5 and 20.
    "0.5": ({"North": 7.5, "South": 2.5, "East": 10.0}, {"North": 15.0, "South": 5.0,
                                                          "East": 20.0},
            "the whole period, not a year"),
    # 4 of 76 rows set aside = 0.0526 (0.053 on the slider); 72 of 76 kept = 0.947.
    "0.9": (0.053, 0.947, "share kept"),
    # 16 closed requests each took 1, 2, 5 and 30 days: the 32nd and 33rd are 2 and 5, so the
    # median is 3.5; the mean is (1 + 2 + 5 + 30) / 4 = 9.5.
    "0.10": (3.5, 9.5, "mean instead of median"),
}


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    return recording_session(hand_counted_data(), tmp_path_factory.mktemp("widgets"))


@pytest.mark.parametrize("exercise_id", list(WIDGET_ANSWERS))
def test_the_no_code_form_is_right_wrong_or_not_started(recorded, exercise_id):
    right, wrong, mistake = WIDGET_ANSWERS[exercise_id]
    if isinstance(right, dict):  # a table menu: the letter of the table holding these rows
        right, wrong = letter_of(recorded, exercise_id, right), letter_of(recorded, exercise_id,
                                                                          wrong)
    assert untouched_status(recorded, exercise_id) == NOT_STARTED
    assert answer_by_widget(recorded, exercise_id, right) == (CORRECT, "")
    assert answer_by_widget(recorded, exercise_id, wrong) == (NOT_YET, mistake)


def test_the_sliders_reach_the_answers_on_their_own_steps(handcount):
    assert slider_bounds(handcount, "0.1") == (0, 76, 1)  # every row read, one at a time
    assert slider_bounds(handcount, "0.9") == (0, 1, 0.001)
    low, high, step = slider_bounds(handcount, "0.10")
    assert (low, step) == (0, 0.1) and high >= 9.5
    assert handcount.widget("0.9").control.readout_format == ",.3f"


def test_a_count_of_every_request_is_typed_in_a_number_box(handcount, riverbend):
    import ipywidgets as widgets

    # 0.1 counts tens of thousands of requests in a real city, where no drag stops on one
    # number: a box to type it in, with the slider's bounds, checked once it is typed.
    # 0.9's share, 1,000 steps of 0.001, is still a slider (arrow keys reach each step).
    assert isinstance(handcount.widget("0.9").control, widgets.FloatSlider)
    for session in (handcount, riverbend):
        box = session.widget("0.1")
        assert isinstance(box.control, widgets.BoundedIntText)
        assert (box.control.min, box.control.max, box.control.step) == \
            slider_bounds(session, "0.1")
        notes = " ".join(c.value for c in box.children if isinstance(c, widgets.HTML))
        assert "press Enter" in notes and "slider" not in notes
        assert 'data-status="not started"' in box.feedback.value
        box.control.value = 5
        assert 'data-status="not yet"' in box.feedback.value
    assert slider_bounds(riverbend, "0.1")[1] > 10_000


def test_the_tables_to_choose_from_are_the_right_one_and_the_mistakes(handcount):
    # 0.5: the rates a year (7.5, 2.5, 10), per 100 residents (a tenth), over the whole
    # period (twice) and the raw counts, each under its own letter
    tables = [{"North": 7.5, "South": 2.5, "East": 10.0}, {"North": 0.75, "South": 0.25,
                                                          "East": 1.0},
              {"North": 15.0, "South": 5.0, "East": 20.0}, {"North": 30, "South": 20, "East": 20}]
    assert sorted(letter_of(handcount, "0.5", table) for table in tables) == ["A", "B", "C", "D"]
    assert letter_of(handcount, "0.4", {"Pothole repair": 20 / 72, "Graffiti removal": 15 / 72,
                                        "Streetlight out": 12 / 72, "Noise complaint": 10 / 72,
                                        "Missed trash collection": 8 / 72}) in "ABCD"
    shown = handcount.show_choices("0.5")
    assert str(shown).count("Table ") == 4 and "7.5" in str(shown)
    assert "cda-table-choices" in shown._repr_html_()


def test_the_page_shows_what_the_no_code_forms_read(handcount):
    months = handcount.inputs("0.1").to_frame()
    assert months["Requests"].tolist() == ["2", "2", "2", "3", "3", "3", "5", "5", "5", "4",
                                           "4", "4"]  # they add up to 42
    assert months["From"].iloc[0] == "01 Jan 2025" and months["To"].iloc[-1] == "31 Dec 2025"
    districts = handcount.inputs("0.5")
    assert districts.to_frame().values.tolist() == [["North", "30", "2,000"],
                                                    ["South", "20", "4,000"],
                                                    ["East", "20", "1,000"]]
    assert "(2 years)" in districts.caption
    days = handcount.inputs("0.10")
    # 64 closed: half is 32, reached exactly at 2 days, so the median is halfway to 5 days.
    assert days.to_frame().values.tolist() == [["1", "16", "16"], ["2", "16", "32"],
                                               ["5", "16", "48"], ["30", "16", "64"]]
    assert days.caption.startswith("The 64 closed requests")
