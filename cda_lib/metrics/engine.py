"""Loading a large city's service requests to keep on disk, counted by an embedded SQL engine.

A big city publishes millions of requests a year. Held in pandas, ten million of them
take gigabytes of memory before the first KPI is computed. So for large inputs the
workbook leaves the requests in a Parquet file and lets DuckDB (an SQL engine that runs
inside Python, no server) read only the columns each question needs and do the heavy
counting on disk. What comes back is small, one row per request type and month, as an
ordinary pandas table.

:func:`open_requests` loads such a file with the same rules and the same account as
every other load (rows read = kept + set aside, each set-aside row with its reason; see
:mod:`cda_lib.sources.conform`), in SQL, and returns a
:class:`cda_lib.metrics.disk_table.LargeRequests`. The KPI functions of
:mod:`cda_lib.metrics.kpi` take it wherever they take a DataFrame and return the same table::

    requests = open_requests("service_requests.parquet", as_of=data.as_of)
    kpi.kpi_table(requests, city.service_standards, as_of=data.as_of,
                  by=("service_code", "month"))

A CSV export is converted to Parquet once, on first load, into the cache folder
(:func:`cda_lib.sources.parquet_copy.parquet_copy`); later loads read the Parquet copy.
:func:`cda_lib.data.open_city_requests` opens a city's own source this way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from cda_lib.core.account import REASON, SOURCE_ROW, CountedAccount
from cda_lib.core.errors import LoadError
from cda_lib.metrics.disk_table import LargeRequests, quote_name, sql_literal, sql_timestamp
from cda_lib.sources import conform, date_columns
from cda_lib.sources.excel import HEADER_ROW_EXCEL_ONLY
from cda_lib.sources.mapping import ColumnMapping, load_mapping
from cda_lib.sources.parquet_copy import (
    DAMAGED_PARQUET,
    check_parquet,
    discard_copy,
    is_damaged,
    parquet_copy,
)
from cda_lib.text.translation import gettext as _

# Python's str.strip() whitespace, for SQL's trim()
_WHITESPACE = " \t\n\r\x0b\x0c"
# the spaces some exports write between a time and its zone ("10:15:00 -05:00")
_SPACE_BEFORE_ZONE = r"'\s+([Z+-])'"
_NUMBER_TYPES = ("DOUBLE", "FLOAT", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT",
                 "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT")


# --- loading ----------------------------------------------------------------------------


def open_requests(source: str | Path | Iterable[str | Path],
                  mapping: str | Path | ColumnMapping | None = None, *,
                  as_of=None, label: str | None = None,
                  time_zone: str | None = None,
                  districts: Mapping[str, str] | None = None) -> LargeRequests:
    """Load a large Parquet or CSV export of service requests, leaving it on disk.

    The same rules as :func:`cda_lib.sources.conform.conform_service_requests`, in SQL:
    the account says how many rows were read, kept and set aside and why, and holds the
    set-aside rows themselves. ``source`` is a file, or several files of one export (one
    per year, say: stacked in the order given, so duplicates across files are found).
    ``mapping`` is a mapping's name or file (as for
    :func:`cda_lib.sources.local.load_service_requests_file`), by default the canonical
    column names; ``as_of`` (when the data was extracted) defaults to the data's last
    moment, as in the pandas loader (said in the account's notes). ``label`` names
    the source in the account (default: the file's name). ``time_zone`` is the city's:
    dates written with a zone are converted to its local time, as the ordinary loader does.
    ``districts`` (the city's district names by id) stores a district written as its id by
    its name.
    """
    files = [Path(source)] if isinstance(source, (str, Path)) else [Path(p) for p in source]
    if not files:
        raise LoadError(_("No files were given to load. Name at least one file."))
    parquet_files = [_as_parquet(path) for path in files]
    name = label or (files[0].name if len(files) == 1
                     else f"{len(files)} files in {files[0].parent.name}")
    if mapping is None:
        mapping = ColumnMapping.identity()
    elif not isinstance(mapping, ColumnMapping):
        mapping = load_mapping(mapping)
    if mapping.header_row not in (None, 1):
        raise LoadError(_(HEADER_ROW_EXCEL_ONLY, name=files[0].name))
    as_of = None if as_of is None else pd.Timestamp(as_of)
    try:
        return _load(files, parquet_files, mapping, as_of, name, time_zone, districts)
    except duckdb.Error:
        damaged = [(path, copy) for path, copy in zip(files, parquet_files, strict=True)
                   if is_damaged(copy)]
        if not damaged:
            raise  # not the files: a fault of the workbook's own, shown as it is
        for path, _error in damaged:
            if path.suffix.lower() not in (".csv", ".txt"):
                raise LoadError(_(DAMAGED_PARQUET, name=path.name)) from None
            discard_copy(path)  # a CSV's copy is made again from the CSV
    return _load(files, [_as_parquet(path) for path in files], mapping, as_of, name, time_zone,
                 districts)


def _load(files: list[Path], parquet_files: list[Path], mapping: ColumnMapping,
          given: pd.Timestamp | None, name: str, time_zone: str | None,
          districts: Mapping[str, str] | None) -> LargeRequests:
    connection = _connect()
    raw = _raw_rows(connection, parquet_files, [path.name for path in files])
    types = {row[0]: row[1] for row in
             connection.execute(f"DESCRIBE SELECT * FROM {raw}").fetchall()}
    conformer = _Conformer(mapping, types, conform.NO_AS_OF_YET if given is None else given,
                           time_zone, dict(districts or {}))
    _check_columns(connection, raw, conformer, name)
    if time_zone is None:
        conformer.refuse_zoned_dates(connection, raw, name)
    converted, checked = conformer.select(raw)
    connection.execute(f"CREATE TEMP VIEW converted AS {converted}")
    connection.execute(f"CREATE TEMP VIEW conformed AS {checked}")
    # counted over the kept rows with the flags, for the refusal of exchanged coordinates
    account, tallies = _account(connection, raw, name, {
        "exchanged": "abs(lat) > 90 AND abs(lat) <= 180 AND abs(long) <= 90",
        "located": "lat IS NOT NULL AND long IS NOT NULL"})
    conformer.refuse_misread_dates(connection)
    error = conform.exchanged_error(tallies["exchanged"], tallies["located"], mapping)
    if error is not None:
        raise error
    columns = conformer.output
    connection.execute(f"CREATE TEMP VIEW kept AS SELECT file_row_number, "
                       f"{', '.join(map(quote_name, columns))} FROM converted WHERE "
                       "file_row_number NOT IN (SELECT file_row_number FROM aside)")
    latest = connection.execute("SELECT max(greatest(requested_datetime, coalesce("
                                "closed_datetime, requested_datetime))) FROM kept").fetchone()[0]
    as_of, account.notes = conform.resolve_as_of(
        given, None if latest is None else pd.Timestamp(latest))
    return LargeRequests(parquet_files[0], connection, account, as_of, columns)


def _as_parquet(path: Path) -> Path:
    """The file itself if it is Parquet; a CSV's Parquet copy; else a clear error."""
    if not path.exists():
        raise LoadError(_("There is no file at {path}. Check the path and the file name.",
                          path=str(path)))
    if path.suffix.lower() in (".csv", ".txt"):
        return parquet_copy(path)
    if path.suffix.lower() != ".parquet":
        raise LoadError(_("{name} is not a file the large-table loader reads. Give a Parquet "
                          "or CSV file.", name=path.name))
    check_parquet(path)
    return path


def _raw_rows(connection: duckdb.DuckDBPyConnection, files: list[Path],
              names: list[str]) -> str:
    """The rows as read, numbered through the files in order (``file_row_number`` from 0).

    Several files get, as the ordinary loader gives them, each row's file name and row
    number in that file first (``source_file``, ``source_file_row``).
    """
    if len(files) == 1:
        return f"read_parquet({sql_literal(files[0].resolve())}, file_row_number = true)"
    import pyarrow.parquet as pq

    starts, start = [], 0
    for path, name in zip(files, names, strict=True):
        starts.append((str(path.resolve()), name, start))
        start += pq.read_metadata(path).num_rows
    connection.execute("CREATE TEMP TABLE file_starts (filename VARCHAR, name VARCHAR, "
                       "start BIGINT)")
    connection.executemany("INSERT INTO file_starts VALUES (?, ?, ?)", starts)
    listed = ", ".join(sql_literal(path.resolve()) for path in files)
    connection.execute(
        "CREATE TEMP VIEW raw_rows AS SELECT r.file_row_number + s.start AS file_row_number, "
        "s.name AS source_file, r.file_row_number + 1 AS source_file_row, "
        f"r.* EXCLUDE (file_row_number, filename) FROM read_parquet([{listed}], "
        "file_row_number = true, filename = true, union_by_name = true) AS r "
        "JOIN file_starts AS s USING (filename)")
    return "raw_rows"


def _connect() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()  # DuckDB uses every core the machine has
    connection.execute("SET TimeZone = 'UTC'")
    return connection


def _view_columns(connection: duckdb.DuckDBPyConnection, view: str) -> list[str]:
    return [row[0] for row in connection.execute(f"DESCRIBE {view}").fetchall()]


def _check_columns(connection: duckdb.DuckDBPyConnection, raw: str, conformer: _Conformer,
                   source: str) -> None:
    """The ordinary loader's column checks, given the first rows and each column's values."""
    first_rows = connection.execute(f"SELECT * EXCLUDE (file_row_number) FROM {raw} LIMIT "
                                    f"{conform.HEADER_SEARCH_ROWS}").df()
    columns = [c for c in conformer.types if c != "file_row_number"]
    named_alike = [conform.columns_named_alike(column, columns)
                   for column in conformer.mapping.read_columns().values() if column in columns]
    alike = {c for group in named_alike if len(group) > 1 for c in group}
    values_in = {}
    if alike:  # only for the message: a mapping that reads a repeated name is refused
        counts = ", ".join(f"count({conformer.text('', c)})" for c in sorted(alike))
        values_in = dict(zip(sorted(alike), connection.execute(
            f"SELECT {counts} FROM {raw}").fetchone(), strict=True))
    conform.check_columns(first_rows.reindex(columns=columns), conformer.mapping, source,
                          values_in=values_in)


@dataclass
class _Conformer:
    """The SQL that maps, converts and checks each row, as the pandas loader does."""

    mapping: ColumnMapping
    types: Mapping[str, str]
    as_of: pd.Timestamp
    time_zone: str | None = None
    districts: dict[str, str] = field(default_factory=dict)  # names by id
    flags: dict[str, str] = field(default_factory=dict)
    derived: dict[str, str] = field(default_factory=dict)  # what was derived: which rows
    output: list[str] = field(default_factory=list)

    def select(self, raw: str) -> tuple[str, str]:
        """Two queries: every row converted, then the same rows with their reason (if any)."""
        m = self.mapping
        opened, closed = self.datetime("requested_datetime"), self.datetime("closed_datetime")
        status = self.status(closed)
        if m.closed_from_duration is not None:
            closed = self.with_derived_closes(opened, closed, status)
            status = self.status(closed)  # with no status column, a derived close closes
        columns = {
            "service_request_id": self.text("service_request_id"),
            "service_code": f"coalesce({self.text('service_code')}, {self.code_from_name()})",
            "service_name": self.text("service_name"),
            "status": status,
            "status_notes": self.text("status_notes"),
            "requested_datetime": opened,
            "closed_datetime": closed,
            "agency_responsible": self.text("agency_responsible"),
            "district": self.district(),
            "lat": self.number("lat"),
            "long": self.number("long"),
            "channel": self.value_map(self.text("channel"), m.channel_values,
                                      conform.UNKNOWN_CHANNEL),
        }
        self.flags[conform.FUTURE_CLOSED] = f"({closed} > {sql_timestamp(self.as_of)})"
        reopened = self.optional_column("reopened")
        if reopened is not None:
            columns["reopened"] = self.flag(reopened)
        for name in ("description", "address"):  # optional free text, carried as text
            if (column := self.optional_column(name)) is not None:
                columns[name] = self.text(name, column)
        self.output = list(columns)
        # what the rules and their details need besides the canonical columns
        columns["source opened"] = self.datetime_text("requested_datetime")
        columns["source closed"] = self.datetime_text("closed_datetime")
        for canonical, which in (("requested_datetime", "opened"), ("closed_datetime", "closed")):
            if canonical in m.time_columns:
                columns[f"source {which} written"] = self.written(canonical)
                time_text = self.text("", m.time_columns[canonical])
                columns[f"source {which} time"] = time_text
                columns[f"source {which} time read"] = self.time_read(time_text)
        columns["source status"] = self.text("status")
        columns.update({f"flag: {issue}": test for issue, test in self.flags.items()})
        columns.update({f"derived: {what}": test for what, test in self.derived.items()})
        body = ",\n  ".join(f"{sql} AS {quote_name(name)}" for name, sql in columns.items())
        as_of = sql_timestamp(self.as_of)
        opened_text, closed_text = '"source opened"', '"source closed"'
        rules = [
            ("service_request_id IS NULL", conform.MISSING_ID, "NULL"),
            ("service_name IS NULL", conform.MISSING_TYPE, "NULL"),
            (f"requested_datetime IS NULL AND {opened_text} IS NULL", conform.MISSING_OPENED,
             "NULL"),
            *self.time_rule("opened", conform.UNREADABLE_OPENED_TIME),
            ("requested_datetime IS NULL", conform.UNREADABLE_OPENED,
             quote_name(self.written_name("requested_datetime"))),
            *self.time_rule("closed", conform.UNREADABLE_CLOSED_TIME),
            (f"closed_datetime IS NULL AND {closed_text} IS NOT NULL", conform.UNREADABLE_CLOSED,
             quote_name(self.written_name("closed_datetime"))),
            ("status IS NULL", conform.UNKNOWN_STATUS, '"source status"'),
            ("status = 'closed' AND closed_datetime IS NULL", conform.CLOSED_WITHOUT_DATE,
             "NULL"),
            ("closed_datetime < requested_datetime", conform.CLOSED_BEFORE_OPENED, "NULL"),
            (f"requested_datetime > {as_of}", conform.FUTURE_OPENED,
             "CAST(requested_datetime AS VARCHAR)"),
        ]
        reason = " ".join(f"WHEN {test} THEN {sql_literal(why)}" for test, why, _ in rules)
        detail = " ".join(f"WHEN {test} THEN {what}" for test, _, what in rules)
        columns_sql = f"SELECT file_row_number,\n  {body}\nFROM {raw}"
        checks_sql = (f"SELECT *, CASE {reason} END AS reason, CAST(CASE {detail} END AS VARCHAR) "
                      "AS detail FROM converted")
        return columns_sql, checks_sql

    def source(self, canonical: str) -> str | None:
        return self.mapping.columns.get(canonical)

    def written_name(self, canonical: str) -> str:
        """The column of the converted rows that holds a date as written (with its time)."""
        which = "opened" if canonical == "requested_datetime" else "closed"
        timed = canonical in self.mapping.time_columns
        return f"source {which} written" if timed else f"source {which}"

    def time_rule(self, which: str, reason: str) -> list[tuple[str, str, str]]:
        """A date whose time column is empty, or is what cannot be read (see conform)."""
        canonical = "requested_datetime" if which == "opened" else "closed_datetime"
        if canonical not in self.mapping.time_columns:
            return []
        time = f'"source {which} time"'
        return [(f'"source {which}" IS NOT NULL AND ({time} IS NULL OR ({canonical} IS NULL '
                 f'AND NOT "source {which} time read"))', reason, time)]

    def time_read(self, time_text: str) -> str:
        """True where a time column's text reads with the mapping's time formats."""
        formats = date_columns.time_formats(self.mapping)
        read = ", ".join(f"try_strptime({time_text}, {sql_literal(f)})" for f in formats)
        return f"(coalesce({read}) IS NOT NULL)"

    def written(self, canonical: str) -> str:
        """A date as written, joined to its time column's text when it has one."""
        column = self.source(canonical)
        if canonical not in self.mapping.time_columns:
            return self.text(canonical)
        if self.is_typed_datetime(column):
            moment = quote_name(column)
            if self.is_zoned_type(column) and self.time_zone:
                moment = f"timezone({sql_literal(self.time_zone)}, {moment})"
            date = f"strftime({moment}, {sql_literal(date_columns.date_part_format(self.mapping))})"
        else:
            midnight = sql_literal(date_columns.DATE_CELL_MIDNIGHT)
            date = f"regexp_replace({self.text(canonical)}, {midnight}, '')"
        return f"({date} || ' ' || {self.text('', self.mapping.time_columns[canonical])})"

    def with_derived_closes(self, opened: str, closed: str, status: str) -> str:
        """Closed times from the duration column where a closed request has no closed date."""
        seconds = self.duration_seconds(self.mapping.closed_from_duration.column)
        closing = f" AND {status} = 'closed'" if self.source("status") else ""
        eligible = (f"({closed} IS NULL AND {self.datetime_text('closed_datetime')} IS NULL AND "
                    f"{opened} IS NOT NULL AND {seconds} IS NOT NULL{closing})")
        self.derived[date_columns.derived_close_note(self.mapping)] = eligible
        return (f"(CASE WHEN {eligible} THEN {opened} + to_seconds(CAST({seconds} AS BIGINT)) "
                f"ELSE {closed} END)")

    def duration_seconds(self, column: str) -> str:
        """As :func:`cda_lib.sources.date_columns.duration_seconds`: whole seconds, or NULL."""
        if self.is_numeric(column):
            number = f"CAST({quote_name(column)} AS DOUBLE)"
        else:
            text = self.text("", column)
            number = (f"(CASE WHEN regexp_full_match({text}, "
                      f"{sql_literal(date_columns.DURATION_NUMBER)}) THEN TRY_CAST({text} AS "
                      "DOUBLE) END)")
        seconds = f"({number} * {self.mapping.closed_from_duration.seconds_per_unit})"
        longest = date_columns.longest_duration_seconds()
        return (f"(CASE WHEN isfinite({seconds}) AND {seconds} >= 0 AND {seconds} <= {longest} "
                f"THEN floor({seconds} + 0.5) END)")

    def text(self, canonical: str, column: str | None = None) -> str:
        """Text with surrounding spaces removed; blanks and the mapping's missing words NULL."""
        column = column or self.source(canonical)
        if column is None:
            return "CAST(NULL AS VARCHAR)"
        kind = self.types[column].upper()
        quoted = quote_name(column)
        if kind in ("DOUBLE", "FLOAT") or kind.startswith("DECIMAL"):
            value = (f"CASE WHEN {quoted} = trunc({quoted}) THEN CAST(CAST({quoted} AS BIGINT) "
                     f"AS VARCHAR) ELSE CAST({quoted} AS VARCHAR) END")
        else:
            value = f"CAST({quoted} AS VARCHAR)"
        # trim only where an end is blank: most values need nothing, and trim is slow
        trimmed = (f"(CASE WHEN left({value}, 1) <= ' ' OR right({value}, 1) <= ' ' THEN "
                   f"trim({value}, {sql_literal(_WHITESPACE)}) ELSE {value} END)")
        if not self.mapping.missing_values:
            return f"nullif({trimmed}, '')"
        missing = ", ".join(sql_literal(v) for v in ("", *self.mapping.missing_values))
        return f"CASE WHEN {trimmed} IN ({missing}) THEN NULL ELSE {trimmed} END"

    def datetime(self, canonical: str) -> str:
        column = self.source(canonical)
        if column is None:
            return "CAST(NULL AS TIMESTAMP_NS)"
        if self.is_typed_datetime(column) and canonical not in self.mapping.time_columns:
            if self.is_zoned_type(column) and self.time_zone:
                local = f"timezone({sql_literal(self.time_zone)}, {quote_name(column)})"
                return f"CAST({local} AS TIMESTAMP_NS)"
            return f"CAST({quote_name(column)} AS TIMESTAMP_NS)"
        text = self.written(canonical)
        formats = date_columns.datetime_formats(self.mapping, canonical)
        naive = ", ".join([*(f"CAST(try_strptime({text}, {sql_literal(f)}) AS TIMESTAMP_NS)"
                             for f in formats), f"TRY_CAST({text} AS TIMESTAMP_NS)"])
        naive = f"coalesce({naive})"
        if self.time_zone is None:  # zoned dates were refused (refuse_zoned_dates)
            return naive
        # DuckDB reads "10:15:00-05:00" but not "10:15:00 -05:00", which pandas reads too
        spaced_zone = f"regexp_replace({text}, {_SPACE_BEFORE_ZONE}, '\\1')"
        moment = f"TRY_CAST({spaced_zone} AS TIMESTAMPTZ)"
        given = next((f for f in formats if "%z" in f), None)
        if given:  # then try_strptime gives a moment (TIMESTAMPTZ)
            moment = f"coalesce(try_strptime({text}, {sql_literal(given)}), {moment})"
        local = f"CAST(timezone({sql_literal(self.time_zone)}, {moment}) AS TIMESTAMP_NS)"
        return (f"(CASE WHEN regexp_matches({text}, {sql_literal(conform.ZONED_TIME)}) "
                f"THEN {local} ELSE {naive} END)")

    def is_zoned_type(self, column: str) -> bool:
        return self.types[column].upper() == "TIMESTAMP WITH TIME ZONE"

    def refuse_zoned_dates(self, connection: duckdb.DuckDBPyConnection, raw: str,
                           source: str) -> None:
        """With no time zone, the first date written with a zone is refused, as in pandas."""
        for canonical in ("requested_datetime", "closed_datetime"):
            column = self.source(canonical)
            if column is None:
                continue
            timed = canonical in self.mapping.time_columns
            if self.is_typed_datetime(column) and (self.is_zoned_type(column) or not timed):
                if not self.is_zoned_type(column):
                    continue
                value, test = quote_name(column), f"{quote_name(column)} IS NOT NULL"
            else:
                value = self.written(canonical)
                test = f"regexp_matches({value}, {sql_literal(conform.ZONED_TIME)})"
            found = connection.execute(f"SELECT {value} FROM {raw} WHERE {test} "
                                       "ORDER BY file_row_number LIMIT 1").fetchone()
            if found is not None:
                example = found[0] if isinstance(found[0], str) else str(pd.Timestamp(found[0]))
                raise conform.no_time_zone_error(source, canonical, example)

    def refuse_misread_dates(self, connection: duckdb.DuckDBPyConnection) -> None:
        """Dates written day first for a month-first format, or as a spreadsheet's serial
        numbers: refused, as in pandas (the same counts, the same order)."""
        swapped = conform.day_first_format(self.mapping.datetime_format)
        for canonical, reason, which in (
                ("requested_datetime", conform.UNREADABLE_OPENED, "opened"),
                ("closed_datetime", conform.UNREADABLE_CLOSED, "closed")):
            unread = connection.execute("SELECT count(*) FROM aside WHERE reason = ?",
                                        [reason]).fetchone()[0]
            if not unread:
                continue
            # day first is tried on the date as written with its time; a serial number is
            # looked for in the date column alone (a time column beside it is still text)
            written = quote_name(self.written_name(canonical))
            date_text = f'"source {which}"'
            serial = (f"{canonical} IS NULL AND {date_text} IS NOT NULL AND "
                      f"regexp_matches({date_text}, {sql_literal(conform.SERIAL_DATE)})")
            day_first = "0"
            if swapped:
                read = ", ".join(f"try_strptime({written}, {sql_literal(f)})" for f in
                                 date_columns.datetime_formats(self.mapping, canonical, swapped))
                day_first = f"count_if({canonical} IS NULL AND coalesce({read}) IS NOT NULL)"
            day_first, total, serials, dates, example = connection.execute(
                f"SELECT {day_first}, count({written}), count_if({serial}), count({date_text}), "
                f"arg_min({date_text}, file_row_number) FILTER (WHERE {serial}) FROM converted"
            ).fetchone()
            error = (conform.day_first_error(which, int(day_first), int(total), self.mapping)
                     if swapped else None) or \
                conform.serial_dates_error(canonical, int(serials), int(dates), example,
                                           self.mapping)
            if error is not None:
                raise error

    def datetime_text(self, canonical: str) -> str:
        """The date column's text, to tell "missing" from "not readable" (typed dates are
        never unreadable, so they need no text, unless a time column is joined to them)."""
        column = self.source(canonical)
        if column is None or (self.is_typed_datetime(column)
                              and canonical not in self.mapping.time_columns):
            return "CAST(NULL AS VARCHAR)"
        return self.text(canonical)

    def is_typed_datetime(self, column: str) -> bool:
        kind = self.types[column].upper()
        return kind.startswith("TIMESTAMP") or kind == "DATE"

    def status(self, closed: str) -> str:
        """The status: mapped, or with no status column, closed when ``closed`` holds a date."""
        if self.source("status") is None:
            return f"CASE WHEN {closed} IS NOT NULL THEN 'closed' ELSE 'open' END"
        text = self.text("status")
        if self.mapping.status_values is None:
            return f"CASE WHEN lower({text}) IN ('open', 'closed') THEN lower({text}) END"
        return self.value_map(text, self.mapping.status_values, None)

    def value_map(self, text: str, values: Mapping[str, str] | None, issue: str | None) -> str:
        if values is None:
            return text
        cases = " ".join(f"WHEN {sql_literal(k)} THEN {sql_literal(v)}" for k, v in values.items())
        mapped = f"(CASE {text} {cases} END)" if cases else "CAST(NULL AS VARCHAR)"
        if issue:
            self.flags[issue] = f"({mapped} IS NULL AND {text} IS NOT NULL)"
        return mapped

    def district(self) -> str:
        """As :func:`cda_lib.sources.conform.district_names`: codes, then ids to names."""
        written = self.text("district")
        for translation in (self.mapping.district_values, self.districts):
            if translation:
                cases = " ".join(f"WHEN {sql_literal(k)} THEN {sql_literal(v)}"
                                 for k, v in translation.items())
                written = f"(CASE {written} {cases} ELSE {written} END)"
        return written

    def code_from_name(self) -> str:
        name = self.text("service_name")
        derived = (f"upper(trim(regexp_replace({name}, '[^0-9A-Za-z]+', '_', 'g'), '_'))")
        cases = " ".join(f"WHEN {sql_literal(k)} THEN {sql_literal(v)}"
                         for k, v in self.mapping.service_codes.items())
        return f"(CASE {name} {cases} ELSE {derived} END)" if cases else derived

    def number(self, canonical: str) -> str:
        """A coordinate as a number (a decimal comma read as a point); one that does not
        read is NULL and flagged."""
        column = self.source(canonical)
        if column is None:
            return "CAST(NULL AS DOUBLE)"
        if self.is_numeric(column):
            return f"CAST({quote_name(column)} AS DOUBLE)"
        text = self.text(canonical)
        point = f"regexp_replace({text}, {sql_literal(conform.DECIMAL_COMMA)}, '\\1.\\2')"
        # the comma is looked for only where the number does not read as it is
        number = f"coalesce(TRY_CAST({text} AS DOUBLE), TRY_CAST({point} AS DOUBLE))"
        previous = self.flags.get(conform.UNREADABLE_COORDINATES, "FALSE")
        self.flags[conform.UNREADABLE_COORDINATES] = \
            f"({previous} OR ({number} IS NULL AND {text} IS NOT NULL))"
        return number

    def is_numeric(self, column: str) -> bool:
        """Whether the copy holds the column as numbers (read as they are, not as text)."""
        kind = self.types[column].upper()
        return kind in _NUMBER_TYPES or kind.startswith("DECIMAL")

    def optional_column(self, canonical: str) -> str | None:
        if canonical in self.mapping.columns:
            return self.mapping.columns[canonical]
        return canonical if canonical in self.types else None

    def flag(self, column: str) -> str:
        if self.types[column].upper() == "BOOLEAN":
            return quote_name(column)
        text = f"lower({self.text('reopened', column)})"
        yes = ", ".join(sql_literal(w) for w in conform.YES_WORDS)
        no = ", ".join(sql_literal(w) for w in conform.NO_WORDS)
        value = f"(CASE WHEN {text} IN ({yes}) THEN TRUE WHEN {text} IN ({no}) THEN FALSE END)"
        self.flags[conform.UNREADABLE_REOPENED] = f"({value} IS NULL AND {text} IS NOT NULL)"
        return value


def _account(connection: duckdb.DuckDBPyConnection, raw: str, source: str,
             tallies: Mapping[str, str]) -> tuple[CountedAccount, dict[str, int]]:
    """Find the set-aside rows (duplicates last, among the rows still kept) and count them;
    with the account, how many kept rows pass each of ``tallies`` (SQL tests, by name)."""
    # OFFSET 0 keeps the reason a computed column: pushed into the filter, the rules'
    # conversions are repeated for every rule and the pass takes several times longer
    connection.execute("CREATE TEMP TABLE aside AS SELECT * FROM (SELECT file_row_number, "
                       "reason, detail FROM conformed OFFSET 0) WHERE reason IS NOT NULL")
    # a later copy of an id still kept: find the ids seen twice and their first row, then
    # set aside their other rows (two passes over one column; no sort of every row)
    still_kept = ("FROM converted WHERE file_row_number NOT IN "
                  "(SELECT file_row_number FROM aside)")
    connection.execute(
        "CREATE TEMP TABLE repeated AS SELECT service_request_id, min(file_row_number) AS first "
        f"{still_kept} GROUP BY service_request_id HAVING count(*) > 1")
    connection.execute(
        f"INSERT INTO aside SELECT file_row_number, ?, NULL FROM (SELECT file_row_number, "
        f"service_request_id {still_kept}) JOIN repeated USING (service_request_id) "
        "WHERE file_row_number <> first", [conform.DUPLICATE_ID])
    rows_read = connection.execute(f"SELECT count(*) FROM {raw}").fetchone()[0]
    # the account's own columns get names no export uses (SQL names ignore case: an
    # export's REASON column would clash with reason), then their usual names
    aside = connection.execute(
        f"SELECT aside.file_row_number + 1 AS \"cda {SOURCE_ROW}\", aside.reason AS "
        f"\"cda {REASON}\", aside.detail AS \"cda detail\", raw.* EXCLUDE (file_row_number) "
        f"FROM aside JOIN {raw} AS raw USING (file_row_number) ORDER BY 1").df()
    aside = aside.rename(columns={f"cda {SOURCE_ROW}": SOURCE_ROW, f"cda {REASON}": REASON,
                                  "cda detail": "detail"})
    counted = [c for c in _view_columns(connection, "converted")
               if c.startswith(("flag: ", "derived: "))]
    tests = [quote_name(c) for c in counted] + [f"({test})" for test in tallies.values()]
    values = connection.execute(
        f"SELECT {', '.join(f'count_if({test})' for test in tests)} FROM converted WHERE "
        "file_row_number NOT IN (SELECT file_row_number FROM aside)").fetchone()
    # count_if over no rows (a header-only file) is NULL, not 0
    counts = dict(zip(counted, (int(v or 0) for v in values[:len(counted)]), strict=True))
    account = CountedAccount(
        source, rows_read, aside,
        {c.removeprefix("flag: "): n for c, n in counts.items() if c.startswith("flag: ")},
        derived_counts={c.removeprefix("derived: "): n for c, n in counts.items()
                        if c.startswith("derived: ")})
    return account, dict(zip(tallies, (int(v or 0) for v in values[len(counted):]),
                             strict=True))
