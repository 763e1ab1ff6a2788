"""A fictional inventory of a city's uses of AI and algorithms for page 2.5, made from its seed.

Every city gets the same ten kinds of use (311 routing, a chatbot, inspection targeting,
fraud flags, a translation service ...), each in use already or a candidate, with the
judgements the GovEx Ethics & Algorithms Toolkit's risk tables ask for (CC BY 4.0;
civic-standards.md, B2): how much it affects people and how many, for good or ill;
whether the use fits the data's purpose and how the public regards it; how far it decides
on its own and how easy it is to explain and to audit; whether a vendor built it and how
many of the toolkit's eight questions about its method the vendor answers; how old its
data is; how representative and how accurate that data is.

The judgements vary from city to city, deterministically, from the same seed as the
candidate investments of page 2.4 (:func:`cda_lib.synth.investments.investment_seed`), so
a city with real data gets an inventory too, the same one every time. The inventory is
teaching material, not an audit of any city: the table holds ids and levels only, and the
page names each use in its own language (:mod:`cda_lib.themes.invest.ai_register`).

>>> from cda_lib.cities.loader import load_city
>>> inventory = ai_use_inventory(load_city("riverbend"))
>>> len(inventory.table), list(inventory.table.columns[:3])
(10, ['id', 'status', 'owner'])
>>> ai_use_inventory(load_city("riverbend")).table.equals(inventory.table)
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cda_lib.cities.city import City
from cda_lib.synth.investments import investment_seed

STATUSES = ("in use", "candidate")
# A separate random stream from the requests' and the investments': the module's number.
STREAM = 25
# A judgement on an ordered scale (degree, explainability, representativeness ...) moves
# one step up or down for a fifth of cities each: enough that registers differ, not so
# much that a chatbot becomes easy to explain.
SHIFT_CHANCE = 0.2
# A vendor answers one question more or fewer for a quarter of cities each.
POINTS_SHIFT_CHANCE = 0.25
DATA_AGE_SPREAD = (-2, 6)  # years added to a use's data age: older systems, older data
ORDERED = {
    "degree": ("none", "minor", "moderate", "major"),
    "explainability": ("easy", "medium", "hard"),
    "auditability": ("easy", "medium", "hard"),
    "representativeness": ("low", "medium", "high"),
    "inaccuracy": ("low", "medium", "high"),
}


@dataclass(frozen=True)
class UseTemplate:
    """One kind of use: who owns it, how likely a city already runs it, and the toolkit's
    judgements for a typical city."""

    id: str
    owner: str
    in_use_chance: float
    faces_residents: bool  # residents meet it directly (a chatbot), not only its results
    degree: str
    scale: str
    direction: str
    consistency: str
    reputation: str
    automation: str
    explainability: str
    auditability: str
    vendor: bool
    third_party_points: int  # of the toolkit's eight questions, when a vendor built it
    data_age_years: int
    representativeness: str
    inaccuracy: str


# The uses, with the judgements a coach would defend for a typical city. 311 routing and
# crew scheduling learn from 311 requests, so their data is unrepresentative ("311 data is
# biased to those who call 311"); fraud flags are a vendor's opaque model on old records,
# the riskiest; a budget forecast is read by people and harms no one directly.
TEMPLATES = (
    UseTemplate("311-routing", "contact-centre", 0.6, True, "minor", "large", "mostly positive",
                "yes", "supportive", "algorithm-mediated", "medium", "easy", True, 5, 4,
                "high", "medium"),
    UseTemplate("resident-chatbot", "contact-centre", 0.4, True, "minor", "large",
                "mostly positive", "somewhat", "mixed", "algorithmically determined", "hard",
                "medium", True, 3, 2, "medium", "high"),
    UseTemplate("inspection-targeting", "health", 0.5, False, "moderate", "medium",
                "mostly negative", "yes", "supportive", "algorithm-mediated", "medium", "medium",
                False, 0, 8, "medium", "low"),
    UseTemplate("fraud-flags", "social-services", 0.4, True, "major", "medium", "negative",
                "somewhat", "not supportive", "algorithm-mediated", "hard", "hard", True, 2, 12,
                "high", "medium"),
    UseTemplate("translation", "communications", 0.6, True, "minor", "medium", "positive", "yes",
                "supportive", "algorithmically determined", "hard", "easy", True, 6, 3,
                "medium", "medium"),
    UseTemplate("crew-scheduling", "public-works", 0.4, False, "minor", "medium",
                "mostly positive", "yes", "supportive", "algorithm-mediated", "medium", "easy",
                False, 0, 6, "high", "low"),
    UseTemplate("fire-risk", "fire", 0.3, False, "moderate", "large", "mostly positive",
                "somewhat", "supportive", "algorithm-mediated", "medium", "medium", False, 0, 13,
                "medium", "medium"),
    UseTemplate("parking-cameras", "transportation", 0.5, True, "minor", "large", "negative",
                "unknown", "mixed", "algorithmically determined", "easy", "medium", True, 4, 1,
                "low", "medium"),
    UseTemplate("revenue-forecast", "budget", 0.7, False, "moderate", "large", "positive", "yes",
                "supportive", "human-mediated", "medium", "easy", False, 0, 14, "low",
                "medium"),
    UseTemplate("tree-risk", "parks", 0.3, False, "minor", "small", "mostly positive", "yes",
                "supportive", "algorithm-mediated", "hard", "medium", True, 7, 5, "medium",
                "medium"),
)
COLUMNS = ("id", "status", "owner", "faces_residents", "degree", "scale", "direction",
           "consistency", "reputation", "automation", "explainability", "auditability",
           "vendor", "third_party_points", "data_age_years", "representativeness", "inaccuracy")


@dataclass(frozen=True)
class AiUseInventory:
    """A city's uses of AI and algorithms: one row per use (:data:`COLUMNS`) and the seed
    they came from."""

    table: pd.DataFrame
    seed: int


def ai_use_inventory(city: City) -> AiUseInventory:
    """The city's inventory, the same for the same city file every time."""
    seed = investment_seed(city)
    rng = np.random.default_rng([seed, STREAM])
    rows = []
    for template in TEMPLATES:
        row = {name: getattr(template, name) for name in COLUMNS if name != "status"}
        row["status"] = STATUSES[0] if rng.random() < template.in_use_chance else STATUSES[1]
        for name, scale in ORDERED.items():
            row[name] = _shifted(scale, row[name], rng.random())
        if template.vendor:
            draw = rng.random()
            step = -1 if draw < POINTS_SHIFT_CHANCE else 1 if draw > 1 - POINTS_SHIFT_CHANCE \
                else 0
            row["third_party_points"] = int(np.clip(template.third_party_points + step, 0, 8))
        row["data_age_years"] = max(0, template.data_age_years + int(rng.integers(
            DATA_AGE_SPREAD[0], DATA_AGE_SPREAD[1] + 1)))
        rows.append(row)
    return AiUseInventory(pd.DataFrame(rows, columns=list(COLUMNS)), seed)


def _shifted(scale: tuple[str, ...], level: str, draw: float) -> str:
    index = scale.index(level)
    if draw < SHIFT_CHANCE:
        index = max(index - 1, 0)
    elif draw > 1 - SHIFT_CHANCE:
        index = min(index + 1, len(scale) - 1)
    return scale[index]
