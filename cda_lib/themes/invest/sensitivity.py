"""How firm is the best portfolio? Each weight moved 20% up and down, the search run again.

Weights are judgements: a team that says "use matters most" could as well have given it a
little less or a little more. So each of the five weights is moved 20% up and then 20%
down, one at a time, the others kept (ten cases), and the best portfolio is found again
for each. An investment chosen in all ten is the portfolio's firm core: fund it with
confidence. One that comes and goes depends on the exact weights: that is where the team
should talk, not where the spreadsheet decides. A ranking hides this; the ten cases show it.

>>> import pandas as pd
>>> from cda_lib.synth.investments import CandidateInvestments
>>> table = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": ["people"] * 2,
...     "cost": [50, 50], "governance": [4, 1], "quality": [1, 3], "use": [1, 2],
...     "capacity": [1, 1], "transparency": [1, 1], "risk": ["low"] * 2})
>>> weights = dict.fromkeys(COMPONENTS, 1)  # both score 8/5 = 1.6: A, first in the table
>>> result = weight_sensitivity(CandidateInvestments(table, "USD", 50, 0), weights)
>>> result.base.chosen, result.changed, result.times_chosen()
(('a',), 3, {'a': 7, 'b': 3})
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from cda_lib.core.readable import ReadableTable, Sentences
from cda_lib.synth.investments import COMPONENTS, CandidateInvestments
from cda_lib.text.dates import format_list
from cda_lib.text.numbers import format_percent
from cda_lib.text.translation import N_, gettext as _, ngettext
from cda_lib.themes.invest.candidates import COMPONENT_WORDS
from cda_lib.themes.invest.portfolio import (
    DEFAULT_HIGH_RISK_LIMIT,
    Portfolio,
    best_portfolio,
    check_weights,
)

# How far a weight moves: a fifth, the size of a disagreement inside a team that agrees on
# the order of its priorities ("use matters a bit more than quality") but not the amounts.
SHIFT = 0.20
DIRECTIONS = (1, -1)  # up, then down
CASES = len(COMPONENTS) * len(DIRECTIONS)  # ten
# What each candidate is across the ten cases, for the stability chart.
ALWAYS, SOMETIMES_IN, COMES_IN, NEVER = "always", "sometimes", "comes in", "never"
STATUS_WORDS = {
    ALWAYS: N_("In the best portfolio, whichever weight moves"),
    SOMETIMES_IN: N_("In the best portfolio, but not in every case"),
    COMES_IN: N_("Not in it, but comes in when a weight moves"),
    NEVER: N_("Never chosen"),
}


@dataclass(frozen=True)
class Sensitivity:
    """The best portfolio, and the best portfolio again with each weight moved up and down.

    ``cases`` has one row per case: the component, the direction (+1 up, -1 down), the
    weight before and after, the ids chosen, those added and dropped against the base.
    """

    base: Portfolio
    cases: pd.DataFrame = field(repr=False)

    @property
    def changed(self) -> int:
        """How many of the ten cases give another portfolio."""
        return int(self.cases["changes"].sum())

    def times_chosen(self) -> dict[str, int]:
        """In how many of the ten cases each candidate is chosen, in ranking order."""
        counts = {candidate: 0 for candidate in self.base.scores["id"]}
        for chosen in self.cases["chosen"]:
            for candidate in chosen:
                counts[candidate] += 1
        return counts

    def status(self) -> dict[str, str]:
        """Each candidate's place across the cases: always, sometimes, comes in, never."""
        found = {}
        for candidate, times in self.times_chosen().items():
            if candidate in self.base.chosen:
                found[candidate] = ALWAYS if times == len(self.cases) else SOMETIMES_IN
            else:
                found[candidate] = COMES_IN if times else NEVER
        return found

    def ids(self, status: str) -> list[str]:
        return [candidate for candidate, found in self.status().items() if found == status]

    @property
    def always_chosen(self) -> list[str]:
        """The firm core: the base portfolio's investments chosen in all ten cases."""
        return self.ids(ALWAYS)

    def summary(self) -> str:
        """What moving the weights does to the best portfolio, in a few sentences."""
        base = self.base
        count = len(base.chosen)
        if not self.changed:
            return ngettext(
                "Whichever of the five weights moves 20% up or down, the best portfolio stays "
                "the same: its {count} investment is chosen in all 10 cases.",
                "Whichever of the five weights moves 20% up or down, the best portfolio stays "
                "the same: its {count} investments are chosen in all 10 cases.", count)
        sentences = [ngettext(
            "{count} of the 10 weight moves (each weight 20% up or down) gives another best "
            "portfolio.",
            "{count} of the 10 weight moves (each weight 20% up or down) give another best "
            "portfolio.", self.changed)]
        core = self.always_chosen
        if core:
            sentences.append(ngettext(
                "{count} of its {total} investments is chosen every time: {names}.",
                "{count} of its {total} investments are chosen every time: {names}.",
                len(core), total=count, names=format_list(base.names(core))))
        elif count:
            sentences.append(_("None of its investments is chosen every time."))
        wavering = self.ids(SOMETIMES_IN)
        if wavering:
            sentences.append(ngettext(
                "{names} is chosen in some cases and not in others.",
                "{names} are chosen in some cases and not in others.", len(wavering),
                names=format_list(base.names(wavering))))
        coming = self.ids(COMES_IN)
        if coming:
            sentences.append(ngettext(
                "{names} comes in when a weight moves.", "{names} come in when a weight moves.",
                len(coming), names=format_list(base.names(coming))))
        return " ".join(sentences)

    def table(self) -> ReadableTable:
        """Each case and what it changes, for reading."""
        rows = []
        for case in self.cases.itertuples():
            move = _("{component} {change}", component=_(COMPONENT_WORDS[case.component]),
                     change=format_percent(SHIFT * case.direction, signed=True))
            if case.weight_before == 0:
                what = _("No change: the weight is 0, and 20% of 0 is 0.")
            elif not case.changes:
                what = _("No change.")
            else:
                added = format_list(self.base.names(case.added))
                dropped = format_list(self.base.names(case.dropped))
                if case.added and case.dropped:
                    what = _("Adds {added}; drops {dropped}.", added=added, dropped=dropped)
                elif case.added:
                    what = _("Adds {added}.", added=added)
                else:
                    what = _("Drops {dropped}.", dropped=dropped)
            rows.append([(move, False), (what, False)])
        return ReadableTable([_("Weight moved"), _("What changes in the best portfolio")], rows,
                             caption=_("Each weight 20% up and 20% down"))

    def __str__(self) -> str:
        return str(Sentences([self.summary()], self.table()))

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return Sentences([self.summary()], self.table())._repr_html_()


