"""A city's inventory written as a DCAT-US 1.1 ``data.json``, checked against its schema.

DCAT-US 1.1 (the Project Open Data Metadata Schema) is the form data.gov harvests and
most open-data portals read. :func:`dcat_us_catalog` writes a list of
:class:`~cda_lib.sources.catalog.CatalogEntry` records as a catalog object;
:func:`validate_catalog` checks one against the published non-federal JSON Schema, which
ships in ``schemas/dcat-us-1.1/`` (its source and licence are in the README there) and is
read from disk, so no check needs the web.

The writer never invents what an inventory lacks, but the schema requires a few fields on
every dataset (description, publisher, contact, access level). Where the inventory has no
value, the writer puts a plain, visible placeholder (:data:`PLACEHOLDERS`, the words the
caller passes, e.g. in the city's language) so the gap is still there to read in the file;
an access level that is not stated is written ``non-public``, never claimed ``public``.

>>> from cda_lib.sources.catalog import CatalogEntry
>>> document = dcat_us_catalog([CatalogEntry("p-1", "Potholes", frequency="R/P1W")],
...                            publisher="Riverbend")
>>> document["dataset"][0]["accrualPeriodicity"], validate_catalog(document)
('R/P1W', [])
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from cda_lib.sources.catalog import ACCESS_LEVELS, CatalogEntry, frequency_days

SCHEMA_DIR = Path(__file__).parent / "schemas" / "dcat-us-1.1"
CONFORMS_TO = "https://resources.data.gov/schemas/dcat-us/v1.1/schema"
DESCRIBED_BY = "https://resources.data.gov/schemas/dcat-us/v1.1/schema/catalog.json"
CONTEXT = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"
RIGHTS_LIMIT = 255  # DCAT-US 1.1: rights is at most 255 characters
# The words written where the inventory has no value for a field the schema requires.
PLACEHOLDERS = {
    "description": "No description in the inventory yet.",
    "contact": "No contact named in the inventory yet",
    "rights": "The inventory does not say whether this dataset can be public.",
}
# Licence names people write, and the address DCAT-US wants instead.
LICENSE_URLS = {
    "public domain": "https://creativecommons.org/publicdomain/mark/1.0/",
    "creative commons 1.0 universal": "https://creativecommons.org/publicdomain/zero/1.0/",
    "cc0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "cc0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "cc-by-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "cc-by": "https://creativecommons.org/licenses/by/4.0/",
    "odc-pddl": "https://opendatacommons.org/licenses/pddl/1-0/",
    "odc-by": "https://opendatacommons.org/licenses/by/1-0/",
    "odc-odbl": "https://opendatacommons.org/licenses/odbl/1-0/",
}
MEDIA_TYPES = {
    "csv": "text/csv", "json": "application/json", "geojson": "application/geo+json",
    "xml": "application/xml", "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf", "zip": "application/zip",
    "kml": "application/vnd.google-earth.kml+xml",
    "txt": "text/plain", "rdf": "application/rdf+xml", "shp": "application/zip",
}
MEDIA_TYPE = re.compile(r"^[-\w]+/[-\w]+(\.[-\w]+)*([+][-\w]+)?$")
URL = re.compile(r"https?://[^\s()<>\"]+")


def dcat_us_catalog(entries: Iterable[CatalogEntry], *, publisher: str,
                    placeholders: Mapping[str, str] | None = None,
                    catalog_id: str | None = None) -> dict[str, Any]:
    """The entries as a DCAT-US 1.1 catalog object (what ``data.json`` holds).

    ``publisher`` names the body that publishes the catalog (the city); a dataset with no
    department of its own is published by it. ``placeholders`` replace the English words of
    :data:`PLACEHOLDERS` (e.g. with the page's language).
    """
    words = {**PLACEHOLDERS, **(placeholders or {})}
    catalog: dict[str, Any] = {"@context": CONTEXT, "@type": "dcat:Catalog",
                               "conformsTo": CONFORMS_TO, "describedBy": DESCRIBED_BY}
    if catalog_id:
        catalog["@id"] = catalog_id
    seen: set[str] = set()
    datasets = []
    for entry in entries:
        identifier = entry.identifier or entry.title
        while identifier in seen:  # identifiers are unique in a catalog
            identifier += "-2"
        seen.add(identifier)
        datasets.append(dcat_us_dataset(entry, publisher=publisher, placeholders=words,
                                        identifier=identifier))
    catalog["dataset"] = datasets
    return catalog


def dcat_us_dataset(entry: CatalogEntry, *, publisher: str,
                    placeholders: Mapping[str, str] | None = None,
                    identifier: str | None = None) -> dict[str, Any]:
    """One entry as a DCAT-US 1.1 dataset object."""
    words = {**PLACEHOLDERS, **(placeholders or {})}
    organization: dict[str, Any] = {"@type": "org:Organization", "name": publisher}
    if entry.department and entry.department != publisher:
        organization = {"@type": "org:Organization", "name": entry.department,
                        "subOrganizationOf": organization}
    contact: dict[str, Any] = {"@type": "vcard:Contact",
                               "fn": entry.contact_name or entry.department
                               or words["contact"]}
    if entry.contact_email and _email_ok(entry.contact_email):
        contact["hasEmail"] = f"mailto:{entry.contact_email}"
    access = entry.access_level if entry.access_level in ACCESS_LEVELS else "non-public"
    dataset: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "identifier": identifier or entry.identifier or entry.title,
        "title": entry.title or identifier or entry.identifier,
        "description": entry.description or words["description"],
        "publisher": organization,
        "contactPoint": contact,
        "accessLevel": access,
    }
    rights = entry.rights or ("" if access == "public" and entry.access_level else
                              words["rights"])
    if rights:
        dataset["rights"] = rights[:RIGHTS_LIMIT]
    if entry.keywords:
        dataset["keyword"] = list(entry.keywords)
    if entry.modified is not None:
        dataset["modified"] = entry.modified.strftime("%Y-%m-%d")
    if entry.issued is not None:
        dataset["issued"] = entry.issued.strftime("%Y-%m-%d")
    if entry.frequency == "irregular" or frequency_days(entry.frequency) is not None:
        dataset["accrualPeriodicity"] = entry.frequency
    license_url = license_address(entry.license)
    if license_url:
        dataset["license"] = license_url
    if entry.landing_page and URL.fullmatch(entry.landing_page):
        dataset["landingPage"] = entry.landing_page
    distributions = [d for d in (_distribution(d) for d in entry.distributions) if d]
    if distributions:
        dataset["distribution"] = distributions
    return dataset


def license_address(text: str) -> str:
    """The licence as the address DCAT-US asks for, or "" when it cannot be told.

    >>> license_address("Public Domain\\nCity of Seattle")
    'https://creativecommons.org/publicdomain/mark/1.0/'
    >>> license_address("Atribucion 2.5 (https://creativecommons.org/licenses/by/2.5/ar )")
    'https://creativecommons.org/licenses/by/2.5/ar'
    """
    if not text:
        return ""
    found = URL.search(text)
    if found:
        return found.group(0).rstrip(".,;")
    words = " ".join(text.split()).lower()
    for name, url in LICENSE_URLS.items():
        if words == name or words.startswith(name + " "):
            return url
    return ""


def validate_catalog(document: Mapping[str, Any]) -> list[str]:
    """What is wrong with a catalog object against DCAT-US 1.1 (empty: it validates).

    Each problem names the place (``dataset[3].contactPoint``) and the schema's message.
    """
    validator = _validator()
    problems = []
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.path)):
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.path)
        problems.append(f"{where.lstrip('.') or 'catalog'}: {error.message}")
    return problems


def write_data_json(document: Mapping[str, Any], path: str | Path) -> Path:
    """Write a catalog object as a ``data.json`` file (UTF-8, indented); return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


@cache
def _validator():
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    catalog = json.loads((SCHEMA_DIR / "catalog.json").read_text(encoding="utf-8"))
    dataset = json.loads((SCHEMA_DIR / "dataset-non-federal.json").read_text(encoding="utf-8"))
    base = CONFORMS_TO + "/"
    resources = [(base + "catalog.json", catalog), (base + "dataset-non-federal.json", dataset)]
    # the definitions carry ids of their own (organization.json refers to itself as "#")
    resources += [(schema["id"].rstrip("#"), schema) for schema in dataset["definitions"].values()]
    registry = Registry().with_resources(
        (uri, Resource.from_contents(schema, default_specification=DRAFT4))
        for uri, schema in resources)
    return Draft4Validator(catalog, registry=registry)


def _distribution(distribution: Mapping[str, str]) -> dict[str, Any] | None:
    url = distribution.get("url", "")
    if not URL.fullmatch(url):
        return None
    name = distribution.get("format", "")
    media = distribution.get("media_type", "") or MEDIA_TYPES.get(name, "")
    result: dict[str, Any] = {"@type": "dcat:Distribution"}
    if media and MEDIA_TYPE.match(media):
        result.update(downloadURL=url, mediaType=media)
    else:
        result["accessURL"] = url
    if name:
        result["format"] = name.upper()
    return result


def _email_ok(email: str) -> bool:
    return bool(re.fullmatch(r"[\w_~!$&'()*+,;=:.-]+@[\w.-]+\.[\w.-]+", email))
