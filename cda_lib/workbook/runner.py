"""Run one job: transform, parameterize, execute with papermill, export, move into place.

Outputs are written to the build's staging folder and moved into place only when the
notebook ran and its page was made: the page first, then the notebook, which carries the
hash of the inputs it was made from (a rerun compares it, see :func:`is_up_to_date`). A
failed run leaves the earlier good output untouched and keeps the partly run notebook
beside it as ``<NN_name>.failed.ipynb`` for diagnosis.

Papermill parameterizes and executes through its engine registry. Before each run the
build registers :class:`BuildEngine` (:func:`register_engine`), papermill's nbclient engine
that also hands back the partly run notebook when a kernel dies or a cell runs past the
timeout (papermill only saves it by writing the notebook to disk before and after every
cell).
"""

from __future__ import annotations

import contextlib
import copy
import os
import time
import uuid
from pathlib import Path
from typing import Any

import nbformat
import papermill
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.engines import NBClientEngine, papermill_engines
from papermill.exceptions import PapermillExecutionError
from papermill.log import logger as papermill_logger
from papermill.utils import remove_args

from cda_lib import __version__
from cda_lib.cities import loader as cities
from cda_lib.text.translation import gettext as _, use_language
from cda_lib.workbook import kernels
from cda_lib.workbook.html import export_html
from cda_lib.workbook.jobs import Job, RunSettings, output_paths, resolve_transform
from cda_lib.workbook.manifest import BUILT, FAILED, JobRecord, now
from cda_lib.workbook.notebooks import (
    PARAMETERS_TAG,
    notebook_title,
    read_notebook,
    source_name,
    translate_cells,
)
from cda_lib.workbook.pointers import resolve_notebook_pointers
from cda_lib.workbook.skips import BUILD_METADATA, SKIPPED_FIELD, skipped_sections
from cda_lib.workbook.stalls import KernelStallError, WatchedNotebookClient

ENGINE_NAME = "cda-build"
PAGE_STAMP = "cda-build-inputs"  # the same hash, in a <meta> tag of the page
INJECTED_CELL_TAG = "injected-parameters"  # papermill's tag for the cell it adds
ERROR_MARKER_TAG = "papermill-error-cell-tag"  # papermill's tag for its error banners
EXPECTED_ERROR_TAG = "raises-exception"  # nbclient's and nbval's tag: "fails on purpose"
PAGE_HEAD_BYTES = 4096  # the stamp sits right after <head>: no need to read a whole page


class BuildEngine(NBClientEngine):
    """Papermill's nbclient engine, watched for stalls, keeping hold of the notebook as it runs.

    The notebook runs in a :class:`~cda_lib.workbook.stalls.WatchedNotebookClient`
    (papermill's client, which ends a run whose kernel has gone silent, see
    :mod:`.stalls`). ``holder`` (a dict passed through papermill's engine keyword
    arguments) receives the live notebook; when a kernel dies, stalls or a cell times out,
    the cell that was running is marked as failed, so the partly run notebook can be kept
    and the cell named.
    """

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None,
                                 **kwargs):
        holder = kwargs.pop("holder", {})
        holder["notebook"] = nb_man.nb
        # The arguments as papermill's own engine passes them to its client.
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        client = WatchedNotebookClient(
            nb_man, timeout=execution_timeout, startup_timeout=start_timeout,
            kernel_name=kernel_name, log=papermill_logger, log_output=log_output,
            stdout_file=stdout_file, stderr_file=stderr_file, **kwargs)
        try:
            return client.execute()
        except Exception as error:
            index = _last_started_cell(nb_man.nb)
            if index is not None:
                cell = nb_man.nb.cells[index]
                cell.metadata.papermill["exception"] = True
                cell.metadata.papermill["status"] = "failed"
            holder["failed_cell"] = index
            holder["error"] = stall = _as_stall(error, client.iopub_timeout)
            if stall is error:
                raise
            raise stall from error


def _as_stall(error: Exception, iopub_timeout: int) -> Exception:
    """nbclient's wait for a cell's output after its result is a stall too (that output
    follows the result within milliseconds): retried like one."""
    if isinstance(error, CellTimeoutError) and "IOPub" in str(error):
        return KernelStallError("the cell's output, after its result", iopub_timeout)
    return error


