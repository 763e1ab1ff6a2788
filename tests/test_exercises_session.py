"""The learner's side: checks recorded in a journal, hints in tiers, widgets, what Jupyter shows."""

from __future__ import annotations

import json

import pytest
from exercise_fixtures import hand_counted_data

from cda_lib.exercises import Exercises
from cda_lib.exercises.errors import ExerciseUsageError, UnknownExerciseError
from cda_lib.exercises.feedback import CORRECT, FEEDBACK_MIME, HINT_MIME, NOT_STARTED, NOT_YET
from cda_lib.exercises.journal import JOURNAL_FORMAT, Journal, read_journal


@pytest.fixture(scope="module")
def data():
    return hand_counted_data()


@pytest.fixture
def exercises(data, tmp_path):
    return Exercises(data, participant="Ana Ruíz", folder=tmp_path / "journals")


def journal_events(exercises):
    return read_journal(exercises.journal.path).events


def test_attempts_hints_and_reflections_go_to_the_participants_journal(exercises):
    exercises.check("0.1", 72)
    exercises.check("0.1", 42)
    exercises.hint("0.4")
    exercises.check("0.8", "I would ask the district office first.")
    content = json.loads(exercises.journal.path.read_text(encoding="utf-8"))
    assert exercises.journal.path.name == "ana-ruiz.json"
    assert (content["format"], content["city"], content["participant"]) == \
        (JOURNAL_FORMAT, "hand_counted_city", "Ana Ruíz")
    events = [{k: v for k, v in e.items() if k != "at"} for e in content["events"]]
    assert events == [
        {"exercise": "0.1", "event": "attempt", "status": NOT_YET, "mistake": "whole period",
         "answer": "72"},
        {"exercise": "0.1", "event": "attempt", "status": CORRECT, "mistake": "", "answer": "42"},
        {"exercise": "0.4", "event": "hint", "tier": 1},
        {"exercise": "0.8", "event": "reflection",
         "text": "I would ask the district office first."},
    ]
    assert all(event["at"][:2] == "20" for event in content["events"])  # ISO times


def test_an_untouched_answer_is_not_recorded(exercises):
    exercises.check("0.1", ...)
    assert not exercises.journal.path.exists()


def test_the_coach_copy_records_nothing(data, tmp_path):
    coach = Exercises(data, participant="Coach", record=False, folder=tmp_path)
    assert coach.check("0.1", 42).status == CORRECT
    coach.hint("0.1")
    assert list(tmp_path.iterdir()) == []
    assert "answers are checked but not recorded" in repr(coach)


def test_hints_come_one_tier_per_call_then_stay_on_the_last(exercises):
    tiers = [exercises.hint("0.10") for _ in range(4)]
    assert [hint.tier for hint in tiers] == [1, 2, 3, 3]
    assert "Hint 1 of 3 (a nudge)" in str(tiers[0]) and "Hint 2" not in str(tiers[0])
    assert "Hint 3 of 3 (a worked step)" in str(tiers[2])
    assert "answer = days.median()" in str(tiers[2])
    assert tiers[3].is_last and "That was the last hint" in str(tiers[3])
    assert [e["tier"] for e in journal_events(exercises)] == [1, 2, 3, 3]


def test_hints_and_questions_use_the_citys_names(exercises):
    assert exercises.question("0.7") == ("South has the fewest requests per 1,000 residents in "
                                         "Handcount. What does that tell you?")


def test_an_unknown_exercise_is_a_clear_error_with_did_you_mean(exercises):
    with pytest.raises(UnknownExerciseError, match='Did you mean "0.1"'):
        exercises.check("0.01", 42)


def test_an_exercise_without_a_widget_says_it_is_answered_in_code(exercises):
    # Every exercise of the workbook has a no-code form; one written without a widget says so.
    from dataclasses import replace

    from cda_lib.exercises import catalog
    from cda_lib.exercises.widgets import exercise_widget

    code_only = replace(catalog.find_exercise("0.1"), widget=None)
    with pytest.raises(ExerciseUsageError, match="answered in code"):
        exercise_widget(exercises, code_only)


def test_the_participant_is_named_by_the_notebook_or_the_environment(data, tmp_path, monkeypatch):
    monkeypatch.setenv("CDA_PARTICIPANT", "Bea Souza")
    unnamed = Exercises(data, folder=tmp_path)
    assert unnamed.participant == "Bea Souza"
    assert "write your name in the cell above" in repr(unnamed)
    assert Exercises(data, participant="  Cy  ", folder=tmp_path).participant == "Cy"


def test_a_damaged_journal_is_kept_aside_and_a_new_one_started(exercises):
    exercises.journal.path.parent.mkdir(parents=True)
    exercises.journal.path.write_text("{not json", encoding="utf-8")
    feedback = exercises.check("0.1", 42)
    assert feedback.status == CORRECT and not feedback.note
    kept = list(exercises.journal.path.parent.glob("ana-ruiz.damaged-*.json"))
    assert len(kept) == 1 and kept[0].read_text() == "{not json"
    assert len(journal_events(exercises)) == 1


