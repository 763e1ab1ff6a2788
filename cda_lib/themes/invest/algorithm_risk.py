"""The GovEx Ethics & Algorithms Toolkit's risk tables, as lookups: one implementation for
theme 2 (page 2.4's two algorithms and page 2.5's whole register use it).

Part 1 of the toolkit, "Assess Algorithm Risk" (GovEx, the City and County of San
Francisco, Harvard DataSmart and Data Community DC, 2018 beta; licensed CC BY 4.0;
transcribed in civic-standards.md, B2), is a set of lookup tables. Each turns two plain
judgements about an algorithm into a level of risk:

- **impact**: the *scope* of what it affects (how much, :data:`DEGREES`, for how many,
  :data:`SCALES`) and whether that is good or bad for people (:data:`DIRECTIONS`);
- **appropriate use**: whether using it is consistent with the data's original purpose
  and how the public regards such uses;
- **accountability**: how easy it is to explain and to audit (its *accessibility*) and
  how far it decides on its own (:data:`AUTOMATION`);
- **third-party methodology**: for a vendor's algorithm, how many of the toolkit's eight
  yes/no questions about the method the vendor can answer "yes";
- **historic bias**: how old the data it learned from is (the toolkit asks to weigh this
  with how well that context has been researched: a judgement the page leaves to people);
- **technical bias**: how representative the data is, and how inaccurate.

The toolkit keeps the risks apart and does not add them up. The workbook's register needs
one level per use, so :func:`overall_level` takes the highest of the six (impact read on
the same low-medium-high scale by :data:`IMPACT_LEVEL`): a rule of the workbook, not of
the toolkit, and the page says so.

>>> accountability_risk("algorithmically determined", "hard", "medium")
'high'
>>> impact("moderate", "large", "mostly negative")
'high'
>>> third_party_risk(7), third_party_risk(None), historic_bias(30)
('low', 'high', 'high')
"""

from __future__ import annotations

from dataclasses import dataclass

from cda_lib.text.translation import N_

LEVELS = ("low", "medium", "high")
DEGREES = ("none", "minor", "moderate", "major")
SCALES = ("small", "medium", "large")
SCOPES = ("very narrow", "limited/narrow", "substantial", "broad")
DIRECTIONS = ("positive", "mostly positive", "mostly negative", "negative")
IMPACTS = ("very low", "low", "moderate", "significant", "high", "extreme")
CONSISTENCY = ("yes", "somewhat", "unknown", "no")
REPUTATION = ("supportive", "mixed", "not supportive")
AUTOMATION = ("human-mediated", "algorithm-mediated", "algorithmically determined")
EASE = ("easy", "medium", "hard")
ACCESSIBILITY_LEVELS = ("accessible", "some concerns", "major concerns")
THIRD_PARTY_QUESTIONS = 8  # the toolkit's eight yes/no questions about a vendor's method

# Scope from degree (rows) and scale (columns).
SCOPE = {
    "none": {"small": "very narrow", "medium": "very narrow", "large": "limited/narrow"},
    "minor": {"small": "very narrow", "medium": "limited/narrow", "large": "substantial"},
    "moderate": {"small": "limited/narrow", "medium": "substantial", "large": "broad"},
    "major": {"small": "substantial", "medium": "broad", "large": "broad"},
}
# Overall impact from scope (rows) and direction (columns).
IMPACT = {
    "very narrow": {"positive": "very low", "mostly positive": "very low",
                    "mostly negative": "low", "negative": "moderate"},
    "limited/narrow": {"positive": "very low", "mostly positive": "low",
                       "mostly negative": "moderate", "negative": "significant"},
    "substantial": {"positive": "low", "mostly positive": "moderate",
                    "mostly negative": "significant", "negative": "high"},
    "broad": {"positive": "moderate", "mostly positive": "significant",
              "mostly negative": "high", "negative": "extreme"},
}
# Appropriate use from consistency with the data's purpose (rows) and reputation (columns).
APPROPRIATE_USE = {
    "yes": {"supportive": "low", "mixed": "low", "not supportive": "medium"},
    "somewhat": {"supportive": "low", "mixed": "medium", "not supportive": "high"},
    "unknown": {"supportive": "medium", "mixed": "medium", "not supportive": "high"},
    "no": {"supportive": "medium", "mixed": "high", "not supportive": "high"},
}
# Accessibility from auditability (rows) and explainability (columns), then accountability
# risk from accessibility (rows) and automation (columns).
ACCESSIBILITY = {
    "easy": {"easy": "accessible", "medium": "accessible", "hard": "some concerns"},
    "medium": {"easy": "accessible", "medium": "some concerns", "hard": "major concerns"},
    "hard": {"easy": "some concerns", "medium": "major concerns", "hard": "major concerns"},
}
ACCOUNTABILITY = {
    "accessible": {"human-mediated": "low", "algorithm-mediated": "low",
                   "algorithmically determined": "medium"},
    "some concerns": {"human-mediated": "low", "algorithm-mediated": "medium",
                      "algorithmically determined": "high"},
    "major concerns": {"human-mediated": "medium", "algorithm-mediated": "high",
                       "algorithmically determined": "high"},
}
# Technical bias from representativeness risk (rows) and inaccuracy risk (columns): the
# same pattern as appropriate use's first three rows.
TECHNICAL_BIAS = {
    "low": {"low": "low", "medium": "low", "high": "medium"},
    "medium": {"low": "low", "medium": "medium", "high": "high"},
    "high": {"low": "medium", "medium": "high", "high": "high"},
}
# Third-party methodology: points (questions answered "yes") to risk.
THIRD_PARTY_BANDS = ((6, "low"), (3, "medium"), (0, "high"))  # 6-8 low, 3-5 medium, 0-2 high
# Historic bias: the age of the data, in whole years, to risk (0-10 low, 11-25 medium,
# 26 and over high).
HISTORIC_BANDS = ((10, "low"), (25, "medium"))
# The workbook's reading of the six-level impact on the three-level scale of the others,
# for the register's overall level only.
IMPACT_LEVEL = {"very low": "low", "low": "low", "moderate": "medium", "significant": "high",
                "high": "high", "extreme": "high"}

