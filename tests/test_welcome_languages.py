"""Module 0's computed sentences in Spanish and Portuguese: page 0.1's printed sums and the
facts its exercise feedback is filled with (dates, months, quarters, the internet note).

Expected figures are worked out by hand (the comment beside each says how); the words are
the catalogs' (cda_lib/locale/<es|pt>/LC_MESSAGES/welcome.po), numbers written the
language's way: a point between thousands, a comma before decimals.
"""

from __future__ import annotations

import pytest
from exercise_fixtures import hand_counted_data

from cda_lib.text.translation import use_language
from cda_lib.themes.welcome import exercises
from cda_lib.themes.welcome.sentences import daily_requests_sentence, requests_a_day_sentence

# Villa Serena: 768,300 residents × 0.15 = 115,245 requests a year; / 250 days = 460.98 → 461.
PER_YEAR, PER_DAY = 768_300 * 0.15, 768_300 * 0.15 / 250


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Villa Serena: about 115,245 requests a year, 461 each working day."),
    ("es", "Villa Serena: unas 115.245 solicitudes al año, 461 por día hábil."),
    ("pt", "Villa Serena: cerca de 115.245 solicitações por ano, 461 por dia útil."),
])
def test_page_01_says_its_sum_in_the_pages_language(language, expected):
    with use_language(language):
        assert requests_a_day_sentence("Villa Serena", PER_YEAR, PER_DAY) == expected


@pytest.mark.parametrize(("language", "share", "per_day", "expected"), [
    ("es", 0.3, 921.96,  # 768,300 × 0.3 / 250 = 921.96 → 922
     "Si el 30% de los residentes hiciera una solicitud al año, su equipo atendería unas 922 "
     "solicitudes cada día hábil."),
    ("pt", 0.05, 1.2,  # a tiny city: 1.2 a day rounds to one request, in the singular
     "Se 5% dos moradores fizessem uma solicitação por ano, a sua equipe atenderia cerca de 1 "
     "solicitação por dia útil."),
    ("en", 0.05, 1.2, "If 5% of residents made one request a year, your team would handle about "
                      "1 request each working day."),
])
def test_the_slider_sentence_says_one_request_or_many(language, share, per_day, expected):
    with use_language(language):
        assert daily_requests_sentence(share, per_day) == expected


@pytest.fixture(scope="module")
def handcount():
    return hand_counted_data()


@pytest.mark.parametrize(("language", "first", "peak_month", "busiest", "quietest"), [
    # Handcount's first request is on 1 January 2024; its first month of 5 requests is July
    # 2025; July–September averages 4.5 a month, January–March 1.5 (exercise_fixtures.py).
    ("en", "1 January 2024", "July 2025", "July to September", "January to March"),
    ("es", "1 de enero de 2024", "julio de 2025", "julio a septiembre", "enero a marzo"),
    ("pt", "1 de janeiro de 2024", "julho de 2025", "julho a setembro", "janeiro a março"),
])
def test_feedback_facts_name_dates_months_and_quarters_in_the_pages_language(
        handcount, language, first, peak_month, busiest, quietest):
    with use_language(language):
        volume = exercises._volume_facts(handcount)
        months = exercises._month_facts(handcount)
        quarters = exercises._quarter_facts(handcount)
    assert volume["first"] == first
    assert months["peak_month"] == peak_month
    assert (quarters["busiest"], quarters["quietest"]) == (busiest, quietest)
    assert (quarters["busy_average"], quarters["quiet_average"]) == (4, 2)  # 4.5, 1.5 rounded even


def test_the_internet_note_is_written_in_the_pages_language(handcount):
    # South has the fewest requests per 1,000 (20 / 4,000); 30% of its households have no
    # internet, against (0.10×2,000 + 0.30×4,000 + 0.05×1,000) / 7,000 = 21% citywide.
    with use_language("es"):
        note = exercises._district_facts(handcount)["internet"]
    assert note == (" En South, el 30% de los hogares no tiene internet en casa, frente al 21% en "
                    "toda la ciudad: menos de sus residentes pueden usar la aplicación o el "
                    "formulario web.")
