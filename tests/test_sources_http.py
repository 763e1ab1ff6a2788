"""The shared portal client: timeouts, bounded retries, Retry-After, refusals, hidden secrets.

Every test talks real HTTP to tests/portal_server.py on 127.0.0.1. Waits are recorded
(not slept) through the client's ``sleep``, so the tests check how long the client
*would* wait without taking that long; timeouts are fractions of a second.
"""

from __future__ import annotations

import logging

import pytest
from portal_server import DATASET, PortalServer

from cda_lib.core.errors import PortalError
from cda_lib.sources.http import PortalClient, RetryPolicy, check_row_count, download_progress

# Tiny timeouts so the slow-response fault costs a fraction of a second.
FAST = RetryPolicy(attempts=4, connect_timeout=1.0, read_timeout=0.3, backoff_seconds=0.01,
                   max_backoff_seconds=0.04, max_retry_after_seconds=1.0)
COUNT_PARAMS = {"$select": "count(*) AS row_count"}


@pytest.fixture
def portal():
    with PortalServer() as server:
        yield server


@pytest.fixture
def waits() -> list[float]:
    return []


def client(waits: list[float], **kwargs) -> PortalClient:
    return PortalClient("the test portal", FAST, sleep=waits.append, **kwargs)


def count_url(portal: PortalServer) -> str:
    return f"{portal.url}/resource/{DATASET}.json"


def test_a_good_answer_needs_one_request(portal, waits):
    with client(waits) as c:
        body = c.get_json(count_url(portal), COUNT_PARAMS, what="a count")
    assert body == [{"row_count": "1500"}]  # make_rows() makes 1,500 rows
    assert c.requests_made == 1 and waits == []


@pytest.mark.parametrize("retry_after", [0.2, 0.5])
def test_429_waits_as_long_as_retry_after_asks(portal, waits, retry_after):
    portal.fail("socrata", "count", "rate_limit", times=2, value=retry_after)
    with client(waits) as c:
        body = c.get_json(count_url(portal), COUNT_PARAMS, what="a count")
    assert body == [{"row_count": "1500"}]
    assert waits == [retry_after, retry_after]  # exactly what the server asked, twice
    assert len(portal.requests_to("socrata", "count")) == 3


def test_a_retry_after_longer_than_the_policy_allows_stops_with_a_clear_message(portal, waits):
    portal.fail("socrata", "count", "rate_limit", value=30)  # FAST allows 1 s at most
    with client(waits) as c, pytest.raises(PortalError, match="asks to wait 30 seconds"):
        c.get_json(count_url(portal), COUNT_PARAMS, what="a count")
    assert waits == []


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_retried_with_growing_waits(portal, waits, status):
    portal.fail("socrata", "count", "server_error", times=3, status=status)
    with client(waits) as c:
        assert c.get_json(count_url(portal), COUNT_PARAMS, what="a count")
    assert len(waits) == 3
    # backoff 0.01 s doubling (0.01, 0.02, 0.04 at most), each a random half to all of it
    for wait, ceiling in zip(waits, [0.01, 0.02, 0.04], strict=True):
        assert ceiling / 2 <= wait <= ceiling


@pytest.mark.parametrize("fault", ["drop", "truncated_json"])
def test_an_answer_cut_short_is_asked_for_again(portal, waits, fault):
    portal.fail("socrata", "count", fault)
    with client(waits) as c:
        assert c.get_json(count_url(portal), COUNT_PARAMS, what="a count") == [
            {"row_count": "1500"}]
    assert c.requests_made == 2


def test_a_slow_answer_times_out_and_is_asked_for_again(portal, waits):
    portal.fail("socrata", "count", "slow", value=0.6)  # twice FAST's read timeout
    with client(waits) as c:
        assert c.get_json(count_url(portal), COUNT_PARAMS, what="a count")
    assert c.requests_made == 2


