"""The learner's side: ``exercises = Exercises(data)``, then ``exercises.check("0.1", answer)``.

One :class:`Exercises` object per notebook knows the city (so every expected answer
comes from that city's data), who is answering (so attempts go to their journal), and
which hints each exercise has shown so far. The answer is always passed in
explicitly; nothing looks into the notebook's variables.

>>> exercises = Exercises("riverbend", record=False)  # record=False: a coach's try-out
>>> exercises.check("0.1", ...).heading
'Not started yet.'
>>> print(exercises.check("0.1", "12,345").message)  # doctest: +NORMALIZE_WHITESPACE
Your answer is text in quotes ("12,345"). Write the number without quotes or commas, for example
12345.
>>> exercises.hint("0.1").tier
1
"""

from __future__ import annotations

import html
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cda_lib.cities.city import City
from cda_lib.core.needs import Section
from cda_lib.core.readable import ReadableTable
from cda_lib.core.sections import PageCheck, set_current_page
from cda_lib.exercises import catalog
from cda_lib.exercises.errors import ExerciseUsageError
from cda_lib.exercises.exercise import (
    Exercise,
    Prepared,
    fill,
    judge,
    prepare,
    unmet_needs,
)
from cda_lib.exercises.feedback import CORRECT, NOT_STARTED, SAVED, Feedback, Hint, HintTier
from cda_lib.exercises.journal import Journal, default_participant, journal_folder
from cda_lib.exercises.kinds import ChartChoice, Table, TableValue
from cda_lib.text.numbers import format_number
from cda_lib.text.translation import gettext as _

if TYPE_CHECKING:
    from cda_lib.data import CityData

DONE, TRIED, NOT_STARTED_YET = "done", "tried", "not started"  # progress, never grades
NOT_AVAILABLE_HERE = "not available"  # the city's data lacks what the exercise needs


