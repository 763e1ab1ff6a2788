"""pyproject.toml pins versions; environment.yml must list the same packages and ranges."""

from __future__ import annotations

import re
import tomllib

import yaml

from cda_lib.core import paths

# conda-forge names that differ from the PyPI name of the same package
CONDA_NAMES = {"matplotlib-base": "matplotlib", "python-duckdb": "duckdb"}
REQUIREMENT = re.compile(r"^(?P<name>[A-Za-z0-9_.\-]+)(\[[^\]]*\])?(?P<spec>.*)$")


def split_requirement(requirement: str) -> tuple[str, str]:
    """'pandas>=2.2,<4' -> ('pandas', '>=2.2,<4')."""
    match = REQUIREMENT.match(requirement.replace(" ", ""))
    return match["name"].lower(), match["spec"]


def pyproject_packages() -> dict[str, str]:
    project = tomllib.loads((paths.project_dir() / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["dev"]
    return dict(split_requirement(r) for r in requirements)


def conda_packages() -> dict[str, str]:
    environment = yaml.safe_load((paths.project_dir() / "environment.yml").read_text())
    packages = {}
    entries = []
    for entry in environment["dependencies"]:
        # the pip: section holds what conda-forge lacks (JupyterLab's language packs)
        entries += [e for e in entry["pip"] if not e.startswith("-e")] \
            if isinstance(entry, dict) else [entry]
    for entry in entries:
        name, spec = split_requirement(entry)
        if name not in ("python", "pip"):
            packages[CONDA_NAMES.get(name, name)] = spec
    return packages


def test_environment_yml_lists_the_same_packages_as_pyproject():
    assert sorted(conda_packages()) == sorted(pyproject_packages())


def test_environment_yml_uses_the_same_version_ranges():
    assert conda_packages() == pyproject_packages()
