"""The engine for large tables gives exactly what the pandas path gives, from disk.

The pandas loader and ``cda_lib.metrics.kpi`` on an in-memory table are the specification: the
same file loaded both ways must keep the same rows, set aside the same rows for the same
reasons, and give the same KPI table to the last digit, notes included.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from cda_lib import data
from cda_lib.cities.loader import load_city
from cda_lib.core.errors import CdaError, LoadError, MappingError, OnDiskError
from cda_lib.metrics import engine, evaluation, kpi
from cda_lib.metrics.inputs import MetricInputError
from cda_lib.metrics.selection import select_requests
from cda_lib.metrics.survival import closed_within_curve
from cda_lib.sources import conform
from cda_lib.sources.local import load_service_requests_file
from cda_lib.sources.mapping import ColumnMapping, parse_mapping
from cda_lib.sources.parquet_copy import parquet_copy
from cda_lib.synth import generator as synth
from cda_lib.synth.pilots import planted_intervention

GROUPINGS = [("service_code", "month"), ("district", "service_code", "week"), (),
             ("district",), ("quarter",), ("channel", "year")]


@pytest.fixture(autouse=True)
def cache_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("CDA_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def riverbend_file(tmp_path_factory):
    """Riverbend's raw generated table, planted defects and all, as the generator writes it."""
    folder = tmp_path_factory.mktemp("riverbend")
    return synth.write_city_data(load_city("riverbend"), folder)


@pytest.fixture(scope="module")
def riverbend(riverbend_file):
    city = load_city("riverbend")
    as_of = synth.as_of(city)
    in_memory = conform.conform_service_requests(
        pd.read_parquet(riverbend_file), ColumnMapping.identity(), source="raw", as_of=as_of)
    on_disk = engine.open_requests(riverbend_file, as_of=as_of)
    return city, as_of, in_memory, on_disk


def test_keeps_the_same_rows_as_the_pandas_loader(riverbend):
    _, _, in_memory, on_disk = riverbend
    pd.testing.assert_frame_equal(on_disk.to_pandas(), in_memory.table)
    assert len(on_disk) == len(in_memory.table)


def test_sets_aside_the_same_rows_for_the_same_reasons(riverbend):
    _, _, in_memory, on_disk = riverbend
    assert on_disk.account.rows_read == in_memory.account.rows_read
    assert on_disk.account.reasons().to_dict() == in_memory.account.reasons().to_dict()
    planted = synth.generate_service_requests(load_city("riverbend")).attrs["planted_defects"]
    reasons = on_disk.account.reasons()
    assert reasons[conform.DUPLICATE_ID] == planted["duplicate_request_id"]
    assert reasons[conform.CLOSED_BEFORE_OPENED] == planted["closed_before_requested"]
    assert reasons[conform.FUTURE_OPENED] == planted["requested_in_future"]
    pd.testing.assert_frame_equal(on_disk.account.set_aside_rows().astype("string"),
                                  in_memory.account.set_aside_rows().astype("string"))


@pytest.mark.parametrize("by", GROUPINGS, ids=lambda by: "-".join(by) or "whole-city")
def test_kpi_table_is_the_same_from_disk(riverbend, by):
    city, as_of, in_memory, on_disk = riverbend
    expected = kpi.kpi_table(in_memory.table, city.service_standards, as_of=as_of, by=by)
    got = kpi.kpi_table(on_disk, city.service_standards, as_of=as_of, by=by)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_kpis_looking_back_and_single_numbers_match(riverbend):
    city, as_of, in_memory, on_disk = riverbend
    earlier = as_of + pd.Timedelta(days=400)  # after every request: all closes count
    for table in (in_memory.table, on_disk):
        assert kpi.month_end_backlog(table, as_of=earlier, by="district").equals(
            kpi.month_end_backlog(in_memory.table, as_of=earlier, by="district"))
    assert str(kpi.median_days_to_close(on_disk, as_of=as_of)) == \
        str(kpi.median_days_to_close(in_memory.table, as_of=as_of))
    assert str(kpi.on_time_share(on_disk, city.service_standards, as_of=as_of)) == \
        str(kpi.on_time_share(in_memory.table, city.service_standards, as_of=as_of))
    assert kpi.reopen_rate(on_disk) == kpi.reopen_rate(in_memory.table)
    assert kpi.cancellation_rate(on_disk) == kpi.cancellation_rate(in_memory.table)


