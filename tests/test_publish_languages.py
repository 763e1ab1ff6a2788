"""Page 3.5's computed sentences in Spanish and Portuguese, on Clearwater
(tests/publish_fixtures.py, worked out there by hand): 5 notes, 4 with personal data (2
names, 1 phone, 1 e-mail, 1 ID); 5 addresses (3 generalised, 1 kept, 1 removed); 10 points
rounded (111 m and 85 m); December's table of 9 counts, 1 primary and 3 complementary. The
placeholders and the block are written the language's way."""

from __future__ import annotations

import pandas as pd
import pytest
from publish_fixtures import publish_data

from cda_lib.metrics.generalise import block_of
from cda_lib.metrics.suppression import suppress_small_counts
from cda_lib.text.translation import use_language
from cda_lib.themes.empower.publish import MonthlyRelease
from cda_lib.themes.empower.publish_files import publish_page


@pytest.mark.parametrize(("language", "personal", "addresses", "table"), [
    ("es",
     'De 5 notas, 4 contenían datos personales que los patrones detectan: 2 nombres, 1 teléfono, '
     '1 correo electrónico y 1 número de documento de identidad, cada uno reemplazado por una '
     'etiqueta como "[teléfono eliminado]".',
     "De 5 direcciones: 3 llevadas a la cuadra, 1 conservadas (sin número de casa), 1 "
     "eliminadas (ilegibles).",
     "La tabla de diciembre de 2025 tiene 9 conteos (incluidos sus totales). 1 está entre 1 y "
     "10 y se suprime; se suprimen 3 más para que ninguno pueda deducirse de los totales."),
    ("pt",
     'De 5 notas, 4 continham dados pessoais que os padrões detectam: 2 nomes, 1 telefone, 1 '
     'e-mail e 1 número de documento de identidade, cada um substituído por um rótulo como '
     '"[telefone removido]".',
     "De 5 endereços: 3 reduzidos à altura da rua, 1 mantidos (sem número da casa), 1 "
     "removidos (ilegíveis).",
     "A tabela de dezembro de 2025 tem 9 contagens (incluídos os totais). 1 está entre 1 e 10 "
     "e é suprimida; 3 a mais são suprimidas para que nenhuma possa ser deduzida dos totais."),
])
def test_the_pages_sentences_in_spanish_and_portuguese(language, personal, addresses, table):
    with use_language(language):
        page = publish_page(publish_data())
        assert str(page.personal.sentences()) == personal
        assert str(page.addresses.sentences()) == addresses
        assert str(page.release.sentences()).startswith(table)
        assert page.extract.loc[0, "description"].startswith(
            {"es": "Caller [nombre eliminado]", "pt": "Caller [nome removido]"}[language])


def test_the_block_is_written_the_languages_way():
    with use_language("es"):
        assert block_of("Calle Hidalgo 1234")[0] == "Calle Hidalgo, cuadra del 1200"
    with use_language("pt"):
        assert block_of("Rua das Flores, 1234 - apto 5")[0] == "Rua das Flores, altura do nº 1200"
        assert block_of("Rua 7 de Setembro, 88")[0] == "Rua 7 de Setembro, números de 1 a 99"


def test_a_table_whose_small_counts_protect_each_other_says_so():
    # North 3 and 5 (total 8), South 4 and 6 (10), East 30 and 40 (70): the six counts from 1
    # to 10 (3, 4, 5, 6 and the totals 8 and 10) already come two to a line, so nothing more
    counts = pd.DataFrame({"North": [3, 5], "South": [4, 6], "East": [30, 40]},
                          index=["Noise", "Pothole"])
    release = MonthlyRelease(None, suppress_small_counts(counts), 0)
    assert str(release.sentences()).startswith(
        "The table for the whole extract has 12 counts (its totals included). 6 are from 1 to "
        "10 and are withheld; no other count needs withholding: each row and column with one "
        "already has another.")
    with use_language("pt"):
        assert "nenhuma outra contagem precisa ser suprimida" in str(release.sentences())
