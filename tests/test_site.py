"""Tests for the self-paced site (cda_lib.workbook.selfpaced): build/site/ for one demo city.

Most tests put built notebooks on disk by hand (no kernel needed); one builds the
solutions fixture for real and checks the folded solutions on its page.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from cda_lib.core.errors import BuildError
from cda_lib.workbook.cohort import CohortOptions, build_cohort
from cda_lib.workbook.html import external_urls
from cda_lib.workbook.jobs import TeachingModules
from cda_lib.workbook.selfpaced import (
    folded_solutions,
    site_languages,
    site_pages,
    split_solution,
    write_language_sites,
    write_site,
)

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
SOLUTIONS = "06_fixture_solutions/01_shows_solutions.ipynb"
FOLLOWS = "06_fixture_solutions/02_follows_the_solutions.ipynb"
DETAILS = re.compile(r'<details class="cda-solution"><summary>Show solution</summary>(.*?)'
                     r"</details>", re.DOTALL)


def built_notebook(build_root: Path, relative: str, heading: str, *cells) -> Path:
    """A built (executed) notebook on disk, as the build leaves it."""
    path = build_root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = new_notebook(cells=[new_markdown_cell(f"# {heading}\n\nText."), *cells])
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.write(nb, path)
    path.with_suffix(".html").write_text("<p>page</p>", encoding="utf-8")
    return path


@pytest.fixture
def three_modules(tmp_path) -> Path:
    build_root = tmp_path / "build"
    built_notebook(build_root, "riverbend/01_lead/01_kpis.ipynb", "Key measures",
                   new_markdown_cell("Back to [the welcome](../00_welcome/02_glance.ipynb)."))
    built_notebook(build_root, "riverbend/00_welcome/02_glance.ipynb", "Your city at a glance",
                   new_markdown_cell("**Next:** [Key measures](../01_lead/01_kpis.ipynb)"))
    built_notebook(build_root, "riverbend/00_welcome/01_intro.ipynb", "How to use the workbook",
                   new_markdown_cell("**Next:** [0.2](02_glance.ipynb)"))
    built_notebook(build_root, "port-harmon/00_welcome/01_intro.ipynb", "Port Harmon only")
    return build_root


def links(page: str) -> list[str]:
    return re.findall(r"<a [^>]*href=['\"]([^'\"]+)['\"]", page)


def navigation(page: str) -> dict[str, tuple[str, str]]:
    """The page's navigation links, by their ``rel`` (prev, next) or text (Contents)."""
    found = {}
    for attributes, text in re.findall(r"<a ([^>]*)>([^<]*)</a>", page):
        href = re.search(r"href=['\"]([^'\"]+)", attributes).group(1)
        rel = re.search(r"rel=['\"]([^'\"]+)", attributes)
        found[rel.group(1) if rel else text] = (href, text)
    return found


def test_pages_follow_reading_order_with_previous_and_next(three_modules):
    index = write_site(three_modules, "riverbend")
    site = index.parent
    assert index == three_modules / "site" / "index.html"
    order = ["00_welcome/01_intro.html", "00_welcome/02_glance.html", "01_lead/01_kpis.html"]
    assert [p.href for p in site_pages(three_modules, "riverbend")] == order

    first, middle, last = (navigation((site / href).read_text()) for href in order)
    assert "prev" not in first
    assert first["next"] == ("../00_welcome/02_glance.html", "Next: Your city at a glance →")
    assert middle["prev"] == ("../00_welcome/01_intro.html",
                              "← Previous: How to use the workbook")
    assert middle["next"] == ("../01_lead/01_kpis.html", "Next: Key measures →")
    assert last["prev"][0] == "../00_welcome/02_glance.html" and "next" not in last
    for nav in (first, middle, last):
        assert nav["Contents"][0] == "../index.html"
    for href in order:
        assert "Port Harmon only" not in (site / href).read_text()  # another city's module


