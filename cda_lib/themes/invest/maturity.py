"""Page 2.1, Where are we now?: the data-maturity questionnaire, the team's answers and profile.

The questionnaire is data (``maturity_criteria.yaml`` beside this module, with a
``version:`` and each statement's source): ten statements, two for each component of the
Citywide Data Strategy, each scored from 1 to 5 against an anchor sentence per level. Each
member of the team answers separately (:mod:`cda_lib.themes.invest.maturity_form` records
the answers, member by member, in the city's workspace as ``maturity_answers``). Until
someone has, the page reads a fictional team's answers, made from the city's seed and
labelled synthetic (:mod:`cda_lib.synth.maturity`).

From the answers: the team's average on each statement and component, each member's
average per component, the **spread** between members (the highest member's average minus
the lowest's: disagreement is a finding to discuss) and the three weakest practices.

>>> import pandas as pd
>>> criteria = maturity_criteria()
>>> ids = [s.id for s in criteria.statements]
>>> table = pd.DataFrame({"member": ["Ana"] * 10 + ["Ben"] * 10,
...                       "statement": ids * 2, "score": [2] * 10 + [4] * 10})
>>> answers = TeamAnswers(table, synthetic=False)
>>> float(answers.team_profile()["governance"]), float(answers.spread()["use"])
(3.0, 2.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cda_lib.core.errors import CdaError, WorkspaceError
from cda_lib.core.readable import ReadableTable, Sentences
from cda_lib.synth.investments import COMPONENTS
from cda_lib.text.dates import format_list
from cda_lib.text.numbers import format_number
from cda_lib.text.translation import N_, gettext as _, ngettext
from cda_lib.themes.invest.candidates import COMPONENT_NAMES, COMPONENT_WORDS

if TYPE_CHECKING:
    import pandas as pd

    from cda_lib.core.workspace import Workspace

CRITERIA_FILE = Path(__file__).with_name("maturity_criteria.yaml")
LEVELS = (1, 2, 3, 4, 5)  # the questionnaire's scale: 1 not started, 5 embedded
WEAKEST = 3  # the page names the three weakest practices: few enough to act on
SHOWN_DECIMALS = 1  # averages of 1-5 scores are read to one decimal
ANSWERS_KEY = "maturity_answers"
ANSWER_COLUMNS = ("member", "statement", "score")
# The fictional team's roles (cda_lib.synth.maturity.MEMBERS), named in the page's language.
ROLE_WORDS = {"city-manager": N_("City manager"), "chief-data-officer": N_("Chief data officer"),
              "policy-lead": N_("Policy lead"), "ai-lead": N_("AI lead"),
              "communications-lead": N_("Communications lead")}
SYNTHETIC_NOTE = N_("Fictional team's answers, made for teaching from {city}'s seed: not the "
                    "city's own assessment.")


class MaturityError(CdaError, ValueError):
    """The questionnaire's file or a set of answers is not what page 2.1 can read."""


# --- the questionnaire ----------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """One statement of the questionnaire: its component, words, five anchors and source."""

    id: str
    component: str
    text: str
    anchors: tuple[str, ...]
    source: str
    wwc: str | None = None  # the What Works Cities criterion it stands for, if any


@dataclass(frozen=True)
class Criteria:
    """The questionnaire: its version, its sources and its statements in order."""

    version: str
    source: str
    statements: tuple[Statement, ...]

    def get(self, statement_id: str) -> Statement:
        for statement in self.statements:
            if statement.id == statement_id:
                return statement
        raise MaturityError(_('The questionnaire has no statement "{id}". Its statements are '
                              "{ids}.", id=statement_id, ids=format_list(self.ids())))

    def ids(self) -> list[str]:
        return [statement.id for statement in self.statements]

    def of(self, component: str) -> list[Statement]:
        return [s for s in self.statements if s.component == component]


