"""Page 2.5's helpers on hand-made figures (tests/ai_fixtures.py): the inventory and register of
AI uses, the risk review form, the triage rule's errors by district, and what the page records.
"""

from __future__ import annotations

import pytest
from ai_fixtures import AS_OF, STANDARDS, ai_data, hand_inventory, triage_requests

from cda_lib.cities.loader import load_city
from cda_lib.core.workspace import Workspace
from cda_lib.synth.ai_uses import TEMPLATES, ai_use_inventory
from cda_lib.themes import find_module
from cda_lib.themes.invest.ai_register import (
    USE_WORDS,
    ai_register,
    inventory_table,
    record_register,
    register_notice,
    register_table,
    risk_table,
)
from cda_lib.themes.invest.risk_form import RiskReviewForm, govex_risk_tables
from cda_lib.themes.invest.triage import TriageError, TriageRule, default_rule, triage_errors


@pytest.fixture(scope="module")
def register():
    return ai_register(hand_inventory())


def test_every_generated_use_has_words_and_only_those():
    assert [t.id for t in TEMPLATES] == list(USE_WORDS)


def test_the_inventory_is_the_same_for_a_city_every_time_and_differs_between_cities():
    riverbend = ai_use_inventory(load_city("riverbend")).table
    assert riverbend.equals(ai_use_inventory(load_city("riverbend")).table)
    assert not riverbend.equals(ai_use_inventory(load_city("villa-serena")).table)
    assert set(riverbend["status"]) <= {"in use", "candidate"}


def test_the_register_reviews_each_use_in_the_toolkits_tables(register):
    # worked by hand in tests/ai_fixtures.py
    table = register.table.set_index("id")
    assert table.loc["311-routing", ["impact", "accountability", "third_party",
                                     "technical_bias", "risk"]].tolist() == \
        ["moderate", "low", "medium", "high", "high"]
    assert table.loc["fraud-flags", "impact"] == "extreme"
    assert table.loc["translation", ["impact", "accountability", "third_party"]].tolist() == \
        ["very low", "high", "low"]
    assert table.loc["revenue-forecast", ["third_party", "historic_bias", "risk"]].tolist() == \
        ["", "medium", "medium"]
    assert table.loc["311-routing", "mitigations"] == ("bias testing", "public notice",
                                                       "vendor disclosure")
    assert table.loc["revenue-forecast", "mitigations"] == ("bias testing",)


def test_the_register_says_what_is_high_risk_and_what_needs_review(register):
    # high: routing, chatbot, fraud flags, translation; in use among them: routing, fraud
    # flags; review: chatbot, fraud flags, translation
    assert str(register.summary()) == (
        "4 of the 5 uses are high risk: 311 request routing, Chatbot on the city's website, "
        "Benefit fraud flags and Machine translation of notices. 2 of them are in use already: "
        "review them first. 3 uses need a person to review what they decide.")


def test_the_register_reads_as_a_table_with_no_codes_and_credits_the_toolkit(register):
    table = register_table(register).to_frame()
    assert list(table.columns) == ["Use", "Status", "Risk", "Safeguards it needs", "Owner"]
    # high risk first, by name; then the forecast
    assert table["Use"].tolist()[-1] == "Revenue forecast"
    assert table.iloc[-1].tolist() == ["Revenue forecast", "In use", "Medium", "bias testing",
                                       "Budget office"]
    assert table.iloc[0].tolist() == [
        "311 request routing", "In use", "High",
        "bias testing, a public notice and the vendor's method disclosed", "311 contact centre"]
    risks = risk_table(register).to_frame()
    assert risks.set_index("Use").loc["Revenue forecast", "Third party"] == "—"
    for shown in (register_table(register), risk_table(register), inventory_table(register)):
        text = str(shown)
        assert "nan" not in text.lower().split() and "_" not in "".join(shown.headings)
    assert "CC BY 4.0" in str(register_table(register))
    assert "CC BY 4.0" in str(govex_risk_tables())
    assert str(register_notice(register, "Handcount")).startswith(
        "SYNTHETIC DATA. The 5 uses of AI and algorithms on this page are fictional")


def test_the_register_is_recorded_for_the_capstone(register, tmp_path):
    workspace = Workspace("hand_counted_city", folder=tmp_path / "workspace")
    said = record_register(workspace, register, "Handcount")
    assert str(said).startswith("Recorded in Handcount's workspace, for the capstone's")
    rows = workspace.read("ai_register")
    assert [row["id"] for row in rows] == ["311-routing", "resident-chatbot", "fraud-flags",
                                           "translation", "revenue-forecast"]
    assert rows[2]["mitigations"] == ["human review", "bias testing", "public notice",
                                      "vendor disclosure"]


