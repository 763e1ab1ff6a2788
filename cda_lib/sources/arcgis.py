"""Download a layer of an ArcGIS feature service (``.../FeatureServer/0``) through its ``query``.

First the layer's description (``?f=json``): its object-id field, its largest page
(``maxRecordCount``, fixed when the service was published), its date fields and
whether it can page. Then the count of matching features (``returnCountOnly``), then:

- **paging**, on servers that support it (ArcGIS 10.3 and later): ``resultOffset`` and
  ``resultRecordCount``, ordered by ``orderByFields`` (the object id last, so ties
  cannot swap), asking again while ``exceededTransferLimit`` is true and advancing by
  the features actually returned (a server may return fewer than asked);
- **object ids**, on servers that cannot page: all matching ids (``returnIdsOnly`` has
  no size limit), then the features in chunks of ids, each chunk checked complete.

The features received must be as many as the count, each object id once; dates
(milliseconds since 1970, UTC) become local date-times when the city file names a
time zone. Points come back in WGS84 degrees as ``geometry_long``/``geometry_lat``.

>>> ArcGisQuery("https://maps.city.gov/arcgis/rest/services/311/FeatureServer/0").label
'maps.city.gov layer 311/0 (ArcGIS)'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import pandas as pd
import requests

from cda_lib.core.errors import PortalError
from cda_lib.sources.http import (
    BadResponseError,
    PortalClient,
    PortalDownload,
    check_row_count,
    download_progress,
    parse_json,
    portal_name,
)

# Many services are published with 1,000 or 2,000; a layer that states none gets 1,000.
DEFAULT_MAX_RECORD_COUNT = 1000
WGS84 = "4326"  # latitude and longitude in degrees, as the canonical lat/long columns hold
GEOMETRY_COLUMNS = ("geometry_long", "geometry_lat")
DATE_FIELD = "esriFieldTypeDate"
OID_FIELD = "esriFieldTypeOID"
# ArcGIS reports some failures inside an HTTP 200 answer; these codes can pass on a new try.
RETRY_ERROR_CODES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class ArcGisQuery:
    """What to download from one feature-service layer. ``end`` is the last day included."""

    url: str
    date_column: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    where: str | None = None
    order_by: str | None = None
    time_zone: str | None = None
    page_size: int | None = None
    kind: ClassVar[str] = "arcgis"

    @property
    def layer_url(self) -> str:
        """The layer's address without a trailing ``/query`` or slash."""
        return re.sub(r"/query/?$", "", self.url.rstrip("/"))

    @property
    def name(self) -> str:
        """``<service>/<layer>``, e.g. ``311/0``."""
        match = re.search(r"/services/(.+?)/(?:FeatureServer|MapServer)/(\d+)$", self.layer_url)
        return f"{match.group(1)}/{match.group(2)}" if match else self.layer_url

    @property
    def label(self) -> str:
        return f"{portal_name(self.url)} layer {self.name} (ArcGIS)"

    def cache_query(self) -> dict[str, Any]:
        """What decides the rows (not the page size)."""
        return {"kind": self.kind, "url": self.layer_url, "dataset": self.name,
                "date_column": self.date_column, "start": _iso(self.start),
                "end": _iso(self.end), "where": self.where, "order_by": self.order_by,
                "time_zone": self.time_zone}

    def where_clause(self, until: dt.date | None) -> str:
        """The SQL ``where``: the date window (local midnights, sent in UTC when the city
        file names a time zone), then the city file's own filter; ``1=1`` for everything.

        >>> ArcGisQuery("u", date_column="ADDDATE", start=dt.date(2024, 1, 1),
        ...             time_zone="America/New_York").where_clause(until=None)
        "ADDDATE >= TIMESTAMP '2024-01-01 05:00:00'"
        """
        parts = []
        if self.date_column and self.start:
            parts.append(f"{self.date_column} >= TIMESTAMP '{self._utc(self.start)}'")
        last_day = self.end or (until - dt.timedelta(days=1) if until else None)
        if self.date_column and last_day:
            after = last_day + dt.timedelta(days=1)
            parts.append(f"{self.date_column} < TIMESTAMP '{self._utc(after)}'")
        if self.where:
            parts.append(f"({self.where})")
        return " AND ".join(parts) or "1=1"

    def _utc(self, day: dt.date) -> str:
        moment = dt.datetime.combine(day, dt.time())
        if self.time_zone:
            moment = moment.replace(tzinfo=ZoneInfo(self.time_zone)).astimezone(dt.UTC)
        return moment.strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class _Layer:
    oid_field: str
    max_record_count: int
    supports_pagination: bool
    date_fields: tuple[str, ...]
    field_names: tuple[str, ...]


