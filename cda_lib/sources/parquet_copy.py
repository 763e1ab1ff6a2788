"""A CSV export's Parquet copy, made once on first load and kept in the cache folder.

Parquet is read many times faster than CSV (``benchmarks/csv_load.py``), keeps every
column as text (ids keep their leading zeros) and can be read by column, so both the
ordinary loader (:mod:`cda_lib.sources.local`) and the on-disk engine
(:mod:`cda_lib.metrics.engine`) read a CSV through its copy.

The copy is made with pyarrow's reader, which reads quoted line breaks (an address
"street⏎city", a header "Opened⏎(local time)"); a file it still refuses (a field longer
than its block) is read with Python's csv module instead. Only a file that is really
malformed is refused, with the row and its number of columns.

A CSV is read as UTF-8 (a byte-order mark before the header is skipped), or as UTF-16
when it starts with UTF-16's byte-order mark, as Excel's "Unicode text" does: both say
what they are. Anything else is refused with what to do rather than guessed at: text in
an older encoding (latin-1, Windows-1252), whose accented letters would be misread, and a
file holding NUL characters (a damaged file, or UTF-16 without its mark).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cda_lib.core import paths
from cda_lib.core.errors import LoadError
from cda_lib.core.files import atomic_path
from cda_lib.text.translation import N_, gettext as _

_COPY_FORMAT = 4  # bumped when the copy's layout or reading changes, so older copies are made again
# pyarrow reads a CSV in blocks and refuses a row longer than one; 16 MB holds any real
# record (a 5 MB notes field included) while keeping the reader's memory small
_ARROW_BLOCK_BYTES = 16 * 2**20
# Python's csv module refuses fields over 128 KB by default; 1 GB is past any real field
_LARGEST_FIELD_CHARACTERS = 2**30
_CSV_BATCH_ROWS = 50_000  # rows held in memory at once by the csv-module fallback
_RAGGED = N_("{name} could not be read as CSV: data row {row:,} (ending on line {line:,} of the "
           "file) has {found} columns where the header has {expected}. Open it in a "
           "spreadsheet to check that row, or export it again.")
DAMAGED_PARQUET = N_("{name} is damaged: it was cut short or changed, and cannot be read as "
                   "Parquet. If it is a city's generated data, run `cda generate <city id>` "
                   "to make it again; otherwise copy or export it again.")
_NOT_UTF8 = N_("{name} is not saved as UTF-8 text, the encoding the workbook reads (accented "
             "letters such as \"São\" or \"Bogotá\" are stored differently in older "
             "encodings). Open it in a spreadsheet and save it again as \"CSV UTF-8\".")
_NUL_CHARACTERS = ("{name} holds NUL characters (zero bytes), the first on line {line:,}, which "
                   "no text export holds: the file is damaged, or saved as UTF-16 text without "
                   "the mark that says so. Export it again and save it as \"CSV UTF-8\".")
# the byte-order marks that say a file is UTF-16 (little- or big-endian); Python's "utf-16"
# codec reads either and skips the mark
_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
_SCAN_BYTES = 16 * 2**20  # the piece of a file looked through at once for NUL characters


def parquet_copy(csv_path: str | Path) -> Path:
    """The Parquet copy of a CSV export, made on first use and kept in the cache folder.

    Every column is read as text, as the ordinary loader reads CSV (ids keep their
    leading zeros; an empty field is missing). The copy is written in batches, so the
    CSV is never held in memory whole, and its name records the CSV's size and time
    of change: an edited CSV gets a fresh copy.
    """
    csv_path = Path(csv_path)
    if not csv_path.exists():
        raise LoadError(_("There is no file at {path}. Check the path and the file name.",
                          path=str(csv_path)))
    try:
        return _convert_once(csv_path)
    except UnicodeDecodeError:
        raise LoadError(_(_NOT_UTF8, name=csv_path.name)) from None


def _copy_path(csv_path: Path) -> Path:
    stat = csv_path.stat()
    stamp = hashlib.sha256(f"{_COPY_FORMAT}|{csv_path.resolve()}|{stat.st_size}|"
                           f"{stat.st_mtime_ns}".encode())
    return paths.cache_dir() / "parquet" / f"{csv_path.stem}-{stamp.hexdigest()[:12]}.parquet"


def _convert_once(csv_path: Path) -> Path:
    target = _copy_path(csv_path)
    if target.exists() and _is_readable(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    encoding = text_encoding(csv_path)
    _refuse_nul_characters(csv_path, encoding)
    names = column_names(_csv_header(csv_path, encoding))
    try:
        _convert_with_arrow(csv_path, names, target, encoding)
    except ValueError as error:  # pyarrow's ArrowInvalid is a ValueError
        if "UTF8" in str(error) or "UTF-8" in str(error):
            raise LoadError(_(_NOT_UTF8, name=csv_path.name)) from None
        # pyarrow refuses some valid files (a field longer than its block); Python's csv
        # module reads any valid file, and names the row of one that is not
        _convert_with_csv_module(csv_path, names, target, encoding)
    return target


def text_encoding(csv_path: Path) -> str:
    """How a CSV's text is read: "utf-16" when it starts with UTF-16's byte-order mark,
    else "utf-8-sig" (UTF-8, with or without its mark)."""
    with csv_path.open("rb") as handle:
        start = handle.read(2)
    return "utf-16" if start in _UTF16_MARKS else "utf-8-sig"


def _refuse_nul_characters(csv_path: Path, encoding: str) -> None:
    """Refuse a file holding a NUL character, naming its line: no valid export has one."""
    as_bytes = encoding == "utf-8-sig"  # UTF-8 is searched as bytes, UTF-16 as text
    nul, newline = (b"\0", b"\n") if as_bytes else ("\0", "\n")
    lines_before = 0
    with (csv_path.open("rb") if as_bytes else
          csv_path.open(encoding=encoding, newline="")) as handle:
        while piece := handle.read(_SCAN_BYTES):
            found = piece.find(nul)
            if found >= 0:
                line = lines_before + piece.count(newline, 0, found) + 1
                raise LoadError(_NUL_CHARACTERS.format(name=csv_path.name, line=line))
            lines_before += piece.count(newline)


def _is_readable(copy: Path) -> bool:
    """Whether a copy is whole: one cut short (a full disk, a bad copy) has no footer."""
    import pyarrow.parquet as pq

    try:
        pq.read_metadata(copy)
    except (OSError, ValueError):
        copy.unlink(missing_ok=True)
        return False
    return True


def discard_copy(csv_path: str | Path) -> None:
    """Delete a CSV's copy found damaged when read, so the next read makes it again."""
    _copy_path(Path(csv_path)).unlink(missing_ok=True)


