"""The house chart style: the look every chart shares, and the Chart that shows it.

Charts are built as matplotlib ``Figure`` objects directly: this module never imports
``pyplot`` and never changes matplotlib's global settings, so importing it leaves a
notebook's own plots alone. The style, in one place: the Okabe–Ito colour-blind-safe
palette, a light grid, no top or right frame, thousands separators on count axes, a
visible SYNTHETIC DATA label when the data is generated, a title that states the
finding, and a caption of notes. A chart is drawn on :func:`new_axes`, styled with
:func:`style_axes` and finished with :func:`finish_chart`, which returns a
:class:`Chart`: it shows itself in Jupyter as an offline PNG with alt text. The chart
kinds every module shares are in :mod:`cda_lib.charts.kinds`.
"""

from __future__ import annotations

import base64
import html
import io
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, MonthLocator
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator, ScalarFormatter
from PIL import Image

from cda_lib.text.dates import month_name
from cda_lib.text.numbers import format_number
from cda_lib.text.translation import (
    N_,
    SOURCE_LANGUAGE,
    current_language,
    gettext as _,
    localized_digits,
    use_language,
)

# Okabe & Ito (2008), "Color Universal Design": eight colours that stay distinct for
# the common forms of colour blindness and in greyscale print. Black first, as published.
OKABE_ITO = (
    "#000000",  # black
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
)
MAIN_COLOUR = OKABE_ITO[5]  # blue: strong contrast on white for single-series bars and lines
# English constants, marked for the catalogs and translated where a chart shows them.
SYNTHETIC_LABEL = N_("SYNTHETIC DATA — for teaching; not the city's real records")
SYNTHETIC_ALT_PREFIX = N_("Synthetic data.")
# 311 counts reflect who knows the service and chooses to call as much as need; every
# per-resident comparison carries this reminder (see the equity module).
WHO_CALLS_CAVEAT = N_(
    "311 volume measures who calls, not only need: residents who know the service, trust "
    "the city or are online report more, so a low rate can hide unmet need."
)
DPI = 100  # 800-pixel-wide PNGs of a few dozen kB keep offline HTML pages small
WIDTH_INCHES = 8.0  # 800 px: fits a notebook column and a laptop screen without scaling
_INK = "#1A1A1A"
SOFT_INK = "#444444"  # axis labels, ticks and bar labels: softer than the data, 9.7:1 on white
_FAINT_INK = "#666666"  # still 5.7:1 contrast on white
_GRID = "#DDDDDD"
_BANNER = OKABE_ITO[4]  # yellow with black text: a warning-tape look, 16:1 contrast
# One colour and one highlight: every bar grey but the one the title is about, in the main
# blue. This grey is the lightest that keeps WCAG 2.1's 3:1 for graphics on white (3.0:1).
MUTED_COLOUR = "#949494"
# WCAG 2.1 contrast minimums: text (success criterion 1.4.3, level AA) and the parts of a
# chart one must see to understand it, such as bars and lines (1.4.11, level AA).
TEXT_CONTRAST = 4.5
GRAPHICS_CONTRAST = 3.0


