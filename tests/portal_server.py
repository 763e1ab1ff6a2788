"""A small open-data portal on 127.0.0.1 that speaks four protocols and misbehaves on demand.

It serves one table of generated service requests as a Socrata dataset
(``/resource/<id>.json`` and ``.csv``), an ArcGIS feature layer
(``/arcgis/rest/services/Requests/FeatureServer/0``) and a CKAN DataStore resource
(``/api/3/action/datastore_search``), and a table of census tracts as the Census ACS
API (``/data/<year>/acs/acs5``). It behaves like the real services where the tests
depend on it:

- without an explicit order (``$order``, ``orderByFields``, ``sort``) rows come in a
  different order on every request, as real portals are free to do;
- Socrata leaves out empty values from JSON rows and names the columns in the
  ``X-SODA2-Fields`` header;
- CKAN silently lowers a ``limit`` above ``ckan_rows_max`` and echoes the lowered one;
- ArcGIS pages at most ``arcgis_max_records`` features, flags ``exceededTransferLimit``,
  and (with ``arcgis_pagination=False``) refuses ``resultOffset`` like a pre-10.3 server;
- the Census API refuses more than 50 names in one ``get``.

Faults are scheduled with :meth:`PortalServer.fail`: the n-th request to an endpoint
(and the ones after it, ``times`` in all) gets the fault. Every request is recorded,
headers included, so tests can check what the client sent.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

DATASET = "abcd-1234"
RESOURCE_ID = "5a7c1c1d-0000-4000-8000-000000000311"
LAYER_PATH = "/arcgis/rest/services/Requests/FeatureServer/0"
ARCGIS_ZONE = "America/Chicago"  # the layer stores UTC; the rows' local times are Chicago's
FIELDS = ("sr_number", "created_date", "closed_date", "sr_type", "status", "department",
          "ward", "latitude", "longitude", "channel")
FAULTS = ("rate_limit", "server_error", "drop", "truncated_json", "slow", "short_page",
          "arcgis_error", "wrong_count", "skip_ids", "short_page_no_flag", "repeat_page",
          "redirect", "refuse")

# --- generated data -----------------------------------------------------------------------

BASE_TIME = dt.datetime(2023, 12, 1)
STEP = dt.timedelta(hours=7)  # row i is opened at BASE_TIME + i × 7 hours
TYPES = (("Pothole", "Streets"), ("Graffiti", "Public Works"), ("Streetlight Out", "Lighting"),
         ("Missed Collection", "Sanitation"))
WARDS = ("Ward 1", "Ward 2", "Ward 3")
CHANNELS = ("Phone", "Web", "App")
# Rows planted with one problem each (all inside 2024, so a 2024 window keeps them):
MISSING_TYPE_ROW = 200  # no request type
CLOSED_BEFORE_OPENED_ROW = 300  # closed a day before it was opened
DUPLICATE_OF_PREVIOUS_ROW = 400  # the same request id as row 399


def make_rows(n: int = 1500) -> list[dict[str, str | None]]:
    """``n`` service requests as a portal would publish them: text values, None when empty.

    Row i is opened at 2023-12-01 00:00 + 7 h × i; every third request is still open;
    the others close 1 + (i mod 9) days later. Three rows carry one problem each (see
    the constants above).
    """
    rows = []
    for i in range(n):
        opened = BASE_TIME + i * STEP
        kind, department = TYPES[i % len(TYPES)]
        is_open = i % 3 == 0
        closed = None if is_open else opened + dt.timedelta(days=1 + i % 9)
        rows.append({
            "sr_number": f"SR-{i:05d}",
            "created_date": _floating(opened),
            "closed_date": _floating(closed) if closed else None,
            "sr_type": kind,
            "status": "Open" if is_open else "Closed",
            "department": department,
            "ward": WARDS[i % len(WARDS)],
            "latitude": f"{41.80 + (i % 50) * 0.002:.6f}",
            "longitude": f"{-87.70 + (i % 40) * 0.002:.6f}",
            "channel": CHANNELS[i % len(CHANNELS)],
        })
    if n > DUPLICATE_OF_PREVIOUS_ROW:
        rows[MISSING_TYPE_ROW]["sr_type"] = None
        opened = BASE_TIME + CLOSED_BEFORE_OPENED_ROW * STEP
        rows[CLOSED_BEFORE_OPENED_ROW].update(closed_date=_floating(opened - dt.timedelta(days=1)),
                                              status="Closed")
        rows[DUPLICATE_OF_PREVIOUS_ROW]["sr_number"] = rows[DUPLICATE_OF_PREVIOUS_ROW - 1][
            "sr_number"]
    return rows


# Open311 GeoReport v2 names for the same columns, as cities that publish Open311 use them.
OPEN311_NAMES = {"sr_number": "service_request_id", "created_date": "requested_datetime",
                 "closed_date": "closed_datetime", "sr_type": "service_name",
                 "department": "agency_responsible", "ward": "district", "latitude": "lat",
                 "longitude": "long"}


def make_open311_rows(n: int = 1500) -> list[dict[str, str | None]]:
    """make_rows() under Open311 column names (the Socrata endpoint only uses them)."""
    return [{OPEN311_NAMES.get(k, k): v for k, v in row.items()} for row in make_rows(n)]


def _floating(moment: dt.datetime) -> str:
    """Socrata's "floating timestamp": local time, no zone, milliseconds."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000")


