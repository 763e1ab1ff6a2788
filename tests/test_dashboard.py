"""Tests for the cohort page (cda_lib.workbook.dashboard): build/cohort.html.

The build folder is put together by hand from the fixture cities in tests/fixtures/cohort/
(no kernel runs): Alderbank and Brookfield read small local exports, Cedarton has three
months of generated (synthetic) data. Each city gets workspace records with values no
other city has, so a figure shown in the wrong city's row or card is caught.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from cda_lib.core import paths
from cda_lib.core.workspace import Workspace
from cda_lib.data import data_fingerprint, load_city_data
from cda_lib.text.translation import use_language
from cda_lib.workbook.dashboard import (
    DIMENSIONS,
    _full_months,
    data_profile,
    gather_cities,
    has_profile,
    write_cohort_page,
    write_profile,
)
from cda_lib.workbook.html import external_urls

FIXTURES = Path(__file__).parent / "fixtures"
# What each city's notebooks "recorded": values chosen to be unique to one city.
RECORDS = {
    "alderbank": {"requests_last_12_months": 1234, "top_request_type": "Pothole repair",
                  "share_of_rows_set_aside": 0.0714},
    "brookfield": {"requests_last_12_months": 5678, "top_request_type": "Graffiti removal",
                   "share_of_rows_set_aside": 0.3333, "top_5_types_share": 0.61,
                   "city_score": {"value": 0.8125179116258524, "period": "2025Q4", "cap": 1.25,
                                  "on_time_target": 0.8, "metrics": 15}},
    "cedarton": {"requests_last_12_months": 4321, "top_request_type": "Missed collection",
                 "share_of_rows_set_aside": 0.0517},
}


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "cohort", root / "datasets")
    monkeypatch.setenv(paths.PROJECT_DIR_VARIABLE, str(root))
    return root


def built_module(build_root: Path, relative: str, heading: str, *, failed: bool = False) -> None:
    path = build_root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": f"# {heading}",
                     "id": "c0"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    if failed:
        path.with_name(path.stem + ".failed.ipynb").write_text(json.dumps(nb))
        return
    path.write_text(json.dumps(nb))
    path.with_suffix(".html").write_text("<p>page</p>")


@pytest.fixture
def cohort(project, tmp_path) -> Path:
    build_root = tmp_path / "build"
    for city_id, records in RECORDS.items():
        workspace = Workspace(city_id, folder=build_root / city_id / "workspace")
        for key, value in records.items():
            workspace.record(key, value)
        data = load_city_data(city_id)
        write_profile(build_root, data, data_fingerprint(data.city))
        built_module(build_root, f"{city_id}/00_welcome/01_intro.ipynb", "How to use it")
    built_module(build_root, "alderbank/00_welcome/02_glance.ipynb", "At a glance")
    built_module(build_root, "brookfield/00_welcome/02_glance.ipynb", "At a glance", failed=True)
    return build_root


def sections(page: str) -> dict[str, str]:
    """Each city's card, by city id."""
    found = re.findall(r"<section class='city' id='city-([a-z-]+)'(.*?)</section>", page,
                       re.DOTALL)
    return dict(found)


def rows(page: str, table: str) -> dict[str, str]:
    body = re.search(rf"<table class='{table}[^']*'>.*?<tbody>(.*?)</tbody>", page,
                     re.DOTALL).group(1)
    return dict(re.findall(r"<tr data-city='([a-z-]+)'>(.*?)</tr>", body, re.DOTALL))


def test_each_city_shows_only_its_own_figures(cohort):
    page = write_cohort_page(cohort).read_text()
    cards, table = sections(page), rows(page, "cohort")
    assert set(cards) == set(table) == set(RECORDS)
    for city_id, records in RECORDS.items():
        own = [f"{records['requests_last_12_months']:,}", records["top_request_type"]]
        others = [value for other, rec in RECORDS.items() if other != city_id
                  for value in (f"{rec['requests_last_12_months']:,}", rec["top_request_type"])]
        for part in (cards[city_id], table[city_id]):
            assert all(value in part for value in own), city_id
            assert not any(value in part for value in others), city_id
    # other recorded figures, in their own card, by what they mean and in words: no code name,
    # no JSON, no float's sixteen digits
    share = "1.1 · Share of all requests that are of the five most common types: 61%"
    assert share in cards["brookfield"] and share not in cards["alderbank"]
    assert ("1.2 · The city score of the latest whole period, with its cap, target and metric "
            "count: value: 0.813; period: Q4 2025; cap on each metric's score: 1.25; on-time "
            "target: 80%; metrics: 15") in html.unescape(cards["brookfield"])
    assert "top_5_types_share" not in cards["brookfield"] and '{"value"' not in cards["brookfield"]


