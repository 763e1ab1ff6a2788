"""Run a few lines of Python in a child process with a memory ceiling and a time limit.

For tests whose failure would otherwise eat the machine's memory, such as an alias bomb
that is expanded instead of refused: in a child capped at 1 GiB, a regression ends in a
MemoryError (or the time limit) there, and the test fails, instead of the whole test run
swapping.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# 1 GiB of address space: importing the workbook's loaders (pandas included) takes about
# 0.4 GiB, and the alias bombs in fixtures/yaml_bombs need many gigabytes once expanded.
MEMORY_CEILING_BYTES = 1 << 30


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CEILING_BYTES, MEMORY_CEILING_BYTES))


def run_capped(code: str, timeout_seconds: float = 60) -> subprocess.CompletedProcess:
    """Run ``code`` with this worktree's cda_lib first on the path; its output is text."""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=timeout_seconds, env=environment, cwd=ROOT,
                          preexec_fn=_cap_memory, check=False)


def time_refusal(call: str, error: str) -> str:
    """Code that times ``call`` and prints ``<seconds> <error name>: <message>`` if it raises
    ``error`` (a name in cda_lib.core.errors), or ``<seconds> returned`` if it does not."""
    return (
        "import time\n"
        f"from cda_lib.core.errors import {error}\n"
        "from cda_lib.cities.loader import load_city\n"
        "from cda_lib.sources.mapping import load_mapping\n"
        "started = time.perf_counter()\n"
        "try:\n"
        f"    {call}\n"
        "    outcome = 'returned'\n"
        f"except {error} as refused:\n"
        "    outcome = f'{type(refused).__name__}: {refused}'\n"
        "print(f'{time.perf_counter() - started:.3f} {outcome}')\n"
    )
