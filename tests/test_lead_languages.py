"""Theme 1's computed sentences and charts in Spanish and Portuguese (cda_lib/themes/lead).

Each sentence is built from figures worked out by hand on a small table, so the test
checks both the words (the lead catalogs, cda_lib/locale/<es|pt>/LC_MESSAGES/lead.po) and
the figures written the language's way: a point between thousands and a comma before
decimals (1.320, 10,0%), "de" in a full date, the month names of the locale.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
from lead_fixtures import pilot_data, routine_data, weeks

from cda_lib.charts.style import ChartContext
from cda_lib.text.translation import use_language
from cda_lib.themes.lead import brief, charts, patterns, pilot_evaluation, questions
from cda_lib.themes.lead.exercises import questions as question_exercises
from cda_lib.workbook import catalogs

BOSTON = ChartContext("Boston", synthetic=False)  # real data: the alt text has no label


def _volume_table() -> pd.DataFrame:
    """1,200 requests in January 2024 and 1,320 in December 2025: with the extract on
    31 December 2025, the last 12 months hold the 1,320 and the 12 before them the 1,200,
    so the change is 120 / 1,200 = 10.0%."""
    return pd.DataFrame({"requested_datetime": pd.to_datetime(
        ["2024-01-15"] * 1200 + ["2025-12-15"] * 1320)})


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "1,320 requests in the 12 months to 31 December 2025: 10.0% more than the 1,200 of "
           "the 12 months before."),
    ("es", "1.320 solicitudes en los 12 meses hasta el 31 de diciembre de 2025: 10,0% más que "
           "las 1.200 de los 12 meses anteriores."),
    ("pt", "1.320 solicitações nos 12 meses até 31 de dezembro de 2025: 10,0% a mais que as "
           "1.200 dos 12 meses anteriores."),
])
def test_the_volume_sentence_is_written_in_the_pages_language(language, expected):
    with use_language(language):
        assert str(patterns.volume_change(_volume_table(), as_of="2025-12-31")) == expected


def _closing_times() -> pd.DataFrame:
    """31 requests in March 2025 (15 closed in 2 days, one in 2.5, 15 in 4: median 2.5
    days) and 31 in March 2024 (15 in 4 days, one in 4.5, 15 in 6: median 4.5), all closed
    long before the extract: 2.0 days faster, and for a time to close lower is better."""
    rows = []
    for opened, days in (("2025-03-10", [2.0] * 15 + [2.5] + [4.0] * 15),
                         ("2024-03-11", [4.0] * 15 + [4.5] + [6.0] * 15)):
        for wait in days:
            start = pd.Timestamp(opened)
            rows.append({"service_code": "POTHOLE", "status": "closed",
                         "requested_datetime": start,
                         "closed_datetime": start + pd.Timedelta(days=wait)})
    return pd.DataFrame(rows)


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Median days to close, all requests citywide: 2.5 days for the 31 requests opened "
           "between 1 March 2025 and 31 March 2025, against 4.5 days between 1 March 2024 and "
           "31 March 2024: 2.0 days lower, which is better."),
    ("es", "Mediana de días hasta el cierre, todas las solicitudes en toda la ciudad: 2,5 días "
           "para las 31 solicitudes registradas entre el 1 de marzo de 2025 y el 31 de marzo de "
           "2025, frente a 4,5 días entre el 1 de marzo de 2024 y el 31 de marzo de 2024: "
           "2,0 días por debajo, lo cual es mejor."),
    ("pt", "Mediana de dias até o fechamento, todas as solicitações em toda a cidade: 2,5 dias "
           "para as 31 solicitações registradas entre 1 de março de 2025 e 31 de março de 2025, "
           "contra 4,5 dias entre 1 de março de 2024 e 31 de março de 2024: 2,0 dias abaixo, o "
           "que é melhor."),
])
def test_a_questions_answer_states_its_figures_in_the_pages_language(language, expected):
    question = questions.MeasurableQuestion(
        "Are potholes fixed faster?", metric="median_days",
        period=("2025-03-01", "2025-03-31"), compared_with=("2024-03-01", "2024-03-31"))
    with use_language(language):
        answer = question.answer(_closing_times(), as_of="2025-06-30")
        assert answer.sentence() == expected


def _days_to_close() -> pd.DataFrame:
    """Nine requests closing in 1 day and one in 91: median 1, mean (9 + 91) / 10 = 10.
    The bars stop at the 95th percentile, 1 + 0.55 x 90 = 50.5, i.e. the 51-day bar."""
    opened = pd.Timestamp("2025-01-01")
    return pd.DataFrame({"service_code": "NOISE", "status": "closed",
                         "requested_datetime": [opened] * 10,
                         "closed_datetime": [opened + pd.Timedelta(days=d)
                                             for d in [1] * 9 + [91]]})


@pytest.mark.parametrize(("language", "title", "alt_text"), [
    ("es",
     "La espera media, 10,0 días, es 10,0 veces la mediana, 1,0 días: unas pocas solicitudes "
     "lentas la hacen subir",
     "Histograma de los días hasta el cierre de las solicitudes cerradas en Boston, con la "
     "mediana y la media marcadas. La espera media, 10,0 días, es 10,0 veces la mediana, 1,0 "
     "días: unas pocas solicitudes lentas la hacen subir. Solo solicitudes cerradas (10): las "
     "abiertas todavía no tienen un tiempo de cierre. No se muestra: 1 de las solicitudes "
     "tardó más de 51 días (el 5% más lento); sí está en la media."),
    ("pt",
     "A espera média, 10,0 dias, é 10,0 vezes a mediana, 1,0 dias: algumas solicitações lentas "
     "puxam a média para cima",
     "Histograma dos dias até o fechamento das solicitações fechadas em Boston, com a mediana e "
     "a média marcadas. A espera média, 10,0 dias, é 10,0 vezes a mediana, 1,0 dias: algumas "
     "solicitações lentas puxam a média para cima. Só solicitações fechadas (10): as abertas "
     "ainda não têm um tempo de fechamento. Fora do gráfico: 1 das solicitações levou mais de "
     "51 dias (os 5% mais lentos); ela está na média."),
])
def test_a_charts_title_and_alt_text_are_in_the_pages_language(language, title, alt_text):
    with use_language(language):
        chart = charts.plot_days_to_close(_days_to_close(), as_of="2025-06-30", context=BOSTON)
    assert chart.title == title
    assert chart.alt_text == alt_text


@pytest.mark.parametrize(("language", "title", "opened", "backlog"), [
    # Benchville's week of 22-28 Dec 2025: 40 + 40 + 10 + 1 requests every Monday, the same
    # as each of the 11 weeks before (0%); open at its end: 30 curb repairs (never closed)
    # and the week's 20 slow alley cleanings, 50, against 26 curb repairs four weeks before.
    ("es", "Handcount: informe para la reunión de desempeño, semana del 22 dic 2025 al 28 dic "
           "2025",
     "91 solicitudes registradas esta semana (0% frente al promedio de las 11 semanas "
     "anteriores).", "50 solicitudes abiertas al final de la semana (+24 en cuatro semanas)."),
    ("pt", "Handcount: informe para a reunião de desempenho, semana de 22 dez. 2025 a 28 dez. "
           "2025",
     "91 solicitações registradas nesta semana (0% em relação à média das 11 semanas "
     "anteriores).", "50 solicitações abertas no fim da semana (+24 em quatro semanas)."),
])
def test_the_briefs_title_and_headline_are_in_the_pages_language(language, title, opened,
                                                                 backlog):
    with use_language(language):
        result = brief.brief_for_city(routine_data())
        assert result.title == title
    assert result.headline[:2] == [opened, backlog]


@pytest.mark.parametrize(("language", "verdict"), [
    # Pilotville: South 5 of 10 on time before and 9 of 10 after, the comparison 5 of 20
    # throughout: (90% - 50%) - (25% - 25%) = +40 points, and every resample agrees.
    ("es", "El intervalo del 95%, de +40 puntos a +40 puntos, deja fuera el cero: el cambio es "
           "mayor que las subidas y bajadas habituales."),
    ("pt", "O intervalo de 95%, de +40 pontos a +40 pontos, deixa o zero de fora: a mudança é "
           "maior que os altos e baixos habituais."),
])
def test_a_leaders_reading_is_in_the_pages_language(language, verdict):
    result = pilot_evaluation.evaluate(pilot_data(weeks(5, 9), weeks(5, 5)))
    with use_language(language):
        reading = pilot_evaluation.leader_reading(result)
        shown = str(reading).splitlines()  # the headings are translated where shown
    assert reading.verdict == verdict
    assert shown[1] == {"es": "Usted puede decir:", "pt": "Você pode dizer:"}[language]


def test_months_are_named_by_the_locale_and_matched_by_position():
    # Pothole requests: 3 in January's 31 days, 1 in February's 28: January is the peak
    # (letter A of exercise 1.1.3) in every language.
    table = pd.DataFrame({"service_name": ["Pothole"] * 4, "requested_datetime": pd.to_datetime(
        ["2025-01-01", "2025-01-15", "2025-01-31", "2025-02-28"])})
    data = SimpleNamespace(requests=table)
    for language, first in (("en", "January"), ("es", "enero"), ("pt", "janeiro")):
        with use_language(language):
            assert patterns.seasonal_index(table).index[0] == first
            assert question_exercises.peak_month(data) == "A"


@pytest.mark.parametrize("language", ["es", "pt"])
def test_every_sentence_of_theme_1s_code_is_translated(language):
    found = catalogs.coverage(language, catalogs.part_named("lead"))
    assert found.total > 300  # the sentences of cda_lib/themes/lead/**/*.py
    assert (found.translated, found.fuzzy) == (found.total, 0)
