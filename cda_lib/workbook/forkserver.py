"""Start notebook kernels in milliseconds: fork them from a process that has imported the
heavy libraries but never run any notebook.

A standard kernel start costs about a second of CPU (start the interpreter, import
ipykernel, then the notebook imports pandas and matplotlib). A cohort build starts
hundreds of kernels, so one *fork server* per build pays that once: it imports the modules
in :data:`PREIMPORTS`, then waits. For each notebook it forks a child that becomes an
ordinary IPython kernel: in its own session, in the notebook's folder, with the
environment jupyter_client prepared, with a brand-new interpreter namespace. The server
never runs notebook code, so nothing a notebook sets (variables, options, figures, module
state) can reach another notebook: every kernel starts from the same untouched state, as a
participant's fresh kernel does. tests/test_kernels.py compares what a notebook can see of
a forked kernel with a kernel started the standard way.

Importing ahead is only the same as importing in the kernel when the import does not look
at its surroundings, so the server makes them look like a kernel's:

- pandas asks ``get_ipython()`` whether it runs in a Jupyter kernel (to pick the default
  ``display.max_columns``) and records ``sys.stdout``'s encoding: the libraries are
  imported with a stand-in ``get_ipython`` and a UTF-8 ``sys.stdout``, as in a kernel;
- matplotlib reads ``MPLBACKEND`` when imported: it is set as ipykernel sets it;
- ipykernel reads ``JPY_PARENT_PID`` when imported: each kernel is given its real parent;
- numpy seeds its global random generator when imported: each kernel seeds it again;
- the warning filters and environment variables the imports add are replayed in each
  kernel in the order a kernel started the standard way would have them;
- ipywidgets connects to the running kernel when imported: it is never imported ahead
  (nor is any cda_lib module that imports it). cda_lib itself changes nothing when
  imported, so its modules are imported ahead like any library.

This file runs as a script (``python forkserver.py SOCKET``), started by
:mod:`cda_lib.workbook.kernels` with the interpreter and flags of the kernel's own
kernelspec. It imports cda_lib's modules only through :data:`WORKBOOK_MODULES`, after the
kernel's machinery and the libraries, as a kernel would (and skips any it cannot import).

Protocol: one JSON object per line over a Unix socket. ``{"op": "spawn", "argv": [...],
"env": {...}, "cwd": "..."}`` answers ``{"pid": N}``; ``{"op": "poll", "pid": N}`` answers
``{"returncode": R}`` (``null`` while it runs). The server stops when its standard input
closes (the build ended or died); its kernels stop when they see their parent gone. Its
standard output carries ``ready`` and nothing else: then it, and every kernel, writes to
the log (see :func:`_stop_writing_to_the_build`).
"""

from __future__ import annotations

import builtins
import importlib
import json
import os
import selectors
import signal
import socket
import sys
import warnings
from dataclasses import dataclass, field

