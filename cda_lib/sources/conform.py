"""Turn a raw table from any source into the canonical service-requests table.

Every source (local files, portals, the generator) ends here, so the rules for what is
set aside and why are written once. A row is set aside, with its reason, when it cannot be
used as a service request at all; a row that is usable but has a gap (no district, no
coordinates) is kept and counted by the quality checks.

Set-aside rules, in the order they are applied (a row gets the first that fits):

1. missing request id
2. missing request type
3. missing opened date
4. opened time missing or unreadable (only with a time column: :mod:`cda_lib.sources.date_columns`)
5. opened date not readable
6. closed time missing or not readable (only with a time column)
7. closed date not readable
8. status not in the mapping
9. closed but has no closed date (after any closed time derived from a duration)
10. closed before it was opened
11. opened after the data was extracted (a future date)
12. duplicate request id (the first row with an id is kept, later copies set aside)

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
from cda_lib.core.errors import LoadError, MappingError, did_you_mean, list_choices
from cda_lib.core.schema import SERVICE_REQUESTS
from cda_lib.sources import date_columns
from cda_lib.sources.mapping import ColumnMapping
from cda_lib.text.dates import format_date, format_list
from cda_lib.text.numbers import format_number
from cda_lib.text.translation import N_, gettext as _, ngettext

# The reasons a row is set aside or flagged: keys (counted, compared, stored with the row)
# in English, marked for the catalogs and translated where an account's line shows them.
MISSING_ID = N_("missing request id")
MISSING_TYPE = N_("missing request type")
MISSING_OPENED = N_("missing opened date")
UNREADABLE_OPENED_TIME = N_("opened time missing or not readable")
UNREADABLE_OPENED = N_("opened date not readable")
UNREADABLE_CLOSED_TIME = N_("closed time missing or not readable")
UNREADABLE_CLOSED = N_("closed date not readable")
UNKNOWN_STATUS = N_("status not in the mapping")
CLOSED_WITHOUT_DATE = N_("closed but has no closed date")
CLOSED_BEFORE_OPENED = N_("closed before it was opened")
FUTURE_OPENED = N_("opened after the data was extracted (a future date)")
DUPLICATE_ID = N_("duplicate request id")
# the reasons a row is set aside, in the order the rules are applied (see above)
SET_ASIDE_REASONS = (MISSING_ID, MISSING_TYPE, MISSING_OPENED, UNREADABLE_OPENED_TIME,
                     UNREADABLE_OPENED, UNREADABLE_CLOSED_TIME, UNREADABLE_CLOSED,
                     UNKNOWN_STATUS, CLOSED_WITHOUT_DATE, CLOSED_BEFORE_OPENED, FUTURE_OPENED,
                     DUPLICATE_ID)

UNREADABLE_COORDINATES = N_("coordinates not readable (left empty)")
UNKNOWN_CHANNEL = N_("channel not in the mapping (left empty)")
UNREADABLE_REOPENED = N_("reopened not readable as yes or no (left empty)")
FUTURE_CLOSED = N_("closed after the data was extracted (a future date)")
# what is noted on rows that are kept anyway
FLAGGED_ISSUES = (UNREADABLE_COORDINATES, UNKNOWN_CHANNEL, UNREADABLE_REOPENED, FUTURE_CLOSED)

# A given as_of this long after the data's last moment is noted: every open request would
# look at least this old. A quarter is longer than any export's usual lag behind its data.
STALE_AS_OF_DAYS = 90
# the rules' as-of while the data's own last moment is not known yet: later than any date
NO_AS_OF_YET = pd.Timestamp("2200-01-01")

# How sources write yes and no in a flag column such as "reopened" (compared in lower case).
YES_WORDS = ("true", "yes", "y", "1", "t", "si", "sí", "sim")
NO_WORDS = ("false", "no", "n", "0", "f", "não", "nao")

# An ISO 8601 time of day that ends in a zone: "10:15:00Z", "10:15:00+01:00", "10:15-0500".
# Written for both Python's re and DuckDB's RE2; a date alone ("2025-03-04") never matches.
ZONED_TIME = r"\d:\d\d(?::\d\d(?:\.\d+)?)?\s?(?:Z|[+-]\d\d(?::?\d\d)?)$"
# In a month-first export a month above 12 is a rare typing slip; in a day-first one,
# 19 days of every 31 are above 12. A share of dates this large reads only day first.
DAY_FIRST_SHARE = 0.05
# What a spreadsheet stores inside a date cell: days since 1900 (or 1904), five digits from
# 1927 to 2173, with the time of day as a fraction ("45000.5" is noon on 15 March 2023).
SERIAL_DATE = r"^\d{5}(?:\.\d+)?$"
# A few impossible latitudes are typing slips; this share of them, fitting as longitudes,
# is a whole column read the wrong way round (as DAY_FIRST_SHARE for dates).
EXCHANGED_SHARE = 0.05
# A coordinate written with a decimal comma, as Latin American exports write them:
# "4,6097" is 4.6097 (never a thousands comma: no latitude or longitude reaches 1,000).
DECIMAL_COMMA = r"^([+-]?\d+),(\d+)$"


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
                             time_zone: str | None = None,
                             districts: Mapping[str, str] | None = None) -> LoadResult:
    """Map, convert and check ``raw``; set aside unusable rows with their reasons.

    ``as_of`` is when the data was extracted: requests opened after it are future
    dates, closed after it flagged. It defaults to the data's last moment (see above).
    ``time_zone`` is the city's (an IANA name such as ``America/Bogota``): dates written
    with a zone or offset are converted to it and kept as naive local time, as every
    canonical table is; dates without one are taken as local time already. Zoned dates
    with no ``time_zone`` are refused (:func:`no_time_zone_error`): guessing UTC would
    shift every request by hours. ``districts`` (the city file's district names by id)
    turns a district written as its id into its name, after the mapping's
    ``district_values``; a name stays as it is.
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

    # the date columns alone tell a missing date; as written (with the time) for details
    opened_text, closed_text = text("requested_datetime"), text("closed_datetime")
    opened, opened_written = _as_datetime(raw, mapping, "requested_datetime", time_zone, source)
    closed, closed_written = _as_datetime(raw, mapping, "closed_datetime", time_zone, source)
    account.set_aside(opened_text.isna() & opened.isna(), MISSING_OPENED)
    _set_aside_unreadable_times(raw, mapping, "requested_datetime", opened_text, opened,
                                account)
    if account.set_aside(opened.isna(), UNREADABLE_OPENED, details=opened_written):
        _refuse_misread_dates(opened_written, opened_text, opened, mapping,
                              "requested_datetime")
    _set_aside_unreadable_times(raw, mapping, "closed_datetime", closed_text, closed,
                                account)
    if account.set_aside(closed.isna() & closed_text.notna(), UNREADABLE_CLOSED,
                         details=closed_written):
        _refuse_misread_dates(closed_written, closed_text, closed, mapping, "closed_datetime")

    status_text = text("status")
    if mapping.closed_from_duration is not None:
        closed = _with_derived_closes(raw, mapping, opened, closed, closed_text,
                                      _status(status_text, closed, mapping), account)
    table["requested_datetime"] = opened
    table["closed_datetime"] = closed
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

    table["lat"], table["long"] = _coordinates(raw, mapping, account)
    table["channel"] = _channel(text("channel"), mapping, account)
    optional = _optional_columns(raw, mapping)
    for name, column in optional.items():  # reopened is a flag; description, address text
        table[name] = _as_flag(raw[column], mapping, account) if name == "reopened" \
            else _as_text(raw[column], mapping.missing_values)

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
            return now, [_("As of {moment}, now: the data has no dates (no as_of was given).",
                           moment=format_date(now, "moment"))]
        return last, [_("As of {moment}, the last moment in the data (no as_of was given).",
                        moment=format_date(last, "moment"))]
    if last is not None and given - last > pd.Timedelta(days=STALE_AS_OF_DAYS):
        return given, [_("The as_of ({as_of}) is {days:,} days after the last moment in the "
                         "data ({last}), so every open request looks at least that old. Check "
                         "`as_of` in the city file, or leave it out to use the data's last "
                         "moment.", as_of=format_date(given, "day"), days=(given - last).days,
                         last=format_date(last, "moment"))]
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


def check_columns(raw: pd.DataFrame, mapping: ColumnMapping, source: str,
                  values_in: Mapping[str, int] | None = None) -> None:
    """Refuse a mapping whose columns the file lacks, or names twice in its header.

    ``raw`` may be the file's first rows only (where a header further down is looked
    for); ``values_in`` then gives the number of values in each column named alike
    (by default they are counted in ``raw``).
    """
    available = [str(c) for c in raw.columns]
    for canonical, column in mapping.read_columns().items():
        if column not in raw.columns:
            raise MappingError(_(
                'The mapping "{mapping}" reads `{canonical}` from a column "{column}", but '
                "{source} has no such column.{hint} Its columns are {columns}.{header}",
                mapping=mapping.name, canonical=canonical, column=column, source=source,
                hint=did_you_mean(column, available),
                columns=list_choices(available, limit=40),
                header=_header_further_down(raw, mapping, source)))
    for canonical, column in mapping.read_columns().items():
        alike = columns_named_alike(column, available)
        if len(alike) > 1:
            if values_in is None:
                values_in = {c: int(_as_text(raw[c], mapping.missing_values).notna().sum())
                             for c in alike}
            raise MappingError(_named_twice(canonical, column, alike, available, values_in,
                                            mapping, source))


# the columns a table holds besides the file's own: several files' origin, the SQL row number
_ADDED_COLUMNS = ("source_file", "source_file_row", "file_row_number")


def columns_named_alike(column: str, columns: list[str]) -> list[str]:
    """``column`` and the repeats of its name in the header, as they are named on reading.

    CSV and Excel readers keep a repeated name apart by a number: "Type", "Type.1".

    >>> columns_named_alike("Type", ["Id", "Type", "Notes", "Type.1"])
    ['Type', 'Type.1']
    """
    alike = [column]
    while f"{column}.{len(alike)}" in columns:
        alike.append(f"{column}.{len(alike)}")
    return alike


def _named_twice(canonical: str, column: str, alike: list[str], available: list[str],
                 values_in: Mapping[str, int], mapping: ColumnMapping, source: str) -> str:
    own = [c for c in available if c not in _ADDED_COLUMNS]
    where = [ngettext("column {position} ({values} value)", "column {position} ({values} values)",
                      values_in[c], position=own.index(c) + 1,
                      values=format_number(values_in[c])) for c in alike]
    return _('The mapping "{mapping}" reads `{canonical}` from "{column}", but {source} has '
             '{count} columns named "{column}": {listed}. The workbook does not guess which one '
             'is meant: map `{canonical}: "{column}"` for the first or `{canonical}: "{second}"` '
             'for the second (repeated names are read as "{column}", "{second}", ...).',
             mapping=mapping.name, canonical=canonical, column=column, source=source,
             count=len(alike), listed=format_list(where), second=alike[1])


# how far down a title or notes above the column names are looked for
HEADER_SEARCH_ROWS = 20


def _header_further_down(raw: pd.DataFrame, mapping: ColumnMapping, source: str) -> str:
    """A hint when a row below the header holds every mapped column name (a title above)."""
    wanted = set(mapping.read_columns().values())
    for position, row in enumerate(raw.head(HEADER_SEARCH_ROWS).itertuples(index=False)):
        cells = {str(cell).strip() for cell in row if not pd.isna(cell)}
        if wanted <= cells:
            header_row = (mapping.header_row or 1) + 1 + position
            if source.lower().endswith((".csv", ".txt")):
                return " " + _("The header seems to be on row {row}: delete the rows above it "
                               "in the file and save it again.", row=header_row)
            return " " + _("The header seems to be on row {row}: set `header_row: {row}` in "
                           "the mapping.", row=header_row)
    return ""


def _as_text(column: pd.Series, missing_values: tuple[str, ...]) -> pd.Series:
    if pd.api.types.is_float_dtype(column) and column.dropna().mod(1).eq(0).all():
        column = column.astype("Int64")  # ids stored as floats lose their ".0"
    values = column.astype("string").str.strip()
    blank = values.isna() | values.eq("") | values.isin(missing_values)
    return values.mask(blank)


def _as_datetime(raw: pd.DataFrame, mapping: ColumnMapping, canonical: str,
                 time_zone: str | None, source: str) -> tuple[pd.Series, pd.Series]:
    """A date column read (with its time column, if it has one), and its text as written."""
    if canonical not in mapping.columns:
        missing = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
        return missing, pd.Series(pd.NA, index=raw.index, dtype="string")
    column = raw[mapping.columns[canonical]]
    if pd.api.types.is_datetime64_any_dtype(column):
        if getattr(column.dtype, "tz", None) is not None:
            written = column.dropna()
            if time_zone is None and len(written):
                raise no_time_zone_error(source, canonical, written.astype("string").iloc[0])
            column = column.dt.tz_convert(time_zone or "UTC").dt.tz_localize(None)
        if canonical not in mapping.time_columns:
            return column.astype("datetime64[ns]"), column.astype("string")
        values = column.dt.strftime(date_columns.date_part_format(mapping)).astype("string")
    else:
        values = _as_text(column, mapping.missing_values)
    if canonical in mapping.time_columns:
        time_text = _as_text(raw[mapping.time_columns[canonical]], mapping.missing_values)
        values = date_columns.joined_date_and_time(values, time_text)
    formats = date_columns.datetime_formats(mapping, canonical)
    zoned = _written_with_zone(values)
    if not zoned.any():
        return _naive_datetimes(values, formats), values
    if time_zone is None:
        raise no_time_zone_error(source, canonical, values[zoned].iloc[0])
    parsed = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    parsed[zoned] = _zoned_datetimes(values[zoned], formats, time_zone)
    parsed[~zoned] = _naive_datetimes(values[~zoned], formats)
    return parsed, values


def _set_aside_unreadable_times(raw: pd.DataFrame, mapping: ColumnMapping, canonical: str,
                                date_text: pd.Series, parsed: pd.Series,
                                account: LoadAccount) -> None:
    """Rows with a date whose time column is empty, or is what cannot be read: the date
    and time did not read together, and the time alone does not (see date_columns)."""
    if canonical not in mapping.time_columns:
        return
    time_text = _as_text(raw[mapping.time_columns[canonical]], mapping.missing_values)
    unreadable = date_text.notna() & (time_text.isna() | (
        parsed.isna() & ~date_columns.readable_times(time_text, mapping)))
    reason = UNREADABLE_OPENED_TIME if canonical == "requested_datetime" \
        else UNREADABLE_CLOSED_TIME
    account.set_aside(unreadable, reason, details=time_text)


def _with_derived_closes(raw: pd.DataFrame, mapping: ColumnMapping, opened: pd.Series,
                         closed: pd.Series, closed_text: pd.Series, status: pd.Series,
                         account: LoadAccount) -> pd.Series:
    """Closed times from the duration column where a closed request has no closed date."""
    column = raw[mapping.closed_from_duration.column]
    seconds = date_columns.duration_seconds(column, mapping,
                                            _as_text(column, mapping.missing_values))
    closing = status.eq("closed").fillna(False) if "status" in mapping.columns else True
    eligible = closed.isna() & closed_text.isna() & closing
    derived = date_columns.derived_closes(opened, seconds, eligible)
    account.derive(derived.notna(), date_columns.derived_close_note(mapping))
    return closed.fillna(derived)


def _written_with_zone(values: pd.Series) -> np.ndarray:
    """Which texts end in a zone (``ZONED_TIME``); by pyarrow, eight times pandas' speed."""
    import pyarrow as pa
    import pyarrow.compute as pc

    found = pc.match_substring_regex(pa.array(values, type=pa.string(), from_pandas=True),
                                     ZONED_TIME)
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False).astype(bool)


