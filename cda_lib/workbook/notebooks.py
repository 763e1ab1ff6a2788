"""Find the teaching notebooks and read what each one declares.

Teaching notebooks live one folder per theme, numbered so that sort order is
reading order: ``notebooks/00_welcome/01_how_to_use_this_workbook.ipynb``.
Each declares its parameters in a code cell tagged ``parameters``; a build gives
it the city through that cell. Papermill only warns when that cell is missing or
when it is given a parameter the cell does not declare; here both are errors,
raised before anything runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import nbformat
import papermill

from cda_lib.core import paths
from cda_lib.core.errors import BuildError, NotebookParameterError, did_you_mean, list_choices

# "NN_name": two digits first, so that sorting by name gives reading order.
NUMBERED_NAME = re.compile(r"^(\d{2})_([A-Za-z0-9][A-Za-z0-9_-]*)$")
PARAMETERS_TAG = "parameters"  # the tag papermill looks for
# Folders editors and tools leave beside notebooks; never teaching material.
IGNORED_FOLDERS = (".ipynb_checkpoints", "__pycache__")
FIRST_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def find_notebooks(root: Path | None = None) -> list[Path]:
    """Every teaching notebook under ``root``, in reading order (theme, then number).

    A notebook must sit in a numbered theme folder and carry a numbered name
    (``00_welcome/01_intro.ipynb``). Anything else (``Untitled.ipynb``, a notebook
    at the top, a ``_v1`` copy in a sub-folder) is a mistake to fix, not to skip.
    """
    root = Path(root).resolve() if root is not None else paths.notebooks_dir()
    if not root.is_dir():
        raise BuildError(
            f"There is no notebooks folder at {root}. "
            "Check the path, or run the command from the workbook's top folder."
        )
    found = []
    for path in sorted(root.rglob("*.ipynb")):
        relative = path.relative_to(root)
        if any(part in IGNORED_FOLDERS or part.startswith(".") for part in relative.parts):
            continue
        if not _follows_naming_rule(relative):
            raise BuildError(
                f"The notebook {relative.as_posix()} does not follow the naming rule "
                "<NN_theme>/<NN_name>.ipynb (for example 00_welcome/01_intro.ipynb). "
                "Rename it, or move it out of the notebooks folder if it is not a module."
            )
        found.append(path)
    return found


def _follows_naming_rule(relative: Path) -> bool:
    if len(relative.parts) != 2:
        return False
    theme, name = relative.parts
    return bool(NUMBERED_NAME.match(theme) and NUMBERED_NAME.match(Path(name).stem))


def display_name(notebook_path: Path) -> str:
    """The short name used in messages: theme folder and file name."""
    notebook_path = Path(notebook_path)
    return f"{notebook_path.parent.name}/{notebook_path.name}"


def read_parameters(notebook_path: Path) -> dict[str, str]:
    """The parameters a notebook declares, as ``{name: default as written}``.

    Raises :class:`NotebookParameterError` when the notebook has no code cell
    tagged ``parameters`` or lacks the kernel information papermill needs.
    """
    notebook_path = Path(notebook_path)
    nb = read_notebook(notebook_path)
    where = display_name(notebook_path)
    if not any(
        cell.cell_type == "code" and PARAMETERS_TAG in cell.get("metadata", {}).get("tags", [])
        for cell in nb.cells
    ):
        raise NotebookParameterError(
            f"The notebook {where} has no parameters cell, so a build cannot give it a city. "
            "Add a code cell tagged `parameters` near the top that sets the defaults, "
            'e.g. city = "riverbend" (in JupyterLab: Property Inspector, Cell Tags).'
        )
    metadata = nb.metadata
    has_language = metadata.get("kernelspec", {}).get("language") or metadata.get(
        "language_info", {}
    ).get("name")
    if not (metadata.get("kernelspec", {}).get("name") and has_language):
        raise NotebookParameterError(
            f"The notebook {where} does not say which kernel and language it uses "
            "(its kernelspec and language_info metadata are missing). "
            "Open it in JupyterLab with the Python 3 kernel and save it."
        )
    declared = papermill.inspect_notebook(notebook_path)
    return {name: str(info.get("default", "")) for name, info in declared.items()}


def check_parameters(notebook_path: Path, parameters: Mapping[str, object]) -> None:
    """Raise :class:`NotebookParameterError` unless the notebook declares every parameter.

    The notebook must have a ``parameters`` cell, and each name in ``parameters``
    must be set in that cell (papermill would only log a warning).
    """
    declared = read_parameters(notebook_path)
    for name in parameters:
        if name in declared:
            continue
        what_exists = (
            f"Its parameters cell declares {list_choices(declared)}"
            if declared
            else "Its parameters cell declares nothing yet"
        )
        raise NotebookParameterError(
            f'The notebook {display_name(notebook_path)} does not declare the parameter "{name}" '
            f"that the build gives it.{did_you_mean(name, declared)} "
            f"{what_exists}; add a line `{name} = ...` to that cell."
        )


def read_notebook(notebook_path: Path) -> nbformat.NotebookNode:
    """Read a notebook file, with a clear error when it is not one."""
    notebook_path = Path(notebook_path)
    try:
        return nbformat.read(notebook_path, as_version=4)
    except FileNotFoundError:
        raise BuildError(f"There is no notebook at {notebook_path}. Check the path.") from None
    except Exception as error:  # nbformat raises several kinds for a damaged file
        raise BuildError(
            f"The file {display_name(notebook_path)} is not a readable notebook ({error}). "
            "Restore it from version control or re-save it from JupyterLab."
        ) from error


def notebook_title(notebook: Path | nbformat.NotebookNode) -> str:
    """The notebook's title: its first markdown heading, else a title made from the file name."""
    nb = read_notebook(notebook) if isinstance(notebook, (str, Path)) else notebook
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        match = FIRST_HEADING.search(cell.source)
        if match:
            return match.group(1).strip()
    if isinstance(notebook, (str, Path)):
        return title_from_name(Path(notebook).stem)
    return "Untitled notebook"