def fetch_arcgis(query: ArcGisQuery, client: PortalClient, *, until: dt.date | None = None,
                 progress: bool | None = None) -> PortalDownload:
    """Download every feature the query selects, checked against the server's own count."""
    layer = describe_layer(query, client)
    where = query.where_clause(until)
    expected = _count(query, client, where)
    page_size = min(query.page_size or layer.max_record_count, layer.max_record_count)
    with download_progress(expected, query.name, show=progress) as advance:
        if layer.supports_pagination:
            records, pages = _by_pages(query, client, layer, where, expected, page_size, advance)
            method = "paging"
        else:
            records, pages = _by_object_ids(query, client, layer, where, expected, page_size,
                                            advance)
            method = "object ids"
    check_row_count(len(records), expected, portal=portal_name(query.url),
                    what=f"layer {query.name}{' for this window' if where != '1=1' else ''}")
    _check_unique_ids(records, layer.oid_field, query)
    table = _table(records, layer, query.time_zone)
    details = {"where": where, "method": method, "pages": pages,
               "window_end": _iso(query.end or (until - dt.timedelta(days=1) if until else None))}
    return PortalDownload(table=table, rows_expected=expected, label=query.label,
                          details=details)


def describe_layer(query: ArcGisQuery, client: PortalClient) -> _Layer:
    """The layer's object-id field, page limit, date fields and paging support."""
    body = _get(client, query.layer_url, {"f": "json"}, f"the description of layer {query.name}")
    fields = body.get("fields") or []
    oid = body.get("objectIdField") or next(
        (f.get("name") for f in fields if f.get("type") == OID_FIELD), None)
    if not oid:
        raise PortalError(
            f"{portal_name(query.url)} did not describe layer {query.name} as a feature layer "
            "(it names no object-id field). Check that the url ends with the layer number, "
            "e.g. .../FeatureServer/0."
        )
    capabilities = body.get("advancedQueryCapabilities") or {}
    return _Layer(
        oid_field=str(oid),
        max_record_count=int(body.get("maxRecordCount") or DEFAULT_MAX_RECORD_COUNT),
        supports_pagination=bool(capabilities.get("supportsPagination", False)),
        date_fields=tuple(f["name"] for f in fields if f.get("type") == DATE_FIELD),
        field_names=tuple(f["name"] for f in fields if "name" in f),
    )


def _count(query: ArcGisQuery, client: PortalClient, where: str) -> int:
    body = _get(client, f"{query.layer_url}/query",
                {"where": where, "returnCountOnly": "true", "f": "json"},
                f"the number of features in layer {query.name}")
    if not isinstance(body.get("count"), int):
        raise PortalError(f"{portal_name(query.url)} did not say how many features layer "
                          f"{query.name} has. Check the url and the where filter.")
    return body["count"]


def _feature_params(where: str) -> dict[str, str]:
    return {"where": where, "outFields": "*", "returnGeometry": "true", "outSR": WGS84,
            "f": "json"}


def _by_pages(query: ArcGisQuery, client: PortalClient, layer: _Layer, where: str,
              expected: int, page_size: int, advance) -> tuple[list[dict], int]:
    order = query.order_by or layer.oid_field
    if layer.oid_field not in [part.strip().split(" ")[0] for part in order.split(",")]:
        order = f"{order}, {layer.oid_field}"
    records: list[dict] = []
    pages = 0
    # Each round either brings at least one feature or ends, so expected + 1 rounds suffice.
    for _ in range(expected + 1):
        params = {**_feature_params(where), "orderByFields": order,
                  "resultOffset": len(records), "resultRecordCount": page_size}
        body = _get(client, f"{query.layer_url}/query", params,
                    f"features {len(records):,}+ of layer {query.name}")
        features = _features(body)
        records.extend(features)
        pages += 1
        advance(len(features))
        more = body.get("exceededTransferLimit")
        if more is True and not features:
            raise PortalError(f"{portal_name(query.url)} says layer {query.name} has more "
                              "features but sent none. Nothing was saved. Try again later.")
        # Servers older than 10.3.1 do not flag paged answers: go on while the count says so.
        if more is True or (more is None and features and len(records) < expected):
            continue
        break
    return records, pages


