"""Page 2.4's charts: the best portfolio against the ranking, and how firm each choice is.

The house style of :mod:`cda_lib.charts.style`: a title computed from the result that
states the finding, labelled axes, the Okabe–Ito palette, alt text, and the SYNTHETIC
DATA banner. The candidates are fictional for every city (real service data or not), so
each chart carries the banner and the note saying so, whatever ``context`` says about the
city's requests. Colour is never the only cue: the ranking's choices are marked with a
diamond, and each bar is labelled.

>>> import pandas as pd
>>> from cda_lib.synth.investments import CandidateInvestments
>>> from cda_lib.themes.invest.portfolio import best_portfolio, fund_down_the_ranking
>>> table = pd.DataFrame({"id": ["governance-board", "data-inventory", "quality-audit"],
...     "name": ["Board", "Inventory", "Audit"], "kind": ["practice"] * 3, "cost": [60, 50, 50],
...     "governance": [5, 4, 4], "quality": [5, 4, 4], "use": [5, 4, 4], "capacity": [5, 4, 4],
...     "transparency": [5, 4, 4], "risk": ["low"] * 3})
>>> candidates = CandidateInvestments(table, "USD", 100, 0)
>>> weights = dict.fromkeys(["governance", "quality", "use", "capacity", "transparency"], 1)
>>> chart = plot_portfolio(best_portfolio(candidates, weights),
...                        fund_down_the_ranking(candidates, weights),
...                        context=ChartContext("Riverbend", synthetic=False))
>>> chart.title
'With the same budget, the best portfolio scores 8.0 points; funding down the ranking, 5.0'
>>> chart.alt_text.startswith("Synthetic data.")
True
"""

from __future__ import annotations

import dataclasses

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from cda_lib.charts.style import (
    OKABE_ITO,
    Chart,
    ChartContext,
    bar_panel_height,
    finish_chart,
    new_axes,
    style_axes,
)
from cda_lib.core.errors import ChartDataError
from cda_lib.text.numbers import format_money, format_number
from cda_lib.text.translation import N_, gettext as _, ngettext
from cda_lib.themes.invest.candidates import FICTIONAL_NOTE
from cda_lib.themes.invest.portfolio import SHOWN_DECIMALS, Portfolio, points
from cda_lib.themes.invest.sensitivity import (
    ALWAYS,
    CASES,
    COMES_IN,
    NEVER,
    SOMETIMES_IN,
    STATUS_WORDS,
    Sensitivity,
)

FUNDED_COLOUR = OKABE_ITO[5]  # blue: funded by the best portfolio
NOT_FUNDED_COLOUR = "#BBBBBB"  # grey: not funded
RANKING_MARK = OKABE_ITO[0]  # black diamonds: what funding down the ranking pays for
STATUS_COLOURS = {ALWAYS: OKABE_ITO[5], SOMETIMES_IN: OKABE_ITO[1], COMES_IN: OKABE_ITO[2],
                  NEVER: NOT_FUNDED_COLOUR}
RANKING_NOTE = N_("A diamond marks what funding down the ranking pays for: from the top, each "
                  "candidate that still fits the money left.")


def _fictional(context: ChartContext, currency: str) -> ChartContext:
    """The chart's context with the synthetic banner on, and the candidates' own source note:
    they are made up for every city, whatever the source of its service requests."""
    return dataclasses.replace(context, synthetic=True,
                               source_note=_(FICTIONAL_NOTE, city=context.city_name,
                                             currency=currency))


