"""The translation catalogs: extracted from the English source, updated, checked, counted.

Every sentence a participant reads is English in one place (a ``_()`` call, a template,
an exercise file, a notebook's markdown cell) and is extracted into a gettext template
per **part** of the workbook (``cda_lib/locale/<part>.pot``); each language has one
catalog per part (``cda_lib/locale/<language>/LC_MESSAGES/<part>.po``), which a
translator opens in Poedit or any translation platform. A part is one layer of the
library, a theme's code (its computed sentences and charts: ``lead``), a theme's exercise
files (questions, feedback and hints: ``lead-exercises``) or a theme's pages (its
notebooks' and exercise notebooks' markdown cells: ``lead-pages``), so that translators,
and the people checking them, take a whole piece at a time.

``cda translations --update`` extracts every part and merges the templates into each
catalog with Babel: a new sentence arrives empty, and a sentence whose English changed
keeps its old translation marked *fuzzy* (stale), which the pages do not use until a
translator confirms it. ``cda translations`` prints the coverage per language and part.

A notebook's markdown cell is one message, keyed by its notebook and cell id
(``msgctxt "notebooks/00_welcome/01_how_to_use_this_workbook.ipynb#cell-00"``), so a
translator translates a whole cell in context and a build swaps it in by id.
"""

from __future__ import annotations

import datetime as dt
import io
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cda_lib.core import paths
from cda_lib.text.translation import LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE
from cda_lib.themes import all_themes
from cda_lib.workbook.notebooks import cell_context, source_name

PACKAGE = Path(__file__).resolve().parent.parent
DOMAIN_HEADER = "City Data Alliance Workbook"
# The keywords that mark a sentence in Python and in templates (cda_lib.text.translation).
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
COMMENT_TAGS = ("Translators:",)
# What an exercise file holds for a participant to read (cda_lib.exercises.definitions).
EXERCISE_TEXT_KEYS = frozenset({"title", "question", "start", "right", "why", "next_step",
                                "next_step_without_code",
                                "message", "text", "description", "placeholder", "empty"})
EXERCISE_TEXT_LISTS = frozenset({"hints"})
EXERCISE_TEXT_MAPPINGS = frozenset({"options"})
SHAPES_FILE_NAME = "shapes.yaml"  # cda_lib/exercises/shapes.yaml: no exercises: key
# The library's layers, as parts: (part, the folders and files under cda_lib/ it holds).
LIBRARY_PARTS = (
    ("library", ("text", "core", "cities", "sources", "synth", "data.py", "__init__.py")),
    ("metrics", ("metrics", "charts")),
    ("exercises", ("exercises",)),
    ("pages", ("templates", "workbook", "cli.py")),
)
# Languages whose catalogs must be complete (tests/test_translations.py): every page of
# their cities is built in them.
SHIPPED_LANGUAGES = tuple(code for code in LANGUAGES if code != SOURCE_LANGUAGE)
FIXED_CREATION_DATE = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)  # keeps the .pot files stable


@dataclass(frozen=True)
class Part:
    """One catalog's worth of the workbook: its name and the files its sentences come from."""

    name: str
    files: tuple[Path, ...] = field(default_factory=tuple)


def parts() -> list[Part]:
    """Every part, library layers first, then one per theme in the themes' order."""
    found = [Part(name, tuple(_library_files(entries))) for name, entries in LIBRARY_PARTS]
    for package, theme in all_themes():
        folder = PACKAGE / "themes" / package
        code = sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)
        found.append(Part(package, tuple(code)))
        found.append(Part(f"{package}-exercises", tuple(sorted(folder.rglob("*.yaml")))))
        notebooks = [paths.project_dir() / relative for relative in theme.notebooks()]
        found.append(Part(f"{package}-pages", tuple(notebooks)))
    return found


def part_named(name: str) -> Part:
    """The part called ``name``."""
    for part in parts():
        if part.name == name:
            return part
    names = ", ".join(part.name for part in parts())
    raise ValueError(f'There is no part "{name}" of the workbook. The parts are {names}.')


def _library_files(entries: tuple[str, ...]) -> Iterator[Path]:
    for entry in entries:
        path = PACKAGE / entry
        if path.is_file():
            yield path
            continue
        yield from sorted(p for p in path.rglob("*")
                          if p.suffix in {".py", ".j2", ".yaml"} and "__pycache__" not in p.parts
                          and not p.is_relative_to(PACKAGE / "themes"))


