"""What a page's sections need from a city's data, and whether this city's data has it.

Real exports run from three days to ten years; some have no districts, no coordinates or
nothing closed yet. Each module declares its sections and what each needs (:class:`Need`:
months of history, closed dates, districts ...); :class:`DataFacts` reads what a city's
requests hold, once; a need that is not met gives a sentence in plain words, built from
both: "at least 6 whole months of requests; this city's data covers 8 weeks".

>>> facts = DataFacts(requests=400, days=56, weeks=8, months=1, quarters=0, closed=380,
...                   districts=4, with_district=400, with_coordinates=0, request_types=1,
...                   standards=1)
>>> months(6).met(facts), months(6).missing(facts)
(False, "at least 6 whole months of requests; this city's data covers 8 weeks")
>>> COORDINATES.missing(facts)
"coordinates for the requests; none of this city's requests has coordinates"
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cda_lib.text.translation import gettext as _, ngettext

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class DataFacts:
    """What a city's requests hold, counted once: the figures every need is checked on.

    ``days`` runs from the first request's day to the as-of day, both counted; ``weeks``,
    ``months`` and ``quarters`` count the whole calendar periods (weeks from Monday) that
    begin on or after the first request's day and are over by the as-of moment.
    """

    requests: int
    days: int
    weeks: int
    months: int
    quarters: int
    closed: int
    districts: int
    with_district: int
    with_coordinates: int
    request_types: int
    standards: int
    times: bool = True
    with_text: int = 0  # requests with free text (the optional description column)
    with_address: int = 0  # requests with a street address (the optional address column)

    @classmethod
    def of(cls, requests: pd.DataFrame, *, as_of, standards: dict | None = None) -> DataFacts:
        """The facts of a canonical requests table, as of the extract.

        >>> import pandas as pd
        >>> table = pd.DataFrame({
        ...     "requested_datetime": pd.to_datetime(["2025-01-01 09:00", "2025-03-02 00:00"]),
        ...     "closed_datetime": pd.to_datetime(["2025-01-02", None]),
        ...     "service_code": ["POTHOLE", "NOISE"], "district": ["D1", None],
        ...     "lat": [44.1, None], "long": [-93.0, None]})
        >>> facts = DataFacts.of(table, as_of="2025-03-31", standards={"POTHOLE": 5})
        >>> facts.days, facts.months, facts.weeks, facts.closed, facts.standards
        (90, 3, 12, 1, 1)
        """
        import pandas as pd  # here, not at import: the module registry imports this one

        as_of = pd.Timestamp(as_of)
        opened = requests["requested_datetime"].dropna()
        codes = requests["service_code"].dropna().unique() if "service_code" in requests \
            else []
        district = requests["district"] if "district" in requests else pd.Series(dtype=object)
        located = (requests["lat"].notna() & requests["long"].notna()).sum() \
            if {"lat", "long"} <= set(requests.columns) else 0
        closed = int(requests["closed_datetime"].notna().sum()) \
            if "closed_datetime" in requests else 0
        if opened.empty:
            days = weeks = whole_months = quarters = 0
        else:
            first = opened.min().normalize()
            days = max((as_of.normalize() - first).days + 1, 0)
            weeks = _whole_periods(first, as_of, "W-SUN")
            whole_months = _whole_periods(first, as_of, "M")
            quarters = _whole_periods(first, as_of, "Q")
        with_times = bool((opened != opened.dt.normalize()).any()) if len(opened) else False

        def filled(column: str) -> int:
            if column not in requests:
                return 0
            text = requests[column].astype("string").str.strip()
            return int((text.notna() & (text != "")).sum())

        return cls(requests=len(requests), days=days, weeks=weeks, months=whole_months,
                   quarters=quarters, closed=closed,
                   districts=int(district.dropna().nunique()),
                   with_district=int(district.notna().sum()),
                   with_coordinates=int(located), request_types=len(codes),
                   standards=sum(1 for code in codes if code in (standards or {})),
                   times=with_times, with_text=filled("description"),
                   with_address=filled("address"))

    def span(self) -> str:
        """How long the data covers, in the unit a reader would use ("8 weeks", "3 days").

        >>> DataFacts(0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0).span()
        '3 days'
        >>> DataFacts(0, 730, 104, 24, 8, 0, 0, 0, 0, 0, 0).span()
        '24 months'
        """
        if self.days < 14:
            return ngettext("{count} day", "{count} days", self.days, count=self.days)
        if self.days < 70:
            weeks = self.days // 7
            return ngettext("{count} week", "{count} weeks", weeks, count=weeks)
        months_covered = max(self.months, round(self.days / 30.44))
        if months_covered < 36:
            return ngettext("{count} month", "{count} months", months_covered,
                            count=months_covered)
        years = self.days // 365
        return ngettext("{count} year", "{count} years", years, count=years)


def _whole_periods(first: pd.Timestamp, as_of: pd.Timestamp, freq: str) -> int:
    """Calendar periods that start on or after ``first`` and are over by ``as_of``."""

    period = first.to_period(freq)
    if period.start_time < first:
        period += 1
    last = as_of.to_period(freq)
    if as_of < last.end_time.normalize():
        last -= 1
    return max(last.ordinal - period.ordinal + 1, 0)


# What each kind of need says: what is needed, what this city's data has instead, and
# what to ask the city's IT team for. {amount} is the need's amount.
_NEEDED = {
    "requests": lambda n: ngettext("at least {n} request", "at least {n} requests", n, n=n),
    "days": lambda n: ngettext("at least {n} day of requests", "at least {n} days of requests",
                               n, n=n),
    "weeks": lambda n: ngettext("at least {n} whole week of requests",
                                "at least {n} whole weeks of requests", n, n=n),
    "months": lambda n: ngettext("at least {n} whole month of requests",
                                 "at least {n} whole months of requests", n, n=n),
    "quarters": lambda n: ngettext("at least {n} whole quarter of requests",
                                   "at least {n} whole quarters of requests", n, n=n),
    "closed": lambda n: ngettext("closed dates for at least {n} request",
                                 "closed dates for at least {n} requests", n, n=n),
    "districts": lambda n: ngettext("a district for the requests",
                                    "requests in at least {n} districts", n, n=n),
    "coordinates": lambda n: _("coordinates for the requests"),
    "types": lambda n: ngettext("at least {n} request type", "at least {n} request types", n,
                                n=n),
    "standards": lambda n: _("a service standard (in days) for at least one request type"),
    "free_text": lambda n: _("free text for the requests (a description or notes column)"),
    "addresses": lambda n: _("street addresses for the requests"),
}

_ASK = {
    "requests": lambda n: _("a longer extract, with all of the requests"),
    "days": lambda n: _("a longer extract of the requests"),
    "weeks": lambda n: ngettext("at least {n} week of history", "at least {n} weeks of history",
                                n, n=n),
    "months": lambda n: ngettext("at least {n} month of history",
                                 "at least {n} months of history", n, n=n),
    "quarters": lambda n: _ASK["months"](3 * n + 2),  # whole quarters, wherever it starts
    "closed": lambda n: _("the closed date of each request"),
    "districts": lambda n: _("a district, or coordinates, for each request"),
    "coordinates": lambda n: _("coordinates (latitude and longitude) for each request"),
    "types": lambda n: _("every request type, not one"),
    "standards": lambda n: _("the service standard of each request type, from the departments "
                             "(written in the city file)"),
    "free_text": lambda n: _("the requests' free-text notes (mapped as description), if the "
                             "city means to publish them"),
    "addresses": lambda n: _("the street address of each request (mapped as address)"),
}


NEED_KINDS = tuple(_NEEDED)


def _have(kind: str, facts: DataFacts) -> str:
    """What the city's data holds, for the need's kind, as a clause."""
    if kind in ("days", "weeks", "months", "quarters"):
        return _("this city's data covers {span}", span=facts.span())
    if kind == "requests":
        return ngettext("this city's data has {count} request",
                        "this city's data has {count} requests", facts.requests,
                        count=facts.requests)
    if kind == "closed":
        if facts.closed == 0:
            return _("none of this city's requests has a closed date")
        return ngettext("{count} of this city's requests has one",
                        "{count} of this city's requests have one", facts.closed,
                        count=facts.closed)
    if kind == "districts":
        if facts.districts == 0:
            return _("none of this city's requests has a district")
        return ngettext("this city's requests are in {count} district",
                        "this city's requests are in {count} districts", facts.districts,
                        count=facts.districts)
    if kind == "coordinates":
        return _("none of this city's requests has coordinates")
    if kind == "free_text":
        return _("none of this city's requests has free text to scan")
    if kind == "addresses":
        return _("none of this city's requests has a street address")
    if kind == "types":
        return ngettext("this city's data has {count} request type",
                        "this city's data has {count} request types", facts.request_types,
                        count=facts.request_types)
    return _("the city file gives no service standard for any of its request types")


def _count(kind: str, facts: DataFacts) -> int:
    return {"requests": facts.requests, "days": facts.days, "weeks": facts.weeks,
            "months": facts.months, "quarters": facts.quarters, "closed": facts.closed,
            "districts": facts.districts,
            "coordinates": facts.with_coordinates, "types": facts.request_types,
            "standards": facts.standards, "free_text": facts.with_text,
            "addresses": facts.with_address}[kind]


@dataclass(frozen=True)
class Need:
    """One thing a section needs from the data: a kind and the least amount that will do.

    >>> Need("districts", 2).describe()
    'requests in at least 2 districts'
    """

    kind: str
    amount: int = 1

    def __post_init__(self):
        if self.kind not in _NEEDED:
            raise ValueError(f"{self.kind!r} is not a kind of need: use one of {sorted(_NEEDED)}")

    def met(self, facts: DataFacts) -> bool:
        return _count(self.kind, facts) >= self.amount

    def describe(self) -> str:
        """What is needed, as a noun phrase: "at least 6 whole months of requests"."""
        return _NEEDED[self.kind](self.amount)

    def missing(self, facts: DataFacts) -> str:
        """What is needed and what the data has instead, as one clause."""
        return _("{needed}; {have}", needed=self.describe(), have=_have(self.kind, facts))

    def ask(self) -> str:
        """What to ask the city's IT team (or the departments) for, to meet this need."""
        return _ASK[self.kind](self.amount)


