"""A CSV export's Parquet copy, made once on first load and kept in the cache folder.

Parquet is read about twice as fast as CSV (``benchmarks/csv_load.py``), keeps every
column as text (ids keep their leading zeros) and can be read by column, so both the
ordinary loader (:mod:`cda_lib.sources.local`) and the on-disk engine
(:mod:`cda_lib.metrics.engine`) read a CSV through its copy.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cda_lib.core import paths
from cda_lib.core.errors import LoadError
from cda_lib.core.files import atomic_path

_COPY_FORMAT = 2  # bumped when the copy's layout changes, so older copies are made again
_NOT_UTF8 = ("{name} is not saved as UTF-8 text, the encoding the workbook reads (accented "
             "letters such as \"São\" or \"Bogotá\" are stored differently in older "
             "encodings). Open it in a spreadsheet and save it again as \"CSV UTF-8\".")


def parquet_copy(csv_path: str | Path) -> Path:
    """The Parquet copy of a CSV export, made on first use and kept in the cache folder.

    Every column is read as text, as the ordinary loader reads CSV (ids keep their
    leading zeros; an empty field is missing). The copy is written in batches, so the
    CSV is never held in memory whole, and its name records the CSV's size and time
    of change: an edited CSV gets a fresh copy.
    """
    csv_path = Path(csv_path)
    if not csv_path.exists():
        raise LoadError(f"There is no file at {csv_path}. Check the path and the file name.")
    try:
        return _convert_once(csv_path)
    except UnicodeDecodeError:
        raise LoadError(_NOT_UTF8.format(name=csv_path.name)) from None


def _convert_once(csv_path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    stat = csv_path.stat()
    stamp = hashlib.sha256(f"{_COPY_FORMAT}|{csv_path.resolve()}|{stat.st_size}|"
                           f"{stat.st_mtime_ns}".encode())
    target = paths.cache_dir() / "parquet" / f"{csv_path.stem}-{stamp.hexdigest()[:12]}.parquet"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    names = column_names(_csv_header(csv_path))
    options = pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                   null_values=[""], strings_can_be_null=True,
                                   quoted_strings_can_be_null=True)
    try:
        reader = pacsv.open_csv(csv_path, convert_options=options,
                                read_options=pacsv.ReadOptions(column_names=names, skip_rows=1))
        with atomic_path(target) as scratch, pq.ParquetWriter(scratch, reader.schema) as out:
            for batch in reader:
                out.write_batch(batch)
    except pa.ArrowInvalid as error:
        if "UTF8" in str(error) or "UTF-8" in str(error):
            raise LoadError(_NOT_UTF8.format(name=csv_path.name)) from None
        raise LoadError(f"{csv_path.name} could not be read as CSV: {error}. Open it in a "
                        "spreadsheet to check it, or export it again.") from None
    return target


def column_names(header: list[str]) -> list[str]:
    """A CSV header's names as pandas names them: a blank one after its position, a repeat
    with a number (so every column has a name SQL can use, and ``Unnamed: 0`` as before).

    >>> column_names(["", "id", "id", "type"])
    ['Unnamed: 0', 'id', 'id.1', 'type']
    """
    names: list[str] = []
    for position, name in enumerate(header):
        candidate = name if name else f"Unnamed: {position}"
        repeat = 0
        while candidate in names:
            repeat += 1
            candidate = f"{name}.{repeat}"
        names.append(candidate)
    return names


def _csv_header(csv_path: Path) -> list[str]:
    import csv

    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), None)
    if not header:
        raise LoadError(f"{csv_path.name} is empty: it has no header row.")
    return header
