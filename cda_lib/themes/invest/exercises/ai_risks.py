"""Exercises 2.5: AI use cases and their risks (the exercise set of page 2.5).

The exercises themselves (their words, answer kinds, mistakes and hints) are written in
``ai_risks.yaml`` beside this module; this module holds the functions that file names.

Four exercises read the city's own inventory of AI uses (fictional, from its seed) in the
GovEx Ethics & Algorithms Toolkit's tables: the impact of 311 routing, the accountability
risk of machine translation, the third-party risk of the fraud flags and how many uses need
human review. Two read the triage rule's errors on the city's own requests (the page's
default rule: the type with the most late requests, or the district that sends the most):
the miss rate where the rule fails most, and the late requests it misses in all. Every
figure comes from :mod:`cda_lib.themes.invest.algorithm_risk`,
:mod:`cda_lib.themes.invest.ai_register` and :mod:`cda_lib.themes.invest.triage`, the
functions the page uses.

>>> impact_letter("moderate"), level_letter("high")
('C', 'C')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cda_lib.exercises.exercise import CityMemo
from cda_lib.text.numbers import format_percent
from cda_lib.text.translation import gettext as _
from cda_lib.themes.invest.ai_register import (
    IMPACT_WORDS,
    LEVEL_WORDS,
    AiRegister,
    ai_register,
    use_name,
)
from cda_lib.themes.invest.algorithm_risk import (
    ACCESSIBILITY,
    ACCOUNTABILITY,
    DEGREES,
    IMPACT,
    IMPACTS,
    LEVELS,
    SCOPE,
    SCOPES,
    accessibility,
    third_party_risk,
)
from cda_lib.themes.invest.candidates import ACCESSIBILITY_WORDS, AUTOMATION_WORDS, EASE_WORDS
from cda_lib.themes.invest.risk_form import (
    DEGREE_WORDS,
    DIRECTION_WORDS,
    SCALE_WORDS,
    SCOPE_WORDS,
)
from cda_lib.themes.invest.triage import TriageErrors, triage_errors

if TYPE_CHECKING:
    from cda_lib.data import CityData

IMPACT_USE = "311-routing"  # exercise 2.5.1
ACCOUNTABILITY_USE = "translation"  # exercise 2.5.2
THIRD_PARTY_USE = "fraud-flags"  # exercise 2.5.3
_memo = CityMemo()


def impact_letter(impact: str) -> str:
    """The letter of exercise 2.5.1's option for an impact (A very low ... F extreme)."""
    return "ABCDEF"[IMPACTS.index(impact)]


def level_letter(level: str) -> str:
    """The letter of a low (A), medium (B) or high (C) option."""
    return "ABC"[LEVELS.index(level)]


# --- the figures ----------------------------------------------------------------------------


def register_of(data: CityData) -> AiRegister:
    return _memo("register", data, lambda: ai_register(data))


def _use(data: CityData, use_id: str):
    held = getattr(data, "ai_uses", None)
    if held is None:
        from cda_lib.synth.ai_uses import ai_use_inventory

        held = _memo("inventory", data, lambda: ai_use_inventory(data.city))
    table = held.table
    return table[table["id"] == use_id].iloc[0]


def _review(data: CityData, use_id: str):
    table = register_of(data).table
    return table[table["id"] == use_id].iloc[0]


def errors_of(data: CityData) -> TriageErrors:
    return _memo("triage", data, lambda: triage_errors(
        data.requests, data.city.service_standards, as_of=data.as_of))


def _worst(data: CityData):
    return errors_of(data).worst_row()


# --- expected answers -----------------------------------------------------------------------


def routing_impact(data: CityData) -> str:
    """Exercise 2.5.1: 311 routing's overall impact."""
    return impact_letter(_review(data, IMPACT_USE)["impact"])


def translation_accountability(data: CityData) -> str:
    """Exercise 2.5.2: machine translation's accountability risk."""
    return level_letter(_review(data, ACCOUNTABILITY_USE)["accountability"])


def fraud_third_party(data: CityData) -> str:
    """Exercise 2.5.3: the fraud flags' third-party risk."""
    return level_letter(third_party_risk(int(_use(data, THIRD_PARTY_USE)["third_party_points"])))


def human_review_count(data: CityData) -> int:
    """Exercise 2.5.4: how many uses need human review."""
    return len(register_of(data).needing("human review"))


def worst_miss_rate(data: CityData) -> float:
    """Exercise 2.5.5: the miss rate of the district the rule fails most."""
    rate = float(_worst(data)["miss_rate"])
    return 0.0 if rate != rate else rate  # no late request at all: nothing missed


def total_missed(data: CityData) -> int:
    """Exercise 2.5.6: the late requests the rule misses, all districts together."""
    return errors_of(data).missed


# --- slider bounds --------------------------------------------------------------------------


def _uses_slider(data: CityData) -> tuple[float, float, float]:
    return 0, len(register_of(data).table), 1


def _share_slider(data: CityData) -> tuple[float, float, float]:
    return 0, 1, 0.01


def _late_slider(data: CityData) -> tuple[float, float, float]:
    return 0, max(errors_of(data).late, 1), 1


# --- facts for the messages -----------------------------------------------------------------


def _impact_facts(data: CityData) -> dict[str, Any]:
    use, review = _use(data, IMPACT_USE), _review(data, IMPACT_USE)
    return {"use": use_name(IMPACT_USE), "degree": _(DEGREE_WORDS[use["degree"]]),
            "scale": _(SCALE_WORDS[use["scale"]]),
            "direction": _(DIRECTION_WORDS[use["direction"]]),
            "scope": _(SCOPE_WORDS[SCOPE[use["degree"]][use["scale"]]]),
            "impact": _(IMPACT_WORDS[review["impact"]])}