def contrast_ratio(colour: str, background: str = "#FFFFFF") -> float:
    """WCAG 2.1's contrast ratio of two ``#RRGGBB`` colours, from 1 (none) to 21 (black on
    white): (lighter luminance + 0.05) / (darker luminance + 0.05).

    >>> round(contrast_ratio("#000000"), 1), round(contrast_ratio(MAIN_COLOUR), 2)
    (21.0, 5.19)
    >>> contrast_ratio(MUTED_COLOUR) >= GRAPHICS_CONTRAST > contrast_ratio(OKABE_ITO[4])
    True
    """
    lighter, darker = sorted((_luminance(colour), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    """WCAG 2.1's relative luminance of a ``#RRGGBB`` colour (sRGB, linearised)."""
    code = colour.lstrip("#")
    channels = [int(code[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    red, green, blue = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
                        for c in channels]
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


@dataclass(frozen=True)
class ChartContext:
    """What every chart must know beyond its table: the city, and whether data is synthetic.

    >>> ChartContext("Riverbend", synthetic=True, source_note="Source: Riverbend 311")
    ChartContext(city_name='Riverbend', synthetic=True, source_note='Source: Riverbend 311')
    """

    city_name: str
    synthetic: bool
    source_note: str = ""


@dataclass(frozen=True, eq=False)
class Chart:
    """A finished chart: the matplotlib figure, its title and its alt text.

    Shows itself in Jupyter (as an ``<img>`` with alt text, the PNG inlined so the
    page works offline); ``save(path)`` writes it as a PNG file.
    """

    figure: Figure = field(repr=False)
    title: str
    alt_text: str
    # Text the page writes around the image instead of the figure (see finish_chart's
    # text_in_figure): the subtitle, then the notes and the source under the image.
    caption: str = ""
    notes: tuple[str, ...] = ()

    def png_bytes(self) -> bytes:
        """The chart as PNG bytes, at the house resolution."""
        # A 256-colour palette looks the same for flat chart colours and makes the file
        # about three times smaller; Pillow ships with matplotlib. Saving through Pillow
        # also leaves out matplotlib's version stamp, so the bytes depend only on the chart.
        image = _drawn_pixels(self.figure).quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        palette_png = io.BytesIO()
        image.save(palette_png, format="PNG", optimize=True)
        return palette_png.getvalue()

    def save(self, path: str | Path) -> Path:
        """Write the chart as a PNG file (whatever the file's extension) and return its path."""
        path = Path(path)
        path.write_bytes(self.png_bytes())
        return path

    def image_html(self, png: bytes | None = None) -> str:
        """The chart as an HTML ``<img>``, the PNG inlined and the alt text escaped."""
        data = base64.b64encode(png if png is not None else self.png_bytes()).decode("ascii")
        alt = html.escape(self.alt_text, quote=True)
        # never wider than its panel: a notebook beside Lab's file browser shrinks it whole
        return (f'<img src="data:image/png;base64,{data}" alt="{alt}" '
                f'style="max-width:100%;height:auto">')

    def html(self, png: bytes | None = None) -> str:
        """The chart as an HTML ``<figure>``; text kept out of the figure is written around it."""
        image = self.image_html(png)
        if not (self.caption or self.notes):
            return f'<figure class="cda-chart">{image}</figure>'
        notes = "".join(f"<p>{html.escape(note)}</p>" for note in self.notes)
        return (f'<figure class="cda-chart"><figcaption><strong>{html.escape(self.title)}'
                f'</strong> {html.escape(self.caption)}</figcaption>{image}'
                f'<div class="cda-chart-notes">{notes}</div></figure>')

    def _repr_html_(self) -> str:
        return self.html()

    def _repr_png_(self) -> bytes:
        return self.png_bytes()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, object]:
        # Jupyter asks for every format; drawing once serves both HTML and PNG.
        png = self.png_bytes()
        return {"text/html": self.html(png), "image/png": png, "text/plain": repr(self)}


def _drawn_pixels(figure: Figure) -> Image.Image:
    """The figure drawn at the house resolution as RGB pixels: the very pixels of the PNG
    ``savefig`` writes, without encoding a PNG only to decode it again (a fifth of the
    time a chart takes to show)."""
    if figure.dpi != DPI:  # drawn at another resolution: let savefig scale it
        drawn = io.BytesIO()
        figure.savefig(drawn, format="png", dpi=DPI)
        return Image.open(drawn).convert("RGB")
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw",
                            "RGBA", 0, 1).convert("RGB")


def new_axes(width_inches: float = WIDTH_INCHES) -> tuple[Figure, Axes]:
    """A fresh figure with one set of axes; :func:`finish_chart` sets its height.

    The house width fits a notebook column; a page that shows a chart in a narrower column
    (the brief's) draws it at that column's width, so its text is not shrunk on the page.
    """
    figure = Figure(figsize=(width_inches, 5), dpi=DPI, facecolor="white", layout="constrained")
    return figure, figure.add_subplot()


def style_axes(ax: Axes, *, value_axis: str, xlabel: str, ylabel: str) -> None:
    """The house look: no top or right frame, a light grid behind the data, soft ink."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(_FAINT_INK)
    ax.set_axisbelow(True)
    ax.grid(True, axis=value_axis, color=_GRID, linewidth=0.8)
    ax.tick_params(colors=SOFT_INK, labelsize=9)
    ax.set_xlabel(xlabel, fontsize=10, color=SOFT_INK)
    ax.set_ylabel(ylabel, fontsize=10, color=SOFT_INK)
    for axis in (ax.xaxis, ax.yaxis):  # plain number ticks, written the page language's way
        if type(axis.get_major_formatter()) is ScalarFormatter:
            axis.set_major_formatter(_LocalizedScalarFormatter())


def count_ticks(axis) -> None:
    """Whole-number ticks with thousands separators (1,234) on a count axis."""
    axis.set_major_locator(MaxNLocator(integer=True))
    language = current_language()  # the chart's: ticks are labelled whenever it is drawn

    def label(value, _pos) -> str:
        with use_language(SOURCE_LANGUAGE):
            written = format_number(value, 0)
        return localized_digits(written, language)

    axis.set_major_formatter(FuncFormatter(label))


def plain_number_ticks(axis) -> None:
    """Ticks written as short as they go ("1,500", "0.5"), in the chart's language."""
    language = current_language()
    axis.set_major_formatter(FuncFormatter(
        lambda value, _pos: localized_digits(f"{value:,g}", language)))


def month_ticks(axis, months: int) -> None:
    """Ticks on whole months of a date axis (at most about 12), years for very long series.

    ``months`` is how many months the axis spans; the labels are matplotlib's concise
    dates, so a year is written once, at its January.
    """
    locator = _month_locator(months)
    axis.set_major_locator(locator)
    axis.set_major_formatter(_LocalizedDateFormatter(locator))


class _LocalizedScalarFormatter(ScalarFormatter):
    """matplotlib's usual tick labels ("2.00") with the decimal mark of the language the
    chart was made in (ticks are labelled later, when the chart is drawn)."""

    def __init__(self) -> None:
        super().__init__()
        self.language = current_language()

    def __call__(self, x, pos=None) -> str:
        return localized_digits(super().__call__(x, pos), self.language)


class _LocalizedDateFormatter(ConciseDateFormatter):
    """Concise dates ("2024", "Mar", "May" ...), the months in the chart's language."""

    def __init__(self, locator) -> None:
        super().__init__(locator)
        self.language = current_language()

    def format_ticks(self, values) -> list[str]:
        return [_local_months(label, self.language) for label in super().format_ticks(values)]

    def get_offset(self) -> str:
        return _local_months(super().get_offset(), self.language)


def _local_months(text: str, language: str) -> str:
    """English month abbreviations (as matplotlib writes them) in ``language``."""
    english = [month_name(month, "abbreviated", "en") for month in range(1, 13)]
    return " ".join(month_name(english.index(word) + 1, "abbreviated", language)
                    if word in english else word for word in text.split(" "))


def _month_locator(months: int):
    """Ticks on whole months (at most about 12 of them), years for very long series."""
    for step in (1, 2, 3, 6, 12):
        if months <= 12 * step:
            return MonthLocator(bymonth=range(1, 13, step))  # always January, so years show
    return AutoDateLocator()


def bar_panel_height(bars: int) -> float:
    """Inches of plot area for a horizontal bar chart of ``bars`` bars."""
    return max(2.2, 0.34 * bars + 0.9)  # about a third of an inch per bar, plus the axis


@dataclass(frozen=True)
class _TextBlock:
    text: str
    size: float
    color: str
    weight: str = "normal"
    space_after: float = 0.06  # inches

    @property
    def height(self) -> float:
        """Inches the wrapped text takes, at matplotlib's 1.2 line spacing plus a little."""
        return (self.text.count("\n") + 1) * self.size * 1.25 / 72 + self.space_after


def finish_chart(figure: Figure, *, context: ChartContext, title: str, subtitle: str,
                 notes: list[str], panel_height: float, description: str,
                 text_in_figure: bool = True) -> Chart:
    """Add the house header (synthetic label, title, subtitle) and footer, size the figure.

    With ``text_in_figure`` false, the figure keeps only the synthetic label and the plot,
    and the chart's HTML writes the title, subtitle and notes as page text around it: for a
    page where every inch counts (the one-sheet brief), where text reads better as text.
    """
    banner = 0.34 if context.synthetic else 0.0
    width = float(figure.get_size_inches()[0])
    sentences = [description, f"{title}.", *notes]
    if context.synthetic:
        sentences.insert(0, _(SYNTHETIC_ALT_PREFIX))
    if not text_in_figure:
        height = 0.1 + banner + panel_height + 0.1
        figure.set_size_inches(width, height)
        figure.get_layout_engine().set(rect=(0, 0.1 / height, 1, panel_height / height))
        if context.synthetic:
            _draw_synthetic_banner(figure, height, banner)
        shown = [*notes, context.source_note] if context.source_note else notes
        return Chart(figure=figure, title=title, alt_text=" ".join(sentences),
                     caption=subtitle, notes=tuple(shown))

    def wrap(text: str, characters_at_house_width: int) -> str:  # lines as long as the figure
        return textwrap.fill(text, int(characters_at_house_width * width / WIDTH_INCHES))

    narrow = width < WIDTH_INCHES  # a page's column: a smaller header leaves room for data
    header = [_TextBlock(wrap(title, 72 if narrow else 62), 12 if narrow else 14, _INK, "bold"),
              _TextBlock(wrap(subtitle, 110 if narrow else 100), 9 if narrow else 10, SOFT_INK,
                         space_after=0.1)]
    footer = [_TextBlock(wrap(note, 112), 8.5, SOFT_INK, space_after=0.03) for note in notes]
    if context.source_note:
        footer.append(_TextBlock(wrap(context.source_note, 130), 8, _FAINT_INK))
    top = 0.15 + banner + sum(block.height for block in header)
    bottom = 0.1 + sum(block.height for block in footer)
    height = top + panel_height + bottom
    figure.set_size_inches(width, height)
    figure.get_layout_engine().set(rect=(0, bottom / height, 1, panel_height / height))
    if context.synthetic:
        _draw_synthetic_banner(figure, height, banner)
    _place_blocks(figure, header, height - 0.15 - banner, height)
    _place_blocks(figure, footer, bottom - 0.05, height)
    return Chart(figure=figure, title=title, alt_text=" ".join(sentences))


def _draw_synthetic_banner(figure: Figure, height: float, banner: float) -> None:
    figure.add_artist(Rectangle((0, 1 - banner / height), 1, banner / height,
                                transform=figure.transFigure, facecolor=_BANNER,
                                edgecolor=OKABE_ITO[0], linewidth=1.5))
    label = _(SYNTHETIC_LABEL)
    # bold sans-serif is about 0.6 em a character: the label fits a narrow figure too
    size = min(11.0, 0.94 * figure.get_size_inches()[0] * 72 / (0.6 * len(label)))
    figure.text(0.5, 1 - banner / (2 * height), label, ha="center", va="center",
                fontsize=size, fontweight="bold", color=OKABE_ITO[0])


def _place_blocks(figure: Figure, blocks: list[_TextBlock], top: float, height: float) -> None:
    for block in blocks:
        figure.text(0.03, top / height, block.text, ha="left", va="top", fontsize=block.size,
                    color=block.color, fontweight=block.weight)
        top -= block.height
