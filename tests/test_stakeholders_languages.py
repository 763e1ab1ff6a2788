"""Page 3.1's computed sentences and chart title in Spanish and Portuguese, on Fairfield
(tests/stakeholder_fixtures.py), whose figures tests/test_stakeholders.py works out by hand:
40% on time in Q4 2025 (30 requests), 45 requests per 1,000 residents a year, Amber the
slowest at 8.0 days against Birch's 2.0; two stakeholders to manage closely."""

from __future__ import annotations

import pytest
from stakeholder_fixtures import stakeholder_data

from cda_lib.charts.style import ChartContext
from cda_lib.text.translation import use_language
from cda_lib.themes.empower.kickoff import district_figures, kickoff_meeting
from cda_lib.themes.empower.stakeholder_charts import plot_stakeholder_grid
from cda_lib.themes.empower.stakeholders import stakeholder_map


@pytest.fixture(scope="module")
def fairfield(tmp_path_factory):
    return stakeholder_data(tmp_path_factory.mktemp("fairfield"))


@pytest.mark.parametrize(("language", "rate", "slowest", "title"), [
    ("es", "Fairfield recibió 180 solicitudes en 12 meses de datos: 45 por cada 1.000 residentes "
           "al año.",
     "Amber es el que más espera: la mitad de sus solicitudes se cerró en 8,0 días, frente a "
     "2,0 días en Birch, el más rápido.",
     "Hay que gestionar de cerca a 2 de 8 actores: Fairfield Council y Streets Department"),
    ("pt", "Fairfield recebeu 180 solicitações em 12 meses de dados: 45 por 1.000 moradores ao "
           "ano.",
     "Amber é o que mais espera: metade das suas solicitações foi fechada em até 8,0 dias, "
     "contra 2,0 dias em Birch, o mais rápido.",
     "2 de 8 partes interessadas devem ser gerenciadas de perto: Fairfield Council e Streets "
     "Department"),
])
def test_the_meeting_and_the_grid_speak_the_pages_language(fairfield, language, rate, slowest,
                                                            title):
    with use_language(language):
        districts = district_figures(fairfield)
        mapped = stakeholder_map(fairfield, districts)
        meeting = kickoff_meeting(fairfield, mapped, districts)
        assert [figure.sentence for figure in meeting.figures[1:]] == [rate, slowest]
        assert "40%" in meeting.figures[0].sentence and "(30 " in meeting.figures[0].sentence
        chart = plot_stakeholder_grid(mapped, context=ChartContext("Fairfield", synthetic=True))
        assert chart.title == title
        assert chart.alt_text.startswith("Datos sintéticos." if language == "es" else
                                         "Dados sintéticos.")
