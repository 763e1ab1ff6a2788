"""The cda command: a checklist in --help, clear messages and exit codes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from cda_lib import cli
from cda_lib.cities.loader import list_city_ids
from cda_lib.core import paths

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


# --- a coach's own cohorts, her own folder, and broken city files ----------------------------

COHORT_FIXTURES = Path(__file__).parent / "fixtures" / "cohort"


@pytest.fixture
def fixture_project(tmp_path, monkeypatch) -> Path:
    """A workbook whose cities are the three tiny fixture cities (cohort demo)."""
    shutil.copytree(COHORT_FIXTURES, tmp_path / "datasets")
    monkeypatch.setenv(paths.PROJECT_DIR_VARIABLE, str(tmp_path))
    monkeypatch.delenv(paths.CITY_FILES_VARIABLE, raising=False)
    return tmp_path / "datasets" / "cities"


def test_cities_lists_every_readable_city_and_each_broken_file_with_its_message(
        capsys, fixture_project):
    brookfield = fixture_project / "brookfield.yaml"
    brookfield.write_text(brookfield.read_text(encoding="utf-8").replace(
        "cohort: demo", "cohort: 2027 spring"), encoding="utf-8")
    (fixture_project / "zephyr.yaml").write_text("id: zephyr\nname: [unclosed\n",
                                                 encoding="utf-8")
    code, out, err = run(capsys, "cities")
    assert code == 1
    rows = out.splitlines()
    assert [row.split()[0] for row in rows[1:3]] == ["alderbank", "cedarton"]
    assert rows[3].startswith("BROKEN  brookfield.yaml: ") and '"2027 spring"' in rows[3]
    assert rows[4].startswith("BROKEN  zephyr.yaml: ") and "not valid YAML" in rows[4]
    assert "2 city files could not be read" in err and "Traceback" not in out + err


def test_cities_shows_a_coachs_own_cohort_label_whole(capsys, fixture_project):
    cedarton = fixture_project / "cedarton.yaml"
    cedarton.write_text(cedarton.read_text(encoding="utf-8").replace(
        "cohort: demo", "cohort: 2027-spring-accelerator"), encoding="utf-8")
    code, out, _ = run(capsys, "cities")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("cedarton"))
    assert row.split()[1] == "2027-spring-accelerator"


def test_generate_with_a_cohort_with_a_space_says_what_a_label_is(capsys, fixture_project):
    code, _, err = run(capsys, "generate", "--cohort", "2027 spring")
    assert code == 2 and '"2027 spring" cannot be a cohort' in err
    assert "letters, digits, - and _" in err


def test_generate_goes_on_past_a_broken_city_file_and_exits_1(capsys, fixture_project):
    alderbank = fixture_project / "alderbank.yaml"
    alderbank.write_text(alderbank.read_text(encoding="utf-8").replace(
        "population: 20000", "population: lots"), encoding="utf-8")
    code, out, err = run(capsys, "generate", "--all")
    assert code == 1
    assert "alderbank.yaml" in err and "`population`" in err
    assert "Brookfield: uses real data" in out  # the cities after it were still handled


def test_build_help_says_where_builds_and_copies_go(capsys):
    with pytest.raises(SystemExit):
        cli.main(["build", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    for setting in ("--out DIR", "CDA_BUILD_DIR", "CDA_CACHE_DIR"):
        assert setting in help_text


def test_a_cohort_whose_only_city_file_is_broken_is_built_and_fails_not_refused(
        capsys, fixture_project, monkeypatch):
    from cda_lib.workbook import cohort

    cedarton = fixture_project / "cedarton.yaml"
    cedarton.write_text(cedarton.read_text(encoding="utf-8").replace(
        "cohort: demo", "cohort: 2027-spring").replace("language: en", "language: xx"),
        encoding="utf-8")
    asked = []

    class BuildAskedError(Exception):
        """Stands in for the build: what matters is which cities it was given."""

    def build_cohort(cities, options):
        asked.append(cities)
        raise BuildAskedError()

    monkeypatch.setattr(cohort, "build_cohort", build_cohort)
    with pytest.raises(BuildAskedError):
        cli.main(["build", "--cohort", "2027-spring"])
    assert [Path(city).name for city in asked[0]] == ["cedarton.yaml"]


def test_a_build_given_a_path_leaves_the_environment_as_it_found_it(capsys, fixture_project,
                                                                    monkeypatch):
    from cda_lib.workbook import cohort

    seen = []

    def build_cohort(cities, options):
        seen.append(os.environ.get(paths.CITY_FILES_VARIABLE))
        raise KeyboardInterrupt  # stands in for the build; main reports a stop

    monkeypatch.setattr(cohort, "build_cohort", build_cohort)
    assert cli.main(["build", str(fixture_project / "alderbank.yaml")]) == 130
    assert seen == [str((fixture_project / "alderbank.yaml").resolve())]
    assert paths.CITY_FILES_VARIABLE not in os.environ
