"""Page 3.1's chart: the power/interest grid, every stakeholder labelled where it sits.

Interest runs along the bottom and influence up the side, each from 1 to 5; the lines at
3.5 split the grid into its four quadrants (:data:`cda_lib.themes.empower.stakeholders.HIGH`
is 4), each tinted and named in its corner. Stakeholders with the same two scores are
stacked in their cell, each with its name beside its dot (direct labels, no legend); the
dots take the quadrant's colour from the Okabe–Ito palette and every name stays in dark
ink, so colour is never the only cue. A synthetic list carries the SYNTHETIC DATA banner;
the title states how many are to be managed closely.

>>> import pandas as pd
>>> from cda_lib.themes.empower.stakeholders import StakeholderMap, with_quadrants
>>> table = with_quadrants(pd.DataFrame({"name": ["Council", "Tenants"], "group": ["council",
...     "residents"], "district": ["", ""], "interest": [5, 4], "influence": [5, 2]}))
>>> chart = plot_stakeholder_grid(StakeholderMap(table, True, "Riverbend"),
...                               context=ChartContext("Riverbend", synthetic=False))
>>> chart.title
'1 of 2 stakeholders is to be managed closely: Council'
>>> chart.alt_text.startswith("Synthetic data.")
True
"""

from __future__ import annotations

import dataclasses
import textwrap

from matplotlib.patches import Rectangle

from cda_lib.charts.style import OKABE_ITO, Chart, ChartContext, finish_chart, new_axes, style_axes
from cda_lib.core.errors import ChartDataError
from cda_lib.text.dates import format_list
from cda_lib.text.translation import gettext as _, ngettext
from cda_lib.themes.empower.stakeholders import (
    HIGH,
    QUADRANT_WORDS,
    SYNTHETIC_NOTE,
    StakeholderMap,
)

QUADRANT_COLOURS = {"manage_closely": OKABE_ITO[6], "keep_satisfied": OKABE_ITO[5],
                    "keep_informed": OKABE_ITO[3], "monitor": "#666666"}
QUADRANT_INK = "#333333"  # quadrant names in dark ink, 12:1 on the tints; colour marks the dots
TINT_ALPHA = 0.08  # a light wash: the quadrant shows, the labels keep their contrast
LABEL_WIDTH = 24  # characters a label wraps at: about one square of the grid, in 7-point type
LINE_UNITS = 0.115  # one 7-point line of a label, in score units on the 5.2-inch grid
NAMED_AT_MOST = 4  # names listed in the title; more are counted


def _label(name: str) -> str:
    return textwrap.fill(textwrap.shorten(str(name), 2 * LABEL_WIDTH, placeholder="…"),
                         LABEL_WIDTH)


def _cells(table):
    """Each stakeholder's offset within its square, so that those with the same scores stack
    without their (wrapped) names running into each other."""
    offsets = {}
    for (_i, _f), group in table.groupby(["interest", "influence"], sort=False):
        count = len(group)
        lines = max(_label(name).count("\n") + 1 for name in group["name"])
        step = lines * LINE_UNITS + 0.05
        if count > 1:
            step = min(step, 0.9 / (count - 1))  # the stack stays inside its square
        for rank, index in enumerate(group.index):
            offsets[index] = (count - 1) * step / 2 - rank * step
    return offsets


def _title(stakeholders: StakeholderMap) -> str:
    total = len(stakeholders.table)
    closely = stakeholders.in_quadrant("manage_closely")
    if not closely:
        return ngettext("None of the {count} stakeholder is to be managed closely yet",
                        "None of the {count} stakeholders is to be managed closely yet", total)
    shown = closely[:NAMED_AT_MOST]
    names = format_list(shown) if len(closely) <= NAMED_AT_MOST else _(
        "{names} and {more} more", names=", ".join(shown), more=len(closely) - len(shown))
    return ngettext("{count} of {total} stakeholders is to be managed closely: {names}",
                    "{count} of {total} stakeholders are to be managed closely: {names}",
                    len(closely), total=total, names=names)


def plot_stakeholder_grid(stakeholders: StakeholderMap, *, context: ChartContext) -> Chart:
    """The power/interest grid of the city's stakeholders, each named beside its dot."""
    if not isinstance(stakeholders, StakeholderMap) or not len(stakeholders.table):
        raise ChartDataError(_("There is no stakeholder to place: the map is empty."))
    table = stakeholders.table
    figure, ax = new_axes()
    line = HIGH - 0.5
    corners = {"manage_closely": (line, line, 5.5, 5.5), "keep_satisfied": (0.5, line, line, 5.5),
               "keep_informed": (line, 0.5, 5.5, line), "monitor": (0.5, 0.5, line, line)}
    for name, (x0, y0, x1, y1) in corners.items():
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor=QUADRANT_COLOURS[name],
                               alpha=TINT_ALPHA, edgecolor="none", zorder=0))
        ax.text(x1 - 0.05 if x1 > line else x0 + 0.05, y1 - 0.05, _(QUADRANT_WORDS[name]),
                ha="right" if x1 > line else "left", va="top", fontsize=10, fontweight="bold",
                color=QUADRANT_INK, zorder=1)
    for edge in (1.5, 2.5, 3.5, 4.5):  # faint squares: one per pair of scores
        ax.axvline(edge, color="#E4E4E4", linewidth=0.6, zorder=0)
        ax.axhline(edge, color="#E4E4E4", linewidth=0.6, zorder=0)
    ax.axvline(line, color="#999999", linewidth=1, zorder=1)
    ax.axhline(line, color="#999999", linewidth=1, zorder=1)
    offsets = _cells(table)
    for index, row in table.iterrows():
        x, y = row["interest"] - 0.42, row["influence"] + offsets[index]
        colour = QUADRANT_COLOURS[row["quadrant"]]
        ax.scatter([x], [y], s=36, color=colour, zorder=3, edgecolors="white", linewidths=0.8)
        ax.annotate(_label(row["name"]), (x, y), xytext=(5, 0), textcoords="offset points",
                    va="center", fontsize=7, color="#222222", zorder=4)
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.5)
    ax.set_xticks(range(1, 6))
    ax.set_yticks(range(1, 6))
    style_axes(ax, value_axis="both", xlabel=_("Interest in the city's data work (1 to 5)"),
               ylabel=_("Influence over it (1 to 5)"))
    ax.grid(False)
    notes = [_("Each dot is a stakeholder at its two scores; 4 or 5 is high. Stakeholders "
               "with the same scores are stacked in their square.")]
    if stakeholders.synthetic:
        context = dataclasses.replace(context, synthetic=True,
                                      source_note=_(SYNTHETIC_NOTE, city=context.city_name))
    counts = {name: len(stakeholders.in_quadrant(name)) for name in QUADRANT_WORDS}
    return finish_chart(
        figure, context=context, title=_title(stakeholders),
        subtitle=_("{city}'s stakeholders by interest in the data work and influence over it",
                   city=context.city_name),
        notes=notes, panel_height=5.2,
        description=_("Power/interest grid of {count} stakeholders of {city}: {closely} to "
                      "manage closely, {satisfied} to keep satisfied, {informed} to keep "
                      "informed and {monitor} to monitor.", count=len(table),
                      city=context.city_name, closely=counts["manage_closely"],
                      satisfied=counts["keep_satisfied"], informed=counts["keep_informed"],
                      monitor=counts["monitor"]))
