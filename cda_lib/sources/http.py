"""Talk to open-data portals over HTTP: timeouts, bounded retries, polite waits, no leaked secrets.

Every connector (Socrata, ArcGIS, CKAN, Census) sends its requests through one
:class:`PortalClient`, so the rules live in one place:

- every request has a connect timeout and a read timeout;
- a request that fails in a way that can pass (a dropped or refused connection, a
  timeout, an answer cut short or not readable, HTTP 429 "too many requests", HTTP
  5xx) is tried again, a bounded number of times, waiting longer each time, and as
  long as the server's ``Retry-After`` asks when it says;
- any other refusal (HTTP 400, 403, 404 ...) stops at once with the server's own words;
- secrets (an app token, an API key) are sent but never appear in an error message,
  a warning or a log line: they are replaced by ``[hidden]`` wherever text leaves here,
  in any letter case and URL-encoded too, before any text is cut to length;
- secrets go only to the portal asked: a redirect to another host, port or scheme
  (other than http to https on the same host) is followed without any header or
  query parameter that carries one, and a form that carries one is not sent on.

The paging loops live in the connectors; each loop is bounded and ends with a check
that the rows received are the rows the server said it had.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import logging
import random
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

import pandas as pd
import requests

from cda_lib.core.errors import PortalError

HIDDEN = "[hidden]"
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})  # 408: the server timed out waiting
USER_AGENT = "cda-workbook (City Data Alliance Workbook)"  # portals ask callers to say who they are
# The loggers that could print a request's address, query string included.
URL_LOGGERS = ("urllib3.connectionpool", "requests")
REASON_LENGTH = 200  # a portal's reason for refusing, cut to fit in a one-line message


@dataclass(frozen=True)
class RetryPolicy:
    """How patient a download is: timeouts, tries and waits (seconds).

    The defaults suit a workshop on hotel Wi-Fi against a busy city portal; tests use
    fractions of a second.

    >>> [RetryPolicy().wait_before(attempt) for attempt in (2, 3, 4, 5)]  # at most, in seconds
    [1.0, 2.0, 4.0, 8.0]
    """

    # Five tries, waiting 1 + 2 + 4 + 8 s between them, ride out a portal's brief
    # hiccups (a restart, a burst of 503s) without leaving a room of people waiting long.
    attempts: int = 5
    connect_timeout: float = 10.0  # a portal that cannot accept a connection in 10 s is down
    # Socrata and ArcGIS can take a minute to start sending a 50,000-row page.
    read_timeout: float = 120.0
    backoff_seconds: float = 1.0
    max_backoff_seconds: float = 30.0
    # A portal asking for a longer pause than 5 minutes means "come back later":
    # better to say so than to hang a notebook.
    max_retry_after_seconds: float = 300.0

    def wait_before(self, attempt: int) -> float:
        """The longest wait before try number ``attempt`` (2, 3, ...) when the server names none.

        The actual wait is a random share (half to all) of it, so a room of laptops that
        failed together does not retry together.
        """
        return min(self.max_backoff_seconds, self.backoff_seconds * 2 ** max(attempt - 2, 0))


class BadResponseError(Exception):
    """A response arrived but cannot be used as it is (cut short, not JSON): worth another try."""


class _RefusedError(Exception):
    """The server refused the request for a reason another try will not change."""

    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status = status
        self.detail = detail


class PortalClient:
    """One portal conversation: a ``requests`` session with the retry rules and secrets.

    ``headers`` and ``params`` go with every request (an app token header, an API key
    parameter); ``secrets`` are the values to hide from every message, and to send to
    no other host than the one asked (see :class:`_PortalSession`). ``sleep`` is
    ``time.sleep`` (tests pass a recorder to see the waits).

    >>> with PortalClient("the test portal", secrets=["s3cret"]) as client:
    ...     client.hide("https://x.org/?key=s3cret, S3CRET")
    'https://x.org/?key=[hidden], [hidden]'
    """

    def __init__(self, portal: str, policy: RetryPolicy | None = None, *,
                 headers: Mapping[str, str] | None = None,
                 params: Mapping[str, str] | None = None,
                 secrets: Sequence[str] = (),
                 sleep: Callable[[float], None] = time.sleep):
        check_sendable_headers(headers or {})
        self.portal = portal
        self.policy = policy or RetryPolicy()
        self.params = dict(params or {})
        self.secrets = tuple(s for s in secrets if s)
        self._secret_pattern = _secret_pattern(self.secrets)
        self.sleep = sleep
        self.session = _PortalSession(self.contains_secret)
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"})
        self.session.headers.update(dict(headers or {}))
        self.requests_made = 0
        self._random = random.Random()
        self._log_filter = _HideSecrets(self.hide)

    def __enter__(self) -> PortalClient:
        for name in URL_LOGGERS:
            logging.getLogger(name).addFilter(self._log_filter)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for name in URL_LOGGERS:
            logging.getLogger(name).removeFilter(self._log_filter)
        self.session.close()

    def hide(self, text: str) -> str:
        """``text`` with every secret replaced by ``[hidden]``, in any case, URL-encoded too."""
        if self._secret_pattern is None:
            return text
        return self._secret_pattern.sub(HIDDEN, text)

    def contains_secret(self, text: str) -> bool:
        """Whether ``text`` holds a secret, in any case or URL-encoded."""
        return self._secret_pattern is not None and bool(self._secret_pattern.search(text))

    def get_json(self, url: str, params: Mapping[str, Any] | None = None, *, what: str) -> Any:
        """GET ``url`` and return its JSON body, retrying what can be retried."""
        return self.request("GET", url, params=params, what=what, parse=parse_json)

    def post_json(self, url: str, data: Mapping[str, Any], *, what: str) -> Any:
        """POST a form to ``url`` (for long queries, e.g. ArcGIS object ids) and return its JSON."""
        return self.request("POST", url, data=data, what=what, parse=parse_json)

    def request(self, method: str, url: str, *, what: str,
                parse: Callable[[requests.Response], Any],
                params: Mapping[str, Any] | None = None,
                data: Mapping[str, Any] | None = None) -> Any:
        """Send one request, with the retry rules; ``parse`` turns the answer into a value.

        ``parse`` raises :class:`BadResponseError` for an answer worth another try.
        Raises :class:`PortalError` when the tries run out or the server refuses.
        """
        if method == "GET":
            query, form = {**self.params, **(params or {})}, None
        else:  # a form carries everything, so long id lists never end up in the address
            query, form = None, {**self.params, **(data or {})}
        problem = ""
        for attempt in range(1, self.policy.attempts + 1):
            wait = self.policy.wait_before(attempt + 1) * (0.5 + self._random.random() / 2)
            try:
                return self._attempt(method, url, query, form, parse)
            except _RefusedError as refused:
                raise PortalError(self._refusal_message(refused, what)) from None
            except PortalError as error:  # a connector's own verdict on the answer
                raise PortalError(self.hide(str(error))) from None
            except _RetryLaterError as later:
                problem = later.problem
                if later.seconds is not None:
                    if later.seconds > self.policy.max_retry_after_seconds:
                        raise PortalError(self.hide(
                            f"{self.portal} asks to wait {later.seconds:,.0f} seconds before "
                            f"{what} can be downloaded (it is limiting how often it is asked). "
                            "Nothing was saved. Try again later, or use the cached copy "
                            "with --offline if there is one."
                        )) from None
                    wait = later.seconds
            except (requests.ConnectionError, requests.Timeout,
                    requests.exceptions.ChunkedEncodingError,
                    requests.exceptions.ContentDecodingError) as error:
                problem = _describe_network_problem(error)
            except BadResponseError as bad:
                problem = str(bad)
            except _SecretWouldLeaveError as leaving:
                raise PortalError(self.hide(
                    f"{self.portal} sent the request for {what} on to another site "
                    f"({leaving.host}) in a way that would pass the token on, so it was not "
                    "sent. Nothing was saved. Check that the url in the city file is the "
                    "portal's own address, as its web page gives it."
                )) from None
            except requests.RequestException as error:  # e.g. an address that cannot be used
                raise PortalError(self.hide(
                    f"{self.portal} could not be asked for {what} ({type(error).__name__}). "
                    "Check the url in the city file."
                )) from None
            if attempt < self.policy.attempts:
                self.sleep(wait)
        raise PortalError(self.hide(
            f"{self.portal} did not answer properly after {self.policy.attempts} tries while "
            f"downloading {what} (the last problem: {problem}). Nothing was saved, so no "
            "partial data is used. Try again later, or use the cached copy with --offline if "
            "there is one."
        )) from None

    def _attempt(self, method: str, url: str, query: Mapping[str, Any] | None,
                 form: Mapping[str, Any] | None,
                 parse: Callable[[requests.Response], Any]) -> Any:
        self.requests_made += 1
        timeout = (self.policy.connect_timeout, self.policy.read_timeout)
        with self.session.request(method, url, params=query, data=form, timeout=timeout,
                                  stream=False) as response:
            status = response.status_code
            if status in RETRY_STATUSES or 500 <= status < 600:
                raise _RetryLaterError(f"HTTP {status}", _retry_after(response))
            if status >= 400:
                raise _RefusedError(status, _server_message(response, self.hide))
            return parse(response)

    def _refusal_message(self, refused: _RefusedError, what: str) -> str:
        advice = {
            401: "The portal wants a valid token: check the environment variable the city "
                 "file names in token_env.",
            403: "The portal does not allow this: check the token, or whether the data is "
                 "public.",
            404: "Check the address (url) and the dataset or resource id in the city file.",
        }.get(refused.status, "Check the dataset id, column names and filters in the city file.")
        detail = f": {refused.detail}" if refused.detail else ""
        return self.hide(f"{self.portal} refused the request for {what} "
                         f"(HTTP {refused.status}{detail}). {advice}")


def check_sendable_headers(headers: Mapping[str, str], variable: str | None = None) -> None:
    """Raise :class:`PortalError` if a header value cannot be sent (HTTP headers are Latin-1).

    ``variable`` names the environment variable the value came from; the value itself is
    never repeated, since it is a token.

    >>> check_sendable_headers({"X-App-Token": "abc"})
    >>> check_sendable_headers({"X-App-Token": "ab\u2019c"}, "CITY_TOKEN")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cda_lib.core.errors.PortalError: The token in the environment variable CITY_TOKEN holds ...
    """
    for name, value in headers.items():
        try:
            str(value).encode("latin-1")
        except UnicodeEncodeError:
            source = (f"the environment variable {variable}" if variable
                      else f"the {name} header")
            fix = f"set {variable} to it" if variable else "give it again"
            raise PortalError(
                f"The token in {source} holds a character that cannot be sent to a portal "
                "(tokens are plain letters, digits and signs; one copied from a document or "
                "a chat can pick up a curly quote or a look-alike letter). Nothing was "
                f"downloaded. Copy the token again from the portal's page and {fix}, as "
                "plain text."
            ) from None


def _secret_pattern(secrets: Sequence[str]) -> re.Pattern[str] | None:
    """One pattern for every secret as written and URL-encoded, in any letter case."""
    forms = {form for secret in secrets for form in (secret, quote(secret, safe=""),
                                                     quote_plus(secret))}
    if not forms:
        return None
    longest_first = sorted(forms, key=len, reverse=True)
    return re.compile("|".join(re.escape(form) for form in longest_first), re.IGNORECASE)


def _same_portal(old_url: str, new_url: str) -> bool:
    """Whether a redirect stays on the portal: the same host and port, or http to https.

    >>> _same_portal("http://data.city.gov/a", "https://data.city.gov/b")
    True
    >>> _same_portal("https://data.city.gov/a", "https://cdn.example.com/a")
    False
    >>> _same_portal("http://127.0.0.1:8001/a", "http://127.0.0.1:8002/a")
    False
    """
    old, new = urlsplit(old_url), urlsplit(new_url)
    default_ports = {"http": 80, "https": 443}
    old_port = old.port or default_ports.get(old.scheme)
    new_port = new.port or default_ports.get(new.scheme)
    if old.hostname != new.hostname:
        return False
    if (old.scheme, old_port) == (new.scheme, new_port):
        return True
    return (old.scheme, old_port, new.scheme, new_port) == ("http", 80, "https", 443)


class _SecretWouldLeaveError(requests.RequestException):
    """A redirect to another site would carry a secret in the body, which cannot be left out."""

    def __init__(self, host: str):
        super().__init__(host)
        self.host = host


class _PortalSession(requests.Session):
    """A session whose redirects leave the portal without its secrets.

    ``requests`` takes only the ``Authorization`` header off a request redirected to
    another host. Here, on a redirect that leaves the portal (:func:`_same_portal`),
    every header and query parameter that holds a secret is taken off as well, and a
    form body that holds one stops the request. Once taken off, a secret stays off for
    the rest of the redirects, even one that comes back to the portal.
    """

    def __init__(self, contains_secret: Callable[[str], bool]):
        super().__init__()
        self._contains_secret = contains_secret

    def rebuild_auth(self, prepared_request: requests.PreparedRequest,
                     response: requests.Response) -> None:
        super().rebuild_auth(prepared_request, response)
        url = prepared_request.url or ""
        if _same_portal(response.request.url or "", url):
            return
        for name, value in list(prepared_request.headers.items()):
            if self._contains_secret(str(value)):
                del prepared_request.headers[name]
        parts = urlsplit(url)
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        kept = [(name, value) for name, value in pairs if not self._contains_secret(value)]
        if len(kept) < len(pairs):
            prepared_request.url = urlunsplit(parts._replace(query=urlencode(kept)))
        body = prepared_request.body
        text = body.decode("latin-1") if isinstance(body, bytes) else str(body or "")
        if self._contains_secret(text) or self._contains_secret(prepared_request.url or ""):
            raise _SecretWouldLeaveError(parts.hostname or url)


class _RetryLaterError(Exception):
    def __init__(self, problem: str, seconds: float | None):
        super().__init__(problem)
        self.problem = problem
        self.seconds = seconds


class _HideSecrets(logging.Filter):
    """A logging filter that rewrites a record's message with the secrets hidden."""

    def __init__(self, hide: Callable[[str], str]):
        super().__init__()
        self._hide = hide

    def filter(self, record: logging.LogRecord) -> bool:
        with contextlib.suppress(Exception):  # a badly formed record is not ours to fix
            record.msg = self._hide(record.getMessage())
            record.args = ()
        return True


