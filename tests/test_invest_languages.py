"""Page 2.4's computed sentences in Spanish and Portuguese (cda_lib/themes/invest), built from
figures worked out by hand on Handcount's seven candidates (tests/invest_fixtures.py).

The best portfolio there funds five candidates, the chief data officer, the inventory, the
board, the audit and the crew model (300,000 + 200,000 + 40,000 + 50,000 + 50,000 = 640,000
of the 650,000 budget), for 3.1 + 2.5 + 2.2 + 1.7 + 1.1 = 10.6 points; funding down the
ranking pays for the warehouse, the board and the audit (590,000; 3.2 + 2.2 + 1.7 = 7.1).
Numbers are written the language's way: a point between thousands, a comma before decimals.
"""

from __future__ import annotations

import dataclasses

import pytest
from invest_fixtures import hand_candidates, invest_data

from cda_lib.charts.style import ChartContext
from cda_lib.text.translation import use_language
from cda_lib.themes.invest.candidates import investment_candidates
from cda_lib.themes.invest.charts import plot_stability
from cda_lib.themes.invest.portfolio import (
    DEFAULT_WEIGHTS,
    best_portfolio,
    compare_with_ranking,
    fund_down_the_ranking,
    weights_sentence,
)
from cda_lib.themes.invest.sensitivity import weight_sensitivity


def _portfolios(language: str, currency: str = "USD"):
    data = dataclasses.replace(invest_data(), investments=hand_candidates(currency))
    with use_language(language):
        candidates = investment_candidates(data)
        return (best_portfolio(candidates, DEFAULT_WEIGHTS),
                fund_down_the_ranking(candidates, DEFAULT_WEIGHTS), candidates)


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "The best portfolio funds 5 of the 7 candidates, for US$640,000 of the US$650,000 "
           "budget and a total weighted score of 10.6 points: Chief data officer, Full data "
           "inventory, Data governance board, Yearly data quality audit and Predictive "
           "pothole-crew scheduling."),
    ("es", "El mejor portafolio financia 5 de las 7 candidatas, por US$640.000 del presupuesto "
           "de US$650.000 y un puntaje ponderado total de 10,6 puntos: Director o directora de "
           "datos, Inventario completo de datos, Comité de gobernanza de datos, Auditoría anual "
           "de la calidad de los datos y Programación predictiva de cuadrillas de baches."),
    ("pt", "A melhor carteira financia 5 dos 7 candidatos, por US$\u00a0640.000 do orçamento "
           "de US$\u00a0650.000 e uma pontuação ponderada total de 10,6 pontos: Diretor ou "
           "diretora de dados, Inventário completo de dados, Comitê de governança de dados, "
           "Auditoria anual da qualidade dos dados e Programação preditiva das equipes de "
           "tapa-buracos."),
])
def test_the_best_portfolio_is_said_in_the_pages_language(language, expected):
    best, _ranked, _candidates = _portfolios(language)
    with use_language(language):
        assert best.summary() == expected


def test_a_ranking_is_not_a_plan_in_spanish_in_colombian_pesos():
    # the same figures in pesos: 650,000 pesos is written $650.000 on a Spanish page; the
    # gain is 10.6 - 7.1 = 3.5 points
    best, ranked, _candidates = _portfolios("es", "COP")
    with use_language("es"):
        assert str(compare_with_ranking(best, ranked)) == (
            "Un ranking no es un plan: con el mismo presupuesto de $650.000, el mejor "
            "portafolio suma 10,6 puntos y financiar siguiendo el ranking, 7,1 puntos. Son 3,5 "
            "puntos más por el mismo dinero. El mejor portafolio deja fuera Almacén de datos "
            "compartido, que el ranking financia, y en su lugar financia Director o directora "
            "de datos, Inventario completo de datos y Programación predictiva de cuadrillas de "
            "baches.")


@pytest.mark.parametrize(("language", "expected"), [
    # shares of the weights 3, 2, 2, 1, 2 (of 10), largest first, ties in the table's order
    ("es", "gobernanza 30%, calidad 20%, uso 20%, transparencia 20% y capacidad 10%"),
    ("pt", "governança 30%, qualidade 20%, uso 20%, transparência 20% e capacidade 10%"),
])
def test_the_weights_read_in_the_pages_language(language, expected):
    with use_language(language):
        assert weights_sentence(DEFAULT_WEIGHTS) == expected


def test_the_stability_chart_states_its_finding_in_portuguese():
    # the officer, board, audit and crew model are chosen in all 10 cases, the inventory in 7
    # (see test_exercises_invest_portfolio.py, 2.4.4): 4 of the 5
    _best, _ranked, candidates = _portfolios("pt")
    with use_language("pt"):
        result = weight_sensitivity(candidates, DEFAULT_WEIGHTS)
        chart = plot_stability(result, context=ChartContext("Handcount", synthetic=False))
        assert chart.title == ("4 dos 5 investimentos escolhidos continuam escolhidos, qualquer "
                               "que seja o peso que mude 20%")
        assert chart.alt_text.startswith("Dados sintéticos.")
        assert result.summary().startswith(
            "3 das 10 mudanças dos pesos (cada peso 20% para cima ou para baixo) dão outra "
            "melhor carteira. 4 dos seus 5 investimentos são escolhidos sempre:")
