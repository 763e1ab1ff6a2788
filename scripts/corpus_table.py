"""Print issue 11's corpus of awkward exports as a Markdown table: case, file, outcome.

Every case of ``tests/fixtures/corpus/cases.yaml`` is loaded by both loaders (the
ordinary pandas loader and the on-disk DuckDB loader), in a temporary cache folder, and
its outcome printed: the load's account, or the workbook's message. Where the loaders
disagree the row says so (``tests/test_corpus.py`` fails on it too). Run from the
repository, with the workbook importable:

    PYTHONPATH=. python scripts/corpus_table.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]


def markdown_table(rows: list[tuple[str, str, str]]) -> str:
    """Rows of (case, file, outcome) as a Markdown table; a "|" in a cell is escaped.

    >>> print(markdown_table([("a BOM", "bom.csv", "Read 3 rows | kept 3")]))
    | case | file | outcome (both loaders) |
    | --- | --- | --- |
    | a BOM | `bom.csv` | Read 3 rows \\| kept 3 |
    """
    lines = ["| case | file | outcome (both loaders) |", "| --- | --- | --- |"]
    for case, file, outcome in rows:
        cells = [case, f"`{file}`", " ".join(outcome.split())]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def outcome_rows(results) -> list[tuple[str, str, str]]:
    """(case, file, outcome) for each (case, pandas outcome, on-disk outcome); a case whose
    quality checks are part of it (they need the city file) has their flags too."""
    from corpus_cases import quality_flags

    rows = []
    for case, ordinary, on_disk in results:
        outcome = ordinary.describe()
        disagreement = on_disk.describe() != outcome
        if "quality" in case.expect and ordinary.account is not None:
            city = case.expect["quality"]["city"]
            flags = quality_flags(ordinary, city)
            kept = ordinary.account.rows_kept
            outcome += f"; quality checks with {city}'s city file: " + (
                "; ".join(f"Flagged {rows:,} of {kept:,} kept rows: {check}"
                          for check, rows in flags.items()) or "no problem found")
        if case.on_disk_expect:
            outcome += " (pandas loader; the on-disk loader does not read Excel and says so)"
        elif disagreement:
            outcome += f" — THE ON-DISK LOADER DISAGREES: {on_disk.describe()}"
        rows.append((case.name, case.file, outcome))
    return rows


def corpus_results():
    """Every case through both loaders, with the made files and the cache in a temporary
    folder (so the repository's cache folder is never written)."""
    from corpus_cases import LOADERS, load_cases, make_corpus_module, run_case

    with tempfile.TemporaryDirectory() as scratch:
        os.environ["CDA_CACHE_DIR"] = str(Path(scratch) / "cache")
        made = Path(scratch) / "made"
        make_corpus_module().write_made_files(made)
        return [(case, *(run_case(case, loader, made) for loader in LOADERS))
                for case in load_cases()]


if __name__ == "__main__":
    sys.path.insert(0, str(REPOSITORY / "tests"))  # the corpus's helpers (tests/corpus_cases.py)
    print(markdown_table(outcome_rows(corpus_results())))
