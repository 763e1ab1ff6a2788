"""The local-file loader: mapping, conversion, and the account of every row."""

from pathlib import Path

import pandas as pd
import pytest

from cda_lib.core.errors import LoadError, MappingError
from cda_lib.core.schema import SERVICE_REQUESTS
from cda_lib.sources import conform
from cda_lib.sources.local import load_service_requests_file, read_raw_table
from cda_lib.sources.parquet_copy import parquet_copy

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
CSV = FIXTURES / "one_row_per_problem.csv"
MAPPING = FIXTURES / "one_row_per_problem.yaml"
AS_OF = pd.Timestamp("2025-02-01")

# Read the fixture file by eye: data rows 3-12 each break exactly one rule, in the
# order conform applies them; rows 1, 2, 13 and 14 are usable.
EXPECTED_SET_ASIDE = {
    3: conform.MISSING_ID,
    4: conform.MISSING_TYPE,
    5: conform.MISSING_OPENED,
    6: conform.UNREADABLE_OPENED,
    7: conform.UNREADABLE_CLOSED,
    8: conform.UNKNOWN_STATUS,
    9: conform.CLOSED_WITHOUT_DATE,
    10: conform.CLOSED_BEFORE_OPENED,
    11: conform.FUTURE_OPENED,
    12: conform.DUPLICATE_ID,
}


@pytest.fixture
def result():
    return load_service_requests_file(CSV, MAPPING, as_of=AS_OF)


def test_every_row_is_accounted_for_with_its_reason(result):
    account = result.account
    assert account.rows_read == 14
    assert account.rows_kept + account.rows_set_aside == account.rows_read
    aside = account.set_aside_rows()
    assert dict(zip(aside["source_row"], aside["reason"], strict=True)) == EXPECTED_SET_ASIDE
    assert len(result.table) == 4


def test_unreadable_values_are_quoted_in_the_detail(result):
    aside = result.account.set_aside_rows().set_index("source_row")
    assert aside.loc[6, "detail"] == "next tuesday"
    assert aside.loc[7, "detail"] == "soon"
    assert aside.loc[8, "detail"] == "Pending review"


def test_kept_table_is_canonical_and_ids_keep_leading_zeros(result):
    table = result.table
    assert list(table.columns) == SERVICE_REQUESTS.columns
    SERVICE_REQUESTS.validate(table)  # raises if any column has the wrong type
    assert table["service_request_id"].tolist() == ["00101", "00102", "00113", "00114"]
    assert table.loc[0, "requested_datetime"] == pd.Timestamp("2025-01-05 09:15")
    assert table.loc[0, "closed_datetime"] == pd.Timestamp("2025-01-06 14:30")


def test_iso_dates_from_spreadsheets_are_accepted(result):
    row = result.table.set_index("service_request_id").loc["00114"]
    assert row["requested_datetime"] == pd.Timestamp("2025-01-07 09:00")


def test_status_and_codes_follow_the_mapping(result):
    table = result.table.set_index("service_request_id")
    assert table.loc["00101", "status"] == "closed"
    assert table.loc["00101", "status_notes"] == "Closed"
    assert table.loc["00101", "service_code"] == "POTHOLE"  # from service_codes
    assert table.loc["00102", "service_code"] == "GRAFFITI"  # derived from the name


def test_unreadable_coordinates_and_unknown_channels_are_kept_and_flagged(result):
    row = result.table.set_index("service_request_id").loc["00113"]
    assert pd.isna(row["lat"]) and pd.isna(row["channel"])
    assert result.account.flags().to_dict() == {
        conform.UNREADABLE_COORDINATES: 1,
        conform.UNKNOWN_CHANNEL: 1,
    }


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_excel_and_parquet_give_the_same_result_as_csv(tmp_path, result, suffix):
    raw = read_raw_table(CSV)
    path = tmp_path / f"export{suffix}"
    if suffix == ".xlsx":
        raw.to_excel(path, index=False)
    else:
        raw.to_parquet(path)
    other = load_service_requests_file(path, MAPPING, as_of=AS_OF)
    pd.testing.assert_frame_equal(other.table, result.table)
    assert other.account.reasons().to_dict() == result.account.reasons().to_dict()


def test_duplicates_are_found_across_several_files(tmp_path):
    raw = read_raw_table(CSV).head(2)
    for name in ("a.csv", "b.csv"):
        raw.to_csv(tmp_path / name, index=False)
    result = load_service_requests_file([tmp_path / "a.csv", tmp_path / "b.csv"], MAPPING,
                                        as_of=AS_OF)
    aside = result.account.set_aside_rows()
    assert aside["reason"].tolist() == [conform.DUPLICATE_ID] * 2
    assert aside["source_file"].tolist() == ["b.csv", "b.csv"]
    assert aside["source_file_row"].tolist() == [1, 2]


