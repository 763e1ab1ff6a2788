"""How the generator draws: categories from stacked weights, and delays as whole seconds.

Shared by every part of the generator that draws (request times, outcomes, channels,
defects), so the same seed gives the same table whichever part draws first.
"""

from __future__ import annotations

import numpy as np

SECONDS_PER_DAY = 86_400


def nanoseconds(days: np.ndarray) -> np.ndarray:
    """Whole seconds of at least 1, as nanoseconds: how the generator stores delays."""
    return np.maximum(np.ceil(days * SECONDS_PER_DAY), 1).astype(np.int64) * 1_000_000_000


def draw_categories(rng: np.random.Generator, weights: np.ndarray, row: np.ndarray
                     ) -> np.ndarray:
    """For each item, draw a column of ``weights[row[item]]``, with chance proportional to it.

    One uniform number per item, looked up in the stacked cumulative distributions of all
    rows at once (row r occupies the values r..r+1), so any number of items and rows take a
    single vectorized search.
    """
    weights = np.asarray(weights, dtype=float)
    n_rows, n_columns = weights.shape
    cumulative = np.cumsum(weights, axis=1)
    cumulative = cumulative / cumulative[:, -1:]
    stacked = (cumulative + np.arange(n_rows)[:, None]).ravel()
    row = np.asarray(row, dtype=np.int64)
    found = np.searchsorted(stacked, rng.random(row.size) + row, side="right")
    return np.minimum(found - row * n_columns, n_columns - 1)
