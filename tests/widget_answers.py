"""Answering an exercise through its no-code widget, as a participant would, for tests."""

from __future__ import annotations

import re

from cda_lib.exercises import Exercises


def recording_session(data, folder) -> Exercises:
    """A session that records its attempts, so that a test can read what each move gave."""
    return Exercises(data, participant="Widget Tester", folder=folder)


def answer_by_widget(session: Exercises, exercise_id: str, value) -> tuple[str, str]:
    """Move a fresh widget's control to ``value`` (a slider's number, or the letter of a
    table in a table menu): the status and mistake of the attempt it recorded."""
    box = session.widget(exercise_id)
    box.control.value = value
    event = session.journal.events()[-1]
    assert event["exercise"] == exercise_id and event["event"] == "attempt", event
    status = re.search(r'data-status="([^"]+)"', box.feedback.value).group(1)
    assert status == event["status"]
    return event["status"], event["mistake"]


def untouched_status(session: Exercises, exercise_id: str) -> str:
    """What a widget says before it is touched (and that it recorded nothing)."""
    before = len(session.journal.events())
    box = session.widget(exercise_id)
    assert len(session.journal.events()) == before
    return re.search(r'data-status="([^"]+)"', box.feedback.value).group(1)


def slider_bounds(session: Exercises, exercise_id: str) -> tuple[float, float, float]:
    control = session.widget(exercise_id).control
    return control.min, control.max, control.step


def letter_of(session: Exercises, exercise_id: str, wanted: dict[str, float]) -> str:
    """The letter of the menu's table holding these rows and numbers (to 0.001)."""
    for letter, table in session.table_choices(exercise_id).items():
        if set(table.index) == set(wanted) and all(
                abs(float(table[key]) - value) < 1e-3 for key, value in wanted.items()):
            return letter
    raise AssertionError(f"no table of exercise {exercise_id} holds {wanted}")
