"""One package per theme of the accelerator: its page helpers, its charts and its exercises.

``welcome`` (module 0) and ``lead`` (theme 1, Lead confidently with data). Each package
declares its :class:`~cda_lib.core.modules.Theme` as ``THEME``; :func:`all_themes` finds
them, so a new theme package is found with no list to edit.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil


@functools.cache
def all_themes() -> tuple:
    """``(package name, THEME)`` of every theme package, in the themes' order.

    >>> [(name, theme.number) for name, theme in all_themes()][:2]
    [('welcome', 0), ('lead', 1)]
    """
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "THEME"):
            found.append((info.name, module.THEME))
    return tuple(sorted(found, key=lambda pair: pair[1].number))


def find_module(spelling: str):
    """The :class:`~cda_lib.core.modules.Module` with this id, in whichever theme has it.

    >>> find_module("1.2").title
    'Measuring performance'
    """
    from cda_lib.core.modules import ModuleIdError, module_id

    wanted = module_id(spelling)
    for _name, theme in all_themes():
        for module in theme.modules:
            if module.id == wanted:
                return module
    raise ModuleIdError(f"No theme has a module {wanted}. Check the number in the module's "
                        "title.")


def module_for_notebook(notebook: str):
    """The module whose page is ``notebook`` (as the registry writes it:
    ``"01_lead/02_measuring_performance.ipynb"``), or None.

    >>> module_for_notebook("01_lead/02_measuring_performance.ipynb").id
    '1.2'
    """
    for _name, theme in all_themes():
        for module in theme.modules:
            if module.notebook == notebook:
                return module
    return None


def check_page(module: str, data):
    """Check a page's sections against a city's data, for the top of the page.

    Returns the :class:`~cda_lib.core.sections.PageCheck` that the page's ``%%section``
    cells are run against; shown, it says which sections this city's data cannot run and
    why (and nothing when every section runs).
    """
    from cda_lib.core.sections import PageCheck, set_current_page

    found = find_module(module)
    return set_current_page(PageCheck(found.id, found.sections, data.facts, data.city.name))
