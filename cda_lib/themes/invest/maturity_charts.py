"""Page 2.1's chart: the team's profile, with each member's average beside the team's.

One bar per component (the team's average, 1 to 5) and one dot per member: the dots' spread
is the disagreement the page asks the team to discuss. The title states the finding. A
fictional team's answers carry the SYNTHETIC DATA banner and a note saying so, whatever the
source of the city's service requests.

>>> import pandas as pd
>>> from cda_lib.themes.invest.maturity import TeamAnswers, maturity_criteria
>>> ids = maturity_criteria().ids()
>>> table = pd.DataFrame({"member": ["Ana"] * 10 + ["Ben"] * 10, "statement": ids * 2,
...                       "score": [2] * 10 + [4] * 10})
>>> chart = plot_maturity_profile(TeamAnswers(table, synthetic=True),
...                               context=ChartContext("Riverbend", synthetic=False))
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
from cda_lib.synth.investments import COMPONENTS
from cda_lib.text.translation import gettext as _, ngettext
from cda_lib.themes.invest.candidates import COMPONENT_WORDS
from cda_lib.themes.invest.maturity import (
    SYNTHETIC_NOTE,
    TeamAnswers,
    disagreement_title,
    strength_sentence,
)

TEAM_COLOUR = OKABE_ITO[5]  # blue bars: the team's average
MEMBER_COLOUR = OKABE_ITO[0]  # black dots: each member's average
MEMBER_STEP = 0.1  # the vertical gap between members' dots, in bar heights


def plot_maturity_profile(answers: TeamAnswers, *, context: ChartContext) -> Chart:
    """The team's average on each component, with a dot for each member's average."""
    if not isinstance(answers, TeamAnswers):
        raise ChartDataError(_("plot_maturity_profile needs the team's answers: "
                               "team_answers(data.city)."))
    team, members = answers.team_profile(), answers.member_profile()
    figure, ax = new_axes()
    positions = np.arange(len(COMPONENTS))[::-1]
    ax.barh(positions, [team[c] for c in COMPONENTS], color=TEAM_COLOUR, height=0.6, zorder=2)
    # Each member's dot a little above or below the next, so equal averages stay visible.
    offsets = (np.arange(len(members)) - (len(members) - 1) / 2) * MEMBER_STEP
    for position, component in zip(positions, COMPONENTS, strict=True):
        values = members[component].to_numpy()
        ax.scatter(values, position + offsets, s=24, color=MEMBER_COLOUR, zorder=3,
                   edgecolors="white", linewidths=0.6)
    ax.set_yticks(positions, [_(COMPONENT_WORDS[c]) for c in COMPONENTS])
    ax.set_xlim(0, 6.8)  # the 1-5 scale, and room on the right for the legend
    ax.set_xticks(range(6))
    ax.legend(handles=[Patch(color=TEAM_COLOUR, label=_("Team average")),
                       Line2D([], [], marker="o", linestyle="", color=MEMBER_COLOUR,
                              label=_("One member's average"))],
              loc="center right", frameon=False, fontsize=8)
    style_axes(ax, value_axis="x", xlabel=_("Average score (1 to 5)"),
               ylabel=_("Component of the data strategy"))
    if answers.synthetic:
        context = dataclasses.replace(context, synthetic=True,
                                      source_note=_(SYNTHETIC_NOTE, city=context.city_name))
    return finish_chart(
        figure, context=context, title=disagreement_title(answers),
        subtitle=ngettext("{city}: the team's data-maturity profile, {count} member",
                          "{city}: the team's data-maturity profile, {count} members",
                          len(answers.members), city=context.city_name),
        notes=[strength_sentence(answers)], panel_height=bar_panel_height(len(COMPONENTS)),
        description=_("Horizontal bar chart of the team's average score from 1 to 5 on each of "
                      "the five components of the data strategy, with a dot for each member's "
                      "average."))
