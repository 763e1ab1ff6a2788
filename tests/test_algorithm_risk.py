"""The GovEx Ethics & Algorithms Toolkit's risk tables (cda_lib/themes/invest/algorithm_risk.py),
checked cell by cell against the tables as civic-standards.md (B2, Part 1 "Assess Algorithm
Risk") transcribes them. The expected tables below are copied from that text, not from the
code: each markdown table is read row by row, and every cell is looked up."""

from __future__ import annotations

import pytest

from cda_lib.themes.invest import algorithm_risk as risk

# civic-standards.md, B2, "Scope = f(degree, scale)"
SCOPE_TEXT = """
| Degree \\ Scale | Small | Medium | Large |
|---|---|---|---|
| None (no discernable) | Very narrow | Very narrow | Limited/narrow |
| Minor | Very narrow | Limited/narrow | Substantial |
| Moderate | Limited/narrow | Substantial | Broad |
| Major | Substantial | Broad | Broad |
"""
# "Overall impact = f(scope, direction)"
IMPACT_TEXT = """
| Scope \\ Direction | Positive | Mostly positive | Mostly negative | Negative |
|---|---|---|---|---|
| Very narrow | Very low | Very low | Low | Moderate |
| Limited/narrow | Very low | Low | Moderate | Significant |
| Substantial | Low | Moderate | Significant | High |
| Broad | Moderate | Significant | High | Extreme |
"""
# "Appropriate use = consistency × reputation"
APPROPRIATE_TEXT = """
| Consistency \\ Reputation | Supportive | Mixed | Not supportive |
|---|---|---|---|
| Yes | Low | Low | Medium |
| Somewhat | Low | Medium | High |
| Unknown | Medium | Medium | High |
| No | Medium | High | High |
"""
# "Accessibility = explainability × auditability"
ACCESSIBILITY_TEXT = """
| Auditability \\ Explainability | Easy | Medium | Hard |
|---|---|---|---|
| Easy | Accessible | Accessible | Some concerns |
| Medium | Accessible | Some concerns | Major concerns |
| Hard | Some concerns | Major concerns | Major concerns |
"""
# "Accountability risk = accessibility × automation"
ACCOUNTABILITY_TEXT = """
| Accessibility \\ Automation | Human-mediated | Algorithm-mediated | Algorithmically determined |
|---|---|---|---|
| Accessible | Low | Low | Medium |
| Some concerns | Low | Medium | High |
| Major concerns | Medium | High | High |
"""
# "Technical bias: representativeness (L/M/H) × inaccuracy (L/M/H), using the same 3×3
# pattern as appropriate use (L/L/M; L/M/H; M/H/H)"
TECHNICAL_TEXT = """
| Representativeness \\ Inaccuracy | L | M | H |
|---|---|---|---|
| L | L | L | M |
| M | L | M | H |
| H | M | H | H |
"""
LETTERS = {"l": "low", "m": "medium", "h": "high"}


def _key(text: str) -> str:
    word = text.strip().lower().replace(" (no discernable)", "")
    return LETTERS.get(word, word)


def _cells(table_text: str):
    """(row, column, value) for every cell of a markdown table, in the code's lower case."""
    lines = [line for line in table_text.strip().splitlines() if not line.startswith("|---")]
    header = [_key(cell) for cell in lines[0].strip("|").split("|")[1:]]
    for line in lines[1:]:
        row, *values = [cell for cell in line.strip("|").split("|")]
        for column, value in zip(header, values, strict=True):
            yield _key(row), column, _key(value)


def _cases(table_text: str):
    return list(_cells(table_text))


@pytest.mark.parametrize(("degree", "scale", "scope"), _cases(SCOPE_TEXT))
def test_scope_cell(degree, scale, scope):
    assert risk.impact_scope(degree, scale) == scope


@pytest.mark.parametrize(("scope", "direction", "impact"), _cases(IMPACT_TEXT))
def test_impact_cell(scope, direction, impact):
    assert risk.IMPACT[scope][direction] == impact


