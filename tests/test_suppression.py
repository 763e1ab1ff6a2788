"""Small counts withheld with complementary suppression (cda_lib.metrics.suppression).

The proof that no withheld count can be recovered is written here independently of the
suppression code, which uses linear algebra (a null space). Think of the table with its
totals as a graph: one node per row and one per column (the total row and the total column
included), one edge per withheld entry, joining its row and its column. Each row and column
says that its entries add up (a total counts with a minus sign; flipping the sign of the
total entries makes every coefficient +1), so the unknowns form the incidence system of a
bipartite graph. Its free directions are the even cycles, with alternating signs. A
withheld entry is therefore determined exactly when its edge lies on no cycle, that is,
when it is a **bridge**: removing it disconnects its row from its column. The test finds
bridges by removing each edge and searching the graph. Every withheld count is at least 1,
so a cycle can move either way and the entry's bounds differ.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cda_lib.metrics.suppression import (
    THRESHOLD,
    determined_entries,
    published_below_threshold,
    suppress_small_counts,
    with_totals,
)


def bridges(withheld: np.ndarray) -> set[tuple[int, int]]:
    """The withheld entries whose edge is a bridge of the row-column graph."""
    edges = [tuple(p) for p in np.argwhere(withheld)]
    found = set()
    for edge in edges:
        rest = [e for e in edges if e != edge]
        start, goal = ("row", edge[0]), ("column", edge[1])
        seen, frontier = {start}, [start]
        while frontier:
            kind, index = frontier.pop()
            for i, j in rest:
                if kind == "row" and i == index:
                    neighbour = ("column", j)
                elif kind == "column" and j == index:
                    neighbour = ("row", i)
                else:
                    continue
                if neighbour not in seen:
                    seen.add(neighbour)
                    frontier.append(neighbour)
        if goal not in seen:
            found.add(edge)
    return found


def lines_with_one(withheld: np.ndarray) -> int:
    """Rows and columns (totals included) with exactly one withheld entry."""
    return int((withheld.sum(axis=1) == 1).sum() + (withheld.sum(axis=0) == 1).sum())


def test_the_pages_example_withholds_all_four_cells_and_no_total():
    # Noise 4 and 30 (34), Potholes 25 and 41 (66); totals 29, 71, 100. The 4 is primary;
    # its row's smallest other is 30 (not 34); North's column then has one: 25 (not 29);
    # South's then has one: 41 (not 71). Every line now has two or none.
    counts = pd.DataFrame({"North": [4, 25], "South": [30, 41]}, index=["Noise", "Potholes"])
    table = suppress_small_counts(counts)
    assert table.withheld.to_numpy().tolist() == [[True, True, False], [True, True, False],
                                                  [False, False, False]]
    assert (table.primary_count, table.complementary_count) == (1, 3)
    assert table.published().loc["Total"].tolist() == [29, 71, 100]


def test_the_exercise_table_withholds_the_24_then_the_40_and_the_18():
    # Exercise 3.5.3: Noise 6, 24, 31 (61); Potholes 40, 18, 52 (110). The 6 is primary;
    # its row's smallest other is 24; North's column: 40 (not 46); Centre's column: 18
    # (not 42). The four make one cycle, so none is a bridge.
    counts = pd.DataFrame({"North": [6, 40], "Centre": [24, 18], "South": [31, 52]},
                          index=["Noise", "Potholes"])
    table = suppress_small_counts(counts)
    withheld = table.withheld.to_numpy()
    assert [tuple(p) for p in np.argwhere(withheld)] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert bridges(withheld) == set()


def test_a_cell_joining_two_rectangles_is_pinned_down_and_found():
    # Two 2-by-2 rectangles of withheld cells (rows 0-1 by columns 0-1, rows 2-3 by columns
    # 2-3) joined by cell (0, 2): every line has two or more withheld, yet columns 0 and 1
    # give x00 + x01 + x10 + x11, row 1 gives x10 + x11, so row 0 gives x02. Both checks
    # agree it alone is determined.
    values = with_totals(pd.DataFrame(np.full((4, 4), 20))).to_numpy()
    withheld = np.zeros_like(values, dtype=bool)
    for i, j in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (0, 2)]:
        withheld[i, j] = True
    assert lines_with_one(withheld) == 0
    assert bridges(withheld) == {(0, 2)}
    assert [tuple(p) for p in np.argwhere(determined_entries(values, withheld))] == [(0, 2)]


def test_a_single_withheld_cell_is_determined():
    values = with_totals(pd.DataFrame({"a": [3, 40], "b": [50, 60]})).to_numpy()
    withheld = values < THRESHOLD
    assert determined_entries(values, withheld)[0, 0]


def test_nothing_small_means_nothing_withheld():
    counts = pd.DataFrame({"a": [30, 0], "b": [12, 50]})  # 0 counts no one: it is shown
    table = suppress_small_counts(counts)
    assert not table.withheld.to_numpy().any()
    assert table.published().iloc[1, 0] == 0


@pytest.mark.parametrize("seed", range(60))
def test_random_tables_are_safe_by_the_independent_checks(seed):
    rng = np.random.default_rng(seed)
    rows, columns = rng.integers(2, 7), rng.integers(2, 7)
    # a mix of zeros, small counts and large ones, as a month of a small city's requests
    values = rng.choice([0, 1, 2, 3, 5, 8, 10, 11, 14, 25, 60], size=(rows, columns))
    table = suppress_small_counts(pd.DataFrame(values))
    withheld = table.withheld.to_numpy()
    counts = table.counts.to_numpy()
    # no published count from 1 to 10, cells and totals alike
    shown = counts[~withheld]
    assert not ((shown >= 1) & (shown < THRESHOLD)).any()
    assert published_below_threshold(table) == 0
    # every withheld count is at least 1 (never a zero), so bounds can move both ways
    assert (counts[withheld] >= 1).all()
    # each row and column with a withheld entry has at least two
    assert lines_with_one(withheld) == 0
    # and no withheld entry is a bridge: none is determined by the published figures
    assert bridges(withheld) == set()
