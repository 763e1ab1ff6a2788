"""Where the workbook keeps things: city files, generated data, builds.

Everything hangs off one project folder, found next to this package (an
editable install) or named by the ``CDA_PROJECT_DIR`` environment variable.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR_VARIABLE = "CDA_PROJECT_DIR"


def project_dir() -> Path:
    """The workbook's top folder (the one holding ``datasets/`` and ``notebooks/``)."""
    configured = os.environ.get(PROJECT_DIR_VARIABLE)
    if configured:
        return Path(configured).expanduser().resolve()
    return Path(__file__).resolve().parents[2]


def cities_dir() -> Path:
    """Folder of city files, one YAML file per city."""
    return project_dir() / "datasets" / "cities"


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
