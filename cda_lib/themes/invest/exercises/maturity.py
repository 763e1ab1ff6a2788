"""Exercises 2.1: where are we now? (the exercise set of page 2.1).

The exercises' words, kinds, mistakes and hints are in ``maturity.yaml`` beside this module;
this module holds the functions that file names. Every figure comes from the city's team
answers as page 2.1 reads them (:func:`cda_lib.themes.invest.maturity.team_answers`: the
answers recorded in the city's workspace, or, until someone answers, the fictional team's),
through the functions the page uses.

>>> component_letter("governance"), component_letter("transparency")
('A', 'E')
>>> tier_letter("gold")
'C'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cda_lib.exercises.exercise import CityMemo
from cda_lib.synth.investments import COMPONENTS
from cda_lib.text.dates import format_list
from cda_lib.text.numbers import format_percent
from cda_lib.text.translation import gettext as _, ngettext
from cda_lib.themes.invest.candidates import COMPONENT_NAMES
from cda_lib.themes.invest.maturity import TeamAnswers, score, team_answers
from cda_lib.themes.invest.maturity_wwc import (
    ALL_CRITERIA,
    MET_LEVEL,
    ORDER,
    TIER_WORDS,
    WwcEstimate,
    points_for,
    tier_for,
    wwc_estimate,
)

if TYPE_CHECKING:
    from cda_lib.data import CityData

AVERAGED = "governance"  # exercise 2.1.1's component: the strategy's foundation
# Exercise 2.1.2's options (the exercise file's A to E) and 2.1.4's (A to D), in this order.
COMPONENT_LETTERS = dict(zip(COMPONENTS, "ABCDE", strict=True))
TIER_LETTERS = dict(zip(ORDER, "ABCD", strict=True))
LOOSER_LEVEL = 3  # 2.1.3's mistake: a practice counted as met at level 3 ("in progress")
_memo = CityMemo()


def component_letter(component: str) -> str:
    return COMPONENT_LETTERS[component]


def tier_letter(tier: str) -> str:
    return TIER_LETTERS[tier]


def answers_of(data: CityData) -> TeamAnswers:
    return _memo("answers", data, lambda: team_answers(data.city))


def estimate_of(data: CityData) -> WwcEstimate:
    return _memo("wwc", data, lambda: wwc_estimate(answers_of(data)))


def _first(components, values) -> str:
    """Of the components with the given value, the first in the strategy's order."""
    return next(c for c in COMPONENTS if c in components and round(values[c] - max(
        values[x] for x in components), 9) == 0)


# --- expected answers ---------------------------------------------------------------------


def governance_average(data: CityData) -> float:
    """Exercise 2.1.1: the team's average on governance."""
    return float(answers_of(data).team_profile()[AVERAGED])


def most_disputed_letter(data: CityData) -> str:
    """Exercise 2.1.2: the component with the widest spread (of equal ones, the first)."""
    spread = answers_of(data).spread()
    return component_letter(_first(list(COMPONENTS), spread))


def _tied_letter(data: CityData, place: int) -> str | None:
    spread = answers_of(data).spread()
    tied = [c for c in COMPONENTS if round(spread[c] - spread.max(), 9) == 0]
    return component_letter(tied[place]) if len(tied) > place else None


def tied_second(data: CityData) -> str | None:
    """Exercise 2.1.2: a second component with the same widest spread, if any, is right too."""
    return _tied_letter(data, 1)


def tied_third(data: CityData) -> str | None:
    """Exercise 2.1.2: a third component with the same widest spread, if any."""
    return _tied_letter(data, 2)


def criteria_met(data: CityData) -> int:
    """Exercise 2.1.3: the What Works Cities criteria the answers meet."""
    return estimate_of(data).points


def tier_answer(data: CityData) -> str:
    """Exercise 2.1.4: the tier those criteria reach."""
    return tier_letter(estimate_of(data).tier)


def criteria_to_next_tier(data: CityData) -> int:
    """Exercise 2.1.5: how many more criteria the next tier needs (0 at the top)."""
    return estimate_of(data).needed


# --- slider bounds ------------------------------------------------------------------------


