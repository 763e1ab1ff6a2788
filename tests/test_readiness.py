"""The data readiness report: what each module can do with a city's data, what to ask for.

The facts below are written out by hand for two made-up extracts, so every expected status
follows from the modules' declared needs (cda_lib/themes/*/__init__.py) and the exercise
files' `needs:`: eight weeks of one request type (400 requests, 380 closed, 4 districts,
no coordinates) and two full years of everything.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cda_lib.core.needs import DataFacts
from cda_lib.data import load_city_data
from cda_lib.workbook.readiness import (
    IN_PART,
    NEEDS_MORE,
    WORKS,
    readiness,
    render_readiness_page,
    write_readiness_page,
)

EIGHT_WEEKS = DataFacts(requests=400, days=56, weeks=8, months=1, quarters=0, closed=380,
                        districts=4, with_district=400, with_coordinates=0, request_types=1,
                        standards=1)
TWO_YEARS = DataFacts(requests=28000, days=731, weeks=104, months=24, quarters=8, closed=27000,
                      districts=6, with_district=27500, with_coordinates=27600,
                      request_types=13, standards=13, with_text=15000, with_address=25000)


def test_two_full_years_of_everything_run_every_module():
    report = readiness(TWO_YEARS)
    statuses = {check.module.id: check.status for check in report.modules}
    assert {"0.1", "0.2", "1.1", "1.2", "1.3", "1.4", "1.5"} <= set(statuses)  # and later ones
    assert set(statuses.values()) == {WORKS}
    working, total = report.sections_working()
    assert working == total and report.asks() == []
    assert report.summary() == f"{total} of {total} sections run with this data."


def test_eight_weeks_without_coordinates_say_what_each_module_lacks():
    report = readiness(EIGHT_WEEKS)
    # 1.4's three sections need 26 weeks (13 before and after a start): none runs
    assert report.module("1.4").status == NEEDS_MORE
    # 0.2: the map needs coordinates and the monthly chart two whole months; the rest runs
    glance = report.module("0.2")
    assert glance.status == IN_PART
    assert [c.section.key for c in glance.sections if not c.works] == ["per_month", "map"]
    # the weekly brief needs 5 weeks, which eight weeks have; only the evaluation's
    # follow-up (26 weeks, as 1.4) does not run
    routine = report.module("1.5")
    assert routine.status == IN_PART
    assert [c.section.key for c in routine.sections if not c.works] == ["evaluation"]
    # of the history needs, only the longest is asked for (24 months also gives 26 weeks)
    # page 3.5 also asks for addresses, free text and more than one request type
    assert report.asks() == ["at least 24 months of history",
                             "the street address of each request (mapped as address)",
                             "coordinates (latitude and longitude) for each request",
                             "the requests' free-text notes (mapped as description), if the "
                             "city means to publish them", "every request type, not one"]


def test_an_exercise_the_data_cannot_answer_is_counted_and_named():
    questions = readiness(EIGHT_WEEKS).module("1.1")
    # 1.1.1 needs 24 months and 1.1.3 twelve; 1.1.4's one whole month is there: 4 of 6
    assert (questions.exercises_available, questions.exercises_total) == (4, 6)
    assert [exercise for exercise, _unmet in questions.exercises_lacking] == ["1.1.1", "1.1.3"]


def test_the_page_shows_the_account_the_statuses_and_what_to_ask_for(tmp_path):
    data = load_city_data("riverbend")
    page = write_readiness_page(data, tmp_path).read_text(encoding="utf-8")
    assert page == render_readiness_page(data)
    assert "SYNTHETIC DATA" in page  # synthetic data is labelled on every page
    assert "Read 28,924 rows" in page and "duplicate request id" in page
    assert "What to ask the city" not in page  # Riverbend's two years lack nothing


def test_the_page_is_in_the_city_s_language():
    page = render_readiness_page(load_city_data("villa-serena"))
    assert '<html lang="es">' in page and "Preparación de los datos" in page


def test_a_typical_city_s_report_prints_on_one_page(tmp_path):
    chromium = shutil.which("chromium") or ("/usr/bin/chromium"
                                           if Path("/usr/bin/chromium").exists() else None)
    if chromium is None:
        pytest.skip("Chromium is not installed; .ci/run installs it.")
    page = write_readiness_page(load_city_data("riverbend"), tmp_path)
    pdf = tmp_path / "readiness.pdf"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update",
                    "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes())) == 1


def test_writing_the_same_report_again_leaves_the_file_untouched(tmp_path):
    data = load_city_data("riverbend")
    path = write_readiness_page(data, tmp_path)
    before = path.stat().st_mtime_ns
    assert write_readiness_page(data, tmp_path) == path
    assert path.stat().st_mtime_ns == before
