"""A city's portal sources: the query from the city file, the cache, the download when needed.

For each portal source of a city file (``kind: socrata``, ``arcgis``, ``ckan`` or
``census_acs``) this module builds the connector's query, looks in the cache, and
downloads only when the copy is missing (or older than the source's ``refresh_days``,
or ``refresh=True``). Working offline (``offline=True``, ``cda check-data --offline``,
or the environment variable ``CDA_OFFLINE=1``, which notebooks see too) it uses the
cache only, and says what to run while online when the copy is missing.

Tokens are read from the environment variable the city file names (``token_env``,
``key_env``) at the moment of a download, handed to the client as a header (or, for
the Census API, its ``key`` parameter) and marked secret, so they appear in no
message, log line, cache file or notice.

Service requests from a portal go through the same
:func:`~cda_lib.sources.conform.conform_service_requests` as local files, with the
city file's column mapping, so the account (rows read = kept + set aside) is the same.

>>> offline_mode(True), offline_mode(False)
(True, False)
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from cda_lib.cities.city import City, DataSource
from cda_lib.core import paths
from cda_lib.core.errors import NotCachedError, PortalError
from cda_lib.sources import cache
from cda_lib.sources.arcgis import ArcGisQuery, fetch_arcgis
from cda_lib.sources.catalog import CatalogQuery, fetch_catalog
from cda_lib.sources.census import (
    CensusQuery,
    DistrictDemographics,
    district_demographics,
    fetch_acs as fetch_census,
)
from cda_lib.sources.ckan import CkanQuery, fetch_ckan
from cda_lib.sources.conform import LoadResult, conform_service_requests
from cda_lib.sources.http import (
    PortalClient,
    PortalDownload,
    RetryPolicy,
    check_sendable_headers,
    portal_name,
)
from cda_lib.sources.mapping import ColumnMapping, load_mapping
from cda_lib.sources.socrata import SocrataQuery, fetch_socrata
from cda_lib.text.dates import format_date
from cda_lib.text.translation import gettext as _

OFFLINE_VARIABLE = "CDA_OFFLINE"
OFFLINE_WORDS = ("1", "true", "yes", "on")
SERVICE_REQUEST_KINDS = ("socrata", "arcgis", "ckan")
CENSUS_KIND = "census_acs"
PORTAL_KINDS = (*SERVICE_REQUEST_KINDS, CENSUS_KIND)
# How each portal takes a token: Socrata's app token and CKAN's API token as headers.
TOKEN_HEADERS = {"socrata": "X-App-Token", "ckan": "Authorization", "dcat": "X-App-Token"}
TABLE_WORDS = {"service_requests": "service requests", "demographics": "district demographics",
               "catalog": "data catalog"}

Query = SocrataQuery | ArcGisQuery | CkanQuery | CensusQuery | CatalogQuery
CATALOG_TABLE = "catalog"  # sources.catalog: the city's data catalog (page 2.2)


def offline_mode(offline: bool | None = None) -> bool:
    """True when only the cache may be used: as asked, else as ``CDA_OFFLINE`` says."""
    if offline is not None:
        return offline
    return os.environ.get(OFFLINE_VARIABLE, "").strip().lower() in OFFLINE_WORDS


def is_portal_source(source: DataSource) -> bool:
    """True for the kinds that download from a portal (a catalog, too)."""
    return source.kind in PORTAL_KINDS or source.table == CATALOG_TABLE


def query_for(source: DataSource) -> Query:
    """The connector query a city file's source asks for (its options already checked)."""
    options = source.options
    if source.table == CATALOG_TABLE:
        return CatalogQuery(url=options["url"], form=source.kind, **_page_size(options))
    window = {"date_column": options.get("where_date_column"), "start": _day(options, "start"),
              "end": _day(options, "end"), "where": options.get("where")}
    if source.kind == "socrata":
        return SocrataQuery(url=options["url"], dataset=options["dataset"],
                            order=options.get("order"), file_format=options.get("format", "json"),
                            **_page_size(options), **window)
    if source.kind == "arcgis":
        return ArcGisQuery(url=options["url"], order_by=options.get("order_by"),
                           time_zone=options.get("time_zone"),
                           page_size=options.get("page_size"), **window)
    if source.kind == "ckan":
        return CkanQuery(url=options["url"], resource_id=str(options["resource_id"]),
                         filters=dict(options.get("filters") or {}), sort=options.get("sort"),
                         **_page_size(options))
    if source.kind == CENSUS_KIND:
        return CensusQuery(year=int(options["year"]), variables=dict(options["variables"]),
                           geography=options.get("geography", "tract"),
                           within=dict(options.get("within") or {}),
                           dataset=options.get("dataset", "acs/acs5"),
                           **({"url": options["url"]} if options.get("url") else {}))
    raise PortalError(f'"{source.kind}" is not a portal source kind.')


