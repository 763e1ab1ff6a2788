"""Pointers to other modules: a link when the module exists, nothing when it does not, and
the translations keep them."""

from __future__ import annotations

import re

import nbformat
import pytest
from babel.messages.pofile import read_po

from cda_lib.core import paths
from cda_lib.workbook.notebooks import cell_context
from cda_lib.workbook.pointers import module_notebooks, resolve_notebook_pointers, resolve_pointers

KNOWN = {"2.4": "02_invest/04_choosing_what_to_fund.ipynb",
         "2": "02_invest/04_choosing_what_to_fund.ipynb"}
SPAN = re.compile(r'<span data-(module|theme)="([0-9.]+)">')


def test_a_pointer_to_a_module_that_exists_links_to_it_from_wherever_the_page_is():
    text = 'Next: <span data-module="2.4">[choosing what to fund](module:2.4).</span>'
    assert resolve_pointers(text, "01_lead/05_routine.ipynb", KNOWN) == \
        "Next: [choosing what to fund](../02_invest/04_choosing_what_to_fund.ipynb)."
    # a coach copy sits two folders deeper than the module pages
    assert "(../../02_invest/04_choosing_what_to_fund.ipynb)" in resolve_pointers(
        text, "coach/01_lead/05_routine.ipynb", KNOWN)


def test_a_pointer_to_a_module_not_written_yet_says_nothing_and_leaves_no_gap():
    text = ('Who asks is not only who needs. <span data-module="3.3">[The equity module]'
            '(module:3.3) returns to this.</span>\n\nNext paragraph.')
    assert resolve_pointers(text, "00_welcome/02_x.ipynb", KNOWN) == \
        "Who asks is not only who needs.\n\nNext paragraph."
    inside = "for the brief<span data-theme=\"4\">, and later for [the capstone](module:4)</span>."
    assert resolve_pointers(inside, "01_lead/02_x.ipynb", KNOWN) == "for the brief."


def test_the_registry_knows_each_module_and_each_theme_s_first_module():
    known = module_notebooks()
    assert known["1.2"] == "01_lead/02_measuring_performance.ipynb"
    assert known["1"] == "01_lead/01_asking_good_questions.ipynb"
    assert "4" not in known  # the capstone is not written yet


def pointer_cells():
    found = []
    for path in sorted(paths.project_dir().glob("notebooks/**/*.ipynb")) + sorted(
            paths.project_dir().glob("exercises/**/*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        source = path.relative_to(paths.project_dir()).as_posix()
        for cell in notebook.cells:
            if cell.cell_type == "markdown" and SPAN.search(cell.source):
                found.append((source, cell))
    return found


def test_every_page_that_promises_another_module_does_so_through_a_pointer():
    promises = re.compile(r"capstone|equity module|theme 2|theme 3", re.IGNORECASE)
    for path in sorted(paths.project_dir().glob("notebooks/**/*.ipynb")) + sorted(
            paths.project_dir().glob("exercises/**/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "markdown":
                continue
            outside = re.sub(r"<span data-(?:module|theme)=.*?</span>", "", cell.source,
                             flags=re.DOTALL)
            assert not promises.search(outside), f"{path.name} {cell.id}: {outside[:120]}"


@pytest.mark.parametrize("language", ["es", "pt"])
def test_the_translations_keep_every_pointer(language):
    catalogs = {}
    folder = paths.project_dir() / "cda_lib" / "locale" / language / "LC_MESSAGES"
    for part in sorted(folder.glob("*-pages.po")):  # every theme's pages
        with open(part, "rb") as handle:
            catalogs.update({m.context: m.string for m in read_po(handle) if m.context})
    cells = pointer_cells()
    assert len(cells) >= 7
    for source, cell in cells:
        translated = catalogs[cell_context(source, cell.id)]
        assert SPAN.findall(translated) == SPAN.findall(cell.source), (source, cell.id)
        assert translated.count("](module:") == cell.source.count("](module:")


def test_a_built_notebook_s_pointers_are_resolved_in_its_language():
    from cda_lib.workbook.notebooks import translate_cells

    path = paths.project_dir() / "notebooks" / "00_welcome" / "02_your_city_at_a_glance.ipynb"
    spanish = translate_cells(nbformat.read(path, as_version=4),
                              "notebooks/00_welcome/02_your_city_at_a_glance.ipynb", "es")
    text = "".join(c.source for c in resolve_notebook_pointers(
        spanish, "00_welcome/02_your_city_at_a_glance.ipynb").cells)
    # module 3.3 is written: the pointer to it stays, in Spanish, as a link to its page
    assert "[El módulo de equidad](../03_empower/03_who_is_served.ipynb)" in text
    assert "data-module" not in text
    assert "puede haber dejado de pedir." in text
