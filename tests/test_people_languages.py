"""Page 2.3's computed sentences in Spanish and Portuguese, on Handcount's four-person team
(tests/people_fixtures.py; the figures are worked out in tests/test_people_page.py), in
Colombian pesos at the workbook's round rate (4,000 to the dollar): a level of training
US$4,500 is COP 18,000,000, so the officer's 3 levels cost COP 54,000,000. The Portuguese
test keeps the team's figures as they are, in reais at a rate of 1, so that the pay signal
is the one worked out by hand."""

from __future__ import annotations

from people_fixtures import hand_roster

from cda_lib.text.translation import use_language
from cda_lib.themes.invest.skills import skill_gaps
from cda_lib.themes.invest.talent import retention_risks, train_or_hire


def test_the_gaps_in_spanish():
    with use_language("es"):
        assert skill_gaps(hand_roster("COP", 4000)).sentences()[0] == (
            "La estrategia necesita 9 puestos en 5 roles; el equipo de 4 personas ocupa 4.")


def test_train_or_hire_in_spanish_in_pesos():
    options = train_or_hire(hand_roster("COP", 4000))
    with use_language("es"):
        assert options.summary()[0] == "El equipo tiene 8 brechas que cerrar."
        # officer: 3 levels × 18,000,000; a hire 160,000 × 4,000 = 640,000,000
        assert options.row_sentence(next(options.table.itertuples())) == (
            "Director o directora de datos, un puesto vacante: capacitar a Ben Ortiz, la "
            "persona más cercana del equipo (le faltan 3 niveles), cuesta $54.000.000 y toma "
            "6 meses; contratar a una persona cuesta $640.000.000 al año y toma 7 meses entre "
            "reclutarla y que se adapte.")


def test_retention_in_portuguese():
    with use_language("pt"):
        assert retention_risks(hand_roster("BRL")).sentences()[0] == (
            "Pela regra da página (dois sinais ou mais de três), 2 das 4 pessoas da equipe "
            "estão em risco de sair: Ada Park e Cleo Diaz.")
