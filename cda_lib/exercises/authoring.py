"""One source, two copies: the participant's (solutions removed) and the coach's (kept).

An exercise notebook in ``exercises/`` holds the solutions, marked the way nbgrader
and otter-grader mark them:

- ``# BEGIN SOLUTION`` ... ``# END SOLUTION`` lines wrap solution code; the participant
  copy has ``# Write your code here.`` in their place;
- a line of code ending in ``# SOLUTION`` becomes ``...`` (an assignment keeps its
  left side: ``answer = len(x)  # SOLUTION`` becomes ``answer = ...``);
- a markdown cell tagged ``solution`` becomes "Write your answer here.";
- a cell tagged ``coach-note`` is kept only in the coach copy.

The coach copy keeps solutions and notes (without the marker comments), opens with a
notice that it holds the answers, and sets ``record_answers = False`` in its
parameters cell so that running it records nothing in the city's workspace. Both
copies are plain notebooks without outputs; the build gives each its city through
papermill, the same way as every teaching notebook (:func:`inject_city` does it
without running anything).

A malformed marker or an unknown cell tag is an :class:`ExerciseAuthoringError`
that names the notebook and the cell.

>>> import nbformat
>>> source = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
...     "answer = len(requests)  # SOLUTION\\nexercises.check('0.1', answer)")])
>>> print(strip_solutions(source.cells[0].source))
answer = ...
exercises.check('0.1', answer)
"""

from __future__ import annotations

import ast
import copy
import re
from collections.abc import Callable
from pathlib import Path

import nbformat
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from cda_lib.core import paths
from cda_lib.core.errors import did_you_mean, list_choices
from cda_lib.exercises import catalog
from cda_lib.exercises.errors import ExerciseAuthoringError
from cda_lib.exercises.kinds import PLACEHOLDER
from cda_lib.text.translation import N_, gettext as _

# The closed list of cell tags, for teaching and exercise notebooks alike (a test lints
# every committed notebook against it): tag -> what it means.
CELL_TAGS = {
    "parameters": "the code cell papermill gives the city to (one per notebook)",
    "raises-exception": "a cell that shows an error on purpose (nbclient and nbval expect it)",
    "coach-note": "kept only in the coach copy",
    "solution": 'a markdown model answer; "Write your answer here." in the participant copy',
}
ALLOWED_TAGS = frozenset(CELL_TAGS)

BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"
SOLUTION_LINE = re.compile(r"^(?P<code>.*\S)\s*# SOLUTION\s*$")
NEAR_MISS = re.compile(r"#\s*(begin|end)\s*solution|#\s*solutions?\s*$", re.IGNORECASE)
CODE_PLACEHOLDER = N_("# Write your code here.")
EXERCISE_CALL = re.compile(
    r"exercises\.(check|hint|widget|show_choices|solution|question)\(\s*[\"']([^\"']*)[\"']")
ANSWERING_CALLS = {"check", "widget"}  # the calls that let a participant answer an exercise
RECORD_LINE = "record_answers = True"
COACH_RECORD_LINE = "record_answers = False  # the coach copy records nothing"
CITY_LINE = re.compile(r'^city = "[a-z0-9-]+"$', re.MULTILINE)
COPY_METADATA = "cda_exercises"  # notebook metadata: which copy, made from which source
COACH_NOTICE_ID = "coach-copy-notice"
COACH_NOTICE = N_(
    "**Coach copy.** This copy holds the model answers and the coach notes, run with your "
    "city's data so that every check shows what a right answer looks like. Running it records "
    "nothing in the city's workspace. Participants have their own copy without the answers: "
    "please do not share this one with them."
)


class _MarkerError(Exception):
    """A problem in one cell; the caller adds the notebook and cell."""


# --- finding and reading ------------------------------------------------------------------


def exercises_dir() -> Path:
    """The folder of exercise notebooks (their single source)."""
    return paths.project_dir() / "exercises"


