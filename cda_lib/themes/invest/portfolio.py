"""Weighted scoring, and the best portfolio of investments under a budget, found exactly.

**Weighted score.** The team gives each of the five strategy components a weight (how
much it matters now, 0 to 5); a candidate's weighted score is the average of its benefit
scores, each counted as often as its weight says: the sum of weight × score divided by the
sum of the weights, so it stays on the scores' 0 to 5 scale.

**The best portfolio.** The set of candidates with the highest total weighted score whose
costs fit the budget, with no more high-risk investments than the team accepts. With a
dozen candidates there are a few thousand sets, so every one is checked (:func:`exact_best`):
the answer is the best, not a good guess. Of equal totals, the cheaper set is chosen, then
the one with fewer investments, then the one whose first investment comes first in the
table, so the same inputs always give the same portfolio.

**Funding down the ranking** (:func:`fund_down_the_ranking`) is what a ranked list invites:
go down it from the top and fund each candidate that still fits the money left (and the
high-risk limit). It is not the best portfolio in general: a high scorer that takes much of
the budget can crowd out two cheaper ones that together score more.

>>> import pandas as pd
>>> table = pd.DataFrame({"id": ["a", "b", "c"], "name": ["A", "B", "C"],
...     "kind": ["people"] * 3, "cost": [60, 50, 50], "governance": [5, 4, 4],
...     "quality": [5, 4, 4], "use": [5, 4, 4], "capacity": [5, 4, 4],
...     "transparency": [5, 4, 4], "risk": ["low"] * 3})
>>> candidates = CandidateInvestments(table, "USD", 100, 0)
>>> weights = dict.fromkeys(COMPONENTS, 1)
>>> fund_down_the_ranking(candidates, weights).chosen, best_portfolio(candidates, weights).chosen
(('a',), ('b', 'c'))
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from cda_lib.core.errors import CdaError, did_you_mean, list_choices
from cda_lib.core.readable import ReadableTable, Sentences
from cda_lib.synth.investments import COMPONENTS, CandidateInvestments
from cda_lib.text.dates import format_list
from cda_lib.text.numbers import format_money, format_number, format_percent
from cda_lib.text.translation import gettext as _, ngettext
from cda_lib.themes.invest.candidates import COMPONENT_NAMES, KIND_WORDS, RISK_WORDS

# A starting point until the team sets its own: foundations first. What Works Cities'
# criteria have prerequisites and data governance leads its practices (civic-standards.md,
# B1), so governance weighs most, capacity least; they add up to 10, so that a weighted
# score is the sum of weight × score divided by 10.
DEFAULT_WEIGHTS = {"governance": 3, "quality": 2, "use": 2, "capacity": 1, "transparency": 2}
WEIGHT_RANGE = (0, 5)  # the sliders' scale: 0, does not matter now; 5, matters most
# One high-risk investment at a time: a city learning to deliver data projects rarely has
# the people to rescue two at once. The team can change it at the top of the page.
DEFAULT_HIGH_RISK_LIMIT = 1
# Every set of up to 20 candidates (a million sets) is checked in about a second; more
# candidates than that should be shortlisted first.
ENUMERATION_LIMIT = 20
SCORE_DECIMALS = 9  # totals equal to 9 decimals are equal (sums of floats differ by 1e-15)
SHOWN_DECIMALS = 1  # scores are written to one decimal: the scores themselves are whole


class PortfolioError(CdaError, ValueError):
    """Weights, a budget or a risk limit page 2.4 cannot use; the message says what to give."""


# --- weights and scores ----------------------------------------------------------------------


def check_weights(weights: Any) -> dict[str, float]:
    """The weights as numbers by component; a plain error for anything else.

    >>> check_weights({"governance": 2, "quality": 1, "use": 0, "capacity": 1,
    ...                "transparency": 1})["governance"]
    2.0
    """
    if not isinstance(weights, dict):
        raise PortfolioError(_(
            "The weights should be a set of named numbers, one for each of {names}, such as "
            '{{"governance": 3, "quality": 3, ...}}.', names=list_choices(COMPONENTS)))
    unknown = [str(key) for key in weights if key not in COMPONENTS]
    if unknown:
        raise PortfolioError(_(
            'The weights name "{name}", which is not a component.{hint} The components are '
            "{names}.", name=unknown[0], hint=did_you_mean(unknown[0], COMPONENTS),
            names=list_choices(COMPONENTS)))
    missing = [c for c in COMPONENTS if c not in weights]
    if missing:
        raise PortfolioError(_("The weights have no number for {missing}. Give a weight, 0 or "
                               "more, to each of {names}.", missing=list_choices(missing),
                               names=list_choices(COMPONENTS)))
    checked = {}
    for component in COMPONENTS:
        value = weights[component]
        if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value) \
                or value < 0:
            raise PortfolioError(_("The weight of {component} is {value}; a weight is a number, "
                                   "0 or more. Write a number such as 3.", component=component,
                                   value=repr(value)))
        checked[component] = float(value)
    if sum(checked.values()) == 0:
        raise PortfolioError(_("Every weight is 0, so no component counts and nothing can be "
                               "scored. Give at least one component a weight above 0."))
    return checked


def weight_shares(weights: dict) -> dict[str, float]:
    """Each component's share of the weights (they add up to 1).

    >>> weight_shares({"governance": 2, "quality": 1, "use": 1, "capacity": 0,
    ...                "transparency": 0})["governance"]
    0.5
    """
    checked = check_weights(weights)
    total = sum(checked.values())
    return {component: value / total for component, value in checked.items()}


def weights_sentence(weights: dict) -> str:
    """The weights as shares, largest first: "use 30%, governance 20%, ..."."""
    shares = weight_shares(weights)
    ordered = sorted(COMPONENTS, key=lambda c: -shares[c])  # stable: table order for ties
    return format_list([_("{component} {share}", component=_(COMPONENT_NAMES[c]),
                          share=format_percent(shares[c])) for c in ordered])


def weighted_scores(candidates: CandidateInvestments, weights: dict) -> pd.DataFrame:
    """Every candidate with its weighted score and rank, highest score first.

    Ties in score rank the cheaper candidate first, then the one earlier in the table.
    """
    shares = weight_shares(weights)
    table = candidates.table.copy()
    score = sum(table[c].astype(float) * share for c, share in shares.items())
    table["score"] = score.round(SCORE_DECIMALS)  # so that equal scores tie, float noise aside
    table["order"] = range(len(table))
    table = table.sort_values(["score", "cost", "order"], ascending=[False, True, True],
                              kind="stable").drop(columns="order").reset_index(drop=True)
    table["rank"] = range(1, len(table) + 1)
    return table


def points(value: float) -> str:
    """A weighted score or a total of them, as a sentence writes it: "21.4 points"."""
    written = format_number(value, SHOWN_DECIMALS)
    return ngettext("{points} point", "{points} points", 1 if written == "1" else 2,
                    points=written)


# --- the search ---------------------------------------------------------------------------------


@functools.cache
def _every_set(count: int) -> np.ndarray:
    """Every subset of ``count`` candidates as a row of booleans: row k holds bit i of k."""
    codes = np.arange(1 << count, dtype=np.int64)[:, None]
    return ((codes >> np.arange(count, dtype=np.int64)) & 1).astype(bool)


def exact_best(values, costs, high_risk, budget: float, high_risk_limit: int) -> tuple[int, ...]:
    """The positions of the best set: the highest total value with costs within ``budget``
    and at most ``high_risk_limit`` high-risk items, checked over every set.

    Of equal totals: the lowest cost, then the fewest items, then the set whose positions
    come first in order.

    >>> exact_best([3, 2, 2], [60, 50, 50], [False, False, False], 100, 1)
    (1, 2)
    >>> exact_best([3, 2, 2], [60, 50, 50], [False, True, True], 100, 1)
    (0,)
    """
    values = np.asarray(values, dtype=float)
    costs = np.asarray(costs, dtype=float)
    high = np.asarray(high_risk, dtype=bool).astype(float)  # a count, not a logical "or"
    if len(values) > ENUMERATION_LIMIT:
        raise PortfolioError(_(
            "There are {count} candidates; the exact search checks every set of up to {limit}. "
            "Shortlist {limit} or fewer first.", count=len(values), limit=ENUMERATION_LIMIT))
    sets = _every_set(len(values))
    total_cost = sets @ costs
    total = np.round(sets @ values, SCORE_DECIMALS)
    allowed = (total_cost <= budget * (1 + 1e-12)) & (sets @ high <= high_risk_limit)
    best = total[allowed].max()  # the empty set is always allowed
    tied = np.flatnonzero(allowed & (total == best))
    cheapest = total_cost[tied].min()
    tied = tied[total_cost[tied] <= cheapest * (1 + 1e-12)]
    fewest = sets[tied].sum(axis=1).min()
    tied = tied[sets[tied].sum(axis=1) == fewest]
    return min(tuple(int(i) for i in np.flatnonzero(sets[k])) for k in tied)


def check_budget(budget: Any, candidates: CandidateInvestments) -> float:
    """The budget to use: the candidates' illustrative one when ``budget`` is None."""
    if budget is None:
        return float(candidates.budget)
    if isinstance(budget, bool) or not isinstance(budget, Real) or not math.isfinite(budget) \
            or budget < 0:
        raise PortfolioError(_(
            "The budget is {value}; it should be an amount of money, 0 or more, in {currency} "
            "(or None for the illustrative budget, {budget}).", value=repr(budget),
            currency=candidates.currency,
            budget=format_money(candidates.budget, candidates.currency)))
    return float(budget)


