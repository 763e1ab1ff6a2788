"""One exercise, and how an answer to it is judged against a city's own data.

An :class:`Exercise` holds the question, the kind of answer, a function that
computes the expected answer from a city's data, the common mistakes (each a
function giving the wrong answer that mistake produces, with a kind message), three
tiers of hints and, for leaders who do not code, the widget that answers it.
Exercises are written as data (:mod:`cda_lib.exercises.definitions` reads them), so
their functions may be named ones, found in their theme's module when first prepared.
:func:`prepare` computes everything that depends on the city once; :func:`judge`
turns an answer into :class:`~cda_lib.exercises.feedback.Feedback` and never raises
on a wrong answer or a wrong type.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cda_lib.core.errors import CdaError
from cda_lib.core.needs import Need, unmet_sentence
from cda_lib.exercises.feedback import (
    CANNOT_CHECK,
    CORRECT,
    NOT_AVAILABLE,
    NOT_STARTED,
    NOT_YET,
    SAVED,
    Feedback,
    HintTier,
)
from cda_lib.exercises.kinds import AnswerFormError, AnswerKind, Reflection, describe
from cda_lib.text.translation import N_, format_message, gettext as _

if TYPE_CHECKING:
    from cda_lib.data import CityData

HINT_TIERS = 3  # nudge, concept, worked step
# A reflection shorter than this is saved as it is, with an invitation to say a bit more.
SHORT_REFLECTION_WORDS = 8


@dataclass(frozen=True)
class Mistake:
    """A common wrong answer: how to compute it from the city's data, and what to say."""

    name: str
    answer: Callable[[CityData], Any]
    message: str
    next_step: str = ""
    # What the feedback of a no-code widget says instead of a next step that names code
    next_step_without_code: str = ""

    def step(self, without_code: bool) -> str:
        return (self.next_step_without_code if without_code else "") or self.next_step


@dataclass(frozen=True)
class Slider:
    """A slider whose value is the answer; ``bounds`` gives (min, max, step) from the data.
    ``typed``: a box to type the number in instead (a count of every request, which has
    too many positions to drag to one)."""

    bounds: Callable[[CityData], tuple[float, float, float]]
    description: str
    typed: bool = False


@dataclass(frozen=True)
class Dropdown:
    """A drop-down menu of the exercise's options.

    ``options``, for an exercise answered by a table, gives the tables to choose from,
    computed from the city's data: a mapping of a letter to a table (one of them the right
    one, the others its named mistakes), shown by ``Exercises.show_choices``. Choosing a
    letter checks its table, as if it had been typed.
    """

    description: str
    options: Callable[[CityData], dict[str, Any]] | None = None


@dataclass(frozen=True)
class Buttons:
    """Round buttons, one per option, all visible at once."""


@dataclass(frozen=True)
class TextBox:
    """A box to write a reflection in, with a Save button."""

    placeholder: str = N_("Write two or three sentences.")


WidgetSpec = Slider | Dropdown | Buttons | TextBox


def _no_facts(data: CityData) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Exercise:
    """An exercise: question, answer kind, expected answer from the data, mistakes, hints.

    Texts may name facts in braces (``"{city} received {count:,} requests"``); the facts
    come from ``facts(data)``, plus ``city`` (the city's name) and, in messages about a
    wrong answer, ``given`` (the learner's answer as text).
    """

    id: str
    title: str
    question: str
    kind: AnswerKind
    expected: Callable[[CityData], Any]
    right: str
    why: str
    hints: tuple[HintTier, ...]
    next_step: str
    start: str  # what "not started yet" says: each kind's shape gives one (shapes.yaml)
    mistakes: tuple[Mistake, ...] = ()
    also_accepted: tuple[Callable[[CityData], Any], ...] = ()
    facts: Callable[[CityData], dict[str, Any]] = _no_facts
    widget: WidgetSpec | None = None
    # What the city's data must hold for the expected answer to be computed (months of
    # history, closed dates ...); unmet, the exercise says so and is "not available".
    needs: tuple[Need, ...] = ()
    # Exercises whose cells set values this one's cells use (as 1.2.6 uses 1.2.5's score)
    uses: tuple[str, ...] = ()
    # A reflection's feedback on the text itself (its readability, say), never a grade:
    # a function of the text that returns sentences added to the "saved" message.
    scored_by: Callable[[str], str] | None = None
    # What a participant reads to answer without code (a small table or sentence of the
    # figure's inputs, never the answer), shown by ``Exercises.inputs``.
    inputs: Callable[[CityData], Any] | None = None
    # The next step a no-code widget's feedback gives, when ``next_step`` names code
    next_step_without_code: str = ""

    def step(self, without_code: bool) -> str:
        """The next step to suggest: the no-code one to a participant using the widget."""
        return (self.next_step_without_code if without_code else "") or self.next_step

    def __post_init__(self) -> None:
        if len(self.hints) != HINT_TIERS:
            raise ValueError(f"Exercise {self.id} needs {HINT_TIERS} hints (nudge, idea, worked "
                             f"step), not {len(self.hints)}.")
        for text in self.texts():
            _placeholders(text)  # a malformed brace fails here, when the set is defined

    def texts(self) -> list[str]:
        """Every text shown to learners, for checks on the wording."""
        return [self.question, self.right, self.why, self.next_step, self.start,
                self.next_step_without_code, *(hint.text for hint in self.hints),
                *(text for m in self.mistakes
                  for text in (m.message, m.next_step, m.next_step_without_code))]

    @property
    def graded(self) -> bool:
        return not isinstance(self.kind, Reflection)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def fill(text: str, facts: dict[str, Any]) -> str:
    """An exercise file's text in the page's language, with the city's facts put in
    ("{city}" → "Riverbend"), their numbers written the language's way.

    Translated at the moment it is shown, so a notebook in Spanish reads Spanish; a text
    not yet translated (or a translation naming a fact the English does not) stays English.

    >>> fill("{city} received {count:,} requests.", {"city": "Riverbend", "count": 14615})
    'Riverbend received 14,615 requests.'
    """
    if not text:
        return text
    translated = _(text)
    try:
        return format_message(translated, **facts)
    except (KeyError, IndexError, ValueError):
        if translated == text:
            raise
        return format_message(text, **facts)


