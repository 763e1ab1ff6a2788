"""A large city's service requests on disk, and the KPI queries DuckDB runs over them.

:class:`LargeRequests` is what :func:`cda_lib.metrics.engine.open_requests` returns: the
kept rows of a load, left in their Parquet file and read by DuckDB (an SQL engine that
runs inside Python). The KPI functions of :mod:`cda_lib.metrics.kpi` take it wherever they
take a DataFrame: choosing requests makes a view, and the KPI suite's per-group counts
(:class:`cda_lib.metrics.figures.GroupFigures`) are counted by SQL, then turned into the
same table as for a pandas table, to the last digit.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from cda_lib.core.account import CountedAccount
from cda_lib.core.errors import OnDiskError
from cda_lib.core.schema import SERVICE_REQUESTS
from cda_lib.metrics.figures import NOT_RECORDED, GroupFigures
from cda_lib.metrics.inputs import as_list
from cda_lib.metrics.outcomes import opened_after_error
from cda_lib.metrics.periods import DAY_NS, TIME_KEYS, period_bounds, periods_over
from cda_lib.metrics.selection import check_choices, empty_period_error
from cda_lib.metrics.survival import QUANTILES, km_quantiles_sorted


def quote_name(name: str) -> str:
    """A column or view name quoted for SQL (a double quote inside is doubled).

    >>> print(quote_name("key district"))
    "key district"
    """
    return '"' + name.replace('"', '""') + '"'


def sql_literal(text) -> str:
    """A value as an SQL text literal (a single quote inside is doubled).

    >>> print(sql_literal("O'Hare"))
    'O''Hare'
    """
    return "'" + str(text).replace("'", "''") + "'"


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
            within = (f"requested_datetime BETWEEN {sql_timestamp(start)} AND {sql_timestamp(end)}")
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
    return ", ".join(sql_literal(v) for v in values)


def sql_timestamp(moment: pd.Timestamp) -> str:
    """A moment as an SQL nanosecond timestamp literal, for comparing with the table's dates."""
    return f"TIMESTAMP_NS {sql_literal(moment.isoformat(sep=' '))}"


@dataclass
class _KpiQuery:
    """One KPI table's figures: a counting pass, a sorted pass and a backlog pass over disk.

    Counting (requests, closes, on time ...) is a GROUP BY. The Kaplan–Meier quantiles
    need each group's times in order: DuckDB sorts them and hands back three plain
    arrays, and :func:`cda_lib.metrics.survival.km_quantiles_sorted` does the same arithmetic
    as for a pandas table, so both give the same numbers to the last digit.
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
        rows = ", ".join(f"({sql_literal(code)}, {float(days)!r})"
                         for code, days in standards.items())
        self.connection.execute("CREATE OR REPLACE TEMP TABLE standards "
                                "(code VARCHAR, days DOUBLE)")
        if rows:
            self.connection.execute(f"INSERT INTO standards VALUES {rows}")
        # kept text is already trimmed, with blanks empty (the loader's rules)
        keys = "".join(f"coalesce({quote_name(k)}, {sql_literal(NOT_RECORDED)}) AS "
                       f"{quote_name('key ' + k)}, " for k in self.keys)
        periods = ""
        if self.time_key:
            unit = sql_literal(self.time_key)  # DuckDB's names too; its weeks start on Monday
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
        names = [f"{quote_name('key ' + k)} AS {quote_name(k)}" for k in self.keys]
        if self.time_key:
            names.append(f"{period} AS period_start")
        return ", ".join(names)

    def group_by(self, period: str = "period_start") -> str:
        names = [quote_name("key " + k) for k in self.keys]
        if self.time_key:
            names.append(period)
        return ("GROUP BY " + ", ".join(names)) if names else ""

    def counts_sql(self) -> str:
        day = float(DAY_NS)
        known = "(standard IS NOT NULL AND age_days >= standard)"
        as_of = sql_timestamp(self.as_of)
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
                      f"{sql_literal(self.pattern)}, 'i')) AS cancelled"]
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
            names = ", ".join(quote_name(c) for c in codes.columns if c != "code")
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