def register_engine() -> None:
    """Add :class:`BuildEngine` to papermill's registry, as each run does (registering the
    same name again replaces it), so that importing this module changes nothing."""
    papermill_engines.register(ENGINE_NAME, BuildEngine)


def _last_started_cell(nb: nbformat.NotebookNode) -> int | None:
    started = [i for i, cell in enumerate(nb.cells)
               if cell.get("metadata", {}).get("papermill", {}).get("start_time")]
    return started[-1] if started else None


def is_up_to_date(job: Job, inputs_hash: str, build_root: Path) -> bool:
    """True when the job's outputs exist and were made from exactly these inputs.

    An earlier failure of the same job is then out of date, and its partly run notebook
    is removed.
    """
    notebook, page, failed = output_paths(job, build_root)
    if _notebook_stamp(notebook) != inputs_hash:
        return False
    if job.export_html and _page_stamp(page) != inputs_hash:
        return False
    failed.unlink(missing_ok=True)
    return True


def _notebook_stamp(path: Path) -> str | None:
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # missing or damaged: not up to date
        return None
    return nb.metadata.get(BUILD_METADATA, {}).get("inputs")


def _page_stamp(path: Path) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(PAGE_HEAD_BYTES)
    except OSError:
        return None
    marker = f'<meta name="{PAGE_STAMP}" content="'
    start = head.find(marker)
    if start < 0:
        return None
    start += len(marker)
    return head[start:head.find('"', start)]


def run_job(job: Job, inputs_hash: str, settings: RunSettings) -> JobRecord:
    """Build one job's outputs; never raises for a notebook's own failure."""
    started, started_at = time.perf_counter(), now()
    build_root = Path(settings.build_root)
    notebook_path, page_path, failed_path = output_paths(job, build_root)
    city = cities.load_city(job.city_id)
    record = JobRecord(city=job.city_id, notebook=job.output, status=BUILT, kind=job.kind,
                       inputs_hash=inputs_hash, started_at=started_at, city_name=city.name)
    folder = notebook_path.parent
    folder.mkdir(parents=True, exist_ok=True)
    settings.staging_dir.mkdir(parents=True, exist_ok=True)
    scratch = settings.staging_dir / f"{uuid.uuid4().hex}.ipynb"
    scratch_page = scratch.with_suffix(".html")
    holder: dict[str, Any] = {}
    try:
        source = _source_notebook(job, city)
        executed = _run_retrying_a_stall(job, source, settings, folder, holder, record)
        executed = _without_error_markers(executed)
        unexpected = _first_unexpected_error(executed)
        if unexpected is not None:
            return _failed(record, job, source, executed, *unexpected, failed_path, build_root,
                           started, scratch)
        record.skipped_sections = skipped_sections(executed)
        _stamp(executed, inputs_hash, notebook_path, settings, source=job.source)
        executed.metadata[BUILD_METADATA][SKIPPED_FIELD] = record.skipped_sections
        with_notes = executed
        if job.kind == "module":  # coach notes go to the coach's page, not participants'
            executed = without_coach_notes(executed)
        nbformat.write(executed, scratch)
        if job.export_html:
            title = f"{notebook_title(executed)} · {city.name}"
            page = export_html(executed, title, language=job.language,
                               images_dir=Path(job.source).parent,
                               extra=index_link(page_path, build_root, job.language))
            scratch_page.write_text(_stamp_page(page, inputs_hash), encoding="utf-8")
            os.replace(scratch_page, page_path)
            if job.kind == "module":
                _write_coach_page(with_notes, title, job, build_root, inputs_hash)
        os.replace(scratch, notebook_path)  # last: the notebook's stamp commits the pair
        failed_path.unlink(missing_ok=True)  # an earlier failure is now fixed
        record.output = notebook_path.relative_to(build_root).as_posix()
        record.page = page_path.relative_to(build_root).as_posix() if job.export_html else None
        record.duration_seconds = time.perf_counter() - started
        return record
    except Exception as error:
        executed = holder.get("notebook")
        name, message = _describe(error, settings.timeout)
        return _failed(record, job, None, executed, holder.get("failed_cell"), name, message,
                       failed_path, build_root, started, scratch)
    finally:
        scratch.unlink(missing_ok=True)
        scratch_page.unlink(missing_ok=True)


