"""Tests of cda_lib.themes.lead.pilot_evaluation: the plan, the readings, the truth check,
the record.

Pilotville (tests/lead_fixtures.py) has identical weeks within each period, so its shares,
its difference in differences and even its bootstrap interval (every resample is the same)
are known by hand; the comment beside each expected number says how.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
from lead_fixtures import PILOT_START, pilot_data, weeks

from cda_lib.core.workspace import Workspace
from cda_lib.data import load_city_data
from cda_lib.metrics.evaluation import EvaluationError
from cda_lib.metrics.inputs import UnknownChoiceError
from cda_lib.themes.lead import pilot_evaluation as pe, pilot_truth


@pytest.fixture(scope="module")
def clear():
    """South 5 -> 8 of 10 on time, comparison 12 -> 13 of 20: +30 and +5 points, DiD +25."""
    return pilot_data(weeks(5, 8), weeks(12, 13))


@pytest.fixture(scope="module")
def clear_result(clear):
    return pe.evaluate(clear)


@pytest.fixture(scope="module")
def riverbend():
    return load_city_data("riverbend")


def real_data(requests: pd.DataFrame, standards: dict) -> SimpleNamespace:
    """A stand-in for a city with real data (no planted pilot)."""
    return SimpleNamespace(requests=requests, is_synthetic=False,
                           city=SimpleNamespace(name="Realton", id="realton",
                                                service_standards=standards))


# --- the plan -------------------------------------------------------------------------------


def test_a_synthetic_city_gets_its_planted_pilot(clear):
    plan = pe.evaluation_plan(clear)
    # Handcount's most low-income district is South (0.35); 60% of 2024-2025 is 14 March
    # 2025, so the pilot starts on 1 April 2025; the generator's pilot type is POTHOLE.
    assert (plan.district, plan.service_code, plan.start, plan.kind) == \
        ("South", "POTHOLE", PILOT_START, pe.PLANTED)
    assert plan.service_name == "Pothole repair"
    assert "half the time" in plan.describe() and "true effect is known" in plan.describe()


def test_naming_part_of_a_change_makes_a_chosen_plan(clear):
    plan = pe.evaluation_plan(clear, district="North", start="2025-05-06 14:00")
    assert (plan.district, plan.service_code, plan.start, plan.kind) == \
        ("North", "POTHOLE", pd.Timestamp("2025-05-06"), pe.CHOSEN)
    assert plan.describe().startswith("The change you named")


def test_a_mistyped_district_or_start_gets_a_clear_message(clear):
    with pytest.raises(UnknownChoiceError, match='Did you mean "South"'):
        pe.evaluation_plan(clear, district="Sout")
    with pytest.raises(EvaluationError, match='"April the first" is not a date'):
        pe.evaluation_plan(clear, start="April the first")


def test_a_city_with_real_data_gets_a_practice_run():
    requests = pd.DataFrame({
        "service_code": ["NOISE", "POTHOLE", "POTHOLE", "POTHOLE", "GRAFFITI"],
        "service_name": ["Noise", "Pothole", "Pothole", "Pothole", "Graffiti"],
        "district": ["A", "B", "B", "A", "A"],
        "requested_datetime": pd.to_datetime(["2024-01-10", "2024-03-01", "2024-06-01",
                                              "2024-09-01", "2024-11-20"])})
    plan = pe.evaluation_plan(real_data(requests, {"POTHOLE": 5, "NOISE": 2}))
    # POTHOLE is preferred when it has a standard; B has two of its three requests; the
    # requests run 10 Jan to 20 Nov 2024 (315 days); 60% in is day 189, 17 July: so 1 August.
    assert (plan.district, plan.service_code, plan.start, plan.kind) == \
        ("B", "POTHOLE", pd.Timestamp("2024-08-01"), pe.PRACTICE)
    assert "probably zero" in plan.describe()


def test_the_change_a_coach_names_in_the_city_file_replaces_the_practice_run():
    requests = pd.DataFrame({
        "service_code": ["NOISE", "POTHOLE", "POTHOLE", "POTHOLE", "GRAFFITI"],
        "service_name": ["Noise", "Pothole", "Pothole", "Pothole", "Graffiti"],
        "district": ["A", "B", "B", "A", "A"],
        "requested_datetime": pd.to_datetime(["2024-01-10", "2024-03-01", "2024-06-01",
                                              "2024-09-01", "2024-11-20"])})
    data = real_data(requests, {"POTHOLE": 5, "NOISE": 2})
    data.city.pilot = {"district": "A", "start": pd.Timestamp("2024-06-03").date()}
    plan = pe.evaluation_plan(data)
    # the district and start come from the city file, the type from the practice run
    assert (plan.district, plan.service_code, plan.start, plan.kind) == \
        ("A", "POTHOLE", pd.Timestamp("2024-06-03"), pe.CHOSEN)
    data.city.pilot = {"service": "NOISE"}
    assert pe.evaluation_plan(data).service_code == "NOISE"


def test_a_short_extract_gets_a_practice_start_inside_it():
    # 03 Feb to 29 Mar 2020: 60% in is 05 Mar; 01 Apr is past the data, so the Monday
    # after 05 Mar (a Thursday): 09 Mar
    opened = pd.Series(pd.to_datetime(["2020-02-03", "2020-03-29"]))
    assert pe.practice_start(opened) == pd.Timestamp("2020-03-09")


def test_a_practice_run_without_potholes_takes_the_commonest_type_with_a_standard():
    requests = pd.DataFrame({
        "service_code": ["NOISE", "NOISE", "GRAFFITI", "GRAFFITI", "GRAFFITI"],
        "service_name": ["Noise"] * 2 + ["Graffiti"] * 3, "district": ["A", "B", "A", "B", "B"],
        "requested_datetime": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01",
                                              "2024-04-01", "2024-05-01"])})
    plan = pe.evaluation_plan(real_data(requests, {"NOISE": 2}))  # GRAFFITI has no standard
    assert (plan.service_code, plan.district) == ("NOISE", "A")  # a tie: the first name
    with pytest.raises(EvaluationError, match="has a service standard"):
        pe.evaluation_plan(real_data(requests, {"SIDEWALK": 60}))


def test_the_practice_start_is_the_first_of_the_month_after_sixty_percent():
    # 1 Jan to 11 Jan: 60% of 10 days is 7 January; 1 February and the Monday after (13
    # January) are both past the data, so the start is 7 January itself.
    opened = pd.Series(pd.to_datetime(["2025-01-01", "2025-01-11"]))
    assert pe.practice_start(opened) == pd.Timestamp("2025-01-07")
    # 60% of 1 Jan to 21 Feb 2025 (51 days) is 30.6 days: 31 Jan 14:24, so 1 February.
    opened = pd.Series(pd.to_datetime(["2025-01-01", "2025-02-21"]))
    assert pe.practice_start(opened) == pd.Timestamp("2025-02-01")


# --- comparison groups, placebo, readings ---------------------------------------------------


def test_similar_districts_are_the_closest_with_ties_by_name():
    # Shares exact in binary, so the ties are exact: from A (0.5), D and E are 0.125 away,
    # B and C 0.25 away; ties go to the first name.
    table = pd.DataFrame({"district": ["A", "B", "C", "D", "E"],
                          "share_low_income": [0.5, 0.25, 0.75, 0.375, 0.625]})
    assert pe.similar_districts(table, "A") == ["D", "E"]
    assert pe.similar_districts(table, "A", n=3) == ["D", "E", "B"]
    with pytest.raises(EvaluationError, match='no district "Z"'):
        pe.similar_districts(table, "Z")
    with pytest.raises(EvaluationError, match='no column "share_renters"'):
        pe.similar_districts(table, "A", by="share_renters")


def test_the_clear_pilot_is_read_as_a_real_change(clear_result):
    # Every week is the same, so every resample gives +25 points: the interval is a point.
    assert clear_result.estimate == pytest.approx(0.25)
    assert (clear_result.low, clear_result.high) == pytest.approx((0.25, 0.25))
    reading = pe.leader_reading(clear_result)
    assert "leaves out zero" in reading.verdict
    assert "between +25 points and +25 points" in reading.may_say[0]
    assert any("It will do the same everywhere" in line for line in reading.should_not_say)
    assert "Weigh the gain against the cost" in reading.next_steps[0]
    assert "You should not say" in str(reading) and "<ul>" in reading._repr_html_()
    sentence = pe.placebo_sentence(clear_result)
    # The fake start is halfway through the 16 before weeks: 8 weeks before 1 April 2025.
    assert "04 Feb 2025" in sentence
    assert "0 points" in sentence and "moved in parallel" in sentence


def test_no_effect_is_read_as_not_yet_clear_never_as_no_effect():
    result = pe.evaluate(pilot_data(weeks(5, 5), weeks(12, 12)))  # nothing changes: 0
    assert (result.estimate, result.low, result.high) == pytest.approx((0, 0, 0))
    reading = pe.leader_reading(result)
    assert "includes zero" in reading.verdict
    assert any('"The change did not work."' in line for line in reading.should_not_say)
    assert "Keep the change running" in reading.next_steps[0]


def test_a_drifting_comparison_is_flagged_by_the_placebo_and_the_reading():
    # South falls from 5 to 3 of 10 halfway through the before weeks while the comparison
    # stays at 12 of 20: the placebo finds (0.3 - 0.5) - 0 = -20 points.
    result = pe.evaluate(pilot_data(weeks([5] * 8 + [3] * 8, 8), weeks(12, 13)))
    assert result.placebo.estimate == pytest.approx(-0.2)
    assert "drifting apart" in pe.placebo_sentence(result)
    reading = pe.leader_reading(result)
    assert "Caution" in reading.verdict
    assert "most similar districts" in reading.next_steps[0]


def test_a_placebo_needs_sixteen_before_weeks():
    short = SimpleNamespace(placebo=None)
    assert "too few weeks" in pe.placebo_sentence(short)


# --- the truth -----------------------------------------------------------------------------


def test_a_real_city_and_another_plan_have_no_truth(clear, clear_result):
    assert pilot_truth.planted_truth(real_data(pd.DataFrame(), {})) is None
    truth = pilot_truth.PlantedTruth("South", "POTHOLE", PILOT_START, 0.25)
    other = pe.evaluation_plan(clear, district="North")
    check = pe.truth_check(clear_result, truth, other)
    assert check.covered is None and "never gets to see the true effect" in check.text()
    assert pe.truth_check(clear_result, truth, pe.evaluation_plan(clear)).covered is True


@pytest.mark.slow
@pytest.mark.parametrize("city", ["riverbend", "port-harmon"])
def test_the_demo_estimate_brackets_the_planted_truth(city):
    """The point of the page: on a synthetic city the interval can be checked, and it
    covers the true effect the generator recorded (a 95% interval should, in most cities)."""
    data = load_city_data(city)
    plan = pe.evaluation_plan(data)
    truth = pilot_truth.planted_truth(data)
    assert (truth.district, truth.service_code, truth.start) == \
        (plan.district, plan.service_code, plan.start)
    assert pe.truth_check(pe.evaluate(data, plan), truth, plan).covered is True


# --- the record ----------------------------------------------------------------------------


def test_the_estimate_is_recorded_in_the_workspace(clear, clear_result, tmp_path):
    workspace = Workspace("hand_counted_city", folder=tmp_path)
    plan = pe.evaluation_plan(clear)
    truth = pilot_truth.PlantedTruth("South", "POTHOLE", PILOT_START, 0.25)
    pe.record_evaluation(workspace, clear_result, plan, truth)
    record = workspace.read(pe.WORKSPACE_KEY)
    assert record["estimate"] == pytest.approx(0.25)
    assert (record["district"], record["start"], record["plan"]) == \
        ("South", "2025-04-01", "planted")
    assert record["comparison_districts"] == ["East", "North"]
    assert record["requests"] == {"treated before": 160, "treated after": 100,  # 16 and 10
                                  "comparison before": 320, "comparison after": 200}  # weeks
    assert record["interval_excludes_zero"] is True and record["true_effect"] == 0.25
    assert record["interval_contains_truth"] is True
    assert record["placebo_estimate"] == pytest.approx(0)
    assert workspace.records().set_index("key").loc[pe.WORKSPACE_KEY, "module"] == "1.4"
