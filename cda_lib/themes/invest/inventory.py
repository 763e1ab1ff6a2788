"""Page 2.2's data inventory: the city's catalog, its metadata audit, and its data.json.

:func:`city_inventory` reads the city's own catalog when its city file has
``sources.catalog`` (a DCAT ``data.json`` or a CKAN portal, through the portal cache), and
otherwise makes the fictional inventory of :mod:`cda_lib.synth.inventory` from its seed.
The audit itself is :mod:`cda_lib.metrics.inventory_audit`; this module writes it for the
page: the inventory with a score per dataset, the five worst gaps, the department
scorecard, a headline, the export as DCAT-US 1.1 (:mod:`cda_lib.sources.dcat_us`) and
what the page records for the capstone.

>>> CHECK_WORDS["up_to_date"]
'an update on time'
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cda_lib.core import paths
from cda_lib.core.readable import ReadableTable, Sentences
from cda_lib.metrics.inventory_audit import CHECKS, InventoryAudit, audit_inventory, half_up
from cda_lib.sources.catalog import CatalogEntry, catalog_records, parse_catalog
from cda_lib.sources.dcat_us import dcat_us_catalog, validate_catalog, write_data_json
from cda_lib.synth.inventory import synthetic_inventory
from cda_lib.text.dates import format_date, format_list
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import N_, gettext as _, ngettext

if TYPE_CHECKING:
    from cda_lib.core.workspace import Workspace
    from cda_lib.data import CityData

MODULE = "2.2"
EXPORT_FOLDER = "data_inventory"
EXPORT_FILE = "data.json"
# What each check asks of a dataset, as a page names a gap.
CHECK_WORDS = {
    "description": N_("a description"),
    "owner": N_("an owning department"),
    "contact": N_("a contact"),
    "license": N_("a licence"),
    "frequency": N_("an update frequency"),
    "sensitivity": N_("a note on sensitivity"),
    "source": N_("the source system"),
    "up_to_date": N_("an update on time"),
    "open_format": N_("an open format"),
}
NO_DEPARTMENT = N_("(no department named)")


@dataclass(frozen=True)
class CityInventory:
    """A city's inventory, where it comes from, and its audit."""

    city_name: str
    entries: tuple[CatalogEntry, ...]
    audit: InventoryAudit
    synthetic: bool
    source: str  # where the entries come from, as a page names it
    problem: str = ""  # why the city's own catalog could not be read, if it could not

    @property
    def count(self) -> int:
        return len(self.entries)


def city_inventory(data: CityData, *, offline: bool | None = None) -> CityInventory:
    """The city's inventory: its own catalog (``sources.catalog``) or a fictional one.

    A catalog that cannot be downloaded (or, offline, was never cached) does not stop the
    page: it audits the fictional inventory, and its notice says why (``problem``)."""
    city = data.city
    if data.inventory is not None:
        return inventory_of(city.name, tuple(data.inventory), data.as_of,
                            synthetic=True, source=_("the inventory given"))
    problem = ""
    if "catalog" in city.sources:
        from cda_lib.core.errors import NotCachedError, PortalError
        from cda_lib.sources.portal import cached_table

        try:
            entry = cached_table(city, "catalog", offline=offline)
        except (PortalError, NotCachedError) as error:  # the page still runs, and says why
            problem = str(error)
        else:
            return _catalog_inventory(city.name, entry)
    entries = synthetic_inventory(city, data.as_of)
    inventory = inventory_of(city.name, entries, data.as_of, synthetic=True,
                             source=_("fictional, made from the city's seed"))
    return dataclasses.replace(inventory, problem=problem)


def _catalog_inventory(city_name: str, entry: Any) -> CityInventory:
    """The inventory of a cached catalog download, judged on the day it was downloaded."""
    entries = parse_catalog(catalog_records(entry.table))
    as_of = entry.fetched_at
    source = _("{label}, downloaded {day}", label=entry.label, day=format_date(as_of, "day_long"))
    return inventory_of(city_name, entries, as_of, synthetic=False, source=source)


def inventory_of(city_name: str, entries: tuple[CatalogEntry, ...], as_of: pd.Timestamp, *,
                 synthetic: bool, source: str = "") -> CityInventory:
    """An inventory from given entries (a test's, or a catalog file's), audited on ``as_of``."""
    return CityInventory(city_name, tuple(entries), audit_inventory(entries, as_of), synthetic,
                         source)


def department_name(department: str) -> str:
    """A department as the page writes it ("" is the datasets with none named)."""
    return department or _(NO_DEPARTMENT)


