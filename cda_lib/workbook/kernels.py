"""Kernels for a build: one fresh kernel per notebook, started fast, stopped at once.

Papermill runs every notebook through nbclient, which asks a jupyter_client kernel manager
for a kernel. This module supplies that manager (:class:`FreshKernelManager`, given to
papermill as nbclient's ``kernel_manager_class``) and the settings a build passes
(:func:`engine_options`):

- **Forked kernels** (Linux): the kernel process is forked from the build's fork server
  (:mod:`cda_lib.workbook.forkserver`), which has imported the kernel machinery, numpy, pandas
  and matplotlib once but never run a notebook. Starting a kernel then costs milliseconds
  instead of a second of imports. jupyter_client's own extension point for *how* a kernel
  process starts is the kernel provisioner: :class:`ForkedKernelProvisioner` is
  jupyter_client's local provisioner with only the launch replaced, so the connection file,
  the environment, the transport and the shutdown are all jupyter_client's.
- **Plain kernels** (other systems, another kernel, or when the fork server is gone): the
  usual ``python -m ipykernel_launcher`` start.

Either way every notebook gets its own new kernel process (nothing carries over from
another notebook) and the kernel is killed as soon as the last cell has run: the graceful
shutdown sometimes stalls for seconds and there is nothing left for it to save.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from queue import Empty
from typing import Any

from jupyter_client import AsyncKernelClient, AsyncKernelManager
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from jupyter_client.provisioning import LocalProvisioner
from traitlets import DottedObjectName

FORK_SERVER_SCRIPT = Path(__file__).resolve().parent / "forkserver.py"
LAUNCHER_MODULE = "ipykernel_launcher"  # what a standard Python kernelspec runs with -m
# Forking a process that has imported numpy and pandas is well defined on Linux; macOS
# and Windows builds use plain kernels (macOS system libraries are not fork-safe).
FORK_SUPPORTED = sys.platform.startswith("linux")
# How long to wait for the fork server to answer; it answers in milliseconds once its
# imports are done (about a second after it starts).
FORK_SERVER_TIMEOUT_SECONDS = 60
POLL_INTERVAL_SECONDS = 0.005  # waiting for a killed kernel to be gone
KERNEL_BIND_WAIT_SECONDS = 10  # a forked kernel binds its sockets in about 0.15 s
KILL_WAIT_SECONDS = 5  # as jupyter_client: after that it gives up waiting and moves on
DRAIN_SECONDS = 0.02  # output messages already on their way arrive well within this


def interpreter_prefix(kernel_name: str) -> list[str] | None:
    """The command that starts a kernel's interpreter (``[python, flags...]``) if the kernel is
    a standard ipykernel one that can be forked, else None.

    A kernelspec qualifies when its command is ``<python> [flags] -m ipykernel_launcher -f
    {connection_file}``, the form ``python -m ipykernel install`` writes.
    """
    try:
        argv = KernelSpecManager().get_kernel_spec(kernel_name).argv
    except NoSuchKernel:
        return None
    tail = ["-m", LAUNCHER_MODULE, "-f", "{connection_file}"]
    if len(argv) < len(tail) + 1 or argv[-len(tail):] != tail:
        return None
    return list(argv[: -len(tail)])


class ForkServer:
    """The build's fork server process, started once per build (see :mod:`.forkserver`)."""

    def __init__(self, process: subprocess.Popen, socket_path: Path, prefix: list[str]):
        self.process = process
        self.socket_path = socket_path
        self.prefix = prefix

    @classmethod
    def start(cls, kernel_name: str, folder: Path, *, env: dict[str, str],
              log: Path | None = None) -> ForkServer | None:
        """Start a fork server for ``kernel_name``'s interpreter; None where forking is not
        possible (then kernels start the plain way)."""
        prefix = interpreter_prefix(kernel_name)
        if not FORK_SUPPORTED or prefix is None:
            return None
        folder.mkdir(parents=True, exist_ok=True)
        socket_path = folder / f"forkserver-{uuid.uuid4().hex[:8]}.sock"
        output = open(log, "ab") if log is not None else subprocess.DEVNULL  # noqa: SIM115
        try:
            process = subprocess.Popen(
                [*prefix, str(FORK_SERVER_SCRIPT), str(socket_path)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=output, env=env,
                cwd=folder, start_new_session=True,  # Ctrl-C reaches the build, not kernels
            )
        finally:
            if output is not subprocess.DEVNULL:
                output.close()
        return cls(process, socket_path, prefix)

    def wait_until_ready(self, timeout: float = FORK_SERVER_TIMEOUT_SECONDS) -> bool:
        """Wait for the server's imports to finish; False if it died instead."""
        ready = _read_line(self.process.stdout, timeout)
        return ready == b"ready\n"

    def settings(self) -> ForkServerSettings:
        """What a worker process needs to use this server."""
        return ForkServerSettings(str(self.socket_path), tuple(self.prefix))

    def stop(self) -> None:
        """Stop the server (closing its stdin); kernels it forked stop with it."""
        with contextlib.suppress(OSError):
            if self.process.stdin is not None:
                self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.socket_path.unlink(missing_ok=True)


def _read_line(stream, timeout: float) -> bytes:
    result: list[bytes] = []
    reader = threading.Thread(target=lambda: result.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return result[0] if result else b""


@dataclass(frozen=True)
class ForkServerSettings:
    """Where a worker finds the fork server, and which interpreter command it stands for."""

    socket_path: str
    prefix: tuple[str, ...]


class ForkServerClient:
    """A worker's connection to the fork server (one request at a time)."""

    def __init__(self, settings: ForkServerSettings):
        self.settings = settings
        self._socket: socket.socket | None = None
        self._buffer = b""
        self.broken = False

    def spawn(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        """Fork a kernel; return its process id."""
        reply = self._ask({"op": "spawn", "argv": argv, "env": env, "cwd": cwd})
        if "pid" not in reply:
            raise OSError(reply.get("error", "the fork server did not start the kernel"))
        return int(reply["pid"])

    def poll(self, pid: int) -> int | None:
        """The kernel's exit code once it has ended, else None."""
        try:
            return self._ask({"op": "poll", "pid": pid}).get("returncode")
        except OSError:  # the server is gone, so are its kernels
            return _exit_code_unknown(pid)

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        if self.broken:
            raise OSError("the fork server stopped earlier in this build")
        try:
            if self._socket is None:
                self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self._socket.settimeout(FORK_SERVER_TIMEOUT_SECONDS)
                self._socket.connect(self.settings.socket_path)
            self._socket.sendall(json.dumps(request).encode() + b"\n")
            while b"\n" not in self._buffer:
                chunk = self._socket.recv(65536)
                if not chunk:
                    raise OSError("the fork server closed the connection")
                self._buffer += chunk
        except OSError:
            self.broken = True
            raise
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)


def _exit_code_unknown(pid: int) -> int | None:
    """Without the server, ask the system whether the process still exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return -signal.SIGKILL
    except PermissionError:
        return None
    return None


class ForkedKernelProcess:
    """Stands in for the ``subprocess.Popen`` of a kernel the fork server started."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, client: ForkServerClient):
        self.pid = pid
        self.returncode: int | None = None
        self._client = client

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self._client.poll(self.pid)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(POLL_INTERVAL_SECONDS)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkedKernelProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, launching the kernel by forking it from the fork
    server instead of starting a new interpreter. Falls back to the plain start when the
    command is not the one the server stands for, or the server is gone."""

    fork_server: ForkServerClient | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        client = self.fork_server
        prefix = list(client.settings.prefix) if client is not None else []
        tail = cmd[len(prefix):]
        forkable = (client is not None and not client.broken and cmd[: len(prefix)] == prefix
                    and tail[:2] == ["-m", LAUNCHER_MODULE])
        pid = None
        if forkable:
            env = dict(kwargs.get("env") or os.environ)
            cwd = str(kwargs.get("cwd") or os.getcwd())
            with contextlib.suppress(OSError):  # the server is gone: start the plain way
                pid = client.spawn(tail[2:], env, cwd)
        if pid is None:
            info = await super().launch_kernel(cmd, **kwargs)
        else:
            self.process = ForkedKernelProcess(pid, client)
            self.pid = pid
            self.pgid = pid  # the kernel leads its own session and process group
            self.cwd = cwd
            info = self.connection_info
            await self._sockets_bound(info)
        if self.pgid:
            _live_groups.add(self.pgid)
        return info

    async def _sockets_bound(self, info: dict[str, Any]) -> None:
        """Return once a forked kernel has opened its IPC sockets (files named after the
        connection's ip and ports), so the client's first connection attempt succeeds
        instead of being retried 0.1 s later."""
        if info.get("transport") != "ipc":
            return
        names = [f"{info['ip']}-{info[port]}" for port in
                 ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")]
        deadline = time.monotonic() + KERNEL_BIND_WAIT_SECONDS
        while not all(os.path.exists(name) for name in names):
            if time.monotonic() > deadline or self.process.poll() is not None:
                return  # jupyter_client will wait (and notice a dead kernel) as usual
            await asyncio.sleep(POLL_INTERVAL_SECONDS)

    async def kill(self, restart: bool = False) -> None:
        """Kill the kernel and return once it is gone, checking every few milliseconds
        (jupyter_client then finds it gone at once, instead of after a 0.1 s sleep)."""
        await super().kill(restart=restart)
        deadline = time.monotonic() + KILL_WAIT_SECONDS
        while self.process is not None and self.process.poll() is None:
            if time.monotonic() > deadline:
                break
            await asyncio.sleep(POLL_INTERVAL_SECONDS)

    async def cleanup(self, restart: bool = False) -> None:
        _live_groups.discard(self.pgid)
        await super().cleanup(restart=restart)


class PromptKernelClient(AsyncKernelClient):
    """jupyter_client's asynchronous client, without its fixed 0.2 s wait once a new kernel
    has answered: it waits until the kernel's output channel is silent for 0.2 s, to drop
    the start-up status messages. nbclient ignores messages that do not answer its own
    requests, so a short drain does the same job."""

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:  # the output channel is connected once it carries our request's status
                    await self.iopub_channel.get_msg(timeout=0.2)
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(reply)
                    break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
        while True:  # drop what is already there, without waiting for more
            try:
                await self.iopub_channel.get_msg(timeout=DRAIN_SECONDS)
            except Empty:
                break

    wait_for_ready = _async_wait_for_ready

    async def send_signal(self, signum: int) -> None:
        if isinstance(self.process, ForkedKernelProcess):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signum)  # the kernel and anything it started
            return
        await super().send_signal(signum)


class FreshKernelManager(AsyncKernelManager):
    """nbclient's kernel manager for builds: a forked kernel when this worker has a fork
    server (see :func:`use_fork_server`), else a plain one."""

    client_class = DottedObjectName("cda_lib.workbook.kernels.PromptKernelClient")

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.kernel_id = self.kernel_id or str(uuid.uuid4())
        provisioner = ForkedKernelProvisioner(
            kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
        )
        provisioner.fork_server = _worker_fork_server
        self.provisioner = provisioner


_worker_fork_server: ForkServerClient | None = None
_live_groups: set[int] = set()  # process groups of this process's running kernels


def live_kernel_groups() -> list[int]:
    """The process groups of the kernels this process has running (to kill on the way out)."""
    return sorted(_live_groups)


def use_fork_server(settings: ForkServerSettings | None) -> None:
    """Make this process's kernels come from the fork server (None: plain kernels)."""
    global _worker_fork_server
    _worker_fork_server = ForkServerClient(settings) if settings is not None else None


def engine_options(*, timeout: int, sockets_dir: Path | None) -> dict[str, Any]:
    """The papermill keyword arguments (passed through to nbclient) for a build's run."""
    from traitlets.config import Config

    config = Config()
    if sockets_dir is not None:  # local IPC sockets: faster to open than TCP, and private
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = str(sockets_dir / "kernel")
    return {
        "kernel_manager_class": FreshKernelManager,
        "shutdown_kernel": "immediate",
        "execution_timeout": timeout,
        "config": config,
    }


def ipc_supported() -> bool:
    """True where kernels can talk over local IPC sockets (POSIX)."""
    return os.name == "posix"
