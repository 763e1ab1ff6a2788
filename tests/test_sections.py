"""`# section: KEY` cells in a real kernel: they run when the data has what the section
needs, say why not otherwise, turn a failure into a plain sentence on a module's page, and
leave a participant's own error alone on an exercise page.

One notebook, run by nbclient in a fresh kernel as the builder runs one. The page checked
is made from facts written out here: eight weeks of data (one whole month), 380 of 400
requests closed, no coordinates.
"""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from cda_lib.core.sections import SKIPPED_KEY
from cda_lib.workbook.skips import skipped_sections

SET_UP = """\
%load_ext cda_lib
from cda_lib.core.needs import COORDINATES, DataFacts, Section, months
from cda_lib.core.sections import PageCheck, set_current_page
facts = DataFacts(400, 56, 8, 1, 0, 380, 4, 400, 0, 2, 2)
sections = [Section("counts", "The counts"), Section("backlog", "The backlog", (months(3),)),
            Section("map", "The map", (COORDINATES,)), Section("boom", "The exploding part"),
            Section("after_boom", "The part after it", uses=("boom",)),
            Section("own", "A participant's cell")]
set_current_page(PageCheck("9.9", sections, facts, "Eight Weeks", quiet_errors={quiet}))
"""


def run(cells: list[str], quiet: bool = True) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(SET_UP.format(quiet=quiet))]
                                  + [nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute()
    return nb


def texts(cell) -> list[str]:
    return [o.get("text") or o.get("data", {}).get("text/plain", "") for o in cell.outputs]


@pytest.fixture(scope="module")
def page():
    return run([
        "# section: counts\nx = 41\nx + 1",
        "# section: backlog\nprint('the backlog ran')",
        "# section: map\nprint('the map ran')",
        "# section: boom\n1 / 0",
        "# section: after_boom\nprint('after the failure')",
        "print('the page goes on', x)",
    ])


def test_a_section_whose_needs_are_met_runs_and_shows_its_last_value(page):
    assert texts(page.cells[1]) == ["42"]


def test_a_section_the_data_cannot_run_says_why_in_place_of_its_output(page):
    assert texts(page.cells[2]) == ["The backlog needs at least 3 whole months of requests; "
                                    "this city's data covers 8 weeks."]
    assert page.cells[2].outputs[0].metadata[SKIPPED_KEY]["needs"] == ["months"]
    assert texts(page.cells[3]) == ["The map needs coordinates for the requests; none of "
                                    "this city's requests has coordinates."]


def test_a_failing_section_shows_a_sentence_not_a_traceback_and_its_users_skip(page):
    assert [o.output_type for cell in page.cells for o in cell.outputs].count("error") == 0
    assert texts(page.cells[4]) == ["The exploding part could not run with Eight Weeks's data "
                                    "(ZeroDivisionError). The rest of the page still runs; "
                                    "tell your coach, who can look at the built notebook."]
    assert texts(page.cells[5]) == ["The exploding part: skipped, as said above."]
    assert texts(page.cells[6]) == ["the page goes on 41\n"]


def test_the_builder_reads_each_skipped_section_once_with_why(page):
    found = {skip["section"]: (skip["error"], skip["workbook_error"])
             for skip in skipped_sections(page)}
    assert found == {"backlog": ("", False), "map": ("", False),
                     "boom": ("ZeroDivisionError", False)}


def test_on_an_exercise_page_a_participant_s_own_error_is_shown_as_usual():
    nb = run(["# section: own\nundefined_name"], quiet=False)
    errors = [o for o in nb.cells[1].outputs if o.output_type == "error"]
    assert [e.ename for e in errors] == ["NameError"]


def test_the_top_of_a_page_shows_what_it_skips_and_nothing_when_every_section_runs():
    nb = run(["set_current_page(PageCheck('9.9', sections, facts, 'Eight Weeks')).show()",
              "set_current_page(PageCheck('9.9', sections[:1], facts, 'Eight Weeks')).show()"])
    assert texts(nb.cells[1])[0].startswith("Not every section of this page can run with "
                                            "Eight Weeks's data; 2 sections are skipped:")
    assert nb.cells[2].outputs == []  # not even an empty "Out" prompt