def check_high_risk_limit(limit: Any) -> int:
    """The most high-risk investments a portfolio may hold: a whole number, 0 or more."""
    if isinstance(limit, bool) or not isinstance(limit, Real) or limit < 0 \
            or not float(limit).is_integer():
        raise PortfolioError(_("The high-risk limit is {value}; it should be a whole number, 0 "
                               "or more, such as 1.", value=repr(limit)))
    return int(limit)


@dataclass(frozen=True)
class Portfolio:
    """A set of funded candidates, how it was chosen, and the ranking it was chosen from.

    ``method`` is ``"best"`` (the exact search) or ``"ranking"`` (funding down the
    ranking); ``scores`` is every candidate with its weighted score and rank
    (:func:`weighted_scores`); ``chosen`` the funded ids, in ranking order.
    """

    method: str
    scores: pd.DataFrame = field(repr=False)
    chosen: tuple[str, ...]
    budget: float
    currency: str
    high_risk_limit: int
    weights: dict = field(repr=False)
    searched: int = 0  # how many sets the exact search checked

    @property
    def funded(self) -> pd.DataFrame:
        return self.scores[self.scores["id"].isin(self.chosen)]

    @property
    def not_funded(self) -> pd.DataFrame:
        return self.scores[~self.scores["id"].isin(self.chosen)]

    @property
    def total_score(self) -> float:
        return round(float(self.funded["score"].sum()), SCORE_DECIMALS)

    @property
    def spent(self) -> float:
        return float(self.funded["cost"].sum())

    @property
    def left(self) -> float:
        return self.budget - self.spent

    def names(self, ids: tuple[str, ...] | list[str] | None = None) -> list[str]:
        """The names of ``ids`` (default: the funded ones), in ranking order."""
        wanted = self.chosen if ids is None else ids
        return self.scores.loc[self.scores["id"].isin(wanted), "name"].tolist()

    def money(self, amount: float) -> str:
        return format_money(amount, self.currency)

    def summary(self) -> str:
        """The portfolio in one sentence, with its figures."""
        count, total = len(self.chosen), len(self.scores)
        if not count:
            return _("No candidate fits the budget of {budget}.", budget=self.money(self.budget))
        values = {"total": total, "spent": self.money(self.spent),
                  "budget": self.money(self.budget), "score": points(self.total_score),
                  "names": format_list(self.names())}
        if self.method == "best":
            return ngettext(
                "The best portfolio funds {count} of the {total} candidates, for {spent} of the "
                "{budget} budget and a total weighted score of {score}: {names}.",
                "The best portfolio funds {count} of the {total} candidates, for {spent} of the "
                "{budget} budget and a total weighted score of {score}: {names}.", count,
                **values)
        return ngettext(
            "Funding down the ranking pays for {count} of the {total} candidates, for {spent} of "
            "the {budget} budget and a total weighted score of {score}: {names}.",
            "Funding down the ranking pays for {count} of the {total} candidates, for {spent} of "
            "the {budget} budget and a total weighted score of {score}: {names}.", count,
            **values)

    def table(self) -> ReadableTable:
        """The funded candidates: rank, name, kind, cost, weighted score and risk."""
        return scores_table(self.funded, self.currency, caption=_("Funded"))

    def __str__(self) -> str:
        return str(Sentences([self.summary()], self.table()))

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return Sentences([self.summary()], self.table())._repr_html_()