def _naive_datetimes(values: pd.Series, formats: tuple[str, ...]) -> pd.Series:
    parsed = date_columns.parsed_by_formats(values, formats)
    retry = parsed.isna() & values.notna()
    if retry.any():  # spreadsheets turn dates into ISO text; accept that too
        parsed[retry] = pd.to_datetime(values[retry], format="ISO8601", errors="coerce")
    return parsed.astype("datetime64[ns]")


def _zoned_datetimes(values: pd.Series, formats: tuple[str, ...], time_zone: str) -> pd.Series:
    """Dates written with a zone, mixed offsets included, as naive local time in ``time_zone``."""
    given = next((f for f in formats if "%z" in f), "ISO8601")
    moments = pd.to_datetime(values, format=given, utc=True, errors="coerce")
    retry = moments.isna() & values.notna()
    if given != "ISO8601" and retry.any():
        moments[retry] = pd.to_datetime(values[retry], format="ISO8601", utc=True,
                                        errors="coerce")
    return moments.dt.tz_convert(time_zone).dt.tz_localize(None).astype("datetime64[ns]")


DATES_WORDS = {"opened": N_("opened dates"), "closed": N_("closed dates")}  # in a message


def no_time_zone_error(source: str, canonical: str, example: str) -> LoadError:
    """Zoned dates and no time zone to read them in: say what to add, rather than guess."""
    return LoadError(_(
        '{source} writes its {dates} with a time zone (e.g. "{example}"), but no time zone was '
        "given to turn them into the city's local time. Add the city's time zone to its city "
        "file, e.g. `time_zone: America/Bogota` (or pass `time_zone=` to the loader).",
        source=source, example=example,
        dates=_(DATES_WORDS["opened" if canonical == "requested_datetime" else "closed"])))


