"""Districts written as ids, names or an export's own codes are stored by their names.

The fixture (tests/fixtures/districts/council_numbers.csv) writes six requests' districts
as "1", "2", "Northbank", "CD-3" (the mapping's code for district 3), "9" (no such
district) and nothing. The city is Riverbend with its districts numbered 1, 2, 3 ... in
order: 1 is Mill District, 2 Northbank, 3 University Heights.
"""

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from cda_lib import data as data_module
from cda_lib.cities.loader import load_city
from cda_lib.core.errors import MappingError
from cda_lib.metrics import engine, quality
from cda_lib.sources.local import load_service_requests_file
from cda_lib.sources.mapping import parse_mapping

FIXTURES = Path(__file__).parent / "fixtures" / "districts"
CSV = FIXTURES / "council_numbers.csv"
MAPPING = FIXTURES / "council_numbers.yaml"
AS_OF = pd.Timestamp("2016-01-31")
NAMES_BY_ID = {"1": "Mill District", "2": "Northbank", "3": "University Heights"}


def districts_of_both_loads(tmp_path, districts):
    csv = shutil.copy(CSV, tmp_path / CSV.name)
    ordinary = load_service_requests_file(csv, MAPPING, as_of=AS_OF, districts=districts)
    on_disk = engine.open_requests(csv, MAPPING, as_of=AS_OF, districts=districts)
    for result in (ordinary, on_disk):
        assert (result.account.rows_read, result.account.rows_kept) == (6, 6)
    return (ordinary.table["district"].tolist(), on_disk.to_pandas()["district"].tolist())


def test_ids_and_the_mapping_s_codes_become_names_and_names_stay(tmp_path):
    ordinary, on_disk = districts_of_both_loads(tmp_path, NAMES_BY_ID)
    expected = ["Mill District", "Northbank", "Northbank", "University Heights", "9", pd.NA]
    assert ordinary == expected
    assert on_disk == expected


def test_without_the_city_s_districts_only_the_mapping_s_codes_are_translated(tmp_path):
    ordinary, on_disk = districts_of_both_loads(tmp_path, None)
    expected = ["1", "2", "Northbank", "3", "9", pd.NA]
    assert ordinary == expected
    assert on_disk == expected


def test_district_values_must_be_a_group_of_values():
    with pytest.raises(MappingError, match="`district_values` should map source values"):
        parse_mapping({"columns": {"service_request_id": "a", "service_name": "b",
                                   "requested_datetime": "c"},
                       "district_values": ["CD-3", "3"]})


@pytest.fixture
def numbered_city(tmp_path):
    """Riverbend with its districts' ids 1, 2, 3 ..., pointed at the fixture export."""
    raw = yaml.safe_load(load_city("riverbend").path.read_text())
    raw["id"] = "riverbend-numbered"
    for number, district in enumerate(raw["districts"], start=1):
        district["id"] = str(number)
    raw["sources"] = {"service_requests": {"kind": "local", "path": CSV.name,
                                           "mapping": MAPPING.name, "as_of": "2016-01-31"}}
    shutil.copy(CSV, tmp_path)
    shutil.copy(MAPPING, tmp_path)
    city_file = tmp_path / "riverbend-numbered.yaml"
    city_file.write_text(yaml.safe_dump(raw, allow_unicode=True))
    return load_city(city_file)


def test_a_city_with_numbered_districts_shows_names_and_flags_only_the_unknown_one(
        numbered_city):
    data = data_module.load_city_data(numbered_city)
    assert data.requests["district"].tolist()[:4] == [
        "Mill District", "Northbank", "Northbank", "University Heights"]
    # row 5's "9" is no district of the city; row 6 has none
    assert data.quality.count(quality.UNKNOWN_DISTRICT) == 1
    assert data.quality.count(quality.MISSING_DISTRICT) == 1
    on_disk = data_module.open_city_requests(numbered_city)
    assert on_disk.to_pandas()["district"].tolist() == data.requests["district"].tolist()
