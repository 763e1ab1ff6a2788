"""The stress cohort: every page and exercise copy builds for every odd city, and says what
it skipped.

The cities (tests/stress_cohort.py) are small local exports, each odd in one way or two:
three days, eight weeks of one request type, 100 requests dated without times, no
districts, no coordinates, nothing closed, 60 types all closed at once, one district, data
that ends in 2014 with a messy boundaries file beside it. One `cda build` of all nine, as a
coach runs it, into a temporary folder; the notebooks are whatever the themes' registries
list, so a new module joins the net by being registered.

What each city must skip is worked out from its data by hand: the three-day extract has no
whole week, so every section that needs one is skipped; the city without coordinates skips
the map and nothing for lack of districts; and so on.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from cda_lib.themes import all_themes

sys.path.insert(0, str(Path(__file__).parent))
from stress_cohort import STRESS_CITIES, write_stress_cohort  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent.parent / "scripts"))
from check_built_notebooks import page_problems, problems  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stress_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stress")
    city_files = write_stress_cohort(folder / "cohort")
    build = folder / "build"
    done = subprocess.run([sys.executable, "-c", "from cda_lib.cli import main; main()",
                           "build", *map(str, city_files), "--out", str(build)],
                          capture_output=True, text=True, timeout=1500,
                          env={**_environment(), "CDA_CACHE_DIR": str(folder / "cache")})
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    return build, manifest, done.stdout


def _environment():
    import os

    return {key: value for key, value in os.environ.items()
            if key not in ("CDA_BUILD_DIR", "CDA_CITY_FILES")}


def jobs_of(manifest, city):
    return {job["notebook"]: job for job in manifest["jobs"] if job["city"] == city}


def skipped(manifest, city, notebook):
    return {skip["section"]: skip["reason"] for skip in
            jobs_of(manifest, city)[notebook]["skipped_sections"]}


def test_every_notebook_of_every_module_builds_for_every_stress_city(stress_build):
    build, manifest, _out = stress_build
    failed = [f"{job['city']}: {job['notebook']} {job['error_name']}: {job['error_message']}"
              for job in manifest["jobs"] if job["status"] != "built"]
    assert failed == []
    registered = set()
    for _name, theme in all_themes():
        for module in theme.modules:
            registered.add(module.notebook)
            if module.exercises:
                registered |= {f"exercises/{module.exercises}", f"coach/{module.exercises}"}
    for city in STRESS_CITIES:
        built = set(jobs_of(manifest, city.id))
        assert registered <= built, f"{city.id} lacks {sorted(registered - built)}"


def test_no_built_notebook_shows_an_error_or_a_warning(stress_build):
    build, _manifest, _out = stress_build
    found = {str(path.relative_to(build)): problems(path) for path in build.rglob("*.ipynb")
             if "workspace" not in path.parts}
    assert len(found) >= len(STRESS_CITIES) * 19
    assert {path: bad for path, bad in found.items() if bad} == {}


def test_no_built_page_shows_a_python_repr(stress_build):
    build, _manifest, _out = stress_build
    pages = [page for page in build.rglob("*.html") if page.with_suffix(".ipynb").exists()]
    assert len(pages) >= len(STRESS_CITIES) * 13  # pages and coach copies: every city's
    assert {str(page.relative_to(build)): page_problems(page) for page in pages
            if page_problems(page)} == {}


def test_no_section_stopped_on_an_error_that_is_not_the_workbook_s_own(stress_build):
    _build, manifest, _out = stress_build
    bugs = [(job["city"], job["notebook"], skip["section"], skip["error"])
            for job in manifest["jobs"] for skip in job["skipped_sections"]
            if skip["error"] and not skip["workbook_error"]]
    assert bugs == []


def test_the_three_day_extract_skips_what_needs_a_whole_week_and_says_so(stress_build):
    _build, manifest, _out = stress_build
    performance = skipped(manifest, "three-days", "01_lead/02_measuring_performance.ipynb")
    assert performance["backlog"] == ("The backlog at month end needs at least 3 whole months "
                                      "of requests; this city's data covers 3 days.")
    assert set(performance) == {"open_requests", "on_time", "backlog", "rates", "composite",
                                "score_by_month"}
    assert "The weekly brief needs" in skipped(
        manifest, "three-days", "01_lead/05_data_in_the_weekly_routine.ipynb")["brief"]
    # the days-to-close chart needs only closed dates, which the extract has
    assert "waits" not in performance
    job = jobs_of(manifest, "three-days")["01_lead/02_measuring_performance.ipynb"]
    assert job["outcome"] == "built with sections skipped"


def test_each_lack_skips_only_the_sections_that_need_it(stress_build):
    _build, manifest, _out = stress_build
    glance = "00_welcome/02_your_city_at_a_glance.ipynb"
    assert skipped(manifest, "no-coordinates", glance) == {
        "map": "The map of requests needs coordinates for the requests; none of this city's "
               "requests has coordinates."}
    assert set(skipped(manifest, "no-districts", glance)) == {"districts"}
    assert skipped(manifest, "one-district", glance) == {}
    assert skipped(manifest, "one-district", "01_lead/01_asking_good_questions.ipynb") == {
        "district_chart": "The chart of districts against low income needs requests in at "
                          "least 2 districts; this city's requests are in 1 district."}
    # page 2.2: the inventory is the city's own (or fictional) whatever its requests; only the
    # bias risk needs two districts with requests
    inventory = "02_invest/02_data_inventory_and_quality.ipynb"
    assert skipped(manifest, "one-district", inventory) == {
        "bias": "The bias risk between districts needs requests in at least 2 districts; this "
                "city's requests are in 1 district."}
    assert set(skipped(manifest, "no-districts", inventory)) == {"bias"}
    assert skipped(manifest, "three-days", inventory) == {}
    # two whole years, with everything: page 0.2 skips nothing
    assert skipped(manifest, "long-ago", glance) == {}
    nothing_closed = skipped(manifest, "nothing-closed", "01_lead/02_measuring_performance.ipynb")
    assert nothing_closed["waits"].endswith("none of this city's requests has a closed date.")


def test_an_exercise_the_data_cannot_answer_says_so_and_is_not_available(stress_build):
    build, manifest, _out = stress_build
    # the coach copy runs with the city's data (the participant copy is handed out unrun)
    copy = "coach/01_lead/01_asking_good_questions.ipynb"
    questions = skipped(manifest, "eight-weeks-one-type", copy)
    assert questions["1.1.1"] == ("Exercise 1.1.1 needs at least 24 whole months of requests; "
                                  "this city's data covers 8 weeks.")
    # eight weeks from Monday 03 Feb 2020 hold no whole calendar month: 1.1.4 needs one
    assert set(questions) == {"1.1.1", "1.1.3", "1.1.4"}
    notebook = nbformat.read(build / "eight-weeks-one-type" / copy, as_version=4)
    progress = [o for c in notebook.cells if "exercises.progress()" in c.source
                for o in c.outputs]
    shown = "".join(o.get("data", {}).get("text/plain", "") for o in progress)
    assert "not available" in shown


def test_the_summary_and_the_cohort_page_show_the_skipping(stress_build):
    build, _manifest, out = stress_build
    assert "SKIPPED Three Days: 01_lead/02_measuring_performance.ipynb built with sections " \
        "skipped: " in out
    cohort = (build / "cohort.html").read_text(encoding="utf-8")
    assert "◐" in cohort and "built with sections skipped" in cohort
    assert "The backlog at month end needs at least 3 whole months" in cohort


def test_each_city_gets_a_readiness_report_that_asks_for_what_it_lacks(stress_build):
    build, _manifest, _out = stress_build
    three_days = (build / "three-days" / "readiness.html").read_text(encoding="utf-8")
    assert "at least 24 months of history" in three_days
    no_coordinates = (build / "no-coordinates" / "readiness.html").read_text(encoding="utf-8")
    assert "coordinates (latitude and longitude) for each request" in no_coordinates
    assert "at least 24 months of history" in no_coordinates  # 18 months: the look back needs 24
    nothing_closed = (build / "nothing-closed" / "readiness.html").read_text(encoding="utf-8")
    assert "the closed date of each request" in nothing_closed
    assert "coordinates (latitude" not in nothing_closed


def test_coach_notes_are_on_the_coach_s_page_only_and_pages_link_to_pages(stress_build):
    build, _manifest, _out = stress_build
    city = build / "long-ago"
    participants = (city / "01_lead" / "04_did_it_work.html").read_text(encoding="utf-8")
    coach = (city / "coach" / "pages" / "01_lead" / "04_did_it_work.html").read_text(
        encoding="utf-8")
    notebook = nbformat.read(city / "01_lead" / "04_did_it_work.ipynb", as_version=4)
    assert "Coach note." not in participants and "Coach note." in coach
    assert not any("coach-note" in cell.metadata.get("tags", []) for cell in notebook.cells)
    assert "Coach note." not in json.dumps(notebook.metadata)  # not even papermill's copy
    # the previous and next links go to pages, and every page links back to the index
    assert 'href="03_targets_and_signal.html"' in participants
    assert re.findall(r'href="(?![a-z]+:)[^"]*\.ipynb"', participants) == []
    assert 'href="../../index.html"' in participants
    assert 'href="../../../../index.html"' in coach  # <city>/coach/pages/01_lead/
    assert "long-ago/coach/pages/01_lead/04_did_it_work.html" in (build / "index.html").read_text(
        encoding="utf-8")
    # the set-up code (imports, loading the data) is folded, in the page and in Lab
    assert participants.count('<details class="cda-folded-code">') == 1
    set_up = next(c for c in notebook.cells if c.source.startswith("%load_ext cda_lib"))
    assert set_up.metadata["jupyter"]["source_hidden"] is True
    # a pointer to a written module links to its page (3.3, the equity module); one to a
    # module not written yet (the capstone, on page 1.1) leaves no promise behind
    glance = (city / "00_welcome" / "02_your_city_at_a_glance.html").read_text(encoding="utf-8")
    assert "equity module" in glance and "03_who_is_served.html" in glance
    assert "data-module" not in glance and "have given up asking." in glance
    asking = (city / "01_lead" / "01_asking_good_questions.html").read_text(encoding="utf-8")
    assert "the capstone" not in asking and "data-theme" not in asking


def test_a_city_of_one_request_type_gets_page_3_4_without_its_makeover(stress_build):
    """Eight weeks of potholes alone: no types to compare, so no makeover (nor exercise
    3.4.1); every other section, the dashboard included, runs for every stress city."""
    _build, manifest, _out = stress_build
    page = "03_empower/04_say_it_so_people_understand.ipynb"
    assert skipped(manifest, "eight-weeks-one-type", page) == {
        "makeover": "The chart makeover needs at least 2 request types; this city's data has "
                    "1 request type."}
    assert [city.id for city in STRESS_CITIES if skipped(manifest, city.id, page)] == [
        "eight-weeks-one-type"]


def test_a_messy_boundaries_file_is_drawn_with_what_it_could_not_use(stress_build):
    """Long Ago's wards (tests/stress_cohort.py: boundaries): " north ", South and EAST
    match three of its four districts; West's ring has two points and one feature has no
    name (2 set aside); Harbour is no district. The map draws 3 and says the rest."""
    build, _manifest, _out = stress_build
    page = (build / "long-ago" / "03_empower" / "03_who_is_served.html").read_text("utf-8")
    assert "Map of 3 districts of Long Ago" in page
    assert "1 district has no outline in the boundaries file and is not shown: West." in page
    assert "outlines 1 name that is no district in the data: Harbour." in page
    assert "2 features of the boundaries file were set aside" in page
