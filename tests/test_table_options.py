"""The menu of tables a table exercise offers: no look-alikes, and a right answer whose
letter cannot be told from the tables' sizes (cda_lib.exercises.values.table_options)."""

from __future__ import annotations

import pandas as pd

from cda_lib.exercises.values import table_options


def city_tables(north: float, south: float) -> list[pd.Series]:
    """The right rates a year, then exercise 0.5's mistakes: a two-year total (twice as
    large), the raw counts (a hundred times larger) and a rate per 100 (a tenth)."""
    right = pd.Series({"North": north, "South": south})
    return [right, right * 2, right * 100, right / 10]


def letter_of_right(north: float, south: float) -> str:
    right = city_tables(north, south)[0]
    options = table_options(city_tables(north, south), absolute=0.05, most=4)
    return next(letter for letter, table in options.items() if table.equals(right))


def test_every_candidate_is_offered_once_under_its_own_letter():
    options = table_options(city_tables(12.0, 30.0), absolute=0.05, most=4)
    assert sorted(options) == ["A", "B", "C", "D"]
    totals = sorted(float(table.sum()) for table in options.values())
    assert totals == [4.2, 42.0, 84.0, 4200.0]  # 42 / 10, 42, 42 × 2, 42 × 100


def test_the_right_letter_changes_between_cities_and_stays_for_one_city():
    # Lettered by size, the right table would be B in every city (only the rate per 100 is
    # smaller). Across twelve cities' numbers it must not always take the same letter.
    cities = [(12.0 + n, 30.0 + 3 * n) for n in range(12)]
    letters = [letter_of_right(north, south) for north, south in cities]
    assert len(set(letters)) > 1, letters
    assert letters == [letter_of_right(north, south) for north, south in cities]


def test_a_table_like_one_already_kept_is_left_out():
    right = pd.Series({"North": 2.0, "South": 3.0})
    near = right + 0.01
    assert len(table_options([right, near, right * 2], absolute=0.05)) == 2