# Extraction -------------------------------------------------------------------------------

def extract(part: Part):
    """The part's template: a Babel catalog of every sentence in its files."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(project=DOMAIN_HEADER, domain=part.name,
                      creation_date=FIXED_CREATION_DATE, charset="utf-8")
    for path in part.files:
        where = source_name(path)
        for lineno, message, comments, context in _messages(path):
            catalog.add(message, locations=[(where, lineno)], auto_comments=comments,
                        context=context)
    return catalog


def _messages(path: Path) -> Iterator[tuple[int, str | tuple[str, ...], list[str], str | None]]:
    from babel.messages.extract import extract as babel_extract

    if path.suffix == ".py":
        with open(path, "rb") as handle:
            for lineno, message, comments, context in babel_extract(
                    "python", handle, keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
                    strip_comment_tags=True):
                yield lineno, message, comments, context
    elif path.suffix == ".j2":
        from jinja2.ext import babel_extract as jinja_extract

        with open(path, "rb") as handle:
            for lineno, message, comments, context in babel_extract(
                    jinja_extract, handle, keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
                    strip_comment_tags=True, options={"trimmed": "true"}):
                yield lineno, message, comments, context
    elif path.suffix == ".ipynb":
        yield from _notebook_messages(path)
    elif path.suffix == ".yaml":
        yield from _exercise_messages(path)


def _notebook_messages(path: Path):
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    where = source_name(path)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown" and cell.source.strip():
            yield index + 1, cell.source, [], cell_context(where, cell.id)


def _exercise_messages(path: Path):
    import yaml

    from cda_lib.core.plain_yaml import PlainYamlLoader

    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=PlainYamlLoader)
    # An exercise file, the engine's shapes of each kind of exercise (shared sentences), or a
    # questionnaire (statements: page 2.1's maturity_criteria.yaml).
    if not isinstance(raw, dict) or ("exercises" not in raw and "statements" not in raw
                                     and path.name != SHAPES_FILE_NAME):
        return
    for text in _exercise_texts(raw):
        yield 0, text, [], None


def _exercise_texts(node, key: str | None = None) -> Iterator[str]:
    """Every participant-facing text in an exercise file, in the file's order."""
    if isinstance(node, dict):
        for name, value in node.items():
            if name in EXERCISE_TEXT_MAPPINGS and isinstance(value, dict):
                yield from (text for text in value.values() if isinstance(text, str) and text)
            else:
                yield from _exercise_texts(value, name)
    elif isinstance(node, list):
        for item in node:
            if key in EXERCISE_TEXT_LISTS and isinstance(item, str):
                if item:
                    yield item
            else:
                yield from _exercise_texts(item, key)
    elif isinstance(node, str) and node and key in EXERCISE_TEXT_KEYS:
        yield node


# Templates and catalogs on disk ------------------------------------------------------------

def template_path(part: Part | str) -> Path:
    """Where a part's template (``.pot``) is kept."""
    return LOCALE_DIR / f"{getattr(part, 'name', part)}.pot"


def catalog_path(part: Part | str, language: str) -> Path:
    """Where a part's catalog in ``language`` is kept."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{getattr(part, 'name', part)}.po"


def read_catalog(path: Path, language: str | None = None):
    """A ``.po`` or ``.pot`` file as a Babel catalog (an empty one if there is none)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    if not path.exists():
        return Catalog(locale=language, domain=path.stem, project=DOMAIN_HEADER,
                       creation_date=FIXED_CREATION_DATE)
    with open(path, "rb") as handle:
        return read_po(handle, locale=language, domain=path.stem)


def write_catalog(path: Path, catalog) -> bool:
    """Write ``catalog`` to ``path`` when its text changes; True if it did.

    A language's catalog is written with its header settled (Babel's new catalogs mark the
    header *fuzzy*, which reads as one stale entry); a template (``.pot``) keeps the flag.
    """
    from babel.messages.pofile import write_po

    if path.suffix == ".po":
        catalog.fuzzy = False
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, include_lineno=False, sort_by_file=False,
             ignore_obsolete=False)
    text = buffer.getvalue()
    if path.exists() and _without_dates(path.read_bytes()) == _without_dates(text):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text)
    return True


