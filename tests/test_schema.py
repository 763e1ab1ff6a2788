import pandas as pd
import pytest

from cda_lib.core.errors import SchemaError
from cda_lib.core.schema import SERVICE_REQUESTS


def test_empty_table_has_the_canonical_columns_and_passes_validation():
    empty = SERVICE_REQUESTS.empty()
    assert list(empty.columns) == SERVICE_REQUESTS.columns
    SERVICE_REQUESTS.validate(empty)


def test_open311_field_names_are_used():
    # GeoReport v2 response fields (../shared/reference/civic-standards.md, B5)
    for name in ("service_request_id", "service_code", "service_name", "status",
                 "requested_datetime", "agency_responsible", "lat", "long"):
        assert name in SERVICE_REQUESTS.columns


def test_missing_columns_are_named():
    table = SERVICE_REQUESTS.empty().drop(columns=["district", "lat"])
    with pytest.raises(SchemaError, match='"district" and "lat"'):
        SERVICE_REQUESTS.validate(table)


def test_wrong_types_are_named():
    table = SERVICE_REQUESTS.empty()
    table["lat"] = table["lat"].astype("string")
    with pytest.raises(SchemaError, match="lat is string, expected float64"):
        SERVICE_REQUESTS.validate(table)


def test_required_values_must_be_present():
    table = SERVICE_REQUESTS.empty()
    table.loc[0, "service_request_id"] = "1"
    table = table.astype(SERVICE_REQUESTS.dtypes)
    with pytest.raises(SchemaError, match="empty values"):
        SERVICE_REQUESTS.validate(table)


def test_extra_columns_are_kept_after_the_canonical_ones():
    table = SERVICE_REQUESTS.empty()
    table["ward"] = pd.Series(dtype="string")
    assert list(SERVICE_REQUESTS.validate(table).columns)[-1] == "ward"


def test_the_optional_reopened_column_is_checked_only_when_present():
    assert SERVICE_REQUESTS.optional == {"reopened": "boolean", "description": "string",
                                         "address": "string"}
    assert "reopened" not in SERVICE_REQUESTS.columns  # a source need not have it
    table = SERVICE_REQUESTS.empty()
    table["ward"] = pd.Series(dtype="string")
    table["reopened"] = pd.Series(dtype="boolean")
    # canonical columns, then the optional one, then the source's extras
    assert list(SERVICE_REQUESTS.validate(table).columns)[-2:] == ["reopened", "ward"]
    table["reopened"] = table["reopened"].astype("string")
    with pytest.raises(SchemaError, match="reopened is string, expected boolean"):
        SERVICE_REQUESTS.validate(table)


def test_the_channel_description_lists_the_channels():
    from cda_lib.core.schema import CHANNELS, SERVICE_REQUESTS

    assert SERVICE_REQUESTS.descriptions["channel"] == \
        "how it was reported: " + ", ".join(CHANNELS)
