"""Tests of periods (cda_lib.metrics.periods): labels, words, bounds and whole months.

Every expected value is worked out by hand from the dates written in the test: the
comment beside it says which days the data covers and why a month is whole or not.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cda_lib.metrics.inputs import MetricInputError
from cda_lib.metrics.periods import (
    describe_period,
    period_bounds,
    period_label,
    period_labels,
    periods_over,
    requests_per_whole_month,
    whole_months,
)


def opened(*dates: str) -> pd.Series:
    return pd.Series(pd.to_datetime(list(dates), format="ISO8601"), dtype="datetime64[ns]")


def months(index: pd.PeriodIndex) -> list[str]:
    return [str(month) for month in index]


# --- whole months ------------------------------------------------------------------------


def test_a_month_with_no_requests_is_a_whole_month_of_zero():
    # 1 January to 31 March: all three months covered from first day to last; February has
    # no requests, so it counts 0 (a month of no requests), not left out.
    dates = opened("2025-01-01", "2025-01-31", "2025-03-01", "2025-03-31")
    assert months(whole_months(dates)) == ["2025-01", "2025-02", "2025-03"]
    assert requests_per_whole_month(dates).tolist() == [2, 0, 2]


def test_a_first_month_that_starts_on_its_second_day_is_left_out():
    # the data starts 2 January: January is only partly covered; February is whole (1st-28th)
    dates = opened("2025-01-02", "2025-01-20", "2025-02-01", "2025-02-28")
    assert months(whole_months(dates)) == ["2025-02"]
    assert requests_per_whole_month(dates).to_dict() == {pd.Period("2025-02", "M"): 2}


def test_a_last_month_that_ends_early_is_left_out():
    # the data stops 27 February, a day before February's last: only January is whole
    dates = opened("2025-01-01", "2025-01-31 12:00", "2025-02-01", "2025-02-27")
    assert months(whole_months(dates)) == ["2025-01"]
    assert requests_per_whole_month(dates).tolist() == [2]


def test_a_request_late_on_the_last_day_covers_that_day():
    # 18:00 on 31 March is on March's last day, so March is whole
    dates = opened("2025-03-01 09:00", "2025-03-31 18:00")
    assert months(whole_months(dates)) == ["2025-03"]


def test_a_leap_february_ends_on_the_29th():
    # 2024 is a leap year: a last request on 28 February leaves February short a day
    assert months(whole_months(opened("2024-02-01", "2024-02-28"))) == []
    assert months(whole_months(opened("2024-02-01", "2024-02-29"))) == ["2024-02"]


@pytest.mark.parametrize("dates", [("2025-01-05", "2025-01-25"),  # inside one month
                                   ("2025-01-05", "2025-02-20"),  # two part months
                                   ()],  # no requests at all
                         ids=["inside-one-month", "two-part-months", "empty"])
def test_data_shorter_than_one_whole_month_has_no_whole_months(dates):
    assert months(whole_months(opened(*dates))) == []
    counts = requests_per_whole_month(opened(*dates))
    assert counts.empty and counts.dtype == "int64"


def test_requests_without_a_date_are_not_counted():
    dates = pd.Series(pd.to_datetime(["2025-01-01", None, "2025-01-31"]))
    assert requests_per_whole_month(dates).tolist() == [2]


# --- labels and words --------------------------------------------------------------------


@pytest.mark.parametrize(("time_key", "label", "words"), [
    ("week", "2025-03-10/2025-03-16", "the week of 10 Mar 2025"),  # Friday 14 March's week
    ("month", "2025-03", "March 2025"),
    ("quarter", "2025Q1", "Q1 2025"),
    ("year", "2025", "2025"),
])
def test_each_period_has_one_label_and_one_way_to_say_it(time_key, label, words):
    assert period_label(pd.Timestamp("2025-03-14 15:00"), time_key) == label
    assert describe_period(label) == words


def test_a_column_of_dates_gets_the_same_labels_as_each_date_alone():
    # Sunday 16 March closes the week of 10 March; Monday 17 March opens the next one
    dates = pd.Series(pd.to_datetime(["2025-03-16 23:00", "2025-03-17 00:00"]))
    assert period_labels(dates, "week").tolist() == ["2025-03-10/2025-03-16",
                                                     "2025-03-17/2025-03-23"]
    assert period_labels(dates, "week").tolist() == [period_label(d, "week") for d in dates]
    with pytest.raises(MetricInputError, match='"fortnight" is not a period'):
        period_labels(dates, "fortnight")


def test_a_week_runs_monday_to_sunday():
    # Sunday 16 March 2025 ends the week that began Monday 10 March; Monday 17 starts the next
    assert period_label(pd.Timestamp("2025-03-16 23:00"), "week") == "2025-03-10/2025-03-16"
    assert period_label(pd.Timestamp("2025-03-17"), "week") == "2025-03-17/2025-03-23"


def test_an_unknown_period_key_lists_the_periods():
    with pytest.raises(MetricInputError, match='"fortnight" is not a period'):
        period_label(pd.Timestamp("2025-03-14"), "fortnight")


def test_a_label_that_is_not_a_period_is_said_as_it_is():
    assert describe_period("Mill District") == "Mill District"


def test_period_bounds_include_the_whole_last_day():
    start, end = period_bounds(("2025-03-01", "2025-03-31"))
    assert start == pd.Timestamp("2025-03-01")
    assert end == pd.Timestamp("2025-03-31 23:59:59.999999999")
    assert period_bounds("2025Q1") == (pd.Timestamp("2025-01-01"),
                                       pd.Timestamp("2025-03-31 23:59:59.999999999"))


def test_a_period_is_over_once_its_last_day_has_begun():
    march_and_april = pd.period_range("2025-03", "2025-04", freq="M")
    # extracted at midnight starting 30 April: March is over, April's last day has begun
    assert periods_over(march_and_april, pd.Timestamp("2025-04-30")).tolist() == [True, True]
    assert periods_over(march_and_april, pd.Timestamp("2025-04-29 23:59")).tolist() == [True,
                                                                                       False]