def _without_dates(text: bytes) -> bytes:
    return b"\n".join(line for line in text.splitlines()
                      if not line.startswith((b'"POT-Creation-Date', b'"PO-Revision-Date')))


def update(languages: tuple[str, ...] = SHIPPED_LANGUAGES) -> list[Path]:
    """Extract every part and merge it into each language's catalog; the files changed."""
    changed = []
    for part in parts():
        template = extract(part)
        if write_catalog(template_path(part), template):
            changed.append(template_path(part))
        for language in languages:
            path = catalog_path(part, language)
            catalog = read_catalog(path, language)
            catalog.update(template, update_creation_date=False)
            catalog.obsolete.clear()  # a removed sentence's translation is not kept
            if write_catalog(path, catalog):
                changed.append(path)
    return changed


# Coverage and checks ------------------------------------------------------------------------

@dataclass(frozen=True)
class Coverage:
    """How much of one part a language's catalog translates."""

    part: str
    language: str
    total: int
    translated: int
    fuzzy: int

    @property
    def missing(self) -> int:
        return self.total - self.translated - self.fuzzy

    @property
    def share(self) -> float:
        return self.translated / self.total if self.total else 1.0


def coverage(language: str, part: Part) -> Coverage:
    """How many of the part's sentences ``language`` translates, and how many are stale."""
    template = read_catalog(template_path(part))
    catalog = read_catalog(catalog_path(part, language), language)
    translated = fuzzy = total = 0
    for message in template:
        if not message.id:
            continue
        total += 1
        entry = catalog.get(message.id, context=message.context)
        if entry is None or not _has_translation(entry):
            continue
        if entry.fuzzy:
            fuzzy += 1
        else:
            translated += 1
    return Coverage(part.name, language, total, translated, fuzzy)


def _has_translation(entry) -> bool:
    strings = entry.string if isinstance(entry.string, tuple | list) else (entry.string,)
    return all(text for text in strings)


def placeholders(text: str) -> set[str]:
    """The names a sentence fills in (``{count:,}`` is ``count``).

    >>> sorted(placeholders("{count:,} of {total} ({share:.0%})"))
    ['count', 'share', 'total']
    """
    try:
        return {name.split(".")[0].split("[")[0]
                for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return set()


def problems(language: str, part: Part) -> list[str]:
    """What is wrong with ``language``'s catalog of ``part``: each missing, stale or
    mismatched translation, and a template that no longer matches the source."""
    found = []
    extracted = extract(part)
    template = read_catalog(template_path(part))
    if _keys(extracted) != _keys(template):
        found.append(f"{template_path(part).name} is out of date with the source: "
                     "run `cda translations --update`.")
    catalog = read_catalog(catalog_path(part, language), language)
    for message in extracted:
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        label = _label(message)
        if entry is None or not _has_translation(entry):
            found.append(f"missing: {label}")
        elif entry.fuzzy:
            found.append(f"stale (fuzzy): {label}")
        elif message.context is None or "#" not in message.context:
            sources = message.id if isinstance(message.id, tuple) else (message.id,)
            expected = set().union(*(placeholders(text) for text in sources))
            strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            for text in strings:
                if placeholders(text) != expected:
                    found.append(f"placeholders differ ({sorted(placeholders(text))} for "
                                 f"{sorted(expected)}): {label}")
    return found


def _keys(catalog) -> set:
    return {(message.id if isinstance(message.id, str) else tuple(message.id), message.context)
            for message in catalog if message.id}


def _label(message) -> str:
    text = message.id if isinstance(message.id, str) else message.id[0]
    first = text.strip().splitlines()[0] if text.strip() else text
    where = message.context or (message.locations[0][0] if message.locations else "")
    return f"{first[:70]!r} ({where})"


def coverage_by_file(language: str, part: Part) -> dict[str, Coverage]:
    """The coverage of each file of a part (a notebook is one module's page), by where
    each sentence is first found."""
    template = read_catalog(template_path(part))
    catalog = read_catalog(catalog_path(part, language), language)
    counts: dict[str, list[int]] = {}
    for message in template:
        if not message.id:
            continue
        where = message.locations[0][0] if message.locations else "?"
        total_translated_fuzzy = counts.setdefault(where, [0, 0, 0])
        total_translated_fuzzy[0] += 1
        entry = catalog.get(message.id, context=message.context)
        if entry is not None and _has_translation(entry):
            total_translated_fuzzy[2 if entry.fuzzy else 1] += 1
    return {where: Coverage(where, language, *numbers) for where, numbers in counts.items()}


def module_table(languages: tuple[str, ...] = SHIPPED_LANGUAGES) -> str:
    """The coverage and readability of every file of every part, per language."""
    rows = [("language", "file", "translated", "stale", "missing", "coverage", "readability")]
    for language in languages:
        for part in parts():
            catalog = read_catalog(catalog_path(part, language), language)
            by_file = coverage_by_file(language, part)
            for where, found in by_file.items():
                texts = [m.string if isinstance(m.string, str) else m.string[0]
                         for m in catalog if m.id and m.string and not m.fuzzy
                         and m.locations and m.locations[0][0] == where]
                rows.append((language, where, str(found.translated), str(found.fuzzy),
                             str(found.missing), f"{found.share:.0%}",
                             _readability(texts, language)))
    return _table(rows)


def _table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
                     .rstrip() for row in rows)


