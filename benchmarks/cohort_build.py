"""Time what a coach builds (``make workbook``) against the plain way of making the same
notebooks.

Builds the demo cohort (or ``--cities``) twice per repeat, into scratch folders (the
repository's build/ is left alone):

1. ``cda build --cohort demo --force``, everything ``make workbook`` does: every teaching
   module executed and exported to HTML, every exercise's participant copy (given its
   parameters, not run) and coach copy (run and exported), then the cohort page, the
   index, the glossaries and the self-paced site;
2. a plain sequential loop over the same notebooks (the modules, and the participant and
   coach copies, written out first, untimed, from the same sources): the ``papermill``
   command-line tool (``--prepare-only`` for a participant copy), then ``jupyter nbconvert
   --to html`` where the build writes a page.

Prints both wall times and their ratio, notebooks per minute, the CPU time each used (all
processes), the median time per notebook, and the floor: starting a kernel and importing
what the notebooks import (the standard way, and forked from the build's fork server).
Every run says whether it hit a timeout, a retry (a stalled kernel) or a failure, so that
no figure hides a stall. On a machine busy with other work the parallel build loses more
than the sequential loop: compare the CPU times.

    .venv/bin/python benchmarks/cohort_build.py [--repeats N] [--cities riverbend ...]
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
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from cda_lib.cities.loader import list_city_ids, load_city
from cda_lib.data import ensure_city_data
from cda_lib.workbook import kernels
from cda_lib.workbook.jobs import default_job_sources, plan_jobs, resolve_transform
from cda_lib.workbook.notebooks import read_notebook, source_name, translate_cells

BIN = Path(sys.executable).parent
KERNEL = "python3"
# A plain papermill run of one notebook takes seconds; one that takes this long is stuck
# (nteract/papermill#711: it now and then waits forever for a kernel_info reply).
PLAIN_STEP_TIMEOUT = 300


@dataclass
class Run:
    """One way's run: its wall and CPU time, each notebook's time, and what went wrong."""

    wall: float = 0.0
    cpu: float = 0.0
    each: list[float] = field(default_factory=list)
    notebooks: int = 0
    problems: list[str] = field(default_factory=list)


def children_cpu_seconds() -> float:
    """CPU time (user + system) of every finished process this one started, and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_command(cities: list[str] | None) -> list[str]:
    """``make workbook``'s command (the demo cohort), or the same for the cities given."""
    chosen = cities if cities else ["--cohort", "demo"]
    return [str(BIN / "cda"), "build", *chosen, "--force"]


def cohort_build(build_root: Path, cities: list[str] | None) -> Run:
    """``cda build --cohort demo --force`` (or the cities given), timed, with what its
    manifest says went wrong."""
    environment = {**os.environ, "CDA_BUILD_DIR": str(build_root)}
    cpu, started = children_cpu_seconds(), time.perf_counter()
    subprocess.run(build_command(cities), check=False, env=environment,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run = Run(wall=time.perf_counter() - started, cpu=children_cpu_seconds() - cpu)
    manifest = json.loads((build_root / "manifest.json").read_text())
    run.notebooks = len(manifest["jobs"])
    run.each = [job["duration_seconds"] for job in manifest["jobs"]]
    for job in manifest["jobs"]:
        where = f"{job['city']}/{job['notebook']}"
        if job.get("retried"):
            run.problems.append(f"retry: {where}: {job['retried']}")
        if job["status"] != "built":
            kind = "timeout" if job["error_name"] == "CellTimeoutError" else job["status"]
            run.problems.append(f"{kind}: {where}: {job['error_name']} {job['error_message']}")
    return run


def plain_inputs(folder: Path, cities: list[str]) -> list[tuple[str, object, Path]]:
    """Write every job's source notebook as the build starts from it (transformed for an
    exercise copy, in the city's language); return (city, job, written path) per job."""
    city_list = [load_city(city) for city in cities]
    inputs = []
    for job in plan_jobs(city_list, default_job_sources()):
        city = next(c for c in city_list if c.id == job.city_id)
        notebook = read_notebook(job.source)
        if job.transform is not None:
            notebook = resolve_transform(job.transform)(notebook, city)
        notebook = translate_cells(notebook, source_name(job.source), job.language)
        path = folder / job.city_id / job.output
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, path)
        inputs.append((job.city_id, job, path))
    return inputs


