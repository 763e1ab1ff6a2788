"""Tests for cda_lib.workbook: finding notebooks, checking parameters, running, HTML, index page.

The notebooks run here are the small fixtures in tests/fixtures/notebooks/, each
named for the behaviour it triggers; they are copied into a notebooks folder in
``tmp_path`` so each test builds exactly the set it needs. The city is the real
demo city ``riverbend``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
import yaml
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from cda_lib.core import paths
from cda_lib.core.errors import BuildError, NotebookParameterError, UnknownCityError
from cda_lib.workbook.execute import build_city
from cda_lib.workbook.html import export_html, external_urls
from cda_lib.workbook.notebooks import (
    check_parameters,
    find_notebooks,
    notebook_title,
    read_parameters,
)
from cda_lib.workbook.site import write_index

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
PRINTS_CITY = "01_fixture_basics/01_prints_injected_city.ipynb"
RAISES = "01_fixture_basics/02_raises_value_error.ipynb"
EXPECTED_ERROR = "01_fixture_basics/03_shows_an_expected_error.ipynb"
NO_PARAMETERS = "02_fixture_mistakes/01_has_no_parameters_cell.ipynb"
DECLARES_TOWN = "02_fixture_mistakes/02_declares_town_not_city.ipynb"


def notebooks_folder(root: Path, *fixtures: str, renamed: dict[str, str] | None = None) -> Path:
    """Copy fixture notebooks into ``root`` (keeping their theme folders); return ``root``."""
    renamed = renamed or {}
    for fixture in fixtures:
        target = root / renamed.get(fixture, fixture)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FIXTURES / fixture, target)
    return root


def stream_text(notebook_path: Path) -> str:
    nb = nbformat.read(notebook_path, as_version=4)
    return "".join(
        output.get("text", "")
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )


def leftover_scratch_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".*") if p.is_file()]


# --- the fixtures themselves -------------------------------------------------------------


def test_fixture_notebooks_are_committed_without_outputs():
    fixtures = sorted(FIXTURES.rglob("*.ipynb"))
    # 5 here, 8 for cohort builds (faults and a stall, clean state, data), 2 kernel probes
    # (its state, its output), 2 for the site
    assert len(fixtures) == 17
    for path in fixtures:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path.name


# --- notebooks.py: discovery, titles, parameters ------------------------------------------


def test_find_notebooks_returns_reading_order_and_skips_checkpoints(tmp_path):
    root = notebooks_folder(
        tmp_path, DECLARES_TOWN, RAISES, EXPECTED_ERROR, PRINTS_CITY, NO_PARAMETERS
    )
    checkpoint = root / "01_fixture_basics" / ".ipynb_checkpoints" / "01_x-checkpoint.ipynb"
    checkpoint.parent.mkdir()
    shutil.copyfile(FIXTURES / PRINTS_CITY, checkpoint)

    found = [p.relative_to(root).as_posix() for p in find_notebooks(root)]

    # Reading order is theme folder number, then notebook number.
    assert found == [PRINTS_CITY, RAISES, EXPECTED_ERROR, NO_PARAMETERS, DECLARES_TOWN]


@pytest.mark.parametrize("stray", ["01_fixture_basics/Untitled.ipynb", "01_at_the_top.ipynb"])
def test_find_notebooks_rejects_a_notebook_that_breaks_the_naming_rule(tmp_path, stray):
    root = notebooks_folder(tmp_path, PRINTS_CITY)
    shutil.copyfile(FIXTURES / PRINTS_CITY, root / stray)

    with pytest.raises(BuildError, match="naming rule") as caught:
        find_notebooks(root)
    assert stray in str(caught.value)


def test_notebook_title_is_the_first_markdown_heading():
    assert notebook_title(FIXTURES / PRINTS_CITY) == "Prints the injected city"


def test_read_parameters_lists_the_declared_defaults():
    assert read_parameters(FIXTURES / PRINTS_CITY) == {"city": '"nowhere"'}


def test_check_parameters_accepts_declared_parameters():
    check_parameters(FIXTURES / PRINTS_CITY, {"city": "riverbend"})  # no error


def test_check_parameters_names_a_notebook_without_a_parameters_cell():
    with pytest.raises(NotebookParameterError) as caught:
        check_parameters(FIXTURES / NO_PARAMETERS, {"city": "riverbend"})
    message = str(caught.value)
    assert NO_PARAMETERS in message
    assert "tagged `parameters`" in message


def test_check_parameters_names_an_unknown_parameter_and_suggests_the_declared_one():
    with pytest.raises(NotebookParameterError) as caught:
        check_parameters(FIXTURES / PRINTS_CITY, {"cty": "riverbend"})
    message = str(caught.value)
    assert '"cty"' in message
    assert 'Did you mean "city"?' in message
    assert PRINTS_CITY in message


def test_parameter_errors_are_value_errors_for_programmers():
    with pytest.raises(ValueError):
        check_parameters(FIXTURES / NO_PARAMETERS, {"city": "riverbend"})


# --- execute.py: errors raised before anything runs ---------------------------------------


def test_unknown_city_gives_the_friendly_error_and_builds_nothing(tmp_path):
    root = notebooks_folder(tmp_path / "notebooks", PRINTS_CITY)
    build_root = tmp_path / "build"

    with pytest.raises(UnknownCityError) as caught:
        build_city("riverbnd", notebooks_root=root, build_root=build_root)

    assert 'Did you mean "riverbend"?' in str(caught.value)
    assert not build_root.exists()


@pytest.mark.parametrize(
    ("mistake", "named"),
    [(NO_PARAMETERS, "parameters"), (DECLARES_TOWN, '"city"')],
    ids=["no-parameters-cell", "unknown-parameter"],
)
def test_a_parameter_mistake_stops_the_build_before_any_notebook_runs(tmp_path, mistake, named):
    root = notebooks_folder(tmp_path / "notebooks", PRINTS_CITY, mistake)
    build_root = tmp_path / "build"
    prepared = []

    with pytest.raises(NotebookParameterError) as caught:
        build_city("riverbend", notebooks_root=root, build_root=build_root, prepare=prepared.append)

    assert mistake in str(caught.value)
    assert named in str(caught.value)
    # The good notebook sorts first, yet it was not run, and the data step was not started.
    assert not build_root.exists()
    assert prepared == []


def test_an_empty_notebooks_folder_is_an_error(tmp_path):
    with pytest.raises(BuildError, match="no teaching notebooks"):
        build_city("riverbend", notebooks_root=tmp_path, build_root=tmp_path / "build")


# --- execute.py: real runs (each notebook starts a kernel) --------------------------------


@pytest.mark.slow
def test_build_runs_each_notebook_and_keeps_going_after_a_failure(tmp_path):
    root = notebooks_folder(tmp_path / "notebooks", PRINTS_CITY, RAISES)
    build_root = tmp_path / "build"
    prepared = []

    build = build_city("riverbend", notebooks_root=root, build_root=build_root,
                       prepare=prepared.append)

    assert [city.id for city in prepared] == ["riverbend"]
    assert build.city.id == "riverbend"
    assert [r.notebook.name for r in build.results] == [Path(PRINTS_CITY).name, Path(RAISES).name]
    good, bad = build.results
    city_folder = build_root / "riverbend" / "01_fixture_basics"

    # The good notebook: executed output with the injected city, and its HTML page.
    assert good.ok and good.error == ""
    assert good.output_path == city_folder / "01_prints_injected_city.ipynb"
    assert "Built for city: riverbend" in stream_text(good.output_path)
    page = good.html_path.read_text(encoding="utf-8")
    assert good.html_path == city_folder / "01_prints_injected_city.html"
    assert "Built for city: riverbend" in page
    assert "<title>Prints the injected city · Riverbend</title>" in page
    assert external_urls(page) == []

    # The failing notebook: the fixture's fourth cell (index 3, counted by hand in
    # the source notebook) raises ValueError; its partly run notebook is kept.
    assert not bad.ok
    for part in ("Riverbend", RAISES, "cell 4 (index 3)", "ValueError",
                 "raised on purpose by the fixture"):
        assert part in bad.error
    assert bad.failed_path == city_folder / "02_raises_value_error.failed.ipynb"
    kept = nbformat.read(bad.failed_path, as_version=4)
    errors = [o for c in kept.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert [(e.ename, e.evalue) for e in errors] == [("ValueError",
                                                       "raised on purpose by the fixture")]
    assert not bad.output_path.exists() and not bad.html_path.exists()

    assert not build.ok and build.failures == [bad]
    with pytest.raises(BuildError, match="1 of 2 notebooks failed for Riverbend"):
        build.raise_for_failures()
    assert leftover_scratch_files(build_root) == []


@pytest.mark.slow
def test_a_failed_run_leaves_the_earlier_good_output_in_place(tmp_path):
    notebook = "01_fixture_basics/01_changes_between_builds.ipynb"
    root = notebooks_folder(tmp_path / "notebooks", PRINTS_CITY, renamed={PRINTS_CITY: notebook})
    build_root = tmp_path / "build"
    first = build_city("riverbend", notebooks_root=root, build_root=build_root).results[0]
    assert first.ok
    good_notebook = first.output_path.read_bytes()
    good_page = first.html_path.read_bytes()

    shutil.copyfile(FIXTURES / RAISES, root / notebook)  # the author breaks it
    second = build_city("riverbend", notebooks_root=root, build_root=build_root).results[0]

    assert not second.ok
    assert second.failed_path is not None and second.failed_path.exists()
    assert first.output_path.read_bytes() == good_notebook
    assert first.html_path.read_bytes() == good_page

    shutil.copyfile(FIXTURES / PRINTS_CITY, root / notebook)  # ... and fixes it again
    third = build_city("riverbend", notebooks_root=root, build_root=build_root).results[0]

    assert third.ok
    assert not second.failed_path.exists()  # no stale failure beside a good build
    assert leftover_scratch_files(build_root) == []


@pytest.mark.slow
def test_a_cell_tagged_raises_exception_may_fail_on_purpose(tmp_path):
    # Papermill alone fails this run; nbclient and nbval accept the tag, and so do we.
    root = notebooks_folder(tmp_path / "notebooks", EXPECTED_ERROR)

    result = build_city("riverbend", notebooks_root=root, build_root=tmp_path / "build").results[0]

    assert result.ok, result.error
    assert result.failed_path is None
    assert "Carried on after the expected error for riverbend" in stream_text(result.output_path)
    executed = nbformat.read(result.output_path, as_version=4)
    errors = [o.ename for c in executed.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert errors == ["KeyError"]  # the lesson's error stays visible
    assert not any("papermill-error-cell-tag" in c.metadata.get("tags", []) for c in executed.cells)
    assert "shown on purpose" in result.html_path.read_text(encoding="utf-8")


# --- html.py ----------------------------------------------------------------------------


def notebook_with_outputs() -> nbformat.NotebookNode:
    """A small executed notebook with math, a Mermaid diagram and a saved widget."""
    widget_view = {"model_id": "abc123", "version_major": 2, "version_minor": 0}
    code = new_code_cell("slider", execution_count=1, outputs=[
        new_output("display_data", data={
            "text/plain": "IntSlider(value=3)",
            "application/vnd.jupyter.widget-view+json": widget_view,
        }),
    ])
    nb = new_notebook(cells=[
        new_markdown_cell("# Share on time\n\nThe share is $k / n$."),
        new_markdown_cell("```mermaid\ngraph LR; A-->B\n```"),
        code,
    ])
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "state": {"abc123": {"model_name": "IntSliderModel", "state": {"value": 3}}},
        "version_major": 2, "version_minor": 0,
    }}
    return nb


def test_stock_lab_export_loads_from_a_cdn_so_the_url_finder_has_something_to_find():
    # Shows external_urls can fail: nbconvert's own lab template loads RequireJS,
    # MathJax, Mermaid and the widget renderer from outside the page.
    html, _ = HTMLExporter(template_name="lab").from_notebook_node(notebook_with_outputs())
    found = " ".join(external_urls(html))
    assert "mathjax" in found and "require" in found and "mermaid" in found


def test_export_html_is_offline_and_keeps_the_lab_look():
    html = export_html(notebook_with_outputs(), "Share on time · Riverbend", language="es")

    assert external_urls(html) == []
    assert "unpkg" not in html and "cdnjs" not in html  # no script builds a CDN URL either
    assert '<html lang="es">' in html
    assert "<title>Share on time · Riverbend</title>" in html
    assert 'class="jp-Notebook"' in html  # the lab template's page structure
    # a widget never shows its Python form: a sentence in the page's language instead
    assert "IntSlider(value=3)" not in html
    assert "Aquí hay un control interactivo" in html


def test_a_code_cell_is_shown_as_text_whatever_markup_it_holds():
    # The page shows code as Pygments highlights it, which escapes it: markup in the source
    # (here a script and an image with an onerror) is shown, never run.
    notebook = new_notebook(cells=[new_code_cell(
        'note = "<script>alert(1)</script><img src=x onerror=alert(2)>"\nprint(note)')])
    html = export_html(notebook, "Code", language="en")
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in html


def test_export_html_accepts_a_path(tmp_path):
    html = export_html(FIXTURES / PRINTS_CITY, "Fixture")
    assert "Built for city" in html  # the code cell's source
    assert external_urls(html) == []


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ('<script src="https://cdn.example/a.js"></script>', ["https://cdn.example/a.js"]),
        ('<link rel="stylesheet" href="http://cdn.example/a.css">', ["http://cdn.example/a.css"]),
        ('<img src="//images.example/logo.png">', ["//images.example/logo.png"]),
        ('<iframe src="https://maps.example/embed"></iframe>', ["https://maps.example/embed"]),
        ('<style>@import url("https://fonts.example/f.css");</style>',
         ["https://fonts.example/f.css"]),
        ('<script type="module">await import("https://cdn.example/m.mjs")</script>',
         ["https://cdn.example/m.mjs"]),
        ('<a href="https://example.org">a link is not a load</a>', []),
        ('<img src="data:image/png;base64,AAAA"><script src="local.js"></script>', []),
    ],
)
def test_external_urls_finds_what_a_page_loads_from_outside(snippet, expected):
    assert external_urls(snippet) == expected


# --- site.py ----------------------------------------------------------------------------


@pytest.fixture
def project_with_a_real_data_city(tmp_path, monkeypatch) -> Path:
    """A project folder whose cities are riverbend (synthetic) and realtown (a local file)."""
    cities = tmp_path / "project" / "datasets" / "cities"
    cities.mkdir(parents=True)
    riverbend = paths.cities_dir() / "riverbend.yaml"
    shutil.copyfile(riverbend, cities / "riverbend.yaml")
    raw = yaml.safe_load(riverbend.read_text(encoding="utf-8"))
    raw.update(id="realtown", name="Realtown", country="Canada", population=250000)
    raw["sources"] = {"service_requests": {"kind": "local", "path": "realtown.csv",
                                           "mapping": "realtown.yaml"}}
    (cities / "realtown.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    monkeypatch.setenv(paths.PROJECT_DIR_VARIABLE, str(tmp_path / "project"))
    return tmp_path / "project"


def built_module(build_root: Path, relative: str, heading: str, *, page: bool = True) -> None:
    """Put a built module on disk, as build_city leaves it (no kernel needed)."""
    path = build_root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=[new_markdown_cell(f"# {heading}\n\nText.")]), path)
    if page and not relative.endswith(".failed.ipynb"):
        path.with_suffix(".html").write_text("<p>page</p>", encoding="utf-8")


def test_write_index_links_every_city_and_module(tmp_path, project_with_a_real_data_city):
    build_root = tmp_path / "build"
    built_module(build_root, "riverbend/01_lead/01_kpis.ipynb", "Key measures")
    built_module(build_root, "riverbend/00_welcome/01_intro.ipynb", "Welcome to the workbook")
    built_module(build_root, "riverbend/01_lead/02_trends.failed.ipynb", "Trends")
    (build_root / "riverbend" / "workspace").mkdir()
    (build_root / "riverbend" / "workspace" / "scores.json").write_text("{}", encoding="utf-8")
    built_module(build_root, "realtown/00_welcome/01_intro.ipynb", "Welcome, Realtown")

    index = write_index(build_root)

    assert index == build_root / "index.html"
    page = index.read_text(encoding="utf-8")
    for link in (
        "riverbend/00_welcome/01_intro.html", "riverbend/00_welcome/01_intro.ipynb",
        "riverbend/01_lead/01_kpis.html", "riverbend/01_lead/01_kpis.ipynb",
        "riverbend/01_lead/02_trends.failed.ipynb", "realtown/00_welcome/01_intro.html",
    ):
        assert f"href='{link}'" in page, link
    for text in ("Welcome to the workbook", "Key measures", "Trends", "Welcome, Realtown",
                 "Riverbend", "Realtown", "United States", "Canada", "English",
                 "118,400", "250,000", "build failed"):
        assert text in page, text
    assert "workspace" not in page
    # Themes in reading order inside a city, whatever order the files were written in.
    assert page.index("0. Welcome") < page.index("1. Lead") < page.index("Key measures")
    assert external_urls(page) == []


def test_write_index_marks_only_synthetic_cities(tmp_path, project_with_a_real_data_city):
    build_root = tmp_path / "build"
    built_module(build_root, "realtown/00_welcome/01_intro.ipynb", "Welcome")
    built_module(build_root, "riverbend/00_welcome/01_intro.ipynb", "Welcome")

    page = write_index(build_root).read_text(encoding="utf-8")

    realtown = page[page.index("id='city-realtown'"):page.index("id='city-riverbend'")]
    riverbend = page[page.index("id='city-riverbend'"):]
    assert "Synthetic data" not in realtown  # its service requests come from a local file
    assert "class='badge'>Synthetic data" in riverbend


def test_write_index_links_the_cohort_page_and_the_site_when_they_exist(tmp_path):
    build_root = tmp_path / "build"
    built_module(build_root, "riverbend/00_welcome/01_intro.ipynb", "Welcome")
    assert "cohort.html" not in write_index(build_root).read_text(encoding="utf-8")

    (build_root / "cohort.html").write_text("<p>cohort</p>", encoding="utf-8")
    (build_root / "site").mkdir()
    (build_root / "site" / "index.html").write_text("<p>site</p>", encoding="utf-8")
    page = write_index(build_root).read_text(encoding="utf-8")

    assert "href='cohort.html'>The cohort side by side</a>" in page
    assert "href='site/index.html'>The self-paced site</a>" in page


def test_write_index_on_an_empty_build_says_how_to_build(tmp_path):
    page = write_index(tmp_path / "build").read_text(encoding="utf-8")
    assert "No city has been built yet" in page


def test_a_page_leaves_out_the_cells_that_set_its_parameters():
    nb = new_notebook(cells=[
        new_code_cell('city = "riverbend"', metadata={"tags": ["parameters"]}),
        new_code_cell('city = "villa-serena"', metadata={"tags": ["injected-parameters"]}),
        new_code_cell("print(city)", outputs=[new_output("stream", name="stdout",
                                                         text="villa-serena\n")])])
    page = export_html(nb, "Villa Serena", language="es")
    assert "riverbend" not in page and "city = " not in page.replace("&quot;", '"')
    assert "villa-serena" in page  # the page itself, its outputs and other code, stays


def test_write_index_links_each_module_s_exercises_coach_page_and_the_city_s_pages(tmp_path):
    build_root = tmp_path / "build"
    built_module(build_root, "riverbend/01_lead/02_measuring_performance.ipynb", "1.2 Measuring")
    built_module(build_root, "riverbend/exercises/01_lead/02_measuring_performance.ipynb", "Ex")
    built_module(build_root, "riverbend/coach/01_lead/02_measuring_performance.ipynb", "Ex")
    built_module(build_root, "riverbend/coach/pages/01_lead/02_measuring_performance.ipynb", "P")
    for page in ("readiness.html", "glossary.html", "stat_briefs/stat_brief_2025-12-22.html"):
        (build_root / "riverbend" / page).parent.mkdir(parents=True, exist_ok=True)
        (build_root / "riverbend" / page).write_text("<p>page</p>", encoding="utf-8")
    page = write_index(build_root).read_text(encoding="utf-8")
    for link in ("riverbend/exercises/01_lead/02_measuring_performance.ipynb",
                 "riverbend/coach/01_lead/02_measuring_performance.html",
                 "riverbend/coach/pages/01_lead/02_measuring_performance.html",
                 "riverbend/readiness.html", "riverbend/glossary.html",
                 "riverbend/stat_briefs/stat_brief_2025-12-22.html"):
        assert f"href='{link}'" in page, link
    assert "Stat brief 2025-12-22" in page
