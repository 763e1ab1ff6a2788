"""Page 3.2's figures: a resident survey weighted to the city, side by side with its raw
answers, with the numbers that say how far to trust it.

The survey is synthetic (:mod:`cda_lib.synth.survey`): older, higher-income and home-owning
residents answered more readily. :func:`weigh_survey` rakes the respondents to the city's
shares of age band, income band, tenure and district (:func:`cda_lib.metrics.weighting.rake`),
and :class:`SurveyResults` holds each question's raw and weighted share, the design effect,
the effective number of respondents and the margin of error. The tables and sentences are
written in the page's language.

>>> results = SurveyResults(respondents=400, effective=320.0, design_effect=1.25, answers=(
...     Answer("satisfied", unweighted=0.70, weighted=0.64, margin=0.053, truth=0.65),))
>>> print(results.headline())  # doctest: +NORMALIZE_WHITESPACE
Weighted to the city, 64% of residents are satisfied with city services (± 5.3 points); the
raw answers say 70%, 6.0 points too high, because older, higher-income and home-owning
residents answered more readily.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cda_lib.core.readable import ReadableTable, Sentences
from cda_lib.metrics.weighting import (
    effective_sample_size,
    kish_design_effect,
    margin_of_error,
    rake,
    weighted_share,
)
from cda_lib.synth.survey import AGE_BANDS, INCOME_BANDS, QUESTIONS, TENURES, ResidentSurvey
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import N_, gettext as _, ngettext

if TYPE_CHECKING:
    import pandas as pd

    from cda_lib.core.workspace import Workspace

MODULE = "3.2"
SMALL_CELL = 50  # fewer respondents than this in a district: its share is too uncertain to quote
QUESTION_WORDS = {"satisfied": N_("Satisfied with city services"),
                  "trusts_data": N_("Trusts the city's data")}
BAND_WORDS = {"18-39": N_("18 to 39"), "40-64": N_("40 to 64"), "65+": N_("65 and over"),
              "lower": N_("lower income"), "higher": N_("higher income"),
              "renter": N_("renters"), "owner": N_("owners")}
SYNTHETIC_NOTE = N_("Synthetic data: {city}'s survey and residents are made up for this "
                    "workbook, with non-response bias planted on purpose.")


def points(share: float) -> str:
    """A difference of shares in percentage points, to one decimal below 10.

    >>> points(0.053), points(0.12)
    ('5.3', '12')
    """
    value = abs(share) * 100
    return format_number(value, 1 if value < 10 else 0)


def signed_points(change: float) -> str:
    """A change of a share in percentage points, with its sign.

    >>> signed_points(-0.036), signed_points(0.004), signed_points(0.0)
    ('-3.6', '+0.4', '0.0')
    """
    sign = "+" if round(change * 1000) > 0 else "-" if round(change * 1000) < 0 else ""
    return sign + points(change)


@dataclass(frozen=True)
class Answer:
    """One question's share of yes: raw, weighted (with its 95% margin) and the true one."""

    question: str
    unweighted: float
    weighted: float
    margin: float
    truth: float | None = None


@dataclass(frozen=True)
class SurveyResults:
    """Every question's answers, and what the weights cost in precision."""

    respondents: int
    effective: float
    design_effect: float
    answers: tuple[Answer, ...]

    def answer(self, question: str) -> Answer:
        return next(a for a in self.answers if a.question == question)

    def headline(self) -> str:
        """The finding, stated with its numbers: the weighted share of satisfied residents,
        its margin, and how far the raw answers are off."""
        main = self.answer("satisfied")
        gap = main.unweighted - main.weighted
        if abs(gap) < main.margin:
            return _("Weighted to the city, {weighted} of residents are satisfied with city "
                     "services (± {margin} points); the raw answers say {raw}, within the "
                     "margin of error.", weighted=format_percent(main.weighted),
                     margin=points(main.margin), raw=format_percent(main.unweighted))
        message = (N_("Weighted to the city, {weighted} of residents are satisfied with city "
                      "services (± {margin} points); the raw answers say {raw}, {gap} points "
                      "too high, because older, higher-income and home-owning residents "
                      "answered more readily.") if gap > 0 else
                   N_("Weighted to the city, {weighted} of residents are satisfied with city "
                      "services (± {margin} points); the raw answers say {raw}, {gap} points "
                      "too low."))
        return _(message, weighted=format_percent(main.weighted), margin=points(main.margin),
                 raw=format_percent(main.unweighted), gap=points(gap))

    def precision(self) -> str:
        """What the weights cost: the design effect, the effective respondents, the margin."""
        return ngettext(
            "The weights have a design effect of {deff}: the {count} respondent counts as "
            "{effective}, so a share near half is known to ± {margin} points.",
            "The weights have a design effect of {deff}: the {count} respondents count as "
            "{effective}, so a share near half is known to ± {margin} points.",
            self.respondents, deff=format_number(self.design_effect, 2),
            count=format_number(self.respondents), effective=format_number(round(self.effective)),
            margin=points(margin_of_error(0.5, self.effective)))

    def sentences(self) -> Sentences:
        return Sentences([self.headline(), self.precision()])

    def _repr_html_(self) -> str:
        return self.table()._repr_html_()

    def __repr__(self) -> str:
        return str(self.table())

    def table(self) -> ReadableTable:
        """Raw and weighted shares side by side, with the weighted share's margin."""
        rows = [[(_(QUESTION_WORDS[a.question]), False),
                 (format_percent(a.unweighted), True), (format_percent(a.weighted), True),
                 (_("± {margin} points", margin=points(a.margin)), True),
                 (_("{change} points", change=signed_points(a.weighted - a.unweighted)),
                  True)]
                for a in self.answers]
        return ReadableTable(
            [_("Question"), _("Raw answers"), _("Weighted"), _("Margin of error (95%)"),
             _("Weighting changes it by")], rows,
            caption=_("Residents answering yes, raw and weighted to the city"),
            notes=[self.precision()])


