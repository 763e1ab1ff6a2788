"""The month-end backlog split by age, and the warm-up months at the start of the data.

An extract of requests opened since some date holds none of the requests opened before it,
so its first months' backlog is too low: the city's older open requests are missing. Two
things follow, and every headline, baseline and target on the backlog uses both:

* **warm-up months**: months that end less than :data:`LONG_OPEN_DAYS` after the data's
  first request. Their count of recently opened requests is incomplete too, so they are
  shown but never used for a headline, a baseline or a target;
* **open under 90 days** against **open 90 days or more**: the requests opened in the 90
  days before a month's end are all in the data once the warm-up is over, so that count
  compares from month to month. The older ones only pile up from the data's start: a
  rising count of them says some requests are not being closed (and that the true number
  is higher still), not that the service got slower this month.

>>> table = pd.DataFrame({
...     "requested_datetime": pd.to_datetime(["2025-01-05", "2025-01-06", "2025-04-10"]),
...     "closed_datetime": pd.to_datetime(["2025-01-07", None, None])})
>>> by_age = backlog_by_age(table, as_of="2025-05-31")
>>> by_age[["month", "backlog_at_end", "open_recent", "open_long", "warm_up"]].values.tolist()
[['2025-01', 1, 1, 0, True], ['2025-02', 1, 1, 0, True], ['2025-03', 1, 1, 0, True], \
['2025-04', 2, 1, 1, False], ['2025-05', 2, 1, 1, False]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cda_lib.metrics.inputs import as_timestamp, on_disk, require_columns
from cda_lib.text.translation import gettext as _

LONG_OPEN_DAYS = 90  # a quarter: past every standard the demo cities and most 311s set


def backlog_by_age(requests: pd.DataFrame, *, as_of,
                   long_open_days: int = LONG_OPEN_DAYS) -> pd.DataFrame:
    """Requests open at each month's end: all of them (``backlog_at_end``), those opened in
    the last ``long_open_days`` (``open_recent``) and the older ones (``open_long``), with
    ``warm_up`` true for months that end within ``long_open_days`` of the first request.

    Months run from the first request's to the extract's (a month counts when the data
    was extracted on its last day or later). A table kept on disk gives only the total
    and ``warm_up``; its age columns are empty.
    """
    as_of = as_timestamp(as_of, "as_of")
    if on_disk(requests):
        from cda_lib.metrics.kpi import month_end_backlog

        table = month_end_backlog(requests, as_of=as_of)
        first = pd.Period(table["month"].iloc[0], "M").start_time if len(table) else as_of
        return _with_warm_up(table.assign(open_recent=np.nan, open_long=np.nan), first,
                             long_open_days)
    require_columns(requests, ["requested_datetime", "closed_datetime"], _("a backlog by age"))
    opened = requests["requested_datetime"].to_numpy(dtype="datetime64[ns]")
    closed = requests["closed_datetime"].to_numpy(dtype="datetime64[ns]")
    if len(opened) == 0 or np.isnat(opened).all():
        return pd.DataFrame(columns=["month", "backlog_at_end", "open_recent", "open_long",
                                     "warm_up"])
    first = pd.Timestamp(np.nanmin(opened))
    last_month = as_of.to_period("M")
    if as_of.normalize() < last_month.end_time.normalize():
        last_month -= 1
    months = pd.period_range(first.to_period("M"), last_month, freq="M")
    window = np.timedelta64(int(long_open_days), "D")
    rows = []
    for month in months:
        end = np.datetime64(month.end_time.floor("s"), "ns")
        still_open = (opened <= end) & ~(closed <= end)  # NaT compares False: still open
        recent = still_open & (opened > end - window)
        rows.append((str(month), int(still_open.sum()), int(recent.sum()),
                     int(still_open.sum() - recent.sum())))
    table = pd.DataFrame(rows, columns=["month", "backlog_at_end", "open_recent", "open_long"])
    return _with_warm_up(table, first, long_open_days)


def settled(backlog: pd.DataFrame) -> pd.DataFrame:
    """The months after the warm-up: the ones a headline, baseline or target may use."""
    return backlog[~backlog["warm_up"].astype(bool)] if "warm_up" in backlog else backlog


def _with_warm_up(table: pd.DataFrame, first: pd.Timestamp, days: int) -> pd.DataFrame:
    ends = [pd.Period(month, "M").end_time for month in table["month"]]
    settled_from = first + pd.Timedelta(days=days)
    return table.assign(warm_up=[end < settled_from for end in ends]).reset_index(drop=True)
