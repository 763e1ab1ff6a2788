"""Dates as real exports write them: ISO 8601 with a time zone, and day first (issue 11,
items 2 and 3). Each case goes through both loaders (pandas and on disk), which must agree.

The expected values are worked out from the files by hand (see
``tests/fixtures/sources/dates/README.md``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from cda_lib import data as data_module
from cda_lib.cities import load_city
from cda_lib.cities.loader import parse_city
from cda_lib.core.errors import CityFileError, LoadError, MappingError
from cda_lib.metrics import engine
from cda_lib.sources import conform
from cda_lib.sources.local import load_service_requests_file
from cda_lib.sources.mapping import parse_mapping

FILES = Path(__file__).parent / "fixtures" / "sources" / "dates"
AS_OF = pd.Timestamp("2025-06-30")
BOGOTA = "America/Bogota"
BOSTON_FORMAT = "%m/%d/%Y %I:%M:%S %p"  # datasets/mappings/boston311_2015.yaml


def mapping(datetime_format: str | None = None, name: str = "dates test export"):
    raw = {"name": name,
           "columns": {"service_request_id": "Case ID", "requested_datetime": "Opened",
                       "closed_datetime": "Closed", "service_name": "Type",
                       "status": "Status"},
           "status_values": {"Open": "open", "Closed": "closed"}}
    if datetime_format:
        raw["datetime_format"] = datetime_format
    return parse_mapping(raw)


@pytest.fixture(autouse=True)
def cache_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("CDA_CACHE_DIR", str(tmp_path / "cache"))


def both_loads(path: Path, column_mapping, time_zone=None):
    """The ordinary and the on-disk load of one file, checked to agree row for row."""
    ordinary = load_service_requests_file(path, column_mapping, as_of=AS_OF, time_zone=time_zone)
    on_disk = engine.open_requests(path, column_mapping, as_of=AS_OF, time_zone=time_zone)
    assert on_disk.account.summary_lines() == ordinary.account.summary_lines()
    pd.testing.assert_frame_equal(on_disk.to_pandas(), ordinary.table)
    pd.testing.assert_frame_equal(on_disk.account.set_aside_rows().astype("string"),
                                  ordinary.account.set_aside_rows().astype("string"))
    return ordinary


def both_refusals(path: Path, column_mapping, error=LoadError, time_zone=None) -> str:
    """The message both loaders refuse ``path`` with, checked to be the same."""
    with pytest.raises(error) as ordinary:
        load_service_requests_file(path, column_mapping, as_of=AS_OF, time_zone=time_zone)
    with pytest.raises(error) as on_disk:
        engine.open_requests(path, column_mapping, as_of=AS_OF, time_zone=time_zone)
    assert str(on_disk.value) == str(ordinary.value)
    return str(ordinary.value)


# the zoned.csv rows kept, read in America/Bogota (UTC-5), worked out in the README
ZONED_KEPT = {
    "0000001": ("2025-03-04 05:15:00", "2025-03-04 07:15:00"),
    "0000002": ("2025-03-04 04:15:00", "2025-03-04 05:15:00"),
    "0000003": ("2025-03-04 08:00:00", "2025-03-04 15:30:00"),
    "0000004": ("2025-03-03 23:45:00.250", None),
}


@pytest.mark.parametrize("datetime_format", [None, BOSTON_FORMAT, "%Y-%m-%dT%H:%M:%S%z"])
def test_zoned_dates_with_mixed_offsets_are_read_as_the_citys_local_time(datetime_format):
    result = both_loads(FILES / "zoned.csv", mapping(datetime_format), time_zone=BOGOTA)
    account = result.account
    assert (account.rows_read, account.rows_kept, account.rows_set_aside) == (6, 4, 2)
    assert account.reasons().to_dict() == {conform.CLOSED_BEFORE_OPENED: 1,
                                           conform.UNREADABLE_OPENED: 1}
    table = result.table.set_index("service_request_id")
    assert list(table.index) == list(ZONED_KEPT)
    for request, (opened, closed) in ZONED_KEPT.items():
        assert table.loc[request, "requested_datetime"] == pd.Timestamp(opened)
        if closed is None:
            assert pd.isna(table.loc[request, "closed_datetime"])
        else:
            assert table.loc[request, "closed_datetime"] == pd.Timestamp(closed)
    # opened at +01:00 and closed at Z: one hour, not the two of reading the clock faces
    hours = (table["closed_datetime"] - table["requested_datetime"]).dt.total_seconds() / 3600
    assert hours["0000002"] == 1.0
    assert result.table["requested_datetime"].dt.tz is None


def test_the_time_zone_decides_the_local_time():
    # New York is UTC-5 on 4 March 2025 (daylight saving starts on 9 March) and Madrid UTC+1
    for zone, first_opened in (("America/New_York", "2025-03-04 05:15:00"),
                               ("Europe/Madrid", "2025-03-04 11:15:00")):
        result = both_loads(FILES / "zoned.csv", mapping(), time_zone=zone)
        opened = result.table.set_index("service_request_id")["requested_datetime"]
        assert opened["0000001"] == pd.Timestamp(first_opened)


def test_zoned_dates_with_no_time_zone_are_refused_with_what_to_add():
    message = both_refusals(FILES / "zoned.csv", mapping())
    assert message == (
        'zoned.csv writes its opened dates with a time zone (e.g. "2025-03-04T10:15:00Z"), but '
        "no time zone was given to turn them into the city's local time. Add the city's time "
        "zone to its city file, e.g. `time_zone: America/Bogota` (or pass `time_zone=` to "
        "the loader).")


def test_zoned_closed_dates_alone_are_refused_too(tmp_path):
    path = tmp_path / "closed_zoned.csv"
    path.write_text("Case ID,Opened,Closed,Type,Status\n"
                    "0000001,2025-03-04 08:00:00,2025-03-04 09:00:00,Noise,Closed\n"
                    "0000002,2025-03-04 08:00:00,2025-03-04T15:30:00-05:00,Noise,Closed\n")
    message = both_refusals(path, mapping())
    assert message.startswith('closed_zoned.csv writes its closed dates with a time zone '
                              '(e.g. "2025-03-04T15:30:00-05:00")')


def test_naive_dates_are_taken_as_local_time_with_or_without_a_time_zone(tmp_path):
    path = tmp_path / "naive.csv"
    path.write_text("Case ID,Opened,Closed,Type,Status\n"
                    "0000001,2025-03-04 08:00:00,2025-03-04 09:30:00,Noise,Closed\n")
    for zone in (None, BOGOTA):
        table = both_loads(path, mapping(), time_zone=zone).table
        assert table["requested_datetime"].iloc[0] == pd.Timestamp("2025-03-04 08:00:00")
        assert table["closed_datetime"].iloc[0] == pd.Timestamp("2025-03-04 09:30:00")


def test_a_parquet_file_with_zoned_timestamps_is_converted_or_refused(tmp_path):
    path = tmp_path / "zoned.parquet"
    pd.DataFrame({
        "Case ID": ["0000001", "0000002"],
        "Opened": pd.to_datetime(["2025-03-04 10:15:00", "2025-06-01 16:00:00"], utc=True),
        "Closed": pd.to_datetime(["2025-03-04 12:15:00", None], utc=True),
        "Type": ["Noise", "Noise"], "Status": ["Closed", "Open"],
    }).to_parquet(path)
    # New York: UTC-5 in March, UTC-4 in June (daylight saving)
    table = both_loads(path, mapping(), time_zone="America/New_York").table
    assert list(table["requested_datetime"]) == [pd.Timestamp("2025-03-04 05:15:00"),
                                                 pd.Timestamp("2025-06-01 12:00:00")]
    assert table["closed_datetime"].iloc[0] == pd.Timestamp("2025-03-04 07:15:00")
    message = both_refusals(path, mapping())
    assert '(e.g. "2025-03-04 10:15:00+00:00")' in message


def test_day_first_dates_read_month_first_are_refused_with_the_format_to_set():
    message = both_refusals(FILES / "day_first.csv", mapping("%m/%d/%Y %H:%M", "day-first export"),
                            error=MappingError)
    # rows 2 and 3 of 5 (13/03 and 25/02): 40%
    assert message == (
        "40% of opened dates have a number above 12 where the month should be: this export "
        'writes the day first; set `datetime_format: "%d/%m/%Y %H:%M"` in the mapping '
        '"day-first export".')


def test_the_format_the_message_names_reads_the_export():
    result = both_loads(FILES / "day_first.csv", mapping("%d/%m/%Y %H:%M"))
    assert (result.account.rows_read, result.account.rows_kept) == (5, 5)
    opened = result.table.set_index("service_request_id")["requested_datetime"]
    assert opened["0000001"] == pd.Timestamp("2025-03-04 10:15:00")  # 4 March, not 3 April
    assert opened["0000002"] == pd.Timestamp("2025-03-13 09:00:00")


def test_day_first_closed_dates_are_refused_too():
    message = both_refusals(FILES / "day_first_closed.csv", mapping("%m/%d/%Y %H:%M"),
                            error=MappingError)
    assert message.startswith("50% of closed dates have a number above 12 where the month "
                              "should be")


def test_a_rare_month_above_12_is_a_slip_set_aside_not_a_day_first_export(tmp_path):
    # 1 of 25 opened dates (4%, below conform.DAY_FIRST_SHARE) reads only day first
    rows = [f"{n:07d},03/{n:02d}/2025 10:00,,Noise,Open" for n in range(1, 25)]
    rows.append("0000025,13/03/2025 10:00,,Noise,Open")
    path = tmp_path / "slip.csv"
    path.write_text("Case ID,Opened,Closed,Type,Status\n" + "\n".join(rows) + "\n")
    account = both_loads(path, mapping("%m/%d/%Y %H:%M")).account
    assert (account.rows_read, account.rows_kept) == (25, 24)
    assert account.reasons().to_dict() == {conform.UNREADABLE_OPENED: 1}


def test_day_first_format_swaps_only_a_month_first_format():
    assert conform.day_first_format("%m/%d/%Y %H:%M") == "%d/%m/%Y %H:%M"
    assert conform.day_first_format("%d/%m/%Y") is None
    assert conform.day_first_format("%Y-%m-%d") is None  # ISO order
    assert conform.day_first_format("%m-%d") == "%d-%m"
    assert conform.day_first_format(None) is None


def city_file(tmp_path: Path, **changes) -> dict:
    raw = yaml.safe_load(load_city("riverbend").path.read_text())
    raw.update(changes)
    return raw


def test_a_city_file_names_its_time_zone(tmp_path):
    assert parse_city(city_file(tmp_path, time_zone=BOGOTA)).time_zone == BOGOTA
    assert parse_city(city_file(tmp_path)).time_zone is None
    with pytest.raises(CityFileError, match=re.escape("America/Bogota")):
        parse_city(city_file(tmp_path, time_zone="America/Bogata"))


def test_an_arcgis_source_uses_the_citys_time_zone(tmp_path):
    arcgis = {"kind": "arcgis", "url": "https://example.org/arcgis/rest/services/311/"
              "FeatureServer/0", "mapping": "dc311_arcgis"}
    city = parse_city(city_file(tmp_path, time_zone=BOGOTA,
                                sources={"service_requests": arcgis}))
    assert city.sources["service_requests"].options["time_zone"] == BOGOTA
    with pytest.raises(CityFileError, match="sources.service_requests.time_zone"):
        parse_city(city_file(tmp_path, time_zone=BOGOTA, sources={"service_requests": {
            **arcgis, "time_zone": "America/New_York"}}))


def test_a_city_with_a_time_zone_loads_its_zoned_export_both_ways(tmp_path):
    (tmp_path / "export.csv").write_bytes((FILES / "zoned.csv").read_bytes())
    (tmp_path / "dates.yaml").write_text(yaml.safe_dump({
        "name": "dates test export",
        "columns": {"service_request_id": "Case ID", "requested_datetime": "Opened",
                    "closed_datetime": "Closed", "service_name": "Type", "status": "Status"},
        "status_values": {"Open": "open", "Closed": "closed"}}))
    raw = city_file(tmp_path, id="zoned-city", time_zone=BOGOTA, sources={"service_requests": {
        "kind": "local", "path": "export.csv", "mapping": "dates.yaml", "as_of": "2025-06-30"}})
    (tmp_path / "zoned-city.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True))
    city = load_city(tmp_path / "zoned-city.yaml")
    loaded = data_module.load_city_data(city)
    on_disk = data_module.open_city_requests(city)
    assert (loaded.account.rows_read, loaded.account.rows_kept) == (6, 4)
    assert on_disk.account.summary_lines() == loaded.account.summary_lines()
    opened = loaded.requests.set_index("service_request_id")["requested_datetime"]
    assert opened["0000002"] == pd.Timestamp("2025-03-04 04:15:00")


def test_the_ways_exports_write_a_zone_are_all_read(tmp_path):
    # in Bogota (UTC-5): 10:15Z is 05:15; 10:15+01:00 is 09:15Z, 04:15; 10:15-05:00 is 10:15
    written = {"2025-03-04T10:15Z": "05:15", "2025-03-04T10:15:00+0100": "04:15",
               "2025-03-04T10:15:00+01": "04:15", "2025-03-04 10:15:00 -05:00": "10:15",
               "2025-03-04 10:15:00-05:00": "10:15"}
    path = tmp_path / "zones.csv"
    path.write_text("Case ID,Opened,Closed,Type,Status\n" + "".join(
        f"{number:07d},{value},,Noise,Open\n" for number, value in enumerate(written, 1)))
    table = both_loads(path, mapping(), time_zone=BOGOTA).table
    assert list(table["requested_datetime"]) == [pd.Timestamp(f"2025-03-04 {clock}")
                                                 for clock in written.values()]


def test_an_empty_zoned_closed_column_needs_no_time_zone(tmp_path):
    path = tmp_path / "never_closed.parquet"
    pd.DataFrame({"Case ID": ["0000001"], "Opened": pd.to_datetime(["2025-03-04 10:15:00"]),
                  "Closed": pd.Series([pd.NaT], dtype="datetime64[ns, UTC]"),
                  "Type": ["Noise"], "Status": ["Open"]}).to_parquet(path)
    result = both_loads(path, mapping())
    assert (result.account.rows_read, result.account.rows_kept) == (1, 1)
    assert pd.isna(result.table["closed_datetime"].iloc[0])