def _source_notebook(job: Job, city: cities.City) -> nbformat.NotebookNode:
    """The notebook papermill starts from: the source file, or its transformed copy, with
    its markdown cells in the job's language."""
    notebook = read_notebook(job.source)
    if job.transform is not None:
        notebook = resolve_transform(job.transform)(notebook, city)
    translated = translate_cells(notebook, source_name(job.source), job.language)
    return fold_set_up_code(resolve_notebook_pointers(translated, job.output))


SET_UP_LINE = "%load_ext cda_lib"


def fold_set_up_code(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Collapse the code of the page's set-up cell (its imports and the data's loading):
    JupyterLab shows it folded, one click from open, and so does the page. A reader who
    does not code starts from what the cell shows, not from a block of imports."""
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.lstrip().startswith(SET_UP_LINE):
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
    return nb


def _run_retrying_a_stall(job: Job, source: nbformat.NotebookNode, settings: RunSettings,
                          folder: Path, holder: dict[str, Any],
                          record: JobRecord) -> nbformat.NotebookNode:
    """Run the notebook; if its kernel stalls, run it once more from the start, in a fresh
    kernel, noting why in ``record.retried``. A second stall ends the job."""
    try:
        return _run_papermill(job, source, settings, folder, holder)
    except KernelStallError as stall:
        record.retried = _first_line(stall)
    holder.clear()
    try:
        return _run_papermill(job, source, settings, folder, holder)
    except KernelStallError as again:
        holder["error"] = KernelStallError(f"{again.waited_for}, twice (the second time in "
                                           "a fresh kernel)", again.seconds, again.cell_index)
        raise holder["error"] from again


def _run_papermill(job: Job, source: nbformat.NotebookNode | str, settings: RunSettings,
                   folder: Path, holder: dict[str, Any]) -> nbformat.NotebookNode:
    if not job.execute:
        return papermill.execute_notebook(source, None, parameters=job.injected_parameters(),
                                          prepare_only=True, progress_bar=False,
                                          kernel_name=settings.kernel_name)
    register_engine()
    try:
        return papermill.execute_notebook(
            source, None, parameters=job.injected_parameters(), engine_name=ENGINE_NAME,
            kernel_name=settings.kernel_name, cwd=str(folder), progress_bar=False,
            request_save_on_cell_execute=False, holder=holder,
            stall_seconds=settings.stall_seconds,
            **kernels.engine_options(timeout=settings.timeout, sockets_dir=settings.sockets_dir),
        )
    except PapermillExecutionError:
        # Papermill fails a run on any error output, even in a cell tagged
        # raises-exception; the notebook (with papermill's banners) is in the holder.
        return holder["notebook"]


def _describe(error: Exception, timeout: int) -> tuple[str, str]:
    if isinstance(error, CellTimeoutError):
        return "CellTimeoutError", (f"the cell was still running after {timeout} s, the "
                                    "longest a cell may run (cda build --timeout)")
    if isinstance(error, KernelStallError):
        return "KernelStallError", str(error)
    if isinstance(error, DeadKernelError):
        return "DeadKernelError", ("the kernel (the Python process running the notebook) "
                                   "stopped while this cell ran")
    return type(error).__name__, _first_line(error)


def _failed(record: JobRecord, job: Job, source, executed, executed_index: int | None,
            name: str, message: str, failed_path: Path, build_root: Path,
            started: float, scratch: Path) -> JobRecord:
    record.status = FAILED
    record.error_name = name
    record.error_message = _first_line(message)
    if executed_index is not None:
        base = source if source is not None else _input_notebook(job)
        record.failed_cell_index = _source_cell_index(base, executed, executed_index)
    if executed is not None:
        with contextlib.suppress(Exception):  # keeping the evidence must not hide the error
            nbformat.write(executed, scratch)
            os.replace(scratch, failed_path)  # whole, like every other output
            record.failed_notebook = failed_path.relative_to(build_root).as_posix()
    record.duration_seconds = time.perf_counter() - started
    return record


def _input_notebook(job: Job) -> nbformat.NotebookNode | None:
    with contextlib.suppress(Exception):
        city = cities.load_city(job.city_id)
        return _source_notebook(job, city)
    return None


def _stamp(nb: nbformat.NotebookNode, inputs_hash: str, final_path: Path,
           settings: RunSettings, source: str | Path = "") -> None:
    nb.metadata[BUILD_METADATA] = {"inputs": inputs_hash, "cda_lib": __version__}
    info = nb.metadata.get("papermill")
    if isinstance(info, dict):
        info["output_path"] = str(final_path)  # not the staging file it was written to
        # papermill keeps a notebook it was handed as a whole copy (coach notes and all);
        # the file it came from says the same in one line
        if not isinstance(info.get("input_path"), str):
            info["input_path"] = str(source)


COACH_PAGES = "coach/pages"  # in build/<city>/: module pages with their coach notes


def coach_page_path(job: Job, build_root: Path) -> Path:
    """Where a module's page with its coach notes goes: ``<city>/coach/pages/...html``."""
    return (Path(build_root) / job.city_id / COACH_PAGES / job.output).with_suffix(".html")


