"""Build the demo cohort many times in a row, to show that no build stalls.

Runs ``cda build --cohort demo --force`` (what ``make workbook`` runs, every notebook made
again) ``--runs`` times (default 10: 760 notebooks for the four demo cities) into one
scratch build folder (the repository's build/ is left alone), and prints:

- per run: wall time, CPU time (all processes), notebooks built, retried (a stalled
  kernel, run again in a fresh one) and failed, and the run's slowest notebook against
  its median;
- over all runs: the slowest notebook against the median of all, the notebook whose
  slowest run is furthest above its own median over the runs (a stall shows there: a
  heavy page is always slower than a light exercise copy, a stalled one only once), every
  retry with its reason and every failure with its error.

The goal (issue 17): no notebook over 3x the median (read against its own median over the
runs), none failed, any retry explained.

    .venv/bin/python benchmarks/soak_build.py [--runs N] [--cities riverbend ...]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cda_lib.cities.loader import list_city_ids, load_city
from cda_lib.data import ensure_city_data

BIN = Path(sys.executable).parent
GOAL_RATIO = 3  # no notebook over 3x the median (issue 17)


def children_cpu_seconds() -> float:
    """CPU time (user + system) of every finished process this one started, and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_build(build_root: Path, cities: list[str] | None, stall_seconds: int | None
              ) -> tuple[float, float, list[dict]]:
    """Wall and CPU seconds of one forced build, and its manifest's jobs."""
    command = [str(BIN / "cda"), "build", *(cities or ["--cohort", "demo"]), "--force"]
    if stall_seconds is not None:
        command += ["--stall-seconds", str(stall_seconds)]
    environment = {**os.environ, "CDA_BUILD_DIR": str(build_root)}
    cpu, started = children_cpu_seconds(), time.perf_counter()
    subprocess.run(command, check=False, env=environment, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall, cpu = time.perf_counter() - started, children_cpu_seconds() - cpu
    manifest = json.loads((build_root / "manifest.json").read_text())
    return wall, cpu, manifest["jobs"]


def slowest(jobs: list[dict]) -> tuple[dict, float]:
    """The slowest executed notebook and the median of the executed ones (a participant
    copy is only given its parameters: it would drag the median down)."""
    executed = [job for job in jobs if job["kind"] != "participant copy"] or jobs
    return (max(executed, key=lambda job: job["duration_seconds"]),
            statistics.median(job["duration_seconds"] for job in executed))


def describe(job: dict, median: float) -> str:
    ratio = job["duration_seconds"] / median if median else float("nan")
    return (f"{job['city']}/{job['notebook']} {job['duration_seconds']:.1f} s, "
            f"{ratio:.1f}x the median {median:.2f} s")


def furthest_from_its_own_median(every: list[dict]) -> tuple[dict, float]:
    """The run of a notebook furthest above that notebook's median over all runs."""
    by_notebook: dict[tuple, list[dict]] = {}
    for job in every:
        if job["kind"] != "participant copy":
            by_notebook.setdefault((job["city"], job["kind"], job["notebook"]), []).append(job)
    worst, worst_median, worst_ratio = None, 0.0, -1.0
    for runs in by_notebook.values():
        median = statistics.median(job["duration_seconds"] for job in runs)
        job = max(runs, key=lambda job: job["duration_seconds"])
        ratio = job["duration_seconds"] / median if median else 0.0
        if ratio > worst_ratio:
            worst, worst_median, worst_ratio = job, median, ratio
    return worst, worst_median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="builds in a row (default 10)")
    parser.add_argument("--cities", nargs="+", default=None, metavar="CITY",
                        help="these cities instead of the demo cohort (to try the script)")
    parser.add_argument("--stall-seconds", type=int, default=None,
                        help="passed to cda build (default: its own, 30)")
    arguments = parser.parse_args()
    cities = arguments.cities or list_city_ids(cohort="demo")
    for city in cities:  # generate the data first: no run should pay for that
        ensure_city_data(load_city(city))
    print(f"{arguments.runs} builds of {'the demo cohort' if not arguments.cities else 'cities'}"
          f" ({', '.join(cities)}) on {os.cpu_count()} cores")
    print(f"{'run':>3}{'wall s':>9}{'CPU s':>8}{'built':>7}{'retried':>9}{'failed':>8}"
          "  slowest notebook")
    every: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="cda-soak-") as scratch:
        for run in range(1, arguments.runs + 1):
            wall, cpu, jobs = one_build(Path(scratch) / "build", arguments.cities,
                                        arguments.stall_seconds)
            every += [{**job, "run": run} for job in jobs]
            built = sum(job["status"] == "built" for job in jobs)
            retried = sum(bool(job.get("retried")) for job in jobs)
            failed = sum(job["status"] == "failed" for job in jobs)
            worst, median = slowest(jobs)
            print(f"{run:>3}{wall:>9.1f}{cpu:>8.1f}{built:>7}{retried:>9}{failed:>8}  "
                  f"{describe(worst, median)}", flush=True)
    worst, median = slowest(every)
    print(f"slowest of all {len(every)} notebooks: run {worst['run']}, "
          f"{describe(worst, median)}")
    own, own_median = furthest_from_its_own_median(every)
    ratio = own["duration_seconds"] / own_median if own_median else float("nan")
    print(f"furthest above its own median over the runs: run {own['run']}, "
          f"{describe(own, own_median)}")
    retries = [job for job in every if job.get("retried")]
    failures = [job for job in every if job["status"] != "built"]
    for job in retries:
        print(f"retried: run {job['run']} {job['city']}/{job['notebook']}: {job['retried']}")
    for job in failures:
        print(f"{job['status']}: run {job['run']} {job['city']}/{job['notebook']}: "
              f"{job['error_name']} {job['error_message']}")
    met = ratio <= GOAL_RATIO and not failures
    print(f"goal (none over {GOAL_RATIO}x the median, none failed, retries explained): "
          f"{'met' if met else 'NOT met'}; {len(retries)} retried, {len(failures)} not built")


if __name__ == "__main__":
    main()