# Imported once, before any kernel is forked. First the kernel's own machinery, which every
# kernel imports as it starts, before its shell exists ...
KERNEL_MODULES = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",  # imported by every kernel as it starts (debugpy: 0.15 s)
)
# ... then the libraries the teaching notebooks import, which a kernel imports only once
# its shell exists (when the notebook asks). See the module docstring for what their
# imports look at, and how the server makes it look like a kernel.
LIBRARY_MODULES = (
    "numpy",
    "numpy.random",  # seeded again in each kernel (see _become_kernel)
    "pyarrow",
    "pyarrow.parquet",
    "pandas",
    "matplotlib",
    "matplotlib.pyplot",
    "yaml",
    # jsonschema compiles an IRI grammar as it is imported (3 s of CPU, rfc3987_syntax):
    # pages 2.2 and 3.5 validate DCAT-US records, so each of their kernels would pay it
    "jsonschema",
    "referencing",
)
# ... and the workbook's own library, which changes nothing when imported (the friendly
# error display is switched on by each notebook's ``%load_ext cda_lib``, in its kernel).
# None of these imports ipywidgets; tests/test_kernels.py checks both.
WORKBOOK_MODULES = (
    "cda_lib",
    "cda_lib.data",
    "cda_lib.charts",
    "cda_lib.metrics.kpi",
    "cda_lib.metrics.composite",
    "cda_lib.metrics.targets",
    "cda_lib.exercises.session",
    "cda_lib.themes.lead.brief",
    "cda_lib.themes.lead.patterns",
    "cda_lib.themes.lead.pilot_evaluation",
    "cda_lib.themes.lead.pilot_seasons",
    "cda_lib.core.readable",
    "cda_lib.themes.welcome.sentences",
    "cda_lib.themes.invest.maturity",
    "cda_lib.themes.invest.maturity_charts",
    "cda_lib.themes.invest.portfolio",
    "cda_lib.themes.invest.charts",
    "cda_lib.themes.invest.talent_chart",
    "cda_lib.themes.invest.algorithm_risk",
    "cda_lib.themes.empower.page",
    "cda_lib.themes.empower.charts",
    "cda_lib.themes.empower.survey",
    "cda_lib.themes.empower.survey_charts",
    "cda_lib.themes.empower.makeover",
    "cda_lib.themes.empower.resident_page",
    "cda_lib.core.frames",
)
PREIMPORTS = KERNEL_MODULES + LIBRARY_MODULES + WORKBOOK_MODULES
# The backend ipykernel selects when MPLBACKEND is unset (ipykernel/kernelapp.py): matplotlib
# reads it at import, so it must be set before the import, as in a kernel.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
READY = b"ready\n"


class _KernelShellStandIn:
    """What ``get_ipython()`` returns to code imported ahead: like a kernel's shell, it has a
    ``kernel``. pandas only checks that the attribute exists."""

    kernel = None


class _KernelStdoutStandIn:
    """What ``sys.stdout`` looks like to code imported ahead: like a kernel's output stream,
    UTF-8 (pandas records the console's encoding as a display option when imported)."""

    encoding = "UTF-8"  # ipykernel's OutStream.encoding

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


@dataclass
class _Imported:
    """What importing the libraries ahead changed, to replay in each kernel in the order a
    kernel would see it: warning filters and environment variables they added."""

    filters: list = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict)


def main(argv: list[str]) -> int:
    """Serve kernel starts on the Unix socket named in ``argv[0]`` until stdin closes."""
    if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(
        os.path.abspath(__file__)
    ):
        del sys.path[0]  # a kernel's sys.path does not hold this script's folder
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build decides when kernels stop
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(argv[0])
    listener.listen(64)  # workers may connect while the imports below still run
    imported = _preimport()
    os.write(sys.stdout.fileno(), READY)
    _stop_writing_to_the_build()
    return _serve(listener, imported)


def _stop_writing_to_the_build() -> None:
    """Point this process's standard output at its log, once ``ready`` is written.

    The build reads that pipe once, for ``ready``, and never again. Kernels forked from
    here inherit standard output, and ipykernel copies everything written to file
    descriptor 1 (by a library's C code, a subprocess, ``os.write``) to it: before this,
    those bytes piled up in the pipe across every kernel of the build until its 64 KiB were
    full, and then the next kernel to write blocked for good, silent until ``--timeout``.
    A kernel started the standard way writes there to the build worker's log instead.
    """
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())


def _preimport() -> _Imported:
    environment = dict(os.environ)
    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = INLINE_BACKEND
    _import_all(KERNEL_MODULES)
    before = list(warnings.filters)
    stdout = sys.stdout
    builtins.get_ipython = _KernelShellStandIn  # type: ignore[attr-defined]
    sys.stdout = _KernelStdoutStandIn()  # type: ignore[assignment]
    try:
        _import_all(LIBRARY_MODULES + WORKBOOK_MODULES)
    finally:
        del builtins.get_ipython  # type: ignore[attr-defined]
        sys.stdout = stdout
    added = warnings.filters[: len(warnings.filters) - len(before)]
    new_variables = {key: value for key, value in os.environ.items()
                     if key not in environment and key != "MPLBACKEND"}
    return _Imported(filters=list(added), environment=new_variables)


