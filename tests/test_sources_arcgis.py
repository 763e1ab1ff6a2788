"""The ArcGIS connector against the local feature layer: paging, object-id chunks, faults.

The layer holds make_rows() with OBJECTID 1..1500 (row i has OBJECTID i + 1) and
pages at most 400 features. Its dates are stored as UTC milliseconds of the rows'
Chicago local times. In Chicago time the 2024 window holds rows 107 to 1361 (see
test_sources_socrata.py for the arithmetic). Read in UTC, local midnight is 6 hours
later (Chicago is UTC−6 in winter), so the same window in UTC starts at local
2023-12-31 18:00, hour 738 (first row 7 × 106 = 742), and ends before local
2024-12-31 18:00, hour 9,522 (last row 7 × 1360 = 9,520): rows 106 to 1360.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from portal_server import PortalServer, make_rows

from cda_lib.core.errors import PortalError
from cda_lib.sources.arcgis import ArcGisQuery, fetch_arcgis
from cda_lib.sources.http import PortalClient, RetryPolicy

FAST = RetryPolicy(attempts=4, connect_timeout=1.0, read_timeout=0.3, backoff_seconds=0.01,
                   max_backoff_seconds=0.04)
ZONE = "America/Chicago"
FIRST, LAST = 107, 1361


def serve(**options):
    return PortalServer(**options)


@pytest.fixture
def portal():
    with serve() as server:
        yield server


def window_query(portal: PortalServer, **changes) -> ArcGisQuery:
    options = {"date_column": "created_date", "start": dt.date(2024, 1, 1),
               "end": dt.date(2024, 12, 31), "time_zone": ZONE}
    return ArcGisQuery(portal.layer_url, **{**options, **changes})


def fetch(query: ArcGisQuery):
    with PortalClient("the test layer", FAST, sleep=lambda seconds: None) as client:
        return fetch_arcgis(query, client)


def ids(first: int = FIRST, last: int = LAST) -> list[str]:
    rows = make_rows()
    return [rows[i]["sr_number"] for i in range(first, last + 1)]


def assert_complete(download, first: int = FIRST, last: int = LAST) -> None:
    table = download.table
    assert table["sr_number"].tolist() == ids(first, last)
    assert table["OBJECTID"].tolist() == list(range(first + 1, last + 2))
    assert download.rows_expected == last - first + 1


def page_offsets(portal: PortalServer) -> list[int]:
    return [int(r.params["resultOffset"]) for r in portal.requests_to("arcgis", "page")]


def test_pages_follow_exceeded_transfer_limit_in_object_id_order(portal):
    download = fetch(window_query(portal, page_size=5000))
    assert_complete(download)
    assert page_offsets(portal) == [0, 400, 800, 1200]  # the layer's 400, not the 5,000 asked
    pages = portal.requests_to("arcgis", "page")
    assert {r.params["orderByFields"] for r in pages} == {"OBJECTID"}
    assert {r.params["outSR"] for r in pages} == {"4326"}


def test_dates_come_back_in_the_citys_local_time(portal):
    table = fetch(window_query(portal)).table
    rows = make_rows()
    expected = pd.to_datetime([rows[i]["created_date"] for i in range(FIRST, LAST + 1)])
    assert table["created_date"].tolist() == expected.tolist()
    assert table["created_date"].dtype == "datetime64[ns]"


def test_without_a_time_zone_the_window_and_dates_are_utc(portal):
    download = fetch(window_query(portal, time_zone=None))
    assert_complete(download, 106, 1360)
    # row 106 opened 2023-12-31 22:00 in Chicago, which is 04:00 the next day in UTC
    assert download.table["created_date"].iloc[0] == pd.Timestamp("2024-01-01 04:00")


def test_points_come_back_as_longitude_and_latitude(portal):
    table = fetch(window_query(portal)).table
    row = make_rows()[FIRST]
    assert table[["geometry_long", "geometry_lat"]].iloc[0].tolist() == [
        float(row["longitude"]), float(row["latitude"])]


def test_a_server_that_cannot_page_is_read_by_object_id_chunks():
    with serve(arcgis_pagination=False) as portal:
        assert_complete(fetch(window_query(portal)))
        chunks = portal.requests_to("arcgis", "page")
        assert {r.method for r in chunks} == {"POST"}  # long id lists go in a form
        sizes = [len(r.params["objectIds"].split(",")) for r in chunks]
        assert sizes == [400, 400, 400, 55]  # 1,255 ids in chunks of the layer's 400
        assert not any("resultOffset" in r.params for r in chunks)


def test_a_server_that_does_not_flag_paged_answers_is_paged_by_the_count():
    # ArcGIS 10.3 pages but flags exceededTransferLimit only from 10.3.1 on.
    with serve(arcgis_flags_paged_results=False) as portal:
        assert_complete(fetch(window_query(portal)))
        assert page_offsets(portal) == [0, 400, 800, 1200]


@pytest.mark.parametrize(("fault", "value", "status"), [
    ("rate_limit", 0.05, 429), ("server_error", 0, 503), ("drop", 0, 0),
    ("truncated_json", 0, 0), ("slow", 0.6, 0), ("arcgis_error", 0, 500),
])
def test_a_passing_fault_on_a_page_still_gives_every_feature_once(portal, fault, value, status):
    portal.fail("arcgis", "page", fault, first=2, value=value, status=status)
    assert_complete(fetch(window_query(portal)))


def test_a_short_page_is_followed_from_where_it_ended(portal):
    portal.fail("arcgis", "page", "short_page", first=2, value=50)
    assert_complete(fetch(window_query(portal)))
    assert page_offsets(portal) == [0, 400, 750, 1150]  # page 2 brought 350


def test_a_short_page_that_claims_to_be_the_last_is_an_error(portal):
    portal.fail("arcgis", "page", "short_page_no_flag", first=2, value=50)
    with pytest.raises(PortalError, match="has 1,255 rows but sent 750"):
        fetch(window_query(portal))


def test_a_page_repeated_by_the_server_is_caught_even_when_the_count_matches(portal):
    portal.fail("arcgis", "page", "repeat_page", first=2)
    with pytest.raises(PortalError, match="sent some features of layer Requests/0 twice"):
        fetch(window_query(portal))


def test_features_skipped_from_an_id_chunk_are_asked_for_again():
    with serve(arcgis_pagination=False) as portal:
        portal.fail("arcgis", "page", "skip_ids", first=2)
        download = fetch(window_query(portal))
        assert sorted(download.table["OBJECTID"]) == list(range(FIRST + 1, LAST + 2))
        assert len(portal.requests_to("arcgis", "page")) == 5  # 4 chunks + 1 for the skipped


def test_an_id_chunk_that_stays_incomplete_is_an_error():
    with serve(arcgis_pagination=False) as portal:
        portal.fail("arcgis", "page", "skip_ids", first=1, times=None)
        with pytest.raises(PortalError, match="did not send 1 features of layer Requests/0"):
            fetch(window_query(portal))


def test_a_refusal_inside_a_200_answer_is_an_error_with_the_servers_words(portal):
    portal.fail("arcgis", "page", "arcgis_error", status=400)
    with pytest.raises(PortalError, match="error 400: Unable to complete operation"):
        fetch(window_query(portal))
    assert len(portal.requests_to("arcgis", "page")) == 1  # not retried


def test_more_features_counted_than_sent_is_an_error(portal):
    portal.fail("arcgis", "count", "wrong_count", value=3)
    with pytest.raises(PortalError, match="has 1,258 rows but sent 1,255"):
        fetch(window_query(portal))


def test_pages_asked_for_without_an_order_would_overlap(portal):
    seen: list[int] = []
    with PortalClient("the test layer", FAST) as client:
        for offset in range(0, 1500, 400):
            body = client.get_json(f"{portal.layer_url}/query",
                                   {"where": "1=1", "outFields": "*", "f": "json",
                                    "resultOffset": offset, "resultRecordCount": 400},
                                   what="a page")
            seen += [f["attributes"]["OBJECTID"] for f in body["features"]]
    assert len(seen) == 1500 and len(set(seen)) < 1400
    assert_complete(fetch(window_query(portal)))  # the client always orders


def test_a_query_address_is_read_as_its_layer():
    query = ArcGisQuery("https://maps.city.gov/arcgis/rest/services/SR/FeatureServer/3/query")
    assert query.layer_url == "https://maps.city.gov/arcgis/rest/services/SR/FeatureServer/3"
    assert query.name == "SR/3"
    assert query.cache_query()["dataset"] == "SR/3"
