"""Exercises 2.4: choosing what to fund (the exercise set of page 2.4).

The exercises themselves (their words, answer kinds, mistakes and hints) are written in
``portfolio.yaml`` beside this module; this module holds the functions that file names.

Five exercises checked against the city's own candidates, and a reflection: the weighted
score of one candidate, what funding down the ranking pays for, which kind of investment
gets most of the best portfolio's money, how many of its investments hold when a weight
moves 20%, and what a budget cut of a fifth keeps. Every exercise uses page 2.4's
starting weights (:data:`EXERCISE_WEIGHTS`), the city's illustrative budget and its
high-risk limit, and every figure comes from :mod:`cda_lib.themes.invest.portfolio` and
:mod:`cda_lib.themes.invest.sensitivity`, the functions the page uses.

>>> kind_letter("people"), kind_letter("practice")
('B', 'C')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cda_lib.exercises.exercise import CityMemo
from cda_lib.synth.investments import COMPONENTS, KINDS, CandidateInvestments
from cda_lib.text.dates import format_list
from cda_lib.text.numbers import format_money, format_percent
from cda_lib.text.translation import N_, gettext as _, ngettext
from cda_lib.themes.invest.candidates import investment_candidates
from cda_lib.themes.invest.portfolio import (
    DEFAULT_HIGH_RISK_LIMIT,
    DEFAULT_WEIGHTS,
    Portfolio,
    best_portfolio,
    fund_down_the_ranking,
    spent_by_kind,
)
from cda_lib.themes.invest.sensitivity import Sensitivity, weight_sensitivity

if TYPE_CHECKING:
    from cda_lib.data import CityData

EXERCISE_WEIGHTS = DEFAULT_WEIGHTS  # the page's starting weights: 3, 2, 2, 1, 2 (sum 10)
SCORED = "chief-data-officer"  # exercise 2.4.1's candidate: it scores on every component
BUDGET_CUT = 0.20  # exercise 2.4.5: the budget office takes a fifth away
# Exercise 2.4.3's options, in this order (the exercise file's A, B and C).
KIND_LETTERS = dict(zip(KINDS, "ABC", strict=True))
KIND_PLURALS = {"platform": N_("platforms"), "people": N_("people"),
                "practice": N_("practices")}
_memo = CityMemo()


def kind_letter(kind: str) -> str:
    """The letter of exercise 2.4.3's option for a kind of investment."""
    return KIND_LETTERS[kind]


# --- the figures, from the city's candidates ----------------------------------------------


def candidates_of(data: CityData) -> CandidateInvestments:
    return _memo("candidates", data, lambda: investment_candidates(data))


def best(data: CityData, budget: float | None = None) -> Portfolio:
    key = "best" if budget is None else f"best at {budget}"
    return _memo(key, data, lambda: best_portfolio(
        candidates_of(data), EXERCISE_WEIGHTS, budget=budget,
        high_risk_limit=DEFAULT_HIGH_RISK_LIMIT))


def ranked(data: CityData) -> Portfolio:
    return _memo("ranked", data, lambda: fund_down_the_ranking(
        candidates_of(data), EXERCISE_WEIGHTS, high_risk_limit=DEFAULT_HIGH_RISK_LIMIT))


def sensitivity(data: CityData) -> Sensitivity:
    return _memo("sensitivity", data, lambda: weight_sensitivity(
        candidates_of(data), EXERCISE_WEIGHTS, high_risk_limit=DEFAULT_HIGH_RISK_LIMIT))


def smaller_budget(data: CityData) -> float:
    """Exercise 2.4.5's budget: the illustrative one, cut by a fifth."""
    return candidates_of(data).budget * (1 - BUDGET_CUT)


def _scored_row(data: CityData):
    table = candidates_of(data).table
    found = table[table["id"] == SCORED]
    return (found if len(found) else table).iloc[0]


def _money(data: CityData, amount: float) -> str:
    return format_money(amount, candidates_of(data).currency)