def test_rates_per_1000_residents_and_shares_are_worked_out_per_city(cohort):
    table = rows(write_cohort_page(cohort).read_text(), "cohort")
    # By hand: 1,234 / 20,000 × 1,000 = 61.7; 5,678 / 50,000 × 1,000 = 113.6;
    # 4,321 / 30,000 × 1,000 = 144.0 (populations from the fixture city files).
    assert ">62<" in table["alderbank"] and ">114<" in table["brookfield"]
    assert ">144<" in table["cedarton"]
    assert ">7.1%<" in table["alderbank"] and ">33.3%<" in table["brookfield"]


def test_quality_scores_come_from_each_citys_own_account(project):
    profile = data_profile(load_city_data("brookfield"))
    # By hand, from the 6-row fixture export: rows with a problem, per dimension, over 6 rows
    # read. Uniqueness: 1 duplicate. Validity: 1 future date, 1 unreadable coordinate, 1
    # unknown channel. Completeness: 1 missing district, 2 missing coordinates.
    assert (profile["rows_read"], profile["rows_kept"], profile["rows_set_aside"]) == (6, 4, 2)
    assert profile["dimension_scores"] == {"completeness": 50.0, "validity": 50.0,
                                           "consistency": 100.0, "uniqueness": 83.3,
                                           "accuracy": 100.0}
    assert profile["quality_score"] == 0.0  # 7 problems over 6 rows: no row is sure to pass
    assert profile["synthetic"] is False
    alderbank = data_profile(load_city_data("alderbank"))
    # 14 rows: consistency 2 (closed without date, closed before opened) -> 85.7.
    assert alderbank["dimension_scores"]["consistency"] == 85.7
    assert list(alderbank["dimension_scores"]) == list(DIMENSIONS)


def test_synthetic_cities_are_labelled_on_their_row_card_and_charts(cohort):
    page = write_cohort_page(cohort).read_text()
    cards, table = sections(page), rows(page, "cohort")
    assert "Synthetic data" in table["cedarton"] and "Synthetic data" in cards["cedarton"]
    charts = re.findall(r"<svg class='chart' role='img' aria-label='([^']*)'.*?</svg>",
                        cards["cedarton"], re.DOTALL)
    assert len(charts) == 2 and all(label.startswith("Synthetic data.") for label in charts)
    assert cards["cedarton"].count("SYNTHETIC DATA") == 2  # drawn on each chart
    for real in ("alderbank", "brookfield"):
        assert "Synthetic data" not in table[real] and "SYNTHETIC" not in cards[real]


def test_the_synthetic_band_leaves_the_sparkline_s_scale_label_clear(cohort):
    card = sections(write_cohort_page(cohort).read_text())["cedarton"]
    band = re.search(r"<rect x='0' y='(\d+)' width='300' height='(\d+)'", card)
    band_bottom = int(band.group(1)) + int(band.group(2))
    # the scale's label: 10 px text (workbook.css), so its glyphs start 10 px above its y
    label_y = int(re.search(r"<text x='\d+' y='(\d+)' text-anchor='end' class='value'>\d+<",
                            card).group(1))
    assert label_y - 10 > band_bottom


def test_the_table_sorts_without_anything_from_outside(cohort):
    page = write_cohort_page(cohort).read_text()
    assert external_urls(page) == []
    assert "<script src" not in page and "addEventListener('click'" in page
    headers = re.findall(r"<th scope='col' aria-sort='none' data-type='(\w+)'><button", page)
    assert headers[:3] == ["text", "text", "number"] and len(headers) == 9
    table = rows(page, "cohort")
    # Number columns sort on the number itself, not on its formatted text.
    assert "data-sort='5678'" in table["brookfield"] and "data-sort='50000'" in table[
        "brookfield"]
    # Without script the rows are in alphabetical order.
    assert list(table) == ["alderbank", "brookfield", "cedarton"]


