"""The period a page reports on, chosen from how long the city's data runs.

Two years of data are read by quarter; a few months by month; eight weeks by week. A
page that always used quarters would label a three-day extract "quarter 2020Q1", and one
that always used months would show two half-months as a fall. :func:`reporting_period`
picks the longest of quarter, month and week of which the data holds at least two whole
ones (so the latest can be set against the one before), and says so on the page:
"Quarters are used: the data covers 24 months."

>>> opened = pd.to_datetime(["2020-02-03 08:00", "2020-03-29 22:00"])
>>> period = reporting_period(pd.DataFrame({"requested_datetime": opened}),
...                           as_of="2020-03-29 23:00")
>>> period.time_key, period.label
('week', '2020-03-23/2020-03-29')
>>> period.comparison()
'2020-03-16/2020-03-22'
>>> print(period)
Weeks are used: the data covers 8 weeks. The latest whole week is the week of 23 Mar 2020.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cda_lib.core.errors import CdaError
from cda_lib.core.needs import DataFacts
from cda_lib.metrics.periods import TIME_KEYS, describe_period
from cda_lib.text.translation import gettext as _

# Longest first: the first of which the data holds this many whole periods is used.
MIN_WHOLE_PERIODS = 2
_CHOICES = ("quarter", "month", "week")


class ReportingPeriodError(CdaError, ValueError):
    """The data is too short to hold two whole weeks."""


@dataclass(frozen=True)
class ReportingPeriod:
    """The period kind a page reports by, its latest whole period, and the data's span."""

    time_key: str  # "quarter", "month" or "week"
    label: str  # the latest whole period, as the KPI tables label it ("2025Q4")
    span: str  # how long the data runs, in words ("24 months")
    first: str = ""  # the first whole period of the data ("2024Q1")

    def shifted(self, steps: int) -> str:
        """The label of the period ``steps`` before (negative) or after this one."""
        return str(pd.Period(self.label.split("/")[0], freq=TIME_KEYS[self.time_key]) + steps)

    def year_before(self) -> str:
        """The same period a year earlier (4 quarters, 12 months or 52 weeks back)."""
        return self.shifted(-{"quarter": 4, "month": 12, "week": 52}[self.time_key])

    def comparison(self) -> str:
        """The period to compare the latest with: the same one a year before when the data
        reaches back that far (so the season is the same), else the one just before."""
        year_before = self.year_before()
        freq = TIME_KEYS[self.time_key]
        if self.first and pd.Period(year_before.split("/")[0], freq=freq) >= pd.Period(
                self.first.split("/")[0], freq=freq):
            return year_before
        return self.shifted(-1)

    def text(self) -> str:
        used = {"quarter": _("Quarters are used: the data covers {span}."),
                "month": _("Months are used: the data covers {span}."),
                "week": _("Weeks are used: the data covers {span}.")}[self.time_key]
        latest = {"quarter": _("The latest whole quarter is {period}."),
                  "month": _("The latest whole month is {period}."),
                  "week": _("The latest whole week is {period}.")}[self.time_key]
        return (_(used, span=self.span) + " "
                + _(latest, period=describe_period(self.label)))

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return self.text()


def reporting_period(requests: pd.DataFrame, *, as_of) -> ReportingPeriod:
    """The longest period kind with at least two whole periods in the data, and the latest.

    A period is whole when it starts on or after the first request's day and is over by
    the extract. Raises :class:`ReportingPeriodError` for data shorter than two whole weeks.
    """
    as_of = pd.Timestamp(as_of)
    facts = DataFacts.of(requests, as_of=as_of)
    whole = {"quarter": facts.quarters, "month": facts.months, "week": facts.weeks}
    for time_key in _CHOICES:
        if whole[time_key] >= MIN_WHOLE_PERIODS:
            freq = TIME_KEYS[time_key]
            latest = as_of.to_period(freq)
            if as_of < latest.end_time.normalize():
                latest -= 1
            first_day = requests["requested_datetime"].min().normalize()
            first = first_day.to_period(freq)
            if first.start_time < first_day:
                first += 1
            return ReportingPeriod(time_key, str(latest), facts.span(), str(first))
    raise ReportingPeriodError(_(
        "The data covers {span}, too short to report by week: that needs at least two whole "
        "weeks, Monday to Sunday. Ask the city for a longer extract.", span=facts.span()))