@pytest.mark.parametrize(("consistency", "reputation", "level"), _cases(APPROPRIATE_TEXT))
def test_appropriate_use_cell(consistency, reputation, level):
    assert risk.appropriate_use(consistency, reputation) == level


@pytest.mark.parametrize(("auditability", "explainability", "level"), _cases(ACCESSIBILITY_TEXT))
def test_accessibility_cell(auditability, explainability, level):
    assert risk.accessibility(explainability, auditability) == level


@pytest.mark.parametrize(("access", "automation", "level"), _cases(ACCOUNTABILITY_TEXT))
def test_accountability_cell(access, automation, level):
    assert risk.ACCOUNTABILITY[access][automation] == level


@pytest.mark.parametrize(("representativeness", "inaccuracy", "level"), _cases(TECHNICAL_TEXT))
def test_technical_bias_cell(representativeness, inaccuracy, level):
    assert risk.technical_bias(representativeness, inaccuracy) == level


def test_every_table_has_every_cell_of_the_reference_and_no_more():
    assert len(_cases(SCOPE_TEXT)) == 12 and len(_cases(IMPACT_TEXT)) == 16
    assert sum(len(row) for row in risk.SCOPE.values()) == 12
    assert sum(len(row) for row in risk.IMPACT.values()) == 16
    assert sum(len(row) for row in risk.APPROPRIATE_USE.values()) == 12
    assert sum(len(row) for row in risk.ACCESSIBILITY.values()) == 9
    assert sum(len(row) for row in risk.ACCOUNTABILITY.values()) == 9
    assert sum(len(row) for row in risk.TECHNICAL_BIAS.values()) == 9


def test_the_impact_of_a_whole_path_through_both_tables():
    # moderate x large = broad (scope table); broad x mostly negative = high (impact table)
    assert risk.impact("moderate", "large", "mostly negative") == "high"
    # none x small = very narrow; very narrow x negative = moderate
    assert risk.impact("none", "small", "negative") == "moderate"


def test_accountability_goes_through_accessibility_then_automation():
    # auditability medium, explainability hard: major concerns; x human-mediated: medium
    assert risk.accountability_risk("human-mediated", "hard", "medium") == "medium"
    assert risk.accountability_risk("", "hard", "hard") == ""  # no algorithm, no risk


# "Eight yes/no questions, one point each. 6–8 points = Low risk, 3–5 = Medium, 0–2 = High.
# If none of the questions apply, the risk is High."
@pytest.mark.parametrize(("points", "level"), [
    (0, "high"), (1, "high"), (2, "high"), (3, "medium"), (4, "medium"), (5, "medium"),
    (6, "low"), (7, "low"), (8, "low"), (None, "high")])
def test_third_party_points(points, level):
    assert risk.third_party_risk(points) == level


def test_third_party_points_outside_the_eight_questions_are_refused():
    with pytest.raises(ValueError, match="from 0 to 8"):
        risk.third_party_risk(9)


# "Low if the data is 0–10 years old, Medium if 11–25, High if 26–50+ years"
@pytest.mark.parametrize(("years", "level"), [
    (0, "low"), (10, "low"), (11, "medium"), (25, "medium"), (26, "high"), (50, "high"),
    (80, "high")])
def test_historic_bias_by_age(years, level):
    assert risk.historic_bias(years) == level


def test_the_overall_level_is_the_highest_of_the_six():
    # impact extreme (read high) beats everything low
    review = risk.RiskReview("broad", "extreme", "low", "accessible", "low", "", "low", "low")
    assert review.overall == "high"
    # moderate impact (read medium), the rest low
    assert risk.RiskReview("broad", "moderate", "low", "accessible", "low", "low", "low",
                           "low").overall == "medium"


def test_page_2_4_uses_the_same_implementation():
    from cda_lib.themes.invest import candidates

    assert candidates.accountability_risk is risk.accountability_risk
    assert candidates.ACCESSIBILITY is risk.ACCESSIBILITY