@cache
def maturity_criteria(path: str | None = None) -> Criteria:
    """The questionnaire in ``maturity_criteria.yaml`` (or the file at ``path``).

    >>> criteria = maturity_criteria()
    >>> len(criteria.statements), criteria.statements[1].wwc
    (10, 'DG1 Comprehensive Data Inventory')
    """
    import yaml

    from cda_lib.core.plain_yaml import PlainYamlLoader

    file = Path(path) if path else CRITERIA_FILE
    raw = yaml.load(file.read_text(encoding="utf-8"), Loader=PlainYamlLoader)
    try:
        statements = tuple(
            Statement(item["id"], item["component"], item["text"],
                      tuple(a["text"] for a in sorted(item["anchors"], key=lambda a: a["level"])),
                      " ".join(str(item["source"]).split()), item.get("wwc"))
            for item in raw["statements"])
        criteria = Criteria(str(raw["version"]), " ".join(str(raw["source"]).split()), statements)
    except (KeyError, TypeError) as error:
        raise MaturityError(f"{file.name} lacks {error}: every statement needs an id, a "
                            "component, a text, a source and five anchors.") from None
    for statement in statements:
        if statement.component not in COMPONENTS or len(statement.anchors) != len(LEVELS):
            raise MaturityError(f'{file.name}: statement "{statement.id}" needs one of the '
                                f"components {', '.join(COMPONENTS)} and exactly five anchors.")
    return criteria


def criteria_table(criteria: Criteria | None = None) -> ReadableTable:
    """The questionnaire as a table to read: each statement, its component and its source."""
    criteria = criteria or maturity_criteria()
    rows = [[(_(COMPONENT_WORDS[s.component]), False), (_(s.text), False), (s.source, False)]
            for s in criteria.statements]
    return ReadableTable([_("Component"), _("Statement"), _("Source")], rows,
                         caption=_("The questionnaire, version {version}",
                                   version=criteria.version),
                         notes=[_("Sources as transcribed in the workbook's reference, "
                                  "civic-standards.md (B1 What Works Cities; B2 GovEx and the "
                                  "UK government's Data Maturity Assessment).")])


# --- the answers ----------------------------------------------------------------------------


def check_answers(table: pd.DataFrame, criteria: Criteria | None = None) -> pd.DataFrame:
    """The answers with whole scores from 1 to 5 for known statements, every member having
    answered every statement; a plain error says what is wrong otherwise."""
    criteria = criteria or maturity_criteria()
    missing = [c for c in ANSWER_COLUMNS if c not in table.columns]
    if missing:
        raise MaturityError(_("The answers need the columns member, statement and score; they "
                              "lack {columns}.", columns=format_list(missing)))
    table = table[list(ANSWER_COLUMNS)].copy()
    unknown = sorted(set(table["statement"]) - set(criteria.ids()))
    if unknown:
        raise MaturityError(_("The answers name statements the questionnaire does not have: "
                              "{ids}.", ids=format_list(unknown)))
    scores = table["score"]
    if not scores.map(lambda v: isinstance(v, int | float) and float(v) in LEVELS).all():
        raise MaturityError(_("Every score is a whole number from 1 to 5."))
    table["score"] = scores.astype(int)
    for member, rows in table.groupby("member", sort=False):
        if sorted(rows["statement"]) != sorted(criteria.ids()):
            raise MaturityError(_("{member} has not answered every statement once: answer all "
                                  "ten, then save again.", member=member))
    return table.reset_index(drop=True)


@dataclass(frozen=True)
class TeamAnswers:
    """The team's answers (member, statement, score) and whether they are a fictional team's."""

    table: pd.DataFrame
    synthetic: bool
    criteria: Criteria | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "criteria", self.criteria or maturity_criteria())
        object.__setattr__(self, "table", check_answers(self.table, self.criteria))

    @property
    def members(self) -> list[str]:
        return list(dict.fromkeys(self.table["member"]))

    def member_name(self, member: str) -> str:
        """A member as the page names them: a fictional member's role in the page's language."""
        return _(ROLE_WORDS[member]) if self.synthetic and member in ROLE_WORDS else member

    def statement_means(self) -> pd.Series:
        """The team's average score on each statement, in the questionnaire's order."""
        return self.table.groupby("statement")["score"].mean().reindex(self.criteria.ids())

    def member_profile(self) -> pd.DataFrame:
        """Each member's average per component: one row per member, one column per component."""
        component = self.table["statement"].map(
            {s.id: s.component for s in self.criteria.statements})
        profile = self.table.assign(component=component).pivot_table(
            index="member", columns="component", values="score", aggfunc="mean")
        return profile.reindex(index=self.members, columns=list(COMPONENTS))

    def team_profile(self) -> pd.Series:
        """The team's average per component (the average of its statements' averages)."""
        means = self.statement_means()
        return (means.groupby(means.index.map({s.id: s.component
                                                for s in self.criteria.statements})).mean()
                .reindex(list(COMPONENTS)).round(9))

    def spread(self) -> pd.Series:
        """Per component, the highest member's average minus the lowest's."""
        profile = self.member_profile()
        return (profile.max() - profile.min()).round(9)

    def weakest(self, count: int = WEAKEST) -> list[tuple[Statement, float]]:
        """The ``count`` statements with the lowest team average (ties: the file's order)."""
        means = self.statement_means().round(9)
        order = sorted(range(len(means)), key=lambda i: (means.iloc[i], i))[:count]
        return [(self.criteria.get(means.index[i]), float(means.iloc[i])) for i in order]


