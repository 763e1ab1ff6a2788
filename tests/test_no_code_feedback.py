"""A participant who answers with a widget never reads code in the feedback: each next step
that names code (data.as_of, .median(), a column's name) has a no-code one beside it, and
the widget's feedback uses it (issue 13, "a path for people who do not code")."""

from __future__ import annotations

import re

from exercise_fixtures import hand_counted_data

from cda_lib.exercises import Exercises, catalog

# Code in a sentence: backticks, a call or an index, a keyword argument, an attribute of
# the objects pages use, or a snake_case name (a column or a function). {placeholders} are
# filled with the city's figures first, so they are not code.
CODE = re.compile(r"`|\w\(|\w\[|\w=\w|\b(?:data|brief|page|requests|exercises)\.\w"
                  r"|\b[a-z]+_[a-z_]+\b")


def code_in(text: str) -> list[str]:
    return CODE.findall(re.sub(r"\{[^}]*\}", "X", text))


def test_the_detector_finds_the_code_participants_were_shown():
    assert code_in("Count back 12 months from data.as_of.") == ["data.a"]
    assert code_in("Use .median() instead of .mean().") == ["n(", "n("]
    assert code_in("Keep the rows whose service_name is {type} first.") == ["service_name"]
    assert code_in("Add up the 12 monthly counts of the table above.") == []


def widget_feedback_texts():
    for exercise in catalog.all_exercises():
        if exercise.widget is None:
            continue
        yield exercise.id, "next step", exercise.step(without_code=True)
        for mistake in exercise.mistakes:
            yield exercise.id, f"{mistake.name}: message", mistake.message
            step = mistake.step(without_code=True) or exercise.step(without_code=True)
            yield exercise.id, f"{mistake.name}: next step", step


def test_widget_feedback_names_no_code():
    texts = list(widget_feedback_texts())
    assert len(texts) > 300  # every widget exercise's next steps and mistakes
    showing_code = [f"{exercise_id} ({where}): {text}" for exercise_id, where, text in texts
                    if code_in(text)]
    assert showing_code == []


def test_the_widget_and_the_code_path_get_their_own_next_step(tmp_path):
    # Handcount's 72 usable requests are the whole data (2024 and 2025); 0.1 asks for the
    # last 12 months (42), so 72 is the "whole period" mistake.
    session = Exercises(hand_counted_data(), participant="Tester", folder=tmp_path)
    by_widget = session.check("0.1", 72, via_widget=True)
    in_code = session.check("0.1", 72)
    assert by_widget.mistake == in_code.mistake == "whole period"
    assert "Add up only the 12 monthly counts of the table above." in by_widget.next_step
    assert "Press Show a hint." in by_widget.next_step
    assert "data.as_of minus 12 months" in in_code.next_step
    assert code_in(by_widget.next_step) == []


def test_questions_and_first_messages_name_no_code():
    # Every participant reads the question and the start, right and why messages, whichever
    # way they answer: "slow_type, set in the cell above" or "brief.week_end" shut out the
    # participant who does not code (1.2.1, 1.2.3, 1.1.2, 1.5.3 and 1.5.4 did).
    texts = [(exercise.id, key, getattr(exercise, key)) for exercise in catalog.all_exercises()
             for key in ("title", "question", "start", "right", "why")]
    assert len(texts) > 400
    showing_code = [f"{exercise_id} ({key}): {text}" for exercise_id, key, text in texts
                    if text and code_in(text)]
    assert showing_code == []
