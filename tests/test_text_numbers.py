"""Tests for cda_lib.text.numbers: every figure written by one rule, worked out by hand.

Each expected string is the figure rounded by hand: to the nearest, halves away from zero,
on the decimal the number is written as (so 0.125 is 12.5% and rounds to 13%), never "-0".
"""

from __future__ import annotations

import math

import pytest

from cda_lib.text.numbers import (
    format_difference,
    format_number,
    format_percent,
    format_points,
    format_value,
)


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (12345, None, "12,345"),          # whole: separators, no decimals
    (12345.0, None, "12,345"),
    (3.40783, None, "3.408"),         # four significant digits
    (0.0176324, None, "0.01763"),
    (1234.56, None, "1,234.6"),       # from 1,000 up: one decimal
    (-2000.0, None, "-2,000"),
    (0.5, 0, "1"),                    # a half goes up, not to the even 0
    (2.5, 0, "3"),                    # ... and not to the even 2
    (-0.5, 0, "-1"),                  # halves away from zero on both sides
    (-0.4, 0, "0"),                   # rounds to zero: no minus sign
    (-0.04, 1, "0.0"),
    (0.995, 2, "1.00"),               # written 0.995, so it rounds up
    (2.675, 2, "2.68"),               # written 2.675 (Python's f-string says 2.67)
    (1234567.891, 0, "1,234,568"),
    (3.0, 1, "3.0"),
    (1e28, None, "10,000,000,000,000,000,000,000,000,000"),  # beyond Decimal's usual 28 digits
])
def test_numbers_round_as_by_hand(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_format_number_reads_like_a_person_wrote_it():
    assert [format_number(v) for v in (14615, 1177.5, 0.05263, 3.5)] == \
        ["14,615", "1,177.5", "0.05263", "3.5"]


def test_a_number_that_is_not_one_is_said_so():
    assert format_number(math.nan) == "nan" and format_number(math.inf, 1) == "inf"


@pytest.mark.parametrize(("share", "decimals", "expected"), [
    (0.62, 0, "62%"),
    (2 / 3, 0, "67%"),                # 66.67 rounds up
    (0.125, 0, "13%"),                # 12.5: a half, up (Python's .0% says 12%)
    (0.005, 0, "1%"),                 # 0.5%: a half, up
    (0.004, 0, "<1%"),                # not zero, so never "0%"
    (0.0004, 1, "<0.1%"),
    (0.0, 0, "0%"),                   # truly none
    (0.995, 0, ">99%"),               # 99.5% rounds to 100, but not all are
    (0.9996, 1, ">99.9%"),
    (1.0, 0, "100%"),                 # truly all
    (0.0712, 1, "7.1%"),
    (-0.004, 0, "0%"),                # rounds to zero: no minus sign
    (12.5, 0, "1,250%"),
])
def test_percentages_never_say_none_or_all_when_it_is_not_so(share, decimals, expected):
    assert format_percent(share, decimals) == expected


@pytest.mark.parametrize(("change", "expected"), [
    (0.5, "+50%"), (-0.25, "-25%"), (2.0, "+200%"), (0.004, "0%"), (-0.004, "0%"),
    (0.995, "+100%"),                 # a change, not a share: 99.5% rounds to 100
])
def test_signed_percentages_are_changes(change, expected):
    assert format_percent(change, signed=True) == expected


@pytest.mark.parametrize(("difference", "decimals", "expected"), [
    (0.1386, 0, "+14 points"),        # 13.86
    (-0.2, 0, "-20 points"),
    (0.012, 0, "+1 point"),           # 1.2 rounds to 1: singular
    (-0.01, 0, "-1 point"),
    (0.01, 1, "+1.0 points"),         # "1.0" is not "1": plural
    (0.004, 0, "0 points"),           # rounds to zero: no sign, plural
    (-0.004, 0, "0 points"),          # ... and no "-0"
    (0.005, 0, "+1 point"),           # 0.5 points: a half, up
    (-0.005, 0, "-1 point"),          # ... away from zero
    (0.1386, 1, "+13.9 points"),
    (0.3, 1, "+30.0 points"),
    (-0.0004, 1, "0.0 points"),
])
def test_points_are_signed_and_singular_only_for_one(difference, decimals, expected):
    assert format_points(difference, decimals) == expected


def test_points_are_signed_and_singular_for_one():
    assert [format_points(x) for x in (0.25, -0.01, 0.0, 0.004)] == \
        ["+25 points", "-1 point", "0 points", "0 points"]


def test_unsigned_points_give_the_size_alone():
    assert format_points(-0.03, signed=False) == "3 points"
    assert format_points(0.01, signed=False) == "1 point"
    assert format_points(0.133, 1, signed=False) == "13.3 points"


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (0.62, "share", "62%"),
    (0.003, "share", "<1%"),
    (3.44, "days", "3.4 days"),
    (3.45, "days", "3.5 days"),       # a half, up
    (1.0, "days", "1.0 days"),        # "1.0" is not "1": plural
    (1234, "requests", "1,234 requests"),
    (1, "requests", "1 request"),
    (12.5, "requests", "13 requests"),
    (0.8734, "score", "0.87"),        # a score has no unit word
    (12.0, "", "12"),                 # no unit: a plain number
    (0.0176324, "", "0.01763"),
    (3, "request types", "3 request types"),
])
def test_values_carry_their_unit(value, unit, expected):
    assert format_value(value, unit) == expected


def test_a_value_can_be_written_more_precisely():
    assert format_value(0.0712, "share", decimals=1) == "7.1%"
    assert format_value(2.345, "days", decimals=2) == "2.35 days"


@pytest.mark.parametrize(("value", "unit", "per_period", "expected"), [
    (0.045, "share", False, "4.5 points"),
    (0.01, "share", False, "1.0 points"),
    (0.0055, "share", True, "0.6 points"),    # a step in a share: tenths, like a gap
    (1.25, "days", False, "1.3 days"),
    (0.045, "days", True, "0.05 days"),       # a step in days: hundredths; 0.045 rounds up
    (12, "requests", False, "12 requests"),
    (2.4, "requests", True, "2 requests"),    # requests stay whole, even per period
])
def test_differences_are_sizes_in_points_or_the_unit(value, unit, per_period, expected):
    assert format_difference(value, unit, per_period=per_period) == expected


# Money in whole units, with CLDR's symbol for the currency in the page's locale: British
# English writes a foreign dollar with its country ("US$", "CA$"), Colombian Spanish the
# peso as "$" with points between thousands, Brazilian Portuguese "R$" and a no-break space.
# 1234.5 rounds half up to 1,235; a symbol made of letters ("COP") is kept off the digits.
@pytest.mark.parametrize(("language", "amount", "currency", "expected"), [
    ("en", 450000, "USD", "US$450,000"),
    ("en", 1234.5, "CAD", "CA$1,235"),
    ("en", 2_000_000, "COP", "COP\u00a02,000,000"),
    ("es", 6_800_000_000, "COP", "$6.800.000.000"),
    ("es", 450000, "USD", "US$450.000"),
    ("pt", 13_000_000, "BRL", "R$\u00a013.000.000"),
])
def test_money_is_written_in_whole_units_the_languages_way(language, amount, currency,
                                                             expected):
    from cda_lib.text.numbers import format_money
    from cda_lib.text.translation import use_language

    with use_language(language):
        assert format_money(amount, currency) == expected
