"""Did it work? Before and after, with a comparison group: difference-in-differences.

A before/after comparison alone credits a program with everything else that changed at
the same time (the season, a new hire, a quieter month). Difference-in-differences
subtracts what happened over the same weeks in a comparison group that did not get the
program: the program's effect is (treated after - treated before) - (comparison after -
comparison before). It is fair when the two groups would have moved in parallel without
the program; :func:`difference_in_differences` checks that on the "before" weeks alone
(a *placebo* test: a fake start halfway through the before weeks should show no effect).

The outcome is the share of requests closed within their service standard (see
:mod:`cda_lib.metrics.kpi`): it is known for every request once its standard has passed, so
open requests are neither dropped nor guessed. Requests opened in the last days before
the extract, whose standard has not passed yet, are left out (the window ends that many
days before the extract).

Why a block bootstrap over weeks, not a textbook standard error
---------------------------------------------------------------
Requests are not independent: a week with a crew out sick is slow for every request in
it, and a slow week leaves a backlog that slows the next. A formula that treats each
request as independent gives an interval far too narrow. The usual fix, a regression with
standard errors clustered by district, needs many treated districts; with one (the usual
city pilot) it is badly wrong (Conley & Taber 2011; MacKinnon & Webb 2017). So the
interval here comes from a *moving-block bootstrap over weeks* (Künsch 1989): the weeks
before and the weeks after are each resampled in blocks of :data:`BLOCK_WEEKS`
consecutive weeks, keeping each week's treated and comparison requests together, and the
difference-in-differences is recomputed each time. The interval is the middle 95% of
those recomputed values. It reflects week-to-week noise shared by all requests, and
serial correlation up to about a month (Bertrand, Duflo & Mullainathan 2004 show why
ignoring that overstates certainty).

The synthetic cities carry a known pilot (:func:`cda_lib.synth.pilots.planted_intervention`),
so the estimate can be checked against the truth.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cda_lib.core.errors import CdaError, did_you_mean, list_choices
from cda_lib.metrics import kpi
from cda_lib.metrics.inputs import UnknownChoiceError, as_timestamp, require_columns
from cda_lib.metrics.outcomes import request_outcomes
from cda_lib.metrics.selection import select_requests
from cda_lib.text.dates import format_date
from cda_lib.text.numbers import format_bound, format_percent, format_points
from cda_lib.text.translation import N_, gettext as _, ngettext

COMPARISON_ROW = "Comparison districts"  # DidResult.table()'s second row: a key, not prose

BOOTSTRAP_SAMPLES = 2000  # enough that the interval's ends move by well under a point
BLOCK_WEEKS = 4  # about a month: backlogs and staffing carry over for weeks, not days
CONFIDENCE = 0.95  # the usual 95% interval
SEED = 311  # a fixed seed, so the same data always gives the same interval
# Resampling weeks needs enough of them on each side: with fewer than 8 weeks (two blocks
# of four) the bootstrap has almost nothing to reshuffle and its interval means little.
MIN_WEEKS = 8
_WEEK_NS = 7 * 86_400 * 1_000_000_000
_ZERO = 1e-8
# The two sides of the start, as a message says them ("2 weeks before the start").
_SIDES = {"before": N_("before"), "after": N_("after")}


class EvaluationError(CdaError, ValueError):
    """An evaluation cannot be run as asked (groups, dates or data are unusable)."""


@dataclass(frozen=True)
class DidResult:
    """A difference-in-differences estimate, its interval, and what it was computed from.

    Shares are between 0 and 1; ``estimate``, ``low`` and ``high`` are differences of
    shares (0.14 = 14 percentage points). ``weekly`` holds each group's weekly share, for
    the chart; ``placebo`` the same estimate on the before weeks alone (None when there
    were too few of them).
    """

    estimate: float
    low: float
    high: float
    confidence: float
    treated_before: float
    treated_after: float
    comparison_before: float
    comparison_after: float
    requests: dict[str, int]
    weeks_before: int
    weeks_after: int
    treated: str
    comparison: tuple[str, ...]
    service_codes: tuple[str, ...]
    start: pd.Timestamp
    before_start: pd.Timestamp
    after_end: pd.Timestamp
    weekly: pd.DataFrame = field(repr=False)
    placebo: DidResult | None = field(default=None, repr=False)
    samples: int = BOOTSTRAP_SAMPLES

    @property
    def interval_excludes_zero(self) -> bool:
        # a millionth of a point: floating-point rounding of an exact zero is still zero
        return self.low > _ZERO or self.high < -_ZERO

    def table(self) -> pd.DataFrame:
        """The two-by-two table of shares, with the changes and their difference.

        Its rows are the treated district and ``"Comparison districts"``, in English in
        every language: the pages' code reads the row by that name
        (``table.loc["Comparison districts", "change"]``), as it reads the columns."""
        rows = {"before": [self.treated_before, self.comparison_before],
                "after": [self.treated_after, self.comparison_after]}
        table = pd.DataFrame(rows, index=[self.treated, COMPARISON_ROW])
        table["change"] = table["after"] - table["before"]
        return table

    def summary(self) -> str:
        """What a leader needs: the two changes, their difference, and how sure we can be."""
        text = _("From {start}, {treated}'s on-time share went from {treated_before} to "
                 "{treated_after}; in the comparison districts it went from {comparison_before} "
                 "to {comparison_after}. The difference in differences is {estimate} ({level} "
                 "interval {low} to {high}).", start=format_date(self.start),
                 treated=self.treated, treated_before=format_percent(self.treated_before),
                 treated_after=format_percent(self.treated_after),
                 comparison_before=format_percent(self.comparison_before),
                 comparison_after=format_percent(self.comparison_after),
                 estimate=format_points(self.estimate), level=format_percent(self.confidence),
                 low=format_bound(self.low), high=format_bound(self.high))
        if self.interval_excludes_zero:
            text += " " + _("The interval leaves out zero: the change is bigger than the usual "
                            "ups and downs.")
        else:
            text += " " + _("The interval includes zero, so the data cannot tell this change "
                            "from chance.")
        if self.placebo is not None and self.placebo.interval_excludes_zero:
            text += " " + _("Caution: before the start the groups were already drifting apart "
                            "({placebo} in a placebo test), so the comparison may not be fair.",
                            placebo=format_points(self.placebo.estimate))
        return text

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return f'<p class="cda-metric">{html.escape(self.summary())}</p>'


def difference_in_differences(
    requests: pd.DataFrame, standards: Mapping[str, float] | None = None, *, as_of,
    treated_district: str, start, service_code: str | Iterable[str] | None = None,
    comparison_districts: Iterable[str] | None = None, before_start=None, end=None,
    within_days: float | None = None, block_weeks: int = BLOCK_WEEKS,
    samples: int = BOOTSTRAP_SAMPLES, confidence: float = CONFIDENCE, seed: int = SEED,
    placebo: bool = True, min_requests: int = kpi.MIN_REQUESTS,
) -> DidResult:
    """Estimate a change's effect on the on-time share, with a comparison group.

    ``treated_district`` got the change from ``start``; the comparison group is every
    other district (or ``comparison_districts``). ``service_code`` limits the requests to
    some types (codes or names). On time means within each type's ``standards`` (the
    city's service standards), or within ``within_days`` for every type. The before
    weeks run from ``before_start`` (default: the first request) to the start; the after
    weeks from the start to ``end`` (default: the extract), stopping early enough that
    every request's standard has passed by ``as_of``.

    >>> from cda_lib import load_city_data, synth
    >>> data = load_city_data("riverbend")  # doctest: +SKIP
    >>> pilot = synth.planted_intervention(data.city)  # doctest: +SKIP
    >>> result = difference_in_differences(
    ...     data.requests, data.city.service_standards, as_of=data.as_of,
    ...     treated_district=pilot.district, start=pilot.start,
    ...     service_code=pilot.service_code)  # doctest: +SKIP
    >>> print(result.summary())  # doctest: +SKIP
    From 01 Apr 2025, Mill District's on-time share went from 53% to 68% ...
    """
    _check_settings(block_weeks, samples, confidence)
    as_of = as_timestamp(as_of, "as_of")
    start = as_timestamp(start, "start").normalize()
    require_columns(requests, ["district", "requested_datetime"], N_("an evaluation"))
    chosen = select_requests(requests, service_code=service_code) \
        if service_code is not None else requests
    treated, comparison = _groups(requests, treated_district, comparison_districts)
    standard = _standards(chosen, standards, within_days)
    outcomes = request_outcomes(chosen, standard, as_of=as_of)
    window = _window(chosen, start, as_of, before_start, end, standard, within_days)
    cells = _Cells.build(chosen, outcomes, treated, comparison, start, window)
    cells.check(min_requests, treated)
    rng = np.random.default_rng(seed)
    estimate, shares = cells.estimate()
    draws = cells.bootstrap(rng, samples, block_weeks)
    low, high = np.nanquantile(draws, [(1 - confidence) / 2, 1 - (1 - confidence) / 2])
    placebo_result = _placebo(cells, rng, samples, block_weeks, confidence) if placebo else None
    codes = tuple(sorted(chosen["service_code"].astype(str).unique()))
    return DidResult(
        estimate=estimate, low=float(low), high=float(high), confidence=confidence,
        treated_before=shares[0], treated_after=shares[1], comparison_before=shares[2],
        comparison_after=shares[3], requests=cells.counts(), weeks_before=cells.before.size,
        weeks_after=cells.after.size, treated=treated, comparison=tuple(comparison),
        service_codes=codes, start=start, before_start=window[0], after_end=window[1],
        weekly=cells.weekly(), placebo=placebo_result, samples=samples)


# --- the groups, the window and the weekly cells -----------------------------------------


def _check_settings(block_weeks: int, samples: int, confidence: float) -> None:
    for name, value, low in (("block_weeks", block_weeks, 1), ("samples", samples, 100)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise EvaluationError(_("{name} should be a whole number of at least {low}, not "
                                    "{value}.", name=name, low=low, value=repr(value)))
    if not isinstance(confidence, float) or not 0.5 <= confidence < 1:
        raise EvaluationError(_("confidence should be a share such as 0.95, not {value}.",
                                value=repr(confidence)))


def _groups(requests: pd.DataFrame, treated: str,
            comparison: Iterable[str] | None) -> tuple[str, list[str]]:
    districts = sorted(requests["district"].dropna().astype(str).unique())
    if not isinstance(treated, str):
        raise EvaluationError(_("treated_district should be one district's name, not {value}.",
                                value=repr(treated)))
    _check_district(treated, districts)
    if comparison is None:
        others = [d for d in districts if d != treated]
    else:
        others = [comparison] if isinstance(comparison, str) else list(comparison)
        for name in others:
            _check_district(name, districts)
        if treated in others:
            raise EvaluationError(_("{treated} is both the treated district and a comparison "
                                    "district. Take it out of comparison_districts.",
                                    treated=treated))
    if not others:
        raise EvaluationError(_("There is no district to compare {treated} with: the data has "
                                "only {districts}. An evaluation needs a comparison group that "
                                "did not get the change.", treated=treated,
                                districts=list_choices(districts)))
    return treated, others


def _check_district(name: str, districts: list[str]) -> None:
    if name not in districts:
        raise UnknownChoiceError(_(
            'This table has no district "{name}".{hint} It has {districts}.', name=name,
            hint=did_you_mean(name, districts), districts=list_choices(districts, limit=15)))


def _standards(requests: pd.DataFrame, standards: Mapping[str, float] | None,
               within_days: float | None) -> dict[str, float]:
    codes = sorted(requests["service_code"].astype(str).unique())
    if within_days is not None:
        if isinstance(within_days, bool) or not isinstance(within_days, (int, float)) \
                or not within_days > 0:
            raise EvaluationError(_("within_days should be a number of days above 0, not "
                                    "{value}.", value=repr(within_days)))
        return dict.fromkeys(codes, float(within_days))
    if standards is None:
        raise EvaluationError(_("Give the city's service standards (city.service_standards), "
                                "or within_days for one limit for every type."))
    missing = [c for c in codes if c not in standards]
    if missing:
        raise EvaluationError(_(
            "These request types have no service standard: {codes}. Choose types that have one "
            "(service_code=...), or give within_days.", codes=list_choices(missing)))
    return {code: float(standards[code]) for code in codes}


def _window(requests: pd.DataFrame, start: pd.Timestamp, as_of: pd.Timestamp, before_start,
            end, standard: dict[str, float],
            within_days: float | None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last moment a request may be opened to count."""
    opened = requests["requested_datetime"]
    first = opened.min() if before_start is None else as_timestamp(before_start,
                                                                        "before_start")
    longest = max(standard.values())
    known_until = as_of - pd.Timedelta(days=longest)
    last = min(known_until, opened.max())
    if end is not None:
        last = min(last, as_timestamp(end, "end"))
    if pd.isna(first) or not first < start < last:
        covers = (_("The requests run from {first} to {last}.", first=format_date(opened.min()),
                    last=format_date(opened.max())) if opened.notna().any() else
                  _("There are no requests."))
        raise EvaluationError(_(
            "The start ({start}) must fall inside the data, after the before weeks begin and "
            "before {known_until} (the extract minus the longest standard, {longest:g} days). "
            "{covers}", start=format_date(start), known_until=format_date(known_until),
            longest=longest, covers=covers))
    return pd.Timestamp(first), pd.Timestamp(last)


