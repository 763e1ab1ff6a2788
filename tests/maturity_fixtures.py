"""Handcount's team: three members' answers to page 2.1's questionnaire, chosen so that every
figure of the page and its exercises can be worked out by hand (the tests say how).

    statement (component)                 Ben  Ana  Cai   team average
    governance-committee (governance)       4    4    5   13/3 = 4.33
    governance-inventory (governance)       2    3    4    9/3 = 3.00
    quality-audit (quality)                 4    4    4   12/3 = 4.00
    quality-standards (quality)             5    4    4   13/3 = 4.33
    use-decisions (use)                     4    5    4   13/3 = 4.33
    use-evaluation (use)                    3    3    4   10/3 = 3.33
    capacity-skills (capacity)              5    3    4   12/3 = 4.00
    capacity-stewards (capacity)            3    1    2    6/3 = 2.00
    transparency-open-data (transparency)   5    4    4   13/3 = 4.33
    transparency-results (transparency)     1    1    1    3/3 = 1.00

Each member's average on a component (the mean of its two statements):

    member   governance  quality  use  capacity  transparency
    Ben         3.0        4.5    3.5     4.0         3.0
    Ana         3.5        4.0    4.0     2.0         2.5
    Cai         4.5        4.0    4.0     3.0         2.5
    spread      1.5        0.5    0.5     2.0         0.5

The team's averages: governance (4.33 + 3.00) / 2 = 3.67, quality (4.00 + 4.33) / 2 = 4.17,
use (4.33 + 3.33) / 2 = 3.83, capacity (4.00 + 2.00) / 2 = 3.00, transparency
(4.33 + 1.00) / 2 = 2.67. Ben answered first, so he is the first member.
"""

from __future__ import annotations

import pandas as pd

from cda_lib.core.workspace import Workspace

MEMBERS = ("Ben", "Ana", "Cai")
SCORES = {
    "governance-committee": (4, 4, 5),
    "governance-inventory": (2, 3, 4),
    "quality-audit": (4, 4, 4),
    "quality-standards": (5, 4, 4),
    "use-decisions": (4, 5, 4),
    "use-evaluation": (3, 3, 4),
    "capacity-skills": (5, 3, 4),
    "capacity-stewards": (3, 1, 2),
    "transparency-open-data": (5, 4, 4),
    "transparency-results": (1, 1, 1),
}


def hand_answers_table() -> pd.DataFrame:
    rows = [{"member": member, "statement": statement, "score": scores[i]}
            for i, member in enumerate(MEMBERS) for statement, scores in SCORES.items()]
    return pd.DataFrame(rows)


def record_hand_answers(build_dir, city_id: str = "hand_counted_city") -> Workspace:
    """Record the three members' answers in the city's workspace under ``build_dir``."""
    workspace = Workspace(city_id, folder=build_dir / city_id / "workspace")
    workspace.record("maturity_answers", hand_answers_table())
    return workspace
