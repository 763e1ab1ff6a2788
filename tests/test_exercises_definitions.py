"""Exercise files: read strictly, found by path, and each authoring mistake named clearly.

The fixture files in ``tests/fixtures/exercise_files`` are small sets written for these
tests: ``themes/`` is a well-formed tree of two themes, ``clashing_themes/`` reuses an id
across two sets, and each file in ``malformed/`` is broken in the one way its name says.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from exercise_fixtures import hand_counted_data

from cda_lib.exercises import catalog
from cda_lib.exercises.definitions import load_exercise_set, read_exercise_set, shapes
from cda_lib.exercises.errors import ExerciseAuthoringError
from cda_lib.exercises.exercise import Buttons, TextBox, prepare
from cda_lib.exercises.kinds import ChartChoice, Choice, Number, Reflection

FILES = Path(__file__).parent / "fixtures" / "exercise_files"
MALFORMED = FILES / "malformed"


def test_a_well_formed_file_gives_its_exercises_in_file_order():
    sample = load_exercise_set(FILES / "themes" / "alpha" / "exercises.yaml")
    assert (sample.id, sample.notebook) == ("7", "07_sample/01_sample.ipynb")
    assert sample.ids == ["7.1", "7.2", "7.3"]
    number, choice, reflection = sample.exercises
    assert number.kind == Number(relative=0.005, unit="requests")
    assert choice.kind == Choice(options=(("A", "The first"), ("B", "The second")))
    assert isinstance(reflection.kind, Reflection)


def test_each_kind_takes_its_shape_unless_the_entry_says_otherwise():
    number, choice, reflection = load_exercise_set(
        FILES / "themes" / "alpha" / "exercises.yaml").exercises
    assert number.start == shapes()["number"]["start"]
    assert number.widget is None
    assert choice.widget == Buttons()
    assert choice.start == "Choose an answer; the feedback appears here."
    assert reflection.widget == TextBox(placeholder="Write two or three sentences, then press "
                                                    "Save.")
    assert (reflection.right, reflection.why, reflection.next_step) == ("", "", "")


def test_named_functions_are_found_in_the_module_the_file_names():
    number, choice, _ = load_exercise_set(FILES / "themes" / "alpha" / "exercises.yaml").exercises
    data = hand_counted_data()
    prepared = prepare(number, data)
    assert prepared.expected == 42  # Handcount's 2025: 3 months each of 2, 3, 5 and 4 requests
    assert [(mistake.name, value) for mistake, value in prepared.mistakes] == [
        ("whole period", 72)]  # both years: 30 + 42
    assert prepare(choice, data).expected == "B"


def test_the_catalog_finds_every_set_under_a_themes_folder_in_the_order_of_their_ids():
    sets = catalog.discover(FILES / "themes")
    assert [s.id for s in sets] == ["6", "7"]  # beta's set 6 comes before alpha's set 7


def test_the_workbook_catalog_reads_every_theme_in_reading_order():
    assert [s.id for s in catalog.exercise_sets()] == ["0", "1.1", "1.2", "1.3", "1.4", "1.5",
                                                       "2.1", "2.2", "2.3", "2.4", "2.5", "3.1",
                                                       "3.2", "3.3", "3.4", "3.5"]
    ids = catalog.exercise_ids()
    # 10 + 6 + 7 + 6 + 6 + 7, then 6 in 2.1, 7 in 2.2, 6 in 2.3, 6 in 2.4, 7 in 2.5, 5 in 3.2
    # and 5 in 3.3, 5 in 3.4, 7 in 3.1, 6 in 3.5
    assert len(ids) == len(set(ids)) == 102
    assert ids == sorted(ids, key=catalog.sort_key)


def test_every_exercise_of_the_workbook_can_be_answered_without_code():
    """Page 0.1 tells participants they need not code: every exercise has a no-code form,
    a widget (slider, menu, round buttons or text box) or a choice among charts."""
    code_only = [exercise.id for exercise in catalog.all_exercises()
                 if exercise.widget is None
                 and not isinstance(exercise.kind, ChartChoice | Reflection)]
    assert code_only == []


def test_every_function_the_workbook_files_name_exists():
    for exercise in catalog.all_exercises():
        functions = [exercise.expected, exercise.facts, *exercise.also_accepted,
                     *(m.answer for m in exercise.mistakes)]
        functions += list(getattr(exercise.kind, "charts", {}).values())
        functions += [getattr(exercise.widget, "bounds", None), exercise.scored_by]
        for function in functions:
            if hasattr(function, "resolve"):
                assert callable(function.resolve()), (exercise.id, function)


def test_an_id_used_by_two_sets_names_both_files():
    with pytest.raises(ExerciseAuthoringError) as error:
        catalog.discover(FILES / "clashing_themes")
    message = str(error.value)
    assert "exercise 7.3" in message
    assert str(Path("alpha") / "exercises.yaml") in message
    assert str(Path("beta") / "exercises.yaml") in message


@pytest.mark.parametrize(("name", "words"), [
    ("unknown_kind", ["kind 'numbr'", 'Did you mean "number"?']),
    ("missing_message", ["has no why"]),
    ("duplicate_id", ["the id 9.1 is used twice"]),
    ("unknown_key", ["key 'mistake'", 'Did you mean "mistakes"?']),
    ("two_hints", ["needs 3 hints"]),
    ("answer_not_an_option", ["answer 'C' is not one of the options"]),
    ("malformed_brace", ["a brace that does not close"]),
])
def test_a_malformed_file_is_an_authoring_error_naming_the_file_and_exercise(name, words):
    path = MALFORMED / f"{name}.yaml"
    with pytest.raises(ExerciseAuthoringError) as error:
        load_exercise_set(path)
    message = str(error.value)
    assert f"{path}, exercise 9.1" in message
    for word in words:
        assert word in message


def test_a_function_that_does_not_exist_is_an_authoring_error_when_prepared():
    """Reading the file imports no theme; the missing function is found when it is needed."""
    exercise = load_exercise_set(MALFORMED / "missing_function.yaml").exercises[0]
    with pytest.raises(ExerciseAuthoringError) as error:
        prepare(exercise, hand_counted_data())
    message = str(error.value)
    assert "missing_function.yaml, exercise 9.1" in message
    assert "requests_in_the_last_year" in message
    assert "cda_lib.themes.welcome.exercises" in message


def test_an_exercise_file_with_a_yaml_alias_is_refused_before_it_expands():
    text = ("functions: cda_lib.themes.welcome.exercises\nset: '9'\ntitle: &t Alias\n"
            "notebook: x.ipynb\nexercises: *t\n")
    with pytest.raises(ExerciseAuthoringError, match="anchor"):
        read_exercise_set(text, "aliased.yaml")
