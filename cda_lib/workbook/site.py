"""The build's front page: ``build/index.html`` links every built city and module.

The page is generated from what is on disk, never written by hand, so it cannot
drift from the build. It is plain HTML with inline CSS and no outside assets,
so it works opened from a USB stick with no internet.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from cda_lib.cities import loader as cities
from cda_lib.cities.city import City
from cda_lib.core import paths
from cda_lib.core.errors import CdaError
from cda_lib.core.files import write_text_atomically
from cda_lib.workbook.jobs import FAILED_SUFFIX
from cda_lib.workbook.notebooks import NUMBERED_NAME, notebook_title, theme_title, title_from_name

INDEX_NAME = "index.html"


@dataclass(frozen=True)
class BuiltModule:
    """One module of a built city; paths are relative to the build folder."""

    title: str
    notebook: str | None  # the executed notebook, if a run ever succeeded
    page: str | None  # its HTML page
    failed: str | None  # the partly run notebook, when the latest run failed


@dataclass(frozen=True)
class BuiltTheme:
    title: str
    modules: tuple[BuiltModule, ...]


@dataclass(frozen=True)
class BuiltCity:
    city_id: str
    city: City | None  # None when the city file is gone or broken
    themes: tuple[BuiltTheme, ...]


def write_index(build_root: Path | None = None) -> Path:
    """Write ``<build_root>/index.html`` linking every built city and module; return its path."""
    build_root = Path(build_root) if build_root is not None else paths.build_dir()
    build_root.mkdir(parents=True, exist_ok=True)
    extras = [(href, label) for href, label in (
        ("cohort.html", "The cohort side by side"),
        ("site/index.html", "The self-paced site"),
    ) if (build_root / href).exists()]
    page = render_index(find_built_cities(build_root), extras)
    index_path = build_root / INDEX_NAME
    write_text_atomically(index_path, page)
    return index_path


def find_built_cities(build_root: Path) -> list[BuiltCity]:
    """Every city folder under ``build_root`` that holds at least one built module."""
    found = []
    for folder in sorted(p for p in Path(build_root).iterdir() if p.is_dir()):
        if folder.name.startswith("."):
            continue
        themes = tuple(
            theme
            for theme in (_built_theme(sub, build_root) for sub in sorted(folder.iterdir()))
            if theme is not None
        )
        if themes:
            found.append(BuiltCity(folder.name, _city_or_none(folder.name), themes))
    return found


def _city_or_none(city_id: str) -> City | None:
    try:
        return cities.load_city(city_id)
    except CdaError:
        return None


def _built_theme(folder: Path, build_root: Path) -> BuiltTheme | None:
    if not folder.is_dir() or not NUMBERED_NAME.match(folder.name):
        return None  # e.g. the city's workspace folder
    stems = set()
    for path in folder.glob("*.ipynb"):
        stem = path.name.removesuffix(FAILED_SUFFIX).removesuffix(".ipynb")
        if NUMBERED_NAME.match(stem):
            stems.add(stem)
    modules = tuple(_built_module(folder, stem, build_root) for stem in sorted(stems))
    return BuiltTheme(theme_title(folder.name), modules) if modules else None


def _built_module(folder: Path, stem: str, build_root: Path) -> BuiltModule:
    notebook = folder / f"{stem}.ipynb"
    page = folder / f"{stem}.html"
    failed = folder / f"{stem}{FAILED_SUFFIX}"

    def relative(path: Path) -> str | None:
        return path.relative_to(build_root).as_posix() if path.exists() else None

    try:
        title = notebook_title(notebook if notebook.exists() else failed)
    except CdaError:  # a damaged file still gets listed, under its file name
        title = title_from_name(stem)
    return BuiltModule(
        title=title,
        notebook=relative(notebook),
        page=relative(page),
        failed=relative(failed),
    )


def render_index(built: list[BuiltCity], extras: list[tuple[str, str]] | None = None) -> str:
    """The index page's HTML for ``built`` cities; ``extras`` are (link, label) pairs of
    the build's other pages (the cohort page, the self-paced site), shown first."""
    if built:
        body = "\n".join(_city_section(city) for city in built)
    else:
        body = "<p>No city has been built yet. Run <code>cda build &lt;city&gt;</code>.</p>"
    if extras:
        links = " · ".join(f"<a href='{_href(href)}'>{_e(label)}</a>" for href, label in extras)
        body = f"<p class='extras'>{links}</p>\n{body}"
    return _PAGE.format(style=_STYLE, body=body)


