"""Tests for cohort builds (cda_lib.workbook.cohort): fault isolation, the manifest, resume,
clean state, the data cache, and an interrupted ``cda build`` that is run again.

The cities are the tiny fixture cities in tests/fixtures/cohort/ (a temporary project
folder, so the kernels find them too) and the notebooks are the small fixtures in
tests/fixtures/notebooks/, each named for the behaviour it triggers. These are behaviour
tests: nothing here asserts how long anything takes.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from cda_lib.cities.loader import load_city
from cda_lib.core import paths
from cda_lib.core.errors import BuildError
from cda_lib.data import DATA_CACHE_VARIABLE, load_city_data, read_data_cache, write_data_cache
from cda_lib.workbook.cohort import CohortOptions, build_cohort
from cda_lib.workbook.jobs import Job, TeachingModules, plan_jobs
from cda_lib.workbook.manifest import MANIFEST_CSV, MANIFEST_JSON, summary_table
from cda_lib.workbook.runner import BUILD_METADATA, PAGE_STAMP

FIXTURES = Path(__file__).parent / "fixtures"
NOTEBOOKS = FIXTURES / "notebooks"
PRINTS_CITY = "01_fixture_basics/01_prints_injected_city.ipynb"
RAISES = "01_fixture_basics/02_raises_value_error.ipynb"
EXPECTED_ERROR = "01_fixture_basics/03_shows_an_expected_error.ipynb"
KILLS_KERNEL = "03_fixture_faults/01_kills_its_kernel.ipynb"
TIMES_OUT = "03_fixture_faults/02_runs_past_the_timeout.ipynb"
PAUSES = "03_fixture_faults/03_pauses_when_asked.ipynb"
LEAVES_STATE = "04_fixture_clean_state/01_leaves_state_behind.ipynb"
READS_OTHERS = "04_fixture_clean_state/02_reads_a_variable_from_another_notebook.ipynb"
CHECKS_CLEAN = "04_fixture_clean_state/03_checks_it_starts_clean.ipynb"
REPORTS_DATA = "07_fixture_data/01_reports_its_data.ipynb"
CITIES = ["alderbank", "brookfield"]
CELL_TIMEOUT = 5  # seconds: far above what the fixtures' quick cells need, far below 60


def make_project(root: Path) -> Path:
    """A project folder holding the fixture cities (and their local exports)."""
    shutil.copytree(FIXTURES / "cohort", root / "datasets")
    return root


def copy_notebooks(root: Path, *fixtures: str) -> Path:
    for fixture in fixtures:
        target = root / fixture
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(NOTEBOOKS / fixture, target)
    return root


def options(notebooks: Path, build_root: Path, **changes) -> CohortOptions:
    settings = {"build_root": build_root, "sources": [TeachingModules(notebooks)],
                "timeout": CELL_TIMEOUT, "progress": False}
    settings.update(changes)
    return CohortOptions(**settings)


def by_job(result) -> dict[tuple[str, str], object]:
    return {(record.city, record.notebook): record for record in result.records}


def stream_text(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def hidden_files(folder: Path) -> list[Path]:
    """Scratch files (hidden, beside outputs) and the build's own run folder."""
    return [p for p in folder.rglob(".*")]


def modified_times(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
            for p in folder.rglob("*") if p.suffix in (".ipynb", ".html")}


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    root = make_project(tmp_path / "project")
    monkeypatch.setenv(paths.PROJECT_DIR_VARIABLE, str(root))
    return root


@pytest.fixture(scope="module")
def faulty_build(tmp_path_factory):
    """Two cities × five notebooks: two good ones, one raising, one killing its kernel and
    one running past the timeout."""
    tmp = tmp_path_factory.mktemp("faults")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(paths.PROJECT_DIR_VARIABLE, str(make_project(tmp / "project")))
        notebooks = copy_notebooks(tmp / "notebooks", PRINTS_CITY, RAISES, EXPECTED_ERROR,
                                   KILLS_KERNEL, TIMES_OUT)
        result = build_cohort(CITIES, options(notebooks, tmp / "build", workers=2))
    return result


