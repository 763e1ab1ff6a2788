"""Handcount's data team: four people, rated so that every figure of page 2.3 and its
exercises can be worked out by hand (the tests say how). US dollars, the roles file's
default costs (a level of training US$4,500 and 3 months; a hire's salary and recruiting
months from roles.yaml, plus a month to settle in).

    member (role)              years  salary   strat anal eng gov qual comm  short
    m1 Ada Park (analyst)        1.0  60,000     1    2    1   2    1    1   analysis 1,
                                                                             quality 1,
                                                                             communication 2
    m2 Ben Ortiz (analyst)       5.0  85,000     2    3    3   2    2    3   —
    m3 Cleo Diaz (steward)       1.2  70,000     1    1    2   3    2    2   quality 1
    m4 Dev Rao (department lead) 1.5  90,000     2    2    1   1    1    2   governance 1

Seats: the chief data officer 1 (empty), analysts 2 (both held), the data engineer 1
(empty), department leads 2 (one empty), stewards 3 (two empty): 5 empty seats.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
from exercise_fixtures import hand_counted_data

from cda_lib.data import CityData
from cda_lib.synth.roster import COLUMNS_BEFORE_SKILLS, TeamRoster, load_roles

ROWS = [
    ("m1", "Ada Park", "analyst", 1.0, 60_000, 1, 2, 1, 2, 1, 1),
    ("m2", "Ben Ortiz", "analyst", 5.0, 85_000, 2, 3, 3, 2, 2, 3),
    ("m3", "Cleo Diaz", "data-steward", 1.2, 70_000, 1, 1, 2, 3, 2, 2),
    ("m4", "Dev Rao", "department-lead", 1.5, 90_000, 2, 2, 1, 1, 1, 2),
]


def hand_roster(currency: str = "USD", rate: float = 1.0) -> TeamRoster:
    columns = [*COLUMNS_BEFORE_SKILLS, *load_roles().skills]
    return TeamRoster(pd.DataFrame(ROWS, columns=columns), currency, rate)


def people_data() -> CityData:
    """Handcount's data with the four hand-made team members in place of a generated team."""
    data = dataclasses.replace(hand_counted_data())
    data.roster = hand_roster()
    return data
