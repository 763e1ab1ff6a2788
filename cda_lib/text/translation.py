"""Every sentence a participant reads, in the page's language: English, Spanish or Portuguese.

English is the one source. Each sentence the library writes goes through :func:`gettext`,
imported under gettext's own short name (``from cda_lib.text.translation import gettext
as _``). It looks the sentence up in the language's gettext catalogs
(``cda_lib/locale/<language>/LC_MESSAGES/*.po``, made and kept with Babel: see
:mod:`cda_lib.workbook.catalogs`) and fills in its values, formatted the language's way.
A sentence not yet translated stays English.

>>> gettext("Read {count:,} rows", count=12345)
'Read 12,345 rows'
>>> with use_language("es"):
...     format_message("{count:,} rows, {share:.1%} of {total:,}", count=12345, share=0.0712,
...                    total=173400)
'12.345 rows, 7,1% of 173.400'

The page's language is one setting: :func:`use_language` for a block of code (a build
writing a Spanish city's pages), :func:`set_language` for a whole notebook, which
``%load_ext cda_lib`` does from the notebook's ``language`` parameter.
"""

from __future__ import annotations

import contextlib
import contextvars
import gettext as _gettext
import string
import time
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from numbers import Number
from pathlib import Path

# The languages a city file may name, in their own words (English first: the source).
LANGUAGES = {"en": "English", "es": "Español", "pt": "Português"}
SOURCE_LANGUAGE = "en"
# The locale each language's numbers and dates follow: British English keeps the pages'
# "31 December 2025"; Latin American Spanish (Colombia's) and Brazilian Portuguese write
# 1.234,5, 62% and "31 de diciembre de 2025".
FORMAT_LOCALES = {"en": "en_GB", "es": "es_CO", "pt": "pt_BR"}
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

# A notebook's language is the process's (set_language): a kernel may run each cell in a
# fresh context, where a context variable set by an earlier cell is gone. A block of code
# (a build writing many cities' pages) overrides it in its own context (use_language).
_process_language = {"code": SOURCE_LANGUAGE}
_block_language: contextvars.ContextVar[str | None] = contextvars.ContextVar("cda_language",
                                                                              default=None)


def current_language() -> str:
    """The language pages are written in now: ``"en"``, ``"es"`` or ``"pt"``."""
    return _block_language.get() or _process_language["code"]


def set_language(language: str | None) -> str:
    """Write everything from now on in ``language`` (``None`` or ``""``: English).

    For a notebook: ``%load_ext cda_lib`` calls it with the notebook's ``language``.

    >>> set_language("pt"), current_language(), set_language("en")
    ('pt', 'pt', 'en')
    """
    code = checked_language(language)
    _process_language["code"] = code
    return code


@contextlib.contextmanager
def use_language(language: str | None) -> Iterator[str]:
    """Write in ``language`` inside the ``with`` block, then go back to the one before."""
    token = _block_language.set(checked_language(language))
    try:
        yield current_language()
    finally:
        _block_language.reset(token)


def checked_language(language: str | None) -> str:
    """``language`` as one of :data:`LANGUAGES`' codes (``None`` or ``""``: English)."""
    if not language:
        return SOURCE_LANGUAGE
    code = str(language).strip().lower().replace("_", "-").split("-")[0]
    if code not in LANGUAGES:
        choices = ", ".join(f'"{c}"' for c in LANGUAGES)
        raise ValueError(f'The workbook is not written in "{language}". '
                         f"Its languages are {choices}.")
    return code


def N_(message: str) -> str:  # noqa: N802 (gettext's own name for "mark, translate later")
    """Mark ``message`` for the catalogs without translating it yet (a constant's text,
    translated with :func:`gettext` where it is shown)."""
    return message


def gettext(message: str, /, **values: object) -> str:
    """``message`` in the page's language, with ``values`` filled in the language's way.

    Modules import it as ``_``, gettext's own name, which the catalogs' extraction looks
    for: ``from cda_lib.text.translation import gettext as _``.

    >>> gettext("{count:,} requests", count=1234)
    '1,234 requests'
    """
    translated = translations(current_language()).gettext(message) if message else message
    return _filled(translated, message, values)


def ngettext(singular: str, plural: str, count: int, /, **values: object) -> str:
    """The singular or plural sentence for ``count``, translated; ``{count}`` is filled too.

    >>> ngettext("{count} request", "{count} requests", 1)
    '1 request'
    >>> ngettext("{count} day", "{count} days", 3)
    '3 days'
    """
    translated = translations(current_language()).ngettext(singular, plural, count)
    source = singular if count == 1 else plural
    return _filled(translated, source, {"count": count, **values})


