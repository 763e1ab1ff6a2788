"""A fictional data team for page 2.3, made for each city from its seed, and the roles its
data strategy needs.

**The roles** are read from ``roles.yaml`` beside this module (versioned: its ``version``
changes whenever a seat, a level or a cost does): the chief data officer, analysts, data
engineers, department data leads and data stewards, how many seats of each the strategy
needs, the skills each role needs and at what level (1 aware, 2 working, 3 practitioner,
4 expert), and the illustrative costs of hiring into a seat or training someone into it.

**The team** is fictional: seven or so people with names in the city's language, each
holding one of the roles, with a self-rated level in every skill, years in the job and a
salary in the city's currency. Like the candidate investments of page 2.4
(:mod:`cda_lib.synth.investments`), it comes from the city file's seed (or a hash of its id),
the same every time, whatever the source of the city's service requests; every page that
shows it says it is synthetic. Some seats are left empty and some skills short, as in any
real team, so that the page has gaps to close.

>>> from cda_lib.cities.loader import load_city
>>> team = team_roster(load_city("riverbend"))
>>> team.currency, list(team.table.columns[:4])
('USD', ['id', 'name', 'role', 'tenure_years'])
>>> team_roster(load_city("riverbend")).table.equals(team.table)
True
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from cda_lib.cities.city import City
from cda_lib.core.plain_yaml import PlainYamlLoader
from cda_lib.synth.investments import currency_of, investment_seed, round_significant

ROLES_FILE = Path(__file__).with_name("roles.yaml")
# A separate random stream from the requests' and the candidates' (2.4): the module's
# number, 2.3, so that changing one never moves the others.
STREAM = 23
# How many people hold each role, and the chance of each count (seats: roles.yaml). A
# city's team rarely fills every seat: the chief data officer is missing in two cities of
# five, the engineer in half, and a steward or two is often missing.
FILLED = {
    "chief-data-officer": ((0, 1), (0.4, 0.6)),
    "analyst": ((1, 2), (0.5, 0.5)),
    "data-engineer": ((0, 1), (0.5, 0.5)),
    "department-lead": ((1, 2), (0.4, 0.6)),
    "data-steward": ((1, 2, 3), (0.35, 0.45, 0.2)),
}
# A member's self-rating in a skill their role needs at level L is L moved by one of these,
# each equally likely (kept within 1 to 4): a little more often short than over, as
# self-ratings are when a team is asked honestly. In a skill the role does not need, one
# of the second list.
NEEDED_SHIFT = (-2, -1, -1, 0, 0, 1)
UNNEEDED_LEVELS = (1, 1, 2, 2, 3)
TENURE_YEARS = (0.3, 12.0)  # months to a long career, drawn evenly, written to one decimal
# A member's salary against the role's default in the city: from well under to a little
# over (people hired in different years, at different steps of the scale).
SALARY_SPREAD = (0.75, 1.05)

# Fictional names, in the city's language and culture; a member's name is a given name and
# a family name (two in Spanish, as it is written in much of Latin America).
NAMES = {
    "en": (("Avery", "Jordan", "Priya", "Marcus", "Elena", "Darnell", "Grace", "Tomás",
            "Keisha", "Owen", "Mei", "Samuel", "Rosa", "Hannah", "Malik", "Claire"),
           ("Whitfield", "Okafor", "Lindqvist", "Ramos", "Brennan", "Castillo", "Holloway",
            "Nakamura", "Pruitt", "Abernathy", "Delgado", "Fairbanks", "Osei", "Kowalski")),
    "es": (("Camila", "Andrés", "Valentina", "Santiago", "Luisa", "Mateo", "Daniela",
            "Julián", "Mariana", "Felipe", "Carolina", "Sebastián", "Natalia", "Tomás",
            "Paola", "Esteban"),
           ("Restrepo", "Quintero", "Salazar", "Cárdenas", "Montoya", "Ospina", "Arango",
            "Villegas", "Castaño", "Zuluaga", "Henao", "Giraldo", "Bermúdez", "Londoño")),
    "pt": (("Ana Clara", "João Pedro", "Beatriz", "Rafael", "Larissa", "Thiago", "Fernanda",
            "Lucas", "Juliana", "Gustavo", "Mariana", "Felipe", "Camila", "Bruno", "Letícia",
            "Caio"),
           ("Albuquerque", "Nogueira", "Siqueira", "Bittencourt", "Figueiredo", "Cavalcanti",
            "Menezes", "Queiroz", "Valadares", "Teixeira", "Brandão", "Pimentel", "Rezende",
            "Guimarães")),
}
COLUMNS_BEFORE_SKILLS = ("id", "name", "role", "tenure_years", "salary")


@dataclass(frozen=True)
class Role:
    """One role the strategy needs: its seats, the level it needs in each skill, and what
    filling a seat costs (US dollars a year; converted for each city) and takes."""

    id: str
    seats: int
    needs: dict[str, int]
    salary_usd: float
    market_premium: float
    recruit_months: float


@dataclass(frozen=True)
class Roles:
    """The roles file: its version, the skills and levels, the roles and the training costs."""

    version: int
    skills: tuple[str, ...]
    levels: tuple[int, ...]
    roles: dict[str, Role]
    training_cost_per_level_usd: float
    training_months_per_level: float
    onboarding_months: float

    @property
    def seats(self) -> int:
        """How many seats the strategy needs, every role together."""
        return sum(role.seats for role in self.roles.values())


@dataclass(frozen=True)
class TeamRoster:
    """A city's data team: one row per member (:data:`COLUMNS_BEFORE_SKILLS`, then one
    column per skill with the member's self-rating), the currency of its salaries, the
    round rate to the dollar, and whether it is fictional."""

    table: pd.DataFrame
    currency: str
    rate: float = 1.0
    synthetic: bool = True
    currency_known: bool = True


@functools.cache
def load_roles(path: Path = ROLES_FILE) -> Roles:
    """The roles the strategy needs, from ``roles.yaml`` (read once).

    >>> roles = load_roles()
    >>> roles.version, roles.seats, roles.roles["data-steward"].needs
    (1, 9, {'quality': 3, 'governance': 3})
    """
    raw = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=PlainYamlLoader)
    roles = {role_id: Role(role_id, int(spec["seats"]), {k: int(v) for k, v in
                                                          spec["needs"].items()},
                           float(spec["salary_usd"]), float(spec["market_premium"]),
                           float(spec["recruit_months"]))
             for role_id, spec in raw["roles"].items()}
    return Roles(int(raw["version"]), tuple(raw["skills"]), tuple(raw["levels"]), roles,
                 float(raw["training"]["cost_per_level_usd"]),
                 float(raw["training"]["months_per_level"]), float(raw["onboarding_months"]))


def team_roster(city: City, roles: Roles | None = None) -> TeamRoster:
    """The city's fictional data team, the same for the same city file every time."""
    roles = roles or load_roles()
    rng = np.random.default_rng([investment_seed(city), STREAM])
    code, rate, known = currency_of(city)
    given, family = NAMES.get(str(city.language), NAMES["en"])
    low, high = min(roles.levels), max(roles.levels)
    people = []
    for role in roles.roles.values():
        counts, chances = FILLED.get(role.id, ((role.seats,), (1.0,)))
        people += [role] * int(rng.choice(counts, p=chances))
    first = rng.choice(len(given), size=len(people), replace=False)
    last = rng.choice(len(family), size=len(people), replace=len(people) > len(family))
    rows = []
    for number, (role, g, f) in enumerate(zip(people, first, last, strict=True), start=1):
        name = f"{given[g]} {family[f]}"
        if city.language == "es":
            name += f" {family[(f + 5) % len(family)]}"
        ratings = {}
        for skill in roles.skills:
            need = role.needs.get(skill)
            level = need + rng.choice(NEEDED_SHIFT) if need else rng.choice(UNNEEDED_LEVELS)
            ratings[skill] = int(np.clip(level, low, high))
        salary = role.salary_usd * rate * rng.uniform(*SALARY_SPREAD)
        rows.append({"id": f"m{number}", "name": name, "role": role.id,
                     "tenure_years": round(float(rng.uniform(*TENURE_YEARS)), 1),
                     "salary": int(round_significant(salary)), **ratings})
    table = pd.DataFrame(rows, columns=[*COLUMNS_BEFORE_SKILLS, *roles.skills])
    return TeamRoster(table, code, rate, True, known)
