"""Page 2.4's helpers on Handcount's seven hand-made candidates (tests/invest_fixtures.py):
the candidates in words and their GovEx risk, the charts' titles, the weights widget, the
memo's page and what the page records."""

from __future__ import annotations

import pytest
from invest_fixtures import hand_candidates, invest_data

from cda_lib.charts.style import ChartContext
from cda_lib.core.workspace import Workspace
from cda_lib.synth.investments import TEMPLATES
from cda_lib.themes import find_module
from cda_lib.themes.invest.candidates import (
    ACCESSIBILITY,
    ACCOUNTABILITY,
    WORDS,
    CandidateError,
    accountability_risk,
    candidates_notice,
    candidates_table,
    govex_tables,
    investment_candidates,
)
from cda_lib.themes.invest.charts import plot_portfolio, plot_stability
from cda_lib.themes.invest.memo import investment_memo, memo_record, record_memo, write_memo
from cda_lib.themes.invest.portfolio import (
    DEFAULT_WEIGHTS,
    best_portfolio,
    fund_down_the_ranking,
)
from cda_lib.themes.invest.sensitivity import weight_sensitivity
from cda_lib.themes.invest.weights_panel import WeightsPanel

REAL_DATA = ChartContext("Handcount", synthetic=False, source_note="Source: Handcount 311")


@pytest.fixture(scope="module")
def page():
    data = invest_data()
    candidates = investment_candidates(data)
    best = best_portfolio(candidates, DEFAULT_WEIGHTS)
    ranked = fund_down_the_ranking(candidates, DEFAULT_WEIGHTS)
    sensitivity = weight_sensitivity(candidates, DEFAULT_WEIGHTS)
    return data, candidates, best, ranked, sensitivity


def test_every_generated_candidate_has_words_and_only_those():
    assert [t.id for t in TEMPLATES] == list(WORDS)


# The GovEx toolkit's tables, cell by cell as civic-standards.md (B2) prints them.
@pytest.mark.parametrize(("auditability", "explainability", "accessibility"), [
    ("easy", "easy", "accessible"), ("easy", "medium", "accessible"),
    ("easy", "hard", "some concerns"), ("medium", "easy", "accessible"),
    ("medium", "medium", "some concerns"), ("medium", "hard", "major concerns"),
    ("hard", "easy", "some concerns"), ("hard", "medium", "major concerns"),
    ("hard", "hard", "major concerns"),
])
def test_accessibility_is_the_toolkits(auditability, explainability, accessibility):
    assert ACCESSIBILITY[auditability][explainability] == accessibility


def test_accountability_risk_is_the_toolkits():
    assert ACCOUNTABILITY == {
        "accessible": {"human-mediated": "low", "algorithm-mediated": "low",
                       "algorithmically determined": "medium"},
        "some concerns": {"human-mediated": "low", "algorithm-mediated": "medium",
                          "algorithmically determined": "high"},
        "major concerns": {"human-mediated": "medium", "algorithm-mediated": "high",
                           "algorithmically determined": "high"}}
    assert accountability_risk("human-mediated", "easy", "easy") == "low"


def test_a_candidates_risk_is_the_higher_of_delivery_and_accountability(page):
    _data, candidates, *_ = page
    table = candidates.table.set_index("id")
    # hard to explain and to audit: major concerns; algorithm-mediated: high
    assert table.loc["crew-scheduling-model", ["delivery_risk", "accountability_risk",
                                               "risk"]].tolist() == ["low", "high", "high"]
    assert table.loc["chief-data-officer", ["accountability_risk", "risk"]].tolist() == \
        ["", "medium"]
    assert table.loc["data-inventory", "name"] == "Full data inventory"


def test_an_unknown_candidate_is_a_plain_error():
    data = invest_data()
    data.investments.table.loc[0, "id"] = "moon-base"
    with pytest.raises(CandidateError, match='"moon-base", which page 2.4 has no words'):
        investment_candidates(data)


def test_the_candidates_are_said_to_be_fictional_and_their_costs_illustrative(page):
    _data, candidates, *_ = page
    notice = str(candidates_notice(candidates, "Handcount"))
    assert notice.startswith("SYNTHETIC DATA. The 7 candidate investments on this page are "
                             "fictional")
    assert "illustrative budget is US$650,000" in notice
    table = candidates_table(candidates).to_frame()
    assert list(table.columns) == ["Investment", "Kind", "Cost", "Governance", "Quality",
                                   "Use", "Capacity", "Transparency", "Risk"]
    assert table.iloc[0].tolist() == ["Shared data warehouse", "Platform", "US$500,000", "2",
                                      "5", "5", "2", "2", "High"]
    credit = str(govex_tables())
    assert "GovEx Ethics & Algorithms Toolkit" in credit and "CC BY 4.0" in credit


