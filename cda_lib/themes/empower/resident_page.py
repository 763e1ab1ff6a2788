"""The one-page resident dashboard: the page the city could publish, and what page 3.4 records.

:func:`resident_dashboard` gathers, in the city's own language, the headline figures of
one period, the summary's (the last 12 months): a figure an earlier page recorded in the
workspace for that period is taken (page 0.2's requests of the last 12 months), one recorded
for another period (0.2's most common request over all years, 1.2's latest quarter) is
worked out for this one, and each card says which, and what the other page recorded. Page
3.3's districts come as it recorded them, their months said in the caption. With them go
the plain summary, the made-over chart (inline PNG with its alt text) and the most common
requests as a table.
:func:`write_dashboard` writes one HTML file with nothing outside it (the stylesheet
inline, no script, no link to fetch), in ``build/<city>/resident_dashboard/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from cda_lib.charts.style import SYNTHETIC_LABEL
from cda_lib.core import paths
from cda_lib.core.errors import WorkspaceError
from cda_lib.core.files import write_text_atomically
from cda_lib.core.pages import render_fragment, render_page
from cda_lib.core.readable import ReadableTable, Sentences
from cda_lib.metrics.periods import describe_period
from cda_lib.metrics.readability import score_text
from cda_lib.text.dates import format_date
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import gettext as _, ngettext, use_language
from cda_lib.themes.empower.communicate import (
    HeadlineFigures,
    headline_figures,
    plain_summary,
)
from cda_lib.themes.empower.equity import compared_requests
from cda_lib.themes.empower.makeover import final_chart, finding_title, type_counts_for_chart
from cda_lib.themes.lead.patterns import months_covered

if TYPE_CHECKING:
    from cda_lib.core.workspace import Workspace
    from cda_lib.data import CityData

DASHBOARD_FOLDER = "resident_dashboard"  # in build/<city>/, beside the workspace folder
DASHBOARD_FILE = "resident_dashboard.html"
MODULE = "3.4"


@dataclass(frozen=True)
class DashboardFigure:
    """One headline figure: what it is, its value, and where it comes from."""

    label: str
    value: str
    note: str
    recorded: bool


def _recorded(workspace: Workspace | None, key: str) -> Any:
    if workspace is None:
        return None
    try:
        return workspace.read(key)
    except WorkspaceError:
        return None


def _worked_out(figures: HeadlineFigures, module: str, recorded: str | None = None) -> str:
    """Where a figure the page worked out comes from, and what the page that records it
    recorded instead (for another period, or not yet)."""
    if recorded is None:
        return _("Worked out by this page from the data, for {period}: page {module} has not "
                 "recorded it yet.", period=figures.period, module=module)
    return _("Worked out by this page from the data, for {period} like every figure here; "
             "page {module} recorded {recorded}.", period=figures.period, module=module,
             recorded=recorded)


def dashboard_figures(figures: HeadlineFigures,
                      workspace: Workspace | None) -> list[DashboardFigure]:
    """The headline figures, all of the summary's period (``figures.period``).

    A recorded figure is shown where it covers that period (page 0.2's requests of the
    last 12 months); one recorded for another period (0.2's most common request over all
    years, 1.2's figures of its latest whole quarter) is not mixed in: the card shows the
    figure worked out for the page's period, and says what the other page recorded, and
    for when. So the cards and the summary above them state the same numbers.
    """
    shown = []
    count = _recorded(workspace, "requests_last_12_months")
    label = (_("Requests in the last 12 months") if figures.whole_year
             else _("Requests in the data"))
    if count is not None and figures.whole_year and int(count) == figures.requests:
        shown.append(DashboardFigure(label, format_number(count), _(
            "Recorded by page {module}, for {period}.", module="0.2", period=figures.period),
            True))
    else:
        other = None if count is None else _("{count} for the 12 months up to its extract",
                                             count=format_number(count))
        shown.append(DashboardFigure(label, format_number(figures.requests),
                                     _worked_out(figures, "0.2", other), False))
    top = _recorded(workspace, "top_request_type")
    if figures.types:
        other = None if not top else _("{name} over all years", name=str(top))
        shown.append(DashboardFigure(_("Most common request"), _(
            "{name} ({share})", name=figures.top_type, share=format_percent(figures.top_share)),
            _worked_out(figures, "0.2", other), False))
    key = _recorded(workspace, "key_figures") or {}
    period = describe_period(key["period"]) if key.get("period") else ""
    for field, label, written, computed in (
            ("median_days", _("Half of requests closed within"), _days_text, figures.median_days),
            ("on_time_share", _("Closed on time"), format_percent, figures.on_time)):
        if computed is None:
            continue
        lower_bound = field == "median_days" and key.get("median_at_least")
        other = None
        if key.get(field) is not None:
            other = (_("at least {value} for {period}", value=written(key[field]), period=period)
                     if lower_bound else
                     _("{value} for {period}", value=written(key[field]), period=period))
        shown.append(DashboardFigure(label, written(computed), _worked_out(figures, "1.2", other),
                                     False))
    return shown


def _months_compared(data: CityData) -> int:
    """The calendar months page 3.3 compares the districts over (all of its requests)."""
    return months_covered(compared_requests(data.requests, data.city.service_standards or None))


def _days_text(value: float) -> str:
    return _("{days} days", days=format_number(float(value), 1))


def district_table(workspace: Workspace | None, months: int = 0,
                   as_of: str = "") -> ReadableTable | None:
    """Page 3.3's service by district, as it recorded it; None when it has not.

    Page 3.3 compares districts over all the data (``months`` calendar months up to
    ``as_of``, in words), with rates a year: the caption says so, since the figures
    above it cover the last 12 months.
    """
    rows = _recorded(workspace, "equity_by_district")
    if not rows:
        return None

    def cell(value, write) -> tuple[str, bool]:
        return (write(value) if value is not None else "—", True)

    return ReadableTable(
        [_("District"), _("Requests per 1,000 residents a year"), _("Median days to close"),
         _("On time")],
        [[(str(row["district"]), False), cell(row["per_1000_a_year"], lambda v: format_number(
            v, 0)), cell(row["median_days"], lambda v: format_number(v, 1)),
          cell(row["on_time_share"], format_percent)] for row in rows],
        caption=ngettext("Service by district, over the {count} month of data up to {date}",
                         "Service by district, over the {count} months of data up to {date}",
                         months, date=as_of) if months else _("Service by district"),
        notes=[_("Recorded by page {module}. Requests are counted a year, so the rates "
                 "compare with the 12-month figures above.", module="3.3")])


def types_table(figures: HeadlineFigures) -> ReadableTable:
    """The most common requests, with their counts and shares."""
    shown = type_counts_for_chart(figures.type_counts)
    return ReadableTable(
        [_("Request type"), _("Requests"), _("Share of all requests")],
        [[(str(name), False), (format_number(int(count)), True),
          (format_percent(count / figures.requests), True)] for name, count in shown.items()],
        caption=_("The most common requests, {period}", period=figures.period))


@dataclass(frozen=True)
class ResidentDashboard:
    """The dashboard's parts, already written in the city's language."""

    city_id: str
    language: str
    title: str
    headline: str
    summary: str
    readability: str
    meets_target: bool
    figures: list[DashboardFigure]
    chart_html: str
    types: ReadableTable
    districts: ReadableTable | None
    about: list[str]
    synthetic: bool

    def page(self) -> str:
        """The whole page, one file that needs nothing beside it, in the city's language."""
        with use_language(self.language):
            return render_page(
                "pages/resident_dashboard.html.j2", language=self.language, title=self.title,
                headline=self.headline, summary=self.summary, figures=self.figures,
                chart=Markup(self.chart_html), types=self.types, districts=self.districts,
                about=self.about, synthetic_label=_(SYNTHETIC_LABEL) if self.synthetic else "")

    def figures_table(self) -> ReadableTable:
        """The dashboard's figures and where each comes from, for the notebook."""
        return ReadableTable([_("Figure"), _("Value"), _("Where it comes from")],
                             [[(f.label, False), (f.value, True), (f.note, False)]
                              for f in self.figures], caption=self.headline)

    def record(self, path: Path | None = None) -> dict[str, Any]:
        """The dashboard's figures as plain values, for the workspace."""
        return {"headline": self.headline, "summary": self.summary,
                "readability": self.readability, "meets_target": self.meets_target,
                "figures_recorded": sum(f.recorded for f in self.figures),
                "figures_computed": sum(not f.recorded for f in self.figures),
                "language": self.language, "page": None if path is None else _from_build(path)}

    def _repr_html_(self) -> str:
        return Sentences([self.summary], table=self.figures_table())._repr_html_()

    def __str__(self) -> str:
        return "\n".join([self.title, self.headline, self.summary])

    __repr__ = __str__


def resident_dashboard(data: CityData, workspace: Workspace | None = None) -> ResidentDashboard:
    """The dashboard for this city, in the city's language, from what it recorded."""
    language = data.city.language
    with use_language(language):
        figures = headline_figures(data)
        context = data.chart_context
        chart = final_chart(figures.type_counts, figures.requests, context=context,
                            period=figures.period) if figures.types else None
        summary = " ".join(plain_summary(figures))
        score = score_text(summary, language)
        about = [_("Figures {as_of}. Source: {source}.", as_of=data.as_of_text(),
                   source=data.source_description),
                 _("Each figure says where it comes from: recorded by one of the city's "
                   "workbook pages for the same period, or worked out by this page from the "
                   "same data."),
                 _("Half of requests closed within: the median days from a request to its "
                   "closing; requests still open count as waiting.")]
        districts = district_table(workspace, _months_compared(data),
                                   format_date(data.as_of, "day"))
        about.insert(0, _("Every figure above the table of districts covers {period}.",
                          period=figures.period) if districts is not None else
                     _("Every figure on this page covers {period}.", period=figures.period))
        if data.is_synthetic:
            about.insert(0, _("These figures are synthetic, made for teaching: they are not "
                              "the city's real records."))
        return ResidentDashboard(
            city_id=data.city.id, language=language,
            title=_("{city}: your city's services in numbers", city=data.city.name),
            headline=finding_title(type_counts_for_chart(figures.type_counts),
                                   figures.requests) if figures.types else summary,
            summary=summary, readability=score.score_sentence(),
            meets_target=score.meets_target, figures=dashboard_figures(figures, workspace),
            chart_html=chart.html() if chart is not None else "",
            types=types_table(figures) if figures.types else None,
            districts=districts, about=about, synthetic=data.is_synthetic)


def dashboard_path(city_id: str) -> Path:
    """Where the page goes: ``build/<city>/resident_dashboard/resident_dashboard.html``."""
    return paths.build_dir() / city_id / DASHBOARD_FOLDER / DASHBOARD_FILE


def write_dashboard(dashboard: ResidentDashboard) -> Path:
    """Write the dashboard into the city's build folder and return its path."""
    path = dashboard_path(dashboard.city_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(path, dashboard.page())
    return path


def record_dashboard(workspace: Workspace, dashboard: ResidentDashboard,
                     path: Path | None = None) -> Sentences:
    """Record what the dashboard said and where it is; say what was kept."""
    workspace.record("resident_dashboard", dashboard.record(path), module=MODULE)
    return Sentences([_("Recorded in the workspace: the dashboard's headline, summary and "
                        "readability, and where its page is.")])


def _from_build(path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(paths.build_dir().resolve()).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class DashboardLink:
    """Where the dashboard was written, and a link to it from the notebook's folder."""

    path: Path
    href: str

    def __str__(self) -> str:
        return _("The dashboard is written to {path}: open it in any browser, or put the one "
                 "file on the city's website.", path=_from_build(self.path))

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return render_fragment("pages/resident_dashboard_link.html.j2", href=self.href,
                               sentence=str(self), label=_("Open the resident dashboard"))


def dashboard_link(path: str | Path, start: str | Path | None = None) -> DashboardLink:
    """A link to ``path`` from ``start`` (default: the folder the notebook runs in).

    >>> dashboard_link("/w/build/a/resident_dashboard/r.html", start="/w/build/a/03").href
    '../resident_dashboard/r.html'
    """
    return DashboardLink(Path(path), paths.link_href(path, start))
