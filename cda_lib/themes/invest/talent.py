"""Page 2.3's choices: train or hire for each gap, who may leave, and what is recorded.

**Costs** are the city's to set (the page's parameters, in its currency); each default comes
from the roles file (:mod:`cda_lib.synth.roster`), is illustrative, and is converted at the
round rate page 2.4 uses. :class:`TalentCosts` says which were defaults.

**Train or hire.** Each gap is one row: a role's members below its levels (a *skill gap*)
or one empty seat. Training costs the levels short × the cost of a level, and takes the
largest single skill gap × the months a level takes (skills are trained side by side).
For an empty seat, the person trained is the closest on the team: the fewest levels short
of the role, not already in it. Hiring one person costs a year's salary and takes the
role's months to recruit plus a month to settle in. The choice: **train** when training is
no dearer than a year's salary and no slower; **hire** when nobody can be trained or
training is both dearer and slower; otherwise a **judgement call** (cheaper, but slower).

**Retention risk**, by a rule the page states: three signals, and a member with two or
more is *at risk* (one: *watch*): the only person on the team at level 3 or more in a skill
a role needs at 3 or more; under two years in the job; paid more than a quarter below the
market (the role's salary × the market premium of the roles file).

>>> import pandas as pd
>>> from cda_lib.synth.roster import TeamRoster
>>> table = pd.DataFrame([{"id": "m1", "name": "Ana", "role": "analyst",
...     "tenure_years": 3.0, "salary": 80000, "strategy": 1, "analysis": 2,
...     "engineering": 1, "governance": 2, "quality": 2, "communication": 1}])
>>> options = train_or_hire(TeamRoster(table, "USD"))
>>> row = options.table.set_index("kind").loc["skills"]
>>> float(row["train_cost"]), float(row["train_months"]), float(row["hire_cost"]), row["choice"]
(13500.0, 6.0, 85000.0, 'judgement')
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cda_lib.core.errors import CdaError, list_choices
from cda_lib.core.readable import ReadableTable, Sentences
from cda_lib.synth.investments import round_significant
from cda_lib.synth.roster import Roles, TeamRoster, load_roles
from cda_lib.text.dates import format_list
from cda_lib.text.numbers import format_money, format_number, format_percent
from cda_lib.text.translation import N_, gettext as _, ngettext
from cda_lib.themes.invest.skills import SkillGaps, role_name, skill_gaps, skill_name

MODULE = "2.3"
SCARCE_LEVEL = 3  # "does it alone": a skill at this level, needed at it, held by one person
NEW_YEARS = 2.0  # illustrative: people new to a public job leave most often in its first years
PAY_GAP = 0.25  # illustrative: a quarter below the market is a gap a recruiter can exploit
AT_RISK_SIGNALS = 2  # two signals of three: at risk; one: watch
CHOICE_WORDS = {"train": N_("Train"), "hire": N_("Hire"), "judgement": N_("Judgement call")}
KIND_WORDS = {"skills": N_("Skill gap"), "seat": N_("Empty seat")}
FLAG_WORDS = {"at risk": N_("At risk"), "watch": N_("Watch"), "": N_("—")}
ILLUSTRATIVE = N_("Salaries and training costs are illustrative defaults (round figures near "
                  "US city pay in 2025, converted at a round rate), not a survey: set your own "
                  "at the top of the page.")


class TalentError(CdaError, ValueError):
    """A salary or a training cost page 2.3 cannot use."""


@dataclass(frozen=True)
class TalentCosts:
    """What filling a gap costs and takes, in the city's currency: a year's salary and the
    market's for each role, a level of training, months per level and to recruit."""

    currency: str
    salaries: dict[str, float]
    market: dict[str, float]
    training_per_level: float
    months_per_level: float
    recruit_months: dict[str, float]
    onboarding_months: float
    defaults_used: bool = True

    def money(self, amount: float) -> str:
        return format_money(amount, self.currency)

    def notes(self) -> list[str]:
        """What the costs are: the city's own, or illustrative defaults."""
        return [_(ILLUSTRATIVE)] if self.defaults_used else [
            _("Salaries and training costs as the city set them, in {currency}.",
              currency=self.currency)]


