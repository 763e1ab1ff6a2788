"""Tests for cda_lib.synth.investments: page 2.4's fictional candidates, made from a city's
seed, the same every time, scaled to its size and costed in its currency."""

from __future__ import annotations

import hashlib
import math
import shutil
from types import SimpleNamespace

import pytest
from test_data import FIXTURES, local_city

from cda_lib import data as data_module
from cda_lib.cities.loader import load_city
from cda_lib.synth.investments import (
    BUDGET_SHARE,
    COMPONENTS,
    COST_SPREAD,
    CURRENCIES,
    REFERENCE_POPULATION,
    RISKS,
    TEMPLATES,
    candidate_investments,
    currency_of,
    investment_seed,
    round_significant,
)


@pytest.mark.parametrize(("value", "expected"), [
    (187_345, 190_000),        # two significant figures: 1.87 rounds to 1.9
    (54_400, 54_000),
    (4_449_000_000, 4_400_000_000),
    (0.0, 0.0),
    (25_000, 25_000),
])
def test_estimates_keep_two_significant_figures(value, expected):
    assert round_significant(value) == expected


def test_the_same_city_file_gives_the_same_candidates_and_another_city_others():
    riverbend = load_city("riverbend")
    first, again = candidate_investments(riverbend), candidate_investments(riverbend)
    assert first.table.equals(again.table) and first.budget == again.budget
    other = candidate_investments(load_city("port-harmon"))
    assert not other.table[["cost", *COMPONENTS]].equals(first.table[["cost", *COMPONENTS]])


def test_the_seed_is_the_synthetic_seed_else_a_hash_of_the_city_id():
    assert investment_seed(load_city("riverbend")) == 1101  # riverbend.yaml's seed
    local = SimpleNamespace(id="alderbank", sources={"service_requests": SimpleNamespace(
        is_synthetic=False, options={"path": "x.csv"})})
    expected = int(hashlib.sha256(b"alderbank").hexdigest()[:8], 16)
    assert investment_seed(local) == expected


def test_every_country_of_the_demo_cohort_has_its_currency():
    assert [currency_of(load_city(c))[0] for c in
            ("riverbend", "port-harmon", "villa-serena", "serra-clara")] == \
        ["USD", "CAD", "COP", "BRL"]
    assert currency_of(SimpleNamespace(country="Atlantis")) == ("USD", 1, False)


@pytest.mark.parametrize("city_id", ["riverbend", "villa-serena"])
def test_costs_are_scaled_converted_and_rounded_and_scores_stay_near_the_template(city_id):
    city = load_city(city_id)
    candidates = candidate_investments(city)
    table = candidates.table
    assert list(table["id"]) == [t.id for t in TEMPLATES]
    _code, rate = CURRENCIES[city.country]
    # Riverbend: 118,400 residents, so sqrt(118,400 / 250,000) = 0.688 times the reference
    # cost; Villa Serena: 768,300, 1.753 times, in pesos at 4,000 to the dollar. Each city
    # moves a cost by 0.8 to 1.25, and two significant figures move it by under 5% more.
    scale = math.sqrt(city.population / REFERENCE_POPULATION)
    for template, row in zip(TEMPLATES, table.itertuples(), strict=True):
        low = template.cost_usd * scale * COST_SPREAD[0] * rate * 0.95
        high = template.cost_usd * scale * COST_SPREAD[1] * rate * 1.05
        assert low <= row.cost <= high, template.id
        assert row.cost == round_significant(row.cost)
        scores = [getattr(row, c) for c in COMPONENTS]
        assert all(0 <= s <= 5 for s in scores)
        assert all(abs(s - t) <= 1 for s, t in zip(scores, template.scores, strict=True))
        assert row.delivery_risk in RISKS
        assert abs(RISKS.index(row.delivery_risk) - RISKS.index(template.delivery_risk)) <= 1
    assert candidates.budget == round_significant(BUDGET_SHARE * table["cost"].sum())


def test_every_city_loaded_gets_its_candidates_even_with_real_data(tmp_path):
    loaded = data_module.load_city_data("riverbend")
    assert loaded.investments.table.equals(candidate_investments(loaded.city).table)
    shutil.copy(FIXTURES / "one_row_per_problem.csv", tmp_path / "export.csv")
    real = data_module.load_city_data(load_city(local_city(tmp_path, "export.csv")))
    assert not real.is_synthetic
    assert len(real.investments.table) == len(TEMPLATES)
    assert real.investments.seed == int(hashlib.sha256(real.city.id.encode()).hexdigest()[:8],
                                        16)
