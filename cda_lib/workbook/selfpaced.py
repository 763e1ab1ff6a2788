"""The self-paced site, ``build/site/``: every built module of one demo city as static pages.

For a reviewer working alone, offline, perhaps from a USB stick: an index with a table of
contents by theme, then one page per module (and, once the exercise copies are built, per
exercise notebook) in reading order, each with *previous*, *next* and *contents* links.
Solutions are folded behind a "Show solution" control (an HTML ``<details>``, no script):
cells tagged ``solution``, and code between ``# BEGIN SOLUTION`` and ``# END SOLUTION``
or on a line ending in ``# SOLUTION`` (the participant's version of the cell stays in
view, with the marked code left out, as in the participant copy).

Everything is generated from the built notebooks in ``build/<city>/``: the navigation is
never written by hand. Links are relative and pages embed their images and styles, so
the folder works copied anywhere. A page is only re-exported when its notebook or its
neighbours changed. The site is written in its city's language (or the build's
``--language``): its navigation, its "Show solution" and each page's ``lang``.
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat

from cda_lib.cities.city import City
from cda_lib.cities.loader import load_city
from cda_lib.core import paths
from cda_lib.core.errors import BuildError, CdaError
from cda_lib.core.files import write_text_atomically
from cda_lib.core.pages import render_fragment, render_page
from cda_lib.text.translation import N_, current_language, gettext as _, use_language
from cda_lib.workbook.html import export_html
from cda_lib.workbook.jobs import DEFAULT_SITE_CITY, library_fingerprint
from cda_lib.workbook.site import find_built_cities

SITE_FOLDER = "site"
SITE_TEMPLATE = "cda_site"
SOLUTION_TAG = "solution"
SOLUTION_MARK = "cda_site"  # cell metadata the template folds: {"cda_site": "solution"}
BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"
SOLUTION_LINE = re.compile(r"^(?P<code>.*\S)\s*# SOLUTION\s*$")
CODE_PLACEHOLDER = N_("# Write your code here.")
PAGE_STAMP = "cda-site-page"  # <meta> holding the hash a page was made from
# A link from one notebook to another (``02_x.ipynb``, ``../01_theme/03_y.ipynb``).
NOTEBOOK_LINK = re.compile(r'href="(?P<target>(?:\.\./[0-9A-Za-z_-]+/)?[0-9A-Za-z_.-]+)\.ipynb"')


@dataclass(frozen=True)
class SitePage:
    """One page of the site: which built notebook, its theme, and where the page goes."""

    theme: str  # the theme folder, e.g. "00_welcome"
    theme_title: str  # "0. Welcome"
    title: str
    notebook: Path  # the executed notebook it is made from
    href: str  # its path inside the site, e.g. "00_welcome/01_intro.html"


def site_pages(build_root: Path, city_id: str) -> list[SitePage]:
    """Every module built for ``city_id``, in reading order (theme, then number)."""
    if not Path(build_root).is_dir():
        return []
    for built in find_built_cities(Path(build_root)):
        if built.city_id != city_id:
            continue
        pages = []
        for theme in built.themes:
            for module in theme.modules:
                if module.notebook is None:  # it never built successfully
                    continue
                relative = Path(module.notebook).relative_to(city_id)
                pages.append(SitePage(relative.parent.name, theme.title, module.title,
                                      Path(build_root) / module.notebook,
                                      relative.with_suffix(".html").as_posix()))
        return pages
    return []


@dataclass(frozen=True)
class SiteLanguage:
    """One language's version of the site: the city it is made from and its folder
    inside the build (``site`` for the first, ``site/es`` and ``site/pt`` for the others)."""

    language: str
    city_id: str
    folder: str


def write_site(build_root: Path | None = None, city_id: str = DEFAULT_SITE_CITY,
               pages: list[SitePage] | None = None, language: str | None = None, *,
               folder: str = SITE_FOLDER, languages: Sequence[SiteLanguage] = ()) -> Path:
    """Write ``<build_root>/site/`` (or ``folder``) for ``city_id`` (default: every module
    built for it); return the site's index page. Raises :class:`BuildError` when nothing
    is built for it.

    ``language``: the site's (default: the city's own, as its built notebooks are).
    ``languages``: every language's version, for the language switch on each page."""
    city = _city_or_none(city_id)
    chosen = language or (city.language if city is not None else None)
    with use_language(chosen):
        return _write_site(build_root, city_id, pages, city, folder, languages)


def _write_site(build_root: Path | None, city_id: str, pages: list[SitePage] | None,
                city: City | None, folder: str, languages: Sequence[SiteLanguage]) -> Path:
    build_root = Path(build_root) if build_root is not None else paths.build_dir()
    pages = site_pages(build_root, city_id) if pages is None else pages
    if not pages:
        raise BuildError(
            f"Nothing is built for {city_id} yet, so there is no self-paced site to make. "
            f"Run `cda build {city_id}` first."
        )
    site = build_root / folder
    switch = _LanguageSwitch(build_root, site, languages)
    for position, page in enumerate(pages):
        previous = pages[position - 1] if position > 0 else None
        following = pages[position + 1] if position + 1 < len(pages) else None
        _write_page(site, page, previous, following, pages, city, city_id,
                    switch.links(page.href))
    _remove_stale_pages(site, pages)
    index = site / "index.html"
    write_text_atomically(index, render_site_index(pages, city, city_id,
                                                   switch.links("index.html")))
    return index