@dataclass(frozen=True)
class _Cells:
    """On-time and known counts per week, treated and comparison, before and after."""

    before: np.ndarray  # week numbers before the start (negative), in order
    after: np.ndarray  # week numbers from the start (0, 1, ...)
    on_time: dict[str, np.ndarray]  # "treated" / "comparison": per week, aligned with weeks
    known: dict[str, np.ndarray]
    weeks: np.ndarray  # every week number, before then after
    start: pd.Timestamp

    @classmethod
    def build(cls, requests: pd.DataFrame, outcomes: pd.DataFrame, treated: str,
              comparison: list[str], start: pd.Timestamp,
              window: tuple[pd.Timestamp, pd.Timestamp]) -> _Cells:
        opened = requests["requested_datetime"]
        district = requests["district"].astype("string")
        in_window = ((opened >= window[0]) & (opened <= window[1])).to_numpy()
        known = outcomes["standard_passed"].to_numpy()
        on_time = outcomes["on_time"].fillna(False).to_numpy(dtype=bool)
        requested_ns = opened.to_numpy(dtype="datetime64[ns]").view("int64")
        week = np.floor_divide(requested_ns - start.value, _WEEK_NS)
        first = int(np.floor_divide(window[0].value - start.value, _WEEK_NS))
        last = int(np.floor_divide(window[1].value - start.value, _WEEK_NS))
        weeks = np.arange(first, last + 1)
        counts_on, counts_known = {}, {}
        for name, members in (("treated", [treated]), ("comparison", comparison)):
            rows = in_window & known & district.isin(members).fillna(False).to_numpy()
            position = week[rows] - first
            counts_known[name] = np.bincount(position, minlength=weeks.size).astype(float)
            counts_on[name] = np.bincount(position, weights=on_time[rows],
                                          minlength=weeks.size).astype(float)
        return cls(before=weeks[weeks < 0], after=weeks[weeks >= 0], on_time=counts_on,
                   known=counts_known, weeks=weeks, start=start)

    def _index(self, weeks: np.ndarray) -> np.ndarray:
        return weeks - self.weeks[0]

    def counts(self) -> dict[str, int]:
        counts = {}
        for group in ("treated", "comparison"):
            for side, weeks in (("before", self.before), ("after", self.after)):
                counts[f"{group} {side}"] = int(self.known[group][self._index(weeks)].sum())
        return counts

    def check(self, min_requests: int, treated: str) -> None:
        for side, weeks in (("before", self.before), ("after", self.after)):
            if weeks.size < MIN_WEEKS:
                raise EvaluationError(ngettext(
                    "There is only {count} week {side} the start; an honest interval needs at "
                    "least {needed} on each side. Move the start, or wait for more data.",
                    "There are only {count} weeks {side} the start; an honest interval needs at "
                    "least {needed} on each side. Move the start, or wait for more data.",
                    int(weeks.size), side=_(_SIDES[side]), needed=MIN_WEEKS))
        for cell, count in self.counts().items():
            if count < min_requests:
                group = treated if cell.startswith("treated") else \
                    _("the comparison districts")
                raise EvaluationError(_(
                    "Too few requests to be meaningful: {group} had {count:,} with a known "
                    "outcome {side} the start (at least {needed:,} are needed). Choose more "
                    "request types, a larger group or a longer period.", group=group,
                    count=count, side=_(_SIDES[cell.split()[1]]), needed=min_requests))

    def estimate(self, before: np.ndarray | None = None,
                 after: np.ndarray | None = None) -> tuple[float, list[float]]:
        before = self.before if before is None else before
        after = self.after if after is None else after
        shares = []
        for group in ("treated", "comparison"):
            for weeks in (before, after):
                index = self._index(weeks)
                shares.append(float(self.on_time[group][index].sum()
                                    / self.known[group][index].sum()))
        return (shares[1] - shares[0]) - (shares[3] - shares[2]), shares

    def bootstrap(self, rng: np.random.Generator, samples: int, block: int,
                  before: np.ndarray | None = None,
                  after: np.ndarray | None = None) -> np.ndarray:
        """The estimate recomputed on ``samples`` moving-block resamples of the weeks."""
        before = self.before if before is None else before
        after = self.after if after is None else after
        sums = []
        for weeks in (before, after):
            chosen = self._index(weeks)[_block_indices(rng, weeks.size, samples, block)]
            sums.append({group: (self.on_time[group][chosen].sum(axis=1),
                                 self.known[group][chosen].sum(axis=1))
                         for group in ("treated", "comparison")})
        with np.errstate(divide="ignore", invalid="ignore"):
            change = {group: sums[1][group][0] / sums[1][group][1]
                      - sums[0][group][0] / sums[0][group][1]
                      for group in ("treated", "comparison")}
        return change["treated"] - change["comparison"]

    def weekly(self) -> pd.DataFrame:
        frames = []
        for group in ("treated", "comparison"):
            with np.errstate(divide="ignore", invalid="ignore"):
                share = self.on_time[group] / self.known[group]
            frames.append(pd.DataFrame({
                "week_start": self.start + pd.to_timedelta(self.weeks * 7, unit="D"),
                "group": group, "share": np.where(self.known[group] > 0, share, np.nan),
                "known": self.known[group].astype(int), "after": self.weeks >= 0}))
        return pd.concat(frames, ignore_index=True)


