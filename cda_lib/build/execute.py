"""Run every teaching notebook for one city with papermill, and export each to HTML.

``build_city("riverbend")`` writes ``build/riverbend/<theme>/<NN_name>.ipynb`` (the
executed notebook) and ``.html`` (its offline page) for every teaching notebook.
Each notebook runs in a fresh kernel, as a participant would open it; what can be
shared cheaply is shared (the HTML exporter, the kernels' socket folder). Outputs are written to
a temporary file and moved into place only on success, so a failed run never
destroys an earlier good build; the partly run notebook is kept beside it as
``<NN_name>.failed.ipynb`` for diagnosis.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import papermill
from papermill.exceptions import PapermillExecutionError
from traitlets.config import Config

from cda_lib import cities, paths
from cda_lib.build.html import export_html
from cda_lib.build.notebooks import (
    PARAMETERS_TAG,
    check_parameters,
    display_name,
    find_notebooks,
    notebook_title,
    read_notebook,
)
from cda_lib.cities import City
from cda_lib.errors import BuildError
from cda_lib.files import scratch_path, write_text_atomically

FAILED_SUFFIX = ".failed.ipynb"  # the partly run notebook of a failed run
INJECTED_CELL_TAG = "injected-parameters"  # papermill's tag for the cell it adds
ERROR_MARKER_TAG = "papermill-error-cell-tag"  # papermill's tag for its error banners
EXPECTED_ERROR_TAG = "raises-exception"  # nbclient's and nbval's tag: "fails on purpose"
# Kernels talk over local IPC sockets where the platform has them: it avoids the
# kernel's "running over TCP without encryption" warning for every notebook.
USE_IPC_TRANSPORT = os.name == "posix"


@dataclass(frozen=True)
class NotebookResult:
    """How one notebook's run went, and where its outputs are."""

    notebook: Path
    output_path: Path
    html_path: Path
    duration_seconds: float
    ok: bool
    error: str = ""
    failed_path: Path | None = None

    @property
    def name(self) -> str:
        """Theme folder and file name, e.g. ``00_welcome/01_intro.ipynb``."""
        return display_name(self.notebook)


