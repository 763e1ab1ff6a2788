"""The languages: one English source, gettext catalogs, numbers and dates by locale.

The expected Spanish and Portuguese forms are CLDR's, as a Colombian or Brazilian reader
writes them: a point between thousands and a comma before decimals (1.234,5), "de" in a
full date, "y" / "e" before the last item of a list.
"""

from __future__ import annotations

import datetime as dt
import json

import nbformat
import pytest

from cda_lib.cities.city import LANGUAGES as CITY_LANGUAGES
from cda_lib.text import dates, numbers, translation
from cda_lib.text.translation import format_message, gettext as _, ngettext, use_language
from cda_lib.workbook import catalogs, notebooks
from cda_lib.workbook.jobs import Job, plan_jobs

NEW_YEARS_EVE = dt.datetime(2025, 12, 31, 9, 30)


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ("1,234.5", "62%", "7.1%", "+14 points", "3.4 days", "1 request")),
    ("es", ("1.234,5", "62%", "7,1%", "+14 puntos", "3,4 días", "1 solicitud")),
    ("pt", ("1.234,5", "62%", "7,1%", "+14 pontos", "3,4 dias", "1 solicitação")),
])
def test_figures_are_written_the_languages_way(language, expected):
    with use_language(language):
        written = (numbers.format_number(1234.5, 1), numbers.format_percent(0.62),
                   numbers.format_percent(0.0712, 1), numbers.format_points(0.1386),
                   numbers.format_value(3.44, "days"), numbers.format_value(1, "requests"))
    assert written == expected


@pytest.mark.parametrize(("language", "long", "day", "month", "joined"), [
    ("en", "31 December 2025", "31 Dec 2025", "December 2025", "A, B and C"),
    ("es", "31 de diciembre de 2025", "31 dic 2025", "diciembre de 2025", "A, B y C"),
    ("pt", "31 de dezembro de 2025", "31 dez. 2025", "dezembro de 2025", "A, B e C"),
])
def test_dates_months_and_lists_come_from_the_locale(language, long, day, month, joined):
    with use_language(language):
        assert dates.format_date(NEW_YEARS_EVE, "long") == long
        assert dates.format_date(NEW_YEARS_EVE, "day") == day
        assert dates.format_date(NEW_YEARS_EVE, "month") == month
        assert dates.format_list(["A", "B", "C"]) == joined


def test_month_names_stand_alone_in_each_language():
    assert dates.month_names(language="en")[:2] == ("January", "February")
    assert dates.month_names(language="es")[:2] == ("enero", "febrero")
    assert dates.month_names(language="pt")[8] == "setembro"


def test_format_specs_follow_the_language_and_text_is_untouched():
    with use_language("pt"):
        text = format_message("{n:,} pedidos em 3.5 horas ({share:.1%})", n=12345, share=0.5)
    # The literal "3.5" is text the message wrote, not a value: only the values change.
    assert text == "12.345 pedidos em 3.5 horas (50,0%)"


def test_use_language_is_undone_after_the_block_and_checks_the_code():
    with use_language("es"):
        assert translation.current_language() == "es"
    assert translation.current_language() == "en"
    with pytest.raises(ValueError, match='not written in "fr"'), use_language("fr"):
        pass


def test_city_files_offer_exactly_the_workbooks_languages():
    assert set(CITY_LANGUAGES) == set(translation.LANGUAGES)


