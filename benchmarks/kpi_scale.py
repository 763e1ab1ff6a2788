"""Time loading plus the KPI suite on 1 and 10 million requests: cda_lib against DuckDB SQL.

For each size, generates Serra Clara's synthetic requests scaled to about that many rows
(as ``kpi_suite.py`` does, planted defects included: what a loader sees), writes them once
as Parquet under ``build/benchmarks/kpi_scale/`` (reused while the generator version and
rate are the same) and then times, on that same file:

* ``cda_lib``: ``engine.open_requests`` (load, with the row account, the data left on disk)
  then ``kpi.kpi_table`` per request type x month: count, closed, Kaplan–Meier median and
  90th percentile days to close, on-time share against the service standard, month-end
  backlog;
* ``duckdb``: the same figures from one SQL query over ``read_parquet``, on every core as
  cda_lib's engine (DuckDB's default), written independently of cda_lib: its own load
  checks, and the textbook Kaplan–Meier product over distinct times;
* ``pandas``: the in-memory path (``pd.read_parquet``, ``conform_service_requests``,
  ``kpi.kpi_table``), which specifies every figure and is what cda_lib did before the
  engine. It needs several GB at 10 million rows; ``--no-pandas`` leaves it out.

Each run is a fresh child process, REPEATS times per engine in turn; the table shows the
median time and the highest peak memory. Peak memory is the child's peak resident set
(``ru_maxrss`` from ``os.wait4``), so it counts DuckDB's and Arrow's memory as well as
Python's (tracemalloc would see only Python's and NumPy's). The baseline row is a child
that only imports ``cda_lib.metrics.kpi``, ``duckdb`` and ``pandas``: the fixed cost in every row.
Then each engine's figures are checked against DuckDB's (counts exact, days and shares
within 1e-6); the script exits non-zero if they disagree.

Linux carries a process's peak resident set across ``exec`` into the program it starts, so
a child's ``ru_maxrss`` is never below its parent's peak. The parent therefore imports
neither pandas nor cda_lib: generating the data and comparing the figures run in child
processes of their own too.

    .venv/bin/python benchmarks/kpi_scale.py                # 1,000,000 and 10,000,000 rows
    .venv/bin/python benchmarks/kpi_scale.py 200000         # or any sizes
    .venv/bin/python benchmarks/kpi_scale.py --no-pandas    # leave out the pandas path

Targets (the issue): cda_lib within 1.5x of DuckDB's time at 10M rows, under 2 GB peak.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for the hints: the parent process never imports pandas
    import pandas as pd

SIZES = (1_000_000, 10_000_000)
REPEATS = 3
ENGINES = ("cda_lib", "duckdb", "pandas")
CITY_ID = "serra-clara"
BY = ("service_code", "month")
TIME_TARGET = 1.5  # cda_lib's time as a multiple of DuckDB's, at 10M rows
MEMORY_TARGET_GB = 2.0
# The figures compared, per request type x month: counts exact, the rest within TOLERANCE.
EXACT_FIGURES = ("requests", "closed", "on_time_known", "on_time_count", "backlog_at_end")
CLOSE_FIGURES = ("median_days", "p90_days", "on_time_share")
FLAG_FIGURES = ("median_at_least", "p90_at_least")
FIGURES = EXACT_FIGURES + CLOSE_FIGURES + FLAG_FIGURES
TOLERANCE = 1e-6
DIFFERENCES_SHOWN = 10

# DuckDB's reference: the same figures from the same rows, by a route of its own.
REFERENCE_SQL = """
WITH raw AS (
    SELECT file_row_number,
           NULLIF(trim(CAST(service_request_id AS VARCHAR)), '') AS request_id,
           NULLIF(trim(service_name), '') AS service_name,
           NULLIF(trim(service_code), '') AS service_code,
           lower(trim(status)) AS status,
           epoch_ns(requested_datetime) AS opened_ns,
           epoch_ns(closed_datetime) AS closed_ns,
           requested_datetime AS opened_at,
           closed_datetime AS closed_at
    FROM read_parquet($path, file_row_number = true)
),
checked AS (  -- the loader's rules, first that fits; NULL: kept so far
    SELECT *,
           CASE
               WHEN request_id IS NULL THEN 'missing request id'
               WHEN service_name IS NULL THEN 'missing request type'
               WHEN opened_ns IS NULL THEN 'missing opened date'
               WHEN status IS NULL OR status NOT IN ('open', 'closed') THEN 'unknown status'
               WHEN status = 'closed' AND closed_ns IS NULL THEN 'closed without a date'
               WHEN closed_ns < opened_ns THEN 'closed before opened'
               WHEN opened_ns > $as_of_ns THEN 'opened after as_of'
           END AS set_aside
    FROM raw
),
repeated AS (  -- ids seen more than once among the rows still kept, and their first row
    SELECT request_id, min(file_row_number) AS first_row
    FROM checked WHERE set_aside IS NULL
    GROUP BY request_id HAVING count(*) > 1
),
kept AS (  -- of a repeated id, only its first row in the file is kept
    SELECT checked.* FROM checked LEFT JOIN repeated USING (request_id)
    WHERE set_aside IS NULL AND (first_row IS NULL OR file_row_number = first_row)
),
standards AS (
    SELECT unnest($codes) AS service_code, unnest($standard_days) AS standard_days
),
requests AS (
    SELECT service_code, month, closed, closed_at, wait_ns,
           wait_ns / 86400e9 AS days,
           standard_days,
           ($as_of_ns - opened_ns) / 86400e9 >= standard_days AS passed
    FROM (
        SELECT coalesce(service_code,
                        upper(trim(regexp_replace(service_name, '[^0-9A-Za-z]+', '_', 'g'), '_')))
                   AS service_code,
               strftime(opened_at, '%Y-%m') AS month,
               opened_ns,
               closed_at,
               status = 'closed' AND closed_ns IS NOT NULL AND closed_ns <= $as_of_ns AS closed,
               CASE WHEN status = 'closed' AND closed_ns IS NOT NULL AND closed_ns <= $as_of_ns
                    THEN closed_ns ELSE $as_of_ns END - opened_ns AS wait_ns
        FROM kept
    ) LEFT JOIN standards USING (service_code)
),
counts AS (
    SELECT service_code, month,
           count(*) AS requests,
           count(*) FILTER (WHERE closed) AS closed,
           count(*) FILTER (WHERE passed) AS on_time_known,
           count(*) FILTER (WHERE passed AND closed AND days <= standard_days) AS on_time_count,
           max(wait_ns) AS longest_ns
    FROM requests GROUP BY service_code, month
),
times AS (  -- each distinct time in a group: how many rows end there, how many close
    SELECT service_code, month, wait_ns,
           count(*) AS ending, count(*) FILTER (WHERE closed) AS closes
    FROM requests GROUP BY service_code, month, wait_ns
),
at_risk AS (  -- n(t): rows with a time of t or more
    SELECT *, sum(ending) OVER (PARTITION BY service_code, month ORDER BY wait_ns DESC
                                ROWS UNBOUNDED PRECEDING) AS at_risk
    FROM times
),
survival AS (  -- S(t) over the event times: product of (1 - d/n)
    SELECT service_code, month, wait_ns,
           product(1.0 - CAST(closes AS DOUBLE) / CAST(at_risk AS DOUBLE)) OVER (
               PARTITION BY service_code, month ORDER BY wait_ns ROWS UNBOUNDED PRECEDING
           ) AS s,
           lead(wait_ns) OVER (PARTITION BY service_code, month ORDER BY wait_ns) AS next_ns
    FROM at_risk WHERE closes > 0
),
levels AS (
    SELECT * FROM (VALUES ('median', CAST(0.5 AS DOUBLE)), ('p90', CAST(0.9 AS DOUBLE)))
        AS level(name, q)
),
reached AS (  -- the first event time where S(t) <= 1 - q
    SELECT service_code, month, name, q,
           arg_min({'t': wait_ns, 's': s, 'next': next_ns}, wait_ns) AS hit
    FROM survival CROSS JOIN levels
    WHERE s <= 1.0 - q + 1e-9
    GROUP BY service_code, month, name, q
),
quantiles AS (
    SELECT service_code, month, name,
           CASE WHEN abs(hit.s - (1.0 - q)) <= 1e-9 AND hit.next IS NOT NULL
                THEN (hit.t / 86400e9 + hit.next / 86400e9) / 2
                ELSE hit.t / 86400e9 END AS value
    FROM reached
),
flows AS (  -- per type and month: requests opened, requests closed
    SELECT service_code, month,
           coalesce(opened, 0) AS opened, coalesce(closes, 0) AS closes
    FROM (SELECT service_code, month, count(*) AS opened FROM requests GROUP BY ALL)
    FULL OUTER JOIN (
        SELECT service_code, strftime(closed_at, '%Y-%m') AS month, count(*) AS closes
        FROM requests WHERE closed GROUP BY ALL
    ) USING (service_code, month)
),
backlog AS (
    SELECT service_code, month,
           sum(opened - closes) OVER (PARTITION BY service_code ORDER BY month
                                      ROWS UNBOUNDED PRECEDING) AS backlog,
           CAST(month || '-01' AS DATE) + INTERVAL 1 MONTH - INTERVAL 1 DAY <= $as_of AS over
    FROM flows
)
SELECT c.service_code, c.month, c.requests, c.closed,
       coalesce(m.value, c.longest_ns / 86400e9) AS median_days,
       m.value IS NULL AS median_at_least,
       coalesce(p.value, c.longest_ns / 86400e9) AS p90_days,
       p.value IS NULL AS p90_at_least,
       c.on_time_known, c.on_time_count,
       CASE WHEN c.on_time_known > 0
            THEN CAST(c.on_time_count AS DOUBLE) / c.on_time_known END AS on_time_share,
       CASE WHEN b.over THEN CAST(b.backlog AS BIGINT) END AS backlog_at_end
