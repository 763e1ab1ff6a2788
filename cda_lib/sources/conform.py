"""Turn a raw table from any source into the canonical service-requests table.

Every source (local files, portals, the generator) ends here, so the rules for
what is set aside and why are written once. A row is set aside, with its reason,
when it cannot be used as a service request at all; a row that is usable but has a
gap (no district, no coordinates) is kept and counted by the quality checks.

Set-aside rules, in the order they are applied (a row gets the first that fits):

1. missing request id
2. missing request type
3. missing opened date
4. opened date not readable
5. closed date not readable
6. status not in the mapping
7. closed but has no closed date
8. closed before it was opened
9. opened after the data was extracted (a future date)
10. duplicate request id (the first row with an id is kept, later copies set aside)

The as-of moment (when the data was extracted) is given, or else the data's last
moment: the latest opened or closed time among the kept rows (so no row is a future
date), said in the account's notes. A given as-of long after the data ends is noted too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cda_lib.core.account import AccountReport, LoadAccount
from cda_lib.core.errors import MappingError, did_you_mean, list_choices
from cda_lib.core.schema import SERVICE_REQUESTS
from cda_lib.sources.mapping import ColumnMapping

MISSING_ID = "missing request id"
MISSING_TYPE = "missing request type"
MISSING_OPENED = "missing opened date"
UNREADABLE_OPENED = "opened date not readable"
UNREADABLE_CLOSED = "closed date not readable"
UNKNOWN_STATUS = "status not in the mapping"
CLOSED_WITHOUT_DATE = "closed but has no closed date"
CLOSED_BEFORE_OPENED = "closed before it was opened"
FUTURE_OPENED = "opened after the data was extracted (a future date)"
DUPLICATE_ID = "duplicate request id"

UNREADABLE_COORDINATES = "coordinates not readable (left empty)"
UNKNOWN_CHANNEL = "channel not in the mapping (left empty)"
UNREADABLE_REOPENED = "reopened not readable as yes or no (left empty)"
FUTURE_CLOSED = "closed after the data was extracted (a future date)"

# A given as_of this long after the data's last moment is noted: every open request would
# look at least this old. A quarter is longer than any export's usual lag behind its data.
STALE_AS_OF_DAYS = 90
# the rules' as-of while the data's own last moment is not known yet: later than any date
NO_AS_OF_YET = pd.Timestamp("2200-01-01")

# How sources write yes and no in a flag column such as "reopened" (compared in lower case).
YES_WORDS = ("true", "yes", "y", "1", "t", "si", "sí", "sim")
NO_WORDS = ("false", "no", "n", "0", "f", "não", "nao")


@dataclass
class LoadResult:
    """A canonical table and the account of how it was loaded."""

    table: pd.DataFrame
    account: AccountReport  # a LoadAccount, or a CountedAccount when read from the cache
    as_of: pd.Timestamp | None = None  # the as-of moment the load used (given or the data's)

    def _repr_html_(self) -> str:
        return self.account._repr_html_()


def conform_service_requests(raw: pd.DataFrame, mapping: ColumnMapping, *, source: str,
                             as_of: pd.Timestamp | None = None,
                             districts: Mapping[str, str] | None = None) -> LoadResult:
    """Map, convert and check ``raw``; set aside unusable rows with their reasons.

    ``as_of`` is when the data was extracted: requests opened after it are future
    dates, closed after it flagged. It defaults to the data's last moment (see above).
    ``districts`` (the city file's district names by id) turns a district written as its
    id into its name, after the mapping's ``district_values``; a name stays as it is.
    """
    check_columns(raw, mapping, source)
    raw = raw.reset_index(drop=True)
    account = LoadAccount.start(source, raw)
    given = None if as_of is None else pd.Timestamp(as_of)
    as_of = NO_AS_OF_YET if given is None else given
    table = pd.DataFrame(index=raw.index)

    def text(canonical: str) -> pd.Series:
        if canonical not in mapping.columns:
            return pd.Series(pd.NA, index=raw.index, dtype="string")
        return _as_text(raw[mapping.columns[canonical]], mapping.missing_values)

    table["service_request_id"] = text("service_request_id")
    table["service_name"] = text("service_name")
    table["service_code"] = _service_codes(text("service_code"), table["service_name"], mapping)
    table["agency_responsible"] = text("agency_responsible")
    table["district"] = district_names(text("district"), mapping, districts)
    account.set_aside(table["service_request_id"].isna(), MISSING_ID)
    account.set_aside(table["service_name"].isna(), MISSING_TYPE)

    opened_text = text("requested_datetime")
    opened = _as_datetime(raw, mapping, "requested_datetime")
    account.set_aside(opened_text.isna() & opened.isna(), MISSING_OPENED)
    account.set_aside(opened.isna(), UNREADABLE_OPENED, details=opened_text)
    closed_text = text("closed_datetime")
    closed = _as_datetime(raw, mapping, "closed_datetime")
    account.set_aside(closed.isna() & closed_text.notna(), UNREADABLE_CLOSED, details=closed_text)
    table["requested_datetime"] = opened
    table["closed_datetime"] = closed

    status_text = text("status")
    status = _status(status_text, closed, mapping)
    account.set_aside(status.isna(), UNKNOWN_STATUS, details=status_text)
    table["status"] = status
    table["status_notes"] = text("status_notes")
    account.set_aside((status == "closed") & closed.isna(), CLOSED_WITHOUT_DATE)
    account.set_aside(closed < opened, CLOSED_BEFORE_OPENED)
    account.set_aside(opened > as_of, FUTURE_OPENED, details=opened.astype("string"))
    account.flag(closed > as_of, FUTURE_CLOSED)
    still_kept = account.kept_mask
    ids = table["service_request_id"].where(still_kept)
    account.set_aside(ids.notna() & ids.duplicated(keep="first"), DUPLICATE_ID)

    for axis in ("lat", "long"):
        table[axis] = _as_number(raw, mapping, axis, account)
    table["channel"] = _channel(text("channel"), mapping, account)
    optional = _optional_columns(raw, mapping)
    if "reopened" in optional:
        table["reopened"] = _as_flag(raw[optional["reopened"]], mapping, account)

    account.verify()
    kept = account.kept_rows(table[SERVICE_REQUESTS.columns + list(optional)])
    kept = SERVICE_REQUESTS.validate(_with_canonical_dtypes(kept))
    as_of, account.notes = resolve_as_of(given, last_moment(kept))
    return LoadResult(kept, account, as_of)


def last_moment(table: pd.DataFrame) -> pd.Timestamp | None:
    """The latest opened or closed time in a canonical table (None when it has no dates)."""
    latest = pd.concat([table["requested_datetime"], table["closed_datetime"]]).max()
    return None if pd.isna(latest) else pd.Timestamp(latest)


def resolve_as_of(given: pd.Timestamp | None,
                  last: pd.Timestamp | None) -> tuple[pd.Timestamp, list[str]]:
    """The load's as-of moment and the account's notes about it.

    No ``as_of`` given: the data's last moment ``last`` (now, for data with no dates),
    said so. A given one more than :data:`STALE_AS_OF_DAYS` after ``last``: noted.
    """
    if given is None:
        if last is None:
            now = pd.Timestamp.now().floor("s")
            return now, [f"As of {now:%d %b %Y %H:%M}, now: the data has no dates "
                         "(no as_of was given)."]
        return last, [f"As of {last:%d %b %Y %H:%M}, the last moment in the data "
                      "(no as_of was given)."]
    if last is not None and given - last > pd.Timedelta(days=STALE_AS_OF_DAYS):
        days = (given - last).days
        return given, [f"The as_of ({given:%d %b %Y}) is {days:,} days after the last moment "
                       f"in the data ({last:%d %b %Y %H:%M}), so every open request looks at "
                       "least that old. Check `as_of` in the city file, or leave it out to use "
                       "the data's last moment."]
    return given, []


def district_names(written: pd.Series, mapping: ColumnMapping,
                   districts: Mapping[str, str] | None) -> pd.Series:
    """Districts as the city file names them: the mapping's codes translated, then ids to
    names; anything else as written (the quality checks flag it if it is not a district)."""
    for translation in (mapping.district_values, districts):
        if translation:
            translated = written.map(dict(translation)).astype("string")
            written = translated.fillna(written)
    return written


def check_columns(raw: pd.DataFrame, mapping: ColumnMapping, source: str) -> None:
    available = [str(c) for c in raw.columns]
    for canonical, column in mapping.columns.items():
        if column not in raw.columns:
            raise MappingError(
                f'The mapping "{mapping.name}" reads `{canonical}` from a column "{column}", but '
                f"{source} has no such column.{did_you_mean(column, available)} "
                f"Its columns are {list_choices(available, limit=40)}."
            )


def _as_text(column: pd.Series, missing_values: tuple[str, ...]) -> pd.Series:
    if pd.api.types.is_float_dtype(column) and column.dropna().mod(1).eq(0).all():
        column = column.astype("Int64")  # ids stored as floats lose their ".0"
    values = column.astype("string").str.strip()
    blank = values.isna() | values.eq("") | values.isin(missing_values)
    return values.mask(blank)


def _as_datetime(raw: pd.DataFrame, mapping: ColumnMapping, canonical: str) -> pd.Series:
    if canonical not in mapping.columns:
        return pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    column = raw[mapping.columns[canonical]]
    if pd.api.types.is_datetime64_any_dtype(column):
        if getattr(column.dtype, "tz", None) is not None:
            column = column.dt.tz_localize(None)
        return column.astype("datetime64[ns]")
    values = _as_text(column, mapping.missing_values)
    parsed = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    if mapping.datetime_format:
        parsed = pd.to_datetime(values, format=mapping.datetime_format, errors="coerce")
    retry = parsed.isna() & values.notna()
    if retry.any():  # spreadsheets turn dates into ISO text; accept that too
        parsed[retry] = pd.to_datetime(values[retry], format="ISO8601", errors="coerce")
    return parsed.astype("datetime64[ns]")


def _status(status_text: pd.Series, closed: pd.Series, mapping: ColumnMapping) -> pd.Series:
    if "status" not in mapping.columns:
        return pd.Series(np.where(closed.notna(), "closed", "open"), index=closed.index,
                         dtype="string")
    if mapping.status_values is None:
        lowered = status_text.str.lower()
        return lowered.where(lowered.isin(["open", "closed"]))
    return status_text.map(mapping.status_values).astype("string")


def _service_codes(codes: pd.Series, names: pd.Series, mapping: ColumnMapping) -> pd.Series:
    # one code per distinct name (a city has tens of request types, not millions of rows)
    distinct = names.dropna().unique()
    code_of = {name: mapping.service_codes.get(name, _code_from_name(name)) for name in distinct}
    return codes.fillna(names.map(code_of).astype("string"))


def _code_from_name(name: str) -> str:
    """'Bulky Items' -> 'BULKY_ITEMS': a stable code for sources that publish only names."""
    return re.sub(r"[^0-9A-Za-z]+", "_", name).strip("_").upper()


def _as_number(raw: pd.DataFrame, mapping: ColumnMapping, canonical: str,
               account: LoadAccount) -> pd.Series:
    if canonical not in mapping.columns:
        return pd.Series(np.nan, index=raw.index, dtype="float64")
    column = raw[mapping.columns[canonical]]
    if pd.api.types.is_numeric_dtype(column):
        return column.astype("float64")
    values = _as_text(column, mapping.missing_values)
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    account.flag(numbers.isna() & values.notna(), UNREADABLE_COORDINATES)
    return numbers


def _channel(channel_text: pd.Series, mapping: ColumnMapping, account: LoadAccount) -> pd.Series:
    if mapping.channel_values is None:
        return channel_text
    channel = channel_text.map(mapping.channel_values).astype("string")
    account.flag(channel.isna() & channel_text.notna(), UNKNOWN_CHANNEL)
    return channel


def _optional_columns(raw: pd.DataFrame, mapping: ColumnMapping) -> dict[str, str]:
    """Optional canonical columns this source has: mapped, or already under their own name."""
    found = {}
    for name in SERVICE_REQUESTS.optional:
        if name in mapping.columns:
            found[name] = mapping.columns[name]
        elif name in raw.columns:
            found[name] = name
    return found


def _as_flag(column: pd.Series, mapping: ColumnMapping, account: LoadAccount) -> pd.Series:
    """Yes/no values (true/false, Y/N, 1/0, sí/sim/não ...) as a nullable boolean column."""
    if pd.api.types.is_bool_dtype(column):
        return column.astype("boolean")
    values = _as_text(column, mapping.missing_values).str.lower()
    flags = pd.Series(pd.NA, index=column.index, dtype="boolean")
    flags[values.isin(YES_WORDS).fillna(False).to_numpy(dtype=bool)] = True
    flags[values.isin(NO_WORDS).fillna(False).to_numpy(dtype=bool)] = False
    account.flag(flags.isna() & values.notna(), UNREADABLE_REOPENED)
    return flags


def _with_canonical_dtypes(table: pd.DataFrame) -> pd.DataFrame:
    converted = {}
    dtypes = {**SERVICE_REQUESTS.dtypes, **SERVICE_REQUESTS.optional}
    for column in table.columns:
        converted[column] = table[column].astype(dtypes[column])
    return pd.DataFrame(converted)