# --- fault isolation and the manifest -------------------------------------------------------


@pytest.mark.slow
def test_a_failing_notebook_fails_only_its_own_job(faulty_build):
    statuses = {key: record.status for key, record in by_job(faulty_build).items()}
    for city in CITIES:
        assert statuses[(city, PRINTS_CITY)] == "built"
        assert statuses[(city, EXPECTED_ERROR)] == "built"  # fails on purpose, tagged so
        assert statuses[(city, RAISES)] == "failed"
        assert statuses[(city, KILLS_KERNEL)] == "failed"
        assert statuses[(city, TIMES_OUT)] == "failed"
    built = faulty_build.build_root / "brookfield" / PRINTS_CITY
    assert "Built for city: brookfield" in stream_text(built)
    assert built.with_suffix(".html").exists()
    assert faulty_build.exit_code == 1 and not faulty_build.ok


@pytest.mark.slow
@pytest.mark.parametrize(("notebook", "error_name", "words"), [
    (RAISES, "ValueError", "raised on purpose by the fixture"),
    (KILLS_KERNEL, "DeadKernelError", "the kernel"),
    (TIMES_OUT, "CellTimeoutError", f"after {CELL_TIMEOUT} s"),
], ids=["raises", "kills-its-kernel", "times-out"])
def test_the_manifest_names_the_failing_cell_the_error_and_the_kept_notebook(
        faulty_build, notebook, error_name, words):
    manifest = json.loads((faulty_build.build_root / MANIFEST_JSON).read_text())
    rows = [job for job in manifest["jobs"] if job["notebook"] == notebook]
    assert [row["city"] for row in rows] == CITIES
    for row in rows:
        assert row["status"] == "failed"
        # Each fixture's fourth cell (index 3, counted by hand in the source) fails.
        assert row["failed_cell_index"] == 3
        assert row["error_name"] == error_name
        assert words in row["error_message"]
        assert row["duration_seconds"] > 0
        kept = faulty_build.build_root / row["failed_notebook"]
        assert kept.name == Path(notebook).name.replace(".ipynb", ".failed.ipynb")
        executed = nbformat.read(kept, as_version=4)  # a whole notebook, readable
        # In the executed notebook the failing cell sits one further down, after the cell
        # papermill injects; it is the one papermill marked as failed.
        assert executed.cells[4].metadata["papermill"]["exception"] is True
        assert not (faulty_build.build_root / row["city"] / notebook).exists()
        assert not (faulty_build.build_root / row["city"] / notebook).with_suffix(
            ".html").exists()


@pytest.mark.slow
def test_the_manifest_lists_every_job_with_its_outputs_and_the_csv_matches(faulty_build):
    root = faulty_build.build_root
    manifest = json.loads((root / MANIFEST_JSON).read_text())
    assert manifest["outcome"] == "failed"
    assert manifest["totals"]["built"] == 4 and manifest["totals"]["failed"] == 6
    assert set(manifest["cities"]) == set(CITIES)
    assert all(city["data"] == "ready" for city in manifest["cities"].values())
    built = [job for job in manifest["jobs"] if job["status"] == "built"]
    for job in built:
        assert (root / job["output"]).exists() and (root / job["page"]).exists()
        assert job["inputs_hash"] and job["failed_notebook"] is None
    with open(root / MANIFEST_CSV, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["city"], r["notebook"], r["status"], r["failed_cell_index"]) for r in rows] == [
        (j["city"], j["notebook"], j["status"],
         "" if j["failed_cell_index"] is None else str(j["failed_cell_index"]))
        for j in manifest["jobs"]]


@pytest.mark.slow
def test_the_summary_table_counts_per_city_and_lists_each_failure(faulty_build):
    table = summary_table(faulty_build.records, faulty_build.city_names)
    lines = table.splitlines()
    assert lines[1].split()[:5] == ["Alderbank", "2", "0", "3", "0"]
    assert lines[2].split()[:5] == ["Brookfield", "2", "0", "3", "0"]
    failures = [line for line in lines if line.startswith("FAILED")]
    assert len(failures) == 6
    assert any("Brookfield: 03_fixture_faults/01_kills_its_kernel.ipynb stopped at cell 4 "
               "(index 3) with DeadKernelError" in line for line in failures)


