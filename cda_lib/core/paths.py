"""Where the workbook keeps things: city files, generated data, builds.

Everything hangs off one project folder, found next to this package (an
editable install) or named by the ``CDA_PROJECT_DIR`` environment variable.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR_VARIABLE = "CDA_PROJECT_DIR"
# City files kept outside ``datasets/cities/`` (a coach's own folder): paths of city files
# or folders of them, separated as in PATH. `cda build path/to/city.yaml` sets it for its
# notebooks, which are given only the city's id; set it yourself to open them in JupyterLab.
CITY_FILES_VARIABLE = "CDA_CITY_FILES"


def project_dir() -> Path:
    """The workbook's top folder (the one holding ``datasets/`` and ``notebooks/``)."""
    configured = os.environ.get(PROJECT_DIR_VARIABLE)
    if configured:
        return Path(configured).expanduser().resolve()
    return Path(__file__).resolve().parents[2]


def cities_dir() -> Path:
    """Folder of city files, one YAML file per city."""
    return project_dir() / "datasets" / "cities"


def extra_city_files() -> list[Path]:
    """The city files ``CDA_CITY_FILES`` names (each a city file, or a folder of them)."""
    files: list[Path] = []
    for entry in os.environ.get(CITY_FILES_VARIABLE, "").split(os.pathsep):
        if not entry.strip():
            continue
        path = Path(entry).expanduser().resolve()
        files += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return files


def mappings_dir() -> Path:
    """Folder of example column mappings for real city exports."""
    return project_dir() / "datasets" / "mappings"


def generated_dir() -> Path:
    """Folder the synthetic generator writes to (ignored by git, rebuilt by ``cda generate``)."""
    return project_dir() / "datasets" / "generated"


def cache_dir() -> Path:
    """Folder of portal downloads kept as Parquet, so later runs and offline workshops need no
    network (ignored by git; ``CDA_CACHE_DIR`` moves it, e.g. to a shared drive)."""
    configured = os.environ.get("CDA_CACHE_DIR")
    if configured:
        return Path(configured).expanduser().resolve()
    return project_dir() / "datasets" / "cache"


def notebooks_dir() -> Path:
    """Folder of the teaching modules, one sub-folder per theme."""
    return project_dir() / "notebooks"


def build_dir() -> Path:
    """Folder that built, executed workbooks go to (ignored by git)."""
    configured = os.environ.get("CDA_BUILD_DIR")
    if configured:
        return Path(configured).expanduser().resolve()
    return project_dir() / "build"


def workspace_dir(city_id: str) -> Path:
    """Folder where a city's notebooks record what later modules read back."""
    return build_dir() / city_id / "workspace"


def link_href(path: str | Path, start: str | Path | None = None) -> str:
    """How a page in ``start`` (default: the folder the notebook runs in) links to ``path``:
    a relative href, or a file URI where none exists (another drive, on Windows).

    >>> link_href("/w/build/a/memo/m.html", start="/w/build/a/02")
    '../memo/m.html'
    """
    base = Path(start) if start is not None else Path.cwd()
    try:
        return Path(os.path.relpath(Path(path), base)).as_posix()
    except ValueError:
        return Path(path).resolve().as_uri()