def cached_file(city: City, table: str, *, offline: bool | None = None,
                refresh: bool = False) -> tuple[Path, dict[str, Any]]:
    """The cached Parquet file of the city's ``table`` and its description, downloading it
    first when needed and allowed; the table itself is not read (see cda_lib.metrics.engine)."""
    source = city.sources[table]
    found = cache.entry_info(query_for(source).cache_query())
    usable = found is not None and not refresh and not _stale(found[1], source.options)
    if usable or (found is not None and offline_mode(offline)):
        return found
    entry = cached_table(city, table, offline=offline, refresh=refresh)
    return entry.path, entry.info


def cached_table(city: City, table: str, *, offline: bool | None = None, refresh: bool = False,
                 policy: RetryPolicy | None = None,
                 progress: bool | None = None) -> cache.CacheEntry:
    """The city's ``table`` from the cache, downloading it first when needed and allowed."""
    source = city.sources[table]
    query = query_for(source)
    entry = cache.read_entry(query.cache_query())
    if offline_mode(offline):
        if entry is None:
            raise NotCachedError(
                f"{city.name}'s {TABLE_WORDS.get(table, table)} ({query.label}) have not been "
                f"downloaded yet, and the workbook is working offline. While online, run "
                f"`cda check-data {city.id}` once to download them into the cache "
                f"({paths.cache_dir()}); offline runs then use that copy."
            )
        return entry
    if entry is not None and not refresh and not _stale(entry.info, source.options):
        return entry
    download = download_source(source, query, policy=policy, progress=progress)
    info = {"label": download.label, "fetched_at": _now().isoformat(),
            "rows_expected": download.rows_expected, "details": download.details,
            "city": city.id, "table": table}
    return cache.write_entry(query.cache_query(), download.table, info)


def download_source(source: DataSource, query: Query, *, policy: RetryPolicy | None = None,
                    progress: bool | None = None) -> PortalDownload:
    """Download one source now (no cache), with the token the city file names, if any."""
    options = source.options
    if policy is None and options.get("timeout_seconds"):
        policy = RetryPolicy(read_timeout=float(options["timeout_seconds"]))
    headers, params, secrets = _credentials(source)
    today = dt.date.today()
    with PortalClient(portal_name(query.url), policy, headers=headers, params=params,
                      secrets=secrets) as client:
        if isinstance(query, SocrataQuery):
            return fetch_socrata(query, client, until=today, progress=progress)
        if isinstance(query, ArcGisQuery):
            return fetch_arcgis(query, client, until=today, progress=progress)
        if isinstance(query, CkanQuery):
            return fetch_ckan(query, client, progress=progress)
        if isinstance(query, CatalogQuery):
            return fetch_catalog(query, client)
        return fetch_census(query, client)


def load_portal_service_requests(city: City, *, offline: bool | None = None,
                                 refresh: bool = False, policy: RetryPolicy | None = None,
                                 progress: bool | None = None
                                 ) -> tuple[LoadResult, pd.Timestamp, str]:
    """The city's service requests from its portal (or the cache): result, as-of, description.

    The as-of moment is when the download finished: requests opened after it are
    future dates, and open requests are open as of then.
    """
    source = city.sources["service_requests"]
    entry = cached_table(city, "service_requests", offline=offline, refresh=refresh,
                         policy=policy, progress=progress)
    mapping = resolve_mapping(city, source.options["mapping"])
    as_of = entry.fetched_at
    result = conform_service_requests(entry.table, mapping, source=entry.label, as_of=as_of,
                                      time_zone=city.time_zone,
                                      districts=city.district_names_by_id())
    return result, as_of, describe_entry(city, entry)


