"""Real city exports load through the example mappings that ship with the workbook.

The files are read from ../shared/realdata (never copied here). Expected totals come
from ../shared/realdata/PROVENANCE.md or from plain pandas counts over the raw files,
independently of the loader.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cda_lib.metrics.quality import DEFAULT_POINT, MISSING_DISTRICT, quality_profile
from cda_lib.sources import conform
from cda_lib.sources.local import load_service_requests_file

BOSTON_FORMAT = "%m/%d/%Y %I:%M:%S %p"


@pytest.fixture(scope="module")
def boston_files(shared_dir):
    files = sorted((shared_dir / "realdata" / "boston311_2015" / "by_type").glob("*.csv"))
    assert len(files) == 158  # PROVENANCE.md: 158 files, one per case type
    return files


@pytest.fixture(scope="module")
def boston(boston_files):
    return load_service_requests_file(boston_files, "boston311_2015",
                                      as_of=pd.Timestamp("2016-01-18"))


@pytest.fixture(scope="module")
def boston_raw(boston_files):
    return pd.concat([pd.read_csv(f, dtype=str) for f in boston_files], ignore_index=True)


@pytest.mark.slow
def test_boston_2015_accounts_for_every_row(boston, boston_raw):
    account = boston.account
    assert account.rows_read == 121_145  # PROVENANCE.md summary table
    assert account.rows_kept + account.rows_set_aside == account.rows_read
    assert len(boston.table) == account.rows_kept
    opened = pd.to_datetime(boston_raw["OPEN_DT"], format=BOSTON_FORMAT)
    closed = pd.to_datetime(boston_raw["CLOSED_DT"], format=BOSTON_FORMAT)
    expected = {conform.CLOSED_BEFORE_OPENED: int((closed < opened).sum())}
    assert account.reasons().to_dict() == expected


@pytest.mark.slow
def test_boston_2015_statuses_and_ids(boston):
    table = boston.table
    # PROVENANCE.md: 19,873 open cases; open cases have no closed date, so none is set aside
    assert (table["status"] == "open").sum() == 19_873
    assert table["service_request_id"].str.fullmatch(r"\d+").all()
    # PROVENANCE.md: OPEN_DT runs from 2015-01-01 00:20 to 2015-12-31 23:10 (to the minute)
    assert table["requested_datetime"].min().floor("min") == pd.Timestamp("2015-01-01 00:20")
    assert table["requested_datetime"].max().floor("min") == pd.Timestamp("2015-12-31 23:10")


@pytest.mark.slow
def test_boston_quality_finds_missing_neighborhoods_and_the_default_point(boston, boston_raw):
    profile = quality_profile(boston.table, boston.account)
    kept_ids = set(boston.table["service_request_id"])
    raw_kept = boston_raw[boston_raw["CASE_ENQUIRY_ID"].isin(kept_ids)]
    assert profile.count(MISSING_DISTRICT) == raw_kept["neighborhood"].isna().sum()
    # Boston geocoded unlocated cases to one point near City Hall
    point_counts = raw_kept.groupby(["LATITUDE", "LONGITUDE"]).size()
    assert profile.count(DEFAULT_POINT) == point_counts.max()


def test_boston_sample_file_without_index_column_loads(shared_dir):
    path = shared_dir / "realdata" / "boston311_2015" / "sample_data.csv"
    result = load_service_requests_file(path, "boston311_2015", as_of=pd.Timestamp("2016-01-18"))
    assert result.account.rows_read == 100  # PROVENANCE.md: 100-row sample
    assert result.account.rows_kept + result.account.rows_set_aside == 100


@pytest.mark.parametrize(("file_name", "rows"), [
    ("MyLA311_Service_Request_Data_2017_Subset.csv", 9_999),  # PROVENANCE.md
    ("MyLA311_2018_mini.csv", 10_000),
])
def test_la311_files_account_for_every_row(shared_dir, file_name, rows):
    path = shared_dir / "realdata" / "la311_hackforla" / file_name
    result = load_service_requests_file(path, "la311_2017", as_of=pd.Timestamp("2020-01-01"))
    raw = pd.read_csv(path, dtype=str)
    opened = pd.to_datetime(raw["CreatedDate"], format=BOSTON_FORMAT)
    closed = pd.to_datetime(raw["ClosedDate"], format=BOSTON_FORMAT)
    account = result.account
    assert account.rows_read == rows
    assert account.rows_kept + account.rows_set_aside == rows
    expected = {conform.CLOSED_BEFORE_OPENED: int((closed < opened).sum())}
    assert account.reasons().to_dict() == expected
    table = result.table
    assert table["service_request_id"].str.startswith("1-").all()  # ids stay text
    kept_raw = raw[raw["SRNumber"].isin(set(table["service_request_id"]))]
    assert (table["status_notes"] == "Cancelled").sum() == (kept_raw["Status"] == "Cancelled").sum()
    assert (table["status"] == "open").sum() == kept_raw["Status"].isin(["Open", "Pending"]).sum()
