"""Build many cities at once: city × notebook jobs on parallel workers, resumable and safe.

``build_cohort(["riverbend", "serra-clara"])`` plans every job (each teaching notebook
for each city, plus any other job source), then runs them on worker processes (one per
core by default):

- **per city, in reading order**: a city's notebooks run one after another, as a
  participant works through them (a later module may read what an earlier one recorded
  in the city's workspace); different cities run side by side, largest first;
- **data once**: a worker first *prepares* each city: makes sure its data exists, hashes
  it, finds which jobs are out of date, and reads and checks the data once into the
  build's data cache, which every notebook of that city then loads instead;
- **fault isolation**: a notebook that raises, a kernel that dies and a cell past the
  timeout fail that job only; a worker that dies is replaced;
- **no stalls**: a kernel that goes silent is noticed within seconds and the job is run
  again once in a fresh kernel (see :mod:`.stalls`); a second stall fails the job;
- **resume**: a job whose inputs have not changed since its outputs were made is
  skipped, unless an earlier notebook of its city runs again (it may record something
  different in the workspace, which later notebooks read); ``force=True`` rebuilds
  everything;
- **interruption**: Ctrl-C or SIGTERM stops the workers and their kernels, removes the
  staging folder and data cache, and writes the manifest; finished outputs stay, and
  nothing half-written is ever in place (outputs are moved in whole).

Every run writes ``build/manifest.json`` and ``.csv`` (see :mod:`.manifest`).

Workers are separate processes (started from a pre-loaded server process on Linux), so a
script that calls :func:`build_cohort` must guard its top level with
``if __name__ == "__main__":``, as with any use of :mod:`multiprocessing`.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cda_lib.cities.city import City
from cda_lib.cities.loader import city_files_setting
from cda_lib.core import paths
from cda_lib.core.errors import BuildError
from cda_lib.data import DATA_CACHE_VARIABLE
from cda_lib.workbook import kernels, process_start
from cda_lib.workbook.exercise_jobs import jobs_of_modules
from cda_lib.workbook.jobs import (
    Job,
    JobSource,
    Prepared,
    RunSettings,
    default_job_sources,
    library_fingerprint,
    output_paths,
    plan_jobs,
    read_build_cities,
    static_inputs_hash as _static_hash,
)
from cda_lib.workbook.manifest import (
    BUILT,
    FAILED,
    INTERRUPTED,
    NOT_STARTED,
    UP_TO_DATE,
    JobRecord,
    Manifest,
    now,
)
from cda_lib.workbook.skips import read_recorded_skips
from cda_lib.workbook.worker import STOP_SIGNAL, WorkerSettings

RUN_FOLDER = ".cda-build"  # inside the build folder: staging, data cache, logs of a run
WORKER_STOP_SECONDS = 5  # how long stopped workers get to kill their kernels and leave
WORKER_ERROR = "BuildWorkerError"  # the error name of a job whose worker died or failed
WAIT_SECONDS = 0.5  # how often the loop wakes up when nothing happens (to notice signals)


@dataclass
class CohortOptions:
    """How to run a cohort build (every field has a sensible default)."""

    build_root: Path | None = None  # default: build/ (or CDA_BUILD_DIR)
    workers: int | None = None  # default: one more than the cores (default_workers)
    timeout: int = 600  # the longest one cell may run, in seconds
    stall_seconds: int = 30  # a kernel silent this long (not busy) is stalled: retried once
    kernel_name: str = "python3"
    force: bool = False  # rebuild even jobs whose inputs have not changed
    sources: Sequence[JobSource] | None = None  # default: jobs.default_job_sources()
    progress: bool | None = None  # a progress bar; default: when stderr is a terminal
    fork_kernels: bool = True  # False: every kernel starts the plain (slower) way
    command: str = ""  # the command line, for the manifest
    prepare: Callable[[City], object] | None = None  # run here, before a city's jobs
    site_city: str | None = None  # write the self-paced site for it once it is built
    modules: Sequence[str] = ()  # only these modules' pages and exercise copies (default: all)
    language: str | None = None  # build every page in it (default: each city's own language)


@dataclass
class CohortResult:
    """What a cohort build did."""

    build_root: Path
    manifest: Manifest
    manifest_path: Path
    city_names: dict[str, str] = field(default_factory=dict)
    site_index: Path | None = None  # the self-paced site's front page, if this build wrote it
    site_error: str = ""  # why the site could not be written

    @property
    def records(self) -> list[JobRecord]:
        return self.manifest.jobs

    @property
    def failures(self) -> list[JobRecord]:
        return [record for record in self.records if record.status == FAILED]

    @property
    def interrupted(self) -> bool:
        return self.manifest.interrupted

    @property
    def ok(self) -> bool:
        return not self.failures and not self.interrupted

    @property
    def exit_code(self) -> int:
        """0 when everything was built, 1 when a job failed, 130 when interrupted."""
        if self.interrupted:
            return 130
        return 1 if self.failures else 0


def build_cohort(city_ids: Sequence[str | Path], options: CohortOptions | None = None
                 ) -> CohortResult:
    """Build every job for ``city_ids`` (ids, or paths of city files kept anywhere); see the
    module docstring for what that involves.

    Raises before anything runs for an unknown city or a notebook that cannot be given its
    parameters. A broken city file fails that city alone, with its message, as a notebook's
    own failure does: it is in the result and the manifest. An interruption (Ctrl-C,
    SIGTERM) stops the build cleanly and returns a result whose ``interrupted`` is True.
    """
    options = options or CohortOptions()
    build_root = Path(options.build_root or paths.build_dir()).resolve()
    city_list, broken = read_build_cities(city_ids)
    sources = options.sources if options.sources is not None else default_job_sources()
    jobs = plan_jobs(city_list, sources, language=options.language)
    if options.modules:
        jobs = jobs_of_modules(jobs, options.modules)
    build_root.mkdir(parents=True, exist_ok=True)
    with _build_lock(build_root):
        coordinator = _Coordinator(city_list, jobs, build_root, options, broken)
        return coordinator.run()


@dataclass
class _CityState:
    city: City
    jobs: list[Job]
    hashes: dict[str, str] = field(default_factory=dict)
    queue: list[Job] = field(default_factory=list)
    prepared: bool = False
    preparing: bool = False
    running: bool = False
    finished: bool = False
    data: str = "not read"
    prepare_seconds: float = 0.0


@dataclass
class _Worker:
    index: int
    process: multiprocessing.process.BaseProcess
    connection: multiprocessing.connection.Connection
    task: tuple | None = None


def default_workers() -> int:
    """Workers a build runs when not told: one more than the processor cores. A worker's
    core idles while it writes pages and its kernel starts: six alliance cities (294
    notebooks) took 196.7 and 192.7 s with 2 workers, 156.1 and 161.0 s with 3, on 2 cores."""
    return (os.cpu_count() or 1) + 1


class _Coordinator:
    """Owns the workers, the fork server and the schedule of one build."""

    def __init__(self, city_list: list[City], jobs: list[Job], build_root: Path,
                 options: CohortOptions, broken: Sequence[JobRecord] = ()):
        self.options = options
        self.broken = list(broken)
        self.build_root = build_root
        self.workers_wanted = max(1, min(options.workers or default_workers(), len(city_list)))
        self.states = {city.id: _CityState(city, [j for j in jobs if j.city_id == city.id])
                       for city in city_list}
        # Largest cities first, so the longest chains of notebooks start early.
        self.order = sorted(self.states, key=lambda c: -self.states[c].city.population)
        self.static = {job.key: _static_hash(job, kernel_name=options.kernel_name)
                       for job in jobs}
        self.records = {f"{r.city}/{r.notebook}": r for r in self.broken}
        self.workers: list[_Worker] = []
        self.workers_started = 0
        self.site_pending = self.site_running = False
        self.site_index: Path | None = None
        self.site_error = ""
        self.fork_server: kernels.ForkServer | None = None
        self.fork_server_checked = False
        self.manifest = Manifest(started_at=now(), command=options.command,
                                 workers=self.workers_wanted, cda_lib=library_fingerprint())
        self.progress = None

    # --- the run ---------------------------------------------------------------------------

    def run(self) -> CohortResult:
        run_dir = self.build_root / RUN_FOLDER
        shutil.rmtree(run_dir, ignore_errors=True)  # what a build stopped hard left behind
        sockets = Path(tempfile.mkdtemp(prefix="cda-build-")) if kernels.ipc_supported() else None
        self.run_dir, self.sockets = run_dir, sockets
        (run_dir / "logs").mkdir(parents=True)
        self.environment = dict(os.environ)
        self.environment[DATA_CACHE_VARIABLE] = str(run_dir / "data")
        self.environment["CDA_BUILD_DIR"] = str(self.build_root)  # workspaces go to this build
        self.environment[paths.CITY_FILES_VARIABLE] = city_files_setting(
            [state.city for state in self.states.values()],
            self.environment.get(paths.CITY_FILES_VARIABLE))
        previous = _catch_sigterm()
        try:
            self._start()
            self._loop()
        except KeyboardInterrupt:
            self.manifest.interrupted = True
        finally:
            held = _hold_signals()  # a second Ctrl-C must not cut the clean-up short
            try:
                self._clean_up()
                path = self._write_manifest()
            finally:
                _release_signals(held)
                _restore_sigterm(previous)
        names = {record.city: record.city for record in self.broken}
        names.update({state.city.id: state.city.name for state in self.states.values()})
        return CohortResult(self.build_root, self.manifest, path, names, self.site_index,
                            self.site_error)

    def _clean_up(self) -> None:
        """Stop workers (and their kernels) and the fork server; remove the run's files."""
        self._stop_workers(force=self.manifest.interrupted)
        if self.fork_server is not None:
            self.fork_server.stop()
        if self.progress is not None:
            self.progress.close()
        self._finish_records()
        if any(r.error_name == WORKER_ERROR for r in self.records.values()):
            # a worker died: keep its log (what it printed last) for diagnosis
            shutil.rmtree(self.run_dir / "staging", ignore_errors=True)
            shutil.rmtree(self.run_dir / "data", ignore_errors=True)
        else:
            shutil.rmtree(self.run_dir, ignore_errors=True)
        if self.sockets is not None:
            shutil.rmtree(self.sockets, ignore_errors=True)

    def _start(self) -> None:
        if self.options.fork_kernels and self.sockets is not None:
            self.fork_server = kernels.ForkServer.start(
                self.options.kernel_name, self.sockets, env=self.environment,
                log=self.run_dir / "logs" / "kernels.log")
        self.manifest.kernels = "forked" if self.fork_server is not None else "plain"
        self.progress = _progress_bar(len(self.states), self.options.progress)
        self._update_progress()

    def _loop(self) -> None:
        while not all(state.finished for state in self.states.values()) or self.site_pending:
            self._dispatch()
            busy = [w for w in self.workers if w.task is not None]
            if not busy:  # nothing can run (should not happen): do not spin
                raise BuildError("The build has jobs left but no worker to run them.")
            waitables = [w.connection for w in busy] + [w.process.sentinel for w in busy]
            for ready in multiprocessing.connection.wait(waitables, timeout=WAIT_SECONDS):
                worker_ = next(w for w in busy if ready in (w.connection, w.process.sentinel))
                if worker_.task is None:
                    continue
                self._receive(worker_)

    def _dispatch(self) -> None:
        for worker_ in self._idle_workers():
            task = self._next_task()
            if task is None:
                return
            worker_.task = task
            try:
                worker_.connection.send(task)
            except OSError:  # the worker died between two tasks: a new one takes its place
                self._replace(worker_)
                worker_.task = None
                self._task_failed(task, f"the build worker stopped unexpectedly; its log is "
                                  f"kept in {self.run_dir / 'logs'}")

    def _idle_workers(self) -> list[_Worker]:
        while len(self.workers) < self.workers_wanted:  # at the start, or after a death
            self._start_worker()
        return [w for w in self.workers if w.task is None]

    def _next_task(self) -> tuple | None:
        if self.site_pending and not self.site_running:
            self.site_running = True
            return ("site", self.options.site_city, self.options.language)
        for city_id in self.order:  # continue a city already started, largest first
            state = self.states[city_id]
            if state.prepared and not state.running and state.queue:
                job = state.queue.pop(0)
                state.running = True
                self._ensure_fork_server()
                return ("run", job, state.hashes[job.key])
        for city_id in self.order:  # else open the next city
            state = self.states[city_id]
            if not state.prepared and not state.preparing:
                state.preparing = True
                if self.options.prepare is not None:
                    self.options.prepare(state.city)
                static = {job.key: self.static[job.key] for job in state.jobs}
                return ("prepare", city_id, static, state.jobs, self.options.force)
        return None

    def _ensure_fork_server(self) -> None:
        """Before the first kernel, wait for the fork server's imports (about a second)."""
        if self.fork_server_checked or self.fork_server is None:
            return
        self.fork_server_checked = True
        if not self.fork_server.wait_until_ready():
            self.fork_server.stop()  # its socket disappears: workers start plain kernels
            self.fork_server = None
            self.manifest.kernels = "plain"

    def _receive(self, worker_: _Worker) -> None:
        task = worker_.task
        try:
            message = worker_.connection.recv() if worker_.connection.poll() else None
        except (EOFError, OSError):
            message = None
        if message is None and worker_.process.is_alive():
            return  # woken by something else; the answer is still coming
        worker_.task = None
        if message is None:  # the worker died with the task
            self._replace(worker_)
            message = ("error", task, f"the build worker stopped unexpectedly (exit code "
                       f"{worker_.process.exitcode}); its log is kept in "
                       f"{self.run_dir / 'logs'}")
        kind = message[0]
        if kind == "prepared":
            self._prepared(message[1])
        elif kind == "done":
            self._done(message[1])
        elif kind == "site-written":
            self.site_index, self.site_pending = message[1], False
        else:
            self._task_failed(task, message[2])
        self._write_manifest()

    def _prepared(self, prepared: Prepared) -> None:
        state = self.states[prepared.city_id]
        state.preparing, state.prepared = False, True
        state.hashes, state.data = prepared.hashes, prepared.data
        state.prepare_seconds = prepared.seconds
        stale = set(prepared.stale)
        state.queue = [job for job in state.jobs if job.key in stale]
        for job in state.jobs:
            if job.key not in stale:
                self.records[job.key] = self._up_to_date_record(job, state)
        self._maybe_finish(state)

    def _done(self, record: JobRecord) -> None:
        state = self.states[record.city]
        state.running = False
        self.records[f"{record.city}/{record.notebook}"] = record
        self._maybe_finish(state)

    def _task_failed(self, task: tuple, error: str) -> None:
        if task[0] == "site":
            self.site_error, self.site_pending = error, False
        elif task[0] == "run":
            job = task[1]
            state = self.states[job.city_id]
            state.running = False
            self.records[job.key] = JobRecord(
                job.city_id, job.output, FAILED, kind=job.kind, inputs_hash=task[2],
                error_name=WORKER_ERROR, error_message=error, city_name=state.city.name)
            self._maybe_finish(state)
        else:  # preparing the city went wrong: its jobs cannot be checked or run
            state = self.states[task[1]]
            state.preparing, state.prepared, state.data = False, True, error
            for job in state.jobs:
                self.records[job.key] = JobRecord(
                    job.city_id, job.output, FAILED, kind=job.kind, city_name=state.city.name,
                    error_name=WORKER_ERROR, error_message=f"preparing the city: {error}")
            self._maybe_finish(state)

    def _maybe_finish(self, state: _CityState) -> None:
        if state.finished or not state.prepared or state.running or state.queue:
            return
        state.finished = True
        (self.run_dir / "data" / f"{state.city.id}.pickle").unlink(missing_ok=True)
        if state.city.id == self.options.site_city:
            self.site_pending = True  # a worker writes it while the other cities go on
        self._update_progress(state)

    def _up_to_date_record(self, job: Job, state: _CityState) -> JobRecord:
        notebook, page, _ = output_paths(job, self.build_root)
        return JobRecord(
            job.city_id, job.output, UP_TO_DATE, kind=job.kind, inputs_hash=state.hashes[job.key],
            output=notebook.relative_to(self.build_root).as_posix(),
            page=page.relative_to(self.build_root).as_posix() if job.export_html else None,
            city_name=state.city.name, skipped_sections=read_recorded_skips(notebook))

    # --- workers ---------------------------------------------------------------------------

    def _start_worker(self) -> _Worker:
        index = self.workers_started
        self.workers_started += 1
        context = _process_context()
        ours, theirs = context.Pipe()
        settings = WorkerSettings(
            run=RunSettings(build_root=self.build_root, staging_dir=self.run_dir / "staging",
                            kernel_name=self.options.kernel_name, timeout=self.options.timeout,
                            sockets_dir=self.sockets, stall_seconds=self.options.stall_seconds),
            environment=self.environment,
            fork_server=self.fork_server.settings() if self.fork_server is not None else None,
            data_cache_dir=self.run_dir / "data",
            log_path=self.run_dir / "logs" / f"worker-{index}.log",
        )
        process = context.Process(target=process_start.worker_entry, args=(theirs, settings, index),
                                  name=f"cda-build-worker-{index}", daemon=True)
        process.start()
        theirs.close()
        started = _Worker(index, process, ours)
        self.workers.append(started)
        return started

    def _replace(self, dead: _Worker) -> None:
        self.workers.remove(dead)
        with contextlib.suppress(OSError):
            dead.connection.close()
        dead.process.join(timeout=1)

    def _stop_workers(self, *, force: bool) -> None:
        for worker_ in self.workers:
            if force or worker_.task is not None:
                if worker_.process.is_alive():  # it kills its kernel and leaves
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(worker_.process.pid, STOP_SIGNAL)
            else:
                with contextlib.suppress(OSError):
                    worker_.connection.send(("stop",))
        deadline = time.monotonic() + WORKER_STOP_SECONDS
        for worker_ in self.workers:
            worker_.process.join(timeout=max(0.0, deadline - time.monotonic()))
            if worker_.process.is_alive():
                worker_.process.kill()
                worker_.process.join()
            with contextlib.suppress(OSError):
                worker_.connection.close()

    # --- records, progress, manifest ---------------------------------------------------------

    def failures(self) -> list[JobRecord]:
        return [r for r in self.records.values() if r.status == FAILED]

    def _finish_records(self) -> None:
        running = {w.task[1].key for w in self.workers if w.task and w.task[0] == "run"}
        for state in self.states.values():
            for job in state.jobs:
                if job.key not in self.records:
                    status = INTERRUPTED if job.key in running else NOT_STARTED
                    self.records[job.key] = JobRecord(
                        job.city_id, job.output, status, kind=job.kind,
                        inputs_hash=state.hashes.get(job.key, ""), city_name=state.city.name)
        self.manifest.finished_at = now()

    def _write_manifest(self) -> Path:
        order = {job.key: i for i, job in enumerate(
            job for state in self.states.values() for job in state.jobs)}
        self.manifest.jobs = sorted(self.records.values(),
                                    key=lambda r: order.get(f"{r.city}/{r.notebook}", 0))
        self.manifest.cities = {
            city_id: {"name": state.city.name, "data": state.data,
                      "prepare_seconds": round(state.prepare_seconds, 3),
                      "finished": state.finished}
            for city_id, state in self.states.items()}
        for record in self.broken:
            self.manifest.cities[record.city] = {
                "name": record.city, "data": f"not read: {record.error_message}",
                "prepare_seconds": 0.0, "finished": True}
        return self.manifest.write(self.build_root)

    def _update_progress(self, city: _CityState | None = None) -> None:
        finished = [s for s in self.states.values() if s.finished]
        failed = sum(1 for s in finished if self._city_failed(s))
        remaining = len(self.states) - len(finished)
        if self.progress is not None:
            self.progress.n = len(finished)
            self.progress.set_postfix_str(
                f"{len(finished) - failed} done, {failed} failed, {remaining} remaining")
        elif city is not None and self.options.progress is None:  # a log, not a terminal
            records = [self.records[j.key] for j in city.jobs if j.key in self.records]
            counts = ", ".join(f"{sum(r.status == status for r in records)} {status}"
                               for status in (BUILT, UP_TO_DATE, FAILED))
            print(f"[{len(finished)}/{len(self.states)}] {city.city.name}: {counts}",
                  flush=True)

    def _city_failed(self, state: _CityState) -> bool:
        return any(self.records.get(j.key) is not None and self.records[j.key].status == FAILED
                   for j in state.jobs)


