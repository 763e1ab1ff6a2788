"""The Socrata connector against the local portal: complete, ordered, windowed, or a clear error.

The portal publishes make_rows(): row i opened at 2023-12-01 00:00 + 7 h × i, 1,500
rows. The 2024 window (2024-01-01 to 2024-12-31) holds rows 107 to 1361, worked out by
hand: 2024-01-01 is 744 hours after the start, and 7 × 107 = 749 is the first multiple
of 7 at or past it; 2025-01-01 is 744 + 366 × 24 = 9,528 hours after, and
7 × 1361 = 9,527 is the last multiple before it. So 1,361 − 107 + 1 = 1,255 rows.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from portal_server import (
    CLOSED_BEFORE_OPENED_ROW,
    DATASET,
    DUPLICATE_OF_PREVIOUS_ROW,
    MISSING_TYPE_ROW,
    PortalServer,
    make_rows,
)

from cda_lib.core.errors import PortalError
from cda_lib.sources import conform
from cda_lib.sources.http import PortalClient, RetryPolicy
from cda_lib.sources.socrata import SocrataQuery, fetch_socrata

FIXTURES_MAPPING = "tests/fixtures/portal/portal_rows.yaml"
FAST = RetryPolicy(attempts=4, connect_timeout=1.0, read_timeout=0.3, backoff_seconds=0.01,
                   max_backoff_seconds=0.04)
WINDOW_FIRST, WINDOW_LAST = 107, 1361  # see the module docstring
PAGE = 300  # small pages, so 1,255 rows take 5 of them


@pytest.fixture
def portal():
    with PortalServer() as server:
        yield server


def window_query(portal: PortalServer, **changes) -> SocrataQuery:
    options = {"date_column": "created_date", "start": dt.date(2024, 1, 1),
               "end": dt.date(2024, 12, 31), "page_size": PAGE}
    return SocrataQuery(portal.url, DATASET, **{**options, **changes})


def fetch(portal: PortalServer, query: SocrataQuery, **kwargs):
    with PortalClient("the test portal", FAST, sleep=lambda seconds: None) as client:
        return fetch_socrata(query, client, **kwargs)


def expected_ids(first: int = WINDOW_FIRST, last: int = WINDOW_LAST) -> list[str]:
    rows = make_rows()
    return [rows[i]["sr_number"] for i in range(first, last + 1)]


def assert_complete(download) -> None:
    """Every row of the window, once each, in the portal's row order."""
    assert download.table["sr_number"].tolist() == expected_ids()
    assert download.rows_expected == WINDOW_LAST - WINDOW_FIRST + 1 == 1255


def test_the_window_is_downloaded_completely_in_pages(portal):
    download = fetch(portal, window_query(portal))
    assert_complete(download)
    pages = portal.requests_to("socrata", "page")
    assert [int(r.params["$offset"]) for r in pages] == [0, 300, 600, 900, 1200]
    assert {r.params["$order"] for r in pages} == {":id"}
    assert {r.params["$where"] for r in pages} == {
        "created_date >= '2024-01-01T00:00:00' AND created_date < '2025-01-01T00:00:00'"}


def test_columns_left_out_of_json_rows_are_still_columns(portal):
    # Socrata omits empty values: open requests arrive without closed_date at all.
    download = fetch(portal, window_query(portal, start=dt.date(2024, 1, 2),
                                          end=dt.date(2024, 1, 2)))
    table = download.table
    # 2024-01-02 holds rows 110 to 113 (hours 768-791 after the start; 7 × 110 = 770)
    assert table["sr_number"].tolist() == expected_ids(110, 113)
    open_rows = table["status"] == "Open"  # row 111 (= 3 × 37) is open
    assert table.loc[open_rows, "sr_number"].tolist() == ["SR-00111"]
    assert table.loc[open_rows, "closed_date"].isna().all()


def test_a_column_empty_in_every_row_is_still_a_column():
    open_only = [row for row in make_rows() if row["status"] == "Open"]
    with PortalServer(rows=open_only) as portal:
        table = fetch(portal, SocrataQuery(portal.url, DATASET, page_size=PAGE)).table
    # every third of 1,500 rows is open, less row 300, which is planted as closed
    assert len(table) == len(open_only) == 499
    assert "closed_date" in table.columns and table["closed_date"].isna().all()


def test_the_csv_format_gives_the_same_table(portal):
    as_json = fetch(portal, window_query(portal)).table
    as_csv = fetch(portal, window_query(portal, file_format="csv")).table
    pd.testing.assert_frame_equal(as_json.astype("string"), as_csv.astype("string"),
                                  check_dtype=False)


def test_the_city_files_order_gets_the_row_id_as_a_tie_breaker():
    assert SocrataQuery("u", DATASET, order="created_date").order_clause() == (
        "created_date, :id")
    assert SocrataQuery("u", DATASET, order=":id DESC").order_clause() == ":id DESC"


