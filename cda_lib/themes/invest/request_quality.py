"""Page 2.2's quality dimensions, applied to the city's own service requests.

The loader already counts every problem it met (:class:`~cda_lib.core.account.LoadAccount`)
and the quality profile sorts them into dimensions (:mod:`cda_lib.metrics.quality`). This
module reads the five dimensions the page teaches off them:

- **completeness**, **validity** and **consistency**: problems of that dimension found per
  row read (a row with two problems counts twice, as the profile counts them);
- **timeliness**: how many days the newest request is older than the data's as-of date;
- **bias risk**: requests per 1,000 residents in the district that reports most, divided by
  the district that reports least. A wide gap is a warning, not a verdict: some districts
  call less for the same needs (less internet, less trust), so fewer requests is not fewer
  problems.

>>> QualityDimensions(1000, {"completeness": 25}, 2, None).share("completeness")
0.025
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from cda_lib.core.readable import ReadableTable, Sentences
from cda_lib.metrics.quality import DIMENSION_WORDS
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import gettext as _, ngettext

if TYPE_CHECKING:
    from cda_lib.core.workspace import Workspace
    from cda_lib.data import CityData

MODULE = "2.2"
ROW_DIMENSIONS = ("completeness", "validity", "consistency")
# A district reporting more than twice as many requests per resident as another is a gap
# wide enough to ask why before reading the map as a map of need.
WIDE_GAP = 2.0


@dataclass(frozen=True)
class DistrictGap:
    """The districts reporting most and least per 1,000 residents."""

    highest: str
    highest_rate: float
    lowest: str
    lowest_rate: float

    @property
    def ratio(self) -> float:
        return self.highest_rate / self.lowest_rate if self.lowest_rate else float("inf")


@dataclass(frozen=True)
class QualityDimensions:
    """The figures of the five dimensions for one city's requests."""

    rows_read: int
    problems: dict[str, int] = field(default_factory=dict)  # by dimension
    lag_days: int | None = None
    gap: DistrictGap | None = None

    def share(self, dimension: str) -> float:
        """Problems of ``dimension`` per row read."""
        return self.problems.get(dimension, 0) / self.rows_read if self.rows_read else 0.0


def quality_dimensions(data: CityData) -> QualityDimensions:
    """The five dimensions from the city's load account, profile, requests and districts."""
    profile = data.quality
    problems = {d: int(profile.table.loc[profile.table["dimension"] == d, "rows"].sum())
                for d in ROW_DIMENSIONS}
    opened = data.requests["requested_datetime"].dropna()
    lag = None if opened.empty else max(0, int((data.as_of - opened.max()).days))
    return QualityDimensions(int(profile.rows_read), problems, lag, district_gap(data))


def district_gap(data: CityData) -> DistrictGap | None:
    """Requests per 1,000 residents, highest and lowest district; None with fewer than two
    districts with residents and requests."""
    districts = data.districts.dropna(subset=["population"])
    districts = districts[districts["population"] > 0]
    counts = data.requests["district"].value_counts()
    rates = {row.district: 1000 * counts.get(row.district, 0) / row.population
             for row in districts.itertuples()}
    rates = {name: rate for name, rate in rates.items() if rate > 0}
    if len(rates) < 2:
        return None
    ordered = sorted(rates.items(), key=lambda item: (-item[1], item[0]))
    (high, high_rate), (low, low_rate) = ordered[0], ordered[-1]
    return DistrictGap(high, high_rate, low, low_rate)


def dimensions_table(dimensions: QualityDimensions) -> ReadableTable:
    """Completeness, validity and consistency: problems found and their share of rows read."""
    rows = []
    for dimension in ROW_DIMENSIONS:
        rows.append([(_(DIMENSION_WORDS[dimension]), False),
                     (format_number(dimensions.problems.get(dimension, 0)), True),
                     (format_number(dimensions.rows_read), True),
                     (format_percent(dimensions.share(dimension), 1), True)])
    return ReadableTable([_("Dimension"), _("Problems found"), _("Rows read"), _("Share")], rows,
                         caption=_("Completeness, validity and consistency of the requests"))


def dimensions_sentences(dimensions: QualityDimensions) -> Sentences:
    """One sentence for the three row dimensions: the largest, and how large."""
    worst = max(ROW_DIMENSIONS, key=lambda d: (dimensions.problems.get(d, 0),
                                                -ROW_DIMENSIONS.index(d)))
    found = dimensions.problems.get(worst, 0)
    if not found:
        return Sentences([_("No completeness, validity or consistency problem was found in "
                            "the {rows} rows read.", rows=format_number(dimensions.rows_read))])
    return Sentences([ngettext(
        "The largest of the three is {dimension}: {count} problem in {rows} rows read "
        "({share}).", "The largest of the three is {dimension}: {count} problems in {rows} "
        "rows read ({share}).", found, dimension=_(DIMENSION_WORDS[worst]),
        count=format_number(found), rows=format_number(dimensions.rows_read),
        share=format_percent(dimensions.share(worst), 1))])


def timeliness_sentence(dimensions: QualityDimensions, as_of: pd.Timestamp) -> Sentences:
    """How far behind the as-of date the newest request is."""
    from cda_lib.text.dates import format_date

    if dimensions.lag_days is None:
        return Sentences([_("There are no request dates to judge timeliness by.")])
    day = format_date(as_of, "day_long")
    if dimensions.lag_days == 0:
        return Sentences([_("Timeliness: the newest request was opened on the as-of date, "
                            "{day}: the data is current.", day=day)])
    return Sentences([ngettext(
        "Timeliness: the newest request is {count} day older than the as-of date, {day}.",
        "Timeliness: the newest request is {count} days older than the as-of date, {day}.",
        dimensions.lag_days, day=day)])


def bias_sentences(dimensions: QualityDimensions) -> Sentences:
    """The reporting gap between districts, and what it may mean."""
    gap = dimensions.gap
    if gap is None:
        return Sentences([_("Bias risk cannot be judged: it needs at least two districts "
                            "with residents and requests.")])
    sentences = [_("Bias risk: {high} sends {high_rate} requests per 1,000 residents, {ratio} "
                   "times as many as {low} ({low_rate}).", high=gap.highest,
                   high_rate=format_number(gap.highest_rate, 0), low=gap.lowest,
                   low_rate=format_number(gap.lowest_rate, 0),
                   ratio=format_number(gap.ratio, 1))]
    if gap.ratio > WIDE_GAP:
        sentences.append(_("A gap that wide is worth a question before the map is read as a map "
                           "of need: do residents of {low} have fewer problems, or report fewer?",
                           low=gap.lowest))
    else:
        sentences.append(_("The districts report at similar rates, so the requests are a fair "
                           "first picture of where problems are, if not a complete one."))
    return Sentences(sentences)


def record_quality(workspace: Workspace, dimensions: QualityDimensions) -> None:
    """Keep the five dimensions' figures for the capstone."""
    gap = dimensions.gap
    workspace.record("request_quality", {
        "rows_read": dimensions.rows_read,
        **{d: round(dimensions.share(d), 4) for d in ROW_DIMENSIONS},
        "lag_days": dimensions.lag_days,
        "bias_ratio": None if gap is None else round(gap.ratio, 2),
    }, module=MODULE)
