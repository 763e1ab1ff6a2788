"""The coach's progress report: journals and saved notebooks from several cities, as CSV and an
offline HTML page; missing and damaged files are reported, never fatal."""

from __future__ import annotations

import csv

import nbformat
import pytest
from exercise_fixtures import hand_counted_data

from cda_lib.exercises import Exercises
from cda_lib.exercises.authoring import COPY_METADATA
from cda_lib.exercises.catalog import all_exercises
from cda_lib.exercises.journal import Journal
from cda_lib.exercises.progress import read_progress, write_progress_report


@pytest.fixture(scope="module")
def data():
    return hand_counted_data()


def workspace(root, city):
    return root / city / "workspace" / "exercises"


def saved_notebook(path, outputs_of, copy="participant"):
    """A notebook as a participant saves it: each cell's outputs as Jupyter stored them."""
    cells = []
    for shown in outputs_of:
        cell = nbformat.v4.new_code_cell("exercises.check(...)")
        bundle = shown._repr_mimebundle_()
        cell.outputs = [nbformat.v4.new_output("display_data", data=bundle)]
        cells.append(cell)
    notebook = nbformat.v4.new_notebook(cells=cells, metadata={
        COPY_METADATA: {"copy": copy, "source": "00_welcome/01_your_city_in_numbers.ipynb"}})
    nbformat.write(notebook, path)
    return path


@pytest.fixture
def folders(tmp_path, data):
    build = tmp_path / "build"
    ana = Exercises(data, participant="Ana Ruíz", folder=workspace(build, "hand_counted_city"))
    ana.check("0.1", 72)  # whole period
    ana.check("0.1", 30)  # first 12 months
    ana.check("0.1", 42)  # right
    ana.hint("0.10")
    ana.hint("0.10")
    ana.check("0.10", 9.5)  # mean instead of median
    ana.check("0.8", "I would ask <b>South</b>'s council office.")
    bo = Exercises(data, participant="Bo", folder=workspace(build, "hand_counted_city"))
    bo.check("0.10", 9.5)  # mean instead of median, too
    caro = Journal.for_participant(workspace(build, "villa-serena"), city="villa-serena",
                                   participant="Caro")
    caro.add({"exercise": "0.3", "event": "attempt", "status": "correct", "mistake": "",
              "answer": "D"})
    (build / "hand_counted_city" / "workspace" / "records.json").write_text("{}")  # not a journal
    (workspace(build, "hand_counted_city") / "dan.json").write_text("{ half a fi")
    (workspace(build, "hand_counted_city") / "eve.damaged-20261122-100000.json").write_text("{")

    collected = tmp_path / "collected"
    collected.mkdir()
    # Ana also sent her notebook: its last check on 0.4 was right (her journal lacks it, as
    # if she had answered on another computer), and it repeats the right answer to 0.1.
    checker = Exercises(data, participant="Ana Ruíz", record=False)
    saved_notebook(collected / "ana.ipynb", [checker.check("0.1", 42),
                                              checker.check("0.4", {"Pothole repair": 20}),
                                              checker.hint("0.4")])
    saved_notebook(collected / "fay.ipynb", [])  # a participant copy never run
    saved_notebook(collected / "coach.ipynb", [checker.check("0.1", 42)], copy="coach")
    nbformat.write(nbformat.v4.new_notebook(), collected / "unrelated.ipynb")
    (collected / "broken.ipynb").write_text("not a notebook")
    return [build, collected, tmp_path / "no-such-folder"]


def test_progress_per_person_and_exercise(folders):
    report = read_progress(folders)
    table = report.table.set_index(["participant", "exercise"])
    assert table.loc[("Ana Ruíz", "0.1"), ["status", "tries", "hints"]].tolist() == \
        ["done", 3, 0]  # three tries in her journal (the notebook's one is among them)
    assert table.loc[("Ana Ruíz", "0.1"), "mistakes"] == {"whole period": 1,
                                                          "first 12 months": 1}
    assert table.loc[("Ana Ruíz", "0.4"), ["status", "tries", "hints"]].tolist() == \
        ["tried", 1, 1]  # from her notebook: a wrong table, and one hint
    assert table.loc[("Ana Ruíz", "0.10"), ["status", "tries", "hints"]].tolist() == \
        ["tried", 1, 2]
    assert table.loc[("Ana Ruíz", "0.8"), "status"] == "done"
    assert table.loc[("Ana Ruíz", "0.8"), "reflection"] == \
        "I would ask <b>South</b>'s council office."
    assert table.loc[("Ana Ruíz", "0.2"), "status"] == "not started"
    assert table.loc[("Caro", "0.3"), "status"] == "done"
    assert sorted(map(tuple, report.participants.to_numpy())) == [
        ("hand_counted_city", "Ana Ruíz"), ("hand_counted_city", "Bo"), ("villa-serena", "Caro")]
    assert (report.journals, report.notebooks) == (3, 1)


def test_missing_and_damaged_files_are_reported_not_fatal(folders):
    problems = "\n".join(read_progress(folders).problems)
    assert "dan.json: damaged (not readable JSON); skipped." in problems
    assert "eve.damaged-20261122-100000.json: a damaged journal the workbook set aside" in problems
    assert "broken.ipynb: not a readable notebook" in problems
    assert "fay.ipynb: a participant's copy with no checked answers saved in it" in problems
    assert "no-such-folder: there is no such folder or file; it was skipped." in problems
    assert "records.json" not in problems and "unrelated.ipynb" not in problems
    assert "coach.ipynb" not in problems


def test_the_report_is_written_as_csv_and_an_offline_page(folders, tmp_path):
    report = write_progress_report(folders, tmp_path / "out")
    with report.csv_path.open(encoding="utf-8") as handle:
        rows = {row["participant"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {"Ana Ruíz", "Bo", "Caro"}
    ana = rows["Ana Ruíz"]
    # done: 0.1 and 0.8; tried: 0.4 and 0.10; every other exercise of the catalog not started
    not_started = str(len(all_exercises()) - 4)
    assert (ana["done"], ana["tried"], ana["not started"], ana["hints used"]) == \
        ("2", "2", not_started, "3")
    assert (ana["0.1 status"], ana["0.1 tries"], ana["0.10 hints"]) == ("done", "3", "2")
    assert ana["0.8 reflection"] == "I would ask <b>South</b>'s council office."
    page = report.html_path.read_text(encoding="utf-8")
    assert "&lt;b&gt;South&lt;/b&gt;" in page and "<b>South</b>" not in page
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "mean instead of median (2)" in page  # Ana and Bo, on exercise 0.10
    assert "Files that could not be used" in page
    lines = report.summary_lines()
    assert lines[0] == ("Read 3 journals and 1 saved notebook: 3 participants in 2 cities "
                        "(hand_counted_city, villa-serena).")
    assert lines[1] == f"Wrote {report.csv_path} and {report.html_path}."
    assert lines[2] == "5 files could not be used:"


def test_an_empty_folder_still_gives_a_report(tmp_path):
    (tmp_path / "empty").mkdir()
    report = write_progress_report([tmp_path / "empty"], tmp_path / "out")
    assert report.table.empty and not report.problems
    assert "No exercise records were found" in report.html_path.read_text(encoding="utf-8")
    assert report.summary_lines()[0] == ("Read 0 journals and 0 saved notebooks: 0 participants "
                                         "in 0 cities.")
