"""Page 2.5's risk review form, and the GovEx toolkit's tables laid out to read.

:class:`RiskReviewForm` is a form without code: one drop-down per judgement the GovEx
Ethics & Algorithms Toolkit asks for (CC BY 4.0), and the six risks it gives, at once, as
the answers change. The lookups are :mod:`cda_lib.themes.invest.algorithm_risk`'s; this
module only wires the drop-downs to them, so it is tested without a browser (set a
drop-down's value, read the result). On a static page it shows a snapshot in words.

>>> form = RiskReviewForm()
>>> form.review.overall
'low'
>>> form.controls["automation"].value = "algorithmically determined"
>>> form.controls["explainability"].value = "hard"
>>> form.review.accountability
'high'
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from cda_lib.core.pages import render_fragment
from cda_lib.core.readable import ReadableTable, Tables
from cda_lib.text.translation import N_, gettext as _
from cda_lib.themes.invest.ai_register import IMPACT_WORDS, LEVEL_WORDS
from cda_lib.themes.invest.algorithm_risk import (
    APPROPRIATE_USE,
    CONSISTENCY,
    DEGREES,
    DIRECTIONS,
    EASE,
    GOVEX_CREDIT,
    IMPACT,
    LEVELS,
    REPUTATION,
    SCALES,
    SCOPE,
    SCOPES,
    TECHNICAL_BIAS,
    THIRD_PARTY_QUESTIONS,
    RiskReview,
    review_risk,
)
from cda_lib.themes.invest.candidates import ACCESSIBILITY_WORDS, AUTOMATION_WORDS, EASE_WORDS

DEGREE_WORDS = {"none": N_("None"), "minor": N_("Minor"), "moderate": N_("Moderate"),
                "major": N_("Major")}
SCALE_WORDS = {"small": N_("Small"), "medium": N_("Medium"), "large": N_("Large")}
SCOPE_WORDS = {"very narrow": N_("Very narrow"), "limited/narrow": N_("Limited"),
               "substantial": N_("Substantial"), "broad": N_("Broad")}
DIRECTION_WORDS = {"positive": N_("Positive"), "mostly positive": N_("Mostly positive"),
                   "mostly negative": N_("Mostly negative"), "negative": N_("Negative")}
CONSISTENCY_WORDS = {"yes": N_("Yes"), "somewhat": N_("Somewhat"), "unknown": N_("Unknown"),
                     "no": N_("No")}
REPUTATION_WORDS = {"supportive": N_("Supportive"), "mixed": N_("Mixed"),
                    "not supportive": N_("Not supportive")}
WIDE = widgets.Layout(width="100%", max_width="760px")
# The form starts from a use that harms no one, run by people, on recent, good data.
START = {"degree": "minor", "scale": "small", "direction": "positive", "consistency": "yes",
         "reputation": "supportive", "automation": "human-mediated", "explainability": "easy",
         "auditability": "easy", "vendor": False, "third_party_points": 8, "data_age_years": 2,
         "representativeness": "low", "inaccuracy": "low"}


def _choices(words: dict[str, str], order) -> list[tuple[str, str]]:
    return [(_(words[key]), key) for key in order]


def _questions(age: int) -> dict[str, tuple[str, list]]:
    ages = sorted({0, 2, 5, 10, 11, 15, 25, 26, 40, 50, age})  # each band's edges, and ``age``
    level = _choices(LEVEL_WORDS, LEVELS)
    return {
        "degree": (_("How much it affects a person"), _choices(DEGREE_WORDS, DEGREES)),
        "scale": (_("How many people"), _choices(SCALE_WORDS, SCALES)),
        "direction": (_("For better or worse"), _choices(DIRECTION_WORDS, DIRECTIONS)),
        "consistency": (_("Fits the data's purpose"), _choices(CONSISTENCY_WORDS, CONSISTENCY)),
        "reputation": (_("The public's view of such uses"),
                       _choices(REPUTATION_WORDS, REPUTATION)),
        "automation": (_("Who decides"), _choices(AUTOMATION_WORDS, tuple(AUTOMATION_WORDS))),
        "explainability": (_("Hard to explain?"), _choices(EASE_WORDS, EASE)),
        "auditability": (_("Hard to audit?"), _choices(EASE_WORDS, EASE)),
        "vendor": (_("Built by a vendor"), [(_("No"), False), (_("Yes"), True)]),
        "third_party_points": (_("Vendor's yes answers (of 8)"),
                               [(str(n), n) for n in range(THIRD_PARTY_QUESTIONS + 1)]),
        "data_age_years": (_("Age of the data (years)"),
                           [(str(n), n) for n in ages]),
        "representativeness": (_("Unrepresentative data"), level),
        "inaccuracy": (_("Inaccurate data"), level),
    }


class RiskReviewForm(widgets.VBox):
    """One drop-down per judgement, and the toolkit's six risks for the answers they show.

    ``controls`` holds the drop-downs by name; ``review`` the :class:`RiskReview` for them;
    ``result`` the HTML shown under the form. ``start`` sets the first answers.
    """

    def __init__(self, start: dict | None = None, **kwargs: Any) -> None:
        answers = {**START, **(start or {})}
        style = {"description_width": "16em"}
        self.controls = {
            name: widgets.Dropdown(options=options, value=answers[name], description=label,
                                   style=style, layout=WIDE)
            for name, (label, options) in _questions(int(answers["data_age_years"])).items()}
        self.result = widgets.HTML("", layout=WIDE)
        super().__init__([*self.controls.values(), self.result], layout=WIDE, **kwargs)
        for control in self.controls.values():
            control.observe(lambda _change: self.refresh(), names="value")
        self.review: RiskReview = self._review()
        self.refresh()

    @property
    def answers(self) -> dict[str, Any]:
        return {name: control.value for name, control in self.controls.items()}

    def _review(self) -> RiskReview:
        return review_risk(**self.answers)

    def refresh(self) -> None:
        self.review = self._review()
        self.result.value = render_fragment("pages/readable_sentences.html.j2",
                                            sentences=self.sentences(), table=None)

    def sentences(self) -> list[str]:
        """The six risks and the overall level, in words."""
        review = self.review
        third = (_("third-party method {level}", level=_(LEVEL_WORDS[review.third_party]))
                 if review.third_party else _("no third party"))
        return [
            _("Impact: the scope is {scope}, so the impact is {impact}.",
              scope=_(SCOPE_WORDS[review.scope]).lower(),
              impact=_(IMPACT_WORDS[review.impact]).lower()),
            _("Appropriate use {use}; accessibility {access}, so accountability {account}; "
              "{third}; historic bias {historic}; technical bias {technical}.",
              use=_(LEVEL_WORDS[review.appropriate_use]).lower(),
              access=_(ACCESSIBILITY_WORDS[review.accessibility]).lower(),
              account=_(LEVEL_WORDS[review.accountability]).lower(), third=third,
              historic=_(LEVEL_WORDS[review.historic_bias]).lower(),
              technical=_(LEVEL_WORDS[review.technical_bias]).lower()),
            _("Overall risk: {level}.", level=_(LEVEL_WORDS[review.overall]).lower()),
        ]

    def snapshot_text(self) -> str:
        return "\n".join([_("On this static page the form does not change: open the notebook "
                            "in JupyterLab to fill it in."), *self.sentences()])

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data["text/plain"] = self.snapshot_text()
        data["text/html"] = render_fragment(
            "pages/readable_sentences.html.j2",
            sentences=[_("On this static page the form does not change: open the notebook in "
                         "JupyterLab to fill it in."), *self.sentences()], table=None)
        return bundle


def _matrix(corner: str, rows, row_words, columns, column_words, cells, cell_words,
            caption: str) -> ReadableTable:
    return ReadableTable(
        [corner, *[_(column_words[c]) for c in columns]],
        [[(_(row_words[r]), False), *[(_(cell_words[cells[r][c]]), False) for c in columns]]
         for r in rows], caption=caption)


def govex_risk_tables() -> Tables:
    """The toolkit's scope, impact, appropriate-use and technical-bias tables, credited (the
    accountability tables are page 2.4's,
    :func:`~cda_lib.themes.invest.candidates.govex_tables`)."""
    tables = [
        _matrix(_("Degree / scale"), DEGREES, DEGREE_WORDS, SCALES, SCALE_WORDS, SCOPE,
                SCOPE_WORDS, _("Scope of the impact")),
        _matrix(_("Scope / direction"), SCOPES, SCOPE_WORDS, DIRECTIONS, DIRECTION_WORDS,
                IMPACT, IMPACT_WORDS, _("Impact")),
        _matrix(_("Fits the purpose / public's view"), CONSISTENCY, CONSISTENCY_WORDS,
                REPUTATION, REPUTATION_WORDS, APPROPRIATE_USE, LEVEL_WORDS,
                _("Appropriate use")),
        _matrix(_("Unrepresentative / inaccurate"), LEVELS, LEVEL_WORDS, LEVELS, LEVEL_WORDS,
                TECHNICAL_BIAS, LEVEL_WORDS, _("Technical bias")),
    ]
    last = tables[-1]
    tables[-1] = ReadableTable(last.headings, last.rows, caption=last.caption, notes=[
        _("Third-party method: 6 to 8 of the vendor's answers yes is low risk, 3 to 5 medium, "
          "0 to 2 high. Historic bias: data up to 10 years old is low risk, 11 to 25 medium, "
          "older high."), _(GOVEX_CREDIT)])
    return Tables(tables)
