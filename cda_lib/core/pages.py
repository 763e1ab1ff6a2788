"""Every HTML page and card the workbook writes, rendered from a Jinja2 template.

The templates live in ``cda_lib/templates/pages/``. Their words are written
``{{ _("Cities") }}`` and come out in the page's language
(:mod:`cda_lib.text.translation`). Each page embeds the one stylesheet,
``cda_lib/templates/workbook.css``, so a page copied anywhere (a USB stick) looks the same
with no other file beside it. Autoescape is always on: a city name or a reflection such as
``<script>`` is shown as text, never run, and no code outside Jinja2 escapes by hand.

>>> card = render_fragment("pages/city_card.html.j2", city=None, rows=[("Name", "<b>")],
...                        badge="")
>>> '<td style="text-align:left">&lt;b&gt;</td>' in card
True
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from cda_lib.text import dates, numbers, translation

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STYLESHEET = "workbook.css"


@cache
def _environment() -> jinja2.Environment:
    """Made on first use, not at import, and kept: loading templates is the slow part."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,  # a misspelt name fails the build, not the page
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # A template's words go through the catalogs like the library's: {{ _("Cities") }}.
    environment.globals.update(
        _=translation.gettext, ngettext=translation.ngettext, pgettext=translation.pgettext,
        language=translation.current_language, format_number=numbers.format_number,
        format_percent=numbers.format_percent, format_date=dates.format_date)
    return environment


def render_page(template: str, **context) -> str:
    """A whole page from ``template`` (a path under ``cda_lib/templates/``), as text."""
    return _environment().get_template(template).render(**context)


def render_fragment(template: str, **context) -> Markup:
    """Part of a page (a card, a navigation bar), safe to put into another template as is."""
    return Markup(render_page(template, **context).strip("\n"))


def stylesheet() -> str:
    """The one stylesheet every page embeds."""
    return (TEMPLATES / STYLESHEET).read_text(encoding="utf-8")