def check_parquet(path: Path) -> None:
    """Refuse a Parquet file cut short or damaged with a plain message, not pyarrow's."""
    import pyarrow.parquet as pq

    try:
        pq.read_metadata(path)
    except (OSError, ValueError):
        raise LoadError(_(DAMAGED_PARQUET, name=path.name)) from None


def is_damaged(path: Path) -> bool:
    """Whether any part of a Parquet file fails to read (one row group at a time, so a
    large file is never held whole): for a load that failed, to tell a damaged file."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
        for group in range(parquet.num_row_groups):
            parquet.read_row_group(group)
    except (OSError, ValueError):
        return True
    return False


def _convert_with_arrow(csv_path: Path, names: list[str], target: Path, encoding: str) -> None:
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    options = pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                   null_values=[""], strings_can_be_null=True,
                                   quoted_strings_can_be_null=True)
    # skip_rows_after_names counts parsed rows, so a header with a quoted line break is
    # skipped whole; newlines_in_values reads "street⏎city" in a quoted field
    read = pacsv.ReadOptions(column_names=names, skip_rows_after_names=1,
                             block_size=_ARROW_BLOCK_BYTES,
                             encoding="utf8" if encoding == "utf-8-sig" else encoding)
    reader = pacsv.open_csv(csv_path, convert_options=options, read_options=read,
                            parse_options=pacsv.ParseOptions(newlines_in_values=True))
    with atomic_path(target) as scratch, pq.ParquetWriter(scratch, reader.schema) as out:
        for batch in reader:
            out.write_batch(batch)


def _convert_with_csv_module(csv_path: Path, names: list[str], target: Path,
                             encoding: str) -> None:
    """The same copy written from Python's csv module, in batches: slower, reads any field."""
    import csv

    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, pa.string()) for name in names])
    limit = csv.field_size_limit()
    csv.field_size_limit(_LARGEST_FIELD_CHARACTERS)
    try:
        with csv_path.open(encoding=encoding, newline="") as handle, \
                atomic_path(target) as scratch, pq.ParquetWriter(scratch, schema) as out:
            rows = csv.reader(handle)
            next(rows, None)
            batch: list[list[str]] = []
            for number, row in enumerate(rows, start=1):
                if len(row) != len(names):
                    if not row:
                        continue  # a blank line, which pyarrow and pandas skip too
                    raise LoadError(_(_RAGGED, name=csv_path.name, row=number,
                                      line=rows.line_num, found=len(row), expected=len(names)))
                batch.append(row)
                if len(batch) == _CSV_BATCH_ROWS:
                    out.write_table(_as_arrow(batch, schema))
                    batch = []
            out.write_table(_as_arrow(batch, schema))
    except csv.Error as error:
        raise LoadError(_("{name} could not be read as CSV: {error} (near line {line}). Open it "
                          "in a spreadsheet to check that line, or export it again.",
                          name=csv_path.name, error=str(error), line=rows.line_num)) from None
    finally:
        csv.field_size_limit(limit)


def _as_arrow(rows: list[list[str]], schema):
    import pyarrow as pa

    columns = [[value if value else None for value in column] for column in zip(*rows, strict=True)]
    if not rows:
        columns = [[] for _ in schema]
    return pa.table(columns, schema=schema)


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


def _csv_header(csv_path: Path, encoding: str) -> list[str]:
    import csv

    with csv_path.open(encoding=encoding, newline="") as handle:
        header = next(csv.reader(handle), None)
    if not header:
        raise LoadError(_("{name} is empty: it has no header row.", name=csv_path.name))
    return header
