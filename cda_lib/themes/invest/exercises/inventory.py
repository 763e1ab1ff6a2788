"""Exercises 2.2: a data inventory and quality audit (the exercise set of page 2.2).

The exercises themselves (their words, answer kinds, mistakes and hints) are written in
``inventory.yaml`` beside this module; this module holds the functions that file names.

Six exercises checked against the city's own inventory (its catalog, or the fictional one
made from its seed) and its service requests, and a reflection: datasets with no licence,
datasets late against their declared frequency, one dataset's score, the widest gap, a
department's score and the largest quality dimension. Every figure comes from
:mod:`cda_lib.metrics.inventory_audit` and :mod:`cda_lib.themes.invest.request_quality`,
the functions the page uses.

>>> check_letter("license"), dimension_letter("consistency")
('D', 'C')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cda_lib.exercises.exercise import CityMemo
from cda_lib.metrics.inventory_audit import CHECKS, half_up
from cda_lib.metrics.quality import DIMENSION_WORDS
from cda_lib.text.dates import format_date, format_list
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import gettext as _, ngettext
from cda_lib.themes.invest.inventory import (
    CHECK_WORDS,
    CityInventory,
    city_inventory,
    department_name,
)
from cda_lib.themes.invest.request_quality import (
    ROW_DIMENSIONS,
    QualityDimensions,
    quality_dimensions,
)

if TYPE_CHECKING:
    import pandas as pd

    from cda_lib.data import CityData

# Exercise 2.2.4's options, in the order of the checks (A to I); 2.2.6's in the dimensions'.
CHECK_LETTERS = dict(zip(CHECKS, "ABCDEFGHI", strict=True))
DIMENSION_LETTERS = dict(zip(ROW_DIMENSIONS, "ABC", strict=True))
_memo = CityMemo()


def check_letter(check: str) -> str:
    """The letter of exercise 2.2.4's option for a check."""
    return CHECK_LETTERS[check]


def dimension_letter(dimension: str) -> str:
    """The letter of exercise 2.2.6's option for a quality dimension."""
    return DIMENSION_LETTERS[dimension]


# --- the figures --------------------------------------------------------------------------


def inventory_of(data: CityData) -> CityInventory:
    return _memo("inventory", data, lambda: city_inventory(data))


def dimensions_of(data: CityData) -> QualityDimensions:
    return _memo("dimensions", data, lambda: quality_dimensions(data))


def _table(data: CityData) -> pd.DataFrame:
    return inventory_of(data).audit.table


def _failing(data: CityData, check: str) -> pd.DataFrame:
    table = _table(data)
    return table[table[check] == False]  # noqa: E712 (True, False or None)


def _scored_row(data: CityData) -> pd.Series:
    """Exercise 2.2.3's dataset: the lowest-scoring one with a check that does not apply (so
    that dividing by all nine checks is a different answer), else the lowest-scoring; the
    first of equals."""
    lowest = inventory_of(data).audit.lowest(count=None)
    partial = lowest[lowest["applicable"] < len(CHECKS)]
    return (partial if len(partial) else lowest).iloc[0]


def _department_row(data: CityData) -> pd.Series:
    """Exercise 2.2.5's department: the named one at the foot of the scorecard (the datasets
    with no department named are not a department to ask)."""
    card = inventory_of(data).audit.scorecard()
    named = card[card["department"] != ""]
    return (named if len(named) else card).iloc[-1]


# --- expected answers ---------------------------------------------------------------------


def unlicensed_count(data: CityData) -> int:
    """Exercise 2.2.1: the datasets that may be public and have no licence."""
    return len(_failing(data, "license"))


def late_count(data: CityData) -> int:
    """Exercise 2.2.2: the datasets not updated within their declared frequency."""
    return len(_failing(data, "up_to_date"))


def scored_dataset_score(data: CityData) -> int:
    """Exercise 2.2.3: the lowest-scoring dataset's score."""
    return int(_scored_row(data)["score"])


def widest_gap_letter(data: CityData) -> str:
    """Exercise 2.2.4: the gap that affects the most datasets (of equal counts, the first
    check in the options' order)."""
    gaps = inventory_of(data).audit.gaps(limit=1)
    return check_letter(gaps.iloc[0]["check"]) if len(gaps) else "A"


def department_score(data: CityData) -> float:
    """Exercise 2.2.5: the score of the named department at the foot of the scorecard."""
    return float(_department_row(data)["score"])


def largest_dimension_letter(data: CityData) -> str:
    """Exercise 2.2.6: the dimension with the most problems (the first of equals)."""
    return dimension_letter(_largest_dimension(dimensions_of(data)))


def _largest_dimension(dimensions: QualityDimensions) -> str:
    most = max(dimensions.problems.get(d, 0) for d in ROW_DIMENSIONS)
    return next(d for d in ROW_DIMENSIONS if dimensions.problems.get(d, 0) == most)


# --- slider bounds ------------------------------------------------------------------------


def _inventory_slider(data: CityData) -> tuple[float, float, float]:
    return 0, max(1, inventory_of(data).count), 1


def _score_slider(data: CityData) -> tuple[float, float, float]:
    return 0, 100, 1


# --- facts for the messages ---------------------------------------------------------------


def _license_facts(data: CityData) -> dict[str, Any]:
    table = _table(data)
    missing = _failing(data, "license")
    return {"publishable": int(table["license"].notna().sum()), "missing": len(missing),
            "names": format_list(list(missing["title"])) or "—"}