def _risk_rule(limit: int) -> str:
    return ngettext("at most {count} high-risk investment", "at most {count} high-risk "
                    "investments", limit)


# --- expected answers ---------------------------------------------------------------------


def scored_weighted_score(data: CityData) -> float:
    """Exercise 2.4.1: the weighted score of the chief data officer."""
    row = _scored_row(data)
    weights = EXERCISE_WEIGHTS
    return sum(weights[c] * float(row[c]) for c in COMPONENTS) / sum(weights.values())


def ranking_count(data: CityData) -> int:
    """Exercise 2.4.2: how many candidates funding down the ranking pays for."""
    return len(ranked(data).chosen)


def top_kind_letter(data: CityData) -> str:
    """Exercise 2.4.3: the kind that gets the most of the best portfolio's money (of equal
    amounts, the first in the options' order)."""
    return kind_letter(_top_kind(spent_by_kind(best(data))))


def always_chosen_count(data: CityData) -> int:
    """Exercise 2.4.4: the best portfolio's investments chosen in all ten cases."""
    return len(sensitivity(data).always_chosen)


def kept_after_cut(data: CityData) -> int:
    """Exercise 2.4.5: the first best portfolio's investments still in the best portfolio
    for a budget a fifth smaller."""
    after = set(best(data, smaller_budget(data)).chosen)
    return sum(1 for candidate in best(data).chosen if candidate in after)


def _top_kind(spent: dict[str, float]) -> str:
    most = max(spent.values())
    return next(kind for kind in KINDS if spent[kind] == most)


# --- slider bounds ------------------------------------------------------------------------


def _score_slider(data: CityData) -> tuple[float, float, float]:
    return 0, 5, 0.1  # weighted scores stay on the 0-5 scale, read to one decimal


def _candidate_slider(data: CityData) -> tuple[float, float, float]:
    return 0, len(candidates_of(data).table), 1


def _portfolio_slider(data: CityData) -> tuple[float, float, float]:
    return 0, len(best(data).chosen), 1


# --- facts for the messages ---------------------------------------------------------------


def _score_facts(data: CityData) -> dict[str, Any]:
    row = _scored_row(data)
    return {"candidate": row["name"], "score": scored_weighted_score(data),
            **{c: int(row[c]) for c in COMPONENTS},
            **{f"w_{c}": EXERCISE_WEIGHTS[c] for c in COMPONENTS},
            "weight_sum": sum(EXERCISE_WEIGHTS.values())}


def _ranking_facts(data: CityData) -> dict[str, Any]:
    portfolio = ranked(data)
    count = len(portfolio.chosen)
    return {"count": count, "names": format_list(portfolio.names()) or "—",
            "investments": ngettext("{count} investment", "{count} investments", count),
            "spent": _money(data, portfolio.spent), "budget": _money(data, portfolio.budget),
            "risk_rule": _risk_rule(portfolio.high_risk_limit)}


def _kind_facts(data: CityData) -> dict[str, Any]:
    portfolio = best(data)
    spent = spent_by_kind(portfolio)
    kind = _top_kind(spent)
    total = portfolio.spent
    return {"kind": _(KIND_PLURALS[kind]), "kind_spent": _money(data, spent[kind]),
            "spent": _money(data, total),
            "share": format_percent(spent[kind] / total if total else 0.0),
            "count": len(portfolio.chosen)}


def _stability_facts(data: CityData) -> dict[str, Any]:
    result = sensitivity(data)
    core = result.always_chosen
    return {"stable": len(core), "count": len(result.base.chosen),
            "names": format_list(result.base.names(core)) or "—",
            "cases": ngettext("{count} of the 10 cases gives another portfolio.",
                              "{count} of the 10 cases give another portfolio.", result.changed)}