@pytest.mark.slow
def test_a_build_leaves_no_scratch_files_and_no_run_folder(faulty_build):
    assert hidden_files(faulty_build.build_root) == []


# --- resume ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_an_unchanged_rerun_runs_nothing_and_a_change_reruns_only_what_it_touches(
        project, tmp_path):
    notebooks = copy_notebooks(tmp_path / "notebooks", PRINTS_CITY, EXPECTED_ERROR)
    build_root = tmp_path / "build"
    first = build_cohort(CITIES, options(notebooks, build_root))
    assert first.ok and {r.status for r in first.records} == {"built"}
    times = modified_times(build_root)

    again = build_cohort(CITIES, options(notebooks, build_root))

    assert {r.status for r in again.records} == {"up-to-date"}
    assert all(r.duration_seconds == 0 for r in again.records)
    assert modified_times(build_root) == times  # not one file rewritten
    assert again.exit_code == 0

    # The author edits one notebook: that notebook is rebuilt for every city, nothing else.
    edited = nbformat.read(notebooks / EXPECTED_ERROR, as_version=4)
    edited.cells[0].source += "\n\nA sentence added by the author."
    nbformat.write(edited, notebooks / EXPECTED_ERROR)
    # A coach edits one city file: that city's notebooks are rebuilt.
    city_file = project / "datasets" / "cities" / "brookfield.yaml"
    city_file.write_text(city_file.read_text().replace("Answer every request within a week",
                                                       "Answer every request within 5 days"))

    third = build_cohort(CITIES, options(notebooks, build_root))

    assert {k: r.status for k, r in by_job(third).items()} == {
        ("alderbank", PRINTS_CITY): "up-to-date", ("alderbank", EXPECTED_ERROR): "built",
        ("brookfield", PRINTS_CITY): "built", ("brookfield", EXPECTED_ERROR): "built"}
    forced = build_cohort(["alderbank"], options(notebooks, build_root, force=True))
    assert {r.status for r in forced.records} == {"built"}

    # An earlier notebook changes: the later ones may read what it records, so they rerun.
    edited = nbformat.read(notebooks / PRINTS_CITY, as_version=4)
    edited.cells[0].source += "\n\nAnother sentence."
    nbformat.write(edited, notebooks / PRINTS_CITY)
    fourth = build_cohort(["alderbank"], options(notebooks, build_root))
    assert {k: r.status for k, r in by_job(fourth).items()} == {
        ("alderbank", PRINTS_CITY): "built", ("alderbank", EXPECTED_ERROR): "built"}


@pytest.mark.slow
def test_outputs_record_the_inputs_they_were_made_from(project, tmp_path):
    notebooks = copy_notebooks(tmp_path / "notebooks", PRINTS_CITY)
    result = build_cohort(["alderbank"], options(notebooks, tmp_path / "build"))
    record = result.records[0]
    executed = nbformat.read(result.build_root / record.output, as_version=4)
    assert executed.metadata[BUILD_METADATA]["inputs"] == record.inputs_hash
    # papermill's own record names the output, not the staging file it was written to
    assert executed.metadata["papermill"]["output_path"] == str(result.build_root /
                                                                record.output)
    page = (result.build_root / record.page).read_text()
    assert f'<meta name="{PAGE_STAMP}" content="{record.inputs_hash}">' in page

    # A page that was replaced by something else is rebuilt, as is a missing notebook.
    (result.build_root / record.page).write_text("<p>not the page</p>")
    assert build_cohort(["alderbank"], options(notebooks, tmp_path / "build")).records[
        0].status == "built"


# --- clean state ------------------------------------------------------------------------------