@pytest.mark.parametrize(("fault", "problem"), [
    ("server_error", "HTTP 500"),
    ("slow", "no answer within the time allowed"),
    ("drop", "the connection dropped in the middle of an answer"),
    ("truncated_json", "is not complete JSON"),
])
def test_a_fault_that_does_not_pass_ends_in_a_clear_error_after_a_bounded_number_of_tries(
        portal, waits, fault, problem):
    portal.fail("socrata", "count", fault, times=None, value=0.6)
    with client(waits) as c, pytest.raises(PortalError) as raised:
        c.get_json(count_url(portal), COUNT_PARAMS, what="the row count")
    message = str(raised.value)
    assert "after 4 tries" in message and problem in message
    assert "Nothing was saved" in message
    assert c.requests_made == FAST.attempts and len(waits) == FAST.attempts - 1


def test_a_refusal_is_not_retried_and_says_what_to_check(portal, waits):
    with client(waits) as c, pytest.raises(PortalError) as raised:
        c.get_json(f"{portal.url}/resource/zzzz-9999.json", {}, what="dataset zzzz-9999")
    assert "HTTP 404" in str(raised.value) and "dataset or resource id" in str(raised.value)
    assert c.requests_made == 1 and waits == []


def test_the_servers_reason_for_a_refusal_is_passed_on(portal, waits):
    params = {"$where": "no_such_column >= '2024-01-01T00:00:00'"}
    with client(waits) as c, pytest.raises(PortalError, match="No such column: no_such_column"):
        c.get_json(count_url(portal), params, what="the row count")


def test_secrets_are_hidden_from_errors_and_from_log_lines(portal, waits, caplog):
    secret = "s3cret-KEY-value"
    caplog.set_level(logging.DEBUG)
    portal.fail("socrata", "count", "server_error", times=None)
    with client(waits, params={"key": secret}, secrets=[secret]) as c, \
            pytest.raises(PortalError) as raised:
        c.get_json(count_url(portal), COUNT_PARAMS, what="the row count")
    # the secret did travel (the server got it) ...
    assert portal.requests_to("socrata")[0].params["key"] == secret
    # ... but no message or log line shows it
    assert secret not in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    assert "key=" in caplog.text, "urllib3 logs each request's address at DEBUG level"
    assert secret not in caplog.text and "[hidden]" in caplog.text


def test_headers_go_with_every_request(portal, waits):
    with client(waits, headers={"X-App-Token": "abc"}) as c:
        c.get_json(count_url(portal), COUNT_PARAMS, what="a count")
    assert portal.requests_to("socrata")[0].headers["X-App-Token"] == "abc"


def test_the_row_count_check_refuses_a_short_or_long_download():
    check_row_count(5, 5, portal="p", what="d")
    check_row_count(5, None, portal="p", what="d")  # the server gave no count
    for received in (4, 6):
        with pytest.raises(PortalError, match=f"has 5 rows but sent {received}"):
            check_row_count(received, 5, portal="p", what="d")


def test_the_progress_bar_counts_rows_when_shown(capsys):
    with download_progress(30, "abcd-1234", show=True) as advance:
        advance(10)
        advance(20)
    err = capsys.readouterr().err
    assert "abcd-1234" in err and "30.0/30.0" in err  # the final state stays on screen


def test_the_progress_bar_stays_quiet_when_not_on_a_terminal(capsys):
    with download_progress(30, "abcd-1234") as advance:  # pytest's stderr is not a terminal
        advance(30)
    assert capsys.readouterr().err == ""


def test_an_unusable_address_is_a_clear_error_with_the_secret_hidden(waits):
    with client(waits, params={"key": "s3cret"}, secrets=["s3cret"]) as c, \
            pytest.raises(PortalError) as raised:
        c.get_json("http://[::1", {}, what="a count")
    assert "Check the url in the city file" in str(raised.value)
    assert "s3cret" not in str(raised.value) and c.requests_made == 1
