"""Page 2.3's helpers on Handcount's four-person team (tests/people_fixtures.py): the gaps,
train or hire, retention, the chart, the skills widget and the records, each sentence
checked against figures worked out by hand.

Train or hire, gap by gap, in the roles file's order (a level: US$4,500 and 3 months):
- officer, empty seat: the closest is Ben (strategy 4 - 2, governance 3 - 2, 3 levels,
  largest 2; Ada 6, Cleo 5, Dev 5): 13,500 and 6 months against 160,000 and 6 + 1: train;
- analysts, skill gap: Ada, 4 levels, largest 2: 18,000 and 6 months against 85,000 and
  4 + 1: cheaper but slower, a judgement call;
- engineer, empty seat: Cleo (engineering 3 - 2, quality 3 - 2: 2 levels, largest 1; Ada
  4, Dev 5): 9,000 and 3 months against 110,000 and 5 + 1: train;
- leads, skill gap: Dev, governance 1 level: 4,500 and 3 months against 90,000 and 3 + 1:
  train; empty seat: Ada (strategy 1, communication 1: 2 levels), 9,000 and 3: train;
- stewards, skill gap: Cleo, quality 1 level: 4,500 and 3 months against 70,000 and 4:
  train; first empty seat: Dev (quality 2, governance 2: 4 levels), 18,000 and 6 months:
  a judgement call; second: nobody left to train: hire.
Training where it is the choice: 13,500 + 9,000 + 4,500 + 9,000 + 4,500 = 40,500; hiring:
70,000 a year.
"""

from __future__ import annotations

import pytest
from people_fixtures import hand_roster

from cda_lib.charts.style import ChartContext
from cda_lib.core.workspace import Workspace
from cda_lib.themes import find_module
from cda_lib.themes.invest.skills import RosterError, checked_roster, matrix_table, skill_gaps
from cda_lib.themes.invest.skills_panel import SkillsPanel
from cda_lib.themes.invest.talent import (
    TalentError,
    record_talent_plan,
    retention_risks,
    talent_costs,
    train_or_hire,
)
from cda_lib.themes.invest.talent_chart import plot_train_or_hire


def test_the_gaps_are_said_from_their_figures():
    gaps = skill_gaps(hand_roster())
    # 9 seats, 4 held; 5 empty; Ada 4 + Cleo 1 + Dev 1 = 6 levels; quality 1 + 1 = 2 and
    # communication 2 tie, quality first in the roles file's order
    assert gaps.sentences() == [
        "The strategy needs 9 seats in 5 roles; the team of 4 people fills 4 of them.",
        "Empty: Chief data officer (1 seat), Data engineer (1 seat), Department data lead "
        "(1 seat) and Data steward (2 seats).",
        "3 members are below their role's level in at least one skill, 6 levels short in all; "
        "the largest gap is data quality, 2 levels short."]
    assert matrix_table(hand_roster()).to_frame().iloc[0].tolist() == [
        "Ada Park", "Analyst", "1", "2 of 3", "1", "2", "1 of 2", "1 of 3"]


def test_train_or_hire_gap_by_gap():
    options = train_or_hire(hand_roster())
    table = options.table
    assert table["choice"].tolist() == ["train", "judgement", "train", "train", "train",
                                        "train", "judgement", "hire"]
    assert table["trainee"].fillna("").tolist() == ["Ben Ortiz", "", "Cleo Diaz", "", "Ada Park",
                                                    "", "Dev Rao", ""]
    assert options.summary() == [
        "The team has 8 gaps to close.",
        # 5 gaps train, in 4 roles (the two steward seats are two gaps of one role)
        "Training is cheaper than a year's salary and no slower for 4 roles: Chief data "
        "officer, Data engineer, Department data lead and Data steward.",
        "For 2 roles, training is cheaper but slower than hiring, a judgement call: Analyst "
        "and Data steward.",
        "For 1 role, hiring is the way: Data steward.",
        "Following the choices costs US$40,500 of training, once, and US$70,000 a year of new "
        "salaries."]
    assert options.row_sentence(next(table.itertuples())) == (
        "Chief data officer, an empty seat: training Ben Ortiz, the closest on the team (3 "
        "levels short), costs US$13,500 and takes 6 months; hiring one costs US$160,000 a "
        "year and takes 7 months to recruit and settle in.")


