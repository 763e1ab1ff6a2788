"""One source, two copies: the generated copies match a small expected folder, malformed
markers are errors naming the notebook and cell, and the real exercise notebooks are in sync."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from cda_lib.exercises import catalog
from cda_lib.exercises.authoring import (
    ALLOWED_TAGS,
    COPY_METADATA,
    coach_copy,
    find_exercise_notebooks,
    find_problems,
    inject_city,
    notebook_name,
    participant_copy,
    read_exercise_notebook,
    strip_solutions,
    validate_exercise_notebook,
)
from cda_lib.exercises.errors import ExerciseAuthoringError
from cda_lib.exercises.kinds import PLACEHOLDER

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"
SOURCE = FIXTURES / "source" / "01_every_marker.ipynb"


def as_json(notebook) -> dict:
    """A notebook as plain data, exactly as it would be written to disk."""
    return nbformat.reads(nbformat.writes(notebook), as_version=4)


@pytest.mark.parametrize(("which", "make"), [("participant", participant_copy),
                                            ("coach", coach_copy)])
def test_copies_match_the_expected_folder(which, make):
    expected = nbformat.read(FIXTURES / "expected" / which / SOURCE.name, as_version=4)
    made = as_json(make(SOURCE))
    assert [c.source for c in made.cells] == [c.source for c in expected.cells]
    assert made == expected


def test_copies_clear_outputs_and_saved_widget_state():
    source = read_exercise_notebook(SOURCE)
    cell = source.cells[2]
    cell.outputs = [nbformat.v4.new_output("stream", text="3 rows\n")]
    cell.execution_count = 7
    cell.metadata["execution"] = {"iopub.status.busy": "2026-11-22T10:00:00"}
    source.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    for make in (participant_copy, coach_copy):
        made = make(source, name="01_every_marker.ipynb")
        code_cells = [c for c in made.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code_cells)
        assert all("execution" not in c.metadata for c in made.cells)
        assert "widgets" not in made.metadata
    assert source.cells[2].outputs, "the source itself is left alone"


def test_the_participant_copy_keeps_no_line_of_any_solution():
    source = read_exercise_notebook(SOURCE)
    solution_lines = set()
    for cell in source.cells:
        if cell.cell_type == "markdown" and "solution" in cell.metadata.get("tags", []):
            solution_lines.add(cell.source)
        inside = False
        for line in cell.source.splitlines():
            if line.strip() == "# BEGIN SOLUTION":
                inside = True
            elif line.strip() == "# END SOLUTION":
                inside = False
            elif inside or line.rstrip().endswith("# SOLUTION"):
                solution_lines.add(line.split("# SOLUTION")[0].strip())
    text = "\n".join(c.source for c in participant_copy(source).cells)
    for line in solution_lines:
        assert line not in text


def test_a_city_is_given_the_way_papermill_gives_it():
    made = participant_copy(SOURCE, city="villa-serena")
    assert made.cells[2].metadata["tags"] == ["injected-parameters"]
    assert 'city = "villa-serena"' in made.cells[2].source
    assert made.metadata["papermill"]["parameters"] == {"city": "villa-serena"}
    assert made.cells[1].source == 'city = "riverbend"\nrecord_answers = True'
    again = inject_city(made, "riverbend")  # a second injection replaces the first
    assert [c.source for c in again.cells].count('# Parameters\ncity = "riverbend"\n') == 1


MALFORMED = [
    ("begin_without_end", 4, "is never closed with # END SOLUTION"),
    ("end_without_begin", 4, "has # END SOLUTION without a # BEGIN SOLUTION"),
    ("nested_begin", 4, "opens a second # BEGIN SOLUTION"),
    ("solution_line_inside_a_block", 4, "inside the # BEGIN SOLUTION block"),
    ("marker_alone_on_a_line", 4, "looks like a solution marker"),
    ("misspelt_marker", 4, 'line 1 ("#BEGIN SOLUTION") looks like a solution marker'),
    ("solution_line_not_a_whole_statement", 4, "not a whole statement on one line"),
    ("solution_tag_on_a_code_cell", 4, 'the "solution" tag is for markdown answers'),
    ("marker_in_markdown", 4, "solution markers work only in code cells"),
    ("unknown_exercise_id", 4, 'there is no exercise "9.9"'),
]


@pytest.mark.parametrize(("name", "cell", "words"), MALFORMED, ids=[m[0] for m in MALFORMED])
@pytest.mark.parametrize("make", [participant_copy, coach_copy])
def test_a_malformed_source_is_an_error_naming_the_notebook_and_the_cell(name, cell, words, make):
    path = FIXTURES / "malformed" / f"{name}.ipynb"
    with pytest.raises(ExerciseAuthoringError) as caught:
        make(path)
    message = str(caught.value)
    assert message.startswith(f"In {name}.ipynb, cell {cell} (")
    assert words in message


def test_a_parameters_cell_without_its_tag_is_an_error():
    with pytest.raises(ExerciseAuthoringError, match="needs exactly one code cell tagged "
                                                     "parameters"):
        validate_exercise_notebook(FIXTURES / "malformed" / "parameters_cell_not_tagged.ipynb")


def test_an_unknown_tag_is_an_error_with_the_closed_list():
    source = read_exercise_notebook(SOURCE)
    source.cells[3].metadata["tags"] = ["coach-notes"]
    with pytest.raises(ExerciseAuthoringError) as caught:
        participant_copy(source, name="01_every_marker.ipynb")
    message = str(caught.value)
    assert message.startswith("In 01_every_marker.ipynb, cell 4 (markdown, starting")
    assert 'Did you mean "coach-note"?' in message
    assert '"coach-note", "parameters", "raises-exception" and "solution"' in message


def test_every_problem_is_found_not_only_the_first():
    source = read_exercise_notebook(SOURCE)
    source.cells[4].source = "# BEGIN SOLUTION\nx = 1"
    source.cells[5].source = "x = 1\n# END SOLUTION"
    problems = find_problems(source, "two.ipynb")
    assert [p.split(":")[0] for p in problems] == [
        'In two.ipynb, cell 5 (code, starting "# BEGIN SOLUTION")',
        'In two.ipynb, cell 6 (code, starting "x = 1")']
    with pytest.raises(ExerciseAuthoringError, match=r"\(1 more problem after this one.\)"):
        validate_exercise_notebook(source, "two.ipynb")


@pytest.mark.parametrize(("source", "expected"), [
    ("answer = compute(x)  # SOLUTION", "answer = ..."),
    ("answer=1 # SOLUTION", "answer=..."),
    ("total += 1  # SOLUTION", "total += ..."),
    ("    value = 2  # SOLUTION", "    value = ..."),
    ("print(x)  # SOLUTION", "..."),
    ("x = 1  # a comment, no marker", "x = 1  # a comment, no marker"),
    ("# Here is the solution to the puzzle", "# Here is the solution to the puzzle"),
])
def test_a_line_marked_solution_becomes_dots(source, expected):
    assert strip_solutions(source) == expected


def test_the_closed_tag_list_is_the_one_the_static_test_uses():
    import test_notebooks_static

    assert test_notebooks_static.ALLOWED_TAGS == ALLOWED_TAGS
    assert {"parameters", "raises-exception", "coach-note", "solution"} == set(ALLOWED_TAGS)


# --- the real exercise notebooks ----------------------------------------------------------


def real_notebooks() -> list[Path]:
    return find_exercise_notebooks()


def test_there_are_exercise_notebooks_for_every_set():
    names = {notebook_name(path) for path in real_notebooks()}
    assert {exercise_set.notebook for exercise_set in catalog.exercise_sets()} <= names


@pytest.mark.parametrize("path", real_notebooks(), ids=lambda p: p.name)
def test_real_exercise_notebooks_are_valid_sources(path):
    validate_exercise_notebook(path)


@pytest.mark.parametrize("path", real_notebooks(), ids=lambda p: p.name)
def test_real_exercise_notebooks_follow_the_house_shape(path):
    notebook = read_exercise_notebook(path)
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    assert "**Time:**" in first.source
    assert any("## Key points" in c.source for c in notebook.cells if c.cell_type == "markdown")
    assert any("coach-note" in c.metadata.get("tags", []) for c in notebook.cells)
    assert not any(c.get("outputs") for c in notebook.cells)


@pytest.mark.parametrize("path", real_notebooks(), ids=lambda p: p.name)
def test_code_exercise_questions_in_the_notebook_match_the_catalog(path):
    """The question a code exercise prints in markdown is the catalog's, word for word."""
    exercise_set = catalog.set_for_notebook(notebook_name(path))
    text = " ".join(" ".join(c.source.split()) for c in read_exercise_notebook(path).cells
                    if c.cell_type == "markdown")
    for exercise in exercise_set.exercises:
        if exercise.widget is None:
            assert exercise.question in text, exercise.id
        assert f"## Exercise {exercise.id}:" in text, exercise.id


@pytest.mark.parametrize("path", real_notebooks(), ids=lambda p: p.name)
def test_the_participant_copy_of_a_real_notebook_hides_every_answer(path):
    made = participant_copy(path, city="riverbend")
    code = "\n".join(c.source for c in made.cells if c.cell_type == "code")
    assert "# SOLUTION" not in code and "BEGIN SOLUTION" not in code
    assert not any("coach-note" in c.metadata.get("tags", []) for c in made.cells)
    assert not any("solution(" in c.source for c in made.cells)
    checks = re.findall(r'exercises\.check\("([\d.]+)", answer\)', code)
    assert code.count("answer = ...") == len(checks)
    assert made.metadata[COPY_METADATA] == {"copy": "participant", "source": notebook_name(path)}
    assert PLACEHOLDER in [c.source for c in made.cells if c.cell_type == "markdown"]
