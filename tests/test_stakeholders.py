"""Page 3.1 on Fairfield (tests/stakeholder_fixtures.py), worked by hand: the quadrants, the
city's own stakeholder file with its account, the synthetic list, the plan, the kick-off
meeting's three figures (and the sentence each gives when the data lacks what it needs),
the grid chart, the placement widget and the city file's ``sources.stakeholders``.

The three figures, by hand (each Fairfield request of 2025 three times, 4,000 residents):

* On time, latest whole quarter (Q4 2025: requests opened on 10 October, November and
  December): Amber's requests 9, 10 and 11 (all late, 8 days), Birch's 9, 10, 11 (on time, 2
  days) and 21, 22, 23 (late), Cedar's 9 (on time): 10 requests, 4 on time, three times over:
  12 of 30 = 40%.
* Rate: 180 requests / 4,000 residents × 1,000 / (12 months / 12) = 45 per 1,000 a year.
* Slowest: Amber, median 8.0 days (36 of its 60 waited 8 days); fastest Birch, 2.0 (40 of
  90 waited 8, so half closed in 2), ahead of Cedar (2.0 too) in the table's order.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from city_file_fixtures import fairfield_city_file
from stakeholder_fixtures import STAKEHOLDER_CSV, stakeholder_data

from cda_lib.charts.style import ChartContext
from cda_lib.cities.loader import load_city
from cda_lib.core.errors import CityFileError, LoadError
from cda_lib.sources.stakeholders import read_stakeholders
from cda_lib.synth.stakeholders import synthetic_stakeholders
from cda_lib.themes import find_module
from cda_lib.themes.empower.kickoff import (
    district_figures,
    kickoff_meeting,
    on_time_figure,
    rate_figure,
    slowest_figure,
)
from cda_lib.themes.empower.stakeholder_charts import plot_stakeholder_grid
from cda_lib.themes.empower.stakeholder_panel import PlacementPanel
from cda_lib.themes.empower.stakeholders import (
    CityFigures,
    engagement_plan,
    least_served_first,
    quadrant,
    stakeholder_map,
    what_each_gets,
)

PLACED = {"Fairfield Council": "manage_closely", "Streets Department": "manage_closely",
          "Workers' Union": "keep_satisfied", "Chamber of Commerce": "keep_satisfied",
          "Amber Tenants": "keep_informed", "Civic Coders": "keep_informed",
          "Local Radio": "monitor", "Garden Club": "monitor"}


@pytest.fixture(scope="module")
def fairfield(tmp_path_factory):
    return stakeholder_data(tmp_path_factory.mktemp("fairfield"))


@pytest.fixture(scope="module")
def districts(fairfield):
    return district_figures(fairfield)


@pytest.fixture(scope="module")
def mapped(fairfield, districts):
    return stakeholder_map(fairfield, districts)


def test_module_3_1_is_registered_before_3_2():
    module = find_module("3.1")
    assert module.notebook == "03_empower/01_who_has_a_stake.ipynb"
    assert module.writes == ("stakeholder_map", "kickoff_figures")
    from cda_lib.themes.empower import THEME
    assert [m.id for m in THEME.modules][:2] == ["3.1", "3.2"]


@pytest.mark.parametrize(("interest", "influence", "expected"), [
    (4, 2, "keep_informed"), (2, 4, "keep_satisfied"), (4, 4, "manage_closely"),
    (3, 3, "monitor"), (5, 3, "keep_informed"), (3, 5, "keep_satisfied"), (1, 1, "monitor")])
def test_four_or_five_is_high(interest, influence, expected):
    assert quadrant(interest=interest, influence=influence) == expected


def test_the_citys_file_is_read_with_every_row_accounted_for(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(STAKEHOLDER_CSV, encoding="utf-8")
    load = read_stakeholders(path, districts=["Amber", "Birch", "Cedar"])
    account = load.account
    assert (account.rows_read, account.rows_kept, account.rows_set_aside) == (11, 8, 3)
    assert account.reasons().to_dict() == {
        "interest is not a whole number from 1 to 5": 1, "no name": 1,
        "the same name as an earlier row": 1}
    garden = load.table.set_index("name").loc["Garden Club"]
    assert (garden["group"], garden["district"]) == ("other", "")
    assert load.table.set_index("name").loc["Amber Tenants", "district"] == "Amber"
    assert "Flagged 1 of 8 kept rows: district not in the city file (left empty)" in \
        account.summary_lines()


def test_a_file_without_a_score_column_names_what_it_has(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("name,interest\nCouncil,4\n", encoding="utf-8")
    with pytest.raises(LoadError, match='has no "influence" column. Its columns are "name" '
                                        'and "interest"'):
        read_stakeholders(path)


def test_decimals_and_words_are_not_scores(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("name,interest,influence\nA,4.5,2\nB,high,2\nC,0,2\nD,5,5\n",
                    encoding="utf-8")
    load = read_stakeholders(path)
    assert load.table["name"].tolist() == ["D"]
    assert load.account.reasons().to_dict() == {"interest is not a whole number from 1 to 5": 3}


def test_the_map_places_each_stakeholder_by_hand(mapped):
    assert not mapped.synthetic
    assert dict(zip(mapped.table["name"], mapped.table["quadrant"], strict=True)) == PLACED
    assert mapped.table["name"].tolist()[:2] == ["Fairfield Council", "Streets Department"]
    assert str(mapped.summary()) == (
        "8 stakeholders are on the map. Manage closely: 2 (Fairfield Council and Streets "
        "Department). Keep satisfied: 2 (Workers' Union and Chamber of Commerce). Keep "
        "informed: 2 (Amber Tenants and Civic Coders). Monitor: 2 (Local Radio and Garden "
        "Club).")
    assert "Read 11 rows from stakeholders.csv: kept 8, set aside 3." in str(mapped.readable())


def test_without_a_file_the_list_is_synthetic_labelled_and_seeded(tmp_path, districts):
    data = stakeholder_data(tmp_path, with_file=False)
    made = stakeholder_map(data, districts)
    assert made.synthetic
    assert "never real people" in str(made.readable())
    # Amber is the slowest district (8 days), then Birch and Cedar (2 days, table order)
    assert least_served_first(districts) == ["Amber", "Birch", "Cedar"]
    residents = made.table[made.table["group"] == "residents"]
    assert sorted(residents["district"]) == ["Amber", "Birch", "Cedar"]
    assert set(residents["quadrant"]) == {"keep_informed"}
    again = synthetic_stakeholders(data.city, ["Amber", "Birch", "Cedar"])
    assert again.equals(synthetic_stakeholders(data.city, ["Amber", "Birch", "Cedar"]))
    assert again["interest"].between(1, 5).all() and again["influence"].between(1, 5).all()


def test_a_list_the_page_cannot_use_gives_the_synthetic_one_and_says_why(tmp_path,
                                                                         districts):
    data = stakeholder_data(tmp_path)
    (tmp_path / "stakeholders.csv").unlink()
    missing = stakeholder_map(data, districts)
    assert missing.synthetic and missing.problem.startswith(
        "The city file names a stakeholder list, but the page cannot use it: There is no "
        "stakeholder file at ")
    assert missing.problem in str(missing.readable())
    (tmp_path / "stakeholders.csv").write_text("name,interest,influence\nCouncil,9,9\n")
    nothing_kept = stakeholder_map(data, districts)
    assert nothing_kept.synthetic and "No row of the city's stakeholder list" in \
        nothing_kept.problem
    assert "Set aside 1 of 1 rows: interest is not a whole number from 1 to 5" in \
        str(nothing_kept.readable())


def test_the_synthetic_list_is_in_the_citys_language(tmp_path):
    city = stakeholder_data(tmp_path, with_file=False).city
    spanish = synthetic_stakeholders(dataclasses.replace(city, language="es"), ["Amber"])
    portuguese = synthetic_stakeholders(dataclasses.replace(city, language="pt"), ["Amber"])
    assert spanish["name"].iloc[0] == "Concejo Municipal de Fairfield"
    assert portuguese["name"].iloc[-1] == "Moradores de Amber"


def test_the_plan_gives_each_quadrant_its_cadence_owner_and_data(mapped):
    plan = engagement_plan(mapped).to_frame().set_index("Quadrant")
    assert plan.loc["Manage closely", "Stakeholders"] == "Fairfield Council and Streets Department"
    assert plan.loc["Manage closely", "How often"] == "Every month, in a working session"
    assert plan.loc["Keep informed", "Owner"] == "The communications lead"


def test_the_data_each_gets_is_built_from_the_citys_figures(fairfield, mapped, districts):
    meeting = kickoff_meeting(fairfield, mapped, districts)
    figures = CityFigures(meeting.figures[0].value, meeting.figures[1].value, districts)
    gets = what_each_gets(mapped, figures).to_frame().set_index("Stakeholder")
    # Amber: 60 requests / 1,000 residents × 1,000 / 1 year = 60; median 8 days
    assert gets.loc["Amber Tenants", "The data they get"] == (
        "The figures for Amber from page 3.3: requests per 1,000 residents a year, 60; half "
        "closed within 8.0 days.")
    assert "(40%)" in gets.loc["Fairfield Council", "The data they get"]
    assert "(45 requests per 1,000" in gets.loc["Local Radio", "The data they get"]
    # without a citywide rate or on-time share (too little data), no district rate either
    short = what_each_gets(mapped, CityFigures(None, None, districts)).to_frame() \
        .set_index("Stakeholder")["The data they get"]
    assert short["Amber Tenants"] == ("The figures for Amber from page 3.3: half its requests "
                                      "closed within 8.0 days.")
    assert short["Fairfield Council"] == ("The table by request type from page 1.2 and the "
                                          "district table of page 3.3.")


def test_the_three_figures_are_worked_out_by_hand(fairfield, districts):
    on_time = on_time_figure(fairfield)
    assert on_time.value == pytest.approx(0.4)
    assert on_time.sentence == ("In Q4 2025, 40% of the requests whose service standard had "
                                "passed were closed within it (30 requests).")
    rate = rate_figure(fairfield)
    assert rate.value == pytest.approx(45.0)
    assert rate.sentence == ("Fairfield received 180 requests in 12 months of data: 45 per "
                             "1,000 residents a year.")
    slowest = slowest_figure(fairfield, districts)
    assert slowest.value == pytest.approx(8.0)
    assert slowest.sentence == ("Amber waits longest: half its requests were closed within "
                                "8.0 days, against 2.0 days in Birch, the fastest.")


def test_a_city_whose_data_lacks_a_figure_gets_a_sentence(fairfield):
    requests = fairfield.requests
    nothing_closed = dataclasses.replace(fairfield, requests=requests.assign(
        closed_datetime=pd.NaT, status="open"))
    assert on_time_figure(nothing_closed).value is None
    assert "closed dates" in on_time_figure(nothing_closed).sentence
    assert slowest_figure(nothing_closed, district_figures(nothing_closed)).value is None
    three_days = dataclasses.replace(fairfield, requests=requests[
        requests["requested_datetime"] >= pd.Timestamp("2025-12-01")].reset_index(drop=True))
    rate = rate_figure(three_days)
    assert rate.value is None and "at least 6 whole months" in rate.sentence
    # an extract taken in July 2026: its latest whole quarter, Q2 2026, holds no request
    late = dataclasses.replace(fairfield, as_of=pd.Timestamp("2026-07-15"))
    assert on_time_figure(late).sentence == (
        "The on-time share: no figure for Q2 2026, the latest whole period before the extract: "
        "the data holds no request opened in it.")
    one_district = dataclasses.replace(fairfield, requests=requests.assign(district="Amber"))
    assert district_figures(one_district) is None
    assert "at least 2 districts" in slowest_figure(one_district, None).sentence


def test_the_meeting_invites_the_residents_and_plans_its_asks(fairfield, mapped, districts):
    meeting = kickoff_meeting(fairfield, mapped, districts)
    assert meeting.invited == ["Fairfield Council", "Streets Department", "Workers' Union",
                               "Chamber of Commerce", "Amber Tenants"]
    assert str(meeting.invitation()).startswith("Invite 5 stakeholders: Fairfield Council, ")
    # 10 + 20 + 15 + 20 + 10 minutes
    assert meeting.agenda().caption == "The kick-off meeting's agenda: 75 minutes"
    assert meeting.agenda().to_frame()["When"].tolist()[-1] == "65 to 75 min"
    assert str(meeting.asks()).startswith(
        "Manage closely: Ask Fairfield Council and Streets Department to name a data lead")
    assert meeting.figure_table().notes == ["3 of the 3 figures can be shown from this city's "
                                            "data."]
    record = meeting.record()
    assert record["figure"].tolist() == ["on_time", "rate", "slowest"]


def test_the_grid_states_its_finding_and_says_synthetic(mapped, tmp_path, districts):
    chart = plot_stakeholder_grid(mapped, context=ChartContext("Fairfield", synthetic=False))
    assert chart.title == ("2 of 8 stakeholders are to be managed closely: Fairfield Council "
                           "and Streets Department")
    assert not chart.alt_text.startswith("Synthetic data.")
    made = stakeholder_map(stakeholder_data(tmp_path, with_file=False), districts)
    assert plot_stakeholder_grid(made, context=ChartContext("Fairfield", synthetic=False)) \
        .alt_text.startswith("Synthetic data.")


def test_the_panel_moves_a_stakeholder_to_another_quadrant(mapped):
    panel = PlacementPanel(mapped)
    panel.menu.value = "Amber Tenants"
    assert (panel.interest.value, panel.influence.value) == (4, 2)
    panel.influence.value = 5
    assert "Amber Tenants" in panel.stakeholders.in_quadrant("manage_closely")
    assert panel.where().startswith("Amber Tenants (interest 4, influence 5) is to manage "
                                    "closely: every month")
    panel.menu.value = "Local Radio"  # choosing another leaves Amber where it was put
    assert (panel.interest.value, panel.influence.value) == (3, 3)
    assert "Amber Tenants" in panel.stakeholders.in_quadrant("manage_closely")
    assert "open the notebook in JupyterLab" in panel.snapshot_text()


def test_a_city_file_names_its_stakeholder_file(tmp_path):
    path = tmp_path / "fairfield.yaml"
    path.write_text(fairfield_city_file("stakeholders", "{kind: local, path: list.csv}"))
    assert load_city(path).sources["stakeholders"].options == {"path": "list.csv"}
    path.write_text(fairfield_city_file("stakeholders", "{kind: socrata, path: list.csv}"))
    with pytest.raises(CityFileError, match="cannot feed the stakeholders table"):
        load_city(path)


def test_the_example_list_reads_as_its_comment_says():
    """datasets/examples/stakeholders_example.csv, the template the README points to, for
    Millbrook (datasets/examples/millbrook.yaml): 9 rows, the last with influence 7."""
    city = load_city("datasets/examples/millbrook.yaml")
    load = read_stakeholders(city.path.parent / "stakeholders_example.csv",
                             districts=city.districts_table()["district"])
    assert (load.account.rows_read, load.account.rows_kept) == (9, 8)
    assert load.account.reasons().to_dict() == {"influence is not a whole number from 1 to 5": 1}
    assert load.table.set_index("name").loc["Old Town Tenants Association", "district"] == \
        "Old Town"
