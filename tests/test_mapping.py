import pytest

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
