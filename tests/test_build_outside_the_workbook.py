"""`cda build` as a coach runs it: a city file and its export kept in her own folder, built
into a folder she chooses, with nothing written inside the workbook; and a cohort in which
one city file is broken, which fails that city alone.

The notebooks are the small build fixtures (tests/fixtures/notebooks/): one prints the city
it was given, one loads its city's data and prints the account.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
import yaml

from cda_lib import cli
from cda_lib.core import paths
from cda_lib.workbook import cohort
from cda_lib.workbook.jobs import CITY_FILE_JOB, TeachingModules

FIXTURES = Path(__file__).parent / "fixtures"
PRINTS_CITY = "01_fixture_basics/01_prints_injected_city.ipynb"
REPORTS_DATA = "07_fixture_data/01_reports_its_data.ipynb"
SETTINGS = ("CDA_BUILD_DIR", "CDA_CITY_FILES", "CDA_PROJECT_DIR", "CDA_DATA_CACHE")


def copy_notebooks(root: Path, *fixtures: str) -> Path:
    for fixture in fixtures:
        target = root / fixture
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FIXTURES / "notebooks" / fixture, target)
    return root


def stream_text(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def files_in_the_workbook() -> set[str]:
    """Every file git sees in the workbook, tracked, new or ignored, with its state, but
    Python's own byte-code caches."""
    listing = subprocess.run(
        ["git", "status", "--porcelain", "--ignored", "--untracked-files=all"],
        cwd=paths.project_dir(), capture_output=True, text=True, check=True).stdout
    return {line for line in listing.splitlines() if "__pycache__" not in line}


def only_these_notebooks(monkeypatch, notebooks: Path) -> None:
    """`cda build` builds the fixture notebooks instead of the 19 teaching modules."""
    monkeypatch.setattr(cohort, "default_job_sources", lambda: [TeachingModules(notebooks)])


def run(capsys, *arguments: str) -> tuple[int, str, str]:
    code = cli.main(list(arguments))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.slow
def test_a_city_file_kept_outside_the_workbook_builds_into_out_with_nothing_written_inside(
        tmp_path, monkeypatch, capsys):
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    coach = tmp_path / "coach"  # her own folder: her city file beside her export
    shutil.copytree(FIXTURES / "cohort" / "data", coach / "exports")
    raw = yaml.safe_load((FIXTURES / "cohort" / "cities" / "alderbank.yaml").read_text())
    raw.update(id="dunmore", name="Dunmore")  # a city the workbook has never heard of
    raw["sources"]["service_requests"].update(path="exports/alderbank.csv",
                                              mapping="exports/fixture_export.yaml")
    city_file = coach / "dunmore.yaml"
    city_file.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv("CDA_CACHE_DIR", str(tmp_path / "cache"))
    only_these_notebooks(monkeypatch, copy_notebooks(tmp_path / "notebooks", PRINTS_CITY,
                                                     REPORTS_DATA))
    out = tmp_path / "out"
    before = files_in_the_workbook()

    code, printed, err = run(capsys, "build", str(city_file), "--out", str(out), "--jobs", "1")

    assert code == 0, printed + err
    assert "Built for city: dunmore" in stream_text(out / "dunmore" / PRINTS_CITY)
    reported = json.loads(stream_text(out / "dunmore" / REPORTS_DATA))
    # The fixture export, counted by hand: 14 rows, 4 kept and 10 set aside.
    assert (reported["rows_read"], reported["rows_kept"]) == (14, 4)
    assert reported["from_build_cache"] is True
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [(job["city"], job["status"]) for job in manifest["jobs"]] == [
        ("dunmore", "built"), ("dunmore", "built")]
    assert manifest["command"].endswith(f"--out {out}")
    assert (out / "index.html").is_file() and (out / "cohort.html").is_file()
    assert "Dunmore" in (out / "cohort.html").read_text(encoding="utf-8")
    assert list((tmp_path / "cache").rglob("*.parquet")), "the CSV's copy is in CDA_CACHE_DIR"
    assert files_in_the_workbook() == before


@pytest.mark.slow
def test_a_broken_city_file_fails_alone_and_the_rest_of_the_cohort_builds(
        tmp_path, monkeypatch, capsys):
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "cohort", project / "datasets")
    cedarton = project / "datasets" / "cities" / "cedarton.yaml"
    cedarton.write_text(cedarton.read_text(encoding="utf-8").replace(
        "language: en", "language: klingon"), encoding="utf-8")
    monkeypatch.setenv(paths.PROJECT_DIR_VARIABLE, str(project))
    only_these_notebooks(monkeypatch, copy_notebooks(tmp_path / "notebooks", PRINTS_CITY))
    out = tmp_path / "out"

    code, printed, err = run(capsys, "build", "--cohort", "demo", "--out", str(out))

    assert code == 1, printed + err
    assert "Building 3 cities: alderbank, brookfield, cedarton" in printed
    table = printed.splitlines()
    cedarton_row = next(line for line in table if line.startswith("cedarton"))
    assert cedarton_row.split()[1:4] == ["0", "0", "1"]  # built, up to date, failed
    failed = [line for line in table if line.startswith("FAILED")]
    assert len(failed) == 1 and "cedarton" in failed[0] and "`language`" in failed[0]
    for city_id in ("alderbank", "brookfield"):
        assert f"Built for city: {city_id}" in stream_text(out / city_id / PRINTS_CITY)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    jobs = {(job["city"], job["notebook"]): job for job in manifest["jobs"]}
    assert jobs[("cedarton", CITY_FILE_JOB)]["status"] == "failed"
    assert "klingon" in jobs[("cedarton", CITY_FILE_JOB)]["error_message"]
    assert jobs[("alderbank", PRINTS_CITY)]["status"] == "built"
    assert jobs[("brookfield", PRINTS_CITY)]["status"] == "built"
    assert "klingon" in manifest["cities"]["cedarton"]["data"]
    assert "Traceback" not in printed + err
