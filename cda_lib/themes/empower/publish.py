"""Publishing open data safely: page 3.5's computations, from the city's requests to a file.

Four steps take the service-request extract to a file a city can publish:

1. **Personal data** in the free text (the optional ``description`` column) is found by
   pattern and replaced by a labelled placeholder
   (:mod:`cda_lib.sources.personal_data`): :class:`PersonalDataScan` counts what was found
   and removed, by kind.
2. **Places** are made less precise (:mod:`cda_lib.metrics.generalise`): street addresses to
   their block (:class:`AddressScan`), coordinates rounded to 3 decimals, about 110 m.
3. **Small counts** in the published monthly table (requests by type and district) are
   withheld at the threshold of 11, with complementary suppression
   (:mod:`cda_lib.metrics.suppression`): :class:`MonthlyRelease`.
4. The file goes out with a **data dictionary** and a **DCAT-US metadata record**
   (:mod:`cda_lib.themes.empower.publish_files`).

No page ever shows the personal data it removed: examples are the scrubbed text only, and
an address is shown beside its block only when the data is synthetic.

>>> scan = scan_personal_data(pd.Series(["Caller Ana Lee, 612-555-0143", "pothole"]),
...                           "United States")
>>> print(scan.sentences())  # doctest: +NORMALIZE_WHITESPACE
Of 2 notes, 1 held personal data the patterns find: 1 name, 1 phone number, 0 e-mail
addresses and 0 national ID numbers, each replaced by a label such as "[phone removed]".
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cda_lib.core.readable import ReadableTable, Sentences
from cda_lib.metrics.generalise import (
    GENERALISED,
    KEPT,
    PUBLISHED_DECIMALS,
    REMOVED,
    generalise_addresses,
    rounding_metres,
)
from cda_lib.metrics.suppression import (
    THRESHOLD,
    SuppressedTable,
    determined_entries,
    published_below_threshold,
    suppress_small_counts,
)
from cda_lib.sources.personal_data import KINDS, PLACEHOLDERS, scrub_column
from cda_lib.text.dates import format_date
from cda_lib.text.numbers import format_number
from cda_lib.text.translation import gettext as _, ngettext

EXAMPLES = 5  # scrubbed notes and blocks shown on the page: enough to read, not to browse
WITHHELD = "•"  # a withheld count in the published table


def _kind_count(kind: str, count: int) -> str:
    shown = format_number(count)
    if kind == "name":
        return ngettext("{count} name", "{count} names", count, count=shown)
    if kind == "phone":
        return ngettext("{count} phone number", "{count} phone numbers", count, count=shown)
    if kind == "email":
        return ngettext("{count} e-mail address", "{count} e-mail addresses", count,
                        count=shown)
    return ngettext("{count} national ID number", "{count} national ID numbers", count,
                    count=shown)


# --- 1. personal data ---------------------------------------------------------------------


@dataclass(frozen=True)
class PersonalDataScan:
    """The free text scanned: how many notes, how many held personal data, what was found
    and removed by kind, and the scrubbed column."""

    notes: int
    notes_with: int
    found: dict[str, int]
    scrubbed: pd.Series

    @property
    def removed(self) -> int:
        return sum(self.found.values())

    def sentences(self) -> Sentences:
        kinds = [_kind_count(kind, self.found[kind]) for kind in ("name", "phone", "email",
                                                                   "national_id")]
        listed = _("{a}, {b}, {c} and {d}", a=kinds[0], b=kinds[1], c=kinds[2], d=kinds[3])
        said = [ngettext(
            "Of {count} note, {with_} held personal data the patterns find: {kinds}, each "
            "replaced by a label such as \"{label}\".",
            "Of {count} notes, {with_} held personal data the patterns find: {kinds}, each "
            "replaced by a label such as \"{label}\".", self.notes,
            count=format_number(self.notes), with_=format_number(self.notes_with),
            kinds=listed, label=_(PLACEHOLDERS["phone"]))]
        if self.notes_with == 0:
            said = [ngettext("The patterns found no personal data in the {count} note.",
                             "The patterns found no personal data in the {count} notes.",
                             self.notes, count=format_number(self.notes))]
        return Sentences(said)

    def table(self) -> ReadableTable:
        words = {"name": _("Names (after a cue word)"), "phone": _("Phone numbers"),
                 "email": _("E-mail addresses"), "national_id": _("National ID numbers")}
        rows = [[(words[kind], False), (format_number(self.found[kind]), True),
                 (_(PLACEHOLDERS[kind]), False)] for kind in ("name", "phone", "email",
                                                            "national_id")]
        return ReadableTable([_("Kind of personal data"), _("Found and removed"),
                              _("Replaced by")], rows,
                             caption=_("Personal data found in the notes, by kind"),
                             notes=[_("A name is found only after a cue word (\"my name is\", "
                                      "\"Mrs.\", \"caller\"): read a sample of the notes "
                                      "before publishing.")])

    def examples(self) -> ReadableTable:
        """A few notes as they will be published, with a placeholder in each."""
        labels = tuple(_(PLACEHOLDERS[kind]) for kind in KINDS)
        shown = [text for text in self.scrubbed.dropna() if any(label in text for label in labels)]
        rows = [[(text, False)] for text in shown[:EXAMPLES]]
        return ReadableTable([_("Note as published")], rows,
                             caption=_("Notes as they will be published"))


def scan_personal_data(texts: pd.Series, country: str) -> PersonalDataScan:
    """Scan a column of free text for the country's personal data and scrub it."""
    texts = texts.astype("string")
    scrubbed, found = scrub_column(texts, country)
    filled = texts.notna() & (texts.str.strip() != "")
    changed = filled & (scrubbed != texts).fillna(False)
    return PersonalDataScan(int(filled.sum()), int(changed.sum()), found, scrubbed)


