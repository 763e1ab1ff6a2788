"""cda_lib: the helper library behind the City Data Alliance Workbook.

Notebooks start with the workbook's extension, then import what they need::

    %load_ext cda_lib
    from cda_lib import load_city, load_city_data, Workspace

``%load_ext cda_lib`` changes one thing in Jupyter: the workbook's own errors
(:class:`cda_lib.core.errors.CdaError`) are shown as their plain message instead of a long
traceback, because the message already says what happened and what to do. Every other
error is shown as usual. Importing cda_lib changes nothing by itself.
"""

from __future__ import annotations

from cda_lib.cities.city import City
from cda_lib.cities.loader import load_city
from cda_lib.core.errors import CdaError
from cda_lib.core.workspace import Workspace

__version__ = "0.1.0"
__all__ = ["City", "CdaError", "Workspace", "load_city", "load_city_data",
           "load_ipython_extension", "__version__"]


def load_city_data(city):
    """Load a city's tables (see :func:`cda_lib.data.load_city_data`)."""
    from cda_lib.data import load_city_data as load

    return load(city)


def load_ipython_extension(ipython) -> None:
    """``%load_ext cda_lib``: show the workbook's own errors as their plain message."""
    from cda_lib.core.friendly_errors import show_friendly_errors

    show_friendly_errors(ipython)
