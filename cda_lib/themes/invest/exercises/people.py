"""Exercises 2.3: people and skills (the exercise set of page 2.3).

The exercises themselves (their words, answer kinds, mistakes and hints) are written in
``people.yaml`` beside this module; this module holds the functions that file names.

Five exercises checked against the city's own team (fictional, made from its seed) with the
page's default costs, and a reflection: the empty seats, one member's levels short, what
training a role's members costs, train or hire for one gap, and who may leave. Every figure
comes from :mod:`cda_lib.themes.invest.skills` and :mod:`cda_lib.themes.invest.talent`, the
functions the page uses.

>>> choice_of("judgement")
'C'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cda_lib.exercises.exercise import CityMemo
from cda_lib.synth.roster import load_roles
from cda_lib.text.dates import format_list
from cda_lib.text.translation import N_, gettext as _, ngettext
from cda_lib.themes.invest.skills import SkillGaps, data_team, role_name, skill_gaps, skill_name
from cda_lib.themes.invest.talent import (
    CHOICE_WORDS,
    KIND_WORDS,
    Retention,
    TalentOptions,
    months,
    retention_risks,
    train_or_hire,
)

if TYPE_CHECKING:
    from cda_lib.data import CityData

# Exercise 2.3.4's options, in this order (the exercise file's A, B and C).
CHOICE_LETTERS = {"train": "A", "hire": "B", "judgement": "C"}
ROLE_ARTICLES = {"chief-data-officer": N_("the chief data officer"),
                 "analyst": N_("an analyst"), "data-engineer": N_("a data engineer"),
                 "department-lead": N_("a department data lead"),
                 "data-steward": N_("a data steward")}
_memo = CityMemo()


def choice_of(choice: str) -> str:
    """The letter of exercise 2.3.4's option for a choice."""
    return CHOICE_LETTERS[choice]


# --- the figures, from the city's team -----------------------------------------------------


def gaps_of(data: CityData) -> SkillGaps:
    return _memo("gaps", data, lambda: skill_gaps(data_team(data)))


def options_of(data: CityData) -> TalentOptions:
    return _memo("options", data, lambda: train_or_hire(data_team(data)))


def retention_of(data: CityData) -> Retention:
    return _memo("retention", data, lambda: retention_risks(data_team(data)))


def scored_member(data: CityData) -> str | None:
    """Exercise 2.3.2's member: the one most levels short (the first of equals), else the
    first member; None for a team of nobody."""
    gaps, table = gaps_of(data), data_team(data).table
    if not len(table):
        return None
    return max(table["id"], key=lambda m: (gaps.levels_short(m), -list(table["id"]).index(m)))


def _training_row(data: CityData):
    """Exercise 2.3.3's gap: the skill gap with the most levels short (the first of equals);
    None when no member is below their role's level."""
    rows = options_of(data).table
    rows = rows[rows["kind"] == "skills"]
    return None if not len(rows) else rows.loc[rows["levels_short"].idxmax()]


def _choice_row(data: CityData):
    """Exercise 2.3.4's gap: the first judgement call, else the first gap with a trainee,
    else the first gap; None when there is none."""
    rows = options_of(data).table
    for wanted in (rows["choice"] == "judgement", rows["train_cost"].notna()):
        if wanted.any():
            return rows[wanted].iloc[0]
    return rows.iloc[0] if len(rows) else None


# --- expected answers ---------------------------------------------------------------------


def empty_seats(data: CityData) -> int:
    """Exercise 2.3.1: the seats nobody holds."""
    return gaps_of(data).uncovered_seats


def member_levels_short(data: CityData) -> int:
    """Exercise 2.3.2: the member's levels short, all skills together."""
    member = scored_member(data)
    return 0 if member is None else gaps_of(data).levels_short(member)


def training_cost(data: CityData) -> float:
    """Exercise 2.3.3: levels short × the cost of a level (0 when nobody is short)."""
    row = _training_row(data)
    return 0.0 if row is None else float(row["train_cost"])


