"""Exercise definitions as data: one YAML file per exercise set, read strictly.

An exercise set is a YAML file beside its theme's Python module. The file holds every
word a participant reads (titles, questions, messages, mistakes, hints, option labels,
widget labels), so that a translation catalog can carry them; the module holds what
cannot be data: the functions that compute expected answers, facts and mistaken values
from a city's data. The file names that module once, at the top (``functions:``), and
then each function by its plain name in it. Functions are resolved with importlib when
an exercise is first prepared, so reading the files imports no theme.

Each kind of exercise has a shape (``shapes.yaml`` beside this module): the start
message, widget and (for a reflection) empty messages that its exercises share unless
they say otherwise. A mistake in a file raises :class:`ExerciseAuthoringError` naming
the file and the exercise.

>>> text = '''
... functions: cda_lib.themes.welcome.exercises
... set: "9"
... title: "Exercises 9: a sample"
... notebook: 09_sample/01_sample.ipynb
... exercises:
... - id: "9.1"
...   title: Requests
...   question: How many requests?
...   kind: number
...   expected: requests_in_last_12_months
...   right: Right.
...   why: Why.
...   next_step: Try again.
...   hints: [A nudge., The idea., A worked step.]
... '''
>>> sample = read_exercise_set(text, "sample.yaml")
>>> sample.ids, sample.exercises[0].start
(['9.1'], 'Replace the ... after answer = with your answer, then run the cell again.')
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cda_lib.core.errors import did_you_mean, list_choices
from cda_lib.core.needs import NEED_KINDS, Need
from cda_lib.core.plain_yaml import PlainYamlLoader, YamlAliasRefused
from cda_lib.exercises.errors import ExerciseAuthoringError
from cda_lib.exercises.exercise import (
    Buttons,
    Dropdown,
    Exercise,
    Mistake,
    Slider,
    TextBox,
    WidgetSpec,
    always,
)
from cda_lib.exercises.feedback import HintTier
from cda_lib.exercises.kinds import AnswerKind, ChartChoice, Choice, Number, Reflection, Table

SHAPES_FILE = Path(__file__).with_name("shapes.yaml")
SET_KEYS = {"functions", "set", "title", "notebook", "exercises"}
# What each kind of answer may be told in its exercise's entry (its tolerance, unit, ...).
KIND_OPTIONS = {
    "number": {"absolute", "relative", "unit", "share"},
    "table": {"key", "value", "absolute", "relative", "ordered"},
    "choice": {"options"},
    "chart choice": {"options", "charts"},
    "reflection": set(),
}
EXERCISE_KEYS = {"id", "title", "question", "kind", "expected", "answer", "also_accepted",
                 "facts", "widget", "start", "right", "why", "next_step", "next_step_without_code",
                 "mistakes", "hints",
                 "needs", "uses", "scored_by", "inputs"}
MESSAGES = ("start", "right", "why", "next_step")
MISTAKE_KEYS = {"name", "computed_by", "answer", "message", "next_step",
                "next_step_without_code"}
WIDGET_OPTIONS = {"buttons": set(), "dropdown": {"description", "options"},
                  "slider": {"description", "bounds"}, "number box": {"description", "bounds"},
                  "text box": {"placeholder"}}
# A widget's keys it may leave out: a dropdown's options are the exercise's own unless it
# names a function giving tables to choose from.
OPTIONAL_WIDGET_KEYS = {"options"}


@dataclass(frozen=True)
class ExerciseSet:
    """The exercises of one exercise notebook, in the order they appear in it."""

    id: str
    title: str
    notebook: str  # path inside the exercises/ folder
    exercises: tuple[Exercise, ...]
    source: str = ""  # the YAML file it was read from
    # What the set's shared set-up cells need (``# section: 1.4`` in its notebook): an
    # exercise of the set runs only when they could run.
    needs: tuple[Need, ...] = ()

    @property
    def ids(self) -> list[str]:
        return [exercise.id for exercise in self.exercises]


class NamedFunction:
    """A function an exercise file names, found in its module when it is first called."""

    def __init__(self, module: str, name: str, where: str) -> None:
        self.module, self.name, self.where = module, name, where
        self._function: Callable[..., Any] | None = None

    @property
    def __name__(self) -> str:  # reads like the function it stands for
        return self.name

    def resolve(self) -> Callable[..., Any]:
        """The function itself; an authoring error when the module does not define it."""
        if self._function is None:
            module = importlib.import_module(self.module)
            function = getattr(module, self.name, None)
            if not callable(function):
                known = [n for n, v in vars(module).items() if callable(v) and not n[0].isupper()]
                raise ExerciseAuthoringError(
                    f"{self.where} names the function {self.name}, which {self.module} does "
                    f"not define.{did_you_mean(self.name, known)} Define it there, or correct "
                    "the name in the exercise file.")
            self._function = function
        return self._function

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<{self.module}.{self.name}>"


@functools.cache
def shapes() -> dict[str, dict[str, Any]]:
    """The shared shape of each kind of exercise, from ``shapes.yaml``."""
    return yaml.safe_load(SHAPES_FILE.read_text(encoding="utf-8"))


def load_exercise_set(path: Path) -> ExerciseSet:
    """Read one exercise file; an :class:`ExerciseAuthoringError` if it is malformed."""
    return read_exercise_set(Path(path).read_text(encoding="utf-8"), str(path))


def read_exercise_set(text: str, source: str) -> ExerciseSet:
    """Read an exercise set from the text of its YAML file (``source`` names the file)."""
    try:
        raw = yaml.load(text, Loader=PlainYamlLoader)
    except YamlAliasRefused as error:
        raise ExerciseAuthoringError(error.message(source, "exercise file")) from None
    except yaml.YAMLError as error:
        raise ExerciseAuthoringError(f"{source} is not valid YAML: {error}") from error
    if not isinstance(raw, dict):
        raise ExerciseAuthoringError(f"{source} should hold a mapping with the keys "
                                     f"{list_choices(sorted(SET_KEYS))}.")
    _check_keys(raw, SET_KEYS | {"needs"}, SET_KEYS, source)
    module = _text(raw, "functions", source)
    entries = raw["exercises"]
    if not isinstance(entries, list) or not entries:
        raise ExerciseAuthoringError(f"{source} lists no exercises under exercises:.")
    exercises: list[Exercise] = []
    for number, entry in enumerate(entries, start=1):
        where = f"{source}, exercise {entry.get('id', f'number {number}')}" \
            if isinstance(entry, dict) else f"{source}, exercise number {number}"
        exercise = _exercise(entry, module, where)
        if exercise.id in {e.id for e in exercises}:
            raise ExerciseAuthoringError(f"{where}: the id {exercise.id} is used twice in the "
                                         "file. Give each exercise its own id.")
        exercises.append(exercise)
    return ExerciseSet(id=_text(raw, "set", source), title=_text(raw, "title", source),
                       notebook=_text(raw, "notebook", source), exercises=tuple(exercises),
                       source=source, needs=_needs(raw.get("needs"), source))


def _exercise(entry: Any, module: str, where: str) -> Exercise:
    if not isinstance(entry, dict):
        raise ExerciseAuthoringError(f"{where} should be a mapping (id, title, question, ...).")
    kind_name = entry.get("kind")
    if kind_name not in KIND_OPTIONS:
        suggestion = did_you_mean(str(kind_name), list(KIND_OPTIONS))
        raise ExerciseAuthoringError(
            f"{where} has the kind {kind_name!r}, which the engine does not know.{suggestion} "
            f"The kinds are {list_choices(list(KIND_OPTIONS))}.")
    entry = {**shapes().get(kind_name, {}), **entry}
    graded = kind_name != "reflection"
    required = {"id", "title", "question", "kind", "hints", *MESSAGES}
    _check_keys(entry, EXERCISE_KEYS | KIND_OPTIONS[kind_name], required, where)
    if graded and ("expected" in entry) == ("answer" in entry):
        raise ExerciseAuthoringError(f"{where} needs either expected: (a function) or answer: "
                                     "(the same answer in every city), not both or neither.")

    def named(name: Any, role: str) -> NamedFunction:
        if not isinstance(name, str) or not name.isidentifier():
            raise ExerciseAuthoringError(f"{where}: {role} should name a function of {module} "
                                         f"by its plain name, not {name!r}.")
        return NamedFunction(module, name, f"{where} ({role})")

    kind = _kind(kind_name, entry, where, named)
    fixed = entry.get("answer")
    if fixed is not None and isinstance(kind, Choice) and fixed not in kind.keys:
        raise ExerciseAuthoringError(f"{where}: the answer {fixed!r} is not one of the options "
                                     f"{list_choices(kind.keys)}.")
    expected = named(entry["expected"], "expected") if "expected" in entry else always(fixed)
    fields: dict[str, Any] = {
        "id": _text(entry, "id", where), "title": _text(entry, "title", where),
        "question": _text(entry, "question", where), "kind": kind, "expected": expected,
        **{message: _text(entry, message, where, empty=not graded) for message in MESSAGES},
        "next_step_without_code": _optional_text(entry, "next_step_without_code", where),
        "hints": _hints(entry["hints"], where),
        "mistakes": tuple(_mistake(m, kind, where, named) for m in entry.get("mistakes") or ()),
        "also_accepted": tuple(named(n, "also_accepted") for n in entry.get("also_accepted", ())),
        "widget": _widget(entry.get("widget"), where, named),
        "needs": _needs(entry.get("needs"), where),
        "uses": _uses(entry.get("uses"), where),
    }
    if "facts" in entry:
        fields["facts"] = named(entry["facts"], "facts")
    if "scored_by" in entry:
        if graded:
            raise ExerciseAuthoringError(f"{where}: scored_by is for a reflection, which is "
                                         "never graded; a graded exercise has its right answer.")
        fields["scored_by"] = named(entry["scored_by"], "scored_by")
    if "inputs" in entry:
        fields["inputs"] = named(entry["inputs"], "inputs")
    try:
        return Exercise(**fields)
    except (ValueError, IndexError) as error:  # the wrong number of hints, a malformed brace
        if "hints" in str(error):
            raise ExerciseAuthoringError(f"{where}: {error}") from error
        raise ExerciseAuthoringError(
            f"{where}: one of its texts has a brace that does not close ({error}). Write a "
            "fact as {name}, and a brace itself as {{ or }}.") from error


def _needs(raw: Any, where: str) -> tuple[Need, ...]:
    """``needs: {months: 12, closed: 30}``: what the city's data must hold (a kind of
    :class:`~cda_lib.core.needs.Need` and its least amount; ``coordinates: 1``)."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise ExerciseAuthoringError(f"{where}: needs should be a mapping of a kind of need to "
                                     "its least amount, such as {months: 12, closed: 30}.")
    needs = []
    for kind, amount in raw.items():
        if kind not in NEED_KINDS:
            raise ExerciseAuthoringError(
                f"{where}: {kind!r} is not a kind of need.{did_you_mean(str(kind), NEED_KINDS)} "
                f"The kinds are {list_choices(NEED_KINDS)}.")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
            raise ExerciseAuthoringError(f"{where}: the need {kind} should be a whole number of "
                                         f"1 or more, not {amount!r}.")
        needs.append(Need(kind, amount))
    return tuple(needs)


