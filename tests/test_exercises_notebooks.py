"""The real exercise notebooks, run as the build runs them: the participant copy runs top to
bottom without error and says "not started" everywhere; the coach copy's solutions pass."""

from __future__ import annotations

import papermill
import pytest

from cda_lib.exercises.authoring import coach_copy, find_exercise_notebooks, participant_copy
from cda_lib.exercises.feedback import CORRECT, FEEDBACK_MIME, NOT_STARTED

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
NOTEBOOKS = find_exercise_notebooks()


def run(notebook, city: str, folder) -> list:
    executed = papermill.execute_notebook(notebook, str(folder / "run.ipynb"),
                                          parameters={"city": city}, kernel_name="python3",
                                          progress_bar=False, cwd=str(folder))
    return [output for cell in executed.cells for output in cell.get("outputs", [])]


def feedback_records(outputs) -> dict[str, str]:
    return {o["data"][FEEDBACK_MIME]["exercise_id"]: o["data"][FEEDBACK_MIME]["status"]
            for o in outputs if FEEDBACK_MIME in o.get("data", {})}


@pytest.fixture
def build_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CDA_BUILD_DIR", str(tmp_path / "build"))  # the kernel inherits it
    return tmp_path / "build"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_participant_copy_runs_and_every_check_is_not_started(path, tmp_path, build_dir):
    outputs = run(participant_copy(path), "riverbend", tmp_path)
    assert not [o for o in outputs if o["output_type"] == "error"]
    checks = feedback_records(outputs)
    assert checks and set(checks.values()) == {NOT_STARTED}
    assert sum(WIDGET_VIEW in o.get("data", {}) for o in outputs) >= 4  # the no-code exercises
    assert not build_dir.exists(), "nothing attempted, so nothing recorded"


@pytest.mark.slow
@pytest.mark.parametrize("city", ["riverbend", "villa-serena"])
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_coach_copy_runs_and_every_solution_passes(path, city, tmp_path, build_dir):
    outputs = run(coach_copy(path), city, tmp_path)
    assert not [o for o in outputs if o["output_type"] == "error"]
    checks = feedback_records(outputs)
    assert checks and set(checks.values()) == {CORRECT}, checks
    shown = "".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "expected answer for" in shown  # the coach sees the widget exercises' answers
    assert not build_dir.exists(), "the coach copy records nothing"