def test_refuses_an_as_of_before_some_requests_like_the_pandas_path(riverbend):
    city, as_of, in_memory, on_disk = riverbend
    too_early = as_of - pd.Timedelta(days=30)
    with pytest.raises(MetricInputError) as from_memory:
        kpi.kpi_table(in_memory.table, city.service_standards, as_of=too_early)
    with pytest.raises(MetricInputError) as from_disk:
        kpi.kpi_table(on_disk, city.service_standards, as_of=too_early)
    assert str(from_disk.value) == str(from_memory.value)
    assert "opened after as_of" in str(from_disk.value)


MESSY_CSV = """\
id,type,code,opened,closed,state,note,where,lat,lon,via,again
00017,Pothole, ,03/01/2025 08:00,03/04/2025 09:30,Done,Completed ,North,44.1,-93.0,Phone,yes
00018,  Pothole  ,,03/02/2025 10:00,,Open,,North,44.1,-93.0,web portal,no
00019,Graffiti,,03/02/2025 11:00,03/10/2025 12:00,Done,Cancelled,n/a,north?,-93.0,App,maybe
00020,Graffiti,,not a date,,Open,,South,44.0,-93.1,Phone,
00021,Graffiti,,03/05/2025 11:00,sometime,Done,,South,44.0,-93.1,Phone,no
00022,Graffiti,,03/05/2025 11:00,03/06/2025 11:00,Lost,,South,44.0,-93.1,Phone,no
00023,Noise,,03/05/2025 11:00,,Done,,South,44.0,-93.1,Phone,no
00024,Noise,,03/05/2025 11:00,03/01/2025 11:00,Done,,South,44.0,-93.1,Phone,no
00025,Noise,,03/05/2026 11:00,,Open,,South,44.0,-93.1,Phone,no
00017,Noise,,03/06/2025 11:00,,Open,,South,44.0,-93.1,Phone,no
,Noise,,03/06/2025 11:00,,Open,,South,44.0,-93.1,Phone,no
00026,,,03/06/2025 11:00,,Open,,South,44.0,-93.1,Phone,no
00027,Noise,,,,Open,,South,44.0,-93.1,Phone,no
00028,Street Light Out,,03/07/2025 11:00,,Open,,  ,44.0,-93.1,Carrier pigeon,no
"""

MESSY_MAPPING = {
    "name": "messy export",
    "columns": {"service_request_id": "id", "service_name": "type", "service_code": "code",
                "requested_datetime": "opened", "closed_datetime": "closed", "status": "state",
                "status_notes": "note", "district": "where", "lat": "lat", "long": "lon",
                "channel": "via", "reopened": "again"},
    "datetime_format": "%m/%d/%Y %H:%M",
    "status_values": {"Done": "closed", "Open": "open"},
    "channel_values": {"Phone": "phone", "web portal": "web", "App": "mobile app"},
    "service_codes": {"Pothole": "POTHOLE"},
    "missing_values": ["n/a"],
}


def test_a_messy_mapped_csv_loads_exactly_as_the_pandas_loader_loads_it(tmp_path):
    path = tmp_path / "messy.csv"
    path.write_text("\ufeff" + MESSY_CSV, encoding="utf-8")  # a spreadsheet's BOM too
    mapping = parse_mapping(MESSY_MAPPING)
    as_of = pd.Timestamp("2025-03-31")
    expected = load_service_requests_file(path, mapping, as_of=as_of)
    got = engine.open_requests(path, mapping, as_of=as_of)
    pd.testing.assert_frame_equal(got.to_pandas(), expected.table)
    assert got.account.summary_lines() == expected.account.summary_lines()
    pd.testing.assert_frame_equal(got.account.set_aside_rows().astype("string"),
                                  expected.account.set_aside_rows().astype("string"))
    # every rule fired once, so this file checks each of them
    assert set(got.account.reasons().index) == {
        conform.MISSING_ID, conform.MISSING_TYPE, conform.MISSING_OPENED,
        conform.UNREADABLE_OPENED, conform.UNREADABLE_CLOSED, conform.UNKNOWN_STATUS,
        conform.CLOSED_WITHOUT_DATE, conform.CLOSED_BEFORE_OPENED, conform.FUTURE_OPENED,
        conform.DUPLICATE_ID}
    assert set(got.account.flags().index) == {conform.UNREADABLE_COORDINATES,
                                              conform.UNKNOWN_CHANNEL,
                                              conform.UNREADABLE_REOPENED}
    table = got.to_pandas()
    assert table["service_request_id"].iloc[0] == "00017"  # ids stay text
    assert table["service_code"].tolist() == ["POTHOLE", "POTHOLE", "GRAFFITI",
                                              "STREET_LIGHT_OUT"]


