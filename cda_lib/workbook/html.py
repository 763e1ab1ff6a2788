"""Export a notebook to one self-contained HTML page that works offline.

nbconvert's lab template (7.17) loads MathJax, RequireJS, Mermaid and the widget
renderer from a public CDN. Our ``cda_offline`` template (in ``cda_lib/templates/nbconvert/``)
extends it and empties those blocks, so a page opened from a USB stick with no
internet loads nothing from outside itself: styles are inlined and images are
embedded as data. What cannot work offline degrades to text: formulas show
their TeX source and Mermaid diagrams their text. A widget shows its static snapshot
(the workbook's own widgets give one: an exercise's question, the target setter's plan)
or a sentence saying it works in JupyterLab, never its Python form.
"""

from __future__ import annotations

import copy
import functools
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from cda_lib.text.translation import gettext as _, use_language
from cda_lib.workbook.notebooks import read_notebook

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates" / "nbconvert"
TEMPLATE_NAME = "cda_offline"
# Tags and attributes through which a browser loads something by itself.
LOADING_ATTRIBUTES = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
}
OUTSIDE_PREFIXES = ("http://", "https://", "//")  # "//host/x.js" loads over the network too
# Inside <style> and <script>: CSS url(...) and @import, and JavaScript import(...).
EMBEDDED_LOAD = re.compile(
    r"""(?:url\(|@import\s+|import\(\s*)["']?((?:https?:)?//[^\s"'<>)]+)""", re.IGNORECASE
)


def export_html(
    notebook: nbformat.NotebookNode | Path | str,
    title: str,
    *,
    language: str = "en",
    images_dir: Path | None = None,
    template: str = TEMPLATE_NAME,
    extra: dict | None = None,
) -> str:
    """Return a self-contained, offline HTML page of ``notebook``, in JupyterLab's look.

    ``title`` becomes the page title; ``language`` the page's ``lang`` (for screen
    readers). Images that markdown cells reference by a relative path are
    embedded, looked up in ``images_dir`` (default: the notebook's own folder).
    ``template`` picks one of the templates in ``templates/`` (the self-paced site uses
    ``cda_site``); ``extra`` is handed to it as ``resources.cda``.
    """
    if isinstance(notebook, (str, Path)):
        path = Path(notebook)
        nb = read_notebook(path)
        images_dir = images_dir if images_dir is not None else path.parent
    else:
        nb = copy.deepcopy(notebook)
    # Without saved widget state, nbconvert adds no script that fetches the widget
    # renderer from a CDN; each widget shows its snapshot instead of its plain-text form.
    nb.metadata.pop("widgets", None)
    with use_language(language):
        _widgets_as_snapshots(nb)
    nb.cells = [cell for cell in nb.cells if not PARAMETER_TAGS & set(_tags(cell))]
    nb.metadata["title"] = title
    resources = {"metadata": {"name": title, "path": str(images_dir or "")}, "cda": extra or {}}
    body, _ = _offline_exporter(template, language).from_notebook_node(nb, resources=resources)
    return pages_linked_to_pages(body)


_NOTEBOOK_LINK = re.compile(r'(<a\s[^>]*href=")(?![a-z]+:|/|#)([^"#?]+)\.ipynb(["#?])')


def pages_linked_to_pages(page: str) -> str:
    """Point a page's links to other notebooks at their pages: a browser shows an
    ``.ipynb`` file as raw JSON. Links to other sites are left alone.

    >>> pages_linked_to_pages('<a href="03_targets.ipynb">next</a> <a href="https://x/a.ipynb">')
    '<a href="03_targets.html">next</a> <a href="https://x/a.ipynb">'
    """
    return _NOTEBOOK_LINK.sub(r"\1\2.html\3", page)


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# A page leaves out the cells that set its parameters (the notebook's defaults and the ones
# the build injected): a reader would see ``city = "riverbend"`` above Villa Serena's page.
PARAMETER_TAGS = {"parameters", "injected-parameters"}


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _widgets_as_snapshots(nb: nbformat.NotebookNode) -> None:
    """Give each widget output an HTML form: its own snapshot when it has one, else a
    sentence; drop its plain-text form (``interactive(children=(FloatSlider(...``)."""
    note = html.escape(_("An interactive control is here: open this page's notebook in "
                         "JupyterLab to use it."))
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else ():
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                data.setdefault("text/html", f'<p class="cda-widget-note"><em>{note}</em></p>')
                data.pop("text/plain", None)


@functools.cache
def _offline_exporter(template: str, language: str) -> HTMLExporter:
    """One exporter per template and page language, shared by every notebook of a build."""
    return HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        # ... and the folder itself, so one of ours can extend another ('cda_offline/...').
        extra_template_paths=[str(TEMPLATES_DIR)],
        template_name=template,
        theme="light",
        embed_images=True,
        language_code=language,
    )


def external_urls(html: str) -> list[str]:
    """Every outside (http, https or protocol-relative) URL the page would load by itself.

    Looks at the loading attributes of script, link, img, iframe and media tags, and
    at CSS ``url()``/``@import`` and JavaScript ``import()`` inside the page.
    Ordinary links (``<a href>``) are not loads and are not reported.

    >>> external_urls('<script src="https://cdn.example/x.js"></script><a href="https://a.b">x</a>')
    ['https://cdn.example/x.js']
    """
    finder = _ExternalLoadFinder()
    finder.feed(html)
    finder.close()
    return finder.urls


class _ExternalLoadFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._inside: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in LOADING_ATTRIBUTES.get(tag, ()):
                self.urls.extend(_outside_urls(value, srcset=name == "srcset"))
            elif name == "style":
                self.urls.extend(EMBEDDED_LOAD.findall(value))
        self._inside = tag if tag in ("style", "script") else None

    def handle_endtag(self, tag: str) -> None:
        self._inside = None

    def handle_data(self, data: str) -> None:
        if self._inside in ("style", "script"):
            self.urls.extend(EMBEDDED_LOAD.findall(data))


def _outside_urls(value: str, srcset: bool) -> list[str]:
    if srcset:  # "a.png 1x, b.png 2x": a URL, then its size, per comma-separated entry
        candidates = [part.split()[0] for part in value.split(",") if part.strip()]
    else:
        candidates = [value.strip()]
    return [url for url in candidates if url.lower().startswith(OUTSIDE_PREFIXES)]