@dataclass
class Tract:
    """One census tract's ACS values (estimate and margin per variable code, as text)."""

    state: str
    county: str
    tract: str
    values: dict[str, str]


def make_tracts() -> list[Tract]:
    """Six tracts in state 17, county 031, with population and housing-tenure variables.

    B01003_001 is total population, B25003_001 occupied housing units, B25003_003 renter
    occupied. Tract 000600 has a controlled margin (-555555555) and tract 000500 an estimate
    that could not be computed (-666666666), as the real API publishes them.
    """
    table = [
        # tract, population E, M, households E, M, renters E, M
        ("000100", "4000", "300", "1500", "80", "600", "60"),
        ("000200", "3000", "400", "1200", "90", "300", "50"),
        ("000300", "2500", "200", "1000", "70", "700", "65"),
        ("000400", "5000", "350", "2000", "100", "900", "75"),
        ("000500", "1800", "150", "700", "60", "-666666666", "-222222222"),
        ("000600", "2200", "-555555555", "900", "50", "450", "40"),
    ]
    tracts = []
    for tract, *numbers in table:
        codes = ("B01003_001E", "B01003_001M", "B25003_001E", "B25003_001M",
                 "B25003_003E", "B25003_003M")
        values = dict(zip(codes, numbers, strict=True))
        for extra in range(1, 31):  # filler variables, so a test can ask for many at once
            values[f"B99{extra:03d}_001E"] = str(extra)
            values[f"B99{extra:03d}_001M"] = "1"
        tracts.append(Tract("17", "031", tract, values))
    return tracts


# --- faults ------------------------------------------------------------------------------


@dataclass
class Fault:
    protocol: str
    endpoint: str
    kind: str
    first: int = 1
    times: int | None = 1
    value: float = 0.0
    status: int = 500
    text: str = ""  # redirect: the address to send the request on to; refuse: the reason

    def hits(self, number: int) -> bool:
        if number < self.first:
            return False
        return self.times is None or number < self.first + self.times


@dataclass
class RecordedRequest:
    protocol: str
    endpoint: str
    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]


