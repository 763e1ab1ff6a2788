"""A city built end to end from the local portal, with secrets that must never leak.

Portal Town's service requests come from the local Socrata dataset (which refuses any
request without the app token) and its district demographics from the local Census
API (which refuses any request without the key). The build runs every teaching
notebook through the public ``build_city``; then every file the build, the cache and
the project folder hold, and everything logged or printed, is searched for the two
secrets.

The portal publishes its rows under Open311 column names (as cities that publish
Open311 do): the welcome module's table of set-aside rows names canonical columns,
which a source with other names does not have (a known gap of that notebook).
"""

from __future__ import annotations

import logging
from pathlib import Path

import nbformat
import pytest
from portal_server import (
    CITY_ID,
    PortalServer,
    census_source,
    city_raw,
    make_open311_rows,
    socrata_source,
    write_city,
)

from cda_lib import cli
from cda_lib.core import paths
from cda_lib.data import ensure_city_data
from cda_lib.sources.census import ATTRIBUTION
from cda_lib.workbook.execute import build_city

NOTEBOOKS = paths.notebooks_dir()  # the real teaching notebooks, found before any test moves
TOKEN = "socrata-app-token-7Hq2Lx9Vb4"
KEY = "census-api-key-Zr8Wm3Pn6Kd1"


def every_file(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*") if p.is_file()]


def executed_text(path: Path) -> str:
    notebook = nbformat.read(path, as_version=4)
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.extend(str(v) for v in output.get("data", {}).values())
    return "\n".join(parts)


@pytest.mark.slow
def test_a_city_builds_from_its_portal_and_no_secret_reaches_any_output(
        tmp_path, monkeypatch, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    project, build_root, cache_root = tmp_path / "project", tmp_path / "build", tmp_path / "cache"
    monkeypatch.setenv("CDA_PROJECT_DIR", str(project))
    monkeypatch.setenv("CDA_BUILD_DIR", str(build_root))
    monkeypatch.setenv("CDA_CACHE_DIR", str(cache_root))
    monkeypatch.delenv("CDA_OFFLINE", raising=False)
    monkeypatch.setenv("PORTAL_TOWN_SOCRATA_TOKEN", TOKEN)
    monkeypatch.setenv("PORTAL_TOWN_CENSUS_KEY", KEY)

    with PortalServer(rows=make_open311_rows(), socrata_token=TOKEN, census_key=KEY) as portal:
        requests = socrata_source(portal, token_env="PORTAL_TOWN_SOCRATA_TOKEN",
                                  mapping="portal_rows_open311.yaml",
                                  where_date_column="requested_datetime")
        raw = city_raw(requests,
                       census_source(portal, key_env="PORTAL_TOWN_CENSUS_KEY"))
        write_city(project / "datasets" / "cities", raw)
        build = build_city(CITY_ID, notebooks_root=NOTEBOOKS, build_root=build_root,
                           prepare=ensure_city_data, timeout=300)
        assert build.ok, [result.error for result in build.failures]
        assert cli.main(["check-data", CITY_ID]) == 0  # the coach's log of the same data
        # the secrets did travel, each the one way it should
        assert {r.headers.get("X-App-Token") for r in portal.requests_to("socrata")} == {TOKEN}
        assert {r.params.get("key") for r in portal.requests_to("census")} == {KEY}
        asked_during_build = len(portal.requests)

    # the notebooks ran on the portal's data, from the cache the build's preparation filled
    glance = build_root / CITY_ID / "00_welcome" / "02_your_city_at_a_glance.ipynb"
    text = executed_text(glance)
    assert "Real data: Portal Town 311" in text and "Read 1,255 rows" in text
    assert ATTRIBUTION in text
    # page 3.3 shows the renters' shares (from the Census) with their margins of error
    equity = executed_text(build_root / CITY_ID / "03_empower" / "03_who_is_served.ipynb")
    assert "Shares marked ± come from the Census ACS" in equity
    assert asked_during_build == len(portal.requests)

    printed = capfd.readouterr()
    places = {"log": caplog.text, "printed": printed.out + printed.err}
    for path in every_file(build_root, cache_root, project):
        places[str(path)] = path.read_bytes().decode("utf-8", errors="replace")
    assert any(p.endswith(".html") for p in places) and any(p.endswith(".ipynb") for p in places)
    assert any(p.endswith(".parquet") for p in places)
    for secret in (TOKEN, KEY):
        leaks = [where for where, content in places.items()
                 if secret in content or secret in where]
        assert leaks == [], f"a secret appears in {leaks}"
