"""A CSV export's finished load, kept in the cache folder so a later load of it is quick.

Reading a CSV's Parquet copy takes a fraction of a second; mapping, converting and
checking millions of rows (:func:`cda_lib.sources.conform.conform_service_requests`)
takes most of a load. So the ordinary loader keeps what a load gives: the canonical
table, the set-aside rows with their reasons and the account's counts, in
``paths.cache_dir()/loads/``. A later load of the same files with the same mapping and
the same workbook code reads them back, with the same account to the row.

What a load gives depends on ``as_of`` only through rule 11 (a request opened after it is
a future date) and the flag on a kept request closed after it, so an entry also records
the widest range of ``as_of`` that gives the same result: from the latest opened time of
the rows that reached that rule and were not future dates (or closed time of a kept row)
to the earliest later one. A build that loads "as of now" every
day reuses the entry until a request falls between two days' ``as_of``. A load with no
``as_of`` (the data's own last moment) has an entry of its own. The account's notes
about ``as_of`` are made again for each read, as they depend on the ``as_of`` asked for.

The entry's name is a hash of the files' Parquet copies (whose names record each CSV's
path, size and time of change), the mapping (every field of it: ``repr`` of the whole
:class:`~cda_lib.sources.mapping.ColumnMapping`, its time columns and duration included),
the source's label (with the city's
districts, when given), the city's time zone, and the text of every module in
``cda_lib/sources``, ``cda_lib/core`` and ``cda_lib/text`` (plus pandas' and pyarrow's
versions): a changed CSV, mapping or loader makes a new entry.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from cda_lib.core import paths
from cda_lib.core.account import REASON, CountedAccount
from cda_lib.core.files import atomic_path, write_text_atomically
from cda_lib.sources import conform
from cda_lib.sources.conform import LoadResult
from cda_lib.sources.mapping import ColumnMapping

_ENTRY_FORMAT = 3  # bumped when an entry's files change layout, so older entries are not read
# the packages whose code decides what a load gives (every module in them, so a module
# added later counts too): a change to any makes every entry anew
_LOAD_CODE = ("sources", "core", "text")


def cached_load(copies: list[Path], mapping: ColumnMapping, source: str,
                as_of: pd.Timestamp | None, load: Callable[[], LoadResult], *,
                time_zone: str | None = None) -> LoadResult:
    """The load of ``copies`` (CSV exports' Parquet copies) from its entry, or ``load()``
    run and kept as an entry when there is none for this ``as_of`` (None: the data's own)."""
    folder = paths.cache_dir() / "loads"
    key = _entry_key(copies, mapping, source, time_zone, as_of is None)
    found = _read_entry(folder, key, as_of)
    if found is not None:
        return found
    result = load()
    valid = (None, None) if as_of is None else _same_result_range(result, mapping, as_of)
    # a full disk or a read-only cache folder: the load is given, just not kept
    with contextlib.suppress(OSError, ValueError, TypeError):
        _write_entry(folder, key, result, valid)
    return result


def _entry_key(copies: list[Path], mapping: ColumnMapping, source: str,
               time_zone: str | None, own_as_of: bool) -> str:
    parts = [str(_ENTRY_FORMAT), _code_fingerprint(), repr(mapping), source, str(time_zone),
             "as of the data's last moment" if own_as_of else "as of a given moment",
             *(copy.name for copy in copies)]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:24]


@functools.cache
def _code_fingerprint() -> str:
    import pyarrow

    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(f"{pd.__version__}|{pyarrow.__version__}".encode())
    for folder in _LOAD_CODE:
        for module in sorted((package / folder).rglob("*.py")):
            digest.update(f"{module.relative_to(package)}\n".encode())
            digest.update(module.read_bytes())
    return digest.hexdigest()


def _same_result_range(result: LoadResult, mapping: ColumnMapping,
                       as_of: pd.Timestamp) -> tuple[int | None, int | None]:
    """The ``as_of`` range (nanoseconds, ends None when open) that gives this same result.

    The rows that reached rule 11 are the kept rows, the duplicates and the future dates
    (rules 1 to 10 look at one row at a time, never at ``as_of``). The set-aside ones are
    loaded again alone, each under its own row number as id, to read their opened times.
    """
    # a kept row's close is a boundary too: after the as_of it is flagged as a future close
    opened = [*result.table["requested_datetime"].dropna(),
              *result.table["closed_datetime"].dropna()]
    aside = result.account.set_aside_rows()
    reached = aside[aside[REASON].isin([conform.DUPLICATE_ID, conform.FUTURE_OPENED])]
    raw = reached.drop(columns=["source_row", REASON, "detail"]).reset_index(drop=True)
    id_column = mapping.columns.get("service_request_id")
    if len(raw) and id_column in raw.columns:
        raw[id_column] = [f"row {n}" for n in range(len(raw))]
        again = conform.conform_service_requests(raw, mapping, source=result.account.source,
                                                 as_of=pd.Timestamp.max)
        opened += list(again.table["requested_datetime"].dropna())
    elif len(raw):
        return as_of.value, as_of.value + 1  # cannot tell: this as_of only
    before = [moment.value for moment in opened if moment <= as_of]
    after = [moment.value for moment in opened if moment > as_of]
    return (max(before) if before else None), (min(after) if after else None)


def _read_entry(folder: Path, key: str, as_of: pd.Timestamp | None) -> LoadResult | None:
    info_path = folder / f"{key}.json"
    if not info_path.exists():
        return None
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
        low, high = info["as_of_from"], info["as_of_before"]
        if as_of is not None and ((low is not None and as_of.value < low)
                                  or (high is not None and as_of.value >= high)):
            return None
        table = pd.read_parquet(folder / f"{key}-kept.parquet")
        aside = pd.read_parquet(folder / f"{key}-aside.parquet")
        resolved, notes = conform.resolve_as_of(as_of, conform.last_moment(table))
        account = CountedAccount(info["source"], info["rows_read"], aside, info["flags"], notes,
                                 derived_counts=info["derived"])
    except (OSError, ValueError, KeyError):  # damaged or half-written: load again
        return None
    if len(table) != account.rows_kept:
        return None
    return LoadResult(table, account, resolved)


def _write_entry(folder: Path, key: str, result: LoadResult,
                 valid: tuple[int | None, int | None]) -> None:
    """The tables first, the description last: an entry counts only once it is whole."""
    folder.mkdir(parents=True, exist_ok=True)
    with atomic_path(folder / f"{key}-kept.parquet") as scratch:
        result.table.to_parquet(scratch, index=False)
    with atomic_path(folder / f"{key}-aside.parquet") as scratch:
        result.account.set_aside_rows().to_parquet(scratch, index=False)
    info = {"format": _ENTRY_FORMAT, "source": result.account.source,
            "rows_read": result.account.rows_read,
            "flags": {str(k): int(v) for k, v in result.account.flags().items()},
            "derived": {str(k): int(v) for k, v in result.account.derived().items()},
            "as_of_from": valid[0], "as_of_before": valid[1]}
    write_text_atomically(folder / f"{key}.json", json.dumps(info, indent=2))