def plot_portfolio(best: Portfolio, ranked: Portfolio, *, context: ChartContext) -> Chart:
    """Each candidate's weighted score in ranking order: blue when the best portfolio funds
    it, a diamond when funding down the ranking would, its cost beside the bar."""
    if not isinstance(best, Portfolio) or not isinstance(ranked, Portfolio):
        raise ChartDataError(_("plot_portfolio needs two portfolios: best_portfolio(...) and "
                               "fund_down_the_ranking(...), with the same candidates."))
    scores = best.scores
    figure, ax = new_axes()
    positions = np.arange(len(scores))[::-1]
    funded = scores["id"].isin(best.chosen).to_numpy()
    colours = [FUNDED_COLOUR if f else NOT_FUNDED_COLOUR for f in funded]
    bars = ax.barh(positions, scores["score"], color=colours, height=0.65, zorder=2)
    ax.bar_label(bars, labels=[format_money(cost, best.currency) for cost in scores["cost"]],
                 padding=14, fontsize=8, color="#444444")
    by_ranking = scores["id"].isin(ranked.chosen).to_numpy()
    ax.scatter(scores["score"].to_numpy()[by_ranking] + 0.08, positions[by_ranking],
               marker="D", s=28, color=RANKING_MARK, zorder=3)
    ax.set_yticks(positions, [f"{rank}. {name}" for rank, name in
                              zip(scores["rank"], scores["name"], strict=True)])
    ax.set_xlim(0, 5.9)  # the 0-5 score scale, and room for the costs
    ax.set_xticks(range(6))
    ax.legend(handles=[Patch(color=FUNDED_COLOUR, label=_("In the best portfolio")),
                       Patch(color=NOT_FUNDED_COLOUR, label=_("Not funded")),
                       Line2D([], [], marker="D", linestyle="", color=RANKING_MARK,
                              label=_("Funded by going down the ranking"))],
              loc="lower right", frameon=False, fontsize=8)
    style_axes(ax, value_axis="x", xlabel=_("Weighted score (0 to 5)"),
               ylabel=_("Candidate, in ranking order"))
    same = set(best.chosen) == set(ranked.chosen)
    if same:
        title = _("Here funding down the ranking gives the best portfolio: {score}",
                  score=points(best.total_score))
    else:
        title = _("With the same budget, the best portfolio scores {best}; funding down the "
                  "ranking, {ranked}", best=points(best.total_score),
                  ranked=format_number(ranked.total_score, SHOWN_DECIMALS))
    notes = [_(RANKING_NOTE)]
    return finish_chart(
        figure, context=_fictional(context, best.currency), title=title,
        subtitle=ngettext(
            "{city}: {count} candidates by weighted score; budget {budget}, at most "
            "{limit} high-risk investment", "{city}: {count} candidates by weighted score; "
            "budget {budget}, at most {limit} high-risk investments", best.high_risk_limit,
            city=context.city_name, count=len(scores), budget=best.money(best.budget),
            limit=best.high_risk_limit),
        notes=notes, panel_height=bar_panel_height(len(scores)),
        description=_("Horizontal bar chart of the weighted score of each of {city}'s {count} "
                      "candidate investments, in ranking order, with the ones the best "
                      "portfolio funds in blue and the ones funding down the ranking would "
                      "pay for marked with a diamond.", city=context.city_name,
                      count=len(scores)))


def plot_stability(result: Sensitivity, *, context: ChartContext) -> Chart:
    """In how many of the ten cases (each weight 20% up or down) each candidate is chosen,
    coloured by its place: always chosen, chosen but not always, comes in, never."""
    if not isinstance(result, Sensitivity):
        raise ChartDataError(_("plot_stability needs the result of weight_sensitivity(...)."))
    base = result.base
    times, status = result.times_chosen(), result.status()
    ids = list(base.scores["id"])
    figure, ax = new_axes()
    positions = np.arange(len(ids))[::-1]
    values = [times[i] for i in ids]
    bars = ax.barh(positions, values, color=[STATUS_COLOURS[status[i]] for i in ids],
                   height=0.65, zorder=2)
    ax.bar_label(bars, labels=[_("{count} of {cases}", count=times[i], cases=CASES)
                               for i in ids], padding=3, fontsize=8)
    ax.set_yticks(positions, list(base.scores["name"]))
    ax.set_xlim(0, CASES + 2.2)
    ax.set_xticks(range(CASES + 1))
    shown = [s for s in (ALWAYS, SOMETIMES_IN, COMES_IN, NEVER) if s in status.values()]
    ax.legend(handles=[Patch(color=STATUS_COLOURS[s], label=_(STATUS_WORDS[s])) for s in shown],
              loc="upper left", bbox_to_anchor=(0, -0.12), frameon=False, fontsize=8)
    style_axes(ax, value_axis="x",
               xlabel=_("Cases in which it is chosen (each weight 20% up or down: 10 cases)"),
               ylabel=_("Candidate, in ranking order"))
    count, core = len(base.chosen), len(result.always_chosen)
    if not result.changed:
        title = ngettext("The best portfolio holds whichever weight moves 20%: {count} "
                         "investment, chosen in every case",
                         "The best portfolio holds whichever weight moves 20%: {count} "
                         "investments, chosen in every case", count)
    elif core:
        title = ngettext("{count} of the {chosen} chosen investments stays chosen whichever "
                         "weight moves 20%",
                         "{count} of the {chosen} chosen investments stay chosen whichever "
                         "weight moves 20%", core, chosen=count)
    else:
        title = _("No chosen investment stays chosen whichever weight moves 20%")
    return finish_chart(
        figure, context=_fictional(context, base.currency), title=title,
        subtitle=_("{city}: each of the five weights moved 20% up and 20% down, one at a time, "
                   "and the best portfolio found again", city=context.city_name),
        notes=[result.summary()], panel_height=bar_panel_height(len(ids)) + 0.2 * len(shown) + 0.4,
        description=_("Horizontal bar chart of how many of the 10 cases, each weight moved 20% "
                      "up or down, choose each of {city}'s {count} candidate investments, "
                      "coloured by whether the best portfolio funds it.",
                      city=context.city_name, count=len(ids)))
