"""Valid CSV files that pyarrow's default reader refused, a really malformed one, an empty one
and damaged Parquet files: each read by both loaders (pandas and on disk), which must agree.

The expected accounts are worked out from the files by hand (see
``tests/fixtures/sources/csv/README.md``).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from cda_lib.core.errors import LoadError
from cda_lib.metrics import engine
from cda_lib.sources import conform, parquet_copy
from cda_lib.sources.local import load_service_requests_file, read_raw_table
from cda_lib.sources.mapping import parse_mapping

FILES = Path(__file__).parent / "fixtures" / "sources" / "csv"
# after every request in these files, and within 90 days of their last (January and
# March 2025), so the accounts carry no note that the as_of is late
AS_OF = pd.Timestamp("2025-03-15")
MAPPING = parse_mapping({"name": "csv test export",
                         "columns": {"service_request_id": "Case ID",
                                     "requested_datetime": "Opened", "service_name": "Type",
                                     "status": "Status", "status_notes": "Notes"},
                         "status_values": {"Open": "open", "Closed": "closed"}})
HEADER = ["Case ID", "Opened", "Type", "Status", "Notes"]


@pytest.fixture(autouse=True)
def cache_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("CDA_CACHE_DIR", str(tmp_path / "cache"))


def both_loads(path: Path, mapping=MAPPING):
    """The ordinary and the on-disk load of one file, checked to agree row for row."""
    ordinary = load_service_requests_file(path, mapping, as_of=AS_OF)
    on_disk = engine.open_requests(path, mapping, as_of=AS_OF)
    assert on_disk.account.summary_lines() == ordinary.account.summary_lines()
    pd.testing.assert_frame_equal(on_disk.to_pandas(), ordinary.table)
    pd.testing.assert_frame_equal(on_disk.account.set_aside_rows().astype("string"),
                                  ordinary.account.set_aside_rows().astype("string"))
    return ordinary


def write_requests(path: Path, notes: list[str], header=HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for number, note in enumerate(notes, start=1):
            writer.writerow([f"{number:07d}", "2025-03-04 10:15:00", "Noise", "Open", note])
    return path


def test_an_address_with_a_line_break_in_every_record_is_read():
    mapping = parse_mapping({"name": "addresses", "columns": {
        "service_request_id": "Case ID", "requested_datetime": "Opened",
        "service_name": "Type", "status": "Status", "status_notes": "Address"},
        "status_values": {"Open": "open"}})
    result = both_loads(FILES / "address_line_breaks.csv", mapping)
    assert result.account.summary_lines()[0] == \
        "Read 6 rows from address_line_breaks.csv: kept 4, set aside 2."
    assert result.account.reasons().to_dict() == {conform.MISSING_TYPE: 1,
                                                  conform.DUPLICATE_ID: 1}
    assert result.account.set_aside_rows()["source_row"].tolist() == [3, 6]
    assert result.table["status_notes"].tolist() == [f"{n} Main St\nRiverbend"
                                                     for n in (1, 2, 4, 5)]


def test_a_header_with_a_quoted_line_break_is_read():
    mapping = parse_mapping({"name": "header", "columns": {
        "service_request_id": "Case ID", "requested_datetime": "Opened\n(local time)",
        "service_name": "Type", "status": "Status"}, "status_values": {"Open": "open"}})
    result = both_loads(FILES / "header_line_break.csv", mapping)
    assert result.account.summary_lines() == [
        "Read 4 rows from header_line_break.csv: kept 4, set aside 0."]
    assert result.table["service_request_id"].tolist() == ["00001", "00002", "00003", "00004"]


@pytest.mark.parametrize("block_bytes", [2**16, parquet_copy._ARROW_BLOCK_BYTES],
                         ids=["many-blocks", "usual-block"])
def test_notes_with_line_breaks_in_one_row_in_twenty_are_read(tmp_path, monkeypatch,
                                                              block_bytes):
    # 64 KB blocks put many block boundaries inside quoted line breaks, as 1 MB blocks
    # did in the 12 MB export
    monkeypatch.setattr(parquet_copy, "_ARROW_BLOCK_BYTES", block_bytes)
    notes = [f"called twice\nsee case {n}" if n % 20 == 0 else f"note {n}"
             for n in range(1, 20_001)]
    result = both_loads(write_requests(tmp_path / "notes.csv", notes))
    assert result.account.summary_lines() == [
        "Read 20,000 rows from notes.csv: kept 20,000, set aside 0."]
    assert result.table["status_notes"].str.contains("\n").sum() == 1_000
    assert result.table["status_notes"].iloc[19] == "called twice\nsee case 20"


def test_a_5_mb_field_is_read(tmp_path):
    huge = "x" * 5_000_000
    result = both_loads(write_requests(tmp_path / "huge.csv", ["short", huge, "short"]))
    assert result.account.rows_read == 3 and result.account.rows_kept == 3
    assert result.table["status_notes"].str.len().tolist() == [5, 5_000_000, 5]


def test_a_field_longer_than_a_block_falls_back_to_the_csv_module(tmp_path, monkeypatch):
    monkeypatch.setattr(parquet_copy, "_ARROW_BLOCK_BYTES", 2**16)
    notes = ["", "y" * 200_000, "line\nbreak", "plain"]
    path = write_requests(tmp_path / "long.csv", notes)
    table = read_raw_table(path)
    expected = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    pd.testing.assert_frame_equal(table.astype("string"), expected.astype("string"))
    assert table["Notes"].isna().tolist() == [True, False, False, False]
    assert table["Case ID"].tolist() == ["0000001", "0000002", "0000003", "0000004"]


def test_a_really_ragged_file_names_the_row_and_the_columns():
    with pytest.raises(LoadError) as error:
        read_raw_table(FILES / "ragged.csv")
    message = str(error.value)
    assert "data row 2 (ending on line 3 of the file) has 4 columns where the header has 3" \
        in message
    assert "Open it in a spreadsheet" in message
    with pytest.raises(LoadError, match="data row 2 .* has 4 columns"):
        engine.open_requests(FILES / "ragged.csv", MAPPING)


def test_a_header_only_csv_reads_0_rows_in_both_loaders(tmp_path):
    path = tmp_path / "header_only.csv"
    path.write_text(",".join(HEADER) + "\n", encoding="utf-8")
    result = both_loads(path)
    assert result.account.summary_lines() == [
        "Read 0 rows from header_only.csv: kept 0, set aside 0."]
    assert len(engine.open_requests(path, MAPPING, as_of=AS_OF)) == 0


def test_a_damaged_parquet_copy_of_a_csv_is_made_again(tmp_path):
    path = write_requests(tmp_path / "export.csv", ["a", "b", "c"])
    copy = parquet_copy.parquet_copy(path)
    copy.write_bytes(copy.read_bytes()[:100])  # cut short, as a full disk leaves it
    result = both_loads(path)
    assert result.account.rows_read == 3
    assert len(copy.read_bytes()) > 100


def test_a_damaged_parquet_file_says_what_to_do(tmp_path):
    path = tmp_path / "service_requests.parquet"
    pd.DataFrame({"service_request_id": ["1", "2"]}).to_parquet(path)
    path.write_bytes(path.read_bytes()[:-30])
    for load in (lambda: read_raw_table(path), lambda: engine.open_requests(path)):
        with pytest.raises(LoadError) as error:
            load()
        message = str(error.value)
        assert "service_requests.parquet is damaged" in message
        assert "cda generate" in message
        assert "Traceback" not in message and "ArrowInvalid" not in message


def test_damaged_generated_data_is_made_again_when_the_city_is_loaded(tmp_path, monkeypatch):
    from cda_lib import data
    from cda_lib.cities.loader import load_city
    from cda_lib.core import paths

    monkeypatch.setattr(paths, "generated_dir", lambda: tmp_path / "generated")
    city = load_city("riverbend")
    data.ensure_city_data(city)
    path = data.synthetic_data_path(city)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    loaded = data.load_city_data(city)
    assert path.read_bytes() == whole  # the generator is seeded: the same file again
    assert loaded.account.rows_read == pd.read_parquet(path).shape[0]
    damage_past_the_footer(path)
    assert data.load_city_data(city).account.rows_read == loaded.account.rows_read
    assert path.read_bytes() == whole


def damage_past_the_footer(path: Path) -> None:
    """Overwrite the first data page's bytes, keeping the footer: the file opens, its
    rows do not read."""
    damaged = bytearray(path.read_bytes())
    damaged[8:3000] = b"\x07" * 2992
    path.write_bytes(bytes(damaged))


def test_a_copy_damaged_past_its_footer_is_made_again_in_both_loaders(tmp_path):
    path = write_requests(tmp_path / "export.csv", [f"note {n}" for n in range(2_000)])
    copy = parquet_copy.parquet_copy(path)
    damage_past_the_footer(copy)
    assert len(read_raw_table(path)) == 2_000
    damage_past_the_footer(copy)
    assert len(engine.open_requests(path, MAPPING, as_of=AS_OF)) == 2_000
    assert not parquet_copy.is_damaged(copy)


def test_a_parquet_file_damaged_past_its_footer_says_what_to_do(tmp_path):
    path = tmp_path / "service_requests.parquet"
    read_raw_table(write_requests(tmp_path / "export.csv", ["note"] * 2_000)).to_parquet(path)
    damage_past_the_footer(path)
    for load in (lambda: read_raw_table(path), lambda: engine.open_requests(path, MAPPING)):
        with pytest.raises(LoadError, match="service_requests.parquet is damaged.*cda generate"):
            load()
