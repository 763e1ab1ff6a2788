"""The metadata audit of a data inventory: a score per dataset, the worst gaps, a scorecard.

Each dataset of an inventory (:class:`~cda_lib.sources.catalog.CatalogEntry`) is checked
on nine points: the fields GovEx's Data Inventory Guide asks every inventory to hold
(contents, owner, update frequency, licence, privacy, source, with a contact added from
DCAT-US), whether it was updated within the frequency it declares, and whether a public
dataset can be had in an open format. A check that cannot apply (freshness with no
frequency declared, the format of a dataset that is not public) counts neither way. The
dataset's score is the share of its applicable checks it passes, 0 to 100.

The department scorecard follows Louisville's inventory scoring in spirit: half for the
metadata (the department's average score), a quarter for the share of its datasets known
to be up to date, a quarter for the share of those that may be public (not ``non-public``)
that are public in an open format.

Keys (check names, columns) are English; pages translate them.

>>> import pandas as pd
>>> from cda_lib.sources.catalog import CatalogEntry
>>> audit = audit_inventory([CatalogEntry("a", "A", description="x", frequency="R/P1W",
...     modified=pd.Timestamp("2025-01-01"), formats=("csv",), access_level="public")],
...     as_of=pd.Timestamp("2025-01-05"))
>>> audit.table.loc[0, ["passed", "applicable", "score"]].tolist()
[5, 9, 56]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from cda_lib.sources.catalog import CatalogEntry, frequency_days

# The checks, in the order a page lists them.
CHECKS = ("description", "owner", "contact", "license", "frequency", "sensitivity",
          "source", "up_to_date", "open_format")
# Formats anyone can read with free software and whose specification is open: the
# machine-readable ones of the Open Data Charter's and Tim Berners-Lee's five stars (a
# spreadsheet program's own format, a PDF or a zip of unknown files are not).
OPEN_FORMATS = frozenset({"csv", "tsv", "json", "geojson", "xml", "kml", "rdf", "txt",
                          "gpkg", "ics", "jsonld", "parquet"})
SCORECARD_WEIGHTS = {"metadata": 0.5, "up_to_date": 0.25, "published": 0.25}
WORST = 5


@dataclass(frozen=True)
class InventoryAudit:
    """The audit's table (one row per dataset, a column per check: True, False or None when
    it does not apply) and the date the freshness was judged on."""

    table: pd.DataFrame
    as_of: pd.Timestamp

    @property
    def count(self) -> int:
        return len(self.table)

    def gaps(self, limit: int | None = WORST) -> pd.DataFrame:
        """The checks failed most often: check, datasets failing, datasets it applies to,
        share failing, and the first dataset failing it. Ties keep the checks' order."""
        rows = []
        for check in CHECKS:
            column = self.table[check]
            applies = column.notna()
            failing = column[applies] == False  # noqa: E712 (a column of True, False, None)
            count = int(failing.sum())
            if count:
                first = self.table.loc[failing[failing].index[0], "title"]
                rows.append((check, count, int(applies.sum()), count / int(applies.sum()),
                             first))
        gaps = pd.DataFrame(rows, columns=["check", "failing", "applicable", "share",
                                           "example"])
        order = {check: i for i, check in enumerate(CHECKS)}
        gaps = gaps.assign(_order=gaps["check"].map(order)).sort_values(
            ["failing", "_order"], ascending=[False, True]).drop(columns="_order")
        gaps = gaps.reset_index(drop=True)
        return gaps if limit is None else gaps.head(limit)

    def scorecard(self) -> pd.DataFrame:
        """One row per department (``""``: none named): datasets, average score, share up to
        date, share published openly, and the department score (0 to 100), best first."""
        publishable = self.table["access_level"] != "non-public"
        table = self.table.assign(
            fresh=self.table["up_to_date"] == True,  # noqa: E712 (None: not known, so not up to date)
            publishable=publishable,
            published=publishable & (self.table["access_level"] == "public")
            & (self.table["open_format"] == True))  # noqa: E712
        grouped = table.groupby("department", sort=True)
        # Of the datasets that may be published; a department whose every dataset must stay
        # private has nothing left to publish, so that quarter is full.
        published = (grouped["published"].sum() / grouped["publishable"].sum()).fillna(1.0)
        card = pd.DataFrame({
            "datasets": grouped.size(),
            "metadata": grouped["score"].mean(),
            "up_to_date": grouped["fresh"].mean(),
            "published": published,
        }).reset_index()
        weights = SCORECARD_WEIGHTS
        card["score"] = (weights["metadata"] * card["metadata"]
                         + 100 * weights["up_to_date"] * card["up_to_date"]
                         + 100 * weights["published"] * card["published"])
        return card.sort_values(["score", "department"], ascending=[False, True]
                                ).reset_index(drop=True)

    def share_passing(self, check: str) -> float:
        """Of the datasets the check applies to, the share that pass it."""
        column = self.table[check].dropna()
        return float((column == True).mean()) if len(column) else 0.0  # noqa: E712

    def lowest(self, count: int | None = WORST) -> pd.DataFrame:
        """The lowest-scoring datasets (ties in the inventory's order); every one for None."""
        ordered = self.table.sort_values("score", kind="stable")
        return ordered if count is None else ordered.head(count)