def requests_at_least(count: int) -> Need:
    return Need("requests", count)


def days(count: int) -> Need:
    return Need("days", count)


def weeks(count: int) -> Need:
    return Need("weeks", count)


def months(count: int) -> Need:
    return Need("months", count)


def quarters(count: int) -> Need:
    return Need("quarters", count)


def closed(count: int = 1) -> Need:
    return Need("closed", count)


def districts(count: int = 2) -> Need:
    return Need("districts", count)


CLOSED_DATES = closed(1)
SEVERAL_DISTRICTS = districts(2)
COORDINATES = Need("coordinates", 1)
SEVERAL_TYPES = Need("types", 2)
STANDARDS = Need("standards", 1)
FREE_TEXT = Need("free_text", 1)
ADDRESSES = Need("addresses", 1)


@dataclass(frozen=True)
class Section:
    """A part of a page that needs something of the data: a key the page's cells name,
    the section's heading, its needs (all of them must be met) and the sections it uses."""

    key: str
    title: str
    needs: tuple[Need, ...] = ()
    # Sections whose results this one uses (a target uses the baseline): when one of them
    # could not run, neither can this one.
    uses: tuple[str, ...] = ()

    def unmet(self, facts: DataFacts) -> list[Need]:
        return [need for need in self.needs if not need.met(facts)]


def unmet_sentence(section_title: str, unmet: Iterable[Need], facts: DataFacts) -> str:
    """The sentence shown in place of a section that cannot run.

    >>> facts = DataFacts(100, 3, 0, 0, 0, 0, 1, 100, 100, 5, 5)
    >>> unmet_sentence("The backlog", [months(3), CLOSED_DATES], facts)
    "The backlog needs at least 3 whole months of requests; this city's data covers 3 days. \
It also needs closed dates for at least 1 request; none of this city's requests has a closed date."
    """
    unmet = list(unmet)
    first, rest = unmet[0], unmet[1:]
    text = _("{section} needs {missing}.", section=section_title, missing=first.missing(facts))
    for need in rest:
        text += " " + _("It also needs {missing}.", missing=need.missing(facts))
    return text
