"""Portal sources from a city file: option checks, the account, the cache, offline, tokens.

The city is Portal Town (tests/portal_server.py), whose service requests are the local
portal's 2024 window: 1,255 rows, 3 set aside (see test_sources_socrata.py).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging

import pandas as pd
import pytest
from portal_server import (
    CENSUS_DISTRICTS,
    CITY_ID,
    LAYER_PATH,
    RESOURCE_ID,
    PortalServer,
    census_source,
    city_raw,
    socrata_source,
    write_city,
)

from cda_lib import cli, data
from cda_lib.cities.loader import load_city, parse_city
from cda_lib.core.errors import CityFileError, NotCachedError, PortalError
from cda_lib.sources import cache, conform, portal as portal_module
from cda_lib.sources.census import ATTRIBUTION
from cda_lib.sources.http import RetryPolicy
from cda_lib.sources.mapping import load_mapping
from cda_lib.sources.portal import query_for

TOKEN = "tok-9f8e7d6c5b4a-SECRET"


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CDA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CDA_OFFLINE", raising=False)
    return tmp_path / "cache"


@pytest.fixture
def portal():
    with PortalServer() as server:
        yield server


def city_file(tmp_path, raw):
    return load_city(write_city(tmp_path / "cities", raw))


def cache_files(folder) -> list:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# --- the city file ----------------------------------------------------------------------


def check(raw: dict) -> str:
    with pytest.raises(CityFileError) as raised:
        parse_city(raw, source_name="portal-town.yaml")
    return str(raised.value)


def with_source(portal, **changes) -> dict:
    return city_raw(socrata_source(portal, **changes))


def test_a_portal_city_file_is_valid(portal):
    city = parse_city(city_raw(socrata_source(portal), census_source(portal)))
    assert [s.kind for s in city.sources.values()] == ["socrata", "census_acs"]
    assert not city.uses_synthetic_data


def test_a_datasets_address_in_url_gets_the_two_fields_to_write(portal):
    message = check(with_source(portal, url="https://data.city.gov/resource/erm2-nwe9.json"))
    assert "write url: https://data.city.gov and dataset: erm2-nwe9" in message


def test_a_misspelt_option_gets_a_suggestion(portal):
    raw = city_raw({**socrata_source(portal), "datset": "x"})
    assert 'Did you mean "dataset"?' in check(raw)


def test_a_token_written_into_the_city_file_is_refused_without_repeating_it(portal):
    raw = with_source(portal, token=TOKEN)
    message = check(raw)
    assert "would write a secret into the city file" in message and "token_env" in message
    assert TOKEN not in message


def test_a_token_pasted_where_the_variable_name_goes_is_not_repeated(portal):
    message = check(with_source(portal, token_env="tok-9f8e/SECRET"))
    assert "should be the name of an environment variable" in message
    assert "tok-9f8e/SECRET" not in message


@pytest.mark.parametrize(("changes", "expected"), [
    ({"dataset": "erm2nwe9"}, "is not a Socrata dataset id"),
    ({"format": "xml"}, 'use one of "json" and "csv"'),
    ({"end": dt.date(2023, 1, 1)}, "which is before start"),
    ({"where_date_column": None}, "`sources.service_requests.where_date_column` is empty"),
    ({"url": "data.city.gov"}, "which is not a web address"),
    ({"page_size": 0}, "should be a whole number of at least 1"),
])
def test_socrata_option_mistakes_name_the_field(portal, changes, expected):
    assert expected in check(with_source(portal, **changes))


def test_start_without_a_date_column_says_which_column_to_add(portal):
    source = socrata_source(portal)
    del source["where_date_column"]
    assert "add `where_date_column:`" in check(city_raw(source))


def test_an_arcgis_address_without_a_layer_number_says_how_to_find_it(portal):
    source = {"kind": "arcgis", "url": portal.url + "/arcgis/rest/services/R/FeatureServer",
              "mapping": "m.yaml"}
    assert "does not end with a layer number" in check(city_raw(source))


def test_a_time_zone_typo_gets_a_suggestion(portal):
    source = {"kind": "arcgis", "url": portal.layer_url, "mapping": "m.yaml",
              "time_zone": "America/Chicgo"}
    assert 'Did you mean "America/Chicago"?' in check(city_raw(source))


@pytest.mark.parametrize(("changes", "expected"), [
    ({"variables": {"population": "B01003_001E"}}, "write B01003_001: the workbook asks"),
    ({"variables": {"population": "population"}}, "is not an ACS variable code"),
    ({"within": {"state": 17}}, "write each code in double quotes"),
    ({"districts": {**CENSUS_DISTRICTS, "W4": ["000700"]}},
     "is not a district of this city"),
    ({"districts": {"W1": ["000100"], "W2": ["000300"]}}, 'leaves out "W3"'),
    ({"shares": {"share_renters": ["renter_households", "homes"]}}, "should name two of the"),
    ({"geography": "tracts"}, 'Did you mean "tract"?'),
    ({"key": "abc"}, "would write a secret"),
])
def test_census_option_mistakes_name_the_field(portal, changes, expected):
    raw = city_raw(socrata_source(portal), census_source(portal, **changes))
    assert expected in check(raw)


def test_census_data_can_only_feed_the_demographics_table(portal):
    raw = city_raw(census_source(portal))
    assert "use kind: census_acs under sources.demographics only" in check(raw)


# --- loading through the one door -------------------------------------------------------


def test_a_portal_city_loads_with_the_same_account_as_a_local_file(tmp_path, portal):
    loaded = data.load_city_data(city_file(tmp_path, city_raw(socrata_source(portal))))
    account = loaded.account
    assert (account.rows_read, account.rows_kept) == (1255, 1252)
    assert set(account.reasons().index) == {conform.MISSING_TYPE, conform.CLOSED_BEFORE_OPENED,
                                            conform.DUPLICATE_ID}
    assert not loaded.is_synthetic
    notice = loaded.notice().text()
    host = portal.url.removeprefix("http://")
    assert notice.startswith(f"Real data: Portal Town 311, {host} dataset abcd-1234 (Socrata), "
                             f"downloaded {pd.Timestamp.now():%d %B %Y}, requests to 31 "
                             "December 2024")
    assert loaded.as_of <= pd.Timestamp.now()


def test_a_portal_city_opened_on_disk_reads_the_same_download(tmp_path, portal):
    city = city_file(tmp_path, city_raw(socrata_source(portal)))
    loaded = data.load_city_data(city)
    on_disk = data.open_city_requests(city, offline=True)  # the download just cached
    assert on_disk.account.summary_lines() == loaded.account.summary_lines()
    assert on_disk.as_of == loaded.as_of
    pd.testing.assert_frame_equal(on_disk.to_pandas(), loaded.requests)


def test_a_portal_city_opened_on_disk_downloads_first_when_needed(tmp_path, portal):
    city = city_file(tmp_path, city_raw(socrata_source(portal)))
    with pytest.raises(NotCachedError, match="cda check-data"):
        data.open_city_requests(city, offline=True)
    assert len(data.open_city_requests(city)) == 1252
    assert cache.entry_info(query_for(city.sources["service_requests"]).cache_query())


@pytest.mark.parametrize(("kind", "source"), [
    ("arcgis", {"kind": "arcgis", "url": "{url}" + LAYER_PATH, "mapping": "portal_rows_arcgis.yaml",
                "where_date_column": "created_date", "start": dt.date(2024, 1, 1),
                "end": dt.date(2024, 12, 31), "time_zone": "America/Chicago"}),
    ("ckan", {"kind": "ckan", "url": "{url}", "resource_id": RESOURCE_ID,
              "mapping": "portal_rows.yaml"}),
])
def test_arcgis_and_ckan_cities_load_through_their_mappings(tmp_path, portal, kind, source):
    source = {**source, "url": source["url"].format(url=portal.url)}
    loaded = data.load_city_data(city_file(tmp_path, city_raw(source)))
    # ArcGIS: the 2024 window (1,255 rows); CKAN: the whole table (1,500); 3 set aside in both
    read = 1255 if kind == "arcgis" else 1500
    assert (loaded.account.rows_read, loaded.account.rows_kept) == (read, read - 3)
    assert loaded.requests["lat"].notna().all()


def test_a_second_load_comes_from_the_cache_without_the_network(tmp_path, portal, cache_dir):
    city = city_file(tmp_path, city_raw(socrata_source(portal)))
    first = data.load_city_data(city)
    asked = len(portal.requests)
    second = data.load_city_data(city)
    assert len(portal.requests) == asked  # nothing new was asked
    pd.testing.assert_frame_equal(first.requests, second.requests)
    assert second.as_of == first.as_of  # the download's moment, not the second load's
    data.load_city_data(city, refresh=True)
    assert len(portal.requests) > asked


def test_a_cached_copy_older_than_refresh_days_is_downloaded_again(tmp_path, portal):
    city = city_file(tmp_path, city_raw(socrata_source(portal, refresh_days=7)))
    data.load_city_data(city)
    entry = cache.read_entry(query_for(city.sources["service_requests"]).cache_query())
    info_path = entry.path.with_suffix(".json")
    info = json.loads(info_path.read_text())
    info["fetched_at"] = (pd.Timestamp.now() - pd.Timedelta(days=8)).isoformat()
    info_path.write_text(json.dumps(info))
    asked = len(portal.requests)
    data.load_city_data(city)
    assert len(portal.requests) > asked


def test_offline_without_a_cached_copy_says_what_to_run_while_online(tmp_path, portal):
    city = city_file(tmp_path, city_raw(socrata_source(portal)))
    with pytest.raises(NotCachedError) as raised:
        data.load_city_data(city, offline=True)
    message = str(raised.value)
    assert "working offline" in message and f"cda check-data {CITY_ID}" in message
    assert portal.requests == []


def test_cda_offline_in_the_environment_is_honoured(tmp_path, portal, monkeypatch):
    city = city_file(tmp_path, city_raw(socrata_source(portal)))
    monkeypatch.setenv("CDA_OFFLINE", "1")
    with pytest.raises(NotCachedError):
        data.load_city_data(city)
    assert portal.requests == []


def test_offline_with_a_cached_copy_needs_no_portal_at_all(tmp_path, monkeypatch):
    with PortalServer() as portal:
        city = city_file(tmp_path, city_raw(socrata_source(portal)))
        online = data.load_city_data(city)
    # the portal is gone now; offline, the cached copy is enough
    monkeypatch.setenv("CDA_OFFLINE", "yes")
    offline = data.load_city_data(city)
    pd.testing.assert_frame_equal(online.requests, offline.requests)


def test_a_failed_download_caches_nothing(tmp_path, portal, cache_dir):
    portal.fail("socrata", "page", "server_error", first=2, times=None)
    city = city_file(tmp_path, city_raw(socrata_source(portal, timeout_seconds=1)))
    with pytest.raises(PortalError, match="Nothing was saved"):
        portal_module.load_portal_service_requests(
            city, policy=RetryPolicy(attempts=2, backoff_seconds=0.01))
    assert [p for p in cache_files(cache_dir) if p.suffix == ".parquet"] == []


def test_the_token_goes_in_the_header_only_and_nowhere_on_disk(tmp_path, portal, monkeypatch,
                                                                caplog, cache_dir):
    caplog.set_level(logging.DEBUG)
    portal.socrata_token = TOKEN  # the portal refuses requests without it
    monkeypatch.setenv("PORTAL_TOWN_TOKEN", TOKEN)
    city = city_file(tmp_path, city_raw(socrata_source(portal, token_env="PORTAL_TOWN_TOKEN")))
    loaded = data.load_city_data(city)
    assert loaded.account.rows_read == 1255
    assert {r.headers.get("X-App-Token") for r in portal.requests} == {TOKEN}
    assert not any(TOKEN in json.dumps(r.params) or TOKEN in r.path for r in portal.requests)
    for path in cache_files(cache_dir):
        assert TOKEN not in path.name and TOKEN.encode() not in path.read_bytes()
    assert TOKEN not in caplog.text and TOKEN not in loaded.notice().text()


def test_a_token_variable_that_is_not_set_is_named(tmp_path, portal, monkeypatch):
    monkeypatch.delenv("PORTAL_TOWN_TOKEN", raising=False)
    city = city_file(tmp_path, city_raw(socrata_source(portal, token_env="PORTAL_TOWN_TOKEN")))
    with pytest.raises(PortalError, match="environment variable PORTAL_TOWN_TOKEN, which is not"):
        data.load_city_data(city)
    assert portal.requests == []


def test_a_token_that_cannot_be_sent_names_its_variable_not_its_value(tmp_path, portal,
                                                                      monkeypatch):
    token = "tok\u20139f8e-SECRET"  # an en dash, as a word processor writes "-": not Latin-1
    monkeypatch.setenv("PORTAL_TOWN_TOKEN", token)
    city = city_file(tmp_path, city_raw(socrata_source(portal, token_env="PORTAL_TOWN_TOKEN")))
    with pytest.raises(PortalError) as raised:
        data.load_city_data(city)
    message = str(raised.value)
    assert "The token in the environment variable PORTAL_TOWN_TOKEN holds a character" in message
    assert "set PORTAL_TOWN_TOKEN to it" in message
    assert "SECRET" not in message and "9f8e" not in message
    assert portal.requests == []


def test_the_portal_refuses_a_missing_token_and_the_message_says_what_to_check(tmp_path, portal):
    portal.socrata_token = TOKEN
    city = city_file(tmp_path, city_raw(socrata_source(portal)))
    with pytest.raises(PortalError, match="HTTP 403: Invalid app_token specified"):
        data.load_city_data(city)


# --- Census demographics --------------------------------------------------------------------


def test_census_demographics_come_with_the_data_and_carry_the_attribution(tmp_path, portal):
    city = city_file(tmp_path, city_raw(socrata_source(portal), census_source(portal)))
    loaded = data.load_city_data(city)
    table = loaded.demographics.table.set_index("district_id")
    assert table.loc["W1", "population"] == 7000.0 and table.loc["W1", "population_moe"] == 500
    assert ATTRIBUTION in loaded.notice().text() and ATTRIBUTION in loaded.notice()._repr_html_()
    sources = loaded.sources_table()
    assert sources["table"].tolist() == ["service requests", "district demographics"]
    assert sources.loc[1, "rows read"] == 6  # six tracts


def test_the_census_key_is_sent_as_a_parameter_and_hidden_everywhere_else(
        tmp_path, monkeypatch, caplog, cache_dir):
    caplog.set_level(logging.DEBUG)
    key = "census-key-SECRET-42"
    monkeypatch.setenv("PORTAL_TOWN_CENSUS_KEY", key)
    with PortalServer(census_key=key) as portal:
        raw = city_raw(socrata_source(portal),
                       census_source(portal, key_env="PORTAL_TOWN_CENSUS_KEY"))
        loaded = data.load_city_data(city_file(tmp_path, raw))
        assert portal.requests_to("census")[0].params["key"] == key
    assert "key=[hidden]" in caplog.text and key not in caplog.text
    assert key not in loaded.notice().text()
    assert not any(key.encode() in p.read_bytes() or key in p.name
                   for p in cache_files(cache_dir))


# --- the build's preparation and the command ---------------------------------------------


def test_preparing_a_build_downloads_every_portal_source_once(tmp_path, portal, cache_dir):
    city = city_file(tmp_path, city_raw(socrata_source(portal), census_source(portal)))
    data.ensure_city_data(city)
    parquet = [p for p in cache_files(cache_dir) if p.suffix == ".parquet"]
    assert {p.parent.name for p in parquet} == {"socrata", "census_acs"}
    asked = len(portal.requests)
    data.ensure_city_data(city)
    assert len(portal.requests) == asked


def test_check_data_offline_says_what_is_missing_then_works_once_cached(
        tmp_path, portal, capsys, monkeypatch):
    project = tmp_path / "project"
    write_city(project / "datasets" / "cities", city_raw(socrata_source(portal)))
    monkeypatch.setenv("CDA_PROJECT_DIR", str(project))
    code = cli.main(["check-data", CITY_ID, "--offline"])
    out, err = capsys.readouterr()
    assert code == 2 and "Working offline" in out
    assert f"While online, run `cda check-data {CITY_ID}` once" in err
    assert cli.main(["check-data", CITY_ID]) == 0
    asked = len(portal.requests)
    assert cli.main(["check-data", CITY_ID, "--offline"]) == 0
    out, _ = capsys.readouterr()
    assert "Read 1,255 rows" in out and len(portal.requests) == asked


def test_a_city_file_source_is_not_changed_by_loading(tmp_path, portal):
    raw = city_raw(socrata_source(portal))
    before = copy.deepcopy(raw)
    data.load_city_data(city_file(tmp_path, raw))
    assert raw == before


# --- the example mappings for real portals ----------------------------------------------


def test_the_nyc_example_mapping_reads_rows_shaped_like_the_portals():
    rows = pd.DataFrame({  # as the Socrata API returns them: text, floating timestamps
        "unique_key": ["59893733", "59893734"],
        "created_date": ["2024-01-05T08:15:00.000", "2024-01-06T22:40:12.000"],
        "closed_date": ["2024-01-05T10:00:00.000", None],
        "complaint_type": ["Noise - Residential", "HEAT/HOT WATER"],
        "status": ["Closed", "In Progress"], "agency": ["NYPD", "HPD"],
        "community_board": ["12 MANHATTAN", "05 BRONX"],
        "latitude": ["40.8517", "40.8431"], "longitude": ["-73.9375", "-73.9094"],
        "open_data_channel_type": ["PHONE", "MOBILE"]})
    result = conform.conform_service_requests(rows, load_mapping("nyc311_socrata"),
                                              source="NYC", as_of=pd.Timestamp("2024-02-01"))
    table = result.table
    assert result.account.rows_kept == 2
    assert table["status"].tolist() == ["closed", "open"]
    assert table["channel"].tolist() == ["phone", "mobile app"]
    assert table["service_code"].tolist() == ["NOISE_RESIDENTIAL", "HEAT_HOT_WATER"]


def test_the_dc_example_mapping_reads_rows_shaped_like_the_layers():
    rows = pd.DataFrame({  # as the ArcGIS connector gives them: dates already date-times
        "OBJECTID": [1, 2], "SERVICEREQUESTID": ["24-00001234", "24-00001235"],
        "ADDDATE": pd.to_datetime(["2024-03-01 09:00", "2024-03-02 11:30"]),
        "RESOLUTIONDATE": pd.to_datetime(["2024-03-04 16:00", None]),
        "SERVICECODE": ["S0311", "S0441"],
        "SERVICECODEDESCRIPTION": ["Rodent Inspection and Treatment", "Pothole"],
        "SERVICEORDERSTATUS": ["Closed", "In-Progress"], "ORGANIZATIONACRONYM": ["DOH", "DDOT"],
        "WARD": ["1", "6"], "LATITUDE": [38.92, 38.88], "LONGITUDE": [-77.03, -76.99]})
    result = conform.conform_service_requests(rows, load_mapping("dc311_arcgis"), source="DC",
                                              as_of=pd.Timestamp("2024-04-01"))
    table = result.table
    assert result.account.rows_kept == 2
    assert table["status"].tolist() == ["closed", "open"]  # from the resolution date
    assert table["status_notes"].tolist() == ["Closed", "In-Progress"]
    assert table["service_code"].tolist() == ["S0311", "S0441"]
