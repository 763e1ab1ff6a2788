"""A city's data catalog: read from a DCAT / Project Open Data ``data.json`` or a CKAN portal.

A data inventory starts from what the city already lists. Two forms cover most city
portals: a DCAT-US / Project Open Data ``data.json`` (Socrata, ArcGIS Hub and CKAN's
``/data.json`` all publish one; version 1.0 is a bare list of datasets, 1.1 an object with a
``dataset`` list) and a CKAN portal's packages (``package_search``, or the ``package_show``
records a harvester keeps). :func:`parse_catalog` reads any of them into
:class:`CatalogEntry` records: the same fields whatever the form, each empty when the
catalog does not say, so a gap stays a gap rather than a guess.

:func:`fetch_catalog` downloads a catalog through the portal client
(:class:`~cda_lib.sources.http.PortalClient`: retries, time-outs, hidden tokens); the
download is kept by the cache like any other portal table, one row per dataset.

>>> entry = parse_catalog({"dataset": [{"title": "Potholes", "identifier": "p-1",
...     "accrualPeriodicity": "R/P1W", "distribution": [{"format": "CSV"}]}]})[0]
>>> entry.title, entry.frequency, entry.formats, frequency_days(entry.frequency)
('Potholes', 'R/P1W', ('csv',), 7.0)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cda_lib.core.errors import PortalError
from cda_lib.sources.http import PortalClient, PortalDownload, portal_name

CATALOG_FORMS = ("dcat", "ckan")
DEFAULT_PAGE_SIZE = 500  # CKAN's package_search gives at most 1,000 a page
# Project Open Data 1.0's words for a frequency, as ISO 8601 repeating durations (1.1's form);
# "eventual" is CKAN Argentina's (Andino's) word for an irregular update.
FREQUENCY_WORDS = {
    "hourly": "R/PT1H", "daily": "R/P1D", "weekly": "R/P1W", "biweekly": "R/P2W",
    "fortnightly": "R/P2W", "monthly": "R/P1M", "bimonthly": "R/P2M", "quarterly": "R/P3M",
    "semiannual": "R/P6M", "biannual": "R/P6M", "annual": "R/P1Y", "annually": "R/P1Y",
    "yearly": "R/P1Y", "irregular": "irregular", "eventual": "irregular",
    "as needed": "irregular", "continuous": "R/PT1H", "realtime": "R/PT1H",
}
DURATION = re.compile(r"^(?:R\d*/)?P(?:(?P<Y>\d+(?:\.\d+)?)Y)?(?:(?P<M>\d+(?:\.\d+)?)M)?"
                      r"(?:(?P<W>\d+(?:\.\d+)?)W)?(?:(?P<D>\d+(?:\.\d+)?)D)?"
                      r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?"
                      r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?$")
# Days in each unit of a duration: a month as a twelfth of a year, so that R/P1M and
# R/P1Y agree (12 months = 365 days); hours, minutes and seconds as parts of a day.
UNIT_DAYS = {"Y": 365.0, "M": 365.0 / 12, "W": 7.0, "D": 1.0, "h": 1 / 24, "m": 1 / 1440,
             "s": 1 / 86400}
ACCESS_LEVELS = ("public", "restricted public", "non-public")


@dataclass(frozen=True)
class CatalogEntry:
    """One dataset of a catalog, in the fields a data inventory asks for (GovEx's guide:
    name, contents, update frequency, licence, owner, privacy, source) and DCAT's.

    Text fields are "" and dates None when the catalog leaves them out.
    """

    identifier: str
    title: str
    description: str = ""
    department: str = ""
    contact_name: str = ""
    contact_email: str = ""
    license: str = ""
    frequency: str = ""  # an ISO 8601 repeating duration (R/P1M) or "irregular"
    modified: pd.Timestamp | None = None
    issued: pd.Timestamp | None = None
    access_level: str = ""  # public, restricted public or non-public
    rights: str = ""  # the sensitivity note: why not public, what is private
    source: str = ""  # the system or office the data comes from
    keywords: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()  # lower case: csv, json, xlsx...
    distributions: tuple[dict[str, str], ...] = field(default=())  # url, media_type, format
    landing_page: str = ""


def frequency_days(frequency: str | None) -> float | None:
    """The days between updates a frequency declares; None for irregular or unreadable.

    >>> frequency_days("R/P1M"), frequency_days("R/P0.5M"), frequency_days("irregular")
    (30.416666666666668, 15.208333333333334, None)
    """
    if not frequency or frequency == "irregular":
        return None
    found = DURATION.match(frequency.strip())
    if not found or not any(found.groupdict().values()):
        return None
    days = sum(float(value) * UNIT_DAYS[unit] for unit, value in found.groupdict().items()
               if value)
    return days or None


def normal_frequency(raw: Any) -> str:
    """A frequency as DCAT-US 1.1 writes it: an ISO repeating duration or "irregular".

    >>> normal_frequency("Monthly"), normal_frequency("P1D"), normal_frequency("eventual")
    ('R/P1M', 'R/P1D', 'irregular')
    """
    text = _text(raw).lower()
    if not text:
        return ""
    if text in FREQUENCY_WORDS:
        return FREQUENCY_WORDS[text]
    upper = text.upper()
    if upper.startswith("P"):
        upper = "R/" + upper
    upper = re.sub(r"^R\d+/", "R/", upper)
    return upper if frequency_days(upper) is not None else ""


def parse_catalog(document: Any) -> tuple[CatalogEntry, ...]:
    """Every dataset of a catalog: a DCAT ``data.json`` (1.0 list or 1.1 object), a CKAN
    ``package_search`` answer, or a list of CKAN packages.

    Entries that describe the catalog itself (Socrata lists its own ``data.json``) are left
    out: they are not data the city holds.
    """
    if isinstance(document, Mapping):
        if "dataset" in document:
            items = document["dataset"]
        elif "result" in document:
            result = document["result"]
            items = result.get("results", []) if isinstance(result, Mapping) else result
        else:
            items = [document]
    elif isinstance(document, list):
        items = document
    else:
        raise PortalError("The catalog is neither a data.json file nor a list of CKAN "
                          "packages: check the address in the city file's sources.catalog.")
    entries = []
    for number, item in enumerate(items or []):
        if not isinstance(item, Mapping):
            continue
        entry = _ckan_entry(item) if _is_ckan(item) else _dcat_entry(item, number)
        if not _is_catalog_itself(item):
            entries.append(entry)
    return tuple(entries)


def read_catalog_file(path: Any) -> tuple[CatalogEntry, ...]:
    """The entries of a catalog saved as one JSON file (``data.json``, or CKAN packages)."""
    with open(path, encoding="utf-8") as file:
        return parse_catalog(json.load(file))


def catalog_records(table: pd.DataFrame) -> list[Any]:
    """The datasets of a cached catalog download (one JSON text a row), as read."""
    return [json.loads(text) for text in table["record"]]


# --- downloading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogQuery:
    """A city's catalog: a ``data.json`` address (``form="dcat"``) or a CKAN portal."""

    url: str
    form: str = "dcat"
    page_size: int = DEFAULT_PAGE_SIZE

    @property
    def label(self) -> str:
        what = "data.json" if self.form == "dcat" else "CKAN catalog"
        return f"{portal_name(self.url)} {what}"

    def cache_query(self) -> dict[str, Any]:
        return {"kind": "catalog", "name": self.form, "url": self.url}


