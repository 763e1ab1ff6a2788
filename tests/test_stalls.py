"""Tests for a build whose kernel goes silent (cda_lib.workbook.stalls, and the retry in
cda_lib.workbook.runner), and for the fork server's standard output.

The stall fixture stops its own kernel process (SIGSTOP) in its fourth cell: no message,
no heartbeat, the process still there, as with the hung kernel of issue 17. One build, two
cities: for Alderbank it stalls the first time only (a marker file), so the retry in a
fresh kernel succeeds; for Brookfield it stalls every time, so the job fails. The build
takes about 15 s (two stalls in a row for Brookfield), so its tests are marked slow.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from pathlib import Path
from queue import Empty

import nbformat
import pytest

from cda_lib.core import paths
from cda_lib.workbook import kernels
from cda_lib.workbook.cohort import CohortOptions, build_cohort
from cda_lib.workbook.jobs import TeachingModules
from cda_lib.workbook.manifest import MANIFEST_JSON, JobRecord, summary_table
from cda_lib.workbook.stalls import KernelStallError, poll_in_slices

FIXTURES = Path(__file__).parent / "fixtures"
STALLS = "03_fixture_faults/04_stalls_its_kernel.ipynb"
WRITES_FD_1 = "05_fixture_probe/02_writes_to_file_descriptor_1.ipynb"
STALL_SECONDS = 2  # the window under test: far below the timeout
TIMEOUT = 60  # seconds: a stall noticed only at the timeout would make a job last this long
HEARTBEAT_SECONDS = 1  # jupyter_client pings the heartbeat once a second
# A job that stalled, was noticed and ran again: two kernel starts (forked, well under a
# second each), four quick cells twice, the window plus one heartbeat period, a second for
# nbclient to see the killed kernel, and the page. 20 s leaves room on a busy machine and
# is still a third of the timeout.
WITHIN_SECONDS = 20


def build(tmp: Path, *notebooks: str, **changes):
    folder = tmp / "notebooks"
    for notebook in notebooks:
        (folder / notebook).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FIXTURES / "notebooks" / notebook, folder / notebook)
    settings = {"build_root": tmp / "build", "sources": [TeachingModules(folder)],
                "timeout": TIMEOUT, "progress": False, "workers": 2,
                "stall_seconds": STALL_SECONDS}
    settings.update(changes)
    return build_cohort(["alderbank", "brookfield"], CohortOptions(**settings))


@pytest.fixture(scope="module")
def stalled_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stalls")
    markers = tmp / "markers"
    markers.mkdir()
    (markers / "always-brookfield").touch()
    with pytest.MonkeyPatch.context() as patch:
        shutil.copytree(FIXTURES / "cohort", tmp / "project" / "datasets")
        patch.setenv(paths.PROJECT_DIR_VARIABLE, str(tmp / "project"))
        patch.setenv("CDA_FIXTURE_STALL", str(markers))
        result = build(tmp, STALLS)
    return result, markers


def record_for(result, city: str) -> JobRecord:
    return next(r for r in result.records if r.city == city)


def waited_seconds(message: str) -> int:
    return int(re.search(r"sent nothing for (\d+) s", message).group(1))


@pytest.mark.slow
def test_a_silent_kernel_is_noticed_within_the_window_and_retried_in_a_fresh_kernel(
        stalled_build):
    result, markers = stalled_build
    record = record_for(result, "alderbank")
    assert (markers / "stalled-alderbank").exists()  # the first run did stall
    assert record.status == "built", record.message()
    assert "heartbeat" in record.retried
    # Noticed once the kernel had been silent for the window (its heartbeat may answer
    # for up to one more period after the process stops), not at the 60 s timeout.
    assert STALL_SECONDS <= waited_seconds(record.retried) <= STALL_SECONDS + HEARTBEAT_SECONDS + 1
    assert record.duration_seconds < WITHIN_SECONDS
    executed = nbformat.read(result.build_root / "alderbank" / STALLS, as_version=4)
    printed = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code"
                      for o in c.outputs)
    assert "Ran to the end for alderbank" in printed  # the fresh kernel ran every cell


@pytest.mark.slow
def test_a_second_stall_fails_the_job_with_a_plain_message(stalled_build):
    result, _ = stalled_build
    record = record_for(result, "brookfield")
    assert record.status == "failed"
    assert record.retried  # the first stall was retried
    assert record.error_name == "KernelStallError"
    assert record.failed_cell_index == 3  # the fixture's fourth cell, counted by hand
    assert record.duration_seconds < WITHIN_SECONDS
    message = record.message()
    # Which notebook, how long it waited, what it was waiting for.
    assert message.startswith(f"Brookfield: {STALLS} stopped at cell 4 (index 3)")
    assert STALL_SECONDS <= waited_seconds(message) <= STALL_SECONDS + HEARTBEAT_SECONDS + 1
    assert "while the build waited for the cell's result" in message
    assert "twice" in message and "Traceback" not in message


@pytest.mark.slow
def test_the_manifest_and_the_summary_show_the_retries(stalled_build):
    result, _ = stalled_build
    rows = json.loads((result.build_root / MANIFEST_JSON).read_text())["jobs"]
    assert [bool(row["retried"]) for row in rows] == [True, True]
    lines = summary_table(result.records, result.city_names).splitlines()
    assert lines[0].split()[-3:] == ["retried", "skipping", "time"]
    assert lines[1].split()[:6] == ["Alderbank", "1", "0", "0", "0", "1"]
    assert lines[2].split()[:6] == ["Brookfield", "0", "0", "1", "0", "1"]
    assert sum(line.startswith("RETRIED") for line in lines) == 2


def test_a_stall_error_says_what_the_build_waited_for_and_how_long():
    error = KernelStallError("the kernel_info reply after the last cell", 30.4)
    assert str(error) == ("the kernel sent nothing for 30 s while the build waited for the "
                          "kernel_info reply after the last cell")


@pytest.mark.slow
@pytest.mark.skipif(not kernels.FORK_SUPPORTED, reason="kernels are forked on Linux only")
def test_a_forked_kernel_can_write_more_than_a_pipe_holds_to_its_standard_output(
        tmp_path, monkeypatch):
    # Before the fix, a forked kernel's file descriptor 1 was the fork server's pipe to the
    # build, which nobody read after "ready": 256 KiB (four 64 KiB pipes' worth) blocked
    # the cell until the timeout.
    shutil.copytree(FIXTURES / "cohort", tmp_path / "project" / "datasets")
    monkeypatch.setenv(paths.PROJECT_DIR_VARIABLE, str(tmp_path / "project"))
    result = build(tmp_path, WRITES_FD_1, timeout=10, workers=1)
    assert result.manifest.kernels == "forked"
    assert [r.status for r in result.records] == ["built", "built"], \
        [r.message() for r in result.failures]


class ChannelWhoseMessageWaits:
    """A kernel channel whose message has arrived but whose poll was never woken: only a
    poll that ends (times out) looks at the socket and finds it, as pyzmq does."""

    def __init__(self, arrives_after_polls: int | None):
        self.arrives_after_polls = arrives_after_polls
        self.polls: list[float | None] = []

    async def get_msg(self, timeout=None):
        self.polls.append(timeout)
        if timeout is None or timeout > 1:
            raise AssertionError(f"a poll of {timeout} s was passed through unsliced")
        if self.arrives_after_polls is not None and len(self.polls) > self.arrives_after_polls:
            return {"msg_type": "execute_reply"}
        await asyncio.sleep(timeout)  # a poll that is never woken waits out its timeout
        raise Empty


def test_a_wait_on_a_kernel_channel_is_made_of_one_second_polls():
    channel = ChannelWhoseMessageWaits(arrives_after_polls=2)
    poll_in_slices(channel, slice_seconds=0.01)
    # nbclient asks for one 600 s poll: the message that waits is read at the third poll
    reply = asyncio.run(channel.get_msg(timeout=600))
    assert reply == {"msg_type": "execute_reply"}
    assert channel.polls == [0.01, 0.01, 0.01]


def test_a_wait_with_no_end_keeps_polling_in_slices_until_a_message_comes():
    channel = ChannelWhoseMessageWaits(arrives_after_polls=5)
    poll_in_slices(channel, slice_seconds=0.01)
    assert asyncio.run(channel.get_msg(timeout=None)) == {"msg_type": "execute_reply"}
    assert channel.polls == [0.01] * 6


def test_a_sliced_wait_still_ends_empty_at_its_timeout():
    channel = ChannelWhoseMessageWaits(arrives_after_polls=None)
    poll_in_slices(channel, slice_seconds=0.02)
    with pytest.raises(Empty):
        asyncio.run(channel.get_msg(timeout=0.2))
    # several polls, none longer than the slice, and the total no longer than the timeout
    # asked for (how many depends on how long each sleep really took: not asserted, so a
    # busy machine cannot fail it)
    assert len(channel.polls) >= 2
    assert all(0 <= poll <= 0.02 for poll in channel.polls)
    assert sum(channel.polls) <= 0.2 + 1e-9
