"""Time the data pipeline for each demo city: generate, then load with the full account.

Prints one row per city: rows, generation seconds, load seconds (read Parquet, conform
to the schema, set aside and flag rows, quality profile), load throughput and the peak
memory of the load (Python and NumPy allocations, as tracemalloc sees them). Each
step runs REPEATS times; the median is printed.

    .venv/bin/python benchmarks/data_pipeline.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from cda_lib.cities.loader import list_city_ids, load_city
from cda_lib.core import paths
from cda_lib.data import load_city_data
from cda_lib.synth import generator as synth

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
    scratch = Path(tempfile.mkdtemp(prefix="cda-bench-"))
    paths.generated_dir = lambda: scratch  # keep the repository's generated data untouched
    print(f"{'city':<14}{'rows':>10}{'generate s':>12}{'load s':>9}{'rows/s':>12}{'peak MB':>10}")
    for city_id in list_city_ids(cohort="demo"):
        city = load_city(city_id)
        generate = median_seconds(lambda city=city: synth.write_city_data(city, scratch / city.id))
        load = median_seconds(lambda city=city: load_city_data(city))
        peak = peak_megabytes(lambda city=city: load_city_data(city))
        rows = load_city_data(city).account.rows_read
        print(f"{city_id:<14}{rows:>10,}{generate:>12.2f}{load:>9.2f}{rows / load:>12,.0f}"
              f"{peak:>10.0f}")


if __name__ == "__main__":
    main()
