"""Tests for the build's kernels (cda_lib.workbook.kernels and .forkserver).

The claim to test: a kernel forked from the build's fork server is, to the notebook, the
same as a kernel started the standard way, as a participant's JupyterLab starts it. The
probe fixture reports everything a notebook could notice about its kernel (options,
settings, paths, environment, signal handlers, warning filters, how figures, widgets and
the workbook's own errors are shown); the expected values come from a kernel started the
standard way, not from the code under test.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest

from cda_lib.workbook import kernels, runner
from cda_lib.workbook.cohort import CohortOptions, build_cohort
from cda_lib.workbook.jobs import TeachingModules

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
PROBE = "05_fixture_probe/01_reports_kernel_state.ipynb"


def probe(tmp_path: Path, name: str, *, fork: bool) -> list[tuple[dict, list, list]]:
    """Run the probe for two cities in one build (so, when forked, from one fork server)."""
    notebooks = tmp_path / f"notebooks-{name}"
    (notebooks / PROBE).parent.mkdir(parents=True)
    shutil.copyfile(FIXTURES / PROBE, notebooks / PROBE)
    result = build_cohort(["riverbend", "port-harmon"], CohortOptions(
        build_root=tmp_path / f"build-{name}", sources=[TeachingModules(notebooks)],
        progress=False, fork_kernels=fork, timeout=120))
    assert result.ok, [r.message() for r in result.failures]
    assert result.manifest.kernels == ("forked" if fork else "plain")
    reports = []
    for city in ("riverbend", "port-harmon"):
        executed = nbformat.read(result.build_root / city / PROBE, as_version=4)
        code = [cell for cell in executed.cells if cell.cell_type == "code"]
        reported = json.loads(code[-1].outputs[0]["text"])
        kinds = [[sorted(o.get("data", {})) or o.output_type for o in cell.outputs]
                 for cell in code]
        errors = [(o.ename, len(o.traceback)) for cell in code for o in cell.outputs
                  if o.output_type == "error"]
        reports.append((reported, kinds, errors))
    return reports


@pytest.fixture(scope="module")
def probed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("probe")
    plain = probe(tmp, "plain", fork=False)
    forked = probe(tmp, "forked", fork=True)
    return {"plain": plain[0], "forked": forked[0], "forked-again": forked[1]}


@pytest.mark.slow
@pytest.mark.skipif(not kernels.FORK_SUPPORTED, reason="kernels are forked on Linux only")
def test_a_forked_kernel_looks_to_a_notebook_like_a_standard_one(probed):
    plain, forked = probed["plain"][0]["state"], probed["forked"][0]["state"]
    assert sorted(forked) == sorted(plain)
    differences = {key: (forked[key], plain[key]) for key in plain if forked[key] != plain[key]}
    assert differences == {}


@pytest.mark.slow
@pytest.mark.skipif(not kernels.FORK_SUPPORTED, reason="kernels are forked on Linux only")
def test_figures_widgets_and_the_workbooks_errors_show_the_same_way(probed):
    _, plain_kinds, plain_errors = probed["plain"]
    _, forked_kinds, forked_errors = probed["forked"]
    assert forked_kinds == plain_kinds
    assert ["image/png", "text/plain"] in forked_kinds[4]  # plt.plot, shown inline
    assert forked_errors == plain_errors == [("UnknownCityError", 1)]  # the short message


@pytest.mark.slow
@pytest.mark.skipif(not kernels.FORK_SUPPORTED, reason="kernels are forked on Linux only")
def test_forked_kernels_do_not_share_random_numbers(probed):
    # A fresh interpreter seeds its random generators from the system; copies forked from
    # one process (here, one build's fork server) would all draw the same numbers unless
    # each is seeded again.
    first, second = probed["forked"][0]["draws"], probed["forked-again"][0]["draws"]
    assert first["numpy"] != second["numpy"]
    assert first["python"] != second["python"]


def test_a_standard_python_kernelspec_can_be_forked():
    prefix = kernels.interpreter_prefix("python3")
    assert prefix is not None
    assert "-m" not in prefix and Path(prefix[0]).name.startswith("python")


def test_a_kernel_of_another_shape_is_not_forked(tmp_path, monkeypatch):
    spec = tmp_path / "kernels" / "other"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": ["python", "-m", "some_other_kernel", "-f", "{connection_file}"],
        "display_name": "Other", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    assert kernels.interpreter_prefix("other") is None
    assert kernels.interpreter_prefix("no-such-kernel") is None


@pytest.mark.slow
def test_without_a_fork_server_a_kernel_starts_the_standard_way(tmp_path):
    # A fork server that is gone (its socket does not exist) must not stop a build.
    prefix = kernels.interpreter_prefix("python3") or ["python"]
    kernels.use_fork_server(kernels.ForkServerSettings(str(tmp_path / "gone.sock"),
                                                       tuple(prefix)))
    try:
        nb = nbformat.read(FIXTURES / "01_fixture_basics/01_prints_injected_city.ipynb",
                           as_version=4)
        runner.register_engine()
        executed = papermill.execute_notebook(
            nb, None, parameters={"city": "riverbend"}, progress_bar=False,
            engine_name=runner.ENGINE_NAME, cwd=str(tmp_path),
            **kernels.engine_options(timeout=60, sockets_dir=None))
    finally:
        kernels.use_fork_server(None)
    text = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code"
                   for o in c.outputs)
    assert "Built for city: riverbend" in text
    assert kernels.live_kernel_groups() == []  # stopped, and forgotten


def test_the_fork_server_never_imports_ipywidgets_ahead():
    # Importing ipywidgets connects widgets to the running kernel: that must happen inside
    # each kernel. cda_lib changes nothing when imported, so its modules may be imported
    # ahead, but none of those may pull ipywidgets (or IPython's shell) in.
    from cda_lib.workbook import forkserver

    tree = ast.parse(Path(forkserver.__file__).read_text())
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names]
    imported += [node.module for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module]
    assert "ipykernel.kernelapp" in forkserver.PREIMPORTS  # the walk does see imports
    for name in [*imported, *forkserver.PREIMPORTS]:
        assert name.split(".")[0] != "ipywidgets", name
    assert not any(name.startswith("cda_lib") for name in imported)  # only through the list
    code = ("import sys, importlib\n"
            f"for name in {list(forkserver.WORKBOOK_MODULES)!r}: importlib.import_module(name)\n"
            "print(sorted(m for m in ('ipywidgets', 'IPython') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