@dataclass
class CityBuild:
    """The outcome of building every notebook for one city."""

    city: City
    output_dir: Path
    results: list[NotebookResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every notebook ran and was exported."""
        return all(result.ok for result in self.results)

    @property
    def failures(self) -> list[NotebookResult]:
        return [result for result in self.results if not result.ok]

    @property
    def duration_seconds(self) -> float:
        return sum(result.duration_seconds for result in self.results)

    def raise_for_failures(self) -> None:
        """Raise :class:`BuildError` naming every failed notebook, if any failed."""
        if self.ok:
            return
        details = " ".join(result.error for result in self.failures)
        raise BuildError(
            f"{len(self.failures)} of {len(self.results)} notebooks failed for "
            f"{self.city.name}. {details}"
        )


def build_city(
    city_id: str,
    *,
    notebooks_root: Path | None = None,
    build_root: Path | None = None,
    kernel_name: str = "python3",
    timeout: int = 600,
    prepare: Callable[[City], object] | None = None,
) -> CityBuild:
    """Execute every teaching notebook for one city and export each to offline HTML.

    Steps: load the city file (an unknown city raises ``UnknownCityError``);
    check that every notebook declares the parameters to inject (``{"city": id}``),
    before running any; call ``prepare(city)`` if given (for example to generate
    the city's data once); then run each notebook in a fresh kernel into
    ``<build_root>/<city>/<theme>/<name>.ipynb`` with its ``.html`` beside it.
    A notebook that fails becomes a failed result; the others still run.
    ``timeout`` is the longest one cell may run, in seconds.
    """
    city = cities.load_city(city_id)
    notebooks = find_notebooks(notebooks_root)
    if not notebooks:
        root = notebooks_root if notebooks_root is not None else paths.notebooks_dir()
        raise BuildError(
            f"There are no teaching notebooks in {root}. "
            "Notebooks go in numbered theme folders, e.g. 00_welcome/01_intro.ipynb."
        )
    parameters = {"city": city.id}
    for notebook in notebooks:
        check_parameters(notebook, parameters)
    if prepare is not None:
        prepare(city)

    build_root = Path(build_root) if build_root is not None else paths.build_dir()
    output_dir = build_root.resolve() / city.id
    build = CityBuild(city=city, output_dir=output_dir)
    with _kernel_config() as config:
        for notebook in notebooks:
            build.results.append(
                _build_notebook(
                    notebook,
                    city,
                    output_dir / notebook.parent.name,
                    parameters=parameters,
                    kernel_name=kernel_name,
                    timeout=timeout,
                    config=config,
                )
            )
    return build


@contextlib.contextmanager
def _kernel_config() -> Iterator[Config]:
    """Kernel settings shared by every notebook of a build (one socket folder for all)."""
    config = Config()
    if not USE_IPC_TRANSPORT:
        yield config
        return
    with tempfile.TemporaryDirectory(prefix="cda-kernels-") as sockets:
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = str(Path(sockets) / "kernel")
        yield config


def _build_notebook(
    notebook: Path,
    city: City,
    folder: Path,
    *,
    parameters: dict[str, str],
    kernel_name: str,
    timeout: int,
    config: Config,
) -> NotebookResult:
    folder.mkdir(parents=True, exist_ok=True)
    output_path = folder / notebook.name
    html_path = output_path.with_suffix(".html")
    failed_path = folder / (notebook.stem + FAILED_SUFFIX)
    started = time.perf_counter()
    scratch = scratch_path(output_path)

    def result(ok: bool, error: str = "", kept: Path | None = None) -> NotebookResult:
        return NotebookResult(
            notebook=notebook,
            output_path=output_path,
            html_path=html_path,
            duration_seconds=time.perf_counter() - started,
            ok=ok,
            error=error,
            failed_path=kept,
        )

    try:
        try:
            executed = papermill.execute_notebook(
                str(notebook),
                str(scratch),
                parameters=parameters,
                kernel_name=kernel_name,
                cwd=str(folder),
                progress_bar=False,
                execution_timeout=timeout,
                config=config,
            )
        except PapermillExecutionError:
            executed = _without_error_markers(nbformat.read(scratch, as_version=4))
            unexpected = _first_unexpected_error(executed)
            if unexpected is not None:
                kept = _keep_failed(scratch, failed_path)
                return result(False, _failure_message(city, notebook, *unexpected, kept), kept)
            # Only cells tagged as failing on purpose failed: the run is a success.
            nbformat.write(executed, scratch)
        except Exception as error:  # a timeout, a kernel that died or would not start
            kept = _keep_failed(scratch, failed_path)
            message = (
                f"{city.name}: {display_name(notebook)} could not finish "
                f"({_error_text(type(error).__name__, error)})."
            )
            if kept is not None:
                message += f" The partly run notebook is kept at {kept}."
            return result(False, message, kept)

        try:
            title = f"{notebook_title(executed)} · {city.name}"
            page = export_html(executed, title, language=city.language, images_dir=notebook.parent)
        except Exception as error:  # nbconvert can fail on an unusual output
            return result(
                False,
                f"{city.name}: {display_name(notebook)} ran, but its HTML page could not be "
                f"made ({_error_text(type(error).__name__, error)}).",
            )
        write_text_atomically(html_path, page)
        os.replace(scratch, output_path)
        failed_path.unlink(missing_ok=True)  # an earlier failure is now fixed
        return result(True)
    finally:
        scratch.unlink(missing_ok=True)


def _without_error_markers(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop the banner cells papermill adds to a notebook that had an error."""
    nb.cells = [cell for cell in nb.cells if ERROR_MARKER_TAG not in _tags(cell)]
    return nb


def _first_unexpected_error(nb: nbformat.NotebookNode) -> tuple[int, str, str] | None:
    """The first error not meant by the author, as (executed cell index, error name, message).

    Papermill fails a run on any error output, even in a cell tagged
    ``raises-exception`` (a cell that shows an error on purpose, as in a lesson on
    reading error messages), which nbclient and nbval accept. ``sys.exit(0)`` is
    not an error, as in papermill.
    """
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or EXPECTED_ERROR_TAG in _tags(cell):
            continue
        for output in cell.get("outputs", []):
            if output.output_type != "error":
                continue
            if output.ename == "SystemExit" and output.evalue in ("", "0"):
                continue
            return index, output.ename, output.evalue
        if cell.get("metadata", {}).get("papermill", {}).get("exception") is True:
            return index, "CellExecutionError", "the cell stopped without an error message"
    return None


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _keep_failed(scratch: Path, failed_path: Path) -> Path | None:
    """Move the partly run notebook beside the outputs; None if nothing was written."""
    if not scratch.exists() or scratch.stat().st_size == 0:
        return None
    os.replace(scratch, failed_path)
    return failed_path


def _source_cell_index(notebook: Path, executed_index: int) -> int:
    """Turn a cell index of the executed notebook into the same cell's index in the source.

    Papermill adds an ``injected-parameters`` cell right after the ``parameters``
    cell, so later cells sit one place further down than in the notebook the
    author wrote (unless the source already holds such a cell, which is replaced).
    """
    cells = read_notebook(notebook).cells
    tags = [_tags(cell) for cell in cells]
    if any(INJECTED_CELL_TAG in cell_tags for cell_tags in tags):
        return executed_index
    parameters_index = next(i for i, cell_tags in enumerate(tags) if PARAMETERS_TAG in cell_tags)
    injected_index = parameters_index + 1
    if executed_index == injected_index:  # the injected values themselves failed
        return parameters_index
    return executed_index - 1 if executed_index > injected_index else executed_index


def _failure_message(
    city: City, notebook: Path, executed_index: int, ename: str, evalue: str, kept: Path | None
) -> str:
    cell_index = _source_cell_index(notebook, executed_index)
    message = (
        f"{city.name}: {display_name(notebook)} stopped at cell {cell_index + 1} "
        f"(index {cell_index}) with {_error_text(ename, evalue)}."
    )
    if kept is not None:
        message += f" The partly run notebook is kept at {kept}; open it to see the full error."
    return message


def _error_text(name: str, message: object) -> str:
    """``ValueError: the first line of its message`` (no trailing full stop)."""
    lines = str(message).strip().splitlines()
    first = lines[0].rstrip(". ") if lines else ""
    return f"{name}: {first}" if first else name