def weigh_survey(survey: ResidentSurvey) -> pd.Series:
    """Each respondent's raking weight to the city's four margins. A district with no
    respondent cannot be matched: it is left out of the district margin (and the others'
    shares scaled up), and the district table says so."""
    margins = survey.margins()
    answered = set(survey.sample["district"])
    districts = {d: s for d, s in margins["district"].items() if d in answered}
    total = sum(districts.values())
    margins["district"] = {d: s / total for d, s in districts.items()}
    for name in ("age", "income", "tenure"):
        present = set(survey.sample[name])
        kept = {k: v for k, v in margins[name].items() if k in present}
        margins[name] = {k: v / sum(kept.values()) for k, v in kept.items()}
    return rake(survey.sample, margins)


def survey_results(survey: ResidentSurvey, weights: pd.Series | None = None) -> SurveyResults:
    """The raw and weighted share of each question, its margin and the design effect."""
    weights = weigh_survey(survey) if weights is None else weights
    effective = effective_sample_size(weights)
    answers = []
    for question in QUESTIONS:
        weighted = weighted_share(survey.sample[question], weights)
        answers.append(Answer(question, weighted_share(survey.sample[question]), weighted,
                              margin_of_error(weighted, effective), survey.truth(question)))
    return SurveyResults(len(survey.sample), effective, kish_design_effect(weights),
                         tuple(answers))


def who_answered(survey: ResidentSurvey) -> ReadableTable:
    """Each group's share of the city and of the respondents: the planted bias, visible."""
    rows = []
    for name, bands in (("age", AGE_BANDS), ("income", INCOME_BANDS), ("tenure", TENURES)):
        city = survey.population[name].value_counts(normalize=True)
        sample = survey.sample[name].value_counts(normalize=True)
        for band in bands:
            rows.append([(_(BAND_WORDS[band]), False),
                         (format_percent(float(city.get(band, 0.0))), True),
                         (format_percent(float(sample.get(band, 0.0))), True)])
    return ReadableTable([_("Group"), _("Share of residents"), _("Share of respondents")],
                         rows, caption=_("Who lives in the city, and who answered"))


def district_table(survey: ResidentSurvey, weights: pd.Series | None = None) -> ReadableTable:
    """Weighted satisfaction by district, with a warning where too few answered."""
    weights = weigh_survey(survey) if weights is None else weights
    sample = survey.sample.assign(weight=weights.to_numpy())
    rows, small, empty = [], 0, 0
    for district in dict.fromkeys(survey.population["district"]):
        inside = sample[sample["district"] == district]
        count = len(inside)
        if count == 0:
            shown, note = "—", _("no respondent")
            empty += 1
        else:
            share = weighted_share(inside["satisfied"], inside["weight"])
            shown = format_percent(share)
            effective = effective_sample_size(inside["weight"])
            note = _("± {margin} points", margin=points(margin_of_error(share, effective)))
            if count < SMALL_CELL:
                note = _("too few respondents to quote")
                small += 1
        rows.append([(str(district), False), (format_number(count), True), (shown, True),
                     (note, False)])
    notes = [_("Every district with respondents has {threshold} or more, so each share can be "
               "quoted with its margin of error.", threshold=SMALL_CELL) if not small else
             ngettext("{count} district has fewer than {threshold} respondents: its share is "
                      "shown, but its margin of error is too wide to quote it.",
                      "{count} districts have fewer than {threshold} respondents: their shares "
                      "are shown, but their margins of error are too wide to quote them.", small,
                      threshold=SMALL_CELL, count=small)]
    if empty:
        notes.append(ngettext("{count} district has no respondent, so it has no share.",
                              "{count} districts have no respondent, so they have no share.",
                              empty, count=empty))
    return ReadableTable([_("District"), _("Respondents"), _("Satisfied (weighted)"),
                          _("How sure")], rows,
                         caption=_("Satisfaction with city services by district"), notes=notes)


def record_results(workspace: Workspace, results: SurveyResults) -> Sentences:
    """Record each question's raw and weighted share for the capstone; say what was kept."""
    workspace.record("survey_results", [
        {"question": a.question, "unweighted": a.unweighted, "weighted": a.weighted,
         "margin_of_error": a.margin, "respondents": results.respondents,
         "effective_respondents": results.effective, "design_effect": results.design_effect}
        for a in results.answers], module=MODULE)
    return Sentences([_("Recorded in the city's workspace, for the capstone: the survey's raw "
                        "and weighted answers with their margins of error.")])


def survey_notice(city_name: str) -> Sentences:
    """The page's label: the survey and the residents are synthetic."""
    return Sentences([_(SYNTHETIC_NOTE, city=city_name)])
