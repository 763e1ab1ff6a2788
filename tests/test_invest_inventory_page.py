"""Page 2.2 and its exercise notebook as the house shapes them: the parameters papermill
sets, the sections the THEME entry declares (and only those), the coach notes tagged, the
records the page writes, and names from a catalog escaped on the page."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from inventory_fixtures import ENTRIES, inventory_data

from cda_lib.core.records import records_of
from cda_lib.themes import find_module
from cda_lib.themes.invest.inventory import city_inventory, inventory_of, inventory_table

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "notebooks" / "02_invest" / "02_data_inventory_and_quality.ipynb"
EXERCISES = ROOT / "exercises" / "02_invest" / "02_data_inventory_and_quality.ipynb"
SECTION = re.compile(r"^# section: (\S+)")


def _sections(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    return [SECTION.match(c.source).group(1) for c in notebook.cells
            if c.cell_type == "code" and SECTION.match(c.source)]


def test_the_module_is_registered_with_its_notebooks_and_records():
    module = find_module("2.2")
    assert module.notebook == "02_invest/02_data_inventory_and_quality.ipynb"
    assert module.exercises == "02_invest/02_data_inventory_and_quality.ipynb"
    assert set(module.writes) == {spec.key for spec in records_of("2.2")}


def test_the_page_sections_are_the_declared_ones_in_order():
    declared = [section.key for section in find_module("2.2").sections]
    assert list(dict.fromkeys(_sections(PAGE))) == declared == ["dimensions", "timeliness",
                                                                "bias"]


def test_the_parameters_and_coach_notes_are_tagged():
    for path in (PAGE, EXERCISES):
        notebook = nbformat.read(path, as_version=4)
        parameters = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(parameters) == 1 and 'city = "riverbend"' in parameters[0].source
        notes = [c for c in notebook.cells if c.source.startswith("**Coach note.**")]
        assert notes and all("coach-note" in c.metadata.get("tags", []) for c in notes)
        assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code")


def test_every_exercise_has_its_section_in_the_exercise_notebook():
    assert set(_sections(EXERCISES)) == {f"2.2.{n}" for n in range(1, 8)}


def test_a_hostile_dataset_name_is_escaped_on_the_page():
    import dataclasses

    hostile = dataclasses.replace(ENTRIES[0], title="<script>alert(1)</script>")
    inventory = inventory_of("Handcount", (hostile, *ENTRIES[1:]), inventory_data().as_of,
                             synthetic=True)
    html = inventory_table(inventory)._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_given_inventory_is_labelled_synthetic():
    assert city_inventory(inventory_data()).synthetic
