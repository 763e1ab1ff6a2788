"""Tests for cda_lib.themes.invest.portfolio and .sensitivity: weighted scores worked out by
hand, the exact search against brute force, funding down the ranking, and the ten cases of
the sensitivity check."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from cda_lib.core.errors import CdaError
from cda_lib.synth.investments import COMPONENTS, CandidateInvestments
from cda_lib.themes.invest.portfolio import (
    ENUMERATION_LIMIT,
    PortfolioError,
    best_portfolio,
    check_weights,
    compare_with_ranking,
    exact_best,
    fund_down_the_ranking,
    weight_shares,
    weighted_scores,
    weights_sentence,
)
from cda_lib.themes.invest.sensitivity import moved_weights, weight_sensitivity

WEIGHTS = {"governance": 3, "quality": 2, "use": 2, "capacity": 1, "transparency": 2}


def candidates(rows, budget, currency="USD") -> CandidateInvestments:
    """(id, kind, cost, five scores, risk) rows as a candidates table."""
    table = pd.DataFrame([{"id": i, "name": i.title(), "kind": kind, "cost": cost,
                           **dict(zip(COMPONENTS, scores, strict=True)), "risk": risk}
                          for i, kind, cost, scores, risk in rows])
    return CandidateInvestments(table, currency, budget, 0)


# Weighted scores with the weights 3, 2, 2, 1, 2 (sum 10): the sum of weight × score / 10.
#   a: 3×5 + 2×2 + 2×3 + 1×2 + 2×2 = 31 → 3.1
#   b: 3×1 + 2×4 + 2×5 + 1×2 + 2×0 = 23 → 2.3
#   c: 3×5 + 2×1 + 2×0 + 1×1 + 2×2 = 22 → 2.2
#   d: 3×3 + 2×2 + 2×1 + 1×0 + 2×5 = 25 → 2.5
SMALL = candidates([("a", "people", 300, (5, 2, 3, 2, 2), "medium"),
                    ("b", "platform", 500, (1, 4, 5, 2, 0), "high"),
                    ("c", "practice", 100, (5, 1, 0, 1, 2), "low"),
                    ("d", "practice", 200, (3, 2, 1, 0, 5), "low")], budget=600)


def test_weighted_scores_and_ranks_as_by_hand():
    scores = weighted_scores(SMALL, WEIGHTS)
    assert list(scores["id"]) == ["a", "d", "b", "c"]
    assert list(scores["score"]) == pytest.approx([3.1, 2.5, 2.3, 2.2])
    assert list(scores["rank"]) == [1, 2, 3, 4]


def test_weights_are_shares_and_read_largest_first():
    assert weight_shares(WEIGHTS) == pytest.approx(
        {"governance": 0.3, "quality": 0.2, "use": 0.2, "capacity": 0.1, "transparency": 0.2})
    # equal shares keep the components' order: quality, use, transparency
    assert weights_sentence(WEIGHTS) == ("governance 30%, quality 20%, use 20%, "
                                         "transparency 20% and capacity 10%")


@pytest.mark.parametrize(("weights", "words"), [
    ([3, 2], "set of named numbers"),
    ({**WEIGHTS, "usage": 1}, 'Did you mean "use"'),
    ({c: 1 for c in COMPONENTS if c != "use"}, 'no number for "use"'),
    ({**WEIGHTS, "use": -1}, "0 or more"),
    ({**WEIGHTS, "use": "2"}, "0 or more"),
    (dict.fromkeys(COMPONENTS, 0), "Every weight is 0"),
])
def test_weights_that_cannot_be_used_get_a_plain_error(weights, words):
    with pytest.raises(PortfolioError, match=words) as caught:
        check_weights(weights)
    assert isinstance(caught.value, CdaError) and caught.value.args[0].count(". ") <= 2


def test_the_best_portfolio_and_the_ranking_of_the_small_case():
    # Budget 600, at most 1 high-risk. Down the ranking: a (300, 300 left), d (200, 100
    # left), b (500) does not fit, c (100, 0 left): a, d, c, 7.8 points for 600.
    ranked = fund_down_the_ranking(SMALL, WEIGHTS)
    assert ranked.chosen == ("a", "d", "c") and ranked.total_score == pytest.approx(7.8)
    # The sets within 600: a, d and c (600) score 7.8; with b (500) only c fits, 4.5; two of
    # a, c and d score less than all three. So the ranking gives the best here.
    best = best_portfolio(SMALL, WEIGHTS)
    assert best.chosen == ("a", "d", "c") and best.spent == 600
    assert best.searched == 16
    assert str(compare_with_ranking(best, ranked)).startswith(
        "Here funding down the ranking happens to give the best portfolio too: the same 3 "
        "investments.")


def test_a_ranking_is_not_a_plan_when_a_high_scorer_crowds_out_two():
    cheap_b = candidates([("a", "people", 300, (5, 2, 3, 2, 2), "medium"),
                          ("b", "platform", 150, (1, 4, 5, 2, 0), "low"),
                          ("c", "practice", 150, (5, 1, 0, 1, 2), "low"),
                          ("d", "practice", 200, (3, 2, 1, 0, 5), "low")], budget=500)
    # Budget 500. Ranking a 3.1, d 2.5, b 2.3, c 2.2. Down it: a (200 left), d (0 left):
    # 5.6. With a, only one more fits (a + d 5.6, a + b 5.4, a + c 5.3); without it,
    # d + b + c costs 500 and scores 7.0, the best.
    ranked = fund_down_the_ranking(cheap_b, WEIGHTS)
    best = best_portfolio(cheap_b, WEIGHTS)
    assert ranked.chosen == ("a", "d") and best.chosen == ("d", "b", "c")
    assert str(compare_with_ranking(best, ranked)) == (
        "A ranking is not a plan: with the same budget of US$500, the best portfolio scores "
        "7.0 points and funding down the ranking 5.6 points. That is 1.4 points more for the "
        "same money. The best portfolio leaves out A, which the ranking funds, and funds B and "
        "C instead.")


def test_the_high_risk_limit_holds_in_both_ways_of_choosing():
    # Two high-risk candidates that both fit: with a limit of 1, only the better one.
    risky = candidates([("a", "people", 100, (5, 5, 5, 5, 5), "high"),
                        ("b", "people", 100, (4, 4, 4, 4, 4), "high"),
                        ("c", "people", 100, (1, 1, 1, 1, 1), "low")], budget=300)
    assert best_portfolio(risky, WEIGHTS).chosen == ("a", "c")
    assert fund_down_the_ranking(risky, WEIGHTS).chosen == ("a", "c")
    assert best_portfolio(risky, WEIGHTS, high_risk_limit=2).chosen == ("a", "b", "c")
    assert best_portfolio(risky, WEIGHTS, high_risk_limit=0).chosen == ("c",)


def test_of_equal_totals_the_cheaper_then_the_smaller_then_the_earlier_set_wins():
    # {0} and {1} both total 2, at 20 and 10: the cheaper, {1}
    assert exact_best([2, 2], [20, 10], [False] * 2, 20, 0) == (1,)
    # {0} and {1, 2} both total 2 at 20: the one with fewer investments, {0}
    assert exact_best([2, 1, 1], [20, 10, 10], [False] * 3, 20, 0) == (0,)
    # {0} and {2} total 2 at 10: the earlier, {0}
    assert exact_best([2, 1, 2], [10, 10, 10], [False] * 3, 10, 0) == (0,)
    # nothing fits: the empty set
    assert exact_best([2, 1], [10, 10], [False] * 2, 5, 0) == ()


def brute_force(values, costs, high, budget, limit):
    """Every subset by itertools, the same rule for ties, written the plain way."""
    best_key, best_set = None, ()
    n = len(values)
    for size in range(n + 1):
        for subset in itertools.combinations(range(n), size):
            cost = sum(costs[i] for i in subset)
            if cost > budget or sum(high[i] for i in subset) > limit:
                continue
            key = (-round(sum(values[i] for i in subset), 9), cost, size, subset)
            if best_key is None or key < best_key:
                best_key, best_set = key, subset
    return best_set


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=8).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 50), min_size=n, max_size=n),
    st.lists(st.integers(1, 40), min_size=n, max_size=n),
    st.lists(st.booleans(), min_size=n, max_size=n),
    st.integers(0, 150), st.integers(0, 2))))
def test_the_exact_search_agrees_with_brute_force(case):
    values, costs, high, budget, limit = case
    values = [v / 10 for v in values]
    assert exact_best(values, costs, high, budget, limit) == \
        brute_force(values, costs, high, budget, limit)


def test_too_many_candidates_for_the_exact_search_is_a_plain_error():
    count = ENUMERATION_LIMIT + 1
    with pytest.raises(PortfolioError, match="Shortlist 20 or fewer"):
        exact_best([1] * count, [1] * count, [False] * count, 5, 0)


@pytest.mark.parametrize(("budget", "limit", "words"), [
    (-5, 1, "amount of money, 0 or more, in USD"), ("lots", 1, "amount of money"),
    (None, 1.5, "whole number"), (None, -1, "whole number"),
])
def test_a_budget_or_limit_that_cannot_be_used_says_what_to_give(budget, limit, words):
    with pytest.raises(PortfolioError, match=words):
        best_portfolio(SMALL, WEIGHTS, budget=budget, high_risk_limit=limit)


def test_a_weight_moves_a_fifth_of_itself():
    assert moved_weights(WEIGHTS, "use", 1)["use"] == pytest.approx(2.4)
    assert moved_weights(WEIGHTS, "governance", -1)["governance"] == pytest.approx(2.4)
    assert moved_weights(WEIGHTS, "use", 1)["quality"] == 2


# Two candidates, one of which the budget allows, and nearly tied with the weights 3, 2, 2,
# 1, 2: x (3, 2, 1, 0, 5) scores 2.5 and y (1, 2, 5, 3, 2) 2.4. Their difference, weight
# by weight: x - y = (2, 0, -4, -3, 3), so x wins by 3×2 - 2×4 - 1×3 + 2×3 = 1 (÷ 10).
# Moving one weight by a fifth changes that sum by a fifth of its term: governance down
# (-1.2), use up (-1.6) and transparency down (-1.2) turn it negative, so y wins in those 3
# cases; quality's term is 0, and the other moves keep x ahead.
def test_the_ten_cases_find_the_three_in_which_the_choice_changes():
    near_tie = candidates([("x", "practice", 200, (3, 2, 1, 0, 5), "low"),
                           ("y", "people", 200, (1, 2, 5, 3, 2), "low")], budget=200)
    result = weight_sensitivity(near_tie, WEIGHTS)
    assert result.base.chosen == ("x",)
    changed = result.cases[result.cases["changes"]]
    assert list(zip(changed["component"], changed["direction"], strict=True)) == [
        ("governance", -1), ("use", 1), ("transparency", -1)]
    assert result.changed == 3 and result.times_chosen() == {"x": 7, "y": 3}
    assert result.always_chosen == [] and result.status() == {"x": "sometimes",
                                                              "y": "comes in"}
    assert result.summary() == (
        "3 of the 10 weight moves (each weight 20% up or down) give another best portfolio. "
        "None of its investments is chosen every time. X is chosen in some cases and not in "
        "others. Y comes in when a weight moves.")
    assert str(result.table()).splitlines()[3].split(None, 2)[2] == \
        "Adds Y; drops X."  # governance -20%: the second case


def test_a_weight_of_zero_cannot_move():
    weights = {**WEIGHTS, "capacity": 0}
    result = weight_sensitivity(SMALL, weights)
    rows = str(result.table()).splitlines()
    assert "Capacity +20% No change: the weight is 0, and 20% of 0 is 0." in \
        [" ".join(row.split()) for row in rows]
