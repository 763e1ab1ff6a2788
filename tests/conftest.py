"""Shared fixtures: the program's shared folder (real city exports, read-only), and one
build of three demo cities that the slow tests of built pages read (tests/demo_build.py)."""

from __future__ import annotations

import os
import sys
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


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory):
    """Riverbend, Villa Serena and Serra Clara built once for the whole session (see
    tests/demo_build.py); its kernels write each city's workspace inside the build."""
    sys.path.insert(0, str(Path(__file__).parent))
    from demo_build import build_demo

    build_root = tmp_path_factory.mktemp("demo-build")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CDA_BUILD_DIR", str(build_root))
        return build_demo(build_root)
