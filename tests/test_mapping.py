from pathlib import Path

import pytest
from capped_process import run_capped, time_refusal

from cda_lib.core.errors import MappingError
from cda_lib.core.schema import SERVICE_REQUESTS
from cda_lib.sources.mapping import ColumnMapping, load_mapping, parse_mapping

MINIMAL = {"columns": {"service_request_id": "ID", "service_name": "Type",
                       "requested_datetime": "Opened"}}


def test_shipped_example_mappings_are_valid():
    for name in ("boston311_2015", "la311_2017"):
        mapping = load_mapping(name)
        assert mapping.columns["service_request_id"]
        assert mapping.datetime_format


def test_identity_mapping_covers_every_canonical_column():
    assert list(ColumnMapping.identity().columns) == SERVICE_REQUESTS.columns


def test_unknown_mapping_name_suggests_the_closest():
    with pytest.raises(MappingError, match='Did you mean "boston311_2015"'):
        load_mapping("boston311_2016")


def test_a_misspelt_canonical_column_is_named_with_a_suggestion():
    raw = {"columns": {**MINIMAL["columns"], "distrct": "Ward"}}
    with pytest.raises(MappingError, match=r'`distrct`.*Did you mean "district"'):
        parse_mapping(raw)


def test_a_mapping_can_say_where_the_optional_reopened_flag_comes_from():
    mapping = parse_mapping({"columns": {**MINIMAL["columns"], "reopened": "Reopened?"}})
    assert mapping.columns["reopened"] == "Reopened?"
    with pytest.raises(MappingError, match='Did you mean "reopened"'):
        parse_mapping({"columns": {**MINIMAL["columns"], "reopend": "Reopened?"}})


def test_a_mapping_must_say_where_the_id_comes_from():
    raw = {"columns": {"service_name": "Type", "requested_datetime": "Opened"}}
    with pytest.raises(MappingError, match="service_request_id"):
        parse_mapping(raw)


def test_status_values_must_map_to_open_or_closed():
    raw = {**MINIMAL, "status_values": {"Done": "finished"}}
    with pytest.raises(MappingError, match=r'"finished".*"open" and "closed"'):
        parse_mapping(raw)


def test_channel_values_must_be_canonical_channels():
    raw = {**MINIMAL, "channel_values": {"Call": "telephone"}}
    with pytest.raises(MappingError, match='Did you mean "phone"'):
        parse_mapping(raw)


# --- YAML anchors and aliases, and fields that must be text ----------------------------

BOMB = Path(__file__).parent / "fixtures" / "yaml_bombs" / "mapping_bomb.yaml"


def test_a_mapping_alias_bomb_is_refused_at_its_first_anchor_before_it_grows():
    # Expanded, the bomb's description holds 9**9 strings: the child process is capped at
    # 1 GiB, so a loader that expanded it would fail there rather than fill the machine.
    assert BOMB.stat().st_size < 1600
    child = run_capped(time_refusal(f"load_mapping({str(BOMB)!r})", "MappingError"))
    assert child.returncode == 0, child.stderr[-2000:]
    seconds, outcome = child.stdout.strip().split(" ", 1)
    assert outcome.startswith("MappingError: In mapping_bomb.yaml, near line 5, `&l0` is a "
                              "YAML anchor: a mapping never needs one"), outcome
    assert float(seconds) < 1.0


def test_an_alias_in_a_mapping_is_refused_even_without_its_anchor(tmp_path):
    path = tmp_path / "city311.yaml"
    path.write_text("columns:\n  service_request_id: ID\n  service_name: *type\n"
                    "  requested_datetime: Opened\n", encoding="utf-8")
    with pytest.raises(MappingError, match=r"near line 3, `\*type` is a YAML alias"):
        load_mapping(path)


@pytest.mark.parametrize("field", ["name", "description", "source", "datetime_format"])
@pytest.mark.parametrize(("value", "described"), [
    (["lol", ["lol"]], "a list"), ({"a": 1}, "a group of fields"), (True, "true or false")])
def test_a_text_field_holding_something_else_is_refused_naming_the_field(
        field, value, described):
    with pytest.raises(MappingError) as caught:
        parse_mapping({**MINIMAL, field: value}, "city311.yaml")
    assert f"In city311.yaml, `{field}` holds {described}, but it should be one text" in str(
        caught.value)


def test_a_column_given_as_a_list_is_refused_naming_the_column():
    raw = {"columns": {**MINIMAL["columns"], "service_name": ["Type", "Subtype"]}}
    with pytest.raises(MappingError, match=r"`columns.service_name` holds a list"):
        parse_mapping(raw)


def test_text_fields_keep_their_text():
    mapping = parse_mapping({**MINIMAL, "name": " City 311 ", "description": "One row a case.\n",
                             "datetime_format": "%d/%m/%Y %H:%M "})
    assert (mapping.name, mapping.description) == ("City 311", "One row a case.")
    assert mapping.datetime_format == "%d/%m/%Y %H:%M "  # a format's spaces are meaningful
    assert mapping.columns["service_name"] == "Type"


def test_missing_values_must_be_a_list_of_texts():
    # A single "N/A" would otherwise be read as its letters: cells "N", "/" and "A".
    with pytest.raises(MappingError, match=r"`missing_values` should be a list of texts"):
        parse_mapping({**MINIMAL, "missing_values": "N/A"})
    with pytest.raises(MappingError, match=r"`missing_values\[2\]` holds a list"):
        parse_mapping({**MINIMAL, "missing_values": ["N/A", ["unknown"]]})
    assert parse_mapping({**MINIMAL, "missing_values": ["N/A", 0]}).missing_values == ("N/A", "0")


def test_a_service_code_given_as_a_group_is_refused_naming_it():
    with pytest.raises(MappingError, match=r"`service_codes.Pothole` holds a group of fields"):
        parse_mapping({**MINIMAL, "service_codes": {"Pothole": {"code": "POTHOLE"}}})


def test_a_channel_no_value_fits_is_refused_with_the_allowed_ones_and_what_to_do():
    """The issue's example: a posted "Letter" mapped to "mail", which is no channel."""
    raw = {**MINIMAL, "channel_values": {"Letter": "mail"}}
    with pytest.raises(MappingError) as refused:
        parse_mapping(raw, "city.yaml")
    assert str(refused.value) == (
        'In city.yaml, `channel_values` maps "Letter" to "mail", which is not one of "phone", '
        '"web", "mobile app", "email", "walk-in", "social media" and "internal". Did you mean '
        '"email"? A source value that fits none of them can be left out: its requests are '
        "kept with the channel empty, and counted.")
