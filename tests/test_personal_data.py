"""Personal data found in free text and removed (cda_lib.sources.personal_data), the notes
the generator plants (cda_lib.synth.notes), and the detector run on a real city's export.

Every example below is written by hand in the country's own forms; the planted data is
checked to be in reserved or checksum-failing forms, so none of it can be anyone's.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from cda_lib.cities.loader import load_city
from cda_lib.sources import conform
from cda_lib.sources.mapping import ColumnMapping
from cda_lib.sources.personal_data import (
    cpf_is_valid,
    curp_is_valid,
    scrub_column,
    scrub_text,
    sin_is_valid,
)
from cda_lib.synth.notes import PERSONAL_SHARE, PLAIN_NOTES, fake_id, fake_phone, plant_notes


@pytest.mark.parametrize(("country", "text", "expected", "kind"), [
    ("United States", "call 612-555-0143 today", "call [phone removed] today", "phone"),
    ("United States", "call (612) 555-0143", "call [phone removed]", "phone"),
    ("United States", "SSN 987-65-4321 given", "SSN [ID number removed] given", "national_id"),
    ("Canada", "SIN 012 345 675 on file", "SIN [ID number removed] on file", "national_id"),
    ("Canada", "call +1 416 555 0199", "call [phone removed]", "phone"),
    ("Mexico", "CURP ABCD001231HDFXYZ05", "CURP [ID number removed]", "national_id"),
    ("Mexico", "llamar al 55 0000 0123", "llamar al [phone removed]", "phone"),
    ("Colombia", "documento C.C. 1.023.456.789", "documento [ID number removed]",
     "national_id"),
    ("Colombia", "celular 300 000 0123", "celular [phone removed]", "phone"),
    ("Brazil", "CPF 123.456.789-00", "CPF [ID number removed]", "national_id"),
    ("Brazil", "telefone (10) 90000-0123", "telefone [phone removed]", "phone"),
    ("Brazil", "ou +55 10 90000-0123", "ou [phone removed]", "phone"),
    ("Brazil", "escreva para ana.silva@example.com", "escreva para [e-mail removed]", "email"),
    ("Colombia", "La vecina María Gómez llamó", "La vecina [name removed] llamó", "name"),
    ("Brazil", "Meu nome é João da Silva.", "Meu nome é [name removed].", "name"),
    ("United States", "Mrs. Ortiz called", "Mrs. [name removed] called", "name"),
])
def test_each_kind_is_found_in_the_countrys_forms(country, text, expected, kind):
    scrubbed, found = scrub_text(text, country)
    assert scrubbed == expected
    assert found[kind] == 1 and sum(found.values()) == 1


@pytest.mark.parametrize("text", [
    "Second report this month; the crew came on 12/03 and left.",
    "Streetlight 4417 on the corner is out again.", "Request RI-2024-000123 is a duplicate.",
    "About 3 feet wide, 2 m deep.", "Reported 2025-03-04 at 09:30.",
    "Deep hole in the right lane near Main St."])
def test_ordinary_notes_hold_nothing_to_remove(text):
    for country in ("United States", "Canada", "Colombia", "Brazil", "Mexico"):
        assert scrub_text(text, country) == (text, {"email": 0, "national_id": 0,
                                                    "phone": 0, "name": 0})


def test_a_name_without_a_cue_word_is_not_found():
    # the page says so: a person reads a sample before publishing
    assert scrub_text("Ana Lee says the lamp is out", "United States")[1]["name"] == 0


def test_the_placeholders_are_in_the_pages_language():
    from cda_lib.text.translation import use_language

    with use_language("pt"):
        assert scrub_text("ligue (10) 90000-0123", "Brazil")[0] == "ligue [telefone removido]"


@pytest.mark.parametrize("city_id", ["riverbend", "villa-serena", "serra-clara", "port-harmon"])
def test_no_planted_personal_datum_survives_the_scrub(city_id):
    city = load_city(city_id)
    table = pd.DataFrame({"district": pd.array(["A", "B", "C"] * 2000, dtype="string")})
    notes, planted = plant_notes(city, table)
    scrubbed, found = scrub_column(notes["description"], city.country)
    published = "\n".join(scrubbed.dropna())
    for kind, values in planted.values.items():
        assert values, kind  # each kind is planted
        assert [v for v in values if v in published] == [], kind
        assert found[kind] == len(values), kind  # found exactly what was planted
    # the known share: 6,000 rows at 4%, within four standard deviations of 240
    spread = 4 * np.sqrt(6000 * PERSONAL_SHARE * (1 - PERSONAL_SHARE))
    assert abs(planted.rows - 6000 * PERSONAL_SHARE) < spread
    # the plain notes are untouched
    plain = notes["description"].isin(PLAIN_NOTES[city.language])
    assert (scrubbed[plain] == notes["description"][plain]).all()


def test_planting_is_seeded_and_reproducible():
    city = load_city("serra-clara")
    table = pd.DataFrame({"district": pd.array(["A", "B"] * 300, dtype="string")})
    first, second = plant_notes(city, table)[0], plant_notes(city, table)[0]
    assert first.equals(second)


@pytest.mark.parametrize("seed", range(40))
def test_the_planted_values_are_nobodys(seed):
    rng = np.random.default_rng(seed)
    assert re.fullmatch(r"(\(\d{3}\) |\d{3}-|\+1 \d{3} )555[- ]01\d\d",
                        fake_phone(rng, "United States"))  # reserved for fiction
    assert re.fullmatch(r"SSN 987-65-432\d", fake_id(rng, "United States"))  # advertising
    assert not sin_is_valid(fake_id(rng, "Canada"))
    assert not curp_is_valid(fake_id(rng, "Mexico").split()[1])
    assert not cpf_is_valid(fake_id(rng, "Brazil").split()[1])
    brazil = fake_phone(rng, "Brazil")  # area code 10 is not assigned
    assert brazil.startswith(("(10) ", "+55 10 ", "10 ")), brazil


def test_an_exports_free_text_and_address_load_as_optional_columns():
    raw = pd.DataFrame({"id": ["1", "2"], "opened": ["2025-01-02", "2025-01-03"],
                        "type": ["Pothole", "Noise"], "state": ["open", "open"],
                        "Notes": ["call 612-555-0143", ""], "Where": ["1234 Elm St", None]})
    mapping = ColumnMapping("test", {"service_request_id": "id", "requested_datetime": "opened",
                                     "service_name": "type", "status": "state",
                                     "description": "Notes", "address": "Where"})
    table = conform.conform_service_requests(raw, mapping, source="test").table
    assert table["description"].tolist()[0] == "call 612-555-0143"
    assert table["description"].isna().tolist() == [False, True]  # blank is empty
    assert table["address"].dtype == "string"


BOSTON = "realdata/boston311_2015"
# Written apart from the detector's own patterns: anything shaped like an e-mail, or like a
# North American phone number, that would still be there after the scrub.
LEFT_EMAIL = re.compile(r"\S+@\S+\.[A-Za-z]{2,}")
LEFT_PHONE = re.compile(r"\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}")


def test_the_detector_on_bostons_closure_notes_sample(shared_dir):
    raw = pd.read_csv(shared_dir / BOSTON / "sample_data.csv", dtype=str)
    scrubbed, _found = scrub_column(raw["CLOSURE_REASON"].astype("string"), "United States")
    left = "\n".join(scrubbed.dropna())
    assert not LEFT_EMAIL.search(left) and not LEFT_PHONE.search(left)


@pytest.mark.slow
def test_the_detector_on_all_of_bostons_2015_closure_notes(shared_dir):
    files = sorted((shared_dir / BOSTON / "by_type").glob("*.csv"))
    notes = pd.concat([pd.read_csv(f, dtype=str, usecols=["CLOSURE_REASON"]) for f in files],
                      ignore_index=True)["CLOSURE_REASON"].astype("string")
    assert notes.notna().sum() == 101_357  # 121,145 cases (PROVENANCE.md), 16% left blank
    scrubbed, found = scrub_column(notes, "United States")
    left = "\n".join(scrubbed.dropna())
    assert not LEFT_EMAIL.search(left) and not LEFT_PHONE.search(left)
    # Boston's closure notes are written by staff: they hold e-mail addresses and phone
    # numbers (many of them the city's own lines), no national ID, and a few names after a
    # cue word. The counts are reported, never the data.
    assert found["email"] > 0 and found["phone"] > 0 and found["national_id"] == 0
    assert found["email"] <= notes.str.count("@").sum()


# The reserved forms the generator plants (cda_lib.synth.notes), written apart from the
# detector: none may be left in a demo city's published notes.
PLANTED_FORMS = re.compile(r"555[- ]01\d\d|@example\.(?:org|com|net)|987-65-432\d|\(10\) 9|"
                           r"\+55 10 |\+57 (?:300|601) 000 0|300 000 0|C\.C\. 1\.0|SIN 0\d\d \d|"
                           r"CPF \d{3}\.")


@pytest.mark.slow
@pytest.mark.parametrize("city_id", ["riverbend", "villa-serena", "serra-clara", "port-harmon"])
def test_no_planted_datum_is_left_in_a_demo_citys_published_notes(city_id):
    from cda_lib.data import load_city_data
    from cda_lib.synth.notes import GIVEN, SURNAMES
    from cda_lib.themes.empower.publish_files import publish_page

    data = load_city_data(city_id)
    notes = data.requests["description"].dropna()
    assert notes.str.contains(PLANTED_FORMS).sum() > 100  # the demo data carries them
    published = publish_page(data).extract["description"].dropna()
    assert not published.str.contains(PLANTED_FORMS).any()
    language = data.city.language
    names = "|".join(f"{given} {surname}" for given in GIVEN[language]
                     for surname in SURNAMES[language])
    assert not published.str.contains(names).any()


def test_los_angeles_addresses_go_to_the_block_of_their_own_house_number(shared_dir):
    # MyLA311 gives the address and, apart, its HouseNumber: the block the generaliser reads
    # from the address must be that number rounded down to the hundred.
    from cda_lib.metrics.generalise import address_parts, generalise_addresses

    path = shared_dir / "realdata/la311_hackforla/MyLA311_Service_Request_Data_2017_Subset.csv"
    raw = pd.read_csv(path, dtype=str)
    blocks, done = generalise_addresses(raw["Address"].astype("string"))
    assert sum(done.values()) == raw["Address"].notna().sum() == 9_999
    assert done["generalised"] > 0.95 * 9_999
    both = raw.dropna(subset=["Address", "HouseNumber"])
    parts = both["Address"].map(address_parts)
    read = parts.notna()
    house = both.loc[read, "HouseNumber"].astype(float).astype(int)
    assert (parts[read].map(lambda p: p[1]) == house // 100 * 100).all()
    # and the house number itself is gone (as a whole number: a ZIP code may hold its digits)
    assert not any(re.search(rf"\b{h}\b", b) for h, b in zip(house, blocks[house.index],
                                                               strict=True) if h % 100)