FROM counts c
LEFT JOIN quantiles m ON m.service_code = c.service_code AND m.month = c.month
                     AND m.name = 'median'
LEFT JOIN quantiles p ON p.service_code = c.service_code AND p.month = c.month
                     AND p.name = 'p90'
JOIN backlog b ON b.service_code = c.service_code AND b.month = c.month
ORDER BY c.service_code, c.month
"""


# --- the data, generated in a process of its own ------------------------------------------


def requests_file(rows: int) -> dict:
    """(In a child.) The Parquet file of about ``rows`` raw requests, made unless reusable.

    Returns its path, its number of rows and, when it was made now, the seconds and the
    peak memory that took.
    """
    import resource

    from cda_lib.core import paths
    from cda_lib.synth import generator as synth

    folder = paths.build_dir() / "benchmarks" / "kpi_scale"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"requests_{rows}.parquet"
    about = path.with_suffix(".json")
    # Serra Clara's file gives 120 requests per 1,000 residents a year, about 348,000 rows
    # over its two years; scale the rate to the rows wanted.
    settings = {"generator": synth.GENERATOR_VERSION, "city": CITY_ID,
                "requests_per_1000_per_year": 120 * rows / 348_000}
    if path.exists() and about.exists():
        recorded = json.loads(about.read_text())
        if recorded.get("settings") == settings:
            return {"path": str(path), "rows": recorded["rows"], "seconds": None}
    started = time.perf_counter()
    written = write_requests(path, settings["requests_per_1000_per_year"])
    about.write_text(json.dumps({"settings": settings, "rows": written}, indent=2) + "\n")
    return {"path": str(path), "rows": written, "seconds": time.perf_counter() - started,
            "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9}


def write_requests(path: Path, rate: float) -> int:
    """Generate the raw table (planted defects and all), write it, return its rows."""
    from cda_lib.cities.loader import load_city
    from cda_lib.synth import generator as synth

    table = synth.generate_service_requests(load_city(CITY_ID), requests_per_1000_per_year=rate)
    partial = path.with_suffix(".partial")
    table.to_parquet(partial, index=False)
    partial.replace(path)  # a run stopped half-way leaves no file that looks complete
    return len(table)


def ensure_requests(rows: int) -> dict:
    """The data file for ``rows``, from a child process (see the module docstring)."""
    found = subprocess.run([sys.executable, __file__, "--generate", str(rows)],
                           stdout=subprocess.PIPE, text=True)
    if found.returncode != 0:
        sys.exit(f"Generating {rows:,} requests failed (exit code {found.returncode}); see above.")
    made = json.loads(found.stdout)
    name = Path(made["path"]).name
    if made["seconds"] is None:
        print(f"\nreusing {name}, made earlier by the same generator")
    else:
        print(f"\ngenerated {name} in {made['seconds']:.1f} s, peak {made['peak_gb']:.2f} GB "
              "(not part of the timings below)")
    return made


# --- the measured runs: one child process each ---------------------------------------------


def run_child(which: str, parquet_path: str, out_path: str) -> None:
    """(In a child.) One engine's work; its table and facts are written for the parent."""
    if which == "baseline":
        import duckdb  # noqa: F401
        import pandas  # noqa: F401

        import cda_lib.metrics.kpi  # noqa: F401
        return
    runs = {"cda_lib": run_cda_lib, "duckdb": run_duckdb, "pandas": run_pandas}
    table, facts = runs[which](parquet_path)
    table.to_parquet(out_path, index=False)
    Path(out_path).with_suffix(".json").write_text(json.dumps(facts, indent=2) + "\n")