def moved_weights(weights: dict, component: str, direction: int) -> dict[str, float]:
    """The weights with one component's moved by :data:`SHIFT` up (+1) or down (-1).

    >>> moved_weights(dict.fromkeys(COMPONENTS, 3), "use", -1)["use"]
    2.4
    """
    moved = dict(check_weights(weights))
    moved[component] = round(moved[component] * (1 + SHIFT * direction), 12)
    return moved


def weight_sensitivity(candidates: CandidateInvestments, weights: dict, *,
                       budget: float | None = None,
                       high_risk_limit: int = DEFAULT_HIGH_RISK_LIMIT) -> Sensitivity:
    """The best portfolio, then again with each weight moved 20% up and 20% down."""
    base = best_portfolio(candidates, weights, budget=budget, high_risk_limit=high_risk_limit)
    rows = []
    for component in COMPONENTS:
        for direction in DIRECTIONS:
            moved = moved_weights(weights, component, direction)
            if sum(moved.values()) == 0:  # the only weight above 0, moved down: still there
                chosen = base.chosen
            else:
                chosen = best_portfolio(candidates, moved, budget=base.budget,
                                        high_risk_limit=base.high_risk_limit).chosen
            added = tuple(i for i in chosen if i not in base.chosen)
            dropped = tuple(i for i in base.chosen if i not in chosen)
            rows.append({"component": component, "direction": direction,
                         "weight_before": base.weights[component],
                         "weight_after": moved[component], "chosen": chosen, "added": added,
                         "dropped": dropped, "changes": bool(added or dropped)})
    return Sensitivity(base, pd.DataFrame(rows))
