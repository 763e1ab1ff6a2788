"""Say it so people understand: the city's headline figures, said plainly and to three audiences.

Page 3.4's words. :func:`headline_figures` counts the requests of the 12 months up to the
data's extract (all of them when the data covers less), the most common types, how long half
the requests took to close (Kaplan–Meier, as on page 1.2) and the share closed on time.
:func:`plain_summary` says them in a few short sentences, scored for readability by
:func:`cda_lib.metrics.readability.score_text`; :func:`audience_messages` says the same
finding three ways: to staff (what to act on), to the council (what the city delivered) and
to residents (what it means for them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from cda_lib.core.readable import ReadableTable, Sentences
from cda_lib.metrics.kpi import median_days_to_close, on_time_share
from cda_lib.metrics.readability import Readability, score_text
from cda_lib.text.dates import format_date
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import N_, current_language, gettext as _, ngettext

if TYPE_CHECKING:
    from cda_lib.data import CityData

YEAR_MONTHS = 12  # the headline period: the last 12 months, as on page 0.2
AUDIENCES = {"staff": N_("Staff"), "council": N_("Council"), "residents": N_("Residents")}


@dataclass(frozen=True)
class HeadlineFigures:
    """The figures page 3.4 says, all of one period (``whole_year``: the last 12 months)."""

    city: str
    as_of: pd.Timestamp
    whole_year: bool
    days: int  # days the period's requests span, when it is not a whole year
    requests: int
    type_counts: pd.Series  # requests of each type in the period, largest first
    median_days: float | None  # None: too few requests closed to say (or only a lower bound)
    on_time: float | None  # None: no service standards, or too few to say
    synthetic: bool

    @property
    def period(self) -> str:
        """The period in words: "the 12 months up to 31 Dec 2025"."""
        date = format_date(self.as_of, "day")
        if self.whole_year:
            return _("the 12 months up to {date}", date=date)
        return ngettext("the {count} day of data up to {date}",
                        "the {count} days of data up to {date}", self.days, date=date)

    @property
    def top_type(self) -> str:
        return str(self.type_counts.index[0])

    @property
    def top_share(self) -> float:
        return float(self.type_counts.iloc[0]) / self.requests

    @property
    def types(self) -> int:
        return len(self.type_counts)

    def table(self) -> ReadableTable:
        """The headline figures as a table to read."""
        rows = [[(_("Requests"), False), (format_number(self.requests), True)]]
        if self.types:
            rows.append([(_("Most common request"), False),
                         (_("{name} ({share})", name=self.top_type,
                            share=format_percent(self.top_share)), True)])
        if self.median_days is not None:
            rows.append([(_("Median days to close"), False),
                         (format_number(self.median_days, 1), True)])
        if self.on_time is not None:
            rows.append([(_("Closed on time"), False), (format_percent(self.on_time), True)])
        return ReadableTable([_("Figure"), _("Value")], rows,
                             caption=_("{city}'s headline figures, {period}",
                                       city=self.city, period=self.period))


def headline_figures(data: CityData) -> HeadlineFigures:
    """The headline figures of this city's requests (see the module's docstring)."""
    requests = data.requests
    opened = requests["requested_datetime"]
    start = data.as_of - pd.DateOffset(months=YEAR_MONTHS)
    # the last 12 months when the data covers them and has requests in them, else all of it
    whole_year = bool(len(opened)) and opened.min() <= start and bool((opened > start).any())
    period = requests[opened > start] if whole_year else requests
    days = 0 if whole_year else _days_spanned(period["requested_datetime"], data.as_of)
    names = period["service_name"].astype("string").str.strip().dropna()
    counts = names.value_counts().sort_index().sort_values(ascending=False, kind="stable")
    median = _median(period, data.as_of)
    standards = data.city.service_standards or {}
    known = period[period["service_code"].isin(list(standards))] if standards else period
    on_time = (on_time_share(known, standards, as_of=data.as_of).value
               if standards and len(known) else None)
    return HeadlineFigures(data.city.name, data.as_of, whole_year, days, len(period), counts,
                           median, on_time, data.is_synthetic)


def _median(period: pd.DataFrame, as_of: pd.Timestamp) -> float | None:
    """The median days to close, or None when there is none or it is only a lower bound
    (half the requests still open: "within N days" would then be untrue)."""
    if not len(period):
        return None
    result = median_days_to_close(period, as_of=as_of)
    return None if result.at_least else result.value


def _days_spanned(opened: pd.Series, as_of: pd.Timestamp) -> int:
    """Whole days from the first request to the extract, counting a part day as one."""
    if not len(opened):
        return 0
    return max(1, math.ceil((as_of - opened.min()) / pd.Timedelta(days=1)))


def _days(value: float) -> str:
    """Days to one decimal: "1.0 day", "2.5 days" (one decimal, so only 1.0 is singular)."""
    return ngettext("{count} day", "{count} days", 1 if round(value, 1) == 1 else 2,
                    count=format_number(value, 1))


def plain_summary(figures: HeadlineFigures) -> list[str]:
    """The headline figures in short, plain sentences, for residents.

    Each sentence states figures from :class:`HeadlineFigures`; one that has no figure
    (no closed requests, no standards) is left out.

    >>> figures = HeadlineFigures("Plainview", pd.Timestamp("2025-12-31"), True, 0, 40,
    ...                           pd.Series({"Pothole": 30, "Graffiti": 10}), 2.0, None, True)
    >>> plain_summary(figures)[1:]
    ['The most common request was Pothole: 75% of them.', 'Half of the requests were done \
within 2.0 days.']
    """
    said = [_("In {period}, people in {city} asked the city for help {count} times.",
              period=figures.period, city=figures.city, count=format_number(figures.requests))]
    if figures.types > 1:
        said.append(_("The most common request was {name}: {share} of them.",
                      name=figures.top_type, share=format_percent(figures.top_share)))
    if figures.median_days is not None:
        said.append(_("Half of the requests were done within {days}.",
                      days=_days(figures.median_days)))
    if figures.on_time is not None:
        said.append(_("{share} were done on time.", share=format_percent(figures.on_time)))
    return said


@dataclass(frozen=True)
class ScoredText:
    """A text and its readability: what the page shows under a summary."""

    text: str
    readability: Readability

    def sentences(self) -> Sentences:
        return Sentences([self.text, *self.readability.feedback()])

    def __str__(self) -> str:
        return str(self.sentences())

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return self.sentences()._repr_html_()


def scored_summary(figures: HeadlineFigures, language: str | None = None) -> ScoredText:
    """The plain summary with its readability score in the page's language."""
    text = " ".join(plain_summary(figures))
    return ScoredText(text, score_text(text, language or current_language()))


