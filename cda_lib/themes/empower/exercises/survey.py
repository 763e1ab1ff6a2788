"""Exercises 3.2: what residents tell us (the exercise set of page 3.2).

The exercises themselves are written in ``survey.yaml`` beside this module; this module
holds the functions that file names. Every figure comes from the city's own synthetic survey
(:mod:`cda_lib.synth.survey`) and the functions page 3.2 uses
(:mod:`cda_lib.themes.empower.survey`).

>>> over_represented_letter({"18-39": 0.4, "40-64": 0.4, "65+": 0.2},
...                         {"18-39": 0.2, "40-64": 0.4, "65+": 0.4})
'C'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cda_lib.exercises.exercise import CityMemo
from cda_lib.synth.survey import AGE_BANDS, ResidentSurvey, resident_survey
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import gettext as _
from cda_lib.themes.empower.survey import (
    BAND_WORDS,
    SMALL_CELL,
    SurveyResults,
    points,
    survey_results,
)

if TYPE_CHECKING:
    from cda_lib.data import CityData

AGE_LETTERS = dict(zip(AGE_BANDS, "ABC", strict=True))  # exercise 3.2.1's options
_memo = CityMemo()


def survey_of(data: CityData) -> ResidentSurvey:
    return _memo("survey", data, lambda: resident_survey(data.city))


def results_of(data: CityData) -> SurveyResults:
    return _memo("results", data, lambda: survey_results(survey_of(data)))


def over_represented_letter(city: dict[str, float], sample: dict[str, float]) -> str:
    """The letter of the age band whose share of respondents most exceeds its share of the
    city (the ratio sample ÷ city is highest)."""
    band = max(AGE_BANDS, key=lambda b: sample.get(b, 0.0) / city[b] if city.get(b) else 0.0)
    return AGE_LETTERS[band]


def _age_shares(data: CityData) -> tuple[dict[str, float], dict[str, float]]:
    survey = survey_of(data)
    return (survey.population["age"].value_counts(normalize=True).to_dict(),
            survey.sample["age"].value_counts(normalize=True).to_dict())


# --- expected answers ---------------------------------------------------------------------


def age_letter(data: CityData) -> str:
    """Exercise 3.2.1: the most over-represented age band."""
    return over_represented_letter(*_age_shares(data))


def effective_respondents(data: CityData) -> float:
    """Exercise 3.2.2: n ÷ the design effect."""
    return results_of(data).effective


def margin_points(data: CityData) -> float:
    """Exercise 3.2.3: the weighted satisfied share's 95% margin, in points."""
    return results_of(data).answer("satisfied").margin * 100


def raw_direction(data: CityData) -> str:
    """Exercise 3.2.4: A if the raw share is above the weighted one by more than the margin,
    B if below by more, C if within."""
    answer = results_of(data).answer("satisfied")
    gap = answer.unweighted - answer.weighted
    return "C" if abs(gap) < answer.margin else ("A" if gap > 0 else "B")


def small_districts(data: CityData) -> int:
    """Exercise 3.2.5: districts with fewer respondents than the threshold."""
    survey = survey_of(data)
    counts = survey.sample["district"].value_counts()
    return sum(1 for d in dict.fromkeys(survey.population["district"])
               if counts.get(d, 0) < SMALL_CELL)


# --- widget bounds ------------------------------------------------------------------------


def _respondent_slider(data: CityData) -> tuple[float, float, float]:
    return 0, results_of(data).respondents, 1


def _margin_slider(data: CityData) -> tuple[float, float, float]:
    return 0, 10, 0.1


def _district_slider(data: CityData) -> tuple[float, float, float]:
    return 0, survey_of(data).population["district"].nunique(), 1


# --- facts for the messages ---------------------------------------------------------------


def _age_facts(data: CityData) -> dict[str, Any]:
    city, sample = _age_shares(data)
    band = next(b for b, letter in AGE_LETTERS.items() if letter == age_letter(data))
    return {"band": _(BAND_WORDS[band]), "city_share": format_percent(city.get(band, 0.0)),
            "sample_share": format_percent(sample.get(band, 0.0))}


def _precision_facts(data: CityData) -> dict[str, Any]:
    results = results_of(data)
    main = results.answer("satisfied")
    return {"count": format_number(results.respondents),
            "deff": format_number(results.design_effect, 2),
            "effective": format_number(round(results.effective)),
            "share": format_percent(main.weighted), "margin": points(main.margin),
            "raw": format_percent(main.unweighted)}


def _district_facts(data: CityData) -> dict[str, Any]:
    return {"threshold": SMALL_CELL, "small": small_districts(data),
            "districts": survey_of(data).population["district"].nunique()}


# --- named mistakes -----------------------------------------------------------------------


def mistaken_raw_count(data: CityData) -> Any:
    """Exercise 3.2.2's "the respondents themselves": n, the design effect left out."""
    return results_of(data).respondents


def mistaken_multiplied(data: CityData) -> Any:
    """Exercise 3.2.2's "multiplied": n × the design effect."""
    results = results_of(data)
    return results.respondents * results.design_effect


def mistaken_raw_n_margin(data: CityData) -> Any:
    """Exercise 3.2.3's "all respondents": the margin with n instead of the effective n."""
    results = results_of(data)
    share = results.answer("satisfied").weighted
    return 100 * 1.959964 * (share * (1 - share) / results.respondents) ** 0.5


def mistaken_youngest(data: CityData) -> Any:
    """Exercise 3.2.1's "the youngest": the band that answered least readily."""
    city, sample = _age_shares(data)
    band = min(AGE_BANDS, key=lambda b: sample.get(b, 0.0) / city[b] if city.get(b) else 0.0)
    return AGE_LETTERS[band]
