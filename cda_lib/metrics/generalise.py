"""Places made less precise before publication: addresses to their block, points rounded.

A request's exact address or GPS point can name a household ("the noise complaint at 1234
Elm St"). Open-data portals publish the block instead: :func:`block_of` turns a street
address into its hundred block, in the three ways addresses are written in the demo
countries:

* number first (United States, Canada): "1234 Elm St" is the 1200 block of Elm St;
* number last (Mexico, Brazil, and much of Latin America): "Rua das Flores, 1234 - apto 5"
  and "Calle Hidalgo 1234" become the 1200 block of their street; anything after the
  number (an apartment, a floor) is dropped;
* Colombia's grid: "Carrera 7 # 45-10" is number 10 of Carrera 7 at Calle 45, so its block
  is "Carrera 7 # 45": the house number after the dash is dropped.

An address with no number (an intersection, a park) names no house and is kept as it is; one
with a number the patterns cannot read is removed rather than published.

:func:`round_coordinates` rounds latitude and longitude to :data:`PUBLISHED_DECIMALS`
decimals: 0.001 degree is about 111 m north to south, and 111 m times the cosine of the
latitude east to west (about 80 m at 44 degrees north): roughly a city block, so a point no
longer marks one house.

>>> block_of("1234 Elm St")
('1200 block of Elm St', 'generalised')
>>> block_of("Carrera 7 # 45-10")
('Carrera 7 # 45', 'generalised')
"""

from __future__ import annotations

import math
import re

import pandas as pd

from cda_lib.text.translation import gettext as _

BLOCK = 100  # house numbers are generalised to the hundred: the "block" of US practice
# 3 decimals of a degree is about 111 m of latitude: a block, not a house (see above).
PUBLISHED_DECIMALS = 3
METRES_PER_DEGREE = 111_320  # of latitude, and of longitude at the equator
GENERALISED, KEPT, REMOVED = "generalised", "kept", "removed"

_COLOMBIAN = re.compile(r"^(?P<street>.*?\d+\s?[A-Za-z]?(?:\s?bis)?)\s*(?:#|No\.?|N[°º])\s*"
                        r"(?P<cross>\d+\s?[A-Za-z]?)\s*-\s*\d+.*$", re.IGNORECASE)
_NUMBER_FIRST = re.compile(r"^(?P<number>\d{1,6})[A-Za-z]?(?:\s?[-–]\s?\d{1,6}[A-Za-z]?)?"
                           r"\s+(?P<street>\D.*)$")
_NUMBER_LAST = re.compile(r"^(?P<street>\D.*?)[\s,]+(?:(?:No\.?|N[°º]|Núm\.?|#)\s*)?"
                          r"(?P<number>\d{1,6})[A-Za-z]?(?:\s*[,;/-]\s*.*|\s+(?:apto|apt|"
                          r"depto|int|piso|casa|bloco|sala|interior)\b.*)?$", re.IGNORECASE)


def address_parts(address: str) -> tuple[str, int, int, str] | None:
    """How an address is written (``grid``, ``number_first`` or ``number_last``), its
    published block number, its house number and its street; None without a house number
    the patterns can read.

    >>> address_parts("1278 Elm St"), address_parts("Carrera 7 # 45-10")
    (('number_first', 1200, 1278, 'Elm St'), ('grid', 45, 10, 'Carrera 7'))
    """
    text = " ".join(str(address).split())
    found = _COLOMBIAN.match(text)
    if found:
        cross = int(re.match(r"\d+", found["cross"]).group(0))
        house = int(re.search(r"-\s*(\d+)", text).group(1))
        return "grid", cross, house, found["street"].strip()
    for form, pattern in (("number_first", _NUMBER_FIRST), ("number_last", _NUMBER_LAST)):
        found = pattern.match(text)
        if found:
            number = int(found["number"])
            return form, number // BLOCK * BLOCK, number, found["street"].rstrip(" ,")
    return None


def block_of(address: str) -> tuple[str, str]:
    """The address at block level, and what was done: generalised, kept or removed.

    >>> block_of("Rua das Flores, 1234 - apto 5")[0]
    'Rua das Flores, 1200 block'
    >>> block_of("42 Mill Rd"), block_of("Elm St & River Rd")
    (('Mill Rd, numbers 1 to 99', 'generalised'), ('Elm St & River Rd', 'kept'))
    """
    text = " ".join(str(address).split())
    parts = address_parts(text)
    if parts is not None:
        form, block, _house, street = parts
        if form == "grid":
            cross = _COLOMBIAN.match(text)["cross"]
            return f"{street} # {cross}", GENERALISED
        return _block_words(block, street, first=form == "number_first"), GENERALISED
    if not re.search(r"\d", text):
        return text, KEPT
    return _("[address removed]"), REMOVED


def _block_words(block: int, street: str, *, first: bool) -> str:
    if block == 0:
        return _("{street}, numbers 1 to 99", street=street)
    if first:
        return _("{block} block of {street}", block=block, street=street)
    return _("{street}, {block} block", block=block, street=street)


def generalise_addresses(addresses: pd.Series) -> tuple[pd.Series, dict[str, int]]:
    """A column of addresses at block level, and how many were generalised, kept, removed.

    >>> blocks, done = generalise_addresses(pd.Series(["1234 Elm St", None, "12-A"],
    ...                                               dtype="string"))
    >>> blocks.tolist(), done
    (['1200 block of Elm St', <NA>, '[address removed]'], {'generalised': 1, 'kept': 0, \
'removed': 1})
    """
    counts = {GENERALISED: 0, KEPT: 0, REMOVED: 0}
    out = []
    done: dict[str, tuple[str, str]] = {}  # addresses repeat: generalise each one once
    for value in addresses:
        if pd.isna(value) or not str(value).strip():
            out.append(pd.NA)
            continue
        text = str(value)
        if text not in done:
            done[text] = block_of(text)
        block, outcome = done[text]
        counts[outcome] += 1
        out.append(block)
    return pd.Series(out, index=addresses.index, dtype="string"), counts


def round_coordinates(values: pd.Series, decimals: int = PUBLISHED_DECIMALS) -> pd.Series:
    """Latitudes or longitudes rounded for publication (empty stays empty).

    >>> round_coordinates(pd.Series([44.123456, None])).tolist()
    [44.123, nan]
    """
    return values.astype("float64").round(decimals)


def rounding_metres(latitude: float, decimals: int = PUBLISHED_DECIMALS) -> tuple[float, float]:
    """How far one step of the last decimal reaches, north to south and east to west, in m.

    >>> [round(m) for m in rounding_metres(44.1)]
    [111, 80]
    """
    step = 10 ** -decimals * METRES_PER_DEGREE
    return step, step * math.cos(math.radians(latitude))
