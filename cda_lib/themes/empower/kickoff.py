"""The kick-off stakeholder meeting of the in-city visit, planned from page 3.1's map.

Three figures open the meeting, each computed from the city's data with the functions the
other pages use, never again here: the on-time share of the latest whole period (page
1.2's :func:`cda_lib.metrics.kpi.on_time_share` over :func:`reporting_period`), the
requests per 1,000 residents a year (over the calendar months the data covers,
:func:`cda_lib.themes.lead.patterns.months_covered`, as page 1.1 and 3.3 count them) and
the district whose requests wait longest (page 3.3's table,
:func:`cda_lib.themes.empower.page.equity_page`). A figure the data cannot give (no
standards, nothing closed, three days of data, one district) is a plain sentence saying
what it needs; the rest of the meeting is planned all the same.

>>> figure = KickoffFigure("rate", RATE_TITLE, None, "No figure.")
>>> figure.available
False
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from cda_lib.core.needs import CLOSED_DATES, SEVERAL_DISTRICTS, STANDARDS, months, unmet_sentence
from cda_lib.core.readable import ReadableTable, Sentences
from cda_lib.metrics.inputs import UnknownChoiceError
from cda_lib.metrics.kpi import on_time_share
from cda_lib.metrics.periods import describe_period
from cda_lib.metrics.reporting_period import ReportingPeriodError, reporting_period
from cda_lib.metrics.selection import select_requests
from cda_lib.text.dates import format_list
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import N_, gettext as _, ngettext
from cda_lib.themes.empower.page import equity_page
from cda_lib.themes.empower.stakeholders import QUADRANT_WORDS, QUADRANTS, StakeholderMap
from cda_lib.themes.lead.patterns import months_covered

if TYPE_CHECKING:
    from cda_lib.data import CityData

ON_TIME_TITLE = N_("The on-time share")
RATE_TITLE = N_("Requests per 1,000 residents a year")
SLOWEST_TITLE = N_("The slowest district")
# A yearly rate from fewer whole months than this would be one season's rate, not a year's.
RATE_MONTHS = months(6)
PER_RESIDENTS = 1000
MONTHS_PER_YEAR = 12
# minutes, item, who leads it: 75 minutes, the length of a morning session with a break
AGENDA = (
    (10, N_("Welcome: why the city is putting its data at the center of decisions"),
     N_("The mayor or the city manager")),
    (20, N_("What the data says: the three figures"), N_("The chief data officer")),
    (15, N_("Who is at the table, and who is missing: the stakeholder map"),
     N_("The policy lead")),
    (20, N_("The asks: what the city needs from each group"), N_("The city manager")),
    (10, N_("Next steps: the engagement plan, its owners and dates"),
     N_("The communications lead")),
)
ASKS = {
    "manage_closely": N_("Ask {names} to name a data lead each and to join a working session "
                         "every month."),
    "keep_satisfied": N_("Ask {names} to back the plan and to say which figure they want in "
                         "their quarterly brief."),
    "keep_informed": N_("Ask {names} what the figures miss in their part of the city, and how "
                        "they want to hear back each month."),
    "monitor": N_("Tell {names} where the published figures are, and invite their questions."),
}


@dataclass(frozen=True)
class KickoffFigure:
    """One figure of the meeting: its key, title (English), value (None: not available) and
    the sentence that states it, or says what it needs."""

    key: str
    title: str
    value: float | None
    sentence: str

    @property
    def available(self) -> bool:
        return self.value is not None


def on_time_figure(data: CityData) -> KickoffFigure:
    """The share of requests closed within their standard, latest whole period (page 1.2)."""
    facts = data.facts
    unmet = [need for need in (STANDARDS, CLOSED_DATES) if not need.met(facts)]
    if unmet:
        return KickoffFigure("on_time", ON_TIME_TITLE, None,
                             unmet_sentence(_(ON_TIME_TITLE), unmet, facts))
    try:
        reporting = reporting_period(data.requests, as_of=data.as_of)
    except ReportingPeriodError as problem:
        return KickoffFigure("on_time", ON_TIME_TITLE, None, str(problem))
    period = describe_period(reporting.label)
    try:
        chosen = select_requests(data.requests, period=reporting.label)
    except UnknownChoiceError:  # the extract was taken long after its last request
        return KickoffFigure("on_time", ON_TIME_TITLE, None, _(
            "{title}: no figure for {period}, the latest whole period before the extract: the "
            "data holds no request opened in it.", title=_(ON_TIME_TITLE), period=period))
    result = on_time_share(chosen, data.city.service_standards, as_of=data.as_of)
    if result.value is None:
        return KickoffFigure("on_time", ON_TIME_TITLE, None,
                             _("{title}: no figure for {period}. {note}",
                               title=_(ON_TIME_TITLE), period=period, note=result.note))
    return KickoffFigure("on_time", ON_TIME_TITLE, result.value, ngettext(
        "In {period}, {share} of the requests whose service standard had passed were closed "
        "within it ({count} request).",
        "In {period}, {share} of the requests whose service standard had passed were closed "
        "within it ({count} requests).", result.requests, period=period,
        share=format_percent(result.value), count=format_number(result.requests, 0)))


def rate_figure(data: CityData) -> KickoffFigure:
    """The city's requests per 1,000 residents for each year of data."""
    facts = data.facts
    population = float(data.city.population or 0)
    if not RATE_MONTHS.met(facts):
        return KickoffFigure("rate", RATE_TITLE, None,
                             unmet_sentence(_(RATE_TITLE), [RATE_MONTHS], facts))
    if population <= 0:
        return KickoffFigure("rate", RATE_TITLE, None,
                             _("{title} needs the city's population; the city file gives none.",
                               title=_(RATE_TITLE)))
    covered = months_covered(data.requests)
    rate = len(data.requests) / population * PER_RESIDENTS / (covered / MONTHS_PER_YEAR)
    return KickoffFigure("rate", RATE_TITLE, rate, ngettext(
        "{city} received {requests} requests in {count} month of data: {rate} per 1,000 "
        "residents a year.",
        "{city} received {requests} requests in {count} months of data: {rate} per 1,000 "
        "residents a year.", covered, city=data.city.name,
        requests=format_number(len(data.requests), 0), rate=format_number(rate, 0)))


