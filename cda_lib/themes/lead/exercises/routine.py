"""Exercises 1.5: data in the weekly routine (the exercise set of page 1.5, the stat meeting).

The exercises themselves (their words, answer kinds, mistakes and hints) are written in
``routine.yaml`` beside this module; this module holds the functions that file names.

Seven exercises: what a stat meeting is for, what to do when the routine slips (the
failure modes Baltimore's CitiStat went through, civic-standards.md B4), the backlog at
the end of the brief's week worked out from the requests, how many request types the
brief flags, what to do with a dip that is not a signal, a follow-up that can be
followed up, and what the participant's own city would bring to the table. The figures
come from :func:`cda_lib.themes.lead.brief.brief_for_city` on the city's own data.

>>> import pandas as pd
>>> from types import SimpleNamespace
>>> requests = pd.DataFrame({
...     "requested_datetime": pd.to_datetime(["2025-12-01", "2025-12-20", "2025-12-27"]),
...     "closed_datetime": pd.to_datetime(["2025-12-02", None, "2025-12-30"])})
>>> brief = SimpleNamespace(week_start=pd.Timestamp("2025-12-22"),
...                         week_end=pd.Timestamp("2025-12-28 23:59:59"))
>>> open_at(requests, brief.week_end), opened_in_week(requests, brief)
(2, 1)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from cda_lib.core.readable import ReadableTable
from cda_lib.metrics.periods import describe_period
from cda_lib.text.dates import format_date
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import gettext as _
from cda_lib.themes.lead.brief import StatBrief, brief_for_city
from cda_lib.themes.lead.exceptions import chance_figure

if TYPE_CHECKING:
    from cda_lib.data import CityData


_LAST: list[tuple[Any, StatBrief]] = []  # the latest city's brief: a session checks one city


# --- expected answers, from the city's data ---------------------------------------------


def city_brief(data: CityData) -> StatBrief:
    """The city's weekly brief for its last full week (without targets or follow-ups, which
    change none of the figures these exercises ask for); kept for the city last asked."""
    if _LAST and _LAST[0][0] is data:
        return _LAST[0][1]
    brief = brief_for_city(data)
    _LAST[:] = [(data, brief)]
    return brief


def open_at(requests: pd.DataFrame, moment: pd.Timestamp) -> int:
    """Requests opened by ``moment`` and not closed by then: the backlog at that moment."""
    opened = requests["requested_datetime"] <= moment
    closed = requests["closed_datetime"] <= moment  # an open request has no date: False
    return int((opened & ~closed).sum())


def opened_in_week(requests: pd.DataFrame, brief: Any) -> int:
    """Requests opened during the brief's week."""
    opened = requests["requested_datetime"]
    return int(((opened >= brief.week_start) & (opened <= brief.week_end)).sum())


def backlog_at_week_end(data: CityData) -> int:
    """The brief's backlog at the end of its week (the KPI table's ``backlog_at_end``)."""
    brief = city_brief(data)
    return int(brief.trend.set_index("week").loc[brief.week, "backlog_at_end"])


def exception_types(data: CityData) -> int:
    """How many request types the brief lists as exceptions (a type may be listed twice)."""
    return int(city_brief(data).exceptions["service_code"].nunique())


def _new_and_still_open(data: CityData) -> int:
    """The mistake of counting only the week's own requests that are still open."""
    brief = city_brief(data)
    opened = data.requests["requested_datetime"]
    this_week = data.requests[((opened >= brief.week_start) & (opened <= brief.week_end))
                              .to_numpy()]
    return open_at(this_week, brief.week_end)



# --- the no-code forms: sliders and what the page shows -------------------------------


def _backlog_slider(data: CityData) -> tuple[float, float, float]:
    """Exercise 1.5.3: from 0 to every request, one request at a time (a count is exact)."""
    return 0, max(len(data.requests), 1), 1


def _types_slider(data: CityData) -> tuple[float, float, float]:
    """Exercise 1.5.4: from 0 to every row of the list or every request type, whichever is
    more, one at a time."""
    return 0, max(mistaken_rows_not_request_types(data), mistaken_every_request_type(data), 1), 1


def _backlog_inputs(data: CityData) -> ReadableTable:
    """Exercise 1.5.3's inputs: the requests opened by the end of the week, and how many of
    them had closed by then (the backlog is the difference)."""
    brief = city_brief(data)
    opened = data.requests["requested_datetime"] <= brief.week_end
    closed = opened & (data.requests["closed_datetime"] <= brief.week_end)
    rows = [[(_("Opened by the end of the week"), False), (format_number(int(opened.sum())), True)],
            [(_("Of those, closed by the end of the week"), False),
             (format_number(int(closed.sum())), True)]]
    return ReadableTable([_("Requests"), _("Number")], rows, caption=_(
        "Requests up to the end of the brief's week ({end})",
        end=format_date(brief.week_end, "moment")))


# --- facts for the messages ---------------------------------------------------------------


def _facts(data: CityData) -> dict[str, Any]:
    brief = city_brief(data)
    trend = brief.trend.set_index("week")
    backlog = backlog_at_week_end(data)
    earlier = trend["backlog_at_end"].dropna()
    earlier = earlier[earlier.index < brief.week]
    change = ""
    if len(earlier) >= 4:
        moved = backlog - int(earlier.iloc[-4])
        change = ", " + (_("{change:+,} on four weeks before", change=moved) if moved else
                         _("the same as four weeks before"))
    exceptions = brief.exceptions
    top = _("none this week; take the request type furthest below its target instead")
    if len(exceptions):
        row = exceptions.iloc[0]
        if row["unit"] == "share":
            top = _("{service}, whose on-time share is {value} against a usual {usual}",
                    service=row["service"], value=format_percent(row["value"]),
                    usual=format_percent(row["usual"]))
        else:
            top = _("{service}, whose backlog grew by {value} in a week against a usual "
                    "{usual}", service=row["service"], value=format_number(row["value"], 0),
                    usual=format_number(row["usual"], 0))
    return {
        "week": describe_period(brief.week), "week_end": format_date(brief.week_end, "long"),
        "as_of": format_date(data.as_of, "long"), "backlog": backlog, "backlog_change": change,
        "opened": opened_in_week(data.requests, brief),
        "open_now": int((data.requests["status"] == "open").sum()),
        "exceptions": len(exceptions), "exception_types": exception_types(data),
        "types": int(data.requests["service_code"].nunique()),
        "top_exception": top,
        "chance": chance_figure(brief.exception_checks),
        "checks": brief.exception_checks,
    }


# --- answers named by the exercise file (routine.yaml) -----------------------------------


def mistaken_requests_opened_that_week(data: CityData) -> Any:
    """The answer the mistake "requests opened that week" gives in exercise 1.5.3."""
    return opened_in_week(data.requests, city_brief(data))


def mistaken_open_when_the_data_was_extracted(data: CityData) -> Any:
    """The answer the mistake "open when the data was extracted" gives in exercise 1.5.3."""
    return int((data.requests['status'] == 'open').sum())


def mistaken_rows_not_request_types(data: CityData) -> Any:
    """The answer the mistake "rows, not request types" gives in exercise 1.5.4."""
    return len(city_brief(data).exceptions)


def mistaken_every_request_type(data: CityData) -> Any:
    """The answer the mistake "every request type" gives in exercise 1.5.4."""
    return int(data.requests['service_code'].nunique())
