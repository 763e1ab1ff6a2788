"""Download a table from a CKAN portal's DataStore through ``datastore_search``.

``<url>/api/3/action/datastore_search?resource_id=...`` answers one page of records
with the ``total`` that match. CKAN **silently lowers** a ``limit`` above its
``ckan.datastore.search.rows_max`` (32,000 unless changed) and says so only in the
``limit`` it echoes, so a loop that stops on a short page would stop after one page
(Toronto's street trees would come back as 32,000 of 688,335). So:

- the page size for the next request is the ``limit`` the server echoed;
- the loop stops when the rows received reach ``total`` (or on an empty page);
- records are sorted by ``_id`` (CKAN's own row number) so pages cannot overlap;
- the rows received must equal ``total``, each ``_id`` once. When CKAN says its total
  is an estimate (``total_was_estimated``, for big tables), there is no exact count to
  check, and the download's details say so.

>>> CkanQuery("https://ckan.city.org", "5a7c-1c1d").label
'ckan.city.org resource 5a7c-1c1d (CKAN)'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
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

PAGE_SIZE = 32_000  # CKAN's default rows_max: ask for the most a default portal gives
ROW_ID = "_id"  # CKAN's own row number, unique in a DataStore table
HIDDEN_FIELDS = ("_full_text",)  # CKAN's search index column: not data
# A last guard for servers that never send a total: 100,000 pages of 32,000 rows is far
# beyond any city table, so reaching it means the server is repeating itself.
MAX_PAGES_WITHOUT_TOTAL = 100_000


@dataclass(frozen=True)
class CkanQuery:
    """What to download from one CKAN DataStore resource."""

    url: str
    resource_id: str
    filters: Mapping[str, Any] = field(default_factory=dict)
    sort: str | None = None
    page_size: int = PAGE_SIZE
    kind: ClassVar[str] = "ckan"

    @property
    def label(self) -> str:
        return f"{portal_name(self.url)} resource {self.resource_id} (CKAN)"

    @property
    def search_url(self) -> str:
        return f"{self.url.rstrip('/')}/api/3/action/datastore_search"

    def cache_query(self) -> dict[str, Any]:
        """What decides the rows (not the page size or any token)."""
        return {"kind": self.kind, "url": self.url.rstrip("/"), "resource_id": self.resource_id,
                "filters": dict(self.filters), "sort": self.sort}

    def sort_clause(self) -> str:
        """The city file's sort with ``_id`` last, so ties cannot swap between pages."""
        if not self.sort:
            return ROW_ID
        if ROW_ID in [part.strip().split(" ")[0] for part in self.sort.split(",")]:
            return self.sort
        return f"{self.sort}, {ROW_ID}"


def fetch_ckan(query: CkanQuery, client: PortalClient, *,
               progress: bool | None = None) -> PortalDownload:
    """Download every record, page size taken from the server, checked against ``total``."""
    limit = query.page_size
    pages: list[pd.DataFrame] = []
    fields: list[str] = []
    received = 0
    total: int | None = None
    estimated = False
    max_pages = MAX_PAGES_WITHOUT_TOTAL
    with download_progress(None, query.resource_id, show=progress) as advance:
        for _ in range(max_pages):
            result = _search(query, client, offset=received, limit=limit)
            records = result["records"]
            fields = fields or [f["id"] for f in result.get("fields") or [] if "id" in f]
            if isinstance(result.get("total"), int):
                total = result["total"]
                estimated = bool(result.get("total_was_estimated", False))
            echoed = result.get("limit")
            if isinstance(echoed, int) and 0 < echoed < limit:
                limit = echoed  # the server capped the page size without saying otherwise
            if not records:
                break
            pages.append(pd.DataFrame.from_records(records))
            received += len(records)
            advance(len(records))
            if total is not None and not estimated and received >= total:
                break
        else:
            raise PortalError(f"{portal_name(query.url)} kept sending pages of resource "
                              f"{query.resource_id} past {max_pages:,}. Nothing was saved.")
    exact_total = None if estimated else total
    check_row_count(received, exact_total, portal=portal_name(query.url),
                    what=f"resource {query.resource_id}")
    table = _stack(pages, fields)
    _check_unique_ids(table, query)
    details = {"pages": len(pages), "page_size": limit, "total_was_estimated": estimated,
               "sort": query.sort_clause()}
    return PortalDownload(table=table, rows_expected=exact_total, label=query.label,
                          details=details)


def _search(query: CkanQuery, client: PortalClient, *, offset: int, limit: int) -> dict:
    params: dict[str, Any] = {"resource_id": query.resource_id, "limit": limit,
                              "offset": offset, "sort": query.sort_clause()}
    if query.filters:
        params["filters"] = json.dumps(dict(query.filters), sort_keys=True)
    return client.request("GET", query.search_url, params=params, parse=_parse_ckan,
                          what=f"records {offset:,}+ of resource {query.resource_id}")


def _parse_ckan(response: requests.Response) -> dict:
    body = parse_json(response)
    if not isinstance(body, dict) or not body.get("success"):
        error = body.get("error") if isinstance(body, dict) else None
        message = error.get("message") if isinstance(error, dict) else None
        raise PortalError(f"The CKAN portal could not search the resource "
                          f"({message or 'no reason given'}). Check the url and resource_id "
                          "in the city file.")
    result = body.get("result")
    if not isinstance(result, dict) or not isinstance(result.get("records"), list):
        raise BadResponseError("the answer has no list of records")
    return result


def _stack(pages: list[pd.DataFrame], fields: list[str]) -> pd.DataFrame:
    columns = [c for c in dict.fromkeys(fields + [c for p in pages for c in p.columns])
               if c not in HIDDEN_FIELDS]
    if not pages:
        return pd.DataFrame(columns=columns)
    return pd.concat([page.reindex(columns=columns) for page in pages], ignore_index=True)


def _check_unique_ids(table: pd.DataFrame, query: CkanQuery) -> None:
    if ROW_ID in table and table[ROW_ID].duplicated().any():
        raise PortalError(
            f"{portal_name(query.url)} sent some records of resource {query.resource_id} twice "
            "(and so may have skipped others). Nothing was saved. Try again later."
        )
