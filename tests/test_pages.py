"""Tests for cda_lib.core.pages: every page and card is a Jinja2 template with autoescape on,
and every page the workbook writes embeds the one stylesheet, so it works copied anywhere."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell, new_notebook

from cda_lib.cities import load_city
from cda_lib.core.pages import TEMPLATES, render_fragment, stylesheet
from cda_lib.exercises.progress import write_progress_report
from cda_lib.themes.lead import brief
from cda_lib.workbook.dashboard import write_cohort_page
from cda_lib.workbook.selfpaced import SitePage, render_site_index
from cda_lib.workbook.site import write_index
from tests.test_brief import AS_OF, STANDARDS, hand_built_city

HOSTILE = "<script>alert('x')</script> & co"
ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"


def _built_module(build_root: Path, title: str) -> None:
    """A built module on disk, named ``title`` by its first heading."""
    path = build_root / "riverbend" / "00_welcome" / "01_intro.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(new_notebook(cells=[new_markdown_cell(f"# {title}")]), path)
    path.with_suffix(".html").write_text("<p>page</p>", encoding="utf-8")


def front_page(tmp_path: Path) -> str:
    _built_module(tmp_path / "build", HOSTILE)
    return write_index(tmp_path / "build").read_text(encoding="utf-8")


def site_contents(tmp_path: Path) -> str:
    city = dataclasses.replace(load_city("riverbend"), name=HOSTILE)
    page = SitePage("00_welcome", "0. Welcome", HOSTILE, tmp_path / "x.ipynb",
                    "00_welcome/01_intro.html")
    languages = [{"language": "en", "name": "English", "href": "index.html", "current": True},
                 {"language": "es", "name": HOSTILE, "href": "es/index.html", "current": False}]
    return render_site_index([page], city, "riverbend", languages)


def cohort_page(tmp_path: Path) -> str:
    # The page is made from the build folder: a module whose title is the hostile text,
    # and a workspace record (the most common request) holding it too.
    _built_module(tmp_path / "build", HOSTILE)
    records = tmp_path / "build" / "riverbend" / "workspace" / "records.json"
    records.parent.mkdir(parents=True)
    records.write_text('{"top_request_type": {"value": ' + json.dumps(HOSTILE)
                       + "}}", encoding="utf-8")
    return write_cohort_page(tmp_path / "build").read_text(encoding="utf-8")


def progress_page(tmp_path: Path) -> str:
    missing = tmp_path / HOSTILE.replace("/", "_")  # reported as a folder that is missing
    report = write_progress_report([missing], tmp_path / "out")
    return report.html_path.read_text(encoding="utf-8")


def brief_page(tmp_path: Path) -> str:
    made = brief.weekly_brief(hand_built_city(), STANDARDS, as_of=AS_OF, city_name=HOSTILE,
                              synthetic=True)
    return made.write_html(tmp_path / "brief.html").read_text(encoding="utf-8")


def glossary_page(tmp_path: Path) -> str:
    from cda_lib.core.pages import render_page
    from cda_lib.workbook.glossary import GlossaryEntry

    return render_page("pages/glossary.html.j2", language="es", title=HOSTILE,
                       introduction=HOSTILE, term_heading="Term", meaning_heading="Means",
                       show_english=True, entries=[GlossaryEntry(HOSTILE, HOSTILE, HOSTILE)])


def readiness_page(tmp_path: Path) -> str:
    from cda_lib.data import load_city_data
    from cda_lib.workbook.readiness import render_readiness_page

    data = load_city_data("riverbend")
    data.city = dataclasses.replace(data.city, name=HOSTILE)
    return render_readiness_page(data)


def memo_page(tmp_path: Path) -> str:
    from invest_fixtures import hand_candidates

    from cda_lib.core.readable import ReadableTable, Sentences
    from cda_lib.themes.invest.memo import investment_memo
    from cda_lib.themes.invest.portfolio import (
        DEFAULT_WEIGHTS,
        best_portfolio,
        fund_down_the_ranking,
    )
    from cda_lib.themes.invest.sensitivity import weight_sensitivity

    candidates = hand_candidates()
    candidates.table["name"] = HOSTILE  # a candidate's name, in the tables and sentences
    for column, value in (("accountability_risk", ""), ("risk", "low")):
        candidates.table[column] = value
    memo = investment_memo(HOSTILE, best_portfolio(candidates, DEFAULT_WEIGHTS),
                           fund_down_the_ranking(candidates, DEFAULT_WEIGHTS),
                           weight_sensitivity(candidates, DEFAULT_WEIGHTS), candidates)
    # the notebook's readable tables and sentences, shown inside the same page
    shown = Sentences([HOSTILE], ReadableTable([HOSTILE], [[(HOSTILE, False)]],
                                               caption=HOSTILE, notes=[HOSTILE]))
    return memo.page().replace("</body>", shown._repr_html_() + "</body>")


def resident_page(tmp_path: Path) -> str:
    from communicate_fixtures import plain_data

    from cda_lib.themes.empower.communicate import headline_figures
    from cda_lib.themes.empower.makeover import chart_makeover
    from cda_lib.themes.empower.resident_page import dashboard_link, resident_dashboard

    data = plain_data()
    data.city = dataclasses.replace(data.city, name=HOSTILE)
    figures = headline_figures(data)
    # the notebook's makeover and link to the page, shown inside the same page
    shown = chart_makeover(figures.type_counts, figures.requests, context=data.chart_context,
                           period=figures.period)._repr_html_() + \
        dashboard_link(tmp_path / HOSTILE)._repr_html_()
    return resident_dashboard(data).page().replace("</body>", shown + "</body>")


PAGES = {"index": front_page, "site contents": site_contents, "cohort": cohort_page,
         "progress": progress_page, "brief": brief_page, "glossary": glossary_page,
         "readiness": readiness_page, "memo": memo_page, "resident": resident_page}
# The templates each case above renders (besides base.html.j2, which every page extends).
COVERED = {
    "index": ["index.html.j2"],
    "site contents": ["site_index.html.j2", "language_switch.html.j2"],
    "cohort": ["cohort.html.j2", "cohort_charts.html.j2", "cohort_sort.js"],
    "progress": ["progress.html.j2"],
    "brief": ["brief.html.j2", "brief_body.html.j2"],
    "glossary": ["glossary.html.j2"],
    "readiness": ["readiness.html.j2"],
    "memo": ["investment_memo.html.j2", "investment_memo_body.html.j2",
             "readable_table.html.j2", "readable_sentences.html.j2"],
    "resident": ["resident_dashboard.html.j2", "makeover.html.j2",
                 "resident_dashboard_link.html.j2"],
    "fragments": ["city_card.html.j2", "site_navigation.html.j2", "exercise_question.html.j2",
                  "widget_style.html.j2"],
}


@pytest.mark.parametrize("name", PAGES)
def test_every_page_escapes_what_it_shows(name, tmp_path):
    page = PAGES[name](tmp_path)
    assert ESCAPED.replace("/", "_" if name == "progress" else "/") in page, name
    assert "<script>alert" not in page, name


@pytest.mark.parametrize("name", PAGES)
def test_every_page_embeds_the_one_stylesheet_and_links_nothing(name, tmp_path):
    page = PAGES[name](tmp_path)
    styles = re.findall(r"<style>\n?(.*?)</style>", page, re.DOTALL)
    assert len(styles) == 1, name
    assert styles[0].strip() == stylesheet().strip(), name
    assert "<link" not in page, name  # a linked file might not travel with the page
    assert re.search(r"<body class=\"cda-page cda-[a-z-]+\">", page), name


def test_the_stylesheet_is_scoped_so_widgets_can_embed_it_inside_jupyterlab():
    # Every rule's selectors start at a page's body class or a widget's own class: none
    # would restyle JupyterLab, where the exercise widgets embed the same sheet.
    css = re.sub(r"/\*.*?\*/", "", stylesheet(), flags=re.DOTALL)
    for selectors in re.findall(r"([^{}]+)\{[^{}]*\}", css):
        for selector in selectors.split(","):
            selector = selector.strip()
            if selector.startswith("@page"):
                continue
            assert re.match(r"(body)?\.cda-", selector), selector


def test_the_cards_and_fragments_escape_too():
    city = dataclasses.replace(load_city("riverbend"), name=HOSTILE, notes=HOSTILE)
    card = city._repr_html_()
    assert card.count(ESCAPED) == 2 and "<script>" not in card
    question = render_fragment("pages/exercise_question.html.j2", exercise_id="0.1",
                               question=HOSTILE)
    assert ESCAPED in question and "<script>" not in question


def test_every_page_template_is_covered_here():
    on_disk = {path.name for path in (TEMPLATES / "pages").iterdir()} - {"base.html.j2"}
    assert on_disk == {name for names in COVERED.values() for name in names}