def audit_inventory(entries: Iterable[CatalogEntry], as_of: pd.Timestamp) -> InventoryAudit:
    """Check every dataset of an inventory; freshness is judged on ``as_of``."""
    as_of = pd.Timestamp(as_of).normalize()
    rows = []
    for entry in entries:
        checks = dataset_checks(entry, as_of)
        applicable = [value for value in checks.values() if value is not None]
        passed = sum(1 for value in applicable if value)
        period = frequency_days(entry.frequency)
        age = None if entry.modified is None else int((as_of - entry.modified.normalize()).days)
        rows.append({"identifier": entry.identifier, "title": entry.title,
                     "department": entry.department, "access_level": entry.access_level,
                     "declared_frequency": entry.frequency, "period_days": period,
                     "days_since": age,
                     **checks, "passed": passed, "applicable": len(applicable),
                     "score": half_up(100 * passed / len(applicable)) if applicable else 0})
    columns = ["identifier", "title", "department", "access_level", "declared_frequency",
               "period_days", "days_since", *CHECKS, "passed", "applicable", "score"]
    table = pd.DataFrame(rows, columns=columns)
    for check in CHECKS:
        table[check] = table[check].astype(object)
    return InventoryAudit(table, as_of)


def half_up(value: float) -> int:
    """A score to the nearest whole point, halves up as people round (62.5 is 63).

    >>> half_up(62.5), half_up(37.5), half_up(44.44)
    (63, 38, 44)
    """
    return int(value + 0.5)


def dataset_checks(entry: CatalogEntry, as_of: pd.Timestamp) -> dict[str, bool | None]:
    """The nine checks of one dataset: True (passes), False (a gap), None (does not apply).

    >>> checks = dataset_checks(CatalogEntry("x", "X", access_level="non-public",
    ...                                      rights="names of victims"), pd.Timestamp("2025-01-01"))
    >>> checks["sensitivity"], checks["open_format"], checks["up_to_date"]
    (True, None, None)
    """
    period = frequency_days(entry.frequency)
    if period is None:
        up_to_date = None  # no promise to check it against
    elif entry.modified is None:
        up_to_date = False  # a promise, and no date to show it is kept
    else:
        up_to_date = (pd.Timestamp(as_of).normalize() - entry.modified.normalize()).days <= period
    public = entry.access_level == "public"
    # a stated access level, and a reason when it is not public
    sensitivity = bool(entry.access_level) and (public or bool(entry.rights))
    return {
        "description": bool(entry.description),
        "owner": bool(entry.department),
        "contact": bool(entry.contact_name or entry.contact_email),
        "license": bool(entry.license) if entry.access_level != "non-public" else None,
        "frequency": bool(entry.frequency),
        "sensitivity": sensitivity,
        "source": bool(entry.source),
        "up_to_date": up_to_date,
        "open_format": (any(f in OPEN_FORMATS for f in entry.formats)
                        if entry.access_level != "non-public" else None),
    }
