"""Time loading a large CSV export: pandas' reader, the loader's first load and a cached load.

The loader converts a CSV to Parquet on its first read
(``cda_lib.sources.parquet_copy.parquet_copy``), then maps, converts and checks the rows
(``cda_lib.sources.conform``) and keeps the finished load in the cache folder
(``cda_lib.sources.load_cache``); a later load of the same CSV, mapping and ``as_of``
reads that back. This script writes about ROWS synthetic requests as a CSV (with DuckDB,
never from pandas), then measures, each in a fresh Python process: pandas' default C
reader as the loader used it before (every column as text, the file only), the first
load (``load_service_requests_file``: convert, read the copy, conform, account, keep)
and a second load (from the cache). It prints seconds and peak resident memory for each
(beside the process's memory when the step starts), and checks that the two loads give
the same account and the same rows, and that the copy holds what pandas reads.

    .venv/bin/python benchmarks/csv_load.py                   # about 1,000,000 rows
    .venv/bin/python benchmarks/csv_load.py --rows 3000000    # or any other number of rows
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = 1_000_000
STEPS = {"pandas": "pandas read_csv (C reader, all text)",
         "first": "loader, first load (convert, conform, keep)",
         "cached": "loader, later load (from the cache)"}


def write_csv(rows: int, folder: Path) -> Path:
    """Serra Clara's raw synthetic requests, about ``rows`` of them, as a CSV file."""
    import duckdb

    from cda_lib.cities.loader import load_city
    from cda_lib.synth import generator as synth

    rate = 120 * rows / 348_000  # the city file's rate gives about 348,000 rows
    table = synth.generate_service_requests(load_city("serra-clara"),
                                            requests_per_1000_per_year=rate)
    parquet, csv = folder / "requests.parquet", folder / "requests.csv"
    table.to_parquet(parquet, index=False)
    duckdb.sql(f"COPY (SELECT * FROM '{parquet}') TO '{csv}' (HEADER)")
    parquet.unlink()
    return csv


def memory_megabytes(field: str) -> float:
    """This process's resident memory now (``VmRSS``) or at its peak (``VmHWM``), from Linux's
    /proc (getrusage's peak would count the parent's memory, inherited at the fork)."""
    status = Path("/proc/self/status")
    if not status.exists():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for line in status.read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024  # given in kB
    raise RuntimeError(f"no {field} in /proc/self/status")


def reset_peak() -> None:
    """Start the peak again from the memory in use now, so it is the step's own peak."""
    clear = Path("/proc/self/clear_refs")
    if clear.exists():
        clear.write_text("5")  # "5" resets the peak resident size (Linux 4.0 and later)


def run_step(step: str, csv: Path) -> dict:
    """One measurement, in this process: seconds, peak memory, and what the checks need."""
    import pandas as pd

    from cda_lib.cities.loader import load_city
    from cda_lib.sources.local import load_service_requests_file, read_raw_table
    from cda_lib.sources.mapping import ColumnMapping
    from cda_lib.synth import generator as synth

    as_of = synth.as_of(load_city("serra-clara"))
    reset_peak()
    before = memory_megabytes("VmRSS")
    started = time.perf_counter()
    if step == "pandas":
        result = pd.read_csv(csv, dtype=str, keep_default_na=False, na_values=[""],
                             encoding="utf-8-sig")
    else:
        result = load_service_requests_file(csv, ColumnMapping.identity(), as_of=as_of)
    seconds = time.perf_counter() - started
    measured = {"seconds": seconds, "peak_mb": memory_megabytes("VmHWM"), "before_mb": before}
    # the checks, after the measurement
    if step == "pandas":
        measured["raw"] = int(pd.util.hash_pandas_object(result.astype("string"),
                                                         index=False).sum())
        measured["rows"] = len(result)
    else:
        measured["account"] = result.account.summary_lines()
        measured["table"] = int(pd.util.hash_pandas_object(result.table, index=False).sum())
        measured["aside"] = int(pd.util.hash_pandas_object(
            result.account.set_aside_rows().astype("string"), index=False).sum())
        if step == "first":
            measured["raw"] = int(pd.util.hash_pandas_object(
                read_raw_table(csv).astype("string"), index=False).sum())
    return measured


def measure(step: str, csv: Path) -> dict:
    """Run one step in a fresh process (its own peak memory) and read what it found."""
    done = subprocess.run([sys.executable, __file__, "--step", step, "--csv", str(csv)],
                          check=True, capture_output=True, text=True, env=os.environ)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.step:
        print(json.dumps(run_step(arguments.step, arguments.csv)))
        return
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        os.environ["CDA_CACHE_DIR"] = str(folder / "cache")
        csv = write_csv(arguments.rows, folder)
        csv_mb = csv.stat().st_size / 1e6
        found = {step: measure(step, csv) for step in STEPS}
    pandas, first, cached = found["pandas"], found["first"], found["cached"]
    assert first["raw"] == pandas["raw"], "the Parquet copy differs from what pandas reads"
    for check in ("account", "table", "aside"):
        assert cached[check] == first[check], f"the cached load's {check} differs"
    print(f"{pandas['rows']:,} rows, {csv_mb:,.0f} MB of CSV. {first['account'][0]}")
    print(f"{'step':<46}{'seconds':>9}{'peak MB':>9}{'start MB':>9}")
    for step, label in STEPS.items():
        row = found[step]
        print(f"{label:<46}{row['seconds']:>9.2f}{row['peak_mb']:>9,.0f}{row['before_mb']:>9,.0f}")
    print(f"cached load: {first['seconds'] / cached['seconds']:.1f}x faster than the first, "
          f"{pandas['seconds'] / cached['seconds']:.1f}x faster than read_csv alone; the two "
          "loads give the same account, rows and set-aside rows")


if __name__ == "__main__":
    main()
