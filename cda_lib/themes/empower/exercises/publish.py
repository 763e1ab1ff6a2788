"""Exercises 3.5: publishing open data safely (the exercise set of page 3.5).

The exercises themselves are written in ``publish.yaml`` beside this module; this module
holds the functions that file names. The city's figures come from
:func:`cda_lib.themes.empower.publish_files.publish_page`, the function the page uses: an
address of the city's own and the block it is published as, and the share of the notes
that held personal data. Three exercises are the same for every city (which note holds
personal data, which count must also be withheld, what the threshold means), and one is a
reflection.

>>> personal_note_letter(None), complement_letter(None), threshold_letter(None)
('B', 'A', 'A')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cda_lib.exercises.exercise import CityMemo
from cda_lib.metrics.generalise import BLOCK, address_parts, block_of
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import gettext as _
from cda_lib.themes.empower.publish_files import PublishPage, publish_page

if TYPE_CHECKING:
    from cda_lib.data import CityData

_memo = CityMemo()


def page_of(data: CityData) -> PublishPage:
    return _memo("publish", data, lambda: publish_page(data))


def chosen_address(data: CityData) -> tuple[str, tuple[str, int, int, str]]:
    """The city's first address with a readable house number, preferring one whose number
    ends in 50 to 99 (so rounding to the nearest hundred would give a different block)."""
    readable = []
    for value in data.requests["address"].dropna():
        parts = address_parts(str(value))
        if parts is None:
            continue
        if parts[0] == "grid" or parts[2] % BLOCK >= BLOCK // 2:
            return " ".join(str(value).split()), parts
        readable.append((" ".join(str(value).split()), parts))
        if len(readable) > 500:
            break
    if not readable:
        raise ValueError("no address with a readable house number")
    return readable[0]


# --- expected answers ---------------------------------------------------------------------

def personal_note_letter(data) -> str:
    """Exercise 3.5.1: the note with a name and a phone number."""
    return "B"


def published_block(data: CityData) -> int:
    """Exercise 3.5.2: the block number the chosen address is published with."""
    return chosen_address(data)[1][1]


def complement_letter(data) -> str:
    """Exercise 3.5.3: the smallest other count in the row of the withheld one."""
    return "A"


def threshold_letter(data) -> str:
    """Exercise 3.5.4: the threshold of 11 withholds the counts from 1 to 10."""
    return "A"


def personal_share(data: CityData) -> float:
    """Exercise 3.5.5: the share of the city's notes that held personal data."""
    scan = page_of(data).personal
    return scan.notes_with / scan.notes if scan and scan.notes else 0.0


# --- known mistakes -----------------------------------------------------------------------

def mistaken_date_as_personal(data) -> Any:
    return "C"


def mistaken_lamp_as_personal(data) -> Any:
    return "D"


def mistaken_nearest_hundred(data: CityData) -> Any:
    form, _block, house, _street = chosen_address(data)[1]
    if form == "grid":
        return None
    return int(round(house / BLOCK) * BLOCK)


def mistaken_house_number(data: CityData) -> Any:
    return chosen_address(data)[1][2]


def mistaken_column_only(data) -> Any:
    return "C"


def mistaken_total_only(data) -> Any:
    return "B"


def mistaken_one_is_enough(data) -> Any:
    return "D"


def mistaken_eleven_withheld(data) -> Any:
    return "B"


def mistaken_zero_withheld(data) -> Any:
    return "C"


def mistaken_share_of_requests(data: CityData) -> Any:
    scan = page_of(data).personal
    return scan.notes_with / len(data.requests) if scan and len(data.requests) else None


# --- slider bounds ------------------------------------------------------------------------

def _block_slider(data: CityData) -> tuple[float, float, float]:
    form, block, house, _street = chosen_address(data)[1]
    if form == "grid":
        return 0, max(100, block * 2), 1
    return 0, max(1000, (house // 1000 + 1) * 1000 * 2), BLOCK


def _share_slider(data: CityData) -> tuple[float, float, float]:
    return 0, 1, 0.01


# --- facts for the messages ---------------------------------------------------------------

def _block_facts(data: CityData) -> dict[str, Any]:
    address, (form, block, house, street) = chosen_address(data)
    if form == "grid":
        how = _("In a grid address the number after # is the cross street, and the number "
                "after the dash is the house on that block.")
    else:
        how = _("The block is the house number rounded down to the hundred: 1234 is on the "
                "1200 block.")
    return {"address": address, "published": block_of(address)[0], "block": block,
            "house": house, "street": street, "how": how}


def _share_facts(data: CityData) -> dict[str, Any]:
    scan = page_of(data).personal
    notes = scan.notes if scan else 0
    with_ = scan.notes_with if scan else 0
    return {"notes": format_number(notes), "with": format_number(with_),
            "requests": format_number(len(data.requests)),
            "share": format_percent(with_ / notes if notes else 0.0, 1),
            "share_number": format_number(with_ / notes if notes else 0.0, 3)}