def _cut_facts(data: CityData) -> dict[str, Any]:
    first, after = best(data), best(data, smaller_budget(data))
    dropped = [i for i in first.chosen if i not in after.chosen]
    added = [i for i in after.chosen if i not in first.chosen]
    if dropped and added:
        change = _("The cut drops {dropped}, and the new best portfolio adds {added}.",
                   dropped=format_list(first.names(dropped)), added=format_list(after.names(added)))
    elif dropped:
        change = _("The cut drops {dropped}.", dropped=format_list(first.names(dropped)))
    else:
        change = _("Every investment stays: the first portfolio fits the smaller budget too.")
    return {"smaller": _money(data, smaller_budget(data)), "count": len(first.chosen),
            "kept": kept_after_cut(data), "change": change}


# --- answers named by the exercise file (portfolio.yaml) ---------------------------------


def mistaken_not_divided(data: CityData) -> Any:
    """Exercise 2.4.1's "not divided by the weights": the sum of weight × score."""
    row = _scored_row(data)
    return float(sum(EXERCISE_WEIGHTS[c] * float(row[c]) for c in COMPONENTS))


def mistaken_plain_average(data: CityData) -> Any:
    """Exercise 2.4.1's "plain average": the five scores' mean, weights left out."""
    row = _scored_row(data)
    return sum(float(row[c]) for c in COMPONENTS) / len(COMPONENTS)


def mistaken_heaviest_only(data: CityData) -> Any:
    """Exercise 2.4.1's "heaviest weight only": the score on governance alone."""
    heaviest = max(COMPONENTS, key=lambda c: EXERCISE_WEIGHTS[c])
    return float(_scored_row(data)[heaviest])


def mistaken_stopped_at_first_misfit(data: CityData) -> Any:
    """Exercise 2.4.2's "stopped at the first that did not fit"."""
    portfolio = ranked(data)
    count, left, high = 0, portfolio.budget, 0
    for row in portfolio.scores.itertuples():
        risky = row.risk == "high"
        if risky and high >= portfolio.high_risk_limit:
            continue  # passed over: the rule, not the money
        if row.cost > left:
            break
        count, left, high = count + 1, left - row.cost, high + risky
    return count


def mistaken_risk_limit_ignored(data: CityData) -> Any:
    """Exercise 2.4.2's "high-risk limit ignored": down the ranking, money the only rule."""
    portfolio = ranked(data)
    count, left = 0, portfolio.budget
    for row in portfolio.scores.itertuples():
        if row.cost <= left:
            count, left = count + 1, left - row.cost
    return count


def mistaken_best_portfolio_count(data: CityData) -> Any:
    """Exercise 2.4.2's "the best portfolio instead": how many the best portfolio funds."""
    return len(best(data).chosen)


def mistaken_counted_investments(data: CityData) -> Any:
    """Exercise 2.4.3's "investments counted, not money": the kind funded most often."""
    counts = best(data).funded["kind"].value_counts()
    most = counts.max()
    return kind_letter(next(kind for kind in KINDS if counts.get(kind, 0) == most))


def mistaken_ranking_portfolio(data: CityData) -> Any:
    """Exercise 2.4.3's "the ranking's portfolio": its kind with the most money."""
    return kind_letter(_top_kind(spent_by_kind(ranked(data))))


def mistaken_whole_portfolio(data: CityData) -> Any:
    """Exercise 2.4.4's "the whole portfolio": every investment it funds."""
    return len(best(data).chosen)


def mistaken_chosen_at_least_once(data: CityData) -> Any:
    """Exercise 2.4.4's "chosen at least once": every candidate some case chooses."""
    return sum(1 for times in sensitivity(data).times_chosen().values() if times)


def mistaken_dropped_from_the_bottom(data: CityData) -> Any:
    """Exercise 2.4.5's "cut from the bottom": keep the first portfolio's highest scorers
    while they fit the smaller budget, with no new search."""
    budget, kept = smaller_budget(data), 0
    for row in best(data).funded.itertuples():  # in ranking order
        if row.cost > budget:
            break
        kept, budget = kept + 1, budget - row.cost
    return kept


def mistaken_new_portfolio_size(data: CityData) -> Any:
    """Exercise 2.4.5's "the new portfolio's size": newcomers counted too."""
    return len(best(data, smaller_budget(data)).chosen)