def inventory_notice(inventory: CityInventory) -> Sentences:
    """Where the inventory comes from and what it holds; SYNTHETIC DATA when fictional."""
    named = inventory.audit.table["department"]
    departments = named[named != ""].nunique()
    count = ngettext("{count} dataset", "{count} datasets", inventory.count)
    held = ngettext("from {count} department", "from {count} departments", departments)
    if inventory.problem:
        sentences = [_("SYNTHETIC DATA. {city}'s data catalog could not be read, so this page "
                       "audits a fictional inventory made for teaching from the city's seed: "
                       "{count} {held}.", city=inventory.city_name, count=count, held=held),
                     inventory.problem]
    elif inventory.synthetic:
        sentences = [_("SYNTHETIC DATA. {city} has no data catalog in its city file, so this "
                       "page audits a fictional inventory made for teaching from the city's "
                       "seed: {count} {held}, with gaps planted in it as real inventories "
                       "have them.", city=inventory.city_name, count=count, held=held),
                     _("To audit the city's own catalog, add sources.catalog to its city file "
                       "(the address of its data.json or of its CKAN portal).")]
    else:
        sentences = [_("{city}'s data catalog ({source}) lists {count} {held}.",
                       city=inventory.city_name, source=inventory.source, count=count,
                       held=held)]
    sentences.append(_("Freshness is judged on {day}.",
                       day=format_date(inventory.audit.as_of, "day_long")))
    return Sentences(sentences)


def inventory_table(inventory: CityInventory) -> ReadableTable:
    """Every dataset: its department, score (0 to 100) and what it lacks, lowest first."""
    table = inventory.audit.table.sort_values(["score", "title"], kind="stable")
    rows = []
    for row in table.to_dict("records"):
        missing = [_(CHECK_WORDS[check]) for check in CHECKS if row[check] is False]
        rows.append([(row["title"], False), (department_name(row["department"]), False),
                     (format_number(int(row["score"])), True),
                     (format_list(missing) if missing else "—", False)])
    return ReadableTable([_("Dataset"), _("Department"), _("Score"), _("What it lacks")], rows,
                         caption=_("The inventory, a score per dataset (0 to 100)"),
                         notes=_table_notes(inventory))


def gaps_table(inventory: CityInventory) -> ReadableTable:
    """The five gaps that affect the most datasets."""
    rows = []
    for row in inventory.audit.gaps().itertuples():
        rows.append([(_(CHECK_WORDS[row.check]), False),
                     (_("{failing} of {applicable}", failing=format_number(row.failing),
                        applicable=format_number(row.applicable)), True),
                     (format_percent(row.share), True), (row.example, False)])
    return ReadableTable([_("Missing"), _("Datasets"), _("Share"), _("For example")], rows,
                         caption=_("The five worst gaps"), notes=_table_notes(inventory))


def scorecard_table(inventory: CityInventory) -> ReadableTable:
    """The department scorecard: datasets, average metadata score, shares, overall score."""
    rows = []
    for row in inventory.audit.scorecard().itertuples():
        rows.append([(department_name(row.department), False),
                     (format_number(int(row.datasets)), True),
                     (format_number(half_up(row.metadata)), True),
                     (format_percent(row.up_to_date), True),
                     (format_percent(row.published), True),
                     (format_number(half_up(row.score)), True)])
    notes = [_("Department score = half the average metadata score + a quarter of the share up "
               "to date + a quarter of the share published in an open format (of the datasets "
               "that may be public), on a scale of 0 to 100."), *_table_notes(inventory)]
    return ReadableTable([_("Department"), _("Datasets"), _("Metadata score"),
                          _("Up to date"), _("Published openly"), _("Department score")], rows,
                         caption=_("The department scorecard"), notes=notes)


def headline(inventory: CityInventory) -> Sentences:
    """The page's finding in three sentences, every figure from the audit."""
    audit = inventory.audit
    table = audit.table
    average = half_up(float(table["score"].mean())) if len(table) else 0
    complete = int((table["score"] == 100).sum())
    sentences = [_("{city}'s {count} scores {average} out of 100 on average; {complete}.",
                   city=inventory.city_name,
                   count=ngettext("inventory of {count} dataset", "inventory of {count} datasets",
                                  inventory.count),
                   average=format_number(average),
                   complete=ngettext("{count} dataset has every field it should",
                                     "{count} datasets have every field they should", complete))]
    gaps = audit.gaps(limit=1)
    if len(gaps):
        gap = gaps.iloc[0]
        sentences.append(_("The widest gap is {gap}: {failing} of {applicable} datasets lack "
                           "it.", gap=_(CHECK_WORDS[gap["check"]]),
                           failing=format_number(int(gap["failing"])),
                           applicable=format_number(int(gap["applicable"]))))
    card = audit.scorecard()
    card = card[card["department"] != ""]  # the datasets with no department are nobody's
    if len(card) > 1:
        best, worst = card.iloc[0], card.iloc[-1]
        sentences.append(_("{best} leads the department scorecard with {best_score}; {worst} "
                           "trails with {worst_score}.", best=department_name(best["department"]),
                           best_score=format_number(half_up(best["score"])),
                           worst=department_name(worst["department"]),
                           worst_score=format_number(half_up(worst["score"]))))
    return Sentences(sentences)


