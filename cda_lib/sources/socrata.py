"""Download a dataset from a Socrata portal (Tyler "Data & Insights") through SODA 2.

Rows come from ``<url>/resource/<dataset>.json`` (or ``.csv``), page by page:

- ``$where`` holds the date window (and any extra filter the city file gives);
- ``$order`` is always sent, ending in the row id ``:id``, because Socrata does not
  order results by itself, so pages without it can overlap or skip rows;
- ``$limit``/``$offset`` page through, advancing by the rows actually received;
- the app token, when the city file names one, goes in the ``X-App-Token`` header
  (set on the client by the caller), never in the address.

The number of rows is asked first (``$select=count(*)``) and the rows received must
match it: otherwise the download fails with a clear message, never a silent partial.

>>> query = SocrataQuery("https://data.city.gov", "abcd-1234", date_column="opened",
...                      start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
>>> query.where_clause(until=None)
"opened >= '2024-01-01T00:00:00' AND opened < '2025-01-01T00:00:00'"
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any, ClassVar

import pandas as pd
import requests

from cda_lib.core.errors import PortalError
from cda_lib.sources.http import (
    BadResponseError,
    PortalClient,
    PortalDownload,
    check_row_count,
    download_progress,
    parse_json,
    portal_name,
)

# The largest page SODA 2.0 endpoints allow (2.1 allows more, but very large pages
# time out): fewer round trips than the default 1,000 without risking timeouts.
PAGE_SIZE = 50_000
ROW_ID = ":id"  # Socrata's own row id: unique and stable, so ordering by it pages safely
FORMATS = ("json", "csv")
FIELDS_HEADER = "X-SODA2-Fields"  # the dataset's column names, sent with every SODA 2 answer


@dataclass(frozen=True)
class SocrataQuery:
    """What to download from a Socrata dataset. ``end`` is the last day included."""

    url: str
    dataset: str
    date_column: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    where: str | None = None
    order: str | None = None
    file_format: str = "json"
    page_size: int = PAGE_SIZE
    kind: ClassVar[str] = "socrata"

    @property
    def label(self) -> str:
        """The source as a notice names it."""
        return f"{portal_name(self.url)} dataset {self.dataset} (Socrata)"

    @property
    def resource_url(self) -> str:
        return f"{self.url.rstrip('/')}/resource/{self.dataset}.{self.file_format}"

    def cache_query(self) -> dict[str, Any]:
        """What decides the rows (not the page size, the format or any token)."""
        return {"kind": self.kind, "url": self.url.rstrip("/"), "dataset": self.dataset,
                "date_column": self.date_column, "start": _iso(self.start),
                "end": _iso(self.end), "where": self.where, "order": self.order}

    def where_clause(self, until: dt.date | None) -> str | None:
        """The SoQL ``$where``: the date window, then the city file's own filter.

        ``until`` closes an open-ended window (no ``end``): rows before that day only, so
        requests arriving while the download runs cannot shift the pages.
        """
        parts = []
        if self.date_column and self.start:
            parts.append(f"{self.date_column} >= '{_midnight(self.start)}'")
        last_day = self.end or (until - dt.timedelta(days=1) if until else None)
        if self.date_column and last_day:
            parts.append(f"{self.date_column} < '{_midnight(last_day + dt.timedelta(days=1))}'")
        if self.where:
            parts.append(f"({self.where})")
        return " AND ".join(parts) or None

    def order_clause(self) -> str:
        """The city file's order, with ``:id`` last so that ties cannot swap between pages."""
        if not self.order:
            return ROW_ID
        if ROW_ID in [part.strip().split(" ")[0] for part in self.order.split(",")]:
            return self.order
        return f"{self.order}, {ROW_ID}"


