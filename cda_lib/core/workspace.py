"""A city's workspace: what its notebooks record (scores, targets, choices) for later modules.

Each record has a key declared in :data:`cda_lib.core.records.RECORDS`, a value of the
declared shape (a number, text, a table ...) and the module that recorded it, so a later
module can say "run module 0.2 first" instead of failing. Records live in
``build/<city>/workspace/records.json``.

>>> ws = Workspace("riverbend", folder=__import__("tempfile").mkdtemp())
>>> ws.record("requests_last_12_months", 14210)
>>> ws.read("requests_last_12_months"), ws.records().loc[0, "module"]
(14210, '0.2')
"""

from __future__ import annotations

import datetime as dt
import html
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cda_lib.core import paths
from cda_lib.core.errors import WorkspaceError
from cda_lib.core.files import write_text_atomically
from cda_lib.core.modules import ModuleIdError, module_id
from cda_lib.core.record_fields import FIELD_LABELS, HIDDEN_FIELDS, PERIOD_FIELDS, SHARE_FIELDS
from cda_lib.core.records import RECORDS, SHARE, RecordSpec, check_record, declared
from cda_lib.text.translation import gettext as _, ngettext

if TYPE_CHECKING:
    import pandas as pd

RECORDS_FILE = "records.json"


class Workspace:
    """Read and write one city's records."""

    def __init__(self, city_id: str, folder: str | Path | None = None):
        self.city_id = city_id
        self.folder = Path(folder) if folder is not None else paths.workspace_dir(city_id)

    @property
    def path(self) -> Path:
        return self.folder / RECORDS_FILE

    def _load(self) -> dict[str, dict[str, Any]]:
        if not self.path.exists():
            return {}
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            raise WorkspaceError(_(
                "{city}'s workspace file {path} is damaged. Delete it and run the modules again "
                "to record their results afresh.", city=self.city_id, path=str(self.path))
            ) from None

    def record(self, key: str, value: Any, *, module: str | None = None) -> None:
        """Save ``value`` under the declared ``key``.

        ``module`` (any spelling of its id) defaults to the key's owner; a key nobody
        declares, a value of the wrong shape or a module that does not own the key is
        refused before anything is written.
        """
        value = _to_json(value)
        spec = check_record(key, value, module)
        records = self._load()
        records[key] = {
            "value": value,
            "module": spec.module,
            "recorded_at": dt.datetime.now().isoformat(timespec="seconds"),
        }
        write_text_atomically(self.path, json.dumps(records, indent=2, ensure_ascii=False))

    def read(self, key: str) -> Any:
        """The value recorded under ``key``; a clear error says which module to run if absent.

        A key nobody declares is an error naming the declared keys.
        """
        spec = declared(key)
        records = self._load()
        if key not in records:
            raise WorkspaceError(_(
                '{city}\'s workspace has nothing recorded as "{key}" yet: module {module} '
                "records it. Run module {module} first, then this again.", city=self.city_id,
                key=key, module=spec.module))
        return records[key]["value"]

    def records(self) -> pd.DataFrame:
        """Everything recorded so far: key, value, module (its id as "1.5"), when."""
        import pandas as pd

        rows = [{"key": key, **entry, "module": _spelt_today(entry.get("module"))}
                for key, entry in sorted(self._load().items())]
        return pd.DataFrame(rows, columns=["key", "value", "module", "recorded_at"])

    def recorded(self, module: str | None = None) -> RecordedView:
        """What is recorded, as a page shows it: each record's meaning and value in words
        (a table's row count, a share as a percentage), in the page's language; only
        ``module``'s records when it is given.

        >>> import tempfile
        >>> workspace = Workspace("riverbend", tempfile.mkdtemp())
        >>> workspace.record("share_of_rows_set_aside", 0.25)
        >>> print(workspace.recorded())
        0.2 · Share of the rows read that the load set aside as unusable: 25%
        """
        wanted = module_id(module) if module is not None else None
        rows = []
        for key, entry in sorted(self._load().items(), key=lambda item: item[1].get("module", "")):
            spec = RECORDS.get(key)
            owner = _spelt_today(entry.get("module"))
            if wanted is not None and owner != wanted:
                continue
            rows.append((str(owner), _(spec.description).rstrip(".") if spec else key,
                         shown_value(entry.get("value"), spec)))
        return RecordedView(rows)


