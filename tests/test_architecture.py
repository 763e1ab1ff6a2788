"""The layout is the architecture: tests that hold cda_lib to its layers and its manners.

- No module imports another module's ``_private`` name, by ``from x import _y`` or by
  ``x._y`` on an imported cda_lib module.
- A lower layer never imports a higher one (the order is ``LAYERS`` below, the same as
  the README's).
- ``ruff`` lints, and pytest collects the doctests of, every ``.py`` file in cda_lib.
- Importing cda_lib changes nothing outside it (no IPython hook, no ``sys.modules`` entry
  set by hand, no papermill engine registered).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "cda_lib"

# Lowest first. A module may import from its own layer and any layer below it.
LAYERS = [
    ["text"],
    ["core"],
    ["cities"],
    ["sources", "synth"],
    ["metrics"],
    ["charts"],
    ["data"],
    ["exercises"],
    ["themes"],
    ["workbook"],
    ["cli"],
]
TOP_LEVEL = {"__init__"}  # cda_lib/__init__.py: the notebook-facing names, above the ground


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def library_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "cda_lib" or len(parts) == 1:
        return None
    for index, names in enumerate(LAYERS):
        if parts[1] in names:
            return index
    raise AssertionError(f"{module} belongs to no layer: add its package to LAYERS")


def imports_of(path: Path):
    """(line, imported module, imported name or None) for every cda_lib import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rsplit(
        ".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("cda_lib"):
                    yield node.lineno, alias.name, None
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([module] if module else []))
            if module.startswith("cda_lib"):
                for alias in node.names:
                    yield node.lineno, module, alias.name


def resolved_module(module: str, name: str | None) -> str:
    """``from cda_lib.metrics import kpi`` imports the module cda_lib.metrics.kpi."""
    if name is not None:
        candidate = f"{module}.{name}".replace(".", "/")
        if (ROOT / f"{candidate}.py").exists() or (ROOT / candidate / "__init__.py").exists():
            return f"{module}.{name}"
    return module


def test_every_module_has_a_layer():
    for path in library_modules():
        module = module_name(path)
        if module != "cda_lib":
            layer_of(module)


def test_no_module_imports_a_private_name():
    offences = []
    for path in library_modules():
        for line, module, name in imports_of(path):
            if name and name.startswith("_") and not name.startswith("__"):
                offences.append(f"{path.relative_to(ROOT)}:{line} imports {module}.{name}")
        offences += private_attribute_uses(path)
    assert not offences, "\n".join(offences)


def private_attribute_uses(path: Path, shown_from: Path = ROOT) -> list[str]:
    """``kpi._hidden`` where ``kpi`` is a cda_lib module imported into this file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cda_lib"):
            for alias in node.names:
                if resolved_module(node.module, alias.name) != node.module:
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("cda_lib") and alias.asname:
                    modules.add(alias.asname)
    return [
        f"{path.relative_to(shown_from)}:{node.lineno} uses {node.value.id}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
        and node.value.id in modules and node.attr.startswith("_")
        and not node.attr.startswith("__")
    ]


def test_no_lower_layer_imports_a_higher_one():
    offences = []
    for path in library_modules():
        importer = module_name(path)
        if importer == "cda_lib":
            continue
        own = layer_of(importer)
        for line, module, name in imports_of(path):
            target = resolved_module(module, name)
            other = layer_of(target)
            if other is not None and other > own:
                offences.append(f"{path.relative_to(ROOT)}:{line} ({LAYERS[own]}) imports "
                                f"{target} ({LAYERS[other]})")
    assert not offences, "\n".join(offences)


def test_the_layer_test_catches_an_upward_import(tmp_path):
    """The checks above must be able to fail: they see imports, layers and private uses."""
    imports = list(imports_of(PACKAGE / "metrics" / "kpi.py"))
    assert imports, "kpi.py imports cda_lib modules, so the walker must find them"
    assert layer_of("cda_lib.workbook.runner") > layer_of("cda_lib.metrics.kpi")
    sample = tmp_path / "sample.py"
    sample.write_text("from cda_lib.metrics import kpi\nkpi._hidden\n", encoding="utf-8")
    assert private_attribute_uses(sample, shown_from=tmp_path) == ["sample.py:2 uses kpi._hidden"]


def test_ruff_lints_every_library_file():
    listed = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--show-files", "."], cwd=ROOT,
        capture_output=True, text=True, check=True,
    ).stdout
    linted = {Path(line.strip()).resolve() for line in listed.splitlines() if line.strip()}
    missing = [str(p.relative_to(ROOT)) for p in library_modules() if p.resolve() not in linted]
    assert not missing, f"ruff does not lint: {missing}"


def test_pytest_collects_the_doctests_of_every_library_file():
    listed = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "--doctest-modules", "cda_lib"], cwd=ROOT, capture_output=True, text=True,
    ).stdout
    with_examples = [p for p in library_modules() if ">>> " in p.read_text(encoding="utf-8")]
    missing = [str(p.relative_to(ROOT)) for p in with_examples
               if str(p.relative_to(ROOT)) + "::" not in listed]
    assert not missing, f"pytest collects no doctest from: {missing}"


def test_no_module_is_over_600_lines():
    long = {str(p.relative_to(ROOT)): n for p in library_modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert not long, f"split these along their concerns: {long}"


IMPORT_SIDE_EFFECTS = r"""
import json, sys
before = set(sys.modules)
try:
    from papermill.engines import papermill_engines
    engines_before = set(papermill_engines._engines)
except ImportError:
    engines_before = set()
import IPython
from IPython.testing.globalipapp import start_ipython
shell = start_ipython()
import cda_lib, cda_lib.cli
import importlib, pkgutil
for info in pkgutil.walk_packages(cda_lib.__path__, "cda_lib."):
    importlib.import_module(info.name)
from papermill.engines import papermill_engines
print(json.dumps({
    "custom_exceptions": [t.__name__ for t in shell.custom_exceptions],
    "none_modules": sorted(k for k, v in sys.modules.items() if v is None),
    "new_engines": sorted(set(papermill_engines._engines) - engines_before),
}))
"""


def test_importing_cda_lib_changes_nothing_outside_it():
    result = subprocess.run([sys.executable, "-c", IMPORT_SIDE_EFFECTS], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    effects = json.loads(result.stdout.strip().splitlines()[-1])
    assert effects == {"custom_exceptions": [], "none_modules": [], "new_engines": []}


@pytest.mark.parametrize("module", ["cda_lib", "cda_lib.cities", "cda_lib.core.workspace"])
def test_import_leaves_pandas_and_matplotlib_unloaded(module):
    """Heavy libraries load where they are used, so ``import cda_lib`` is quick."""
    code = f"import sys, {module}; print(sorted(m for m in ('pandas', 'matplotlib', 'duckdb') " \
           "if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "[]"