def choice_letter(data: CityData) -> str:
    """Exercise 2.3.4: the page's choice for the gap (B, hire, when there is no gap)."""
    row = _choice_row(data)
    return choice_of("hire" if row is None else row["choice"])


def at_risk_count(data: CityData) -> int:
    """Exercise 2.3.5: the members with two signals or more."""
    return len(retention_of(data).at_risk)


# --- slider bounds ------------------------------------------------------------------------


def _seat_slider(data: CityData) -> tuple[float, float, float]:
    return 0, load_roles().seats, 1


def _levels_slider(data: CityData) -> tuple[float, float, float]:
    roles = load_roles()
    return 0, max(sum(n - min(roles.levels) for n in r.needs.values())
                  for r in roles.roles.values()), 1


def _training_slider(data: CityData) -> tuple[float, float, float]:
    per_level = options_of(data).costs.training_per_level
    row = _training_row(data)
    levels = 0 if row is None else int(row["levels_short"])
    return 0, per_level * (2 * levels + 4), per_level


def _team_slider(data: CityData) -> tuple[float, float, float]:
    return 0, max(len(data_team(data).table), 1), 1


# --- facts for the messages ---------------------------------------------------------------


def _seat_facts(data: CityData) -> dict[str, Any]:
    gaps = gaps_of(data)
    where = [ngettext("{role} {count}", "{role} {count}", int(r.empty), role=role_name(r.role))
             for r in gaps.seats.itertuples() if r.empty]
    return {"seats": gaps.roles.seats, "roles": len(gaps.roles.roles),
            "team": len(gaps.roster.table), "empty": gaps.uncovered_seats,
            "where": format_list(where) or _("none")}


def _member_facts(data: CityData) -> dict[str, Any]:
    member, gaps, roles = scored_member(data), gaps_of(data), load_roles()
    if member is None:
        return {"member": "—", "role_article": "—", "ratings": "—", "needs": "—",
                "levels": ngettext("{count} level", "{count} levels", 0), "detail": "—"}
    row = gaps.roster.table.set_index("id").loc[member]
    needs = roles.roles[row["role"]].needs
    short = gaps.shortfalls[gaps.shortfalls["member"] == member]
    return {
        "member": row["name"], "role_article": _(ROLE_ARTICLES[row["role"]]),
        "ratings": format_list([f"{skill_name(s)} {int(row[s])}" for s in needs]),
        "needs": format_list([f"{skill_name(s)} {n}" for s, n in needs.items()]),
        "levels": ngettext("{count} level", "{count} levels", gaps.levels_short(member)),
        "detail": format_list([_("{skill} {need} − {rating}", skill=skill_name(r.skill),
                                 need=r.needs, rating=r.rating) for r in short.itertuples()])
        or _("at or above the level in every skill")}


def _training_facts(data: CityData) -> dict[str, Any]:
    options, row = options_of(data), _training_row(data)
    money = options.costs.money
    if row is None:
        return {"people_phrase": _("Nobody on the team is"), "role": "—",
                "levels": ngettext("{count} level", "{count} levels", 0),
                "per_level": money(options.costs.training_per_level), "cost": money(0),
                "sentence": ""}
    people = int(row["people"])
    return {"people_phrase": ngettext("{count} member is", "{count} members are", people),
            "role": role_name(row["role"]),
            "levels": ngettext("{count} level", "{count} levels", int(row["levels_short"])),
            "per_level": money(options.costs.training_per_level),
            "cost": money(row["train_cost"]),
            "sentence": options.row_sentence(row_tuple(row))}


def row_tuple(row) -> Any:
    """A row of a table (a pandas Series) as the named tuple ``itertuples`` gives."""
    from collections import namedtuple

    return namedtuple("Row", row.index)(*row.tolist())


