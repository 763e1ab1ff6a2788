"""The shared portal client: timeouts, bounded retries, Retry-After, refusals, hidden secrets.

Every test talks real HTTP to tests/portal_server.py on 127.0.0.1 (two of them, on two
ports, for redirects that leave the portal). Waits are recorded
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


# --- secrets and redirects ------------------------------------------------------------------

SECRET = "S3cret-KEY/value+42"  # "/" and "+" so that its URL-encoded forms differ
# How each portal kind carries its secret (cda_lib.sources.portal): headers, parameters.
CREDENTIALS = {
    "Socrata app token": ({"X-App-Token": SECRET}, {}),
    "CKAN authorization": ({"Authorization": SECRET}, {}),
    "Census key": ({}, {"key": SECRET}),
    "any other header": ({"X-Api-Key": f"Bearer {SECRET}"}, {}),
}


@pytest.fixture
def elsewhere():
    """A second server on another port of 127.0.0.1: to the client, another site."""
    with PortalServer() as server:
        yield server


def holds_secret(request) -> bool:
    seen = [*request.headers.values(), *request.params.values(), request.path]
    return any(SECRET.lower() in str(value).lower() for value in seen)


def secret_client(waits: list[float], credential: str) -> PortalClient:
    headers, params = CREDENTIALS[credential]
    return client(waits, headers=headers, params=params, secrets=[SECRET])


@pytest.mark.parametrize("credential", sorted(CREDENTIALS))
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_port_takes_no_token_or_key_there(
        portal, elsewhere, waits, credential, status):
    # The portal sends the request on with its own path and query string, key included.
    portal.fail("socrata", "count", "redirect", status=status, text=elsewhere.url)
    with secret_client(waits, credential) as c:
        body = c.get_json(count_url(portal), COUNT_PARAMS, what="a count")
    assert body == [{"row_count": "1500"}]  # the other site answered ...
    [asked] = portal.requests_to("socrata")
    [redirected] = elsewhere.requests_to("socrata")
    assert holds_secret(asked)  # ... the portal got the secret ...
    assert not holds_secret(redirected), redirected  # ... and the other site never did
    assert redirected.params["$select"] == COUNT_PARAMS["$select"]  # the rest went on


@pytest.mark.parametrize("credential", sorted(CREDENTIALS))
def test_a_redirect_within_the_same_host_and_port_keeps_the_token(portal, waits, credential):
    portal.fail("socrata", "count", "redirect", status=302, text=portal.url)
    with secret_client(waits, credential) as c:
        assert c.get_json(count_url(portal), COUNT_PARAMS, what="a count")
    first, second = portal.requests_to("socrata")
    assert holds_secret(first) and holds_secret(second)


def test_a_token_taken_off_stays_off_when_the_redirects_come_back(portal, elsewhere, waits):
    portal.fail("socrata", "count", "redirect", status=302, text=elsewhere.url)
    elsewhere.fail("socrata", "count", "redirect", status=302, text=portal.url)
    with secret_client(waits, "Socrata app token") as c:
        assert c.get_json(count_url(portal), COUNT_PARAMS, what="a count")
    first, back = portal.requests_to("socrata")
    assert holds_secret(first) and not holds_secret(back)
    assert not any(holds_secret(r) for r in elsewhere.requests)


def test_a_form_that_carries_the_key_is_not_sent_on_to_another_site(portal, elsewhere, waits):
    # 307 keeps the method and the form, and the form holds the key: it cannot go on.
    portal.fail("socrata", "count", "redirect", status=307, text=elsewhere.url)
    with secret_client(waits, "Census key") as c, pytest.raises(PortalError) as raised:
        c.request("POST", count_url(portal), data=COUNT_PARAMS, what="a count",
                  parse=lambda response: response.json())
    message = str(raised.value)
    assert "on to another site (127.0.0.1)" in message and "was not sent" in message
    assert SECRET.lower() not in message.lower()
    assert elsewhere.requests == [] and c.requests_made == 1 and waits == []


def test_a_redirect_with_the_key_in_its_path_is_not_followed(portal, elsewhere, waits):
    portal.fail("socrata", "count", "redirect", status=302, text=f"{elsewhere.url}/{SECRET}")
    with secret_client(waits, "Socrata app token") as c, pytest.raises(PortalError) as raised:
        c.get_json(count_url(portal), COUNT_PARAMS, what="a count")
    assert "in a way that would pass the token on" in str(raised.value)
    assert SECRET.lower() not in str(raised.value).lower()


# --- hiding secrets in what the server says -------------------------------------------------

@pytest.mark.parametrize("plain_text", [False, True], ids=["json", "text"])
@pytest.mark.parametrize("echo", [
    "x" * 190 + SECRET,  # the token straddles the 200th character, where the reason is cut
    f"Invalid app_token {SECRET.lower()}",
    f"INVALID APP_TOKEN {SECRET.upper()}",
    "Invalid app_token S3cret-KEY%2Fvalue%2B42",  # URL-encoded, as in an address
    "Invalid app_token S3cret-KEY%2fvalue%2b42",  # URL-encoded, lower-case hex
], ids=["past the cut", "lower case", "upper case", "url-encoded", "url-encoded lower"])
def test_a_token_the_server_echoes_shows_none_of_it(portal, waits, echo, plain_text):
    portal.fail("socrata", "count", "refuse", status=403, text=echo, value=int(plain_text))
    with secret_client(waits, "Socrata app token") as c, pytest.raises(PortalError) as raised:
        c.get_json(count_url(portal), COUNT_PARAMS, what="a count")
    message = str(raised.value).lower()
    assert "http 403" in message
    assert SECRET[:6].lower() not in message, message  # not even its first six characters
    assert "[hidden]" in message


@pytest.mark.parametrize("header", ["X-App-Token", "Authorization"])
def test_a_token_that_cannot_go_in_a_header_gets_a_clear_message_without_it(waits, header):
    token = "tok\u2019en-SECRET"  # a curly apostrophe, from a document: not Latin-1
    with pytest.raises(PortalError) as raised:
        client(waits, headers={header: token}, secrets=[token])
    message = str(raised.value)
    assert f"The token in the {header} header holds a character that cannot be sent" in message
    assert "SECRET" not in message and "\u2019" not in message
