"""Check a build folder: no built notebook holds an error output, except in cells tagged
``raises-exception``, none writes to stderr (a warning a participant would read), and no
built page shows a Python repr (``Baseline(value=...``, ``Widget(children=...``, a
``{'key': ...}`` dict, pandas' own table with its 0, 1, 2 ... index or a Series' ``Name:
count, dtype: int64``) where a reader expects a sentence or a table.

    python scripts/check_built_notebooks.py build/

Prints one line per problem and a count of the notebooks checked; exits 1 when any
problem is found. Partly run notebooks kept for diagnosis (``*.failed.ipynb``) are left
out: the build's manifest already counts them as failed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat


def problems(notebook: Path) -> list[str]:
    """Each error output outside a ``raises-exception`` cell, and each stderr stream."""
    nb = nbformat.read(notebook, as_version=4)
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        expected = "raises-exception" in cell.metadata.get("tags", [])
        for output in cell.get("outputs", []):
            if output.output_type == "error" and not expected:
                found.append(f"cell {index}: {output.ename}: {output.evalue[:200]}")
            elif output.output_type == "stream" and output.name == "stderr":
                found.append(f"cell {index}: stderr: {output.text.strip()[:200]}")
    return found


# A repr, a dict, or pandas' own table or list where the house table belongs
# (cda_lib.core.frames): its HTML table's class, and a Series' last line.
REPRS = ("(value=", "Widget(children=", "{'", "{&#39;", "{&#x27;", 'class="dataframe',
         "dtype: ")


def page_problems(page: Path) -> list[str]:
    """Each Python repr an HTML page shows, with a little of what is around it."""
    text = page.read_text(encoding="utf-8", errors="replace")
    found = []
    for marker in REPRS:
        at = text.find(marker)
        if at >= 0:
            found.append(f"shows a Python repr: ...{text[max(0, at - 60):at + 40]!r}...")
    return found


def main(folder: str) -> int:
    notebooks = sorted(p for p in Path(folder).rglob("*.ipynb")
                       if not p.name.endswith(".failed.ipynb") and "workspace" not in p.parts)
    bad = 0
    for notebook in notebooks:
        for problem in problems(notebook):
            bad += 1
            print(f"{notebook.relative_to(folder)}: {problem}")
    pages = sorted(p for p in Path(folder).rglob("*.html") if p.with_suffix(".ipynb").exists())
    for page in pages:
        for problem in page_problems(page):
            bad += 1
            print(f"{page.relative_to(folder)}: {problem}")
    print(f"{len(notebooks)} built notebooks and {len(pages)} of their pages checked, "
          f"{bad} problems.")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build"))
