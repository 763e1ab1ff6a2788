"""The corpus of awkward exports (``tests/fixtures/corpus/cases.yaml``), run through a loader.

:func:`load_cases` reads the table of cases; :func:`run_case` loads one case's file with
the ordinary pandas loader or the on-disk DuckDB loader and returns what came of it: the
load (its account, kept rows and set-aside rows) or the workbook's own error. Any other
exception is kept with its traceback, for the test to fail on: none may reach a user.
Used by ``tests/test_corpus.py`` and ``scripts/corpus_table.py``.
"""

from __future__ import annotations

import copy
import importlib.util
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from cda_lib.core.account import AccountReport
from cda_lib.core.errors import CdaError
from cda_lib.metrics import engine
from cda_lib.sources.local import load_service_requests_file
from cda_lib.sources.mapping import ColumnMapping, parse_mapping

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
LOADERS = ("pandas", "on disk")


@dataclass
class Case:
    """One row of the corpus table: a file, how it is loaded, and what must come of it."""

    name: str
    file: str
    what: str
    mapping: ColumnMapping
    as_of: pd.Timestamp | None
    time_zone: str | None
    districts: dict[str, str] | None
    expect: dict[str, Any]
    made: bool = False
    on_disk_expect: dict[str, Any] | None = None  # where the on-disk loader differs

    def path(self, made_folder: Path) -> Path:
        return (made_folder if self.made else CORPUS) / self.file

    def expected(self, loader: str) -> dict[str, Any]:
        return self.on_disk_expect if loader == "on disk" and self.on_disk_expect else self.expect


@dataclass
class Outcome:
    """What a loader gave for a case: a load, the workbook's error, or another exception."""

    loader: str
    account: AccountReport | None = None
    table: pd.DataFrame | None = None
    set_aside: pd.DataFrame | None = None
    error: CdaError | None = None
    raw_error: str | None = None  # the traceback of an exception that is not the workbook's
    extra: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """The outcome in one line: the account's lines, or the error's class and message."""
        if self.raw_error is not None:
            return f"raw exception: {self.raw_error.strip().splitlines()[-1]}"
        if self.error is not None:
            return f"{type(self.error).__name__}: {self.error}"
        return "; ".join(line.removesuffix(".") for line in self.account.summary_lines())


def load_cases(corpus: Path = CORPUS) -> list[Case]:
    """Every case of ``cases.yaml``, with its mapping built."""
    table = yaml.safe_load((corpus / "cases.yaml").read_text(encoding="utf-8"))
    default_as_of = table["as_of"]
    cases = []
    for raw in table["cases"]:
        as_of = raw.get("as_of", default_as_of)
        on_disk = raw.get("on_disk")
        if on_disk not in (None, "not read"):
            raise ValueError(f"case {raw['case']!r}: on_disk must be 'not read'")
        cases.append(Case(
            name=raw["case"], file=raw["file"], what=" ".join(str(raw["what"]).split()),
            mapping=_mapping(table["mappings"][raw["mapping"]], raw.get("changes") or {}),
            as_of=None if as_of is None else pd.Timestamp(as_of),
            time_zone=raw.get("time_zone"), districts=raw.get("districts"),
            expect=raw["expect"], made=bool(raw.get("made", False)),
            on_disk_expect=table["on_disk_not_read"] if on_disk else None))
    return cases


def _mapping(base: dict[str, Any], changes: dict[str, Any]) -> ColumnMapping:
    """``base`` with ``changes``: top-level fields replaced, columns changed one by one
    (a column set to None is no longer mapped)."""
    raw = copy.deepcopy(base)
    for key, value in changes.items():
        if key == "columns":
            raw["columns"].update(value)
            raw["columns"] = {k: v for k, v in raw["columns"].items() if v is not None}
        else:
            raw[key] = value
    return parse_mapping(raw, f"{raw['name']} mapping")


def make_corpus_module():
    """``tests/fixtures/corpus/make_corpus.py``, imported from its path (it is no package)."""
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def quality_flags(outcome: Outcome, city_id: str) -> dict[str, int]:
    """The quality checks' flags on a load's kept rows, with a city file's districts and
    bounds: {check: rows}."""
    from cda_lib.cities import load_city
    from cda_lib.metrics.quality import quality_profile

    profile = quality_profile(outcome.table, outcome.account, load_city(city_id)).table
    flagged = profile[profile["handling"] == "kept, flagged"]
    return dict(zip(flagged["check"], flagged["rows"].astype(int), strict=True))


def run_case(case: Case, loader: str, made_folder: Path) -> Outcome:
    """Load ``case`` with one loader ("pandas" or "on disk"); never raises."""
    path = case.path(made_folder)
    options = {"as_of": case.as_of, "time_zone": case.time_zone, "districts": case.districts}
    try:
        if loader == "pandas":
            result = load_service_requests_file(path, case.mapping, **options)
            return Outcome(loader, result.account, result.table,
                           result.account.set_aside_rows())
        requests = engine.open_requests(path, case.mapping, **options)
        return Outcome(loader, requests.account, requests.to_pandas(),
                       requests.account.set_aside_rows())
    except CdaError as error:
        return Outcome(loader, error=error)
    except Exception:  # noqa: BLE001 - kept for the test to fail on, with its traceback
        return Outcome(loader, raw_error=traceback.format_exc())
