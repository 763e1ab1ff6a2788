"""A city's data catalog: read from DCAT data.json (1.0 and 1.1) and CKAN, downloaded from a
local server on 127.0.0.1 through the portal client and cache, checked in the city file,
and the real catalogs of ../shared/realdata exported as DCAT-US 1.1 and validated.

The real catalogs (read in place, never copied): seven Socrata portals' data.json
(Project Open Data 1.0, 28 August 2013) and 383 CKAN packages of Buenos Aires (2021); see
their PROVENANCE.md.
"""

from __future__ import annotations

import copy
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from portal_server import city_raw, write_city

from cda_lib.cities.loader import load_city, parse_city
from cda_lib.core.errors import CityFileError, NotCachedError, PortalError
from cda_lib.data import load_city_data
from cda_lib.metrics.inventory_audit import audit_inventory
from cda_lib.sources.catalog import (
    CatalogQuery,
    fetch_catalog,
    parse_catalog,
    read_catalog_file,
)
from cda_lib.sources.dcat_us import dcat_us_catalog, license_address, validate_catalog
from cda_lib.sources.http import PortalClient, RetryPolicy
from cda_lib.sources.portal import cached_table, query_for

REALDATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "realdata"
SOCRATA = REALDATA / "socrata_catalogs_2013"
BUENOS_AIRES = REALDATA / "buenos_aires_catalog_2021" / "metadata"
# Entries of each 2013 data.json, less the one that describes the data.json itself.
SOCRATA_COUNTS = {"data.austintexas.gov": 138, "data.baltimorecity.gov": 257,
                  "data.cityofboston.gov": 291, "data.cityofchicago.org": 513,
                  "data.cityofnewyork.us": 1000, "data.seattle.gov": 168,
                  "data.sfgov.org": 369}
needs_realdata = pytest.mark.skipif(not SOCRATA.is_dir(), reason="../shared/realdata is absent")

DCAT_11 = {
    "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
    "dataset": [
        {"title": "Potholes", "description": "Repairs.", "identifier": "p-1",
         "publisher": {"name": "Public Works"},
         "contactPoint": {"fn": "Ann Lee", "hasEmail": "mailto:ann@city.example.org"},
         "accessLevel": "public", "license": "https://creativecommons.org/licenses/by/4.0/",
         "accrualPeriodicity": "R/P1M", "modified": "2025-05-01", "keyword": ["streets"],
         "distribution": [{"downloadURL": "https://city.example.org/p.csv",
                           "mediaType": "text/csv"}]},
        {"title": "Payroll", "identifier": "hr-1", "accessLevel": "non-public",
         "rights": "Personal data."},
    ],
}
CKAN_PACKAGES = [
    {"name": f"dataset-{n}", "title": f"Dataset {n}", "notes": "Rows.",
     "organization": {"title": "Hacienda"}, "maintainer": "Datos", "private": False,
     "maintainer_email": "datos@ciudad.example.org", "license_title": "CC BY 4.0",
     "license_url": "https://creativecommons.org/licenses/by/4.0/",
     "extras": [{"key": "accrualPeriodicity", "value": "eventual"}],
     "metadata_modified": "2021-03-01T10:00:00",
     "resources": [{"url": f"https://ciudad.example.org/{n}.csv", "format": "CSV"}]}
    for n in range(7)
]


# --- reading --------------------------------------------------------------------------------


def test_a_dcat_11_catalog_is_read_field_by_field():
    potholes, payroll = parse_catalog(DCAT_11)
    assert (potholes.department, potholes.contact_name, potholes.contact_email) == (
        "Public Works", "Ann Lee", "ann@city.example.org")
    assert (potholes.frequency, potholes.formats, potholes.modified) == (
        "R/P1M", ("csv",), pd.Timestamp("2025-05-01"))
    assert (payroll.access_level, payroll.rights, payroll.description) == (
        "non-public", "Personal data.", "")


def test_a_ckan_package_is_read_into_the_same_fields():
    entry = parse_catalog({"success": True, "result": {"count": 1,
                                                       "results": CKAN_PACKAGES[:1]}})[0]
    assert (entry.identifier, entry.department, entry.contact_email, entry.frequency) == (
        "dataset-0", "Hacienda", "datos@ciudad.example.org", "irregular")
    assert (entry.formats, entry.access_level) == (("csv",), "public")