@dataclass
class PortalServer:
    """The portal; use as a context manager (it listens on a free port of 127.0.0.1)."""

    rows: list[dict[str, str | None]] = field(default_factory=make_rows)
    tracts: list[Tract] = field(default_factory=make_tracts)
    ckan_rows_max: int = 32_000
    ckan_total_estimate: int | None = None  # CKAN 2.9+ estimates the total of big tables
    arcgis_max_records: int = 400
    arcgis_pagination: bool = True
    arcgis_flags_paged_results: bool = True
    socrata_token: str | None = None
    census_key: str | None = None
    faults: list[Fault] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.fields = tuple(self.rows[0]) if self.rows else FIELDS
        self._counts: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()
        self._shuffles = random.Random(311)
        self._httpd: ThreadingHTTPServer | None = None
        self._features: list[dict] | None = None

    # -- lifecycle --

    def __enter__(self) -> PortalServer:
        portal = self

        class Handler(_Handler):
            server_portal = portal

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        # A short poll interval: shutting the server down waits for one poll.
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        assert self._httpd is not None
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def layer_url(self) -> str:
        return self.url + LAYER_PATH

    # -- test controls --

    def fail(self, protocol: str, endpoint: str, kind: str, *, first: int = 1,
             times: int | None = 1, value: float = 0.0, status: int = 500,
             text: str = "") -> None:
        """From the ``first``-th request to ``protocol``'s ``endpoint`` on, ``times`` requests
        in all (None: every one) get the fault ``kind`` (one of FAULTS).

        ``redirect`` answers ``status`` (a 30x) with a Location of ``text`` followed by the
        request's own path and query string; ``refuse`` answers ``status`` with the reason
        ``text`` (as JSON ``message``, or as plain text when ``value`` is 1)."""
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; the faults are {FAULTS}")
        self.faults.append(Fault(protocol, endpoint, kind, first, times, value, status, text))

    def features(self) -> list[dict]:
        """The rows as ArcGIS features (made once: a layer's data does not change)."""
        with self._lock:
            if self._features is None:
                self._features = _features(self.rows)
            return self._features

    def requests_to(self, protocol: str, endpoint: str | None = None) -> list[RecordedRequest]:
        return [r for r in self.requests
                if r.protocol == protocol and (endpoint is None or r.endpoint == endpoint)]

    # -- used by the handler --

    def _count(self, protocol: str, endpoint: str) -> tuple[int, Fault | None]:
        with self._lock:
            number = self._counts.get((protocol, endpoint), 0) + 1
            self._counts[(protocol, endpoint)] = number
        for fault in self.faults:
            if fault.protocol == protocol and fault.endpoint == endpoint and fault.hits(number):
                return number, fault
        return number, None

    def _ordered(self, rows: list[Any], ordered: bool) -> list[Any]:
        """Rows in their stable order when an order was asked for, else shuffled afresh."""
        if ordered:
            return rows
        with self._lock:
            shuffled = list(rows)
            self._shuffles.shuffle(shuffled)
        return shuffled


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address) -> None:  # a client that hung up: fine
        pass


