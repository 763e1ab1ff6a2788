"""Exercises 3.4: say it so people understand (the exercise set of page 3.4).

The exercises themselves are written in ``communicate.yaml`` beside this module; this
module holds the functions that file names. Each fact comes from the functions the page
uses (:func:`cda_lib.themes.empower.communicate.headline_figures`, the made-over chart, the
palette contrasts): the title that states the finding, the contrast of each palette's
weakest colour, the message to residents, a hard sentence to say plainly and the chart's
alt text. The rewrite (3.4.4) is a reflection: its readability is scored, never graded.

>>> "too few to score" in readability_feedback("We fixed it.")
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cda_lib.charts.style import contrast_ratio
from cda_lib.exercises.exercise import CityMemo
from cda_lib.metrics.readability import score_text
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import current_language, gettext as _
from cda_lib.themes.empower.communicate import (
    HeadlineFigures,
    audience_messages,
    headline_figures,
)
from cda_lib.themes.empower.makeover import (
    HOUSE_BARS,
    PASTEL,
    RAINBOW,
    final_chart,
    finding_title,
    type_counts_for_chart,
)

if TYPE_CHECKING:
    from cda_lib.data import CityData

_memo = CityMemo()


def figures_of(data: CityData) -> HeadlineFigures:
    return _memo("figures", data, lambda: headline_figures(data))


def readability_feedback(text: str) -> str:
    """Exercise 3.4.4: the rewrite's readability in the page's language, and what to change."""
    return " ".join(score_text(text, current_language()).feedback())


# --- facts for the messages ---------------------------------------------------------------

def _title_facts(data: CityData) -> dict[str, Any]:
    figures = figures_of(data)
    return {"top": figures.top_type, "share": format_percent(figures.top_share),
            "count": format_number(figures.requests), "period": figures.period,
            "title": finding_title(type_counts_for_chart(figures.type_counts), figures.requests)}


def _weakest(colours) -> str:
    return format_number(min(contrast_ratio(colour) for colour in colours), 1)


def _palette_facts(data: CityData) -> dict[str, Any]:
    return {"rainbow": _weakest(RAINBOW), "pastel": _weakest(PASTEL),
            "house": _weakest(HOUSE_BARS)}


def _audience_facts(data: CityData) -> dict[str, Any]:
    return {"residents": audience_messages(figures_of(data))["residents"]}


def _rewrite_facts(data: CityData) -> dict[str, Any]:
    figures = figures_of(data)
    if figures.median_days is None:
        hard = _("During the period under review, the municipality received {count} service "
                 "requests, the resolution of which was subject to the applicable service-level "
                 "standards established by the administration.",
                 count=format_number(figures.requests))
    else:
        hard = _("During the period under review, the median elapsed time between the "
                 "submission of service requests and their resolution by the responsible "
                 "departments was {days} days, with {count} requests submitted in total.",
                 days=format_number(figures.median_days, 1),
                 count=format_number(figures.requests))
    return {"hard": hard, "hard_score": str(score_text(hard, current_language()))}


def _alt_facts(data: CityData) -> dict[str, Any]:
    figures = figures_of(data)
    if figures.types == 0:
        return {"alt": _("no chart: the data has no request types.")}
    chart = _memo("chart", data, lambda: final_chart(
        figures.type_counts, figures.requests, context=data.chart_context,
        period=figures.period))
    return {"alt": chart.alt_text}