def talent_costs(roster: TeamRoster, roles: Roles | None = None, *,
                 salaries: dict[str, float] | None = None,
                 training_cost_per_level: float | None = None,
                 months_per_level: float | None = None) -> TalentCosts:
    """The costs for ``roster``'s city: the roles file's defaults in its currency, with any
    salary (by role id), training cost or months the city gives in their place.

    >>> from cda_lib.synth.roster import TeamRoster
    >>> costs = talent_costs(TeamRoster(None, "COP", 4000), salaries={"analyst": 3e8})
    >>> costs.salaries["analyst"], costs.salaries["data-steward"], costs.training_per_level
    (300000000.0, 280000000.0, 18000000.0)
    """
    roles = roles or load_roles()
    given = dict(salaries or {})
    unknown = sorted(set(given) - set(roles.roles))
    if unknown:
        raise TalentError(_("There is no role {roles}. The roles are {known}. Give salaries by "
                            "those ids.", roles=list_choices(unknown),
                            known=list_choices(roles.roles, limit=len(roles.roles))))
    for value in [*given.values(), training_cost_per_level, months_per_level]:
        if value is not None and (not isinstance(value, int | float) or value <= 0
                                  or math.isnan(value)):
            raise TalentError(_("Salaries, training costs and months must be numbers above 0, "
                                "but one is {value}. Change it at the top of the page.",
                                value=repr(value)))
    rate = roster.rate
    pay = {r.id: float(given.get(r.id) or round_significant(r.salary_usd * rate))
           for r in roles.roles.values()}
    return TalentCosts(
        roster.currency, pay,
        {r.id: round_significant(pay[r.id] * r.market_premium) for r in roles.roles.values()},
        float(training_cost_per_level or round_significant(roles.training_cost_per_level_usd
                                                           * rate)),
        float(months_per_level or roles.training_months_per_level),
        {r.id: r.recruit_months for r in roles.roles.values()}, roles.onboarding_months,
        defaults_used=len(given) < len(roles.roles) or training_cost_per_level is None)


def months(value: float) -> str:
    """A number of months in words: "1 month", "4.5 months"."""
    return ngettext("{count} month", "{count} months", math.ceil(value),
                    count=format_number(value, 0 if float(value).is_integer() else 1))


OPTION_COLUMNS = ("role", "kind", "people", "levels_short", "trainee", "train_cost",
                  "train_months", "hire_cost", "hire_months", "choice")


