"""Page 2.4's candidate investments, in words: names, what each is, its kind and its risk.

The figures come from :mod:`cda_lib.synth.investments` (fictional, made from the city's
seed); this module gives each candidate its name and description in the page's language,
works out its overall risk, and shows the candidates as a table to read.

**Risk.** Every candidate has a delivery risk (will it be delivered on time, on budget?).
A candidate that uses an algorithm also has an accountability risk, looked up in the
GovEx Ethics & Algorithms Toolkit's tables (CC BY 4.0; civic-standards.md, B2): how easy
it is to explain and to audit gives its *accessibility*, and accessibility with its
automation level gives the risk (:mod:`cda_lib.themes.invest.algorithm_risk` holds the
tables, for page 2.5 too). The overall risk is the higher of the two.

>>> accountability_risk("algorithmically determined", "hard", "medium")
'high'
>>> accountability_risk("algorithm-mediated", "medium", "easy"), accountability_risk("", "", "")
('low', '')
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from cda_lib.core.errors import CdaError, list_choices
from cda_lib.core.readable import ReadableTable, Sentences, Tables
from cda_lib.synth.investments import (
    AUTOMATION,
    COMPONENTS,
    EASE,
    RISKS,
    CandidateInvestments,
    candidate_investments,
)
from cda_lib.text.numbers import format_money
from cda_lib.text.translation import N_, gettext as _
from cda_lib.themes.invest.algorithm_risk import (  # the one implementation of the tables
    ACCESSIBILITY,
    ACCOUNTABILITY,
    ACCOUNTABILITY_CREDIT as GOVEX_CREDIT,
    accountability_risk,
)

if TYPE_CHECKING:
    from cda_lib.data import CityData

# Each candidate's name (short, for tables and charts) and what it is, with where the idea
# comes from (civic-standards.md, B1 What Works Cities and B2 GovEx).
WORDS = {
    "open-data-portal": (N_("Open data portal with a live 311 feed"), N_(
        "Publishes the city's datasets, with 311 requests updated every day, for residents, "
        "reporters and researchers (What Works Cities: Open Data).")),
    "data-warehouse": (N_("Shared data warehouse"), N_(
        "One place where every department's data is kept and joined, instead of spreadsheets "
        "sent by email (GovEx: data access, warehouses and lakes).")),
    "case-system": (N_("New 311 case system"), N_(
        "Replaces the 311 software, so that every request records its district, its closed "
        "date and why it was closed.")),
    "crew-scheduling-model": (N_("Predictive pothole-crew scheduling"), N_(
        "A model forecasts where potholes will be reported and proposes each crew's week; a "
        "supervisor approves the schedule.")),
    "resident-assistant": (N_("AI assistant on the 311 line"), N_(
        "Answers residents' questions and takes their requests by chat, with no person "
        "checking each answer.")),
    "chief-data-officer": (N_("Chief data officer"), N_(
        "A senior lead for data across the city, with the authority to set standards (GovEx "
        "Data Inventory Guide: an oversight authority).")),
    "performance-analysts": (N_("Two performance analysts"), N_(
        "Prepare the stat meeting's brief and answer leaders' questions with data (GovEx: "
        "performance management).")),
    "data-academy": (N_("Data academy for staff"), N_(
        "Training in data skills for about 150 staff a year, from spreadsheets to "
        "dashboards.")),
    "data-stewards": (N_("Data stewards in every department"), N_(
        "Part of one person's time in each department to look after its main datasets (GovEx: "
        "every major data asset should have a data steward).")),
    "governance-board": (N_("Data governance board"), N_(
        "A committee that sets the city's data rules and meets at least every quarter, with "
        "minutes (What Works Cities: Data Governance).")),
    "data-inventory": (N_("Full data inventory"), N_(
        "A list of every dataset the city holds, with its owner and sensitivity, updated every "
        "year and published (What Works Cities, criterion DG1).")),
    "quality-audit": (N_("Yearly data quality audit"), N_(
        "Checks the main datasets every year and sets standards for common fields such as "
        "street addresses (What Works Cities: data quality).")),
    "program-evaluations": (N_("Two program evaluations a year"), N_(
        "Rigorous evaluations, with a comparison group, of two city programs a year (What "
        "Works Cities: Evaluations).")),
}
KIND_WORDS = {"platform": N_("Platform"), "people": N_("People"), "practice": N_("Practice")}
RISK_WORDS = {"low": N_("Low"), "medium": N_("Medium"), "high": N_("High")}
COMPONENT_WORDS = {"governance": N_("Governance"), "quality": N_("Quality"), "use": N_("Use"),
                   "capacity": N_("Capacity"), "transparency": N_("Transparency")}
# Component names inside a sentence ("the weight of quality"), where English writes them
# in lower case.
COMPONENT_NAMES = {"governance": N_("governance"), "quality": N_("quality"), "use": N_("use"),
                   "capacity": N_("capacity"), "transparency": N_("transparency")}
AUTOMATION_WORDS = {"human-mediated": N_("Human-mediated"),
                    "algorithm-mediated": N_("Algorithm-mediated"),
                    "algorithmically determined": N_("Algorithmically determined")}
EASE_WORDS = {"easy": N_("Easy"), "medium": N_("Medium"), "hard": N_("Hard")}
ACCESSIBILITY_WORDS = {"accessible": N_("Accessible"), "some concerns": N_("Some concerns"),
                       "major concerns": N_("Major concerns")}

FICTIONAL_NOTE = N_("Fictional candidates made for teaching from {city}'s seed, not proposals; "
                    "costs in {currency} are illustrative, not quotes.")


class CandidateError(CdaError, ValueError):
    """A table of candidate investments holds something page 2.4 cannot read."""


def candidate_name(candidate_id: str) -> str:
    """A candidate's short name in the page's language."""
    return _(WORDS[candidate_id][0])


def investment_candidates(data: CityData) -> CandidateInvestments:
    """The city's candidates, named in the page's language, with their overall risk.

    The figures are the city's (``data.investments``, made from its seed when the data was
    loaded); the table gains ``name``, ``accountability_risk`` (GovEx, for an algorithm)
    and ``risk``, the higher of that and the delivery risk.
    """
    raw = getattr(data, "investments", None)
    raw = raw if raw is not None else candidate_investments(data.city)
    table = raw.table.copy()
    unknown = sorted(set(table["id"]) - set(WORDS))
    if unknown:
        raise CandidateError(_(
            "The candidate investments include {ids}, which page 2.4 has no words for. The "
            "candidates it knows are {known}. Use those ids.", ids=list_choices(unknown),
            known=list_choices(WORDS, limit=len(WORDS))))
    table.insert(1, "name", [candidate_name(i) for i in table["id"]])
    table["accountability_risk"] = [
        accountability_risk(row.automation, row.explainability, row.auditability)
        for row in table.itertuples()]
    table["risk"] = [max(row.delivery_risk, row.accountability_risk or "low", key=RISKS.index)
                     for row in table.itertuples()]
    return dataclasses.replace(raw, table=table)


def fictional_note(candidates: CandidateInvestments, city_name: str) -> str:
    """The sentence every chart, table and page of the candidates carries."""
    return _(FICTIONAL_NOTE, city=city_name, currency=candidates.currency)


def candidates_notice(candidates: CandidateInvestments, city_name: str) -> Sentences:
    """What the candidates are, for the page: fictional, illustrative, in which currency."""
    sentences = [_("SYNTHETIC DATA. The {count} candidate investments on this page are "
                   "fictional: made for teaching from {city}'s seed, whatever the source of its "
                   "service requests.", count=len(candidates.table), city=city_name),
                 _("Costs are in {currency}, scaled to the city's size and converted at a round "
                   "rate: illustrative, not quotes. The illustrative budget is {budget}.",
                   currency=candidates.currency,
                   budget=format_money(candidates.budget, candidates.currency))]
    if not candidates.currency_known:
        sentences.append(_("The city file's country has no currency in the workbook's list, so "
                           "the costs are in US dollars."))
    return Sentences(sentences)


def candidates_table(candidates: CandidateInvestments) -> ReadableTable:
    """Every candidate: its kind, cost, benefit score on each component (0 to 5) and risk."""
    table = candidates.table
    rows = []
    for row in table.itertuples():
        rows.append([(row.name, False), (_(KIND_WORDS[row.kind]), False),
                     (format_money(row.cost, candidates.currency), True),
                     *[(str(getattr(row, c)), True) for c in COMPONENTS],
                     (_(RISK_WORDS[row.risk]), False)])
    headings = [_("Investment"), _("Kind"), _("Cost"),
                *[_(COMPONENT_WORDS[c]) for c in COMPONENTS], _("Risk")]
    return ReadableTable(headings, rows, caption=_("The candidate investments"),
                         notes=[_("Benefit scores from 0 (no benefit) to 5 (transforms it).")])


def descriptions_table(candidates: CandidateInvestments) -> ReadableTable:
    """What each candidate is, and where the idea comes from."""
    rows = [[(row.name, False), (_(WORDS[row.id][1]), False)]
            for row in candidates.table.itertuples()]
    return ReadableTable([_("Investment"), _("What it is")], rows)


def algorithm_risk_table(candidates: CandidateInvestments) -> ReadableTable:
    """The candidates that use an algorithm: the GovEx toolkit's inputs and risks, credited."""
    rows = []
    for row in candidates.table[candidates.table["automation"] != ""].itertuples():
        access = ACCESSIBILITY[row.auditability][row.explainability]
        rows.append([(row.name, False), (_(AUTOMATION_WORDS[row.automation]), False),
                     (_(EASE_WORDS[row.explainability]), False),
                     (_(EASE_WORDS[row.auditability]), False),
                     (_(ACCESSIBILITY_WORDS[access]), False),
                     (_(RISK_WORDS[row.accountability_risk]), False),
                     (_(RISK_WORDS[row.delivery_risk]), False), (_(RISK_WORDS[row.risk]), False)])
    headings = [_("Investment"), _("Automation"), _("Explainability"), _("Auditability"),
                _("Accessibility"), _("Accountability risk"), _("Delivery risk"),
                _("Overall risk")]
    return ReadableTable(headings, rows, caption=_("The candidates that use an algorithm"),
                         notes=[_(GOVEX_CREDIT)])


def govex_tables() -> Tables:
    """The GovEx toolkit's two accountability tables, as the toolkit lays them out."""
    access = ReadableTable(
        [_("Auditability / explainability"), *[_(EASE_WORDS[e]) for e in EASE]],
        [[(_(EASE_WORDS[a]), False), *[(_(ACCESSIBILITY_WORDS[ACCESSIBILITY[a][e]]), False)
                                       for e in EASE]] for a in EASE],
        caption=_("Accessibility"))
    risk = ReadableTable(
        [_("Accessibility / automation"), *[_(AUTOMATION_WORDS[a]) for a in AUTOMATION]],
        [[(_(ACCESSIBILITY_WORDS[level]), False),
          *[(_(RISK_WORDS[ACCOUNTABILITY[level][a]]), False) for a in AUTOMATION]]
         for level in ACCOUNTABILITY],
        caption=_("Accountability risk"), notes=[_(GOVEX_CREDIT)])
    return Tables([access, risk])