def test_the_index_is_a_table_of_contents_by_theme(three_modules):
    page = write_site(three_modules, "riverbend").read_text()
    toc = page[page.index("<h2>"):]
    assert toc.index("0. Welcome") < toc.index("How to use the workbook") < toc.index(
        "Your city at a glance") < toc.index("1. Lead") < toc.index("Key measures")
    assert "href='00_welcome/01_intro.html'" in page
    assert "Start with How to use the workbook" in page
    assert "class='badge'>Synthetic data" in page and "fictional demo city" in page
    assert '<html lang="en">' in page


def test_every_link_is_relative_and_leads_to_a_file_on_the_site(three_modules):
    site = write_site(three_modules, "riverbend").parent
    for page in site.rglob("*.html"):
        text = page.read_text()
        assert external_urls(text) == [], page
        for href in links(text):
            if href.startswith("#"):
                continue
            assert not urlparse(href).scheme and not href.startswith("/"), (page, href)
            target = (page.parent / unquote(href.split("#")[0])).resolve()
            assert target.is_file(), (page.name, href)


def test_links_between_notebooks_point_at_their_pages(three_modules):
    site = write_site(three_modules, "riverbend").parent
    assert 'href="02_glance.html"' in (site / "00_welcome/01_intro.html").read_text()
    assert 'href="../01_lead/01_kpis.html"' in (site / "00_welcome/02_glance.html").read_text()
    assert ".ipynb" not in " ".join(links((site / "01_lead/01_kpis.html").read_text()))


def test_an_unchanged_site_is_not_rewritten_and_a_removed_module_disappears(three_modules):
    site = write_site(three_modules, "riverbend").parent
    before = {p: p.stat().st_mtime_ns for p in site.glob("*/*.html")}
    write_site(three_modules, "riverbend")
    assert {p: p.stat().st_mtime_ns for p in site.glob("*/*.html")} == before

    (three_modules / "riverbend/01_lead/01_kpis.ipynb").unlink()
    write_site(three_modules, "riverbend")
    assert not (site / "01_lead/01_kpis.html").exists()
    glance = (site / "00_welcome/02_glance.html").read_text()
    assert "next" not in navigation(glance)  # its neighbour changed, so it was made again


def test_a_city_with_nothing_built_has_no_site(tmp_path):
    with pytest.raises(BuildError, match="Nothing is built for riverbend"):
        write_site(tmp_path / "build", "riverbend")


# --- solutions --------------------------------------------------------------------------------


def test_split_solution_keeps_the_scaffold_and_removes_the_marked_code():
    source = ("counts = [4, 5, 6]\n# BEGIN SOLUTION\ntotal = sum(counts)\n# END SOLUTION\n"
              "print(total)")
    visible, solution = split_solution(source)
    assert visible == "counts = [4, 5, 6]\n# Write your code here.\nprint(total)"
    assert solution == "counts = [4, 5, 6]\ntotal = sum(counts)\nprint(total)"


def test_split_solution_blanks_one_marked_line_keeping_an_assignments_name():
    assert split_solution("answer = len(rows)  # SOLUTION") == ("answer = ...",
                                                                 "answer = len(rows)")
    assert split_solution("    check(x)  # SOLUTION") == ("    ...", "    check(x)")
    indented = "if True:\n    # BEGIN SOLUTION\n    x = 1\n    # END SOLUTION"
    assert split_solution(indented)[0] == "if True:\n    ...  # Write your code here."


def test_folded_solutions_keeps_outputs_with_the_solution_only():
    cell = new_code_cell("x = 2  # SOLUTION\nprint(x)", execution_count=1,
                         outputs=[new_output("stream", name="stdout", text="2\n")])
    tagged = new_markdown_cell("The answer.", metadata={"tags": ["solution"]})
    nb = new_notebook(cells=[new_markdown_cell("# T"), cell, tagged])

    folded = folded_solutions(nb)

    shown, hidden, answer = folded.cells[1:]
    assert (shown.source, shown.outputs, shown.metadata.get("cda_site")) == (
        "x = ...\nprint(x)", [], None)
    assert (hidden.source, hidden.metadata["cda_site"]) == ("x = 2\nprint(x)", "solution")
    assert hidden.outputs[0]["text"] == "2\n"
    assert answer.metadata["cda_site"] == "solution"
    assert nb.cells[1].source == "x = 2  # SOLUTION\nprint(x)"  # the original is untouched


