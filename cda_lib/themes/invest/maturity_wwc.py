"""What the team's answers imply for What Works Cities Certification: points, tier, next tier.

The 2022 What Works Cities standard (civic-standards.md B1) has 43 criteria in 8 practices,
one point each; a city is Silver with 51% to 67% of them, Gold with 68% to 84% and Platinum
with 85% or more. The questionnaire of page 2.1 stands for seven of those criteria (each
statement's ``wwc:``; both quality statements stand for Improving Data Quality). **The
mapping is the workbook's approximation**, and the page says so: a criterion counts as met
when the team's average on every statement standing for it is 4 or more (level 4's anchor
is the criterion's evidence, such as DG1's "3 of 4" items), and the tier applies the
standard's percentages to the seven criteria covered. WWC itself checks evidence, not
answers.

>>> tier_for(4 / 7), tier_for(5 / 7), tier_for(6 / 7), tier_for(3 / 7)
('silver', 'gold', 'platinum', 'none')
>>> points_for("gold", 7)  # 68% of 7 is 4.76: 5 criteria
5
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cda_lib.core.readable import ReadableTable, Sentences
from cda_lib.text.dates import format_list
from cda_lib.text.numbers import format_percent
from cda_lib.text.translation import N_, gettext as _, ngettext
from cda_lib.themes.invest.maturity import TeamAnswers, score

MET_LEVEL = 4  # level 4's anchor describes the criterion's evidence being in place
# The 2022 standard's thresholds, share of criteria met (civic-standards.md B1: Silver
# 51-67%, Gold 68-84%, Platinum 85% or more), highest first.
THRESHOLDS = (("platinum", 0.85), ("gold", 0.68), ("silver", 0.51))
ORDER = ("none", "silver", "gold", "platinum")
ALL_CRITERIA, PRACTICES = 43, 8  # the whole 2022 standard (B1)
TIER_WORDS = {"none": N_("no tier yet"), "silver": N_("Silver"), "gold": N_("Gold"),
              "platinum": N_("Platinum")}
APPROXIMATION = N_(
    "This is the workbook's approximation, not a certification. What Works Cities checks "
    "{all} criteria in {practices} practices against evidence (minutes, documents, web "
    "pages). Here a criterion counts as met when the team's average is 4 or more on every "
    "statement that stands for it, and the tier applies the 2022 standard's percentages "
    "(Silver 51% to 67%, Gold 68% to 84%, Platinum 85% or more) to the {of} criteria the "
    "questionnaire covers.")


def tier_for(share: float) -> str:
    """The tier a share of criteria met reaches: none, silver, gold or platinum."""
    for tier, threshold in THRESHOLDS:
        if share >= threshold - 1e-12:
            return tier
    return "none"


def points_for(tier: str, of: int) -> int:
    """The fewest criteria met, of ``of``, that reach ``tier``."""
    threshold = dict(THRESHOLDS)[tier]
    return math.ceil(threshold * of - 1e-9)


@dataclass(frozen=True)
class WwcEstimate:
    """The criteria met and not, the points, the tier and what the next tier needs.

    ``not_met`` holds each unmet criterion with the team's lowest average among its
    statements, closest to being met first.
    """

    met: tuple[str, ...]
    not_met: tuple[tuple[str, float], ...]
    lowest: dict[str, float]

    @property
    def points(self) -> int:
        return len(self.met)

    @property
    def of(self) -> int:
        return len(self.met) + len(self.not_met)

    @property
    def share(self) -> float:
        return self.points / self.of if self.of else 0.0

    @property
    def tier(self) -> str:
        return tier_for(self.share)

    @property
    def next_tier(self) -> str | None:
        index = ORDER.index(self.tier)
        return ORDER[index + 1] if index + 1 < len(ORDER) else None

    @property
    def needed(self) -> int:
        """How many more criteria the next tier needs (0 at the top)."""
        if self.next_tier is None:
            return 0
        return points_for(self.next_tier, self.of) - self.points

    def sentences(self) -> list[str]:
        """The points and tier in words, and what the next tier needs."""
        tier = self.tier
        said = [_("The answers meet {points} of the {of} What Works Cities criteria the "
                  "questionnaire covers ({share}): {tier}.", points=self.points, of=self.of,
                  share=format_percent(self.share), tier=_(TIER_WORDS[tier]))]
        if self.next_tier is None:
            said.append(_("That is the top tier: keep the practices up and gather the evidence "
                          "to show it."))
            return said
        closest = [name for name, _lowest in self.not_met[:self.needed]]
        said.append(ngettext(
            "{tier} needs {total} of {of}: {count} more criterion, such as {closest}.",
            "{tier} needs {total} of {of}: {count} more criteria, such as {closest}.",
            self.needed, tier=_(TIER_WORDS[self.next_tier]),
            total=points_for(self.next_tier, self.of), of=self.of,
            closest=format_list([_(name) for name in closest])))
        return said

    def summary(self) -> Sentences:
        """The sentences, the approximation note and the table of criteria."""
        return Sentences([*self.sentences(), _(APPROXIMATION, all=ALL_CRITERIA,
                                                 practices=PRACTICES, of=self.of)],
                         self.table())

    def table(self) -> ReadableTable:
        rows = [[(_(name), False), (score(self.lowest[name]), True),
                 (_("Met") if name in self.met else _("Not yet"), False)]
                for name in self.lowest]
        return ReadableTable([_("What Works Cities criterion"),
                              _("Lowest team average of its statements"), _("Met?")], rows,
                             caption=_("The criteria the questionnaire covers"))

    def __str__(self) -> str:
        return str(self.summary())

    __repr__ = __str__  # a page shows it in words, never as its fields

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()


def wwc_estimate(answers: TeamAnswers) -> WwcEstimate:
    """The What Works Cities criteria the team's answers meet, in the workbook's approximation.

    >>> import pandas as pd
    >>> from cda_lib.themes.invest.maturity import maturity_criteria
    >>> ids = maturity_criteria().ids()
    >>> table = pd.DataFrame({"member": ["Ana"] * 10, "statement": ids, "score": [4] * 10})
    >>> estimate = wwc_estimate(TeamAnswers(table, synthetic=False))
    >>> estimate.points, estimate.of, estimate.tier
    (7, 7, 'platinum')
    """
    means = answers.statement_means()
    lowest: dict[str, float] = {}
    for statement in answers.criteria.statements:
        if statement.wwc:
            value = float(means[statement.id])
            lowest[statement.wwc] = min(lowest.get(statement.wwc, value), value)
    met = tuple(name for name, value in lowest.items() if value >= MET_LEVEL)
    not_met = sorted(((name, value) for name, value in lowest.items() if value < MET_LEVEL),
                     key=lambda item: -item[1])  # stable: the file's order among equals
    return WwcEstimate(met, tuple(not_met), lowest)


# The criteria's names, for the catalogs (the questionnaire's `wwc:` values).
_CRITERIA_NAMES = (N_("Data governance"), N_("DG1 Comprehensive Data Inventory"),
                   N_("Improving Data Quality"), N_("Performance and Analytics"),
                   N_("Rigorous Evaluations"), N_("Open Data"), N_("Stakeholder Engagement"))
