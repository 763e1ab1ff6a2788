"""Time ``import cda_lib`` in fresh interpreters, against a baseline measured in the same run.

Every notebook, every kernel of a build and every ``cda`` command pays for importing the
library before it does anything, so it should cost little: heavy libraries (pandas,
matplotlib, DuckDB, IPython) are imported where they are used. The goal is at most 0.3 s.

Each figure is the median of RUNS fresh ``python -c`` processes (after one warm-up run, so
the files are in the disk cache), timing only the import statement. Measured in the same
run, side by side:

- ``import cda_lib`` now, and which heavy libraries it loaded;
- ``import cda_lib`` at BASELINE (default: the last commit before the restructure), checked
  out into a temporary folder with ``git archive`` (skipped when git or the commit is not
  there);
- ``import pandas`` alone, the floor the old import paid for;
- a teaching notebook's imports (data, charts, the KPI suite and the exercises), for scale.

    .venv/bin/python benchmarks/import_time.py [--runs 9] [--baseline REV]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASELINE = "be55324"  # the last commit before the restructure (issue 10)
HEAVY = ("pandas", "matplotlib", "duckdb", "IPython", "requests", "numpy")
NOTEBOOK_IMPORTS = ("cda_lib.data", "cda_lib.charts", "cda_lib.metrics.kpi",
                    "cda_lib.exercises")
TIMER = """
import sys, time, json
start = time.perf_counter()
{imports}
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds, "modules": len(sys.modules),
                   "heavy": [m for m in {heavy!r} if m in sys.modules]}}))
"""


def time_import(modules: tuple[str, ...], runs: int, path: Path | None) -> dict:
    code = TIMER.format(imports="\n".join(f"import {m}" for m in modules), heavy=HEAVY)
    env = None
    if path is not None:
        import os

        env = {**os.environ, "PYTHONPATH": str(path)}
    results = []
    for attempt in range(runs + 1):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, cwd=path or ROOT, env=env)
        if attempt:  # the first run only warms the disk cache
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    seconds = sorted(r["seconds"] for r in results)
    return {"median": statistics.median(seconds), "min": seconds[0], "max": seconds[-1],
            "modules": results[-1]["modules"], "heavy": results[-1]["heavy"]}


def baseline_tree(revision: str, folder: Path) -> Path | None:
    archive = folder / "baseline.tar"
    made = subprocess.run(["git", "archive", "-o", str(archive), revision, "cda_lib"],
                          cwd=ROOT, capture_output=True, text=True)
    if made.returncode != 0:
        return None
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    return folder


def row(name: str, figures: dict) -> str:
    heavy = ", ".join(figures["heavy"]) or "none"
    return (f"| {name} | {figures['median']:.3f} | {figures['min']:.3f}–{figures['max']:.3f} "
            f"| {figures['modules']} | {heavy} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--baseline", default=DEFAULT_BASELINE)
    arguments = parser.parse_args(argv)
    print(f"Median of {arguments.runs} fresh interpreters ({sys.executable}):\n")
    print("| import | median s | range s | modules loaded | heavy libraries loaded |")
    print("| --- | ---: | ---: | ---: | --- |")
    now = time_import(("cda_lib",), arguments.runs, None)
    print(row("`import cda_lib` (this tree)", now), flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        tree = baseline_tree(arguments.baseline, Path(scratch))
        if tree is None:
            print(f"| `import cda_lib` at {arguments.baseline} | not measured: no such "
                  "commit here | | | |")
            before = None
        else:
            before = time_import(("cda_lib",), arguments.runs, tree)
            print(row(f"`import cda_lib` at {arguments.baseline}", before), flush=True)
    print(row("`import pandas` alone", time_import(("pandas",), arguments.runs, None)))
    print(row("a notebook's imports (" + ", ".join(NOTEBOOK_IMPORTS) + ")",
              time_import(NOTEBOOK_IMPORTS, arguments.runs, None)))
    print()
    goal = 0.3
    verdict = "meets" if now["median"] <= goal else "misses"
    print(f"import cda_lib: {now['median']:.3f} s, which {verdict} the goal of {goal} s"
          + (f"; {before['median'] / now['median']:.1f}x faster than {arguments.baseline}"
             if before else "") + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main())
