"""Every pandas table a page shows, in the house table format.

A lesson keeps its few pandas steps (``requests["service_name"].value_counts()``), but what
a city manager reads under them should not be pandas' own print-out: a 0, 1, 2 ... row
index, ``NaN`` and ``NaT``, ``0.017632`` for 1.8%, ``service_name`` as a heading and
``Name: count, dtype: int64`` below a list. ``%load_ext cda_lib`` registers
:func:`frame_html` as the HTML display of every DataFrame and Series in the notebook, so
each shows as a :class:`~cda_lib.core.readable.ReadableTable`:

- headings in the page's language (:data:`COLUMN_LABELS`; any other ``snake_case`` name
  written as words), a Series' name as its one column's heading;
- a default row index (0, 1, 2 ...) left out; a named index shown as the first columns;
- numbers with thousands separators, at most four significant digits; shares (a column
  named for a share, every value between 0 and 1) as percentages to one decimal;
- a missing value as "—", dates as the pages write them, true/false as yes/no;
- a long table cut to its first and last rows, with a note of how many are not shown.

The plain-text display (a terminal, a test's ``str``) stays pandas' own.

>>> import pandas as pd
>>> counts = pd.Series([12, 3], index=pd.Index(["Pothole", "Noise"], name="service_name"),
...                    name="count")
>>> print(frame_table(counts))
Request type Count
Pothole         12
Noise            3
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from typing import Any

from cda_lib.core.readable import Cell, ReadableTable
from cda_lib.text.dates import format_date
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import N_, gettext as _, ngettext

# A table longer than this shows its first HEAD_ROWS and last TAIL_ROWS rows: enough to see
# its shape on a page, as pandas' own 60-row cut is not.
MAX_ROWS = 30
HEAD_ROWS, TAIL_ROWS = 10, 5
MISSING = "—"
# Headings for the column names the pages' tables use (the canonical requests table,
# the metrics' tables, the exercises' progress); others are written as words.
COLUMN_LABELS = {
    "service_request_id": N_("Request id"),
    "service_code": N_("Type code"),
    "service_name": N_("Request type"),
    "service": N_("Request type"),
    "status": N_("Status"),
    "status_notes": N_("Status note"),
    "requested_datetime": N_("Opened on"),
    "closed_datetime": N_("Closed on"),
    "agency_responsible": N_("Department"),
    "district": N_("District"),
    "district_id": N_("District id"),
    "lat": N_("Latitude"),
    "long": N_("Longitude"),
    "channel": N_("Channel"),
    "reopened": N_("Reopened"),
    "count": N_("Count"),
    "requests": N_("Number of requests"),
    "population": N_("Residents"),
    "month": N_("Month"),
    "week": N_("Week"),
    "period": N_("Period"),
    "share": N_("Share"),
    "share_open": N_("Share still open"),
    "cumulative_share": N_("Cumulative share"),
    "on_time_share": N_("On-time share"),
    "on_time_count": N_("On time"),
    "on_time_known": N_("Outcome known"),
    "on_time_pending": N_("Still pending"),
    "online_share": N_("Share online"),
    "share_low_income": N_("Low-income households"),
    "share_renters": N_("Renters"),
    "share_without_internet": N_("Without internet"),
    "share_age_65_plus": N_("Aged 65 and over"),
    "per_1000_a_year": N_("Per 1,000 residents a year"),
    "median_days": N_("Median days"),
    "median_days_closed": N_("Median days (closed)"),
    "median_closed_only": N_("Median of closed only"),
    "median_at_least": N_("Median at least"),
    "mean_days_closed": N_("Mean days (closed)"),
    "mean_to_median": N_("Mean ÷ median"),
    "p90_days": N_("90th percentile, days"),
    "standard_days": N_("Standard, days"),
    "still_open": N_("Still open"),
    "backlog_at_end": N_("Backlog at the end"),
    "metric": N_("Metric"),
    "value": N_("Value"),
    "actual": N_("Actual"),
    "target": N_("Target"),
    "baseline": N_("Baseline"),
    "change": N_("Change"),
    "lower": N_("Lower end"),
    "upper": N_("Upper end"),
    "before": N_("Before"),
    "after": N_("After"),
    "direction": N_("Direction"),
    "unit": N_("Unit"),
    "owner": N_("Owner"),
    "due": N_("Due"),
    "start": N_("Start"),
    "note": N_("Note"),
    "reason": N_("Reason"),
    "rules": N_("Rules"),
    "column": N_("Column"),
    "open311": N_("Open311"),
    "meaning": N_("Meaning"),
    "filled": N_("Filled"),
    "source": N_("Source"),
    "source_row": N_("Row in the source"),
    "exercise": N_("Exercise"),
    "title": N_("Title"),
    "tries": N_("Tries"),
    "hints": N_("Hints"),
    "commitment": N_("Commitment"),
    "raised": N_("Raised"),
    "overdue": N_("Overdue"),
    "detail": N_("Detail"),
    "dimension": N_("Dimension"),
    "problem": N_("Problem"),
    "handling": N_("Handling"),
    "flattered_by": N_("Flattered by"),
    "where": N_("Where"),
    "why": N_("Why"),
    "id": N_("Id"),
    "open": N_("Open"),
    "closed": N_("Closed"),
    "expected": N_("Expected"),
    "extracted": N_("Extracted"),
    "table": N_("Table"),
    "rows": N_("Rows"),
}
# A column is a share when its name says so and every value lies between 0 and 1.
SHARE_WORDS = ("share", "filled")


def column_label(name: Any) -> str:
    """The heading for a column or index name, in the page's language.

    >>> column_label("service_name"), column_label("days_to_close"), column_label(2025)
    ('Request type', 'Days to close', '2025')
    """
    if name is None:
        return ""
    if isinstance(name, tuple):
        return " · ".join(column_label(part) for part in name if str(part))
    text = str(name)
    if text in COLUMN_LABELS:
        return _(COLUMN_LABELS[text])
    if "_" in text and text == text.lower():
        words = text.replace("_", " ").strip()
        return words[:1].upper() + words[1:]
    return text


def frame_table(frame, caption: str = "") -> ReadableTable:
    """A DataFrame or Series as a :class:`ReadableTable` in the house format (see above)."""
    import pandas as pd

    if isinstance(frame, pd.Series):
        named = isinstance(frame.name, str | tuple)  # a row's Series is named by its index
        frame = frame.to_frame(name=frame.name if named else _("Value"))
    shown_index = not _default_index(frame.index)
    table = frame.reset_index() if shown_index else frame
    if shown_index:
        names = [name if name is not None else "" for name in frame.index.names]
        table.columns = [*names, *frame.columns]
    rows_total = len(table)
    notes = []
    if rows_total > MAX_ROWS:
        table = pd.concat([table.head(HEAD_ROWS), table.tail(TAIL_ROWS)])
        hidden = rows_total - HEAD_ROWS - TAIL_ROWS
        notes.append(ngettext("{count} row between these is not shown, of {total}.",
                              "{count} rows between these are not shown, of {total}.",
                              hidden, total=format_number(rows_total)))
    writers = [_writer(table.iloc[:, position], name)
               for position, name in enumerate(table.columns)]
    rows = [[write(value) for write, value in zip(writers, values, strict=True)]
            for values in table.itertuples(index=False, name=None)]
    return ReadableTable([column_label(name) for name in table.columns], rows,
                         caption=caption, notes=notes)


def frame_html(frame) -> str:
    """The HTML a notebook shows for a DataFrame or Series (registered by ``%load_ext``)."""
    return frame_table(frame)._repr_html_()


def register_table_display(ipython) -> None:
    """Show every DataFrame and Series in the notebook in the house table format."""
    import pandas as pd

    html = ipython.display_formatter.formatters["text/html"]
    html.for_type(pd.DataFrame, frame_html)
    html.for_type(pd.Series, frame_html)


def _default_index(index) -> bool:
    import pandas as pd

    return (isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
            and index.name is None)


def _writer(column, name):
    """How to write each value of one column: the column decides percent or number."""
    import pandas as pd

    values = column.dropna()
    is_share = (any(word in str(name).lower() for word in SHARE_WORDS)
                and pd.api.types.is_float_dtype(column.dtype) and len(values) > 0
                and bool(((values >= 0) & (values <= 1)).all()))
    return (lambda value: _cell(value, share=True)) if is_share else _cell


def _cell(value: Any, share: bool = False) -> Cell:
    import numpy as np
    import pandas as pd

    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return MISSING, False
    if value is pd.NA:
        return MISSING, False
    if isinstance(value, bool | np.bool_):
        return (_("yes") if value else _("no")), False
    if isinstance(value, pd.Timestamp | dt.datetime):
        moment = value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
        style = "day" if moment.time() == dt.time(0) else "moment"
        return format_date(moment, style), False
    if isinstance(value, dt.date):
        return format_date(value, "day"), False
    if isinstance(value, pd.Period):
        return str(value), False
    if isinstance(value, pd.Timedelta):
        return format_number(value / pd.Timedelta(days=1)) + " " + _("days"), True
    if isinstance(value, numbers.Integral):
        return format_number(int(value)), True
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isinf(number):
            return str(number), True
        return (format_percent(number, 1) if share else format_number(number)), True
    return str(value), False
