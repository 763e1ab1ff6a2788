"""Raking, Kish's design effect, the effective sample size and margins of error, on
examples worked out by hand (the arithmetic is in each docstring)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cda_lib.metrics.weighting import (
    RakingError,
    effective_sample_size,
    kish_design_effect,
    margin_of_error,
    rake,
    weighted_share,
)


def test_raking_a_2x2_example_matches_the_hand_worked_weights():
    """Eight respondents: 3 F-Y, 3 F-O, 1 M-Y, 1 M-O; targets F 1/2, Y 3/5. Sex: F × 2/3,
    M × 2; age: Y × 1.2, O × 0.8 (each then has a weighted share of 1/2). F-Y 0.8, F-O 8/15,
    M-Y 2.4, M-O 1.6; sex then holds: F (2.4 + 1.6) / 8 = 1/2."""
    sample = pd.DataFrame({"sex": list("FFFFFFMM"), "age": list("YYYOOOYO")})
    weights = rake(sample, {"sex": {"F": 0.5, "M": 0.5}, "age": {"Y": 0.6, "O": 0.4}})
    assert weights.tolist() == pytest.approx([0.8] * 3 + [8 / 15] * 3 + [2.4, 1.6])
    assert weighted_share((sample["sex"] == "F").astype(int), weights) == pytest.approx(0.5)
    assert weighted_share((sample["age"] == "Y").astype(int), weights) == pytest.approx(0.6)


def test_the_design_effect_and_effective_size_of_the_2x2_weights():
    """Weights 0.8 ×3, 8/15 ×3, 2.4, 1.6: mean 1; squares 1.92 + 0.85333 + 5.76 + 2.56 =
    11.09333, mean 1.38667, so CV² = 0.38667, deff 1.38667, effective n 8 / 1.38667 = 5.769."""
    weights = [0.8] * 3 + [8 / 15] * 3 + [2.4, 1.6]
    assert kish_design_effect(weights) == pytest.approx(1.386667, abs=1e-5)
    assert effective_sample_size(weights) == pytest.approx(5.769, abs=1e-3)


def test_equal_weights_cost_nothing():
    assert kish_design_effect([2.0] * 5) == 1.0
    assert effective_sample_size([2.0] * 5) == 5.0


def test_the_margin_of_error_uses_the_effective_size():
    """p = 0.64, n = 320: 1.96 × √(0.2304 / 320) = 1.96 × 0.026833 = 0.05259; with n = 400,
    1.96 × 0.024 = 0.04704."""
    assert margin_of_error(0.64, 320) == pytest.approx(0.05259, abs=1e-4)
    assert margin_of_error(0.64, 400) == pytest.approx(0.04704, abs=1e-4)
    assert math.isinf(margin_of_error(0.5, 0))


def test_a_category_with_a_target_but_no_respondent_is_a_plain_error():
    sample = pd.DataFrame({"sex": ["F", "F"]})
    with pytest.raises(RakingError, match="No respondent is in sex = M"):
        rake(sample, {"sex": {"F": 0.5, "M": 0.5}})
