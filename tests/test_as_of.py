"""The as-of moment: the data's last moment by default, a late one noted, future closes flagged.

The fixture (tests/fixtures/as_of/ends_in_january_2016.csv) has five rows: requests 1-4
opened between 01 Dec 2015 and 10 Jan 2016 08:00 (3 closed 05 Jan 2016 12:00), and a
fifth row repeating request 1's id, opened 01 Feb 2016. Every expected account below is
worked out from those rows by hand, and both loaders must give it.
"""

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from cda_lib import cli, data as data_module
from cda_lib.cities.loader import load_city
from cda_lib.core.account import CountedAccount
from cda_lib.metrics import engine
from cda_lib.sources import conform
from cda_lib.sources.local import load_service_requests_file

FIXTURES = Path(__file__).parent / "fixtures" / "as_of"
CSV = FIXTURES / "ends_in_january_2016.csv"
MAPPING = FIXTURES / "ends_in_january_2016.yaml"
LAST_MOMENT = pd.Timestamp("2016-01-10 08:00")  # request 4's opening, later than any close


def both_loads(tmp_path: Path, as_of):
    """The pandas load and the on-disk load of a fresh copy of the fixture (no cache hit)."""
    folder = tmp_path / f"copy-{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    csv = shutil.copy(CSV, folder / CSV.name)
    ordinary = load_service_requests_file(csv, MAPPING, as_of=as_of)
    on_disk = engine.open_requests(csv, MAPPING, as_of=as_of)
    return ordinary, on_disk


def account_of(account) -> tuple[int, int, dict, dict, list]:
    return (account.rows_read, account.rows_kept, dict(account.reasons()),
            dict(account.flags()), list(account.notes))


def test_without_as_of_the_data_s_last_moment_is_used_and_said(tmp_path):
    ordinary, on_disk = both_loads(tmp_path, None)
    # no row is in the future of its own data; the repeated id is still a duplicate,
    # and its later opening (01 Feb) is not the last moment: the kept rows' is
    expected = (5, 4, {conform.DUPLICATE_ID: 1}, {},
                ["As of 10 Jan 2016 08:00, the last moment in the data (no as_of was given)."])
    assert account_of(ordinary.account) == expected
    assert account_of(on_disk.account) == expected
    assert ordinary.as_of == on_disk.as_of == LAST_MOMENT


def test_a_given_as_of_sets_aside_later_openings_and_flags_later_closes(tmp_path):
    ordinary, on_disk = both_loads(tmp_path, pd.Timestamp("2016-01-01"))
    # requests 4 (10 Jan) and the repeat (01 Feb) open later: future; 3 closes 05 Jan
    expected = (5, 3, {conform.FUTURE_OPENED: 2}, {conform.FUTURE_CLOSED: 1}, [])
    assert account_of(ordinary.account) == expected
    assert account_of(on_disk.account) == expected
    assert "Flagged 1 of 3 kept rows: closed after the data was extracted (a future date)" \
        in ordinary.account.summary_lines()
    assert ordinary.as_of == on_disk.as_of == pd.Timestamp("2016-01-01")


def test_an_as_of_long_after_the_data_ends_is_noted(tmp_path):
    ordinary, on_disk = both_loads(tmp_path, pd.Timestamp("2016-06-01"))
    # 10 Jan 08:00 to 01 Jun: 21 + 29 (2016 is a leap year) + 31 + 30 + 31 + 1 days,
    # less 8 hours: 142 whole days, more than 90
    note = ("The as_of (01 Jun 2016) is 142 days after the last moment in the data "
            "(10 Jan 2016 08:00), so every open request looks at least that old. Check "
            "`as_of` in the city file, or leave it out to use the data's last moment.")
    expected = (5, 4, {conform.DUPLICATE_ID: 1}, {}, [note])
    assert account_of(ordinary.account) == expected
    assert account_of(on_disk.account) == expected


def test_an_as_of_within_90_days_of_the_data_s_end_is_not_noted(tmp_path):
    # 10 Jan 08:00 to 01 Mar: 50 days and 16 hours
    ordinary, on_disk = both_loads(tmp_path, pd.Timestamp("2016-03-01"))
    expected = (5, 4, {conform.DUPLICATE_ID: 1}, {}, [])
    assert account_of(ordinary.account) == expected
    assert account_of(on_disk.account) == expected


