"""Tests for cda_lib.cities (model, loader, validation): the shipped city files, and the
messages broken files get."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from capped_process import run_capped, time_refusal

from cda_lib.cities.loader import list_city_ids, load_city, parse_city, read_city_files
from cda_lib.core import paths
from cda_lib.core.errors import CityFileError, UnknownCityError
from cda_lib.text.translation import use_language

FIXTURES = Path(__file__).parent / "fixtures" / "cities"
CITY_FILES = sorted(paths.cities_dir().glob("*.yaml"))

# The request types every city's notebooks use (the brief's list, written out here
# rather than imported, so a change to the code cannot quietly change the test).
SERVICE_CODES = {
    "POTHOLE", "STREETLIGHT", "GRAFFITI", "MISSED_COLLECTION", "BULKY_ITEM",
    "ILLEGAL_DUMPING", "ABANDONED_VEHICLE", "NOISE", "TREE", "SIDEWALK", "WATER_LEAK",
    "RODENTS", "TRAFFIC_SIGNAL",
}
# The 11 U.S. cities of the City Data Alliance announcement (seeds/alliance-announcement.txt),
# keyed by how PROVENANCE.md Appendix B labels them.
ALLIANCE_IDS_BY_CENSUS_LABEL = {
    "Buffalo, NY": "buffalo",
    "Charlotte, NC": "charlotte",
    "Glendale, CA": "glendale-ca",
    "Jackson, MS": "jackson-ms",
    "Little Rock, AR": "little-rock",
    "Montgomery, AL": "montgomery",
    "Rochester, NY": "rochester",
    "Seattle, WA": "seattle",
    "Sioux Falls, SD": "sioux-falls",
    "Syracuse, NY": "syracuse",
    "Washington, DC": "washington-dc",
}
# Words a city-hall reader should never meet in a message about their city file.
PROGRAMMER_WORDS = re.compile(r"\b(dict|NoneType|str|int|float|DataFrame|KeyError|Traceback)\b")


@pytest.fixture
def valid_raw() -> dict:
    """The contents of the one correct fixture, ready to be changed in one place."""
    return yaml.safe_load((FIXTURES / "valid_city.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def census_counts(shared_dir: Path) -> dict[str, int]:
    """The 2020 Census counts of PROVENANCE.md Appendix B, by city label."""
    provenance = shared_dir / "realdata" / "PROVENANCE.md"
    if not provenance.is_file():
        message = f"PROVENANCE.md, with the alliance cities' Census counts, is not at {provenance}."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return read_appendix_b(provenance.read_text(encoding="utf-8"))


def read_appendix_b(text: str) -> dict[str, int]:
    """Rows of the Appendix B table whose second cell is a count written with commas."""
    _, found, section = text.partition("## Appendix B")
    assert found, "PROVENANCE.md has no '## Appendix B' section"
    counts = {}
    for line in section.split("\n## ", 1)[0].splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and re.fullmatch(r"\d{1,3}(,\d{3})*", cells[1]):
            counts[cells[0]] = int(cells[1].replace(",", ""))
    return counts


# --- the shipped city files -------------------------------------------------------------


def test_the_cities_folder_holds_the_demo_and_alliance_cities():
    # 4 demo cities (riverbend, port-harmon, villa-serena, serra-clara) + 11 alliance cities.
    assert len(CITY_FILES) >= 15


@pytest.mark.parametrize("path", CITY_FILES, ids=lambda p: p.stem)
def test_every_city_file_loads_with_an_id_matching_its_file_name(path: Path):
    city = load_city(path)
    assert city.id == path.stem


@pytest.mark.parametrize("path", CITY_FILES, ids=lambda p: p.stem)
def test_districts_hold_no_more_people_than_the_city(path: Path):
    city = load_city(path)
    assert sum(d.population for d in city.districts) <= city.population


@pytest.mark.parametrize("path", CITY_FILES, ids=lambda p: p.stem)
def test_service_standards_use_only_the_known_request_types(path: Path):
    unknown = set(load_city(path).service_standards) - SERVICE_CODES
    assert not unknown, f"{path.name} has service standards for unknown codes {sorted(unknown)}"


def test_demo_cohort_is_fictional_cities_of_many_sizes_and_languages():
    demo = [load_city(city_id) for city_id in list_city_ids(cohort="demo")]
    populations = [city.population for city in demo]
    assert len(demo) >= 4
    assert all(city.fictional for city in demo)
    assert all(100_000 <= people <= 1_500_000 for people in populations)
    # Spanning the range: a city under 200k and one over 1M, so notebooks meet both scales.
    assert min(populations) < 200_000 and max(populations) > 1_000_000
    assert {"es", "pt"} <= {city.language for city in demo}


def test_alliance_cohort_is_exactly_the_eleven_cities():
    assert set(list_city_ids(cohort="alliance")) == set(ALLIANCE_IDS_BY_CENSUS_LABEL.values())


def test_alliance_populations_are_the_census_counts_in_provenance(census_counts: dict[str, int]):
    assert set(census_counts) == set(ALLIANCE_IDS_BY_CENSUS_LABEL), "Appendix B lists other cities"
    for label, city_id in ALLIANCE_IDS_BY_CENSUS_LABEL.items():
        assert load_city(city_id).population == census_counts[label], label


def test_reading_appendix_b_keeps_only_rows_with_a_count():
    # A made-up excerpt: the header, the divider and text after the table must be ignored.
    text = (
        "## Appendix A\n| Seattle, WA | 1 |\n"
        "## Appendix B: population\n"
        "| city | 2020 Census count | note |\n|---|---:|---|\n"
        "| Seattle, WA | 737,015 | x |\n| Glendale, CA | 196,543 | y |\n"
        "Other numbers: 195,850\n"
    )
    assert read_appendix_b(text) == {"Seattle, WA": 737015, "Glendale, CA": 196543}


@pytest.mark.parametrize("city_id", sorted(ALLIANCE_IDS_BY_CENSUS_LABEL.values()))
def test_alliance_city_files_are_real_cities_with_placeholder_districts(city_id: str):
    city = load_city(city_id)
    assert (city.cohort, city.fictional, city.country, city.language) == (
        "alliance", False, "United States", "en")
    assert 4 <= len(city.districts) <= 9
    assert city.district_names() == [f"District {k}" for k in range(1, len(city.districts) + 1)]
    assert sum(d.population for d in city.districts) == city.population
    assert all(set(d.demographics) == {
        "share_low_income", "share_renters", "share_age_65_plus", "share_without_internet"
    } for d in city.districts)
    assert "placeholder" in city.notes and "synthetic" in city.notes
    assert 2 <= len(city.priorities) <= 3
    assert all(p.startswith("Example priority: ") for p in city.priorities)
    assert set(city.service_standards) == SERVICE_CODES
    requests = city.sources["service_requests"]
    assert requests.kind == "synthetic"
    assert (str(requests.options["start"]), str(requests.options["end"])) == (
        "2024-01-01", "2025-12-31")


@pytest.mark.parametrize("city_id", sorted(ALLIANCE_IDS_BY_CENSUS_LABEL.values()))
def test_alliance_bounds_are_a_city_sized_box_in_the_united_states(city_id: str):
    bounds = load_city(city_id).bounds
    # A box under 1 degree a side, inside the contiguous states (24-50 N, 125-66 W):
    # catches a dropped minus sign or swapped latitude and longitude.
    assert bounds.north - bounds.south < 1 and bounds.east - bounds.west < 1
    assert 24 < bounds.south < bounds.north < 50 and -125 < bounds.west < bounds.east < -66


def test_larger_alliance_cities_have_at_least_as_many_districts():
    cities = sorted((load_city(c) for c in list_city_ids(cohort="alliance")),
                    key=lambda city: city.population)
    counts = [len(city.districts) for city in cities]
    assert counts == sorted(counts), [(c.id, len(c.districts)) for c in cities]


def test_every_synthetic_city_has_its_own_seed():
    seeds = {}
    for path in CITY_FILES:
        for source in load_city(path).sources.values():
            if source.is_synthetic:
                seeds.setdefault(source.options["seed"], []).append(path.stem)
    shared = {seed: ids for seed, ids in seeds.items() if len(ids) > 1}
    assert not shared, f"cities sharing a seed: {shared}"


# --- broken city files ------------------------------------------------------------------

# Each fixture is valid_city.yaml with one mistake (its first line says which); the
# fragments are what a reader needs: the field, what was expected, choices, did-you-mean.
BAD_FILES = {
    "language_not_supported": [
        "`language`", '"sp"', '"en" (English)', '"es" (Spanish)', '"pt" (Portuguese)',
        'Did you mean "es"'],
    "missing_required_field": ["`country`", "is missing", "add a `country:` line", '"bounds"'],
    "misspelt_field": ["`langauge`", "not a field", '"country"', 'Did you mean "language"?'],
    "population_with_commas": ["`population`", '"100,000"', "whole number", "without commas",
                               "100000"],
    "share_above_one": ["`districts[2].demographics.share_renters`", "is 45",
                        "between 0 and 1", "write 0.45"],
    "districts_exceed_population": ["`districts`", "110,000", "100,000"],
    "duplicate_district_names": ["`districts`", '"North" twice', "its own name"],
    "mismatched_demographics": ["`districts[2].demographics`", "(South)", '"share_renter"',
                                "same fields", 'Did you mean "share_renters"?'],
    "unknown_source_kind": ["`sources.service_requests.kind`", '"synthetc"', '"synthetic"',
                            '"local"', 'Did you mean "synthetic"?'],
    # Line numbers counted by hand in the fixture files (their first line says where).
    "bad_indentation": ["not valid YAML", "line 16", "name: South", "indentation"],
    "id_not_matching_file_name": ["`id`", '"riverside"', "id_not_matching_file_name.yaml",
                                  "riverside.yaml"],
    "end_before_start": ["`sources.service_requests.end`", "2024-01-01", "not after start",
                         "(2025-12-31)"],
    "impossible_date": ["line 24", '"2025-02-30"', "not a real date", "year-month-day"],
    "duplicate_field": ["line 7", "`population` appears twice", "keep one `population:` line"],
    "priority_with_colon": ["`priorities[1]`", '"Goal"', "double quotes",
                            '("Goal: fix potholes faster")'],
    "anchor_and_alias": ["line 14", "`&shares`", "YAML anchor", "never needs one",
                         "write each value out in full"],
}


def test_the_valid_fixture_loads():
    assert load_city(FIXTURES / "valid_city.yaml").name == "Testville"


def test_every_fixture_file_is_checked():
    on_disk = {p.stem for p in FIXTURES.glob("*.yaml")} - {"valid_city"}
    assert on_disk == set(BAD_FILES)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_broken_city_file_gets_a_message_naming_the_field_and_the_fix(name: str):
    with pytest.raises(CityFileError) as caught:
        load_city(FIXTURES / f"{name}.yaml")
    message = str(caught.value)
    assert f"{name}.yaml" in message
    for fragment in BAD_FILES[name]:
        assert fragment in message, f"{fragment!r} not in: {message}"
    assert not PROGRAMMER_WORDS.search(message), message
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(("written", "meant"), [
    ("sp", "es"), ("english", "en"), ("Spanish", "es"), ("EN", "en"), ("pt-BR", "pt"),
    ("Português", "pt"), ("englsh", "en"), ("castellano", "es"),
])
def test_a_language_written_another_way_suggests_its_code(valid_raw, written, meant):
    with pytest.raises(CityFileError, match=f'Did you mean "{meant}"'):
        parse_city(dict(valid_raw, language=written))


def test_an_unrelated_language_lists_the_choices_without_guessing(valid_raw):
    with pytest.raises(CityFileError) as caught:
        parse_city(dict(valid_raw, language="fr"))
    assert '"en" (English), "es" (Spanish) or "pt" (Portuguese)' in str(caught.value)
    assert "Did you mean" not in str(caught.value)


def test_an_empty_field_is_called_empty_not_missing(valid_raw):
    with pytest.raises(CityFileError, match=r"`country` is empty.*after `country:`"):
        parse_city(dict(valid_raw, country=None))


def test_fictional_must_be_true_or_false(valid_raw):
    with pytest.raises(CityFileError, match=r"`fictional` should be true or false"):
        parse_city(dict(valid_raw, fictional="no"))


def test_a_share_that_is_not_a_number_is_refused(valid_raw):
    district = dict(valid_raw["districts"][0], demographics={
        "share_low_income": float("nan"), "share_renters": 0.4})
    with pytest.raises(CityFileError, match=r"share_low_income` should be a number"):
        parse_city(dict(valid_raw, districts=[district]))


def test_swapped_bounds_name_the_two_sides(valid_raw):
    bounds = dict(valid_raw["bounds"], west=-80.0, east=-80.1)
    with pytest.raises(CityFileError, match=r"west -80, which is not smaller than east -80.1"):
        parse_city(dict(valid_raw, bounds=bounds))


def test_a_city_file_not_saved_as_utf8_says_how_to_fix_it(tmp_path: Path):
    path = tmp_path / "valid_city.yaml"
    text = (FIXTURES / "valid_city.yaml").read_text(encoding="utf-8")
    path.write_bytes(text.replace("Testville", "São Testville").encode("latin-1"))
    with pytest.raises(CityFileError, match="not saved as UTF-8"):
        load_city(path)


# --- finding cities -----------------------------------------------------------------------


def test_an_unknown_city_id_suggests_the_closest_one():
    with pytest.raises(UnknownCityError) as caught:
        load_city("riverbnd")
    assert isinstance(caught.value, KeyError)
    message = str(caught.value)
    assert 'There is no city called "riverbnd".' in message
    assert 'Did you mean "riverbend"?' in message
    assert '"seattle"' in message  # the cities that do exist are listed


def test_a_missing_city_file_path_is_an_unknown_city(tmp_path: Path):
    with pytest.raises(UnknownCityError, match="no city file at"):
        load_city(tmp_path / "nowhere.yaml")


def test_list_city_ids_splits_into_the_two_cohorts():
    everything = list_city_ids()
    demo, alliance = list_city_ids(cohort="demo"), list_city_ids(cohort="alliance")
    assert everything == sorted(p.stem for p in CITY_FILES)
    assert sorted(demo + alliance) == everything
    assert "riverbend" in demo and "seattle" in alliance


def test_an_unknown_cohort_lists_the_cohorts_and_suggests_one():
    with pytest.raises(CityFileError) as caught:
        list_city_ids(cohort="allience")
    message = str(caught.value)
    assert 'no cohort called "allience"' in message
    assert '"alliance"' in message and '"demo"' in message
    assert 'Did you mean "alliance"?' in message


# --- YAML anchors and aliases, and fields that must be text ----------------------------

BOMBS = Path(__file__).parent / "fixtures" / "yaml_bombs"


def test_a_city_file_alias_bomb_is_refused_at_its_first_anchor_before_it_grows():
    # Expanded, the bomb's description holds 9**9 strings: the child process is capped at
    # 1 GiB, so a loader that expanded it would fail there rather than fill the machine.
    bomb = BOMBS / "city_bomb.yaml"
    assert bomb.stat().st_size < 1600
    child = run_capped(time_refusal(f"load_city({str(bomb)!r})", "CityFileError"))
    assert child.returncode == 0, child.stderr[-2000:]
    seconds, outcome = child.stdout.strip().split(" ", 1)
    assert outcome.startswith("CityFileError: In city_bomb.yaml, near line 11, `&l0`"), outcome
    assert float(seconds) < 1.0


def test_an_alias_alone_is_refused_too(tmp_path: Path):
    path = tmp_path / "valid_city.yaml"
    text = (FIXTURES / "valid_city.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("country: United States", "country: *home"), encoding="utf-8")
    with pytest.raises(CityFileError, match=r"near line 4, `\*home` is a YAML alias"):
        load_city(path)


@pytest.mark.parametrize("field", ["description", "notes", "name", "country"])
@pytest.mark.parametrize(("value", "described"), [
    (["lol", ["lol", "lol"]], "a list"), ({"a": 1, "b": 2}, "a group of fields")])
def test_a_text_field_holding_a_list_or_a_group_is_refused_naming_the_field(
        valid_raw, field, value, described):
    valid_raw[field] = value
    with pytest.raises(CityFileError) as caught:
        parse_city(valid_raw)
    assert f"`{field}` should be some text, not {described}" in str(caught.value)


def test_description_and_notes_may_be_left_out_or_empty(valid_raw):
    valid_raw["notes"] = ""
    city = parse_city(valid_raw)
    assert (city.description, city.notes) == ("", "")


def test_service_line_is_text_and_defaults_to_the_page_languages_term(valid_raw):
    city = parse_city(valid_raw)  # the fixture names no service_line
    # The defaults are the glossary's terms for the citizen-service line (issue 14).
    assert city.service_line == "311"
    with use_language("es"):
        assert city.service_line == "la línea de atención ciudadana"
    with use_language("pt"):
        assert city.service_line == "a central de atendimento ao cidadão"
    valid_raw["service_line"] = "  la Línea 195 "
    named = parse_city(valid_raw)
    with use_language("pt"):  # a name the city gives is the same in every language
        assert named.service_line == "la Línea 195"
    valid_raw["service_line"] = ["Línea", "195"]
    with pytest.raises(CityFileError, match="`service_line` should be some text, not a list"):
        parse_city(valid_raw)


@pytest.mark.parametrize("name", ["path", "mapping"])
def test_a_local_sources_path_and_mapping_must_be_text(valid_raw, name):
    valid_raw["sources"]["service_requests"] = {
        "kind": "local", "path": "requests.csv", "mapping": "boston311_2015"}
    valid_raw["sources"]["service_requests"][name] = ["a.csv", "b.csv"]
    with pytest.raises(CityFileError, match=rf"`sources.service_requests.{name}` should be "
                                            "some text, not a list"):
        parse_city(valid_raw)


# --- cohorts are the coach's labels ----------------------------------------------------------

COHORT_FIXTURES = Path(__file__).parent / "fixtures" / "cohort"


def write_city(folder: Path, source: Path, **changes) -> Path:
    """A copy of a fixture city file in ``folder``, with top-level fields changed (as YAML
    text, so the copy reads exactly as a coach would write it)."""
    raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    raw.update(changes)
    target = folder / f"{raw['id']}.yaml"
    target.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return target


@pytest.fixture
def coach_project(tmp_path: Path, monkeypatch) -> Path:
    """A project whose cities are the three tiny fixture cities (demo cohort)."""
    shutil.copytree(COHORT_FIXTURES, tmp_path / "datasets")
    monkeypatch.setenv(paths.PROJECT_DIR_VARIABLE, str(tmp_path))
    monkeypatch.delenv(paths.CITY_FILES_VARIABLE, raising=False)
    return tmp_path


@pytest.mark.parametrize("label", ["2027-spring", "cohort_3", "Bogota2026", "7"])
def test_a_cohort_can_be_any_short_label_the_coach_chooses(valid_raw, label):
    valid_raw["cohort"] = label
    assert parse_city(valid_raw).cohort == label


@pytest.mark.parametrize("label, shown", [
    ("2027 spring", '"2027 spring"'), ("spring/2027", '"spring/2027"'),
    ("é" * 3, '"ééé"'), ("x" * 41, "x" * 41),
])
def test_a_cohort_that_is_not_a_label_is_refused_with_the_rule(valid_raw, label, shown):
    valid_raw["cohort"] = label
    with pytest.raises(CityFileError) as caught:
        parse_city(valid_raw)
    message = str(caught.value)
    assert "`cohort`" in message and shown in message
    assert "letters, digits, - and _" in message


def test_a_cohort_with_a_space_gets_the_label_to_write_instead(valid_raw):
    valid_raw["cohort"] = "2027 spring"
    with pytest.raises(CityFileError, match='such as "2027-spring"'):
        parse_city(valid_raw)


def test_a_cohort_that_is_a_list_is_refused(valid_raw):
    valid_raw["cohort"] = ["demo", "alliance"]
    with pytest.raises(CityFileError, match="should be a short label, not a list"):
        parse_city(valid_raw)


def test_list_city_ids_finds_a_coachs_own_cohort(coach_project):
    cities = coach_project / "datasets" / "cities"
    write_city(cities, cities / "cedarton.yaml", cohort="2027-spring")
    assert list_city_ids(cohort="2027-spring") == ["cedarton"]
    assert list_city_ids(cohort="demo") == ["alderbank", "brookfield"]


def test_asking_for_a_cohort_with_a_space_says_what_a_label_is(coach_project):
    with pytest.raises(CityFileError) as caught:
        list_city_ids(cohort="2027 spring")
    assert '"2027 spring" cannot be a cohort' in str(caught.value)
    assert "letters, digits, - and _" in str(caught.value)


def test_a_cohort_no_city_names_lists_the_cohorts_there_are(coach_project):
    with pytest.raises(CityFileError) as caught:
        list_city_ids(cohort="2027-autumn")
    assert 'no cohort called "2027-autumn"' in str(caught.value)
    assert 'The cohorts are "demo".' in str(caught.value)


# --- one broken city file stops only itself ---------------------------------------------------


def test_read_city_files_keeps_every_readable_city_and_names_each_broken_one(coach_project):
    cities = coach_project / "datasets" / "cities"
    write_city(cities, cities / "cedarton.yaml", language="klingon")
    (cities / "zephyr.yaml").write_text("id: zephyr\nname: [unclosed\n", encoding="utf-8")
    readable, broken = read_city_files()
    assert [city.id for city in readable] == ["alderbank", "brookfield"]
    assert [(b.city_id, b.path.name) for b in broken] == [
        ("cedarton", "cedarton.yaml"), ("zephyr", "zephyr.yaml")]
    assert "`language`" in broken[0].message
    assert "not valid YAML" in broken[1].message


def test_a_broken_file_belongs_to_the_cohort_it_names_or_if_unreadable_to_every_one(
        coach_project):
    cities = coach_project / "datasets" / "cities"
    write_city(cities, cities / "cedarton.yaml", cohort="2027-spring", population="many")
    (cities / "zephyr.yaml").write_text("id: zephyr\n\tname: tabbed\n", encoding="utf-8")
    _, spring_broken = read_city_files(cohort="2027-spring")
    _, demo_broken = read_city_files(cohort="demo")
    assert [b.city_id for b in spring_broken] == ["cedarton", "zephyr"]
    assert [b.city_id for b in demo_broken] == ["zephyr"]  # its cohort cannot be read


# --- city files kept outside the workbook ---------------------------------------------------


def test_a_city_file_named_by_cda_city_files_is_found_by_its_id(coach_project, tmp_path,
                                                                monkeypatch):
    own = tmp_path / "coach" / "cities"
    own.mkdir(parents=True)
    shutil.copytree(COHORT_FIXTURES / "data", tmp_path / "coach" / "data")
    path = write_city(own, COHORT_FIXTURES / "cities" / "alderbank.yaml", id="dunmore",
                      name="Dunmore")
    with pytest.raises(UnknownCityError):
        load_city("dunmore")
    monkeypatch.setenv(paths.CITY_FILES_VARIABLE, str(path))
    assert load_city("dunmore").path == path
    monkeypatch.setenv(paths.CITY_FILES_VARIABLE, str(own))  # a folder of them works too
    assert load_city("dunmore").name == "Dunmore"
    assert "dunmore" in list_city_ids()


def test_a_city_file_named_by_cda_city_files_wins_over_the_workbooks_own(coach_project,
                                                                        tmp_path, monkeypatch):
    own = tmp_path / "coach"
    own.mkdir()
    path = write_city(own, COHORT_FIXTURES / "cities" / "alderbank.yaml", name="My Alderbank")
    monkeypatch.setenv(paths.CITY_FILES_VARIABLE, str(path))
    assert load_city("alderbank").name == "My Alderbank"


def test_the_pilot_a_coach_names_is_read_and_checked(valid_raw):
    assert parse_city(valid_raw).pilot == {}  # the fixture names none: page 1.4's default
    district = valid_raw["districts"][0]["id"]
    valid_raw["pilot"] = {"district": district, "service": "POTHOLE", "start": "2025-04-01"}
    assert parse_city(valid_raw).pilot == {"district": district, "service": "POTHOLE",
                                           "start": dt.date(2025, 4, 1)}
    valid_raw["pilot"] = {"district": "Atlantis"}
    with pytest.raises(CityFileError, match="`pilot.district` names no district of the city "
                                            "file"):
        parse_city(valid_raw)
    valid_raw["pilot"] = {"when": "2025-04-01"}
    with pytest.raises(CityFileError, match="`pilot.when` is not a field of pilot"):
        parse_city(valid_raw)
    valid_raw["pilot"] = {"start": "April"}
    with pytest.raises(CityFileError, match="`pilot.start` should be a date like 2025-01-31"):
        parse_city(valid_raw)
