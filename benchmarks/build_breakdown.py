"""Where a build's time goes: jobs by kind, and the executed notebooks' time by kind of cell.

Reads a build folder that ``cda build`` wrote (its ``manifest.json`` and the executed
notebooks, whose cells papermill timed) and prints:

- the build's wall time, its workers, and the job time by kind of job (module, participant
  copy, coach copy);
- the executed notebooks' time split into the wait before the first cell (the kernel
  starting and answering), set-up cells (``%load_ext cda_lib``: imports and loading the
  data), cells that draw a chart, cells that show a widget, every other cell, and the time
  after the last cell;
- the heaviest cells, summed over the cities by notebook and first source line.

    .venv/bin/python benchmarks/build_breakdown.py /tmp/alliance-build
    .venv/bin/python benchmarks/build_breakdown.py --build riverbend   # builds it first

``--build CITY ...`` runs ``cda build CITY ... --force`` into a temporary folder first; its
figures mean something only on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

SET_UP = "%load_ext cda_lib"
WIDGET = "application/vnd.jupyter.widget-view+json"


def _draws_a_chart(cell) -> bool:
    return any("image/png" in output.get("data", {})
               or "data:image/png" in str(output.get("data", {}).get("text/html", ""))
               for output in cell.get("outputs", []))


def _shows_a_widget(cell) -> bool:
    return any(WIDGET in output.get("data", {}) for output in cell.get("outputs", []))


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def breakdown(build: Path, heaviest: int = 12) -> list[str]:
    """The report's lines for the build folder ``build``."""
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    jobs = manifest["jobs"]
    lines = []
    started, finished = manifest.get("started_at"), manifest.get("finished_at")
    wall = (_moment(finished) - _moment(started)).total_seconds() if started and finished else 0
    lines.append(f"{len(jobs)} notebooks, {wall:.1f} s of wall time, "
                 f"{manifest.get('workers', '?')} workers")
    by_kind = collections.defaultdict(list)
    for job in jobs:
        by_kind[job["kind"]].append(job.get("duration_seconds") or 0.0)
    lines.append(f"{'job kind':<18} {'jobs':>5} {'total s':>9} {'mean s':>7}")
    for kind, durations in sorted(by_kind.items()):
        lines.append(f"{kind:<18} {len(durations):>5} {sum(durations):>9.1f} "
                     f"{sum(durations) / len(durations):>7.2f}")
    lines.append(f"{'all jobs':<18} {len(jobs):>5} "
                 f"{sum(sum(d) for d in by_kind.values()):>9.1f}")

    parts = collections.Counter()
    cells = collections.Counter()
    executed = 0
    for job in jobs:
        if not job.get("output"):
            continue
        notebook = nbformat.read(build / job["output"], as_version=4)
        run = notebook.metadata.get("papermill", {})
        timed = [cell for cell in notebook.cells if cell.cell_type == "code"
                 and cell.metadata.get("papermill", {}).get("start_time")]
        if not run.get("start_time") or not timed:
            continue  # a participant copy: given its parameters, not run
        executed += 1
        first, last = timed[0].metadata.papermill, timed[-1].metadata.papermill
        parts["before the first cell"] += (_moment(first["start_time"])
                                           - _moment(run["start_time"])).total_seconds()
        if run.get("end_time") and last.get("end_time"):
            parts["after the last cell"] += (_moment(run["end_time"])
                                             - _moment(last["end_time"])).total_seconds()
        for cell in timed:
            seconds = cell.metadata.papermill.get("duration") or 0.0
            if cell.source.lstrip().startswith(SET_UP):
                kind = "set-up cells"
            elif _draws_a_chart(cell):
                kind = "cells that draw a chart"
            elif _shows_a_widget(cell):
                kind = "cells that show a widget"
            else:
                kind = "other cells"
            parts[kind] += seconds
            name = job["notebook"].removeprefix("coach/")
            cells[f"{name} :: {cell.source.strip().splitlines()[0][:60]}"] += seconds
    total = sum(parts.values())
    lines.append("")
    lines.append(f"{executed} executed notebooks: {total:.1f} s from papermill's start to its end")
    for part, seconds in parts.most_common():
        lines.append(f"  {part:<26} {seconds:>8.1f} s  {seconds / total:>5.1%}  "
                     f"{seconds / executed:>6.2f} s a notebook")
    lines.append("")
    lines.append(f"the {heaviest} heaviest cells, summed over the cities:")
    for where, seconds in cells.most_common(heaviest):
        lines.append(f"  {seconds:>7.1f} s  {where}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, help="a build folder cda build wrote")
    parser.add_argument("--build", nargs="+", metavar="CITY",
                        help="build these cities first (forced) into a temporary folder")
    parser.add_argument("--heaviest", type=int, default=12, help="how many cells to list")
    arguments = parser.parse_args(argv)
    if arguments.build:
        folder = Path(tempfile.mkdtemp(prefix="cda-breakdown-"))
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", "from cda_lib.cli import main; main()", "build",
                        *arguments.build, "--out", str(folder), "--force"], check=True)
        print(f"built in {time.perf_counter() - began:.1f} s into {folder}")
    elif arguments.folder is not None:
        folder = arguments.folder
    else:
        parser.error("give a build folder, or --build CITY ...")
    print("\n".join(breakdown(folder, arguments.heaviest)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
