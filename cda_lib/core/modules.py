"""Module ids, spelt one way, and the description of a theme and its modules.

A module's id is its curriculum number: ``"0.2"`` is the welcome module's second page,
``"1.5"`` theme 1's fifth, theme 2's will be ``"2.1"`` and so on. Older workspaces spell
the same module ``"00_welcome/02"`` or ``"1_lead/05"`` (its folder and notebook number);
:func:`module_id` reads every spelling, so those workspaces still load.

Each theme package declares a :class:`Theme` (``THEME`` in its ``__init__``): its number,
title and modules, with the notebook of each and the records it writes and reads, by
their keys in :data:`cda_lib.core.records.RECORDS`.

>>> module_id("1_lead/05"), module_id("00_welcome/02"), module_id("1.5")
('1.5', '0.2', '1.5')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cda_lib.core.errors import CdaError
from cda_lib.core.needs import Need, Section

# "1.5": theme number, a dot, the module's number in its theme
_CURRICULUM = re.compile(r"(\d+)\.(\d+)")
# "1_lead/05", "00_welcome/02", "01_lead/05_data_in_the_weekly_routine.ipynb": the folder
# and notebook numbers of the older spellings
_FOLDER = re.compile(r"(\d+)_[a-z][a-z0-9_]*/(\d+)(?:_[a-z0-9_]*)?(?:\.ipynb)?")


class ModuleIdError(CdaError, ValueError):
    """A module was named in a way that is not a module id."""


def module_id(spelling: str) -> str:
    """The one spelling of a module's id (``"1.5"``), from any spelling the workbook used.

    >>> module_id("01_lead/05_data_in_the_weekly_routine.ipynb")
    '1.5'
    """
    text = str(spelling).strip()
    found = _CURRICULUM.fullmatch(text) or _FOLDER.fullmatch(text)
    if found is None:
        hint = (" It names a theme's folder; a module is one page of a theme."
                if re.fullmatch(r"\d+_[a-z][a-z0-9_]*", text) else "")
        raise ModuleIdError(f'"{spelling}" is not a module id.{hint} A module id is its '
                            'curriculum number, such as "0.2" or "1.5". Write the number '
                            "shown in the module's title.")
    theme, number = found.groups()
    return f"{int(theme)}.{int(number)}"


def theme_of(module: str) -> int:
    """The number of the theme a module belongs to.

    >>> theme_of("1.5"), theme_of("00_welcome/02")
    (1, 0)
    """
    return int(module_id(module).split(".")[0])


@dataclass(frozen=True)
class Module:
    """One module of a theme: its page, its exercises and what it records for later ones.

    ``notebook`` is under ``notebooks/``, ``exercises`` under ``exercises/`` (None when the
    module has no exercise set). ``writes`` and ``reads`` are record keys of
    :data:`cda_lib.core.records.RECORDS`; ``reads`` lists the records of other modules the
    module needs. ``sections`` are the parts of the page that need something of the data
    (:mod:`cda_lib.core.needs`): the page's ``%%section`` cells name them.
    """

    id: str
    title: str
    notebook: str
    exercises: str | None = None
    writes: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()

    def needs(self) -> tuple[Need, ...]:
        """Every need of the page's sections, each once, in the order they first appear."""
        return tuple(dict.fromkeys(need for section in self.sections for need in section.needs))


@dataclass(frozen=True)
class Theme:
    """A theme of the accelerator: its number, its title and its modules in reading order."""

    number: int
    title: str
    modules: tuple[Module, ...]

    def module(self, spelling: str) -> Module:
        """The module with this id (any spelling :func:`module_id` reads)."""
        wanted = module_id(spelling)
        for module in self.modules:
            if module.id == wanted:
                return module
        ids = ", ".join(f'"{m.id}"' for m in self.modules)
        raise ModuleIdError(f"Theme {self.number} has no module {wanted}. Its modules are "
                            f"{ids}. Check the number in the module's title.")

    def notebooks(self) -> list[str]:
        """Every notebook of the theme, pages and exercise sets, as ``notebooks/...`` and
        ``exercises/...`` paths."""
        found = []
        for module in self.modules:
            found.append(f"notebooks/{module.notebook}")
            if module.exercises is not None:
                found.append(f"exercises/{module.exercises}")
        return found
