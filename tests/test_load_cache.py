"""A CSV's finished load, kept in the cache: the same account and rows, made again whenever
the CSV, the mapping, the workbook's code or a relevant ``as_of`` changes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cda_lib.sources import conform, load_cache, local
from cda_lib.sources.mapping import load_mapping, parse_mapping

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
MAPPING = FIXTURES / "one_row_per_problem.yaml"
AS_OF = pd.Timestamp("2025-02-01")
# by eye in the fixture: the latest opened time of a row that is kept or a duplicate is
# data row 14's 2025-01-07 09:00, and it closes 2025-01-08 10:00, the latest close of a
# kept row (an as_of before it flags the close as future); the one future row (11) opens
# 2052-01-05 13:00
LATEST_KEPT_OPENED = pd.Timestamp("2025-01-07 09:00")
LATEST_KEPT_CLOSED = pd.Timestamp("2025-01-08 10:00")
FUTURE_OPENED = pd.Timestamp("2052-01-05 13:00")


@pytest.fixture
def export(tmp_path, monkeypatch):
    monkeypatch.setenv("CDA_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "export.csv"
    path.write_bytes((FIXTURES / "one_row_per_problem.csv").read_bytes())
    return path


@pytest.fixture
def conform_calls(monkeypatch):
    """How many loads really ran the rules (a load from the cache runs none)."""
    calls = []
    real = local.conform_service_requests

    def counted(*args, **kwargs):
        calls.append(kwargs.get("as_of"))
        return real(*args, **kwargs)

    monkeypatch.setattr(local, "conform_service_requests", counted)
    return calls


def fresh(path: Path, mapping=MAPPING, as_of=AS_OF):
    """The load with no cache at all: read the file, apply the rules."""
    mapping = mapping if not isinstance(mapping, Path) else load_mapping(mapping)
    return conform.conform_service_requests(local.read_raw_table(path), mapping,
                                            source=path.name, as_of=as_of)


def assert_same_load(got, expected):
    pd.testing.assert_frame_equal(got.table, expected.table)
    assert got.account.summary_lines() == expected.account.summary_lines()
    assert got.account.rows_read == expected.account.rows_read
    assert got.account.flags().to_dict() == expected.account.flags().to_dict()
    pd.testing.assert_frame_equal(got.account.set_aside_rows(),
                                  expected.account.set_aside_rows())


def test_a_second_load_comes_from_the_cache_with_the_same_account_and_rows(export,
                                                                         conform_calls):
    first = local.load_service_requests_file(export, MAPPING, as_of=AS_OF)
    second = local.load_service_requests_file(export, MAPPING, as_of=AS_OF)
    assert len(conform_calls) == 1
    assert_same_load(second, first)
    assert_same_load(second, fresh(export))
    # the fixture breaks every rule once and flags two issues on kept rows
    assert second.account.rows_read == 14 and second.account.rows_kept == 4
    assert len(second.account.flags()) == 2


@pytest.mark.parametrize("as_of, from_cache", [
    (LATEST_KEPT_CLOSED, True),                                  # the range's first moment
    (pd.Timestamp("2030-06-01"), True),                          # inside the range
    (FUTURE_OPENED - pd.Timedelta("1ns"), True),                 # its last moment
    (FUTURE_OPENED, False),                                      # row 11 is no longer future
    (LATEST_KEPT_CLOSED - pd.Timedelta("1ns"), False),           # row 14 closes later
    (LATEST_KEPT_OPENED - pd.Timedelta("1ns"), False),           # row 14 would be future
], ids=["range-start", "inside", "range-end", "future-row-kept", "kept-close-future",
        "kept-row-future"])
def test_another_as_of_reuses_the_load_only_when_it_gives_the_same_result(
        export, conform_calls, as_of, from_cache):
    local.load_service_requests_file(export, MAPPING, as_of=AS_OF)
    got = local.load_service_requests_file(export, MAPPING, as_of=as_of)
    assert len(conform_calls) == (1 if from_cache else 2)
    assert_same_load(got, fresh(export, as_of=as_of))


def test_a_changed_csv_is_loaded_again(export, conform_calls):
    first = local.load_service_requests_file(export, MAPPING, as_of=AS_OF)
    export.write_text(export.read_text(encoding="utf-8").replace("Graffiti", "Graffito"),
                      encoding="utf-8")
    got = local.load_service_requests_file(export, MAPPING, as_of=AS_OF)
    assert len(conform_calls) == 2
    assert "Graffito" in set(got.table["service_name"]) - set(first.table["service_name"])


def test_a_changed_mapping_is_loaded_again(export, conform_calls):
    local.load_service_requests_file(export, MAPPING, as_of=AS_OF)
    changed = parse_mapping({**_mapping_fields(), "status_values": {"Open": "open",
                                                                    "Closed": "closed",
                                                                    "Pending review": "open"}})
    got = local.load_service_requests_file(export, changed, as_of=AS_OF)
    assert len(conform_calls) == 2
    assert conform.UNKNOWN_STATUS not in got.account.reasons()
    assert_same_load(got, fresh(export, changed))


def test_changed_workbook_code_is_loaded_again(export, conform_calls, monkeypatch):
    local.load_service_requests_file(export, MAPPING, as_of=AS_OF)
    monkeypatch.setattr(load_cache, "_code_fingerprint", lambda: "the next version")
    local.load_service_requests_file(export, MAPPING, as_of=AS_OF)
    assert len(conform_calls) == 2


def test_a_damaged_entry_is_loaded_again(export, conform_calls, tmp_path):
    first = local.load_service_requests_file(export, MAPPING, as_of=AS_OF)
    (kept,) = (tmp_path / "cache" / "loads").glob("*-kept.parquet")
    kept.write_bytes(kept.read_bytes()[:50])
    got = local.load_service_requests_file(export, MAPPING, as_of=AS_OF)
    assert len(conform_calls) == 2
    assert_same_load(got, first)


def test_a_load_without_as_of_is_kept_as_of_the_data_s_last_moment(export, conform_calls):
    first = local.load_service_requests_file(export, MAPPING)
    got = local.load_service_requests_file(export, MAPPING)
    assert len(conform_calls) == 1
    assert_same_load(got, first)
    # with no as_of nothing is a future date: row 11 is kept, and its opening is the last
    assert got.as_of == FUTURE_OPENED


def _mapping_fields() -> dict:
    import yaml

    return yaml.safe_load(MAPPING.read_text(encoding="utf-8"))


def test_a_later_duplicate_bounds_the_range_like_a_kept_row(tmp_path, monkeypatch,
                                                            conform_calls):
    monkeypatch.setenv("CDA_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "twice.csv"
    path.write_text("Case ID,Opened,Type,Status\n"
                    "A1,01/01/2025 09:00:00 AM,Noise,Open\n"
                    "A1,01/10/2025 09:00:00 AM,Noise,Open\n", encoding="utf-8")
    first = local.load_service_requests_file(path, MAPPING_FOR_TWO, as_of=AS_OF)
    assert first.account.reasons().to_dict() == {conform.DUPLICATE_ID: 1}
    # as of 5 January the second row is a future date, not a duplicate
    got = local.load_service_requests_file(path, MAPPING_FOR_TWO,
                                           as_of=pd.Timestamp("2025-01-05"))
    assert len(conform_calls) == 2
    assert got.account.reasons().to_dict() == {conform.FUTURE_OPENED: 1}


MAPPING_FOR_TWO = parse_mapping({
    "name": "two rows", "columns": {"service_request_id": "Case ID",
                                    "requested_datetime": "Opened", "service_name": "Type",
                                    "status": "Status"},
    "datetime_format": "%m/%d/%Y %I:%M:%S %p", "status_values": {"Open": "open"}})


def test_the_code_fingerprint_covers_every_loader_module():
    # a module added to sources/ later (a time-zone reader, say) must count as loader code
    package = Path(load_cache.__file__).resolve().parents[1]
    covered = {path for folder in load_cache._LOAD_CODE
               for path in (package / folder).rglob("*.py")}
    assert {package / "sources" / "conform.py", package / "sources" / "local.py",
            package / "core" / "account.py", package / "core" / "schema.py"} <= covered
    assert len(load_cache._code_fingerprint()) == 64


def test_a_cache_that_cannot_be_written_still_gives_the_load(export, monkeypatch):
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(load_cache, "write_text_atomically", full_disk)
    got = local.load_service_requests_file(export, MAPPING, as_of=AS_OF)
    assert_same_load(got, fresh(export))
