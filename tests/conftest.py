"""Shared fixtures: the program's shared folder (real city exports, read-only)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cda_lib import paths


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