def _late_facts(data: CityData) -> dict[str, Any]:
    table = _table(data)
    late = _failing(data, "up_to_date")
    example = ""
    if len(late):
        row = late.assign(over=late["days_since"] - late["period_days"]).sort_values(
            "over", ascending=False, kind="stable").iloc[0]
        example = ngettext(
            "The latest, {dataset}, was updated {count} day before, for a period of {period}.",
            "The latest, {dataset}, was updated {count} days before, for a period of {period}.",
            int(row["days_since"]), dataset=row["title"],
            period=ngettext("{count} day", "{count} days", round(row["period_days"])))
    return {"declared": int(table["up_to_date"].notna().sum()), "late": len(late),
            "as_of": format_date(inventory_of(data).audit.as_of, "day_long"),
            "example": example}


def _score_facts(data: CityData) -> dict[str, Any]:
    row = _scored_row(data)
    missing = [_(CHECK_WORDS[c]) for c in CHECKS if row[c] is False]
    return {"dataset": row["title"], "missing": format_list(missing) or "—",
            "missing_count": ngettext("{count} thing", "{count} things", len(missing)),
            "applicable": int(row["applicable"]), "passed": int(row["passed"]),
            "score": int(row["score"])}


def _gap_facts(data: CityData) -> dict[str, Any]:
    gaps = inventory_of(data).audit.gaps(limit=2)
    if not len(gaps):
        return {"gap": "—", "failing": 0, "applicable": 0, "second": ""}
    first = gaps.iloc[0]
    second = ""
    if len(gaps) > 1:
        other = gaps.iloc[1]
        second = _("Next comes {gap} ({failing}).", gap=_(CHECK_WORDS[other["check"]]),
                   failing=format_number(int(other["failing"])))
    return {"gap": _(CHECK_WORDS[first["check"]]), "failing": int(first["failing"]),
            "applicable": int(first["applicable"]), "second": second}


def _department_facts(data: CityData) -> dict[str, Any]:
    row = _department_row(data)
    return {"department": department_name(row["department"]),
            "metadata": format_number(round(float(row["metadata"]), 1)),
            "fresh": format_percent(float(row["up_to_date"])),
            "published": format_percent(float(row["published"])),
            "fresh_points": format_number(round(100 * float(row["up_to_date"]))),
            "published_points": format_number(round(100 * float(row["published"]))),
            "score": format_number(round(float(row["score"]), 2))}


def _dimension_facts(data: CityData) -> dict[str, Any]:
    dimensions = dimensions_of(data)
    largest = _largest_dimension(dimensions)
    return {"rows": format_number(dimensions.rows_read),
            "dimension": _(DIMENSION_WORDS[largest]).capitalize(),
            "count": format_number(dimensions.problems.get(largest, 0)),
            "share": format_percent(dimensions.share(largest), 1)}


# --- answers named by the exercise file (inventory.yaml) ----------------------------------


def mistaken_private_counted(data: CityData) -> Any:
    """Exercise 2.2.1's "private datasets counted": the non-public ones added."""
    return unlicensed_count(data) + int(_table(data)["license"].isna().sum())


def mistaken_licensed(data: CityData) -> Any:
    """Exercise 2.2.1's "datasets with a licence"."""
    return int((_table(data)["license"] == True).sum())  # noqa: E712


def mistaken_undeclared_counted(data: CityData) -> Any:
    """Exercise 2.2.2's "no frequency counted as late": late ones plus those with none."""
    return late_count(data) + int(_table(data)["up_to_date"].isna().sum())


def mistaken_on_time(data: CityData) -> Any:
    """Exercise 2.2.2's "on-time datasets": those up to date."""
    return int((_table(data)["up_to_date"] == True).sum())  # noqa: E712


def mistaken_all_nine(data: CityData) -> Any:
    """Exercise 2.2.3's "divided by all nine checks"."""
    return half_up(100 * int(_scored_row(data)["passed"]) / len(CHECKS))


def mistaken_share_missing(data: CityData) -> Any:
    """Exercise 2.2.3's "share missing": the share of its checks it fails, out of 100."""
    row = _scored_row(data)
    return half_up(100 * (int(row["applicable"]) - int(row["passed"])) / int(row["applicable"]))


def mistaken_largest_share(data: CityData) -> Any:
    """Exercise 2.2.4's "the largest share": the gap failing the largest share of the
    datasets it applies to (of equal shares, the first check)."""
    gaps = inventory_of(data).audit.gaps(limit=None)
    if not len(gaps):
        return None
    best = gaps.sort_values("share", ascending=False, kind="stable").iloc[0]
    return check_letter(best["check"])


def mistaken_lowest_dataset(data: CityData) -> Any:
    """Exercise 2.2.4's "the lowest dataset's gap": the first gap of the lowest scorer."""
    row = _scored_row(data)
    failing = [c for c in CHECKS if row[c] is False]
    return check_letter(failing[0]) if failing else None


def mistaken_plain_average(data: CityData) -> Any:
    """Exercise 2.2.5's "plain average of the three"."""
    row = _department_row(data)
    return (float(row["metadata"]) + 100 * float(row["up_to_date"])
            + 100 * float(row["published"])) / 3


def mistaken_metadata_only(data: CityData) -> Any:
    """Exercise 2.2.5's "metadata score only"."""
    return float(_department_row(data)["metadata"])


def mistaken_smallest_dimension(data: CityData) -> Any:
    """Exercise 2.2.6's "the smallest": the dimension with the fewest problems."""
    dimensions = dimensions_of(data)
    fewest = min(dimensions.problems.get(d, 0) for d in ROW_DIMENSIONS)
    return dimension_letter(next(d for d in ROW_DIMENSIONS
                                 if dimensions.problems.get(d, 0) == fewest))

