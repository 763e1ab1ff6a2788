"""axe-core in a real browser, for any page the workbook writes.

:func:`serious_violations` opens an HTML file in headless Chromium (Debian's package,
``/usr/bin/chromium``, launched by Playwright, as in tests/test_browser.py), injects axe-core
from the ``axe-playwright-python`` package (which ships ``axe.min.js``), runs it against the
WCAG 2.0 and 2.1 A and AA rules and returns each serious or critical violation as
"id (impact): n nodes". Nothing is fetched: the page is a file, and axe comes from the
installed package.

:func:`chromium_path` finds the browser; in CI (``CI`` set) a missing browser or
Playwright is a failure, elsewhere a skip that says how to install it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
INSTALL = ("Install it with `sudo apt-get update && sudo apt-get install -y chromium` and "
           "`pip install -e '.[dev]'` (for playwright and axe-playwright-python); .ci/run "
           "does both.")
# The rules a public page must pass: WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS = ("serious", "critical")
TIMEOUT_MS = 60_000


def _missing(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def chromium_path() -> str:
    """The Chromium to drive, or a skip (a failure in CI) saying how to install it."""
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing(f"Playwright or axe-playwright-python is not installed. {INSTALL}")
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if path is None:
        _missing(f"Chromium is not installed (looked for {CHROMIUM}). {INSTALL}")
    return path


def axe_script() -> Path:
    """axe.min.js as the axe-playwright-python package ships it."""
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).with_name("axe.min.js")


def serious_violations(html_path: str | Path, chromium_path: str,
                       screenshot: str | Path | None = None) -> list[str]:
    """The serious and critical axe violations of the page at ``html_path``, as
    "id (impact): n nodes"; a full-page screenshot goes to ``screenshot`` when given."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(Path(html_path).resolve().as_uri())
            page.add_script_tag(path=str(axe_script()))
            results = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
            if screenshot is not None:
                page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return [f"{v['id']} ({v['impact']}): {len(v['nodes'])} nodes"
            for v in results["violations"] if v.get("impact") in SERIOUS]


def image_scales(html_path: str | Path, chromium_path: str, width: int = 748) -> list[float]:
    """How wide each image of the page is shown, against the width it was drawn at, in a
    window the width of a printed letter page (8.5 in less 9 mm margins, at 96 px/in).

    A chart drawn at 100 dpi with 8-point text shown at 0.5 has text about 5 px high."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 988})
            page.emulate_media(media="print")
            page.goto(Path(html_path).resolve().as_uri())
            shown = page.evaluate("() => [...document.images].map("
                                  "i => [i.getBoundingClientRect().width, i.naturalWidth])")
        finally:
            browser.close()
    return [round(on_page / drawn, 3) for on_page, drawn in shown]