def test_an_open_ended_window_stops_before_the_day_of_the_download(portal):
    query = window_query(portal, end=None)
    download = fetch(portal, query, until=dt.date(2024, 3, 1))
    # rows opened before 2024-03-01: hour 60 × 24 + 744 = 2,184; 7 × 312 = 2,184 is row 312
    assert download.table["sr_number"].tolist() == expected_ids(WINDOW_FIRST, 311)
    assert download.details["window_end"] == "2024-02-29"


def test_the_account_is_the_same_as_for_a_local_file(portal):
    from cda_lib.sources.mapping import load_mapping

    download = fetch(portal, window_query(portal))
    result = conform.conform_service_requests(download.table, load_mapping(FIXTURES_MAPPING),
                                              source=download.label,
                                              as_of=pd.Timestamp("2025-06-01"))
    account = result.account
    assert (account.rows_read, account.rows_kept) == (1255, 1252)
    reasons = account.set_aside_rows().set_index("reason")["source_row"]
    # source_row counts from 1 within the window, whose first row is row 107
    assert reasons[conform.MISSING_TYPE] == MISSING_TYPE_ROW - WINDOW_FIRST + 1
    assert reasons[conform.CLOSED_BEFORE_OPENED] == CLOSED_BEFORE_OPENED_ROW - WINDOW_FIRST + 1
    assert reasons[conform.DUPLICATE_ID] == DUPLICATE_OF_PREVIOUS_ROW - WINDOW_FIRST + 1


# --- faults: each ends complete and correct ---------------------------------------------


@pytest.mark.parametrize(("fault", "value"), [
    ("rate_limit", 0.05), ("server_error", 0), ("drop", 0), ("truncated_json", 0),
    ("slow", 0.6),
])
def test_a_passing_fault_on_a_page_still_gives_every_row_once(portal, fault, value):
    portal.fail("socrata", "page", fault, first=3, value=value)  # the third page, once
    assert_complete(fetch(portal, window_query(portal)))


@pytest.mark.parametrize("file_format", ["json", "csv"])
def test_short_pages_are_followed_by_the_rest(portal, file_format):
    portal.fail("socrata", "page", "short_page", first=2, times=2, value=50)
    download = fetch(portal, window_query(portal, file_format=file_format))
    assert_complete(download)
    # pages 2 and 3 come 50 rows short (250 each), so each next page starts where they ended
    offsets = [int(r.params["$offset"]) for r in portal.requests_to("socrata", "page")]
    assert offsets == [0, 300, 550, 800, 1100]


def test_a_csv_page_cut_mid_line_is_asked_for_again(portal):
    portal.fail("socrata", "page", "truncated_json", first=2)  # the same cut, on CSV text
    assert_complete(fetch(portal, window_query(portal, file_format="csv")))


def test_pages_asked_for_without_an_order_would_overlap(portal):
    """The fault the client avoids: without $order the portal reorders for every page."""
    rows: list[str] = []
    with PortalClient("the test portal", FAST) as client:
        for offset in range(0, 1500, PAGE):
            page = client.get_json(f"{portal.url}/resource/{DATASET}.json",
                                   {"$limit": PAGE, "$offset": offset}, what="a page")
            rows += [row["sr_number"] for row in page]
    assert len(rows) == 1500 and len(set(rows)) < 1400  # duplicates, so others are missing
    assert_complete(fetch(portal, window_query(portal)))  # the client always orders


# --- faults: each that does not pass ends in a clear error, nothing partial -------------


def test_a_page_that_keeps_failing_stops_the_download_with_a_clear_error(portal):
    portal.fail("socrata", "page", "server_error", first=3, times=None)
    with pytest.raises(PortalError, match=r"after 4 tries while downloading rows 600\+ of"):
        fetch(portal, window_query(portal))


def test_fewer_rows_than_the_count_is_an_error_not_a_partial(portal):
    portal.fail("socrata", "count", "wrong_count", value=7)  # says 1,262, has 1,255
    with pytest.raises(PortalError, match="has 1,262 rows but sent 1,255"):
        fetch(portal, window_query(portal))


def test_an_unknown_date_column_is_refused_with_the_servers_reason(portal):
    with pytest.raises(PortalError, match="No such column: opened_at"):
        fetch(portal, window_query(portal, date_column="opened_at"))


def test_the_label_and_the_cache_query_carry_no_token():
    query = SocrataQuery("https://data.city.gov/", DATASET, date_column="d",
                         start=dt.date(2024, 1, 1))
    assert query.label == "data.city.gov dataset abcd-1234 (Socrata)"
    assert query.cache_query() == {
        "kind": "socrata", "url": "https://data.city.gov", "dataset": DATASET,
        "date_column": "d", "start": "2024-01-01", "end": None, "where": None, "order": None}