@dataclass
class Prepared:
    """An exercise's expected answer, accepted variants, mistakes and facts for one city."""

    expected: Any
    also_accepted: list[Any] = field(default_factory=list)
    mistakes: list[tuple[Mistake, Any]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    problem: str = ""
    available: bool = True  # False when the city's data lacks what the exercise needs


def prepare(exercise: Exercise, data: CityData) -> Prepared:
    """Compute what the exercise expects from this city's data (once per session).

    A mistake whose wrong answer would count as right for this city (say the city's
    data covers exactly 12 months, so "the whole period" is the right period) is
    dropped, so it can never be reported for a right answer.
    """
    _resolve_functions(exercise)
    city = data.city.name
    unmet = unmet_needs(exercise, data)
    if unmet:
        return Prepared(expected=None, facts={"city": city}, available=False,
                        problem=not_available_sentence(unmet, data))
    try:
        expected = exercise.expected(data)
        facts = {"city": city, **exercise.facts(data)}
    except CdaError as error:  # the workbook's own error says what the data lacks
        return Prepared(expected=None, facts={"city": city}, problem=_(
            "This exercise cannot be checked with {city}'s data: {error} The other exercises "
            "still work.", city=city, error=str(error)))
    except Exception as error:  # the city's data cannot answer this question
        return Prepared(expected=None, facts={"city": city}, problem=_(
            "This exercise cannot be checked with {city}'s data ({error}). Tell your coach; "
            "the other exercises still work.", city=city, error=str(error)))
    kind = exercise.kind
    prepared = Prepared(expected=expected, facts=facts)
    for accepted in exercise.also_accepted:
        value = _computed(accepted, data)
        if value is not None:
            prepared.also_accepted.append(value)
    for mistake in exercise.mistakes:
        value = _computed(mistake.answer, data)
        if value is None or not exercise.graded:
            continue
        try:
            as_answer = kind.read(value)
        except AnswerFormError:
            continue
        if not _counts_as_right(kind, as_answer, prepared):
            prepared.mistakes.append((mistake, value))
    return prepared


def unmet_needs(exercise: Exercise, data: CityData) -> list[Need]:
    """The exercise's needs that this city's data does not meet."""
    if not exercise.needs:
        return []
    facts = data.facts
    return [need for need in exercise.needs if not need.met(facts)]


def not_available_sentence(unmet: list[Need], data: CityData) -> str:
    """Why an exercise is not available for this city, in plain words."""
    return (unmet_sentence(_("This exercise"), unmet, data.facts) + " "
            + _("The other exercises still work."))


def _resolve_functions(exercise: Exercise) -> None:
    """Find the functions an exercise file names, so that a misspelt one is an authoring
    error rather than "this exercise cannot be checked"."""
    functions = (exercise.expected, exercise.facts, *exercise.also_accepted,
                 *(mistake.answer for mistake in exercise.mistakes), exercise.scored_by,
                 exercise.inputs,
                 getattr(exercise.widget, "options", None))
    for function in functions:
        resolve = getattr(function, "resolve", None) if function is not None else None
        if resolve is not None:
            resolve()


def _computed(function: Callable[[CityData], Any], data: CityData) -> Any:
    try:
        return function(data)
    except Exception:  # a variant the city's data cannot produce is simply not offered
        return None


def _counts_as_right(kind: AnswerKind, given: Any, prepared: Prepared) -> bool:
    return any(kind.matches(given, target)
               for target in [prepared.expected, *prepared.also_accepted])


def judge(exercise: Exercise, prepared: Prepared, answer: Any, *,
          hint_call: str = "", without_code: bool = False) -> Feedback:
    """Turn an answer into feedback. Never raises on a wrong answer or a wrong type.

    Order: untouched ``...`` → not started; unreadable → what was expected instead;
    right (or an accepted variant) → right, with why it matters; a known mistake → its
    message; otherwise the answer kind's own diagnosis. ``hint_call`` is how the learner
    asks for a hint here (a line of code, or "press Show a hint"); ``without_code`` (the
    answer came from the no-code widget) picks next steps that name no code.
    """
    base = {"exercise_id": exercise.id, "title": _(exercise.title)}
    facts = prepared.facts
    kind = exercise.kind
    if not prepared.available:
        return Feedback(**base, status=NOT_AVAILABLE, message=prepared.problem)
    if kind.is_untouched(answer):
        return Feedback(**base, status=NOT_STARTED, message=fill(exercise.start, facts))
    if prepared.problem:
        return Feedback(**base, status=CANNOT_CHECK, message=prepared.problem)
    try:
        given = kind.read(answer)
    except AnswerFormError as problem:
        return Feedback(**base, status=NOT_YET, message=str(problem), mistake="unreadable answer")
    except Exception:  # a strange object that even the readers cannot look at
        return Feedback(**base, status=NOT_YET, mistake="unreadable answer", message=_(
            "Your answer is {kind}, which this exercise cannot read. The question asks for "
            "{label}.", kind=describe(answer), label=_(kind.label)))
    shown = kind.summary(given)
    if not exercise.graded:
        return _saved(exercise, base, given, shown)
    try:
        return _graded(exercise, prepared, given, shown, base, hint_call, without_code)
    except Exception:  # comparing an odd answer failed: still feedback, never a crash
        return Feedback(**base, status=NOT_YET, mistake="unreadable answer", answer=shown,
                        message=_("This answer could not be compared with {city}'s figure. "
                                  "The question asks for {label}.", city=facts["city"],
                                  label=_(kind.label)))


def _graded(exercise: Exercise, prepared: Prepared, given: Any, shown: str,
            base: dict[str, str], hint_call: str, without_code: bool) -> Feedback:
    kind, facts = exercise.kind, prepared.facts
    if _counts_as_right(kind, given, prepared):
        return Feedback(**base, status=CORRECT, answer=shown, message=fill(exercise.right, facts),
                        why=fill(exercise.why, facts))
    wording = {**facts, "given": shown}
    ask = " " + _("Stuck? {hint_call}", hint_call=hint_call) if hint_call else ""
    for mistake, value in prepared.mistakes:
        if kind.matches(given, value):
            next_step = fill(mistake.step(without_code) or exercise.step(without_code), wording)
            return Feedback(**base, status=NOT_YET, answer=shown, mistake=mistake.name,
                            message=fill(mistake.message, wording), next_step=next_step + ask)
    diagnosis = kind.diagnose(given, prepared.expected)
    return Feedback(**base, status=NOT_YET, answer=shown, mistake=diagnosis.name,
                    message=diagnosis.message,
                    next_step=fill(exercise.step(without_code), wording) + ask)


def _saved(exercise: Exercise, base: dict[str, str], text: str, shown: str) -> Feedback:
    message = _("Your reflection is saved in your city's workspace. Reflections are never "
                "graded: your coach may read them to prepare the next session.")
    if len(text.split()) < SHORT_REFLECTION_WORDS:
        message += " " + _("If you have a moment, add a sentence on what you would do next, "
                           "and save again.")
    if exercise.scored_by is not None:
        message += " " + exercise.scored_by(text)
    return Feedback(**base, status=SAVED, message=message, answer=shown)


def always(answer: Any) -> Callable[[Any], Any]:
    """An expected answer (or mistake) that is the same for every city, e.g. a choice letter."""
    return lambda data: answer


class CityMemo:
    """Compute each named figure once per city's data: the same figure feeds the expected
    answer, the mistakes and the message facts (a session is one city)."""

    def __init__(self) -> None:
        self._held: dict[str, tuple[Any, Any]] = {}

    def __call__(self, name: str, data: Any, compute: Callable[[], Any]) -> Any:
        held = self._held.get(name)
        if held is not None and held[0] is data:
            return held[1]
        value = compute()
        self._held[name] = (data, value)
        return value