def parse_json(response: requests.Response) -> Any:
    """The JSON body of ``response``; an unreadable body (e.g. cut short) is a BadResponseError."""
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError) as error:
        size = len(response.content)
        raise BadResponseError(f"the answer ({size:,} bytes) is not complete JSON: {error}"
                              ) from None


def _retry_after(response: requests.Response) -> float | None:
    """Seconds the server asks to wait (``Retry-After`` as seconds or as a date), if it says.

    >>> class R: headers = {"Retry-After": "2"}
    >>> _retry_after(R())
    2.0
    """
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _server_message(response: requests.Response, hide: Callable[[str], str]) -> str:
    """The short reason a portal gives for refusing (its JSON ``message`` or first text line).

    Secrets are hidden before the text is cut to length, so a secret the server echoes
    near the cut cannot show in part.
    """
    try:
        body = response.json()
    except ValueError:
        lines = hide(response.text).strip().splitlines()
        return lines[0][:REASON_LENGTH] if lines else ""
    if isinstance(body, dict):
        for key in ("message", "error", "detail"):
            value = body.get(key)
            if isinstance(value, dict):
                value = value.get("message") or value.get("__type") or json.dumps(value)
            if isinstance(value, str) and value.strip():
                return hide(value).strip()[:REASON_LENGTH]
    return ""


