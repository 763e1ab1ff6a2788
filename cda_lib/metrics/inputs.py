"""The checks every metric makes of what it is given, and the errors they raise.

A metric given a typo, a missing column or a date it cannot read says so in words
(what happened, what exists, what to try) instead of failing deep inside pandas. These
checks are shared by the KPI suite (:mod:`cda_lib.metrics.kpi`), choosing requests
(:mod:`cda_lib.metrics.selection`), periods (:mod:`cda_lib.metrics.periods`) and the
on-disk engine (:mod:`cda_lib.metrics.engine`), so each message is written once.

>>> as_timestamp("2025-03-31", "as_of")
Timestamp('2025-03-31 00:00:00')
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

from cda_lib.core.errors import CdaError, did_you_mean, list_choices
from cda_lib.text.translation import gettext as _


class MetricInputError(CdaError, ValueError):
    """A metric was asked for with an argument or a table it cannot use."""


class UnknownChoiceError(CdaError, KeyError):
    """A district, request type or period was asked for that the data does not have."""


def as_timestamp(value, what: str) -> pd.Timestamp:
    """``value`` as a pandas timestamp without a time zone, or a clear error naming ``what``.

    >>> as_timestamp(None, "as_of")
    Traceback (most recent call last):
    ...
    cda_lib.metrics.inputs.MetricInputError: as_of is missing. Give the moment the data was \
extracted, e.g. as_of=data.as_of.
    """
    if value is None:
        raise MetricInputError(_("{what} is missing. Give the moment the data was extracted, "
                                 "e.g. as_of=data.as_of.", what=what))
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise MetricInputError(_('{what} should be a date such as "2025-12-31", not {value}. '
                                 "Write the date as year-month-day.", what=what,
                                 value=repr(value)))
    if stamp.tz is not None:
        stamp = stamp.tz_localize(None)
    return stamp


def require_columns(requests: pd.DataFrame, columns: Iterable[str], purpose: str) -> None:
    """Raise a clear error naming the ``columns`` the table lacks and what needs them
    (``purpose``: English marked with ``N_``, translated here)."""
    missing = [c for c in columns if c not in requests.columns]
    if missing:
        have = [str(c) for c in requests.columns]
        raise MetricInputError(_(
            "The service requests table has no {missing} column, which {purpose} need.{hint} "
            "It has {have}; load it with cda_lib's loaders.", missing=list_choices(missing),
            purpose=_(purpose), hint=did_you_mean(missing[0], have),
            have=list_choices(have, limit=15)))


def as_list(wanted, what: str) -> list[str]:
    """One name or several (types, districts) as a list of names, or a clear error.

    ``what`` is English marked with ``N_``, translated in the message.

    >>> as_list("POTHOLE", "request type"), as_list(("A", "B"), "district")
    (['POTHOLE'], ['A', 'B'])
    """
    if isinstance(wanted, str):
        values = [wanted]
    elif isinstance(wanted, Iterable):
        values = list(wanted)
    else:
        values = []
    if not values or not all(isinstance(v, str) for v in values):
        raise MetricInputError(_("Name the {what} as text, e.g. one name or a list of names, "
                                 "not {value}.", what=_(what), value=repr(wanted)))
    return values


def check_standards(standards: Mapping[str, float] | None) -> None:
    """Raise a clear error unless ``standards`` maps type codes to days, 0 or more."""
    if standards is None:
        return
    if not isinstance(standards, Mapping):
        raise MetricInputError(_(
            "Service standards should map request type codes to days (e.g. {example}), not "
            "{kind}. Pass city.service_standards.", example="{'POTHOLE': 5}",
            kind=type(standards).__name__))
    for code, days in standards.items():
        if isinstance(days, bool) or not isinstance(days, (int, float)) \
                or not math.isfinite(days) or days < 0:
            raise MetricInputError(_(
                'The service standard for "{code}" is {days}; it should be a number of days, 0 '
                "or more. Fix it in the city file's service_standards.", code=code,
                days=repr(days)))


def on_disk(requests) -> bool:
    """A table kept on disk by :mod:`cda_lib.metrics.engine`, which counts for itself."""
    return not isinstance(requests, pd.DataFrame) and hasattr(requests, "kpi_figures")