@needs_realdata
def test_a_2013_socrata_catalog_keeps_its_gaps():
    """Seattle's 1.0 file: keywords as one comma string, formats inside "formats", no
    publisher and no frequency at all; its own data.json entry is left out."""
    entries = read_catalog_file(SOCRATA / "data.seattle.gov.json")
    assert len(entries) == 168
    crime = next(e for e in entries if e.identifier == "e3zj-s4zh")
    assert crime.keywords == ("crime", "violent", "seattle")
    assert crime.formats[:3] == ("csv", "json", "xml") and crime.access_level == "public"
    assert all(e.department == "" and e.frequency == "" for e in entries)


def test_licence_names_become_addresses():
    assert license_address("Creative Commons 1.0 Universal\nCity of Seattle") == (
        "https://creativecommons.org/publicdomain/zero/1.0/")
    assert license_address("Terms of use") == ""


# --- the export and its schema ----------------------------------------------------------


def test_the_export_validates_and_the_validator_can_fail():
    document = dcat_us_catalog(parse_catalog(DCAT_11), publisher="Riverbend")
    assert validate_catalog(document) == []
    broken = copy.deepcopy(document)
    del broken["dataset"][0]["contactPoint"]
    broken["dataset"][1]["accessLevel"] = "secret"
    broken["dataset"][1]["accrualPeriodicity"] = "every so often"
    problems = validate_catalog(broken)
    assert any(p.startswith("dataset[0]: 'contactPoint' is a required property") for p in problems)
    assert any(p.startswith("dataset[1].accessLevel: 'secret' is not one of") for p in problems)
    assert any(p.startswith("dataset[1].accrualPeriodicity") for p in problems)
    assert validate_catalog({"dataset": []}) == ["catalog: 'conformsTo' is a required property"]


@needs_realdata
@pytest.mark.parametrize("portal", sorted(SOCRATA_COUNTS))
def test_each_real_socrata_catalog_exports_as_valid_dcat_us(portal):
    entries = read_catalog_file(SOCRATA / f"{portal}.json")
    assert len(entries) == SOCRATA_COUNTS[portal]
    document = dcat_us_catalog(entries, publisher=portal)
    assert len(document["dataset"]) == SOCRATA_COUNTS[portal]
    assert validate_catalog(document) == []
    audit = audit_inventory(entries, pd.Timestamp("2013-08-28"))
    assert audit.gaps(limit=1).iloc[0]["failing"] > 0  # a real 2013 catalog has gaps


@needs_realdata
def test_the_real_buenos_aires_ckan_catalog_exports_as_valid_dcat_us():
    packages = [json.loads(p.read_text(encoding="utf-8"))
                for p in sorted(BUENOS_AIRES.glob("*.json"))]
    entries = parse_catalog(packages)
    assert len(entries) == 383
    # "eventual" is Andino's word for irregular: 155 of the 383 packages use it
    assert sum(e.frequency == "irregular" for e in entries) == 155
    document = dcat_us_catalog(entries, publisher="Ciudad de Buenos Aires")
    assert validate_catalog(document) == []


# --- downloading, from a local server -----------------------------------------------------


class CatalogServer:
    """data.json at /data.json and CKAN's package_search (pages of ``page_size``) on
    127.0.0.1; ``fail_first`` requests get HTTP 503 first."""

    def __init__(self, page_size: int = 3, fail_first: int = 0):
        self.requests: list[str] = []
        self.fail_left = fail_first
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802 (the http.server name)
                server.requests.append(self.path)
                if server.fail_left > 0:
                    server.fail_left -= 1
                    return self._send(503, {"error": "busy"})
                parts = urlsplit(self.path)
                if parts.path == "/data.json":
                    return self._send(200, DCAT_11)
                if parts.path == "/api/3/action/package_search":
                    query = parse_qs(parts.query)
                    start = int(query["start"][0])
                    rows = min(int(query["rows"][0]), page_size)
                    return self._send(200, {"success": True, "result": {
                        "count": len(CKAN_PACKAGES),
                        "results": CKAN_PACKAGES[start:start + rows]}})
                return self._send(404, {"error": "not found"})

            def _send(self, status, body):
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


FAST = RetryPolicy(attempts=3, backoff_seconds=0.01, connect_timeout=2, read_timeout=5)


def test_a_data_json_is_downloaded_with_a_retry():
    with CatalogServer(fail_first=1) as server, PortalClient("test", FAST) as client:
        download = fetch_catalog(CatalogQuery(f"{server.url}/data.json"), client)
    assert len(download.table) == 2 and len(server.requests) == 2
    assert [e.identifier for e in parse_catalog(
        [json.loads(r) for r in download.table["record"]])] == ["p-1", "hr-1"]


