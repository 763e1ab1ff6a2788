"""Every exercise set, and finding an exercise by its id ("0.3").

An exercise set belongs to one exercise notebook (its single source, in the
``exercises/`` folder); ids are unique across sets, numbered theme first.

>>> find_exercise("0.1").title
'Requests in the last 12 months'
>>> find_exercise("0.01")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
cda_lib.exercises.errors.UnknownExerciseError: There is no exercise "0.01". Did you mean "0.1"? ...
"""

from __future__ import annotations

from dataclasses import dataclass

from cda_lib.core.errors import did_you_mean, list_choices
from cda_lib.exercises.errors import UnknownExerciseError
from cda_lib.exercises.exercise import Exercise
from cda_lib.themes.lead.exercises import evaluation as lead_evaluation
from cda_lib.themes.lead.exercises import performance as lead_performance
from cda_lib.themes.lead.exercises import questions as lead_questions
from cda_lib.themes.lead.exercises import routine as lead_routine
from cda_lib.themes.lead.exercises import targets as lead_targets
from cda_lib.themes.welcome import exercises as welcome


@dataclass(frozen=True)
class ExerciseSet:
    """The exercises of one exercise notebook, in the order they appear in it."""

    id: str
    title: str
    notebook: str  # path inside the exercises/ folder
    exercises: tuple[Exercise, ...]

    @property
    def ids(self) -> list[str]:
        return [exercise.id for exercise in self.exercises]


EXERCISE_SETS = (
    ExerciseSet(welcome.SET_ID, "Exercises 0: your city in numbers", welcome.NOTEBOOK,
                welcome.EXERCISES),
    ExerciseSet(lead_questions.SET_ID, "Exercises 1.1: asking good questions",
                lead_questions.NOTEBOOK, lead_questions.EXERCISES),
    ExerciseSet(lead_performance.SET_ID, "Exercises 1.2: measuring performance",
                lead_performance.NOTEBOOK, lead_performance.EXERCISES),
    ExerciseSet(lead_targets.SET_ID, "Exercises 1.3: targets and telling signal from noise",
                lead_targets.NOTEBOOK, lead_targets.EXERCISES),
    ExerciseSet(lead_evaluation.SET_ID, "Exercises 1.4: did it work?", lead_evaluation.NOTEBOOK,
                lead_evaluation.EXERCISES),
    ExerciseSet(lead_routine.SET_ID, "Exercises 1.5: data in the weekly routine",
                lead_routine.NOTEBOOK, lead_routine.EXERCISES),
)


def all_exercises() -> list[Exercise]:
    """Every exercise of every set, in reading order."""
    return [exercise for exercise_set in EXERCISE_SETS for exercise in exercise_set.exercises]


def exercise_ids() -> list[str]:
    return [exercise.id for exercise in all_exercises()]


def find_exercise(exercise_id: str) -> Exercise:
    """The exercise with this id; a clear error (with did-you-mean) when there is none."""
    for exercise in all_exercises():
        if exercise.id == str(exercise_id).strip():
            return exercise
    known = exercise_ids()
    raise UnknownExerciseError(
        f'There is no exercise "{exercise_id}".{did_you_mean(str(exercise_id), known)} '
        f"The exercises are {list_choices(known, limit=20)}. Check the id in the cell, which "
        "should match the exercise's heading."
    )


def set_for_notebook(name: str) -> ExerciseSet | None:
    """The exercise set whose single source is this notebook (a path inside exercises/)."""
    name = str(name).replace("\\", "/")
    for exercise_set in EXERCISE_SETS:
        if name == exercise_set.notebook or name.endswith("/" + exercise_set.notebook):
            return exercise_set
    return None


def sort_key(exercise_id: str) -> tuple:
    """Order ids as people read them: 0.2 before 0.10.

    >>> sorted(["0.10", "0.2", "1.1"], key=sort_key)
    ['0.2', '0.10', '1.1']
    """
    return tuple(int(part) if part.isdigit() else part for part in str(exercise_id).split("."))
