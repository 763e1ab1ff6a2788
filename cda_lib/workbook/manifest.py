"""The record of a build: ``build/manifest.json`` and ``build/manifest.csv``, and its summary.

One row per job: the city, the notebook, what happened (built, up to date, failed,
interrupted, not started), how long it took and, for a failure, the failing cell's index
in the source notebook, the error's name and message, and the partly run notebook kept
for diagnosis; for a job whose kernel stalled, why it was retried. The manifest is
rewritten as jobs finish, so even a build that is stopped hard leaves an account of what
it finished.

>>> record = JobRecord("riverbend", "00_welcome/01_intro.ipynb", "failed", 1.5,
...                    failed_cell_index=3, error_name="ValueError", error_message="no")
>>> record.problem()
'stopped at cell 4 (index 3) with ValueError: no'
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from cda_lib.core.files import write_text_atomically
from cda_lib.workbook.skips import outcome_words, skips_text

MANIFEST_JSON = "manifest.json"
MANIFEST_CSV = "manifest.csv"
MANIFEST_VERSION = 1

BUILT = "built"
UP_TO_DATE = "up-to-date"  # its inputs had not changed: the earlier output was kept
FAILED = "failed"
INTERRUPTED = "interrupted"  # it was running when the build was stopped
NOT_STARTED = "not-started"  # the build was stopped before it began
STATUSES = (BUILT, UP_TO_DATE, FAILED, INTERRUPTED, NOT_STARTED)


@dataclass
class JobRecord:
    """What happened to one job. Paths are relative to the build folder."""

    city: str
    notebook: str
    status: str
    duration_seconds: float = 0.0
    kind: str = "module"
    output: str | None = None
    page: str | None = None
    failed_cell_index: int | None = None
    error_name: str = ""
    error_message: str = ""
    failed_notebook: str | None = None
    inputs_hash: str = ""
    started_at: str | None = None
    city_name: str = ""
    retried: str = ""  # why it was run a second time, in a fresh kernel ('' when it was not)
    # The sections the city's data could not run (cda_lib.workbook.skips): each with its
    # title and the sentence the page shows in its place.
    skipped_sections: list[dict[str, Any]] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        """"built", "built with sections skipped", "up-to-date", "failed" ..."""
        return outcome_words(self.status, self.skipped_sections)

    @property
    def ok(self) -> bool:
        return self.status in (BUILT, UP_TO_DATE)

    def problem(self) -> str:
        """What went wrong, in one line ('' when nothing did)."""
        if self.status in (INTERRUPTED, NOT_STARTED):
            return "the build was stopped before this notebook finished"
        if self.status != FAILED:
            return ""
        error = f"{self.error_name}: {self.error_message}" if self.error_message else \
            self.error_name
        if self.failed_cell_index is None:
            return f"could not run ({error})"
        cell = self.failed_cell_index
        return f"stopped at cell {cell + 1} (index {cell}) with {error}"

    def message(self, build_root: Path | None = None, city_name: str | None = None) -> str:
        """The failure in full: city, notebook, cell, error and where the partly run
        notebook is kept."""
        name = city_name or self.city_name or self.city
        text = f"{name}: {self.notebook} {self.problem()}."
        if self.failed_notebook:
            kept = (Path(build_root) / self.failed_notebook) if build_root else \
                self.failed_notebook
            text += f" The partly run notebook is kept at {kept}; open it to see the full error."
        return text


@dataclass
class Manifest:
    """A build's manifest: when and how it ran, the state of each city's data, every job."""

    started_at: str
    command: str = ""
    workers: int = 1
    kernels: str = ""
    cda_lib: str = ""
    finished_at: str | None = None
    interrupted: bool = False
    cities: dict[str, dict[str, Any]] = field(default_factory=dict)
    jobs: list[JobRecord] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        if self.interrupted:
            return "interrupted"
        return "failed" if any(job.status == FAILED for job in self.jobs) else "ok"

    def totals(self) -> dict[str, int]:
        counts = Counter(job.status for job in self.jobs)
        return {status: counts.get(status, 0) for status in STATUSES}

    def as_dict(self) -> dict[str, Any]:
        return {
            "manifest_version": MANIFEST_VERSION,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "outcome": self.outcome,
            "command": self.command,
            "workers": self.workers,
            "kernels": self.kernels,
            "cda_lib": self.cda_lib,
            "totals": self.totals(),
            "cities": self.cities,
            "jobs": [_row(job) for job in self.jobs],
        }

    def write(self, build_root: Path) -> Path:
        """Write ``manifest.json`` and ``manifest.csv`` into ``build_root``; return the JSON."""
        build_root.mkdir(parents=True, exist_ok=True)
        path = build_root / MANIFEST_JSON
        write_text_atomically(path, json.dumps(self.as_dict(), indent=2, ensure_ascii=False))
        write_text_atomically(build_root / MANIFEST_CSV, records_csv(self.jobs))
        return path


def records_csv(records: Iterable[JobRecord]) -> str:
    """The job records as CSV text, one row per job, in the manifest's column order."""
    columns = [f.name for f in fields(JobRecord)] + ["outcome"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: "" if v is None else v for k, v in _csv_row(record).items()})
    return out.getvalue()


