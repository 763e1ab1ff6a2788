"""A synthetic resident survey for page 3.2, made for each city from its seed.

Each city gets a made-up **population** of residents (:data:`POPULATION_SIZE` of them, spread
over its districts in proportion to their populations), each with an age band, an income
band and a tenure, and two answers: satisfied with city services or not, and trusts the
city's data or not. The shares of older, lower-income and renting residents of a district
come from the city file's district demographics (``share_age_65_plus``,
``share_low_income``, ``share_renters``) when it has them, else from the seed (the ranges
below). Because the whole population is made, its true shares are known: the page and the
tests can check what weighting recovers.

A **sample** then answers the survey, with the non-response bias real surveys have planted
at documented rates (:data:`AGE_RESPONSE`, :data:`INCOME_RESPONSE`, :data:`TENURE_RESPONSE`):
older, higher-income and home-owning residents answer more readily, and they are also more
satisfied, so the raw sample flatters the city. Everything is synthetic, labelled so on the
page, and the same for the same city file every time. The tables hold codes; the page
writes them in its language (:mod:`cda_lib.themes.empower.survey`).

>>> from cda_lib.cities.loader import load_city
>>> survey = resident_survey(load_city("riverbend"))
>>> len(survey.population), list(survey.sample.columns)
(20000, ['district', 'age', 'income', 'tenure', 'satisfied', 'trusts_data'])
>>> resident_survey(load_city("riverbend")).sample.equals(survey.sample)
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cda_lib.cities.city import City
from cda_lib.synth.investments import investment_seed

AGE_BANDS = ("18-39", "40-64", "65+")
INCOME_BANDS = ("lower", "higher")
TENURES = ("renter", "owner")
QUESTIONS = ("satisfied", "trusts_data")
VARIABLES = ("age", "income", "tenure", "district")
STREAM = 32  # the module's number, 3.2: a random stream of its own
POPULATION_SIZE = 20_000  # residents simulated: enough for stable true shares
TARGET_RESPONDENTS = 900  # expected respondents, a typical city resident survey
# Without district demographics, a district's shares are drawn from these ranges.
SHARE_65_PLUS_RANGE = (0.12, 0.22)
SHARE_LOW_INCOME_RANGE = (0.20, 0.40)
SHARE_RENTERS_RANGE = (0.35, 0.60)
SHARE_UNDER_40_OF_REST = 0.45  # of residents under 65, the share aged 18 to 39
# The planted non-response bias: how many times more readily each group answers than the
# first of its variable (a resident's chance is the product of the three). Older residents,
# higher-income residents and owners answer two to three times as readily, as city surveys report.
AGE_RESPONSE = {"18-39": 1.0, "40-64": 1.7, "65+": 3.0}
INCOME_RESPONSE = {"lower": 1.0, "higher": 2.0}
TENURE_RESPONSE = {"renter": 1.0, "owner": 2.0}
# How each group's answers differ (log-odds added to the city's base): the groups that
# answer most are also the most satisfied, which is what makes the raw sample misleading.
SATISFIED_EFFECTS = {"40-64": 0.5, "65+": 1.2, "higher": 0.8, "owner": 0.9}
TRUST_EFFECTS = {"40-64": 0.2, "65+": 0.5, "higher": 0.7, "owner": 0.5}
SATISFIED_BASE_RANGE = (-0.9, -0.3)  # the city's log-odds for a young lower-income renter
TRUST_BASE_RANGE = (-1.2, -0.6)
DISTRICT_SPREAD = 0.35  # standard deviation of a district's own log-odds shift


@dataclass(frozen=True)
class ResidentSurvey:
    """A city's synthetic population, the sample that answered, and the seed they came from.

    ``population`` and ``sample`` have the columns district (its name), age, income, tenure,
    satisfied and trusts_data (0 or 1)."""

    population: pd.DataFrame
    sample: pd.DataFrame
    seed: int
    demographics_from_city: bool

    def margins(self) -> dict[str, dict[str, float]]:
        """The population's share of each category of the four weighting variables."""
        return {name: self.population[name].value_counts(normalize=True).to_dict()
                for name in VARIABLES}

    def truth(self, question: str) -> float:
        """The true share of the population answering yes."""
        return float(self.population[question].mean())


def _districts(city: City) -> list[tuple[str, float, dict]]:
    found = [(d.name, max(float(d.population), 0.0), dict(d.demographics))
             for d in city.districts]
    if not found or sum(p for _n, p, _d in found) <= 0:
        return [(str(city.name), 1.0, {})] if not found else [(n, 1.0, d) for n, _p, d in found]
    return found


def _share(demographics: dict, key: str, bounds: tuple[float, float], rng) -> tuple[float, bool]:
    value = demographics.get(key)
    if isinstance(value, (int, float)) and 0 <= float(value) <= 1:
        return float(value), True
    return float(rng.uniform(*bounds)), False


def resident_survey(city: City) -> ResidentSurvey:
    """The city's synthetic population and survey sample, the same every time."""
    seed = investment_seed(city)
    rng = np.random.default_rng([seed, STREAM])
    districts = _districts(city)
    total = sum(p for _n, p, _d in districts)
    counts = np.floor(np.array([p / total for _n, p, _d in districts]) * POPULATION_SIZE)
    counts[np.argmax(counts)] += POPULATION_SIZE - counts.sum()
    base_satisfied = rng.uniform(*SATISFIED_BASE_RANGE)
    base_trust = rng.uniform(*TRUST_BASE_RANGE)
    parts, from_city = [], True
    for (name, _p, demographics), count in zip(districts, counts.astype(int), strict=True):
        old, known_a = _share(demographics, "share_age_65_plus", SHARE_65_PLUS_RANGE, rng)
        low, known_i = _share(demographics, "share_low_income", SHARE_LOW_INCOME_RANGE, rng)
        rent, known_t = _share(demographics, "share_renters", SHARE_RENTERS_RANGE, rng)
        from_city = from_city and known_a and known_i and known_t
        young = (1 - old) * SHARE_UNDER_40_OF_REST
        shift_s, shift_t = rng.normal(0, DISTRICT_SPREAD, size=2)
        part = pd.DataFrame({
            "district": name,
            "age": rng.choice(AGE_BANDS, size=count, p=[young, 1 - old - young, old]),
            "income": rng.choice(INCOME_BANDS, size=count, p=[low, 1 - low]),
            "tenure": rng.choice(TENURES, size=count, p=[rent, 1 - rent]),
        })
        part["satisfied"] = _answers(part, base_satisfied + shift_s, SATISFIED_EFFECTS, rng)
        part["trusts_data"] = _answers(part, base_trust + shift_t, TRUST_EFFECTS, rng)
        parts.append(part)
    population = pd.concat(parts, ignore_index=True)
    propensity = (population["age"].map(AGE_RESPONSE) * population["income"].map(INCOME_RESPONSE)
                  * population["tenure"].map(TENURE_RESPONSE)).to_numpy()
    chance = np.minimum(propensity * TARGET_RESPONDENTS / propensity.sum(), 1.0)
    answered = rng.random(len(population)) < chance
    sample = population[answered].reset_index(drop=True)
    return ResidentSurvey(population, sample, seed, from_city)


def _answers(part: pd.DataFrame, base: float, effects: dict[str, float], rng) -> np.ndarray:
    logit = np.full(len(part), base)
    for column in ("age", "income", "tenure"):
        logit = logit + part[column].map(effects).fillna(0.0).to_numpy()
    return (rng.random(len(part)) < 1 / (1 + np.exp(-logit))).astype(int)
