"""Page 2.5's computed sentences in Spanish and Portuguese (cda_lib/themes/invest), built from
figures worked out by hand in tests/ai_fixtures.py and tests/test_ai_page.py.

With the rule "potholes, or North", Triage Town's districts give: East misses 4 of its 5
late requests (80%), the worst; North 0 of 5 (0%), the best; 31 requests have a known
outcome, 2 have none and 1 has no district. The five hand-made uses: routing, chatbot,
fraud flags and translation high risk (routing and the flags in use), and the chatbot, the
flags and translation need human review. District and type names are the data's own.
"""

from __future__ import annotations

import pytest
from ai_fixtures import AS_OF, STANDARDS, hand_inventory, triage_requests

from cda_lib.text.translation import use_language
from cda_lib.themes.invest.ai_register import ai_register, register_table
from cda_lib.themes.invest.risk_form import RiskReviewForm
from cda_lib.themes.invest.triage import TriageRule, triage_errors


@pytest.mark.parametrize(("language", "expected"), [
    ("es", "La regla marca una solicitud como urgente si su tipo es Pothole repair o si viene "
           "de North. Una solicitud necesitaba prioridad si se atrasó: se cerró después del "
           "estándar de servicio de su tipo o sigue abierta pasado ese plazo. 31 solicitudes "
           "tienen un resultado conocido; se dejan fuera 2 sin estándar o aún dentro de él, y 1 "
           "sin distrito. La regla omite 4 de las 5 solicitudes atrasadas en East (80%), frente "
           "a 0 de las 5 solicitudes atrasadas en North (0%)."),
    ("pt", "A regra marca uma solicitação como urgente se o seu tipo for Pothole repair ou se "
           "ela vier de North. Uma solicitação precisava de prioridade se atrasou: foi fechada "
           "depois do padrão de atendimento do seu tipo ou continua aberta depois dele. 31 "
           "solicitações têm um resultado conhecido; ficam de fora 2 sem padrão ou ainda dentro "
           "dele e 1 sem distrito. A regra deixa passar 4 das 5 solicitações atrasadas em East "
           "(80%), contra 0 das 5 solicitações atrasadas em North (0%)."),
])
def test_the_triage_finding_is_said_in_the_pages_language(language, expected):
    with use_language(language):
        errors = triage_errors(triage_requests(), STANDARDS, as_of=AS_OF,
                               rule=TriageRule(("POTHOLE",), ("North",)))
        assert str(errors.summary()) == expected
        headings = errors.table().headings
    assert headings[5] == {"es": "Tasa de omisión", "pt": "Taxa de omissão"}[language]


def test_the_register_is_said_in_spanish():
    with use_language("es"):
        register = ai_register(hand_inventory())
        assert str(register.summary()) == (
            "4 de los 5 usos son de riesgo alto: Enrutamiento de solicitudes 311, Chatbot en el "
            "sitio web de la ciudad, Alertas de fraude en beneficios y Traducción automática de "
            "avisos. 2 de ellos ya están en uso: revíselos primero. 3 usos necesitan que una "
            "persona revise lo que deciden.")
        table = register_table(register).to_frame()
    assert list(table.columns) == ["Uso", "Estado", "Riesgo", "Salvaguardas que necesita",
                                   "Responsable"]
    # the forecast, last: medium risk, bias testing only
    assert table.iloc[-1].tolist() == ["Pronóstico de ingresos", "En uso", "Medio",
                                       "pruebas de sesgo", "Oficina de presupuesto"]


def test_the_form_answers_in_portuguese():
    with use_language("pt"):
        form = RiskReviewForm()
        # major x large = broad; broad x negative = extreme
        form.controls["degree"].value = "major"
        form.controls["scale"].value = "large"
        form.controls["direction"].value = "negative"
        assert form.sentences()[0] == "Impacto: o alcance é amplo, então o impacto é extremo."
        assert form.sentences()[-1] == "Risco geral: alto."