# --- 2. places ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddressScan:
    """Addresses generalised to their block: how many of each outcome, and the column."""

    counts: dict[str, int]
    blocks: pd.Series
    originals: pd.Series
    synthetic: bool

    def sentences(self) -> Sentences:
        total = sum(self.counts.values())
        said = [ngettext(
            "Of {count} street address: {generalised} generalised to the block, {kept} kept "
            "(no house number), {removed} removed (not readable).",
            "Of {count} street addresses: {generalised} generalised to the block, {kept} kept "
            "(no house number), {removed} removed (not readable).", total,
            count=format_number(total), generalised=format_number(self.counts[GENERALISED]),
            kept=format_number(self.counts[KEPT]), removed=format_number(self.counts[REMOVED]))]
        return Sentences(said)

    def examples(self) -> ReadableTable:
        """A few blocks; beside their address only when the data is synthetic."""
        filled = self.blocks.dropna().index[:EXAMPLES]
        if self.synthetic:
            rows = [[(str(self.originals[i]), False), (str(self.blocks[i]), False)]
                    for i in filled]
            return ReadableTable([_("Address (synthetic)"), _("As published")], rows,
                                 caption=_("Addresses and their blocks"))
        return ReadableTable([_("As published")], [[(str(self.blocks[i]), False)]
                                                   for i in filled],
                             caption=_("Addresses as they will be published"))


def scan_addresses(addresses: pd.Series, *, synthetic: bool) -> AddressScan:
    blocks, counts = generalise_addresses(addresses.astype("string"))
    return AddressScan(counts, blocks, addresses, synthetic)


def coordinates_sentence(rounded: int, latitude: float) -> Sentences:
    """What rounding the coordinates does, in metres at the city's latitude."""
    north, east = rounding_metres(latitude)
    return Sentences([ngettext(
        "The coordinates of {count} request are rounded to {decimals} decimals: a step of "
        "about {north} m north to south and {east} m east to west here, about a block, so a "
        "point no longer marks one house.",
        "The coordinates of {count} requests are rounded to {decimals} decimals: a step of "
        "about {north} m north to south and {east} m east to west here, about a block, so a "
        "point no longer marks one house.", rounded, count=format_number(rounded),
        decimals=PUBLISHED_DECIMALS, north=format_number(north, 0),
        east=format_number(east, 0))])


