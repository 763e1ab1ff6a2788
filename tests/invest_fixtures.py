"""Handcount's candidate investments: seven, with costs and scores chosen so that every figure
of page 2.4 and its exercises can be worked out by hand (the tests say how).

With the page's weights (governance 3, quality 2, use 2, capacity 1, transparency 2; sum
10), each weighted score is the sum of weight × score over 10:

    candidate (kind)                       cost      scores      weighted   risk
    data warehouse (platform)              500,000   2 5 5 2 2   32 → 3.2   high
    chief data officer (people)            300,000   5 2 3 2 2   31 → 3.1   medium
    data inventory (practice)              200,000   3 2 1 0 5   25 → 2.5   low
    performance analysts (people)          200,000   1 2 5 3 2   24 → 2.4   low
    governance board (practice)             40,000   5 1 0 1 2   22 → 2.2   low
    quality audit (practice)                50,000   1 5 1 0 1   17 → 1.7   low
    crew scheduling model (platform)        50,000   0 1 4 1 0   11 → 1.1   high

The crew scheduling model is an algorithm, algorithm-mediated, hard to explain and hard to
audit: GovEx's tables give "major concerns" for accessibility and so a high accountability
risk, higher than its low delivery risk. The budget is US$650,000; at most one high-risk
investment.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
from exercise_fixtures import hand_counted_data

from cda_lib.data import CityData
from cda_lib.synth.investments import COLUMNS, CandidateInvestments

BUDGET = 650_000
ROWS = [
    ("data-warehouse", "platform", 500_000, 2, 5, 5, 2, 2, "high", "", "", ""),
    ("chief-data-officer", "people", 300_000, 5, 2, 3, 2, 2, "medium", "", "", ""),
    ("data-inventory", "practice", 200_000, 3, 2, 1, 0, 5, "low", "", "", ""),
    ("performance-analysts", "people", 200_000, 1, 2, 5, 3, 2, "low", "", "", ""),
    ("governance-board", "practice", 40_000, 5, 1, 0, 1, 2, "low", "", "", ""),
    ("quality-audit", "practice", 50_000, 1, 5, 1, 0, 1, "low", "", "", ""),
    ("crew-scheduling-model", "platform", 50_000, 0, 1, 4, 1, 0, "low", "algorithm-mediated",
     "hard", "hard"),
]


def hand_candidates(currency: str = "USD", budget: int = BUDGET) -> CandidateInvestments:
    return CandidateInvestments(pd.DataFrame(ROWS, columns=list(COLUMNS)), currency, budget, 0)


def invest_data() -> CityData:
    """Handcount's data with the seven hand-made candidates in place of generated ones."""
    return dataclasses.replace(hand_counted_data(), investments=hand_candidates())
