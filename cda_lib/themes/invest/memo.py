"""The one-page investment memo for the budget office, and what page 2.4 records.

:func:`investment_memo` gathers what the page found (the best portfolio, what funding down
the ranking would give, how firm each choice is when the weights move) into a memo in the
page's language: a recommendation with its figures, a table of what to fund, why these
and not the top of the ranking, how firm the choice is, what is left out, and the method
and sources. :func:`write_memo` writes it as a page that opens in any browser and prints
on one sheet (``build/<city>/investment_memo/``, next to the workspace);
:func:`record_memo` keeps the weights, the portfolio and the memo's figures in the city's
workspace, where the capstone's Citywide Data Strategy reads them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cda_lib.charts.style import SYNTHETIC_LABEL
from cda_lib.core import paths
from cda_lib.core.files import write_text_atomically
from cda_lib.core.pages import render_fragment, render_page
from cda_lib.core.readable import ReadableTable, Sentences
from cda_lib.core.workspace import Workspace
from cda_lib.synth.investments import CandidateInvestments
from cda_lib.text.numbers import format_money, format_number
from cda_lib.text.translation import gettext as _, ngettext
from cda_lib.themes.invest.candidates import (
    GOVEX_CREDIT,
    KIND_WORDS,
    RISK_WORDS,
    fictional_note,
)
from cda_lib.themes.invest.portfolio import (
    SHOWN_DECIMALS,
    Portfolio,
    compare_with_ranking,
    weight_shares,
    weights_sentence,
)
from cda_lib.themes.invest.sensitivity import CASES, Sensitivity

MEMO_FOLDER = "investment_memo"  # in build/<city>/, beside the workspace folder
MEMO_FILE = "investment_memo.html"
MODULE = "2.4"


@dataclass(frozen=True)
class InvestmentMemo:
    """What the memo says: the portfolios and the sensitivity it is written from."""

    city_name: str
    best: Portfolio
    ranked: Portfolio
    sensitivity: Sensitivity
    candidates: CandidateInvestments

    @property
    def title(self) -> str:
        return _("Investment memo: data investments for {city}", city=self.city_name)

    @property
    def headline(self) -> str:
        """The recommendation in one sentence."""
        return self.best.summary()

    def funded_table(self) -> ReadableTable:
        """What to fund: each investment, its kind, cost, score, risk and how firm it is."""
        status = self.sensitivity.status()
        rows = []
        for row in self.best.funded.itertuples():
            firm = (_("Yes, in all {cases} cases", cases=CASES) if status[row.id] == "always"
                    else _("Depends on the weights"))
            rows.append([(row.name, False), (_(KIND_WORDS[row.kind]), False),
                         (format_money(row.cost, self.best.currency), True),
                         (format_number(row.score, SHOWN_DECIMALS + 1), True),
                         (_(RISK_WORDS[row.risk]), False), (firm, False)])
        rows.append([(_("Total"), False), ("", False),
                     (format_money(self.best.spent, self.best.currency), True),
                     (format_number(self.best.total_score, SHOWN_DECIMALS + 1), True),
                     ("", False), ("", False)])
        return ReadableTable([_("Investment"), _("Kind"), _("Cost"), _("Weighted score"),
                              _("Risk"), _("Holds when a weight moves 20%")], rows)

    def not_funded(self) -> list[str]:
        return [_("{name}: {cost}, weighted score {score}", name=row.name,
                  cost=format_money(row.cost, self.best.currency),
                  score=format_number(row.score, SHOWN_DECIMALS + 1))
                for row in self.best.not_funded.itertuples()]

    def method(self) -> list[str]:
        best = self.best
        count = len(best.scores)
        return [
            ngettext("Every one of the {sets:,} possible sets of the {count} candidates was "
                     "checked: the best has the highest total weighted score (the sum of each "
                     "investment's weighted score, 0 to 5) whose cost fits the budget, with at "
                     "most {limit} high-risk investment.",
                     "Every one of the {sets:,} possible sets of the {count} candidates was "
                     "checked: the best has the highest total weighted score (the sum of each "
                     "investment's weighted score, 0 to 5) whose cost fits the budget, with at "
                     "most {limit} high-risk investments.", best.high_risk_limit,
                     sets=best.searched, count=count, limit=best.high_risk_limit),
            _("The five components are the Citywide Data Strategy's: governance, quality, use, "
              "capacity and transparency. The candidates draw on the What Works Cities "
              "Certification criteria and the GovEx guides."),
            _(GOVEX_CREDIT),
            fictional_note(self.candidates, self.city_name),
        ]

    def body(self) -> str:
        """The memo as HTML, for the notebook and inside its page."""
        return render_fragment(
            "pages/investment_memo_body.html.j2", synthetic_label=_(SYNTHETIC_LABEL),
            title=self.title,
            to_line=_("To: the budget office. From: the data and AI team, with the City Data "
                      "Alliance Workbook (page 2.4)."),
            recommendation=self.headline, funded=self.funded_table(),
            weights=_("The weights the team set: {weights}.",
                      weights=weights_sentence(self.best.weights)),
            comparison=" ".join(compare_with_ranking(self.best, self.ranked).sentences),
            firmness=self.sensitivity.summary(), not_funded=self.not_funded(),
            method=self.method())

    def page(self) -> str:
        return render_page("pages/investment_memo.html.j2", title=self.title, body=self.body())

    def _repr_html_(self) -> str:
        return self.body()

    def __str__(self) -> str:
        return "\n".join([self.title, self.headline, str(self.funded_table()),
                          self.sensitivity.summary()])

    __repr__ = __str__


def investment_memo(city_name: str, best: Portfolio, ranked: Portfolio,
                    sensitivity: Sensitivity, candidates: CandidateInvestments) -> InvestmentMemo:
    """The memo for the budget office, from what page 2.4 found."""
    return InvestmentMemo(city_name, best, ranked, sensitivity, candidates)


def memo_path(city_id: str) -> Path:
    """Where the memo's page goes: ``build/<city>/investment_memo/investment_memo.html``."""
    return paths.build_dir() / city_id / MEMO_FOLDER / MEMO_FILE


