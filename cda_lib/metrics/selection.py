"""Choosing requests: some types, districts and a period, with a clear error for a typo.

:func:`select_requests` is how a page narrows the table before a metric; the on-disk
engine (:mod:`cda_lib.metrics.engine`) checks its choices with :func:`check_choices` and
:func:`empty_period_error`, so a typo gets the same message either way.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from cda_lib.core.errors import did_you_mean, list_choices
from cda_lib.metrics.inputs import UnknownChoiceError, as_list, on_disk, require_columns
from cda_lib.metrics.periods import period_bounds, period_words
from cda_lib.text.dates import format_date
from cda_lib.text.translation import N_, gettext as _


def select_requests(requests: pd.DataFrame, *, service_code: str | Iterable[str] | None = None,
                    district: str | Iterable[str] | None = None, period=None) -> pd.DataFrame:
    """The requests of some types, districts and period, with a clear error for a typo.

    ``service_code`` takes codes or names ("POTHOLE" or "Pothole repair"), ``district``
    district names, ``period`` a year ("2025"), quarter ("2025Q1"), month ("2025-03") or a
    pair of dates (both days included). A choice the table does not have gets an error
    listing what it has, with a "did you mean". A table kept on disk
    (:func:`cda_lib.metrics.engine.open_requests`) gives a selection that stays on disk.

    >>> table = pd.DataFrame({"service_code": ["POTHOLE", "NOISE"],
    ...                       "service_name": ["Pothole repair", "Noise complaint"],
    ...                       "district": ["Northbank", "Old Town"],
    ...                       "requested_datetime": pd.to_datetime(["2025-03-01", "2025-04-02"])})
    >>> len(select_requests(table, service_code="Pothole repair", period="2025-03"))
    1
    >>> select_requests(table, district="Nortbank")
    Traceback (most recent call last):
    ...
    cda_lib.metrics.inputs.UnknownChoiceError: This table has no district "Nortbank". Did you mean \
"Northbank"? It has "Northbank" and "Old Town".
    """
    if on_disk(requests):
        return requests.select(service_code=service_code, district=district, period=period)
    chosen = pd.Series(True, index=requests.index)
    if service_code is not None:
        chosen &= _type_mask(requests, service_code)
    if district is not None:
        require_columns(requests, ["district"], N_("choosing districts"))
        chosen &= _choice_mask(requests["district"], district, N_("district"))
    if period is not None:
        require_columns(requests, ["requested_datetime"], N_("choosing a period"))
        start, end = period_bounds(period)
        chosen &= _period_mask(requests["requested_datetime"], start, end, period)
    return requests[chosen.to_numpy()]


def _type_mask(requests: pd.DataFrame, wanted) -> pd.Series:
    require_columns(requests, ["service_code"], N_("choosing request types"))
    codes = requests["service_code"].astype("string")
    names = requests["service_name"].astype("string") if "service_name" in requests.columns \
        else pd.Series(pd.NA, index=requests.index, dtype="string")
    mask = pd.Series(False, index=requests.index)
    known_codes = sorted(codes.dropna().unique())
    known_names = sorted(names.dropna().unique())
    for value in as_list(wanted, N_("request type")):
        hit = (codes == value) | (names == value)
        if not hit.fillna(False).any():
            raise UnknownChoiceError(_(
                'This table has no request type "{value}".{hint} Its type codes are {codes}.',
                value=value, hint=did_you_mean(value, [*known_codes, *known_names]),
                codes=list_choices(known_codes, limit=15)))
        mask |= hit.fillna(False)
    return mask


def _choice_mask(column: pd.Series, wanted, what: str) -> pd.Series:
    """``what`` (English, marked with ``N_``) names the column's values in the message."""
    values = column.astype("string")
    known = sorted(values.dropna().unique())
    mask = pd.Series(False, index=column.index)
    for value in as_list(wanted, what):
        hit = (values == value).fillna(False)
        if not hit.any():
            listing = _("It has {choices}.", choices=list_choices(known, limit=15)) if known \
                else _("It has no {what} values at all.", what=_(what))
            raise UnknownChoiceError(_('This table has no {what} "{value}".{hint} {listing}',
                                       what=_(what), value=value,
                                       hint=did_you_mean(value, known), listing=listing))
        mask |= hit
    return mask



def _period_mask(when: pd.Series, start: pd.Timestamp, end: pd.Timestamp,
                 period) -> pd.Series:
    mask = ((when >= start) & (when <= end)).fillna(False)
    if not mask.any():
        raise empty_period_error(period, when.min(), when.max())
    return mask


def check_choices(catalog: pd.DataFrame, *, service_code=None, district=None) -> None:
    """Raise the usual clear error if a chosen type or district is not in ``catalog``.

    ``catalog`` holds the distinct ``service_code``, ``service_name`` and ``district``
    values of a table kept on disk (:mod:`cda_lib.metrics.engine`), which checks its choices
    here so that its messages are the same as for a pandas table.
    """
    if service_code is not None:
        _type_mask(catalog, service_code)
    if district is not None:
        _choice_mask(catalog["district"], district, N_("district"))


def empty_period_error(period, first, last) -> UnknownChoiceError:
    """The error for a period with no requests opened in it (``first`` and ``last``: the
    dates the table covers)."""
    start, end = period_bounds(period)
    if pd.notna(first):
        return UnknownChoiceError(_(
            "This table has no requests opened in {period}. The data covers {first} to {last}; "
            "choose a period inside it.", period=period_words(period, start, end),
            first=format_date(first), last=format_date(last)))
    return UnknownChoiceError(_(
        "This table has no requests opened in {period}. The table has no dated requests; "
        "choose a period inside it.", period=period_words(period, start, end)))