def day_first_format(datetime_format: str | None) -> str | None:
    """The mapping's format with day and month swapped, when it writes the month first
    (``%m/%d/%Y``); a year first (``%Y-%m-%d``) is ISO order, never written day first."""
    if not datetime_format or "%m" not in datetime_format or "%d" not in datetime_format:
        return None
    year = min((datetime_format.index(y) for y in ("%Y", "%y") if y in datetime_format),
               default=len(datetime_format))
    if not datetime_format.index("%m") < datetime_format.index("%d") < year:
        return None
    return "%m".join(part.replace("%m", "%d") for part in datetime_format.split("%d"))


def day_first_error(which: str, day_first: int, written: int,
                    mapping: ColumnMapping) -> MappingError | None:
    """The refusal when ``day_first`` of ``written`` dates read only with day and month
    swapped (see ``DAY_FIRST_SHARE``), else None. Both loaders count, this decides."""
    if not written or day_first / written < DAY_FIRST_SHARE:
        return None
    swapped = day_first_format(mapping.datetime_format)
    return MappingError(_(
        '{share:.0%} of {dates} have a number above 12 where the month should be: this export '
        'writes the day first; set `datetime_format: "{swapped}"` in the mapping "{mapping}".',
        share=day_first / written, dates=_(DATES_WORDS[which]), swapped=swapped,
        mapping=mapping.name))


