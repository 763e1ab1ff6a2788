"""Page 3.3 as a city sees it: registered in theme 3 with its sections, the channel table or
a sentence when there is no channel, synthetic demographics labelled on the chart, a city's
own GeoJSON read, and the record the capstone reads (tests/equity_fixtures.py)."""

from __future__ import annotations

import dataclasses
import json

import pytest
from city_file_fixtures import fairfield_city_file
from equity_fixtures import DISTRICTS, equity_data

from cda_lib.cities.loader import load_city
from cda_lib.core.errors import ChartDataError, CityFileError
from cda_lib.sources.geojson import BoundaryError, read_district_shapes
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


def write_geojson(path, features):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def polygon_feature(properties, coordinates=((0, 0), (2, 0), (2, 1), (0, 1), (0, 0))):
    return {"type": "Feature", "properties": properties,
            "geometry": {"type": "Polygon", "coordinates": [list(map(list, coordinates))]}}


def test_a_messy_boundaries_file_keeps_what_it_can_and_counts_what_it_set_aside(tmp_path):
    path = write_geojson(tmp_path / "d.geojson", [
        polygon_feature({"name": "Amber"}),
        polygon_feature({"name": ""}),                      # no name
        polygon_feature({"ward": "Birch"}),                 # the name in another property
        polygon_feature({"name": "Cedar"}, coordinates=(("x", 1), (2, 0), (0, 0))),  # bad
        {"type": "Feature", "properties": {"name": "Dune"}, "geometry": None},
        polygon_feature({"name": "Elm"}, coordinates=((0, 0), (1, 1))),  # two points: no ring
    ])
    shapes = read_district_shapes(path)
    # read 6 = kept 1 (Amber) + 2 without a name + 3 without a usable polygon
    assert list(shapes) == ["Amber"]
    assert shapes.features_read == 6
    assert shapes.set_aside == {"no name": 2, "no usable polygon": 3}


def test_a_boundaries_file_with_nothing_usable_says_what_it_holds(tmp_path):
    path = write_geojson(tmp_path / "d.geojson", [polygon_feature({"ward": "Amber",
                                                                   "area": 3})])
    with pytest.raises(BoundaryError) as raised:
        read_district_shapes(path)
    message = str(raised.value)
    assert "None of the 1 features" in message
    assert "'name' property" in message and "area, ward" in message
    assert "name_property" in message
    (tmp_path / "list.geojson").write_text("[1, 2]")
    with pytest.raises(BoundaryError, match="not a GeoJSON FeatureCollection"):
        read_district_shapes(tmp_path / "list.geojson")


def test_the_choropleth_matches_names_forgivingly_and_says_what_it_could_not_draw(tmp_path):
    data = equity_data()  # districts Amber, Birch, Cedar
    path = write_geojson(tmp_path / "d.geojson", [
        polygon_feature({"name": "AMBER "}),
        polygon_feature({"name": "birch"}),
        polygon_feature({"name": "Harbour"}),
        polygon_feature({"name": None}),
    ])
    chart = plot_choropleth(equity_page(data).table, read_district_shapes(path),
                            context=data.chart_context, generated=False)
    notes = chart.alt_text
    assert "Map of 2 districts" in notes
    assert "1 district has no outline in the boundaries file and is not shown: Cedar." in notes
    assert "outlines 1 name that is no district in the data: Harbour." in notes
    assert "1 feature of the boundaries file was set aside" in notes


def test_a_choropleth_with_no_matching_name_names_both_sides(tmp_path):
    data = equity_data()
    path = write_geojson(tmp_path / "d.geojson", [polygon_feature({"name": "Harbour"})])
    with pytest.raises(ChartDataError) as raised:
        plot_choropleth(equity_page(data).table, read_district_shapes(path),
                        context=data.chart_context, generated=False)
    message = str(raised.value)
    assert "Amber, Birch, and Cedar" in message or "Amber, Birch and Cedar" in message
    assert "Harbour" in message


def test_a_city_file_kept_outside_the_workbook_names_its_boundaries_file(tmp_path):
    write_geojson(tmp_path / "wards.geojson", [polygon_feature({"ward": "Amber"}),
                                               polygon_feature({"ward": "Birch"})])
    path = tmp_path / "fairfield.yaml"
    path.write_text(fairfield_city_file(
        "district_boundaries", "{kind: local, path: wards.geojson, name_property: ward}"))
    city = load_city(path)
    assert city.sources["district_boundaries"].options == {"path": "wards.geojson",
                                                           "name_property": "ward"}
    # the page reads it beside the city file, by the property the city file names
    shapes, generated = district_shapes(dataclasses.replace(equity_data(), city=city))
    assert not generated and sorted(shapes) == ["Amber", "Birch"]
    path.write_text(fairfield_city_file("district_boundaries",
                                        "{kind: socrata, path: wards.geojson}"))
    with pytest.raises(CityFileError, match="cannot feed the district_boundaries table"):
        load_city(path)
    path.write_text(fairfield_city_file("district_boundaries",
                                        "{kind: local, path: w.geojson, mapping: m.yaml}"))
    with pytest.raises(CityFileError, match="mapping"):
        load_city(path)
