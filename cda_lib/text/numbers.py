"""Numbers, percentages and percentage points written the way every page writes them.

One rule per kind of figure, so the same figure reads the same on every page:

* :func:`format_number`: a plain number, with thousands separators ("12,345").
* :func:`format_percent`: a share of a whole ("62%"); a share that is not zero is never
  written "0%", and one that is not all is never written "100%".
* :func:`format_points`: a difference of two shares in percentage points, signed
  ("+14 points", "-2 points", "0 points", "+1 point").
* :func:`format_value` and :func:`format_difference`: a figure in its unit ("62%",
  "3.4 days", "1,234 requests", "0.87" for a score), and the size of a change in it.
* :func:`format_money`: an amount in a currency, whole units, the page language's way
  ("US$450,000"; "$ 1.800.000.000" for Colombian pesos on a Spanish page).

Rounding is the one people do by hand: to the nearest, halves away from zero (0.5 is 1,
2.5 is 3), on the number as Python prints it (2.675 is 2.68), and never "-0". Python's own
formatting rounds halves to even and works on the binary value, so ``f"{0.125:.0%}"`` is
"12%"; here it is "13%".

>>> format_number(12345), format_percent(0.62), format_points(0.1386)
('12,345', '62%', '+14 points')
>>> format_value(3.44, "days"), format_difference(0.045, "share")
('3.4 days', '4.5 points')
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal

from cda_lib.text.translation import (
    FORMAT_LOCALES,
    current_language,
    gettext as _,
    localized_digits,
    ngettext,
)

# How many decimals each unit's figures are written with. Shares as whole percents: the
# pages compare on-time shares of a few hundred requests, whose uncertainty is several
# points, so a tenth of a percent would be false precision. Days to one decimal: a tenth of
# a day (2.4 hours) is the smallest change in closing times anyone acts on. Requests are
# counted whole. Scores (target ÷ actual) to two decimals, as the scorecards print them.
UNIT_DECIMALS = {"share": 0, "days": 1, "requests": 0, "score": 2}
# A change between two shares is written in points to one decimal: two whole percents can
# differ by less than a point, and "0 points behind" would hide a real gap.
DIFFERENCE_DECIMALS = {**UNIT_DECIMALS, "share": 1}
# A change per period (a month's step on the way to a target) in days is written in
# hundredths, as the target pages always have: half a day gained over a year is 0.04 days a
# month, which tenths would show as zero. Steps in shares keep the gaps' tenths of a point.
PER_PERIOD_DECIMALS = {**DIFFERENCE_DECIMALS, "days": 2}
# Enough digits for any float written out in full (the largest has 309) plus its decimals.
_EXACT = Context(prec=400, rounding=ROUND_HALF_UP)


def format_number(value: float, decimals: int | None = None) -> str:
    """A number with thousands separators, to ``decimals`` places.

    Without ``decimals``, as a person would write it: whole numbers whole, others to
    four significant digits (one decimal from 1,000 up).

    >>> format_number(12345.0), format_number(3.40783), format_number(0.0176324)
    ('12,345', '3.408', '0.01763')
    >>> format_number(1234.5, 0), format_number(-0.4, 0), format_number(2.25, 1)
    ('1,235', '0', '2.3')
    """
    if math.isnan(value) or math.isinf(value):
        return str(value)
    if decimals is not None:
        return localized_digits(f"{_rounded(value, decimals):,.{decimals}f}")
    if float(value).is_integer():
        return localized_digits(f"{_rounded(value, 0):,.0f}")
    if abs(value) >= 1000:
        return localized_digits(f"{_rounded(value, 1):,.1f}")
    return localized_digits(f"{value:.4g}")


def format_percent(share: float, decimals: int = 0, *, signed: bool = False) -> str:
    """A share (0.62) as a percentage ("62%"), to ``decimals`` places.

    A share above zero that would round to 0% is written "<1%", and one below one that
    would round to 100% is written ">99%": "0%" says there are none, "100%" says there
    are no others. With ``signed``, a change written as a percentage ("+5%", "-3%").

    >>> format_percent(0.6667), format_percent(0.004), format_percent(0.996)
    ('67%', '<1%', '>99%')
    >>> format_percent(0.0712, 1), format_percent(0.5, signed=True), format_percent(-0.004)
    ('7.1%', '+50%', '0%')
    """
    if math.isnan(share) or math.isinf(share):
        return str(share)
    percent = _rounded(Decimal(repr(float(share))) * 100, decimals)
    smallest = Decimal(1).scaleb(-decimals)
    if signed:
        written = f"{percent:+,.{decimals}f}%" if percent else f"{percent:,.{decimals}f}%"
    elif share > 0 and percent == 0:
        written = f"<{smallest:f}%"
    elif share < 1 and percent == 100:
        written = f">{100 - smallest:f}%"
    else:
        written = f"{percent:,.{decimals}f}%"
    return localized_digits(written)


def format_points(difference: float, decimals: int = 0, *, signed: bool = True) -> str:
    """A difference of two shares (0.14) in percentage points ("+14 points").

    Signed, as the pages write an effect or a change: "+" for a rise, "-" for a fall, and
    no sign for "0 points". One point is "1 point"; every other figure, "1.0" included,
    takes "points". Without ``signed``, the size alone ("3 points behind").

    >>> format_points(0.1386), format_points(-0.004), format_points(-0.2), format_points(0.012)
    ('+14 points', '0 points', '-20 points', '+1 point')
    >>> format_points(0.1386, 1), format_points(-0.03, signed=False)
    ('+13.9 points', '3 points')
    """
    if math.isnan(difference) or math.isinf(difference):
        return _("{points} points", points=str(difference))
    points = _rounded(Decimal(repr(float(difference))) * 100, decimals)
    if not signed:
        points = abs(points)
    written = f"{points:+,.{decimals}f}" if signed and points else f"{points:,.{decimals}f}"
    one = written.lstrip("+-") == "1"
    return ngettext("{points} point", "{points} points", 1 if one else 2,
                    points=localized_digits(written))


def format_bound(difference: float) -> str:
    """An interval's end in percentage points, never rounded onto zero: a bound of -0.16
    points is written "-0.2 points", so an interval that includes zero is not written as if
    it started there (:func:`format_points` otherwise).

    >>> format_bound(-0.0016), format_bound(0.0004), format_bound(0.28), format_bound(0.0)
    ('-0.2 points', '+0.04 points', '+28 points', '0 points')
    """
    if not math.isfinite(difference) or difference == 0:
        return format_points(difference)
    for decimals in (0, 1, 2):
        if _rounded(Decimal(repr(float(difference))) * 100, decimals) != 0:
            return format_points(difference, decimals)
    return format_points(difference, 3)


def format_value(value: float, unit: str, *, decimals: int | None = None) -> str:
    """A figure in its unit: a share as a percentage, days and requests with the word.

    ``unit`` is one of the metrics' units ("share", "days", "requests", "score") or any
    other word, written after the number; ``decimals`` overrides the unit's usual
    precision (:data:`UNIT_DECIMALS`).

    >>> format_value(0.62, "share"), format_value(3.44, "days"), format_value(1, "requests")
    ('62%', '3.4 days', '1 request')
    >>> format_value(0.8734, "score"), format_value(12.0, ""), format_value(3, "request types")
    ('0.87', '12', '3 request types')
    """
    places = UNIT_DECIMALS.get(unit) if decimals is None else decimals
    if unit == "share":
        return format_percent(value, places)
    if unit == "score":
        return format_number(value, places)
    number = format_number(value, places)
    count = 1 if number == "1" else 2
    if unit == "requests":
        return ngettext("{number} request", "{number} requests", count, number=number)
    if unit == "days":
        return ngettext("{number} day", "{number} days", count, number=number)
    if not unit:
        return number
    return _("{number} {unit}", number=number, unit=_(unit))


def format_difference(value: float, unit: str, *, per_period: bool = False) -> str:
    """The size of a change in a figure (unsigned: the sentence says which way).

    A change in a share is in points (:data:`DIFFERENCE_DECIMALS`); ``per_period`` is for
    a change each month or quarter (:data:`PER_PERIOD_DECIMALS`).

    >>> format_difference(0.045, "share"), format_difference(1.25, "days")
    ('4.5 points', '1.3 days')
    >>> format_difference(0.042, "days", per_period=True), format_difference(12, "requests")
    ('0.04 days', '12 requests')
    """
    places = (PER_PERIOD_DECIMALS if per_period else DIFFERENCE_DECIMALS).get(unit)
    if unit == "share":
        return format_points(value, places, signed=False)
    return format_value(value, unit, decimals=places)


def format_money(amount: float, currency: str) -> str:
    r"""An amount of money in ``currency`` (an ISO 4217 code such as "USD" or "COP"), in
    whole units, written as the page's language writes money (CLDR's symbols and marks).

    Whole units: the pages state budgets and costs that are illustrative, where cents
    would be false precision. A symbol made of letters is kept apart from the digits.

    >>> format_money(450000, "USD"), format_money(1234.5, "CAD"), format_money(2e6, "COP")
    ('US$450,000', 'CA$1,235', 'COP\xa02,000,000')
    """
    from babel import Locale
    from babel.numbers import format_currency

    locale = FORMAT_LOCALES[current_language()]
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    whole = re.sub(r"\.0+", "", pattern)  # "¤#,##0.00" → "¤#,##0": no cents
    written = format_currency(_rounded(amount, 0), currency, locale=locale, format=whole,
                              currency_digits=False)
    return re.sub(r"([A-Za-z])(\d)", "\\1\u00a0\\2", written)


def _rounded(value: float | Decimal, decimals: int) -> Decimal:
    """``value`` to ``decimals`` places, halves away from zero, never minus zero."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), context=_EXACT)
    return abs(rounded) if rounded == 0 else rounded
