"""Notice in seconds, not at ``--timeout``, when a build's kernel has gone silent.

A kernel can stop answering without dying: its process frozen, or a reply lost after the
kernel said it had finished. nbclient then waits for the whole cell timeout (600 s by
default) and papermill, after the last cell, waits for its ``kernel_info`` reply with no
bound at all unless the kernel dies. :class:`WatchedNotebookClient` is papermill's notebook
client with a watch on each job:

- while a cell runs, a watcher thread notes every message the kernel sends and whether
  its heartbeat answers. When the kernel has sent nothing for the stall window
  (``cda build --stall-seconds``, 30 s by default) and either its heartbeat has been
  silent for that long too (the process is frozen) or it has already said it finished
  the cell (the reply is lost), the job is *stalled*: the watcher kills the kernel, and
  the run ends at once with :class:`KernelStallError`. A kernel busy with long work
  still answers its heartbeat, so it is left alone until ``--timeout``;
  A kernel sends a cell's reply before it says it has finished, so once it has said so
  the watch waits only :data:`REPLY_AFTER_IDLE_SECONDS` (or the stall window, if shorter);
- the ``kernel_info`` request papermill sends after the last cell is answered in
  milliseconds by a working kernel, so its wait is bounded by the stall window directly;
- every wait on the kernel's shell and output channels is made of one-second polls
  (:func:`poll_in_slices`). nbclient waits for a cell's reply in one poll as long as the
  cell timeout, and for its output in one poll with no end. An asyncio poll on a ZeroMQ
  socket is woken by an edge-triggered file descriptor, and a wake-up that is missed
  leaves a message that has arrived unread until the poll's timeout, where pyzmq looks at
  the socket again. That is how a build saw a kernel say "finished" and then heard no
  reply (nteract/papermill#711 and jupyter/nbclient#312 describe the same wait; neither is
  fixed upstream): with one-second polls such a message is read within a second.

The build retries a stalled job once in a fresh kernel (see
:func:`cda_lib.workbook.runner.run_job`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
import time
from queue import Empty
from typing import Any

from jupyter_core.utils import ensure_async, run_sync
from papermill.clientwrap import PapermillNotebookClient
from traitlets import Integer

DEFAULT_STALL_SECONDS = 30  # a working kernel speaks (a status, an output) within a second
WATCH_INTERVAL_SECONDS = 0.25  # how often the watcher looks: detection within the window + this
REPLY_POLL_SECONDS = 1  # how often a bounded wait checks that the kernel still lives
POLL_SLICE_SECONDS = 1.0  # the longest single poll on a kernel channel (see poll_in_slices)
REPLY_AFTER_IDLE_SECONDS = 10  # a reply not read this long after "finished" is lost
KILL_NOTICED_SECONDS = 1  # nbclient checks that the kernel lives once a second


class KernelStallError(RuntimeError):
    """A kernel that sent nothing for the stall window while the build waited for it.

    ``waited_for`` says what the build was waiting for, ``seconds`` how long it waited.
    """

    def __init__(self, waited_for: str, seconds: float, cell_index: int | None = None):
        self.waited_for = waited_for
        self.seconds = seconds
        self.cell_index = cell_index
        super().__init__(f"the kernel sent nothing for {seconds:.0f} s while the build waited "
                         f"for {waited_for}")


def poll_in_slices(channel: Any, slice_seconds: float = POLL_SLICE_SECONDS) -> None:
    """Make an asyncio kernel channel's ``get_msg(timeout)`` wait in polls no longer than
    ``slice_seconds``, with the same overall timeout (``None``: no end).

    Each poll that ends looks at the socket itself, so a message whose wake-up was missed
    is read at the end of the slice instead of at the end of the whole wait (see the
    module docstring).
    """
    whole_wait = channel.get_msg

    async def get_msg(timeout: float | None = None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            this_poll = slice_seconds if left is None else min(slice_seconds, left)
            try:
                return await ensure_async(whole_wait(timeout=this_poll))
            except Empty:
                if left is not None and left <= slice_seconds:
                    raise

    channel.get_msg = get_msg


class WatchedNotebookClient(PapermillNotebookClient):
    """Papermill's notebook client, which ends a run whose kernel has stalled (see the
    module docstring) instead of waiting for the cell timeout."""

    stall_seconds = Integer(DEFAULT_STALL_SECONDS, help="silence that makes a kernel stalled "
                                                       "(seconds)").tag(config=True)

    def __init__(self, nb_man, **kwargs: Any):
        super().__init__(nb_man, **kwargs)
        self.stall: KernelStallError | None = None
        self._watch_lock = threading.Lock()
        self._cell_index: int | None = None
        self._last_heard = time.monotonic()
        self._last_beat = time.monotonic()
        self._said_idle = False

    def execute(self, **kwargs: Any):
        """Run the notebook as papermill does, watched, with the closing ``kernel_info``
        wait bounded by the stall window."""
        self.reset_execution_trackers()
        if sys.platform.startswith("win"):  # as papermill does (https://bugs.python.org/issue37373)
            asyncio.set_event_loop_policy(asyncio.WindowsSelectorEventLoopPolicy())
        with self.setup_kernel(**kwargs):
            self.log.info(f"Executing notebook with kernel: {self.kernel_name}")
            stop = threading.Event()
            watcher = threading.Thread(target=self._watch, args=(stop,), daemon=True,
                                       name="cda-build-stall-watch")
            watcher.start()
            try:
                self.papermill_execute_cells()
            finally:
                stop.set()
                watcher.join()
            if self.stall is not None:
                raise self.stall
            # Papermill waits for this reply without a bound and, now and then, forever
            # (nteract/papermill#711; nteract/papermill#726 proposed a fix, and papermill
            # 2.7 still waits unbounded): a kernel that has run every cell answers it in
            # milliseconds, so the stall window bounds it here.
            info_msg = run_sync(self._kernel_info_within_window)()
            self.nb.metadata["language_info"] = info_msg["content"]["language_info"]
            self.set_widgets_metadata()
        return self.nb

    async def async_start_new_kernel_client(self):
        kernel_client = await super().async_start_new_kernel_client()
        poll_in_slices(kernel_client.shell_channel)
        poll_in_slices(kernel_client.iopub_channel)
        return kernel_client

    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    async def async_execute_cell(self, cell, cell_index, execution_count=None,
                                 store_history=True):
        with self._watch_lock:
            self._cell_index = cell_index
            self._last_heard = self._last_beat = time.monotonic()
            self._said_idle = False
        try:
            return await super().async_execute_cell(cell, cell_index, execution_count,
                                                    store_history)
        except Exception:
            if self.stall is not None:  # the watcher ended it: say why, not "kernel died"
                raise self.stall from None
            raise
        finally:
            with self._watch_lock:
                self._cell_index = None

    # nbclient binds its synchronous wrapper to its own coroutine: bind it to this one.
    execute_cell = run_sync(async_execute_cell)

    def process_message(self, msg, cell, cell_index):
        with self._watch_lock:
            self._last_heard = time.monotonic()
            content = msg.get("content", {})
            if msg.get("msg_type") == "status" and content.get("execution_state") == "idle":
                self._said_idle = True
        return super().process_message(msg, cell, cell_index)

    def _watch(self, stop: threading.Event) -> None:
        while not stop.wait(WATCH_INTERVAL_SECONDS):
            stall = self._stalled(time.monotonic())
            if stall is not None:
                self.stall = stall
                self._kill_kernel()
                return

    def _stalled(self, now: float) -> KernelStallError | None:
        with self._watch_lock:
            if self._cell_index is None:
                return None
            if self.kc is None or self.kc.hb_channel.is_beating():
                self._last_beat = now
            silent = now - self._last_heard
            if self._said_idle and silent >= min(self.stall_seconds, REPLY_AFTER_IDLE_SECONDS):
                return KernelStallError(
                    "the cell's result, after the kernel had said the cell was finished",
                    silent, self._cell_index)
            if silent < self.stall_seconds:
                return None
            if now - self._last_beat >= self.stall_seconds:
                return KernelStallError(
                    "the cell's result (the kernel's heartbeat had stopped too)",
                    silent, self._cell_index)
            return None  # busy with long work: --timeout is its bound

    def _kill_kernel(self) -> None:
        """Kill the stalled kernel, and what it started, without asking anyone (a frozen
        kernel cannot be asked to stop); nbclient then finds it dead within a second."""
        provisioner = getattr(self.km, "provisioner", None)
        group = getattr(provisioner, "pgid", None)
        pid = getattr(provisioner, "pid", None)
        with contextlib.suppress(OSError):
            if group and hasattr(os, "killpg"):
                os.killpg(group, signal.SIGKILL)
            elif pid:
                os.kill(pid, signal.SIGKILL)

    async def _kernel_info_within_window(self) -> dict[str, Any]:
        assert self.kc is not None
        msg_id = self.kc.kernel_info()
        started = time.monotonic()
        while True:
            left = self.stall_seconds - (time.monotonic() - started)
            if left <= 0:
                raise KernelStallError("the kernel_info reply after the last cell",
                                       time.monotonic() - started)
            try:
                msg = await self.kc.shell_channel.get_msg(timeout=min(REPLY_POLL_SECONDS, left))
            except Empty:
                if not await ensure_async(self.kc.is_alive()):
                    raise RuntimeError("the kernel stopped after the last cell") from None
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg

