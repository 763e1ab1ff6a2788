"""What a check and a hint show: a short, kind box in Jupyter, plain text elsewhere.

A :class:`Feedback` says one of six things: right (and why it matters), not yet (what
looks wrong and what to look at next), not started yet, saved (a reflection), that the
exercise cannot be checked with this city's data, or that it is not available because
the data lacks what it needs (months of history, closed dates ...). Status is never shown by colour
alone: each box starts with its word. Alongside the HTML, each output carries a small
JSON record (:data:`FEEDBACK_MIME`), so a coach's progress report can read a saved
notebook without re-running it.

>>> print(Feedback("0.1", "Requests last year", NOT_STARTED, "Replace the ... and run again."))
Exercise 0.1, Requests last year: Not started yet. Replace the ... and run again.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass
from typing import Any

from cda_lib.text.translation import N_, gettext as _

CORRECT = "correct"
NOT_YET = "not yet"
NOT_STARTED = "not started"
SAVED = "saved"
CANNOT_CHECK = "cannot check"
NOT_AVAILABLE = "not available"  # the city's data lacks what the exercise needs
STATUSES = (CORRECT, NOT_YET, NOT_STARTED, SAVED, CANNOT_CHECK, NOT_AVAILABLE)

# Saved notebooks keep every output format; JupyterLab shows the HTML and ignores these.
FEEDBACK_MIME = "application/vnd.cda.exercise-feedback+json"
HINT_MIME = "application/vnd.cda.exercise-hint+json"

HINT_TIER_NAMES = (N_("a nudge"), N_("the idea"), N_("a worked step"))

# Okabe–Ito colours for the left border (with a word in every box, never colour alone).
_STYLE = {
    CORRECT: (N_("Right."), "#009E73", "#eaf7f2"),
    NOT_YET: (N_("Not yet."), "#E69F00", "#fff6e5"),
    NOT_STARTED: (N_("Not started yet."), "#999999", "#f4f4f4"),
    SAVED: (N_("Saved."), "#0072B2", "#eaf2f9"),
    CANNOT_CHECK: (N_("Cannot check."), "#D55E00", "#fcefe8"),
    NOT_AVAILABLE: (N_("Not available with this city's data."), "#8073ac", "#f4f2f8"),
}
_BOX = ("border-left:6px solid {border};background:{background};color:#1a1a1a;"
        "padding:0.55em 1em;margin:0.4em 0;border-radius:2px;line-height:1.45")


@dataclass(frozen=True)
class Feedback:
    """The result of one check: its status and what to tell the learner."""

    exercise_id: str
    title: str
    status: str
    message: str
    why: str = ""
    next_step: str = ""
    mistake: str = ""
    note: str = ""
    city: str = ""
    participant: str = ""
    answer: str = ""

    @property
    def heading(self) -> str:
        return _(_STYLE[self.status][0])

    @property
    def is_correct(self) -> bool:
        return self.status == CORRECT

    def lines(self) -> list[str]:
        """The feedback as plain sentences, most important first."""
        lines = [f"{self.heading} {self.message}".strip()]
        if self.why:
            lines.append(_("Why it matters: {why}", why=self.why))
        if self.next_step:
            lines.append(_("Next: {next_step}", next_step=self.next_step))
        if self.note:
            lines.append(self.note)
        return lines

    def __str__(self) -> str:
        return (_("Exercise {id}, {title}:", id=self.exercise_id, title=self.title) + " "
                + " ".join(self.lines()))

    def __repr__(self) -> str:
        return str(self)

    def record(self) -> dict[str, Any]:
        """The machine-readable form saved with the notebook's outputs."""
        return {key: value for key, value in asdict(self).items() if value != ""}

    def _repr_html_(self) -> str:
        _word, border, background = _STYLE[self.status]
        parts = [f"<p style=\"margin:0\"><strong>{html.escape(self.heading)}</strong> "
                 f"{html.escape(self.message)}</p>"]
        if self.why:
            parts.append(_paragraph(_("Why it matters:"), self.why))
        if self.next_step:
            parts.append(_paragraph(_("Next:"), self.next_step))
        if self.note:
            parts.append('<p style="margin:0.35em 0 0;font-size:90%">'
                         f"{html.escape(self.note)}</p>")
        title = html.escape(_("Exercise {id}: {title}", id=self.exercise_id, title=self.title))
        return (f'<div class="cda-feedback cda-feedback-{self.status.replace(" ", "-")}" '
                f'role="status" data-exercise="{html.escape(self.exercise_id)}" '
                f'data-status="{html.escape(self.status)}" '
                f'style="{_BOX.format(border=border, background=background)}">'
                f'<div style="font-size:85%;color:#444">{title}</div>{"".join(parts)}</div>')

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        return {"text/html": self._repr_html_(), "text/plain": str(self),
                FEEDBACK_MIME: self.record()}


