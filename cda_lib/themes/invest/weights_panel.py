"""The weights widget of page 2.4: five sliders, and the best portfolio as they move.

The team gives each component of the data strategy a weight from 0 (does not matter now)
to 5 (matters most); the panel shows, at once, the best portfolio under the budget, what
funding down the ranking would give instead, and the whole ranking with a tick for what
is funded. The logic is :mod:`cda_lib.themes.invest.portfolio`'s; this module only wires
the sliders to it, so it is tested without a browser (set a slider's value, read the
result).

On a static web page the sliders cannot move: the panel then shows a snapshot of its
weights and results, in words and tables, never a Python repr.

>>> import pandas as pd
>>> from cda_lib.synth.investments import CandidateInvestments
>>> table = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": ["people"] * 2,
...     "cost": [50, 50], "governance": [5, 0], "quality": [0, 5], "use": [0, 0],
...     "capacity": [0, 0], "transparency": [0, 0], "risk": ["low"] * 2})
>>> panel = WeightsPanel(CandidateInvestments(table, "USD", 50, 0))
>>> panel.best.chosen
('a',)
>>> panel.sliders["quality"].value = 5
>>> panel.best.chosen
('b',)
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from cda_lib.core.pages import render_fragment
from cda_lib.synth.investments import COMPONENTS, CandidateInvestments
from cda_lib.text.translation import gettext as _
from cda_lib.themes.invest.candidates import COMPONENT_WORDS
from cda_lib.themes.invest.portfolio import (
    DEFAULT_HIGH_RISK_LIMIT,
    DEFAULT_WEIGHTS,
    WEIGHT_RANGE,
    Portfolio,
    PortfolioError,
    best_portfolio,
    check_weights,
    compare_with_ranking,
    fund_down_the_ranking,
    ranking_table,
    weights_sentence,
)

WIDE = widgets.Layout(width="100%", max_width="760px")


def _slider_value(component: str, value: float) -> int:
    if not float(value).is_integer() or not WEIGHT_RANGE[0] <= value <= WEIGHT_RANGE[1]:
        raise PortfolioError(_(
            "The sliders take whole weights from {low} to {high}, but the weight of {component} "
            "is {value}. Write a whole number from {low} to {high} at the top of the page.",
            low=WEIGHT_RANGE[0], high=WEIGHT_RANGE[1], component=component, value=repr(value)))
    return int(value)


class WeightsPanel(widgets.VBox):
    """Five weight sliders and the best portfolio for the weights they show.

    ``sliders`` holds one slider per component; ``weights`` their values now; ``best`` and
    ``ranked`` the portfolios for them; ``result`` the HTML the panel shows under the
    sliders. ``budget`` None is the candidates' illustrative budget.
    """

    def __init__(self, candidates: CandidateInvestments, weights: dict | None = None, *,
                 budget: float | None = None,
                 high_risk_limit: int = DEFAULT_HIGH_RISK_LIMIT, **kwargs: Any) -> None:
        start = check_weights(DEFAULT_WEIGHTS if weights is None else weights)
        style = {"description_width": "9em"}
        self.sliders = {
            component: widgets.IntSlider(
                value=_slider_value(component, start[component]), min=WEIGHT_RANGE[0],
                max=WEIGHT_RANGE[1], step=1, continuous_update=False,
                description=_(COMPONENT_WORDS[component]), style=style, layout=WIDE)
            for component in COMPONENTS}
        self.candidates = candidates
        self.budget = budget
        self.high_risk_limit = high_risk_limit
        self.result = widgets.HTML("", layout=WIDE)
        super().__init__([*self.sliders.values(), self.result], layout=WIDE, **kwargs)
        self.add_class("cda-weights-panel")
        for slider in self.sliders.values():
            slider.observe(lambda _change: self.refresh(), names="value")
        self.best: Portfolio | None = None
        self.ranked: Portfolio | None = None
        self.refresh()

    @property
    def weights(self) -> dict[str, int]:
        """The weights the sliders show now."""
        return {component: slider.value for component, slider in self.sliders.items()}

    def refresh(self) -> None:
        """Find the best portfolio for the sliders' weights and show it (or why not)."""
        try:
            self.best = best_portfolio(self.candidates, self.weights, budget=self.budget,
                                       high_risk_limit=self.high_risk_limit)
            self.ranked = fund_down_the_ranking(self.candidates, self.weights,
                                                budget=self.budget,
                                                high_risk_limit=self.high_risk_limit)
        except PortfolioError as problem:  # every weight at 0
            self.best = self.ranked = None
            self.result.value = render_fragment("pages/readable_sentences.html.j2",
                                                sentences=[str(problem)], table=None)
            return
        self.result.value = self._results_html()

    def _sentences(self) -> list[str]:
        if self.best is None or self.ranked is None:
            return []
        return [_("Weights: {weights}.", weights=weights_sentence(self.weights)),
                self.best.summary(), *compare_with_ranking(self.best, self.ranked).sentences]

    def _results_html(self) -> str:
        table = ranking_table(self.best)._repr_html_() if self.best is not None else None
        return render_fragment("pages/readable_sentences.html.j2", sentences=self._sentences(),
                               table=table)

    def snapshot_text(self) -> str:
        """The panel in words, for a static page: its weights and results."""
        lines = [_("On this static page the sliders do not move: open the notebook in "
                   "JupyterLab to set the weights."), *self._sentences()]
        if self.best is not None:
            lines.append(str(ranking_table(self.best)))
        return "\n".join(lines)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data["text/plain"] = self.snapshot_text()
        data["text/html"] = render_fragment(
            "pages/readable_sentences.html.j2",
            sentences=[_("On this static page the sliders do not move: open the notebook in "
                         "JupyterLab to set the weights.")], table=self._results_html())
        return bundle

