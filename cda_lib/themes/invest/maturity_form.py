"""Page 2.1's questionnaire as a form: one member's name and ten scores, saved in the workspace.

Each member of the team fills the form alone, writes their name and presses **Save my
answers**: the answers go to the city's workspace (``maturity_answers``), replacing that
member's earlier answers and keeping everyone else's. Under each statement, the anchor of
the level chosen is shown, so a score always means the same thing. The logic is plain
Python, tested without a browser (set a control's value, call :meth:`Questionnaire.save`).

On a static web page the form cannot be filled in: it shows a snapshot instead, the
questionnaire as a table to read (each statement and its five anchors), never a repr.

>>> import tempfile
>>> from cda_lib.core.workspace import Workspace
>>> form = Questionnaire(Workspace("riverbend", tempfile.mkdtemp()))
>>> form.name.value = "Ana"
>>> for control in form.scores.values():
...     control.value = 3
>>> print(form.save())
Saved: Ana's 10 answers. 1 member has answered so far.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from cda_lib.core.readable import ReadableTable
from cda_lib.exercises.widgets import WithSnapshot
from cda_lib.text.translation import gettext as _, ngettext
from cda_lib.themes.invest.candidates import COMPONENT_WORDS
from cda_lib.themes.invest.maturity import (
    ANSWERS_KEY,
    LEVELS,
    Criteria,
    TeamAnswers,
    maturity_criteria,
)

if TYPE_CHECKING:
    from cda_lib.core.workspace import Workspace

WIDE = widgets.Layout(width="100%", max_width="760px")


def _recorded(workspace: Workspace) -> list[dict[str, Any]]:
    from cda_lib.core.errors import WorkspaceError

    try:
        return list(workspace.read(ANSWERS_KEY) or [])
    except WorkspaceError:
        return []


class Questionnaire(WithSnapshot, widgets.VBox):
    """The form: ``name`` (a text box), ``scores`` (one 1-5 control per statement), ``anchors``
    (the chosen level's anchor under each), ``save_button`` and ``message``."""

    def __init__(self, workspace: Workspace, criteria: Criteria | None = None,
                 **kwargs: Any) -> None:
        self.workspace = workspace
        self.criteria = criteria or maturity_criteria()
        self.name = widgets.Text(description=_("Your name"), placeholder=_("Write your name"),
                                 layout=WIDE, style={"description_width": "8em"})
        self.scores: dict[str, widgets.ToggleButtons] = {}
        self.anchors: dict[str, widgets.HTML] = {}
        children: list[widgets.Widget] = [self.name]
        for statement in self.criteria.statements:
            control = widgets.ToggleButtons(options=[(str(level), level) for level in LEVELS],
                                            value=None, style={"button_width": "3em"})
            anchor = widgets.HTML(self._anchor_html(statement.id, None), layout=WIDE)
            control.observe(lambda change, sid=statement.id: self._show_anchor(sid, change),
                            names="value")
            component, text = _(COMPONENT_WORDS[statement.component]), _(statement.text)
            label = widgets.HTML(f"<p><strong>{html.escape(component)}</strong>: "
                                 f"{html.escape(text)}</p>", layout=WIDE)
            self.scores[statement.id], self.anchors[statement.id] = control, anchor
            children += [label, control, anchor]
        self.save_button = widgets.Button(description=_("Save my answers"), icon="check")
        self.save_button.on_click(lambda _button: self.save())
        self.message = widgets.HTML("", layout=WIDE)
        super().__init__([*children, self.save_button, self.message], layout=WIDE, **kwargs)
        self.add_class("cda-maturity-form")

    def _anchor_html(self, statement_id: str, level: int | None) -> str:
        if level is None:
            text = _("Choose a level from 1 to 5.")
        else:
            anchor = self.criteria.get(statement_id).anchors[level - 1]
            text = _("Level {level}: {anchor}", level=level, anchor=_(anchor))
        return f"<p><em>{html.escape(text)}</em></p>"

    def _show_anchor(self, statement_id: str, change: dict) -> None:
        self.anchors[statement_id].value = self._anchor_html(statement_id, change["new"])

    def save(self) -> str:
        """Record this member's answers (replacing their earlier ones) and say what was saved."""
        member = self.name.value.strip()
        unanswered = [sid for sid, control in self.scores.items() if control.value is None]
        if not member:
            said = _("Write your name first, so that your answers are yours alone.")
        elif unanswered:
            said = ngettext("{count} statement has no score yet: choose a level for each, then "
                            "save again.", "{count} statements have no score yet: choose a "
                            "level for each, then save again.", len(unanswered))
        else:
            import pandas as pd

            kept = [row for row in _recorded(self.workspace) if row.get("member") != member]
            mine = [{"member": member, "statement": sid, "score": int(control.value)}
                    for sid, control in self.scores.items()]
            answers = TeamAnswers(pd.DataFrame(kept + mine), synthetic=False,
                                  criteria=self.criteria)  # checked before it is written
            self.workspace.record(ANSWERS_KEY, answers.table)
            said = " ".join([
                _("Saved: {member}'s {count} answers.", member=member, count=len(mine)),
                ngettext("{count} member has answered so far.",
                         "{count} members have answered so far.", len(answers.members))])
        self.message.value = f"<p>{html.escape(said)}</p>"
        return said

    def snapshot_table(self) -> ReadableTable:
        """The questionnaire to read: every statement and the anchor of each level."""
        rows = []
        for statement in self.criteria.statements:
            for level, anchor in zip(LEVELS, statement.anchors, strict=True):
                first = level == LEVELS[0]
                rows.append([(_(COMPONENT_WORDS[statement.component]) if first else "", False),
                             (_(statement.text) if first else "", False), (str(level), True),
                             (_(anchor), False)])
        return ReadableTable([_("Component"), _("Statement"), _("Level"),
                              _("What the level looks like")], rows,
                             caption=_("The questionnaire, version {version}",
                                       version=self.criteria.version))

    def snapshot_html(self) -> str:
        note = _("On this static page the form cannot be filled in: open the notebook in "
                 "JupyterLab, where each member answers and saves.")
        table = str(self.snapshot_table()._repr_html_())  # already escaped: added as text
        return f"<p>{html.escape(note)}</p>{table}"
