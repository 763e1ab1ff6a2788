"""The exercise copies as build jobs: for every city, a participant copy and a coach copy.

Each exercise notebook in ``exercises/`` is the single source of two copies per city:

- ``build/<city>/exercises/<theme>/<name>.ipynb``: the participant copy, solutions and
  coach notes removed, given the city's parameters but not run (the participant runs it);
- ``build/<city>/coach/<theme>/<name>.ipynb`` and ``.html``: the coach copy, solutions and
  coach notes kept, run with the city's data so every check shows a right answer.

Hand participants their city's folder without its ``coach/`` folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat

from cda_lib.cities.city import City
from cda_lib.exercises.authoring import coach_copy, exercises_dir, find_exercise_notebooks
from cda_lib.text.translation import use_language
from cda_lib.workbook.jobs import Job

PARTICIPANT_FOLDER = "exercises"
COACH_FOLDER = "coach"
THIS_MODULE = "cda_lib.workbook.exercise_jobs"


def participant_transform(notebook: nbformat.NotebookNode, city: City) -> nbformat.NotebookNode:
    """The participant copy of a source exercise notebook (papermill then adds the city)."""
    from cda_lib.exercises.authoring import participant_copy

    with use_language(city.language):  # its placeholders in the city's language
        return participant_copy(notebook)


def coach_transform(notebook: nbformat.NotebookNode, city: City) -> nbformat.NotebookNode:
    """The coach copy of a source exercise notebook (run by the build with the city's data)."""
    with use_language(city.language):  # its notice and placeholders in the city's language
        return coach_copy(notebook)


@dataclass(frozen=True)
class ExerciseCopies:
    """The job source for exercise copies: every notebook under ``root`` (default
    ``exercises/``), a participant copy and a coach copy per city, in reading order."""

    root: Path | None = None

    def __call__(self, city: City) -> list[Job]:
        root = Path(self.root).resolve() if self.root is not None else exercises_dir()
        jobs = []
        for notebook in find_exercise_notebooks(root):
            relative = notebook.relative_to(root).as_posix()
            jobs.append(Job(city.id, notebook, f"{PARTICIPANT_FOLDER}/{relative}",
                            transform=f"{THIS_MODULE}:participant_transform", execute=False,
                            export_html=False, kind="participant copy"))
            jobs.append(Job(city.id, notebook, f"{COACH_FOLDER}/{relative}",
                            transform=f"{THIS_MODULE}:coach_transform", kind="coach copy"))
        return jobs


def jobs_of_modules(jobs: Sequence[Job], module_ids: Sequence[str]) -> list[Job]:
    """Only the jobs of these modules (``["1.2", "3.3"]``): each one's page, and its exercise
    set's participant and coach copies; a coach rebuilding one module for a cohort.

    Raises :class:`~cda_lib.core.modules.ModuleIdError` for a module no theme has.
    """
    from cda_lib.themes import find_module

    outputs = set()
    for spelling in module_ids:
        module = find_module(spelling)
        outputs.add(module.notebook)
        if module.exercises:
            outputs |= {f"{PARTICIPANT_FOLDER}/{module.exercises}",
                        f"{COACH_FOLDER}/{module.exercises}"}
    return [job for job in jobs if job.output in outputs]