# --- 3. the monthly table, small counts withheld ----------------------------------------------


@dataclass(frozen=True)
class MonthlyRelease:
    """Requests by type (rows) and district (columns) for one month, small counts withheld."""

    month: pd.Period | None
    table: SuppressedTable
    without_district: int

    @property
    def cells(self) -> int:
        return int(self.table.counts.size)

    def sentences(self) -> Sentences:
        when = (format_date(self.month.start_time, "month") if self.month is not None
                else _("the whole extract"))
        primary, complementary = self.table.primary_count, self.table.complementary_count
        said = [ngettext(
            "The table for {when} has {count} count (its totals included).",
            "The table for {when} has {count} counts (its totals included).", self.cells,
            when=when, count=format_number(self.cells))]
        if primary == 0:
            said.append(_("None is from 1 to {below}, so none is withheld.",
                          below=self.table.threshold - 1))
        else:
            small = ngettext("{count} is from 1 to {below} and is withheld;",
                             "{count} are from 1 to {below} and are withheld;", primary,
                             count=format_number(primary), below=self.table.threshold - 1)
            more = ngettext(
                "{count} more is withheld so that none can be worked out from the totals.",
                "{count} more are withheld so that none can be worked out from the totals.",
                complementary, count=format_number(complementary)) if complementary else _(
                "no other count needs withholding: each row and column with one already has "
                "another.")
            said.append(f"{small} {more}")
        low = published_below_threshold(self.table)
        pinned = int(determined_entries(self.table.counts.to_numpy(),
                                        self.table.withheld.to_numpy()).sum())
        if low == 0 and pinned == 0:
            said.append(_("Checked: no published count is from 1 to {below}, and no withheld "
                          "count can be worked out exactly from the rest.",
                          below=self.table.threshold - 1))
        else:
            said.append(_("Not safe yet: {low} published counts are small and {pinned} "
                          "withheld counts can be worked out.", low=low, pinned=pinned))
        if self.without_district:
            said.append(ngettext(
                "{count} request of the month has no district and is not in the table.",
                "{count} requests of the month have no district and are not in the table.",
                self.without_district, count=format_number(self.without_district)))
        return Sentences(said)

    def readable(self) -> ReadableTable:
        counts, withheld = self.table.counts, self.table.withheld
        rows = []
        for name in counts.index:
            rows.append([(str(name), False)] + [
                (WITHHELD if withheld.at[name, column] else format_number(counts.at[name,
                                                                                    column]),
                 True) for column in counts.columns])
        return ReadableTable(
            [_("Request type"), *[str(c) for c in counts.columns]], rows,
            caption=_("Requests by type and district, as published"),
            notes=[_("{mark} withheld: a count from 1 to {below}, or a count withheld so that "
                     "another cannot be worked out from the totals.", mark=WITHHELD,
                     below=self.table.threshold - 1)])


def release_month(requests: pd.DataFrame, as_of) -> pd.Period | None:
    """The last whole calendar month of the extract (None when it covers none)."""
    opened = requests["requested_datetime"].dropna()
    if opened.empty:
        return None
    month = pd.Timestamp(as_of).to_period("M")
    if pd.Timestamp(as_of) < month.end_time.floor("s"):
        month -= 1
    if opened.min() > month.start_time:
        return None
    return month


def monthly_release(requests: pd.DataFrame, as_of, threshold: int = THRESHOLD
                    ) -> MonthlyRelease:
    """The month's requests by type and district, with small counts withheld."""
    month = release_month(requests, as_of)
    chosen = requests if month is None else requests[
        requests["requested_datetime"].dt.to_period("M") == month]
    known = chosen.dropna(subset=["district"])
    counts = pd.crosstab(known["service_name"].astype(str), known["district"].astype(str))
    return MonthlyRelease(month, suppress_small_counts(counts, threshold),
                          int(len(chosen) - len(known)))