def _write_catalog(folder, language, part, entries):
    """A .po file with ``entries`` ({msgid, or ("#", context, msgid): msgstr}), fuzzy if
    the msgstr starts with "~"; a plural's msgid and msgstr are tuples."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale=language, domain=part)
    for key, value in entries.items():
        context, msgid = key[1:] if key[0] == "#" else (None, key)
        flags = ("fuzzy",) if isinstance(value, str) and value.startswith("~") else ()
        text = value.lstrip("~") if isinstance(value, str) else value
        catalog.add(msgid, text, context=context, flags=flags)
    path = folder / language / "LC_MESSAGES" / f"{part}.po"
    catalog_write = catalogs.write_catalog
    catalog_write(path, catalog)
    return path


@pytest.fixture
def locale_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(translation, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(catalogs, "LOCALE_DIR", tmp_path)
    return tmp_path


def test_a_sentence_is_translated_and_filled_and_a_stale_one_stays_english(locale_dir):
    _write_catalog(locale_dir, "es", "sample", {
        "Read {count:,} rows": "Se leyeron {count:,} filas",
        "Set aside {count} rows": "~Se apartaron {count} filas",  # fuzzy: English changed
        ("{count} request", "{count} requests"): ("{count} solicitud", "{count} solicitudes",
                                                  "{count} solicitudes"),
    })
    with use_language("es"):
        assert _("Read {count:,} rows", count=12345) == "Se leyeron 12.345 filas"
        assert _("Set aside {count} rows", count=3) == "Set aside 3 rows"
        assert ngettext("{count} request", "{count} requests", 1) == "1 solicitud"
        assert ngettext("{count} request", "{count} requests", 4) == "4 solicitudes"
        assert _("Never translated") == "Never translated"


def test_a_translation_naming_a_wrong_value_falls_back_to_english(locale_dir):
    _write_catalog(locale_dir, "pt", "sample", {"{city} has {n} requests": "{cidade} tem {n}"})
    with use_language("pt"):
        assert _("{city} has {n} requests", city="Serra Clara", n=5) == "Serra Clara has 5 requests"


def test_problems_name_missing_stale_and_mismatched_sentences(locale_dir, monkeypatch, tmp_path):
    source = tmp_path / "sample.py"
    source.write_text('from x import _\n_("One {n}")\n_("Two")\n_("Three {city}")\n_("Four")\n')
    part = catalogs.Part("sample", (source,))
    catalogs.write_catalog(catalogs.template_path(part), catalogs.extract(part))
    _write_catalog(locale_dir, "es", "sample", {"One {n}": "Uno {n}", "Two": "~Dos",
                                                "Three {city}": "Tres {ciudad}"})
    found = catalogs.problems("es", part)
    assert [problem.split(":")[0] for problem in found] == [
        "stale (fuzzy)", "placeholders differ (['ciudad'] for ['city'])", "missing"]
    assert catalogs.coverage("es", part) == catalogs.Coverage("sample", "es", 4, 2, 1)


def test_changed_english_marks_its_translation_stale(locale_dir, monkeypatch, tmp_path):
    source = tmp_path / "sample.py"
    source.write_text('_("The backlog grew by {n} requests this week.")\n')
    part = catalogs.Part("sample", (source,))
    monkeypatch.setattr(catalogs, "parts", lambda: [part])
    catalogs.update(("es",))
    path = catalogs.catalog_path(part, "es")
    catalog = catalogs.read_catalog(path, "es")
    catalog["The backlog grew by {n} requests this week."].string = \
        "El rezago creció en {n} solicitudes esta semana."
    catalogs.write_catalog(path, catalog)
    assert catalogs.problems("es", part) == []

    source.write_text('_("The backlog grew by {n} requests in the week.")\n')
    assert catalogs.problems("es", part)[0].endswith("run `cda translations --update`.")
    catalogs.update(("es",))
    assert [p.split(":")[0] for p in catalogs.problems("es", part)] == ["stale (fuzzy)"]


def test_a_markdown_cell_is_swapped_by_its_id_and_an_untranslated_one_says_english(locale_dir):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Your city", id="title"),
                      nbformat.v4.new_markdown_cell("Not translated yet.", id="later"),
                      nbformat.v4.new_code_cell("x = 1  # stays", id="code")]
    name = "notebooks/09_sample/01_sample.ipynb"
    _write_catalog(locale_dir, "es", "sample",
                   {("#", notebooks.cell_context(name, "title"), "# Your city"): "# Tu ciudad"})
    built = notebooks.translate_cells(notebook, name, "es")
    assert [cell.source for cell in built.cells] == ["# Tu ciudad", "Not translated yet.",
                                                     "x = 1  # stays"]
    assert "lang" not in built.cells[0].metadata.get("cda", {})
    assert built.cells[1].metadata["cda"]["lang"] == "en"
    assert built.metadata["cda"]["language"] == "es"
    assert notebook.cells[0].source == "# Your city"  # the source is not changed


def test_every_cell_of_every_notebook_has_a_unique_id():
    for path in catalogs.PACKAGE.parent.glob("*/0*/*.ipynb"):
        raw = json.loads(path.read_text(encoding="utf-8"))
        assert (raw["nbformat"], raw["nbformat_minor"]) >= (4, 5), path
        ids = [cell.get("id") for cell in raw["cells"]]
        assert all(ids) and len(set(ids)) == len(ids), path


def test_every_template_matches_the_english_source():
    """A changed English sentence with no `cda translations --update` fails here."""
    stale = [catalogs.template_path(part).name for part in catalogs.parts()
             if catalogs._keys(catalogs.extract(part))
             != catalogs._keys(catalogs.read_catalog(catalogs.template_path(part)))]
    assert stale == [], "run `cda translations --update`"


@pytest.mark.parametrize("language", catalogs.SHIPPED_LANGUAGES)
@pytest.mark.parametrize("part", [part.name for part in catalogs.parts()])
def test_shipped_languages_translate_every_sentence(language, part):
    """Spanish and Portuguese stay at 100%: an English sentence added or changed without
    its translations fails here (`cda translations --problems` lists them)."""
    assert catalogs.problems(language, catalogs.part_named(part)) == []


def test_jobs_are_built_in_the_citys_language_unless_the_build_says_otherwise():
    from cda_lib.cities.loader import load_city

    villa = load_city("villa-serena")

    def source(city):
        return [Job(city.id, catalogs.PACKAGE.parent / "notebooks/x.ipynb", "x.ipynb")]

    own, = plan_jobs([villa], [source])
    english, = plan_jobs([villa], [source], language="en")
    assert (villa.language, own.language, english.language) == ("es", "es", "en")
    assert own.injected_parameters() == {"city": "villa-serena", "language": "es"}


def test_coverage_is_counted_per_file_of_a_part(locale_dir, tmp_path):
    first, second = tmp_path / "first.py", tmp_path / "second.py"
    first.write_text('_("One")\n_("Two")\n')
    second.write_text('_("Three")\n')
    part = catalogs.Part("sample", (first, second))
    catalogs.write_catalog(catalogs.template_path(part), catalogs.extract(part))
    _write_catalog(locale_dir, "pt", "sample", {"One": "Um", "Three": "~Três"})
    found = catalogs.coverage_by_file("pt", part)
    assert [(c.total, c.translated, c.fuzzy, c.missing) for c in found.values()] == \
        [(2, 1, 0, 1), (1, 0, 1, 0)]


# One English word, one word in each language: a learner who reads "proporção" on one page and
# "parcela" or "fração" on the next for the same "share" wonders whether they differ.
PORTUGUESE_SHARE_AVOIDED = ("parcela", "parcelas", "fração", "frações")


def test_portuguese_says_share_one_way():
    import re
    from pathlib import Path

    from babel.messages.pofile import read_po

    avoided = re.compile(r"\b(?:" + "|".join(PORTUGUESE_SHARE_AVOIDED) + r")\b", re.IGNORECASE)
    found = []
    for path in sorted(Path(catalogs.__file__).parents[1].glob("locale/pt/LC_MESSAGES/*.po")):
        with path.open("rb") as source:
            for message in read_po(source):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                found += [f"{path.name}: {text[:80]}" for text in strings
                          if text and avoided.search(text)]
    glossary = (Path(catalogs.__file__).parents[1] / "locale/glossary.yaml").read_text("utf-8")
    found += [line.strip() for line in glossary.splitlines()
              if line.strip().startswith("pt:") and avoided.search(line)]
    assert found == []
