"""Tests for cda_lib.charts (style and kinds): titles stating the finding, honest captions.

The expected numbers come from the hand-made tables below; each test says how it
was counted. The main table has 24 requests, Jan–Apr 2025:

    month   rows    types (of 24)            districts (of 24)       coordinates (of 24)
    Jan     1-4     Pothole repair     10    Mill District  8        no coordinates  2 (9, 19)
    Feb     5-11    Streetlight out     6    Northbank      6        outside the box 2 (14, 17)
    Mar     12-16   Graffiti            4    Bluffside      5        inside the box 20
    Apr     17-24   Missed collection   3    Riverside      1 (not in the districts table)
                    (no type)           1    (no district)  4
"""

from __future__ import annotations

import base64
import html
import json
import re
import subprocess
import sys
from dataclasses import FrozenInstanceError

import matplotlib
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from cda_lib.charts.kinds import (
    plot_request_locations,
    plot_requests_by_district,
    plot_requests_per_month,
    plot_top_request_types,
    plot_weekday_pattern,
)
from cda_lib.charts.style import OKABE_ITO, SYNTHETIC_LABEL, Chart, ChartContext
from cda_lib.cities.city import Bounds
from cda_lib.cities.loader import load_city
from cda_lib.core.errors import CdaError, ChartDataError, SchemaError
from cda_lib.core.paths import project_dir
from cda_lib.core.schema import SERVICE_REQUESTS

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# (row) requested_datetime, service_name, district, lat, long
MAIN_ROWS = [
    ("2025-01-01 08:00", "Pothole repair", "Mill District", 44.10, -92.90),      # 1
    ("2025-01-06", "Pothole repair", "Mill District", 44.11, -92.91),            # 2
    ("2025-01-15", "Streetlight out", "Northbank", 44.15, -92.95),               # 3
    ("2025-01-31 23:00", "Graffiti", "Bluffside", 44.05, -92.85),                # 4
    ("2025-02-03", "Pothole repair", "Mill District", 44.12, -92.92),            # 5
    ("2025-02-04", "Pothole repair", "Northbank", 44.16, -92.96),                # 6
    ("2025-02-10", "Streetlight out", "Bluffside", 44.06, -92.86),               # 7
    ("2025-02-11", "Missed collection", None, 44.10, -92.88),                    # 8
    ("2025-02-17", "Pothole repair", "Mill District", None, None),               # 9
    ("2025-02-24", "Graffiti", "Northbank", 44.17, -92.97),                      # 10
    ("2025-02-28", "Streetlight out", None, 44.13, -92.93),                      # 11
    ("2025-03-03", "Pothole repair", "Mill District", 44.10, -92.90),            # 12
    ("2025-03-10", "Missed collection", "Bluffside", 44.07, -92.87),             # 13
    ("2025-03-17", "Pothole repair", "Northbank", 44.23, -92.90),                # 14 north of box
    ("2025-03-24", "Graffiti", "Riverside", 44.14, -92.94),                      # 15
    ("2025-03-31", "Streetlight out", "Mill District", 44.11, -92.91),           # 16
    ("2025-04-01", "Pothole repair", "Northbank", 0.0, 0.0),                     # 17 far away
    ("2025-04-02", "Streetlight out", "Bluffside", 44.08, -92.88),               # 18
    ("2025-04-03", None, None, None, None),                                      # 19
    ("2025-04-04", "Pothole repair", "Mill District", 44.12, -92.92),            # 20
    ("2025-04-07", "Missed collection", "Northbank", 44.18, -92.98),             # 21
    ("2025-04-08", "Graffiti", None, 44.09, -92.89),                             # 22
    ("2025-04-09", "Streetlight out", "Bluffside", 44.05, -92.85),               # 23
    ("2025-04-10", "Pothole repair", "Mill District", 44.13, -92.93),            # 24
]

