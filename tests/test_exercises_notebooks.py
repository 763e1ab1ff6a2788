"""The real exercise notebooks, as the build runs them (the session's demo build,
tests/demo_build.py): the participant copy runs top to bottom without error and says "not
started" everywhere; the coach copy's solutions pass; neither records anything."""

from __future__ import annotations

import nbformat
import pytest

from cda_lib.exercises.authoring import exercises_dir, find_exercise_notebooks
from cda_lib.exercises.feedback import CORRECT, FEEDBACK_MIME, NOT_STARTED

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# The coach copy shows each widget exercise's answer, in the city's language.
EXPECTED_ANSWER = {"riverbend": "expected answer for", "villa-serena": "respuesta esperada para"}
NOTEBOOKS = [path.relative_to(exercises_dir()).as_posix() for path in find_exercise_notebooks()]


def outputs_of(path) -> list:
    executed = nbformat.read(path, as_version=4)
    return [output for cell in executed.cells for output in cell.get("outputs", [])]


def feedback_records(outputs) -> dict[str, str]:
    return {o["data"][FEEDBACK_MIME]["exercise_id"]: o["data"][FEEDBACK_MIME]["status"]
            for o in outputs if FEEDBACK_MIME in o.get("data", {})}


def recorded_attempts(city_folder) -> list:
    """The participants' journals in a built city's workspace (one file per participant)."""
    return sorted((city_folder / "workspace" / "exercises").glob("*.json"))


@pytest.fixture(scope="module")
def built(demo_build):
    failed = [(r.city, r.notebook, r.error_message) for r in demo_build.result.failures]
    assert failed == []
    return demo_build


@pytest.mark.slow
@pytest.mark.parametrize("relative", NOTEBOOKS)
def test_the_participant_copy_runs_and_every_check_is_not_started(relative, built):
    outputs = outputs_of(built.city("riverbend") / "participant-run" / relative)
    assert not [o for o in outputs if o["output_type"] == "error"]
    checks = feedback_records(outputs)
    assert checks and set(checks.values()) == {NOT_STARTED}
    assert sum(WIDGET_VIEW in o.get("data", {}) for o in outputs) >= 4  # the no-code exercises
    assert recorded_attempts(built.city("riverbend")) == [], "nothing attempted or recorded"


@pytest.mark.slow
@pytest.mark.parametrize("city", ["riverbend", "villa-serena"])
@pytest.mark.parametrize("relative", NOTEBOOKS)
def test_the_coach_copy_runs_and_every_solution_passes(relative, city, built):
    outputs = outputs_of(built.city(city) / "coach" / relative)
    assert not [o for o in outputs if o["output_type"] == "error"]
    checks = feedback_records(outputs)
    assert checks and set(checks.values()) == {CORRECT}, checks
    shown = "".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    assert EXPECTED_ANSWER[city] in shown
    assert recorded_attempts(built.city(city)) == [], "the coach copy records nothing"
