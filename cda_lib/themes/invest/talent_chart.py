"""Page 2.3's chart: train or hire, gap by gap, in months to capability with the cost beside.

The house style of :mod:`cda_lib.charts.style`: a title computed from the options that
states the finding, labelled axes, the Okabe–Ito palette, alt text and the SYNTHETIC DATA
banner (the team is fictional for every city, whatever its requests' source). Each gap has
two bars, training (orange) and hiring (blue), each labelled with what it costs, so colour
is never the only cue: the bars are also labelled in the legend and in the table below.
"""

from __future__ import annotations

import dataclasses

import numpy as np
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
from cda_lib.text.translation import gettext as _, ngettext
from cda_lib.themes.invest.skills import SYNTHETIC_TEAM, role_name
from cda_lib.themes.invest.talent import KIND_WORDS, TalentOptions

TRAIN_COLOUR = OKABE_ITO[1]  # orange: training someone on the team
HIRE_COLOUR = OKABE_ITO[5]  # blue: hiring


def plot_train_or_hire(options: TalentOptions, *, context: ChartContext) -> Chart:
    """Months to capability for each gap, by training and by hiring, each bar labelled
    with its cost (training once; hiring a year)."""
    if not isinstance(options, TalentOptions):
        raise ChartDataError(_("plot_train_or_hire needs the result of train_or_hire(...)."))
    table, money = options.table, options.costs.money
    figure, ax = new_axes()
    positions = np.arange(len(table))[::-1] * 1.0
    trained = table["train_months"].fillna(0).to_numpy(dtype=float)
    hired = table["hire_months"].to_numpy(dtype=float)
    train_bars = ax.barh(positions + 0.2, trained, height=0.38, color=TRAIN_COLOUR, zorder=2)
    hire_bars = ax.barh(positions - 0.2, hired, height=0.38, color=HIRE_COLOUR, zorder=2)
    ax.bar_label(train_bars, labels=[money(c) if m else _("nobody to train") for c, m in
                                     zip(table["train_cost"].fillna(0), trained, strict=True)],
                 padding=3, fontsize=8)
    ax.bar_label(hire_bars, labels=[_("{cost} a year", cost=money(c))
                                    for c in table["hire_cost"]], padding=3, fontsize=8)
    ax.set_yticks(positions, [f"{role_name(r)}: {_(KIND_WORDS[k]).lower()}"
                              for r, k in zip(table["role"], table["kind"], strict=True)])
    ax.set_xlim(0, max([*trained, *hired, 1]) * 1.6)
    ax.legend(handles=[Patch(color=TRAIN_COLOUR, label=_("Train someone on the team")),
                       Patch(color=HIRE_COLOUR, label=_("Hire"))],
              loc="lower right", frameon=False, fontsize=8)
    style_axes(ax, value_axis="x", xlabel=_("Months to capability"), ylabel=_("Gap"))
    count, total = options.count("train"), len(table)
    if not total:
        title = _("The team has no gaps to close against these roles")
    elif count:
        title = ngettext("Training is cheaper and no slower than hiring for {count} of the "
                         "{total} gaps", "Training is cheaper and no slower than hiring for "
                         "{count} of the {total} gaps", count, total=total)
    else:
        title = ngettext("Training is not both cheaper and faster for the team's {count} gap",
                         "Training is not both cheaper and faster for any of the team's "
                         "{count} gaps", total)
    synthetic = dataclasses.replace(
        context, synthetic=True,
        source_note=_(SYNTHETIC_TEAM, count=len(options.gaps.roster.table),
                      city=context.city_name))
    return finish_chart(
        figure, context=synthetic, title=title,
        subtitle=_("{city}: months until the gap is closed, training (once) or hiring (a "
                   "year's salary); costs in {currency}", city=context.city_name,
                   currency=options.costs.currency),
        notes=options.costs.notes(), panel_height=bar_panel_height(max(total, 1) * 2),
        description=_("Horizontal bar chart of {city}'s {count} gaps in its data team, each "
                      "with the months training and hiring take to close it, labelled with "
                      "their costs.", city=context.city_name, count=total))
