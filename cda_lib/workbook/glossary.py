"""The glossary page: the workbook's terms in the city's language, with what each means.

The terms live in ``cda_lib/locale/glossary.yaml``, one entry per term with its English,
Spanish and Portuguese word and meaning: translators use the same words every time, and
each city's build holds ``glossary.html`` in its language, the English word beside each
term so a participant can match what a coach says.

>>> mayor = next(entry for entry in glossary_entries("es") if entry.english == "mayor")
>>> mayor.term
'alcalde o alcaldesa'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from cda_lib.core.files import write_text_atomically
from cda_lib.core.pages import render_page
from cda_lib.core.plain_yaml import PlainYamlLoader
from cda_lib.text.translation import (
    LANGUAGES,
    LOCALE_DIR,
    checked_language,
    gettext as _,
    use_language,
)

GLOSSARY_FILE = LOCALE_DIR / "glossary.yaml"
GLOSSARY_NAME = "glossary.html"


@dataclass(frozen=True)
class GlossaryEntry:
    """One term in one language."""

    term: str
    means: str
    english: str


@cache
def _terms() -> tuple[dict, ...]:
    raw = yaml.load(GLOSSARY_FILE.read_text(encoding="utf-8"), Loader=PlainYamlLoader)
    return tuple(raw)


def glossary_entries(language: str) -> list[GlossaryEntry]:
    """Every term in ``language``, in alphabetical order of the term as that language
    writes it (so a Spanish reader finds "mediana" under m)."""
    code = checked_language(language)
    entries = [GlossaryEntry(term[code], term["means"][code], term["en"]) for term in _terms()]
    return sorted(entries, key=lambda entry: entry.term.casefold()) if code != "en" else \
        [GlossaryEntry(term["en"], term["means"]["en"], term["en"]) for term in _terms()]


def missing_translations() -> list[str]:
    """Terms lacking a word or a meaning in some language (the glossary test keeps this empty)."""
    return [f"{term.get('en', '?')}: {code}" for term in _terms() for code in LANGUAGES
            if not term.get(code) or not (term.get("means") or {}).get(code)]


def render_glossary(language: str) -> str:
    """The glossary page in ``language``."""
    with use_language(language) as code:
        return render_page(
            "pages/glossary.html.j2", language=code, title=_("Glossary"),
            introduction=_("The words this workbook uses, and what each one means."),
            term_heading=_("Term"), meaning_heading=_("What it means"),
            show_english=code != "en", entries=glossary_entries(code))


def write_glossary(folder: Path, language: str) -> Path:
    """Write ``glossary.html`` in ``language`` into ``folder`` (a city's build folder)."""
    path = Path(folder) / GLOSSARY_NAME
    write_text_atomically(path, render_glossary(language))
    return path