def serial_dates_error(canonical: str, serials: int, written: int, example: str | None,
                       mapping: ColumnMapping) -> MappingError | None:
    """The refusal when ``serials`` of ``written`` dates are a spreadsheet's serial numbers
    (``SERIAL_DATE``), else None. Read as days since 1900 they might be four years off (a
    workbook may count from 1904), so the file is sent back for its date format."""
    if not written or serials / written < DAY_FIRST_SHARE:
        return None
    which = "opened" if canonical == "requested_datetime" else "closed"
    return MappingError(
        f'{serials / written:.0%} of {which} dates are numbers such as "{example}": that is '
        "how a spreadsheet stores a date inside a cell, and the column was saved without its "
        f'date format. Format the column "{mapping.columns[canonical]}" as a date and time '
        "(such as yyyy-mm-dd hh:mm) in the spreadsheet, then save the file again."
    )


def _refuse_misread_dates(written: pd.Series, date_text: pd.Series, parsed: pd.Series,
                          mapping: ColumnMapping, canonical: str) -> None:
    """Refuse dates written day first for a month-first format, or as serial numbers.
    Day first is tried on the date as ``written`` (joined to its time column, if any); a
    serial number is looked for in the date column's own text, ``date_text``."""
    swapped = day_first_format(mapping.datetime_format)
    if swapped is not None:
        unread = written[parsed.isna() & written.notna()]
        formats = date_columns.datetime_formats(mapping, canonical, swapped)
        day_first = int(date_columns.parsed_by_formats(unread, formats).notna().sum())
        which = "opened" if canonical == "requested_datetime" else "closed"
        error = day_first_error(which, day_first, int(written.notna().sum()), mapping)
        if error is not None:
            raise error
    unread = date_text[parsed.isna() & date_text.notna()]
    serials = unread[unread.str.match(SERIAL_DATE)]
    error = serial_dates_error(canonical, len(serials), int(date_text.notna().sum()),
                               serials.iloc[0] if len(serials) else None, mapping)
    if error is not None:
        raise error


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


