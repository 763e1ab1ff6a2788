"""Hand-made survey results for page 3.2's tests, with every figure worked out by hand.

HAND_RESULTS: 400 respondents whose weights have a design effect of 1.25, so they count as
400 / 1.25 = 320. Satisfied: 70% raw, 64% weighted, margin 1.96 × √(0.64 × 0.36 / 320)
= 1.96 × 0.026833 = 0.052593 (5.3 points). Trusts the data: 50% raw, 47% weighted.

hand_survey(): a population of 100 (age 50 / 30 / 20, districts North 60 and South 40) and
a sample of 70: age 10 / 20 / 40 (so 65 and over is 40/70 = 57% of the respondents against
20% of the city: the most over-represented, ratio 2.86 against 0.29 and 0.95), North 62 and
South 8 (South is under the threshold of 50 respondents, North is not).
"""

from __future__ import annotations

import pandas as pd

from cda_lib.metrics.weighting import margin_of_error
from cda_lib.synth.survey import ResidentSurvey
from cda_lib.themes.empower.survey import Answer, SurveyResults

HAND_RESULTS = SurveyResults(
    respondents=400, effective=320.0, design_effect=1.25,
    answers=(Answer("satisfied", 0.70, 0.64, margin_of_error(0.64, 320), 0.65),
             Answer("trusts_data", 0.50, 0.47, margin_of_error(0.47, 320), 0.46)))


def _rows(count: int, **values) -> list[dict]:
    return [dict(values) for _ in range(count)]


def hand_survey() -> ResidentSurvey:
    base = {"income": "lower", "tenure": "renter", "satisfied": 1, "trusts_data": 0}
    population = pd.DataFrame(
        _rows(30, district="North", age="18-39", **base) + _rows(20, district="South",
                                                                 age="18-39", **base)
        + _rows(20, district="North", age="40-64", **base)
        + _rows(10, district="South", age="40-64", **base)
        + _rows(10, district="North", age="65+", **base)
        + _rows(10, district="South", age="65+", **base))
    sample = pd.DataFrame(
        _rows(10, district="North", age="18-39", **base) + _rows(18, district="North",
                                                                 age="40-64", **base)
        + _rows(2, district="South", age="40-64", **base)
        + _rows(34, district="North", age="65+", **base)
        + _rows(6, district="South", age="65+", **base))
    return ResidentSurvey(population, sample, seed=0, demographics_from_city=False)