def find_exercise_notebooks(root: str | Path | None = None) -> list[Path]:
    """Every exercise notebook under ``root``, in reading order (``NN_theme/NN_name.ipynb``)."""
    root = Path(root) if root is not None else exercises_dir()
    found = []
    for path in sorted(root.rglob("*.ipynb")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue  # .ipynb_checkpoints and other editor leftovers
        if not re.fullmatch(r"\d\d_[a-z0-9_]+/\d\d_[a-z0-9_]+\.ipynb", relative.as_posix()):
            raise ExerciseAuthoringError(
                f"The exercise notebook {relative.as_posix()} does not follow the naming rule "
                "NN_theme/NN_name.ipynb (for example 00_welcome/01_your_city_in_numbers.ipynb). "
                "Rename it, or move it out of the exercises folder."
            )
        found.append(path)
    return found


def read_exercise_notebook(path: str | Path) -> nbformat.NotebookNode:
    """Read an exercise notebook file, with a clear error when it is not one."""
    path = Path(path)
    try:
        return nbformat.read(path, as_version=4)
    except FileNotFoundError:
        raise ExerciseAuthoringError(f"There is no exercise notebook at {path}.") from None
    except Exception as error:  # nbformat raises several kinds for a damaged file
        raise ExerciseAuthoringError(
            f"{path.name} is not a readable notebook ({error}). Restore it from version control."
        ) from error


def notebook_name(path: str | Path) -> str:
    """How messages and copies name a notebook: its path inside ``exercises/``."""
    path = Path(path).resolve()
    try:
        return path.relative_to(exercises_dir().resolve()).as_posix()
    except ValueError:
        return path.name


def _load(notebook, name: str | None) -> tuple[nbformat.NotebookNode, str]:
    if isinstance(notebook, (str, Path)):
        return read_exercise_notebook(notebook), name or notebook_name(notebook)
    return notebook, name or "the exercise notebook"


# --- checking a source notebook -----------------------------------------------------------


def find_problems(notebook: nbformat.NotebookNode, name: str = "the exercise notebook"
                  ) -> list[str]:
    """Every problem in a source notebook, each naming the notebook and the cell."""
    problems: list[str] = []
    for index, cell in enumerate(notebook.cells):
        where = _where(name, index, cell)
        for problem in _cell_problems(cell):
            problems.append(f"{where}: {problem}")
    problems += _notebook_problems(notebook, name)
    return problems


def validate_exercise_notebook(notebook, name: str | None = None) -> None:
    """Raise :class:`ExerciseAuthoringError` for the first problem (saying how many more)."""
    notebook, name = _load(notebook, name)
    problems = find_problems(notebook, name)
    if problems:
        more = len(problems) - 1
        extra = f" ({more} more problem{'s' if more > 1 else ''} after this one.)" if more else ""
        raise ExerciseAuthoringError(problems[0] + extra)


def _where(name: str, index: int, cell) -> str:
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    shown = first if len(first) <= 50 else first[:47] + "..."
    return f'In {name}, cell {index + 1} ({cell.cell_type}, starting "{shown}")'


def _cell_problems(cell) -> list[str]:
    problems = []
    tags = cell.metadata.get("tags", [])
    for tag in tags:
        if tag not in ALLOWED_TAGS:
            problems.append(f'the tag "{tag}" is not one of the workbook\'s cell tags.'
                            f"{did_you_mean(tag, ALLOWED_TAGS)} The tags are "
                            f"{list_choices(sorted(ALLOWED_TAGS))}.")
    if "solution" in tags and cell.cell_type != "markdown":
        problems.append('the "solution" tag is for markdown answers; mark solution code with '
                        f"{BEGIN} / {END}, or end a line with # SOLUTION.")
    if "solution" in tags and "coach-note" in tags:
        problems.append('a cell cannot be both a "solution" and a "coach-note": keep one tag.')
    if "parameters" in tags and cell.cell_type != "code":
        problems.append('the "parameters" tag belongs on a code cell.')
    if cell.cell_type == "markdown" and any(_is_marker(line) for line in cell.source.splitlines()):
        problems.append("solution markers work only in code cells; tag a markdown answer "
                        '"solution" instead.')
    if cell.cell_type == "code":
        for keep in (False, True):
            try:
                _check_python(strip_solutions(cell.source, keep=keep), keep)
            except _MarkerError as problem:
                problems.append(str(problem))
                break
    return problems


def _is_marker(line: str) -> bool:
    stripped = line.strip()
    return stripped in {BEGIN, END} or bool(NEAR_MISS.search(stripped)) \
        or bool(SOLUTION_LINE.match(line))


def _check_python(source: str, coach: bool) -> None:
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        ast.parse(TransformerManager().transform_cell(source))
    except SyntaxError as error:
        copy_name = "coach" if coach else "participant"
        raise _MarkerError(f"in the {copy_name} copy this cell is not valid Python "
                             f"({error.msg}, line {error.lineno}). Check the solution markers "
                             "around that line.") from None


def _notebook_problems(notebook, name: str) -> list[str]:
    problems = []
    metadata = notebook.metadata
    if not (metadata.get("kernelspec", {}).get("name") and metadata.get("language_info", {})
            .get("name")):
        problems.append(f"{name} does not say which kernel and language it uses (kernelspec and "
                        "language_info metadata); open it in JupyterLab with the Python 3 kernel "
                        "and save it.")
    parameters = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    if len(parameters) != 1:
        problems.append(f"{name} needs exactly one code cell tagged parameters (it has "
                        f"{len(parameters)}), declaring the city and {RECORD_LINE}.")
    else:
        source = parameters[0].source
        if not CITY_LINE.search(source) or RECORD_LINE not in source.splitlines():
            problems.append(f'In {name}, the parameters cell should set city = "<a city id>" and '
                            f"{RECORD_LINE}, each on its own line.")
    problems += _exercise_id_problems(notebook, name)
    return problems


def _exercise_id_problems(notebook, name: str) -> list[str]:
    problems = []
    known = set(catalog.exercise_ids())
    answered = set()
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        for call, exercise_id in EXERCISE_CALL.findall(cell.source):
            if exercise_id not in known:
                problems.append(f'{_where(name, index, cell)}: there is no exercise '
                                f'"{exercise_id}".{did_you_mean(exercise_id, known)} The '
                                f"exercises are {list_choices(catalog.exercise_ids(), limit=20)}.")
            if call in ANSWERING_CALLS and "coach-note" not in cell.metadata.get("tags", []):
                answered.add(exercise_id)
    exercise_set = catalog.set_for_notebook(name)
    if exercise_set is not None:
        missing = [i for i in exercise_set.ids if i not in answered]
        if missing:
            problems.append(f"{name} never lets participants answer exercise"
                            f"{'s' if len(missing) > 1 else ''} {list_choices(missing)} of its "
                            "set: add a cell calling exercises.check or exercises.widget for "
                            "each.")
    return problems


# --- the copies ---------------------------------------------------------------------------


def strip_solutions(source: str, *, keep: bool = False) -> str:
    """Apply the solution markers to one code cell's source.

    ``keep=False`` (participant copy) removes the solutions; ``keep=True`` (coach copy)
    keeps them and removes only the marker comments. Raises ``_MarkerError`` (wrapped
    by the callers into an error naming the notebook and cell) for a malformed marker.
    """
    out: list[str] = []
    block_started: int | None = None
    for number, line in enumerate(source.split("\n"), start=1):
        stripped = line.strip()
        if stripped == BEGIN:
            if block_started is not None:
                raise _MarkerError(f"line {number} opens a second {BEGIN} before the one on "
                                     f"line {block_started} is closed with {END}.")
            block_started = number
            if not keep:
                indent = line[: len(line) - len(line.lstrip())]
                # A lone comment cannot be the body of an indented block: keep a "..." there.
                out.append(indent + (_(CODE_PLACEHOLDER) if not indent
                                     else "...  " + _(CODE_PLACEHOLDER)))
            continue
        if stripped == END:
            if block_started is None:
                raise _MarkerError(f"line {number} has {END} without a {BEGIN} before it.")
            block_started = None
            continue
        marked = SOLUTION_LINE.match(line)
        if marked:
            if block_started is not None:
                raise _MarkerError(f"line {number} ends in # SOLUTION inside the {BEGIN} block "
                                     f"opened on line {block_started}; use one or the other.")
            out.append(marked.group("code").rstrip() if keep else _blank_out(marked.group("code"),
                                                                               number))
            continue
        if NEAR_MISS.search(stripped):
            raise _MarkerError(f'line {number} ("{stripped[:40]}") looks like a solution marker '
                                 f"but is not written exactly as {BEGIN}, {END} or a line of code "
                                 "ending in # SOLUTION (capitals, one space).")
        if block_started is not None and not keep:
            continue
        out.append(line)
    if block_started is not None:
        raise _MarkerError(f"the {BEGIN} on line {block_started} is never closed with {END}.")
    return "\n".join(out)


def _blank_out(code: str, number: int) -> str:
    """``answer = len(x)`` → ``answer = ...``; any other statement → ``...``."""
    indent = code[: len(code) - len(code.lstrip())]
    statement = code.strip()
    try:
        tree = ast.parse(statement)
    except SyntaxError:
        raise _MarkerError(f"line {number} ends in # SOLUTION but is not a whole statement on "
                             f"one line; wrap longer solutions in {BEGIN} / {END}.") from None
    node = tree.body[0] if len(tree.body) == 1 else None
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value is not None:
        return indent + statement[: node.value.col_offset] + "..."
    return indent + "..."


def participant_copy(notebook, *, name: str | None = None,
                     city: str | None = None) -> nbformat.NotebookNode:
    """The participant's copy: solutions and coach notes removed, outputs cleared.

    ``notebook`` is a source notebook or its path. With ``city``, the city is injected
    as papermill would (:func:`inject_city`). The source is checked first; a problem
    raises :class:`ExerciseAuthoringError` naming the notebook and the cell.
    """
    return _make_copy(notebook, name, city, "participant", _participant_cell)


def coach_copy(notebook, *, name: str | None = None,
               city: str | None = None) -> nbformat.NotebookNode:
    """The coach's copy: solutions (without marker comments) and coach notes kept, a notice
    at the top, ``record_answers = False``; outputs cleared, ready for the build to run."""
    made = _make_copy(notebook, name, city, "coach", _coach_cell)
    notice = nbformat.v4.new_markdown_cell(_(COACH_NOTICE), metadata={"tags": ["coach-note"]})
    notice["id"] = COACH_NOTICE_ID
    made.cells.insert(1 if made.cells else 0, notice)
    return made


def _make_copy(notebook, name: str | None, city: str | None, which: str,
               transform: Callable) -> nbformat.NotebookNode:
    source, name = _load(notebook, name)
    validate_exercise_notebook(source, name)
    made = copy.deepcopy(source)
    cells = []
    for cell in made.cells:
        changed = transform(cell)
        if changed is not None:
            _clear(changed)
            cells.append(changed)
    made.cells = cells
    made.metadata[COPY_METADATA] = {"copy": which, "source": name}
    made.metadata.pop("widgets", None)  # saved widget state belongs to a run, not a source
    return inject_city(made, city) if city is not None else made


def _participant_cell(cell):
    tags = cell.metadata.get("tags", [])
    if "coach-note" in tags:
        return None
    if cell.cell_type == "markdown" and "solution" in tags:
        cell.source = _(PLACEHOLDER)
        cell.metadata["tags"] = [t for t in tags if t != "solution"]
        if not cell.metadata["tags"]:
            del cell.metadata["tags"]
    elif cell.cell_type == "code":
        cell.source = strip_solutions(cell.source, keep=False)
    return cell


def _coach_cell(cell):
    if cell.cell_type == "code":
        cell.source = strip_solutions(cell.source, keep=True)
        if "parameters" in cell.metadata.get("tags", []):
            cell.source = "\n".join(COACH_RECORD_LINE if line == RECORD_LINE else line
                                    for line in cell.source.split("\n"))
    return cell


def _clear(cell) -> None:
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
    cell.metadata.pop("execution", None)  # run timings from the author's session


def inject_city(notebook: nbformat.NotebookNode, city_id: str) -> nbformat.NotebookNode:
    """A copy of ``notebook`` given its city, exactly as papermill gives it (an
    ``injected-parameters`` cell after the parameters cell), without running anything."""
    made = load_notebook_node(notebook)  # papermill's own preparation (it copies)
    made = parameterize_notebook(made, {"city": city_id})
    for cell in made.cells:  # leave out the empty metadata papermill adds to every cell
        for key in ("tags", "papermill"):
            if not cell.metadata.get(key, True):
                del cell.metadata[key]
    return made
