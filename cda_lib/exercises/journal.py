"""A participant's exercise journal: every attempt, hint taken and reflection, on this computer.

One small JSON file per participant in the city's workspace
(``build/<city>/workspace/exercises/<participant>.json``). It holds no grades (an
attempt is "correct" or "not yet", never a score) and is never sent anywhere: a
coach collects the files, or the saved notebooks, to see progress.

The file::

    {"format": "cda-exercise-journal", "version": 1, "city": "riverbend",
     "participant": "Ana Ruiz",
     "events": [{"at": "2026-11-22T10:01:02", "exercise": "0.1", "event": "attempt",
                 "status": "not yet", "mistake": "whole period", "answer": "28,414"},
                {"at": "...", "exercise": "0.1", "event": "hint", "tier": 1},
                {"at": "...", "exercise": "0.8", "event": "reflection", "text": "..."}]}

>>> import tempfile
>>> journal = Journal.for_participant(tempfile.mkdtemp(), city="riverbend", participant="Ana Ruíz")
>>> journal.path.name
'ana-ruiz.json'
>>> journal.add({"exercise": "0.1", "event": "hint", "tier": 1})
>>> [event["tier"] for event in journal.events()]
[1]
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cda_lib.core import paths
from cda_lib.core.files import write_text_atomically
from cda_lib.exercises.errors import JournalError

JOURNAL_FORMAT = "cda-exercise-journal"
JOURNAL_VERSION = 1
JOURNAL_FOLDER = "exercises"  # inside the city's workspace folder
PARTICIPANT_VARIABLE = "CDA_PARTICIPANT"  # a hub can set each participant's name here
EVENTS = ("attempt", "hint", "reflection")
ANSWER_LIMIT = 2000  # characters kept of an answer; reflections are a few sentences


def default_participant() -> str:
    """Who is answering when the notebook does not say: $CDA_PARTICIPANT, else the login name."""
    named = os.environ.get(PARTICIPANT_VARIABLE, "").strip()
    if named:
        return named
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still a usable file name
        return "participant"


def participant_slug(name: str) -> str:
    """A file name for a participant: lower case, plain letters, dashes.

    >>> participant_slug("  Ana Ruíz "), participant_slug("José da Silva"), participant_slug("??")
    ('ana-ruiz', 'jose-da-silva', 'participant')
    """
    plain = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return slug[:60] or "participant"


def journal_folder(city_id: str) -> Path:
    """Where a city's participants' journals are kept."""
    return paths.workspace_dir(city_id) / JOURNAL_FOLDER


def now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


@dataclass(frozen=True)
class JournalFile:
    """A journal as read from disk: whose it is, and what it holds."""

    path: Path
    city: str
    participant: str
    events: list[dict[str, Any]]
    unreadable: int = 0  # entries that were not events this version understands


class Journal:
    """Append events to one participant's journal file (written atomically, as JSON)."""

    def __init__(self, path: str | Path, *, city: str, participant: str):
        self.path = Path(path)
        self.city = city
        self.participant = participant

    @classmethod
    def for_participant(cls, folder: str | Path, *, city: str, participant: str) -> Journal:
        """The journal of ``participant`` inside ``folder`` (a city's journal folder)."""
        return cls(Path(folder) / f"{participant_slug(participant)}.json", city=city,
                   participant=participant)

    def events(self) -> list[dict[str, Any]]:
        """Everything readable recorded so far; an empty list when nothing is."""
        if not self.path.exists():
            return []
        return read_journal(self.path).events

    def add(self, event: dict[str, Any]) -> None:
        """Record one event (``exercise``, ``event`` and its details); adds the time.

        A damaged journal is moved aside (``<name>.damaged-<time>.json``, for the coach
        to look at) and a new one started, so recording never stops a participant; a
        journal with some unreadable entries is copied aside before it is rewritten.
        """
        events: list[dict[str, Any]] = []
        if self.path.exists():
            try:
                found = read_journal(self.path)
            except JournalError:
                os.replace(self.path, self._damaged_path())
            else:
                events = found.events
                if found.unreadable:  # keep the original, with the entries we cannot read
                    shutil.copyfile(self.path, self._damaged_path())
        events.append({"at": now(), **_short(event)})
        content = {"format": JOURNAL_FORMAT, "version": JOURNAL_VERSION, "city": self.city,
                   "participant": self.participant, "events": events}
        write_text_atomically(self.path, json.dumps(content, indent=1, ensure_ascii=False))


    def _damaged_path(self) -> Path:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        return self.path.with_name(f"{self.path.stem}.damaged-{stamp}.json")


def _short(event: dict[str, Any]) -> dict[str, Any]:
    return {key: value[:ANSWER_LIMIT] if isinstance(value, str) else value
            for key, value in event.items()}


def read_journal(path: str | Path) -> JournalFile:
    """Read a journal file; :class:`JournalError` says what is wrong with a damaged one."""
    path = Path(path)
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise JournalError(f"{path.name} is damaged: it is not readable JSON. Keep it for the "
                           "record; the participant's saved notebook may still show progress."
                           ) from None
    if not isinstance(content, dict) or content.get("format") != JOURNAL_FORMAT:
        raise JournalError(f"{path.name} is not an exercise journal (it has no "
                           f'"format": "{JOURNAL_FORMAT}").')
    events = content.get("events")
    city, participant = content.get("city"), content.get("participant")
    if not isinstance(events, list) or not isinstance(city, str) or not isinstance(participant,
                                                                                   str):
        raise JournalError(f"{path.name} is damaged: its city, participant or events are "
                           "missing. Keep it for the record.")
    usable = [e for e in events if isinstance(e, dict) and e.get("event") in EVENTS
              and isinstance(e.get("exercise"), str)]
    return JournalFile(path=path, city=city, participant=participant, events=usable,
                       unreadable=len(events) - len(usable))


def is_journal(content: Any) -> bool:
    """True for parsed JSON that claims to be a journal."""
    return isinstance(content, dict) and content.get("format") == JOURNAL_FORMAT
