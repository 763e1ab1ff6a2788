"""Page 2.1's computed sentences in Spanish and Portuguese, built from Handcount's team
(tests/maturity_fixtures.py, where every average is worked out by hand).

The team's averages: governance 3.67, quality 4.17, use 3.83, capacity 3.00, transparency
2.67; capacity's spread is the widest (Ana 2.0, Ben 4.0). What Works Cities: 4 of the 7
criteria (57%), Silver; Gold needs 68% of 7 = 4.76, so 5: one more, the closest being
Rigorous Evaluations (3.33). Numbers are written the language's way: a comma before decimals.
"""

from __future__ import annotations

import pytest
from maturity_fixtures import hand_answers_table

from cda_lib.text.translation import use_language
from cda_lib.themes.invest.maturity import (
    TeamAnswers,
    answered_sentence,
    disagreement_sentence,
    strength_sentence,
    weakest_sentence,
)
from cda_lib.themes.invest.maturity_cohort import cohort_comparison
from cda_lib.themes.invest.maturity_form import Questionnaire
from cda_lib.themes.invest.maturity_wwc import wwc_estimate


@pytest.fixture
def answers():
    return TeamAnswers(hand_answers_table(), synthetic=False)


@pytest.mark.parametrize(("language", "strength", "disagreement"), [
    ("es", "El componente más fuerte del equipo es calidad (4,2 de 5) y el más débil, "
           "transparencia (2,7 de 5).",
     "Donde más discrepan los integrantes es en capacidad: en capacidad, sus promedios van de "
     "2,0 a 4,0, una dispersión de 2,0 puntos. Convérsenlo antes de actuar según el "
     "promedio."),
    ("pt", "O componente mais forte da equipe é qualidade (4,2 de 5) e o mais fraco, "
           "transparência (2,7 de 5).",
     "Os integrantes divergem mais em capacidade: em capacidade, as suas médias vão de 2,0 a "
     "4,0, uma dispersão de 2,0 pontos. Conversem sobre isso antes de agir com base na "
     "média."),
])
def test_the_profile_is_said_in_the_pages_language(answers, language, strength, disagreement):
    with use_language(language):
        assert strength_sentence(answers) == strength
        assert disagreement_sentence(answers) == disagreement


def test_the_team_and_its_weakest_practices_in_spanish(answers):
    with use_language("es"):
        assert answered_sentence(answers, "Handcount") == (
            "3 integrantes del equipo de Handcount han respondido: Ben, Ana y Cai.")
        # results 1.00, stewards 2.00, inventory 3.00
        assert weakest_sentence(answers) == (
            "Las prácticas más débiles: La ciudad comparte sus metas y resultados con los "
            "residentes y les pide su opinión (1,0); Un líder de datos tiene el mandato para "
            "liderar, y cada conjunto de datos importante tiene un responsable de datos "
            "designado (2,0); La ciudad mantiene un inventario integral de sus datos (3,0).")


@pytest.mark.parametrize(("language", "expected"), [
    ("es", ["Las respuestas cumplen 4 de los 7 criterios de What Works Cities que cubre el "
            "cuestionario (57%): Silver (plata).",
            "Gold (oro) requiere 5 de 7: 1 criterio más, como Evaluaciones rigurosas."]),
    ("pt", ["As respostas cumprem 4 dos 7 critérios do What Works Cities que o questionário "
            "cobre (57%): Silver (prata).",
            "Gold (ouro) exige 5 de 7: mais 1 critério, como Avaliações rigorosas."]),
])
def test_the_what_works_cities_estimate_in_the_pages_language(answers, language, expected):
    with use_language(language):
        assert wwc_estimate(answers).sentences() == expected


def test_no_other_city_is_said_plainly_in_portuguese(answers, tmp_path):
    with use_language("pt"):
        said = cohort_comparison("hand_counted_city", answers.team_profile(),
                                 build_root=tmp_path).sentences()
    assert said == ["Nenhuma outra cidade desta compilação registrou ainda um perfil de "
                    "maturidade, então não há com o que comparar. As outras cidades aparecem "
                    "aqui quando a página 2.1 delas é compilada na mesma pasta."]


def test_the_form_speaks_spanish(tmp_path):
    from cda_lib.core.workspace import Workspace

    with use_language("es"):
        form = Questionnaire(Workspace("hand_counted_city", folder=tmp_path))
        form.name.value = "Ana"
        for control in form.scores.values():
            control.value = 4
        assert form.save() == ("Guardadas: las 10 respuestas de Ana. Hasta ahora ha respondido "
                               "1 integrante.")
        assert "Nivel 4: Un comité con un propósito escrito" in \
            form.anchors["governance-committee"].value