def _paragraph(label: str, text: str) -> str:
    return (f"<p style=\"margin:0.35em 0 0\"><strong>{html.escape(label)}</strong> "
            f"{html.escape(text)}</p>")


@dataclass(frozen=True)
class HintTier:
    """One hint: a sentence or two, and optionally a few lines of code to show."""

    text: str
    code: str = ""


@dataclass(frozen=True)
class Hint:
    """The hints revealed so far for one exercise, the newest last."""

    exercise_id: str
    title: str
    revealed: tuple[HintTier, ...]
    total: int
    city: str = ""
    participant: str = ""

    @property
    def tier(self) -> int:
        return len(self.revealed)

    @property
    def is_last(self) -> bool:
        return self.tier >= self.total

    def _label(self, number: int) -> str:
        return _("Hint {number} of {total} ({name})", number=number, total=self.total,
                 name=_(HINT_TIER_NAMES[number - 1]))

    def closing(self) -> str:
        if self.is_last:
            return _("That was the last hint. Still stuck? Ask your coach or a colleague: "
                     "explaining where you are stuck often unsticks it.")
        return _("Run the hint again for the next one.")

    def __str__(self) -> str:
        lines = [_("Exercise {id}, {title}", id=self.exercise_id, title=self.title)]
        for number, tier in enumerate(self.revealed, start=1):
            lines.append(f"{self._label(number)}: {tier.text}")
            if tier.code:
                lines.extend("    " + line for line in tier.code.splitlines())
        lines.append(self.closing())
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def record(self) -> dict[str, Any]:
        return {"exercise_id": self.exercise_id, "tier": self.tier, "city": self.city,
                "participant": self.participant}

    def _repr_html_(self) -> str:
        items = []
        for number, tier in enumerate(self.revealed, start=1):
            newest = number == self.tier
            style = "margin:0.3em 0" + ("" if newest else ";color:#555")
            code = (f'<pre style="margin:0.3em 0;padding:0.4em 0.6em;background:#fff;'
                    f'border:1px solid #ddd;white-space:pre-wrap">{html.escape(tier.code)}</pre>'
                    if tier.code else "")
            items.append(f'<div style="{style}"><strong>{html.escape(self._label(number))}:'
                         f"</strong> {html.escape(tier.text)}{code}</div>")
        title = html.escape(_("Exercise {id}: {title}", id=self.exercise_id, title=self.title))
        box = _BOX.format(border="#56B4E9", background="#eef7fc")
        return (f'<div class="cda-hint" role="status" '
                f'data-exercise="{html.escape(self.exercise_id)}" '
                f'data-tier="{self.tier}" style="{box}">'
                f'<div style="font-size:85%;color:#444">{title}</div>{"".join(items)}'
                f'<p style="margin:0.35em 0 0;font-size:90%">{html.escape(self.closing())}</p>'
                "</div>")

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        return {"text/html": self._repr_html_(), "text/plain": str(self),
                HINT_MIME: self.record()}