def fetch_catalog(query: CatalogQuery, client: PortalClient) -> PortalDownload:
    """Download the whole catalog: one row per dataset, its record as JSON text."""
    if query.form == "dcat":
        document = client.get_json(query.url, what=query.label)
        records = _dcat_items(document, query)
        expected = None
    else:
        records, expected = _ckan_packages(query, client)
    table = pd.DataFrame({"record": [json.dumps(r, ensure_ascii=False, sort_keys=True)
                                     for r in records]}, dtype="string")
    return PortalDownload(table=table, rows_expected=expected, label=query.label,
                          details={"form": query.form})


def _dcat_items(document: Any, query: CatalogQuery) -> list[Any]:
    if isinstance(document, Mapping) and isinstance(document.get("dataset"), list):
        return list(document["dataset"])
    if isinstance(document, list):
        return document
    raise PortalError(f"{query.label} is not a data.json catalog (no list of datasets). "
                      "Check sources.catalog.url: it should end in /data.json.")


def _ckan_packages(query: CatalogQuery, client: PortalClient) -> tuple[list[Any], int]:
    url = f"{query.url}/api/3/action/package_search"
    packages: list[Any] = []
    total = None
    while total is None or len(packages) < total:
        answer = client.get_json(url, {"rows": query.page_size, "start": len(packages)},
                                 what=query.label)
        result = answer.get("result") if isinstance(answer, Mapping) else None
        if not isinstance(result, Mapping) or not answer.get("success", True):
            raise PortalError(f"{query.label} did not answer as a CKAN portal does. Check "
                              "sources.catalog.url: the portal's address, without /api.")
        total = int(result.get("count") or 0)
        page = list(result.get("results") or [])
        if not page:
            break
        packages.extend(page)
    if len(packages) != total:
        raise PortalError(f"{query.label} said it lists {total:,} datasets but sent "
                          f"{len(packages):,}. Nothing was saved; try again later.")
    return packages, total


# --- reading one record --------------------------------------------------------------------


def _is_ckan(item: Mapping) -> bool:
    return "resources" in item or "notes" in item or "organization" in item


def _is_catalog_itself(item: Mapping) -> bool:
    identifier = _text(item.get("identifier"))
    return identifier.endswith("/data.json")