def test_a_journal_that_cannot_be_written_still_gives_feedback_with_a_note(data, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    exercises = Exercises(data, participant="Ana", folder=blocked)
    feedback = exercises.check("0.1", 42)
    assert feedback.status == CORRECT
    assert "could not be saved on this computer" in feedback.note


def test_the_participants_own_progress(exercises):
    exercises.check("0.1", 72)
    exercises.check("0.1", 42)
    exercises.check("0.4", 5)
    exercises.hint("0.4")
    exercises.hint("0.4")
    table = exercises.progress().set_index("exercise")
    assert table.loc["0.1", ["status", "tries", "hints"]].tolist() == ["done", 2, 0]
    assert table.loc["0.4", ["status", "tries", "hints"]].tolist() == ["tried", 1, 2]
    assert table.loc["0.2", "status"] == "not started"


def test_feedback_shows_in_jupyter_with_its_word_and_a_machine_readable_record(exercises):
    feedback = exercises.check("0.9", 400 / 76)
    bundle = feedback._repr_mimebundle_()
    assert "<strong>Not yet.</strong>" in bundle["text/html"]
    assert 'data-status="not yet"' in bundle["text/html"]
    assert bundle[FEEDBACK_MIME]["mistake"] == "percent instead of share"
    assert bundle[FEEDBACK_MIME]["participant"] == "Ana Ruíz"
    assert bundle["text/plain"].startswith("Exercise 0.9, How much of the data was set aside?")
    hint = exercises.hint("0.9")._repr_mimebundle_()
    assert hint[HINT_MIME] == {"exercise_id": "0.9", "tier": 1, "city": "hand_counted_city",
                               "participant": "Ana Ruíz"}


def test_text_from_the_learner_is_escaped_in_html(exercises):
    feedback = exercises.check("0.3", "<script>alert(1)</script>")
    assert "<script>" not in feedback._repr_html_()
    assert "&lt;script&gt;" in feedback._repr_html_()


def test_the_slider_answers_on_every_move_and_records_it(exercises):
    box = exercises.widget("0.2")
    slider, feedback, hint_button, hints = box.control, box.feedback, box.hint_button, box.hints
    assert "Exercise 0.2." in box.children[0].value
    assert 'data-status="not started"' in feedback.value
    # Handcount's months: 1 to 5 requests; the slider runs from 0 to 1.5 × 5, step 1
    assert (slider.min, slider.max, slider.step, slider.value) == (0, 8, 1, 0)
    slider.value = 5
    assert 'data-status="not yet"' in feedback.value and "busiest month" in feedback.value
    slider.value = 3
    assert 'data-status="correct"' in feedback.value
    hint_button.click()
    hint_button.click()
    assert 'data-tier="2"' in hints.value
    assert [(e["event"], e.get("status")) for e in journal_events(exercises)] == \
        [("attempt", NOT_YET), ("attempt", CORRECT), ("hint", None), ("hint", None)]


def test_menus_and_buttons_start_empty_and_answer_when_chosen(exercises):
    menu_box, buttons_box = exercises.widget("0.3"), exercises.widget("0.6")
    menu, buttons = menu_box.control, buttons_box.control
    assert menu.value is None and buttons.value is None
    assert [label for label, _ in buttons.options][2] == \
        "C. Requests per 1,000 residents, by district"
    menu.value = "C"
    buttons.value = "D"
    assert 'data-status="correct"' in menu_box.feedback.value
    statuses = [(e["exercise"], e["status"]) for e in journal_events(exercises)]
    assert statuses == [("0.3", CORRECT), ("0.6", NOT_YET)]
    assert "does not allow for population" in buttons_box.feedback.value


def test_the_reflection_box_saves_when_the_button_is_pressed(exercises):
    box = exercises.widget("0.8")
    text, save, feedback = box.control, box.save, box.feedback
    assert "South needs less service" in box.children[0].value
    save.click()
    assert 'data-status="not started"' in feedback.value
    text.value = "I would compare inspections in South with the other districts."
    save.click()
    assert 'data-status="saved"' in feedback.value
    assert journal_events(exercises)[-1]["text"].startswith("I would compare inspections")


def test_chart_choices_are_drawn_from_the_citys_data(exercises):
    choices = exercises.show_choices("0.6")
    assert [key for key, _, _ in choices.charts] == ["A", "B", "C", "D"]
    page = choices._repr_html_()
    assert page.count("data:image/png;base64,") == 4
    # chart C's title: 20 requests / 1,000 residents x 1,000 over 24 months, 2 years: 10.0 a year
    assert "East had the most requests per 1,000 residents a year (10.0)" in page
    with pytest.raises(ExerciseUsageError):
        exercises.show_choices("0.1")


def test_the_coach_sees_the_expected_answer_for_the_city(exercises):
    assert str(exercises.solution("0.4")).endswith(
        "Pothole repair: 20; Graffiti removal: 15; Streetlight out: 12; Noise complaint: 10; "
        "Missed trash collection: 8")
    assert "answers from 2.7 to 3.3 count as right" in str(exercises.solution("0.2"))


def test_an_exercise_the_citys_data_cannot_answer_says_so_instead_of_failing(data, tmp_path):
    broken = hand_counted_data()
    broken.districts = broken.districts.drop(columns="population")
    exercises = Exercises(broken, record=False)
    feedback = exercises.check("0.5", 42)
    assert feedback.status == "cannot check"
    assert "cannot be checked with Handcount's data" in feedback.message
    assert exercises.check("0.5", ...).status == NOT_STARTED


def test_journal_round_trip(tmp_path):
    journal = Journal.for_participant(tmp_path, city="riverbend", participant="José")
    journal.add({"exercise": "0.1", "event": "hint", "tier": 1})
    found = read_journal(journal.path)
    assert (found.city, found.participant, found.unreadable) == ("riverbend", "José", 0)


def test_a_page_made_without_jupyterlab_shows_the_widget_s_question_not_its_python_form(
        exercises):
    box = exercises.widget("0.2")
    box.control.value = 3  # Handcount's typical month: right
    bundle = box._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle  # JupyterLab: the live widget
    snapshot = bundle["text/html"]
    assert "Exercise 0.2." in snapshot and 'data-status="correct"' in snapshot
    assert "a form to fill in, without code" in snapshot
    assert "children=" not in bundle["text/plain"]
