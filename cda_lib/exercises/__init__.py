"""Exercises that teach: answers checked against each city's own data, hints in tiers.

Learners (in an exercise notebook)::

    from cda_lib.exercises import Exercises

    exercises = Exercises(data, participant="Ana Ruiz")
    exercises.check("0.1", answer)   # right, not yet (and why), or not started yet
    exercises.hint("0.1")            # a nudge, then the idea, then a worked step
    exercises.widget("0.2")          # a no-code exercise: the widget's value is the answer

The exercises themselves are data: one YAML file per exercise set, beside its theme
(``cda_lib/themes/welcome/exercises.yaml``, ``cda_lib/themes/lead/exercises/*.yaml``),
holding every word a participant reads; the functions that compute answers from a
city's data stay in the theme's module, which the file names once at the top.
``exercises/README.md`` says how to write one.

The modules, one concern each: ``kinds`` (how each kind of answer is read and
compared), ``exercise`` (an exercise and how an answer is judged), ``feedback`` (what
a check and a hint show), ``definitions`` (reading an exercise file strictly, with the
shared shape of each kind from ``shapes.yaml``), ``catalog`` (finding every exercise
file by path, and an exercise by its id), ``session`` (the object above), ``widgets``
(no-code answers), ``journal`` (each participant's record of attempts, hints and
reflections), ``authoring`` (participant and coach copies from one source notebook),
``progress`` (the coach's report), ``values`` (a set-up cell's values, shown by name) and
``errors`` (the few errors raised on purpose).
"""

from __future__ import annotations

from cda_lib.exercises.feedback import Feedback, Hint
from cda_lib.exercises.session import Exercises
from cda_lib.exercises.values import show_values

__all__ = ["Exercises", "Feedback", "Hint", "show_values"]