@pytest.mark.slow
def test_a_built_exercise_page_folds_every_solution_away(tmp_path):
    notebooks = tmp_path / "notebooks"
    for fixture in (SOLUTIONS, FOLLOWS):
        (notebooks / fixture).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FIXTURES / fixture, notebooks / fixture)
    result = build_cohort(["riverbend"], CohortOptions(
        build_root=tmp_path / "build", sources=[TeachingModules(notebooks)], progress=False))
    assert result.ok, [r.message() for r in result.failures]

    site = write_site(result.build_root, "riverbend").parent
    page = (site / SOLUTIONS).with_suffix(".html").read_text()

    folded = DETAILS.findall(page)
    assert len(folded) == 3  # the # SOLUTION line, the BEGIN/END block, the tagged answer
    assert "Exercise 1 answer for riverbend: 3" in folded[0]  # the solution's own output
    assert ">sum<" in folded[1] and "Exercise 2 answer: 15" in folded[1]  # sum, highlighted
    assert "per 1,000 residents the comparison is about service" in folded[2]
    outside = DETAILS.sub("", page)
    assert "Write your code here." in outside  # the participant's version stays in view
    assert ">sum<" not in outside and "Exercise 2 answer: 15" not in outside
    assert "# BEGIN SOLUTION" not in page and "# SOLUTION" not in page
    assert 'href="02_follows_the_solutions.html"' in page
    assert external_urls(page) == []


def test_the_site_comes_in_every_language_built_with_a_switch_on_every_page(three_modules):
    # Villa Serena (es) is built with one of Riverbend's modules; Serra Clara (pt) with none.
    spanish = built_notebook(three_modules, "villa-serena/00_welcome/01_intro.ipynb",
                             "Cómo usar el cuaderno de trabajo")
    nb = nbformat.read(spanish, as_version=4)
    nb.metadata["cda"] = {"language": "es"}
    nbformat.write(nb, spanish)
    versions = site_languages(three_modules, "riverbend")
    assert [(v.language, v.city_id, v.folder) for v in versions] == [
        ("en", "riverbend", "site"), ("es", "villa-serena", "site/es")]

    english_index, spanish_index = write_language_sites(three_modules, "riverbend")
    assert spanish_index == three_modules / "site" / "es" / "index.html"
    def read(*parts):  # nbconvert writes attributes in double quotes, the index in single
        return three_modules.joinpath("site", *parts).read_text().replace("'", '"')

    english_page, spanish_page = read("00_welcome", "01_intro.html"), \
        read("es", "00_welcome", "01_intro.html")
    assert '<html lang="es">' in spanish_page and "Cómo usar" in spanish_page
    # The same page in the other language, from either side; a page the Spanish site lacks
    # leads to its contents.
    assert 'href="../es/00_welcome/01_intro.html" hreflang="es" lang="es">Español</a>' \
        in english_page
    assert 'href="../../00_welcome/01_intro.html" hreflang="en" lang="en">English</a>' \
        in spanish_page
    lead = read("01_lead", "01_kpis.html")
    assert 'href="../es/index.html" hreflang="es"' in lead
    assert 'href="es/index.html" hreflang="es"' in read("index.html")
    assert english_index == three_modules / "site" / "index.html"
    for page in (english_page, spanish_page, lead):
        for link in links(page):
            if not link.startswith(("#", "data:")):
                target = urlparse(link).path
                assert target.endswith(".html") and link.count("..") <= 2