def _prepared(candidates, weights, budget, high_risk_limit):
    weights = check_weights(weights)
    return (weighted_scores(candidates, weights), check_budget(budget, candidates),
            check_high_risk_limit(high_risk_limit), weights)


def best_portfolio(candidates: CandidateInvestments, weights: dict, *, budget: float | None = None,
                   high_risk_limit: int = DEFAULT_HIGH_RISK_LIMIT) -> Portfolio:
    """The best portfolio: the highest total weighted score within the budget and the
    high-risk limit, every set of candidates checked. ``budget`` None: the illustrative one."""
    scores, budget, limit, weights = _prepared(candidates, weights, budget, high_risk_limit)
    picked = exact_best(scores["score"], scores["cost"], scores["risk"] == "high", budget, limit)
    chosen = tuple(scores["id"].iloc[list(picked)])
    return Portfolio("best", scores, chosen, budget, candidates.currency, limit, weights,
                     searched=1 << len(scores))


def fund_down_the_ranking(candidates: CandidateInvestments, weights: dict, *,
                          budget: float | None = None,
                          high_risk_limit: int = DEFAULT_HIGH_RISK_LIMIT) -> Portfolio:
    """Go down the ranking from the top and fund each candidate that still fits the money
    left (and the high-risk limit): what a ranked list invites, and not the best in general."""
    scores, budget, limit, weights = _prepared(candidates, weights, budget, high_risk_limit)
    chosen, left, high = [], budget, 0
    for row in scores.itertuples():
        risky = row.risk == "high"
        if row.cost <= left * (1 + 1e-12) and (not risky or high < limit):
            chosen.append(row.id)
            left -= row.cost
            high += risky
    return Portfolio("ranking", scores, tuple(chosen), budget, candidates.currency, limit,
                     weights)


