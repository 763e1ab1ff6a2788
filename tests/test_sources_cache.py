"""The on-disk cache of portal downloads: keyed by the query, whole or absent, no secrets."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cda_lib.core import paths
from cda_lib.sources import cache

QUERY = {"kind": "socrata", "url": "https://data.city.gov", "dataset": "abcd-1234",
         "start": "2024-01-01", "end": None}


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CDA_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def table() -> pd.DataFrame:
    return pd.DataFrame({"id": ["01", "02", "03"], "opened": ["2024-01-01", None, "2024-01-03"],
                         "location": [{"lat": "41.8"}, None, {"lat": "41.9"}]})


def test_a_stored_download_reads_back_whole(cache_dir):
    written = cache.write_entry(QUERY, table(), {"label": "L", "fetched_at": "2026-03-01T10:00:00"})
    read = cache.read_entry(QUERY)
    assert read is not None
    pd.testing.assert_frame_equal(read.table, written.table)
    assert read.table["id"].tolist() == ["01", "02", "03"]  # text stays text
    assert read.table["location"].tolist()[0] == '{"lat": "41.8"}'  # nested values as JSON
    assert read.fetched_at == pd.Timestamp("2026-03-01 10:00") and read.label == "L"
    assert read.info["rows"] == 3 and read.info["query"] == QUERY
    assert read.path.parent == cache_dir / "socrata" == paths.cache_dir() / "socrata"
    assert read.path.name.startswith("socrata-abcd-1234-")


def test_the_key_depends_on_what_decides_the_rows_not_on_their_order():
    assert cache.cache_key(QUERY) == cache.cache_key(dict(reversed(list(QUERY.items()))))
    assert cache.cache_key(QUERY) != cache.cache_key({**QUERY, "start": "2024-01-02"})
    assert cache.entry_path(QUERY) != cache.entry_path({**QUERY, "end": "2024-12-31"})


def test_a_query_never_downloaded_is_not_cached():
    assert cache.read_entry(QUERY) is None


def test_a_table_without_its_description_does_not_count(cache_dir):
    entry = cache.write_entry(QUERY, table(), {"fetched_at": "2026-03-01T10:00:00"})
    entry.path.with_suffix(".json").unlink()
    assert cache.read_entry(QUERY) is None


@pytest.mark.parametrize(("field", "value"), [("rows", 2), ("format", 0), ("key", "0" * 16)])
def test_an_entry_whose_description_does_not_match_does_not_count(field, value):
    entry = cache.write_entry(QUERY, table(), {"fetched_at": "2026-03-01T10:00:00"})
    info_path = entry.path.with_suffix(".json")
    info = json.loads(info_path.read_text())
    info[field] = value
    info_path.write_text(json.dumps(info))
    assert cache.read_entry(QUERY) is None


def test_a_write_that_fails_leaves_no_entry_and_keeps_the_earlier_one(monkeypatch, cache_dir):
    cache.write_entry(QUERY, table(), {"fetched_at": "2026-03-01T10:00:00"})

    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", disk_full)
    with pytest.raises(OSError):
        cache.write_entry(QUERY, table().iloc[:1], {"fetched_at": "2026-04-01T10:00:00"})
    monkeypatch.undo()
    monkeypatch.setenv("CDA_CACHE_DIR", str(cache_dir))
    earlier = cache.read_entry(QUERY)
    assert earlier is not None and len(earlier.table) == 3
    assert [p.name for p in (cache_dir / "socrata").iterdir() if p.name.startswith(".")] == []


def test_mixed_and_yes_no_columns_become_storable():
    ready = cache.parquet_ready(pd.DataFrame({"mixed": [1, "a", None], "flag": [True, None, False]},
                                             index=[5, 6, 7]))
    assert ready["mixed"].tolist()[:2] == ["1", "a"] and pd.isna(ready["mixed"].iloc[2])
    assert str(ready["flag"].dtype) == "boolean"
    assert ready.index.tolist() == [0, 1, 2]
