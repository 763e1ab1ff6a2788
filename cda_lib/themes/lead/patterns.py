"""Patterns in service requests: how many, when, of what kinds, and from where.

The descriptive half of module 1.1, *Asking good questions of service data*. Each
function takes the canonical service-requests table (:mod:`cda_lib.core.schema`) and returns
a small table a leader can read: what each field means and how complete it is
(:func:`field_guide`), how volume changed over the last year (:func:`volume_change`),
which months are busy for which request types (:func:`seasonal_index`), how few types
make up most requests (:func:`type_concentration`) and how many requests each district
sends for its population (:func:`district_rates`).

What 311 data measures
----------------------
A service request records that a resident *asked*: not that a problem exists, and not
that it was fixed. Volume depends on need and on who knows, trusts and can reach the
service, which is why the GovEx Ethics & Algorithms Toolkit's own example of a
representativeness risk is "311 data is biased to those who call 311"
(``civic-standards.md``, B2). :func:`district_rates` therefore sets each district's
rate beside its demographics and its share of requests made online, so the table shows
the question as well as the count.

The data's end
--------------
"The last 12 months" end when the data does: at the extract (``as_of``), or at the
latest request when the data stopped well before the extract, as a portal download
limited to an earlier year does (:func:`data_end`).

>>> table = pd.DataFrame({"service_name": ["Pothole", "Pothole", "Graffiti", "Noise"]})
>>> type_concentration(table)
  service_name  requests  share  cumulative_share
0      Pothole         2   0.50              0.50
1     Graffiti         1   0.25              0.75
2        Noise         1   0.25              1.00
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cda_lib.core.errors import CdaError, did_you_mean, list_choices
from cda_lib.core.schema import SERVICE_REQUESTS
from cda_lib.metrics import periods
from cda_lib.text.dates import format_date, month_names
from cda_lib.text.numbers import format_percent
from cda_lib.text.translation import N_, gettext as _

# Workbook column -> the Open311 GeoReport v2 field it corresponds to (civic-standards.md
# B5). The workbook keeps Open311's names; Open311 stores the close time in
# updated_datetime, and has no district or channel field (vendors add them, as Chicago's
# extended_attributes do with ward and channel).
OPEN311_FIELDS = {
    "service_request_id": "service_request_id",
    "service_code": "service_code",
    "service_name": "service_name",
    "status": N_("status (open or closed)"),
    "status_notes": "status_notes",
    "requested_datetime": "requested_datetime",
    "closed_datetime": N_("updated_datetime, once the request is closed"),
    "agency_responsible": "agency_responsible",
    "district": N_("none: a vendor extension (Chicago's ward)"),
    "lat": "lat",
    "long": "long",
    "channel": N_("none: a vendor extension (Chicago's channel)"),
    "reopened": N_("none: some systems log it in their notes"),
}
# Requests made on the city's website or app need internet access; the share of a
# district's requests made this way shows how much its rate depends on being online.
ONLINE_CHANNELS = ("web", "mobile app")
# When the latest request is more than a month older than the extract, the data stopped
# early (a portal download of an earlier year): "the last 12 months" end at the data.
STALE_DAYS = 31
MONTHS_PER_YEAR = 12
PER_RESIDENTS = 1000  # rates per 1,000 residents: the unit city managers compare
TOP_TYPES = 5  # the seasonal table follows the five most common types: most of the volume
NOT_RECORDED = "(not recorded)"  # the row of requests with no district, or an unknown one


class PatternError(CdaError, ValueError):
    """A pattern was asked of a table that cannot show it."""


# --- the fields ----------------------------------------------------------------------------


def field_guide(requests: pd.DataFrame) -> pd.DataFrame:
    """Each column of the requests table: its Open311 name, what it means, how complete it is.

    >>> table = pd.DataFrame({"service_request_id": ["1", "2"],
    ...                       "closed_datetime": pd.to_datetime(["2025-03-02", None])})
    >>> field_guide(table)[["column", "filled"]]
                   column  filled
    0  service_request_id     1.0
    1     closed_datetime     0.5
    """
    _require_table(requests)
    rows = []
    for column in requests.columns:
        values = requests[column]
        filled = values.notna()
        if pd.api.types.is_string_dtype(values):
            filled &= values.astype("string").str.strip().ne("").fillna(False)
        rows.append({
            "column": str(column),
            "open311": _(OPEN311_FIELDS[column]) if column in OPEN311_FIELDS
            else _("none: a column of this city's own"),
            "meaning": _(SERVICE_REQUESTS.descriptions[column])
            if column in SERVICE_REQUESTS.descriptions else _("a column of this city's own"),
            "filled": float(filled.mean()) if len(values) else float("nan"),
        })
    return pd.DataFrame(rows, columns=["column", "open311", "meaning", "filled"])


# --- volume --------------------------------------------------------------------------------


def data_end(requests: pd.DataFrame, as_of) -> pd.Timestamp:
    """Where "the last 12 months" end: the extract, or the latest request if the data
    stopped more than :data:`STALE_DAYS` days before it.

    >>> table = pd.DataFrame({"requested_datetime": pd.to_datetime(["2024-12-30"])})
    >>> data_end(table, "2026-06-01")
    Timestamp('2024-12-30 00:00:00')
    >>> data_end(table, "2025-01-10")
    Timestamp('2025-01-10 00:00:00')
    """
    when = _dates(requests)
    as_of = pd.Timestamp(as_of)
    latest = when.max()
    return latest if (as_of - latest) > pd.Timedelta(days=STALE_DAYS) else as_of


@dataclass(frozen=True, repr=False)
class VolumeChange:
    """Requests in the last 12 months of the data against the 12 months before."""

    last_12_months: int
    previous_12_months: int | None
    end: pd.Timestamp
    note: str = ""

    @property
    def change(self) -> float | None:
        """The change as a share of the earlier year (0.08 = 8% more); None when unknown."""
        if not self.previous_12_months:
            return None
        return (self.last_12_months - self.previous_12_months) / self.previous_12_months

    def __str__(self) -> str:
        values = {"count": self.last_12_months, "end": _day(self.end),
                  "previous": self.previous_12_months}
        if self.change is None:
            return " ".join(part for part in (
                _("{count:,} requests in the 12 months to {end}.", **values), self.note) if part)
        values["share"] = format_percent(abs(self.change), 1)
        if self.change >= 0:
            return _("{count:,} requests in the 12 months to {end}: {share} more than the "
                     "{previous:,} of the 12 months before.", **values)
        return _("{count:,} requests in the 12 months to {end}: {share} fewer than the "
                 "{previous:,} of the 12 months before.", **values)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        return f'<p class="cda-metric">{html.escape(str(self))}</p>'


def volume_change(requests: pd.DataFrame, *, as_of) -> VolumeChange:
    """Requests in the last 12 months of the data and the change from the 12 months before.

    A request counts in a window when it was opened after the window's start and no later
    than its end (the end is :func:`data_end`). When the data does not reach back a full
    24 months, the earlier year is not compared (a part year would make any change).

    >>> table = pd.DataFrame({"requested_datetime": pd.to_datetime(
    ...     ["2024-01-10", "2024-06-01", "2025-02-01", "2025-03-01", "2025-12-01"])})
    >>> result = volume_change(table, as_of="2025-12-31")
    >>> result.last_12_months, result.previous_12_months, round(result.change, 2)
    (3, 2, 0.5)
    """
    when = _dates(requests)
    end = data_end(requests, as_of)
    start = end - pd.DateOffset(months=MONTHS_PER_YEAR)
    earlier = start - pd.DateOffset(months=MONTHS_PER_YEAR)
    last = int(((when > start) & (when <= end)).sum())
    if when.min() > earlier + pd.Timedelta(days=STALE_DAYS):
        return VolumeChange(last, None, end, note=_(
            "The data starts on {start}, less than two years before, so there is no full "
            "earlier year to compare with.", start=_day(when.min())))
    previous = int(((when > earlier) & (when <= start)).sum())
    return VolumeChange(last, previous, end)


# --- seasons -------------------------------------------------------------------------------


def whole_months(requests: pd.DataFrame) -> pd.PeriodIndex:
    """The calendar months the data covers from their first day to their last.

    A first month that starts after its first day, or a last month that stops before its
    last day, is left out (its count would look low for no reason).

    >>> table = pd.DataFrame({"requested_datetime": pd.to_datetime(
    ...     ["2025-01-05", "2025-02-01", "2025-03-31"])})
    >>> [str(m) for m in whole_months(table)]
    ['2025-02', '2025-03']
    """
    return periods.whole_months(_dates(requests))


def seasonal_index(requests: pd.DataFrame, *, by: str = "service_name",
                   top: int = TOP_TYPES) -> pd.DataFrame:
    """How busy each calendar month is, for all requests and the ``top`` most common types.

    The index of a month is its requests per day divided by the year-round requests per
    day, over the whole months the data covers: 1.5 means half again as busy as usual,
    0.5 half as busy. Per day, so that February's short month does not look quiet. With
    several years, each calendar month pools its years (a growing city's later years
    weigh a little more). A calendar month the data never covers in full is empty.

    The months are named in the page's language (the index is for reading; each row is
    its calendar month, January first).

    >>> table = pd.DataFrame({"service_name": ["Pothole"] * 4, "requested_datetime":
    ...     pd.to_datetime(["2025-01-01", "2025-01-15", "2025-01-31", "2025-02-28"])})
    >>> index = seasonal_index(table)  # January: 3 requests in 31 days, against 4 in 59
    >>> index.loc[["January", "February"], "Pothole"].round(2).tolist()
    [1.43, 0.53]
    """
    require_columns(requests, [by], _("a seasonal table"))
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise PatternError(_("top should be a whole number of types such as 5, not {top}.",
                             top=repr(top)))
    months = whole_months(requests)
    if len(months) == 0:
        raise PatternError(_("The data does not cover one whole calendar month, so no month "
                             "can be compared with the others. Use a longer extract."))
    when = requests["requested_datetime"]
    in_months = when.dt.to_period("M").isin(months).fillna(False).to_numpy()
    chosen = requests[in_months]
    types = type_concentration(chosen, column=by)[by].head(top).tolist()
    days = pd.Series(months.days_in_month, index=months.month)
    days_per_calendar_month = days.groupby(level=0).sum()
    columns = {"All requests": chosen}
    columns.update({name: chosen[chosen[by].astype("string") == name] for name in types})
    table = {}
    for name, rows in columns.items():
        counts = rows["requested_datetime"].dt.month.value_counts()
        per_day = counts.reindex(days_per_calendar_month.index, fill_value=0) \
            / days_per_calendar_month
        overall = len(rows) / days.sum()
        table[name] = (per_day / overall).reindex(range(1, 13))
    result = pd.DataFrame(table)
    result.index = pd.Index(list(month_names()), name="month")
    return result


def seasonal_peaks(index: pd.DataFrame) -> pd.DataFrame:
    """For each column of :func:`seasonal_index`: its busiest and quietest months, and how
    far apart they are; the column that swings most comes first.

    >>> index = pd.DataFrame({"Pothole": [1.5, 0.5], "Noise": [0.9, 1.1]},
    ...                      index=pd.Index(["March", "July"], name="month"))
    >>> seasonal_peaks(index)[["name", "peak_month", "peak_index", "quietest_month"]]
          name peak_month  peak_index quietest_month
    0  Pothole      March         1.5           July
    1    Noise       July         1.1          March
    """
    rows = []
    for name in index.columns:
        column = index[name].dropna()
        if column.empty:
            continue
        rows.append({"name": str(name), "peak_month": column.idxmax(),
                     "peak_index": float(column.max()), "quietest_month": column.idxmin(),
                     "quietest_index": float(column.min())})
    table = pd.DataFrame(rows, columns=["name", "peak_month", "peak_index", "quietest_month",
                                        "quietest_index"])
    return table.sort_values("peak_index", ascending=False, kind="stable").reset_index(drop=True)


# --- types ---------------------------------------------------------------------------------


def type_concentration(requests: pd.DataFrame, *, column: str = "service_name",
                       top: int | None = None) -> pd.DataFrame:
    """Requests of each type, most common first, with each type's share and the running total.

    The running total answers "how few types make up most of the requests?". Ties are in
    alphabetical order; ``top`` keeps the first rows (shares stay shares of all requests).
    """
    require_columns(requests, [column], _("a table of request types"))
    names = requests[column].astype("string").str.strip()
    counts = names.value_counts().sort_index().sort_values(ascending=False, kind="stable")
    total = len(requests)
    table = pd.DataFrame({column: counts.index.astype(str), "requests": counts.to_numpy(
        dtype="int64")})
    table["share"] = table["requests"] / total if total else np.nan
    table["cumulative_share"] = table["share"].cumsum()
    return table.head(top) if top is not None else table


# --- places --------------------------------------------------------------------------------


def months_covered(requests: pd.DataFrame) -> int:
    """Calendar months from the first request's month to the latest one's, both included.

    >>> table = pd.DataFrame({"requested_datetime": pd.to_datetime(["2024-01-09", "2025-12-02"])})
    >>> months_covered(table)
    24
    """
    return periods.calendar_months_covered(_dates(requests))


def district_rates(requests: pd.DataFrame, districts: pd.DataFrame, *,
                   per: int = PER_RESIDENTS) -> pd.DataFrame:
    """Each district's requests per ``per`` residents a year, beside what shapes who calls.

    Columns: ``district``, ``population``, ``requests``, ``per_1000_a_year`` (requests per
    ``per`` residents for each year of data; a year is 12 of the calendar months the data
    covers, :func:`months_covered`), ``online_share`` (the share made on the web or the
    app) and the districts table's demographic shares. A last row, "(not recorded)",
    counts the requests with no district or one the districts table does not have, so the
    ``requests`` column adds up to every request given.

    >>> requests = pd.DataFrame({
    ...     "district": ["North", "North", "South", None],
    ...     "channel": ["web", "phone", "phone", "web"],
    ...     "requested_datetime": pd.to_datetime(["2025-01-05", "2025-06-01", "2025-09-01",
    ...                                           "2025-12-20"])})
    >>> districts = pd.DataFrame({"district": ["North", "South"], "population": [1000, 2000]})
    >>> district_rates(requests, districts)[["district", "requests", "per_1000_a_year"]]
             district  requests  per_1000_a_year
    0           North         2              2.0
    1           South         1              0.5
    2  (not recorded)         1              NaN
    """
    require_columns(requests, ["district", "requested_datetime"], _("rates by district"))
    if "district" not in districts.columns or "population" not in districts.columns:
        raise PatternError(_("The districts table needs a district and a population column: "
                             "use data.districts."))
    if isinstance(per, bool) or not isinstance(per, int) or per < 1:
        raise PatternError(_("per should be a whole number of residents such as 1000, not "
                             "{per}.", per=repr(per)))
    years = months_covered(requests) / MONTHS_PER_YEAR
    names = requests["district"].astype("string").str.strip()
    known = names.isin(districts["district"].astype(str)).fillna(False).to_numpy()
    counts = names[known].value_counts()
    table = districts.copy()
    table["district"] = table["district"].astype(str)
    table["requests"] = counts.reindex(table["district"], fill_value=0).to_numpy(dtype="int64")
    population = table["population"].astype(float).where(table["population"] > 0)
    table["per_1000_a_year"] = table["requests"] / population * per / years
    table["online_share"] = _online_share(requests[known], names[known], table["district"])
    shares = [c for c in districts.columns if str(c).startswith("share_")]
    columns = ["district", "population", "requests", "per_1000_a_year", "online_share", *shares]
    unmatched = pd.DataFrame({"district": [NOT_RECORDED], "requests": [int((~known).sum())]})
    table = pd.concat([table[columns], unmatched], ignore_index=True)
    table["requests"] = table["requests"].astype("int64")
    table["population"] = table["population"].astype("Int64")
    return table


def _online_share(requests: pd.DataFrame, names: pd.Series, order: pd.Series) -> np.ndarray:
    if "channel" not in requests.columns:
        return np.full(len(order), np.nan)
    online = requests["channel"].astype("string").isin(ONLINE_CHANNELS).fillna(False)
    share = online.groupby(names.to_numpy()).mean()
    return share.reindex(order).to_numpy(dtype=float)


# --- internals -----------------------------------------------------------------------------


def _require_table(requests) -> None:
    if not isinstance(requests, pd.DataFrame):
        raise PatternError(_("This needs a table of service requests, not {kind}. Pass "
                             "data.requests.", kind=type(requests).__name__))


def require_columns(requests: pd.DataFrame, columns: list[str], purpose: str) -> None:
    _require_table(requests)
    missing = [c for c in columns if c not in requests.columns]
    if missing:
        have = [str(c) for c in requests.columns]
        raise PatternError(_("The service requests table has no {columns} column, which "
                             "{purpose} needs.", columns=list_choices(missing), purpose=purpose)
                           + did_you_mean(missing[0], have) + " "
                           + _("It has {columns}.", columns=list_choices(have, limit=15)))


def _dates(requests: pd.DataFrame) -> pd.Series:
    require_columns(requests, ["requested_datetime"], _("a pattern over time"))
    when = requests["requested_datetime"]
    if not pd.api.types.is_datetime64_dtype(when):
        raise PatternError(_("The requested_datetime column holds {kind} values, not dates. "
                             "Load the table with cda_lib's loaders.", kind=str(when.dtype)))
    when = when.dropna()
    if when.empty:
        raise PatternError(_("The table has no dated requests, so there is no pattern over "
                             "time to show. Check the filter that made it."))
    return when


def _day(moment: pd.Timestamp) -> str:
    return format_date(moment, "long")
