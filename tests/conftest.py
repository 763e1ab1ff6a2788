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


# Under pytest-xdist (``make test`` runs ``pytest -n auto --dist loadgroup``) a test file is
# one unit of work, so its module fixtures are made once, and the files that read the shared
# demo build are one unit, so it is built once. The two longest units go first, one to each
# worker, so neither starts last and keeps the run waiting.
LONGEST_FIRST = ("tests/test_stress_cohort.py", "demo_build")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    files_reading_the_demo_build = {item.path for item in items
                                    if "demo_build" in getattr(item, "fixturenames", ())}

    def group(item) -> str:
        if item.path in files_reading_the_demo_build:
            return "demo_build"
        return item.path.relative_to(config.rootpath).as_posix()

    for item in items:
        item.add_marker(pytest.mark.xdist_group(group(item)))
    rank = {name: index for index, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(group(item), len(rank)))  # stable: the rest keep order