def title_from_name(name: str) -> str:
    """Turn a numbered file or folder name into words.

    >>> title_from_name("01_how_to_use_this_workbook")
    'How to use this workbook'
    """
    match = NUMBERED_NAME.match(name)
    words = (match.group(2) if match else name).replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def theme_title(theme_folder: str) -> str:
    """The heading of a theme folder, keeping its number: the title its theme package
    declares for the folder (``THEME.title``), in the page's language, or else words made
    from the folder's name.

    >>> theme_title("00_welcome"), theme_title("01_lead"), theme_title("01_fixture_basics")
    ('0. Welcome', '1. Lead confidently with data', '1. Fixture basics')
    """
    from cda_lib.text.translation import gettext as _
    from cda_lib.themes import all_themes

    match = NUMBERED_NAME.match(theme_folder)
    if not match:
        return title_from_name(theme_folder)
    declared = {module.notebook.split("/")[0]: theme.title
                for _package, theme in all_themes() for module in theme.modules}
    words = _(declared[theme_folder]) if theme_folder in declared \
        else title_from_name(theme_folder)
    return f"{int(match.group(1))}. {words}"


def source_name(notebook_path: Path) -> str:
    """A source notebook's name in the catalogs: its path in the workbook's folder
    (``notebooks/00_welcome/01_how_to_use_this_workbook.ipynb``), else its file name."""
    path = Path(notebook_path).resolve()
    root = paths.project_dir()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name


def cell_context(notebook: str, cell_id: str) -> str:
    """The catalog context of a notebook's markdown cell: its notebook's path and its id.

    >>> cell_context("notebooks/00_welcome/01_intro.ipynb", "cell-03")
    'notebooks/00_welcome/01_intro.ipynb#cell-03'
    """
    return f"{notebook}#{cell_id}"


def translate_cells(notebook: nbformat.NotebookNode, source: str,
                    language: str) -> nbformat.NotebookNode:
    """A copy of ``notebook`` (found at ``source``, e.g. ``"notebooks/00_welcome/01_x.ipynb"``)
    with each markdown cell in ``language``, looked up in the catalogs by the cell's id.

    A cell with no translation yet (or a stale one) stays English and says so in its
    metadata (``cda.lang: en``), so its page marks it ``lang="en"`` for screen readers.
    Code cells are left as they are.
    """
    import copy

    from cda_lib.text.translation import SOURCE_LANGUAGE, checked_language, translations

    language = checked_language(language)
    translated = copy.deepcopy(notebook)
    translated.metadata.setdefault("cda", {})["language"] = language
    if language == SOURCE_LANGUAGE:
        return translated
    catalog = translations(language)
    for cell in translated.cells:
        if cell.cell_type != "markdown" or not cell.source.strip():
            continue
        text = catalog.pgettext(cell_context(source, cell.id), cell.source)
        if text == cell.source:
            cell.metadata.setdefault("cda", {})["lang"] = SOURCE_LANGUAGE
        cell.source = text
    return translated