def _import_all(names: tuple[str, ...]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # an optimisation only: the kernel will import it itself
            continue


def _serve(listener: socket.socket, imported: _Imported) -> int:
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(sys.stdin, selectors.EVENT_READ, "stdin")
    clients: dict[socket.socket, bytes] = {}
    exited: dict[int, int] = {}
    while True:
        for key, _ in selector.select():
            if key.data == "stdin":
                if not os.read(sys.stdin.fileno(), 4096):
                    return 0  # the build is over
            elif key.data == "accept":
                client, _ = listener.accept()
                clients[client] = b""
                selector.register(client, selectors.EVENT_READ, "client")
            else:
                client = key.fileobj
                chunk = client.recv(65536)
                if not chunk:
                    selector.unregister(client)
                    client.close()
                    clients.pop(client, None)
                    continue
                clients[client] += chunk
                while b"\n" in clients[client]:
                    line, clients[client] = clients[client].split(b"\n", 1)
                    reply = _answer(json.loads(line), exited, listener, clients, imported)
                    client.sendall(json.dumps(reply).encode() + b"\n")


def _answer(request: dict, exited: dict[int, int], listener: socket.socket,
            clients: dict[socket.socket, bytes], imported: _Imported) -> dict:
    _reap(exited)
    if request.get("op") == "poll":
        pid = int(request["pid"])
        return {"returncode": exited.get(pid)}
    if request.get("op") == "spawn":
        try:
            return {"pid": _spawn(request, [listener, *clients], imported)}
        except OSError as error:
            return {"error": f"{type(error).__name__}: {error}"}
    return {"error": f"unknown request {request.get('op')!r}"}


def _reap(exited: dict[int, int]) -> None:
    """Collect every kernel that has ended, keeping its exit code for ``poll``."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        exited[pid] = os.waitstatus_to_exitcode(status)


def _spawn(request: dict, sockets: list[socket.socket], imported: _Imported) -> int:
    """Fork a kernel; answer only once it runs in its own session (so signals reach it alone)."""
    started_read, started_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the server loop
        os.close(started_read)
        code = 1
        try:
            for sock in sockets:
                sock.close()
            os.setsid()
            os.write(started_write, b"x")
            os.close(started_write)
            code = _become_kernel(request, imported)
        except BaseException as error:  # report, then leave: never back into the server
            if isinstance(error, SystemExit):
                code = error.code if isinstance(error.code, int) else 1
            else:
                print(f"cda fork server: the kernel could not start: {error!r}", file=sys.stderr)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    os.close(started_write)
    os.read(started_read, 1)  # the child has called setsid (or died: empty read)
    os.close(started_read)
    return pid


def _become_kernel(request: dict, imported: _Imported) -> int:
    """Turn this forked child into the kernel ``ipykernel_launcher`` would have started."""
    for signum in (signal.SIGTERM, signal.SIGCHLD, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a fresh interpreter
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # jupyter_client gives a kernel no usable stdin either
    os.close(devnull)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    for key, value in imported.environment.items():  # set by a module as it was imported
        os.environ.setdefault(key, value)
    # ipykernel stops when this parent (the fork server) goes away, as with a plain launch.
    os.environ["JPY_PARENT_PID"] = str(os.getppid())
    numpy_random = sys.modules.get("numpy.random")
    if numpy_random is not None:  # a fresh interpreter seeds numpy from the OS; so do we
        numpy_random.seed()
    import ipykernel_launcher  # only to name it in sys.argv, as `python -m` does
    from ipykernel.kernelapp import IPKernelApp

    sys.argv = [ipykernel_launcher.__file__, *request["argv"]]
    # The libraries' warning filters go on top of those the kernel adds as it starts, as
    # when a notebook imports them in a kernel that is already running.
    _set_filters([f for f in warnings.filters if f not in imported.filters])
    # ipykernel reads JPY_PARENT_PID when it is imported, which here was before the fork:
    # give the kernel its parent, so that it stops if the fork server goes (as a plain
    # kernel stops if the process that started it goes).
    app = IPKernelApp.instance(parent_handle=os.getppid())  # as launch_new_instance() does
    app.initialize()
    _set_filters(imported.filters + warnings.filters)
    app.start()
    return 0


def _set_filters(filters: list) -> None:
    warnings.filters[:] = filters
    warnings._filters_mutated()  # as warnings.catch_warnings does when it restores filters


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
