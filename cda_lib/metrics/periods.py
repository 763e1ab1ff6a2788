"""Periods: reading "2025Q1", labelling a week or month, saying it in words, whole months.

One place writes a period as the KPI table labels it ("2025-03", "2025Q1",
"2025-03-10/2025-03-16" for a week), reads a period a learner writes, and says a label in
words ("March 2025", "the week of 10 Mar 2025"), so every page and chart says the same.
The whole months of the data (:func:`whole_months`) are the calendar months it covers from
their first day to their last: a part month's count would look like a drop.

>>> label = period_label(pd.Timestamp("2025-03-14"), "month")
>>> label, describe_period(label)
('2025-03', 'March 2025')
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from cda_lib.core.errors import list_choices
from cda_lib.metrics.inputs import MetricInputError, as_timestamp
from cda_lib.text.dates import describe_period, format_date  # noqa: F401 (the metrics' name for it)
from cda_lib.text.translation import gettext as _

# The periods a table can be grouped by, as pandas period frequencies. Weeks run Monday to
# Sunday (ISO 8601), as city work weeks and stat meetings do.
TIME_KEYS = {"week": "W-SUN", "month": "M", "quarter": "Q-DEC", "year": "Y-DEC"}
DAY_NS = 86_400 * 1_000_000_000  # nanoseconds in a day: the unit of pandas' timestamps


def period_bounds(period) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last moment of a period given as "2025", "2025Q1", "2025-03" or dates.

    >>> period_bounds("2025-02")
    (Timestamp('2025-02-01 00:00:00'), Timestamp('2025-02-28 23:59:59.999999999'))
    >>> period_bounds(("2025-01-01", "2025-01-31"))[1]
    Timestamp('2025-01-31 23:59:59.999999999')
    >>> period_bounds("2025-03-10/2025-03-16")[1]  # a week, as the KPI tables label it
    Timestamp('2025-03-16 23:59:59.999999999')
    """
    if isinstance(period, pd.Period):
        return period.start_time, last_moment(period)
    if isinstance(period, (tuple, list)) and len(period) == 2:
        start, end = (as_timestamp(value, "period") for value in period)
        end = end + pd.Timedelta(days=1) - pd.Timedelta(1, "ns") if end == end.normalize() \
            else end
        if end < start:
            raise MetricInputError(_(
                "The period ends ({end}) before it starts ({start}). Give the earlier date "
                "first.", end=format_date(end), start=format_date(start)))
        return start, end
    text = str(period).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}", text):
        return period_bounds(tuple(text.split("/")))
    try:
        parsed = pd.Period(text)
    except (ValueError, TypeError):
        raise MetricInputError(_(
            '"{period}" is not a period the workbook can read. Write a year ("2025"), a '
            'quarter ("2025Q1"), a month ("2025-03") or two dates ("2025-01-01", "2025-03-31").',
            period=period)) from None
    return parsed.start_time, last_moment(parsed)


def last_moment(period: pd.Period) -> pd.Timestamp:
    """The period's last nanosecond (pandas rounds ``end_time`` to microseconds)."""
    return (period + 1).start_time.as_unit("ns") - pd.Timedelta(1, "ns")


def period_label(when: pd.Timestamp | dt.date, time_key: str) -> str:
    """The label the KPI table gives the period holding ``when`` ("2025-03" for a month).

    >>> period_label(pd.Timestamp("2025-03-14"), "month"), period_label(pd.Timestamp(
    ...     "2025-03-14"), "week")
    ('2025-03', '2025-03-10/2025-03-16')
    """
    if time_key not in TIME_KEYS:
        raise MetricInputError(_('"{key}" is not a period; use {choices}.', key=time_key,
                                 choices=list_choices(TIME_KEYS)))
    return str(pd.Timestamp(when).to_period(TIME_KEYS[time_key]))


def period_labels(when: pd.Series, time_key: str) -> pd.Series:
    """:func:`period_label` for each date of a column, as text ("2025-03" for a month).

    >>> period_labels(pd.Series(pd.to_datetime(["2025-03-14", "2025-04-01"])), "month").tolist()
    ['2025-03', '2025-04']
    """
    if time_key not in TIME_KEYS:
        raise MetricInputError(_('"{key}" is not a period; use {choices}.', key=time_key,
                                 choices=list_choices(TIME_KEYS)))
    return when.dt.to_period(TIME_KEYS[time_key]).astype(str)


def periods_over(periods: pd.PeriodIndex, as_of: pd.Timestamp) -> np.ndarray:
    """True for each period whose last day had begun by the extract (its backlog is final)."""
    return np.asarray(as_of >= periods.end_time.normalize())


def period_words(period, start: pd.Timestamp, end: pd.Timestamp) -> str:
    """A period a learner gave, for a sentence: the two dates of a pair, else as written."""
    if isinstance(period, (tuple, list)):
        return _("{start} to {end}", start=format_date(start), end=format_date(end))
    return f'"{period}"'


def whole_months(opened: pd.Series) -> pd.PeriodIndex:
    """The calendar months ``opened`` (request dates) covers from their first day to their last.

    A first month whose earliest request is after its 1st, or a last month whose latest
    request is before its last day, is left out: the data only partly covers it, so its
    count would look low for no reason. A month inside with no requests is a whole month
    (of 0 requests). Empty when the data covers no calendar month in full.

    >>> opened = pd.Series(pd.to_datetime(["2025-01-05", "2025-02-01", "2025-03-31"]))
    >>> [str(month) for month in whole_months(opened)]
    ['2025-02', '2025-03']
    """
    when = opened.dropna()
    if when.empty:
        return pd.PeriodIndex([], freq="M")
    first, last = when.min(), when.max()
    months = pd.period_range(first.to_period("M"), last.to_period("M"), freq="M")
    if first.normalize() > months[0].start_time:
        months = months[1:]
    if len(months) and last.normalize() < months[-1].end_time.normalize():
        months = months[:-1]
    return months


def requests_per_whole_month(opened: pd.Series) -> pd.Series:
    """Requests opened in each of the :func:`whole_months`, a month with none counted as 0.

    ``opened`` holds the requests' opened dates. The index is the months (pandas
    periods), the values whole numbers.

    >>> opened = pd.Series(pd.to_datetime(["2025-01-01", "2025-01-31", "2025-03-31"]))
    >>> requests_per_whole_month(opened).to_dict()
    {Period('2025-01', 'M'): 2, Period('2025-02', 'M'): 0, Period('2025-03', 'M'): 1}
    """
    months = whole_months(opened)
    counts = opened.dropna().dt.to_period("M").value_counts()
    return counts.reindex(months, fill_value=0).astype("int64")


def calendar_months_covered(opened: pd.Series) -> int:
    """Calendar months from the first date's month to the latest one's, both included: the
    length of the data that rates "a year" divide by (12 of these months are a year).

    >>> calendar_months_covered(pd.Series(pd.to_datetime(["2024-01-09", "2025-12-02"])))
    24
    """
    when = pd.Series(opened).dropna()
    first, last = when.min().to_period("M"), when.max().to_period("M")
    return int((last - first).n + 1)
