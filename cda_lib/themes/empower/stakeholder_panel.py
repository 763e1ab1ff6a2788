"""The placement widget of page 3.1: choose a stakeholder, set its two scores, see its quadrant.

The team rarely agrees at once on how much a union or a newspaper can shape the work: the
panel lets them move each stakeholder (a menu of the map's names, a slider for interest and
one for influence) and shows where it lands, how often it is then engaged and by whom.
:attr:`PlacementPanel.stakeholders` is the map as placed, which the page's plan, meeting and
record use. The logic is :mod:`cda_lib.themes.empower.stakeholders`'s; this module only wires
the widgets to it, so it is tested without a browser (set a value, read the result).

On a static web page the widgets cannot move: the panel then shows the map as placed, in
words, never a Python repr.

>>> import pandas as pd
>>> from cda_lib.themes.empower.stakeholders import StakeholderMap, with_quadrants
>>> table = with_quadrants(pd.DataFrame({"name": ["Council", "Tenants"], "group": ["council",
...     "residents"], "district": ["", ""], "interest": [5, 4], "influence": [5, 2]}))
>>> panel = PlacementPanel(StakeholderMap(table, True, "Riverbend"))
>>> panel.menu.value = "Tenants"
>>> panel.influence.value = 4
>>> panel.stakeholders.in_quadrant("manage_closely")
['Council', 'Tenants']
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from cda_lib.core.pages import render_fragment
from cda_lib.sources.stakeholders import SCORES
from cda_lib.text.translation import N_, gettext as _
from cda_lib.themes.empower.stakeholders import PLAN, QUADRANT_WORDS, StakeholderMap, quadrant

WIDE = widgets.Layout(width="100%", max_width="760px")
STATIC_NOTE = N_("On this static page the menu and sliders do not move: open the notebook in "
                 "JupyterLab to place the stakeholders.")


class PlacementPanel(widgets.VBox):
    """A menu of the map's stakeholders, a slider for each score and where it lands."""

    def __init__(self, stakeholders: StakeholderMap, **kwargs: Any) -> None:
        self.start = stakeholders
        self.scores = {row.name: (int(row.interest), int(row.influence))
                       for row in stakeholders.table.itertuples()}
        names = list(self.scores)
        style = {"description_width": "9em"}
        self.menu = widgets.Dropdown(options=names, value=names[0] if names else None,
                                     description=_("Stakeholder"), style=style, layout=WIDE)
        first = self.scores.get(self.menu.value, (SCORES[0], SCORES[0]))
        self.interest = widgets.IntSlider(value=first[0], min=SCORES[0], max=SCORES[1],
                                          description=_("Interest"), style=style, layout=WIDE,
                                          continuous_update=False)
        self.influence = widgets.IntSlider(value=first[1], min=SCORES[0], max=SCORES[1],
                                           description=_("Influence"), style=style,
                                           layout=WIDE, continuous_update=False)
        self.result = widgets.HTML("", layout=WIDE)
        super().__init__([self.menu, self.interest, self.influence, self.result], layout=WIDE,
                         **kwargs)
        self.add_class("cda-placement-panel")
        self._moving = False
        self.menu.observe(lambda _change: self._show_chosen(), names="value")
        self.interest.observe(lambda _change: self._place(), names="value")
        self.influence.observe(lambda _change: self._place(), names="value")
        self.refresh()

    @property
    def stakeholders(self) -> StakeholderMap:
        """The map with every score as placed."""
        table = self.start.table.copy()
        table["interest"] = [self.scores[name][0] for name in table["name"]]
        table["influence"] = [self.scores[name][1] for name in table["name"]]
        return self.start.placed(table)

    def _show_chosen(self) -> None:
        self._moving = True
        self.interest.value, self.influence.value = self.scores[self.menu.value]
        self._moving = False
        self.refresh()

    def _place(self) -> None:
        if self._moving or self.menu.value is None:
            return
        self.scores[self.menu.value] = (self.interest.value, self.influence.value)
        self.refresh()

    def where(self) -> str:
        """Where the chosen stakeholder lands, and what that means for it."""
        if self.menu.value is None:
            return _("There is no stakeholder to place: the map is empty.")
        interest, influence = self.scores[self.menu.value]
        name = quadrant(interest=interest, influence=influence)
        cadence, owner, _form = PLAN[name]
        return _("{stakeholder} (interest {interest}, influence {influence}) is to {quadrant}: "
                 "{cadence}; owner: {owner}.", stakeholder=self.menu.value, interest=interest,
                 influence=influence, quadrant=_(QUADRANT_WORDS[name]).lower(),
                 cadence=_(cadence).lower(), owner=_(owner).lower())

    def _sentences(self) -> list[str]:
        return [self.where(), *self.stakeholders.summary().sentences]

    def refresh(self) -> None:
        self.result.value = render_fragment("pages/readable_sentences.html.j2",
                                            sentences=self._sentences(), table=None)

    def snapshot_text(self) -> str:
        return "\n".join([_(STATIC_NOTE), *self.stakeholders.summary().sentences])

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data["text/plain"] = self.snapshot_text()
        data["text/html"] = render_fragment(
            "pages/readable_sentences.html.j2",
            sentences=[_(STATIC_NOTE), *self.stakeholders.summary().sentences],
            table=None)
        return bundle
