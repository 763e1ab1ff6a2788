"""Which sections of a built notebook were skipped, and why: for the manifest and cohort page.

A section that cannot run with a city's data shows why in its cell and leaves a marker in
that output's metadata (:data:`cda_lib.core.sections.SKIPPED_KEY`). After a run, the
builder gathers the markers (:func:`skipped_sections`) and keeps them in the built
notebook's metadata, so the cohort page and a later, up-to-date build can say "built with
sections skipped" without running anything again.

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[
...     nbformat.v4.new_output("display_data", data={"text/plain": "..."}, metadata={
...         "cda-skipped": {"section": "backlog", "title": "The backlog",
...                         "reason": "The backlog needs at least 3 whole months.",
...                         "needs": ["months"], "error": "", "workbook_error": False}})])])
>>> [skip["section"] for skip in skipped_sections(nb)]
['backlog']
>>> outcome_words("built", skipped_sections(nb))
'built with sections skipped'
"""

from __future__ import annotations

from typing import Any

import nbformat

from cda_lib.core.sections import SKIPPED_KEY

BUILD_METADATA = "cda_build"  # the built notebook's metadata: inputs hash, skipped sections
SKIPPED_FIELD = "sections_skipped"


def skipped_sections(nb: nbformat.NotebookNode) -> list[dict[str, Any]]:
    """The markers of the sections a run skipped, in page order, each section once."""
    found: dict[str, dict[str, Any]] = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            marker = output.get("metadata", {}).get(SKIPPED_KEY)
            if isinstance(marker, dict) and marker.get("section") not in found:
                found[str(marker.get("section"))] = {
                    "section": str(marker.get("section", "")),
                    "title": str(marker.get("title", "")),
                    "reason": str(marker.get("reason", "")),
                    "needs": [str(need) for need in marker.get("needs", [])],
                    "error": str(marker.get("error", "")),
                    "workbook_error": bool(marker.get("workbook_error", False)),
                }
    return list(found.values())


def recorded_skips(nb: nbformat.NotebookNode) -> list[dict[str, Any]]:
    """The skipped sections a build kept in a built notebook's metadata."""
    kept = nb.metadata.get(BUILD_METADATA, {}).get(SKIPPED_FIELD, [])
    return [dict(skip) for skip in kept] if isinstance(kept, list) else []


def read_recorded_skips(path) -> list[dict[str, Any]]:
    """:func:`recorded_skips` of the notebook file at ``path`` ([] when it cannot be read)."""
    try:
        return recorded_skips(nbformat.read(str(path), as_version=4))
    except (OSError, ValueError):
        return []


def outcome_words(status: str, skipped: list[dict[str, Any]]) -> str:
    """What happened to a notebook, as the summary and cohort page say it."""
    if status in ("built", "up-to-date") and skipped:
        return "built with sections skipped"
    return status


def skips_text(skipped: list[dict[str, Any]]) -> str:
    """The skipped sections and their reasons in one line, for the CSV and the summary."""
    return " | ".join(skip["reason"] or skip["title"] for skip in skipped)


def unexpected_skips(skipped: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sections that stopped on an error that is not the workbook's own (a bug to fix),
    rather than on a need the data did not meet or a plain workbook error."""
    return [skip for skip in skipped if skip.get("error") and not skip.get("workbook_error")]
