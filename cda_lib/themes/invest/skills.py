"""Page 2.3's roles and skills in words, the team's skills matrix and its gaps.

The roles the strategy needs and the levels each needs come from the versioned roles file
(:func:`cda_lib.synth.roster.load_roles`); the team is the city's (fictional, made from its
seed: :func:`cda_lib.synth.roster.team_roster`). This module names both in the page's
language and works out the **gaps**, in two kinds:

- an **empty seat**: the strategy needs more people in a role than the team has (two
  analysts, one holds the job: one empty seat);
- a **skill gap**: a member's self-rating in a skill is below the level their role needs;
  the gap is the number of levels short (needs 3, rated 1: 2 levels short).

>>> import pandas as pd
>>> from cda_lib.synth.roster import TeamRoster, load_roles
>>> table = pd.DataFrame([{"id": "m1", "name": "Ana", "role": "data-steward",
...     "tenure_years": 3.0, "salary": 70000, "strategy": 1, "analysis": 2,
...     "engineering": 1, "governance": 2, "quality": 3, "communication": 2}])
>>> gaps = skill_gaps(TeamRoster(table, "USD"))
>>> gaps.uncovered_seats, gaps.levels_short(), gaps.shortfalls["skill"].tolist()
(8, 1, ['governance'])
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from cda_lib.core.errors import CdaError, list_choices
from cda_lib.core.readable import ReadableTable, Sentences
from cda_lib.synth.roster import Roles, TeamRoster, load_roles, team_roster
from cda_lib.text.dates import format_list
from cda_lib.text.translation import N_, gettext as _, ngettext

if TYPE_CHECKING:
    from cda_lib.data import CityData

ROLE_WORDS = {
    "chief-data-officer": (N_("Chief data officer"), N_(
        "Leads data across the city, with the authority to set standards (GovEx Data "
        "Inventory Guide: an oversight authority).")),
    "analyst": (N_("Analyst"), N_(
        "Prepares the stat meeting's brief and answers leaders' questions with data (GovEx "
        "performance management guide).")),
    "data-engineer": (N_("Data engineer"), N_(
        "Builds and keeps the pipelines that bring each department's data to one place, "
        "clean and on time.")),
    "department-lead": (N_("Department data lead"), N_(
        "The person in a department who knows its data and its decisions, and speaks for it "
        "on the governance board.")),
    "data-steward": (N_("Data steward"), N_(
        "Looks after one major dataset: its definitions, quality and who may see it (GovEx "
        "data governance board: every major data asset should have a data steward).")),
}
SKILL_WORDS = {"strategy": N_("Strategy and leadership"), "analysis": N_("Analysis"),
               "engineering": N_("Data engineering"), "governance": N_("Governance and privacy"),
               "quality": N_("Data quality"), "communication": N_("Communication")}
# Skill names inside a sentence, where English writes them in lower case.
SKILL_NAMES = {"strategy": N_("strategy and leadership"), "analysis": N_("analysis"),
               "engineering": N_("data engineering"), "governance": N_("governance and privacy"),
               "quality": N_("data quality"), "communication": N_("communication")}
LEVEL_WORDS = {1: N_("1 aware"), 2: N_("2 working"), 3: N_("3 practitioner"), 4: N_("4 expert")}
SYNTHETIC_TEAM = N_("SYNTHETIC DATA. The {count} people of this team are fictional, made for "
                    "teaching from {city}'s seed; their names, ratings and salaries are made up.")
GOVEX_STEWARDS = N_("GovEx, Data Governance Board focus areas: organizational capacity, "
                    "\"every major data asset should have a data steward\" (civic-standards.md, "
                    "B2).")


class RosterError(CdaError, ValueError):
    """A team roster holds a role or a rating page 2.3 cannot read."""


def role_name(role_id: str) -> str:
    """A role's name in the page's language."""
    return _(ROLE_WORDS[role_id][0])


def skill_name(skill: str) -> str:
    """A skill's name inside a sentence, in the page's language."""
    return _(SKILL_NAMES[skill])


def data_team(data: CityData) -> TeamRoster:
    """The city's data team: ``data.roster`` when a test or a coach has set one (a real
    team's table, the same columns), else the fictional team made from the city's seed."""
    roster = getattr(data, "roster", None)
    roster = roster if roster is not None else team_roster(data.city)
    return checked_roster(roster)


def checked_roster(roster: TeamRoster, roles: Roles | None = None) -> TeamRoster:
    """``roster`` if every member holds a known role with ratings on the scale; a plain
    error otherwise."""
    roles = roles or load_roles()
    unknown = sorted(set(roster.table["role"]) - set(roles.roles))
    if unknown:
        raise RosterError(_(
            "The team includes the role {roles}, which page 2.3 does not know. The roles are "
            "{known}. Use those ids.", roles=list_choices(unknown),
            known=list_choices(roles.roles, limit=len(roles.roles))))
    low, high = min(roles.levels), max(roles.levels)
    for skill in roles.skills:
        if skill not in roster.table or not roster.table[skill].between(low, high).all():
            raise RosterError(_(
                "Every member needs a rating from {low} to {high} in {skill}. Fill in the "
                "missing or out-of-range ratings.", low=low, high=high, skill=skill_name(skill)))
    return roster


def team_notice(roster: TeamRoster, city_name: str) -> Sentences:
    """What the team on the page is: fictional (when it is), and how many people."""
    count = len(roster.table)
    if roster.synthetic:
        return Sentences([_(SYNTHETIC_TEAM, count=count, city=city_name)])
    return Sentences([ngettext("{city}'s data team: {count} person.",
                               "{city}'s data team: {count} people.", count, city=city_name)])


def roles_table(roles: Roles | None = None) -> ReadableTable:
    """The roles the strategy needs: seats, what each does, and the level it needs in each
    skill (blank: not needed)."""
    roles = roles or load_roles()
    rows = []
    for role in roles.roles.values():
        rows.append([(role_name(role.id), False), (str(role.seats), True),
                     *[(str(role.needs[s]) if s in role.needs else "", True)
                       for s in roles.skills],
                     (_(ROLE_WORDS[role.id][1]), False)])
    return ReadableTable(
        [_("Role"), _("Seats"), *[_(SKILL_WORDS[s]) for s in roles.skills], _("What it does")],
        rows, caption=_("The roles the strategy needs, and the level each needs"),
        notes=[_("Levels: 1 aware, 2 working, 3 practitioner (does it alone), 4 expert "
                 "(teaches it). Roles file version {version}.", version=roles.version),
               _(GOVEX_STEWARDS)])


def matrix_table(roster: TeamRoster, roles: Roles | None = None) -> ReadableTable:
    """The skills matrix: each member's self-rating in each skill, with the level their role
    needs beside a rating that falls short ("1 of 3")."""
    roles = roles or load_roles()
    rows = []
    for member in roster.table.itertuples():
        needs = roles.roles[member.role].needs
        cells = []
        for skill in roles.skills:
            rating = int(getattr(member, skill))
            need = needs.get(skill)
            text = (_("{rating} of {need}", rating=rating, need=need)
                    if need and rating < need else str(rating))
            cells.append((text, True))
        rows.append([(member.name, False), (role_name(member.role), False), *cells])
    return ReadableTable([_("Team member"), _("Role"), *[_(SKILL_WORDS[s]) for s in roles.skills]],
                         rows, caption=_("The team's skills matrix (self-rated, 1 to 4)"),
                         notes=[_("\"1 of 3\": rated 1 where the role needs 3.")])


@dataclass(frozen=True)
class SkillGaps:
    """The team's gaps against the roles: ``seats`` (per role: seats, filled, empty) and
    ``shortfalls`` (one row per member and skill below the role's level, with the levels
    short)."""

    roster: TeamRoster
    roles: Roles
    seats: pd.DataFrame
    shortfalls: pd.DataFrame

    @property
    def uncovered_seats(self) -> int:
        """Seats the strategy needs that nobody holds, every role together."""
        return int(self.seats["empty"].sum())

    @property
    def uncovered_roles(self) -> list[str]:
        """The roles with at least one empty seat, in the roles file's order."""
        return list(self.seats.loc[self.seats["empty"] > 0, "role"])

    def levels_short(self, member: str | None = None) -> int:
        """Levels short in all, or for one member (by id)."""
        rows = self.shortfalls
        if member is not None:
            rows = rows[rows["member"] == member]
        return int(rows["short"].sum())

    def members_short(self) -> list[str]:
        """The ids of the members below their role's level in at least one skill."""
        return list(dict.fromkeys(self.shortfalls["member"]))

    def sentences(self) -> list[str]:
        """The gaps in words: seats filled, which are empty, who is short and by how much."""
        team, seats = len(self.roster.table), self.roles.seats
        filled = seats - self.uncovered_seats
        said = [ngettext("The strategy needs {seats} seats in {roles} roles; the team of {count} "
                         "person fills {filled} of them.",
                         "The strategy needs {seats} seats in {roles} roles; the team of {count} "
                         "people fills {filled} of them.", team, seats=seats,
                         roles=len(self.roles.roles), filled=filled)]
        empty = [ngettext("{role} ({count} seat)", "{role} ({count} seats)", int(row.empty),
                          role=role_name(row.role))
                 for row in self.seats.itertuples() if row.empty]
        if empty:
            said.append(_("Empty: {seats}.", seats=format_list(empty)))
        else:
            said.append(_("Every seat is filled."))
        short = self.members_short()
        if short:
            said.append(ngettext(
                "{count} member is below their role's level in at least one skill, {levels} "
                "levels short in all; the largest gap is {skill}, {gap}.",
                "{count} members are below their role's level in at least one skill, {levels} "
                "levels short in all; the largest gap is {skill}, {gap}.", len(short),
                levels=self.levels_short(), skill=skill_name(self.largest_skill_gap()),
                gap=ngettext("{count} level short", "{count} levels short",
                             self.skill_totals()[self.largest_skill_gap()])))
        else:
            said.append(_("Every member is at or above their role's level in every skill."))
        return said

    def skill_totals(self) -> dict[str, int]:
        """Levels short in each skill, the whole team together (0 for none)."""
        totals = self.shortfalls.groupby("skill")["short"].sum()
        return {skill: int(totals.get(skill, 0)) for skill in self.roles.skills}

    def largest_skill_gap(self) -> str:
        """The skill the team is most levels short in (of equal totals, the first in the
        roles file's order)."""
        totals = self.skill_totals()
        return max(self.roles.skills, key=lambda skill: totals[skill])

    def _repr_html_(self) -> str:
        return Sentences(self.sentences(), gaps_table(self))._repr_html_()

    def __str__(self) -> str:
        return str(Sentences(self.sentences(), gaps_table(self)))

    __repr__ = __str__