def _accountability_facts(data: CityData) -> dict[str, Any]:
    use, review = _use(data, ACCOUNTABILITY_USE), _review(data, ACCOUNTABILITY_USE)
    return {"use": use_name(ACCOUNTABILITY_USE),
            "automation": _(AUTOMATION_WORDS[use["automation"]]),
            "explainability": _(EASE_WORDS[use["explainability"]]),
            "auditability": _(EASE_WORDS[use["auditability"]]),
            "accessibility": _(ACCESSIBILITY_WORDS[accessibility(use["explainability"],
                                                                 use["auditability"])]),
            "risk": _(LEVEL_WORDS[review["accountability"]])}


def _third_party_facts(data: CityData) -> dict[str, Any]:
    points = int(_use(data, THIRD_PARTY_USE)["third_party_points"])
    return {"use": use_name(THIRD_PARTY_USE), "points": points,
            "risk": _(LEVEL_WORDS[third_party_risk(points)])}


def _review_facts(data: CityData) -> dict[str, Any]:
    register = register_of(data)
    ids = register.needing("human review")
    from cda_lib.text.dates import format_list

    return {"count": len(ids), "total": len(register.table),
            "names": format_list(register.names(ids)) or "—"}


def _worst_facts(data: CityData) -> dict[str, Any]:
    errors, worst = errors_of(data), _worst(data)
    return {"rule": errors.rule_sentence(), "district": worst["district"],
            "missed": int(worst["missed"]), "late": int(worst["late"]),
            "rate": format_percent(worst["miss_rate"]) if worst["late"] else "—"}


def _total_facts(data: CityData) -> dict[str, Any]:
    errors = errors_of(data)
    return {"rule": errors.rule_sentence(), "missed": errors.missed, "late": errors.late,
            "share": format_percent(errors.missed / errors.late) if errors.late else "—"}


# --- answers named by the exercise file (ai_risks.yaml) ------------------------------------


def mistaken_scope_skipped(data: CityData) -> Any:
    """2.5.1's "scope table skipped": the degree's row read as the scope."""
    use = _use(data, IMPACT_USE)
    return impact_letter(IMPACT[SCOPES[DEGREES.index(use["degree"])]][use["direction"]])


def mistaken_read_as_negative(data: CityData) -> Any:
    """2.5.1's "direction read as negative": the scope's worst column."""
    use = _use(data, IMPACT_USE)
    return impact_letter(IMPACT[SCOPE[use["degree"]][use["scale"]]]["negative"])


def mistaken_automation_left_out(data: CityData) -> Any:
    """2.5.2's "automation left out": read as if a person decided."""
    use = _use(data, ACCOUNTABILITY_USE)
    access = ACCESSIBILITY[use["auditability"]][use["explainability"]]
    return level_letter(ACCOUNTABILITY[access]["human-mediated"])


def mistaken_accessibility_as_risk(data: CityData) -> Any:
    """2.5.2's "accessibility taken for the risk": accessible low, some concerns medium, major
    concerns high, with no second table."""
    use = _use(data, ACCOUNTABILITY_USE)
    access = ACCESSIBILITY[use["auditability"]][use["explainability"]]
    return "ABC"[("accessible", "some concerns", "major concerns").index(access)]


def mistaken_bands_reversed(data: CityData) -> Any:
    """2.5.3's "bands reversed": more yes answers read as more risk."""
    reverse = {"low": "high", "medium": "medium", "high": "low"}
    return level_letter(reverse[third_party_risk(int(_use(data, THIRD_PARTY_USE)
                                                      ["third_party_points"]))])


def mistaken_in_use_only(data: CityData) -> Any:
    """2.5.4's "in use only": the candidates left out."""
    table = register_of(data).table
    return sum(1 for row in table.itertuples()
               if row.status == "in use" and "human review" in row.mitigations)


def mistaken_algorithmically_determined(data: CityData) -> Any:
    """2.5.4's "algorithmically determined only": the uses with no person in the loop."""
    held = getattr(data, "ai_uses", None)
    table = held.table if held is not None else None
    if table is None:
        from cda_lib.synth.ai_uses import ai_use_inventory

        table = ai_use_inventory(data.city).table
    return int((table["automation"] == "algorithmically determined").sum())


def mistaken_high_risk(data: CityData) -> Any:
    """2.5.4's "every high-risk use": the overall level, not the rule for review."""
    return int((register_of(data).table["risk"] == "high").sum())


def mistaken_false_alarm_rate(data: CityData) -> Any:
    """2.5.5's "false-alarm rate" of the same district."""
    rate = float(_worst(data)["false_alarm_rate"])
    return 0.0 if rate != rate else rate


def mistaken_share_of_all_requests(data: CityData) -> Any:
    """2.5.5's "share of all its requests": misses over every request with an outcome."""
    worst = _worst(data)
    return float(worst["missed"] / worst["requests"]) if worst["requests"] else 0.0


def mistaken_city_rate(data: CityData) -> Any:
    """2.5.5's "the city's rate": all misses over all late requests."""
    errors = errors_of(data)
    return errors.missed / errors.late if errors.late else 0.0


def mistaken_caught(data: CityData) -> Any:
    """2.5.5's "caught, not missed": the share of its late requests the rule flagged."""
    return 1 - worst_miss_rate(data)


def mistaken_all_late(data: CityData) -> Any:
    """2.5.6's "every late request": misses and catches together."""
    return errors_of(data).late


def mistaken_false_alarms(data: CityData) -> Any:
    """2.5.6's "false alarms": flagged requests that closed on time."""
    return int(errors_of(data).by_district["false_alarms"].sum())


def mistaken_one_district(data: CityData) -> Any:
    """2.5.6's "one district only": the misses of the worst district."""
    return int(_worst(data)["missed"])