@dataclass(frozen=True)
class TalentOptions:
    """Train or hire, for each gap: one row per gap (:data:`OPTION_COLUMNS`); train_cost is
    None for an empty seat nobody on the team can be trained into."""

    gaps: SkillGaps
    costs: TalentCosts
    table: pd.DataFrame

    def count(self, choice: str) -> int:
        return int((self.table["choice"] == choice).sum())

    def row_sentence(self, row: Any) -> str:
        """One gap's comparison in words, from its row's figures."""
        hire = _("hiring one costs {cost} a year and takes {months} to recruit and settle in",
                 cost=self.costs.money(row.hire_cost), months=months(row.hire_months))
        if row.kind == "skills":
            train = ngettext(
                "training the {count} person below the role's levels ({levels}) costs {cost} "
                "and takes {months}",
                "training the {count} people below the role's levels ({levels}) costs {cost} "
                "and takes {months}", int(row.people),
                levels=ngettext("{count} level", "{count} levels", int(row.levels_short)),
                cost=self.costs.money(row.train_cost), months=months(row.train_months))
            return _("{role}: {train}; {hire}.", role=role_name(row.role), train=train, hire=hire)
        if not isinstance(row.trainee, str):
            return _("{role}, an empty seat: nobody on the team can be trained into it, so "
                     "{hire}.", role=role_name(row.role), hire=hire)
        train = ngettext(
            "training {name}, the closest on the team ({count} level short), costs {cost} and "
            "takes {months}",
            "training {name}, the closest on the team ({count} levels short), costs {cost} and "
            "takes {months}", int(row.levels_short), name=row.trainee,
            cost=self.costs.money(row.train_cost), months=months(row.train_months))
        return _("{role}, an empty seat: {train}; {hire}.", role=role_name(row.role),
                 train=train, hire=hire)

    def summary(self) -> list[str]:
        """How many gaps, and which way each goes."""
        total = len(self.table)
        if not total:
            return [_("The team has no gaps to close against these roles.")]
        said = [ngettext("The team has {count} gap to close.",
                         "The team has {count} gaps to close.", total)]
        words = {
            "train": lambda n, roles: ngettext(
                "Training is cheaper than a year's salary and no slower for {count} role: "
                "{roles}.", "Training is cheaper than a year's salary and no slower for "
                "{count} roles: {roles}.", n, roles=roles),
            "judgement": lambda n, roles: ngettext(
                "For {count} role, training is cheaper but slower than hiring, a judgement "
                "call: {roles}.", "For {count} roles, training is cheaper but slower than "
                "hiring, a judgement call: {roles}.", n, roles=roles),
            "hire": lambda n, roles: ngettext(
                "For {count} role, hiring is the way: {roles}.",
                "For {count} roles, hiring is the way: {roles}.", n, roles=roles)}
        for choice, say in words.items():
            rows = self.table[self.table["choice"] == choice]
            if len(rows):
                roles = list(dict.fromkeys(role_name(r) for r in rows["role"]))
                said.append(say(len(roles), format_list(roles)))
        train = self.table.loc[self.table["choice"] == "train", "train_cost"].sum()
        hire = self.table.loc[self.table["choice"] == "hire", "hire_cost"].sum()
        if train and hire:
            said.append(_("Following the choices costs {train} of training, once, and {hire} a "
                          "year of new salaries.", train=self.costs.money(train),
                          hire=self.costs.money(hire)))
        elif train:
            said.append(_("The gaps where training is the choice cost {train} of training, "
                          "once.", train=self.costs.money(train)))
        elif hire:
            said.append(_("The gaps where hiring is the choice cost {hire} a year of new "
                          "salaries.", hire=self.costs.money(hire)))
        return said

    def headline(self) -> str:
        """The page's finding in two sentences: seats filled and where the gaps go."""
        return " ".join([self.gaps.sentences()[0], *self.summary()[1:2]])

    def _sentences(self) -> Sentences:
        return Sentences([*self.summary(), *[self.row_sentence(r) for r in
                                             self.table.itertuples()]], options_table(self))

    def _repr_html_(self) -> str:
        return self._sentences()._repr_html_()

    def __str__(self) -> str:
        return str(self._sentences())

    __repr__ = __str__


def role_levels_short(member: Any, role_id: str, roles: Roles) -> tuple[int, int]:
    """A member's levels short of a role's needs: in all, and the largest single gap."""
    shorts = [max(need - int(getattr(member, skill)), 0)
              for skill, need in roles.roles[role_id].needs.items()]
    return sum(shorts), max(shorts, default=0)


def train_or_hire(roster: TeamRoster, costs: TalentCosts | None = None,
                  roles: Roles | None = None) -> TalentOptions:
    """Every gap of the team, with the cost and time of training and of hiring for it."""
    roles = roles or load_roles()
    costs = costs or talent_costs(roster, roles)
    gaps = skill_gaps(roster, roles)
    hire_months = {r: costs.recruit_months[r] + costs.onboarding_months for r in roles.roles}
    rows, trainees = [], set()
    for role in roles.roles.values():
        holders = roster.table[roster.table["role"] == role.id]
        short = [role_levels_short(m, role.id, roles) for m in holders.itertuples()]
        short = [s for s in short if s[0]]
        if short:
            rows.append(_option(role.id, "skills", len(short), sum(s[0] for s in short), None,
                                max(s[1] for s in short), costs, hire_months[role.id]))
        for _seat in range(int(gaps.seats.set_index("role").loc[role.id, "empty"])):
            pool = [(role_levels_short(m, role.id, roles), i, m.name) for i, m in
                    enumerate(roster.table.itertuples())
                    if m.role != role.id and m.id not in trainees]
            if not pool:
                rows.append(_option(role.id, "seat", 1, 0, None, None, costs,
                                    hire_months[role.id]))
                continue
            (levels, largest), index, name = min(pool)
            trainees.add(roster.table.iloc[index]["id"])
            rows.append(_option(role.id, "seat", 1, levels, name, largest, costs,
                                hire_months[role.id]))
    return TalentOptions(gaps, costs, pd.DataFrame(rows, columns=list(OPTION_COLUMNS)))