def test_a_mapped_column_missing_from_the_file_is_named(tmp_path):
    read_raw_table(CSV).rename(columns={"Opened": "Open date"}).to_csv(tmp_path / "x.csv",
                                                                       index=False)
    with pytest.raises(MappingError, match=r'"Opened".*Did you mean "Open date"'):
        load_service_requests_file(tmp_path / "x.csv", MAPPING)


def test_unsupported_and_missing_files_get_clear_errors(tmp_path):
    (tmp_path / "export.json").write_text("{}")
    with pytest.raises(LoadError, match="not a file type"):
        load_service_requests_file(tmp_path / "export.json", MAPPING)
    with pytest.raises(LoadError, match="no file at"):
        load_service_requests_file(tmp_path / "absent.csv", MAPPING)


def _with_reopened(values) -> pd.DataFrame:
    """Three usable requests in canonical columns, plus a reopen flag from a source."""
    raw = pd.DataFrame({
        "service_request_id": ["1", "2", "3"], "service_code": "POTHOLE",
        "service_name": "Pothole", "status": "closed", "status_notes": "Completed",
        "requested_datetime": "2025-01-02", "closed_datetime": "2025-01-05",
        "agency_responsible": "Streets", "district": "North", "lat": 44.1, "long": -93.0,
        "channel": "phone"})
    raw["Reopened?"] = values
    return raw


def test_a_mapped_reopen_flag_is_read_as_yes_no_and_unreadable_values_flagged():
    from cda_lib.sources.mapping import ColumnMapping

    mapping = ColumnMapping.identity()
    mapping = ColumnMapping(name="with reopens", columns={**mapping.columns,
                                                          "reopened": "Reopened?"})
    result = conform.conform_service_requests(_with_reopened(["Y", "no", "maybe"]), mapping,
                                              source="a test", as_of=AS_OF)
    assert result.table["reopened"].tolist() == [True, False, pd.NA]
    assert result.table["reopened"].dtype == "boolean"
    assert result.account.flags()[conform.UNREADABLE_REOPENED] == 1
    assert result.account.rows_kept == 3  # a flag, not a reason to set the row aside


def test_a_reopened_column_under_its_canonical_name_is_carried_through():
    from cda_lib.sources.mapping import ColumnMapping

    raw = _with_reopened([True, False, True]).rename(columns={"Reopened?": "reopened"})
    result = conform.conform_service_requests(raw, ColumnMapping.identity(), source="a test",
                                              as_of=AS_OF)
    assert list(result.table.columns) == SERVICE_REQUESTS.columns + ["reopened"]
    assert result.table["reopened"].tolist() == [True, False, True]
    without = conform.conform_service_requests(_with_reopened([True] * 3).drop(
        columns=["Reopened?"]), ColumnMapping.identity(), source="a test", as_of=AS_OF)
    assert list(without.table.columns) == SERVICE_REQUESTS.columns


def test_a_csv_is_read_from_its_parquet_copy_after_the_first_load(tmp_path):
    copy = tmp_path / "export.csv"
    copy.write_bytes(CSV.read_bytes())
    first = load_service_requests_file(copy, MAPPING, as_of=AS_OF)
    copy_path = parquet_copy(copy)
    made = copy_path.stat().st_mtime_ns
    again = load_service_requests_file(copy, MAPPING, as_of=AS_OF)
    assert copy_path.stat().st_mtime_ns == made  # not converted twice
    pd.testing.assert_frame_equal(again.table, first.table)
    assert again.account.summary_lines() == first.account.summary_lines()


def test_a_csv_in_an_older_encoding_says_how_to_save_it(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("id,barrio\n1,São Cristóvão\n".encode("latin-1"))
    with pytest.raises(LoadError, match='not saved as UTF-8.*save it again as "CSV UTF-8"'):
        read_raw_table(path)


def test_a_ragged_csv_is_one_clear_error(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("id,type\n1,Noise\n2,Noise,extra\n", encoding="utf-8")
    with pytest.raises(LoadError) as error:
        read_raw_table(path)
    assert str(error.value).count("could not be read as CSV") == 1
    assert "data row 2 (ending on line 3 of the file) has 3 columns where the header has 2" \
        in str(error.value)
