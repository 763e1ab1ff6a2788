"""Page 3.5 on Clearwater (tests/publish_fixtures.py, whose figures are worked out there by
hand): registered in theme 3 with its sections, each sentence built from its figures, no
planted personal datum in the published file, the four files written with a valid DCAT-US
record, a sentence for each section a city's data cannot run, and the capstone's record."""

from __future__ import annotations

import pandas as pd
import pytest
from publish_fixtures import PLANTED, publish_data

from cda_lib.sources.dcat_us import validate_catalog
from cda_lib.themes import check_page, find_module
from cda_lib.themes.empower.publish import scan_addresses
from cda_lib.themes.empower.publish_files import publish_page, read_metadata, write_release


@pytest.fixture(scope="module")
def page():
    return publish_page(publish_data())


def test_module_3_5_is_registered_in_theme_3():
    module = find_module("3.5")
    assert module.notebook == "03_empower/05_publishing_open_data_safely.ipynb"
    assert [s.key for s in module.sections] == ["personal", "addresses", "coordinates",
                                                "suppression"]
    assert module.writes == ("open_data_release",)


def test_the_personal_data_sentence_and_table(page):
    # 5 notes; 4 with personal data: 2 names (Ana Lee, Robert Clark), 1 phone, 1 e-mail, 1 ID
    assert str(page.personal.sentences()) == (
        'Of 5 notes, 4 held personal data the patterns find: 2 names, 1 phone number, 1 e-mail '
        'address and 1 national ID number, each replaced by a label such as "[phone removed]".')
    assert page.personal.table().to_frame()["Found and removed"].tolist() == ["2", "1", "1",
                                                                              "1"]
    assert page.personal.removed == 5
    examples = page.personal.examples().to_frame()["Note as published"].tolist()
    assert examples[0] == "Caller [name removed] asked for a call back at [phone removed]."
    assert len(examples) == 4  # the note without personal data is not an example


def test_no_planted_datum_reaches_the_published_file(page, tmp_path):
    write_release(page, tmp_path)
    published = (tmp_path / "service_requests_open_data.csv").read_text(encoding="utf-8")
    for value in PLANTED + ["1234 Elm St", "1278", "40.012345", "09:30"]:
        assert value not in published, value
    extract = pd.read_csv(tmp_path / "service_requests_open_data.csv")
    assert extract.loc[0, "block"] == "1200 block of Elm St"
    assert (extract.loc[0, "lat"], extract.loc[0, "long"]) == (40.012, -80.054)
    assert extract.loc[0, "requested_date"] == "2025-12-01"


def test_the_address_and_coordinate_sentences(page):
    # 1234 Elm St and Rua das Flores 1278 (1200 blocks), 42 Mill Rd (1 to 99): 3; the corner
    # is kept; "12-A" is removed
    assert str(page.addresses.sentences()) == (
        "Of 5 street addresses: 3 generalised to the block, 1 kept (no house number), 1 "
        "removed (not readable).")
    # 0.001 degree: 111,320 m x 0.001 = 111 m; east to west x cos(40.05 degrees) = 0.7655: 85 m
    assert str(page.coordinates()) == (
        "The coordinates of 10 requests are rounded to 3 decimals: a step of about 111 m north "
        "to south and 85 m east to west here, about a block, so a point no longer marks one "
        "house.")


def test_addresses_are_shown_beside_their_block_only_for_synthetic_data():
    addresses = pd.Series(["1234 Elm St"], dtype="string")
    real = scan_addresses(addresses, synthetic=False).examples().to_frame()
    assert list(real.columns) == ["As published"]
    assert "1234 Elm St" not in str(real)
    synthetic = scan_addresses(addresses, synthetic=True).examples().to_frame()
    assert synthetic.iloc[0].tolist() == ["1234 Elm St", "1200 block of Elm St"]


