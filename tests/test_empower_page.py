"""Page 3.3 as a city sees it: registered in theme 3 with its sections, the channel table or
a sentence when there is no channel, synthetic demographics labelled on the chart, a city's
own GeoJSON read, and the record the capstone reads (tests/equity_fixtures.py)."""

from __future__ import annotations

import dataclasses
import json

from equity_fixtures import DISTRICTS, equity_data

from cda_lib.sources.geojson import read_district_shapes
from cda_lib.themes import all_themes, find_module
from cda_lib.themes.empower.charts import plot_choropleth, plot_days_against_income
from cda_lib.themes.empower.page import channels, district_shapes, equity_page


def test_module_3_3_is_registered_in_theme_3():
    themes = dict(all_themes())
    assert themes["empower"].number == 3
    module = find_module("3.3")
    assert module.notebook == "03_empower/03_who_is_served.ipynb"
    assert [s.key for s in module.sections] == ["measures", "channels", "fair", "charts"]
    assert module.writes == ("equity_by_district",)


def test_the_channel_table_and_a_sentence_without_channels():
    data = equity_data()
    page = equity_page(data)
    # Amber: 15 of 20 by phone = 75%
    assert "75%" in str(channels(data, page))
    bare = dataclasses.replace(data, requests=data.requests.drop(columns=["channel"]))
    assert "no channel column" in str(channels(bare, page))


def test_synthetic_demographics_label_the_chart():
    data = dataclasses.replace(equity_data(), districts=DISTRICTS[["district_id", "district",
                                                                   "population"]])
    page = equity_page(data)
    assert page.synthetic_demographics and page.context.synthetic
    chart = plot_days_against_income(page.table, context=page.context)
    assert chart.alt_text.startswith("Synthetic data.")
    assert "synthetic" in str(page.readable())


def test_generated_shapes_draw_a_choropleth_that_says_so():
    data = equity_data()
    shapes, generated = district_shapes(data)
    assert generated and sorted(shapes) == ["Amber", "Birch", "Cedar"]
    chart = plot_choropleth(equity_page(data).table, shapes, context=data.chart_context,
                            generated=True)
    assert "not a map" in chart.alt_text


def test_a_geojson_of_the_districts_is_read(tmp_path):
    square = [[[0, 0], [2, 0], [2, 1], [0, 1], [0, 0]]]
    path = tmp_path / "districts.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ward": "Amber"},
         "geometry": {"type": "MultiPolygon", "coordinates": [square]}}]}))
    shapes = read_district_shapes(path, name_property="ward")
    assert shapes == {"Amber": [[(0.0, 0.0), (2.0, 0.0), (2.0, 1.0), (0.0, 1.0), (0.0, 0.0)]]}
