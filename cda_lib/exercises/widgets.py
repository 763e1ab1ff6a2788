"""No-code exercises: a slider, a menu, round buttons or a text box whose value is the answer.

A ``number box`` widget (a count of every request), and a slider over more than
:data:`MAX_SLIDER_POSITIONS` positions, is a box to type the number in, with the same bounds.

For leaders who do not write code. Each widget shows the question (with the city's
own names filled in), the control, the feedback box (updated whenever the value
changes, through the same check as code answers, so every move is recorded like
any attempt) and a "Show a hint" button that reveals the hints one at a time.
A slider starts at its lowest value and a menu with nothing chosen, so the first
feedback always follows a choice the participant made.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from cda_lib.core.pages import render_fragment
from cda_lib.exercises.errors import ExerciseUsageError
from cda_lib.exercises.exercise import Buttons, Dropdown, Exercise, Slider, TextBox
from cda_lib.exercises.kinds import Choice
from cda_lib.text.translation import gettext as _

if TYPE_CHECKING:
    from cda_lib.exercises.session import Exercises

WIDE = widgets.Layout(width="100%", max_width="720px")
SNUG = widgets.Layout(width="max-content")  # a button as wide as its words, no wider
LABEL_STYLE = {"description_width": "initial"}
# A range with more positions than this is answered in a number box, not dragged through
MAX_SLIDER_POSITIONS = 1000


class WithSnapshot:
    """A widget that also carries a static HTML snapshot of itself.

    JupyterLab shows the live widget; an HTML page made from the notebook (which cannot run
    it) shows the snapshot instead of the widget's Python form. Mix it in before the
    ipywidgets class and define :meth:`snapshot_html`.
    """

    def snapshot_html(self) -> str:
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if not isinstance(bundle, dict):
            return bundle
        note = _("In JupyterLab this is a form to fill in, without code.")
        return {**bundle, "text/html": self.snapshot_html() + (
            f'<p class="cda-widget-note"><em>{html.escape(note)}</em></p>'),
            "text/plain": note}


class ExerciseWidget(WithSnapshot, widgets.VBox):
    """The question, the control, the feedback and the hints of one no-code exercise.

    Its parts are reachable by name (``control``, ``feedback``, ``hint_button``,
    ``hints``, and ``save`` for a reflection), for tests and for authors.
    """

    def snapshot_html(self) -> str:
        """The question and the feedback as they stand (the control cannot be drawn)."""
        question = self.children[0].value if self.children else ""
        return f'<div class="cda-exercise-snapshot">{question}{self.feedback.value}</div>'

    control: widgets.Widget
    feedback: widgets.HTML
    hint_button: widgets.Button
    hints: widgets.HTML
    save: widgets.Button | None = None


def exercise_widget(session: Exercises, exercise: Exercise) -> ExerciseWidget:
    """Build the widget that answers ``exercise`` for ``session``'s city and participant."""
    spec = exercise.widget
    if spec is None:
        raise ExerciseUsageError(_(
            "Exercise {id} is answered in code, so it has no widget. Write your answer after "
            'answer = and run exercises.check("{id}", answer).', id=exercise.id))
    question = widgets.HTML(render_fragment(
        "pages/exercise_question.html.j2", exercise_id=exercise.id,
        question=session.question(exercise.id)), layout=WIDE)
    feedback = widgets.HTML(_feedback_html(session, exercise.id, ...), layout=WIDE)
    hints = widgets.HTML("", layout=WIDE)

    def answer(value: Any) -> None:
        feedback.value = _feedback_html(session, exercise.id, value)

    controls = _controls(session, exercise, spec, answer)
    hint_button = widgets.Button(description=_("Show a hint"),
                                 tooltip=_("One more hint each time"),
                                 icon="question", layout=SNUG)

    def show_hint(_button: widgets.Button) -> None:
        hints.value = session.hint(exercise.id)._repr_html_()

    hint_button.on_click(show_hint)
    box = ExerciseWidget([question, *controls, feedback, hint_button, hints], layout=WIDE)
    box.add_class("cda-exercise-widget")
    box.feedback, box.hint_button, box.hints = feedback, hint_button, hints
    box.control = next(c for c in controls
                       if isinstance(c, widgets.ValueWidget) and not isinstance(c, widgets.HTML))
    box.save = next((c for c in controls if isinstance(c, widgets.Button)), None)
    return box


