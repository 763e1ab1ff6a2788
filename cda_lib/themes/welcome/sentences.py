"""The sentences page 0.1's cells print: its sums, said in the page's language.

The cells keep the arithmetic in view (population times a share, divided by working
days); these functions only turn the figures into a sentence, with the numbers written
the page language's way and the right singular or plural.

>>> from cda_lib.text.translation import use_language
>>> with use_language("es"):
...     requests_a_day_sentence("Villa Serena", 115_245.0, 460.98)
'Villa Serena: unas 115.245 solicitudes al año, 461 por día hábil.'
"""

from __future__ import annotations

from cda_lib.text.translation import ngettext


def requests_a_day_sentence(city_name: str, per_year: float, per_day: float) -> str:
    """How many requests a year the city would receive, and how many each working day.

    The figures are rounded to whole requests.

    >>> requests_a_day_sentence("Riverbend", 17_760.0, 71.04)
    'Riverbend: about 17,760 requests a year, 71 each working day.'
    """
    return ngettext("{city}: about {count:,} request a year, {per_day:,} each working day.",
                    "{city}: about {count:,} requests a year, {per_day:,} each working day.",
                    round(per_year), city=city_name, per_day=round(per_day))


def daily_requests_sentence(share_of_residents: float, per_day: float) -> str:
    """How many requests a day the team would handle if that share of residents called.

    >>> daily_requests_sentence(0.15, 71.04)
    'If 15% of residents made one request a year, your team would handle about 71 requests each working day.'
    """  # noqa: E501 (a doctest's expected output is one line)
    return ngettext("If {share:.0%} of residents made one request a year, your team would "
                    "handle about {count:,} request each working day.",
                    "If {share:.0%} of residents made one request a year, your team would "
                    "handle about {count:,} requests each working day.",
                    round(per_day), share=share_of_residents)
