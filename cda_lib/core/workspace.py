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
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cda_lib.core import paths
from cda_lib.core.errors import WorkspaceError
from cda_lib.core.files import write_text_atomically
from cda_lib.core.modules import ModuleIdError, module_id
from cda_lib.core.records import check_record, declared
from cda_lib.text.translation import gettext as _

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