def _block_indices(rng: np.random.Generator, n: int, samples: int, block: int) -> np.ndarray:
    """Moving-block bootstrap positions: ``samples`` rows of ``n`` positions in 0..n-1."""
    block = min(block, n)
    blocks = math.ceil(n / block)
    starts = rng.integers(0, n - block + 1, size=(samples, blocks))
    positions = (starts[:, :, None] + np.arange(block)).reshape(samples, blocks * block)
    return positions[:, :n]


def _placebo(cells: _Cells, rng: np.random.Generator, samples: int, block: int,
             confidence: float) -> DidResult | None:
    """The same estimate on the before weeks alone, with a fake start halfway through."""
    half = cells.before.size // 2
    fake_before, fake_after = cells.before[:half], cells.before[half:]
    if min(fake_before.size, fake_after.size) < MIN_WEEKS:
        return None
    known = {g: (cells.known[g][cells._index(fake_before)].sum(),
                 cells.known[g][cells._index(fake_after)].sum()) for g in cells.known}
    if min(min(pair) for pair in known.values()) == 0:
        return None
    estimate, shares = cells.estimate(fake_before, fake_after)
    draws = cells.bootstrap(rng, samples, block, fake_before, fake_after)
    low, high = np.nanquantile(draws, [(1 - confidence) / 2, 1 - (1 - confidence) / 2])
    fake_start = cells.start + pd.Timedelta(weeks=int(fake_after[0]))
    return DidResult(
        estimate=estimate, low=float(low), high=float(high), confidence=confidence,
        treated_before=shares[0], treated_after=shares[1], comparison_before=shares[2],
        comparison_after=shares[3], requests={}, weeks_before=fake_before.size,
        weeks_after=fake_after.size, treated="treated", comparison=(), service_codes=(),
        start=fake_start, before_start=cells.start + pd.Timedelta(weeks=int(fake_before[0])),
        after_end=cells.start, weekly=pd.DataFrame(), samples=samples)
