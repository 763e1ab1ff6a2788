"""Tests of choosing requests (cda_lib.metrics.selection): types, districts, periods, typos."""

from __future__ import annotations

import pandas as pd
import pytest
from kpi_fixtures import mixed_table

from cda_lib.core.errors import CdaError
from cda_lib.metrics.inputs import MetricInputError, UnknownChoiceError
from cda_lib.metrics.selection import select_requests


@pytest.fixture
def mixed() -> pd.DataFrame:
    return mixed_table()


def test_select_by_code_or_name_district_and_period(mixed):
    assert len(select_requests(mixed, service_code="POTHOLE")) == 2
    assert len(select_requests(mixed, service_code="Noise")) == 1
    assert len(select_requests(mixed, district=["Northbank", "Old Town"])) == 3
    assert len(select_requests(mixed, period=("2025-03-01", "2025-03-04"))) == 2
    assert len(select_requests(mixed, service_code="POTHOLE", district="Old Town")) == 1


def test_an_unknown_district_lists_the_districts_with_a_suggestion(mixed):
    with pytest.raises(UnknownChoiceError) as caught:
        select_requests(mixed, district="Old Twn")
    message = str(caught.value)
    assert 'no district "Old Twn"' in message
    assert 'Did you mean "Old Town"?' in message
    assert '"Northbank" and "Old Town"' in message
    assert isinstance(caught.value, (CdaError, KeyError))


def test_an_unknown_request_type_lists_the_codes(mixed):
    with pytest.raises(UnknownChoiceError, match='Did you mean "POTHOLE"?.*"NOISE" and '
                                                     '"POTHOLE"'):
        select_requests(mixed, service_code="POTHOL")


def test_a_period_outside_the_data_says_what_the_data_covers(mixed):
    with pytest.raises(UnknownChoiceError,
                       match="no requests opened in \"2024-07\". The data covers 01 Mar 2025 "
                             "to 21 Mar 2025"):
        select_requests(mixed, period="2024-07")
    with pytest.raises(MetricInputError, match="not a period the workbook can read"):
        select_requests(mixed, period="last spring")
    with pytest.raises(MetricInputError, match="ends .* before it starts"):
        select_requests(mixed, period=("2025-03-31", "2025-03-01"))
