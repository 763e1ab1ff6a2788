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
