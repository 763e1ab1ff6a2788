"""Page 2.5's AI register: each use of AI or an algorithm, its risks, what it needs, who owns it.

The uses come from :mod:`cda_lib.synth.ai_uses` (fictional, made from the city's seed);
this module names them in the page's language, looks each one up in the GovEx Ethics &
Algorithms Toolkit's tables (:mod:`cda_lib.themes.invest.algorithm_risk`; CC BY 4.0), and
says which safeguards it needs. The safeguards follow the workbook's rules, written here
so that a team can argue with them (the toolkit suggests mitigations for each risk, not
this list):

- **human review** of what it decides, when its accountability risk is medium or high, or
  its impact is significant or worse;
- **bias testing** (its results compared across districts and groups), when its historic
  or technical bias risk is medium or high;
- **a public notice** saying where the city uses it and how to ask for a person, when
  residents meet it directly or its overall risk is high;
- **the vendor's method disclosed** in the contract, when a vendor built it and its
  third-party risk is medium or high.

>>> mitigations_for(faces_residents=False, impact="low", accountability="medium",
...                 historic_bias="low", technical_bias="high", third_party="", overall="high")
('human review', 'bias testing', 'public notice')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from cda_lib.core.readable import ReadableTable, Sentences
from cda_lib.synth.ai_uses import AiUseInventory, ai_use_inventory
from cda_lib.text.dates import format_list
from cda_lib.text.translation import N_, gettext as _, ngettext
from cda_lib.themes.invest.algorithm_risk import GOVEX_CREDIT, IMPACT_LEVEL, review_risk

if TYPE_CHECKING:
    from cda_lib.core.workspace import Workspace
    from cda_lib.data import CityData

MODULE = "2.5"
# Each use's short name and what it does.
USE_WORDS = {
    "311-routing": (N_("311 request routing"), N_(
        "Reads each new 311 request and sends it to the department that should handle it; "
        "staff can send it elsewhere.")),
    "resident-chatbot": (N_("Chatbot on the city's website"), N_(
        "Answers residents' questions and takes simple requests by chat, with no person "
        "checking each answer.")),
    "inspection-targeting": (N_("Restaurant inspection targeting"), N_(
        "Ranks restaurants by their chance of a critical violation, so that inspectors visit "
        "the likeliest first.")),
    "fraud-flags": (N_("Benefit fraud flags"), N_(
        "Scores applications for housing and food benefits and flags some for a fraud "
        "review before payment.")),
    "translation": (N_("Machine translation of notices"), N_(
        "Translates city notices and replies to residents into other languages, published "
        "without a translator's review.")),
    "crew-scheduling": (N_("Pothole-crew scheduling"), N_(
        "Forecasts where potholes will be reported and proposes each crew's week; a "
        "supervisor approves it.")),
    "fire-risk": (N_("Building fire-risk scores"), N_(
        "Scores buildings by their risk of a fire, to choose which ones fire inspectors visit "
        "each month.")),
    "parking-cameras": (N_("Parking enforcement cameras"), N_(
        "Cameras read licence plates and issue parking fines by post, with no officer on "
        "the street.")),
    "revenue-forecast": (N_("Revenue forecast"), N_(
        "A model forecasts next year's tax revenue for the budget office, which reads it "
        "beside its own estimates.")),
    "tree-risk": (N_("Street-tree risk from photos"), N_(
        "Reads photos of street trees and ranks them by the risk that a branch falls, for the "
        "arborists' rounds.")),
}
OWNER_WORDS = {"contact-centre": N_("311 contact centre"), "health": N_("Health department"),
               "social-services": N_("Social services"), "communications": N_("Communications"),
               "public-works": N_("Public works"), "fire": N_("Fire department"),
               "transportation": N_("Transportation"), "budget": N_("Budget office"),
               "parks": N_("Parks and forestry")}
STATUS_WORDS = {"in use": N_("In use"), "candidate": N_("Candidate")}
LEVEL_WORDS = {"low": N_("Low"), "medium": N_("Medium"), "high": N_("High"), "": "—"}
IMPACT_WORDS = {"very low": N_("Very low"), "low": N_("Low"), "moderate": N_("Moderate"),
                "significant": N_("Significant"), "high": N_("High"), "extreme": N_("Extreme")}
MITIGATIONS = ("human review", "bias testing", "public notice", "vendor disclosure")
MITIGATION_WORDS = {"human review": N_("human review"), "bias testing": N_("bias testing"),
                    "public notice": N_("a public notice"),
                    "vendor disclosure": N_("the vendor's method disclosed")}
FICTIONAL_NOTE = N_("SYNTHETIC DATA. The {count} uses of AI and algorithms on this page are "
                    "fictional: made for teaching from {city}'s seed, not an audit of the city.")


def mitigations_for(*, faces_residents: bool, impact: str, accountability: str,
                    historic_bias: str, technical_bias: str, third_party: str,
                    overall: str) -> tuple[str, ...]:
    """The safeguards a use needs, by the rules in this module's docstring."""
    needed = []
    if accountability in ("medium", "high") or IMPACT_LEVEL[impact] == "high":
        needed.append("human review")
    if historic_bias in ("medium", "high") or technical_bias in ("medium", "high"):
        needed.append("bias testing")
    if faces_residents or overall == "high":
        needed.append("public notice")
    if third_party in ("medium", "high"):
        needed.append("vendor disclosure")
    return tuple(needed)