def _choice_facts(data: CityData) -> dict[str, Any]:
    options, row = options_of(data), _choice_row(data)
    money = options.costs.money
    if row is None:
        return {"role": "—", "gap": "—", "train_cost": "—", "train_months": "—",
                "hire_cost": "—", "hire_months": "—", "answer": _(CHOICE_WORDS["hire"]),
                "reason": _("the team has no gap.")}
    trained = isinstance(row["trainee"], str) or row["kind"] == "skills"
    reasons = {"train": N_("training is no dearer than a year's salary and no slower."),
               "hire": N_("training is both dearer and slower, or nobody can be trained."),
               "judgement": N_("training is cheaper, but slower than hiring.")}
    return {"role": role_name(row["role"]), "gap": _(KIND_WORDS[row["kind"]]).lower(),
            "train_cost": money(row["train_cost"]) if trained else "—",
            "train_months": months(row["train_months"]) if trained else "—",
            "hire_cost": money(row["hire_cost"]), "hire_months": months(row["hire_months"]),
            "answer": _(CHOICE_WORDS[row["choice"]]), "reason": _(reasons[row["choice"]])}


def _risk_facts(data: CityData) -> dict[str, Any]:
    retention = retention_of(data)
    return {"team": len(retention.table), "at_risk": len(retention.at_risk),
            "names": format_list(retention.at_risk) or _("nobody")}


# --- answers named by the exercise file (people.yaml) ------------------------------------


def mistaken_roles_not_seats(data: CityData) -> Any:
    """Exercise 2.3.1's "roles, not seats": the roles with an empty seat."""
    return len(gaps_of(data).uncovered_roles)


def mistaken_members_short(data: CityData) -> Any:
    """Exercise 2.3.1's "members below the level": a skill gap counted as a seat."""
    return len(gaps_of(data).members_short())


def mistaken_largest_only(data: CityData) -> Any:
    """Exercise 2.3.2's "largest gap only": the largest single skill gap."""
    member, gaps = scored_member(data), gaps_of(data)
    short = gaps.shortfalls[gaps.shortfalls["member"] == member]["short"]
    return int(short.max()) if len(short) else 0


def mistaken_skills_counted(data: CityData) -> Any:
    """Exercise 2.3.2's "skills counted, not levels": how many skills are short."""
    gaps = gaps_of(data)
    return int((gaps.shortfalls["member"] == scored_member(data)).sum())


def mistaken_one_level_each(data: CityData) -> Any:
    """Exercise 2.3.3's "one level each": the people × the cost of a level."""
    row = _training_row(data)
    return 0.0 if row is None else float(row["people"]) * options_of(data).costs.training_per_level


def mistaken_a_years_salary(data: CityData) -> Any:
    """Exercise 2.3.3's "a year's salary": the hire's cost instead."""
    row = _training_row(data)
    return 0.0 if row is None else float(row["hire_cost"])


def mistaken_cost_only(data: CityData) -> Any:
    """Exercise 2.3.4's "cost only": train when it is cheaper, whatever the months."""
    row = _choice_row(data)
    if row is None or row["train_cost"] != row["train_cost"]:  # no trainee: NaN
        return choice_of("train")
    return choice_of("train" if row["train_cost"] <= row["hire_cost"] else "hire")


def mistaken_time_only(data: CityData) -> Any:
    """Exercise 2.3.4's "time only": the faster way, whatever the cost."""
    row = _choice_row(data)
    if row is None or row["train_months"] != row["train_months"]:
        return choice_of("train")
    return choice_of("train" if row["train_months"] <= row["hire_months"] else "hire")


def mistaken_one_signal(data: CityData) -> Any:
    """Exercise 2.3.5's "one signal counted": at risk and watch together."""
    retention = retention_of(data)
    return len(retention.at_risk) + len(retention.watch)


def mistaken_pay_only(data: CityData) -> Any:
    """Exercise 2.3.5's "pay only": the members paid more than a quarter below the market."""
    from cda_lib.themes.invest.talent import PAY_GAP

    return int((retention_of(data).table["pay_gap"] > PAY_GAP).sum())