def _progress_bar(cities: int, wanted: bool | None):
    show = sys.stderr.isatty() if wanted is None else wanted
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=cities, unit="city", desc="Cities", file=sys.stderr, leave=True,
                bar_format="{desc}: {bar} {n_fmt}/{total_fmt} [{elapsed}] {postfix}")


def _process_context():
    """Workers start from a pre-loaded server process where that is safe (Linux)."""
    if kernels.FORK_SUPPORTED:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["cda_lib.workbook.runner", "cda_lib.workbook.worker"])
        return context
    return multiprocessing.get_context("spawn")


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: stop cleanly."""


def _catch_sigterm():
    if threading.current_thread() is not threading.main_thread():
        return None

    def stop(signum, frame):
        raise _Terminated()

    return signal.signal(signal.SIGTERM, stop)


def _restore_sigterm(previous) -> None:
    if previous is not None:
        signal.signal(signal.SIGTERM, previous)


def _hold_signals():
    """Ignore Ctrl-C and SIGTERM while the build cleans up (a few seconds at most)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return (signal.signal(signal.SIGINT, signal.SIG_IGN),
            signal.signal(signal.SIGTERM, signal.SIG_IGN))


def _release_signals(held) -> None:
    if held is not None:
        signal.signal(signal.SIGINT, held[0])
        signal.signal(signal.SIGTERM, held[1])


@contextlib.contextmanager
def _build_lock(build_root: Path):
    """One build at a time per build folder (two would move files under each other).

    The lock is on the folder itself, so it leaves no file behind, and the system releases
    it when the build process ends, however it ends.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks here
        yield
        return
    folder = os.open(build_root, os.O_RDONLY)
    try:
        try:
            fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(
                f"Another build is already writing to {build_root}. Wait for it to finish, or "
                "stop it, then run this one again."
            ) from None
        yield
    finally:
        os.close(folder)  # closing releases the lock