def test_a_load_without_as_of_comes_from_the_cache_the_second_time(tmp_path):
    csv = shutil.copy(CSV, tmp_path / CSV.name)
    first = load_service_requests_file(csv, MAPPING)
    second = load_service_requests_file(csv, MAPPING)
    assert not isinstance(first.account, CountedAccount)
    assert isinstance(second.account, CountedAccount)  # read back from the entry
    assert account_of(second.account) == account_of(first.account)
    assert second.as_of == LAST_MOMENT
    pd.testing.assert_frame_equal(second.table, first.table)


def test_a_cached_load_notes_the_as_of_asked_for_not_the_one_it_was_made_with(tmp_path):
    csv = shutil.copy(CSV, tmp_path / CSV.name)
    load_service_requests_file(csv, MAPPING, as_of=pd.Timestamp("2016-03-01"))
    later = load_service_requests_file(csv, MAPPING, as_of=pd.Timestamp("2016-06-01"))
    assert isinstance(later.account, CountedAccount)  # the same rows kept: the same entry
    assert later.account.notes[0].startswith("The as_of (01 Jun 2016) is 142 days after")
    assert later.as_of == pd.Timestamp("2016-06-01")


def test_an_empty_export_without_as_of_is_as_of_now(tmp_path):
    csv = tmp_path / "empty.csv"
    csv.write_text("Case,Type,Opened,Closed,State,Ward\n")
    ordinary = load_service_requests_file(csv, MAPPING)
    on_disk = engine.open_requests(csv, MAPPING)
    for account in (ordinary.account, on_disk.account):
        assert (account.rows_read, account.rows_kept) == (0, 0)
        assert account.notes[0].endswith("now: the data has no dates (no as_of was given).")


def city_file(tmp_path: Path, **as_of) -> Path:
    """Riverbend's city file pointed at the fixture export (with ``as_of`` when given)."""
    raw = yaml.safe_load(load_city("riverbend").path.read_text())
    raw["id"] = "riverbend-no-as-of"
    raw["sources"] = {"service_requests": {"kind": "local", "path": CSV.name,
                                           "mapping": MAPPING.name, **as_of}}
    shutil.copy(CSV, tmp_path)
    shutil.copy(MAPPING, tmp_path)
    path = tmp_path / "riverbend-no-as-of.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    return path


@pytest.fixture
def city_without_as_of(tmp_path):
    return load_city(city_file(tmp_path))


def test_a_city_file_without_as_of_says_so_on_its_pages(city_without_as_of):
    data = data_module.load_city_data(city_without_as_of)
    assert data.as_of == LAST_MOMENT
    assert ("data as of 10 Jan 2016, the last moment in the data (no as_of in the city file)"
            in data.notice().text())
    assert data.quality.lines()[-1] == \
        "As of 10 Jan 2016 08:00, the last moment in the data (no as_of was given)."
    on_disk = data_module.open_city_requests(city_without_as_of)
    assert on_disk.as_of == LAST_MOMENT


def test_check_data_warns_of_an_as_of_long_after_the_data_ends(tmp_path, capsys):
    code = cli.main(["check-data", str(city_file(tmp_path, as_of="2016-06-01"))])
    out = capsys.readouterr().out
    assert code == 0
    assert "The as_of (01 Jun 2016) is 142 days after the last moment in the data" in out


def test_check_data_says_where_the_as_of_comes_from_when_none_is_given(tmp_path, capsys):
    code = cli.main(["check-data", str(city_file(tmp_path))])
    out = capsys.readouterr().out
    assert code == 0
    assert "data as of 10 Jan 2016, the last moment in the data (no as_of in the city file)" \
        in out


def test_the_cohort_page_s_profile_says_the_as_of_came_from_the_data(city_without_as_of):
    from cda_lib.workbook.dashboard import data_profile

    profile = data_profile(data_module.load_city_data(city_without_as_of))
    assert (profile["as_of"], profile["as_of_from_data"]) == ("2016-01-10", True)
