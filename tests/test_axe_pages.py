"""axe-core in headless Chromium (tests/axe_pages.py): the resident dashboard built for
Riverbend (English) and Serra Clara (Portuguese) has no serious or critical violation, and
the check itself can fail: a page with grey-on-grey text is reported."""

from __future__ import annotations

import pytest
from axe_pages import chromium_path, serious_violations

from cda_lib import load_city_data
from cda_lib.core import paths
from cda_lib.core.workspace import Workspace
from cda_lib.themes.empower.resident_page import resident_dashboard, write_dashboard

pytestmark = pytest.mark.slow

LOW_CONTRAST = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Low contrast</title></head>
<body><main><h1>A page</h1><p style="color:#bbbbbb;background:#ffffff">Grey on white: 1.9:1,
under the 4.5:1 text needs.</p></main></body></html>
"""


@pytest.fixture(scope="module")
def chromium() -> str:
    return chromium_path()


def test_the_check_reports_text_without_enough_contrast(tmp_path, chromium):
    page = tmp_path / "low_contrast.html"
    page.write_text(LOW_CONTRAST, encoding="utf-8")
    assert serious_violations(page, chromium) == ["color-contrast (serious): 1 nodes"]


@pytest.mark.parametrize("city", ["riverbend", "serra-clara"])
def test_the_resident_dashboard_passes_axe(tmp_path, monkeypatch, chromium, city):
    monkeypatch.setenv("CDA_BUILD_DIR", str(tmp_path))
    data = load_city_data(city)
    path = write_dashboard(resident_dashboard(data, Workspace(city)))
    shots = paths.project_dir() / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    assert serious_violations(path, chromium, screenshot=shots / f"dashboard-{city}.png") == []