def _dcat_entry(item: Mapping, number: int) -> CatalogEntry:
    publisher = item.get("publisher")
    department = _text(publisher.get("name") if isinstance(publisher, Mapping) else publisher)
    contact = item.get("contactPoint")
    if isinstance(contact, Mapping):
        name, email = _text(contact.get("fn")), _text(contact.get("hasEmail"))
    else:
        name, email = _text(contact), _text(item.get("mbox"))
    distributions = [_dcat_distribution(d) for d in _as_list(item.get("distribution"))]
    if not distributions and (item.get("downloadURL") or item.get("accessURL")):
        distributions = [_dcat_distribution(item)]
    access = _text(item.get("accessLevel")).lower()
    return CatalogEntry(
        identifier=_text(item.get("identifier")) or f"dataset-{number + 1}",
        title=_text(item.get("title")),
        description=_text(item.get("description")),
        department=department,
        contact_name=name, contact_email=_email(email),
        license=_text(item.get("license")),
        frequency=normal_frequency(item.get("accrualPeriodicity") or item.get("frequency")),
        modified=_date(item.get("modified")),
        issued=_date(item.get("issued") or item.get("releaseDate")),
        access_level=access if access in ACCESS_LEVELS else "",
        rights=_text(item.get("rights") or item.get("accessLevelComment")),
        source=_text(item.get("source") or item.get("dataSource")),
        keywords=_keywords(item.get("keyword") or item.get("keywords")),
        formats=_formats(distributions),
        distributions=tuple(d for d in distributions if d["url"]),
        landing_page=_text(item.get("landingPage")),
    )


def _dcat_distribution(item: Any) -> dict[str, str]:
    if not isinstance(item, Mapping):
        return {"url": "", "media_type": "", "format": ""}
    media = _text(item.get("mediaType"))
    label = _text(item.get("format"))
    formats = item.get("formats")
    if isinstance(formats, list) and formats and isinstance(formats[0], Mapping):
        label = label or _text(formats[0].get("label"))
        media = media or _text(formats[0].get("value"))
    if "/" in label and not media:  # Project Open Data 1.0 put the media type in "format"
        media = label
    url = _text(item.get("downloadURL") or item.get("accessURL"))
    return {"url": url, "media_type": media, "format": _format_name(label or media)}


def _ckan_entry(item: Mapping) -> CatalogEntry:
    extras = {str(e.get("key")): e.get("value") for e in _as_list(item.get("extras"))
              if isinstance(e, Mapping)}
    organization = item.get("organization")
    department = _text(organization.get("title") if isinstance(organization, Mapping) else "")
    resources = [r for r in _as_list(item.get("resources")) if isinstance(r, Mapping)]
    distributions = [{"url": _text(r.get("url") or r.get("accessURL")),
                      "media_type": _text(r.get("mimetype")),
                      "format": _format_name(_text(r.get("format")))} for r in resources]
    private = item.get("private") is True
    return CatalogEntry(
        identifier=_text(item.get("name") or item.get("id")),
        title=_text(item.get("title")),
        description=_text(item.get("notes")),
        department=department or _text(item.get("author")),
        contact_name=_text(item.get("maintainer") or item.get("author")),
        contact_email=_email(_text(item.get("maintainer_email") or item.get("author_email"))),
        license=_text(item.get("license_url") or item.get("license_title")
                      or ("" if item.get("license_id") in (None, "", "notspecified")
                          else item.get("license_id"))),
        frequency=normal_frequency(extras.get("accrualPeriodicity")),
        modified=_date(extras.get("modified") or item.get("metadata_modified")),
        issued=_date(extras.get("issued") or item.get("metadata_created")),
        access_level="non-public" if private else "public",
        rights=_text(extras.get("rights")),
        source=_text(extras.get("source")),
        keywords=tuple(_text(t.get("name")) for t in _as_list(item.get("tags"))
                       if isinstance(t, Mapping) and _text(t.get("name"))),
        formats=_formats(distributions),
        distributions=tuple(d for d in distributions if d["url"]),
        landing_page=_text(item.get("url")),
    )


def _formats(distributions: Iterable[Mapping[str, str]]) -> tuple[str, ...]:
    seen: list[str] = []
    for distribution in distributions:
        name = distribution["format"]
        if name and name not in seen:
            seen.append(name)
    return tuple(seen)


def _format_name(text: str) -> str:
    """A format's short name: ``text/csv`` and ``CSV`` are both ``csv``."""
    text = text.strip().lower()
    if "/" in text:
        text = text.split("/")[-1]
    text = {"vnd.ms-excel": "xls", "excel": "xls", "geo+json": "geojson",
            "vnd.google-earth.kml+xml": "kml", "xml+rdf": "rdf", "rdf+xml": "rdf",
            "plain": "txt", "zip": "zip", "x-zip-compressed": "zip",
            "vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx"}.get(text, text)
    return text


def _keywords(raw: Any) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = raw.split(",")
    return tuple(k for k in (_text(k) for k in _as_list(raw)) if k)


def _email(text: str) -> str:
    text = text.strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:"):]
    return text if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text) else ""


def _date(raw: Any) -> pd.Timestamp | None:
    text = _text(raw)
    if not text:
        return None
    try:
        stamp = pd.Timestamp(text[:10])
    except (ValueError, TypeError):
        return None
    return None if pd.isna(stamp) else stamp


def _as_list(raw: Any) -> list[Any]:
    if raw is None:
        return []
    return list(raw) if isinstance(raw, list | tuple) else [raw]


def _text(raw: Any) -> str:
    if raw is None or (isinstance(raw, float) and raw != raw):
        return ""
    return " ".join(str(raw).split())