def pgettext(context: str, message: str, /, **values: object) -> str:
    """``message`` translated in ``context``: one English word with two meanings
    ("Open" a request's status, "Open" a file) gets a translation for each."""
    translated = translations(current_language()).pgettext(context, message)
    return _filled(translated, message, values)


def _filled(translated: str, source: str, values: dict[str, object]) -> str:
    if not values:
        return translated
    try:
        return format_message(translated, **values)
    except (KeyError, IndexError, ValueError):
        # A translation naming a value the English does not: the English, never a traceback.
        # tests/test_translations.py checks every catalog for this, so it stays a fallback.
        return format_message(source, **values)


def format_message(template: str, /, **values: object) -> str:
    """``template`` filled with ``values``, numbers written the page language's way.

    The format specs are Python's (``{n:,}``, ``{x:.1f}``, ``{share:.0%}``); only the
    separators, decimal mark and percent sign follow the language.

    >>> format_message("{n:,} of {total:,.1f} ({share:.0%})", n=1234, total=5678.25, share=0.25)
    '1,234 of 5,678.2 (25%)'
    """
    return _LocaleFormatter().vformat(template, (), values)


class _LocaleFormatter(string.Formatter):
    """str.format, with numbers separated and pointed as the page's language writes them."""

    def format_field(self, value: object, format_spec: str) -> str:
        written = super().format_field(value, format_spec)
        language = current_language()
        if language == SOURCE_LANGUAGE or not _is_number(value) or not format_spec:
            return written
        return localized_digits(written, language)


def _is_number(value: object) -> bool:
    return isinstance(value, Number | Decimal) and not isinstance(value, bool)


def localized_digits(written: str, language: str | None = None) -> str:
    """A number written the English way ("1,234.5", "7.1%") in ``language``'s way
    ("1.234,5", "7,1%" in Spanish). Text around the number is kept as it is.

    >>> localized_digits("1,234.5", "pt"), localized_digits("-3.25%", "es")
    ('1.234,5', '-3,25%')
    """
    language = checked_language(language or current_language())
    if language == SOURCE_LANGUAGE:
        return written
    symbols = number_symbols(language)
    swapped = written.translate(str.maketrans({",": "\x00", ".": "\x01"}))
    swapped = swapped.replace("\x00", symbols["group"]).replace("\x01", symbols["decimal"])
    if swapped.endswith("%"):
        swapped = swapped[:-1] + symbols["percent_suffix"]
    return swapped


@cache
def number_symbols(language: str) -> dict[str, str]:
    """The grouping and decimal marks and the percent suffix of ``language``'s locale."""
    if language == SOURCE_LANGUAGE:
        return {"group": ",", "decimal": ".", "percent_suffix": "%"}
    from babel import Locale

    locale = Locale.parse(FORMAT_LOCALES[language])
    pattern = locale.percent_formats[None].pattern
    suffix = pattern[pattern.rindex("0") + 1:] if "0" in pattern else "%"
    return {"group": locale.number_symbols["latn"]["group"],
            "decimal": locale.number_symbols["latn"]["decimal"],
            "percent_suffix": suffix}


def catalog_files(language: str) -> list[Path]:
    """A language's catalogs: one ``.po`` file per part of the workbook."""
    return sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po"))


def translations(language: str) -> _gettext.NullTranslations:
    """Every catalog of ``language`` as one gettext object (English: the source itself).

    Read from the ``.po`` files and compiled in memory on first use, so an edited catalog
    takes effect with no separate compile step; fuzzy (stale) entries are left out, so a
    sentence whose English changed shows the new English until it is translated again.
    """
    if language == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    key, now = (LOCALE_DIR, language), time.monotonic()
    checked = _last_checked.get(key)
    if checked is not None and now - checked[0] < RECHECK_SECONDS:
        return checked[1]  # a page writes thousands of sentences: look at the files rarely
    stamps = tuple((path.name, path.stat().st_mtime_ns) for path in catalog_files(language))
    found = _compiled(LOCALE_DIR, language, stamps)
    _last_checked[key] = (now, found)
    return found


RECHECK_SECONDS = 1.0  # how often translations() looks whether a catalog was edited
_last_checked: dict[tuple[Path, str], tuple[float, _gettext.NullTranslations]] = {}


@cache
def _compiled(folder: Path, language: str,
              stamps: tuple[tuple[str, int], ...]) -> _gettext.NullTranslations:
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    merged: _gettext.NullTranslations = _gettext.NullTranslations()
    for name, _stamp in stamps:
        path = folder / language / "LC_MESSAGES" / name
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=language)
        compiled = io.BytesIO()
        write_mo(compiled, catalog, use_fuzzy=False)
        compiled.seek(0)
        part = _gettext.GNUTranslations(compiled)
        part.add_fallback(merged)
        merged = part
    return merged
