"""Load service requests from a local file (CSV, Excel or Parquet) with a column mapping.

>>> from cda_lib.sources.local import load_service_requests_file  # doctest: +SKIP
>>> result = load_service_requests_file("boston.csv", "boston311_2015")  # doctest: +SKIP
>>> result.account  # doctest: +SKIP
Read 4,310 rows from boston.csv: kept 4,298, set aside 12.
Set aside 12 of 4,310 rows: duplicate request id
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from cda_lib.core.errors import LoadError, list_choices
from cda_lib.sources.conform import LoadResult, conform_service_requests
from cda_lib.sources.excel import HEADER_ROW_EXCEL_ONLY, read_excel_sheet
from cda_lib.sources.load_cache import cached_load
from cda_lib.sources.mapping import ColumnMapping, load_mapping
from cda_lib.sources.parquet_copy import (
    DAMAGED_PARQUET,
    check_parquet,
    discard_copy,
    is_damaged,
    parquet_copy,
)
from cda_lib.text.translation import gettext as _

READERS = {".csv": "CSV", ".txt": "CSV", ".xlsx": "Excel", ".xls": "Excel", ".parquet": "Parquet"}


def read_raw_table(path: str | Path, *, sheet: str | int | None = None,
                   header_row: int | None = None) -> pd.DataFrame:
    """Read a file as it is: text stays text (ids like 02215 keep their zero), blanks are empty.

    A CSV is read from its Parquet copy in the cache, made on the first read
    (:func:`cda_lib.sources.parquet_copy.parquet_copy`). An Excel workbook is read from
    ``sheet`` (a name, or a number from 1), which may be left out only when it has one
    sheet, with the column names on ``header_row`` (from 1; default 1).
    """
    path = Path(path)
    if not path.exists():
        raise LoadError(_("There is no file at {path}. Check the path and the file name.",
                          path=str(path)))
    kind = READERS.get(path.suffix.lower())
    if kind is None:
        raise LoadError(_("{name} is not a file type the workbook reads. Use one of {kinds}.",
                          name=path.name, kinds=list_choices(sorted(READERS))))
    if kind != "Excel" and header_row not in (None, 1):
        raise LoadError(_(HEADER_ROW_EXCEL_ONLY, name=path.name))
    try:
        if kind == "CSV":
            return _read_csv_copy(path)
        if kind == "Excel":
            return read_excel_sheet(path, sheet, header_row)
        return _read_parquet(path)
    except LoadError:
        raise
    except (UnicodeDecodeError, ValueError, OSError, zipfile.BadZipFile) as error:
        raise LoadError(_("{name} could not be read as {kind}: {error}. Open it in a "
                          "spreadsheet to check it, or export it again.", name=path.name,
                          kind=kind, error=str(error))) from None


def _read_parquet(path: Path) -> pd.DataFrame:
    check_parquet(path)
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError):
        if is_damaged(path):
            raise LoadError(_(DAMAGED_PARQUET, name=path.name)) from None
        raise


def _read_csv_copy(path: Path) -> pd.DataFrame:
    """A CSV's Parquet copy; a copy found damaged is made again from the CSV, once."""
    try:
        return pd.read_parquet(parquet_copy(path))
    except (OSError, ValueError):
        discard_copy(path)
        return pd.read_parquet(parquet_copy(path))


def load_service_requests_file(paths: str | Path | Iterable[str | Path],
                               mapping: str | Path | ColumnMapping, *,
                               as_of: pd.Timestamp | None = None,
                               time_zone: str | None = None,
                               districts: Mapping[str, str] | None = None) -> LoadResult:
    """Load one file, or several files of the same export, into canonical service requests.

    Several files (e.g. one per request type) are read and stacked first, so duplicate
    ids across files are found, and rows are numbered in the order the files are given.
    A load of CSV files is kept in the cache folder and read back the next time
    (:mod:`cda_lib.sources.load_cache`), until a file, the mapping or the workbook's code
    changes. Without ``as_of``, the data's last moment is the as-of moment. ``time_zone``
    is the city's, for dates written with a zone (see
    :func:`cda_lib.sources.conform.conform_service_requests`). ``districts`` (the city's
    district names by id) stores a district written as its id by its name.
    """
    files = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    if not files:
        raise LoadError(_("No files were given to load. Name at least one file."))
    if not isinstance(mapping, ColumnMapping):
        mapping = load_mapping(mapping)
    source = files[0].name if len(files) == 1 else f"{len(files)} files in {files[0].parent.name}"

    def load() -> LoadResult:
        raw = pd.concat([_read_with_origin(f, mapping, several=len(files) > 1)
                         for f in files],
                        ignore_index=True)
        return conform_service_requests(raw, mapping, source=source, as_of=as_of,
                                        time_zone=time_zone, districts=districts)

    if any(READERS.get(f.suffix.lower()) != "CSV" for f in files):
        return load()
    copies = [_csv_copy(f) for f in files]
    # the districts change what the load stores, so they are part of the entry's name
    label = f"{source} (districts {sorted((districts or {}).items())})" if districts else source
    return cached_load(copies, mapping, label, None if as_of is None else pd.Timestamp(as_of),
                       load, time_zone=time_zone)


def _csv_copy(path: Path) -> Path:
    if not path.exists():
        raise LoadError(_("There is no file at {path}. Check the path and the file name.",
                          path=str(path)))
    return parquet_copy(path)


def _read_with_origin(path: Path, mapping: ColumnMapping, several: bool) -> pd.DataFrame:
    """Read a file; when several are stacked, note each row's file and row number."""
    table = read_raw_table(path, sheet=mapping.sheet, header_row=mapping.header_row)
    if several:
        table.insert(0, "source_file_row", range(1, len(table) + 1))
        table.insert(0, "source_file", path.name)
    return table
