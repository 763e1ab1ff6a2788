"""Page 2.2's computed sentences in Spanish and Portuguese, from figures worked out by hand on
Handcount's seven datasets (tests/inventory_fixtures.py) and 76 requests
(tests/exercise_fixtures.py).

Average score (89 + 44 + 78 + 100 + 38 + 71 + 100) / 7 = 74.3, written 74; the source
system is missing from 4 of 7 datasets (57%); Public Works scores 58.25, written 58. The
requests: 4 completeness problems in 76 rows (5.3%); East 20 requests per 1,000 residents,
South 5: 4.0 times as many. Numbers are written the language's way (5,3%; 1.000; 4,0).
"""

from __future__ import annotations

import pytest
from exercise_fixtures import hand_counted_data
from inventory_fixtures import inventory_data

from cda_lib.text.translation import use_language
from cda_lib.themes.invest.inventory import city_inventory, gaps_table, headline
from cda_lib.themes.invest.request_quality import (
    bias_sentences,
    dimensions_sentences,
    quality_dimensions,
)


@pytest.fixture(scope="module")
def inventory():
    return city_inventory(inventory_data())


@pytest.mark.parametrize(("language", "expected"), [
    ("es", "El inventario de 7 conjuntos de datos de Handcount obtiene en promedio 74 de 100; 2 "
           "conjuntos de datos tienen todos los campos que deben. La brecha más amplia es el "
           "sistema de origen: les falta a 4 de 7 conjuntos de datos. Human Resources encabeza "
           "el tablero de dependencias con 100; Public Works queda última con 58."),
    ("pt", "O inventário de 7 conjuntos de dados de Handcount tem em média 74 de 100; 2 "
           "conjuntos de dados têm todos os campos que devem. A lacuna mais ampla é o sistema "
           "de origem: falta em 4 de 7 conjuntos de dados. Human Resources lidera o quadro de "
           "órgãos com 100; Public Works fica por último com 58."),
])
def test_the_headline_in_the_pages_language(inventory, language, expected):
    with use_language(language):
        assert str(headline(inventory)) == expected


@pytest.mark.parametrize(("language", "row"), [
    ("es", ["el sistema de origen", "4 de 7", "57%", "Potholes"]),
    ("pt", ["o sistema de origem", "4 de 7", "57%", "Potholes"]),
])
def test_the_worst_gap_in_the_pages_language(inventory, language, row):
    with use_language(language):
        table = gaps_table(inventory)
        assert table.to_frame().iloc[0].tolist() == row
        assert table.headings[0] == {"es": "Falta", "pt": "Falta"}[language]


@pytest.mark.parametrize(("language", "dimensions", "bias"), [
    ("es", "La mayor de las tres es la completitud: 4 problemas en 76 filas leídas (5,3%).",
     "Riesgo de sesgo: East envía 20 solicitudes por cada 1.000 residentes, 4,0 veces las de "
     "South (5)."),
    ("pt", "A maior das três é a completude: 4 problemas em 76 linhas lidas (5,3%).",
     "Risco de viés: East envia 20 solicitações por 1.000 moradores, 4,0 vezes as de South "
     "(5)."),
])
def test_the_quality_dimensions_in_the_pages_language(language, dimensions, bias):
    found = quality_dimensions(hand_counted_data())
    with use_language(language):
        assert str(dimensions_sentences(found)) == dimensions
        assert str(bias_sentences(found)).startswith(bias)
