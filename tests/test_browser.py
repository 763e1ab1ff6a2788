"""A real browser: JupyterLab on 127.0.0.1, headless Chromium driven by Playwright.

It opens a participant copy of the welcome exercises built for Riverbend, runs all
cells, moves the slider of a no-code exercise and chooses a chart, and checks that the
feedback appears on the page for a wrong, a right and an untouched answer. Screenshots
go to ``build/screenshots/``.

Chromium is Debian's package (``apt-get install chromium``), launched by Playwright from
``/usr/bin/chromium``: Playwright's own browser download is not available on these
machines. In CI (the ``CI`` variable set) a missing browser is a failure; elsewhere the
test is skipped with a message saying how to install it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from cda_lib.core import paths
from cda_lib.exercises.authoring import find_exercise_notebooks, inject_city, participant_copy

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
INSTALL = ("Install it with `sudo apt-get update && sudo apt-get install -y chromium` and "
           "`pip install -e '.[dev]'` (for playwright); .ci/run does both.")
TARGETS_MODULE = "01_lead/03_targets_and_signal.ipynb"  # page 1.3, with the target setter
TIMEOUT_MS = 120_000  # starting a kernel and loading a city's data on a busy 2-core machine
# JupyterLab settings for a quiet, predictable page: no "news" pop-up over the notebook,
# and every cell kept in the page (not only the visible ones) so it can be found.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def _missing(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def chromium() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing(f"Playwright is not installed. {INSTALL}")
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if path is None:
        _missing(f"Chromium is not installed (looked for {CHROMIUM}). {INSTALL}")
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab stopped: {log.read_text()[-2000:]}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as answer:
            if answer.status == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"JupyterLab did not answer at {url}: {log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory, chromium):
    """JupyterLab serving a participant copy for Riverbend, on 127.0.0.1 only."""
    root = tmp_path_factory.mktemp("lab")
    notebook = root / "01_your_city_in_numbers.ipynb"
    nbformat.write(participant_copy(find_exercise_notebooks()[0], city="riverbend"), notebook)
    module = nbformat.read(paths.project_dir() / "notebooks" / TARGETS_MODULE, as_version=4)
    nbformat.write(inject_city(module, "riverbend"), root / Path(TARGETS_MODULE).name)
    settings = root / ".settings"
    for name, values in LAB_SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(values), encoding="utf-8")
    port = _free_port()
    environment = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(settings),
                   "JUPYTERLAB_WORKSPACES_DIR": str(root / ".workspaces"),
                   "CDA_BUILD_DIR": str(root / "build"),  # the participant's journal goes here
                   "CDA_PARTICIPANT": "Browser Test"}
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
               f"--port={port}", "--IdentityProvider.token=", "--ServerApp.password=",
               f"--ServerApp.root_dir={root}"]
    if os.name == "posix" and os.geteuid() == 0:
        command.append("--allow-root")
    log = root / "jupyterlab.log"
    with log.open("w") as output:
        process = subprocess.Popen(command, env=environment, stdout=output,
                                   stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(f"{base}/lab", process, log)
        yield base, notebook.name, root
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _open_notebook(page, url: str) -> None:
    """Open a notebook in Lab and wait until its kernel has started and is ready to run."""
    page.goto(url)
    page.locator(".jp-Notebook").wait_for()
    page.locator(".jp-StatusBar-Widget", has_text="Idle").first.wait_for()


def _run_all_cells(page) -> None:
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator(".lm-Menu-item", has_text="Run All Cells").first.click()


@pytest.mark.slow
def test_a_participant_answers_no_code_exercises_in_a_real_browser(lab, chromium):
    from playwright.sync_api import sync_playwright

    base, name, root = lab
    shots = paths.build_dir() / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(TIMEOUT_MS)
        try:
            _open_notebook(page, f"{base}/lab/tree/{name}")
            _run_all_cells(page)

            untouched = page.locator('.cda-feedback[data-exercise="0.1"]').first
            untouched.wait_for()
            assert untouched.get_attribute("data-status") == "not started"
            assert "Not started yet." in untouched.inner_text()

            # exercise 0.2's slider (every exercise now has a widget; 0.1's is a slider too)
            slider_box = page.locator(".cda-exercise-widget", has_text="Exercise 0.2.").filter(
                has=page.locator(".widget-slider"))
            slider_box.locator('.cda-feedback[data-status="not started"]').wait_for()
            slider_box.locator(".noUi-handle").first.focus()
            page.keyboard.press("ArrowRight")  # one step up from 0: far too low
            wrong = slider_box.locator('.cda-feedback[data-status="not yet"]')
            wrong.wait_for()
            assert "is lower than the figure from your city's data" in wrong.inner_text()

            chart_box = page.locator(".cda-exercise-widget", has_text="Exercise 0.6.")
            chart_box.get_by_text("C. Requests per 1,000 residents, by district").click()
            right = chart_box.locator('.cda-feedback[data-status="correct"]')
            right.wait_for()
            assert "Right." in right.inner_text()
            assert "Why it matters:" in right.inner_text()

            untouched.scroll_into_view_if_needed()
            untouched.screenshot(path=str(shots / "exercise_untouched.png"))
            slider_box.screenshot(path=str(shots / "exercise_wrong.png"))
            chart_box.screenshot(path=str(shots / "exercise_right.png"))
            page.screenshot(path=str(shots / "exercises_in_jupyterlab.png"))
        finally:
            browser.close()

    journal = root / "build" / "riverbend" / "workspace" / "exercises" / "browser-test.json"
    events = json.loads(journal.read_text(encoding="utf-8"))["events"]
    assert [(e["exercise"], e["status"]) for e in events] == [("0.2", "not yet"),
                                                              ("0.6", "correct")]


@pytest.mark.slow
def test_the_target_setter_reads_citywide_and_fits_beside_the_file_browser(lab, chromium):
    # Issue 13 saw both menus blank (a value of None shows no choice) and the setter's chart
    # cut off when Lab's file browser was open: a chart wider than its panel.
    from playwright.sync_api import sync_playwright

    base, _name, _root = lab
    shots = paths.build_dir() / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(TIMEOUT_MS)
        try:
            # a workspace of its own, so that Run All and the status bar are this notebook's
            # (the other test's notebook stays open in the default workspace)
            _open_notebook(page, f"{base}/lab/workspaces/setter/tree/"
                                 f"{Path(TARGETS_MODULE).name}?reset")
            browser_panel = page.locator("#filebrowser")
            if not browser_panel.is_visible():
                page.locator('[data-id="filebrowser"]').first.click()
            browser_panel.wait_for(state="visible")
            _run_all_cells(page)

            setter = page.locator(".cda-target-setter").first
            setter.locator("img").first.wait_for()
            setter.scroll_into_view_if_needed()
            shown = [select.evaluate("s => s.options[s.selectedIndex].text").replace("\xa0", " ")
                     for select in setter.locator("select").all()]
            assert shown[1:3] == ["Citywide", "All request types"]
            chart = setter.locator("img").first.bounding_box()
            panel = page.locator(".jp-NotebookPanel").first.bounding_box()
            assert chart["width"] > 200
            assert chart["x"] >= panel["x"] and \
                chart["x"] + chart["width"] <= panel["x"] + panel["width"]
            page.screenshot(path=str(shots / "target_setter_in_jupyterlab.png"))
        finally:
            browser.close()