def test_the_citys_own_costs_change_the_choice():
    roster = hand_roster()
    # a level at 20,000: the analysts' 4 levels cost 80,000, still under 85,000 (but slower);
    # the officer's 3 levels, 60,000, under 160,000 and no slower: still train
    costs = talent_costs(roster, training_cost_per_level=20_000, salaries={"analyst": 70_000})
    options = train_or_hire(roster, costs)
    # the analysts: 80,000 > 70,000 and 6 months > 5: dearer and slower, hire
    assert options.table["choice"].iloc[1] == "hire"
    # one salary set, the others still the roles file's: the page still says "illustrative"
    assert costs.defaults_used and costs.salaries["analyst"] == 70_000
    assert costs.notes()[0].startswith("Salaries and training costs are illustrative")
    with pytest.raises(TalentError, match="There is no role \"mayor\""):
        talent_costs(roster, salaries={"mayor": 1})
    with pytest.raises(TalentError, match="numbers above 0"):
        talent_costs(roster, training_cost_per_level=-5)


def test_retention_follows_the_stated_rule():
    retention = retention_risks(hand_roster())
    assert retention.table["flag"].tolist() == ["at risk", "watch", "at risk", "watch"]
    assert retention.table["sole_skills"].tolist() == [
        [], ["analysis", "engineering", "communication"], ["governance"], []]
    assert retention.sentences() == [
        "By the page's rule (two signals or more of three), 2 of the team's 4 people are at "
        "risk of leaving: Ada Park and Cleo Diaz.",
        "2 more show one signal: Ben Ortiz and Dev Rao.",
        "2 people are each the only one with a skill the strategy needs at level 3: if one "
        "leaves, the skill leaves with them."]


def test_the_chart_states_its_finding_and_is_labelled_synthetic():
    chart = plot_train_or_hire(train_or_hire(hand_roster()),
                               context=ChartContext("Handcount", synthetic=False))
    assert chart.title == "Training is cheaper and no slower than hiring for 5 of the 8 gaps"
    assert chart.alt_text.startswith("Synthetic data.")


def test_the_skills_panel_follows_a_slider_and_has_a_static_snapshot():
    panel = SkillsPanel(hand_roster())
    assert panel.gaps.levels_short() == 6
    panel.member.value = "m1"
    panel.sliders["communication"].value = 3  # Ada's 2 levels of communication closed
    assert panel.gaps.levels_short() == 4
    bundle = panel._repr_mimebundle_()
    assert "On this static page the sliders do not move" in bundle["text/html"]
    assert "SkillsPanel(" not in bundle["text/plain"] and "IntSlider" not in bundle["text/plain"]


def test_a_roster_with_an_unknown_role_is_a_plain_error():
    roster = hand_roster()
    roster.table.loc[0, "role"] = "wizard"
    with pytest.raises(RosterError, match='"wizard", which page 2.3 does not know'):
        checked_roster(roster)


def test_the_plan_is_recorded(tmp_path):
    roster = hand_roster()
    options, retention = train_or_hire(roster), retention_risks(roster)
    workspace = Workspace("hand_counted_city", folder=tmp_path)
    said = record_talent_plan(workspace, options, retention)
    assert str(said).startswith("Recorded in the workspace")
    gaps = workspace.read("skills_gaps")
    assert len(gaps) == 8 and gaps[7]["trainee"] is None and gaps[7]["train_cost"] is None
    plan = workspace.read("talent_plan")
    assert (plan["team"], plan["seats"], plan["empty_seats"], plan["levels_short"],
            plan["train"], plan["judgement"], plan["hire"], plan["train_cost"],
            plan["hire_cost_a_year"], plan["at_risk"]) == (4, 9, 5, 6, 5, 2, 1, 40_500,
                                                            70_000, 2)


def test_module_2_3_declares_its_records_and_needs_nothing_of_the_requests():
    module = find_module("2.3")
    assert module.writes == ("skills_gaps", "talent_plan")
    assert module.sections == () and module.notebook == "02_invest/03_people_and_skills.ipynb"
