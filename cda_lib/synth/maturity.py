"""A fictional team's answers to page 2.1's data-maturity questionnaire, made from a city's seed.

Page 2.1 shows a team's profile before anyone in the real team has answered: five fictional
members (the roles a city sends to the Accelerator) score each statement from 1 to 5. The
answers are SYNTHETIC, the same every time for a city (its seed, as for the candidate
investments of page 2.4: :func:`cda_lib.synth.investments.investment_seed`), and differ
from city to city. Members share a view of each practice (the city's level), each leans a
little up or down, and on one component, chosen from the seed, they disagree strongly: so
the page always has a disagreement to talk about.

The table holds ids only: member roles as ids (the page names them in its language) and
statement ids of ``cda_lib/themes/invest/maturity_criteria.yaml``.

>>> from types import SimpleNamespace
>>> city = SimpleNamespace(id="alderbank", sources={})
>>> table = synthetic_answers(city, ["a", "b", "c"], ["governance", "use", "use"])
>>> sorted(table.columns), len(table), bool(table["score"].between(1, 5).all())
(['member', 'score', 'statement'], 15, True)
>>> synthetic_answers(city, ["a", "b", "c"], ["governance", "use", "use"]).equals(table)
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cda_lib.synth.investments import investment_seed

# The fictional team: the roles a city brings to the Accelerator (DESIGN.md's users).
MEMBERS = ("city-manager", "chief-data-officer", "policy-lead", "ai-lead", "communications-lead")
STREAM = 21  # a random stream of its own (the module's number, 2.1), apart from the others
SCORE_RANGE = (1, 5)  # the questionnaire's levels
# A city's level on a practice: 1 to 4, most cities arriving early in the journey.
LEVEL_WEIGHTS = (0.25, 0.35, 0.3, 0.1)
# Each member leans one level up or down on a component with these chances (the rest: none).
LEAN_CHANCES = (0.2, 0.6, 0.2)
# On the component the team disagrees about, the leans are two levels wide.
DISAGREEMENT_WIDTH = 2


def synthetic_answers(city, statements: Sequence[str], components: Sequence[str],
                      members: Sequence[str] = MEMBERS) -> pd.DataFrame:
    """Each fictional member's score (1 to 5) for each statement: member, statement, score.

    ``statements`` are the questionnaire's ids and ``components`` the component of each, in
    the same order.
    """
    rng = np.random.default_rng([investment_seed(city), STREAM])
    levels = rng.choice(np.arange(1, 5), size=len(statements), p=LEVEL_WEIGHTS)
    names = list(dict.fromkeys(components))
    contested = names[int(rng.integers(len(names)))]
    rows = []
    for member in members:
        lean = {c: int(rng.choice([-1, 0, 1], p=LEAN_CHANCES)) for c in names}
        lean[contested] = int(rng.choice([-1, 1])) * DISAGREEMENT_WIDTH \
            if rng.random() < 0.6 else int(rng.integers(-1, 2))
        for statement, component, level in zip(statements, components, levels, strict=True):
            noise = int(rng.choice([-1, 0, 0, 0, 1]))
            score = int(np.clip(level + lean[component] + noise, *SCORE_RANGE))
            rows.append({"member": member, "statement": statement, "score": score})
    return pd.DataFrame(rows, columns=["member", "statement", "score"])
