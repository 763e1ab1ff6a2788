"""The coach's progress report: who has done which exercise, with hints and reflections.

``write_progress_report(folders, out_dir)`` reads participants' exercise journals
(``build/<city>/workspace/exercises/*.json``) and saved participant notebooks, from one
or several folders and cities, and writes a per-person × exercise table as
``progress.csv`` and an offline ``progress.html`` page: for each exercise, not started,
tried or done, with the tries, the hints used, the most common mistakes and the
reflections. A missing folder or a damaged file is reported, never fatal.

Journals and notebooks complement each other: a journal records every attempt,
including no-code widgets, while a notebook saved with its outputs keeps the last
check of each cell (its feedback carries a small JSON record). When both exist for
the same person, a status is the best seen and tries and hints the most seen.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pandas as pd

from cda_lib.core.files import write_text_atomically
from cda_lib.core.pages import render_page
from cda_lib.exercises import catalog
from cda_lib.exercises.authoring import COPY_METADATA
from cda_lib.exercises.errors import JournalError
from cda_lib.exercises.feedback import (
    CORRECT,
    FEEDBACK_MIME,
    HINT_MIME,
    NOT_STARTED,
    SAVED,
)
from cda_lib.exercises.journal import is_journal, participant_slug, read_journal
from cda_lib.exercises.kinds import Reflection
from cda_lib.exercises.session import DONE, NOT_STARTED_YET, TRIED
from cda_lib.text.dates import format_date
from cda_lib.text.translation import N_, gettext as _, ngettext

CSV_NAME = "progress.csv"
HTML_NAME = "progress.html"
LONG_COLUMNS = ["city", "participant", "exercise", "title", "status", "tries", "hints",
                "reflection", "mistakes", "last_activity"]
SKIPPED_FOLDERS = (".ipynb_checkpoints", "__pycache__")


@dataclass
class _Source:
    """What one file says about one participant."""

    path: Path
    city: str
    participant: str
    events: list[dict]


@dataclass
class ProgressReport:
    """Progress per participant and exercise, and what could not be read."""

    table: pd.DataFrame
    problems: list[str] = field(default_factory=list)
    journals: int = 0
    notebooks: int = 0
    csv_path: Path | None = None
    html_path: Path | None = None

    @property
    def participants(self) -> pd.DataFrame:
        return self.table[["city", "participant"]].drop_duplicates()

    def wide(self) -> pd.DataFrame:
        """One row per participant: totals, then status, tries and hints per exercise."""
        return _wide(self.table)

    def summary_lines(self) -> list[str]:
        """Plain sentences for the command line: what was read, written, and what failed."""
        people = self.participants
        cities = sorted(people["city"].unique())
        read = _("Read {journals} and {notebooks}: {participants} in {cities}",
                 journals=ngettext("{count:,} journal", "{count:,} journals", self.journals),
                 notebooks=ngettext("{count:,} saved notebook", "{count:,} saved notebooks",
                                    self.notebooks),
                 participants=ngettext("{count:,} participant", "{count:,} participants",
                                       len(people)),
                 cities=ngettext("{count:,} city", "{count:,} cities", len(cities)))
        read += f" ({', '.join(cities)})." if cities else "."
        lines = [read]
        if self.csv_path is not None:
            lines.append(_("Wrote {csv} and {html}.", csv=str(self.csv_path),
                           html=str(self.html_path)))
        if self.problems:
            lines.append(ngettext("{count:,} file could not be used:",
                                  "{count:,} files could not be used:", len(self.problems)))
            lines += [f"  {problem}" for problem in self.problems]
        return lines


# --- reading -------------------------------------------------------------------------------


def read_progress(folders: str | Path | Iterable[str | Path]) -> ProgressReport:
    """Read every journal and saved exercise notebook under ``folders`` (none is written)."""
    folders = [folders] if isinstance(folders, (str, Path)) else list(folders)
    sources: list[_Source] = []
    problems: list[str] = []
    counts = Counter()
    for folder in folders:
        folder = Path(folder)
        if not folder.exists():
            problems.append(_("{path}: there is no such folder or file; it was skipped.",
                              path=str(folder)))
            continue
        found = _files(folder)
        for path in found:
            kind, read = _read_file(path, problems)
            counts[kind] += bool(read)
            sources += read
    table = _progress_table(sources)
    return ProgressReport(table=table, problems=problems, journals=counts["journal"],
                          notebooks=counts["notebook"])


def _files(folder: Path) -> list[Path]:
    if folder.is_file():
        return [folder]
    files = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if any(part in SKIPPED_FOLDERS or part.startswith(".") for part in relative):
            continue  # checkpoints, and half-written scratch files of atomic writes
        if path.is_file() and path.suffix in {".json", ".ipynb"}:
            files.append(path)
    return files


def _read_file(path: Path, problems: list[str]) -> tuple[str, list[_Source]]:
    if path.suffix == ".ipynb":
        return "notebook", _read_notebook(path, problems)
    if ".damaged-" in path.name:
        problems.append(_("{path}: a damaged journal the workbook set aside; its participant "
                          "started a new one, which is read instead.", path=str(path)))
        return "journal", []
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        problems.append(_("{path}: damaged (not readable JSON); skipped.", path=str(path)))
        return "journal", []
    except OSError as error:
        problems.append(_("{path}: could not be opened ({problem}); skipped.", path=str(path),
                          problem=str(error.strerror)))
        return "journal", []
    if not is_journal(content):
        return "other", []  # other workspace files (records.json, generation.json)
    try:
        journal = read_journal(path)
    except JournalError as error:
        problems.append(f"{path}: {error}")
        return "journal", []
    if journal.unreadable:
        problems.append(_("{path}: {count} of its entries could not be read; the others were "
                          "used.", path=str(path), count=journal.unreadable))
    return "journal", [_Source(path, journal.city, journal.participant, journal.events)]


def _read_notebook(path: Path, problems: list[str]) -> list[_Source]:
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as error:  # nbformat raises several kinds for a damaged file
        problems.append(_("{path}: not a readable notebook ({problem}); skipped.",
                          path=str(path), problem=type(error).__name__))
        return []
    copy = notebook.metadata.get(COPY_METADATA, {}).get("copy")
    if copy == "coach":
        return []  # the coach's own copy holds no participant's work
    by_person: dict[tuple[str, str], list[dict]] = {}
    fallback_city = notebook.metadata.get("papermill", {}).get("parameters", {}).get("city", "")
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            record, event = _event_from_output(output.get("data", {}))
            if event is None:
                continue
            key = (record.get("city") or fallback_city or "unknown city",
                   record.get("participant") or path.stem)
            by_person.setdefault(key, []).append(event)
    if not by_person:
        if copy == "participant":
            problems.append(_("{path}: a participant's copy with no checked answers saved in "
                              "it (was it run and saved?); nothing to read.", path=str(path)))
        return []
    return [_Source(path, city, person, events) for (city, person), events in by_person.items()]


def _event_from_output(data: dict) -> tuple[dict, dict | None]:
    if FEEDBACK_MIME in data:
        record = data[FEEDBACK_MIME]
        status = record.get("status", "")
        if status == NOT_STARTED or "exercise_id" not in record:
            return record, None
        if status == SAVED:
            return record, {"exercise": record["exercise_id"], "event": "reflection",
                            "text": record.get("answer", "")}
        return record, {"exercise": record["exercise_id"], "event": "attempt", "status": status,
                        "mistake": record.get("mistake", "")}
    if HINT_MIME in data:
        record = data[HINT_MIME]
        if "exercise_id" in record:
            return record, {"exercise": record["exercise_id"], "event": "hint",
                            "tier": int(record.get("tier", 1))}
    return {}, None


# --- summarising ---------------------------------------------------------------------------


def _progress_table(sources: list[_Source]) -> pd.DataFrame:
    people: dict[tuple[str, str], list[_Source]] = {}
    names: dict[tuple[str, str], str] = {}
    for source in sources:
        key = (source.city, participant_slug(source.participant))
        people.setdefault(key, []).append(source)
        names.setdefault(key, source.participant)
    titles = {exercise.id: _(exercise.title) for exercise in catalog.all_exercises()}
    reflective = {e.id for e in catalog.all_exercises() if isinstance(e.kind, Reflection)}
    seen = {event["exercise"] for source in sources for event in source.events}
    ids = sorted(set(titles) | seen, key=catalog.sort_key)
    rows = []
    for key in sorted(people, key=lambda k: (k[0], names[k].casefold())):
        for exercise_id in ids:
            row = _exercise_row(people[key], exercise_id, exercise_id in reflective)
            rows.append({"city": key[0], "participant": names[key], "exercise": exercise_id,
                         "title": titles.get(exercise_id,
                                             _("(not in this version of the workbook)")),
                         **row})
    return pd.DataFrame(rows, columns=LONG_COLUMNS)


def _exercise_row(sources: list[_Source], exercise_id: str, reflective: bool) -> dict:
    tries, hints, done, mistakes, reflections, times = 0, 0, False, Counter(), [], []
    for source in sources:
        events = [e for e in source.events if e.get("exercise") == exercise_id]
        answers = [e for e in events if e["event"] in {"attempt", "reflection"}]
        tries = max(tries, len(answers))
        hints = max([hints] + [int(e.get("tier", 0)) for e in events if e["event"] == "hint"])
        done = done or any(e["event"] == "reflection" or e.get("status") == CORRECT
                           for e in answers)
        mistakes.update(e["mistake"] for e in answers if e.get("mistake"))
        reflections += [e.get("text", "") for e in answers if e["event"] == "reflection"]
        times += [e["at"] for e in events if isinstance(e.get("at"), str)]
    status = DONE if done else TRIED if tries else NOT_STARTED_YET
    return {"status": status, "tries": tries, "hints": hints,
            "reflection": reflections[-1] if reflective and reflections else "",
            "mistakes": dict(mistakes.most_common()),
            "last_activity": max(times) if times else ""}


def _wide(table: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (city, participant), group in table.groupby(["city", "participant"], sort=False):
        row = {"city": city, "participant": participant,
               "done": int((group["status"] == DONE).sum()),
               "tried": int((group["status"] == TRIED).sum()),
               "not started": int((group["status"] == NOT_STARTED_YET).sum()),
               "hints used": int(group["hints"].sum()),
               "last activity": max(group["last_activity"], default="")}
        for item in group.itertuples(index=False):
            row[f"{item.exercise} status"] = item.status
            row[f"{item.exercise} tries"] = item.tries
            row[f"{item.exercise} hints"] = item.hints
            if item.reflection:
                row[f"{item.exercise} reflection"] = item.reflection
        rows.append(row)
    return pd.DataFrame(rows)


# --- writing -------------------------------------------------------------------------------


def write_progress_report(folders: str | Path | Iterable[str | Path],
                          out_dir: str | Path) -> ProgressReport:
    """Read ``folders`` and write ``progress.csv`` and ``progress.html`` into ``out_dir``.

    Returns the :class:`ProgressReport`; ``summary_lines()`` says what was read and
    written, and lists every file that could not be used.
    """
    report = read_progress(folders)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report.csv_path, report.html_path = out_dir / CSV_NAME, out_dir / HTML_NAME
    write_text_atomically(report.csv_path, report.wide().to_csv(index=False))
    write_text_atomically(report.html_path, progress_html(report))
    return report


# Each status's cell: its background colour (pale, so the words stay readable) and its words.
_CELL = {DONE: ("#eaf7f2", N_("done")), TRIED: ("#fff6e5", N_("tried")),
         NOT_STARTED_YET: ("#f4f4f4", N_("not started"))}


def progress_html(report: ProgressReport) -> str:
    """The report as one self-contained, offline HTML page (no scripts, no outside files)."""
    now = dt.datetime.now()
    return render_page(
        "pages/progress.html.j2", report=report,
        when=_("{date}, {time}", date=format_date(now, "long"), time=now.strftime("%H:%M")),
        cities=[_city_section(str(city), group)
                for city, group in report.table.groupby("city", sort=True)])


def _city_section(city: str, group: pd.DataFrame) -> dict:
    """One city's part of the page: a participant x exercise table, where the group is
    stuck, and what participants wrote."""
    exercises = list(dict.fromkeys(group["exercise"]))
    titles = dict(zip(group["exercise"], group["title"], strict=False))
    people = []
    for participant, person in group.groupby("participant", sort=False):
        cells = []
        for item in person.itertuples(index=False):
            colour, word = _CELL[item.status]
            detail = []
            if item.tries:
                detail.append(ngettext("{count:,} try", "{count:,} tries", item.tries))
            if item.hints:
                detail.append(ngettext("{count:,} hint", "{count:,} hints", item.hints))
            cells.append((colour, _(word), ", ".join(detail)))
        people.append((str(participant), cells))
    written = group[group["reflection"] != ""]
    return {"city": city, "exercises": [(e, titles[e]) for e in exercises], "people": people,
            "stuck": _stuck(group, exercises, titles),
            "reflections": [(str(r.participant), r.exercise, r.reflection)
                            for r in written.itertuples(index=False)]}


def _stuck(group: pd.DataFrame, exercises: list[str], titles: dict[str, str]) -> list[tuple]:
    """Per exercise: its name, how many are done, tried and not started, the hints used
    and the two most common mistakes."""
    rows = []
    for exercise_id in exercises:
        mine = group[group["exercise"] == exercise_id]
        counts = mine["status"].value_counts()
        mistakes = Counter()
        for made in mine["mistakes"]:
            mistakes.update(made)
        common = ", ".join(f"{name} ({n})" for name, n in mistakes.most_common(2)) or _("none")
        rows.append((f"{exercise_id} {titles[exercise_id]}", counts.get(DONE, 0),
                     counts.get(TRIED, 0), counts.get(NOT_STARTED_YET, 0),
                     int(mine["hints"].sum()), common))
    return rows
