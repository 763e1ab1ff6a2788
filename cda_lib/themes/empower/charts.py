"""Page 3.3's charts: a dot plot of days to close against low income, then a choropleth.

The dot plot comes first because it needs no map: each district is a dot, its median days
to close against its share of low-income households. The choropleth shades each
district's outline (matplotlib patches only, no GIS stack) by its median days; demo cities
draw generated rectangles (:func:`cda_lib.synth.districts.grid_boundaries`), said so on
the chart.
"""

from __future__ import annotations

import matplotlib
import pandas as pd
from matplotlib.colors import Normalize
from matplotlib.patches import Polygon
from matplotlib.ticker import FuncFormatter

from cda_lib.charts.style import (
    MAIN_COLOUR,
    Chart,
    ChartContext,
    finish_chart,
    new_axes,
    style_axes,
)
from cda_lib.core.errors import ChartDataError
from cda_lib.text.dates import format_list
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import gettext as _, ngettext


def _percent_tick(value, _position) -> str:
    return format_percent(value)


def plot_days_against_income(table: pd.DataFrame, *, context: ChartContext) -> Chart:
    """Each district's median days to close against its share of low-income households."""
    shown = table.dropna(subset=["median_days", "share_low_income"])
    if len(shown) < 2:
        raise ChartDataError(_("There is nothing to compare: fewer than two districts have "
                               "both a median and a low-income share."))
    figure, ax = new_axes()
    ax.scatter(shown["share_low_income"], shown["median_days"], s=60, color=MAIN_COLOUR,
               zorder=3)
    for row in shown.itertuples():
        ax.annotate(str(row.district), (row.share_low_income, row.median_days),
                    xytext=(6, 4), textcoords="offset points", fontsize=8, color="#444444")
    ax.xaxis.set_major_formatter(FuncFormatter(_percent_tick))
    style_axes(ax, value_axis="both", xlabel=_("Share of low-income households"),
               ylabel=_("Median days to close"))
    slow = shown.loc[shown["median_days"].idxmax()]
    fast = shown.loc[shown["median_days"].idxmin()]
    return finish_chart(
        figure, context=context,
        title=_("Slowest: {slow} ({slow_days} days, {slow_share} low-income); fastest: {fast} "
                "({fast_days} days, {fast_share})", slow=slow["district"],
                slow_days=format_number(slow["median_days"], 1),
                slow_share=format_percent(slow["share_low_income"]), fast=fast["district"],
                fast_days=format_number(fast["median_days"], 1),
                fast_share=format_percent(fast["share_low_income"])),
        subtitle=_("Each dot is a district of {city}: half its requests were closed within "
                   "this many days", city=context.city_name),
        notes=[_("{count} districts show a pattern to ask about, not a cause.",
                 count=len(shown))],
        panel_height=3.4,
        description=_("Dot plot of {count} districts of {city}: median days to close against "
                      "the share of low-income households.", count=len(shown),
                      city=context.city_name))


def label_colour(fill) -> str:
    """White on a dark fill, near-black on a light one, so a district's name stays legible
    (relative luminance as WCAG defines it).

    >>> label_colour((0.5, 0.15, 0.02, 1.0)), label_colour((0.99, 0.85, 0.7, 1.0))
    ('white', '#222222')
    """
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in fill[:3])
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "white" if luminance < 0.21 else "#222222"  # where both contrasts are equal


def name_key(name) -> str:
    """How a district's name is matched between the data and a boundaries file: spaces and
    capitals do not count ("North  end" and "north end" are one district).

    >>> name_key("  North   End ") == name_key("north end")
    True
    """
    return " ".join(str(name).split()).casefold()


def match_shapes(districts, shapes: dict) -> tuple[dict, list[str], list[str]]:
    """``(outlines by district, districts without an outline, outlines of no district)``,
    names matched with :func:`name_key`.

    >>> square = [[(0, 0), (1, 0), (1, 1)]]
    >>> match_shapes(["North", "South"], {"NORTH": square, "Harbour": square})
    ({'North': [[(0, 0), (1, 0), (1, 1)]]}, ['South'], ['Harbour'])
    """
    by_key = {name_key(name): name for name in shapes}
    matched = {name: shapes[by_key[name_key(name)]] for name in districts
               if name_key(name) in by_key}
    missing = [str(name) for name in districts if name_key(name) not in by_key]
    used = {name_key(name) for name in matched}
    unmatched = [str(name) for name in shapes if name_key(name) not in used]
    return matched, missing, unmatched


def plot_choropleth(table: pd.DataFrame, shapes: dict, *, context: ChartContext,
                    generated: bool) -> Chart:
    """Each district's outline shaded by its median days to close; the notes say which
    districts have no outline and which outlines match no district."""
    values = table.dropna(subset=["median_days"]).set_index("district")["median_days"]
    outlines, missing, unmatched = match_shapes(list(values.index), shapes)
    drawn = list(outlines)
    if not drawn:
        raise ChartDataError(_(
            "No district with a median has an outline to shade. The data's districts are "
            "{districts}; the boundaries file names {names}. Check that name_property in the "
            "city file names the property that holds the district names.",
            districts=format_list([str(name) for name in values.index]) or _("none"),
            names=format_list(sorted(map(str, shapes))) or _("none")))
    figure, ax = new_axes()
    norm = Normalize(vmin=float(values.min()), vmax=float(values.max()) or 1.0)
    cmap = matplotlib.colormaps["Oranges"]
    for name in drawn:
        fill = cmap(0.2 + 0.7 * norm(values[name]))
        for ring in outlines[name]:
            ax.add_patch(Polygon(ring, closed=True, facecolor=fill, edgecolor="white",
                                 linewidth=1.5))
        xs = [x for ring in outlines[name] for x, _y in ring]
        ys = [y for ring in outlines[name] for _x, y in ring]
        ax.annotate(f"{name}\n{format_number(values[name], 1)}",
                    ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2), ha="center",
                    va="center", fontsize=8, color=label_colour(fill))
    ax.autoscale_view()
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_axis_off()
    notes = [_("Darker means slower: the number under each name is its median days to close.")]
    if generated:
        notes.append(_("The city file gives no district boundaries: these rectangles are "
                       "generated, one per district, and are not a map."))
    if missing:
        notes.append(ngettext(
            "{count} district has no outline in the boundaries file and is not shown: "
            "{names}.",
            "{count} districts have no outline in the boundaries file and are not shown: "
            "{names}.", len(missing), count=len(missing), names=format_list(missing)))
    if unmatched:
        notes.append(ngettext(
            "The boundaries file also outlines {count} name that is no district in the data: "
            "{names}.",
            "The boundaries file also outlines {count} names that are no district in the "
            "data: {names}.", len(unmatched), count=len(unmatched),
            names=format_list(unmatched)))
    set_aside = sum(getattr(shapes, "set_aside", {}).values())
    if set_aside:
        notes.append(ngettext(
            "{count} feature of the boundaries file was set aside (no name or no usable "
            "polygon).",
            "{count} features of the boundaries file were set aside (no name or no usable "
            "polygon).", set_aside, count=set_aside))
    return finish_chart(
        figure, context=context, title=_("Median days to close, by district"),
        subtitle=_("{city}'s districts shaded by how long half their requests waited",
                   city=context.city_name),
        notes=notes, panel_height=3.6,
        description=ngettext("Map of {count} district of {city} shaded by median days to close.",
                             "Map of {count} districts of {city} shaded by median days to "
                             "close.", len(drawn), count=len(drawn), city=context.city_name))
