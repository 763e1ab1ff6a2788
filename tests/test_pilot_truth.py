"""Tests of cda_lib.themes.lead.pilot_truth: the planted pilot's effect, read back.

Pilotville (tests/lead_fixtures.py) has identical weeks within each period, so its
difference in differences (+25 points) and its bootstrap interval are known by hand.
"""

from __future__ import annotations

import json

import pytest
from lead_fixtures import pilot_data, weeks

from cda_lib.core import paths
from cda_lib.metrics.evaluation import EvaluationError
from cda_lib.themes.lead import pilot_evaluation as pe, pilot_truth


@pytest.fixture(scope="module")
def clear():
    """South 5 -> 8 of 10 on time, comparison 12 -> 13 of 20: +30 and +5 points, DiD +25."""
    return pilot_data(weeks(5, 8), weeks(12, 13))


@pytest.fixture(scope="module")
def clear_result(clear):
    return pe.evaluate(clear)


def test_the_truth_is_read_from_generation_json(clear, clear_result, tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "generated_dir", lambda: tmp_path)
    folder = tmp_path / clear.city.id
    folder.mkdir()
    (folder / "generation.json").write_text(json.dumps({"planted_intervention": {
        "district": "South", "service_code": "POTHOLE", "start": "2025-04-01",
        "true_effect_on_time_share": 0.21,
        "in_sample": {"treated_requests": 100, "effect": 0.24}}}), encoding="utf-8")
    truth = pilot_truth.planted_truth(clear)
    assert (truth.district, truth.effect, truth.in_sample, truth.treated_requests) == \
        ("South", 0.21, 0.24, 100)
    check = pe.truth_check(clear_result, truth, pe.evaluation_plan(clear))
    assert check.covered is False  # the interval is the single point +25, not +21
    assert "+21 points: the true effect" in check.text() and "+24 points" in check.text()
    assert "one city in twenty" in check.text()


def test_a_damaged_generation_record_says_how_to_fix_it(clear, tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "generated_dir", lambda: tmp_path)
    (tmp_path / clear.city.id).mkdir()
    (tmp_path / clear.city.id / "generation.json").write_text("{}", encoding="utf-8")
    with pytest.raises(EvaluationError, match="cda generate hand_counted_city"):
        pilot_truth.planted_truth(clear)
    # An earlier generator wrote the truth without "in_sample" (and meant another thing by
    # true_effect_on_time_share): refused, not misread.
    (tmp_path / clear.city.id / "generation.json").write_text(json.dumps(
        {"planted_intervention": {"district": "South", "service_code": "POTHOLE",
                                  "start": "2025-04-01", "true_effect_on_time_share": 0.14}}),
        encoding="utf-8")
    with pytest.raises(EvaluationError, match="earlier version of the generator"):
        pilot_truth.planted_truth(clear)