def test_the_form_looks_up_the_judgements_as_they_change():
    form = RiskReviewForm()
    assert form.review.overall == "low"
    # major x large = broad; broad x negative = extreme
    form.controls["degree"].value = "major"
    form.controls["scale"].value = "large"
    form.controls["direction"].value = "negative"
    assert form.review.impact == "extreme"
    assert "the scope is broad, so the impact is extreme" in form.result.value
    assert form.review.overall == "high" and "Overall risk: high." in form.result.value
    form.controls["vendor"].value = True
    form.controls["third_party_points"].value = 4
    assert form.review.third_party == "medium"
    bundle = form._repr_mimebundle_()
    assert "On this static page the form does not change" in bundle["text/html"]
    assert "Dropdown" not in bundle["text/plain"] and "RiskReviewForm(" not in bundle["text/plain"]


def test_a_rules_errors_by_district_worked_by_hand():
    """Rule: potholes, or North. By district (tests/ai_fixtures.py's layout):

    North: every request flagged: late 5, misses 0; on time 2 + 4 = 6, false alarms 6.
    South: late potholes 2 flagged, late noise 4 missed: 4 of 6; on-time potholes 2 flagged
           of 6 on time (false alarms 2).
    East:  late pothole 1 flagged, late noise 4 missed: 4 of 5 (80%); on-time noise 1 not
           flagged: 0 of 1.
    West:  late noise 2 missed: 2 of 2; nothing on time.
    Known outcomes 11 + 12 + 6 + 2 = 31; the tree (no standard) and the open noise complaint
    (within its 2 days) have none; the late pothole with no district is left out too.
    """
    errors = triage_errors(triage_requests(), STANDARDS, as_of=AS_OF,
                           rule=TriageRule(("POTHOLE",), ("North",)))
    table = errors.by_district.set_index("district")
    assert table.loc["North", ["requests", "late", "flagged", "missed", "on_time",
                               "false_alarms"]].tolist() == [11, 5, 11, 0, 6, 6]
    assert table.loc["South", ["late", "missed", "false_alarms"]].tolist() == [6, 4, 2]
    assert table.loc["East", "miss_rate"] == pytest.approx(0.8)
    assert table.loc["South", "miss_rate"] == pytest.approx(4 / 6)
    assert table.loc["East", "false_alarm_rate"] == 0
    assert (errors.late, errors.missed, errors.no_outcome, errors.no_district) == (18, 10, 2, 1)
    assert str(errors.summary()) == (
        "The rule flags a request as urgent if its type is Pothole repair or it comes from "
        "North. A request needed priority if it went late: closed after its type's service "
        "standard, or still open past it. 31 requests have a known outcome; 2 with no standard "
        "or still within it, and 1 with no district, are left out. The rule misses 4 of the 5 "
        "late requests in East (80%), against 0 of the 5 late requests in North (0%).")
    shown = errors.table().to_frame().set_index("District")
    # West has nothing on time: no false-alarm rate; South 4 of 6 written 67%
    assert shown.loc["West", "False-alarm rate"] == "—"
    assert shown.loc["South", "Miss rate"] == "67%"
    assert shown.loc["North", "Flagged, on time (false alarms)"] == "6"


def test_the_default_rule_is_built_from_who_calls():
    # noise goes late 12 times, potholes 7; South sends 13 requests, North 12
    assert default_rule(triage_requests(), STANDARDS, as_of=AS_OF) == \
        TriageRule(("NOISE",), ("South",))


def test_a_headline_needs_enough_late_requests():
    table = triage_requests()
    few = table[table["district"].isin(["West"])]
    errors = triage_errors(few, STANDARDS, as_of=AS_OF, rule=TriageRule(("NOISE",), ()))
    assert errors.headline() == ("No district has 5 late requests or more, too few to compare "
                                 "miss rates.")
    assert errors.rule_sentence() == ("The rule flags a request as urgent if its type is "
                                      "Noise complaint.")
    # none compared: the district with the most late requests stands in (West, 2 late)
    assert errors.worst_row()["district"] == "West"
    nothing = triage_errors(few.iloc[:0], STANDARDS, as_of=AS_OF, rule=TriageRule((), ()))
    assert nothing.worst_row()["late"] == 0 and nothing.table().rows == []


def test_a_rule_naming_a_district_the_data_lacks_is_a_plain_error():
    with pytest.raises(TriageError, match='"Nowhere", which this city\'s requests do not'):
        triage_errors(triage_requests(), STANDARDS, as_of=AS_OF,
                      rule=TriageRule((), ("Nowhere",)))


def test_module_2_5_declares_its_record_and_the_triage_sections():
    module = find_module("2.5")
    assert module.writes == ("ai_register",)
    assert [s.key for s in module.sections] == ["triage", "triage_custom"]
    assert {need.kind for need in module.sections[0].needs} == {"districts", "standards",
                                                                "closed"}
    assert ai_register(ai_data()).table["id"].tolist()[0] == "311-routing"