def run_cda_lib(parquet_path: str) -> tuple[pd.DataFrame, dict]:
    """cda_lib's engine: the requests opened on disk, with their account, then the suite."""
    from cda_lib.cities.loader import load_city
    from cda_lib.metrics import engine, kpi
    from cda_lib.synth import generator as synth

    city = load_city(CITY_ID)
    as_of = synth.as_of(city)
    started = time.perf_counter()
    requests = engine.open_requests(parquet_path, as_of=as_of)
    loaded = time.perf_counter()
    table = kpi.kpi_table(requests, city.service_standards, as_of=as_of, by=BY, min_requests=1)
    seconds = time.perf_counter() - started
    return table, {"seconds": seconds, "load_seconds": loaded - started,
                   "account": requests.account.summary_lines()}


def run_pandas(parquet_path: str) -> tuple[pd.DataFrame, dict]:
    """The in-memory path: read the whole file, conform it, then the suite."""
    import pandas as pd

    from cda_lib.cities.loader import load_city
    from cda_lib.metrics import kpi
    from cda_lib.sources.conform import conform_service_requests
    from cda_lib.sources.mapping import ColumnMapping
    from cda_lib.synth import generator as synth

    city = load_city(CITY_ID)
    as_of = synth.as_of(city)
    started = time.perf_counter()
    raw = pd.read_parquet(parquet_path)
    loaded = conform_service_requests(raw, ColumnMapping.identity(),
                                      source=Path(parquet_path).name, as_of=as_of)
    table = kpi.kpi_table(loaded.table, city.service_standards, as_of=as_of, by=BY,
                          min_requests=1)
    seconds = time.perf_counter() - started
    return table, {"seconds": seconds, "account": loaded.account.summary_lines()}