def sensitivity_table(inventory: CityInventory) -> ReadableTable:
    """The datasets that are not fully public, with the note on why (or its absence)."""
    rows = []
    for entry in inventory.entries:
        if entry.access_level == "public":
            continue
        level = {"restricted public": _("restricted public"), "non-public": _("non-public"),
                 "": _("not stated")}.get(entry.access_level, entry.access_level)
        rows.append([(entry.title, False), (department_name(entry.department), False),
                     (level, False), (entry.rights or _("no note: a gap"), False)])
    return ReadableTable([_("Dataset"), _("Department"), _("Access"), _("Sensitivity note")],
                         rows, caption=_("Datasets that are not fully public"),
                         notes=_table_notes(inventory))


# --- the export ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DataJsonExport:
    """The inventory written as a DCAT-US 1.1 data.json: where, how many, and what the
    schema said."""

    path: Path
    datasets: int
    problems: tuple[str, ...]

    @property
    def valid(self) -> bool:
        return not self.problems

    def sentence(self) -> str:
        count = ngettext("{count} dataset", "{count} datasets", self.datasets)
        if self.valid:
            return _("The inventory ({count}) is written as a DCAT-US 1.1 data.json file, "
                     "{path}, and it validates against the published JSON Schema.",
                     count=count, path=self.path.name)
        return ngettext("The inventory ({count}) is written as {path}, but {problems} problem "
                        "was found against the DCAT-US 1.1 schema: {first}",
                        "The inventory ({count}) is written as {path}, but {problems} problems "
                        "were found against the DCAT-US 1.1 schema; the first: {first}",
                        len(self.problems), count=count, path=self.path.name,
                        problems=len(self.problems), first=self.problems[0])

    def __str__(self) -> str:
        return self.sentence()

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return Sentences([self.sentence()])._repr_html_()


def export_path(city_id: str) -> Path:
    """Where the city's data.json goes: ``build/<city>/data_inventory/data.json``."""
    return paths.build_dir() / city_id / EXPORT_FOLDER / EXPORT_FILE


def inventory_catalog(inventory: CityInventory) -> dict[str, Any]:
    """The inventory as a DCAT-US 1.1 catalog object, gaps written in the page's language."""
    return dcat_us_catalog(inventory.entries, publisher=inventory.city_name, placeholders={
        "description": _("No description in the inventory yet."),
        "contact": _("No contact named in the inventory yet"),
        "rights": _("The inventory does not say whether this dataset can be public."),
    })


def export_inventory(inventory: CityInventory, city_id: str,
                     path: str | Path | None = None) -> DataJsonExport:
    """Write the inventory's data.json and check it against the DCAT-US 1.1 schema."""
    document = inventory_catalog(inventory)
    written = write_data_json(document, path if path is not None else export_path(city_id))
    return DataJsonExport(written, len(document["dataset"]), tuple(validate_catalog(document)))


# --- the records --------------------------------------------------------------------------


def record_inventory(workspace: Workspace, inventory: CityInventory,
                     export: DataJsonExport | None = None) -> None:
    """Keep the audit's summary and department scorecard for the capstone."""
    audit = inventory.audit
    table = audit.table
    gaps = audit.gaps()
    workspace.record("data_inventory", {
        "datasets": inventory.count,
        "average_score": round(float(table["score"].mean()), 1) if len(table) else 0.0,
        "complete": int((table["score"] == 100).sum()),
        "worst_gaps": [f"{row.check}: {row.failing}/{row.applicable}" for row in
                       gaps.itertuples()],
        "synthetic": inventory.synthetic,
        "data_json": str(export.path) if export is not None else "",
        "data_json_valid": bool(export.valid) if export is not None else False,
    }, module=MODULE)
    workspace.record("department_scorecard", [
        {"department": row.department, "datasets": int(row.datasets),
         "metadata": round(float(row.metadata), 1), "up_to_date": round(float(row.up_to_date), 3),
         "published": round(float(row.published), 3), "score": round(float(row.score), 1)}
        for row in audit.scorecard().itertuples()], module=MODULE)


def _table_notes(inventory: CityInventory) -> list[str]:
    if inventory.synthetic:
        return [_("Synthetic data: a fictional inventory made for teaching.")]
    return []
