"""A build worker: a process that prepares cities' data and runs jobs the build sends it.

Each worker runs one task at a time: ``prepare`` (make sure the city's data exists, hash
it, find which of its jobs are out of date, read the data once into the build's data
cache and profile its quality for the cohort page), ``run`` (one job, see
:func:`cda_lib.workbook.runner.run_job`) or ``site`` (the self-paced site, see
:mod:`cda_lib.workbook.selfpaced`). It ignores Ctrl-C (the build decides what
stops) and, on SIGTERM or when the build process disappears, kills its kernel and leaves
at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cda_lib.cities import loader as cities
from cda_lib.workbook import kernels
from cda_lib.workbook.jobs import (
    Job,
    Prepared,
    RunSettings,
    content_fingerprint,
    inputs_hash,
    needs_content_hash,
)

PARENT_CHECK_SECONDS = 0.5  # how often a worker checks that the build is still there
# How the build tells a worker to kill its kernel and leave at once. Not SIGTERM: nbclient
# takes SIGINT and SIGTERM over while a notebook runs.
STOP_SIGNAL = getattr(signal, "SIGUSR1", signal.SIGTERM)  # Windows has no SIGUSR1


@dataclass(frozen=True)
class WorkerSettings:
    """What a worker is started with."""

    run: RunSettings
    environment: dict[str, str]
    fork_server: kernels.ForkServerSettings | None
    data_cache_dir: Path
    log_path: Path | None = None


def main(connection, settings: WorkerSettings, index: int) -> None:
    """The worker's loop: receive a task, send back its result, until told to stop."""
    settings = _start(settings, index)
    parent = os.getppid()
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            break
        if task[0] == "stop":
            break
        try:
            result = _handle(task, settings)
        except Exception as error:  # a bug or a broken environment: report, keep serving
            result = ("error", task, f"{type(error).__name__}: {error}")
        finally:
            _own_signals()  # nbclient sets its own SIGINT and SIGTERM handlers while it runs
        try:
            connection.send(result)
        except (BrokenPipeError, OSError):
            break
    _kill_kernels()


def _start(settings: WorkerSettings, index: int) -> WorkerSettings:
    os.environ.clear()
    os.environ.update(settings.environment)  # the build's, not the process pool's at its start
    if hasattr(os, "setsid"):
        with contextlib.suppress(OSError):
            os.setsid()  # out of the terminal's process group: Ctrl-C reaches the build alone
    _own_signals()
    if settings.log_path is not None:  # kernels' and libraries' messages: not over the bar
        log = os.open(settings.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
    kernels.use_fork_server(settings.fork_server)
    sockets = settings.run.sockets_dir
    if sockets is None:
        return settings
    sockets = sockets / f"w{index}"  # each worker its own socket names: they are picked by
    sockets.mkdir(parents=True, exist_ok=True)  # counting the files already there
    return dataclasses.replace(settings, run=dataclasses.replace(settings.run,
                                                                 sockets_dir=sockets))


def _handle(task: tuple, settings: WorkerSettings) -> tuple:
    from cda_lib.workbook import runner

    if task[0] == "prepare":
        _, city_id, static_hashes, jobs, force = task
        return ("prepared", prepare_city(city_id, static_hashes, jobs, force=force,
                                         settings=settings))
    if task[0] == "run":
        _, job, job_hash = task
        return ("done", runner.run_job(job, job_hash, settings.run))
    if task[0] == "site":  # the self-paced site, once its city is built
        from cda_lib.workbook.selfpaced import write_site

        return ("site-written", write_site(settings.run.build_root, task[1], language=task[2]))
    raise ValueError(f"unknown task {task[0]!r}")


def prepare_city(city_id: str, static_hashes: dict[str, str], jobs: list[Job], *,
                 force: bool, settings: WorkerSettings) -> Prepared:
    """Hash the city's data, find its stale jobs, and cache and profile its data."""
    from cda_lib.data import data_fingerprint, ensure_city_data, load_city_data, write_data_cache
    from cda_lib.workbook import dashboard, runner

    started = time.perf_counter()
    city = cities.load_city(city_id)
    prepared = Prepared(city_id)
    build_root = settings.run.build_root
    data = None
    try:
        ensure_city_data(city)
        fingerprint = data_fingerprint(city)
        if needs_content_hash(fingerprint):  # a source whose files are not known
            data = load_city_data(city)
            fingerprint = content_fingerprint(fingerprint, data)
    except Exception as error:  # the notebooks will meet (and report) the same problem
        prepared.data = f"could not be read: {type(error).__name__}: {_first_line(error)}"
        fingerprint = f"unreadable-{prepared.data}"
    earlier_rerun = False  # a notebook before this one runs again: what it records may change
    for job in jobs:
        prepared.hashes[job.key] = inputs_hash(static_hashes[job.key], fingerprint)
        if force or (earlier_rerun and job.execute) \
                or not runner.is_up_to_date(job, prepared.hashes[job.key], build_root):
            prepared.stale.append(job.key)
            earlier_rerun = earlier_rerun or job.execute
    if prepared.data == "ready":
        try:
            if prepared.stale:
                data = write_data_cache(city, settings.data_cache_dir)
            if data is not None or not dashboard.has_profile(build_root, city_id, fingerprint):
                data = data if data is not None else load_city_data(city)
                dashboard.write_profile(build_root, data, fingerprint)
        except Exception as error:
            prepared.data = f"could not be read: {type(error).__name__}: {_first_line(error)}"
    prepared.seconds = time.perf_counter() - started
    return prepared


def _first_line(error: object) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else ""


def _own_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_terminate)
    signal.signal(STOP_SIGNAL, _on_terminate)


def _on_terminate(signum: int, frame: Any) -> None:
    _kill_kernels()
    os._exit(128 + signum)


def _kill_kernels() -> None:
    if not hasattr(os, "killpg"):
        return  # Windows: jupyter_client's own clean-up stops the kernel
    for group in kernels.live_kernel_groups():
        with contextlib.suppress(OSError):
            os.killpg(group, signal.SIGKILL)


def _watch_parent(parent: int) -> None:
    """Leave (killing the kernel) if the build that started this worker is gone."""
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        if os.getppid() != parent:
            _kill_kernels()
            sys.stderr.flush()
            os._exit(1)
