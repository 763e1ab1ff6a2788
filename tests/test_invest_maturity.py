"""Page 2.1's helpers on Handcount's three-member team (tests/maturity_fixtures.py, where the
table of scores and the averages are worked out by hand): the questionnaire file, the
profile and its sentences, the What Works Cities estimate, the cohort comparison, the form,
the chart, the fictional team and what the page records."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from exercise_fixtures import hand_counted_data
from maturity_fixtures import SCORES, hand_answers_table, record_hand_answers

from cda_lib.charts.style import ChartContext
from cda_lib.core.workspace import Workspace
from cda_lib.synth.maturity import MEMBERS, synthetic_answers
from cda_lib.themes import find_module
from cda_lib.themes.invest.maturity import (
    MaturityError,
    TeamAnswers,
    answered_sentence,
    check_answers,
    disagreement_sentence,
    maturity_criteria,
    profile_summary,
    record_profile,
    strength_sentence,
    team_answers,
    weakest_sentence,
)
from cda_lib.themes.invest.maturity_charts import plot_maturity_profile
from cda_lib.themes.invest.maturity_cohort import cohort_comparison
from cda_lib.themes.invest.maturity_form import Questionnaire
from cda_lib.themes.invest.maturity_wwc import points_for, tier_for, wwc_estimate


@pytest.fixture
def answers():
    return TeamAnswers(hand_answers_table(), synthetic=False)


def test_the_questionnaire_is_versioned_and_every_statement_names_its_source():
    criteria = maturity_criteria()
    assert criteria.version == "2026.1"
    assert list(SCORES) == criteria.ids()
    assert [len(criteria.of(c)) for c in ("governance", "quality", "use", "capacity",
                                          "transparency")] == [2, 2, 2, 2, 2]
    for statement in criteria.statements:
        assert len(statement.anchors) == 5 and len(set(statement.anchors)) == 5
        assert "(B1)" in statement.source or "(B2)" in statement.source
    inventory = criteria.get("governance-inventory")
    assert inventory.wwc == "DG1 Comprehensive Data Inventory" and "3 of 4" in inventory.source
    assert "at least quarterly" in criteria.get("governance-committee").anchors[3]


def test_the_profile_averages_and_spreads_are_the_hand_worked_ones(answers):
    assert answers.members == ["Ben", "Ana", "Cai"]
    assert answers.team_profile().round(2).tolist() == [3.67, 4.17, 3.83, 3.0, 2.67]
    assert answers.member_profile().loc["Ana"].tolist() == [3.5, 4.0, 4.0, 2.0, 2.5]
    assert answers.spread().tolist() == [1.5, 0.5, 0.5, 2.0, 0.5]


def test_the_profile_is_said_in_sentences_built_from_its_figures(answers):
    assert answered_sentence(answers, "Handcount") == (
        "3 members of Handcount's team have answered: Ben, Ana and Cai.")
    # quality (4.00 + 4.33) / 2 = 4.17, written 4.2; transparency (4.33 + 1.00) / 2 = 2.67
    assert strength_sentence(answers) == (
        "The team's strongest component is quality (4.2 of 5) and its weakest transparency "
        "(2.7 of 5).")
    # capacity: Ana 2.0, Ben 4.0, a spread of 2.0, the widest
    assert disagreement_sentence(answers) == (
        "Members disagree most on capacity: on capacity, their averages run from 2.0 to 4.0, "
        "a spread of 2.0 points. Talk about it before acting on the average.")
    # the lowest averages: results 1.00, stewards 2.00, inventory 3.00
    assert weakest_sentence(answers) == (
        "The weakest practices: The city shares its goals and results with residents and "
        "asks for their input (1.0); A data lead has the mandate to lead, and every major "
        "dataset has a named steward (2.0); The city keeps a comprehensive inventory of its "
        "data (3.0).")
    table = profile_summary(answers, "Handcount").table.to_frame()
    assert table.iloc[3].tolist() == ["Capacity", "3.0", "2.0", "4.0", "2.0"]


def test_one_member_or_a_team_that_agrees_has_no_disagreement_to_report(answers):
    one = TeamAnswers(hand_answers_table().query("member == 'Ana'"), synthetic=False)
    assert disagreement_sentence(one).startswith("Only one member has answered")
    same = hand_answers_table().assign(score=3)
    assert disagreement_sentence(TeamAnswers(same, synthetic=False)) == (
        "The members agree: on every component their averages are the same.")


def test_what_works_cities_points_and_tier_by_hand(answers):
    """Criteria and the lowest team average of their statements: Data governance 4.33 (met),
    DG1 inventory 3.00, Improving Data Quality min(4.00, 4.33) = 4.00 (met), Performance
    and Analytics 4.33 (met), Rigorous Evaluations 3.33, Open Data 4.33 (met), Stakeholder
    Engagement 1.00. 4 of 7 = 57%: Silver (51% to 67%). Gold needs 68% of 7 = 4.76, so 5:
    one more, and the closest unmet criterion is Rigorous Evaluations (3.33)."""
    estimate = wwc_estimate(answers)
    assert (estimate.points, estimate.of, estimate.tier, estimate.next_tier, estimate.needed) \
        == (4, 7, "silver", "gold", 1)
    assert estimate.met == ("Data governance", "Improving Data Quality",
                            "Performance and Analytics", "Open Data")
    assert estimate.sentences() == [
        "The answers meet 4 of the 7 What Works Cities criteria the questionnaire covers "
        "(57%): Silver.",
        "Gold needs 5 of 7: 1 more criterion, such as Rigorous Evaluations."]
    assert "the workbook's approximation" in str(estimate)


@pytest.mark.parametrize(("points", "tier"), [(0, "none"), (3, "none"), (4, "silver"),
                                              (5, "gold"), (6, "platinum"), (7, "platinum")])
def test_each_count_of_seven_criteria_reaches_its_tier(points, tier):
    # 3/7 = 43% < 51%; 4/7 = 57%; 5/7 = 71% >= 68%; 6/7 = 86% >= 85%
    assert tier_for(points / 7) == tier


def test_the_fewest_criteria_for_each_tier_of_43():
    # 51% of 43 = 21.93 -> 22; 68% = 29.24 -> 30; 85% = 36.55 -> 37
    assert [points_for(t, 43) for t in ("silver", "gold", "platinum")] == [22, 30, 37]


def test_the_top_tier_says_so():
    top = TeamAnswers(hand_answers_table().assign(score=5), synthetic=False)
    estimate = wwc_estimate(top)
    assert (estimate.tier, estimate.needed) == ("platinum", 0)
    assert estimate.sentences()[1].startswith("That is the top tier")


def _write_profile(root: Path, city: str, profile: dict) -> None:
    folder = root / city / "workspace"
    folder.mkdir(parents=True)
    (folder / "records.json").write_text(json.dumps(
        {"maturity_profile": {"value": profile, "module": "2.1"}}), encoding="utf-8")


def test_the_cohort_is_anonymised_and_compared_with_its_median(answers, tmp_path):
    """Alpha (its own team, 4 members) and Beta (a fictional team): medians of two are their
    means: governance 2.5, quality 3.5, use 2.5, capacity 2.5, transparency 3.5. Handcount's
    gaps: +1.17, +0.67, +1.33, +0.5, -0.83: furthest behind on transparency (2.67 against
    3.5), furthest ahead on use (3.83 against 2.5)."""
    base = {"members": 4, "synthetic": False, "city": "Alpha"}
    _write_profile(tmp_path, "alpha", {**base, "governance": 2.0, "quality": 3.0, "use": 3.0,
                                       "capacity": 3.0, "transparency": 4.0})
    _write_profile(tmp_path, "beta", {**base, "city": "Beta", "synthetic": True,
                                      "governance": 3.0, "quality": 4.0, "use": 2.0,
                                      "capacity": 2.0, "transparency": 3.0})
    _write_profile(tmp_path, "hand_counted_city", {**base, "governance": 1, "quality": 1,
                                                   "use": 1, "capacity": 1, "transparency": 1})
    comparison = cohort_comparison("hand_counted_city", answers.team_profile(),
                                   build_root=tmp_path)
    assert comparison.sentences() == [
        "2 other cities in this build have recorded a profile.",
        "1 of them is a fictional team's (a demo city's).",
        "Against the cohort's median, your team is furthest behind on transparency: 2.7 "
        "against 3.5.",
        "It is furthest ahead on use: 3.8 against 2.5.",
        "Other cities are shown as City A, City B and so on; your coach can show their names."]
    table = comparison.table().to_frame()
    assert table["City"].tolist() == ["Your team", "City A", "City B"]
    assert table.iloc[2, -1] == "Fictional team" and table.iloc[1, -1] == "4 members"
    named = cohort_comparison("hand_counted_city", answers.team_profile(), names=True,
                              build_root=tmp_path)
    assert named.table().to_frame()["City"].tolist() == ["Your team", "Alpha", "Beta"]
    assert named.sentences()[-1].startswith("It is furthest ahead")  # no anonymity note


def test_a_build_option_shows_the_names_unless_the_page_says_otherwise(answers, tmp_path,
                                                                        monkeypatch):
    _write_profile(tmp_path, "alpha", {"city": "Alpha", "synthetic": False, "members": 2,
                                       **dict.fromkeys(["governance", "quality", "use",
                                                        "capacity", "transparency"], 3)})
    monkeypatch.setenv("CDA_COHORT_NAMES", "1")
    shown = cohort_comparison("hand_counted_city", answers.team_profile(), build_root=tmp_path,
                              own_synthetic=True).table().to_frame()
    assert shown["City"].tolist() == ["Your team", "Alpha"]
    assert shown.iloc[0, -1] == "Fictional team"
    hidden = cohort_comparison("hand_counted_city", answers.team_profile(), names=False,
                               build_root=tmp_path)
    assert hidden.table().to_frame()["City"].tolist() == ["Your team", "City A"]


def test_no_other_city_is_said_plainly(answers, tmp_path):
    comparison = cohort_comparison("hand_counted_city", answers.team_profile(),
                                   build_root=tmp_path)
    assert comparison.sentences()[0].startswith(
        "No other city in this build has recorded a maturity profile yet")
    assert comparison.table() is None
    fictional_only = tmp_path / "x"
    _write_profile(fictional_only, "beta", {"city": "Beta", "synthetic": True, "members": 5,
                                            **dict.fromkeys(["governance", "quality", "use",
                                                             "capacity", "transparency"], 2)})
    said = cohort_comparison("hand_counted_city", answers.team_profile(),
                             build_root=fictional_only).sentences()
    assert said[1] == ("No other city's own team has answered yet: every profile below is a "
                       "fictional team's (a demo city's), shown for practice.")


def test_each_member_saves_their_own_answers_in_the_workspace(tmp_path):
    workspace = Workspace("hand_counted_city", folder=tmp_path)
    form = Questionnaire(workspace)
    assert form.save() == "Write your name first, so that your answers are yours alone."
    form.name.value = "Ana"
    form.scores["quality-audit"].value = 4
    assert "9 statements have no score yet" in form.save()
    assert "Level 4: Key datasets are audited on a schedule" in form.anchors["quality-audit"].value
    for control in form.scores.values():
        control.value = 2
    assert form.save() == "Saved: Ana's 10 answers. 1 member has answered so far."
    other = Questionnaire(workspace)
    other.name.value = "Ben"
    for control in other.scores.values():
        control.value = 4
    other.save()
    for control in form.scores.values():
        control.value = 3
    assert form.save().endswith("2 members have answered so far.")  # Ana's replaced
    recorded = pd.DataFrame(workspace.read("maturity_answers"))
    assert recorded.groupby("member")["score"].mean().to_dict() == {"Ana": 3.0, "Ben": 4.0}
    answers = team_answers(SimpleNamespace(id="hand_counted_city"), workspace)
    assert not answers.synthetic and answers.members == ["Ben", "Ana"]
    bundle = form._repr_mimebundle_()
    assert "On this static page the form cannot be filled in" in bundle["text/html"]
    assert "Questionnaire(" not in bundle["text/plain"]
    assert "Every major dataset has a steward" in bundle["text/html"]
    assert bundle["text/html"].startswith("<p>On this static page")  # not escaped twice
    assert "&lt;p&gt;" not in bundle["text/html"]


def test_answers_that_do_not_fit_are_plain_errors():
    table = hand_answers_table()
    with pytest.raises(MaturityError, match="whole number from 1 to 5"):
        check_answers(table.assign(score=6))
    with pytest.raises(MaturityError, match="Ana has not answered every statement"):
        check_answers(table.drop(index=12))


def test_a_city_without_answers_reads_a_fictional_team_made_from_its_seed(tmp_path):
    city = SimpleNamespace(id="alderbank", sources={})
    answers = team_answers(city, Workspace("alderbank", folder=tmp_path))
    assert answers.synthetic and len(answers.members) == len(MEMBERS)
    assert answers.member_name("ai-lead") == "AI lead"
    assert answered_sentence(answers, "Alderbank").startswith("SYNTHETIC: nobody in "
                                                              "Alderbank's team has answered")
    again = synthetic_answers(city, maturity_criteria().ids(),
                              [s.component for s in maturity_criteria().statements])
    assert again.equals(answers.table)
    other = synthetic_answers(SimpleNamespace(id="birchford", sources={}),
                              maturity_criteria().ids(),
                              [s.component for s in maturity_criteria().statements])
    assert not other.equals(answers.table)
    assert answers.spread().max() > 0  # the page always has a disagreement to discuss


def test_the_chart_states_the_disagreement_and_labels_a_fictional_team(answers):
    real = ChartContext("Handcount", synthetic=False, source_note="Source: the team")
    chart = plot_maturity_profile(answers, context=real)
    assert chart.title == "Members disagree most on capacity"
    assert not chart.alt_text.startswith("Synthetic data.")
    fictional = TeamAnswers(answers.table, synthetic=True)
    assert plot_maturity_profile(fictional, context=real).alt_text.startswith("Synthetic data.")


def test_the_profile_is_recorded_for_the_capstone(answers, tmp_path):
    workspace = Workspace("hand_counted_city", folder=tmp_path)
    said = record_profile(workspace, answers, "Handcount", wwc_estimate(answers))
    assert str(said) == ("Recorded in Handcount's workspace: the team's profile (version "
                         "2026.1 of the questionnaire).")
    recorded = workspace.read("maturity_profile")
    assert (recorded["governance"], recorded["transparency"], recorded["members"],
            recorded["spread_most"], recorded["wwc_points"], recorded["wwc_tier"]) == \
        (3.67, 2.67, 3, "capacity", 4, "silver")
    assert recorded["weakest"] == ["transparency-results", "capacity-stewards",
                                   "governance-inventory"]


def test_the_page_reads_the_answers_its_team_recorded(monkeypatch):
    folder = Path(tempfile.mkdtemp())
    monkeypatch.setenv("CDA_BUILD_DIR", str(folder))
    record_hand_answers(folder)
    answers = team_answers(hand_counted_data().city)
    assert not answers.synthetic and answers.members == ["Ben", "Ana", "Cai"]


def test_module_2_1_declares_its_records_and_needs_nothing_of_the_requests():
    module = find_module("2.1")
    assert module.writes == ("maturity_answers", "maturity_profile")
    assert module.sections == () and module.notebook == "02_invest/01_where_are_we_now.ipynb"