def coverage_table(languages: tuple[str, ...] = SHIPPED_LANGUAGES) -> str:
    """The coverage of every part in each language, as a plain-text table.

    Readability is textstat's formula for the language (Fernández Huerta for Spanish,
    Flesch's Portuguese adaptation, Flesch reading ease for English), over the part's
    translated sentences: higher is easier; 60 to 70 is plain language for adults.
    """
    rows = [("language", "part", "translated", "stale", "missing", "coverage", "readability")]
    every = parts()
    for part in every:
        english = read_catalog(template_path(part))
        rows.append(("en", part.name, str(len([m for m in english if m.id])), "", "", "source",
                     _readability(_texts(english, "en"), "en")))
    for language in languages:
        for part in every:
            found = coverage(language, part)
            catalog = read_catalog(catalog_path(part, language), language)
            rows.append((language, part.name, str(found.translated), str(found.fuzzy),
                         str(found.missing), f"{found.share:.0%}",
                         _readability(_texts(catalog, language), language)))
    return _table(rows)


def _texts(catalog, language: str) -> list[str]:
    texts = []
    for message in catalog:
        if not message.id or (language != "en" and (message.fuzzy or not message.string)):
            continue
        chosen = message.id if language == "en" else message.string
        texts.append(chosen if isinstance(chosen, str) else chosen[0])
    return texts


READABILITY_FORMULAS = {"en": "flesch_reading_ease", "es": "fernandez_huerta",
                        "pt": "portuguese_reading_ease"}


def portuguese_reading_ease(textstat, prose: str) -> float:
    """Flesch's reading ease adapted to Portuguese (Martins et al., 1996):
    248.835 - 1.015 x words per sentence - 84.6 x syllables per word, syllables counted
    with Portuguese hyphenation. textstat has the formula's inputs but not its constants."""
    return 248.835 - 1.015 * textstat.avg_sentence_length(prose) \
        - 84.6 * textstat.avg_syllables_per_word(prose)


def readability(texts: list[str], language: str) -> float | None:
    """The readability score of ``texts`` in ``language`` (see :func:`coverage_table`),
    or None when there is too little prose to score or textstat is not installed."""
    import re

    # Words and sentence ends only: code, placeholders, markup and figures are not prose.
    prose = " ".join(re.sub(r"[^\w\s.!?,;:]|[\d_]", " ",
                            re.sub(r"`[^`]*`|\{[^}]*\}|https?://\S+", " ", text))
                     for text in texts)
    if len(prose.split()) < 100:
        return None
    try:
        import textstat
    except ImportError:
        return None
    textstat.set_lang({"pt": "pt_BR"}.get(language, language))
    try:
        formula = READABILITY_FORMULAS[language]
        if formula == "portuguese_reading_ease":
            return float(portuguese_reading_ease(textstat, prose))
        return float(getattr(textstat, formula)(prose))
    finally:
        textstat.set_lang("en")


def _readability(texts: list[str], language: str) -> str:
    score = readability(texts, language)
    return "" if score is None else f"{score:.0f}"
