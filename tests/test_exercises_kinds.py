"""Answer kinds: tolerances, tables by content, choices, reflections; no answer crashes a check."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from exercise_fixtures import hand_counted_data
from hypothesis import HealthCheck, given, settings, strategies as st

from cda_lib.exercises import Exercises
from cda_lib.exercises.catalog import exercise_ids
from cda_lib.exercises.feedback import NOT_STARTED, STATUSES
from cda_lib.exercises.kinds import (
    AnswerFormError,
    Choice,
    Number,
    Reflection,
    Table,
)


@pytest.mark.parametrize(("kind", "given", "expected", "right"), [
    (Number(), 42, 42, True),
    (Number(), 42.0000000001, 42, True),  # float round-off is not a mistake
    (Number(), 43, 42, False),
    (Number(absolute=0.05), 3.45, 3.5, True),
    (Number(absolute=0.05), 3.44, 3.5, False),
    (Number(relative=0.1), 110, 100, True),
    (Number(relative=0.1), 110.5, 100, False),
    (Number(absolute=1, relative=0.01), 1001, 1000, True),  # the wider of the two
])
def test_a_number_is_right_within_its_tolerance(kind, given, expected, right):
    assert kind.matches(kind.read(given), expected) is right


def test_numbers_come_in_many_forms():
    kind = Number(unit="days")
    assert kind.read(np.float64(2.5)) == 2.5
    assert kind.read(np.int64(3)) == 3
    assert kind.read(pd.Series([7])) == 7
    assert kind.read([8]) == 8
    assert kind.read(pd.Timedelta(hours=36)) == 1.5
    assert kind.read(dt.timedelta(days=2)) == 2


def test_a_length_of_time_is_not_a_count():
    with pytest.raises(AnswerFormError, match="length of time"):
        Number(unit="requests").read(pd.Timedelta(days=2))


def test_a_share_given_as_a_percent_is_recognised():
    diagnosis = Number(absolute=0.001, share=True).diagnose(1.76, 0.0176)
    assert diagnosis.name == "percent instead of share"
    assert "divide by 100 (so 1.76% is 0.0176)" in diagnosis.message


def test_a_near_miss_is_called_close_and_a_far_one_says_which_way():
    kind = Number(absolute=0.001)
    assert kind.diagnose(0.02, 0.0176).name == "close"
    assert kind.diagnose(0.5, 0.0176).message == \
        "0.5 is higher than the figure from your city's data."
    assert kind.diagnose(0.001, 0.0176).name == "too low"


def test_tables_match_by_content_ignoring_case_spaces_and_order():
    kind = Table(key="district", value="requests")
    expected = pd.Series({"North": 2, "South": 1})
    assert kind.matches(kind.read(pd.Series({" south": 1, "NORTH ": 2})), expected)
    assert not kind.matches(kind.read(pd.Series({"North": 2, "South": 2})), expected)


def test_an_ordered_table_must_be_in_order():
    kind = Table(key="type", value="requests", ordered=True)
    expected = pd.Series({"A": 3, "B": 2})
    assert kind.matches(kind.read(pd.Series({"A": 3, "B": 2})), expected)
    flipped = kind.read(pd.Series({"B": 2, "A": 3}))
    assert not kind.matches(flipped, expected)
    assert kind.diagnose(flipped, expected).name == "wrong order"


def test_a_zero_row_may_be_left_out_of_a_table():
    kind = Table(key="district", value="requests")
    assert kind.matches(kind.read(pd.Series({"North": 2})), pd.Series({"North": 2, "South": 0}))


def test_a_table_with_a_name_column_and_several_number_columns_is_searched():
    kind = Table(key="district", value="rate")
    frame = pd.DataFrame({"district": ["North", "South"], "requests": [30, 20],
                          "population": [2000, 4000], "rate": [15.0, 5.0]})
    assert kind.matches(kind.read(frame), pd.Series({"North": 15.0, "South": 5.0}))


@pytest.mark.parametrize(("answer", "words"), [
    (pd.DataFrame({"district": ["North"], "name": ["n"]}), "no column of numbers"),
    (pd.DataFrame({"requests": [1, 2]}), "no column naming each district"),
    (pd.Series([1, 2], index=["North", "North"]), "more than once"),
    (pd.Series(["a", "b"], index=["North", "South"]), "not numbers"),
    (pd.Series(range(600)), "600 rows"),
    (pd.Series({"North": np.nan}), "Every number in your table is empty"),
])
def test_a_table_that_cannot_be_read_says_why(answer, words):
    with pytest.raises(AnswerFormError, match=words):
        Table(key="district", value="requests").read(answer)


def test_table_diagnosis_names_one_wrong_row_without_giving_the_rest_away():
    kind = Table(key="district", value="requests")
    expected = pd.Series({"North": 2, "South": 1, "East": 5})
    diagnosis = kind.diagnose(kind.read(pd.Series({"North": 2, "South": 1, "West": 5})),
                              expected)
    assert diagnosis.message.startswith('"West" should not be in the table')
    assert "East" not in diagnosis.message


def test_a_choice_that_is_not_an_option_lists_the_options():
    kind = Choice(options=(("A", "Spring"), ("B", "Summer")))
    with pytest.raises(AnswerFormError) as caught:
        kind.read("Sumer")
    assert 'Did you mean "Summer"?' in str(caught.value)
    assert '"A" and "B"' in str(caught.value)


@pytest.mark.parametrize("answer", [..., None, "", "   ", "Write your answer here.", "..."])
def test_an_empty_reflection_is_not_started(answer):
    assert Reflection().is_untouched(answer)


# Anything a notebook cell could produce, including the strange.
ANYTHING = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30), st.binary(max_size=10), st.lists(st.integers(), max_size=5),
    st.dictionaries(st.text(max_size=8), st.integers() | st.text(max_size=5), max_size=4),
    st.just(pd.DataFrame()), st.just(pd.Series(dtype="float64")), st.just(object()),
    st.just(pd.Timestamp("2025-01-01")), st.just(pd.NaT), st.just(np.array([[1, 2], [3, 4]])),
    st.just(pd.DataFrame({"a": [1, None], "b": ["x", "y"]})), st.just(lambda: 1),
    st.builds(pd.Series, st.lists(st.floats(allow_nan=True), max_size=5)),
    st.builds(pd.Series, st.dictionaries(st.text(max_size=5), st.floats(allow_nan=True),
                                         max_size=5)),
)


@pytest.fixture(scope="module")
def exercises():
    return Exercises(hand_counted_data(), record=False)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(exercise_id=st.sampled_from(exercise_ids()), answer=ANYTHING)
def test_no_answer_of_any_type_makes_a_check_raise(exercises, exercise_id, answer):
    feedback = exercises.check(exercise_id, answer)
    assert feedback.status in STATUSES
    assert feedback.message
    if feedback.status != NOT_STARTED:
        assert "Not started" not in str(feedback)