def skill_gaps(roster: TeamRoster, roles: Roles | None = None) -> SkillGaps:
    """The team's empty seats and skill gaps against the roles the strategy needs."""
    roles = roles or load_roles()
    table = roster.table
    held = table["role"].value_counts()
    seats = pd.DataFrame(
        [{"role": r.id, "seats": r.seats, "filled": int(held.get(r.id, 0)),
          "empty": max(r.seats - int(held.get(r.id, 0)), 0)} for r in roles.roles.values()],
        columns=["role", "seats", "filled", "empty"])
    rows = []
    for member in table.itertuples():
        for skill, need in roles.roles[member.role].needs.items():
            rating = int(getattr(member, skill))
            if rating < need:
                rows.append({"member": member.id, "name": member.name, "role": member.role,
                             "skill": skill, "needs": need, "rating": rating,
                             "short": need - rating})
    shortfalls = pd.DataFrame(rows, columns=["member", "name", "role", "skill", "needs",
                                             "rating", "short"])
    return SkillGaps(roster, roles, seats, shortfalls)


def with_ratings(roster: TeamRoster, member: str, ratings: dict[str, int]) -> TeamRoster:
    """The roster with one member's self-ratings replaced (what the skills widget does)."""
    table = roster.table.copy()
    where = table["id"] == member
    if not where.any():
        raise RosterError(_("There is no team member {member}. The members are {known}.",
                            member=repr(member), known=list_choices(table["id"])))
    for skill, level in ratings.items():
        table.loc[where, skill] = int(level)
    return replace(roster, table=table)


def gaps_table(gaps: SkillGaps) -> ReadableTable:
    """One row per role: seats, filled, empty, and who is short in what."""
    rows = []
    for row in gaps.seats.itertuples():
        mine = gaps.shortfalls[gaps.shortfalls["role"] == row.role]
        short = [_("{name}: {skills}", name=name, skills=", ".join(
                     _("{skill} {rating} of {need}", skill=skill_name(s.skill), rating=s.rating,
                       need=s.needs) for s in rows.itertuples()))
                 for name, rows in mine.groupby("name", sort=False)]
        rows.append([(role_name(row.role), False), (str(row.seats), True),
                     (str(row.filled), True), (str(row.empty), True),
                     ("; ".join(short) or "—", False)])
    return ReadableTable([_("Role"), _("Seats"), _("Filled"), _("Empty"), _("Below the level")],
                         rows, caption=_("The gaps against the roles"))