class Exercises:
    """Check answers, give hints and show no-code widgets for one city's exercises.

    ``city`` is a city id, a :class:`~cda_lib.cities.city.City`, or the city's already
    loaded data (``load_city_data(city)``), which saves loading it twice.
    ``participant`` names who is answering (default: ``$CDA_PARTICIPANT`` or the login
    name); ``record=False`` records nothing (the coach's copy); ``folder`` overrides
    where journals go (default: the city's workspace, ``exercises/`` inside it).
    """

    def __init__(self, city: str | City | CityData, *, participant: str | None = None,
                 record: bool = True, folder: str | Path | None = None):
        self._data = None
        if isinstance(city, City):
            self.city_id = city.id
        elif isinstance(city, str):
            self.city_id = city
        else:  # a CityData
            self._data = city
            self.city_id = city.city.id
        name = (participant or "").strip()
        self.participant = name or default_participant()
        self.named = bool(name)
        self.record = record
        self.folder = Path(folder) if folder is not None else journal_folder(self.city_id)
        self.journal = Journal.for_participant(self.folder, city=self.city_id,
                                               participant=self.participant)
        self._prepared: dict[str, Prepared] = {}
        self._hints_shown: dict[str, int] = {}
        self._tables: dict[str, dict[str, Any]] = {}
        if self._data is not None:
            self.check_sections()

    def check_sections(self) -> PageCheck:
        """Check every exercise's needs against the city's data, for the ``%%section``
        cells of an exercise notebook (each names its exercise: ``%%section 1.1.3``).

        An exercise whose needs are not met shows why in place of its cells; an error in a
        participant's own code is shown as usual (only the workbook's own errors are turned
        into sentences)."""
        sections = []
        for exercise_set in catalog.exercise_sets():
            sections.append(Section(exercise_set.id, _("The set-up of exercises {id}",
                                                       id=exercise_set.id), exercise_set.needs))
            sections += [Section(exercise.id, _("Exercise {id}", id=exercise.id), exercise.needs,
                                 uses=exercise.uses)
                         for exercise in exercise_set.exercises]
        return set_current_page(PageCheck(_("exercises"), sections, self.data.facts,
                                          self.city_name, quiet_errors=False,
                                          reason_for=self._why_not))

    def _why_not(self, exercise_id: str) -> str:
        """Why an exercise's cells cannot run: its expected answer cannot be computed from
        this city's data ('' when it can, or for a set's set-up cells)."""
        if exercise_id not in catalog.exercise_ids():
            return ""
        return self._prepare(catalog.find_exercise(exercise_id)).problem

    # --- the city's data, loaded once ----------------------------------------------------

    @property
    def data(self) -> CityData:
        """The city's data (loaded on first use)."""
        if self._data is None:
            from cda_lib.data import load_city_data

            self._data = load_city_data(self.city_id)
        return self._data

    @property
    def city_name(self) -> str:
        return self.data.city.name

    def _prepare(self, exercise: Exercise) -> Prepared:
        if exercise.id not in self._prepared:
            self._prepared[exercise.id] = prepare(exercise, self.data)
        return self._prepared[exercise.id]

    # --- what learners call --------------------------------------------------------------

    def check(self, exercise_id: str, answer: Any, *, via_widget: bool = False) -> Feedback:
        """Check an answer against the city's data and say what to do next.

        Never raises on a wrong answer or a wrong type; ``...`` is "not started yet".
        Every attempt (not the untouched ``...``) is recorded in the journal.
        """
        exercise = catalog.find_exercise(exercise_id)
        hint_call = (_("Press Show a hint.") if via_widget
                     else _('Ask for a hint: exercises.hint("{id}").', id=exercise.id))
        feedback = judge(exercise, self._prepare(exercise), answer, hint_call=hint_call,
                         without_code=via_widget)
        note = ""
        if feedback.status != NOT_STARTED:
            note = self._record_attempt(exercise, feedback)
        return replace(feedback, city=self.city_id, participant=self.participant, note=note)

    def hint(self, exercise_id: str) -> Hint:
        """The next hint for an exercise: a nudge, then the idea, then a worked step."""
        exercise = catalog.find_exercise(exercise_id)
        shown = min(self._hints_shown.get(exercise.id, 0) + 1, len(exercise.hints))
        self._hints_shown[exercise.id] = shown
        facts = self._prepare(exercise).facts
        revealed = tuple(HintTier(fill(tier.text, facts), tier.code)
                         for tier in exercise.hints[:shown])
        self._write({"exercise": exercise.id, "event": "hint", "tier": shown})
        return Hint(exercise.id, _(exercise.title), revealed, len(exercise.hints),
                    city=self.city_id, participant=self.participant)

    def question(self, exercise_id: str) -> str:
        """The exercise's question, with the city's own names and figures filled in."""
        exercise = catalog.find_exercise(exercise_id)
        return fill(exercise.question, self._prepare(exercise).facts)

    def widget(self, exercise_id: str):
        """The no-code widget that answers an exercise: its value is the answer."""
        from cda_lib.exercises.widgets import exercise_widget

        return exercise_widget(self, catalog.find_exercise(exercise_id))

    def inputs(self, exercise_id: str) -> Any:
        """What an exercise's no-code form reads: a small table or sentence of the figure's
        inputs from the city's data (never the answer itself)."""
        exercise = catalog.find_exercise(exercise_id)
        if exercise.inputs is None:
            raise ExerciseUsageError(_("Exercise {id} shows no table of its own: its question "
                                       "names what to look at.", id=exercise.id))
        return exercise.inputs(self.data)

    def table_choices(self, exercise_id: str) -> dict[str, Any]:
        """The tables a table exercise's menu offers, by letter, from the city's data."""
        exercise = catalog.find_exercise(exercise_id)
        if exercise.id not in self._tables:
            options = getattr(exercise.widget, "options", None)
            self._tables[exercise.id] = dict(options(self.data)) if options else {}
        return self._tables[exercise.id]

    def show_choices(self, exercise_id: str) -> ChartChoices | TableChoices:
        """Draw the charts a chart-choice exercise offers (or the tables a table exercise's
        menu offers), from the city's data."""
        exercise = catalog.find_exercise(exercise_id)
        if isinstance(exercise.kind, Table) and self.table_choices(exercise.id):
            return TableChoices(exercise.kind, self.table_choices(exercise.id))
        if not isinstance(exercise.kind, ChartChoice):
            raise ExerciseUsageError(_(
                "Exercise {id} is not a choice among charts, so there are no charts to show. "
                "Answer it with exercises.check or its widget.", id=exercise.id))
        charts = [(key, _(label), exercise.kind.charts[key](self.data))
                  for key, label in exercise.kind.options]
        return ChartChoices(exercise.id, charts)

    def solution(self, exercise_id: str) -> Solution:
        """The expected answer for this city (for the coach's copy)."""
        exercise = catalog.find_exercise(exercise_id)
        prepared = self._prepare(exercise)
        text = prepared.problem or exercise.kind.show(prepared.expected)
        return Solution(exercise.id, _(exercise.title), self.city_name, text)

    def progress(self) -> pd.DataFrame:
        """This participant's exercises so far: done, tried or not started, tries and hints."""
        events = self.journal.events() if self.record else []
        rows = []
        for exercise in catalog.all_exercises():
            mine = [e for e in events if e.get("exercise") == exercise.id]
            attempts = [e for e in mine if e["event"] in {"attempt", "reflection"}]
            done = any(e.get("status") in {CORRECT, SAVED} or e["event"] == "reflection"
                       for e in attempts)
            status = DONE if done else TRIED if attempts else NOT_STARTED_YET
            if not attempts and unmet_needs(exercise, self.data):
                status = NOT_AVAILABLE_HERE
            rows.append({
                "exercise": exercise.id,
                "title": _(exercise.title),
                "status": status,
                "tries": len(attempts),
                "hints": max((e.get("tier", 0) for e in mine if e["event"] == "hint"), default=0),
            })
        return pd.DataFrame(rows)

    # --- recording -----------------------------------------------------------------------

    def _record_attempt(self, exercise: Exercise, feedback: Feedback) -> str:
        if feedback.status == SAVED:
            event = {"exercise": exercise.id, "event": "reflection", "text": feedback.answer}
        else:
            event = {"exercise": exercise.id, "event": "attempt", "status": feedback.status,
                     "mistake": feedback.mistake, "answer": feedback.answer}
        return self._write(event)

    def _write(self, event: dict[str, Any]) -> str:
        """Record an event; returns a note for the learner if it could not be saved."""
        if not self.record:
            return ""
        try:
            self.journal.add(event)
        except OSError as error:
            return _("(This answer could not be saved on this computer: {problem}. Your coach "
                     "will not see it in the progress report; tell them.)",
                     problem=str(error.strerror or error))
        return ""

    # --- how the object shows itself -----------------------------------------------------

    def describe(self) -> str:
        if not self.record:
            return _("Exercises for {city}, coach's view: answers are checked but not "
                     "recorded.", city=self.city_id)
        who = (_('as "{name}"', name=self.participant) if self.named else
               _('as "{name}" (this computer\'s user name; write your name in the cell above to '
                 "use it instead)", name=self.participant))
        return _("Exercises for {city}: your answers, hints and reflections are saved {who} in "
                 "{path}, on this computer only. Nothing is graded and nothing is sent anywhere.",
                 city=self.city_id, who=who, path=str(self.journal.path))

    def __repr__(self) -> str:
        return self.describe()

    def _repr_html_(self) -> str:
        return (f'<div class="cda-exercises" style="border-left:6px solid #56B4E9;'
                f'padding:0.4em 1em;background:#eef7fc;color:#1a1a1a">'
                f"{html.escape(self.describe())}</div>")


