"""Tests of cda_lib.themes.lead.questions: a leader's question made measurable, and answered.

The requests are built by hand; each expected figure says how it is worked out.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cda_lib.themes.lead.questions import MeasurableQuestion, QuestionError


def requests(opened: list[str], days: list[float | None], code: str = "POTHOLE",
             district: str = "North") -> pd.DataFrame:
    start = pd.to_datetime(opened)
    return pd.DataFrame({
        "service_code": code, "service_name": "Pothole repair" if code == "POTHOLE" else code,
        "district": district,
        "status": ["open" if d is None else "closed" for d in days],
        "requested_datetime": start,
        "closed_datetime": [s + pd.Timedelta(days=d) if d is not None else pd.NaT
                            for s, d in zip(start, days, strict=True)],
    })


# 30 potholes in March 2024 closing in 4 days each, 30 in March 2025 in 2 days each (and
# the first four in 8 days): medians 4.0 and 2.0 days.
TABLE = pd.concat([
    requests(["2024-03-05"] * 30, [4.0] * 30),
    requests(["2025-03-05"] * 30, [8.0] * 4 + [2.0] * 26),
], ignore_index=True)
AS_OF = pd.Timestamp("2025-04-30")


def test_a_vague_question_lists_the_parts_it_still_needs():
    question = MeasurableQuestion("Are potholes getting better?", metric="median_days")
    assert question.missing() == ["when (a period)", "compared with what",
                                  "so what (the decision)"]
    assert not question.is_measurable
    with pytest.raises(QuestionError, match="when"):
        question.answer(TABLE, as_of=AS_OF)


def test_a_measurable_question_is_answered_with_its_comparison():
    question = MeasurableQuestion("Are potholes getting fixed faster?", metric="median_days",
                                  service_code="Pothole repair", period="2025-03",
                                  compared_with="2024-03", decision="whether to keep the crew")
    assert question.missing() == []
    answer = question.answer(TABLE, as_of=AS_OF)
    assert (answer.value, answer.compared, answer.change) == (2.0, 4.0, -2.0)
    assert answer.sentence() == (
        "Median days to close, Pothole repair requests citywide: 2.0 days for the 30 requests "
        "opened in March 2025, against 4.0 days in March 2024: 2.0 days lower, which is "
        "better.")


def test_a_share_higher_is_better_and_demand_has_no_better_direction():
    standards = {"POTHOLE": 5}
    # on time within 5 days: all 30 in 2024 (4 days); 26 of 30 in 2025 (4 took 8 days)
    on_time = MeasurableQuestion("On time?", metric="on_time_share", period="2025-03",
                                 compared_with="2024-03").answer(TABLE, standards, as_of=AS_OF)
    assert on_time.value == pytest.approx(26 / 30) and on_time.compared == 1.0
    # 100% - 86.67% = 13.3 points: every page writes a difference of shares in "points"
    assert on_time.sentence().endswith("13.3 points lower, which is worse.")
    count = MeasurableQuestion("How many?", metric="requests", district="North",
                               period=("2025-03-01", "2025-03-31"),
                               compared_with="2024").answer(TABLE, as_of=AS_OF)
    assert count.sentence() == ("All requests in North: 30 opened between 1 March 2025 and 31 "
                                "March 2025, against 30 in 2024: about the same.")


def test_too_few_requests_give_no_answer_and_say_why():
    small = requests(["2025-03-05"] * 5, [1.0] * 5)
    answer = MeasurableQuestion("Fast?", metric="median_days", period="2025-03").answer(
        small, as_of=AS_OF)
    assert answer.value is None
    assert "too few requests to be meaningful: 5 (at least 30 are needed)" in answer.sentence()


def test_a_lower_bound_is_said_to_be_one():
    # 30 requests, 20 still open at the extract: the median is only "at least".
    table = requests(["2025-03-05"] * 30, [1.0] * 10 + [None] * 20)
    answer = MeasurableQuestion("Fast?", metric="median_days", period="2025-03").answer(
        table, as_of=AS_OF)
    assert "lower bound" in answer.sentence()


def test_a_comparison_period_the_data_does_not_cover_gives_no_figure_not_an_error():
    answer = MeasurableQuestion("Fast?", metric="median_days", period="2025-03",
                                compared_with="2023-03").answer(TABLE, as_of=AS_OF)
    assert answer.value == 2.0 and answer.compared is None
    assert answer.sentence().endswith("no figure in March 2023. In March 2023, the data has no "
                                      "such requests to measure.")
    with pytest.raises(KeyError, match='no request type "Potholes"'):
        MeasurableQuestion("Fast?", metric="median_days", service_code="Potholes",
                           period="2025-03").answer(TABLE, as_of=AS_OF)


def test_unknown_metrics_and_unreadable_periods_are_refused_at_once():
    with pytest.raises(QuestionError, match='Did you mean "median_days"'):
        MeasurableQuestion("?", metric="median_day")
    with pytest.raises(ValueError, match="not a period"):
        MeasurableQuestion("?", metric="median_days", period="last spring")


def test_the_question_shows_itself_as_a_card_with_the_missing_parts():
    card = MeasurableQuestion("Is graffiti under control?")._repr_html_()
    assert "Is graffiti under control?" in card and card.count("not stated yet") == 4


def test_the_on_time_share_says_how_many_requests_it_is_of_and_how_many_are_still_due():
    # 2025: the 30 March potholes above, plus 10 opened 28 April 2025, two days before the
    # extract: their 5-day standard has not passed, so they are pending, not late. The
    # share is 26 on time of the 30 whose standard has passed, not of all 40.
    table = pd.concat([TABLE, requests(["2025-04-28"] * 10, [None] * 10)], ignore_index=True)
    answer = MeasurableQuestion("On time?", metric="on_time_share", period="2025",
                                ).answer(table, {"POTHOLE": 5}, as_of=AS_OF)
    assert answer.value == pytest.approx(26 / 30) and answer.requests == 30
    assert answer.sentence() == (
        "Share closed within the service standard, all requests citywide: 87% of "
        "the 30 requests opened in 2025 whose standard has passed. In 2025, 10 more requests "
        "are still within their standard, so they are not counted yet.")