def run_duckdb(parquet_path: str) -> tuple[pd.DataFrame, dict]:
    """DuckDB's reference: one SQL query over the file, on every core (as cda_lib's engine)."""
    import duckdb

    from cda_lib.cities.loader import load_city
    from cda_lib.synth import generator as synth

    city = load_city(CITY_ID)
    as_of = synth.as_of(city)
    standards = city.service_standards
    parameters = {"path": parquet_path, "as_of": as_of.to_pydatetime(),
                  "as_of_ns": int(as_of.value), "codes": list(standards),
                  "standard_days": [float(days) for days in standards.values()]}
    connection = duckdb.connect()
    started = time.perf_counter()
    table = connection.execute(REFERENCE_SQL, parameters).df()
    seconds = time.perf_counter() - started
    return table, {"seconds": seconds, "kept": int(table["requests"].sum())}


def measure(which: str, parquet_path: Path, out_path: Path) -> tuple[dict, float]:
    """Run one child; return the facts it wrote and its peak resident memory in GB."""
    child = subprocess.Popen([sys.executable, __file__, "--run", which, str(parquet_path),
                              str(out_path)])
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"The {which} run failed (exit code {child.returncode}); see above.")
    peak_gb = usage.ru_maxrss * 1024 / 1e9  # Linux gives kilobytes
    facts = {} if which == "baseline" else json.loads(out_path.with_suffix(".json").read_text())
    return facts, peak_gb