@dataclass(frozen=True)
class AiRegister:
    """The register: one row per use, with its six risks, overall level, safeguards and
    owner (ids and levels; :func:`register_table` writes them out)."""

    table: pd.DataFrame
    seed: int

    def needing(self, mitigation: str) -> list[str]:
        """The ids of the uses that need ``mitigation``."""
        return [row.id for row in self.table.itertuples() if mitigation in row.mitigations]

    def names(self, ids) -> list[str]:
        return [use_name(i) for i in ids]

    def summary(self) -> Sentences:
        """How many uses are high risk, and which; how many of those the city runs already."""
        table = self.table
        high = table[table["risk"] == "high"]
        running = high[high["status"] == "in use"]
        sentences = [ngettext(
            "{count} of the {total} uses is high risk: {names}.",
            "{count} of the {total} uses are high risk: {names}.", len(high), total=len(table),
            names=format_list(self.names(high["id"])) or "—")]
        if len(high):
            sentences.append(ngettext(
                "{count} of them is in use already: review it first.",
                "{count} of them are in use already: review them first.", len(running)))
        reviews = self.needing("human review")
        sentences.append(ngettext(
            "{count} use needs a person to review what it decides.",
            "{count} uses need a person to review what they decide.", len(reviews)))
        return Sentences(sentences)


def use_name(use_id: str) -> str:
    """A use's short name in the page's language."""
    return _(USE_WORDS[use_id][0])


def ai_register(source: CityData | AiUseInventory) -> AiRegister:
    """The register of the city's uses (``source``: its data, or an inventory itself)."""
    if isinstance(source, AiUseInventory):
        inventory = source
    else:
        held = getattr(source, "ai_uses", None)
        inventory = held if held is not None else ai_use_inventory(source.city)
    rows = []
    for use in inventory.table.itertuples():
        review = review_risk(
            degree=use.degree, scale=use.scale, direction=use.direction,
            consistency=use.consistency, reputation=use.reputation, automation=use.automation,
            explainability=use.explainability, auditability=use.auditability,
            vendor=bool(use.vendor), third_party_points=int(use.third_party_points),
            data_age_years=int(use.data_age_years), representativeness=use.representativeness,
            inaccuracy=use.inaccuracy)
        overall = review.overall
        rows.append({
            "id": use.id, "name": use_name(use.id), "status": use.status, "owner": use.owner,
            "impact": review.impact, "appropriate_use": review.appropriate_use,
            "accountability": review.accountability, "third_party": review.third_party,
            "historic_bias": review.historic_bias, "technical_bias": review.technical_bias,
            "risk": overall,
            "mitigations": mitigations_for(
                faces_residents=bool(use.faces_residents), impact=review.impact,
                accountability=review.accountability, historic_bias=review.historic_bias,
                technical_bias=review.technical_bias, third_party=review.third_party,
                overall=overall)})
    return AiRegister(pd.DataFrame(rows), inventory.seed)