def test_the_monthly_table_withholds_the_small_count_and_its_complements(page):
    # December: Noise 4 and 30, Pothole 25 and 41; the 4 is primary, the other three protect
    # it; the totals 34, 66, 29, 71, 100 are published; 2 December requests have no district
    assert str(page.release.sentences()) == (
        "The table for December 2025 has 9 counts (its totals included). 1 is from 1 to 10 and "
        "is withheld; 3 more are withheld so that none can be worked out from the totals. "
        "Checked: no published count is from 1 to 10, and no withheld count can be worked out "
        "exactly from the rest. 2 requests of the month have no district and are not in the "
        "table.")
    frame = page.release.readable().to_frame()
    assert frame.to_numpy().tolist() == [["Noise", "•", "•", "34"], ["Pothole", "•", "•", "66"],
                                         ["Total", "29", "71", "100"]]


def test_the_files_the_dictionary_and_the_metadata(page, tmp_path):
    files = write_release(page, tmp_path)
    assert files.names == ("service_requests_open_data.csv",
                           "requests_by_type_and_district.csv", "data_dictionary.csv",
                           "data.json")
    assert "validates against the DCAT-US 1.1 schema" in str(files)
    table = pd.read_csv(tmp_path / "requests_by_type_and_district.csv", index_col=0)
    assert table.loc["Noise"].tolist()[2] == 34 and pd.isna(table.loc["Noise", "North"])
    dictionary = pd.read_csv(tmp_path / "data_dictionary.csv")
    extract = pd.read_csv(tmp_path / "service_requests_open_data.csv")
    assert dictionary["column"].tolist() == list(extract.columns)
    assert dictionary.set_index("column").loc["lat", "what_was_done"] == (
        "rounded to 3 decimals, about 110 m")
    metadata = read_metadata(tmp_path)
    assert validate_catalog(metadata) == []
    dataset = metadata["dataset"][0]
    assert dataset["accessLevel"] == "public"
    assert dataset["temporal"] == "2025-11-10/2025-12-28"
    assert "105 requests" in dataset["description"]


@pytest.mark.parametrize(("without", "section", "sentence"), [
    (("description",), "personal",
     "Personal data in the notes needs free text for the requests (a description or notes "
     "column); none of this city's requests has free text to scan."),
    (("address",), "addresses",
     "Addresses to the block needs street addresses for the requests; none of this city's "
     "requests has a street address."),
    (("lat", "long"), "coordinates",
     "Coordinates rounded needs coordinates for the requests; none of this city's requests "
     "has coordinates."),
    (("district",), "suppression",
     "Small counts withheld needs requests in at least 2 districts; none of this city's "
     "requests has a district."),
])
def test_a_city_without_a_column_gets_a_sentence_and_the_rest_runs(without, section,
                                                                    sentence, tmp_path):
    data = publish_data(without=without)
    check = check_page("3.5", data)
    assert [key for key in ["personal", "addresses", "coordinates", "suppression"]
            if not check.runs(key)] == [section]
    assert check.sentence(section) == sentence
    page = publish_page(data)
    files = write_release(page, tmp_path)
    assert not files.problems
    record = page.record(files)
    assert record["rows"] == 105 and record["metadata_valid"]


def test_the_record_for_the_capstone(page, tmp_path):
    files = write_release(page, tmp_path)
    assert page.record(files) == {
        "rows": 105, "personal_data_removed": 5, "notes_with_personal_data": 4,
        "counts_withheld": 4, "threshold": 11, "addresses_generalised": 3,
        "coordinate_decimals": 3, "metadata_valid": True, "folder": str(tmp_path)}


@pytest.mark.slow
@pytest.mark.parametrize("city_id", ["riverbend", "port-harmon"])
def test_a_demo_citys_published_table_is_safe_by_the_independent_check(city_id):
    from test_suppression import bridges, lines_with_one

    from cda_lib.data import load_city_data

    release = publish_page(load_city_data(city_id)).release
    counts, withheld = release.table.counts.to_numpy(), release.table.withheld.to_numpy()
    assert withheld.any()  # both demo cities have small counts in December 2025
    shown = counts[~withheld]
    assert not ((shown >= 1) & (shown < 11)).any()
    assert (counts[withheld] >= 1).all() and lines_with_one(withheld) == 0
    assert bridges(withheld) == set()
