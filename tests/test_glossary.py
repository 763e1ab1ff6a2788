"""The glossary: every term in every language, and a page in the city's language."""

from __future__ import annotations

from cda_lib.workbook import glossary

# Terms the issue names: each must be in the glossary, in the region's words.
REQUIRED = {"median": ("mediana", "mediana"), "90th percentile": ("percentil 90", "percentil 90"),
            "backlog": ("rezago", "estoque de pendências"), "control chart":
            ("gráfico de control", "gráfico de controle"), "baseline": ("línea base",
            "linha de base"), "difference-in-differences": ("diferencias en diferencias",
            "diferença em diferenças"), "data steward": ("responsable de datos",
            "responsável pelos dados")}


def test_every_term_has_a_word_and_a_meaning_in_every_language():
    assert glossary.missing_translations() == []


def test_the_issues_terms_are_there_in_latin_american_words():
    spanish = {entry.english: entry.term for entry in glossary.glossary_entries("es")}
    portuguese = {entry.english: entry.term for entry in glossary.glossary_entries("pt")}
    for english, (es, pt) in REQUIRED.items():
        assert (spanish[english], portuguese[english]) == (es, pt)


def test_the_page_is_in_its_language_with_the_english_beside_it(tmp_path):
    page = glossary.write_glossary(tmp_path, "pt").read_text(encoding="utf-8")
    assert '<html lang="pt">' in page
    assert "estoque de pendências" in page and '<td style="text-align:left" lang="en">backlog' \
        in page
    english = glossary.render_glossary("en")
    assert '<html lang="en">' in english and 'lang="en">backlog' not in english
