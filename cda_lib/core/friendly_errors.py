"""Show the workbook's own errors in Jupyter as their message, not as a traceback.

A :class:`~cda_lib.core.errors.CdaError` already says what happened, what exists and what
to try; the twenty lines of library code above it only hide that from a reader who does
not program. Every other error keeps its full traceback. Switched on by
``%load_ext cda_lib`` (:func:`cda_lib.load_ipython_extension`), never by an import.
"""

from __future__ import annotations

from cda_lib.core.errors import CdaError


def show_friendly_errors(shell) -> None:
    """Make ``shell`` (an IPython shell) show a :class:`CdaError` as its message alone."""
    shell.set_custom_exc((CdaError,), _show_message)


def _show_message(shell, etype, evalue, tb, tb_offset=None):
    """IPython's custom-exception handler: the error's name in bold red, then its message."""
    structured = [f"\x1b[1;31m{etype.__name__}\x1b[0m: {evalue}"]
    shell._showtraceback(etype, evalue, structured)
    return structured
