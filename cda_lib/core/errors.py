"""The one family of errors the workbook raises, written for people who do not program.

Every message follows the same three steps, in at most three sentences: what
happened (in the reader's words: "table", not "DataFrame"), what exists (the valid
choices, with a "did you mean" where one is close) and what to try next.
Each class also inherits from the matching built-in error, so programmers can
catch ``ValueError`` or ``KeyError`` as usual.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from cda_lib.text.dates import format_list
from cda_lib.text.translation import gettext as _


class CdaError(Exception):
    """Base class of every error the workbook raises on purpose."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class CityFileError(CdaError, ValueError):
    """A city file is missing a field, or a field holds something unexpected."""


class UnknownCityError(CdaError, KeyError):
    """A city was asked for by a name that has no city file."""


class MappingError(CdaError, ValueError):
    """A column mapping does not fit the file it is meant to read."""


class LoadError(CdaError, ValueError):
    """A data file cannot be read at all (missing, wrong format, empty)."""


class SchemaError(CdaError, ValueError):
    """A table does not have the columns or types the workbook expects."""


class NotebookParameterError(CdaError, ValueError):
    """A notebook cannot be given the parameters a build wants to inject."""


class BuildError(CdaError, RuntimeError):
    """A build step failed; the message says which city and notebook."""


class WorkspaceError(CdaError, KeyError):
    """Something was asked of a city's workspace that it has not recorded."""


class ChartDataError(CdaError, ValueError):
    """A chart was asked to plot a table that holds nothing it can show."""


class PortalError(CdaError, RuntimeError):
    """A portal could not give all the data asked for; nothing partial is kept."""


class NotCachedError(CdaError, KeyError):
    """Working offline, but the portal data asked for was never downloaded to the cache."""


class OnDiskError(CdaError, ValueError):
    """A table kept on disk (cda_lib.metrics.engine) was given to code that needs it in memory."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ' Did you mean "x"?' when a choice is close to ``word``, else ''.

    >>> did_you_mean("riverbnd", ["riverbend", "seattle"])
    ' Did you mean "riverbend"?'
    >>> did_you_mean("zzz", ["riverbend"])
    ''
    """
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return _(' Did you mean "{choice}"?', choice=close[0]) if close else ""


def list_choices(choices: Iterable[str], limit: int = 12) -> str:
    """Join choices for a message: '"a", "b" and "c"', shortened when there are many; the
    last two are joined with the page language's "and" ("y", "e").

    >>> list_choices(["en", "es", "pt"])
    '"en", "es" and "pt"'
    """
    items = [f'"{c}"' for c in choices]
    if not items:
        return _("(none)")
    if len(items) > limit:
        return _("{shown} and {count:,} more", shown=", ".join(items[:limit]),
                 count=len(items) - limit)
    return format_list(items)