class ChartChoices:
    """The charts of a chart-choice exercise, side by side, each with its letter."""

    def __init__(self, exercise_id: str, charts: list[tuple[str, str, Any]]):
        self.exercise_id = exercise_id
        self.charts = charts

    def __repr__(self) -> str:
        return "\n".join(f"{key}. {label}: {chart.title}" for key, label, chart in self.charts)

    def _repr_html_(self) -> str:
        cells = []
        for key, label, chart in self.charts:
            image = chart.html().replace("<img ", '<img style="width:100%;height:auto" ', 1)
            cells.append(
                '<div style="min-width:0">'
                f'<p style="margin:0 0 0.3em"><strong>{html.escape(key)}.</strong> '
                f"{html.escape(label)}</p>{image}</div>")
        return ('<div class="cda-chart-choices" style="display:grid;'
                'grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:1em">'
                + "".join(cells) + "</div>")


class TableChoices:
    """The tables a table exercise's menu offers, side by side, each with its letter."""

    def __init__(self, kind: Table, tables: dict[str, Any]):
        self.kind = kind
        self.tables = {letter: kind.read(table)[0] for letter, table in tables.items()}

    def readable(self, letter: str) -> ReadableTable:
        table: TableValue = self.tables[letter]
        rows = [[(key, False), (format_number(value), True)] for key, value in table.rows.values()]
        return ReadableTable([_(self.kind.key).capitalize(), _(self.kind.value).capitalize()],
                             rows, caption=_("Table {letter}", letter=letter))

    def __repr__(self) -> str:
        return "\n\n".join(str(self.readable(letter)) for letter in self.tables)

    def _repr_html_(self) -> str:
        cells = "".join(f'<div style="min-width:0">{self.readable(letter)._repr_html_()}</div>'
                        for letter in self.tables)
        return ('<div class="cda-table-choices" style="display:grid;'
                'grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:1em">'
                + cells + "</div>")


class Solution:
    """The expected answer of one exercise for one city, for the coach's copy."""

    def __init__(self, exercise_id: str, title: str, city_name: str, text: str):
        self.exercise_id, self.title = exercise_id, title
        self.city_name, self.text = city_name, text

    def __repr__(self) -> str:
        return _("Exercise {id}, expected answer for {city}: {text}", id=self.exercise_id,
                 city=self.city_name, text=self.text)

    def _repr_html_(self) -> str:
        return ('<div class="cda-solution" style="border-left:6px solid #CC79A7;padding:0.4em 1em;'
                'background:#f9eff5;color:#1a1a1a"><strong>'
                + html.escape(_("Coach: expected answer for {city}, exercise {id}.",
                                city=self.city_name, id=self.exercise_id))
                + f"</strong> {html.escape(self.text)}</div>")
