"""Page 3.5 put together: the publishable extract, its data dictionary, its DCAT-US record,
the files written into the city's workspace, and the record for the capstone.

:func:`publish_page` reads the city's requests once and makes every part the page shows;
a part whose column the city's data lacks (free text, addresses, coordinates, districts) is
``None``, and its section on the page says so in a sentence. :func:`write_release` writes
four files into ``build/<city>/workspace/open_data/``: the extract (CSV), the monthly
table with small counts withheld (CSV), the data dictionary (CSV) and the metadata
(``data.json``, DCAT-US 1.1, made and checked by :mod:`cda_lib.sources.dcat_us`, the
module page 2.2 uses too).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cda_lib.core import paths
from cda_lib.core.files import write_text_atomically
from cda_lib.core.readable import ReadableTable, Sentences
from cda_lib.metrics.generalise import PUBLISHED_DECIMALS, round_coordinates
from cda_lib.sources.catalog import CatalogEntry
from cda_lib.sources.dcat_us import dcat_us_catalog, validate_catalog, write_data_json
from cda_lib.text.numbers import format_number
from cda_lib.text.translation import N_, gettext as _
from cda_lib.themes.empower.publish import (
    AddressScan,
    MonthlyRelease,
    PersonalDataScan,
    coordinates_sentence,
    monthly_release,
    scan_addresses,
    scan_personal_data,
)

if TYPE_CHECKING:
    from cda_lib.data import CityData

MODULE = "3.5"
FOLDER = "open_data"
EXTRACT_FILE = "service_requests_open_data.csv"
TABLE_FILE = "requests_by_type_and_district.csv"
DICTIONARY_FILE = "data_dictionary.csv"
METADATA_FILE = "data.json"
TYPE_WORDS = {"text": N_("text"), "date": N_("date"), "number": N_("number"),
              "flag": N_("yes or no")}
KEPT = N_("kept as it is")
# Each column the extract can publish: its meaning, its type and what was done to it.
DICTIONARY = {
    "service_request_id": (N_("the request's id in the city's system"), "text",
                           N_("kept: it names the request, not the person")),
    "service_code": (N_("a short code for the request type"), "text", KEPT),
    "service_name": (N_("the request type, as the city names it"), "text", KEPT),
    "status": (N_("open or closed"), "text", KEPT),
    "requested_date": (N_("the day the request was opened"), "date",
                       N_("the time of day dropped: with the block, the minute can point at "
                          "one person")),
    "closed_date": (N_("the day it was closed; empty while it is open"), "date",
                    N_("the time of day dropped")),
    "agency_responsible": (N_("the department that handles it"), "text", KEPT),
    "district": (N_("the district it was reported in"), "text", KEPT),
    "block": (N_("the street and the block of the address"), "text",
              N_("the address generalised to its hundred block; an address that could not "
                 "be read removed")),
    "lat": (N_("latitude in degrees (WGS84)"), "number",
            N_("rounded to 3 decimals, about 110 m")),
    "long": (N_("longitude in degrees (WGS84)"), "number",
             N_("rounded to 3 decimals, about 110 m north to south and less east to west")),
    "channel": (N_("how it was reported"), "text", KEPT),
    "reopened": (N_("whether it was reopened after a close"), "flag", KEPT),
    "description": (N_("the request's free text"), "text",
                    N_("names, phone numbers, e-mail addresses and national ID numbers "
                       "replaced by a label")),
}


@dataclass(frozen=True)
class PublishPage:
    """What page 3.5 shows for one city; a part the data cannot give is None."""

    city_name: str
    city_id: str
    synthetic: bool
    extract: pd.DataFrame
    personal: PersonalDataScan | None
    addresses: AddressScan | None
    rounded: int
    latitude: float
    release: MonthlyRelease | None
    first: pd.Timestamp | None
    last: pd.Timestamp | None

    def coordinates(self) -> Sentences:
        return coordinates_sentence(self.rounded, self.latitude)

    def dictionary(self) -> ReadableTable:
        """Each published column: its name, meaning, type and what was done to it."""
        rows = [[(column, False), (_(DICTIONARY[column][0]), False),
                 (_(TYPE_WORDS[DICTIONARY[column][1]]), False), (_(DICTIONARY[column][2]),
                                                                 False)]
                for column in self.extract.columns]
        return ReadableTable([_("Column"), _("What it holds"), _("Type"), _("What was done")],
                             rows, caption=_("The data dictionary of the published file"),
                             notes=[_("Not published: the source system's own status note, "
                                      "which no pattern has scanned.")])

    def dictionary_frame(self) -> pd.DataFrame:
        table = self.dictionary()
        return pd.DataFrame([[text for text, _number in row] for row in table.rows],
                            columns=["column", "meaning", "type", "what_was_done"])

    def metadata(self) -> dict[str, Any]:
        """The extract's DCAT-US 1.1 catalog (one dataset), in the page's language."""
        description = _("Service requests made to {city}: {rows} requests. Personal data is "
                        "removed from the notes, addresses are generalised to the block and "
                        "coordinates rounded to {decimals} decimals.", city=self.city_name,
                        rows=format_number(len(self.extract)), decimals=PUBLISHED_DECIMALS)
        if self.synthetic:
            description += " " + _("Synthetic data, generated for teaching.")
        entry = CatalogEntry(
            identifier=f"{self.city_id}-service-requests-open-data",
            title=_("{city} 311 service requests, open data", city=self.city_name),
            description=description, access_level="public", frequency="R/P1M",
            keywords=("311", _("service requests"), _("open data")),
            modified=self.last, formats=("csv",))
        document = dcat_us_catalog([entry], publisher=self.city_name, placeholders={
            "contact": _("No contact named yet: name the dataset's steward"),
            "description": _("No description yet.")})
        if self.first is not None and self.last is not None:
            document["dataset"][0]["temporal"] = (f"{self.first.date().isoformat()}/"
                                                  f"{self.last.date().isoformat()}")
        return document

    def metadata_problems(self) -> list[str]:
        return validate_catalog(self.metadata())

    def record(self, files: ReleaseFiles | None = None) -> dict[str, Any]:
        """The capstone's ``open_data_release``: what was published and how it was made safe."""
        release = self.release
        return {
            "rows": int(len(self.extract)),
            "personal_data_removed": self.personal.removed if self.personal else 0,
            "notes_with_personal_data": self.personal.notes_with if self.personal else 0,
            "counts_withheld": (release.table.primary_count + release.table.complementary_count
                                if release else 0),
            "threshold": release.table.threshold if release else 0,
            "addresses_generalised": (self.addresses.counts["generalised"]
                                      if self.addresses else 0),
            "coordinate_decimals": PUBLISHED_DECIMALS,
            "metadata_valid": not self.metadata_problems(),
            "folder": str(files.folder) if files is not None else "",
        }