def _row(record: JobRecord) -> dict[str, Any]:
    row = asdict(record)
    row["duration_seconds"] = round(record.duration_seconds, 3)  # milliseconds are plenty
    row["outcome"] = record.outcome
    return row


def _csv_row(record: JobRecord) -> dict[str, Any]:
    row = _row(record)
    row["skipped_sections"] = skips_text(record.skipped_sections)
    return row


def read_manifest(build_root: Path) -> dict[str, Any] | None:
    """The last manifest written into ``build_root``, or None."""
    path = Path(build_root) / MANIFEST_JSON
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def now() -> str:
    """The time now, as the manifest writes it."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def summary_table(records: Sequence[JobRecord], cities: dict[str, str]) -> str:
    """A short table, one line per city, then one line per retried or failed notebook.

    ``cities`` maps city ids to names, in the order to show them. A notebook run a second
    time because its kernel stalled is counted as retried (and as built or failed).

    A notebook built with sections skipped is counted as built and under "skipping", and
    its skipped sections are named on a line of their own.

    >>> rows = [JobRecord("a", "00_x/01_y.ipynb", "built", 2.0, retried="it stalled",
    ...                   skipped_sections=[{"title": "The map", "reason": "..."}]),
    ...         JobRecord("a", "00_x/02_z.ipynb", "failed", 1.0, error_name="KeyError")]
    >>> print(summary_table(rows, {"a": "Alpha"}))
    city                built  up to date  failed  stopped  retried  skipping  time
    Alpha                   1           0       1        0        1         1  3.0 s
    RETRIED Alpha: 00_x/01_y.ipynb ran again in a fresh kernel: it stalled.
    SKIPPED Alpha: 00_x/01_y.ipynb built with sections skipped: The map.
    FAILED  Alpha: 00_x/02_z.ipynb could not run (KeyError).
    """
    by_city: dict[str, list[JobRecord]] = {city: [] for city in cities}
    for record in records:
        by_city.setdefault(record.city, []).append(record)
    lines = [f"{'city':<18}{'built':>7}{'up to date':>12}{'failed':>8}{'stopped':>9}"
             f"{'retried':>9}{'skipping':>10}  time"]
    for city, rows in by_city.items():
        counts = Counter(row.status for row in rows)
        seconds = sum(row.duration_seconds for row in rows)
        stopped = counts[INTERRUPTED] + counts[NOT_STARTED]
        retried = sum(1 for row in rows if row.retried)
        skipping = sum(1 for row in rows if row.ok and row.skipped_sections)
        name = cities.get(city, city)
        lines.append(f"{name[:18]:<18}{counts[BUILT]:>7}{counts[UP_TO_DATE]:>12}"
                     f"{counts[FAILED]:>8}{stopped:>9}{retried:>9}{skipping:>10}  "
                     f"{seconds:.1f} s")
    for record in records:
        if record.retried:
            name = cities.get(record.city) or record.city_name or record.city
            lines.append(f"RETRIED {name}: {record.notebook} ran again in a fresh kernel: "
                         f"{record.retried}.")
    for record in records:
        if record.ok and record.skipped_sections:
            name = cities.get(record.city) or record.city_name or record.city
            titles = ", ".join(skip["title"] for skip in record.skipped_sections)
            lines.append(f"SKIPPED {name}: {record.notebook} built with sections skipped: "
                         f"{titles}.")
    for record in records:
        if record.status == FAILED:
            lines.append(f"FAILED  {record.message(city_name=cities.get(record.city))}")
    return "\n".join(lines)
