"""Every exercise set, found by path, and finding an exercise by its id ("0.3").

An exercise set belongs to one exercise notebook (its single source, in the
``exercises/`` folder) and is written as a YAML file beside its theme's module:
``cda_lib/themes/<theme>/exercises.yaml`` or ``cda_lib/themes/<theme>/exercises/*.yaml``
(see :mod:`cda_lib.exercises.definitions`). The catalog finds those files by path, so
no theme is registered by hand or imported here; a theme's functions are imported only
when one of its exercises is prepared. Ids are unique across sets, numbered theme
first; sets come in the order of their ids, exercises in the order of their file.

>>> find_exercise("0.1").title
'Requests in the last 12 months'
>>> find_exercise("0.01")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
cda_lib.exercises.errors.UnknownExerciseError: There is no exercise "0.01". Did you mean "0.1"? ...
"""

from __future__ import annotations

import functools
from pathlib import Path

from cda_lib.core.errors import did_you_mean, list_choices
from cda_lib.exercises.definitions import ExerciseSet, load_exercise_set
from cda_lib.exercises.errors import ExerciseAuthoringError, UnknownExerciseError
from cda_lib.exercises.exercise import Exercise
from cda_lib.text.translation import gettext as _

THEMES = Path(__file__).resolve().parent.parent / "themes"
# Where a theme keeps its exercise files (pyproject.toml ships the same patterns).
EXERCISE_FILES = ("*/exercises.yaml", "*/exercises/*.yaml")


def discover(themes: Path) -> tuple[ExerciseSet, ...]:
    """Read every exercise file under ``themes``, in the order of the sets' ids.

    An id used by two sets (or two exercises) is an authoring error naming both files.
    """
    paths = sorted({path for pattern in EXERCISE_FILES for path in Path(themes).glob(pattern)})
    sets = sorted((load_exercise_set(path) for path in paths), key=lambda s: sort_key(s.id))
    seen: dict[str, str] = {}
    for exercise_set in sets:
        for exercise_id in [exercise_set.id, *exercise_set.ids]:
            key = ("set " if exercise_id == exercise_set.id else "") + exercise_id
            if key in seen:
                raise ExerciseAuthoringError(
                    f"{exercise_set.source}, exercise {exercise_id}: the id {exercise_id} is "
                    f"also used in {seen[key]}. Ids must be unique across exercise sets.")
            seen[key] = exercise_set.source
    return tuple(sets)


@functools.cache
def exercise_sets() -> tuple[ExerciseSet, ...]:
    """Every exercise set of the workbook's themes (read once, on first use)."""
    return discover(THEMES)


def exercise_set(set_id: str) -> ExerciseSet:
    """The exercise set with this id ("1.2"); a clear error when there is none."""
    for candidate in exercise_sets():
        if candidate.id == str(set_id):
            return candidate
    known = [candidate.id for candidate in exercise_sets()]
    raise UnknownExerciseError(f'There is no exercise set "{set_id}".'
                               f"{did_you_mean(str(set_id), known)} The sets are "
                               f"{list_choices(known)}.")


def all_exercises() -> list[Exercise]:
    """Every exercise of every set, in reading order."""
    return [exercise for exercise_set in exercise_sets() for exercise in exercise_set.exercises]


def exercise_ids() -> list[str]:
    return [exercise.id for exercise in all_exercises()]


def find_exercise(exercise_id: str) -> Exercise:
    """The exercise with this id; a clear error (with did-you-mean) when there is none."""
    for exercise in all_exercises():
        if exercise.id == str(exercise_id).strip():
            return exercise
    known = exercise_ids()
    raise UnknownExerciseError(
        _('There is no exercise "{id}".', id=exercise_id) + did_you_mean(str(exercise_id), known)
        + " " + _("The exercises are {ids}. Check the id in the cell, which should match the "
                  "exercise's heading.", ids=list_choices(known, limit=20)))


def set_for_notebook(name: str) -> ExerciseSet | None:
    """The exercise set whose single source is this notebook (a path inside exercises/)."""
    name = str(name).replace("\\", "/")
    for candidate in exercise_sets():
        if name == candidate.notebook or name.endswith("/" + candidate.notebook):
            return candidate
    return None


def sort_key(exercise_id: str) -> tuple:
    """Order ids as people read them: 0.2 before 0.10.

    >>> sorted(["0.10", "0.2", "1.1"], key=sort_key)
    ['0.2', '0.10', '1.1']
    """
    return tuple(int(part) if part.isdigit() else part for part in str(exercise_id).split("."))
