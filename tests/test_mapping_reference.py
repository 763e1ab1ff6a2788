"""The mapping reference (issue 11, item 14): written from the code, committed up to date,
and its worked example (``datasets/examples/``) loading as worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from cda_lib import cli
from cda_lib.core.schema import CHANNELS, SERVICE_REQUESTS, STATUSES
from cda_lib.data import load_city_data
from cda_lib.metrics import engine
from cda_lib.metrics.quality import MISSING_COORDINATES, MISSING_DISTRICT, UNKNOWN_DISTRICT
from cda_lib.sources import conform, mapping, mapping_reference
from cda_lib.sources.mapping import MAPPING_FIELDS, load_mapping

EXAMPLE_CITY = mapping_reference.examples_dir() / "millbrook.yaml"
DERIVED = 'closed time from the opened time plus "Days to Close" (closed, with no closed date)'


@pytest.fixture(autouse=True)
def cache_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("CDA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CDA_DATA_CACHE", raising=False)


def test_the_committed_reference_is_what_the_code_writes():
    committed = mapping_reference.reference_path().read_text(encoding="utf-8")
    assert committed == mapping_reference.mapping_reference(), (
        "datasets/mappings/README.md is out of date with the code: run "
        "`cda mapping-reference --write` (`.venv/bin/cda mapping-reference --write`) and "
        "commit the result.")


def test_the_reference_names_every_field_column_and_allowed_value():
    reference = mapping_reference.mapping_reference()
    for field in MAPPING_FIELDS:
        assert f"| `{field}` |" in reference
    for column in [*SERVICE_REQUESTS.columns, *SERVICE_REQUESTS.optional]:
        assert f"| `{column}` |" in reference
    for value in (*STATUSES, *CHANNELS):
        assert f"`{value}`" in reference
    for reason in conform.SET_ASIDE_REASONS:
        assert f". {reason}\n" in reference
    # the three columns a mapping must name say so, and one that can be left out says how
    assert "| `service_request_id` | text | **yes** | yes |" in reference
    assert "| `status` | text | no: closed when the request has a closed date" in reference


def test_a_fields_description_comes_from_the_code(monkeypatch):
    """One source: change a description in mapping.py and the reference follows."""
    monkeypatch.setitem(mapping.MAPPING_FIELDS, "sheet", "Which sheet, said once in the code.")
    assert "| `sheet` | Which sheet, said once in the code. |" in \
        mapping_reference.mapping_reference()


def test_cda_mapping_reference_prints_it_and_writes_it(tmp_path, monkeypatch, capsys):
    assert cli.main(["mapping-reference"]) == 0
    assert capsys.readouterr().out == mapping_reference.mapping_reference()
    target = tmp_path / "README.md"
    monkeypatch.setattr(mapping_reference, "reference_path", lambda: target)
    assert cli.main(["mapping-reference", "--write"]) == 0
    assert target.read_text(encoding="utf-8") == mapping_reference.mapping_reference()
    assert str(target) in capsys.readouterr().out


# --- the worked example ------------------------------------------------------------------

# What the example's 15 rows give, worked out from raw_export_example.csv by hand:
# row 7 has no time; row 9 is closed with "-" (a missing word) as its duration; row 11
# repeats row 10's case number; row 12 closes on 8 March, two days before it opened.
EXAMPLE_SET_ASIDE = {"MB-25-0107": conform.UNREADABLE_OPENED_TIME,
                     "MB-25-0109": conform.CLOSED_WITHOUT_DATE,
                     "MB-25-0110": conform.DUPLICATE_ID,
                     "MB-25-0112": conform.CLOSED_BEFORE_OPENED}
# 12-hour times on a 24-hour clock; rows 2 and 13 derived: 09:40 + 1.5 days = next day
# 21:40, 15:15 + 0.75 days (18 h) = next day 09:15
EXAMPLE_DATES = {
    "MB-25-0101": ("2025-03-03 08:15:00", "2025-03-05 16:30:00"),
    "MB-25-0102": ("2025-03-03 09:40:00", "2025-03-04 21:40:00"),
    "MB-25-0113": ("2025-03-11 15:15:00", "2025-03-12 09:15:00"),
    "MB-25-0115": ("2025-03-13 16:45:00", None),
}


def test_the_worked_example_loads_as_worked_out_by_hand():
    data = load_city_data(EXAMPLE_CITY)
    account = data.account
    assert (account.rows_read, account.rows_kept, account.rows_set_aside) == (15, 11, 4)
    aside = account.set_aside_rows()
    assert dict(zip(aside["Case Number"], aside["reason"], strict=True)) == EXAMPLE_SET_ASIDE
    assert account.derived().to_dict() == {DERIVED: 2}
    assert account.flags().to_dict() == {conform.UNKNOWN_CHANNEL: 1}  # MB-25-0104's Letter
    table = data.requests.set_index("service_request_id")
    for request, (opened, closed) in EXAMPLE_DATES.items():
        assert str(table.loc[request, "requested_datetime"]) == opened
        assert (None if pd.isna(table.loc[request, "closed_datetime"])
                else str(table.loc[request, "closed_datetime"])) == closed
    # "Ward 1" -> district id "1" -> its name; "Ward 4" is no district; "-" is empty
    assert table.loc["MB-25-0101", "district"] == "Northside"
    assert table.loc["MB-25-0114", "district"] == "Ward 4"
    assert pd.isna(table.loc["MB-25-0110", "district"])
    assert table.loc["MB-25-0108", ["status", "status_notes"]].tolist() == ["closed",
                                                                          "Cancelled"]
    assert table.loc["MB-25-0102", "service_code"] == "STREETLIGHT"
    assert table.loc["MB-25-0104", "service_code"] == "MISSED_TRASH_PICKUP"
    assert pd.isna(table.loc["MB-25-0104", "channel"])
    quality = data.quality
    assert [quality.count(check) for check in (MISSING_DISTRICT, UNKNOWN_DISTRICT,
                                               MISSING_COORDINATES)] == [1, 1, 1]


def test_the_worked_example_loads_the_same_on_disk():
    city = load_city_data(EXAMPLE_CITY)
    example = mapping_reference.examples_dir()
    on_disk = engine.open_requests(example / "raw_export_example.csv",
                                   load_mapping(example / "raw_export_example.yaml"),
                                   as_of=city.as_of, time_zone=city.city.time_zone,
                                   districts=city.city.district_names_by_id())
    assert on_disk.account.summary_lines() == city.account.summary_lines()
    pd.testing.assert_frame_equal(on_disk.to_pandas(), city.requests)


def test_the_reference_shows_the_examples_own_account():
    reference = mapping_reference.mapping_reference()
    for line in load_city_data(EXAMPLE_CITY).account.summary_lines():
        assert line in reference


def test_cda_check_data_reads_the_worked_example(capsys):
    assert cli.main(["check-data", str(EXAMPLE_CITY)]) == 0
    out = capsys.readouterr().out
    assert "Read 15 rows from raw_export_example.csv: kept 11, set aside 4." in out
    assert f"Derived for 2 of 11 kept rows: {DERIVED}" in out
    assert "Flagged 1 of 11 kept rows: district not in the city file" in out