def scores_table(scores: pd.DataFrame, currency: str, *, caption: str = "",
                 mark: tuple[str, ...] | None = None, mark_heading: str = "") -> ReadableTable:
    """Candidates with their rank, kind, cost, weighted score and risk, for reading.

    ``mark`` adds a column with a tick for those ids (the funded ones), headed ``mark_heading``.
    """
    headings = [_("Rank"), _("Investment"), _("Kind"), _("Cost"), _("Weighted score"),
                _("Risk")]
    if mark is not None:
        headings.append(mark_heading)
    rows = []
    for row in scores.itertuples():
        cells = [(str(row.rank), True), (row.name, False), (_(KIND_WORDS[row.kind]), False),
                 (format_money(row.cost, currency), True),
                 (format_number(row.score, SHOWN_DECIMALS + 1), True),
                 (_(RISK_WORDS[row.risk]), False)]
        if mark is not None:
            cells.append(("✓" if row.id in mark else "", False))
        rows.append(cells)
    return ReadableTable(headings, rows, caption=caption)


def ranking_table(best: Portfolio) -> ReadableTable:
    """Every candidate in ranking order, with a tick for those the best portfolio funds."""
    return scores_table(best.scores, best.currency, caption=_("The ranking"),
                        mark=best.chosen, mark_heading=_("In the best portfolio"))


# --- a ranking is not a plan ----------------------------------------------------------------


def compare_with_ranking(best: Portfolio, ranked: Portfolio) -> Sentences:
    """What funding down the ranking gives, against the best portfolio, in sentences."""
    only_best = [i for i in best.chosen if i not in ranked.chosen]
    only_ranked = [i for i in ranked.chosen if i not in best.chosen]
    values = {"best": points(best.total_score), "ranked": points(ranked.total_score),
              "budget": best.money(best.budget)}
    if not only_best and not only_ranked:
        return Sentences([ngettext(
            "Here funding down the ranking happens to give the best portfolio too: the same "
            "{count} investment. With another budget or other weights it may not, which is why "
            "the search checks every set.",
            "Here funding down the ranking happens to give the best portfolio too: the same "
            "{count} investments. With another budget or other weights it may not, which is why "
            "the search checks every set.", len(best.chosen))])
    gain = best.total_score - ranked.total_score
    sentences = [_("A ranking is not a plan: with the same budget of {budget}, the best "
                   "portfolio scores {best} and funding down the ranking {ranked}.", **values)]
    if round(gain, SHOWN_DECIMALS) > 0:
        sentences.append(_("That is {gain} more for the same money.", gain=points(gain)))
    if only_ranked:
        sentences.append(_("The best portfolio leaves out {left_out}, which the ranking funds, "
                           "and funds {added} instead.",
                           left_out=format_list(ranked.names(only_ranked)),
                           added=format_list(best.names(only_best))))
    else:
        sentences.append(_("It also funds {added}, which the money left after the ranking "
                           "cannot pay for.", added=format_list(best.names(only_best))))
    return Sentences(sentences)


def spent_by_kind(portfolio: Portfolio) -> dict[str, float]:
    """The money the portfolio spends on each kind (platform, people, practice)."""
    spent = portfolio.funded.groupby("kind")["cost"].sum()
    return {kind: float(spent.get(kind, 0.0)) for kind in KIND_WORDS}