def load_census_demographics(city: City, *, offline: bool | None = None, refresh: bool = False,
                             policy: RetryPolicy | None = None) -> DistrictDemographics:
    """The city's district demographics from the Census ACS API (or the cache)."""
    source = city.sources["demographics"]
    entry = cached_table(city, "demographics", offline=offline, refresh=refresh, policy=policy)
    query = query_for(source)
    if not isinstance(query, CensusQuery):
        raise PortalError(f"{city.name}'s demographics source is not kind census_acs.")
    return district_demographics(
        entry.table, query, districts=source.options["districts"],
        district_names={d.id: d.name for d in city.districts},
        shares=source.options.get("shares"),
    )


def prefetch_city_sources(city: City, *, offline: bool | None = None,
                          progress: bool | None = None) -> list[cache.CacheEntry]:
    """Make sure every portal source of the city is in the cache (before a build).

    A catalog that cannot be had does not stop the build: page 2.2 says why and goes on."""
    entries = []
    for table, source in city.sources.items():
        if not is_portal_source(source):
            continue
        try:
            entries.append(cached_table(city, table, offline=offline, progress=progress))
        except (PortalError, NotCachedError):
            if table != CATALOG_TABLE:
                raise
    return entries


def describe_entry(city: City, entry: cache.CacheEntry) -> str:
    """E.g. ``Riverbend 311, data.city.gov dataset abcd-1234 (Socrata), downloaded 3 May 2026``."""
    window_end = (entry.info.get("details") or {}).get("window_end")
    downloaded = format_date(entry.fetched_at, "day_long")
    if window_end:
        return _("{city} 311, {source}, downloaded {downloaded}, requests to {end}",
                 city=city.name, source=entry.label, downloaded=downloaded,
                 end=format_date(pd.Timestamp(window_end), "day_long"))
    return _("{city} 311, {source}, downloaded {downloaded}", city=city.name,
             source=entry.label, downloaded=downloaded)


def resolve_mapping(city: City, mapping: str | Path) -> ColumnMapping:
    """A mapping by name (in datasets/mappings/) or by path (relative to the city file)."""
    mapping_path = Path(str(mapping))
    if mapping_path.suffix in {".yaml", ".yml"} and not mapping_path.is_absolute():
        base = city.path.parent if city.path is not None else paths.cities_dir()
        mapping_path = base / mapping_path
        return load_mapping(mapping_path)
    return load_mapping(mapping)


def _credentials(source: DataSource) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Headers, parameters and the secrets to hide, from the variable the city file names."""
    variable = source.options.get("token_env") or source.options.get("key_env")
    if not variable:
        return {}, {}, []
    value = os.environ.get(str(variable), "").strip()
    if not value:
        field = "token_env" if source.options.get("token_env") else "key_env"
        raise PortalError(
            f"The city file says the {source.table.replace('_', ' ')} token is in the "
            f"environment variable {variable}, which is not set. Set it before starting "
            f"(export {variable}=...), or remove `{field}` to download without one."
        )
    if source.kind == CENSUS_KIND:
        return {}, {"key": value}, [value]
    headers = {TOKEN_HEADERS[source.kind]: value}
    check_sendable_headers(headers, str(variable))
    return headers, {}, [value]


def _stale(info: Mapping[str, Any], options: Mapping[str, Any]) -> bool:
    """Older than the city file's ``refresh_days``: download it again."""
    days = options.get("refresh_days")
    if days is None:
        return False
    return _now() - pd.Timestamp(info["fetched_at"]) > pd.Timedelta(days=float(days))


def _now() -> pd.Timestamp:
    return pd.Timestamp.now().floor("s")


def _day(options: Mapping[str, Any], name: str) -> dt.date | None:
    value = options.get(name)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _page_size(options: Mapping[str, Any]) -> dict[str, int]:
    return {"page_size": int(options["page_size"])} if options.get("page_size") else {}