GOVEX_CREDIT = N_("Risk tables from the GovEx Ethics & Algorithms Toolkit (GovEx, City and "
                  "County of San Francisco, Harvard DataSmart, Data Community DC), licensed "
                  "CC BY 4.0.")
ACCOUNTABILITY_CREDIT = N_("Accountability tables from the GovEx Ethics & Algorithms Toolkit "
                           "(GovEx, City and County of San Francisco, Harvard DataSmart, Data "
                           "Community DC), licensed CC BY 4.0.")


def impact_scope(degree: str, scale: str) -> str:
    """The scope of an algorithm's impact: how much (degree) for how many (scale).

    >>> impact_scope("minor", "large")
    'substantial'
    """
    return SCOPE[degree][scale]


def impact(degree: str, scale: str, direction: str) -> str:
    """The toolkit's overall impact: the scope, read with its direction."""
    return IMPACT[impact_scope(degree, scale)][direction]


def appropriate_use(consistency: str, reputation: str) -> str:
    """The risk that a use is not appropriate: consistency with the data's purpose, and how
    such uses are regarded.

    >>> appropriate_use("somewhat", "mixed")
    'medium'
    """
    return APPROPRIATE_USE[consistency][reputation]


def accessibility(explainability: str, auditability: str) -> str:
    """How accessible an algorithm is: how easy it is to explain and to audit."""
    return ACCESSIBILITY[auditability][explainability]


def accountability_risk(automation: str, explainability: str, auditability: str) -> str:
    """The toolkit's accountability risk of an algorithm ('' for something that uses none)."""
    if not automation:
        return ""
    return ACCOUNTABILITY[accessibility(explainability, auditability)][automation]


def third_party_risk(points: int | None) -> str:
    """A vendor's method: 6 to 8 "yes" answers of the eight is low risk, 3 to 5 medium, 0 to
    2 high; None (none of the questions apply) is high."""
    if points is None:
        return "high"
    if not 0 <= points <= THIRD_PARTY_QUESTIONS:
        raise ValueError(f"points must be from 0 to {THIRD_PARTY_QUESTIONS}, not {points}")
    return next(level for floor, level in THIRD_PARTY_BANDS if points >= floor)


def historic_bias(data_age_years: int) -> str:
    """The historic-bias risk of data this many whole years old."""
    for ceiling, level in HISTORIC_BANDS:
        if data_age_years <= ceiling:
            return level
    return "high"


def technical_bias(representativeness: str, inaccuracy: str) -> str:
    """The technical-bias risk: how unrepresentative the data is, with how inaccurate."""
    return TECHNICAL_BIAS[representativeness][inaccuracy]


def highest(levels) -> str:
    """The highest of some low/medium/high levels (blanks, for what does not apply, skipped).

    >>> highest(["low", "", "medium"])
    'medium'
    """
    present = [level for level in levels if level]
    return max(present, key=LEVELS.index) if present else "low"


@dataclass(frozen=True)
class RiskReview:
    """One algorithm's six risks from the toolkit's tables, and the highest of them.

    ``third_party`` is '' for an algorithm the city built itself (the questions are about a
    vendor's method).
    """

    scope: str
    impact: str
    appropriate_use: str
    accessibility: str
    accountability: str
    third_party: str
    historic_bias: str
    technical_bias: str

    @property
    def overall(self) -> str:
        return overall_level(self)


def overall_level(review: RiskReview) -> str:
    """The register's one level: the highest of the six risks (impact read as low, medium or
    high by :data:`IMPACT_LEVEL`). The workbook's rule, not the toolkit's."""
    return highest([IMPACT_LEVEL[review.impact], review.appropriate_use, review.accountability,
                    review.third_party, review.historic_bias, review.technical_bias])


def review_risk(*, degree: str, scale: str, direction: str, consistency: str,
                reputation: str, automation: str, explainability: str, auditability: str,
                vendor: bool, third_party_points: int | None, data_age_years: int,
                representativeness: str, inaccuracy: str) -> RiskReview:
    """Every table of the toolkit for one algorithm.

    >>> review = review_risk(degree="minor", scale="small", direction="positive",
    ...     consistency="yes", reputation="supportive", automation="human-mediated",
    ...     explainability="easy", auditability="easy", vendor=False, third_party_points=None,
    ...     data_age_years=2, representativeness="low", inaccuracy="low")
    >>> review.impact, review.third_party, review.overall
    ('very low', '', 'low')
    """
    return RiskReview(
        scope=impact_scope(degree, scale), impact=impact(degree, scale, direction),
        appropriate_use=appropriate_use(consistency, reputation),
        accessibility=accessibility(explainability, auditability),
        accountability=accountability_risk(automation, explainability, auditability),
        third_party=third_party_risk(third_party_points) if vendor else "",
        historic_bias=historic_bias(data_age_years),
        technical_bias=technical_bias(representativeness, inaccuracy))
