"""``cda lab CITY``: JupyterLab opened on a city's built workbook, in the city's language.

JupyterLab's menus come in the language its ``@jupyterlab/translation-extension:plugin``
setting ``locale`` names, once that language's pack is installed (the workbook installs
``jupyterlab-language-pack-es-ES`` and ``-pt-BR``). Rather than change a participant's own
JupyterLab settings, each launch points Lab at a settings folder of its own inside the
build (``--LabApp.user_settings_dir``), holding only the workbook's settings:

    build/.lab/es/user-settings/@jupyterlab/translation-extension/plugin.jupyterlab-settings
    {"locale": "es_ES"}

so a Spanish city's notebooks open with "Ejecutar → Ejecutar todas las celdas" in the
menus, as the workbook's pages say; and Lab never asks whether to fetch news from the
internet (``@jupyterlab/apputils-extension:notification``: ``fetchNews`` "false"), a
question that means nothing to a participant on a laptop in city hall.

>>> LAB_LOCALES["es"], LAB_LOCALES["pt"]
('es_ES', 'pt_BR')
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from cda_lib.core import paths
from cda_lib.core.errors import BuildError
from cda_lib.core.files import write_text_atomically
from cda_lib.text.translation import checked_language

# The language packs' locales for the workbook's languages (Lab's own English is "en").
LAB_LOCALES = {"en": "en", "es": "es_ES", "pt": "pt_BR"}
LAB_SETTINGS_FOLDER = ".lab"  # in the build folder; hidden, so no page lists it
TRANSLATION_PLUGIN = Path("@jupyterlab", "translation-extension", "plugin.jupyterlab-settings")
NOTIFICATION_PLUGIN = Path("@jupyterlab", "apputils-extension", "notification.jupyterlab-settings")
NO_NEWS = {"fetchNews": "false", "checkForUpdates": False}


@dataclass(frozen=True)
class LabLaunch:
    """What ``cda lab`` runs: the command line, the folder Lab opens and its language."""

    arguments: tuple[str, ...]
    folder: Path
    language: str
    settings_file: Path


def settings_folder(build_root: Path, language: str) -> Path:
    """The JupyterLab user-settings folder of one language's launches."""
    return Path(build_root) / LAB_SETTINGS_FOLDER / language / "user-settings"


def write_lab_settings(build_root: Path, language: str) -> Path:
    """Write the settings files that set Lab's language and turn off its news question;
    return the language's."""
    language = checked_language(language)
    path = settings_folder(build_root, language) / TRANSLATION_PLUGIN
    path.parent.mkdir(parents=True, exist_ok=True)
    for where, setting in ((path, {"locale": LAB_LOCALES[language]}),
                           (settings_folder(build_root, language) / NOTIFICATION_PLUGIN, NO_NEWS)):
        where.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(setting, indent=2) + "\n"
        if not where.exists() or where.read_text(encoding="utf-8") != text:
            write_text_atomically(where, text)
    return path


def lab_launch(city_id: str, language: str, build_root: Path | None = None, *,
               allow_root: bool | None = None) -> LabLaunch:
    """The JupyterLab launch for ``city_id``'s built folder in ``language``, its settings
    file written (Lab itself is not started).

    Raises :class:`BuildError` when the city has not been built into ``build_root`` yet.
    """
    build_root = Path(build_root) if build_root is not None else paths.build_dir()
    folder = build_root / city_id
    if not folder.is_dir():
        raise BuildError(f"{city_id} has not been built into {build_root} yet, so there is "
                         f"nothing to open. Run `cda build {city_id}` first.")
    language = checked_language(language)
    settings = write_lab_settings(build_root, language)
    arguments = [sys.executable, "-m", "jupyterlab", str(folder),
                 f"--LabApp.user_settings_dir={settings_folder(build_root, language)}"]
    if allow_root if allow_root is not None else _is_root():
        arguments.append("--allow-root")  # Jupyter refuses root (a container) unless told
    return LabLaunch(tuple(arguments), folder, language, settings)


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0