def _coordinates(raw: pd.DataFrame, mapping: ColumnMapping,
                 account: LoadAccount) -> tuple[pd.Series, pd.Series]:
    """Latitude and longitude as numbers (an unreadable one left empty and flagged); a
    latitude column that holds longitudes is refused (see :func:`exchanged_error`). A
    point outside the city is kept as written, for the quality checks to count."""
    lat, long = (_as_number(raw, mapping, axis, account) for axis in ("lat", "long"))
    kept = account.kept_mask
    error = exchanged_error(int((_exchanged(lat, long) & kept).sum()),
                            int((lat.notna() & long.notna() & kept).sum()), mapping)
    if error is not None:
        raise error
    return lat, long


def _exchanged(lat: pd.Series, long: pd.Series) -> pd.Series:
    """Points possible only with latitude and longitude exchanged."""
    return lat.abs().between(90, 180, inclusive="right") & long.abs().le(90)


def exchanged_error(exchanged: int, located: int, mapping: ColumnMapping) -> MappingError | None:
    """The refusal when ``exchanged`` of ``located`` kept points (both coordinates read) have
    a latitude beyond 90° whose longitude fits as one (see ``EXCHANGED_SHARE``), else None.
    Both loaders count, this decides."""
    if not located or exchanged / located < EXCHANGED_SHARE:
        return None
    lat, long = mapping.columns["lat"], mapping.columns["long"]
    return MappingError(
        f'{exchanged / located:.0%} of the latitudes read from "{lat}" are beyond 90°, where no '
        f'place is, and their longitudes fit as latitudes: the export\'s latitude and '
        f'longitude are exchanged. Set `lat: "{long}"` and `long: "{lat}"` in the mapping '
        f'"{mapping.name}".'
    )


def _as_number(raw: pd.DataFrame, mapping: ColumnMapping, canonical: str,
               account: LoadAccount) -> pd.Series:
    if canonical not in mapping.columns:
        return pd.Series(np.nan, index=raw.index, dtype="float64")
    column = raw[mapping.columns[canonical]]
    if pd.api.types.is_numeric_dtype(column):
        return column.astype("float64")
    values = _as_text(column, mapping.missing_values)
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    retry = numbers.isna() & values.notna()
    if retry.any():  # a decimal comma, looked for only where the number does not read
        pointed = values[retry].str.replace(DECIMAL_COMMA, r"\1.\2", regex=True)
        numbers[retry] = pd.to_numeric(pointed, errors="coerce").astype("float64")
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