def district_figures(data: CityData) -> pd.DataFrame | None:
    """Page 3.3's table by district, or None when the data has fewer than two districts or
    nothing closed."""
    if not all(need.met(data.facts) for need in (SEVERAL_DISTRICTS, CLOSED_DATES)):
        return None
    return equity_page(data).table


def slowest_figure(data: CityData, table: pd.DataFrame | None) -> KickoffFigure:
    """The district whose requests wait longest (median days to close, page 3.3)."""
    facts = data.facts
    unmet = [need for need in (SEVERAL_DISTRICTS, CLOSED_DATES) if not need.met(facts)]
    if unmet or table is None:
        return KickoffFigure("slowest", SLOWEST_TITLE, None,
                             unmet_sentence(_(SLOWEST_TITLE), unmet or [SEVERAL_DISTRICTS],
                                            facts))
    shown = table.dropna(subset=["median_days"])
    if len(shown) < 2:
        return KickoffFigure("slowest", SLOWEST_TITLE, None, _(
            "{title}: fewer than two districts have a median time to close.",
            title=_(SLOWEST_TITLE)))
    slow = shown.loc[shown["median_days"].idxmax()]
    fast = shown.loc[shown["median_days"].idxmin()]
    slow_days, fast_days = float(slow["median_days"]), float(fast["median_days"])
    if round(slow_days, 1) == round(fast_days, 1):
        return KickoffFigure("slowest", SLOWEST_TITLE, slow_days, _(
            "Every district closed half its requests within {days} days: none waits clearly "
            "longer than the others.", days=format_number(slow_days, 1)))
    return KickoffFigure("slowest", SLOWEST_TITLE, slow_days, _(
        "{slow} waits longest: half its requests were closed within {slow_days} days, against "
        "{fast_days} days in {fast}, the fastest.", slow=slow["district"],
        slow_days=format_number(slow_days, 1), fast_days=format_number(fast_days, 1),
        fast=fast["district"]))


@dataclass(frozen=True)
class KickoffMeeting:
    """The kick-off meeting: who is invited, the agenda, the three figures and the asks."""

    stakeholders: StakeholderMap
    figures: tuple[KickoffFigure, ...]

    @property
    def invited(self) -> list[str]:
        """Everyone to manage closely or keep satisfied, and the residents' groups, whose
        influence is low but who must be at the table."""
        table = self.stakeholders.table
        chosen = table["quadrant"].isin(["manage_closely", "keep_satisfied"]) | \
            (table["group"] == "residents")
        return table.loc[chosen, "name"].tolist()

    def invitation(self) -> Sentences:
        names = self.invited
        said = [ngettext("Invite {count} stakeholder: {names}.",
                         "Invite {count} stakeholders: {names}.", len(names),
                         names=format_list(names))] if names else \
            [_("No stakeholder is to be managed closely or kept satisfied yet: place them on "
               "the map first.")]
        residents = self.stakeholders.table["group"].eq("residents").sum()
        if residents:
            said.append(_("The residents' groups come although their influence is low: "
                          "residents, above all those of the districts that wait longest, need "
                          "to be at the table."))
        return Sentences(said)

    def agenda(self) -> ReadableTable:
        rows, start = [], 0
        for minutes, item, lead in AGENDA:
            rows.append([(_("{start} to {end} min", start=start, end=start + minutes), True),
                         (_(item), False), (_(lead), False)])
            start += minutes
        return ReadableTable([_("When"), _("Item"), _("Led by")], rows,
                             caption=_("The kick-off meeting's agenda: {minutes} minutes",
                                       minutes=start))

    def figure_table(self) -> ReadableTable:
        """The three figures, each with the sentence that states it (or what it needs)."""
        shown = sum(figure.available for figure in self.figures)
        return ReadableTable(
            [_("Figure"), _("What to say")],
            [[(_(figure.title), False), (figure.sentence, False)] for figure in self.figures],
            caption=_("The three figures to show"),
            notes=[ngettext("{count} of the {total} figures can be shown from this city's "
                            "data.", "{count} of the {total} figures can be shown from this "
                            "city's data.", shown, total=len(self.figures))])

    def asks(self) -> Sentences:
        said = []
        for name in QUADRANTS:
            members = self.stakeholders.in_quadrant(name)
            if members:
                said.append(f"{_(QUADRANT_WORDS[name])}: " + _(ASKS[name],
                                                                names=format_list(members)))
        return Sentences(said)

    def record(self) -> pd.DataFrame:
        """The capstone's ``kickoff_figures`` table (value None when not available)."""
        return pd.DataFrame([{"figure": figure.key, "value": figure.value,
                              "sentence": figure.sentence} for figure in self.figures])


def kickoff_meeting(data: CityData, stakeholders: StakeholderMap,
                    district_table: pd.DataFrame | None = None) -> KickoffMeeting:
    """The meeting for this city's map and data; ``district_table`` is page 3.3's (or None)."""
    return KickoffMeeting(stakeholders, (on_time_figure(data), rate_figure(data),
                                         slowest_figure(data, district_table)))