def fetch_socrata(query: SocrataQuery, client: PortalClient, *, until: dt.date | None = None,
                  progress: bool | None = None) -> PortalDownload:
    """Download every row the query selects, checked against the portal's own count."""
    where = query.where_clause(until)
    expected = count_rows(query, client, where)
    base = {"$order": query.order_clause(), "$limit": query.page_size}
    if where:
        base["$where"] = where
    pages: list[pd.DataFrame] = []
    fields: list[str] = []
    received = 0
    with download_progress(expected, query.dataset, show=progress) as advance:
        # Each page brings at least one row or ends the loop, so it runs at most
        # expected + 1 times.
        for _ in range(expected + 1):
            if received >= expected:
                break
            page, page_fields = _fetch_page(query, client, {**base, "$offset": received})
            if page.empty:
                break
            pages.append(page)
            fields = fields or page_fields
            received += len(page)
            advance(len(page))
    check_row_count(received, expected, portal=portal_name(query.url),
                    what=f"dataset {query.dataset}{' for this window' if where else ''}")
    table = _stack(pages, fields)
    details = {"where": where, "order": base["$order"], "pages": len(pages),
               "window_end": _iso(query.end or (until - dt.timedelta(days=1) if until else None))}
    return PortalDownload(table=table, rows_expected=expected, label=query.label,
                          details=details)


def count_rows(query: SocrataQuery, client: PortalClient, where: str | None) -> int:
    """How many rows the portal says the query selects."""
    params = {"$select": "count(*) AS row_count"}
    if where:
        params["$where"] = where
    url = f"{query.url.rstrip('/')}/resource/{query.dataset}.json"
    body = client.get_json(url, params, what=f"the row count of dataset {query.dataset}")
    try:
        return int(body[0]["row_count"])
    except (LookupError, TypeError, ValueError):
        raise PortalError(
            f"{portal_name(query.url)} gave an answer the workbook does not understand when "
            f"asked how many rows dataset {query.dataset} has. Check that the url is a "
            "Socrata portal (its datasets have addresses like /resource/abcd-1234.json)."
        ) from None


def _fetch_page(query: SocrataQuery, client: PortalClient,
                params: dict[str, Any]) -> tuple[pd.DataFrame, list[str]]:
    what = f"rows {params['$offset']:,}+ of dataset {query.dataset}"
    parse = _parse_json_page if query.file_format == "json" else _parse_csv_page
    return client.request("GET", query.resource_url, params=params, what=what, parse=parse)


def _parse_json_page(response: requests.Response) -> tuple[pd.DataFrame, list[str]]:
    rows = parse_json(response)
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise BadResponseError("the answer is not a list of rows")
    fields = _header_fields(response)
    columns = list(dict.fromkeys(fields + [key for row in rows for key in row]))
    return pd.DataFrame.from_records(rows, columns=columns), fields


def _parse_csv_page(response: requests.Response) -> tuple[pd.DataFrame, list[str]]:
    content = response.content
    if content and not content.endswith(b"\n"):
        raise BadResponseError("the CSV answer stops in the middle of a line")
    try:
        page = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False,
                           na_values=[""], engine="pyarrow")
    except (ValueError, pd.errors.ParserError) as error:  # pyarrow's errors are ValueErrors
        raise BadResponseError(f"the CSV answer cannot be read: {error}") from None
    return page, list(page.columns)


def _header_fields(response: requests.Response) -> list[str]:
    try:
        fields = json.loads(response.headers.get(FIELDS_HEADER, "[]"))
    except ValueError:
        return []
    return [str(f) for f in fields if not str(f).startswith(":")] if isinstance(fields, list) \
        else []


def _stack(pages: list[pd.DataFrame], fields: list[str]) -> pd.DataFrame:
    """One table from the pages, every column present (JSON leaves out empty values)."""
    if not pages:
        return pd.DataFrame(columns=fields)
    columns = list(dict.fromkeys(fields + [c for page in pages for c in page.columns]))
    table = pd.concat([page.reindex(columns=columns) for page in pages], ignore_index=True)
    return table


def _midnight(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00"


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