def site_languages(build_root: Path, site_city: str) -> list[SiteLanguage]:
    """The site's versions: the site city's language in ``site/``, then each other language
    of the workbook in ``site/<language>/``, made from the first city built in it (by id),
    when one is.

    The self-paced reviewer reading Spanish works through a Spanish-speaking city."""
    from cda_lib.text.translation import LANGUAGES

    built = {c.city_id: _built_language(build_root, c.city_id)
             for c in find_built_cities(Path(build_root))}
    if not built.get(site_city):
        return []
    first = built[site_city]
    found = [SiteLanguage(first, site_city, SITE_FOLDER)]
    for language in LANGUAGES:
        if language == first:
            continue
        speakers = sorted(city_id for city_id, spoken in built.items() if spoken == language)
        if speakers:
            found.append(SiteLanguage(language, speakers[0], f"{SITE_FOLDER}/{language}"))
    return found


def _built_language(build_root: Path, city_id: str) -> str | None:
    """The language a city's modules were built in (a build's ``--language`` may differ
    from the city file's), from its first built module; None when nothing is built."""
    pages = site_pages(build_root, city_id)
    if not pages:
        return None
    metadata = nbformat.read(pages[0].notebook, as_version=4).metadata
    city = _city_or_none(city_id)
    return metadata.get("cda", {}).get("language") or (city.language if city else "en")


def write_language_sites(build_root: Path, site_city: str) -> list[Path]:
    """Write every language's version of the site (see :func:`site_languages`), each with
    a switch to the same page in the others; return their index pages."""
    versions = site_languages(build_root, site_city)
    return [write_site(build_root, version.city_id, language=version.language,
                       folder=version.folder, languages=versions) for version in versions]


class _LanguageSwitch:
    """The links from one site page to the same page in each other language's version
    (or to that version's contents, when the page is not built there)."""

    def __init__(self, build_root: Path, site: Path, languages: Sequence[SiteLanguage]):
        self.build_root, self.site = build_root, site
        self.versions = [(version, {page.href for page in site_pages(build_root,
                                                                     version.city_id)})
                         for version in languages]

    def links(self, href: str) -> list[dict[str, str | bool]]:
        from cda_lib.text.translation import LANGUAGES

        here = (self.site / href).parent
        made = []
        for version, hrefs in self.versions:
            root = self.build_root / version.folder
            target = root / href if href == "index.html" or href in hrefs else root / "index.html"
            made.append({"language": version.language, "name": LANGUAGES[version.language],
                         "href": os.path.relpath(target, here).replace(os.sep, "/"),
                         "current": root == self.site})
        return made if len(made) > 1 else []


def _city_or_none(city_id: str) -> City | None:
    try:
        return load_city(city_id)
    except CdaError:
        return None


def _write_page(site: Path, page: SitePage, previous: SitePage | None,
                following: SitePage | None, pages: list[SitePage], city: City | None,
                city_id: str, languages: list[dict[str, str | bool]]) -> None:
    target = site / page.href
    source = page.notebook.read_bytes()
    header = _navigation(page, previous, following, city, city_id, where="top",
                         languages=languages)
    footer = _navigation(page, previous, following, city, city_id, where="bottom")
    stamp = hashlib.sha256(source + header.encode() + footer.encode()
                           + library_fingerprint().encode()).hexdigest()
    if _page_stamp(target) == stamp:
        return  # made from exactly this notebook, with exactly these neighbours
    nb = folded_solutions(nbformat.reads(source.decode("utf-8"), as_version=4))
    title = _("{title} · {city} (self-paced)", title=page.title,
              city=city.name if city is not None else city_id)
    body = export_html(nb, title, language=current_language(), images_dir=page.notebook.parent,
                       template=SITE_TEMPLATE, extra={"header": header, "footer": footer,
                                                      "show_solution": _("Show solution")})
    body = _link_notebooks_to_pages(body, page, pages)
    body = body.replace("<head>", f'<head>\n<meta name="{PAGE_STAMP}" content="{stamp}">', 1)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(target, body)


def _page_stamp(path: Path) -> str | None:
    try:
        head = path.read_text(encoding="utf-8")[:4096]
    except OSError:
        return None
    found = re.search(rf'<meta name="{PAGE_STAMP}" content="([0-9a-f]+)">', head)
    return found.group(1) if found else None


def _remove_stale_pages(site: Path, pages: list[SitePage]) -> None:
    """Drop pages of modules that are no longer built (the site mirrors the build)."""
    wanted = {site / page.href for page in pages}
    for path in site.glob("*/*.html"):
        if path not in wanted and _page_stamp(path) is not None:
            path.unlink()