def benchmark(parquet_path: Path, engines: list[str]) -> dict[str, dict]:
    """REPEATS runs of each engine, in turn: per engine its times, peak, facts and table."""
    out_dir = parquet_path.parent / "results"
    out_dir.mkdir(exist_ok=True)
    results = {which: {"seconds": [], "peak_gb": 0.0, "facts": None, "all_facts": [],
                       "table": out_dir / f"{which}_{parquet_path.stem}.parquet"}
               for which in engines}
    for _ in range(REPEATS):
        for which, result in results.items():
            facts, peak_gb = measure(which, parquet_path, result["table"])
            result["seconds"].append(facts["seconds"])
            result["peak_gb"] = max(result["peak_gb"], peak_gb)
            result["facts"] = result["facts"] or facts  # the first run's account
            result["all_facts"].append(facts)
    return results


# --- do the figures agree? ----------------------------------------------------------------


def differences(figures: pd.DataFrame, reference: pd.DataFrame) -> tuple[list[str], int]:
    """(In a child.) Where an engine's KPI table differs from DuckDB's; the groups compared.

    DuckDB returns only groups with requests; cda_lib every type x month, so its other
    groups must have none.
    """
    import numpy as np

    keys = list(BY)
    merged = reference.merge(figures, on=keys, how="outer", suffixes=("_ref", ""),
                             indicator=True)
    found = [f"{row.service_code} {row.month}: in DuckDB's figures only"
             for row in merged[merged["_merge"] == "left_only"].itertuples()]
    extra = merged[(merged["_merge"] == "right_only") & (merged["requests"] != 0)]
    found += [f"{row.service_code} {row.month}: {row.requests} requests, not in DuckDB's"
              for row in extra.itertuples()]
    both = merged[merged["_merge"] == "both"]
    for figure in FIGURES:
        ours, theirs = both[figure], both[f"{figure}_ref"]
        if figure in CLOSE_FIGURES:
            a = ours.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            b = theirs.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            same = np.isclose(a, b, rtol=0, atol=TOLERANCE, equal_nan=True)
        else:
            kind = "boolean" if figure in FLAG_FIGURES else "Int64"
            a, b = ours.astype(kind), theirs.astype(kind)
            same = ((a == b).fillna(False) | (a.isna() & b.isna())).to_numpy(dtype=bool)
        for row, mine, theirs_value in zip(both[~same].itertuples(), ours[~same],
                                           theirs[~same], strict=True):
            found.append(f"{row.service_code} {row.month} {figure}: {mine} here, "
                         f"{theirs_value} in DuckDB's")
    return found, len(both)


