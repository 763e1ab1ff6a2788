"""Page 3.4's sentences in Spanish and Portuguese, on Handcount's 44 requests
(tests/communicate_fixtures.py): 40 in 2025, Pothole repair 20 of them (50%), 20 / 12 = 1.7
times Streetlight out; median 2.0 days; on time 75%. Numbers are written the language's way
(a comma before decimals), and each summary is scored with its own language's formula."""

from __future__ import annotations

import pytest
from communicate_fixtures import plain_data

from cda_lib.text.translation import use_language
from cda_lib.themes.empower.communicate import headline_figures, plain_summary, scored_summary
from cda_lib.themes.empower.makeover import finding_title


@pytest.mark.parametrize(("language", "summary", "title", "formula"), [
    ("es", ["Los habitantes de Handcount pidieron ayuda a la ciudad 40 veces en los 12 meses "
            "hasta el 31 dic 2025.",
            "La solicitud más común fue Pothole repair: el 50% del total.",
            "La mitad de las solicitudes se resolvió en 2,0 días o menos.",
            "El 75% se resolvió a tiempo."],
     "Pothole repair es la solicitud más común: el 50% de todas las solicitudes, 1,7 veces el "
     "tipo siguiente", "Lecturabilidad de Fernández Huerta"),
    ("pt", ["Os moradores de Handcount pediram ajuda à prefeitura 40 vezes no período de 12 "
            "meses até 31 dez. 2025.",
            "A solicitação mais comum foi Pothole repair: 50% do total.",
            "Metade das solicitações foi resolvida em até 2,0 dias.",
            "75% foram resolvidas no prazo."],
     "Pothole repair é a solicitação mais comum: 50% de todas as solicitações, 1,7 vezes o "
     "tipo seguinte", "Índice de facilidade de leitura de Flesch adaptado ao português"),
])
def test_the_summary_and_title_are_said_in_the_pages_language(language, summary, title,
                                                              formula):
    with use_language(language):
        figures = headline_figures(plain_data())
        assert plain_summary(figures) == summary
        assert finding_title(figures.type_counts, figures.requests) == title
        scored = scored_summary(figures)
        assert scored.readability.language == language
        assert str(scored).split(" ".join(summary))[1].strip().startswith(formula)
        assert scored.readability.meets_target
