"""The errors the exercise system raises on purpose, in the workbook's one error family.

They subclass :class:`cda_lib.core.errors.CdaError` (and the matching built-in error), so
JupyterLab shows them as their plain message. A learner's *answer* never raises: a
wrong answer or a wrong type gets feedback instead. These are for mistakes in the
call itself (an exercise id that does not exist) and in authoring (a malformed marker).
"""

from __future__ import annotations

from cda_lib.core.errors import CdaError


class UnknownExerciseError(CdaError, KeyError):
    """An exercise was asked for by an id that no exercise set defines."""


class ExerciseAuthoringError(CdaError, ValueError):
    """An exercise notebook is malformed: the message names the notebook and the cell."""


class JournalError(CdaError, ValueError):
    """A participant's exercise journal cannot be read (damaged or not a journal)."""


class ExerciseUsageError(CdaError, ValueError):
    """An exercise was asked for something it does not offer (a widget, charts to show)."""
