"""The real welcome module builds for a demo city: pages labelled, offline, charts described."""

from __future__ import annotations

import re

import nbformat
import pytest

from cda_lib.core.workspace import Workspace
from cda_lib.workbook.html import external_urls
from cda_lib.workbook.site import write_index

WELCOME = ["01_how_to_use_this_workbook", "02_your_city_at_a_glance"]


@pytest.fixture(scope="module")
def built(demo_build):
    """The session's demo build (tests/demo_build.py) and its index page."""
    return demo_build.result, demo_build.root, write_index(demo_build.root)


@pytest.mark.slow
def test_every_welcome_notebook_builds(built):
    build, build_root, _ = built
    assert build.ok, [r.error_message for r in build.failures]
    for name in WELCOME:
        assert (build_root / "riverbend" / "00_welcome" / f"{name}.ipynb").exists()
        assert (build_root / "riverbend" / "00_welcome" / f"{name}.html").exists()


@pytest.mark.slow
def test_pages_say_synthetic_and_load_nothing_from_the_internet(built):
    _, build_root, index = built
    for name in WELCOME:
        page = (build_root / "riverbend" / "00_welcome" / f"{name}.html").read_text()
        assert "SYNTHETIC DATA" in page, name
        assert external_urls(page) == [], name
    assert "riverbend/00_welcome/02_your_city_at_a_glance.html" in index.read_text()


@pytest.mark.slow
def test_every_chart_on_the_glance_page_has_alt_text_and_the_synthetic_label(built):
    _, build_root, _ = built
    page = (build_root / "riverbend" / "00_welcome" / "02_your_city_at_a_glance.html").read_text()
    images = [dict(re.findall(r'(\w+)="([^"]*)"', tag)) for tag in re.findall(r"<img[^>]*>", page)]
    charts = [image for image in images if image.get("src", "").startswith("data:image/png")]
    assert len(charts) == 5  # month, weekday, top types, districts, map
    assert all(chart["alt"].startswith("Synthetic data.") for chart in charts)


@pytest.mark.slow
def test_the_glance_page_records_facts_in_the_city_workspace(built):
    build, build_root, _ = built
    workspace = Workspace("riverbend", folder=build_root / "riverbend" / "workspace")
    executed = nbformat.read(build_root / "riverbend" / "00_welcome" / f"{WELCOME[1]}.ipynb",
                             as_version=4)
    # A build gives each notebook its city and the city file's language (riverbend: en).
    assert executed.metadata["papermill"]["parameters"] == {"city": "riverbend", "language": "en"}
    assert workspace.read("requests_last_12_months") > 0
    assert workspace.read("top_request_type")
