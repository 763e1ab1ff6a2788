"""The build's front page: ``build/index.html`` links every built city and module.

The page is generated from what is on disk, never written by hand, so it cannot
drift from the build. It is plain HTML (``templates/pages/index.html.j2``) with the
workbook's stylesheet embedded and no outside assets, so it works opened from a USB stick
with no internet.

The index lists every city, whatever its language, so it is the coach's page: written in
English, or in the build's ``--language`` when it has one (``write_index(language=...)``).
Each city's own pages are in that city's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cda_lib.cities import loader as cities
from cda_lib.cities.city import City
from cda_lib.core import paths
from cda_lib.core.errors import CdaError
from cda_lib.core.files import write_text_atomically
from cda_lib.core.pages import render_page
from cda_lib.text.translation import N_, use_language
from cda_lib.workbook.jobs import FAILED_SUFFIX
from cda_lib.workbook.notebooks import (
    NUMBERED_NAME,
    notebook_title,
    read_notebook,
    theme_title,
    title_from_name,
)
from cda_lib.workbook.skips import recorded_skips

INDEX_NAME = "index.html"


@dataclass(frozen=True)
class BuiltModule:
    """One module of a built city; paths are relative to the build folder."""

    title: str
    notebook: str | None  # the executed notebook, if a run ever succeeded
    page: str | None  # its HTML page
    failed: str | None  # the partly run notebook, when the latest run failed
    # The sentences of the sections the city's data could not run (workbook.skips)
    skipped: tuple[str, ...] = ()
    coach_page: str | None = None  # the page with the coach notes (coach/pages/...)
    exercises: str | None = None  # the participants' exercise notebook (exercises/...)
    coach_exercises: str | None = None  # the coach copy's page, solutions kept (coach/...)


@dataclass(frozen=True)
class BuiltTheme:
    title: str
    modules: tuple[BuiltModule, ...]


@dataclass(frozen=True)
class BuiltCity:
    city_id: str
    city: City | None  # None when the city file is gone or broken
    themes: tuple[BuiltTheme, ...]
    # the city's other pages: its readiness report, glossary and stat briefs, as
    # (path relative to the build folder, what it is)
    pages: tuple[tuple[str, str], ...] = ()


def write_index(build_root: Path | None = None, language: str | None = None) -> Path:
    """Write ``<build_root>/index.html`` linking every built city and module; return its path.

    ``language``: the page's language (default English: the index is the coach's)."""
    build_root = Path(build_root) if build_root is not None else paths.build_dir()
    build_root.mkdir(parents=True, exist_ok=True)
    extras = [(href, label) for href, label in (
        ("cohort.html", N_("The cohort side by side")),
        ("site/index.html", N_("The self-paced site")),
    ) if (build_root / href).exists()]
    with use_language(language):
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
            found.append(BuiltCity(folder.name, _city_or_none(folder.name), themes,
                                   _city_pages(folder, build_root)))
    return found


def _city_pages(folder: Path, build_root: Path) -> tuple[tuple[str, str], ...]:
    """The city's readiness report, glossary and stat briefs that the build wrote."""
    pages = [(folder / name, label) for name, label in (
        ("readiness.html", N_("Data readiness report")), ("glossary.html", N_("Glossary")))]
    pages += [(brief, N_("Stat brief")) for brief in sorted(folder.glob("stat_briefs/*.html"))]
    return tuple((path.relative_to(build_root).as_posix(), label) for path, label in pages
                 if path.exists())


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

    skipped: tuple[str, ...] = ()
    try:
        nb = read_notebook(notebook if notebook.exists() else failed)
        title = notebook_title(nb)
        if notebook.exists():
            skipped = tuple(skip["reason"] or skip["title"] for skip in recorded_skips(nb))
    except CdaError:  # a damaged file still gets listed, under its file name
        title = title_from_name(stem)
    return BuiltModule(
        title=title,
        notebook=relative(notebook),
        page=relative(page),
        failed=relative(failed),
        skipped=skipped,
        coach_page=relative(build_root / folder.relative_to(build_root).parts[0] / "coach"
                            / "pages" / Path(*folder.relative_to(build_root).parts[1:])
                            / f"{stem}.html"),
        **_exercise_links(folder, stem, build_root, relative),
    )


def _exercise_links(folder: Path, stem: str, build_root: Path, relative) -> dict:
    """The module's exercise set, in the city's folder: the participants' notebook and the
    coach copy's page (the registry says which set belongs to which module)."""
    from cda_lib.themes import module_for_notebook

    city = build_root / folder.relative_to(build_root).parts[0]
    module = module_for_notebook(f"{folder.name}/{stem}.ipynb")
    if module is None or not module.exercises:
        return {}
    return {"exercises": relative(city / "exercises" / module.exercises),
            "coach_exercises": relative((city / "coach" / module.exercises).with_suffix(".html"))}


def render_index(built: list[BuiltCity], extras: list[tuple[str, str]] | None = None) -> str:
    """The index page's HTML for ``built`` cities; ``extras`` are (link, label) pairs of
    the build's other pages (the cohort page, the self-paced site), shown first."""
    return render_page("pages/index.html.j2", cities=built, extras=extras or [])
