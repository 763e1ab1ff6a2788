"""cda_lib: the helper library behind the City Data Alliance Workbook.

Notebooks start with the workbook's extension, then import what they need::

    %load_ext cda_lib
    from cda_lib import load_city, load_city_data, Workspace

``%load_ext cda_lib`` changes three things in Jupyter. The workbook's own errors
(:class:`cda_lib.core.errors.CdaError`) are shown as their plain message instead of a long
traceback, because the message already says what happened and what to do; every other
error is shown as usual. And the library writes its sentences, figures and charts in the
notebook's ``language`` (a parameter beside ``city``). And a cell that starts with
``%%section KEY`` runs only when the city's data holds what that section of the page
needs; otherwise it says, in place of its output, what is missing
(:mod:`cda_lib.core.sections`). Importing cda_lib changes nothing by itself.
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
    """``%load_ext cda_lib``: show the workbook's own errors as their plain message, write
    the page's sentences in the notebook's ``language`` (its parameter, which a build sets
    to the city's language; English when the notebook has none), show every pandas table in
    the house table format (:mod:`cda_lib.core.frames`), and register the ``%%section``
    cell magic."""
    from cda_lib.core.frames import register_table_display
    from cda_lib.core.friendly_errors import show_friendly_errors
    from cda_lib.core.sections import register_section_magic
    from cda_lib.text.translation import set_language

    show_friendly_errors(ipython)
    register_section_magic(ipython)
    register_table_display(ipython)
    set_language(ipython.user_ns.get("language"))
