"""Survey weights: raking to known margins, Kish's design effect, effective sample size and
margins of error.

A survey's respondents are rarely a picture of the city: some people answer more readily
than others. **Raking** (iterative proportional fitting) gives each respondent a weight so
that the weighted sample matches the population's known shares on several variables at
once (age band, income band, tenure, district), adjusting for one variable at a time until
all of them agree. Weights cost precision: the more unequal they are, the fewer
respondents the sample is worth. **Kish's design effect** (1 + the squared coefficient of
variation of the weights) says by how much, the **effective sample size** is n divided by
it, and a **margin of error** computed from the effective n is the honest one.

No maintained raking library (``ipfn``, ``samplics``) is installed in the workbook's
environment, so this is a small implementation, tested against a 2×2 example worked by hand.

>>> round(kish_design_effect([1, 1, 1, 1]), 3), round(kish_design_effect([1, 3]), 3)
(1.0, 1.25)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

Z_95 = 1.959964  # the normal quantile of a two-sided 95% interval
RAKE_TOLERANCE = 1e-9  # largest gap allowed between a weighted share and its target
RAKE_MAX_ITERATIONS = 200  # raking converges in a handful for a few variables


class RakingError(ValueError):
    """The margins cannot be matched: a category with a target has no respondent."""


def rake(sample: pd.DataFrame, margins: Mapping[str, Mapping[str, float]], *,
         tolerance: float = RAKE_TOLERANCE,
         max_iterations: int = RAKE_MAX_ITERATIONS) -> pd.Series:
    """Weights (averaging 1) that make the weighted sample match every margin's shares.

    ``margins`` maps a column to the population share of each of its categories. Each pass
    multiplies the weights of a category's respondents by target share ÷ weighted share,
    one variable after another, until no share is off by more than ``tolerance``.

    The hand-worked 2×2 example: eight respondents by sex and age band, three F-Y, three
    F-O, one M-Y and one M-O (F is 6/8, Y is 4/8); the population is half F and half M,
    3/5 Y and 2/5 O.

    - Sex: F's weights × (1/2)/(6/8) = 2/3, M's × (1/2)/(2/8) = 2.
    - Age: Y's weighted share is (3 × 2/3 + 2) / 8 = 1/2, so × (3/5)/(1/2) = 1.2; O's is
      1/2 too, × (2/5)/(1/2) = 0.8. Weights: F-Y 2/3 × 1.2 = 0.8, F-O 2/3 × 0.8 = 8/15,
      M-Y 2 × 1.2 = 2.4, M-O 2 × 0.8 = 1.6.
    - Sex again: F (3 × 0.8 + 3 × 8/15) / 8 = 4/8 = 1/2, M (2.4 + 1.6) / 8 = 1/2: both
      margins hold, so the raking stops after one pass.

    >>> sample = pd.DataFrame({"sex": list("FFFFFFMM"), "age": list("YYYOOOYO")})
    >>> rake(sample, {"sex": {"F": .5, "M": .5}, "age": {"Y": .6, "O": .4}}).round(3).tolist()
    [0.8, 0.8, 0.8, 0.533, 0.533, 0.533, 2.4, 1.6]
    """
    n = len(sample)
    weights = np.ones(n)
    columns = {name: sample[name].to_numpy() for name in margins}
    for name, shares in margins.items():
        for category, share in shares.items():
            if share > 0 and not (columns[name] == category).any():
                raise RakingError(f"No respondent is in {name} = {category}, which has a "
                                  "target share: merge it with a neighbouring category.")
    for _iteration in range(max_iterations):
        worst = 0.0
        for name, shares in margins.items():
            total = weights.sum()
            for category, share in shares.items():
                inside = columns[name] == category
                current = weights[inside].sum() / total
                if current > 0:
                    weights[inside] *= share / current
                worst = max(worst, abs(current - share))
        if worst <= tolerance:
            break
    return pd.Series(weights * n / weights.sum(), index=sample.index, name="weight")


def kish_design_effect(weights: Sequence[float]) -> float:
    """Kish's design effect of unequal weights: 1 + CV², the weights' squared coefficient of
    variation (population variance over the squared mean). Equal weights give 1.

    Weights 1 and 3: mean 2, variance ((1-2)² + (3-2)²) / 2 = 1, CV² = 1/4, deff = 1.25.

    >>> kish_design_effect([1, 3])
    1.25
    """
    values = np.asarray(weights, dtype=float)
    mean = values.mean()
    return float(1 + values.var() / mean ** 2)


def effective_sample_size(weights: Sequence[float]) -> float:
    """How many equally weighted respondents the sample is worth: n ÷ the design effect.

    >>> effective_sample_size([1, 3])
    1.6
    """
    return len(weights) / kish_design_effect(weights)


def margin_of_error(share: float, effective_n: float, z: float = Z_95) -> float:
    """The 95% margin of error of a share: z × √(p(1 − p) ÷ effective n).

    p = 0.5 with 400 respondents: 1.96 × √(0.25 / 400) = 1.96 × 0.025 = 0.049.

    >>> round(margin_of_error(0.5, 400), 3)
    0.049
    """
    if effective_n <= 0:
        return math.inf
    return z * math.sqrt(share * (1 - share) / effective_n)


def weighted_share(values: Sequence[float], weights: Sequence[float] | None = None) -> float:
    """The (weighted) share of respondents whose value is 1.

    >>> weighted_share([1, 0, 0, 1]), weighted_share([1, 0], [3, 1])
    (0.5, 0.75)
    """
    values = np.asarray(values, dtype=float)
    weights = np.ones(len(values)) if weights is None else np.asarray(weights, dtype=float)
    return float((values * weights).sum() / weights.sum())