# Two full weeks, Monday 3 March to Sunday 16 March 2025 (each weekday occurs twice).
# Requests per weekday: Mon 6, Tue 4, Wed 3, Thu 2, Fri 2, Sat 2, Sun 1 (20 in all).
WEEKDAY_DATES = (
    ["2025-03-03"] * 3 + ["2025-03-10"] * 3          # Mondays
    + ["2025-03-04"] * 2 + ["2025-03-11"] * 2        # Tuesdays
    + ["2025-03-05"] * 2 + ["2025-03-12"]            # Wednesdays
    + ["2025-03-06", "2025-03-13"]                   # Thursdays
    + ["2025-03-07", "2025-03-14"]                   # Fridays
    + ["2025-03-08", "2025-03-15"]                   # Saturdays
    + ["2025-03-16"]                                 # Sunday
)


def make_requests(rows) -> pd.DataFrame:
    """A service requests table with the canonical columns and types."""
    table = pd.DataFrame(rows, columns=["requested_datetime", "service_name", "district",
                                        "lat", "long"])
    table["requested_datetime"] = pd.to_datetime(table["requested_datetime"], format="ISO8601")
    table["service_request_id"] = [str(i + 1) for i in range(len(table))]
    table["service_code"] = "X"
    table["status"] = "open"
    for column in SERVICE_REQUESTS.columns:
        if column not in table.columns:
            table[column] = None
    return table[SERVICE_REQUESTS.columns].astype(SERVICE_REQUESTS.dtypes)


def dated_requests(dates) -> pd.DataFrame:
    return make_requests([(d, "Pothole repair", "Mill District", 44.1, -92.9) for d in dates])


@pytest.fixture
def requests() -> pd.DataFrame:
    return make_requests(MAIN_ROWS)


@pytest.fixture
def districts() -> pd.DataFrame:
    # Populations chosen so the rates are easy to check by hand.
    return pd.DataFrame({
        "district_id": pd.array(["D1", "D2", "D3"], dtype="string"),
        "district": pd.array(["Mill District", "Northbank", "Bluffside"], dtype="string"),
        "population": pd.array([2000, 4000, 5000], dtype="int64"),
    })


@pytest.fixture
def bounds() -> Bounds:
    return Bounds(south=44.0, west=-93.0, north=44.2, east=-92.8)


@pytest.fixture
def synthetic() -> ChartContext:
    return ChartContext("Riverbend", synthetic=True, source_note="Source: Riverbend 311, synthetic")


@pytest.fixture
def real() -> ChartContext:
    return ChartContext("Riverbend", synthetic=False)


# Every chart, built from the main table, so the shared promises are tested for each.
BUILDERS = {
    "per_month": lambda t, d, b, c: plot_requests_per_month(t, context=c),
    "top_types": lambda t, d, b, c: plot_top_request_types(t, context=c),
    "by_district": lambda t, d, b, c: plot_requests_by_district(t, d, context=c),
    "weekday": lambda t, d, b, c: plot_weekday_pattern(t, context=c),
    "locations": lambda t, d, b, c: plot_request_locations(t, b, context=c),
}


@pytest.fixture(params=list(BUILDERS))
def build(request, requests, districts, bounds):
    """Build one kind of chart from a table (the main one unless given) and a context."""
    def build_chart(context: ChartContext, table: pd.DataFrame | None = None) -> Chart:
        return BUILDERS[request.param](requests if table is None else table, districts, bounds,
                                       context)
    return build_chart


def texts(chart: Chart) -> list[str]:
    return [t.get_text() for t in chart.figure.findobj(Text) if t.get_text()]


def caption(chart: Chart) -> str:
    """All the figure's words, with line wrapping undone."""
    return " ".join(" ".join(texts(chart)).split())


def the_axes(chart: Chart):
    (ax,) = chart.figure.axes
    return ax


def bar_widths_top_down(chart: Chart) -> list[float]:
    bars = sorted(the_axes(chart).patches, key=lambda bar: -bar.get_y())
    return [round(bar.get_width(), 6) for bar in bars]


def scatter_points(chart: Chart) -> dict[str, int]:
    return {c.get_label(): len(c.get_offsets()) for c in the_axes(chart).collections
            if isinstance(c, PathCollection)}


# --- what every chart promises --------------------------------------------------------------


def test_every_chart_labels_both_axes(build, real):
    ax = the_axes(build(real))
    assert ax.get_xlabel().strip()
    assert ax.get_ylabel().strip()


def test_synthetic_data_is_labeled_in_the_figure_and_the_alt_text(build, synthetic):
    chart = build(synthetic)
    assert SYNTHETIC_LABEL in texts(chart)
    assert chart.alt_text.startswith("Synthetic data.")


