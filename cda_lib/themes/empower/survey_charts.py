"""Page 3.2's chart: each question's raw and weighted share, the weighted one with its margin
of error, and the true share the synthetic population makes known.

The house style of :mod:`cda_lib.charts.style`; the survey is made up for every city, so the
chart always carries the SYNTHETIC DATA banner and its note.

>>> from cda_lib.themes.empower.survey import Answer, SurveyResults
>>> results = SurveyResults(400, 320.0, 1.25, (Answer("satisfied", 0.70, 0.64, 0.053, 0.65),
...                                           Answer("trusts_data", 0.50, 0.47, 0.055, 0.46)))
>>> chart = plot_survey(results, context=ChartContext("Riverbend", synthetic=False))
>>> chart.title
'Weighting the survey to the city lowers satisfaction with city services from 70% to 64%'
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
from cda_lib.text.numbers import format_percent
from cda_lib.text.translation import gettext as _
from cda_lib.themes.empower.survey import QUESTION_WORDS, SYNTHETIC_NOTE, SurveyResults

RAW_COLOUR = "#BBBBBB"  # grey: the raw answers
WEIGHTED_COLOUR = OKABE_ITO[5]  # blue: weighted to the city
TRUTH_MARK = OKABE_ITO[0]  # black diamond: the synthetic population's true share


def plot_survey(results: SurveyResults, *, context: ChartContext) -> Chart:
    """Raw against weighted share for each question, the weighted bar with its 95% margin."""
    if not isinstance(results, SurveyResults):
        raise ChartDataError(_("plot_survey needs the result of survey_results(...)."))
    figure, ax = new_axes()
    answers = results.answers
    positions = np.arange(len(answers))[::-1] * 1.0
    raw = [a.unweighted * 100 for a in answers]
    weighted = [a.weighted * 100 for a in answers]
    ax.barh(positions + 0.2, raw, height=0.38, color=RAW_COLOUR, zorder=2)
    ax.barh(positions - 0.2, weighted, height=0.38, color=WEIGHTED_COLOUR, zorder=2,
            xerr=[a.margin * 100 for a in answers], error_kw={"ecolor": "#333333",
                                                            "capsize": 4})
    truths = [(p, a.truth * 100) for p, a in zip(positions, answers, strict=True)
              if a.truth is not None]
    if truths:
        ax.scatter([t for _p, t in truths], [p - 0.2 for p, _t in truths], marker="D", s=30,
                   color=TRUTH_MARK, zorder=3)
    ax.set_yticks(positions, [_(QUESTION_WORDS[a.question]) for a in answers])
    ax.set_xlim(0, 100)
    ax.legend(handles=[Patch(color=RAW_COLOUR, label=_("Raw answers")),
                       Patch(color=WEIGHTED_COLOUR,
                             label=_("Weighted to the city, with its margin of error")),
                       Line2D([], [], marker="D", linestyle="", color=TRUTH_MARK,
                              label=_("True share (known because the data is synthetic)"))],
              loc="upper left", bbox_to_anchor=(0, -0.15), frameon=False, fontsize=8)
    style_axes(ax, value_axis="x", xlabel=_("Residents answering yes (%)"), ylabel="")
    main = results.answer("satisfied")
    raw_text, weighted_text = format_percent(main.unweighted), format_percent(main.weighted)
    if raw_text == weighted_text:
        title = _("Weighting the survey to the city leaves satisfaction with city services at "
                  "{weighted}", weighted=weighted_text)
    elif main.weighted < main.unweighted:
        title = _("Weighting the survey to the city lowers satisfaction with city services "
                  "from {raw} to {weighted}", raw=raw_text, weighted=weighted_text)
    else:
        title = _("Weighting the survey to the city raises satisfaction with city services "
                  "from {raw} to {weighted}", raw=raw_text, weighted=weighted_text)
    note_context = dataclasses.replace(context, synthetic=True,
                                       source_note=_(SYNTHETIC_NOTE, city=context.city_name))
    return finish_chart(
        figure, context=note_context, title=title,
        subtitle=_("{city}: {count} respondents, weighted by age, income, tenure and district",
                   city=context.city_name, count=results.respondents),
        notes=[results.precision()], panel_height=bar_panel_height(2 * len(answers)) + 0.6,
        description=_("Horizontal bar chart of the share of {city}'s survey respondents "
                      "answering yes to each question, raw in grey and weighted to the city in "
                      "blue with its margin of error, and a diamond at the true share.",
                      city=context.city_name))