def plain_loop(build_root: Path, inputs: list[tuple[str, object, Path]]) -> Run:
    """papermill, then nbconvert where the build writes a page, for each notebook in turn."""
    environment = {**os.environ, "CDA_BUILD_DIR": str(build_root)}
    run = Run(notebooks=len(inputs))
    cpu, started = children_cpu_seconds(), time.perf_counter()
    for city, job, source in inputs:
        output = build_root / city / job.output
        output.parent.mkdir(parents=True, exist_ok=True)
        one = time.perf_counter()
        command = [str(BIN / "papermill"), str(source), str(output), "-y",
                   json.dumps(job.injected_parameters()), "--cwd", str(output.parent),
                   "--no-progress-bar", "-k", KERNEL]
        if not job.execute:
            command.append("--prepare-only")
        try:
            # A module's cell that fails on purpose makes papermill exit with 1: not counted.
            subprocess.run(command, env=environment, check=False, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=PLAIN_STEP_TIMEOUT)
        except subprocess.TimeoutExpired:
            run.problems.append(f"timeout: {city}/{job.output}: papermill still running after "
                                f"{PLAIN_STEP_TIMEOUT} s (stopped; the loop went on)")
        if job.export_html and output.exists():
            converted = subprocess.run(
                [str(BIN / "jupyter"), "nbconvert", "--to", "html", str(output)],
                env=environment, check=False, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
            if converted.returncode != 0:
                run.problems.append(f"failed: {city}/{job.output}: nbconvert exited with "
                                    f"{converted.returncode}")
        run.each.append(time.perf_counter() - one)
    run.wall = time.perf_counter() - started
    run.cpu = children_cpu_seconds() - cpu
    return run


def notebook_imports(notebooks: list[Path]) -> str:
    """Every import statement in the notebooks' code cells, once each, in order."""
    seen = []
    for notebook in notebooks:
        for cell in nbformat.read(notebook, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            # a set-up cell starts with `%load_ext cda_lib`: without its magic lines, the
            # rest of the cell (its imports) parses as Python
            python = "\n".join(line for line in cell.source.splitlines()
                               if not line.lstrip().startswith(("%", "!")))
            try:
                tree = ast.parse(python)
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
    parser.add_argument("--cities", nargs="+", default=None, metavar="CITY",
                        help="these cities instead of the demo cohort (to try the script)")
    parser.add_argument("--no-floor", action="store_true",
                        help="leave out the kernel start + imports floor")
    arguments = parser.parse_args()
    cities = arguments.cities or list_city_ids(cohort="demo")
    for city in cities:  # generate the data first: neither way should pay for that
        ensure_city_data(load_city(city))
    plain_runs, cohort_runs = [], []
    with tempfile.TemporaryDirectory(prefix="cda-bench-") as scratch:
        inputs = plain_inputs(Path(scratch) / "inputs", cities)
        notebooks = sorted({job.source for _, job, _ in inputs})
        print(f"{'Demo cohort' if not arguments.cities else 'Cities'}: {len(cities)} cities, "
              f"{len(inputs)} notebooks ({len(inputs) // len(cities)} a city: modules, "
              f"participant and coach copies), on {os.cpu_count()} cores")
        for repeat in range(arguments.repeats):
            plain_runs.append(plain_loop(Path(scratch) / f"plain-{repeat}", inputs))
            cohort_runs.append(cohort_build(Path(scratch) / f"cohort-{repeat}",
                                            arguments.cities))

    print(f"{'':38}{'wall s':>9}{'CPU s':>8}{'per notebook s':>16}{'notebooks/min':>15}")
    for name, runs in (("plain loop (papermill + nbconvert)", plain_runs),
                       (f"cda build {' '.join(build_command(arguments.cities)[2:])}",
                        cohort_runs)):
        wall = statistics.median(run.wall for run in runs)
        print(f"{name:<38}{wall:>9.1f}{statistics.median(run.cpu for run in runs):>8.1f}"
              f"{statistics.median(t for run in runs for t in run.each):>16.2f}"
              f"{60 * runs[0].notebooks / wall:>15.1f}")
    plain = statistics.median(run.wall for run in plain_runs)
    cohort = statistics.median(run.wall for run in cohort_runs)
    print(f"speed-up: {plain / cohort:.1f}x (goal: 6x or more)")
    for name, runs in (("plain loop", plain_runs), ("cda build", cohort_runs)):
        problems = [problem for run in runs for problem in run.problems]
        if not problems:
            print(f"{name}: no timeout, no retry, no failure")
        for problem in problems:
            print(f"{name}: {problem}")
    if not arguments.no_floor:
        imports = notebook_imports(notebooks)
        print(f"floor, start a kernel + the notebooks' imports ({len(imports.splitlines())} "
              f"statements): {floor(imports, forked=False):.2f} s the standard way, "
              f"{floor(imports, forked=True):.2f} s forked from the build's fork server")


if __name__ == "__main__":
    main()