def _score_slider(data: CityData) -> tuple[float, float, float]:
    return 1, 5, 0.1  # averages of 1-5 scores, read to one decimal


def _criteria_slider(data: CityData) -> tuple[float, float, float]:
    return 0, estimate_of(data).of, 1


# --- facts for the messages ---------------------------------------------------------------


def _average_facts(data: CityData) -> dict[str, Any]:
    answers = answers_of(data)
    means = answers.statement_means()
    first, second = answers.criteria.of(AVERAGED)[:2]
    return {"members": len(answers.members), "average": score(governance_average(data)),
            "first": score(means[first.id]), "second": score(means[second.id])}


def _spread_facts(data: CityData) -> dict[str, Any]:
    answers = answers_of(data)
    spread, profile = answers.spread(), answers.member_profile()
    component = _first(list(COMPONENTS), spread)
    tied = [c for c in COMPONENTS if round(spread[c] - spread[component], 9) == 0]
    return {"component": format_list([_(COMPONENT_NAMES[c]) for c in tied]),
            "first": _(COMPONENT_NAMES[component]), "spread": score(spread[component]),
            "low": score(profile[component].min()), "high": score(profile[component].max())}


def _wwc_facts(data: CityData) -> dict[str, Any]:
    estimate = estimate_of(data)
    nxt = estimate.next_tier
    return {"points": estimate.points, "of": estimate.of, "share": format_percent(estimate.share),
            "tier": _(TIER_WORDS[estimate.tier]),
            "met": format_list([_(name) for name in estimate.met]) or _("none"),
            "next": _(TIER_WORDS[nxt]) if nxt else "", "needed": estimate.needed,
            "total": points_for(nxt, estimate.of) if nxt else estimate.of,
            "more": ngettext("{count} more criterion", "{count} more criteria", estimate.needed)}


# --- answers named by the exercise file (maturity.yaml) ----------------------------------


def mistaken_one_member(data: CityData) -> Any:
    """2.1.1's "one member only": the first member's governance average."""
    return float(answers_of(data).member_profile()[AVERAGED].iloc[0])


def mistaken_all_statements(data: CityData) -> Any:
    """2.1.1's "every statement": the team's average over the whole questionnaire."""
    return float(answers_of(data).statement_means().mean())


def mistaken_weakest_component(data: CityData) -> Any:
    """2.1.2's "the weakest component": the lowest team average, not the widest spread."""
    team = answers_of(data).team_profile()
    return component_letter(_first(list(COMPONENTS), -team))


def mistaken_narrowest_spread(data: CityData) -> Any:
    """2.1.2's "the narrowest spread": where members agree most."""
    return component_letter(_first(list(COMPONENTS), -answers_of(data).spread()))


def mistaken_statements_counted(data: CityData) -> Any:
    """2.1.3's "statements counted": statements with a WWC criterion at 4 or more, so both
    quality statements count twice."""
    answers = answers_of(data)
    means = answers.statement_means()
    return sum(1 for s in answers.criteria.statements if s.wwc and means[s.id] >= MET_LEVEL)


def mistaken_level_three(data: CityData) -> Any:
    """2.1.3's "level 3 counted as met"."""
    return sum(1 for value in estimate_of(data).lowest.values() if value >= LOOSER_LEVEL)


def mistaken_all_criteria(data: CityData) -> Any:
    """2.1.4's "share of all 43": the points over the whole standard's criteria."""
    return tier_letter(tier_for(estimate_of(data).points / ALL_CRITERIA))


def mistaken_one_tier_up(data: CityData) -> Any:
    """2.1.4's "the next tier": the tier above the one reached."""
    nxt = estimate_of(data).next_tier
    return tier_letter(nxt) if nxt else None


def mistaken_total_not_more(data: CityData) -> Any:
    """2.1.5's "the total, not how many more": the criteria the next tier needs in all."""
    estimate = estimate_of(data)
    return points_for(estimate.next_tier, estimate.of) if estimate.next_tier else None


def mistaken_to_platinum(data: CityData) -> Any:
    """2.1.5's "all the way to Platinum"."""
    estimate = estimate_of(data)
    return max(points_for("platinum", estimate.of) - estimate.points, 0)