def _option(role: str, kind: str, people: int, levels: int, trainee: str | None,
            largest: int | None, costs: TalentCosts, hire_months: float) -> dict[str, Any]:
    hire_cost = costs.salaries[role]
    if largest is None:
        train_cost = train_months = None
        choice = "hire"
    else:
        train_cost = float(levels * costs.training_per_level)
        train_months = float(largest * costs.months_per_level)
        cheaper, sooner = train_cost <= hire_cost, train_months <= hire_months
        choice = "train" if cheaper and sooner else "hire" if not (cheaper or sooner) else \
            "judgement"
    return {"role": role, "kind": kind, "people": people, "levels_short": levels,
            "trainee": trainee, "train_cost": train_cost, "train_months": train_months,
            "hire_cost": hire_cost, "hire_months": float(hire_months), "choice": choice}


def options_table(options: TalentOptions) -> ReadableTable:
    """Each gap, the two ways to close it, and the choice."""
    money, rows = options.costs.money, []
    for row in options.table.itertuples():
        trained = isinstance(row.trainee, str) or row.kind == "skills"
        rows.append([(role_name(row.role), False), (_(KIND_WORDS[row.kind]), False),
                     (row.trainee if isinstance(row.trainee, str) else "—", False),
                     (money(row.train_cost) if trained else "—", True),
                     (months(row.train_months) if trained else "—", True),
                     (money(row.hire_cost), True), (months(row.hire_months), True),
                     (_(CHOICE_WORDS[row.choice]), False)])
    return ReadableTable(
        [_("Role"), _("Gap"), _("Trained"), _("Training costs"), _("Training takes"),
         _("A hire costs, a year"), _("Hiring takes"), _("Choice")], rows,
        caption=_("Train or hire, gap by gap"), notes=options.costs.notes())


# --- retention --------------------------------------------------------------------------


@dataclass(frozen=True)
class Retention:
    """Each member's retention signals (:data:`SCARCE_LEVEL`, :data:`NEW_YEARS`,
    :data:`PAY_GAP`) and flag: "at risk", "watch" or ""."""

    table: pd.DataFrame
    currency: str

    @property
    def at_risk(self) -> list[str]:
        return list(self.table.loc[self.table["flag"] == "at risk", "name"])

    @property
    def watch(self) -> list[str]:
        return list(self.table.loc[self.table["flag"] == "watch", "name"])

    def sentences(self) -> list[str]:
        team = len(self.table)
        said = [ngettext(
            "By the page's rule (two signals or more of three), {count} of the team's {team} "
            "people is at risk of leaving", "By the page's rule (two signals or more of three), "
            "{count} of the team's {team} people are at risk of leaving", len(self.at_risk),
            team=team) + (f": {format_list(self.at_risk)}." if self.at_risk else ".")]
        if self.watch:
            said.append(ngettext("{count} more shows one signal: {names}.",
                                 "{count} more show one signal: {names}.", len(self.watch),
                                 names=format_list(self.watch)))
        sole = [name for name, skills in zip(self.table["name"], self.table["sole_skills"],
                                             strict=True) if skills]
        if sole:
            said.append(ngettext(
                "{count} person is the only one with a skill the strategy needs at level 3: "
                "if they leave, the skill leaves with them.",
                "{count} people are each the only one with a skill the strategy needs at level "
                "3: if one leaves, the skill leaves with them.", len(sole)))
        return said

    def _sentences(self) -> Sentences:
        return Sentences(self.sentences(), retention_table(self))

    def _repr_html_(self) -> str:
        return self._sentences()._repr_html_()

    def __str__(self) -> str:
        return str(self._sentences())

    __repr__ = __str__


