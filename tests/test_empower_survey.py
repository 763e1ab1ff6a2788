"""Page 3.2: the synthetic survey's planted bias, weighting that recovers the truth, the
sentences and tables in words, the chart's finding and what the page records."""

from __future__ import annotations

import pytest
from survey_fixtures import HAND_RESULTS, hand_survey

from cda_lib.charts.style import ChartContext
from cda_lib.cities.loader import load_city
from cda_lib.core.records import records_of
from cda_lib.core.workspace import Workspace
from cda_lib.synth.survey import AGE_BANDS, resident_survey
from cda_lib.text.translation import use_language
from cda_lib.themes import find_module
from cda_lib.themes.empower.survey import (
    district_table,
    record_results,
    survey_results,
    who_answered,
)
from cda_lib.themes.empower.survey_charts import plot_survey

DEMO = ["riverbend", "villa-serena", "serra-clara", "port-harmon"]


@pytest.mark.parametrize("city", DEMO)
def test_weighting_recovers_the_planted_truth_and_the_raw_answers_miss_it(city):
    """The population's true share is known; the weighted estimate lands within its margin of
    it, the raw one outside the raw sample's own margin (the planted bias)."""
    survey = resident_survey(load_city(city))
    results = survey_results(survey)
    main = results.answer("satisfied")
    assert abs(main.weighted - main.truth) < main.margin
    raw_margin = 1.959964 * (main.unweighted * (1 - main.unweighted)
                             / results.respondents) ** 0.5
    assert main.unweighted - main.truth > raw_margin  # too high, as planted
    assert results.design_effect > 1


def test_the_survey_is_the_same_every_time_and_older_residents_answer_more():
    survey = resident_survey(load_city("riverbend"))
    again = resident_survey(load_city("riverbend"))
    assert survey.sample.equals(again.sample)
    city = survey.population["age"].value_counts(normalize=True)
    sample = survey.sample["age"].value_counts(normalize=True)
    assert sample["65+"] > city["65+"] and sample["18-39"] < city["18-39"]
    assert set(survey.population["age"]) == set(AGE_BANDS)


def test_the_headline_states_the_finding_with_its_numbers():
    """64% weighted, margin 5.3 points (see survey_fixtures), raw 70%: 6.0 points too high."""
    assert HAND_RESULTS.headline() == (
        "Weighted to the city, 64% of residents are satisfied with city services (± 5.3 "
        "points); the raw answers say 70%, 6.0 points too high, because older, higher-income "
        "and home-owning residents answered more readily.")
    assert HAND_RESULTS.precision() == (
        "The weights have a design effect of 1.25: the 400 respondents count as 320, so a "
        "share near half is known to ± 5.5 points.")  # 1.96 × √(0.25 / 320) = 0.0548


@pytest.mark.parametrize("language, expected", [
    ("es", "Ponderado a la ciudad, el 64 % de los residentes"),
    ("pt", "Ponderado para a cidade, 64 % dos moradores"),
])
def test_the_headline_is_said_in_the_pages_language(language, expected):
    with use_language(language):
        text = HAND_RESULTS.headline()
    assert text.replace("\u00a0", " ").startswith(expected.replace(" %", "%")) or \
        text.replace("\u00a0", " ").startswith(expected)


def test_the_results_table_reads_raw_and_weighted_side_by_side():
    """Satisfied 70% raw, 64% weighted: -6.0 points; trust 50% and 47%: -3.0 points."""
    frame = HAND_RESULTS.table().to_frame()
    assert list(frame.columns) == ["Question", "Raw answers", "Weighted",
                                   "Margin of error (95%)", "Weighting changes it by"]
    assert frame.iloc[0].tolist() == ["Satisfied with city services", "70%", "64%",
                                      "± 5.3 points", "-6.0 points"]
    assert frame.iloc[1].tolist()[4] == "-3.0 points"
    assert "nan" not in frame.to_string().lower()


def test_districts_under_the_threshold_are_shown_but_not_quoted():
    """North has 62 respondents, South 8 (under 50): one district is below it."""
    survey = hand_survey()
    weights = survey.sample["satisfied"] * 0 + 1.0
    frame = district_table(survey, weights).to_frame()
    assert frame["District"].tolist() == ["North", "South"]
    assert frame["Respondents"].tolist() == ["62", "8"]
    assert frame["How sure"].tolist()[1] == "too few respondents to quote"
    assert district_table(survey, weights).notes == [
        "1 district has fewer than 50 respondents: its share is shown, but its margin of error "
        "is too wide to quote it."]


def test_a_district_nobody_answered_in_has_no_share_and_says_so():
    """South's 8 respondents left out: North's 62 are enough to quote, South has none."""
    import dataclasses

    survey = hand_survey()
    north = survey.sample[survey.sample["district"] == "North"].reset_index(drop=True)
    only_north = dataclasses.replace(survey, sample=north)
    table = district_table(only_north, north["satisfied"] * 0 + 1.0)
    assert table.to_frame()["Satisfied (weighted)"].tolist() == ["100%", "—"]
    assert table.notes == [
        "Every district with respondents has 50 or more, so each share can be quoted with its "
        "margin of error.", "1 district has no respondent, so it has no share."]


def test_who_answered_shows_the_over_represented_group():
    """65 and over: 20% of the population (20 of 100), 57% of the sample (40 of 70)."""
    frame = who_answered(hand_survey()).to_frame()
    row = frame[frame["Group"] == "65 and over"].iloc[0].tolist()
    assert row == ["65 and over", "20%", "57%"]


def test_the_chart_states_its_finding_and_is_labelled_synthetic():
    chart = plot_survey(HAND_RESULTS, context=ChartContext("Riverbend", synthetic=False))
    assert chart.title == ("Weighting the survey to the city lowers satisfaction with city "
                           "services from 70% to 64%")
    assert chart.alt_text.startswith("Synthetic data.")


def test_the_results_are_recorded_for_the_capstone(tmp_path):
    workspace = Workspace("handcount", folder=tmp_path)
    record_results(workspace, HAND_RESULTS)
    saved = workspace.read("survey_results")
    assert [row["question"] for row in saved] == ["satisfied", "trusts_data"]
    assert saved[0]["weighted"] == pytest.approx(0.64)


def test_module_3_2_declares_its_records_and_needs_nothing_of_the_requests():
    module = find_module("3.2")
    assert module.writes == ("survey_results",) and module.sections == ()
    assert [spec.key for spec in records_of("3.2")] == ["survey_results"]
