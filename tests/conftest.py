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


# Under pytest-xdist (``make test`` runs ``pytest -n auto --dist loadfile``) a test
# file is one unit of work, so its module fixtures are made once; the files that read the
# shared demo build are one unit, so it is built once; and the two longest units start
# first, each on its own worker, so neither starts last and keeps the run waiting. The
# scheduler sees only test ids, so the files that read the demo build are named here, and
# collection checks the list.
DEMO_BUILD_FILES = frozenset({
    "tests/test_accessibility.py",
    "tests/test_build_welcome.py",
    "tests/test_exercises_notebooks.py",
    "tests/test_languages_built.py",
    "tests/test_records.py",
})
LONGEST_FIRST = ("tests/test_stress_cohort.py", "demo_build")


def unit_of_work(test_id: str) -> str:
    """The unit a test runs in under xdist: its file, or "demo_build" for the files that
    read the shared build."""
    test_file = test_id.split("::", 1)[0]
    return "demo_build" if test_file in DEMO_BUILD_FILES else test_file


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    reading = {item.nodeid.split("::", 1)[0] for item in items
               if "demo_build" in getattr(item, "fixturenames", ())}
    if not reading <= DEMO_BUILD_FILES:
        raise pytest.UsageError(
            f"{', '.join(sorted(reading - DEMO_BUILD_FILES))} read the demo build: add them to "
            "DEMO_BUILD_FILES in tests/conftest.py so the build is made once.")
    rank = {name: index for index, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(unit_of_work(item.nodeid), len(rank)))  # stable


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class DemoBuildOnceScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return unit_of_work(nodeid)

    return DemoBuildOnceScheduling(config, log)
