"""The CKAN connector against the local DataStore: silently capped pages, totals, faults.

The resource holds make_rows(): 1,500 records, ``_id`` 1..1500.
"""

from __future__ import annotations

import pandas as pd
import pytest
from portal_server import RESOURCE_ID, PortalServer, make_rows

from cda_lib.core.errors import PortalError
from cda_lib.sources.ckan import CkanQuery, _stack, fetch_ckan
from cda_lib.sources.http import PortalClient, RetryPolicy

FAST = RetryPolicy(attempts=4, connect_timeout=1.0, read_timeout=0.3, backoff_seconds=0.01,
                   max_backoff_seconds=0.04)
ROWS_MAX = 300  # the portal's rows_max in these tests: it lowers any bigger limit to 300


@pytest.fixture
def portal():
    with PortalServer(ckan_rows_max=ROWS_MAX) as server:
        yield server


def fetch(portal: PortalServer, **changes):
    query = CkanQuery(**{"url": portal.url, "resource_id": RESOURCE_ID, **changes})
    with PortalClient("the test portal", FAST, sleep=lambda seconds: None) as client:
        return fetch_ckan(query, client)


def assert_complete(download) -> None:
    assert download.table["sr_number"].tolist() == [row["sr_number"] for row in make_rows()]
    assert download.table["_id"].tolist() == list(range(1, 1501))
    assert download.rows_expected == 1500


def test_the_server_caps_the_page_size_silently(portal):
    """The pitfall: a limit of 32,000 brings 300 records and a `limit` of 300, nothing else."""
    with PortalClient("the test portal", FAST) as client:
        body = client.get_json(f"{portal.url}/api/3/action/datastore_search",
                               {"resource_id": RESOURCE_ID, "limit": 32000}, what="a page")
    result = body["result"]
    assert (len(result["records"]), result["limit"], result["total"]) == (300, 300, 1500)


def test_a_capped_page_size_is_followed_to_the_total(portal):
    download = fetch(portal)  # asks for 32,000 a page
    assert_complete(download)
    pages = portal.requests_to("ckan")
    assert [int(r.params["offset"]) for r in pages] == [0, 300, 600, 900, 1200]
    # after the first answer the client asks for the page size the server echoed
    assert [int(r.params["limit"]) for r in pages] == [32000, 300, 300, 300, 300]
    assert {r.params["sort"] for r in pages} == {"_id"}
    assert download.details["page_size"] == 300


def test_filters_and_sort_are_sent(portal):
    download = fetch(portal, filters={"ward": "Ward 2"}, sort="created_date")
    # ward cycles Ward 1, 2, 3 by row, so rows 1, 4, 7, ... are Ward 2: 500 of 1,500
    assert len(download.table) == 500 and set(download.table["ward"]) == {"Ward 2"}
    request = portal.requests_to("ckan")[0]
    assert request.params["filters"] == '{"ward": "Ward 2"}'
    assert request.params["sort"] == "created_date, _id"


@pytest.mark.parametrize(("fault", "value"), [
    ("rate_limit", 0.05), ("server_error", 0), ("drop", 0), ("truncated_json", 0),
    ("slow", 0.6),
])
def test_a_passing_fault_on_a_page_still_gives_every_record_once(portal, fault, value):
    portal.fail("ckan", "page", fault, first=3, value=value)
    assert_complete(fetch(portal))


def test_short_pages_are_followed_to_the_total(portal):
    portal.fail("ckan", "page", "short_page", first=2, times=3, value=100)
    assert_complete(fetch(portal))
    offsets = [int(r.params["offset"]) for r in portal.requests_to("ckan")]
    assert offsets == [0, 300, 500, 700, 900, 1200]  # pages 2-4 brought 200 each


def test_an_estimated_total_is_read_to_the_first_empty_page():
    # 1,400 is the estimate; the table holds 1,500, so stopping at the estimate would lose 100
    with PortalServer(ckan_rows_max=ROWS_MAX, ckan_total_estimate=1400) as portal:
        download = fetch(portal)
        assert download.table["_id"].tolist() == list(range(1, 1501))
        assert download.rows_expected is None and download.details["total_was_estimated"]
        assert [int(r.params["offset"]) for r in portal.requests_to("ckan")][-1] == 1500


def test_a_repeated_page_is_caught_even_when_the_count_matches(portal):
    portal.fail("ckan", "page", "repeat_page", first=2)
    with pytest.raises(PortalError, match="sent some records of resource .* twice"):
        fetch(portal)


def test_pages_asked_for_without_a_sort_would_overlap(portal):
    seen: list[int] = []
    with PortalClient("the test portal", FAST) as client:
        for offset in range(0, 1500, ROWS_MAX):
            body = client.get_json(f"{portal.url}/api/3/action/datastore_search",
                                   {"resource_id": RESOURCE_ID, "limit": ROWS_MAX,
                                    "offset": offset}, what="a page")
            seen += [record["_id"] for record in body["result"]["records"]]
    assert len(seen) == 1500 and len(set(seen)) < 1400
    assert_complete(fetch(portal))  # the client always sorts


def test_an_unknown_resource_gets_the_servers_reason(portal):
    with pytest.raises(PortalError) as raised:
        fetch(portal, resource_id="no-such-resource")
    message = str(raised.value)
    assert "HTTP 404" in message and 'Resource "no-such-resource" was not found' in message


def test_a_page_that_keeps_failing_is_an_error_and_nothing_is_returned(portal):
    portal.fail("ckan", "page", "drop", first=2, times=None)
    with pytest.raises(PortalError, match="records 300\\+ of resource"):
        fetch(portal)


def test_the_search_index_column_is_not_data():
    table = _stack([pd.DataFrame({"_id": [1], "_full_text": ["x"], "a": ["b"]})],
                   ["_id", "a", "_full_text"])
    assert table.columns.tolist() == ["_id", "a"]
