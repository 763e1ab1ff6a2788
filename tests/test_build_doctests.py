"""Run the docstring examples of cda_lib.build, which ``--doctest-modules`` never reaches.

pytest does not collect folders named ``build`` (its default ``norecursedirs``), so the
examples in cda_lib/build/*.py would otherwise never run and could drift from the code.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import cda_lib.build

MODULES = sorted(f"cda_lib.build.{info.name}" for info in pkgutil.iter_modules(
    cda_lib.build.__path__))


def test_every_build_module_is_listed():
    assert {"cda_lib.build.cohort", "cda_lib.build.html", "cda_lib.build.manifest",
            "cda_lib.build.selfpaced"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    results = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert results.failed == 0, f"{results.failed} example(s) failed in {name}"
