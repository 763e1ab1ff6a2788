"""Small counts withheld from a published table, so that no one can work them back out.

A count of 3 noise complaints in one district in one month can point at a household. Many
public bodies withhold small counts: the US Centers for Medicare & Medicaid Services' cell
size suppression policy, a recognised practice for published aggregates, says no cell
from 1 to 10 may be shown, so :data:`THRESHOLD` is 11 (a count of 0 can be shown: it counts
no one).

Withholding the small cells alone is not enough when the table shows its totals: a row
with one hidden cell gives it away (total minus the others). :func:`suppress_small_counts`
therefore withholds more cells, the **complementary suppression**:

1. **primary**: every count (cells and totals alike) from 1 to ``threshold - 1``;
2. **every line twice**: while a row or column (its total included) has exactly one
   withheld entry, withhold its smallest other non-zero entry too;
3. **no cell pinned down**: while the published figures still determine a withheld entry
   exactly (:func:`determined_entries`, linear algebra on the row and column sums: two
   rectangles of withheld cells joined by one cell pin that cell down), withhold the
   smallest non-zero entry beside it in its row or column.

Only non-zero counts are withheld, so every withheld count is at least 1: the true table
then lies strictly inside the bounds x ≥ 0, and an entry the sums do not determine exactly
can move both ways, so its lower and upper bounds differ.

>>> counts = pd.DataFrame({"Noise": [3, 40], "Potholes": [50, 60]}, index=["A", "B"])
>>> table = suppress_small_counts(counts)
>>> table.withheld.loc["A"].tolist(), table.withheld.loc["B"].tolist()
([True, True, False], [True, True, False])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cda_lib.text.translation import N_, gettext as _

# CMS cell size suppression policy: no cell from 1 to 10 may be displayed.
THRESHOLD = 11
TOTAL = N_("Total")
PRIMARY, COMPLEMENTARY = "primary", "complementary"


@dataclass(frozen=True)
class SuppressedTable:
    """A table of counts with its totals (last row and column), which entries are withheld
    and why (primary: a small count; complementary: to protect one)."""

    counts: pd.DataFrame
    withheld: pd.DataFrame
    primary: pd.DataFrame
    threshold: int

    @property
    def primary_count(self) -> int:
        return int(self.primary.to_numpy().sum())

    @property
    def complementary_count(self) -> int:
        return int((self.withheld.to_numpy() & ~self.primary.to_numpy()).sum())

    def published(self) -> pd.DataFrame:
        """The counts as published: a withheld entry is empty (``<NA>``)."""
        return self.counts.astype("Int64").mask(self.withheld)


def with_totals(counts: pd.DataFrame) -> pd.DataFrame:
    """The counts with a total column and a total row (the grand total in the corner).

    >>> with_totals(pd.DataFrame({"x": [1, 2]}, index=["A", "B"])).to_numpy().tolist()
    [[1, 1], [2, 2], [3, 3]]
    """
    table = counts.astype("int64").copy()
    table[_(TOTAL)] = table.sum(axis=1)
    table.loc[_(TOTAL)] = table.sum(axis=0)
    return table


def suppress_small_counts(counts: pd.DataFrame, threshold: int = THRESHOLD
                          ) -> SuppressedTable:
    """Withhold the small counts of ``counts`` (rows by columns, without totals) and the
    complementary cells that protect them; the totals are added and checked too."""
    table = with_totals(counts)
    values = table.to_numpy()
    primary = (values >= 1) & (values < threshold)
    withheld = primary.copy()
    while True:
        if _protect_lines(values, withheld):
            continue
        pinned = np.argwhere(determined_entries(values, withheld))
        if not len(pinned) or not _protect_entry(values, withheld, tuple(pinned[0])):
            break
    frame = {"index": table.index, "columns": table.columns}
    return SuppressedTable(table, pd.DataFrame(withheld, **frame),
                           pd.DataFrame(primary, **frame), threshold)


def _protect_lines(values: np.ndarray, withheld: np.ndarray) -> bool:
    """Withhold one more entry in the first line that has exactly one withheld; False when
    no line has."""
    rows, columns = values.shape
    lines = [(i, slice(None)) for i in range(rows)] + [(slice(None), j) for j in range(columns)]
    for line in lines:
        if withheld[line].sum() == 1:
            return _withhold_smallest(values, withheld, [line])
    return False


def _protect_entry(values: np.ndarray, withheld: np.ndarray, entry: tuple[int, int]) -> bool:
    """Withhold the smallest open entry in the row or column of a pinned entry (anywhere in
    the table when both are full); False when nothing is left to withhold."""
    row, column = entry
    return (_withhold_smallest(values, withheld, [(row, slice(None)), (slice(None), column)])
            or _withhold_smallest(values, withheld, [(slice(None), slice(None))]))


def _withhold_smallest(values: np.ndarray, withheld: np.ndarray, lines: list) -> bool:
    open_entries = []
    for line in lines:
        mask = np.zeros_like(withheld)
        mask[line] = True
        open_entries += [tuple(p) for p in np.argwhere(mask & ~withheld & (values > 0))]
    if not open_entries:
        return False
    chosen = min(open_entries, key=lambda p: (values[p], p))
    withheld[chosen] = True
    return True


def determined_entries(values: np.ndarray, withheld: np.ndarray) -> np.ndarray:
    """Which withheld entries the published ones determine exactly, by the row and column
    sums (the last row and column are the totals).

    Each line says: its cells add up to its total. With the published entries moved to the
    right-hand side, a withheld entry is determined when no change of the withheld entries
    that keeps every sum leaves it moving: its row of the null space is zero.

    >>> values = np.array([[3, 50, 53], [40, 60, 100], [43, 110, 153]])
    >>> determined_entries(values, values < 11).tolist()[0]
    [True, False, False]
    """
    rows, columns = values.shape
    unknown = np.argwhere(withheld)
    if not len(unknown):
        return np.zeros_like(withheld)
    position = {tuple(p): k for k, p in enumerate(unknown)}
    equations = np.zeros((rows + columns, len(unknown)))
    for (i, j), k in position.items():
        row_sign = -1.0 if j == columns - 1 else 1.0  # the total is the sum of the others
        column_sign = -1.0 if i == rows - 1 else 1.0
        equations[i, k] = row_sign
        equations[rows + j, k] = column_sign
    _u, singular, vt = np.linalg.svd(equations)
    rank = int((singular > 1e-9).sum())
    null = vt[rank:]
    free = np.linalg.norm(null, axis=0) > 1e-9 if len(null) else np.zeros(len(unknown), bool)
    determined = np.zeros_like(withheld)
    for (i, j), k in position.items():
        determined[i, j] = not free[k]
    return determined


def published_below_threshold(table: SuppressedTable) -> int:
    """How many published entries are counts from 1 to ``threshold - 1`` (0 when safe)."""
    shown = table.counts.to_numpy()[~table.withheld.to_numpy()]
    return int(((shown >= 1) & (shown < table.threshold)).sum())