def test_real_data_carries_no_synthetic_label(build, real):
    chart = build(real)
    assert not any("SYNTHETIC" in text.upper() for text in texts(chart))
    assert not chart.alt_text.lower().startswith("synthetic")


def test_the_title_is_drawn_and_repeated_in_the_alt_text(build, real):
    chart = build(real)
    assert chart.title in caption(chart)
    assert f"{chart.title}." in chart.alt_text


def test_the_source_note_is_shown_at_the_bottom(build, synthetic):
    chart = build(synthetic)
    (note,) = [t for t in chart.figure.texts if t.get_text() == synthetic.source_note]
    title = [t for t in chart.figure.texts if t.get_text().replace("\n", " ") == chart.title]
    assert note.get_position()[1] < the_axes(chart).get_position().y0  # below the plot
    assert note.get_position()[1] < title[0].get_position()[1]


def test_html_is_an_offline_image_with_escaped_alt_text(build):
    context = ChartContext('St. <Ann> & "Bay"', synthetic=True)
    chart = build(context)
    page = chart._repr_html_()
    match = re.fullmatch(
        r'<figure class="cda-chart"><img src="data:image/png;base64,([A-Za-z0-9+/=]+)" '
        r'alt="([^"]*)" style="max-width:100%;height:auto"></figure>', page)  # fits its panel
    assert match, page[:200]
    assert base64.b64decode(match.group(1)).startswith(PNG_SIGNATURE)
    assert match.group(2) == html.escape(chart.alt_text, quote=True)
    assert "St. &lt;Ann&gt; &amp; &quot;Bay&quot;" in match.group(2)  # every city name is in it
    assert not re.search(r"https?://", page)


def test_empty_table_says_there_is_nothing_to_plot(build, requests, real):
    with pytest.raises(ChartDataError, match="nothing to plot.*no rows") as caught:
        build(real, requests.iloc[0:0])
    assert isinstance(caught.value, CdaError) and isinstance(caught.value, ValueError)


def test_building_charts_leaves_matplotlib_settings_alone(build, real):
    before = dict(matplotlib.rcParams.copy())  # a copy: reading "backend" could resolve it
    build(real)._repr_png_()
    assert dict(matplotlib.rcParams.copy()) == before


# --- the Chart object ------------------------------------------------------------------------


def test_png_and_save_write_a_png_at_the_house_width(requests, real, tmp_path):
    chart = plot_weekday_pattern(requests, context=real)
    png = chart._repr_png_()
    assert png.startswith(PNG_SIGNATURE)
    width = int.from_bytes(png[16:20], "big")  # the IHDR chunk holds width then height
    assert width == 800  # 8 inches at 100 dots per inch
    saved = chart.save(tmp_path / "weekday.png")
    assert saved.read_bytes().startswith(PNG_SIGNATURE)


def test_jupyter_bundle_draws_once_for_html_and_png(requests, real):
    chart = plot_weekday_pattern(requests, context=real)
    bundle = chart._repr_mimebundle_()
    encoded = base64.b64encode(bundle["image/png"]).decode("ascii")
    assert encoded in bundle["text/html"]
    assert chart.title in bundle["text/plain"]


def test_chart_context_is_frozen(synthetic):
    with pytest.raises(FrozenInstanceError):
        synthetic.synthetic = False


def test_palette_is_okabe_ito():
    # The eight colours as published by Okabe & Ito (2008), in their order.
    assert OKABE_ITO == ("#000000", "#E69F00", "#56B4E9", "#009E73",
                         "#F0E442", "#0072B2", "#D55E00", "#CC79A7")