def _by_object_ids(query: ArcGisQuery, client: PortalClient, layer: _Layer, where: str,
                   expected: int, chunk_size: int, advance) -> tuple[list[dict], int]:
    body = _get(client, f"{query.layer_url}/query",
                {"where": where, "returnIdsOnly": "true", "f": "json"},
                f"the object ids of layer {query.name}")
    ids = sorted(body.get("objectIds") or [])
    check_row_count(len(ids), expected, portal=portal_name(query.url),
                    what=f"layer {query.name} (counting its object ids)")
    records: list[dict] = []
    chunks = 0
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start:start + chunk_size]
        found = _fetch_ids(query, client, layer, chunk)
        records.extend(found)
        chunks += 1
        advance(len(found))
    return records, chunks


def _fetch_ids(query: ArcGisQuery, client: PortalClient, layer: _Layer,
               chunk: list[int]) -> list[dict]:
    """The features of one chunk of ids; ids the server skipped are asked for again."""
    wanted = list(chunk)
    found: list[dict] = []
    for _ in range(client.policy.attempts):
        form = {**_feature_params("1=1"), "objectIds": ",".join(map(str, wanted))}
        del form["where"]
        body = _post(client, f"{query.layer_url}/query", form,
                     f"{len(wanted):,} features of layer {query.name} by object id")
        features = _features(body)
        found.extend(features)
        got = {feature["attributes"].get(layer.oid_field) for feature in features}
        wanted = [oid for oid in wanted if oid not in got]
        if not wanted:
            return found
    raise PortalError(
        f"{portal_name(query.url)} did not send {len(wanted):,} features of layer "
        f"{query.name} (object ids such as {wanted[0]}) after {client.policy.attempts} tries. "
        "Nothing was saved. Try again later: the layer may be changing while it downloads."
    )


def _get(client: PortalClient, url: str, params: dict[str, Any], what: str) -> dict:
    return client.request("GET", url, params=params, what=what, parse=_parse_arcgis)


def _post(client: PortalClient, url: str, form: dict[str, Any], what: str) -> dict:
    return client.request("POST", url, data=form, what=what, parse=_parse_arcgis)


def _parse_arcgis(response: requests.Response) -> dict:
    """The JSON answer; an error reported inside an HTTP 200 answer is raised as such."""
    body = parse_json(response)
    if not isinstance(body, dict):
        raise BadResponseError("the answer is not an ArcGIS JSON object")
    error = body.get("error")
    if isinstance(error, dict):
        code = error.get("code")
        message = str(error.get("message") or "").strip()
        details = " ".join(str(d) for d in error.get("details") or [])
        if code in RETRY_ERROR_CODES:
            raise BadResponseError(f"the server reported error {code}: {message}")
        raise PortalError(
            f"The ArcGIS server refused the query (error {code}: {message} {details}".rstrip()
            + "). Check the url, the date column and the where filter in the city file."
        )
    return body


def _features(body: dict) -> list[dict]:
    features = body.get("features")
    if not isinstance(features, list):
        raise PortalError("The ArcGIS server answered a query without a list of features. "
                          "Check that the url is a feature layer, e.g. .../FeatureServer/0.")
    return features


def _check_unique_ids(records: list[dict], oid_field: str, query: ArcGisQuery) -> None:
    ids = [record.get("attributes", {}).get(oid_field) for record in records]
    if len(set(ids)) != len(ids):
        raise PortalError(
            f"{portal_name(query.url)} sent some features of layer {query.name} twice (and so "
            "may have skipped others). Nothing was saved. Try again later, or set order_by in "
            "the city file to a column that is unique."
        )


def _table(records: Iterable[dict], layer: _Layer, time_zone: str | None) -> pd.DataFrame:
    rows = []
    for feature in records:
        row = dict(feature.get("attributes") or {})
        geometry = feature.get("geometry") or {}
        if "x" in geometry and "y" in geometry:
            row[GEOMETRY_COLUMNS[0]], row[GEOMETRY_COLUMNS[1]] = geometry["x"], geometry["y"]
        rows.append(row)
    columns = list(dict.fromkeys(list(layer.field_names) + [k for row in rows for k in row]))
    table = pd.DataFrame.from_records(rows, columns=columns)
    for name in layer.date_fields:
        if name in table:
            table[name] = _local_datetimes(table[name], time_zone)
    return table


def _local_datetimes(values: pd.Series, time_zone: str | None) -> pd.Series:
    """Milliseconds since 1970 (UTC) as date-times in the city's time zone, without the zone."""
    moments = pd.to_datetime(pd.to_numeric(values, errors="coerce"), unit="ms", utc=True)
    if time_zone:
        moments = moments.dt.tz_convert(time_zone)
    return moments.dt.tz_localize(None).astype("datetime64[ns]")


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
