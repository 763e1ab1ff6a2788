"""Keep portal downloads on disk as Parquet, keyed by the query, so the network is needed once.

A download is stored as it came from the portal (before the column mapping), so a
changed mapping needs no new download, and a coach can copy the cache folder to a
workshop with no internet. Each entry is two files in ``paths.cache_dir()/<kind>/``:
``<name>-<key>.parquet`` (the table) and ``<name>-<key>.json`` (what was asked, when,
and how many rows the portal said it had). The key is a hash of the query: the
portal, the dataset and the filters, never a token, so no secret reaches a file name
or the cache folder.

>>> query = {"kind": "socrata", "url": "https://data.city.gov", "dataset": "abcd-1234"}
>>> cache_key(query) == cache_key(dict(reversed(query.items())))  # order does not matter
True
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from cda_lib.core import paths
from cda_lib.core.files import atomic_path, write_text_atomically

KEY_LENGTH = 16  # hex digits of SHA-256: 64 bits, far beyond any chance of two queries clashing
CACHE_FORMAT = 1  # bumped if the layout of the files changes, so old entries are not misread


@dataclass(frozen=True)
class CacheEntry:
    """A cached download: the raw table and what is known about it."""

    table: pd.DataFrame
    info: dict[str, Any]
    path: Path

    @property
    def fetched_at(self) -> pd.Timestamp:
        """When the download finished (local time of the machine that downloaded it)."""
        return pd.Timestamp(self.info["fetched_at"])

    @property
    def label(self) -> str:
        """The source as notices name it, e.g. ``data.city.gov dataset abcd-1234 (Socrata)``."""
        return str(self.info.get("label", ""))


def cache_key(query: Mapping[str, Any]) -> str:
    """A short, stable hash of a query (its fields in any order)."""
    text = json.dumps(query, sort_keys=True, default=str, ensure_ascii=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:KEY_LENGTH]


def entry_path(query: Mapping[str, Any]) -> Path:
    """Where a query's table is (or would be) cached.

    >>> entry_path({"kind": "ckan", "resource_id": "5a7c-trees"}).name[:15]
    'ckan-5a7c-trees'
    """
    kind = _safe_name(str(query.get("kind", "portal")))
    name = _safe_name(str(query.get("dataset") or query.get("resource_id")
                          or query.get("name") or kind))
    return paths.cache_dir() / kind / f"{kind}-{name}-{cache_key(query)}.parquet"


def read_entry(query: Mapping[str, Any]) -> CacheEntry | None:
    """The cached table for ``query``, or None when it was never downloaded (or is unreadable)."""
    found = entry_info(query)
    if found is None:
        return None
    table_path, info = found
    return CacheEntry(table=pd.read_parquet(table_path), info=info, path=table_path)


def entry_info(query: Mapping[str, Any]) -> tuple[Path, dict[str, Any]] | None:
    """The cached file for ``query`` and its description, without reading the table (for a
    large download read on disk); None when there is no complete entry."""
    import pyarrow.parquet as pq

    table_path = entry_path(query)
    info_path = table_path.with_suffix(".json")
    if not (table_path.exists() and info_path.exists()):
        return None
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
        rows = pq.read_metadata(table_path).num_rows
    except (OSError, ValueError):
        return None
    if info.get("format") != CACHE_FORMAT or info.get("key") != cache_key(query):
        return None
    if rows != info.get("rows"):  # a copy cut short (a full disk, a bad copy): not usable
        return None
    return table_path, info


def write_entry(query: Mapping[str, Any], table: pd.DataFrame,
                info: Mapping[str, Any]) -> CacheEntry:
    """Store a complete download; the table first, then its description, each in one step.

    A reader never sees a half-written entry: until the description is in place the
    entry does not count as cached.
    """
    table_path = entry_path(query)
    table = parquet_ready(table)
    full_info = {**info, "format": CACHE_FORMAT, "key": cache_key(query),
                 "query": dict(query), "rows": len(table), "columns": list(map(str, table))}
    table_path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(table_path) as scratch:
        table.to_parquet(scratch, index=False)
    write_text_atomically(table_path.with_suffix(".json"),
                          json.dumps(full_info, indent=2, default=str, ensure_ascii=False))
    return CacheEntry(table=table, info=full_info, path=table_path)


def parquet_ready(table: pd.DataFrame) -> pd.DataFrame:
    """The table with columns Parquet can store: nested values (a location) as JSON text,
    columns that mix kinds of values (numbers and text) as text, names as text.

    >>> mixed = pd.DataFrame({"a": [1, "x", None], "loc": [{"lat": 1}, None, None]})
    >>> parquet_ready(mixed).dtypes.astype(str).tolist()
    ['string', 'string']
    """
    table = table.reset_index(drop=True)
    converted = {}
    for name in table.columns:
        column = table[name]
        if column.dtype == object:
            column = _as_text_column(column)
        converted[str(name)] = column
    return pd.DataFrame(converted, index=table.index)


def _as_text_column(column: pd.Series) -> pd.Series:
    def as_text(value: Any) -> Any:
        if value is None or (isinstance(value, float) and value != value):
            return None
        if isinstance(value, (dict, list)):
            return json.dumps(value, sort_keys=True, ensure_ascii=False)
        return str(value)

    kinds = {type(v) for v in column.dropna()}
    if len(kinds) == 1 and kinds <= {bool}:
        return column.astype("boolean")
    return pd.Series([as_text(v) for v in column], index=column.index, dtype="string")


def _safe_name(text: str) -> str:
    """A file-name-safe version of an id: letters, digits, dot, dash and underscore only."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")[:60] or "data"