# --- solutions -------------------------------------------------------------------------------


def folded_solutions(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` whose solutions the site template folds away.

    A cell tagged ``solution`` is folded whole. A code cell with solution markers becomes
    two cells: the participant's version in view (marked code left out, no outputs), then
    the full solution with its outputs, folded.

    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> nb = new_notebook(cells=[new_code_cell("answer = 42  # SOLUTION\\ncheck(answer)")])
    >>> [(c.source, c.metadata.get("cda_site")) for c in folded_solutions(nb).cells]
    [('answer = ...\\ncheck(answer)', None), ('answer = 42\\ncheck(answer)', 'solution')]
    """
    made = copy.deepcopy(nb)
    cells = []
    for cell in made.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if SOLUTION_TAG in tags:
            cell.metadata[SOLUTION_MARK] = "solution"
            cells.append(cell)
        elif cell.cell_type == "code" and _has_markers(cell.source):
            visible, solution = split_solution(cell.source)
            shown = copy.deepcopy(cell)
            shown.source, shown.outputs, shown.execution_count = visible, [], None
            if "id" in cell:  # cell ids are unique within a notebook
                shown["id"] = f"{cell['id']}-shown"[:64]
            cell.source = solution
            cell.metadata[SOLUTION_MARK] = "solution"
            cells += [shown, cell]
        else:
            cells.append(cell)
    made.cells = cells
    return made


def _has_markers(source: str) -> bool:
    return any(line.strip() in (BEGIN, END) or SOLUTION_LINE.match(line)
               for line in source.split("\n"))


def split_solution(source: str) -> tuple[str, str]:
    """The participant's version of a code cell and the full solution, markers removed.

    Follows the exercise notebooks' markers (nbgrader / otter-grader style): the lines
    between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` become ``# Write your code here.``;
    a line ending in ``# SOLUTION`` becomes ``...`` (an assignment keeps its left side).

    >>> print(split_solution("x = 1\\n# BEGIN SOLUTION\\ny = x + 1\\n# END SOLUTION")[0])
    x = 1
    # Write your code here.
    """
    visible: list[str] = []
    solution: list[str] = []
    inside = False
    for line in source.split("\n"):
        stripped = line.strip()
        indent = line[: len(line) - len(line.lstrip())]
        if stripped == BEGIN:
            inside = True
            visible.append(indent + (_(CODE_PLACEHOLDER) if not indent else
                                     "...  " + _(CODE_PLACEHOLDER)))
            continue
        if stripped == END:
            inside = False
            continue
        marked = None if inside else SOLUTION_LINE.match(line)
        if marked:
            code = marked.group("code").rstrip()
            solution.append(code)
            visible.append(_blanked(code))
            continue
        solution.append(line)
        if not inside:
            visible.append(line)
    return "\n".join(visible), "\n".join(solution)


def _blanked(code: str) -> str:
    """``answer = len(x)`` -> ``answer = ...``; any other statement -> ``...``."""
    indent = code[: len(code) - len(code.lstrip())]
    assignment = re.match(r"^(\s*[A-Za-z_][\w.\[\]'\"]*\s*(?::[^=]+)?=)(?!=)", code)
    return assignment.group(1) + " ..." if assignment else indent + "..."


# --- navigation and the index ------------------------------------------------------------------


def _navigation(page: SitePage, previous: SitePage | None, following: SitePage | None,
                city: City | None, city_id: str, *, where: str,
                languages: list[dict[str, str | bool]] = ()) -> str:
    return render_fragment(
        "pages/site_navigation.html.j2", page=page, previous=previous, following=following,
        where=where, up="../" * page.href.count("/"), languages=languages,
        name=city.name if city is not None else city_id,
        synthetic=city is not None and city.uses_synthetic_data)


def _link_notebooks_to_pages(body: str, page: SitePage, pages: list[SitePage]) -> str:
    """Links between notebooks (``02_x.ipynb``) point at their pages on the site instead."""
    known = {p.href.removesuffix(".html") for p in pages}
    theme = page.href.split("/")[0]

    def relink(match: re.Match) -> str:
        target = match.group("target")
        resolved = target[3:] if target.startswith("../") else f"{theme}/{target}"
        if resolved not in known:
            return match.group(0)
        return f'href="{target}.html"'

    return NOTEBOOK_LINK.sub(relink, body)


def render_site_index(pages: list[SitePage], city: City | None, city_id: str,
                      languages: list[dict[str, str | bool]] = ()) -> str:
    """The site's front page: a table of contents by theme, generated from ``pages``."""
    themes: dict[str, list[SitePage]] = {}
    for page in pages:
        themes.setdefault(page.theme_title, []).append(page)
    return render_page("pages/site_index.html.j2", pages=pages, themes=themes,
                       languages=languages,
                       name=city.name if city is not None else city_id,
                       synthetic=city is not None and city.uses_synthetic_data)