def _feedback_html(session: Exercises, exercise_id: str, value: Any) -> str:
    return session.check(exercise_id, value, via_widget=True)._repr_html_()


def _controls(session: Exercises, exercise: Exercise, spec: Any, answer) -> list[widgets.Widget]:
    if isinstance(spec, Slider):
        return _slider(session, spec, answer)
    if isinstance(spec, TextBox):
        return _text_box(spec, answer)
    kind = exercise.kind
    if isinstance(spec, Dropdown) and spec.options is not None:
        return [_table_menu(session, exercise, spec, answer)]
    if not isinstance(kind, Choice):
        raise ExerciseUsageError(f"Exercise {exercise.id}'s widget offers options, but the "
                                 "exercise has none.")
    options = [(f"{key}. {_(label)}", key) for key, label in kind.options]
    if isinstance(spec, Dropdown):
        control = widgets.Dropdown(options=options, value=None, description=_(spec.description),
                                   style=LABEL_STYLE, layout=SNUG)
    elif isinstance(spec, Buttons):
        control = widgets.RadioButtons(options=options, value=None, layout=WIDE)
        control.add_class("cda-choices")
    else:
        raise ExerciseUsageError(f"Exercise {exercise.id} has a widget of an unknown kind.")

    def chosen(change: dict[str, Any]) -> None:
        if change["new"] is not None:
            answer(change["new"])

    control.observe(chosen, names="value")
    if isinstance(spec, Buttons):
        # the stylesheet's .cda-choices rules let a long option wrap onto several lines
        return [widgets.HTML(render_fragment("pages/widget_style.html.j2")), control]
    return [control]


def _table_menu(session: Exercises, exercise: Exercise, spec: Dropdown, answer):
    """A menu of the tables ``Exercises.show_choices`` draws: choosing one checks it."""
    tables = session.table_choices(exercise.id)
    options = [(_("Table {letter}", letter=letter), letter) for letter in tables]
    control = widgets.Dropdown(options=options, value=None, description=_(spec.description),
                               style=LABEL_STYLE, layout=SNUG)

    def chosen(change: dict[str, Any]) -> None:
        if change["new"] is not None:
            answer(tables[change["new"]])

    control.observe(chosen, names="value")
    return control


def readout_decimals(step: float) -> int:
    """The decimals a slider shows: as many as its step has, so every position reads apart.

    >>> readout_decimals(1), readout_decimals(0.05), readout_decimals(0.001)
    (0, 2, 3)
    """
    text = f"{float(step):.6f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def _slider(session: Exercises, spec: Slider, answer) -> list[widgets.Widget]:
    low, high, step = spec.bounds(session.data)
    whole = all(float(v).is_integer() for v in (low, high, step))
    if spec.typed or (high - low) / step > MAX_SLIDER_POSITIONS:
        return _number_box(spec, low, high, step, whole, answer)
    make = widgets.IntSlider if whole else widgets.FloatSlider
    # the number beside the slider can be typed into as well as dragged
    slider = make(value=low, min=low, max=high, step=step, description=_(spec.description),
                  continuous_update=False,
                  readout_format=",d" if whole else f",.{readout_decimals(step)}f",
                  style=LABEL_STYLE, layout=WIDE)
    slider.observe(lambda change: answer(change["new"]), names="value")
    return [slider]


def _number_box(spec: Slider, low: float, high: float, step: float, whole: bool,
                answer) -> list[widgets.Widget]:
    """A box to type a number in, for a range too long to drag through: a count of every
    request has tens of thousands of positions, and no slider stops on one of them."""
    make = widgets.BoundedIntText if whole else widgets.BoundedFloatText
    box = make(value=low, min=low, max=high, step=step, description=_(spec.description),
               continuous_update=False, style=LABEL_STYLE, layout=SNUG)
    box.observe(lambda change: answer(change["new"]), names="value")
    how = _("Type the number, then press Enter: it is checked at once.")
    note = widgets.HTML(f'<p class="cda-widget-note">{html.escape(how)}</p>', layout=WIDE)
    return [box, note]


def _text_box(spec: TextBox, answer) -> list[widgets.Widget]:
    text = widgets.Textarea(placeholder=_(spec.placeholder), rows=4, layout=WIDE)
    save = widgets.Button(description=_("Save my reflection"), button_style="primary", icon="save",
                          layout=SNUG)
    save.on_click(lambda _button: answer(text.value))
    return [text, save]
