"""The library's own sentences in Spanish and Portuguese: charts, accounts, errors, periods.

Every expected sentence below is written out by hand from the catalogs' translations, with
the figures worked out from the fixture: Spanish (Colombia) and Brazilian Portuguese group
thousands with a point (1.234) and write decimals with a comma (2,0), as CLDR says.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cda_lib.charts.kinds import (
    plot_requests_per_month,
    plot_top_request_types,
    plot_weekday_pattern,
)
from cda_lib.charts.style import ChartContext
from cda_lib.core.account import LoadAccount
from cda_lib.metrics.inputs import UnknownChoiceError
from cda_lib.metrics.periods import describe_period
from cda_lib.metrics.selection import select_requests
from cda_lib.text.translation import use_language

# 1,234 potholes and 766 graffiti: 2,000 requests, the potholes 1234 / 2000 = 61.7%, "62%".
TYPES = pd.DataFrame({"service_name": ["Bache"] * 1234 + ["Grafiti"] * 766})
VILLA_SERENA = ChartContext("Villa Serena", synthetic=True)


def texts(chart) -> list[str]:
    """Every piece of text drawn on the chart: banner, title, subtitle, labels, ticks."""
    return [t.get_text() for t in chart.figure.findobj(lambda a: hasattr(a, "get_text"))]


@pytest.mark.parametrize(("language", "label"), [
    ("es", "DATOS SINTÉTICOS — para la enseñanza; no son los registros reales de la ciudad"),
    ("pt", "DADOS SINTÉTICOS — para o ensino; não são os registros reais da cidade"),
])
def test_the_synthetic_data_label_is_in_the_pages_language(language, label):
    with use_language(language):
        chart = plot_top_request_types(TYPES, context=VILLA_SERENA)
    assert label in texts(chart)
    assert "SYNTHETIC DATA — for teaching; not the city's real records" not in texts(chart)


@pytest.mark.parametrize(("language", "title", "alt", "subtitle", "bar"), [
    ("es", "Bache es la solicitud más frecuente: 62% del total",
     "Datos sintéticos. Gráfico de barras horizontales de los 2 tipos de solicitud de "
     "servicio más frecuentes en Villa Serena, de mayor a menor. Bache es la solicitud más "
     "frecuente: 62% del total.",
     "Los 2 más frecuentes de los 2 tipos de solicitud de Villa Serena, sobre 2.000 solicitudes",
     "1.234 (62%)"),
    ("pt", "Bache é a solicitação mais frequente: 62% do total",
     "Dados sintéticos. Gráfico de barras horizontais dos 2 tipos de solicitação de serviço "
     "mais frequentes em Villa Serena, do maior para o menor. Bache é a solicitação mais "
     "frequente: 62% do total.",
     "Os 2 mais frequentes dos 2 tipos de solicitação de Villa Serena, de um total de 2.000 "
     "solicitações",
     "1.234 (62%)"),
])
def test_a_charts_title_alt_text_and_figures_are_translated(language, title, alt, subtitle, bar):
    with use_language(language):
        chart = plot_top_request_types(TYPES, context=VILLA_SERENA)
    assert chart.title == title
    assert chart.alt_text == alt
    assert subtitle in [text.replace("\n", " ") for text in texts(chart)]
    assert bar in texts(chart)  # the bar's label: 1,234 requests, written the language's way


@pytest.mark.parametrize(("language", "title"), [
    # Two requests on Monday 3 March, one each on Tuesday 4 and Wednesday 5: averages 2.0,
    # 1.0 and 1.0 (one day of each), so Tuesday ties with one other day for the quietest.
    ("es", "Los lunes son los días con más solicitudes: 2,0 en un lunes promedio; los martes, "
           "los de menos (empate con 1 día más): 1,0"),
    ("pt", "Mais solicitações em segundas-feiras: 2,0 em média por segunda-feira; menos em "
           "terças-feiras (empate com mais 1 dia): 1,0"),
])
def test_weekday_names_and_decimals_come_from_the_language(language, title):
    dated = pd.DataFrame({"requested_datetime": pd.to_datetime(
        ["2025-03-03", "2025-03-03", "2025-03-04", "2025-03-05"])})
    with use_language(language):
        chart = plot_weekday_pattern(dated, context=ChartContext("Serra Clara", False))
    assert chart.title == title


@pytest.mark.parametrize(("language", "lines"), [
    # 1,235 rows, the last repeating the id of the second: 1,234 kept, 1 set aside.
    ("es", ["Se leyeron 1.235 filas de export.csv: se conservaron 1.234 y se apartaron 1.",
            "Se apartaron 1 de 1.235 filas: identificador de solicitud repetido"]),
    ("pt", ["Foram lidas 1.235 linhas de export.csv: 1.234 mantidas, 1 separadas.",
            "Foram separadas 1 de 1.235 linhas: identificador de solicitação repetido"]),
])
def test_an_account_summary_is_written_in_the_language_with_its_reason(language, lines):
    raw = pd.DataFrame({"id": [str(i) for i in range(1234)] + ["1"]})
    account = LoadAccount.start("export.csv", raw)
    account.set_aside(raw["id"].duplicated(), "duplicate request id")
    with use_language(language):
        assert account.summary_lines() == lines
    # The reason stays an English key in the account itself, whatever the page's language.
    assert account.reasons().index.tolist() == ["duplicate request id"]


@pytest.mark.parametrize(("language", "message"), [
    ("es", 'Esta tabla no tiene el distrito "Nortbank". ¿Quiso decir "Northbank"? Tiene '
           '"Northbank" y "Old Town".'),
    ("pt", 'Esta tabela não tem o distrito "Nortbank". Você quis dizer "Northbank"? Ela tem '
           '"Northbank" e "Old Town".'),
])
def test_a_learners_typo_gets_its_message_in_the_language(language, message):
    table = pd.DataFrame({"service_code": ["POTHOLE", "NOISE"],
                          "district": ["Northbank", "Old Town"],
                          "requested_datetime": pd.to_datetime(["2025-03-01", "2025-04-02"])})
    with use_language(language), pytest.raises(UnknownChoiceError) as caught:
        select_requests(table, district="Nortbank")
    assert str(caught.value) == message


@pytest.mark.parametrize(("language", "week", "month"), [
    ("es", "la semana del 10 mar 2025", "marzo de 2025"),
    ("pt", "a semana de 10 mar. 2025", "março de 2025"),
])
def test_period_labels_are_said_with_the_languages_dates(language, week, month):
    with use_language(language):
        assert describe_period("2025-03-10/2025-03-16") == week
        assert describe_period("2025-03") == month


@pytest.mark.parametrize(("language", "ticks", "thousand"), [
    # A request every 10 minutes, 1 January to 30 June 2025: six months, a tick on each, the
    # year at January (CLDR's stand-alone abbreviations). January's 31 x 144 = 4,464 requests
    # top the count axis at 4,464 x 1.12 = 5,000: ten steps of 500, so 1,000 is a tick.
    ("es", ["2025", "feb.", "mar.", "abr.", "may.", "jun."], "1.000"),
    ("pt", ["2025", "fev.", "mar.", "abr.", "mai.", "jun."], "1.000"),
])
def test_a_time_axis_names_the_months_in_the_language(language, ticks, thousand):
    steady = pd.DataFrame({"requested_datetime": pd.date_range("2025-01-01", "2025-06-30 23:50",
                                                               freq="10min")})
    with use_language(language):
        chart = plot_requests_per_month(steady, context=VILLA_SERENA)
    chart.png_bytes()  # drawn later, in English: the ticks keep the chart's language
    axes = chart.figure.axes[0]
    assert [label.get_text() for label in axes.get_xticklabels()] == ticks
    assert thousand in [label.get_text() for label in axes.get_yticklabels()]
