"""The cda command: a checklist in --help, clear messages and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from cda_lib import cli
from cda_lib.cities.loader import list_city_ids

CITY_FIXTURES = Path(__file__).parent / "fixtures" / "cities"


def run(capsys, *arguments):
    code = cli.main(list(arguments))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_reads_like_a_coachs_checklist(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    help_text = capsys.readouterr().out
    steps = ["cda cities", "cda check-city", "cda generate", "cda check-data", "cda build",
             "make lab"]
    positions = [help_text.index(step) for step in steps]
    assert positions == sorted(positions), "the checklist is in the order a coach works"


def test_no_command_prints_help(capsys):
    code, out, _ = run(capsys)
    assert code == 0 and "checklist" in out


def test_cities_lists_every_city_file(capsys):
    code, out, _ = run(capsys, "cities")
    assert code == 0
    for city_id in list_city_ids():
        assert city_id in out


def test_check_city_confirms_a_valid_file(capsys):
    code, out, _ = run(capsys, "check-city", "riverbend")
    assert code == 0 and "the city file is valid" in out


def test_check_city_explains_a_broken_file_without_a_traceback(capsys):
    code, _, err = run(capsys, "check-city", str(CITY_FIXTURES / "language_not_supported.yaml"))
    assert code == 2
    assert err.startswith("cda: ") and "language" in err and "Traceback" not in err


def test_an_unknown_city_is_refused_before_any_work(capsys):
    code, _, err = run(capsys, "build", "riverbnd")
    assert code == 2 and 'Did you mean "riverbend"' in err


def test_build_needs_exactly_one_way_of_choosing_cities(capsys):
    code, _, err = run(capsys, "build")
    assert code == 2 and "exactly one" in err
    code, _, err = run(capsys, "build", "riverbend", "--all")
    assert code == 2 and "exactly one" in err


def test_an_unknown_cohort_lists_the_cohorts(capsys):
    code, _, err = run(capsys, "generate", "--cohort", "demos")
    assert code == 2 and '"demo"' in err and '"alliance"' in err


def test_check_data_prints_the_account(capsys):
    code, out, _ = run(capsys, "check-data", "riverbend")
    assert code == 0
    assert out.startswith("SYNTHETIC DATA.")
    assert "Set aside" in out and "duplicate request id" in out
