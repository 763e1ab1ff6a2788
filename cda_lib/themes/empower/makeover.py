"""A chart makeover: a bad chart of the city's requests by type, made good one step at a time.

The "before" chart has the faults people meet every week: rainbow colours, a 3-D look,
types in alphabetical order, a legend to decode instead of labels, an axis that does not
start at zero and a title that names the topic, not the finding. Each step fixes one
fault, with one sentence saying what changed and why; the last is the house chart
(:mod:`cda_lib.charts.style`): sorted, one colour plus one highlight, direct labels, a
title computed from the numbers, alt text made from the same numbers and the synthetic
label when the data is synthetic. :func:`palette_check` measures each palette's contrast
on white against WCAG 2.1's minimum for the parts of a chart (3:1).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup
from matplotlib.patches import Patch

from cda_lib.charts.style import (
    GRAPHICS_CONTRAST,
    MAIN_COLOUR,
    MUTED_COLOUR,
    OKABE_ITO,
    SOFT_INK,
    Chart,
    ChartContext,
    bar_panel_height,
    contrast_ratio,
    finish_chart,
    new_axes,
    plain_number_ticks,
    style_axes,
)
from cda_lib.core.pages import render_fragment
from cda_lib.core.readable import ReadableTable
from cda_lib.text.dates import format_list
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import N_, gettext as _, ngettext

SHOWN_TYPES = 6  # a chart of more bars than this is read as a list, not a picture
# A typical "rainbow" spreadsheet palette: bright, and several colours vanish on white.
RAINBOW = ("#FF0000", "#FF9900", "#FFFF00", "#00FF00", "#00FFFF", "#9900FF")
# The house palette's colours a bar may take: the main blue and the muted grey.
HOUSE_BARS = (MAIN_COLOUR, MUTED_COLOUR)
PASTEL = ("#AEC7E8", "#FFBB78", "#98DF8A", "#FF9896", "#C5B0D5", "#C49C94")
PALETTES = {"rainbow": (N_("Rainbow"), RAINBOW), "house": (N_("One colour and a highlight"),
                                                            HOUSE_BARS),
            "pastel": (N_("Pastel"), PASTEL)}
SHADOW = "#555555"  # the fake 3-D side of the "before" bars
TRUNCATE_AT = 0.8  # the "before" axis starts at 80% of the smallest bar: a common default


@dataclass(frozen=True)
class MakeoverStep:
    """One step of the makeover: its name, what changed and why, and the chart after it."""

    name: str
    change: str
    chart: Chart


@dataclass(frozen=True)
class Makeover:
    """Every step, from the bad chart to the good one."""

    steps: tuple[MakeoverStep, ...]

    @property
    def final(self) -> Chart:
        return self.steps[-1].chart

    def __str__(self) -> str:
        return "\n".join(f"{step.name}: {step.change}" for step in self.steps)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return render_fragment("pages/makeover.html.j2", steps=[
            (step.name, step.change, Markup(step.chart.html())) for step in self.steps])


def type_counts_for_chart(type_counts: pd.Series) -> pd.Series:
    """The most common types (at most :data:`SHOWN_TYPES`), largest first."""
    return type_counts.head(SHOWN_TYPES)


def finding_title(type_counts: pd.Series, total: int) -> str:
    """The title that states the finding, from the numbers.

    >>> finding_title(pd.Series({"Pothole": 30, "Graffiti": 10}), 40)
    'Pothole is the most common request: 75% of all requests, 3.0 times the next type'
    """
    leader, share = str(type_counts.index[0]), format_percent(type_counts.iloc[0] / total)
    if len(type_counts) < 2:
        return _("{leader} is the only request type: {share} of all requests", leader=leader,
                 share=share)
    if type_counts.iloc[0] == type_counts.iloc[1]:
        return _("{leader} and {second} are the most common requests, tied at {share} each",
                 leader=leader, second=str(type_counts.index[1]), share=share)
    times = type_counts.iloc[0] / type_counts.iloc[1]
    # two decimals when one would round a lead onto "1.0 times"
    return _("{leader} is the most common request: {share} of all requests, {times} times the "
             "next type", leader=leader, share=share,
             times=format_number(times, 1 if round(times, 1) > 1 else 2))


def chart_description(type_counts: pd.Series, total: int, city: str) -> str:
    """Alt text from the numbers: what the chart is and every bar's figure.

    >>> chart_description(pd.Series({"Pothole": 30, "Graffiti": 10}), 40, "Plainview")
    'Bar chart of the 2 most common request types in Plainview, largest first: Pothole 30 \
(75%) and Graffiti 10 (25%).'
    """
    bars = [_("{name} {count} ({share})", name=str(name), count=format_number(int(count)),
              share=format_percent(count / total)) for name, count in type_counts.items()]
    return ngettext("Bar chart of the {count} most common request type in {city}, largest "
                    "first: {bars}.", "Bar chart of the {count} most common request types in "
                    "{city}, largest first: {bars}.", len(type_counts), city=city,
                    bars=format_list(bars))


def chart_makeover(type_counts: pd.Series, total: int, *, context: ChartContext,
                   period: str) -> Makeover:
    """The makeover of a chart of requests by type (``type_counts`` largest first)."""
    shown = type_counts_for_chart(type_counts)
    alphabetical = shown.sort_index(key=lambda names: names.str.lower())
    topic = _("Requests by type")
    notes = [_("Requests of {period}.", period=period)]
    before = _draw(alphabetical, context, topic, notes, truncated=True, three_d=True,
                   colours=RAINBOW, legend=True)
    steps = [MakeoverStep(_("Before"), _(
        "Rainbow colours, a 3-D look, types in alphabetical order, a legend to decode and an "
        "axis that starts above zero: the reader has to work to find anything."), before)]
    plan = [
        (_("Step 1: start the axis at zero"), _(
            "The bars now start at zero, so a bar twice as long means twice as many requests."),
         {"sorted_bars": False, "three_d": True, "colours": RAINBOW, "legend": True}),
        (_("Step 2: drop the 3-D and sort, largest first"), _(
            "Flat bars laid on their side, largest at the top: the order now says which type "
            "leads, and long names fit."),
         {"sorted_bars": True, "three_d": False, "colours": RAINBOW, "legend": True}),
        (_("Step 3: one colour and one highlight"), _(
            "Every bar is grey but the one the story is about: colour now means something, "
            "and both colours keep 3:1 contrast on white."),
         {"sorted_bars": True, "three_d": False, "colours": None, "legend": True}),
        (_("Step 4: label the bars directly"), _(
            "Each bar carries its name and its count, so the eye no longer goes back and forth "
            "to a legend."),
         {"sorted_bars": True, "three_d": False, "colours": None, "legend": False}),
    ]
    for name, change, options in plan:
        table = shown if options.pop("sorted_bars") else alphabetical
        steps.append(MakeoverStep(name, change, _draw(table, context, topic, notes,
                                                      truncated=False, **options)))
    steps.append(MakeoverStep(_("Step 5: a title that states the finding"), _(
        "The title says what the chart shows, worked out from the numbers; the subtitle says "
        "what is counted, and the alt text for screen readers gives every bar's figure."),
        final_chart(type_counts, total, context=context, period=period)))
    return Makeover(tuple(steps))


def final_chart(type_counts: pd.Series, total: int, *, context: ChartContext,
                period: str) -> Chart:
    """The made-over chart: the house style, the finding in the title, alt text from the
    same numbers (:func:`chart_description`)."""
    shown = type_counts_for_chart(type_counts)
    figure, ax = new_axes()
    _bars(ax, shown, None, labels=True, total=total)
    style_axes(ax, value_axis="x", xlabel=_("Requests (count)"), ylabel="")
    notes = []
    if len(type_counts) > len(shown):
        rest = type_counts.iloc[len(shown):]
        notes.append(ngettext("Not shown: {count} other request type ({requests} requests "
                              "in all).", "Not shown: {count} other request types ({requests} "
                              "requests in all).", len(rest),
                              requests=format_number(int(rest.sum()))))
    return finish_chart(
        figure, context=context, title=finding_title(shown, total),
        subtitle=_("Requests by type in {city}, {period}: {total} in all", city=context.city_name,
                   period=period, total=format_number(total)),
        notes=notes, panel_height=bar_panel_height(len(shown)),
        description=chart_description(shown, total, context.city_name))


def _draw(table: pd.Series, context: ChartContext, title: str, notes: list[str], *,
          truncated: bool, three_d: bool, colours, legend: bool) -> Chart:
    figure, ax = new_axes()
    if truncated:  # the "before": upright bars, an axis that starts above zero
        xs = list(range(len(table)))
        if three_d:
            ax.bar([x + 0.08 for x in xs], table.to_numpy(), width=0.7, color=SHADOW, zorder=1)
        ax.bar(xs, table.to_numpy(), width=0.7, zorder=2,
               color=[colours[i % len(colours)] for i in xs])
        ax.set_xticks(xs, [""] * len(xs))
        ax.set_ylim(bottom=float(table.min()) * TRUNCATE_AT, top=float(table.max()) * 1.05)
        style_axes(ax, value_axis="y", xlabel="", ylabel=_("Requests"))
    else:
        _bars(ax, table, colours, labels=not legend, three_d=three_d)
        style_axes(ax, value_axis="x", xlabel=_("Requests (count)"), ylabel="")
    if legend:
        palette = colours or [MAIN_COLOUR] + [MUTED_COLOUR] * (len(table) - 1)
        ax.legend(handles=[Patch(color=palette[i % len(palette)], label=str(name))
                           for i, name in enumerate(table.index)], fontsize=8,
                  loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return finish_chart(figure, context=context, title=title, subtitle="", notes=notes,
                        panel_height=bar_panel_height(len(table)),
                        description=_("Bar chart of requests by type in {city}, not yet "
                                      "made over.", city=context.city_name))


def _bars(ax, table: pd.Series, colours, *, labels: bool, three_d: bool = False,
          total: int | None = None) -> None:
    """Horizontal bars, the first value at the top; ``colours`` None: grey and one highlight."""
    positions = list(range(len(table) - 1, -1, -1))
    if colours is None:
        colour = [MAIN_COLOUR if i == 0 else MUTED_COLOUR for i in range(len(table))]
    else:
        colour = [colours[i % len(colours)] for i in range(len(table))]
    if three_d:
        ax.barh([p - 0.08 for p in positions], table.to_numpy(), height=0.65, color=SHADOW,
                zorder=1)
    bars = ax.barh(positions, table.to_numpy(), height=0.65, color=colour, zorder=2)
    names = [textwrap.fill(str(name), 28) for name in table.index]
    ax.set_yticks(positions, names if labels else [""] * len(positions))
    if labels:
        written = [format_number(int(n)) if total is None else
                   _("{count} ({share})", count=format_number(int(n)),
                     share=format_percent(n / total)) for n in table]
        ax.bar_label(bars, labels=written, padding=4, fontsize=9, color=SOFT_INK)
        room = 1 / max(0.5, 1 - max(len(text) for text in written) / 70)
        ax.set_xlim(0, max(float(table.max()), 1e-9) * room)
    plain_number_ticks(ax.xaxis)


def palette_check(palettes: dict[str, tuple[str, tuple[str, ...]]] | None = None
                  ) -> ReadableTable:
    """Each palette's weakest contrast on white against the 3:1 minimum for charts."""
    rows = []
    for label, colours in (palettes or PALETTES).values():
        weakest = min(colours, key=contrast_ratio)
        ratio = contrast_ratio(weakest)
        rows.append([(_(label), False), (" ".join(colours), False),
                     (_("{ratio}:1 ({colour})", ratio=format_number(ratio, 1), colour=weakest),
                      True),
                     (_("Yes") if ratio >= GRAPHICS_CONTRAST else _("No"), False)])
    return ReadableTable(
        [_("Palette"), _("Colours"), _("Weakest contrast on white"), _("Passes 3:1")], rows,
        caption=_("Which palettes can be seen on white"),
        notes=[_("WCAG 2.1 asks for at least 3:1 between a chart's bars or lines and the "
                 "background (success criterion 1.4.11), and 4.5:1 for text. The house "
                 "palette is Okabe and Ito's, chosen to stay distinct for colour-blind "
                 "readers: {names}.", names=" ".join(OKABE_ITO))])