@pytest.mark.slow
def test_each_notebook_starts_clean_as_a_participant_opening_it(project, tmp_path):
    # One worker, so the three notebooks run one after another in the same worker process.
    notebooks = copy_notebooks(tmp_path / "notebooks", LEAVES_STATE, READS_OTHERS, CHECKS_CLEAN)
    result = build_cohort(["alderbank"], options(notebooks, tmp_path / "build", workers=1))
    records = by_job(result)

    assert records[("alderbank", LEAVES_STATE)].status == "built"
    reads = records[("alderbank", READS_OTHERS)]
    assert reads.status == "failed"
    assert (reads.error_name, reads.failed_cell_index) == ("NameError", 3)
    assert "left_behind" in reads.error_message
    checks = records[("alderbank", CHECKS_CLEAN)]
    assert checks.status == "built", checks.error_message
    assert "Started clean for alderbank" in stream_text(result.build_root / checks.output)


# --- the data, read once per build ---------------------------------------------------------------


@pytest.mark.slow
def test_notebooks_get_the_builds_data_and_it_matches_a_fresh_load(project, tmp_path):
    notebooks = copy_notebooks(tmp_path / "notebooks", REPORTS_DATA)
    result = build_cohort(CITIES, options(notebooks, tmp_path / "build"))
    assert result.ok, [r.message() for r in result.failures]
    for city_id in CITIES:
        reported = json.loads(stream_text(result.build_root / city_id / REPORTS_DATA))
        assert reported["from_build_cache"] is True
        # What a participant gets later, with no build around: the same rows, the same account.
        fresh = load_city_data(city_id)
        aside = fresh.account.set_aside_rows()
        assert reported["rows_read"] == fresh.account.rows_read
        assert reported["rows_kept"] == fresh.account.rows_kept
        assert reported["set_aside"] == [
            [int(row), reason] for row, reason in zip(aside["source_row"], aside["reason"],
                                                      strict=True)]
        assert reported["quality"] == fresh.quality.lines()
        assert reported["kept_ids"] == sorted(fresh.requests["service_request_id"].tolist())
    # Counted by hand from the fixture exports: 14 rows, 10 set aside; 6 rows, 2 set aside.
    assert json.loads(stream_text(result.build_root / "alderbank" / REPORTS_DATA))[
        "rows_read"] == 14
    assert len(json.loads(stream_text(result.build_root / "brookfield" / REPORTS_DATA))[
        "set_aside"]) == 2
    assert not (result.build_root / ".cda-build").exists()  # the cache went with the build


def test_the_data_cache_holds_the_table_and_every_set_aside_row(project, tmp_path, monkeypatch):
    city = load_city("alderbank")
    fresh = load_city_data(city)
    write_data_cache(city, tmp_path / "cache")
    monkeypatch.setenv(DATA_CACHE_VARIABLE, str(tmp_path / "cache"))

    cached = read_data_cache(city)

    assert cached is not None
    assert cached.requests.equals(fresh.requests)
    assert cached.account.set_aside_rows().equals(fresh.account.set_aside_rows())
    assert cached.account.summary_lines() == fresh.account.summary_lines()
    assert cached.quality.table.equals(fresh.quality.table)
    assert load_city_data(city).account.rows_set_aside == 10  # load_city_data uses it


def test_the_data_cache_is_ignored_once_the_city_file_or_data_change(project, tmp_path,
                                                                      monkeypatch):
    city = load_city("alderbank")
    write_data_cache(city, tmp_path / "cache")
    monkeypatch.setenv(DATA_CACHE_VARIABLE, str(tmp_path / "cache"))
    export = project / "datasets" / "data" / "alderbank.csv"
    export.write_text(export.read_text() + export.read_text().splitlines()[1] + "\n")

    assert read_data_cache(load_city("alderbank")) is None
    assert load_city_data("alderbank").account.rows_read == 15  # read afresh


def test_without_the_variable_there_is_no_cache(project, monkeypatch):
    monkeypatch.delenv(DATA_CACHE_VARIABLE, raising=False)
    assert read_data_cache(load_city("alderbank")) is None


# --- planning ---------------------------------------------------------------------------------