def register_notice(register: AiRegister, city_name: str) -> Sentences:
    """What the uses are, for the page: fictional."""
    return Sentences([_(FICTIONAL_NOTE, count=len(register.table), city=city_name)])


def _mitigation_text(mitigations) -> str:
    return format_list([_(MITIGATION_WORDS[m]) for m in mitigations]) or _("none beyond the usual")


def inventory_table(register: AiRegister) -> ReadableTable:
    """Each use: what it does, whether it runs already, and who owns it."""
    rows = [[(row.name, False), (_(USE_WORDS[row.id][1]), False),
             (_(STATUS_WORDS[row.status]), False), (_(OWNER_WORDS[row.owner]), False)]
            for row in register.table.itertuples()]
    return ReadableTable([_("Use"), _("What it does"), _("Status"), _("Owner")], rows,
                         caption=_("The city's uses of AI and algorithms"))


def risk_table(register: AiRegister) -> ReadableTable:
    """Each use's six risks from the toolkit's tables, and the highest of them."""
    rows = [[(row.name, False), (_(IMPACT_WORDS[row.impact]), False),
             *[(_(LEVEL_WORDS[getattr(row, name)]) if getattr(row, name) else "—", False)
               for name in ("appropriate_use", "accountability", "third_party",
                            "historic_bias", "technical_bias", "risk")]]
            for row in register.table.itertuples()]
    headings = [_("Use"), _("Impact"), _("Appropriate use"), _("Accountability"),
                _("Third party"), _("Historic bias"), _("Technical bias"), _("Overall risk")]
    return ReadableTable(headings, rows, caption=_("The risk review"), notes=[
        _("Third party: — for a use the city built itself."),
        _("Overall risk: the highest of the six (an impact of significant or more counts as "
          "high, moderate as medium): the workbook's rule, not the toolkit's."),
        _(GOVEX_CREDIT)])


def register_table(register: AiRegister) -> ReadableTable:
    """The register to publish: each use, its risk, the safeguards it needs and its owner."""
    order = {"high": 0, "medium": 1, "low": 2}
    table = register.table.assign(_order=register.table["risk"].map(order)).sort_values(
        ["_order", "name"], kind="stable")
    rows = [[(row.name, False), (_(STATUS_WORDS[row.status]), False),
             (_(LEVEL_WORDS[row.risk]), False), (_mitigation_text(row.mitigations), False),
             (_(OWNER_WORDS[row.owner]), False)] for row in table.itertuples()]
    return ReadableTable([_("Use"), _("Status"), _("Risk"), _("Safeguards it needs"),
                          _("Owner")], rows, caption=_("The AI register"),
                         notes=[_(GOVEX_CREDIT)])


def register_record(register: AiRegister) -> list[dict]:
    """The register as plain rows, for the workspace."""
    return [{"id": row.id, "name": row.name, "status": row.status, "owner": row.owner,
             "risk": row.risk, "impact": row.impact, "appropriate_use": row.appropriate_use,
             "accountability": row.accountability, "third_party": row.third_party,
             "historic_bias": row.historic_bias, "technical_bias": row.technical_bias,
             "mitigations": list(row.mitigations)} for row in register.table.itertuples()]


def record_register(workspace: Workspace, register: AiRegister, city_name: str) -> Sentences:
    """Record the register for the capstone; say what was kept."""
    workspace.record("ai_register", register_record(register), module=MODULE)
    return Sentences([ngettext(
        "Recorded in {city}'s workspace, for the capstone's Citywide Data Strategy: the AI "
        "register's {count} use, with its risk, safeguards and owner.",
        "Recorded in {city}'s workspace, for the capstone's Citywide Data Strategy: the AI "
        "register's {count} uses, with their risk, safeguards and owner.",
        len(register.table), city=city_name)])
