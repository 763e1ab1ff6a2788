"""Dates, months and lists written in the page's language, from CLDR's data through Babel.

No month name is written by hand: English, Spanish and Portuguese come from the same
locale data, so "31 Dec 2025" is "31 dic 2025" on a Colombian page and "31 dez. 2025" on
a Brazilian one.

>>> import datetime
>>> moment = datetime.datetime(2025, 12, 31, 14, 5)
>>> format_date(moment), format_date(moment, "long"), format_date(moment, "month")
('31 Dec 2025', '31 December 2025', 'December 2025')
>>> from cda_lib.text.translation import use_language
>>> with use_language("es"):
...     format_date(moment, "long"), month_name(1), format_list(["A", "B", "C"])
('31 de diciembre de 2025', 'enero', 'A, B y C')
"""

from __future__ import annotations

import datetime as dt
import re

from cda_lib.text.translation import (
    FORMAT_LOCALES,
    checked_language,
    current_language,
    gettext as _,
)

# One pattern per way a page writes a date (CLDR's pattern letters: d day, MMM month
# abbreviated, MMMM month in full, y year, HH:mm time). English keeps the two-digit day
# ("02 Dec 2025") its pages have always had; Spanish and Portuguese write "de" in full dates.
# "day_short" has no leading zero in any language ("3 Mar 2025"), as the charts' captions;
# "day_long" is "long" with the English two-digit day ("05 January 2026"), as the as-of notes.
DATE_PATTERNS = {
    "en": {"day": "dd MMM y", "long": "d MMMM y", "month": "MMMM y", "month_short": "MMM y",
           "moment": "dd MMM y HH:mm", "day_month": "d MMM", "day_short": "d MMM y",
           "day_long": "dd MMMM y"},
    "es": {"day": "d MMM y", "long": "d 'de' MMMM 'de' y", "month": "MMMM 'de' y",
           "month_short": "MMM y", "moment": "d MMM y HH:mm", "day_month": "d MMM",
           "day_short": "d MMM y", "day_long": "d 'de' MMMM 'de' y"},
    "pt": {"day": "d MMM y", "long": "d 'de' MMMM 'de' y", "month": "MMMM 'de' y",
           "month_short": "MMM y", "moment": "d MMM y HH:mm", "day_month": "d MMM",
           "day_short": "d MMM y", "day_long": "d 'de' MMMM 'de' y"},
}
# English month abbreviations as the pages write them ("Sep"): CLDR's British English has
# "Sept", its American English "Sep"; the full names are the same in both.
_BABEL_LOCALES = {**FORMAT_LOCALES, "en": "en_US"}


def format_date(moment: dt.date, style: str = "day", language: str | None = None) -> str:
    """``moment`` written in one of :data:`DATE_PATTERNS`' styles, in the page's language.

    ``"day"`` (31 Dec 2025), ``"long"`` (31 December 2025), ``"month"`` (December 2025),
    ``"month_short"`` (Dec 2025), ``"moment"`` (31 Dec 2025 14:05), ``"day_month"`` (31 Dec),
    ``"day_short"`` (3 Mar 2025), ``"day_long"`` (05 January 2026).

    >>> format_date(dt.date(2026, 3, 2), "day"), format_date(dt.date(2026, 3, 2), "day", "pt")
    ('02 Mar 2026', '2 mar. 2026')
    """
    from babel.dates import format_datetime

    code = checked_language(language or current_language())
    patterns = DATE_PATTERNS[code]
    if style not in patterns:
        raise ValueError(f'There is no date style "{style}"; the styles are '
                         f"{', '.join(patterns)}.")
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime(moment.year, moment.month, moment.day)
    return format_datetime(moment, patterns[style], tzinfo=getattr(moment, "tzinfo", None),
                           locale=_BABEL_LOCALES[code])


def month_name(month: int, width: str = "wide", language: str | None = None) -> str:
    """The name of ``month`` (1 is January) as it stands alone, e.g. in a chart's axis.

    >>> month_name(9), month_name(9, "abbreviated"), month_name(9, language="pt")
    ('September', 'Sep', 'setembro')
    """
    from babel.dates import get_month_names

    code = checked_language(language or current_language())
    return get_month_names(width, context="stand-alone", locale=_BABEL_LOCALES[code])[month]


def weekday_name(day: int, language: str | None = None) -> str:
    """The name of a day of the week (0 is Monday, as pandas numbers them), as it stands alone.

    >>> weekday_name(0), weekday_name(0, "es"), weekday_name(5, "pt")
    ('Monday', 'lunes', 'sábado')
    """
    from babel.dates import get_day_names

    code = checked_language(language or current_language())
    return get_day_names("wide", context="stand-alone", locale=_BABEL_LOCALES[code])[day]


def month_names(width: str = "wide", language: str | None = None) -> tuple[str, ...]:
    """The twelve months' names, January first."""
    return tuple(month_name(month, width, language) for month in range(1, 13))


def format_list(items: list[str] | tuple[str, ...], style: str = "standard",
                language: str | None = None) -> str:
    """Items joined the language's way: "a, b and c", "a, b y c", "a, b e c".

    ``style="or"`` for alternatives ("a, b or c").

    >>> format_list(["a", "b", "c"]), format_list(["a", "b"], "or"), format_list(["a"])
    ('a, b and c', 'a or b', 'a')
    """
    from babel.lists import format_list as babel_format_list

    items = [str(item) for item in items]
    if not items:
        return ""
    code = checked_language(language or current_language())
    written = babel_format_list(items, style=style, locale=_BABEL_LOCALES[code])
    if code == "en":
        return written.replace(", and ", " and ").replace(", or ", " or ")  # no Oxford comma
    return written


def describe_period(label) -> str:
    """A period label (as the KPI table and the records write it) in words: "the week of 10
    Mar 2025", "March 2025", "Q1 2025"; any other text as it is.

    >>> describe_period("2025-03-10/2025-03-16"), describe_period("2025-03")
    ('the week of 10 Mar 2025', 'March 2025')
    >>> describe_period("2025Q1"), describe_period("Mill District")
    ('Q1 2025', 'Mill District')
    """
    text = str(label)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}", text):
        return _("the week of {date}", date=format_date(dt.date.fromisoformat(text[:10])))
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return format_date(dt.date.fromisoformat(text + "-01"), "month")
    if re.fullmatch(r"\d{4}Q[1-4]", text):
        return _("Q{quarter} {year}", quarter=text[5], year=text[:4])
    return text
