"""Time a cohort build against the plain way of running the same notebooks.

Builds the demo cohort (every demo city × every teaching notebook, executed and exported
to HTML) twice, into scratch folders (the repository's build/ is left alone):

1. ``cda build --cohort demo --force``: parallel workers, forked kernels, the city's data
   read once per build, export in the same process;
2. a plain sequential loop, per city and notebook: the ``papermill`` command-line tool,
   then ``jupyter nbconvert --to html``.

Prints both wall times and their ratio, the CPU time each used (all processes), the
median time per notebook in each, and the floor: starting a kernel and importing what
the notebooks import (the standard way, and forked from the build's fork server for
comparison). On a machine busy with other work the parallel build loses more than the
sequential loop: compare the CPU times. Each notebook still starts clean
in the cohort build (see tests/test_kernels.py and tests/test_cohort_build.py).

    .venv/bin/python benchmarks/cohort_build.py [--repeats N]
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from cda_lib.cities.loader import list_city_ids, load_city
from cda_lib.core import paths
from cda_lib.data import ensure_city_data
from cda_lib.workbook import kernels
from cda_lib.workbook.notebooks import find_notebooks

BIN = Path(sys.executable).parent
KERNEL = "python3"
# A plain papermill run of one notebook takes seconds; one that takes this long is stuck
# (papermill #711: it now and then waits forever for a message that never comes).
PLAIN_STEP_TIMEOUT = 300


def children_cpu_seconds() -> float:
    """CPU time (user + system) of every finished process this one started, and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cohort_build(build_root: Path) -> tuple[float, list[float]]:
    """Wall time of ``cda build --cohort demo --force``, and each notebook's time."""
    environment = {**os.environ, "CDA_BUILD_DIR": str(build_root)}
    started = time.perf_counter()
    subprocess.run([str(BIN / "cda"), "build", "--cohort", "demo", "--force"], check=True,
                   env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    manifest = json.loads((build_root / "manifest.json").read_text())
    failed = [job for job in manifest["jobs"] if job["status"] != "built"]
    if failed:
        raise SystemExit(f"The cohort build did not build everything: {failed}")
    return wall, [job["duration_seconds"] for job in manifest["jobs"]]


def plain_loop(build_root: Path, cities: list[str], notebooks: list[Path]
               ) -> tuple[float, list[float]]:
    """Wall time of papermill, then nbconvert, for each city and notebook in turn."""
    environment = {**os.environ, "CDA_BUILD_DIR": str(build_root)}
    each = []
    started = time.perf_counter()
    for city in cities:
        for notebook in notebooks:
            output = build_root / city / notebook.parent.name / notebook.name
            output.parent.mkdir(parents=True, exist_ok=True)
            one = time.perf_counter()
            try:
                subprocess.run([str(BIN / "papermill"), str(notebook), str(output), "-p",
                                "city", city, "--cwd", str(output.parent),
                                "--no-progress-bar"], env=environment, check=False,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               timeout=PLAIN_STEP_TIMEOUT)  # 0.1 fails on purpose in one cell
            except subprocess.TimeoutExpired:
                raise SystemExit(f"papermill stalled on {city} {notebook.name} for "
                                 f"{PLAIN_STEP_TIMEOUT} s (papermill and nbclient sometimes "
                                 "hang waiting for a message); run the benchmark again.") from None
            subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(output)],
                           env=environment, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            each.append(time.perf_counter() - one)
    return time.perf_counter() - started, each


def notebook_imports(notebooks: list[Path]) -> str:
    """Every import statement in the notebooks' code cells, once each, in order."""
    seen = []
    for notebook in notebooks:
        for cell in nbformat.read(notebook, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            for node in tree.body:
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    statement = ast.unparse(node)
                    if statement not in seen:
                        seen.append(statement)
    return "\n".join(seen)


async def _start_and_import(imports: str, sockets: Path) -> float:
    from traitlets.config import Config

    config = Config()
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = str(sockets / "kernel")
    started = time.perf_counter()
    manager = kernels.FreshKernelManager(kernel_name=KERNEL, config=config)
    await manager.start_kernel(extra_arguments=["--HistoryManager.hist_file=:memory:"])
    client = manager.client()
    client.start_channels()
    await client.wait_for_ready(timeout=60)
    reply = await client.execute_interactive(imports, timeout=120)
    seconds = time.perf_counter() - started
    client.stop_channels()
    await manager.shutdown_kernel(now=True)
    if reply["content"]["status"] != "ok":
        raise SystemExit(f"The notebooks' imports failed in a fresh kernel: {reply['content']}")
    return seconds


def floor(imports: str, *, forked: bool, repeats: int = 3) -> float:
    """Median time to start a kernel and run the notebooks' imports in it."""
    with tempfile.TemporaryDirectory(prefix="cda-floor-") as scratch:
        sockets = Path(scratch)
        server = None
        if forked:
            server = kernels.ForkServer.start(KERNEL, sockets, env=dict(os.environ))
            if server is None or not server.wait_until_ready():
                return float("nan")
            kernels.use_fork_server(server.settings())
        try:
            times = [asyncio.run(_start_and_import(imports, sockets)) for _ in range(repeats)]
        finally:
            kernels.use_fork_server(None)
            if server is not None:
                server.stop()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1,
                        help="run each way this many times and report the medians")
    repeats = parser.parse_args().repeats
    cities = list_city_ids(cohort="demo")
    notebooks = find_notebooks(paths.notebooks_dir())
    for city in cities:  # generate the data first: neither way should pay for that
        ensure_city_data(load_city(city))
    print(f"Demo cohort: {len(cities)} cities × {len(notebooks)} notebooks "
          f"= {len(cities) * len(notebooks)} notebooks, on {os.cpu_count()} cores")

    cohort_walls, cohort_each, plain_walls, plain_each = [], [], [], []
    cohort_cpu, plain_cpu = [], []
    with tempfile.TemporaryDirectory(prefix="cda-bench-") as scratch:
        for run in range(repeats):
            cpu = children_cpu_seconds()
            wall, each = plain_loop(Path(scratch) / f"plain-{run}", cities, notebooks)
            plain_cpu.append(children_cpu_seconds() - cpu)
            plain_walls.append(wall)
            plain_each += each
            cpu = children_cpu_seconds()
            wall, each = cohort_build(Path(scratch) / f"cohort-{run}")
            cohort_cpu.append(children_cpu_seconds() - cpu)
            cohort_walls.append(wall)
            cohort_each += each

    plain, cohort = statistics.median(plain_walls), statistics.median(cohort_walls)
    imports = notebook_imports(notebooks)
    print(f"{'':38}{'wall s':>9}{'CPU s':>8}{'per notebook (median) s':>26}")
    print(f"{'plain loop (papermill + nbconvert)':<38}{plain:>9.1f}"
          f"{statistics.median(plain_cpu):>8.1f}{statistics.median(plain_each):>26.2f}")
    print(f"{'cda build --cohort demo':<38}{cohort:>9.1f}"
          f"{statistics.median(cohort_cpu):>8.1f}{statistics.median(cohort_each):>26.2f}")
    print(f"speed-up: {plain / cohort:.1f}x (target: 4x or more)")
    print(f"floor, start a kernel + the notebooks' imports ({len(imports.splitlines())} "
          f"statements): {floor(imports, forked=False):.2f} s the standard way, "
          f"{floor(imports, forked=True):.2f} s forked from the build's fork server")


if __name__ == "__main__":
    main()
