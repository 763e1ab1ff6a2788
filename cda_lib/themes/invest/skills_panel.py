"""The skills matrix widget of page 2.3: each member rates themselves, the gaps follow.

Choose a team member from the menu and move their six sliders (1 aware to 4 expert): the
gaps against the roles and the train-or-hire comparison are worked out again at once, by
:mod:`cda_lib.themes.invest.skills` and :mod:`cda_lib.themes.invest.talent`; this module
only wires the controls to them, so it is tested without a browser.

On a static web page the sliders cannot move: the panel then shows the matrix and the gaps
as they stand, in tables and sentences, never a Python repr.

>>> import pandas as pd
>>> from cda_lib.synth.roster import TeamRoster
>>> table = pd.DataFrame([{"id": "m1", "name": "Ana", "role": "data-steward",
...     "tenure_years": 3.0, "salary": 70000, "strategy": 1, "analysis": 2,
...     "engineering": 1, "governance": 2, "quality": 3, "communication": 2}])
>>> panel = SkillsPanel(TeamRoster(table, "USD"))
>>> panel.gaps.levels_short()
1
>>> panel.sliders["governance"].value = 3
>>> panel.gaps.levels_short()
0
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from cda_lib.core.pages import render_fragment
from cda_lib.exercises.widgets import WithSnapshot
from cda_lib.synth.roster import Roles, TeamRoster, load_roles
from cda_lib.text.translation import N_, gettext as _
from cda_lib.themes.invest.skills import (
    SKILL_WORDS,
    SkillGaps,
    gaps_table,
    matrix_table,
    role_name,
    skill_gaps,
    with_ratings,
)
from cda_lib.themes.invest.talent import TalentCosts, TalentOptions, train_or_hire

WIDE = widgets.Layout(width="100%", max_width="760px")
STATIC_NOTE = N_("On this static page the sliders do not move: open the notebook in JupyterLab "
               "to rate each member's skills.")


class SkillsPanel(WithSnapshot, widgets.VBox):
    """A member menu, six skill sliders and the gaps for the ratings they show.

    ``roster`` is the team as rated now; ``gaps`` and ``options`` follow it; ``member`` is
    the menu, ``sliders`` one slider per skill, ``result`` the HTML under them.
    """

    def __init__(self, roster: TeamRoster, costs: TalentCosts | None = None,
                 roles: Roles | None = None, **kwargs: Any) -> None:
        self.roles = roles or load_roles()
        self.roster, self.costs = roster, costs
        style = {"description_width": "12em"}
        low, high = min(self.roles.levels), max(self.roles.levels)
        self.member = widgets.Dropdown(
            options=[(f"{m.name} ({role_name(m.role)})", m.id)
                     for m in roster.table.itertuples()],
            description=_("Team member"), style=style, layout=WIDE)
        self.sliders = {skill: widgets.IntSlider(min=low, max=high, step=1,
                                                 continuous_update=False,
                                                 description=_(SKILL_WORDS[skill]), style=style,
                                                 layout=WIDE)
                        for skill in self.roles.skills}
        self.result = widgets.HTML("", layout=WIDE)
        super().__init__([self.member, *self.sliders.values(), self.result], layout=WIDE,
                         **kwargs)
        self.add_class("cda-skills-panel")
        self._loading = False
        self.gaps: SkillGaps | None = None
        self.options: TalentOptions | None = None
        self.member.observe(lambda _change: self._show_member(), names="value")
        for slider in self.sliders.values():
            slider.observe(lambda _change: self._rated(), names="value")
        self._show_member()

    def _show_member(self) -> None:
        if not len(self.roster.table):
            self.refresh()
            return
        row = self.roster.table.set_index("id").loc[self.member.value]
        self._loading = True
        for skill, slider in self.sliders.items():
            slider.value = int(row[skill])
        self._loading = False
        self.refresh()

    def _rated(self) -> None:
        if self._loading or self.member.value is None:
            return
        self.roster = with_ratings(self.roster, self.member.value,
                                   {s: slider.value for s, slider in self.sliders.items()})
        self.refresh()

    def refresh(self) -> None:
        """Work out the gaps and the options for the ratings as they stand, and show them."""
        self.gaps = skill_gaps(self.roster, self.roles)
        self.options = train_or_hire(self.roster, self.costs, self.roles)
        self.result.value = self._results_html()

    def _results_html(self) -> str:
        tables = "".join(t._repr_html_() for t in (matrix_table(self.roster, self.roles),
                                                    gaps_table(self.gaps)))
        return render_fragment("pages/readable_sentences.html.j2",
                               sentences=self.gaps.sentences(), table=tables)

    def snapshot_html(self) -> str:
        """The matrix and the gaps as they stand, for a static page."""
        return render_fragment("pages/readable_sentences.html.j2",
                               sentences=[_(STATIC_NOTE)], table=self._results_html())

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle["text/plain"] = "\n".join([_(STATIC_NOTE), str(self.gaps)])
        return bundle
