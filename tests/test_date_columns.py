"""Dates with their time in a column of its own, and closed times derived from a duration
(issue 11, item 6): ``cda_lib.sources.date_columns``, through both loaders, which must
agree row for row.

The expected values are worked out from the files by hand (see
``tests/fixtures/sources/dates/README.md``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from test_dates import AS_OF, both_loads

from cda_lib.core.errors import MappingError
from cda_lib.metrics import engine
from cda_lib.metrics.quality import quality_profile
from cda_lib.sources import conform
from cda_lib.sources.local import load_service_requests_file
from cda_lib.sources.mapping import parse_mapping

FILES = Path(__file__).parent / "fixtures" / "sources" / "dates"
DERIVED = 'closed time from the opened time plus "Days to close" (closed, with no closed date)'


@pytest.fixture(autouse=True)
def cache_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("CDA_CACHE_DIR", str(tmp_path / "cache"))


def timed_mapping(**options):
    return parse_mapping({
        "name": "time columns test export",
        "columns": {"service_request_id": "Case ID", "requested_datetime": "Open Date",
                    "closed_datetime": "Close Date", "service_name": "Type",
                    "status": "Status"},
        "status_values": {"Open": "open", "Closed": "closed"},
        "datetime_format": "%m/%d/%Y",
        "time_columns": {"requested_datetime": "Open Time", "closed_datetime": "Close Time"},
        **options})


def duration_mapping(status: bool = True, **options):
    columns = {"service_request_id": "Case ID", "requested_datetime": "Opened",
               "closed_datetime": "Closed", "service_name": "Type"}
    raw = {"name": "duration test export", "columns": columns,
           "datetime_format": "%Y-%m-%d %H:%M",
           "closed_from_duration": {"column": "Days to close", "unit": "days"}, **options}
    if status:
        columns["status"] = "Status"
        raw["status_values"] = {"Open": "open", "Closed": "closed"}
    return parse_mapping(raw)


def dates_of(table: pd.DataFrame) -> dict[str, tuple]:
    indexed = table.set_index("service_request_id")
    return {request: (str(row.requested_datetime),
                      None if pd.isna(row.closed_datetime) else str(row.closed_datetime))
            for request, row in indexed.iterrows()}


# --- time columns -----------------------------------------------------------------------


def test_a_date_and_its_time_column_are_read_together():
    result = both_loads(FILES / "time_columns.csv", timed_mapping())
    account = result.account
    assert (account.rows_read, account.rows_kept, account.rows_set_aside) == (9, 4, 5)
    assert account.reasons().to_dict() == {conform.UNREADABLE_OPENED_TIME: 2,
                                           conform.UNREADABLE_CLOSED_TIME: 1,
                                           conform.UNREADABLE_OPENED: 1,
                                           conform.MISSING_OPENED: 1}
    # worked out in the fixtures' README, row by row
    assert dates_of(result.table) == {
        "0000001": ("2025-03-04 10:15:00", "2025-03-06 17:00:00"),
        "0000002": ("2025-03-04 23:30:15", "2025-03-05 00:10:00"),
        "0000003": ("2025-03-05 09:05:00", None),
        "0000009": ("2025-03-07 08:00:00", None),
    }
    table = result.table.set_index("service_request_id")
    days = (table["closed_datetime"] - table["requested_datetime"]).dt.total_seconds() / 86400
    assert days["0000001"] == pytest.approx(2.28125)  # 2 days + 6 h 45 min
    assert round(days["0000001"], 2) == 2.28
    assert (table["closed_datetime"] - table["requested_datetime"])["0000002"] == \
        pd.Timedelta(minutes=39, seconds=45)


def test_a_row_set_aside_for_its_time_says_what_the_time_was():
    aside = both_loads(FILES / "time_columns.csv", timed_mapping()).account.set_aside_rows()
    details = dict(zip(aside["Case ID"], zip(aside["reason"], aside["detail"], strict=True),
                       strict=True))
    assert details["0000005"] == (conform.UNREADABLE_OPENED_TIME, "10h15")
    assert details["0000006"] == (conform.UNREADABLE_CLOSED_TIME, "25:00")
    assert details["0000007"] == (conform.UNREADABLE_OPENED, "03/32/2025 08:00")
    assert details["0000004"][0] == conform.UNREADABLE_OPENED_TIME
    assert pd.isna(details["0000004"][1])  # no time at all


def test_without_its_time_column_a_date_is_read_at_midnight():
    """What item 6 fixes: the same file, the time columns not named, loses every time."""
    mapping = parse_mapping({"name": "no time columns", "datetime_format": "%m/%d/%Y",
                             "columns": {"service_request_id": "Case ID",
                                         "requested_datetime": "Open Date",
                                         "service_name": "Type"}})
    result = both_loads(FILES / "time_columns.csv", mapping)
    opened = result.table.set_index("service_request_id")["requested_datetime"]
    assert opened["0000001"] == pd.Timestamp("2025-03-04 00:00")


def test_a_time_format_reads_a_twelve_hour_clock(tmp_path):
    path = tmp_path / "twelve_hour.csv"
    path.write_text("Case ID,Open Date,Open Time,Close Date,Close Time,Type,Status\n"
                    "1,03/04/2025,10:15 AM,03/04/2025,5:30 PM,Noise,Closed\n"
                    "2,03/04/2025,12:05 AM,,,Noise,Open\n"
                    "3,03/04/2025,17:30,,,Noise,Open\n", encoding="utf-8")
    result = both_loads(path, timed_mapping(time_format="%I:%M %p"))
    # 12:05 AM is five past midnight; 17:30 is no 12-hour time
    assert dates_of(result.table) == {"1": ("2025-03-04 10:15:00", "2025-03-04 17:30:00"),
                                      "2": ("2025-03-04 00:05:00", None)}
    assert result.account.reasons().to_dict() == {conform.UNREADABLE_OPENED_TIME: 1}


def test_iso_dates_date_cells_and_zoned_times_are_joined_too(tmp_path):
    path = tmp_path / "iso.csv"
    path.write_text("Case ID,Open Date,Open Time,Close Date,Close Time,Type,Status\n"
                    "1,2025-03-04,10:15:00,2025-03-04,12:15:00,Noise,Closed\n"
                    "2,2025-03-05 00:00:00,08:00,,,Noise,Open\n"
                    "3,2025-03-05,10:15:00Z,,,Noise,Open\n", encoding="utf-8")
    mapping = timed_mapping(datetime_format=None)
    # a spreadsheet's date cell (midnight) takes the time column's time; 10:15 UTC is
    # 05:15 in Bogota (UTC-5)
    assert dates_of(both_loads(path, mapping, time_zone="America/Bogota").table) == {
        "1": ("2025-03-04 10:15:00", "2025-03-04 12:15:00"),
        "2": ("2025-03-05 08:00:00", None),
        "3": ("2025-03-05 05:15:00", None)}


def test_day_first_dates_with_time_columns_are_refused_with_the_date_format_to_set(tmp_path):
    path = tmp_path / "day_first.csv"
    path.write_text("Case ID,Open Date,Open Time,Close Date,Close Time,Type,Status\n"
                    "1,13/03/2025,10:15,,,Noise,Open\n"
                    "2,04/03/2025,10:15,,,Noise,Open\n", encoding="utf-8")
    messages = []
    for load in (load_service_requests_file, engine.open_requests):
        with pytest.raises(MappingError) as refused:
            load(path, timed_mapping(), as_of=AS_OF)
        messages.append(str(refused.value))
    assert messages[0] == messages[1]
    # 1 of 2 opened dates reads only day first; the format to set is the date's own
    assert messages[0].startswith("50% of opened dates have a number above 12")
    assert 'set `datetime_format: "%d/%m/%Y"`' in messages[0]


def test_a_typed_date_column_takes_its_time_from_the_time_column(tmp_path):
    """A Parquet export with real dates (midnight) and times as text: both loaders."""
    path = tmp_path / "typed.parquet"
    pd.DataFrame({
        "Case ID": ["1", "2"],
        "Open Date": pd.to_datetime(["2025-03-04", "2025-03-05"]),
        "Open Time": ["10:15", "08:00:30"],
        "Close Date": pd.to_datetime(["2025-03-06", None]),
        "Close Time": ["17:00", None],
        "Type": ["Noise", "Noise"], "Status": ["Closed", "Open"],
    }).to_parquet(path, index=False)
    assert dates_of(both_loads(path, timed_mapping()).table) == {
        "1": ("2025-03-04 10:15:00", "2025-03-06 17:00:00"),
        "2": ("2025-03-05 08:00:30", None)}


def test_an_excel_sheet_with_date_and_time_cells_is_read(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "cells.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Case ID", "Open Date", "Open Time", "Close Date", "Close Time", "Type",
                  "Status"])
    sheet.append(["1", dt.datetime(2025, 3, 4), dt.time(10, 15), dt.datetime(2025, 3, 6),
                  dt.time(17, 0), "Noise", "Closed"])
    book.save(path)
    result = load_service_requests_file(path, timed_mapping(), as_of=AS_OF)
    assert dates_of(result.table) == {"1": ("2025-03-04 10:15:00", "2025-03-06 17:00:00")}


# --- closed times derived from a duration ------------------------------------------------


def test_a_closed_request_without_a_closed_date_takes_its_duration():
    result = both_loads(FILES / "days_to_close.csv", duration_mapping())
    account = result.account
    assert (account.rows_read, account.rows_kept, account.rows_set_aside) == (12, 7, 5)
    assert account.reasons().to_dict() == {conform.CLOSED_WITHOUT_DATE: 4,
                                           conform.UNREADABLE_CLOSED: 1}
    assert account.derived().to_dict() == {DERIVED: 5}
    assert account.flags().to_dict() == {conform.FUTURE_CLOSED: 1}
    assert f"Derived for 5 of 7 kept rows: {DERIVED}" in account.summary_lines()
    # worked out in the fixtures' README, row by row
    assert dates_of(result.table) == {
        "0000001": ("2025-03-04 10:15:00", "2025-03-06 17:00:00"),
        "0000002": ("2025-03-04 10:15:00", "2025-03-06 22:15:00"),
        "0000003": ("2025-03-04 08:00:00", "2025-03-04 14:00:00"),
        "0000004": ("2025-03-04 08:00:00", "2025-03-04 08:00:00"),
        "0000008": ("2025-03-04 08:00:00", None),
        "0000010": ("2025-03-04 09:00:00", "2025-03-04 09:00:01"),
        "0000011": ("2025-06-29 12:00:00", "2025-07-02 12:00:00"),
    }
    status = result.table.set_index("service_request_id")["status"]
    assert status["0000002"] == "closed" and status["0000008"] == "open"


def test_without_the_duration_those_rows_are_set_aside_as_before():
    mapping = duration_mapping()
    plain = parse_mapping({"name": mapping.name, "columns": mapping.columns,
                           "datetime_format": mapping.datetime_format,
                           "status_values": mapping.status_values})
    account = both_loads(FILES / "days_to_close.csv", plain).account
    assert (account.rows_kept, account.rows_set_aside) == (2, 10)
    assert account.reasons()[conform.CLOSED_WITHOUT_DATE] == 9
    assert account.derived().empty


def test_with_no_status_column_every_request_with_a_duration_closes():
    result = both_loads(FILES / "days_to_close.csv", duration_mapping(status=False))
    # row 9's closed date is unreadable; rows 5, 6, 7 and 12 have no duration to use, so
    # with no status column they are open; row 8's 3 days now close it
    assert result.account.rows_kept == 11
    assert result.account.derived().to_dict() == {DERIVED: 6}
    table = result.table.set_index("service_request_id")
    assert table.loc["0000008", "closed_datetime"] == pd.Timestamp("2025-03-07 08:00")
    assert table.loc["0000008", "status"] == "closed"
    assert table.loc["0000005", "status"] == "open"


def test_a_duration_in_hours(tmp_path):
    path = tmp_path / "hours.csv"
    path.write_text("Case ID,Opened,Closed,Hours,Type,Status\n"
                    "1,2025-03-04 10:15,,1.5,Noise,Closed\n", encoding="utf-8")
    mapping = duration_mapping(closed_from_duration={"column": "Hours", "unit": "hours"})
    result = both_loads(path, mapping)
    assert dates_of(result.table) == {"1": ("2025-03-04 10:15:00", "2025-03-04 11:45:00")}
    assert result.account.derived().index.tolist() == [
        'closed time from the opened time plus "Hours" (closed, with no closed date)']


def test_a_numeric_duration_column_is_used_as_it_is(tmp_path):
    path = tmp_path / "numbers.parquet"
    pd.DataFrame({"Case ID": ["1", "2"], "Opened": ["2025-03-04 10:15"] * 2,
                  "Closed": [None, None], "Days to close": [0.5, float("nan")],
                  "Type": ["Noise"] * 2, "Status": ["Closed"] * 2}).to_parquet(path)
    result = both_loads(path, duration_mapping())
    assert dates_of(result.table) == {"1": ("2025-03-04 10:15:00", "2025-03-04 22:15:00")}
    assert result.account.reasons().to_dict() == {conform.CLOSED_WITHOUT_DATE: 1}


def test_the_quality_profile_counts_derived_closes_as_a_gap():
    result = load_service_requests_file(FILES / "days_to_close.csv", duration_mapping(),
                                        as_of=AS_OF)
    profile = quality_profile(result.table, result.account)
    row = profile.table.set_index("check").loc[DERIVED]
    assert (row["dimension"], row["handling"], row["rows"], row["of_rows"]) == \
        ("completeness", "kept, derived", 5, 7)
    assert f"Derived for 5 of 7 kept rows: {DERIVED}" in profile.lines()


# --- the mapping's options, checked --------------------------------------------------------


@pytest.mark.parametrize("options, words", [
    ({"time_columns": {"opened": "Open Time"}}, '`opened`, which is not a date'),
    ({"time_columns": ["Open Time"]}, "`time_columns` should map each date's canonical name"),
    ({"time_format": "%H:%M"}, "`time_format` is set but no `time_columns` are"),
    ({"time_columns": {"requested_datetime": "Open Time"},
      "datetime_format": "%m/%d/%Y %H:%M"},
     'holds the time codes "%H" and "%M", but with `time_columns` it is the date column'),
    ({"closed_from_duration": "Days to close"}, "should name the column"),
    ({"closed_from_duration": {"column": "Days", "unit": "weeks"}},
     "has the unit 'weeks', but it can be \"days\", \"hours\" and \"minutes\""),
    ({"closed_from_duration": {"column": "Days"}}, "has the unit None"),
])
def test_date_options_that_cannot_work_are_refused_by_name(options, words):
    raw = {"columns": {"service_request_id": "ID", "service_name": "Type",
                       "requested_datetime": "Opened"}, **options}
    with pytest.raises(MappingError) as refused:
        parse_mapping(raw, "test.yaml")
    assert words in str(refused.value)


def test_a_time_column_needs_its_date_column():
    raw = {"columns": {"service_request_id": "ID", "service_name": "Type",
                       "requested_datetime": "Opened"},
           "time_columns": {"closed_datetime": "Close Time"}}
    with pytest.raises(MappingError, match="does not say which column holds its date"):
        parse_mapping(raw, "test.yaml")


def test_a_time_or_duration_column_the_file_lacks_is_named(tmp_path):
    for mapping, missing in ((timed_mapping(time_columns={"requested_datetime": "Time"}),
                              "`time_columns.requested_datetime` from a column \"Time\""),
                             (duration_mapping(closed_from_duration={"column": "Days",
                                                                     "unit": "days"}),
                              "`closed_from_duration.column` from a column \"Days\"")):
        path = FILES / ("time_columns.csv" if "Time" in missing else "days_to_close.csv")
        for load in (load_service_requests_file, engine.open_requests):
            with pytest.raises(MappingError) as refused:
                load(path, mapping, as_of=AS_OF)
            assert missing in str(refused.value)


def test_the_load_cache_tells_mappings_apart_by_their_date_options():
    """A load kept in the cache is not given back for a mapping with other date options."""
    mapping = duration_mapping()
    plain = parse_mapping({"name": mapping.name, "columns": mapping.columns,
                           "datetime_format": mapping.datetime_format,
                           "status_values": mapping.status_values})
    path = FILES / "days_to_close.csv"
    first = load_service_requests_file(path, plain, as_of=AS_OF)
    again = load_service_requests_file(path, plain, as_of=AS_OF)
    assert type(again.account).__name__ == "CountedAccount"  # read back from the cache
    derived = load_service_requests_file(path, mapping, as_of=AS_OF)
    assert (first.account.rows_kept, derived.account.rows_kept) == (2, 7)
    hours = duration_mapping(closed_from_duration={"column": "Days to close",
                                                   "unit": "hours"})
    by_hours = load_service_requests_file(path, hours, as_of=AS_OF)
    closes = by_hours.table.set_index("service_request_id")["closed_datetime"]
    assert closes["0000002"] == pd.Timestamp("2025-03-04 12:45")  # 2.5 hours, not days
    # the derived count is kept with the entry, and read back
    assert load_service_requests_file(path, mapping, as_of=AS_OF).account.derived().to_dict() \
        == {DERIVED: 5}

    timed = timed_mapping()
    untimed = parse_mapping({"name": timed.name, "columns": timed.columns,
                             "datetime_format": "%m/%d/%Y",
                             "status_values": timed.status_values})
    times = FILES / "time_columns.csv"
    midnight = load_service_requests_file(times, untimed, as_of=AS_OF).table
    with_times = load_service_requests_file(times, timed, as_of=AS_OF).table
    assert midnight["requested_datetime"].iloc[0] == pd.Timestamp("2025-03-04 00:00")
    assert with_times["requested_datetime"].iloc[0] == pd.Timestamp("2025-03-04 10:15")