def test_the_modules_matrix_shows_built_failed_and_missing(cohort):
    matrix = rows(write_cohort_page(cohort).read_text(), "modules")
    assert "aria-label='At a glance: built'" in matrix["alderbank"]
    assert "aria-label='At a glance: failed'" in matrix["brookfield"]
    assert "aria-label='At a glance: not built'" in matrix["cedarton"]
    table = rows(write_cohort_page(cohort).read_text(), "cohort")
    assert ">2 of 2<" in table["alderbank"] and ">1 of 2<" in table["brookfield"]


def test_the_volume_charts_share_one_scale(cohort):
    cards = sections(write_cohort_page(cohort).read_text())
    tops = {city: re.findall(r"text-anchor='end' class='value'>(\d+)</text>", card)
            for city, card in cards.items()}
    scales = {values[0] for values in tops.values() if values}
    assert len(scales) == 1  # every card's chart tops out at the same rate


def test_a_profile_remembers_the_data_it_was_made_from(project, tmp_path):
    data = load_city_data("alderbank")
    write_profile(tmp_path, data, "abc")
    assert has_profile(tmp_path, "alderbank", "abc")
    assert not has_profile(tmp_path, "alderbank", "def")
    assert not has_profile(tmp_path, "brookfield", "abc")


def test_only_full_months_are_counted():
    opened = pd.Series(pd.to_datetime(["2025-01-15", "2025-02-01", "2025-02-28", "2025-03-01",
                                       "2025-03-31 18:00", "2025-04-10"], format="ISO8601"))
    # January starts mid-month and April ends early: both left out.
    assert _full_months(opened) == {"2025-02": 2, "2025-03": 2}


def test_an_empty_build_says_how_to_build(tmp_path):
    page = write_cohort_page(tmp_path / "build").read_text()
    assert "No city has been built yet" in page
    assert gather_cities(tmp_path / "nothing-here") == []


def test_cities_built_in_different_languages_share_each_module_s_column():
    from cda_lib.workbook.dashboard import module_column
    from cda_lib.workbook.site import BuiltModule

    spanish = BuiltModule(title="1.2 Medir el desempeño",
                          notebook="villa-serena/01_lead/02_measuring_performance.ipynb",
                          page="villa-serena/01_lead/02_measuring_performance.html", failed=None)
    failed = BuiltModule(title="1.2 Measuring performance", notebook=None, page=None,
                         failed="riverbend/01_lead/02_measuring_performance.failed.ipynb")
    assert module_column(spanish) == module_column(failed) == "1.2 Measuring performance"
    with use_language("es"):
        assert module_column(spanish) == "1.2 Medir el desempeño"
    other = BuiltModule(title="A fixture", notebook="x/09_fixture/01_x.ipynb", page=None,
                        failed=None)
    assert module_column(other) == "A fixture"


def test_the_page_says_how_far_apart_the_cities_are(cohort):
    # Rates by hand (as in the test above): 61.7, 113.6 and 144.0 per 1,000 residents.
    page = html.unescape(write_cohort_page(cohort).read_text())
    assert "Requests per 1,000 residents: from 62 in Alderbank to 144 in Cedarton." in page


def test_equal_figures_are_said_to_be_equal():
    from types import SimpleNamespace

    from cda_lib.workbook.dashboard import spread_sentences

    cards = [SimpleNamespace(name=name, requests_per_1000=rate, profile={"quality_score": score})
             for name, rate, score in (("Riverbend", 123.4, 92.84), ("Serra Clara", 123.41, 92.9))]
    assert spread_sentences(cards) == [
        "Requests per 1,000 residents: 123 in each of the 2 cities.",
        "Data-quality score: from 92.8 in Riverbend to 92.9 in Serra Clara."]
    assert spread_sentences(cards[:1]) == []
