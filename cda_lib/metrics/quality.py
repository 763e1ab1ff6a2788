"""Data-quality checks on service requests: what was set aside, and what was kept with gaps.

The profile puts both in one table a city manager can read, in the GovEx
dimensions (completeness, validity, consistency, uniqueness, accuracy), each line
saying "N of M rows" and the rule, like the Chicago food-inspection model.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from cda_lib.cities.city import City
from cda_lib.core.account import LoadAccount, derived_line, flagged_line, set_aside_line
from cda_lib.sources import conform
from cda_lib.text.translation import N_, gettext as _

# A point shared by more than 1% of located requests (and at least 20) is almost
# never a real hot spot: systems drop unlocated requests on a default point such as
# City Hall (Boston's 2015 export puts 14% of its cases on one point).
DEFAULT_POINT_SHARE = 0.01
DEFAULT_POINT_MIN_ROWS = 20

SET_ASIDE_DIMENSIONS = {
    conform.MISSING_ID: "completeness",
    conform.MISSING_TYPE: "completeness",
    conform.MISSING_OPENED: "completeness",
    conform.UNREADABLE_OPENED_TIME: "validity",
    conform.UNREADABLE_OPENED: "validity",
    conform.UNREADABLE_CLOSED_TIME: "validity",
    conform.UNREADABLE_CLOSED: "validity",
    conform.UNKNOWN_STATUS: "validity",
    conform.CLOSED_WITHOUT_DATE: "consistency",
    conform.CLOSED_BEFORE_OPENED: "consistency",
    conform.FUTURE_OPENED: "validity",
    conform.DUPLICATE_ID: "uniqueness",
}
FLAG_DIMENSIONS = {
    conform.UNREADABLE_COORDINATES: "validity",
    conform.UNKNOWN_CHANNEL: "validity",
}

# Check names are keys (counted, compared, recorded) in English; lines translate them.
MISSING_DISTRICT = N_("missing district")
UNKNOWN_DISTRICT = N_("district not in the city file")
MISSING_COORDINATES = N_("missing coordinates")
OUTSIDE_CITY = N_("coordinates outside the city")
EXCHANGED_COORDINATES = N_("coordinates outside the city, inside it with latitude and longitude "
                           "exchanged (check the mapping's `lat:` and `long:`)")
DEFAULT_POINT = N_("many requests on one point (likely a default location)")


@dataclass(frozen=True)
class KeptRowCheck:
    """A check on kept rows: its name, quality dimension, and the rule as a function."""

    name: str
    dimension: str
    rule: str
    find: Callable[[pd.DataFrame, City | None], pd.Series]


def _missing_district(table: pd.DataFrame, city: City | None) -> pd.Series:
    return table["district"].isna()


def _unknown_district(table: pd.DataFrame, city: City | None) -> pd.Series:
    if city is None:
        return pd.Series(False, index=table.index)
    return table["district"].notna() & ~table["district"].isin(city.district_names())


def _missing_coordinates(table: pd.DataFrame, city: City | None) -> pd.Series:
    return table["lat"].isna() | table["long"].isna()


def _outside_city(table: pd.DataFrame, city: City | None) -> pd.Series:
    if city is None:
        return pd.Series(False, index=table.index)
    b = city.bounds
    inside = table["lat"].between(b.south, b.north) & table["long"].between(b.west, b.east)
    return ~_missing_coordinates(table, city) & ~inside


def _exchanged_coordinates(table: pd.DataFrame, city: City | None) -> pd.Series:
    """Points outside the city that fall inside it read the other way round, when they are
    many (``conform.EXCHANGED_SHARE`` of located rows, as the loader refuses an impossible
    latitude): an export whose latitude and longitude columns are exchanged where both fit
    on Earth either way. A few such points are geocoding slips, counted as outside."""
    if city is None:
        return pd.Series(False, index=table.index)
    b = city.bounds
    inside_exchanged = (table["long"].between(b.south, b.north)
                        & table["lat"].between(b.west, b.east))
    exchanged = _outside_city(table, city) & inside_exchanged
    located = int((~_missing_coordinates(table, city)).sum())
    if not located or exchanged.sum() < conform.EXCHANGED_SHARE * located:
        return pd.Series(False, index=table.index)
    return exchanged


def _default_point(table: pd.DataFrame, city: City | None) -> pd.Series:
    located = table[["lat", "long"]].dropna()
    if located.empty:
        return pd.Series(False, index=table.index)
    counts = located.groupby(["lat", "long"]).size()
    threshold = max(DEFAULT_POINT_MIN_ROWS, DEFAULT_POINT_SHARE * len(located))
    crowded = counts[counts > threshold].index
    if crowded.empty:
        return pd.Series(False, index=table.index)
    keys = pd.MultiIndex.from_frame(table[["lat", "long"]])
    return pd.Series(keys.isin(crowded), index=table.index)


KEPT_ROW_CHECKS = (
    KeptRowCheck(MISSING_DISTRICT, "completeness", "the district is empty", _missing_district),
    KeptRowCheck(UNKNOWN_DISTRICT, "validity",
                 "the district is not one of the city file's districts", _unknown_district),
    KeptRowCheck(MISSING_COORDINATES, "completeness", "latitude or longitude is empty",
                 _missing_coordinates),
    KeptRowCheck(OUTSIDE_CITY, "validity", "the point lies outside the city's bounding box",
                 _outside_city),
    KeptRowCheck(EXCHANGED_COORDINATES, "validity",
                 "the point lies inside the city's bounding box with latitude and longitude "
                 "exchanged", _exchanged_coordinates),
    KeptRowCheck(DEFAULT_POINT, "accuracy",
                 f"more than {DEFAULT_POINT_SHARE:.0%} of located requests share the point",
                 _default_point),
)


# how a profile line starts, by the handling of its rows
# Each handling's line, in the page's language ("Set aside 12 of 4,310 rows: ...").
LINES_BY_HANDLING = {"set aside": set_aside_line, "kept, flagged": flagged_line,
                     "kept, derived": derived_line}


# The words of the profile's table as a page shows it (display_table): the table itself
# keeps English keys, which code and records compare.
DIMENSION_WORDS = {"completeness": N_("completeness"), "validity": N_("validity"),
                   "uniqueness": N_("uniqueness"), "accuracy": N_("accuracy"),
                   "timeliness": N_("timeliness"), "consistency": N_("consistency")}
HANDLING_WORDS = {"set aside": N_("set aside"), "kept, flagged": N_("kept, flagged"),
                  "kept, derived": N_("kept, derived")}
DISPLAY_COLUMNS = {"check": N_("problem"), "dimension": N_("dimension"),
                   "handling": N_("handling"), "rows": N_("rows"), "of_rows": N_("of rows"),
                   "share": N_("share")}


class QualityProfile:
    """The quality account of one load: one row per problem found, with counts and shares."""

    COLUMNS = ["check", "dimension", "handling", "rows", "of_rows", "share"]

    def __init__(self, table: pd.DataFrame, rows_read: int, rows_kept: int,
                 notes: tuple[str, ...] = ()):
        self.table = table
        self.rows_read = rows_read
        self.rows_kept = rows_kept
        self.notes = tuple(notes)  # the load account's notes, such as where as_of comes from

    def count(self, check: str) -> int:
        """Rows affected by one check (0 when the check found nothing)."""
        found = self.table.loc[self.table["check"] == check, "rows"]
        return int(found.sum())

    def share(self, check: str) -> float:
        """Share of rows read affected by one check."""
        return self.count(check) / self.rows_read if self.rows_read else 0.0

    def lines(self) -> list[str]:
        """Plain lines, e.g. "Set aside 12 of 4,310 rows: duplicate request id"."""
        lines = [LINES_BY_HANDLING[row.handling](int(row.rows), int(row.of_rows), row.check)
                 for row in self.table.itertuples(index=False)]
        return (lines or [_("No quality problems were found.")]) + list(self.notes)

    def display_table(self) -> pd.DataFrame:
        """The profile's table as a page shows it: headings, problems, dimensions and
        handling in the page's language, counts and shares written its way.

        >>> profile = QualityProfile(pd.DataFrame(
        ...     [("duplicate request id", "uniqueness", "set aside", 12, 4310, 12 / 4310)],
        ...     columns=QualityProfile.COLUMNS), 4310, 4298)
        >>> profile.display_table().iloc[0].tolist()
        ['duplicate request id', 'uniqueness', 'set aside', '12', '4,310', '<1%']
        """
        from cda_lib.text.numbers import format_number, format_percent

        shown = pd.DataFrame({
            "check": [_(check) for check in self.table["check"]],
            "dimension": [_(DIMENSION_WORDS.get(d, d)) for d in self.table["dimension"]],
            "handling": [_(HANDLING_WORDS.get(h, h)) for h in self.table["handling"]],
            "rows": [format_number(int(n)) for n in self.table["rows"]],
            "of_rows": [format_number(int(n)) for n in self.table["of_rows"]],
            "share": [format_percent(float(s)) if pd.notna(s) else "" for s in
                      self.table["share"]],
        })
        return shown.rename(columns={key: _(word) for key, word in DISPLAY_COLUMNS.items()})

    def __repr__(self) -> str:
        return "\n".join(self.lines())

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines())
        return f'<div class="cda-quality"><ul>{items}</ul></div>'


def quality_profile(table: pd.DataFrame, account: LoadAccount,
                    city: City | None = None) -> QualityProfile:
    """Combine what a load set aside with the checks on the kept rows.

    ``table`` is the kept canonical table, ``account`` the load's account; ``city``
    (optional) enables the checks that need its districts and bounding box.
    """
    rows = []
    for reason, count in account.reasons().items():
        rows.append((reason, SET_ASIDE_DIMENSIONS.get(reason, "validity"), "set aside",
                     int(count), account.rows_read))
    for issue, count in account.flags().items():
        rows.append((issue, FLAG_DIMENSIONS.get(issue, "validity"), "kept, flagged",
                     int(count), account.rows_kept))
    # a value worked out, not read (a closed time from a duration): the source left a gap
    for what, count in account.derived().items():
        rows.append((what, "completeness", "kept, derived", int(count), account.rows_kept))
    for check in KEPT_ROW_CHECKS:
        count = int(check.find(table, city).sum())
        if count:
            rows.append((check.name, check.dimension, "kept, flagged", count, len(table)))
    profile = pd.DataFrame(rows, columns=QualityProfile.COLUMNS[:-1])
    profile["share"] = profile["rows"] / profile["of_rows"].where(profile["of_rows"] > 0)
    return QualityProfile(profile, account.rows_read, account.rows_kept,
                          tuple(account.notes))