def _has(requests: pd.DataFrame, column: str) -> bool:
    if column not in requests.columns:
        return False
    values = requests[column]
    if values.dtype == "string" or values.dtype == object:
        return bool((values.astype("string").str.strip().fillna("") != "").any())
    return bool(values.notna().any())


def publish_page(data: CityData) -> PublishPage:
    """The page's parts for this city's requests, each from the columns it needs."""
    requests = data.requests.reset_index(drop=True)
    extract = pd.DataFrame(index=requests.index)
    for column in ("service_request_id", "service_code", "service_name", "status"):
        extract[column] = requests[column]
    extract["requested_date"] = requests["requested_datetime"].dt.normalize().dt.date
    extract["closed_date"] = requests["closed_datetime"].dt.normalize().dt.date
    for column in ("agency_responsible", "district"):
        if _has(requests, column):
            extract[column] = requests[column]
    addresses = None
    if _has(requests, "address"):
        addresses = scan_addresses(requests["address"], synthetic=data.is_synthetic)
        extract["block"] = addresses.blocks
    located = requests["lat"].notna() & requests["long"].notna()
    if located.any():
        extract["lat"] = round_coordinates(requests["lat"])
        extract["long"] = round_coordinates(requests["long"])
    for column in ("channel", "reopened"):
        if _has(requests, column):
            extract[column] = requests[column]
    personal = None
    if _has(requests, "description"):
        personal = scan_personal_data(requests["description"], data.city.country)
        extract["description"] = personal.scrubbed
    release = None
    if requests["district"].nunique() >= 2 and requests["service_name"].nunique() >= 2:
        release = monthly_release(requests, data.as_of)
    opened = requests["requested_datetime"].dropna()
    bounds = data.city.bounds
    return PublishPage(
        data.city.name, data.city.id, data.is_synthetic, extract, personal, addresses,
        int(located.sum()), (bounds.north + bounds.south) / 2 if bounds else 0.0, release,
        opened.min() if len(opened) else None, opened.max() if len(opened) else None)


@dataclass(frozen=True)
class ReleaseFiles:
    """The files written for publication: where, and whether the metadata validates."""

    folder: Path
    names: tuple[str, ...]
    problems: tuple[str, ...]

    def sentence(self) -> str:
        where = _shown_folder(self.folder)
        files = ", ".join(self.names)
        if not self.problems:
            return _("The files are written in {folder}: {files}. The metadata validates "
                     "against the DCAT-US 1.1 schema.", folder=where, files=files)
        return _("The files are written in {folder}: {files}. The metadata does not validate "
                 "yet; the first problem: {first}", folder=where, files=files,
                 first=self.problems[0])

    def __str__(self) -> str:
        return self.sentence()

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return Sentences([self.sentence()])._repr_html_()


def _shown_folder(folder: Path) -> str:
    try:
        return str(folder.resolve().relative_to(paths.build_dir().resolve().parent))
    except ValueError:
        return str(folder)


def release_folder(city_id: str) -> Path:
    """Where the files go: ``build/<city>/workspace/open_data/``."""
    return paths.workspace_dir(city_id) / FOLDER


def write_release(page: PublishPage, folder: str | Path | None = None) -> ReleaseFiles:
    """Write the extract, the monthly table, the data dictionary and the metadata."""
    folder = Path(folder) if folder is not None else release_folder(page.city_id)
    folder.mkdir(parents=True, exist_ok=True)
    names = [EXTRACT_FILE]
    write_text_atomically(folder / EXTRACT_FILE, page.extract.to_csv(index=False))
    if page.release is not None:
        published = page.release.table.published()
        published.index.name = "service_name"
        write_text_atomically(folder / TABLE_FILE, published.to_csv())
        names.append(TABLE_FILE)
    write_text_atomically(folder / DICTIONARY_FILE, page.dictionary_frame().to_csv(index=False))
    names.append(DICTIONARY_FILE)
    document = page.metadata()
    write_data_json(document, folder / METADATA_FILE)
    names.append(METADATA_FILE)
    return ReleaseFiles(folder, tuple(names), tuple(validate_catalog(document)))


def read_metadata(folder: str | Path) -> dict[str, Any]:
    """The data.json written beside the extract (for tests and the capstone)."""
    return json.loads((Path(folder) / METADATA_FILE).read_text(encoding="utf-8"))

