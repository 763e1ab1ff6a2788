"""Fictional candidate investments for page 2.4, made for each city from its seed.

Every city gets the same thirteen kinds of candidate, across the three things a data
strategy invests in (platforms, people and practices), each with a cost in the city's
currency, a benefit score from 0 to 5 on each of the Citywide Data Strategy's five
components (governance, quality, use, capacity, transparency) and a delivery risk.
The figures vary from city to city, deterministically: the seed is the city file's
``sources.service_requests.seed`` when it has one, else a hash of the city's id, so a
city with real data gets candidates too, the same ones every time.

The candidates are teaching material, not a proposal: costs are illustrative, scaled to
the city's size and written in its currency at a round rate (:data:`CURRENCIES`), never a
quote. The table holds numbers and ids only; the page names each candidate in its own
language (:mod:`cda_lib.themes.invest.candidates`).

>>> from cda_lib.cities.loader import load_city
>>> candidates = candidate_investments(load_city("riverbend"))
>>> len(candidates.table), candidates.currency, list(candidates.table.columns[:4])
(13, 'USD', ['id', 'kind', 'cost', 'governance'])
>>> candidate_investments(load_city("riverbend")).table.equals(candidates.table)
True
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cda_lib.cities.city import City

COMPONENTS = ("governance", "quality", "use", "capacity", "transparency")
KINDS = ("platform", "people", "practice")
RISKS = ("low", "medium", "high")
SCORE_RANGE = (0, 5)  # 0: no benefit to a component; 5: it transforms it
# A separate random stream from the service requests', so that changing one never moves
# the other: the module's number, 2.4.
STREAM = 24
# Costs are written for a city of this size and scaled by the square root of the
# population ratio (staff and licences grow with a city, but far slower than it), kept
# between 0.6 and 3 times so that neither a town nor a metropolis gets absurd figures.
REFERENCE_POPULATION = 250_000
SCALE_LIMITS = (0.6, 3.0)
# Each city's cost of a candidate differs from the reference by up to a fifth either way
# (local salaries, what the city already owns).
COST_SPREAD = (0.8, 1.25)
# A benefit score moves one point up or down for a quarter of cities each, and a delivery
# risk one level up for a fifth and down for a seventh: enough that portfolios differ.
SCORE_SHIFT_CHANCE = 0.25
RISK_UP_CHANCE, RISK_DOWN_CHANCE = 0.20, 0.15
# The illustrative budget: about two fifths of what every candidate together costs, so
# that a real choice has to be made, and several good portfolios compete.
BUDGET_SHARE = 0.4
SIGNIFICANT_DIGITS = 2  # costs and budgets are rounded as a budget office rounds estimates
# The currency of each country of the Americas and a round number of its units to the US
# dollar (near 2025's rates): so costs look familiar, illustrative, not exchange-rate
# exact. A country not listed is costed in US dollars, and the page says so.
CURRENCIES = {
    "United States": ("USD", 1), "Puerto Rico": ("USD", 1), "Ecuador": ("USD", 1),
    "El Salvador": ("USD", 1), "Panama": ("USD", 1), "Canada": ("CAD", 1.4),
    "Mexico": ("MXN", 18), "Guatemala": ("GTQ", 8), "Honduras": ("HNL", 25),
    "Nicaragua": ("NIO", 37), "Costa Rica": ("CRC", 500), "Colombia": ("COP", 4000),
    "Peru": ("PEN", 3.7), "Bolivia": ("BOB", 7), "Chile": ("CLP", 950),
    "Argentina": ("ARS", 1000), "Uruguay": ("UYU", 40), "Paraguay": ("PYG", 7500),
    "Brazil": ("BRL", 5.5), "Dominican Republic": ("DOP", 60), "Jamaica": ("JMD", 155),
    "Trinidad and Tobago": ("TTD", 6.8), "Guyana": ("GYD", 210),
}
FALLBACK_CURRENCY = ("USD", 1)
# How a candidate that uses an algorithm is run, in the words of the GovEx Ethics &
# Algorithms Toolkit (CC BY 4.0): its automation level, and how easy it is to explain and
# to audit. Blank for a candidate that uses none.
AUTOMATION = ("human-mediated", "algorithm-mediated", "algorithmically determined")
EASE = ("easy", "medium", "hard")


@dataclass(frozen=True)
class Template:
    """One kind of candidate: its kind, cost for the reference city, benefit scores (in the
    order of :data:`COMPONENTS`), delivery risk and, for an algorithm, how it is run."""

    id: str
    kind: str
    cost_usd: int
    scores: tuple[int, int, int, int, int]
    delivery_risk: str
    automation: str = ""
    explainability: str = ""
    auditability: str = ""


# The candidates, with the reference costs and scores a coach would defend. Each helps one
# or two components a lot and the others little, as real investments do, so the weights
# decide between them: a governance board costs little and helps governance; a warehouse
# costs most and helps quality and use; the two algorithms help use, and are risky in their
# own ways.
TEMPLATES = (
    Template("open-data-portal", "platform", 200_000, (1, 1, 2, 0, 5), "medium"),
    Template("data-warehouse", "platform", 450_000, (1, 4, 5, 2, 0), "high"),
    Template("case-system", "platform", 350_000, (0, 5, 3, 1, 1), "medium"),
    Template("crew-scheduling-model", "platform", 160_000, (0, 1, 5, 1, 0), "medium",
             "algorithm-mediated", "medium", "easy"),
    Template("resident-assistant", "platform", 250_000, (0, 0, 3, 1, 2), "medium",
             "algorithmically determined", "hard", "medium"),
    Template("chief-data-officer", "people", 180_000, (5, 2, 2, 3, 2), "medium"),
    Template("performance-analysts", "people", 220_000, (0, 2, 5, 3, 1), "low"),
    Template("data-academy", "people", 120_000, (0, 1, 2, 5, 0), "low"),
    Template("data-stewards", "people", 100_000, (3, 4, 1, 2, 0), "medium"),
    Template("governance-board", "practice", 40_000, (5, 1, 0, 1, 2), "low"),
    Template("data-inventory", "practice", 90_000, (3, 2, 1, 0, 5), "low"),
    Template("quality-audit", "practice", 70_000, (1, 5, 1, 0, 1), "low"),
    Template("program-evaluations", "practice", 150_000, (0, 1, 5, 1, 3), "medium"),
)
COLUMNS = ("id", "kind", "cost", *COMPONENTS, "delivery_risk", "automation", "explainability",
           "auditability")


@dataclass(frozen=True)
class CandidateInvestments:
    """A city's candidate investments: one row per candidate (:data:`COLUMNS`), the
    currency their costs are in, the illustrative budget and the seed they came from."""

    table: pd.DataFrame
    currency: str
    budget: int
    seed: int
    # False when the city's country is not in CURRENCIES (costed in US dollars instead)
    currency_known: bool = True


def investment_seed(city: City) -> int:
    """The city file's synthetic seed, else a number made from the city's id.

    >>> from types import SimpleNamespace
    >>> investment_seed(SimpleNamespace(id="alderbank", sources={}))
    793083079
    """
    source = city.sources.get("service_requests")
    seed = source.options.get("seed") if source is not None and source.is_synthetic else None
    if isinstance(seed, int) and not isinstance(seed, bool):
        return seed
    return int(hashlib.sha256(str(city.id).encode("utf-8")).hexdigest()[:8], 16)


def currency_of(city: City) -> tuple[str, float, bool]:
    """The city's currency, its round units to the dollar, and whether the country is known.

    >>> from types import SimpleNamespace
    >>> currency_of(SimpleNamespace(country="Colombia")), currency_of(SimpleNamespace(country="X"))
    (('COP', 4000, True), ('USD', 1, False))
    """
    found = CURRENCIES.get(str(city.country).strip())
    code, rate = found if found is not None else FALLBACK_CURRENCY
    return code, rate, found is not None


def round_significant(value: float, digits: int = SIGNIFICANT_DIGITS) -> float:
    """``value`` to ``digits`` significant figures, as an estimate is written.

    >>> round_significant(187_345), round_significant(0.0), round_significant(4_449_000_000)
    (190000.0, 0.0, 4400000000.0)
    """
    if value == 0:
        return 0.0
    places = digits - 1 - int(np.floor(np.log10(abs(value))))
    return float(round(value, places))


def candidate_investments(city: City) -> CandidateInvestments:
    """The city's candidates, the same for the same city file every time."""
    seed = investment_seed(city)
    rng = np.random.default_rng([seed, STREAM])
    code, rate, known = currency_of(city)
    scale = float(np.clip((city.population / REFERENCE_POPULATION) ** 0.5, *SCALE_LIMITS))
    rows = []
    for template in TEMPLATES:
        spread = rng.uniform(*COST_SPREAD)
        shifts = rng.choice([-1, 0, 1], size=len(COMPONENTS),
                            p=[SCORE_SHIFT_CHANCE, 1 - 2 * SCORE_SHIFT_CHANCE, SCORE_SHIFT_CHANCE])
        scores = np.clip(np.array(template.scores) + shifts, *SCORE_RANGE)
        rows.append({
            "id": template.id, "kind": template.kind,
            "cost": int(round_significant(template.cost_usd * scale * spread * rate)),
            **{name: int(score) for name, score in zip(COMPONENTS, scores, strict=True)},
            "delivery_risk": _shifted_risk(template.delivery_risk, rng.random()),
            "automation": template.automation, "explainability": template.explainability,
            "auditability": template.auditability,
        })
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    budget = int(round_significant(BUDGET_SHARE * float(table["cost"].sum())))
    return CandidateInvestments(table, code, budget, seed, known)


def _shifted_risk(risk: str, draw: float) -> str:
    level = RISKS.index(risk)
    if draw < RISK_UP_CHANCE:
        level = min(level + 1, len(RISKS) - 1)
    elif draw < RISK_UP_CHANCE + RISK_DOWN_CHANCE:
        level = max(level - 1, 0)
    return RISKS[level]
