"""Time the KPI suite on a large city: about a million synthetic service requests.

Generates Serra Clara's synthetic requests at a volume that gives ROWS rows (a big
Latin American city's two years of 311), loads them through the same conform step as
any source, then times each part of the suite (cda_lib.metrics.kpi, and the composite and
evaluation built on it) and prints the median of REPEATS runs and the peak memory of one
run (Python and NumPy allocations, as tracemalloc sees them).

    .venv/bin/python benchmarks/kpi_suite.py            # about 1,000,000 rows
    .venv/bin/python benchmarks/kpi_suite.py 3000000    # or any other number of rows
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc

from cda_lib.cities.loader import load_city
from cda_lib.metrics import composite, evaluation, kpi
from cda_lib.sources.conform import conform_service_requests
from cda_lib.sources.mapping import ColumnMapping
from cda_lib.synth import generator as synth
from cda_lib.synth.pilots import planted_intervention

ROWS = 1_000_000
REPEATS = 3


def median_seconds(step) -> float:
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        step()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def peak_megabytes(step) -> float:
    tracemalloc.start()
    step()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else ROWS
    city = load_city("serra-clara")
    # Serra Clara's file gives 120 requests per 1,000 residents a year, about 350,000 rows
    # over its two years; scale the rate to the rows wanted.
    rate = 120 * rows / 348_000
    started = time.perf_counter()
    raw = synth.generate_service_requests(city, requests_per_1000_per_year=rate)
    table = conform_service_requests(raw, ColumnMapping.identity(), source="benchmark",
                                     as_of=synth.as_of(city)).table
    print(f"{len(table):,} requests of {city.name} (generated and loaded in "
          f"{time.perf_counter() - started:.1f} s)")
    as_of, standards = synth.as_of(city), city.service_standards
    pilot = planted_intervention(city)
    steps = {
        "KPI suite, type x month": lambda: kpi.kpi_table(
            table, standards, as_of=as_of, by=("service_code", "month")),
        "KPI suite, district x type x week": lambda: kpi.kpi_table(
            table, standards, as_of=as_of, by=("district", "service_code", "week")),
        "median days, whole city": lambda: kpi.median_days_to_close(table, as_of=as_of),
        "month-end backlog by district": lambda: kpi.month_end_backlog(
            table, as_of=as_of, by="district"),
        "composite by month": lambda: composite.city_score_by_period(
            table, standards, as_of=as_of),
        "difference-in-differences": lambda: evaluation.difference_in_differences(
            table, standards, as_of=as_of, treated_district=pilot.district,
            start=pilot.start, service_code=pilot.service_code),
    }
    print(f"{'step':<36}{'seconds':>9}{'peak MB':>9}{'rows/s':>14}")
    for name, step in steps.items():
        seconds = median_seconds(step)
        peak = peak_megabytes(step)
        print(f"{name:<36}{seconds:>9.2f}{peak:>9.0f}{len(table) / seconds:>14,.0f}")


if __name__ == "__main__":
    main()