def _uses(raw: Any, where: str) -> tuple[str, ...]:
    """``uses: [1.2.3]``: the exercises whose cells this one's cells use (a value they set)."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(item, (str, float)) for item in raw):
        raise ExerciseAuthoringError(f"{where}: uses should be a list of exercise ids, such "
                                     "as [1.2.3].")
    return tuple(str(item) for item in raw)


def _kind(name: str, entry: dict[str, Any], where: str, named) -> AnswerKind:
    options = {key: entry[key] for key in KIND_OPTIONS[name] if key in entry}
    if name == "number":
        return Number(**options)
    if name == "table":
        return Table(**options)
    if name == "reflection":
        return Reflection()
    choices = options.get("options")
    if not isinstance(choices, dict) or len(choices) < 2:
        raise ExerciseAuthoringError(f"{where} is a choice, so it needs options: a mapping of "
                                     "at least two letters to their labels.")
    pairs = tuple((str(key), _text(choices, key, where)) for key in choices)
    if name == "choice":
        return Choice(options=pairs)
    charts = options.get("charts") or {}
    if set(charts) != set(choices):
        raise ExerciseAuthoringError(f"{where} is a chart choice, so charts: should name one "
                                     f"function for each option {list_choices(list(choices))}.")
    return ChartChoice(options=pairs, charts={str(key): named(function, f"chart {key}")
                                              for key, function in charts.items()})


def _mistake(raw: Any, kind: AnswerKind, where: str, named) -> Mistake:
    if not isinstance(raw, dict):
        raise ExerciseAuthoringError(f"{where}: each mistake should be a mapping with a name, "
                                     "computed_by or answer, and a message.")
    name = raw.get("name", "?")
    place = f"{where}, mistake {name!r}"
    _check_keys(raw, MISTAKE_KEYS, {"name", "message"}, place)
    if ("computed_by" in raw) == ("answer" in raw):
        raise ExerciseAuthoringError(f"{place} needs either computed_by: (a function) or "
                                     "answer: (the same wrong answer in every city).")
    if "answer" in raw and isinstance(kind, Choice) and raw["answer"] not in kind.keys:
        raise ExerciseAuthoringError(f"{place}: the answer {raw['answer']!r} is not one of the "
                                     f"options {list_choices(kind.keys)}.")
    answer = named(raw["computed_by"], f"mistake {name!r}") if "computed_by" in raw \
        else always(raw["answer"])
    return Mistake(_text(raw, "name", place), answer, _text(raw, "message", place),
                   _text(raw, "next_step", place) if "next_step" in raw else "",
                   _optional_text(raw, "next_step_without_code", place))


def _optional_text(raw: dict, key: str, place: str) -> str:
    return _text(raw, key, place) if key in raw else ""


def _hints(raw: Any, where: str) -> tuple[HintTier, ...]:
    if not isinstance(raw, list):
        raise ExerciseAuthoringError(f"{where}: hints should be a list (a nudge, the idea, a "
                                     "worked step).")
    tiers = []
    for hint in raw:
        if isinstance(hint, str):
            tiers.append(HintTier(hint))
        elif isinstance(hint, dict) and set(hint) <= {"text", "code"} and "text" in hint:
            tiers.append(HintTier(_text(hint, "text", where),
                                  _text(hint, "code", where) if "code" in hint else ""))
        else:
            raise ExerciseAuthoringError(f"{where}: a hint is a text, or a mapping of text: "
                                         "and code:.")
    return tuple(tiers)


def _widget(raw: Any, where: str, named) -> WidgetSpec | None:
    if raw is None:
        return None
    spec = {"kind": raw} if isinstance(raw, str) else raw
    kind = spec.get("kind") if isinstance(spec, dict) else None
    if kind not in WIDGET_OPTIONS:
        raise ExerciseAuthoringError(f"{where} has a widget of the kind {kind!r}. The widget "
                                     f"kinds are {list_choices(list(WIDGET_OPTIONS))}.")
    _check_keys(spec, {"kind", *WIDGET_OPTIONS[kind]},
                {"kind", *WIDGET_OPTIONS[kind]} - OPTIONAL_WIDGET_KEYS, f"{where}, widget")
    if kind == "buttons":
        return Buttons()
    if kind == "dropdown":
        options = named(spec["options"], "dropdown options") if "options" in spec else None
        return Dropdown(description=_text(spec, "description", where), options=options)
    if kind in ("slider", "number box"):
        return Slider(bounds=named(spec["bounds"], "slider bounds"),
                      description=_text(spec, "description", where), typed=kind == "number box")
    return TextBox(placeholder=_text(spec, "placeholder", where))


def _check_keys(raw: dict[str, Any], allowed: set[str], required: set[str], where: str) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ExerciseAuthoringError(
            f"{where} has the key {unknown[0]!r}, which is not part of the format."
            f"{did_you_mean(unknown[0], sorted(allowed))} The keys are "
            f"{list_choices(sorted(allowed))}.")
    missing = [key for key in sorted(required) if key not in raw]
    if missing:
        raise ExerciseAuthoringError(f"{where} has no {missing[0]}: every entry needs "
                                     f"{list_choices(sorted(required))}.")


def _text(raw: dict[str, Any], key: str, where: str, *, empty: bool = False) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or (not value.strip() and not empty):
        raise ExerciseAuthoringError(f"{where}: {key} should be a text, not {value!r}.")
    return value