def team_answers(city, workspace: Workspace | None = None) -> TeamAnswers:
    """The answers recorded in the city's workspace, or (until someone answers) a fictional
    team's, made from the city's seed."""
    from cda_lib.core.workspace import Workspace as _Workspace
    from cda_lib.synth.maturity import synthetic_answers

    workspace = workspace or _Workspace(city.id)
    try:
        recorded = workspace.read(ANSWERS_KEY)
    except WorkspaceError:
        recorded = None
    if recorded:
        import pandas as pd

        return TeamAnswers(pd.DataFrame(recorded), synthetic=False)
    criteria = maturity_criteria()
    table = synthetic_answers(city, criteria.ids(), [s.component for s in criteria.statements])
    return TeamAnswers(table, synthetic=True, criteria=criteria)


# --- the sentences --------------------------------------------------------------------------


def score(value: float) -> str:
    """An average of 1-5 scores as the page writes it: one decimal.

    >>> score(2.25), score(3.0)
    ('2.3', '3.0')
    """
    return format_number(value, SHOWN_DECIMALS)


def _tied(series: pd.Series, value: float) -> list[str]:
    return [_(COMPONENT_NAMES[c]) for c in series.index if round(series[c] - value, 9) == 0]


def answered_sentence(answers: TeamAnswers, city_name: str) -> str:
    """Who answered: the team's members, or a fictional team."""
    count = len(answers.members)
    if answers.synthetic:
        return ngettext(
            "SYNTHETIC: nobody in {city}'s team has answered yet, so the page reads the answers "
            "of a fictional team of {count} member, made from the city's seed.",
            "SYNTHETIC: nobody in {city}'s team has answered yet, so the page reads the answers "
            "of a fictional team of {count} members, made from the city's seed.",
            count, city=city_name)
    return ngettext("{count} member of {city}'s team has answered: {names}.",
                    "{count} members of {city}'s team have answered: {names}.", count,
                    city=city_name, names=format_list([answers.member_name(m)
                                                       for m in answers.members]))


def strength_sentence(answers: TeamAnswers) -> str:
    """The strongest and weakest components by the team's average."""
    profile = answers.team_profile()
    high, low = float(profile.max()), float(profile.min())
    if round(high - low, 9) == 0:
        return _("The team scores every component the same: {score} of 5.", score=score(high))
    return _("The team's strongest component is {strong} ({high} of 5) and its weakest "
             "{weak} ({low} of 5).", strong=format_list(_tied(profile, high)),
             high=score(high), weak=format_list(_tied(profile, low)), low=score(low))


def disagreement_sentence(answers: TeamAnswers) -> str:
    """Which components the members disagree on most, and by how much."""
    if len(answers.members) < 2:
        return _("Only one member has answered, so there is no disagreement to measure yet: "
                 "ask the others to answer too.")
    spread = answers.spread()
    most = float(spread.max())
    if most == 0:
        return _("The members agree: on every component their averages are the same.")
    profile = answers.member_profile()
    component = spread.idxmax()
    low, high = profile[component].min(), profile[component].max()
    tied = _tied(spread, most)
    return ngettext(
        "Members disagree most on {components}: on {component}, their averages run from {low} "
        "to {high}, a spread of {spread} point. Talk about it before acting on the average.",
        "Members disagree most on {components}: on {component}, their averages run from {low} "
        "to {high}, a spread of {spread} points. Talk about it before acting on the average.",
        1 if most == 1 else 2,  # "a spread of 1.0 point", "of 1.5 points": chosen by the figure
        components=format_list(tied), component=tied[0],
        low=score(low), high=score(high), spread=score(most))


