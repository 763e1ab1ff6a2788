"""Shared fixtures: the program's shared folder (real city exports, read-only)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cda_lib.core import paths


@pytest.fixture(scope="session", autouse=True)
def cache_outside_the_repository(tmp_path_factory):
    """Loads keep Parquet copies of CSV files and portal downloads in the cache folder;
    in tests that folder is a temporary one, never datasets/cache in the repository."""
    previous = os.environ.get("CDA_CACHE_DIR")
    os.environ["CDA_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        os.environ.pop("CDA_CACHE_DIR", None)
    else:
        os.environ["CDA_CACHE_DIR"] = previous


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repository: real exports for tests, never copied into the repo.

    CI always has it, so there a missing folder is a failure; elsewhere the test is skipped.
    """
    folder = Path(os.environ.get("CDA_SHARED_DIR", paths.project_dir().parent / "shared"))
    if not (folder / "realdata").is_dir():
        message = f"The shared folder with real city exports is not at {folder}."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return folder
