"""The weekly brief as a page: its tables, sentences and chart, laid out to print on one sheet.

:class:`cda_lib.themes.lead.brief.StatBrief` gathers the figures; this module writes them:
each table cell formatted in the page's language (percentages, thousands, the week's first
day), the values the brief compares in code ("behind", "citywide") in words, and the
citywide on-time control chart inlined.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from markupsafe import Markup

from cda_lib.charts.style import SYNTHETIC_LABEL, ChartContext
from cda_lib.core.pages import render_fragment, render_page
from cda_lib.metrics import composite, control
from cda_lib.metrics.periods import describe_period
from cda_lib.text.dates import format_date
from cda_lib.text.numbers import format_number, format_percent, format_value
from cda_lib.text.translation import format_message, gettext as _
from cda_lib.themes.lead.brief import (
    SCORE_WEEKS,
    SHOWN_WORDS,
    StatBrief,
    score_words,
)
from cda_lib.themes.lead.exceptions import BASELINE_WEEKS, exception_rows

EXCEPTIONS_SHOWN = 6  # on the one-page brief; the rest are counted ("and 3 more")
TREND_SHOWN = 6  # weeks in the page's trend table (the chart shows the longer run)
# The chart is drawn at the width of its column on the printed page (62% of 60em at 9pt,
# about 450 px at 100 dpi), so its 8-point text is shown near its drawn size, not halved;
# its title and notes are page text, so that it fits the one sheet.
CHART_WIDTH_INCHES = 4.6


def score_sentence(score: composite.CompositeScore) -> str:
    """The composite in one short sentence for the page (the notebook shows it in full)."""
    if score.value is None:
        return _("No city score: no request type had enough requests in these weeks.")
    used, left = len(score.used), len(score.left_out)
    meeting = int((score.used["score"] >= 1).sum())
    text = _("City score {score} ({words}): {meeting} of {used} request types meet their "
             "target.", score=format_value(score.value, "score"),
             words=score_words(score.value), meeting=meeting, used=used)
    if left:
        text += " " + _("{left} left out with too few requests.", left=left)
    return text




def page(brief: StatBrief) -> str:
    return render_page("pages/brief.html.j2", title=brief.title,
                       body=body(brief, charts=True))


def body(brief: StatBrief, charts: bool) -> str:
    shown = brief.trend.tail(TREND_SHOWN)
    chart = _trend_chart(brief) if charts else None
    notes = [*brief.notes, brief.source_note] if brief.source_note else brief.notes
    return render_fragment(
        "pages/brief_body.html.j2", brief=brief, synthetic_label=_(SYNTHETIC_LABEL),
        score_weeks=SCORE_WEEKS, score_sentence=score_sentence(brief.score),
        versus_target=_table(brief.versus_target, {
            "metric": _("Metric"), "where": _("Where"), "period": _("Latest"),
            "actual": _("Actual"), "expected": _("On the line"), "target": _("Target"),
            "due": _("Due"), "owner": _("Owner"), "status": _("Status")}),
        versus_notes=list(dict.fromkeys(note for note in brief.versus_target.get("note", [])
                                        if isinstance(note, str) and note)),
        top=_top_bottom(brief.top), bottom=_top_bottom(brief.bottom),
        exceptions=exception_rows(brief.exceptions.head(EXCEPTIONS_SHOWN)),
        more_exceptions=len(brief.exceptions) - EXCEPTIONS_SHOWN,
        follow_ups=_follow_ups(brief.follow_ups),
        trend_weeks=len(shown),
        trend=_table(shown, {"week": _("Week"), "requests": _("Requests"),
                             "on_time_share": _("On time"), "backlog_at_end": _("Backlog")}),
        chart=None if chart is None else {  # the chart's image, its title and notes as text
            "title": chart.title, "notes": [chart.caption, *(note for note in chart.notes
                                                          if note != brief.source_note)],
            "image": Markup(chart.image_html())},
        notes=" ".join(notes))


def _table(table: pd.DataFrame, columns: dict[str, str]) -> dict | None:
    """A table's headings and its rows of (text, is a number) cells; None when empty."""
    if table.empty:
        return None
    rows = [[_cell(column, row.get(column, ""), row) for column in columns]
            for _index, row in table.iterrows()]
    return {"headings": list(columns.values()), "rows": rows}


def _cell(column: str, value, row: pd.Series) -> tuple[str, bool]:
    if column == "owner" and not (isinstance(value, str) and value.strip()):
        return _("not named yet"), False
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—", True
    if column in ("period", "due") and value:
        return describe_period(value), False
    if column == "week":
        return _week_start(value), False
    if column in ("status", "where") and str(value) in SHOWN_WORDS:
        return _(SHOWN_WORDS[str(value)]), False
    if column in ("on_time_share",) or (column in ("actual", "expected", "target", "value",
                                                   "usual") and _is_share(row)):
        return format_percent(float(value)), True
    if isinstance(value, (int, np.integer)) or (isinstance(value, float) and value.is_integer()
                                                and column != "score"):
        return format_number(int(value)), True
    if isinstance(value, (float, np.floating)):
        return format_message("{value:,.2f}", value=float(value)), True
    return str(value), False


def _week_start(label) -> str:
    """A week's label ("2025-03-10/2025-03-16") as the day it starts: "10 Mar 2025"."""
    text = str(label)
    if len(text) == 21 and text[10] == "/":
        return format_date(pd.Timestamp(text[:10]))
    return describe_period(text)


def _is_share(row: pd.Series) -> bool:
    if isinstance(row.get("unit"), str) and row.get("unit"):
        return row["unit"] == "share"
    metric = str(row.get("metric", "")).lower()
    return "share" in metric or "on time" in metric or "rate" in metric


def _top_bottom(table: pd.DataFrame) -> list[str]:
    """Each scored request type as "name: score (on time vs target)"."""
    return [_("{service}: {score} ({actual} vs {target})",
              service=str(r["service"]),
              score=format_value(r["score"], "score"), actual=format_percent(r["actual"]),
              target=format_percent(r["target"]))
            for _index, r in table.iterrows()]


def _follow_ups(table: pd.DataFrame) -> list[tuple]:
    """The open follow-ups: id, commitment, owner, due date and whether it is overdue."""
    return [(int(row["id"]), str(row["commitment"]), str(row["owner"]), str(row["due"]),
             bool(row["overdue"])) for _index, row in table.iterrows()]


def _trend_chart(brief: StatBrief):
    from cda_lib.themes.lead.performance_charts import plot_control_chart

    weekly = brief.citywide.set_index("week")
    usable = weekly["on_time_known"] > 0
    if usable.sum() < control.MIN_BASELINE_POINTS:
        return None
    try:
        chart = control.p_chart(weekly["on_time_count"][usable], weekly["on_time_known"][usable],
                                baseline=BASELINE_WEEKS, metric=_("On-time share, all types"))
    except control.ControlChartError:
        return None
    context = ChartContext(brief.city_name, synthetic=brief.synthetic,
                           source_note=brief.source_note)
    return plot_control_chart(chart, context=context, width_inches=CHART_WIDTH_INCHES,
                              text_in_figure=False)