def test_real_exports_load_as_the_pandas_loader_loads_them(shared_dir):
    for path, mapping, as_of in [
            (shared_dir / "realdata" / "la311_hackforla" / "MyLA311_2018_mini.csv",
             "la311_2017", "2020-01-01"),
            (shared_dir / "realdata" / "boston311_2015" / "sample_data.csv", "boston311_2015",
             "2016-01-18")]:
        expected = load_service_requests_file(path, mapping, as_of=pd.Timestamp(as_of))
        got = engine.open_requests(path, mapping, as_of=as_of)  # a mapping's name
        pd.testing.assert_frame_equal(got.to_pandas(), expected.table)
        assert got.account.summary_lines() == expected.account.summary_lines()
        by = ("service_code", "month")
        pd.testing.assert_frame_equal(kpi.kpi_table(got, as_of=as_of, by=by),
                                      kpi.kpi_table(expected.table, as_of=as_of, by=by))


def test_a_csv_is_converted_to_parquet_once_and_again_when_it_changes(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("id,when\n007,2025-01-01\n", encoding="utf-8")
    first = parquet_copy(path)
    written = first.stat().st_mtime_ns
    assert parquet_copy(path) == first and first.stat().st_mtime_ns == written
    assert pd.read_parquet(first)["id"].tolist() == ["007"]
    path.write_text("id,when\n007,2025-01-01\n008,2025-01-02\n", encoding="utf-8")
    os.utime(path, ns=(written + 10**9, written + 10**9))
    second = parquet_copy(path)
    assert second != first and len(pd.read_parquet(second)) == 2


def test_clear_errors_for_a_missing_file_a_wrong_kind_and_a_wrong_mapping(tmp_path):
    with pytest.raises(LoadError, match="There is no file"):
        engine.open_requests(tmp_path / "nowhere.parquet")
    (tmp_path / "notes.docx").write_text("x")
    with pytest.raises(LoadError, match="Give a Parquet or CSV file"):
        engine.open_requests(tmp_path / "notes.docx")
    path = tmp_path / "export.csv"
    path.write_text("request_id,type,opened\n1,Noise,2025-01-01\n", encoding="utf-8")
    mapping = parse_mapping({"columns": {"service_request_id": "requst_id",
                                         "service_name": "type",
                                         "requested_datetime": "opened"}})
    with pytest.raises(MappingError, match='Did you mean "request_id"'):
        engine.open_requests(path, mapping)


def test_an_empty_file_gives_an_empty_kpi_table_not_a_crash(tmp_path):
    path = tmp_path / "empty.parquet"
    table = synth.generate_service_requests(load_city("riverbend")).iloc[:0]
    table.to_parquet(path, index=False)
    requests = engine.open_requests(path, as_of="2025-12-31")
    assert len(requests) == 0
    kpis = kpi.kpi_table(requests, as_of="2025-12-31", by="service_code")
    assert len(kpis) == 0
    whole = kpi.kpi_table(requests, as_of="2025-12-31", by=())
    assert whole["requests"].tolist() == [0] and np.isnan(whole["median_days"].iloc[0])


def test_selections_choose_the_same_requests_and_give_the_same_kpis(riverbend):
    city, as_of, in_memory, on_disk = riverbend
    district = in_memory.table["district"].dropna().iloc[0]
    choices = [{"service_code": "POTHOLE"}, {"service_code": ["Pothole repair", "NOISE"]},
               {"district": district, "period": "2025-03"},
               {"period": ("2024-02-01", "2024-02-29")}, {"period": "2025Q2"}]
    for chosen in choices:
        expected = select_requests(in_memory.table, **chosen).reset_index(drop=True)
        got = select_requests(on_disk, **chosen)
        assert len(got) == len(expected) > 0
        pd.testing.assert_frame_equal(got.to_pandas(), expected)
        pd.testing.assert_frame_equal(
            kpi.kpi_table(got, city.service_standards, as_of=as_of, by="service_code"),
            kpi.kpi_table(expected, city.service_standards, as_of=as_of, by="service_code"))
    twice = select_requests(select_requests(on_disk, service_code="POTHOLE"),
                                period="2025")
    assert len(twice) == len(select_requests(
        select_requests(in_memory.table, service_code="POTHOLE"), period="2025"))


@pytest.mark.parametrize("chosen", [{"service_code": "POTHOL"}, {"district": "Nowhere"},
                                    {"period": "2019-05"}, {"service_code": 5}],
                         ids=["type-typo", "unknown-district", "empty-period", "not-text"])
def test_a_wrong_choice_gets_the_same_message_as_for_a_pandas_table(riverbend, chosen):
    _, _, in_memory, on_disk = riverbend
    with pytest.raises(CdaError) as from_memory:
        select_requests(in_memory.table, **chosen)
    with pytest.raises(CdaError) as from_disk:
        select_requests(on_disk, **chosen)
    assert type(from_disk.value) is type(from_memory.value)
    assert str(from_disk.value) == str(from_memory.value)


def test_a_city_opened_on_disk_matches_its_ordinary_load():
    city = load_city("riverbend")
    loaded = data.load_city_data(city)
    on_disk = data.open_city_requests(city)
    assert on_disk.account.summary_lines() == loaded.account.summary_lines()
    assert on_disk.as_of == loaded.as_of
    by = ("service_code", "month")
    pd.testing.assert_frame_equal(
        kpi.kpi_table(on_disk, city.service_standards, as_of=on_disk.as_of, by=by),
        kpi.kpi_table(loaded.requests, city.service_standards, as_of=loaded.as_of, by=by))


def test_code_that_needs_a_pandas_table_says_how_to_get_one(riverbend):
    city, as_of, _, on_disk = riverbend
    pilot = planted_intervention(city)
    attempts = [lambda: on_disk["district"],
                lambda: closed_within_curve(on_disk, as_of=as_of),
                lambda: evaluation.difference_in_differences(
                    on_disk, city.service_standards, as_of=as_of,
                    treated_district=pilot.district, start=pilot.start,
                    service_code=pilot.service_code)]
    for attempt in attempts:
        with pytest.raises(OnDiskError, match=r"kept on disk.*select_requests.*\.to_pandas\(\)"):
            attempt()
    chosen = select_requests(on_disk, service_code=pilot.service_code)
    assert not closed_within_curve(chosen.to_pandas(), as_of=as_of).empty


def test_several_files_of_one_export_load_as_the_pandas_loader_stacks_them(shared_dir):
    files = sorted((shared_dir / "realdata" / "boston311_2015" / "by_type").glob("*.csv"))
    as_of = pd.Timestamp("2016-01-18")
    expected = load_service_requests_file(files, "boston311_2015", as_of=as_of)
    got = engine.open_requests(files, "boston311_2015", as_of=as_of)
    assert got.account.summary_lines() == expected.account.summary_lines()
    assert got.account.rows_read == 121_145  # PROVENANCE.md
    pd.testing.assert_frame_equal(got.account.set_aside_rows().astype("string"),
                                  expected.account.set_aside_rows().astype("string"))
    pd.testing.assert_frame_equal(got.to_pandas(), expected.table)
    by = ("service_code", "month")
    pd.testing.assert_frame_equal(kpi.kpi_table(got, as_of=as_of, by=by),
                                  kpi.kpi_table(expected.table, as_of=as_of, by=by))


def test_a_duplicate_id_in_a_later_file_is_set_aside_with_its_file_and_row(tmp_path):
    header = "service_request_id,service_name,requested_datetime,status\n"
    (tmp_path / "2024.csv").write_text(header + "1,Noise,2024-05-01,open\n"
                                       "2,Noise,2024-05-02,open\n", encoding="utf-8")
    (tmp_path / "2025.csv").write_text(header + "3,Noise,2025-01-01,open\n"
                                       "2,Noise,2025-01-02,open\n", encoding="utf-8")
    files = [tmp_path / "2024.csv", tmp_path / "2025.csv"]
    mapping = parse_mapping({"columns": {c: c for c in header.strip().split(",")}})
    requests = engine.open_requests(files, mapping, as_of="2025-06-30")
    aside = requests.account.set_aside_rows()
    assert aside[["source_row", "reason", "source_file", "source_file_row"]].values.tolist() \
        == [[4, conform.DUPLICATE_ID, "2025.csv", 2]]
    assert requests.to_pandas()["service_request_id"].tolist() == ["1", "2", "3"]
    with pytest.raises(LoadError, match="No files were given"):
        engine.open_requests([])
