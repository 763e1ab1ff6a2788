"""Committed notebooks: clean of outputs, shaped like the house style, tags from a closed list."""

from __future__ import annotations

import re
import subprocess

import nbformat
import pytest

from cda_lib.core import paths
from cda_lib.exercises.authoring import ALLOWED_TAGS  # the closed list of cell tags, in one place

NUMBERED = re.compile(r"^\d\d_[a-z0-9_]+\.ipynb$")


def committed_notebooks() -> list:
    listed = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=paths.project_dir(),
                            capture_output=True, text=True, check=True).stdout.split()
    on_disk = sorted(paths.project_dir().glob("notebooks/**/*.ipynb")) + sorted(
        paths.project_dir().glob("exercises/**/*.ipynb"))
    names = {str(p.relative_to(paths.project_dir())) for p in on_disk} | set(listed)
    return sorted(n for n in names if ".ipynb_checkpoints" not in n)


def teaching_notebooks() -> list:
    return [n for n in committed_notebooks() if n.startswith("notebooks/")]


def read(name):
    return nbformat.read(paths.project_dir() / name, as_version=4)


@pytest.mark.parametrize("name", committed_notebooks())
def test_committed_notebooks_carry_no_outputs(name):
    for index, cell in enumerate(read(name).cells):
        if cell.cell_type == "code":
            assert not cell.outputs, f"{name} cell {index} has outputs: clear them first"
            assert cell.execution_count is None, f"{name} cell {index} has an execution count"


@pytest.mark.parametrize("name", committed_notebooks())
def test_cell_tags_come_from_the_closed_list(name):
    for index, cell in enumerate(read(name).cells):
        unknown = set(cell.metadata.get("tags", [])) - ALLOWED_TAGS
        assert not unknown, f"{name} cell {index} has unknown tags {unknown}"


@pytest.mark.parametrize("name", teaching_notebooks())
def test_teaching_notebooks_follow_the_house_shape(name):
    notebook = read(name)
    assert NUMBERED.match(name.rsplit("/", 1)[-1]), f"{name}: name it NN_words.ipynb"
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), \
        f"{name}: the first cell should be the title"
    assert "**Time:**" in first.source, f"{name}: say how long the page takes"
    parameters = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(parameters) == 1, f"{name}: needs exactly one cell tagged parameters"
    assert re.search(r'^city = "[a-z-]+"$', parameters[0].source, re.M)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    assert any("## Key points" in c.source for c in notebook.cells if c.cell_type == "markdown")
    assert any("coach-note" in c.metadata.get("tags", []) for c in notebook.cells)


def test_there_is_a_welcome_module():
    assert any(n.startswith("notebooks/00_welcome/") for n in teaching_notebooks())
