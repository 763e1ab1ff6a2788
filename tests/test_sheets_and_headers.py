"""Excel sheets and header rows (`sheet:`, `header_row:`), and header names written twice.

Every workbook and CSV is written here, small enough to count by eye: the expected
accounts and messages below are worked out from the rows as written. CSV cases go
through both loaders (pandas and on disk), which must agree.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cda_lib.core.errors import LoadError, MappingError
from cda_lib.metrics import engine
from cda_lib.sources import conform
from cda_lib.sources.local import load_service_requests_file
from cda_lib.sources.mapping import parse_mapping

AS_OF = pd.Timestamp("2025-03-15")  # shortly after the data ends (04 Mar 2025), as an export is
HEADER = ["Case ID", "Opened", "Type", "Status"]
COLUMNS = {"service_request_id": "Case ID", "requested_datetime": "Opened",
           "service_name": "Type", "status": "Status"}
STATUSES = {"Open": "open", "Closed": "closed"}


@pytest.fixture(autouse=True)
def cache_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("CDA_CACHE_DIR", str(tmp_path / "cache"))


def mapping(**options):
    columns = {**COLUMNS, **options.pop("columns", {})}
    return parse_mapping({"name": "sheet test", "columns": columns,
                          "status_values": STATUSES, **options}, "sheet_test.yaml")


def rows(first_id: int, count: int) -> list[list[str]]:
    return [[f"{first_id + n:05d}", "2025-03-04 10:15:00", "Noise", "Open"]
            for n in range(count)]


def workbook(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, lines in sheets.items():
        sheet = book.create_sheet(name)
        for line in lines:
            sheet.append(line)
    book.save(path)
    return path


@pytest.fixture
def two_sheets(tmp_path):
    """4 requests on "Requests 2024", 4 on "Requests 2025" (its 2nd has no type): 8 in all."""
    later = rows(201, 4)
    later[1][2] = ""
    return workbook(tmp_path / "export.xlsx", {"Requests 2024": [HEADER, *rows(101, 4)],
                                               "Requests 2025": [HEADER, *later]})


def test_a_workbook_with_two_sheets_and_none_chosen_names_them(two_sheets):
    with pytest.raises(LoadError) as raised:
        load_service_requests_file(two_sheets, mapping(), as_of=AS_OF)
    assert str(raised.value) == (
        'export.xlsx holds 2 sheets, "Requests 2024" and "Requests 2025", and the mapping '
        "does not say which one to read. Add `sheet:` to the mapping with the sheet's name "
        '(`sheet: "Requests 2024"`) or its number (`sheet: 1` for the first).')


@pytest.mark.parametrize("sheet", ["Requests 2025", 2])
def test_the_chosen_sheet_is_read_by_name_or_number(two_sheets, sheet):
    result = load_service_requests_file(two_sheets, mapping(sheet=sheet), as_of=AS_OF)
    assert result.account.summary_lines() == [
        "Read 4 rows from export.xlsx: kept 3, set aside 1.",
        "Set aside 1 of 4 rows: missing request type"]
    assert result.table["service_request_id"].tolist() == ["00201", "00203", "00204"]


def test_the_first_sheet_is_sheet_1(two_sheets):
    result = load_service_requests_file(two_sheets, mapping(sheet=1), as_of=AS_OF)
    assert result.table["service_request_id"].tolist() == ["00101", "00102", "00103", "00104"]


def test_an_unknown_sheet_name_gets_did_you_mean(two_sheets):
    with pytest.raises(LoadError) as raised:
        load_service_requests_file(two_sheets, mapping(sheet="Request 2025"), as_of=AS_OF)
    assert str(raised.value) == (
        'export.xlsx has no sheet called "Request 2025". Did you mean "Requests 2025"? Its '
        'sheets are "Requests 2024" and "Requests 2025": set `sheet:` in the mapping to one '
        "of them.")


def test_a_sheet_number_past_the_last_says_how_many_there_are(two_sheets):
    with pytest.raises(LoadError, match="asks for sheet 3 of export.xlsx, which holds 2 "
                                        "sheets: .* a number from 1 to 2"):
        load_service_requests_file(two_sheets, mapping(sheet=3), as_of=AS_OF)


def test_a_sheet_named_by_a_year_without_quotes_is_told_to_quote_it(tmp_path):
    path = workbook(tmp_path / "years.xlsx", {"2024": [HEADER, *rows(1, 1)],
                                              "2025": [HEADER, *rows(2, 1)]})
    with pytest.raises(LoadError) as raised:
        load_service_requests_file(path, mapping(sheet=2025), as_of=AS_OF)
    assert str(raised.value) == (
        'The mapping asks for sheet 2025 of years.xlsx, which holds 2 sheets: "2024" and '
        '"2025". For the sheet named "2025", write the name in quotes: `sheet: "2025"`.')
    result = load_service_requests_file(path, mapping(sheet="2025"), as_of=AS_OF)
    assert result.table["service_request_id"].tolist() == ["00002"]


def test_a_workbook_with_one_sheet_needs_no_choice(tmp_path):
    path = workbook(tmp_path / "one.xlsx", {"Data": [HEADER, *rows(1, 3)]})
    result = load_service_requests_file(path, mapping(), as_of=AS_OF)
    assert result.account.summary_lines() == ["Read 3 rows from one.xlsx: kept 3, set aside 0."]


@pytest.fixture
def titled(tmp_path):
    """A title on row 1, a blank row 2, the column names on row 3, then 5 requests
    (the 5th a copy of the 4th's id)."""
    requests = rows(1, 5)
    requests[4][0] = requests[3][0]
    return workbook(tmp_path / "titled.xlsx", {"Export": [
        ["311 requests exported on 30 June 2025"], [], HEADER, *requests]})


def test_a_title_above_the_header_gets_the_row_to_set(titled):
    with pytest.raises(MappingError) as raised:
        load_service_requests_file(titled, mapping(), as_of=AS_OF)
    message = str(raised.value)
    assert message.startswith('The mapping "sheet test" reads `service_request_id` from a '
                              'column "Case ID", but titled.xlsx has no such column.')
    assert message.endswith("The header seems to be on row 3: set `header_row: 3` in the "
                            "mapping.")


def test_a_header_row_set_too_high_gets_the_right_one(titled):
    # row 2 (blank) read as the names: the data starts on row 3, which holds them
    with pytest.raises(MappingError, match="The header seems to be on row 3: set "
                                           "`header_row: 3`"):
        load_service_requests_file(titled, mapping(header_row=2), as_of=AS_OF)


def test_header_row_reads_the_names_from_that_row(titled):
    result = load_service_requests_file(titled, mapping(header_row=3), as_of=AS_OF)
    assert result.account.summary_lines() == [
        "Read 5 rows from titled.xlsx: kept 4, set aside 1.",
        "Set aside 1 of 5 rows: duplicate request id"]


def test_header_row_and_sheet_together(tmp_path):
    path = workbook(tmp_path / "both.xlsx", {
        "Notes": [["read me"]],
        "Data": [["Title"], HEADER, *rows(1, 2)]})
    result = load_service_requests_file(path, mapping(sheet="Data", header_row=2), as_of=AS_OF)
    assert result.account.summary_lines() == ["Read 2 rows from both.xlsx: kept 2, set aside 0."]


@pytest.mark.parametrize(("options", "field"), [
    ({"header_row": 0}, "header_row"), ({"header_row": "2"}, "header_row"),
    ({"header_row": True}, "header_row"), ({"sheet": 0}, "sheet"), ({"sheet": [1]}, "sheet")])
def test_sheet_and_header_row_must_be_a_name_or_a_number_from_1(options, field):
    with pytest.raises(MappingError, match=f"`{field}` holds .* counted from 1"):
        mapping(**options)


def test_the_options_are_part_of_the_mapping_so_of_its_cache_key():
    assert repr(mapping(sheet="Data")) != repr(mapping(sheet=2)) != repr(mapping())
    assert "header_row=3" in repr(mapping(header_row=3))


def write_csv(path: Path, header: list[str], lines: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(lines)
    return path


def test_header_row_in_a_csv_mapping_says_to_delete_the_rows_above(tmp_path):
    path = write_csv(tmp_path / "export.csv", HEADER, rows(1, 2))
    for load in (load_service_requests_file, engine.open_requests):
        with pytest.raises(LoadError, match="`header_row:`, which is read for Excel "
                                            "workbooks only, but export.csv is not one"):
            load(path, mapping(header_row=2), as_of=AS_OF)


def test_a_csv_title_with_trailing_commas_gets_the_hint_in_both_loaders(tmp_path):
    # "Title,,," is what a spreadsheet saves for a title cell above four columns
    path = write_csv(tmp_path / "titled.csv", ["311 export", "", "", ""], [HEADER, *rows(1, 2)])
    messages = []
    for load in (load_service_requests_file, engine.open_requests):
        with pytest.raises(MappingError) as raised:
            load(path, mapping(), as_of=AS_OF)
        messages.append(str(raised.value))
    assert messages[0] == messages[1]
    assert messages[0].endswith("The header seems to be on row 2: delete the rows above it "
                                "in the file and save it again.")


# --- header names written twice --------------------------------------------------------

# "Type" twice: column 3 holds a type on 1 row of 4 (the old field, mostly empty), column 5
# holds it on all 4, so reading the first would set 3 rows aside as "missing request type"
TWICE_HEADER = ["Case ID", "Opened", "Type", "Status", "Type"]
TWICE_ROWS = [["00001", "2025-03-04 10:15:00", "Noise", "Open", "Noise"],
              ["00002", "2025-03-04 11:00:00", "", "Open", "Pothole"],
              ["00003", "2025-03-05 09:30:00", "", "Open", "Graffiti"],
              ["00004", "2025-03-05 12:00:00", " ", "Open", "Noise"]]
TWICE_MESSAGE = (
    'The mapping "sheet test" reads `service_name` from "Type", but {name} has 2 columns '
    'named "Type": column 3 (1 value) and column 5 (4 values). The workbook does not guess '
    'which one is meant: map `service_name: "Type"` for the first or `service_name: '
    '"Type.1"` for the second (repeated names are read as "Type", "Type.1", ...).')


def test_a_mapped_name_twice_in_a_csv_header_is_refused_by_both_loaders(tmp_path):
    path = write_csv(tmp_path / "twice.csv", TWICE_HEADER, TWICE_ROWS)
    for load in (load_service_requests_file, engine.open_requests):
        with pytest.raises(MappingError) as raised:
            load(path, mapping(), as_of=AS_OF)
        assert str(raised.value) == TWICE_MESSAGE.format(name="twice.csv")


def test_the_second_column_is_read_as_type_1_by_both_loaders(tmp_path):
    path = write_csv(tmp_path / "twice.csv", TWICE_HEADER, TWICE_ROWS)
    second = mapping(columns={"service_name": "Type.1"})
    ordinary = load_service_requests_file(path, second, as_of=AS_OF)
    on_disk = engine.open_requests(path, second, as_of=AS_OF)
    assert ordinary.account.summary_lines() == on_disk.account.summary_lines() == [
        "Read 4 rows from twice.csv: kept 4, set aside 0."]
    assert ordinary.table["service_name"].tolist() == ["Noise", "Pothole", "Graffiti", "Noise"]
    pd.testing.assert_frame_equal(on_disk.to_pandas(), ordinary.table)


def test_a_mapped_name_twice_in_an_excel_header_is_refused(tmp_path):
    path = workbook(tmp_path / "twice.xlsx", {"Data": [TWICE_HEADER, *TWICE_ROWS]})
    with pytest.raises(MappingError) as raised:
        load_service_requests_file(path, mapping(), as_of=AS_OF)
    assert str(raised.value) == TWICE_MESSAGE.format(name="twice.xlsx")


def test_a_name_twice_that_the_mapping_does_not_read_is_no_matter(tmp_path):
    path = write_csv(tmp_path / "notes.csv", [*HEADER, "Notes", "Notes"],
                     [[*line, "a", "b"] for line in rows(1, 2)])
    for load in (load_service_requests_file, engine.open_requests):
        assert load(path, mapping(), as_of=AS_OF).account.rows_kept == 2


def test_columns_named_alike_follow_the_readers_numbering():
    assert conform.columns_named_alike("id", ["id", "id.1", "id.2", "x"]) == ["id", "id.1",
                                                                               "id.2"]
    assert conform.columns_named_alike("id.1", ["id", "id.1"]) == ["id.1"]