def test_a_ckan_catalog_is_followed_page_by_page_to_its_count():
    """Seven packages, three a page: starts 0, 3 and 6."""
    with CatalogServer(page_size=3) as server, PortalClient("test", FAST) as client:
        download = fetch_catalog(CatalogQuery(server.url, form="ckan", page_size=3), client)
    assert len(download.table) == 7 and download.rows_expected == 7
    assert [parse_qs(urlsplit(p).query)["start"][0] for p in server.requests] == ["0", "3", "6"]


def test_a_catalog_that_is_not_one_is_a_plain_error():
    with (CatalogServer() as server, PortalClient("test", FAST) as client,
          pytest.raises(PortalError, match="refused the request")):
        fetch_catalog(CatalogQuery(f"{server.url}/nothing.json"), client)


# --- the city file, the cache and the page ------------------------------------------------


def catalog_city(tmp_path, catalog: dict) -> dict:
    raw = city_raw({"kind": "synthetic", "seed": 7, "start": "2024-01-01", "end": "2024-06-30"})
    raw["sources"]["catalog"] = catalog
    return raw


def city_error(raw: dict) -> str:
    with pytest.raises(CityFileError) as raised:
        parse_city(raw, source_name="portal-town.yaml")
    return str(raised.value)


def test_sources_catalog_is_checked_with_plain_errors(tmp_path):
    ok = parse_city(catalog_city(tmp_path, {"kind": "dcat",
                                            "url": "https://data.city.gov/data.json"}))
    assert ok.sources["catalog"].kind == "dcat"
    assert "is not the address of a data.json file" in city_error(
        catalog_city(tmp_path, {"kind": "dcat", "url": "https://data.city.gov"}))
    assert "cannot feed the catalog" in city_error(
        catalog_city(tmp_path, {"kind": "socrata", "url": "https://data.city.gov"}))
    assert "write url: https://ckan.city.gov" in city_error(
        catalog_city(tmp_path, {"kind": "ckan", "url": "https://ckan.city.gov/api/3/action"}))
    assert "sources.catalog" in city_error(
        catalog_city(tmp_path, {"kind": "dcat", "url": "https://d.gov/data.json", "dataset": 1}))
    raw = catalog_city(tmp_path, {"kind": "dcat", "url": "https://d.gov/data.json"})
    raw["sources"]["service_requests"] = {"kind": "dcat", "url": "https://d.gov/data.json"}
    assert "cannot feed the service_requests table" in city_error(raw)


def test_the_catalog_goes_through_the_portal_cache_and_works_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("CDA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CDA_OFFLINE", raising=False)
    with CatalogServer(page_size=10) as server:
        raw = catalog_city(tmp_path, {"kind": "ckan", "url": server.url, "page_size": 4})
        city = load_city(write_city(tmp_path / "cities", raw))
        assert isinstance(query_for(city.sources["catalog"]), CatalogQuery)
        first = cached_table(city, "catalog")
        asked = len(server.requests)
    assert len(first.table) == 7 and asked == 2  # pages of the city file's 4: 4 + 3
    again = cached_table(city, "catalog", offline=True)  # the server is gone: the cache
    assert again.table.equals(first.table)
    from cda_lib.themes.invest.inventory import city_inventory

    inventory = city_inventory(load_city_data(city), offline=True)
    assert not inventory.synthetic and inventory.count == 7
    assert inventory.source.startswith(f"{server.url[7:]} CKAN catalog, downloaded ")


def test_an_uncached_catalog_offline_says_what_to_run(tmp_path, monkeypatch):
    monkeypatch.setenv("CDA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CDA_OFFLINE", "1")
    raw = catalog_city(tmp_path, {"kind": "dcat", "url": "http://127.0.0.1:9/data.json"})
    city = load_city(write_city(tmp_path / "cities", raw))
    with pytest.raises(NotCachedError, match="data catalog"):
        cached_table(city, "catalog", offline=True)
    from cda_lib.themes.invest.inventory import city_inventory, inventory_notice

    inventory = city_inventory(load_city_data(city), offline=True)  # the page still runs
    assert inventory.synthetic and "run `cda check-data portal-town`" in inventory.problem
    assert str(inventory_notice(inventory)).startswith(
        "SYNTHETIC DATA. Portal Town's data catalog could not be read, so this page audits a "
        "fictional inventory made for teaching from the city's seed: 16 datasets from 8 "
        "departments. Portal Town's data catalog (")