def index_link(page: Path, build_root: Path, language: str) -> dict:
    """What a page's link back to the build's index needs: the relative path, and words.

    >>> index_link(Path("/b/riverbend/01_lead/02_x.html"), Path("/b"), "en")["index"]["href"]
    '../../index.html'
    """
    depth = len(Path(page).relative_to(build_root).parts) - 1
    with use_language(language):
        label = _("Every city and module")
        folded = _("The page's set-up code: what it imports and loads (open to read it)")
    return {"index": {"href": "../" * depth + "index.html", "label": label},
            "folded_code": folded}


def without_coach_notes(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without its cells tagged ``coach-note`` (participants' copy)."""
    kept = copy.deepcopy(nb)
    kept.cells = [cell for cell in kept.cells if "coach-note" not in _tags(cell)]
    return kept


def _write_coach_page(nb: nbformat.NotebookNode, title: str, job: Job, build_root: Path,
                      inputs_hash: str) -> None:
    path = coach_page_path(job, build_root)
    path.parent.mkdir(parents=True, exist_ok=True)
    page = export_html(nb, title, language=job.language, images_dir=Path(job.source).parent,
                       extra=index_link(path, build_root, job.language))
    scratch = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    try:
        scratch.write_text(_stamp_page(page, inputs_hash), encoding="utf-8")
        os.replace(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)


def _stamp_page(page: str, inputs_hash: str) -> str:
    return page.replace("<head>", f'<head>\n<meta name="{PAGE_STAMP}" content="{inputs_hash}">',
                        1)


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


def _source_cell_index(source, executed, executed_index: int) -> int:
    """Turn a cell index of the executed notebook into the same cell's index in the source.

    Papermill adds an ``injected-parameters`` cell right after the ``parameters``
    cell, so later cells sit one place further down than in the notebook the
    author wrote (unless the source already holds such a cell, which is replaced).
    """
    if isinstance(source, str):
        source = read_notebook(Path(source))
    if source is None:
        return executed_index
    tags = [_tags(cell) for cell in source.cells]
    if any(INJECTED_CELL_TAG in cell_tags for cell_tags in tags):
        return executed_index
    if not any(PARAMETERS_TAG in cell_tags for cell_tags in tags):
        injected = [i for i, cell in enumerate(executed.cells) if INJECTED_CELL_TAG in _tags(cell)]
        if injected and executed_index > injected[0]:  # papermill put it at the top
            return executed_index - 1
        return executed_index
    parameters_index = next(i for i, cell_tags in enumerate(tags) if PARAMETERS_TAG in cell_tags)
    injected_index = parameters_index + 1
    if executed_index == injected_index:  # the injected values themselves failed
        return parameters_index
    return executed_index - 1 if executed_index > injected_index else executed_index


def _first_line(message: object) -> str:
    lines = str(message).strip().splitlines()
    return lines[0].rstrip(". ") if lines else ""