def test_two_jobs_writing_the_same_output_are_refused_before_anything_runs(project, tmp_path):
    copy_notebooks(tmp_path / "notebooks", PRINTS_CITY)
    source = TeachingModules(tmp_path / "notebooks")

    def duplicate(city):
        return [Job(city.id, NOTEBOOKS / RAISES, PRINTS_CITY)]

    with pytest.raises(BuildError, match="Two notebooks would both be built into"):
        plan_jobs([load_city("alderbank")], [source, duplicate])


@pytest.mark.slow
def test_a_job_can_transform_its_source_and_skip_execution(project, tmp_path):
    # The extension point the exercise copies use: transform the source, then (optionally)
    # execute it. Here a transform from this test module drops the cells after the first
    # code cell, and the job only gives the notebook its parameters.
    def source(city):
        return [Job(city.id, NOTEBOOKS / RAISES, "copies/01_participant.ipynb",
                    transform=f"{__name__}:first_cells_only", execute=False,
                    kind="participant copy")]

    result = build_cohort(["alderbank"], options(tmp_path, tmp_path / "build",
                                                 sources=[source]))
    record = result.records[0]
    assert record.status == "built" and record.kind == "participant copy"
    made = nbformat.read(result.build_root / record.output, as_version=4)
    assert [c.source for c in made.cells if c.cell_type == "code"] == [
        'city = "nowhere"', '# Parameters\ncity = "alderbank"\nlanguage = "en"\n']
    assert all(not c.get("outputs") for c in made.cells if c.cell_type == "code")


@pytest.mark.slow
def test_a_worker_that_dies_fails_its_job_and_is_replaced(project, tmp_path):
    def source(city):  # the middle job's transform ends the worker process running it
        return [Job(city.id, NOTEBOOKS / PRINTS_CITY, PRINTS_CITY),
                Job(city.id, NOTEBOOKS / RAISES, "01_fixture_basics/02_ends_its_worker.ipynb",
                    transform=f"{__name__}:end_the_worker"),
                Job(city.id, NOTEBOOKS / EXPECTED_ERROR, EXPECTED_ERROR)]

    result = build_cohort(["alderbank"], options(tmp_path, tmp_path / "build",
                                                 sources=[source], workers=1))

    statuses = [(r.notebook, r.status, r.error_name) for r in result.records]
    assert statuses == [(PRINTS_CITY, "built", ""),
                        ("01_fixture_basics/02_ends_its_worker.ipynb", "failed",
                         "BuildWorkerError"),
                        (EXPECTED_ERROR, "built", "")]
    assert "stopped unexpectedly" in result.records[1].error_message
    run_folder = result.build_root / ".cda-build"
    assert [p.name for p in run_folder.iterdir()] == ["logs"]  # kept for diagnosis, no data


def end_the_worker(nb, city):
    """A transform for the test above: the worker process ends, as in a crash."""
    os._exit(9)


def first_cells_only(nb, city):
    """A transform for the test above: keep the title and the parameters cell."""
    nb.cells = nb.cells[:2]
    nb.metadata["transformed_for"] = city.id
    return nb


# --- an interrupted `cda build`, run again -------------------------------------------------------


