"""Exercise copies are built for every city: a participant copy to fill in, a run coach copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from cda_lib import cli
from cda_lib.cities.loader import load_city
from cda_lib.core.modules import ModuleIdError
from cda_lib.exercises.authoring import find_exercise_notebooks
from cda_lib.workbook.cohort import CohortOptions, build_cohort
from cda_lib.workbook.exercise_jobs import ExerciseCopies, jobs_of_modules
from cda_lib.workbook.jobs import default_job_sources

SOURCE = Path(__file__).parent / "fixtures" / "exercises" / "source"


def test_each_exercise_notebook_gives_a_participant_and_a_coach_job():
    jobs = ExerciseCopies()(load_city("riverbend"))
    sources = find_exercise_notebooks()
    assert len(jobs) == 2 * len(sources)
    participant, coach = jobs[0], jobs[1]
    assert participant.output.startswith("exercises/") and not participant.execute
    assert not participant.export_html
    assert coach.output.startswith("coach/") and coach.execute and coach.export_html


def test_a_build_of_some_modules_keeps_their_pages_and_exercise_copies_only():
    city = load_city("riverbend")
    jobs = [job for source in default_job_sources() for job in source(city)]
    chosen = jobs_of_modules(jobs, ["1.2", "0.1"])
    # 1.2 has a page and an exercise set (two copies); 0.1 has a page and no exercises
    assert [job.output for job in chosen] == [
        "00_welcome/01_how_to_use_this_workbook.ipynb",
        "01_lead/02_measuring_performance.ipynb",
        "exercises/01_lead/02_measuring_performance.ipynb",
        "coach/01_lead/02_measuring_performance.ipynb"]
    with pytest.raises(ModuleIdError, match="No theme has a module 9.9"):
        jobs_of_modules(jobs, ["9.9"])


def test_cda_build_names_an_unknown_module_before_building_anything(capsys):
    with pytest.raises(SystemExit):
        cli.main(["build", "riverbend", "--modules", "1.2,7.1"])
    assert "No theme has a module 7.1" in capsys.readouterr().err


def test_cda_build_makes_exercise_copies_after_the_teaching_modules():
    kinds = [type(source).__name__ for source in default_job_sources()]
    assert kinds == ["TeachingModules", "ExerciseCopies"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("exercises")
    (root / "00_fixture").mkdir()  # exercise notebooks live in numbered theme folders
    shutil.copy(SOURCE / "01_every_marker.ipynb", root / "00_fixture")
    build_root = tmp_path_factory.mktemp("build")
    options = CohortOptions(build_root=build_root, workers=1, progress=False,
                            sources=[ExerciseCopies(root)])
    result = build_cohort(["riverbend"], options)
    return result, build_root / "riverbend"


@pytest.mark.slow
def test_the_participant_copy_has_no_solutions_and_is_not_run(built):
    result, city_folder = built
    assert not result.failures
    path = city_folder / "exercises" / "00_fixture" / "01_every_marker.ipynb"
    copy = nbformat.read(path, as_version=4)
    text = "\n".join(cell.source for cell in copy.cells)
    assert "BEGIN SOLUTION" not in text and "# SOLUTION" not in text
    assert all(not cell.get("outputs") for cell in copy.cells if cell.cell_type == "code")
    injected = [c for c in copy.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and 'city = "riverbend"' in injected[0].source


@pytest.mark.slow
def test_the_coach_copy_is_run_with_the_citys_data_and_has_a_page(built):
    _, city_folder = built
    path = city_folder / "coach" / "00_fixture" / "01_every_marker.ipynb"
    coach = nbformat.read(path, as_version=4)
    assert any(cell.get("outputs") for cell in coach.cells if cell.cell_type == "code")
    assert (city_folder / "coach" / "00_fixture" / "01_every_marker.html").exists()


def test_cda_progress_writes_the_table_and_reports_unusable_files(tmp_path, capsys):
    (tmp_path / "notes.ipynb").write_text("not a notebook")
    code = cli.main(["progress", str(tmp_path), "--out", str(tmp_path / "report")])
    out = capsys.readouterr().out
    assert code == 0
    assert (tmp_path / "report" / "progress.csv").exists()
    assert (tmp_path / "report" / "progress.html").exists()
    assert "notes.ipynb" in out