def test_importing_charts_changes_no_matplotlib_setting_or_backend():
    # A fresh interpreter, so nothing imported by other tests hides a change.
    script = """
import json, sys, matplotlib
import pandas as pd
before = dict(matplotlib.rcParams.copy())
backend = matplotlib.get_backend(auto_select=False)
import cda_lib.charts as charts
table = pd.DataFrame({"service_name": ["Pothole", "Pothole", "Graffiti"]})
chart = charts.plot_top_request_types(table, context=charts.ChartContext("X", synthetic=True))
chart._repr_html_()
after = dict(matplotlib.rcParams.copy())
print(json.dumps({
    "changed": sorted(k for k in before if before[k] != after[k]),
    "backend_same": matplotlib.get_backend(auto_select=False) == backend,
    "pyplot_imported": "matplotlib.pyplot" in sys.modules,
}))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=project_dir(), timeout=120, check=True)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"changed": [], "backend_same": True, "pyplot_imported": False}


# --- requests per month ----------------------------------------------------------------------


def test_per_month_title_names_the_peak_among_complete_months(requests, real):
    chart = plot_requests_per_month(requests, context=real)
    # Jan 4 (rows 1-4), Feb 7 (rows 5-11), Mar 5 (rows 12-16), Apr 8 (rows 17-24). April
    # has the most, but the data stops on 10 April, so February's 7 is the peak.
    assert chart.title == "Requests peaked in February 2025 at 7"
    assert "April 2025 may be incomplete: the data stops on 10 Apr 2025" in caption(chart)
    solid = the_axes(chart).lines[0]
    assert list(solid.get_ydata()) == [4, 7, 5]
    assert the_axes(chart).get_ylabel() == "Requests per month"


def test_per_month_counts_a_month_without_requests_as_zero(real):
    chart = plot_requests_per_month(
        dated_requests(["2025-01-01", "2025-01-20", "2025-03-05", "2025-03-31"]), context=real)
    # January 2, February none, March 2; data runs 1 Jan to 31 Mar, so all months complete.
    assert list(the_axes(chart).lines[0].get_ydata()) == [2, 0, 2]
    assert chart.title == "Requests peaked in January 2025 at 2 (reached again in 1 later month)"
    assert "incomplete" not in caption(chart)


def test_per_month_counts_requests_without_a_date_in_the_caption(requests, real):
    requests.loc[[4, 5, 6], "requested_datetime"] = pd.NaT  # rows 5-7 (February)
    chart = plot_requests_per_month(requests, context=real)
    assert "Not shown: 3 requests without a date." in caption(chart)
    assert chart.title == "Requests peaked in March 2025 at 5"  # February falls to 7 - 3 = 4
    assert "Not shown: 3 requests without a date." in chart.alt_text


def test_per_month_asks_for_dates_not_text(requests, real):
    requests["requested_datetime"] = requests["requested_datetime"].astype("string")
    with pytest.raises(SchemaError, match="not dates"):
        plot_requests_per_month(requests, context=real)


# --- top request types ------------------------------------------------------------------------


def test_top_types_title_names_the_leader_and_its_share(requests, real):
    chart = plot_top_request_types(requests, context=real)
    # Pothole repair: 10 of 24 requests = 41.7%, shown as 42%.
    assert chart.title == "Pothole repair is the most common request: 42% of all requests"
    assert the_axes(chart).get_xlabel() == "Requests (count)"


def test_top_types_are_largest_first_with_shares_of_all_requests(requests, real):
    chart = plot_top_request_types(requests, context=real, top=3)
    assert bar_widths_top_down(chart) == [10, 6, 4]
    # 10/24 = 42%, 6/24 = 25%, 4/24 = 17%; the rest: Missed collection, 3/24 = 12.5% -> 13%
    # (halves round up, as by hand: cda_lib.text.numbers).
    words = caption(chart)
    for label in ("10 (42%)", "6 (25%)", "4 (17%)"):
        assert label in texts(chart)
    assert "the other request type, 3 requests (13% of all requests)" in words
    assert "Counted in the total but not in any bar: 1 request without a request type." in words


def test_top_types_rejects_a_top_of_zero(requests, real):
    with pytest.raises(ChartDataError, match="at least 1"):
        plot_top_request_types(requests, context=real, top=0)


# --- requests by district --------------------------------------------------------------------


def test_district_title_names_the_highest_and_lowest_rate(requests, districts, real):
    chart = plot_requests_by_district(requests, districts, context=real)
    # Mill District 8 / 2,000 x 1,000 = 4.0; Northbank 6 / 4,000 x 1,000 = 1.5;
    # Bluffside 5 / 5,000 x 1,000 = 1.0.
    assert chart.title == ("Mill District had the most requests per 1,000 residents (4.0); "
                           "Bluffside the fewest (1.0)")
    assert bar_widths_top_down(chart) == [4.0, 1.5, 1.0]
    assert {"4.0 (8 requests)", "1.5 (6 requests)", "1.0 (5 requests)"} <= set(texts(chart))
    assert the_axes(chart).get_xlabel() == "Requests per 1,000 residents"


def test_district_rates_a_year_divide_by_the_calendar_months_the_data_covers(
        requests, districts, real):
    chart = plot_requests_by_district(requests, districts, context=real, per_year=True)
    # January to April 2025: 4 calendar months, a third of a year. Mill District 4.0 x 3 = 12.0;
    # Northbank 1.5 x 3 = 4.5; Bluffside 1.0 x 3 = 3.0.
    assert chart.title == ("Mill District had the most requests per 1,000 residents a year "
                           "(12.0); Bluffside the fewest (3.0)")
    assert bar_widths_top_down(chart) == pytest.approx([12.0, 4.5, 3.0])
    assert the_axes(chart).get_xlabel() == "Requests per 1,000 residents a year"


def test_district_caption_counts_what_is_left_out_and_who_calls(requests, districts, real):
    words = caption(plot_requests_by_district(requests, districts, context=real))
    assert "Not shown: 4 requests without a district." in words  # rows 8, 11, 19, 22
    assert ('Not shown: 1 request naming a district that is not in the districts table '
            '("Riverside").') in words  # row 15
    assert "311 volume measures who calls, not only need" in words


def test_district_rate_per_other_base(requests, districts, real):
    chart = plot_requests_by_district(requests, districts, context=real, per=100)
    # Mill District 8 / 2,000 x 100 = 0.4; Bluffside 5 / 5,000 x 100 = 0.1.
    assert chart.title == ("Mill District had the most requests per 100 residents (0.4); "
                           "Bluffside the fewest (0.1)")


def test_district_ids_instead_of_names_get_a_clear_error(requests, districts, real):
    requests["district"] = pd.array(["D1"] * len(requests), dtype="string")
    with pytest.raises(ChartDataError, match="not ids"):
        plot_requests_by_district(requests, districts, context=real)


def test_district_column_with_no_values_says_so(requests, districts, real):
    requests["district"] = pd.array([None] * len(requests), dtype="string")
    with pytest.raises(ChartDataError, match="none of the 24 requests has a district"):
        plot_requests_by_district(requests, districts, context=real)


def test_district_chart_reads_a_city_files_districts_table(real):
    city = load_city("riverbend")
    first, second = city.district_names()[:2]
    table = make_requests([("2025-01-01", "Pothole repair", first, None, None)] * 3
                          + [("2025-01-02", "Pothole repair", second, None, None)])
    chart = plot_requests_by_district(table, city.districts_table(), context=real)
    # Districts with no requests count as 0 per 1,000, so one of them is the lowest.
    assert chart.title.startswith(f"{first} had the most requests per 1,000 residents")
    assert chart.title.endswith("the fewest (0.0)")


# --- weekday pattern -------------------------------------------------------------------------


def test_weekday_title_names_the_busiest_and_quietest_day(real):
    chart = plot_weekday_pattern(dated_requests(WEEKDAY_DATES), context=real)
    # Each weekday occurs twice: Mon 6/2 = 3.0, Tue 4/2 = 2.0, Wed 3/2 = 1.5, Thu/Fri/Sat
    # 2/2 = 1.0, Sun 1/2 = 0.5.
    assert chart.title == ("Mondays are busiest, with 3.0 requests on an average Monday; "
                           "Sundays are quietest, with 0.5")
    heights = [bar.get_height() for bar in the_axes(chart).patches]
    assert heights == [3.0, 2.0, 1.5, 1.0, 1.0, 1.0, 0.5]
    assert "Averages over the 14 days from 3 Mar 2025 to 16 Mar 2025" in caption(chart)


def test_weekday_averages_count_days_without_requests(real):
    chart = plot_weekday_pattern(dated_requests(["2025-03-03", "2025-03-17"]), context=real)
    # 3 to 17 March holds three Mondays (3, 10, 17): 2 requests / 3 Mondays = 0.67 -> 0.7,
    # not the 1.0 an average over days with requests would give.
    # Tuesday to Sunday have none: Tuesday comes first and shares 0.0 with five other days.
    assert chart.title == ("Mondays are busiest, with 0.7 requests on an average Monday; "
                           "Tuesdays are quietest (tied with 5 other days), with 0.0")


def test_weekday_title_says_when_the_week_is_even(real):
    one_a_day = [f"2025-03-{day:02d}" for day in range(3, 10)]  # Monday 3 to Sunday 9 March
    chart = plot_weekday_pattern(dated_requests(one_a_day), context=real)
    assert chart.title == "Requests are spread evenly over the week: 1.0 to 1.0 on an average day"


# --- request locations -----------------------------------------------------------------------


def test_locations_title_counts_points_outside_the_box(requests, bounds, real):
    chart = plot_request_locations(requests, bounds, context=real)
    # 24 rows - 2 without coordinates (9, 19) = 22 mapped; rows 14 (lat 44.23 > 44.2) and
    # 17 (0, 0) lie outside the box.
    assert chart.title == "2 of 22 mapped requests lie outside Riverbend's bounding box"
    assert the_axes(chart).get_xlabel() == "Longitude (degrees)"
    assert the_axes(chart).get_ylabel() == "Latitude (degrees)"


def test_locations_caption_counts_missing_coordinates_and_districts(requests, bounds, real):
    words = caption(plot_request_locations(requests, bounds, context=real))
    assert "Not shown: 2 requests without coordinates." in words
    # Row 17 at (0, 0) is beyond the map's margin, so it is pinned to the edge.
    assert ("Marked ×: 2 requests outside the city's bounding box (1 far away, pinned to the "
            "edge of the map).") in words
    assert "In grey: 3 mapped requests without a district." in words  # rows 8, 11, 22


def test_locations_points_by_district_with_the_box_drawn(requests, bounds, real):
    chart = plot_request_locations(requests, bounds, context=real)
    # Inside the box: Bluffside 4, 7, 13, 18, 23; Mill District 1, 2, 5, 12, 16, 20, 24;
    # Northbank 3, 6, 10, 21; Riverside 15; no district 8, 11, 22. Outside: 14, 17.
    assert scatter_points(chart) == {"Bluffside": 5, "Mill District": 7, "Northbank": 4,
                                     "Riverside": 1, "No district": 3, "Outside the box": 2}
    ax = the_axes(chart)
    (bluffside,) = [c for c in ax.collections if c.get_label() == "Bluffside"]
    assert tuple(bluffside.get_facecolor()[0]) == to_rgba(OKABE_ITO[1])  # first, alphabetically
    (outside,) = [c for c in ax.collections if c.get_label() == "Outside the box"]
    assert outside.get_paths()[0] != bluffside.get_paths()[0]  # a different marker
    west, east = ax.get_xlim()
    south, north = ax.get_ylim()
    for long, lat in outside.get_offsets():  # pinned ones stay on the map
        assert west <= long <= east and south <= lat <= north
    (box,) = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_label()]
    assert box.get_xy() == (-93.0, 44.0)
    assert box.get_width() == pytest.approx(0.2) and box.get_height() == pytest.approx(0.2)


def test_locations_sample_large_tables_the_same_way_every_time(requests, bounds, real):
    first = plot_request_locations(requests, bounds, context=real, sample=10)
    second = plot_request_locations(requests, bounds, context=real, sample=10)
    assert sum(scatter_points(first).values()) == 10
    assert "Sample: 10 of the 22 mapped requests are drawn" in caption(first)
    assert first.title == "2 of 22 mapped requests lie outside Riverbend's bounding box"
    offsets = [c.get_offsets().tolist() for c in the_axes(first).collections]
    assert offsets == [c.get_offsets().tolist() for c in the_axes(second).collections]


def test_locations_all_inside(requests, bounds, real):
    inside_only = requests.drop(index=[13, 16])  # rows 14 and 17
    chart = plot_request_locations(inside_only, bounds, context=real)
    assert chart.title == "All 20 mapped requests lie inside Riverbend's bounding box"
    assert "Marked ×" not in caption(chart)


def test_locations_without_any_coordinates_say_so(requests, bounds, real):
    requests[["lat", "long"]] = float("nan")
    with pytest.raises(ChartDataError, match="none of the 24 requests has coordinates"):
        plot_request_locations(requests, bounds, context=real)