def write_memo(memo: InvestmentMemo, city_id: str) -> Path:
    """Write the memo's page into the city's build folder and return its path."""
    path = memo_path(city_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(path, memo.page())
    return path


@dataclass(frozen=True)
class MemoLink:
    """A link to the memo's page, relative to where the notebook runs."""

    path: Path
    href: str

    def __str__(self) -> str:
        return _("Open the investment memo: {path}", path=str(self.path))

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return (f'<p><a href="{html.escape(self.href, quote=True)}" target="_blank">'
                f"{html.escape(_('Open the investment memo'))}</a></p>")


def memo_link(path: str | Path, start: str | Path | None = None) -> MemoLink:
    """A link to ``path`` from ``start`` (default: the folder the notebook runs in).

    >>> memo_link("/w/build/riverbend/investment_memo/m.html", start="/w/build/riverbend/02").href
    '../investment_memo/m.html'
    """
    return MemoLink(Path(path), paths.link_href(path, start))


def memo_record(memo: InvestmentMemo, path: Path | None = None) -> dict[str, Any]:
    """The memo's figures as plain values, for the workspace."""
    best = memo.best
    return {
        "budget": best.budget, "currency": best.currency, "spent": best.spent,
        "total_score": best.total_score, "funded": len(best.chosen),
        "candidates": len(best.scores), "ranking_total_score": memo.ranked.total_score,
        "always_chosen": len(memo.sensitivity.always_chosen),
        "cases_changed": memo.sensitivity.changed, "high_risk_limit": best.high_risk_limit,
        "headline": memo.headline, "page": None if path is None else _from_build(path),
    }


def record_memo(workspace: Workspace, memo: InvestmentMemo,
                path: Path | None = None) -> Sentences:
    """Record the weights, the funded portfolio and the memo's figures; say what was kept."""
    best, status = memo.best, memo.sensitivity.status()
    workspace.record("investment_weights", weight_shares(best.weights), module=MODULE)
    workspace.record("investment_portfolio", [
        {"id": row.id, "name": row.name, "kind": row.kind, "cost": float(row.cost),
         "score": float(row.score), "risk": row.risk,
         "always_chosen": status[row.id] == "always"}
        for row in best.funded.itertuples()], module=MODULE)
    workspace.record("investment_memo", memo_record(memo, path), module=MODULE)
    return Sentences([ngettext(
        "Recorded in {city}'s workspace, for the capstone's Citywide Data Strategy: the weights, "
        "the {count} investment of the best portfolio and the memo's figures.",
        "Recorded in {city}'s workspace, for the capstone's Citywide Data Strategy: the weights, "
        "the {count} investments of the best portfolio and the memo's figures.",
        len(best.chosen), city=memo.city_name)])


def _from_build(path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(paths.build_dir().resolve()).as_posix()
    except ValueError:
        return str(path)
