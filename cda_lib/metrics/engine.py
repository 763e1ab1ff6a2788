"""A large city's service requests, kept on disk and counted by an embedded SQL engine.

A big city publishes millions of requests a year. Held in pandas, ten million of them
take gigabytes of memory before the first KPI is computed. So for large inputs the
workbook leaves the requests in a Parquet file and lets DuckDB (an SQL engine that runs
inside Python, no server) read only the columns each question needs and do the heavy
counting on disk. What comes back is small, one row per request type and month, as an
ordinary pandas table.

:func:`open_requests` loads such a file with the same rules and the same account as
every other load (rows read = kept + set aside, each set-aside row with its reason; see
:mod:`cda_lib.sources.conform`), and returns a :class:`LargeRequests`. The KPI functions
of :mod:`cda_lib.metrics.kpi` take it wherever they take a DataFrame and return the same table::

    requests = open_requests("service_requests.parquet", as_of=data.as_of)
    kpi.kpi_table(requests, city.service_standards, as_of=data.as_of,
                  by=("service_code", "month"))

A CSV export is converted to Parquet once, on first load, into the cache folder
(:func:`cda_lib.sources.parquet_copy.parquet_copy`); later loads read the Parquet copy,
about twice as fast.
:func:`cda_lib.data.open_city_requests` opens a city's own source this way.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from cda_lib.core.account import REASON, SOURCE_ROW, CountedAccount
from cda_lib.core.errors import LoadError, OnDiskError
from cda_lib.core.schema import SERVICE_REQUESTS
from cda_lib.metrics.figures import NOT_RECORDED, GroupFigures
from cda_lib.metrics.inputs import as_list
from cda_lib.metrics.outcomes import opened_after_error
from cda_lib.metrics.periods import DAY_NS, TIME_KEYS, period_bounds, periods_over
from cda_lib.metrics.selection import check_choices, empty_period_error
from cda_lib.metrics.survival import QUANTILES, km_quantiles_sorted
from cda_lib.sources import conform
from cda_lib.sources.mapping import ColumnMapping, load_mapping
from cda_lib.sources.parquet_copy import parquet_copy

# Python's str.strip() whitespace, for SQL's trim()
_WHITESPACE = " \t\n\r\x0b\x0c"


# --- loading ----------------------------------------------------------------------------


def open_requests(source: str | Path | Iterable[str | Path],
                  mapping: str | Path | ColumnMapping | None = None, *,
                  as_of=None, label: str | None = None) -> LargeRequests:
    """Load a large Parquet or CSV export of service requests, leaving it on disk.

    The same rules as :func:`cda_lib.sources.conform.conform_service_requests`, in SQL:
    the account says how many rows were read, kept and set aside and why, and holds the
    set-aside rows themselves. ``source`` is a file, or several files of one export (one
    per year, say: stacked in the order given, so duplicates across files are found).
    ``mapping`` is a mapping's name or file (as for
    :func:`cda_lib.sources.local.load_service_requests_file`), by default the canonical
    column names; ``as_of`` (when the data was extracted) defaults to now. ``label`` names
    the source in the account (default: the file's name).
    """
    files = [Path(source)] if isinstance(source, (str, Path)) else [Path(p) for p in source]
    if not files:
        raise LoadError("No files were given to load. Name at least one file.")
    parquet_files = [_as_parquet(path) for path in files]
    name = label or (files[0].name if len(files) == 1
                     else f"{len(files)} files in {files[0].parent.name}")
    if mapping is None:
        mapping = ColumnMapping.identity()
    elif not isinstance(mapping, ColumnMapping):
        mapping = load_mapping(mapping)
    as_of = pd.Timestamp.now() if as_of is None else pd.Timestamp(as_of)
    connection = _connect()
    raw = _raw_rows(connection, parquet_files, [path.name for path in files])
    types = {row[0]: row[1] for row in
             connection.execute(f"DESCRIBE SELECT * FROM {raw}").fetchall()}
    check_columns(types, mapping, name)
    conformer = _Conformer(mapping, types, as_of)
    converted, checked = conformer.select(raw)
    connection.execute(f"CREATE TEMP VIEW converted AS {converted}")
    connection.execute(f"CREATE TEMP VIEW conformed AS {checked}")
    account = _account(connection, raw, name)
    columns = conformer.output
    connection.execute(f"CREATE TEMP VIEW kept AS SELECT file_row_number, "
                       f"{', '.join(map(_quote, columns))} FROM converted WHERE "
                       "file_row_number NOT IN (SELECT file_row_number FROM aside)")
    return LargeRequests(parquet_files[0], connection, account, as_of, columns)


def _as_parquet(path: Path) -> Path:
    """The file itself if it is Parquet; a CSV's Parquet copy; else a clear error."""
    if not path.exists():
        raise LoadError(f"There is no file at {path}. Check the path and the file name.")
    if path.suffix.lower() in (".csv", ".txt"):
        return parquet_copy(path)
    if path.suffix.lower() != ".parquet":
        raise LoadError(f"{path.name} is not a file the large-table loader reads. Give a "
                        "Parquet or CSV file.")
    return path


def _raw_rows(connection: duckdb.DuckDBPyConnection, files: list[Path],
              names: list[str]) -> str:
    """The rows as read, numbered through the files in order (``file_row_number`` from 0).

    Several files get, as the ordinary loader gives them, each row's file name and row
    number in that file first (``source_file``, ``source_file_row``).
    """
    if len(files) == 1:
        return f"read_parquet({_literal(files[0].resolve())}, file_row_number = true)"
    import pyarrow.parquet as pq

    starts, start = [], 0
    for path, name in zip(files, names, strict=True):
        starts.append((str(path.resolve()), name, start))
        start += pq.read_metadata(path).num_rows
    connection.execute("CREATE TEMP TABLE file_starts (filename VARCHAR, name VARCHAR, "
                       "start BIGINT)")
    connection.executemany("INSERT INTO file_starts VALUES (?, ?, ?)", starts)
    listed = ", ".join(_literal(path.resolve()) for path in files)
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


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _view_columns(connection: duckdb.DuckDBPyConnection, view: str) -> list[str]:
    return [row[0] for row in connection.execute(f"DESCRIBE {view}").fetchall()]


def check_columns(types: Mapping[str, str], mapping: ColumnMapping, source: str) -> None:
    conform.check_columns(pd.DataFrame(columns=[c for c in types if c != "file_row_number"]),
                           mapping, source)


@dataclass
class _Conformer:
    """The SQL that maps, converts and checks each row, as the pandas loader does."""

    mapping: ColumnMapping
    types: Mapping[str, str]
    as_of: pd.Timestamp
    flags: dict[str, str] = field(default_factory=dict)
    output: list[str] = field(default_factory=list)

    def select(self, raw: str) -> tuple[str, str]:
        """Two queries: every row converted, then the same rows with their reason (if any)."""
        m = self.mapping
        opened, closed = self.datetime("requested_datetime"), self.datetime("closed_datetime")
        columns = {
            "service_request_id": self.text("service_request_id"),
            "service_code": f"coalesce({self.text('service_code')}, {self.code_from_name()})",
            "service_name": self.text("service_name"),
            "status": self.status(),
            "status_notes": self.text("status_notes"),
            "requested_datetime": opened,
            "closed_datetime": closed,
            "agency_responsible": self.text("agency_responsible"),
            "district": self.text("district"),
            "lat": self.number("lat"),
            "long": self.number("long"),
            "channel": self.value_map(self.text("channel"), m.channel_values,
                                      conform.UNKNOWN_CHANNEL),
        }
        reopened = self.optional_column("reopened")
        if reopened is not None:
            columns["reopened"] = self.flag(reopened)
        self.output = list(columns)
        # what the rules and their details need besides the canonical columns
        columns["source opened"] = self.datetime_text("requested_datetime")
        columns["source closed"] = self.datetime_text("closed_datetime")
        columns["source status"] = self.text("status")
        columns.update({f"flag: {issue}": test for issue, test in self.flags.items()})
        body = ",\n  ".join(f"{sql} AS {_quote(name)}" for name, sql in columns.items())
        as_of = _timestamp(self.as_of)
        opened_text, closed_text = '"source opened"', '"source closed"'
        rules = [
            ("service_request_id IS NULL", conform.MISSING_ID, "NULL"),
            ("service_name IS NULL", conform.MISSING_TYPE, "NULL"),
            (f"requested_datetime IS NULL AND {opened_text} IS NULL", conform.MISSING_OPENED,
             "NULL"),
            ("requested_datetime IS NULL", conform.UNREADABLE_OPENED, opened_text),
            (f"closed_datetime IS NULL AND {closed_text} IS NOT NULL", conform.UNREADABLE_CLOSED,
             closed_text),
            ("status IS NULL", conform.UNKNOWN_STATUS, '"source status"'),
            ("status = 'closed' AND closed_datetime IS NULL", conform.CLOSED_WITHOUT_DATE,
             "NULL"),
            ("closed_datetime < requested_datetime", conform.CLOSED_BEFORE_OPENED, "NULL"),
            (f"requested_datetime > {as_of}", conform.FUTURE_OPENED,
             "CAST(requested_datetime AS VARCHAR)"),
        ]
        reason = " ".join(f"WHEN {test} THEN {_literal(why)}" for test, why, _ in rules)
        detail = " ".join(f"WHEN {test} THEN {what}" for test, _, what in rules)
        columns_sql = f"SELECT file_row_number,\n  {body}\nFROM {raw}"
        checks_sql = (f"SELECT *, CASE {reason} END AS reason, CAST(CASE {detail} END AS VARCHAR) "
                      "AS detail FROM converted")
        return columns_sql, checks_sql

    def source(self, canonical: str) -> str | None:
        return self.mapping.columns.get(canonical)

    def text(self, canonical: str, column: str | None = None) -> str:
        """Text with surrounding spaces removed; blanks and the mapping's missing words NULL."""
        column = column or self.source(canonical)
        if column is None:
            return "CAST(NULL AS VARCHAR)"
        kind = self.types[column].upper()
        quoted = _quote(column)
        if kind in ("DOUBLE", "FLOAT") or kind.startswith("DECIMAL"):
            value = (f"CASE WHEN {quoted} = trunc({quoted}) THEN CAST(CAST({quoted} AS BIGINT) "
                     f"AS VARCHAR) ELSE CAST({quoted} AS VARCHAR) END")
        else:
            value = f"CAST({quoted} AS VARCHAR)"
        # trim only where an end is blank: most values need nothing, and trim is slow
        trimmed = (f"(CASE WHEN left({value}, 1) <= ' ' OR right({value}, 1) <= ' ' THEN "
                   f"trim({value}, {_literal(_WHITESPACE)}) ELSE {value} END)")
        if not self.mapping.missing_values:
            return f"nullif({trimmed}, '')"
        missing = ", ".join(_literal(v) for v in ("", *self.mapping.missing_values))
        return f"CASE WHEN {trimmed} IN ({missing}) THEN NULL ELSE {trimmed} END"

    def datetime(self, canonical: str) -> str:
        column = self.source(canonical)
        if column is None:
            return "CAST(NULL AS TIMESTAMP_NS)"
        if self.is_typed_datetime(column):
            return f"CAST({_quote(column)} AS TIMESTAMP_NS)"
        text = self.text(canonical)
        iso = f"TRY_CAST({text} AS TIMESTAMP_NS)"
        if self.mapping.datetime_format:
            formatted = f"try_strptime({text}, {_literal(self.mapping.datetime_format)})"
            return f"coalesce(CAST({formatted} AS TIMESTAMP_NS), {iso})"
        return iso

    def datetime_text(self, canonical: str) -> str:
        """The date as written, to tell "missing" from "not readable" (typed dates are
        never unreadable, so they need no text)."""
        column = self.source(canonical)
        if column is None or self.is_typed_datetime(column):
            return "CAST(NULL AS VARCHAR)"
        return self.text(canonical)

    def is_typed_datetime(self, column: str) -> bool:
        kind = self.types[column].upper()
        return kind.startswith("TIMESTAMP") or kind == "DATE"

    def status(self) -> str:
        if self.source("status") is None:
            closed = self.datetime("closed_datetime")
            return f"CASE WHEN {closed} IS NOT NULL THEN 'closed' ELSE 'open' END"
        text = self.text("status")
        if self.mapping.status_values is None:
            return f"CASE WHEN lower({text}) IN ('open', 'closed') THEN lower({text}) END"
        return self.value_map(text, self.mapping.status_values, None)

    def value_map(self, text: str, values: Mapping[str, str] | None, issue: str | None) -> str:
        if values is None:
            return text
        cases = " ".join(f"WHEN {_literal(k)} THEN {_literal(v)}" for k, v in values.items())
        mapped = f"(CASE {text} {cases} END)" if cases else "CAST(NULL AS VARCHAR)"
        if issue:
            self.flags[issue] = f"({mapped} IS NULL AND {text} IS NOT NULL)"
        return mapped

    def code_from_name(self) -> str:
        name = self.text("service_name")
        derived = (f"upper(trim(regexp_replace({name}, '[^0-9A-Za-z]+', '_', 'g'), '_'))")
        cases = " ".join(f"WHEN {_literal(k)} THEN {_literal(v)}"
                         for k, v in self.mapping.service_codes.items())
        return f"(CASE {name} {cases} ELSE {derived} END)" if cases else derived

    def number(self, canonical: str) -> str:
        column = self.source(canonical)
        if column is None:
            return "CAST(NULL AS DOUBLE)"
        kind = self.types[column].upper()
        if kind in ("DOUBLE", "FLOAT", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT") \
                or kind.startswith("DECIMAL"):
            return f"CAST({_quote(column)} AS DOUBLE)"
        text = self.text(canonical)
        number = f"TRY_CAST({text} AS DOUBLE)"
        previous = self.flags.get(conform.UNREADABLE_COORDINATES, "FALSE")
        self.flags[conform.UNREADABLE_COORDINATES] = \
            f"({previous} OR ({number} IS NULL AND {text} IS NOT NULL))"
        return number

    def optional_column(self, canonical: str) -> str | None:
        if canonical in self.mapping.columns:
            return self.mapping.columns[canonical]
        return canonical if canonical in self.types else None

    def flag(self, column: str) -> str:
        if self.types[column].upper() == "BOOLEAN":
            return _quote(column)
        text = f"lower({self.text('reopened', column)})"
        yes = ", ".join(_literal(w) for w in conform.YES_WORDS)
        no = ", ".join(_literal(w) for w in conform.NO_WORDS)
        value = f"(CASE WHEN {text} IN ({yes}) THEN TRUE WHEN {text} IN ({no}) THEN FALSE END)"
        self.flags[conform.UNREADABLE_REOPENED] = f"({value} IS NULL AND {text} IS NOT NULL)"
        return value


def _account(connection: duckdb.DuckDBPyConnection, raw: str, source: str) -> CountedAccount:
    """Find the set-aside rows (duplicates last, among the rows still kept) and count them."""
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
    flag_columns = [c for c in _view_columns(connection, "converted") if c.startswith("flag: ")]
    flags = {}
    if flag_columns:
        counts = ", ".join(f"count_if({_quote(c)})" for c in flag_columns)
        values = connection.execute(
            f"SELECT {counts} FROM converted WHERE file_row_number NOT IN "
            "(SELECT file_row_number FROM aside)").fetchone()
        flags = {c.removeprefix("flag: "): int(v) for c, v in zip(flag_columns, values,
                                                                    strict=True)}
    return CountedAccount(source, rows_read, aside, flags)


# --- the table on disk -------------------------------------------------------------------


class LargeRequests:
    """Service requests kept on disk: pass it to the KPI functions as you would a DataFrame.

    ``account`` is the load's account; ``len()`` the rows (kept, and chosen if this is a
    selection); :func:`cda_lib.metrics.selection.select_requests` chooses types, districts
    and a period as for a DataFrame; :meth:`to_pandas` brings the rows into memory, for a selection
    small enough to hold.
    """

    def __init__(self, path: Path, connection: duckdb.DuckDBPyConnection,
                 account: CountedAccount, as_of: pd.Timestamp, columns: list[str],
                 view: str = "kept"):
        self.path = path
        self.account = account
        self.as_of = as_of
        self.columns = pd.Index(columns)
        self._connection = connection
        self._view = view

    def __len__(self) -> int:
        if self._view == "kept":
            return self.account.rows_kept
        return self._connection.execute(f"SELECT count(*) FROM {self._view}").fetchone()[0]

    def __repr__(self) -> str:
        chosen = "" if self._view == "kept" else " (a selection)"
        return (f"{len(self):,} service requests kept on disk, from {self.account.source}"
                f"{chosen}; the load set aside {self.account.rows_set_aside:,}")

    def _repr_html_(self) -> str:
        import html

        return f"<p>{html.escape(repr(self))}</p>{self.account._repr_html_()}"

    def __getitem__(self, key):
        raise self.needs_memory(f"the column {key!r}" if isinstance(key, str) else "its rows")

    def needs_memory(self, what: str) -> OnDiskError:
        """The error for code that needs a pandas table: say how to get one small enough."""
        return OnDiskError(
            f"This table of {len(self):,} service requests is kept on disk, so {what} cannot "
            "be used as in a pandas table here. The KPI functions (kpi.kpi_table, "
            "selection.select_requests ...) take it as it is; for anything else, choose a "
            "part with selection.select_requests(...) and call .to_pandas() on it.")

    def to_pandas(self, limit: int | None = None) -> pd.DataFrame:
        """The rows as the canonical pandas table, in file order (the first ``limit``)."""
        clause = f" LIMIT {int(limit)}" if limit is not None else ""
        table = self._connection.execute(
            f"SELECT * EXCLUDE (file_row_number) FROM {self._view} "
            f"ORDER BY file_row_number{clause}").df()
        dtypes = {**SERVICE_REQUESTS.dtypes, **SERVICE_REQUESTS.optional}
        return SERVICE_REQUESTS.validate(pd.DataFrame(
            {c: table[c].astype(dtypes[c]) for c in self.columns}))

    def select(self, *, service_code=None, district=None, period=None) -> LargeRequests:
        """The requests of some types, districts and period (see selection.select_requests)."""
        catalog = self._connection.execute(
            f"SELECT DISTINCT service_code, service_name, district FROM {self._view}").df()
        catalog = catalog.astype("string")
        check_choices(catalog, service_code=service_code, district=district)
        conditions = []
        if service_code is not None:
            chosen = _value_list(as_list(service_code, "request type"))
            conditions.append(f"(service_code IN ({chosen}) OR service_name IN ({chosen}))")
        if district is not None:
            conditions.append(f"district IN ({_value_list(as_list(district, 'district'))})")
        if period is not None:
            start, end = period_bounds(period)
            within = (f"requested_datetime BETWEEN {_timestamp(start)} AND {_timestamp(end)}")
            found, first, last = self._connection.execute(
                f"SELECT count_if({within}), min(requested_datetime), max(requested_datetime) "
                f"FROM {self._view}").fetchone()
            if not found:
                raise empty_period_error(period, pd.Timestamp(first) if first else pd.NaT,
                                             pd.Timestamp(last) if last else pd.NaT)
            conditions.append(within)
        view = f"chosen_{next(_VIEW_NUMBERS)}"
        where = " AND ".join(conditions) or "TRUE"
        self._connection.execute(f"CREATE TEMP VIEW {view} AS SELECT * FROM {self._view} "
                                 f"WHERE {where}")
        return LargeRequests(self.path, self._connection, self.account, self.as_of,
                             list(self.columns), view)

    def latest_moment(self) -> pd.Timestamp:
        """The latest date in the table, opened or closed (for rates, which need no as_of)."""
        latest = self._connection.execute(
            "SELECT max(greatest(requested_datetime, coalesce(closed_datetime, "
            f"requested_datetime))) FROM {self._view}").fetchone()[0]
        return pd.Timestamp("2000-01-01") if latest is None else pd.Timestamp(latest)

    def kpi_figures(self, standards: Mapping[str, float] | None, *, as_of: pd.Timestamp,
                    keys: list[str], time_key: str | None, pattern: str) -> GroupFigures:
        """The per-group counts behind :func:`cda_lib.metrics.kpi.kpi_table`, counted by DuckDB."""
        return _KpiQuery(self._connection, self._view, self.columns, standards, as_of, keys,
                         time_key, pattern).figures()


_VIEW_NUMBERS = itertools.count(1)


def _value_list(values: list[str]) -> str:
    return ", ".join(_literal(v) for v in values)


def _timestamp(moment: pd.Timestamp) -> str:
    return f"TIMESTAMP_NS {_literal(moment.isoformat(sep=' '))}"


@dataclass
class _KpiQuery:
    """One KPI table's figures: a counting pass, a sorted pass and a backlog pass over disk.

    Counting (requests, closes, on time ...) is a GROUP BY. The Kaplan–Meier quantiles
    need each group's times in order: DuckDB sorts them and hands back three plain
    arrays, and :func:`cda_lib.metrics.survival.km_quantiles_sorted` does the same arithmetic as for
    a pandas table, so both give the same numbers to the last digit.
    """

    connection: duckdb.DuckDBPyConnection
    view: str
    columns: pd.Index
    standards: Mapping[str, float] | None
    as_of: pd.Timestamp
    keys: list[str]
    time_key: str | None
    pattern: str

    def figures(self) -> GroupFigures:
        self.prepare()
        groups = self.fetch(self.counts_sql())
        self.check(groups)
        key_labels = (groups[self.keys].drop_duplicates().sort_values(self.keys)
                      .reset_index(drop=True) if self.keys else pd.DataFrame(index=[0]))
        grid, periods = self.grid(key_labels, groups)
        placed = self.merge(grid, groups)

        def whole(column: str) -> np.ndarray:
            return placed[column].fillna(0).to_numpy(dtype=np.int64)

        figures = GroupFigures(
            labels=self.labels(grid), requests=whole("requests"), closed=whole("closed"),
            quantiles=self.quantiles(grid),
            on_time_known=whole("on_time_known"), on_time_count=whole("on_time_count"),
            on_time_pending=whole("on_time_pending"),
            without_standard=whole("without_standard"))
        if periods is not None:
            figures.backlog = self.backlog(placed, key_labels, periods)
        if "reopened" in self.columns:
            figures.reopen_base, figures.reopened, figures.reopen_recorded = (
                whole("reopen_base"), whole("reopened"), whole("reopen_recorded"))
        if "status_notes" in self.columns:
            figures.cancel_base, figures.cancelled, figures.cancel_telling = (
                whole("cancel_base"), whole("cancelled"), whole("cancel_telling"))
        return figures

    def check(self, groups: pd.DataFrame) -> None:
        """The same refusal as the pandas path: requests opened after ``as_of``."""
        later = int(groups["opened_later"].sum())
        if later:
            raise opened_after_error(later, self.as_of, pd.Timestamp(groups["latest"].max()))

    def prepare(self) -> None:
        standards = self.standards or {}
        rows = ", ".join(f"({_literal(code)}, {float(days)!r})"
                         for code, days in standards.items())
        self.connection.execute("CREATE OR REPLACE TEMP TABLE standards "
                                "(code VARCHAR, days DOUBLE)")
        if rows:
            self.connection.execute(f"INSERT INTO standards VALUES {rows}")
        # kept text is already trimmed, with blanks empty (the loader's rules)
        keys = "".join(f"coalesce({_quote(k)}, {_literal(NOT_RECORDED)}) AS "
                       f"{_quote('key ' + k)}, " for k in self.keys)
        periods = ""
        if self.time_key:
            unit = _literal(self.time_key)  # DuckDB's names too; its weeks start on Monday
            periods = (f"date_trunc({unit}, requested_datetime) AS period_start, "
                       f"date_trunc({unit}, closed_datetime) AS closed_period, ")
        extra = "".join(f", {c}" for c in ("reopened", "status_notes") if c in self.columns)
        as_of_ns = self.as_of.value
        self.connection.execute(
            f"CREATE OR REPLACE TEMP VIEW prepared AS SELECT {keys}{periods}"
            f"is_closed, requested_datetime, "
            f"(CASE WHEN is_closed THEN epoch_ns(closed_datetime) ELSE {as_of_ns} END)"
            f" - epoch_ns(requested_datetime) AS duration_ns, "
            f"({as_of_ns} - epoch_ns(requested_datetime)) / {float(DAY_NS)!r} AS age_days, "
            f"standards.days AS standard{extra} FROM ("
            f"SELECT *, (lower(status) = 'closed' AND closed_datetime IS NOT NULL AND "
            f"epoch_ns(closed_datetime) <= {as_of_ns}) AS is_closed FROM {self.view}) AS k "
            "LEFT JOIN standards ON k.service_code = standards.code")

    def fetch(self, sql: str) -> pd.DataFrame:
        table = self.connection.execute(sql).df()
        for column in ("period_start", "first", "latest"):
            if column in table.columns:
                table[column] = table[column].astype("datetime64[ns]")
        return table

    def merge(self, left: pd.DataFrame, right: pd.DataFrame) -> pd.DataFrame:
        on = self.group_columns()
        if not on:  # one group: the whole table
            return pd.concat([left.reset_index(drop=True), right.reset_index(drop=True)], axis=1)
        return left.merge(right, on=on, how="left")

    def group_columns(self) -> list[str]:
        return [*self.keys, *(["period_start"] if self.time_key else [])]

    def group_select(self, period: str = "period_start") -> str:
        names = [f"{_quote('key ' + k)} AS {_quote(k)}" for k in self.keys]
        if self.time_key:
            names.append(f"{period} AS period_start")
        return ", ".join(names)

    def group_by(self, period: str = "period_start") -> str:
        names = [_quote("key " + k) for k in self.keys]
        if self.time_key:
            names.append(period)
        return ("GROUP BY " + ", ".join(names)) if names else ""

    def counts_sql(self) -> str:
        day = float(DAY_NS)
        known = "(standard IS NOT NULL AND age_days >= standard)"
        as_of = _timestamp(self.as_of)
        parts = [
            "count(*) AS requests", "count_if(is_closed) AS closed",
            f"count_if({known}) AS on_time_known",
            f"count_if({known} AND is_closed AND duration_ns / {day!r} <= standard) "
            "AS on_time_count",
            f"count_if(standard IS NOT NULL AND NOT {known}) AS on_time_pending",
            "count_if(standard IS NULL) AS without_standard",
            f"count_if(requested_datetime > {as_of}) AS opened_later",
            "min(requested_datetime) AS first", "max(requested_datetime) AS latest",
        ]
        if "reopened" in self.columns:
            parts += ["count_if((is_closed OR coalesce(reopened, FALSE)) AND reopened IS NOT "
                      "NULL) AS reopen_base", "count_if(coalesce(reopened, FALSE)) AS reopened",
                      "count_if(reopened IS NOT NULL) AS reopen_recorded"]
        if "status_notes" in self.columns:
            noted = "is_closed AND status_notes IS NOT NULL"
            parts += [f"count_if({noted}) AS cancel_base",
                      f"count_if({noted} AND lower(status_notes) <> 'closed') AS cancel_telling",
                      f"count_if({noted} AND regexp_matches(status_notes, "
                      f"{_literal(self.pattern)}, 'i')) AS cancelled"]
        select = ", ".join(filter(None, [self.group_select(), *parts]))
        return f"SELECT {select} FROM prepared {self.group_by()}"

    def grid(self, key_labels: pd.DataFrame,
             groups: pd.DataFrame) -> tuple[pd.DataFrame, pd.PeriodIndex | None]:
        """Every group: each key combination seen, times every period to the extract."""
        if self.time_key is None:
            return key_labels, None
        freq = TIME_KEYS[self.time_key]
        first = groups["first"].min() if len(groups) else pd.NaT
        start = (pd.Timestamp(first) if pd.notna(first) else self.as_of).to_period(freq)
        periods = pd.period_range(start, self.as_of.to_period(freq), freq=freq)
        grid = key_labels.loc[np.repeat(np.arange(len(key_labels)), len(periods))]
        grid = grid.reset_index(drop=True)
        grid["period_start"] = np.tile(periods.start_time.as_unit("ns"), len(key_labels))
        return grid, periods

    def labels(self, grid: pd.DataFrame) -> pd.DataFrame:
        labels = pd.DataFrame({k: grid[k].astype("string") for k in self.keys}) if self.keys \
            else pd.DataFrame(index=grid.index)
        if self.time_key:
            labels[self.time_key] = pd.Series(
                pd.PeriodIndex(grid["period_start"], freq=TIME_KEYS[self.time_key])
                .astype(str), dtype="string")
        return labels

    def quantiles(self, grid: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Median and 90th percentile days per group (row of ``grid``), from sorted times."""
        order = "ORDER BY code, duration_ns, is_closed DESC"
        columns = self.group_columns()
        if columns:
            codes = grid[columns].rename(columns={k: "key " + k for k in self.keys})
            codes["code"] = np.arange(len(grid), dtype=np.int64)
            self.connection.register("group_codes", codes)
            names = ", ".join(_quote(c) for c in codes.columns if c != "code")
            sql = (f"SELECT code, duration_ns, is_closed FROM prepared JOIN group_codes "
                   f"USING ({names}) {order}")
        else:
            sql = f"SELECT 0 AS code, duration_ns, is_closed FROM prepared {order}"
        rows = self.connection.execute(sql).fetchnumpy()
        if columns:
            self.connection.unregister("group_codes")
        days = np.asarray(rows["duration_ns"], dtype=np.int64) / DAY_NS
        found = km_quantiles_sorted(np.asarray(rows["code"], dtype=np.int64), days,
                                        np.asarray(rows["is_closed"], dtype=bool), len(grid),
                                        QUANTILES.values())
        return {name: found[q] for name, q in QUANTILES.items()}

    def backlog(self, placed: pd.DataFrame, key_labels: pd.DataFrame,
                periods: pd.PeriodIndex) -> np.ndarray:
        """Requests open at the end of each period: opened by then, less closed by then."""
        select = ", ".join([self.group_select("closed_period"), "count(*) AS closes"])
        closes = self.fetch(f"SELECT {select} FROM prepared WHERE is_closed "
                            f"{self.group_by('closed_period')}")
        closes = self.merge(placed[self.group_columns()], closes)
        shape = (len(key_labels), len(periods))
        opened = placed["requests"].fillna(0).to_numpy(dtype=np.int64).reshape(shape)
        closed = closes["closes"].fillna(0).to_numpy(dtype=np.int64).reshape(shape)
        backlog = (np.cumsum(opened, axis=1) - np.cumsum(closed, axis=1)).ravel().astype(float)
        over = np.tile(periods_over(periods, self.as_of), len(key_labels))
        backlog[~over] = np.nan
        return backlog