def retention_risks(roster: TeamRoster, costs: TalentCosts | None = None,
                    roles: Roles | None = None) -> Retention:
    """Each member's three signals and flag, by the rule in this module's docstring."""
    roles = roles or load_roles()
    costs = costs or talent_costs(roster, roles)
    table = roster.table
    scarce = {s for r in roles.roles.values() for s, n in r.needs.items() if n >= SCARCE_LEVEL}
    holders = {s: list(table.loc[table[s] >= SCARCE_LEVEL, "id"]) for s in roles.skills}
    rows = []
    for member in table.itertuples():
        sole = [s for s in roles.skills if s in scarce and holders[s] == [member.id]]
        gap = 1 - member.salary / costs.market[member.role]
        signals = (bool(sole), member.tenure_years < NEW_YEARS, gap > PAY_GAP)
        flag = "at risk" if sum(signals) >= AT_RISK_SIGNALS else "watch" if any(signals) else ""
        rows.append({"id": member.id, "name": member.name, "role": member.role,
                     "sole_skills": sole, "tenure_years": float(member.tenure_years),
                     "pay_gap": gap, "signals": sum(signals), "flag": flag})
    return Retention(pd.DataFrame(rows, columns=["id", "name", "role", "sole_skills",
                                                 "tenure_years", "pay_gap", "signals", "flag"]),
                     costs.currency)


def retention_table(retention: Retention) -> ReadableTable:
    rows = [[(r.name, False), (role_name(r.role), False),
             (", ".join(skill_name(s) for s in r.sole_skills) or "—", False),
             (format_number(r.tenure_years, 1), True),
             (format_percent(r.pay_gap) if r.pay_gap > 0 else _("at or above"), True),
             (str(r.signals), True), (_(FLAG_WORDS[r.flag]), False)]
            for r in retention.table.itertuples()]
    return ReadableTable(
        [_("Team member"), _("Role"), _("Only one at level 3+ in"), _("Years in the job"),
         _("Pay below the market"), _("Signals"), _("Risk")], rows,
        caption=_("Retention signals"),
        notes=[_("Signals: the only person at level 3 or more in a skill a role needs at 3; "
                 "under {years} years in the job; paid more than {gap} below the market. Two "
                 "or more: at risk; one: watch. An illustrative rule: adapt it with your HR "
                 "team.", years=format_number(NEW_YEARS, 0), gap=format_percent(PAY_GAP))])


# --- records ----------------------------------------------------------------------------


def talent_record(options: TalentOptions, retention: Retention) -> dict[str, Any]:
    """The figures the capstone reads: the team, its gaps, the choices and who may leave."""
    table = options.table
    return {
        "roles_version": options.gaps.roles.version, "currency": options.costs.currency,
        "team": len(options.gaps.roster.table), "seats": options.gaps.roles.seats,
        "empty_seats": options.gaps.uncovered_seats,
        "members_short": len(options.gaps.members_short()),
        "levels_short": options.gaps.levels_short(), "gaps": len(table),
        "train": options.count("train"), "hire": options.count("hire"),
        "judgement": options.count("judgement"),
        "train_cost": float(table.loc[table["choice"] == "train", "train_cost"].sum()),
        "hire_cost_a_year": float(table.loc[table["choice"] == "hire", "hire_cost"].sum()),
        "at_risk": len(retention.at_risk), "headline": options.headline()}


def record_talent_plan(workspace: Any, options: TalentOptions,
                       retention: Retention) -> Sentences:
    """Record the gaps (one row each) and the plan's figures; say what was kept."""
    rows = [{key: (None if isinstance(value, float) and math.isnan(value) else value)
             for key, value in row.items()} for row in options.table.to_dict("records")]
    workspace.record("skills_gaps", rows, module=MODULE)
    workspace.record("talent_plan", talent_record(options, retention), module=MODULE)
    return Sentences([ngettext(
        "Recorded in the workspace, for the capstone's Citywide Data Strategy: the {count} gap "
        "and the plan's figures.", "Recorded in the workspace, for the capstone's Citywide Data "
        "Strategy: the {count} gaps and the plan's figures.", len(rows))])

