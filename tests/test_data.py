"""The one door to a city's tables: synthetic and local sources, notices, regeneration."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from cda_lib import data as data_module
from cda_lib.cities.loader import load_city
from cda_lib.core import paths
from cda_lib.core.errors import LoadError
from cda_lib.metrics import quality
from cda_lib.sources import conform
from cda_lib.synth.defects import DEFECT_RATES

FIXTURES = Path(__file__).parent / "fixtures" / "sources"

# quality-profile check name for each defect the generator plants
PLANTED_TO_CHECK = {
    "missing_district": quality.MISSING_DISTRICT,
    "missing_coordinates": quality.MISSING_COORDINATES,
    "coordinates_outside_city": quality.OUTSIDE_CITY,
    "duplicate_request_id": conform.DUPLICATE_ID,
    "closed_before_requested": conform.CLOSED_BEFORE_OPENED,
    "requested_in_future": conform.FUTURE_OPENED,
}


@pytest.fixture
def generated(tmp_path, monkeypatch):
    """Generate into a temporary folder so tests never touch datasets/generated."""
    folder = tmp_path / "generated"
    monkeypatch.setattr(paths, "generated_dir", lambda: folder)
    return folder


@pytest.mark.parametrize("city_id", ["riverbend", "villa-serena"])
def test_quality_checks_recover_exactly_the_planted_defects(generated, city_id):
    data = data_module.load_city_data(city_id)
    info = json.loads((generated / city_id / "generation.json").read_text())
    assert set(info["planted_defects"]) == set(PLANTED_TO_CHECK)
    for defect, planted in info["planted_defects"].items():
        assert data.quality.count(PLANTED_TO_CHECK[defect]) == planted, defect
    # and the documented rates are what a coach sees, within sampling error
    for defect, rate in DEFECT_RATES.items():
        share = data.quality.count(PLANTED_TO_CHECK[defect]) / info["rows_before_duplicates"]
        tolerance = 4 * (rate * (1 - rate) / info["rows_before_duplicates"]) ** 0.5
        assert abs(share - rate) < tolerance, defect
    assert data.quality.count(quality.UNKNOWN_DISTRICT) == 0
    assert data.account.rows_kept + data.account.rows_set_aside == data.account.rows_read


def test_synthetic_data_is_labelled_on_the_notice_and_the_charts(generated):
    data = data_module.load_city_data("riverbend")
    assert data.is_synthetic and data.chart_context.synthetic
    assert data.notice().text().startswith("SYNTHETIC DATA. Riverbend is a fictional city")
    assert "SYNTHETIC DATA" in data.notice()._repr_html_()


def test_an_alliance_city_says_its_profile_is_real_but_its_requests_are_not(generated):
    city = load_city("syracuse")
    notice = data_module.DataNotice(data_module.CityData(
        city=city, requests=pd.DataFrame(), districts=city.districts_table(), account=None,
        quality=None, as_of=pd.Timestamp("2025-12-31"), source_description="x"))
    assert "SYNTHETIC DATA. Syracuse's profile is real" in notice.text()


def test_data_is_generated_once_and_again_only_when_settings_change(generated):
    city = load_city("riverbend")
    data_module.ensure_city_data(city)
    parquet = data_module.synthetic_data_path(city)
    first = parquet.stat().st_mtime_ns
    data_module.ensure_city_data(city)
    assert parquet.stat().st_mtime_ns == first
    info_path = parquet.parent / "generation.json"
    info = json.loads(info_path.read_text())
    info["settings"]["seed"] = 1  # as if the city file's seed had changed since
    info_path.write_text(json.dumps(info))
    data_module.ensure_city_data(city)
    assert json.loads(info_path.read_text())["settings"]["seed"] == 1101


def test_sources_table_says_how_fresh_the_data_is(generated):
    data = data_module.load_city_data("riverbend")
    row = data.sources_table().iloc[0]
    assert row["rows read"] == data.account.rows_read
    latest = data.requests["requested_datetime"].max()
    assert row["days since latest request"] == (pd.Timestamp("2025-12-31 23:59:59") - latest).days


def local_city(tmp_path: Path, path: str) -> Path:
    """A copy of Riverbend's city file pointed at a local export."""
    raw = yaml.safe_load(load_city("riverbend").path.read_text())
    raw["id"] = "riverbend-local"
    raw["sources"] = {"service_requests": {
        "kind": "local", "path": path, "mapping": "one_row_per_problem.yaml",
        "as_of": "2025-02-01"}}
    shutil.copy(FIXTURES / "one_row_per_problem.yaml", tmp_path)
    city_file = tmp_path / "riverbend-local.yaml"
    city_file.write_text(yaml.safe_dump(raw, allow_unicode=True))
    return city_file


def test_a_city_pointed_at_a_local_export_loads_it_with_its_account(tmp_path):
    shutil.copy(FIXTURES / "one_row_per_problem.csv", tmp_path / "export.csv")
    data = data_module.load_city_data(load_city(local_city(tmp_path, "export.csv")))
    assert not data.is_synthetic
    assert data.notice().text().startswith("Real data:")
    assert (data.account.rows_read, data.account.rows_kept) == (14, 4)
    assert data.as_of == pd.Timestamp("2025-02-01")


def test_a_local_export_that_is_not_there_names_the_field_to_fix(tmp_path):
    city = load_city(local_city(tmp_path, "missing.csv"))
    with pytest.raises(LoadError, match="sources.service_requests.path"):
        data_module.load_city_data(city)
