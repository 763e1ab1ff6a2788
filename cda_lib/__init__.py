"""cda_lib: the helper library behind the City Data Alliance Workbook.

Notebooks import what they need from here::

    from cda_lib import load_city, load_city_data, Workspace

Inside Jupyter, importing cda_lib also changes one thing: the workbook's own errors
(:class:`cda_lib.errors.CdaError`) are shown as their plain message instead of a long
traceback, because the message already says what happened and what to do. Every other
error is shown as usual.
"""

from __future__ import annotations

from cda_lib.cities import City, load_city
from cda_lib.errors import CdaError
from cda_lib.workspace import Workspace

__version__ = "0.1.0"
__all__ = ["City", "CdaError", "Workspace", "load_city", "load_city_data", "__version__"]


def load_city_data(city):
    """Load a city's tables (see :func:`cda_lib.data.load_city_data`)."""
    from cda_lib.data import load_city_data as load

    return load(city)


def _show_friendly_error(shell, etype, evalue, tb, tb_offset=None):
    """IPython handler: show a workbook error as its message, under a plain heading."""
    structured = [f"\x1b[1;31m{etype.__name__}\x1b[0m: {evalue}"]
    shell._showtraceback(etype, evalue, structured)
    return structured


def _install_friendly_errors() -> None:
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((CdaError,), _show_friendly_error)


_install_friendly_errors()