class RecordedView:
    """The records of a workspace as a short table: module, what it is, its value."""

    def __init__(self, rows: list[tuple[str, str, str]]):
        self.rows = rows

    def __str__(self) -> str:
        if not self.rows:
            return _("Nothing is recorded yet.")
        return "\n".join(f"{module} · {meaning}: {value}" for module, meaning, value in self.rows)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        if not self.rows:
            return f"<p>{html.escape(str(self))}</p>"
        head = "".join(f'<th scope="col">{html.escape(heading)}</th>'
                       for heading in (_("Module"), _("What is recorded"), _("Value")))
        body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row)
                       + "</tr>" for row in self.rows)
        return (f'<table class="cda-records"><thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>")


def shown_value(value: Any, spec: RecordSpec | None) -> str:
    """A recorded value in words: a share as a percentage, a table as its row count, named
    values by their sentence (a ``headline`` or ``summary`` field) or as "label: value"
    pairs in the page's language (:mod:`cda_lib.core.record_fields`), nothing recorded as
    such.

    >>> shown_value([{"a": 1}, {"a": 2}], None), shown_value(None, None)
    ('a table of 2 rows', "none: this city's data could not give it")
    >>> shown_value(0.059132, None), shown_value(1.25, None), shown_value(28414, None)
    ('0.059', '1.25', '28,414')
    >>> shown_value({"period": "2025Q4", "still_open": 379, "on_time_share": 0.68}, None)
    'period: Q4 2025; still open: 379; on-time share: 68%'
    """
    from cda_lib.text.numbers import format_number, format_percent

    if value is None:
        return _("none: this city's data could not give it")
    if isinstance(value, list):
        if value and all(isinstance(item, str) for item in value):
            return _short("; ".join(value))
        return ngettext("a table of {count:,} row", "a table of {count:,} rows", len(value))
    if isinstance(value, dict):
        return _named_values(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (int, float)):
        if spec is not None and str(spec.shape) == str(SHARE):
            return format_percent(value)
        if isinstance(value, float) and abs(value) < 100:  # a ratio or a score: 0.059, 1.25
            return format_number(value, 3).rstrip("0").rstrip(".,") or "0"
        return format_number(value)
    return _short(str(value))


def _short(text: str) -> str:
    return text if len(text) <= 160 else text[:157] + "…"


def _named_values(value: dict) -> str:
    """A set of named values: its own sentence when it has one, else its labelled values."""
    from cda_lib.text.dates import describe_period
    from cda_lib.text.numbers import format_percent

    for sentence in ("headline", "summary"):
        said = value.get(sentence)
        if isinstance(said, str) and said:
            return _short(said)
        if isinstance(said, list) and said and all(isinstance(s, str) for s in said):
            return _short(" ".join(said))
    pairs = []
    for name, item in value.items():
        if name in HIDDEN_FIELDS:
            continue
        label = _(FIELD_LABELS[name]) if name in FIELD_LABELS else name.replace("_", " ")
        if name in SHARE_FIELDS and isinstance(item, float):
            shown = format_percent(item)
        elif name in PERIOD_FIELDS and isinstance(item, str):
            shown = describe_period(item)
        else:
            shown = shown_value(item, None)
        pairs.append(f"{label}: {shown}")
    return _short("; ".join(pairs))


def _spelt_today(module: Any) -> Any:
    """A module id as written today ("1_lead/05" in an older workspace reads as "1.5")."""
    try:
        return module_id(module)
    except ModuleIdError:
        return module  # a spelling no version wrote: shown as it is rather than refused


def _to_json(value: Any) -> Any:
    pd = sys.modules.get("pandas")  # a table can only be one when pandas is in use
    if pd is not None and isinstance(value, pd.DataFrame):
        return json.loads(value.to_json(orient="records", date_format="iso"))
    if pd is not None and isinstance(value, pd.Series):
        return json.loads(value.to_json(date_format="iso"))
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return value.item()
    try:
        json.dumps(value)
    except TypeError:
        raise WorkspaceError(_(
            "A workspace can record numbers, text, lists and tables, not {kind}. Record a "
            "simpler value, such as a number or a table.", kind=type(value).__name__)) from None
    return value