def test_the_charts_state_their_finding_and_are_labelled_synthetic_even_for_real_data(page):
    _data, _candidates, best, ranked, sensitivity = page
    portfolio = plot_portfolio(best, ranked, context=REAL_DATA)
    # best 10.6 (see test_exercises_invest_portfolio.py, 2.4.4); the ranking 3.2 + 2.2 + 1.7
    assert portfolio.title == ("With the same budget, the best portfolio scores 10.6 points; "
                               "funding down the ranking, 7.1")
    assert portfolio.alt_text.startswith("Synthetic data.")
    stability = plot_stability(sensitivity, context=REAL_DATA)
    # the officer, board, audit and crew model in all 10 cases; the inventory in 7
    assert stability.title == ("4 of the 5 chosen investments stay chosen whichever weight "
                               "moves 20%")
    assert stability.alt_text.startswith("Synthetic data.")


def test_the_weights_panel_finds_the_best_portfolio_as_a_slider_moves(page):
    _data, candidates, best, *_ = page
    panel = WeightsPanel(candidates, DEFAULT_WEIGHTS)
    assert panel.best.chosen == best.chosen
    # governance 5 and use 0 (the weights still add up to 10): the warehouse drops to
    # (5×2 + 2×5 + 0×5 + 1×2 + 2×2) / 10 = 2.6 and the board rises to (25 + 2 + 1 + 4) / 10
    # = 3.2, so the portfolio changes
    panel.sliders["governance"].value = 5
    panel.sliders["use"].value = 0
    assert panel.weights["governance"] == 5 and panel.best.chosen != best.chosen
    assert "governance 50%" in panel.result.value
    bundle = panel._repr_mimebundle_()
    assert "On this static page the sliders do not move" in bundle["text/html"]
    assert "WeightsPanel(" not in bundle["text/plain"] and "IntSlider" not in bundle["text/plain"]
    for slider in panel.sliders.values():
        slider.value = 0
    assert panel.best is None and "Every weight is 0" in panel.result.value


def test_weights_the_sliders_cannot_show_are_a_plain_error():
    from cda_lib.themes.invest.portfolio import PortfolioError

    with pytest.raises(PortfolioError, match="whole weights from 0 to 5"):
        WeightsPanel(hand_candidates(), {**DEFAULT_WEIGHTS, "use": 2.5})


def test_the_memo_is_one_page_with_its_figures_and_is_recorded(page, tmp_path, monkeypatch):
    monkeypatch.setenv("CDA_BUILD_DIR", str(tmp_path))
    data, candidates, best, ranked, sensitivity = page
    memo = investment_memo("Handcount", best, ranked, sensitivity, candidates)
    path = write_memo(memo, "hand_counted_city")
    assert path == tmp_path / "hand_counted_city" / "investment_memo" / "investment_memo.html"
    text = path.read_text(encoding="utf-8")
    assert '<html lang="en">' in text and "SYNTHETIC DATA" in text
    assert "Investment memo: data investments for Handcount" in text
    # 2^7 = 128 sets of the seven candidates
    assert "Every one of the 128 possible sets of the 7 candidates was checked" in text
    assert "GovEx Ethics &amp; Algorithms Toolkit" in text
    assert "Yearly data quality audit: US$50,000" not in text  # the audit is funded
    assert "Shared data warehouse: US$500,000, weighted score 3.20" in text
    workspace = Workspace("hand_counted_city", folder=tmp_path / "workspace")
    said = record_memo(workspace, memo, path)
    assert str(said).startswith("Recorded in Handcount's workspace")
    assert workspace.read("investment_weights") == pytest.approx(
        {"governance": 0.3, "quality": 0.2, "use": 0.2, "capacity": 0.1, "transparency": 0.2})
    funded = workspace.read("investment_portfolio")
    assert [row["id"] for row in funded] == ["chief-data-officer", "data-inventory",
                                             "governance-board", "quality-audit",
                                             "crew-scheduling-model"]
    assert [row["always_chosen"] for row in funded] == [True, False, True, True, True]
    recorded = workspace.read("investment_memo")
    assert recorded == {**memo_record(memo, path), "page": recorded["page"]}
    assert (recorded["spent"], recorded["total_score"], recorded["funded"],
            recorded["ranking_total_score"], recorded["cases_changed"]) == \
        (640_000, 10.6, 5, 7.1, 3)
    assert recorded["page"] == "hand_counted_city/investment_memo/investment_memo.html"


def test_module_2_4_declares_its_records_and_needs_nothing_of_the_requests():
    module = find_module("2.4")
    assert module.writes == ("investment_weights", "investment_portfolio", "investment_memo")
    assert module.sections == () and module.notebook == \
        "02_invest/04_choosing_what_to_fund.ipynb"
