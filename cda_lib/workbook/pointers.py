"""Pointers from one page to another module: a link when the module exists, nothing when not.

A page that says "the data-quality audit of module 2.2 returns to this" makes a promise;
while 2.2 is not written, the promise is false. So a sentence that points to another
module is wrapped in a span naming it, in the notebook's markdown (and in its
translations, which keep the span):

    <span data-module="2.2">The answers feed [the data-quality audit](module:2.2).</span>
    <span data-theme="2">[Theme 2](module:2) comes next.</span>

When a build makes the page, :func:`resolve_pointers` looks the module up in the themes'
registry (``data-theme`` looks for the theme's first module): if it exists, the span's
sentence stays and each ``(module:2.2)`` link points at that module's page; if not, the
whole span goes. Links are relative to the built notebook (its folder in the city's build
folder), so they work on the offline pages and in JupyterLab alike.

>>> text = 'Read on. <span data-module="9.9">See [module 9.9](module:9.9).</span>'
>>> resolve_pointers(text, "01_lead/01_x.ipynb")
'Read on.'
>>> resolve_pointers('For page 1.5 <span data-theme="9">and [the capstone](module:9)</span>.',
...                  "01_lead/02_x.ipynb")
'For page 1.5.'
"""

from __future__ import annotations

import posixpath
import re

import nbformat

from cda_lib.themes import all_themes

_SPAN = re.compile(r'<span data-(module|theme)="([0-9.]+)">(.*?)</span>', re.DOTALL)
_LINK = re.compile(r"\[([^\]]*)\]\(module:([0-9.]+)\)")


def module_notebooks() -> dict[str, str]:
    """Each module id and theme number with the notebook its pointer leads to (a theme: its
    first module's), as paths in a city's build folder."""
    found: dict[str, str] = {}
    for _name, theme in all_themes():
        for module in theme.modules:
            found[module.id] = module.notebook
            found.setdefault(str(theme.number), module.notebook)
    return found


def resolve_pointers(markdown: str, output: str, known: dict[str, str] | None = None) -> str:
    """``markdown`` with its pointers resolved for a notebook built at ``output`` (its path
    in the city's build folder, such as ``"coach/01_lead/02_x.ipynb"``).

    >>> known = {"2.4": "02_invest/04_fund.ipynb", "2": "02_invest/04_fund.ipynb"}
    >>> resolve_pointers('<span data-theme="2">[Theme 2](module:2) comes next.</span>',
    ...                  "01_lead/05_routine.ipynb", known)
    '[Theme 2](../02_invest/04_fund.ipynb) comes next.'
    """
    known = module_notebooks() if known is None else known
    here = posixpath.dirname(output)

    def link(found: re.Match) -> str:
        words, target = found.group(1), known.get(found.group(2))
        return f"[{words}]({posixpath.relpath(target, here or '.')})" if target else words

    def span(found: re.Match) -> str:
        _kind, wanted, inner = found.groups()
        return inner if wanted in known else ""

    text = _LINK.sub(link, _SPAN.sub(span, markdown))
    # where a span went: no double space, no space before a full stop, none at a line's end
    text = re.sub(r"(?<=\S) {2,}(?=\S)", " ", text)
    text = re.sub(r" +(?=[.,;:!?])", "", text)
    return re.sub(r" +$", "", text, flags=re.MULTILINE)


def resolve_notebook_pointers(nb: nbformat.NotebookNode, output: str) -> nbformat.NotebookNode:
    """Resolve the pointers of every markdown cell of ``nb`` (in place; returned)."""
    known = module_notebooks()
    for cell in nb.cells:
        if cell.cell_type == "markdown" and ("data-module=" in cell.source
                                             or "data-theme=" in cell.source
                                             or "](module:" in cell.source):
            cell.source = resolve_pointers(cell.source, output, known)
    return nb