def _describe_network_problem(error: Exception) -> str:
    if isinstance(error, requests.Timeout):
        return "no answer within the time allowed"
    if isinstance(error, (requests.exceptions.ChunkedEncodingError,
                          requests.exceptions.ContentDecodingError)):
        return "the connection dropped in the middle of an answer"
    return "the connection failed or was dropped"


def portal_name(url: str) -> str:
    """A portal's host name, for messages: ``https://data.city.gov/x`` → ``data.city.gov``.

    >>> portal_name("https://data.cityofnewyork.us/resource/erm2-nwe9.json")
    'data.cityofnewyork.us'
    """
    return urlsplit(url).netloc or url


@contextlib.contextmanager
def download_progress(total: int | None, description: str, *,
                      show: bool | None = None) -> Iterator[Callable[[int], None]]:
    """A progress bar for a long download; yields ``advance(rows)``.

    ``show=None`` shows it only on a terminal (``cda check-data``), not inside
    notebooks being built, whose saved output would fill with bar updates.
    """
    from tqdm import tqdm

    disable = None if show is None else not show
    with tqdm(total=total, desc=description, unit=" rows", unit_scale=True, leave=True,
              disable=disable, mininterval=0.5) as bar:
        yield bar.update


@dataclass(frozen=True)
class PortalDownload:
    """A complete download: the raw table, the count the server gave, and how it was made."""

    table: pd.DataFrame
    rows_expected: int | None
    label: str
    details: dict[str, Any] = field(default_factory=dict)


def check_row_count(received: int, expected: int | None, *, portal: str, what: str) -> None:
    """Raise :class:`PortalError` unless ``received`` rows are what the server said it had.

    ``expected`` is None when the server gives no count; then there is nothing to check.

    >>> check_row_count(120, 120, portal="data.city.gov", what="dataset abcd-1234")
    >>> check_row_count(100, 120, portal="data.city.gov", what="abcd-1234")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cda_lib.core.errors.PortalError: data.city.gov said abcd-1234 has 120 rows but sent 100, ...
    """
    if expected is None or received == expected:
        return
    problem = f"said {what} has {expected:,} rows but sent {received:,}"
    raise PortalError(
        f"{portal} {problem}, even after retries. Nothing was saved, so no partial data is "
        "used. Try again later: if it keeps happening, the dataset may be changing while it "
        "downloads, so set an end date in the city file."
    )