def audience_messages(figures: HeadlineFigures) -> dict[str, str]:
    """The same finding said to staff, the council and residents, from the same figures."""
    count, period = format_number(figures.requests), figures.period
    top, share = ((figures.top_type, format_percent(figures.top_share)) if figures.types
                  else ("", ""))
    median = _days(figures.median_days) if figures.median_days is not None else None
    on_time = format_percent(figures.on_time) if figures.on_time is not None else None
    staff = [_("In {period} we closed half of our {count} requests within {days}.",
               period=period, count=count, days=median) if median else
             _("In {period} we received {count} requests; too few were closed to say how "
               "long they take.", period=period, count=count)]
    if on_time:
        staff.append(_("{share} met the service standard: the rest are where to look first.",
                       share=on_time))
    if figures.types > 1:
        staff.append(_("{top} is {share} of the work.", top=top, share=share))
    council = [_("{city} answered {count} requests from residents in {period}.",
                 city=figures.city, count=count, period=period)]
    if median:
        council.append(_("Half were resolved within {days}.", days=median))
    if on_time:
        council.append(_("{share} were resolved within the standard the city has set.",
                         share=on_time))
    if figures.types > 1:
        council.append(_("The largest single demand is {top}, at {share} of requests.",
                         top=top, share=share))
    residents = [_("Thank you: you told us about {count} problems in {period}.", count=count,
                   period=period)]
    if median:
        residents.append(_("We fixed half of them within {days}.", days=median))
    if figures.types > 1:
        residents.append(_("The most common was {top}.", top=top))
    residents.append(_("Keep telling us: every report helps us fix things faster."))
    return {"staff": " ".join(staff), "council": " ".join(council),
            "residents": " ".join(residents)}


def audience_table(figures: HeadlineFigures) -> ReadableTable:
    """The three messages side by side, with what each audience needs to hear."""
    needs = {"staff": _("What to act on, in the team's own terms."),
             "council": _("What the city delivered, against the standard it set."),
             "residents": _("What it means for them, in everyday words.")}
    rows = [[(_(AUDIENCES[key]), False), (needs[key], False), (message, False)]
            for key, message in audience_messages(figures).items()]
    return ReadableTable([_("Audience"), _("What they need"), _("The message")], rows,
                         caption=_("One finding, three audiences"),
                         notes=[_("Every figure in the three messages is the same: only the "
                                  "words and what comes first change.")])
