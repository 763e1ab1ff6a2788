"""Page 3.4's text box: write a summary, press Score, read its readability and what to change.

:class:`SummaryBox` wires a text area to :func:`cda_lib.metrics.readability.score_text`, so
it is tested without a browser (set ``text.value``, call :meth:`SummaryBox.score`, read
``result``). It starts with the page's own summary. On a static page it shows that summary
and its score instead, and says the box works in JupyterLab.

>>> box = SummaryBox("The city fixed the light. It took two days.", "en")
>>> "too few to score" in box.feedback()[0]
True
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from cda_lib.core.pages import render_fragment
from cda_lib.metrics.readability import score_text
from cda_lib.text.translation import gettext as _

WIDE = widgets.Layout(width="100%", max_width="760px")


class SummaryBox(widgets.VBox):
    """A text area, a Score button and the score with its feedback under them."""

    def __init__(self, start: str, language: str, **kwargs: Any) -> None:
        self.language = language
        self.text = widgets.Textarea(value=start, rows=5, layout=WIDE,
                                     description=_("Your summary"),
                                     style={"description_width": "8em"})
        self.button = widgets.Button(description=_("Score it"), button_style="primary")
        self.result = widgets.HTML("", layout=WIDE)
        super().__init__([self.text, self.button, self.result], layout=WIDE, **kwargs)
        self.button.on_click(lambda _button: self.score())
        self.score()

    def feedback(self) -> list[str]:
        """The score of what is in the box, and what to change, in plain words."""
        return score_text(self.text.value, self.language).feedback()

    def score(self) -> None:
        self.result.value = render_fragment("pages/readable_sentences.html.j2",
                                            sentences=self.feedback(), table=None)

    def _static(self) -> list[str]:
        return [_("On this static page the box does not change: open the notebook in "
                  "JupyterLab to write your own summary and score it."), self.text.value,
                *self.feedback()]

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data["text/plain"] = "\n".join(self._static())
        data["text/html"] = render_fragment("pages/readable_sentences.html.j2",
                                            sentences=self._static(), table=None)
        return bundle