def compare(reference_path: str, tables: list[str]) -> bool:
    """(In a child.) Check each ``engine=path`` table against DuckDB's; print the verdicts."""
    import pandas as pd

    reference = pd.read_parquet(reference_path)
    agree = True
    for item in tables:
        which, path = item.split("=", 1)
        found, groups = differences(pd.read_parquet(path), reference)
        if found:
            agree = False
            print(f"{which} and duckdb DISAGREE in {len(found):,} places; the first:")
            for line in found[:DIFFERENCES_SHOWN]:
                print(f"    {line}")
        else:
            print(f"{which} and duckdb agree: {groups:,} groups x {len(FIGURES)} figures")
    return agree


def check_agreement(results: dict[str, dict]) -> bool:
    """Compare every engine's figures with DuckDB's, in a child process."""
    tables = [f"{which}={result['table']}" for which, result in results.items()
              if which != "duckdb"]
    if not tables:
        return True
    checked = subprocess.run([sys.executable, __file__, "--compare",
                              str(results["duckdb"]["table"]), *tables])
    return checked.returncode == 0


# --- the report ------------------------------------------------------------------------------


def report(data: dict, results: dict[str, dict], baseline_gb: float) -> None:
    """One size's block: the file, the load account, each engine's times and peak memory."""
    path = Path(data["path"])
    kept = results["duckdb"]["facts"]["kept"]
    print(f"{data['rows']:,} requests ({kept:,} kept after the loader's checks) in {path.name} "
          f"({path.stat().st_size / 1e6:,.0f} MB), on {os.cpu_count()} cores")
    loaded = next((results[w]["facts"] for w in ("cda_lib", "pandas") if w in results), None)
    if loaded:
        print(f"load account ({'cda_lib' if 'cda_lib' in results else 'pandas'}, first run):")
        for line in loaded["account"]:
            print(f"    {line}")
    print(f"{'engine':<10}{'median s':>9}   {'runs':<22}{'peak RSS':>9}")
    for which, result in results.items():
        runs = " ".join(f"{seconds:.2f}" for seconds in result["seconds"])
        print(f"{which:<10}{statistics.median(result['seconds']):>9.2f}   {runs:<22}"
              f"{result['peak_gb']:>6.2f} GB")
    print(f"{'baseline':<10}{'':>9}   {'(imports only)':<22}{baseline_gb:>6.2f} GB")
    if "cda_lib" in results:
        ratio = statistics.median(results["cda_lib"]["seconds"]) \
            / statistics.median(results["duckdb"]["seconds"])
        print(f"cda_lib / duckdb time: {ratio:.2f}x (target <= {TIME_TARGET}x); cda_lib peak "
              f"{results['cda_lib']['peak_gb']:.2f} GB (target < {MEMORY_TARGET_GB:g} GB)")
        loads = [facts["load_seconds"] for facts in results["cda_lib"]["all_facts"]]
        load = statistics.median(loads)
        print(f"cda_lib's median split: load with the account {load:.2f} s, KPI suite "
              f"{statistics.median(results['cda_lib']['seconds']) - load:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES),
                        help="about how many rows to generate; one block per size")
    parser.add_argument("--no-pandas", action="store_true",
                        help="leave out the in-memory pandas path (several GB at 10M rows)")
    # What the child processes are asked to do:
    parser.add_argument("--run", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--generate", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--compare", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run_child(*args.run)
    elif args.generate is not None:
        print(json.dumps(requests_file(args.generate)))
    elif args.compare:
        sys.exit(0 if compare(args.compare[0], args.compare[1:]) else 1)
    else:
        measure_all(args.sizes, with_pandas=not args.no_pandas)


def measure_all(sizes: list[int], with_pandas: bool) -> None:
    """The benchmark itself: a baseline, then one block per size; exit 1 on disagreement."""
    engines = [w for w in ENGINES if with_pandas or w != "pandas"]
    _, baseline_gb = measure("baseline", Path("-"), Path("-"))
    for rows in sizes:
        data = ensure_requests(rows)
        results = benchmark(Path(data["path"]), engines)
        report(data, results, baseline_gb)
        if not check_agreement(results):
            sys.exit(1)


if __name__ == "__main__":
    main()