def disagreement_title(answers: TeamAnswers) -> str:
    """The chart's title: the components members disagree on most."""
    spread = answers.spread()
    if len(answers.members) < 2:
        return _("One member has answered: no disagreement to measure yet")
    if float(spread.max()) == 0:
        return _("The members agree on every component")
    return _("Members disagree most on {components}",
             components=format_list(_tied(spread, float(spread.max()))))


def weakest_sentence(answers: TeamAnswers) -> str:
    """The three weakest practices (:data:`WEAKEST`), each with the team's average."""
    items = [_("{statement} ({score})", statement=_(s.text).rstrip("."), score=score(mean))
             for s, mean in answers.weakest()]
    return _("The weakest practices: {items}.", items="; ".join(items))


def profile_summary(answers: TeamAnswers, city_name: str) -> Sentences:
    """The profile in sentences, above a table of each component's averages and spread."""
    return Sentences([answered_sentence(answers, city_name), strength_sentence(answers),
                      disagreement_sentence(answers), weakest_sentence(answers)],
                     profile_table(answers))


def headline(answers: TeamAnswers) -> str:
    """The page's headline finding: the weakest component and the widest disagreement."""
    return " ".join([strength_sentence(answers), disagreement_sentence(answers)])


def profile_table(answers: TeamAnswers) -> ReadableTable:
    """Each component: the team's average, the lowest and highest member's, the spread."""
    team, profile, spread = answers.team_profile(), answers.member_profile(), answers.spread()
    rows = [[(_(COMPONENT_WORDS[c]), False), (score(team[c]), True),
             (score(profile[c].min()), True), (score(profile[c].max()), True),
             (score(spread[c]), True)] for c in COMPONENTS]
    return ReadableTable([_("Component"), _("Team average"), _("Lowest member"),
                          _("Highest member"), _("Spread")], rows,
                         caption=_("The team's profile, 1 to 5"),
                         notes=[_("A member's average on a component is the average of their "
                                  "scores on its two statements; the spread is the highest "
                                  "member's average minus the lowest's.")])


def statements_table(answers: TeamAnswers) -> ReadableTable:
    """Each statement: its component, the team's average and the lowest and highest score."""
    means = answers.statement_means()
    by_statement = answers.table.groupby("statement")["score"]
    low, high = by_statement.min(), by_statement.max()
    rows = [[(_(COMPONENT_WORDS[s.component]), False), (_(s.text), False),
             (score(means[s.id]), True), (str(low[s.id]), True), (str(high[s.id]), True)]
            for s in answers.criteria.statements]
    return ReadableTable([_("Component"), _("Statement"), _("Team average"), _("Lowest"),
                          _("Highest")], rows, caption=_("Every statement, 1 to 5"))


# --- the record -----------------------------------------------------------------------------


def profile_record(answers: TeamAnswers, city_name: str, wwc: Any) -> dict[str, Any]:
    """What page 2.1 records as ``maturity_profile``: the team's averages per component,
    who answered, the widest disagreement, the weakest practices and the WWC estimate."""
    team, spread = answers.team_profile(), answers.spread()
    return {"city": city_name, "version": answers.criteria.version,
            "members": len(answers.members), "synthetic": answers.synthetic,
            **{c: round(float(team[c]), 2) for c in COMPONENTS},
            "spread_most": str(spread.idxmax()) if float(spread.max()) > 0 else "",
            "weakest": [s.id for s, _mean in answers.weakest()],
            "wwc_points": wwc.points, "wwc_of": wwc.of, "wwc_tier": wwc.tier}


def record_profile(workspace: Workspace, answers: TeamAnswers, city_name: str,
                   wwc: Any) -> Sentences:
    """Record the profile in the city's workspace, for the cohort and the capstone."""
    workspace.record("maturity_profile", profile_record(answers, city_name, wwc))
    sentence = _("Recorded in {city}'s workspace: the team's profile (version {version} of the "
                 "questionnaire).", city=city_name, version=answers.criteria.version)
    if answers.synthetic:
        sentence += " " + _("It is marked as a fictional team's, so that no later page takes "
                            "it for the city's own.")
    return Sentences([sentence])
