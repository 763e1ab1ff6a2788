"""Page 3.3's computed sentences and chart titles in Spanish and Portuguese, on Fairfield
(tests/equity_fixtures.py), whose figures tests/test_equity.py works out by hand: Amber
(40% low-income) closes half its requests within 8 days and 40% on time, Birch (10%) within
2 days and 67%; on-time ratio 0.60 (0.33 to 1.09), rate ratio 20/15 = 1.33 (0.76 to 2.35).
Numbers are written the language's way: a comma before decimals."""

from __future__ import annotations

import pytest
from equity_fixtures import DISTRICTS, equity_requests

from cda_lib.charts.style import ChartContext
from cda_lib.synth.districts import grid_boundaries
from cda_lib.text.translation import use_language
from cda_lib.themes.empower.charts import plot_choropleth, plot_days_against_income
from cda_lib.themes.empower.equity import compare_groups, equity_table

AS_OF = "2025-12-31 23:59:59"


def _said(language: str) -> list[str]:
    with use_language(language):
        table = equity_table(equity_requests(), DISTRICTS, {"POTHOLE": 5}, as_of=AS_OF)
        return compare_groups(equity_requests(), table, {"POTHOLE": 5},
                              as_of=AS_OF).sentences().sentences


@pytest.mark.parametrize(("language", "slower", "on_time"), [
    ("es", "Las solicitudes se cerraron más lentamente en los distritos con más hogares de "
           "bajos ingresos: la mitad en 8,0 días, frente a 2,0 días en los demás.",
     "El 40% de sus solicitudes se cerró a tiempo, frente al 67%: 0,60 veces la frecuencia "
     "(intervalo del 95%: 0,33 a 1,09). El intervalo incluye el 1: los datos no permiten "
     "distinguir esta diferencia del azar."),
    ("pt", "As solicitações foram fechadas mais devagar nos distritos com mais domicílios de "
           "baixa renda: metade em até 8,0 dias, contra 2,0 dias nos demais.",
     "40% das suas solicitações foram fechadas no prazo, contra 67%: 0,60 vezes a frequência "
     "(intervalo de 95%: 0,33 a 1,09). O intervalo inclui o 1: os dados não permitem "
     "distinguir esta diferença do acaso."),
])
def test_the_disparity_is_said_in_the_pages_language(language, slower, on_time):
    said = _said(language)
    assert said[1] == slower
    assert said[2] == on_time
    assert "1,33" in said[3] and "0,76 a 2,35" in said[3]


def test_the_charts_state_their_finding_in_portuguese():
    with use_language("pt"):
        table = equity_table(equity_requests(), DISTRICTS, {"POTHOLE": 5}, as_of=AS_OF)
        context = ChartContext("Fairfield", synthetic=True)
        chart = plot_days_against_income(table, context=context)
        assert chart.title == ("Mais lento: Amber (8,0 dias, 40% de baixa renda); mais rápido: "
                               "Birch (2,0 dias, 10%)")
        assert chart.alt_text.startswith("Dados sintéticos.")
        shapes = grid_boundaries(table["district"], seed=1)
        choropleth = plot_choropleth(table, shapes, context=context, generated=True)
        assert choropleth.title == "Mediana de dias até o fechamento, por distrito"
        assert "não são um mapa" in choropleth.alt_text
