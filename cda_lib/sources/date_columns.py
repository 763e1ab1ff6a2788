"""Dates whose time of day is in a column of its own, and closed times worked out from a
duration: the rules both loaders share (the pandas one in :mod:`cda_lib.sources.conform`,
the on-disk one in :mod:`cda_lib.metrics.engine`, which writes the same rules in SQL).

**Time columns.** A mapping's ``time_columns`` names, for ``requested_datetime`` and
``closed_datetime``, the column that holds its time of day. The date and the time are
joined as ``"<date> <time>"`` (a date cell's ``00:00:00`` left out) and read with the
formats :func:`datetime_formats` gives (the mapping's ``datetime_format`` for the date,
then a space, then ``time_format``, or each of :data:`TIME_FORMATS`). A row with a date
whose time is missing or not readable is set aside with that reason, rather than kept at
midnight: a made-up midnight would shift its days to close by up to a day, and the
account shows how many rows need a better ``time_format``.

**Durations.** A mapping's ``closed_from_duration`` names a column holding how long a
request took. A closed request (by its status; every request when the mapping has no
status column) with no closed date at all, a readable opened time and a duration that is
a plain number from 0 to :data:`LONGEST_DURATION_DAYS` days, gets as its closed time the
opened time plus that duration, rounded to the second. The account counts these rows as
derived (:func:`derived_close_note`); any other row is left as it is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cda_lib.sources.mapping import ColumnMapping

# the times a time column is read as when the mapping gives no time_format: 24-hour clock
TIME_FORMATS = ("%H:%M:%S", "%H:%M")
# a time column's date part when the mapping gives no datetime_format (ISO order)
ISO_DATE = "%Y-%m-%d"
# A duration is a plain decimal number ("2.5", "3", "1e2"); "inf", "nan" and "1_000" are
# not, so both loaders agree on what reads (ASCII digits: Python's \d takes any script's).
DURATION_NUMBER = r"[+-]?(?:[0-9]+[.]?[0-9]*|[.][0-9]+)(?:[eE][+-]?[0-9]+)?"
# A spreadsheet writes a date cell as text with a midnight ("2025-03-04 00:00:00"): that
# midnight is no time of day, so it is dropped before the time column's time is joined.
DATE_CELL_MIDNIGHT = r"[ T]00:00(?::00(?:[.]0+)?)?$"
# a century: longer than any request stays open, and the sum stays within the calendar
LONGEST_DURATION_DAYS = 36_525


def datetime_formats(mapping: ColumnMapping, canonical: str,
                     date_format: str | None = None) -> tuple[str, ...]:
    """The formats that read a date column's text (joined to its time, when it has one),
    tried in order; ``date_format`` stands in for the mapping's ``datetime_format``.

    >>> mapping = ColumnMapping("example", {"requested_datetime": "Open Date"},
    ...                         datetime_format="%m/%d/%Y",
    ...                         time_columns={"requested_datetime": "Open Time"})
    >>> datetime_formats(mapping, "requested_datetime")
    ('%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M')
    >>> datetime_formats(mapping, "closed_datetime")
    ('%m/%d/%Y',)
    """
    date_format = date_format or mapping.datetime_format
    if canonical not in mapping.time_columns:
        return (date_format,) if date_format else ()
    return tuple(f"{date_format or ISO_DATE} {time}" for time in time_formats(mapping))


def time_formats(mapping: ColumnMapping) -> tuple[str, ...]:
    """The formats a time column is read with: the mapping's, else :data:`TIME_FORMATS`."""
    return (mapping.time_format,) if mapping.time_format else TIME_FORMATS


def date_part_format(mapping: ColumnMapping) -> str:
    """How a date column typed as a date (Excel, Parquet) is written out to join its time."""
    return mapping.datetime_format or ISO_DATE


def parsed_by_formats(values: pd.Series, formats: tuple[str, ...]) -> pd.Series:
    """``values`` read with the first of ``formats`` that fits each (NaT where none does)."""
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for given in formats:
        retry = parsed.isna() & values.notna()
        if not retry.any():
            break
        parsed[retry] = pd.to_datetime(values[retry], format=given, errors="coerce")
    return parsed


def joined_date_and_time(date_text: pd.Series, time_text: pd.Series) -> pd.Series:
    """``"<date> <time>"``, empty where either is; a date cell's midnight is left out.

    >>> joined_date_and_time(pd.Series(["03/04/2025", "2025-03-05 00:00:00", None],
    ...                                dtype="string"),
    ...                      pd.Series(["10:15", "08:00", "09:00"], dtype="string")).tolist()
    ['03/04/2025 10:15', '2025-03-05 08:00', <NA>]
    """
    dates = date_text.astype("string").str.replace(DATE_CELL_MIDNIGHT, "", regex=True)
    return dates + " " + time_text.astype("string")


def readable_times(time_text: pd.Series, mapping: ColumnMapping) -> pd.Series:
    """True where a time column's text reads with the mapping's time formats."""
    return parsed_by_formats(time_text, time_formats(mapping)).notna()


def duration_seconds(column: pd.Series, mapping: ColumnMapping,
                     text: pd.Series) -> pd.Series:
    """A duration column in whole seconds (float, NaN where it cannot be used).

    ``text`` is the column as trimmed text (blanks and missing words empty). A value is
    used when it is a plain number from 0 to :data:`LONGEST_DURATION_DAYS` days;
    seconds are rounded half up, as the on-disk loader rounds them.
    """
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        numbers = column.astype("float64")
    else:
        plain = text.str.fullmatch(DURATION_NUMBER).fillna(False).astype(bool)
        numbers = pd.to_numeric(text.where(plain), errors="coerce").astype("float64")
    seconds = numbers * mapping.closed_from_duration.seconds_per_unit
    usable = np.isfinite(seconds) & (seconds >= 0) & (seconds <= longest_duration_seconds())
    return np.floor(seconds + 0.5).where(usable)


def longest_duration_seconds() -> int:
    return LONGEST_DURATION_DAYS * 86_400


def derived_closes(opened: pd.Series, seconds: pd.Series, eligible: pd.Series) -> pd.Series:
    """The opened time plus ``seconds`` where ``eligible`` (a duration there), else NaT."""
    use = (eligible & seconds.notna() & opened.notna()).to_numpy(dtype=bool)
    closes = pd.Series(pd.NaT, index=opened.index, dtype="datetime64[ns]")
    if use.any():
        offsets = pd.to_timedelta(seconds[use].astype("int64"), unit="s")
        closes[use] = opened[use] + offsets
    return closes


def derived_close_note(mapping: ColumnMapping) -> str:
    """What the account says of the rows whose closed time was derived.

    >>> from cda_lib.sources.mapping import ClosedFromDuration
    >>> mapping = ColumnMapping("example", {}, closed_from_duration=ClosedFromDuration(
    ...     "Days to close", "days"))
    >>> derived_close_note(mapping)
    'closed time from the opened time plus "Days to close" (closed, with no closed date)'
    """
    column = mapping.closed_from_duration.column
    return f'closed time from the opened time plus "{column}" (closed, with no closed date)'