def processes_inside(folder: Path) -> list[int]:
    """Processes (kernels) whose working folder is inside ``folder``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue
        if cwd.startswith(str(folder)):
            found.append(int(entry.name))
    return found


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def built_statuses(build_root: Path) -> dict[tuple[str, str], str]:
    try:
        manifest = json.loads((build_root / MANIFEST_JSON).read_text())
    except (OSError, json.JSONDecodeError):
        return {}
    return {(j["city"], j["notebook"]): j["status"] for j in manifest["jobs"]}


def _default_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("stop", ["ctrl-c", "kill"])
def test_an_interrupted_build_keeps_what_it_finished_and_a_rerun_completes_it(
        project, tmp_path, stop):
    copy_notebooks(project / "notebooks", PRINTS_CITY, PAUSES)  # the project's own notebooks
    build_root = tmp_path / "build"
    environment = {**os.environ, paths.PROJECT_DIR_VARIABLE: str(project),
                   "CDA_BUILD_DIR": str(build_root), "CDA_FIXTURE_PAUSE": "120"}
    command = [sys.executable, "-m", "cda_lib.cli", "build", *CITIES, "--jobs", "2",
               "--site-city", "alderbank"]
    # A shell's background job ignores Ctrl-C and its children inherit that (as a suite run
    # with `make test &` does): the build gets the default, as from a terminal.
    build = subprocess.Popen(command, env=environment, start_new_session=True,
                             preexec_fn=_default_ctrl_c,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        finished_first = wait_for(lambda: all(
            built_statuses(build_root).get((city, PRINTS_CITY)) == "built" for city in CITIES),
            120)
        assert finished_first, "the quick notebooks never finished"
        assert wait_for(lambda: processes_inside(build_root / "alderbank"), 30)  # pausing
        if stop == "ctrl-c":  # the terminal sends SIGINT to every process of the build
            os.killpg(build.pid, signal.SIGINT)
        else:
            build.send_signal(signal.SIGTERM)
        output, _ = build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)

    assert build.returncode == 130, output
    assert "run the same command again" in output
    statuses = built_statuses(build_root)
    for city in CITIES:
        assert statuses[(city, PRINTS_CITY)] == "built"
        assert statuses[(city, PAUSES)] == "interrupted"
        assert (build_root / city / PRINTS_CITY).exists()
        assert not (build_root / city / PAUSES).exists()
        assert not (build_root / city / PAUSES).with_suffix(".html").exists()
    assert hidden_files(build_root) == []  # no scratch file, no staging, no data cache
    assert wait_for(lambda: not processes_inside(build_root), 10), "a kernel was left running"
    kept = modified_times(build_root)
    first_manifest = json.loads((build_root / MANIFEST_JSON).read_text())

    environment.pop("CDA_FIXTURE_PAUSE")
    rerun = subprocess.run(command, env=environment, capture_output=True, text=True,
                           timeout=300)

    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    statuses = built_statuses(build_root)
    manifest = json.loads((build_root / MANIFEST_JSON).read_text())
    # Finished work is not redone, unless cda_lib's code changed between the two runs (as
    # while someone edits it): then everything it made is rebuilt, as it should be.
    unchanged = manifest["cda_lib"] == first_manifest["cda_lib"]
    for city in CITIES:
        assert statuses[(city, PRINTS_CITY)] == ("up-to-date" if unchanged else "built")
        assert statuses[(city, PAUSES)] == "built"
        assert f"Paused 0 s for {city}" in stream_text(build_root / city / PAUSES)
    if unchanged:
        assert {k: v for k, v in modified_times(build_root).items() if k in kept} == kept
    for page in ("index.html", "cohort.html", "site/index.html"):
        assert (build_root / page).exists(), page
    assert hidden_files(build_root) == []


# --- city files given by path, broken city files --------------------------------------------


@pytest.mark.slow
def test_cities_given_by_path_build_and_a_broken_one_fails_alone(project, tmp_path,
                                                                  monkeypatch):
    monkeypatch.delenv(paths.CITY_FILES_VARIABLE, raising=False)
    own = tmp_path / "coach"  # outside the project: found by its path only
    shutil.copytree(project / "datasets" / "cities", own / "cities")
    shutil.copytree(project / "datasets" / "data", own / "data")
    shutil.rmtree(project / "datasets" / "cities")
    (project / "datasets" / "cities").mkdir()
    broken = own / "cities" / "cedarton.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("population: 30000",
                                                                 "population: -3"))
    notebooks = copy_notebooks(tmp_path / "notebooks", REPORTS_DATA)
    result = build_cohort([own / "cities" / "alderbank.yaml", broken],
                          options(notebooks, tmp_path / "build"))
    records = by_job(result)
    assert records[("alderbank", REPORTS_DATA)].status == "built"
    reported = json.loads(stream_text(result.build_root / "alderbank" / REPORTS_DATA))
    assert (reported["rows_read"], reported["rows_kept"]) == (14, 4)  # counted by hand
    city_file = records[("cedarton", "(city file)")]
    assert city_file.status == "failed" and "`population`" in city_file.error_message
    assert result.exit_code == 1 and result.city_names["cedarton"] == "cedarton"
    assert "cedarton" in summary_table(result.records, result.city_names)
