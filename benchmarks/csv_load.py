"""Time reading a large CSV export: pandas' default reader against the Parquet copy.

The loader converts a CSV to Parquet on its first read
(``cda_lib.sources.parquet_copy.parquet_copy``, pyarrow's reader, in batches) and reads
the copy after that. This script writes about
ROWS synthetic requests as a CSV (with DuckDB, never from pandas), then times, in one
run: pandas' default C reader as the loader used it before (every column as text), the
first read through the loader (convert, then read the copy), and a second read (the copy
only). It checks the three tables are the same.

    .venv/bin/python benchmarks/csv_load.py            # about 1,000,000 rows
    .venv/bin/python benchmarks/csv_load.py 300000     # or any other number of rows
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

from cda_lib.cities.loader import load_city
from cda_lib.synth import generator as synth

ROWS = 1_000_000


def write_csv(rows: int, folder: Path) -> Path:
    """Serra Clara's raw synthetic requests, about ``rows`` of them, as a CSV file."""
    rate = 120 * rows / 348_000  # the city file's rate gives about 348,000 rows
    table = synth.generate_service_requests(load_city("serra-clara"),
                                            requests_per_1000_per_year=rate)
    parquet, csv = folder / "requests.parquet", folder / "requests.csv"
    table.to_parquet(parquet, index=False)
    duckdb.sql(f"COPY (SELECT * FROM '{parquet}') TO '{csv}' (HEADER)")
    return csv


def timed(step) -> tuple[pd.DataFrame, float]:
    started = time.perf_counter()
    result = step()
    return result, time.perf_counter() - started


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else ROWS
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        os.environ["CDA_CACHE_DIR"] = str(folder / "cache")
        from cda_lib.sources.local import read_raw_table

        csv = write_csv(rows, folder)
        before, pandas_seconds = timed(lambda: pd.read_csv(
            csv, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig"))
        first, first_seconds = timed(lambda: read_raw_table(csv))
        second, second_seconds = timed(lambda: read_raw_table(csv))
        for table in (first, second):
            pd.testing.assert_frame_equal(table.astype("string"), before.astype("string"))
        print(f"{len(before):,} rows, {csv.stat().st_size / 1e6:,.0f} MB of CSV")
        print(f"{'read':<44}{'seconds':>8}")
        print(f"{'pandas read_csv (C reader, all text)':<44}{pandas_seconds:>8.2f}")
        print(f"{'loader, first read (convert, read copy)':<44}{first_seconds:>8.2f}")
        print(f"{'loader, later reads (Parquet copy)':<44}{second_seconds:>8.2f}")
        print(f"later reads: {pandas_seconds / second_seconds:.1f}x faster than read_csv; "
              "the three tables are the same")


if __name__ == "__main__":
    main()