class _Handler(BaseHTTPRequestHandler):
    server_portal: PortalServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass

    def do_GET(self) -> None:
        self._dispatch(parse_qs(urlsplit(self.path).query, keep_blank_values=True))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8")
        self._dispatch(parse_qs(body, keep_blank_values=True))

    # -- routing --

    def _dispatch(self, query: dict[str, list[str]]) -> None:
        params = {k: v[-1] for k, v in query.items()}
        path = urlsplit(self.path).path
        portal = self.server_portal
        route = _route(path, params)
        if route is None:
            self._send(404, {"message": f"no such path {path}"})
            return
        protocol, endpoint = route
        portal.requests.append(RecordedRequest(protocol, endpoint, self.command, path, params,
                                               dict(self.headers.items())))
        _, fault = portal._count(protocol, endpoint)
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.value)
        if fault is not None and fault.kind == "rate_limit":
            self._send(429, {"message": "Too many requests"},
                       headers={"Retry-After": f"{fault.value:g}"})
            return
        if fault is not None and fault.kind == "redirect":
            self._send(fault.status, "", headers={"Location": fault.text + self.path})
            return
        if fault is not None and fault.kind == "refuse":
            body = fault.text if fault.value == 1 else {"message": fault.text}
            self._send(fault.status, body)
            return
        if fault is not None and fault.kind == "server_error":
            self._send(fault.status, {"message": "Internal server error"})
            return
        if fault is not None and fault.kind == "arcgis_error":
            self._send(200, {"error": {"code": fault.status,
                                       "message": "Unable to complete operation.",
                                       "details": []}})
            return
        handler = getattr(self, f"_{protocol}")
        status, body, headers = handler(endpoint, params, fault)
        self._send(status, body, headers=headers, fault=fault)

    # -- Socrata --

    def _socrata(self, endpoint: str, params: dict[str, str],
                 fault: Fault | None) -> tuple[int, Any, dict]:
        portal = self.server_portal
        token = portal.socrata_token
        if token is not None and self.headers.get("X-App-Token") != token:
            return 403, {"code": "invalid_app_token", "error": True,
                         "message": "Invalid app_token specified"}, {}
        try:
            rows = _filter_soql(portal.rows, params.get("$where"))
        except ValueError as error:
            return 400, {"error": True, "message": str(error)}, {}
        if endpoint == "count":
            extra = int(fault.value) if fault and fault.kind == "wrong_count" else 0
            return 200, [{"row_count": str(len(rows) + extra)}], {}
        ordered = portal._ordered(rows, "$order" in params)
        offset, limit = int(params.get("$offset", 0)), int(params.get("$limit", 1000))
        page = ordered[offset:offset + limit]
        if fault and fault.kind == "short_page":
            page = page[:max(len(page) - int(fault.value), 0)]
        headers = {"X-SODA2-Fields": json.dumps(list(portal.fields))}
        if self.path.split("?")[0].endswith(".csv"):
            return 200, _csv(page, portal.fields), {**headers, "Content-Type": "text/csv"}
        return 200, [{k: v for k, v in row.items() if v is not None} for row in page], headers

    # -- ArcGIS --

    def _arcgis(self, endpoint: str, params: dict[str, str],
                fault: Fault | None) -> tuple[int, Any, dict]:
        portal = self.server_portal
        if endpoint == "layer":
            return 200, _layer_description(portal), {}
        try:
            features = _filter_arcgis(portal.features(), params.get("where", "1=1"))
        except ValueError as error:
            return 200, {"error": {"code": 400, "message": str(error), "details": []}}, {}
        if endpoint == "count":
            extra = int(fault.value) if fault and fault.kind == "wrong_count" else 0
            return 200, {"count": len(features) + extra}, {}
        if endpoint == "ids":
            return 200, {"objectIdFieldName": "OBJECTID",
                         "objectIds": [f["attributes"]["OBJECTID"] for f in features]}, {}
        if "objectIds" in params:
            wanted = {int(i) for i in params["objectIds"].split(",") if i}
            chosen = [f for f in features if f["attributes"]["OBJECTID"] in wanted]
            if fault and fault.kind == "skip_ids":
                chosen = chosen[1:]
            return 200, {"features": chosen[:portal.arcgis_max_records]}, {}
        if "resultOffset" in params and not portal.arcgis_pagination:
            return 200, {"error": {"code": 400, "message": "Pagination is not supported.",
                                   "details": []}}, {}
        ordered = portal._ordered(features, "orderByFields" in params)
        offset = int(params.get("resultOffset", 0))
        size = min(int(params.get("resultRecordCount", portal.arcgis_max_records)),
                   portal.arcgis_max_records)
        page = ordered[offset:offset + size]
        more = offset + len(page) < len(ordered)
        if fault and fault.kind == "repeat_page":  # the previous page again, same length
            page = ordered[max(offset - size, 0):max(offset - size, 0) + len(page)]
        if fault and fault.kind in ("short_page", "short_page_no_flag"):
            page = page[:max(len(page) - int(fault.value), 0)]
            if fault.kind == "short_page_no_flag":
                more = False
        body: dict[str, Any] = {"objectIdFieldName": "OBJECTID", "features": page}
        if portal.arcgis_flags_paged_results or "resultOffset" not in params:
            body["exceededTransferLimit"] = more
        return 200, body, {}

    # -- CKAN --

    def _ckan(self, endpoint: str, params: dict[str, str],
              fault: Fault | None) -> tuple[int, Any, dict]:
        portal = self.server_portal
        if params.get("resource_id") != RESOURCE_ID:
            return 404, {"success": False, "error": {
                "message": f"Not found: Resource \"{params.get('resource_id')}\" was not found.",
                "__type": "Not Found Error"}}, {}
        records = [{"_id": i + 1, **row} for i, row in enumerate(portal.rows)]
        filters = json.loads(params.get("filters") or "{}")
        records = [r for r in records if all(r.get(k) == v for k, v in filters.items())]
        ordered = portal._ordered(records, "sort" in params)
        limit = min(int(params.get("limit", 100)), portal.ckan_rows_max)
        offset = int(params.get("offset", 0))
        page = ordered[offset:offset + limit]
        if fault and fault.kind == "short_page":
            page = page[:max(len(page) - int(fault.value), 0)]
        if fault and fault.kind == "repeat_page":  # the previous page again, same length
            page = ordered[max(offset - limit, 0):max(offset - limit, 0) + len(page)]
        fields = [{"id": "_id", "type": "int"}] + [{"id": f, "type": "text"} for f in portal.fields]
        total = portal.ckan_total_estimate or len(records)
        return 200, {"success": True, "result": {
            "resource_id": RESOURCE_ID, "fields": fields, "records": page,
            "total": total, "total_was_estimated": portal.ckan_total_estimate is not None,
            "limit": limit, "offset": offset,
            "_links": {"start": "/api/3/action/datastore_search",
                       "next": f"/api/3/action/datastore_search?offset={offset + limit}"}}}, {}

    # -- Census --

    def _census(self, endpoint: str, params: dict[str, str],
                fault: Fault | None) -> tuple[int, Any, dict]:
        portal = self.server_portal
        if portal.census_key is not None and params.get("key") != portal.census_key:
            return 400, "error: Invalid Key", {"Content-Type": "text/plain"}
        names = params.get("get", "").split(",")
        if len(names) > 50:
            return 400, "error: You requested more than 50 variables.", {
                "Content-Type": "text/plain"}
        known = set(portal.tracts[0].values) | {"NAME"}
        unknown = [n for n in names if n not in known]
        if unknown:
            return 400, f"error: unknown variable '{unknown[0]}'", {"Content-Type": "text/plain"}
        within = dict(part.split(":") for part in params.get("in", "").split() if ":" in part)
        tracts = [t for t in portal.tracts
                  if within.get("state", t.state) == t.state
                  and within.get("county", t.county) == t.county]
        header = [*names, "state", "county", "tract"]
        rows = [[f"Census Tract {int(t.tract) / 100:g}, Cook County, Illinois" if n == "NAME"
                 else t.values[n] for n in names] + [t.state, t.county, t.tract]
                for t in tracts]
        return 200, [header, *rows], {}

    # -- sending, with the transport faults --

    def _send(self, status: int, body: Any, *, headers: dict | None = None,
              fault: Fault | None = None) -> None:
        if isinstance(body, (bytes, str)):
            payload = body.encode("utf-8") if isinstance(body, str) else body
            content_type = (headers or {}).get("Content-Type", "text/plain")
        else:
            payload = json.dumps(body).encode("utf-8")
            content_type = "application/json"
        if fault is not None and fault.kind == "truncated_json":
            payload = payload[:len(payload) // 2]
        try:
            self.send_response(status)
            for name, value in (headers or {}).items():
                if name != "Content-Type":
                    self.send_header(name, value)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if fault is not None and fault.kind == "drop":
                self.wfile.write(payload[:len(payload) // 2])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            self.wfile.write(payload)
        except OSError:  # the client gave up (e.g. after its timeout): nothing to do
            self.close_connection = True


def _route(path: str, params: dict[str, str]) -> tuple[str, str] | None:
    if path in (f"/resource/{DATASET}.json", f"/resource/{DATASET}.csv"):
        return "socrata", "count" if "count(" in params.get("$select", "") else "page"
    if path == LAYER_PATH:
        return "arcgis", "layer"
    if path == LAYER_PATH + "/query":
        if params.get("returnCountOnly") == "true":
            return "arcgis", "count"
        if params.get("returnIdsOnly") == "true":
            return "arcgis", "ids"
        return "arcgis", "page"
    if path == "/api/3/action/datastore_search":
        return "ckan", "page"
    if re.fullmatch(r"/data/\d{4}/acs/acs5", path):
        return "census", "page"
    return None


# --- the query languages, as far as the client uses them --------------------------------

_CONDITION = re.compile(r"^\(?\s*(\w+)\s*(>=|<=|<|>|=)\s*(?:TIMESTAMP\s+)?'([^']*)'\s*\)?$")


def _conditions(where: str | None) -> list[tuple[str, str, str]]:
    if not where or where.strip() == "1=1":
        return []
    parts = [p.strip() for p in re.split(r"\s+AND\s+", where)]
    found = []
    for part in parts:
        match = _CONDITION.match(part)
        if not match:
            raise ValueError(f"Unsupported where clause: {part}")
        found.append(match.groups())
    return found


def _compare(left: Any, op: str, right: Any) -> bool:
    return {">=": left >= right, "<=": left <= right, "<": left < right, ">": left > right,
            "=": left == right}[op]


def _filter_soql(rows: list[dict], where: str | None) -> list[dict]:
    conditions = _conditions(where)
    kept = []
    for row in rows:
        ok = True
        for column, op, literal in conditions:
            if column not in row:
                raise ValueError(f"No such column: {column}")
            value = row.get(column)
            if value is None or not _compare(dt.datetime.fromisoformat(value), op,
                                             dt.datetime.fromisoformat(literal)):
                ok = False
                break
        if ok:
            kept.append(row)
    return kept


def _epoch_ms(local_text: str | None) -> int | None:
    if local_text is None:
        return None
    local = dt.datetime.fromisoformat(local_text).replace(tzinfo=ZoneInfo(ARCGIS_ZONE))
    return int(local.timestamp() * 1000)


def _features(rows: list[dict]) -> list[dict]:
    features = []
    for i, row in enumerate(rows):
        attributes: dict[str, Any] = {"OBJECTID": i + 1}
        for name in FIELDS:
            if name in ("created_date", "closed_date"):
                attributes[name] = _epoch_ms(row[name])
            elif name not in ("latitude", "longitude"):
                attributes[name] = row[name]
        features.append({"attributes": attributes,
                         "geometry": {"x": float(row["longitude"]), "y": float(row["latitude"])}})
    return features


def _filter_arcgis(features: list[dict], where: str) -> list[dict]:
    conditions = _conditions(where)
    kept = []
    for feature in features:
        ok = True
        for column, op, literal in conditions:
            value = feature["attributes"].get(column, "missing")
            if value == "missing":
                raise ValueError(f"Invalid field: {column}")
            moment = dt.datetime.fromisoformat(literal).replace(tzinfo=dt.UTC)
            if value is None or not _compare(value, op, int(moment.timestamp() * 1000)):
                ok = False
                break
        if ok:
            kept.append(feature)
    return kept


def _layer_description(portal: PortalServer) -> dict:
    types = {"created_date": "esriFieldTypeDate", "closed_date": "esriFieldTypeDate"}
    fields = [{"name": "OBJECTID", "type": "esriFieldTypeOID", "alias": "OBJECTID"}]
    fields += [{"name": f, "type": types.get(f, "esriFieldTypeString"), "alias": f}
               for f in FIELDS if f not in ("latitude", "longitude")]
    return {"name": "Requests", "type": "Feature Layer", "objectIdField": "OBJECTID",
            "maxRecordCount": portal.arcgis_max_records, "fields": fields,
            "advancedQueryCapabilities": {"supportsPagination": portal.arcgis_pagination}}


def _csv(rows: list[dict], fields: tuple[str, ...]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow(["" if row.get(f) is None else row[f] for f in fields])
    return out.getvalue()


# --- a city whose data lives on this portal ---------------------------------------------

CITY_ID = "portal-town"
MAPPINGS = Path(__file__).parent / "fixtures" / "portal"
CENSUS_DISTRICTS = {"W1": ["000100", "000200"], "W2": ["000300", "000400"],
                    "W3": ["000500", "000600"]}


def city_raw(service_requests: dict, demographics: dict | None = None) -> dict:
    """A small city whose three wards match the generated rows' ``ward`` values."""
    sources = {"service_requests": service_requests}
    if demographics is not None:
        sources["demographics"] = demographics
    return {
        "id": CITY_ID, "name": "Portal Town", "country": "United States", "language": "en",
        "population": 40000, "cohort": "demo", "fictional": True,
        "description": "A test city whose 311 data comes from a local portal.",
        "bounds": {"south": 41.75, "west": -87.75, "north": 41.95, "east": -87.55},
        "districts": [
            {"id": f"W{n}", "name": f"Ward {n}", "population": 13000,
             "demographics": {"share_low_income": 0.1 * n, "share_renters": 0.2 * n}}
            for n in (1, 2, 3)],
        "sources": sources,
        "priorities": ["Answer requests faster"],
        "service_standards": {"POTHOLE": 5, "GRAFFITI": 7},
    }


def socrata_source(portal: PortalServer, **changes) -> dict:
    return {"kind": "socrata", "url": portal.url, "dataset": DATASET,
            "mapping": "portal_rows.yaml", "where_date_column": "created_date",
            "start": dt.date(2024, 1, 1), "end": dt.date(2024, 12, 31), "page_size": 500,
            **changes}


def census_source(portal: PortalServer, **changes) -> dict:
    return {"kind": "census_acs", "url": f"{portal.url}/data", "year": 2023,
            "within": {"state": "17", "county": "031"},
            "variables": {"population": "B01003_001", "households": "B25003_001",
                          "renter_households": "B25003_003"},
            "shares": {"share_renters": ["renter_households", "households"]},
            "districts": CENSUS_DISTRICTS, **changes}


def write_city(folder: Path, raw: dict) -> Path:
    """Write the city file (and the fixture mappings beside it); return its path."""
    import shutil

    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    for mapping in MAPPINGS.glob("*.yaml"):
        shutil.copy(mapping, folder / mapping.name)
    path = folder / f"{raw['id']}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