def _city_section(built: BuiltCity) -> str:
    city = built.city
    anchor = _e(f"city-{built.city_id}")
    if city is None:
        heading = _e(built.city_id)
        facts = "<p class='facts'>No valid city file was found for this folder.</p>"
    else:
        heading = _e(city.name)
        badge = (
            " <span class='badge'>Synthetic data</span>" if city.uses_synthetic_data else ""
        )
        heading += badge
        facts = (
            "<dl class='facts'>"
            f"<div><dt>Country</dt><dd>{_e(city.country)}</dd></div>"
            f"<div><dt>Language</dt><dd>{_e(city.language_name)}</dd></div>"
            f"<div><dt>Population</dt><dd>{city.population:,}</dd></div>"
            "</dl>"
        )
    themes = "\n".join(_theme_section(theme) for theme in built.themes)
    return (
        f"<section aria-labelledby='{anchor}'>\n<h2 id='{anchor}'>{heading}</h2>\n{facts}\n"
        f"{themes}\n</section>"
    )


def _theme_section(theme: BuiltTheme) -> str:
    items = "\n".join(f"<li>{_module_item(module)}</li>" for module in theme.modules)
    return f"<h3>{_e(theme.title)}</h3>\n<ul>\n{items}\n</ul>"


def _module_item(module: BuiltModule) -> str:
    title = _e(module.title)
    parts = [f"<a href='{_href(module.page)}'>{title}</a>" if module.page else title]
    if module.notebook:
        parts.append(
            f"<a class='file' href='{_href(module.notebook)}' "
            f"aria-label='{title}, notebook file'>notebook (.ipynb)</a>"
        )
    if module.failed:
        note = (
            "latest build failed; these links are to an earlier build"
            if module.notebook
            else "build failed"
        )
        parts.append(
            f"<span class='failed'>{note}: "
            f"<a href='{_href(module.failed)}' aria-label='{title}, failed notebook'>"
            "see the error</a></span>"
        )
    return " · ".join(parts)


def _href(relative_path: str) -> str:
    return _e(quote(relative_path))


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)


_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5;
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; background: #fff; }
h1 { font-size: 1.8rem; margin-bottom: 0.25rem; }
h2 { font-size: 1.4rem; margin-top: 2.5rem; border-bottom: 2px solid #d0d7de; }
h3 { font-size: 1.1rem; margin: 1.25rem 0 0.25rem; }
ul { margin: 0; padding-left: 1.25rem; }
li { margin: 0.2rem 0; }
a { color: #0b57d0; }
a:focus { outline: 3px solid #ffbf47; outline-offset: 2px; }
a.file, .failed { font-size: 0.9rem; }
.failed { color: #a4262c; }
.badge { display: inline-block; font-size: 0.8rem; font-weight: 600; vertical-align: middle;
         padding: 0.1rem 0.5rem; border: 1px solid #8a5a00; border-radius: 0.75rem;
         color: #5c3c00; background: #fff4ce; }
.facts { display: flex; flex-wrap: wrap; gap: 0 1.5rem; margin: 0.5rem 0; color: #444; }
.facts div { display: flex; gap: 0.35rem; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>City Data Alliance Workbook: built cities</title>
<style>{style}</style>
</head>
<body>
<main>
<h1>City Data Alliance Workbook</h1>
<p>Every city built on this computer, with each module as a page to read and as a notebook
to open in JupyterLab. Cities marked <span class="badge">Synthetic data</span> use generated
practice data, not real city records.</p>
{body}
</main>
</body>
</html>
"""
