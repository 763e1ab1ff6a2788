"""Evaluating one change in a city: which change, what a plain before/after hides, the truth.

:mod:`cda_lib.metrics.evaluation` computes a difference-in-differences; this module sets one up
for a city and helps read it (page 1.4, *Did it work?*):

* :func:`evaluation_plan`: which change to evaluate. A synthetic city carries the pilot
  its generator planted (:func:`cda_lib.synth.generator.planted_intervention`); a city with real
  data gets a *practice* start date at which nothing is known to have changed (its true
  effect is about zero), unless the user names a real change.
* :func:`before_after_volume` and :func:`plot_seasons`: why a plain before/after misleads.
  Request volume follows the seasons; the same months before and after a start move in
  the treated district *and* where nothing changed.
* :func:`similar_districts`: a second, narrower comparison group, to see whether the
  answer depends on the choice.
* :func:`placebo_sentence`, :func:`leader_reading`: the parallel-trends check and the
  interval in words, with what a leader may and may not conclude.
* :func:`planted_truth`, :func:`truth_check`: the effect the generator planted, read
  from ``generation.json``, against the estimate. A real city never sees this.
* :func:`record_evaluation`: the result, in the city's workspace.

>>> import pandas as pd
>>> requests = pd.DataFrame({
...     "service_code": ["POTHOLE"] * 6,
...     "district": ["South", "North", "South", "North", "South", "South"],
...     "requested_datetime": pd.to_datetime(["2025-03-01", "2025-03-20", "2025-03-21",
...                                           "2025-04-03", "2025-04-04", "2025-04-20"])})
>>> plan = EvaluationPlan("North", "POTHOLE", "Pothole repair", pd.Timestamp("2025-04-01"),
...                       kind=CHOSEN)
>>> before_after_volume(requests, plan, weeks=2).table[["before", "after"]]
                      before  after
North                      1      1
Comparison districts       1      1
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cda_lib.charts.style import Chart, ChartContext, finish_chart, new_axes, style_axes
from cda_lib.core.errors import ChartDataError, list_choices
from cda_lib.core.workspace import Workspace
from cda_lib.metrics import kpi
from cda_lib.metrics.evaluation import DidResult, EvaluationError, difference_in_differences
from cda_lib.synth import generator as synth
from cda_lib.themes.lead.performance_charts import COMPARISON_COLOUR, TREATED_COLOUR

if TYPE_CHECKING:
    from cda_lib.data import CityData

PLANTED, PRACTICE, CHOSEN = "planted", "practice", "chosen"  # where a plan comes from
# The practice start for real data uses the generator's rule (the first day of the month
# after 60% of the period): a long "before" to check parallel trends, a fair "after".
PRACTICE_START_SHARE = synth.INTERVENTION_START_SHARE
PREFERRED_SERVICE_CODE = synth.INTERVENTION_SERVICE_CODE  # the practice run's first choice
# A quarter either side of the start: the "three months before, three months after" a
# manager would naturally compare, and long enough to hold a season's turn.
SEASON_WEEKS = 13
YEAR = pd.Timedelta(weeks=52)  # "a year earlier", in whole weeks, so weekdays line up
SIMILAR_DISTRICTS = 2  # a narrow comparison group: the two most alike, still two districts
SIMILAR_BY = "share_low_income"  # the pilot went to the district that waited longest
# The two lines of the seasons chart "move together" when their monthly values correlate
# at least this well: a strong positive correlation by the usual reading (0.6 and above).
MOVE_TOGETHER = 0.6
WORKSPACE_KEY = "evaluation_did"  # the workspace record of page 1.4's estimate
MODULE = "1_lead/04"
GENERATION_FILE = "generation.json"


# --- the plan: which change ----------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationPlan:
    """The change to evaluate: in which district, for which request type, from when.

    ``kind`` says where it comes from: ``"planted"`` (the synthetic city's pilot, whose
    true effect is known), ``"practice"`` (a start at which nothing is known to have
    changed, for real data) or ``"chosen"`` (a change the user named).
    ``close_time_factor`` is the planted pilot's strength (0.5: half the time).
    """

    district: str
    service_code: str
    service_name: str
    start: pd.Timestamp
    kind: str = CHOSEN
    close_time_factor: float | None = None

    def describe(self) -> str:
        """What changed, where and from when, in a sentence or two."""
        when = f"{self.start.day} {self.start:%B %Y}"
        what = self.service_name.lower()
        if self.kind == PLANTED:
            factor = self.close_time_factor
            speed = "half the time" if factor == 0.5 else f"{factor:g} times the time"
            return (f"From {when}, {self.district} closed {what} requests in {speed} they used "
                    "to take, as if it had a second repair crew. The data generator planted "
                    "this pilot, so its true effect is known.")
        if self.kind == PRACTICE:
            return (f"A practice run: {when} in {self.district}, {what} requests. Nothing is "
                    "known to have changed then, so the true effect is probably zero. To "
                    "evaluate a real change, name its district, request type and start.")
        return f"The change you named: {what} requests in {self.district}, from {when}."

    def __str__(self) -> str:
        return self.describe()

    def _repr_html_(self) -> str:
        return f'<p class="cda-metric">{html.escape(self.describe())}</p>'


def evaluation_plan(data: CityData, *, district: str | None = None,
                    service_code: str | None = None, start=None) -> EvaluationPlan:
    """The change to evaluate in a city: its planted pilot, a practice run, or one you name.

    With no arguments, a synthetic city gets its planted pilot and a city with real data
    a practice run (see the module docstring). Any of ``district``, ``service_code``
    (a code or a name) and ``start`` replaces that part of the default plan.
    """
    requests = data.requests
    plan = _planted_plan(data) if data.is_synthetic else _practice_plan(data)
    if district is None and service_code is None and start is None:
        return plan
    code = plan.service_code if service_code is None else _service_code(requests, service_code)
    chosen_district = plan.district if district is None else str(district)
    kpi.select_requests(requests, district=chosen_district)  # an unknown one: did-you-mean
    when = plan.start if start is None else _timestamp(start)
    return EvaluationPlan(chosen_district, code, _service_name(requests, code), when, CHOSEN)


def _planted_plan(data: CityData) -> EvaluationPlan:
    pilot = synth.planted_intervention(data.city)
    return EvaluationPlan(pilot.district, pilot.service_code,
                          _service_name(data.requests, pilot.service_code), pilot.start,
                          PLANTED, pilot.close_time_factor)


def _practice_plan(data: CityData) -> EvaluationPlan:
    requests = data.requests
    standards = data.city.service_standards
    codes = requests["service_code"].dropna().astype(str)
    with_standard = codes[codes.isin(list(standards))]
    if with_standard.empty:
        raise EvaluationError(
            f"None of {data.city.name}'s request types has a service standard, so there is no "
            "on-time share to evaluate. Add service_standards to the city file (days to close "
            "per request type).")
    counts = with_standard.value_counts().sort_index().sort_values(ascending=False, kind="stable")
    code = PREFERRED_SERVICE_CODE if PREFERRED_SERVICE_CODE in counts.index else counts.index[0]
    chosen = requests[(requests["service_code"] == code).to_numpy()]
    districts = chosen["district"].dropna().astype(str).value_counts().sort_index()
    if districts.empty:
        raise EvaluationError(f"No {code} request has a district, so no district can be "
                              "compared with the others.")
    district = str(districts.sort_values(ascending=False, kind="stable").index[0])
    return EvaluationPlan(district, code, _service_name(requests, code),
                          practice_start(requests["requested_datetime"]), PRACTICE)


def practice_start(opened: pd.Series) -> pd.Timestamp:
    """The first day of the month after 60% of the requests' period (the generator's rule).

    >>> practice_start(pd.Series(pd.to_datetime(["2024-01-01", "2025-12-31"])))
    Timestamp('2025-04-01 00:00:00')
    """
    first, last = opened.min(), opened.max()
    if pd.isna(first):
        raise EvaluationError("There are no requests, so there is no period to evaluate.")
    point = first.normalize() + (last.normalize() - first.normalize()) * PRACTICE_START_SHARE
    month = point.normalize().replace(day=1)
    return month if month == point else month + pd.DateOffset(months=1)


def _service_code(requests: pd.DataFrame, wanted: str) -> str:
    chosen = kpi.select_requests(requests, service_code=wanted)  # did-you-mean on a typo
    return str(chosen["service_code"].astype(str).value_counts().index[0])


def _service_name(requests: pd.DataFrame, code: str) -> str:
    if "service_name" not in requests.columns:
        return code
    names = requests.loc[(requests["service_code"] == code).to_numpy(), "service_name"]
    names = names.dropna().astype(str)
    return str(names.value_counts().index[0]) if len(names) else code


def _timestamp(value) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise EvaluationError(f'The start "{value}" is not a date the workbook can read. Write '
                              'it as year-month-day, e.g. "2025-04-01".')
    return stamp.normalize()


def evaluate(data: CityData, plan: EvaluationPlan | None = None, *,
             comparison_districts: list[str] | None = None) -> DidResult:
    """The difference-in-differences for a plan (default: :func:`evaluation_plan`)."""
    plan = plan if plan is not None else evaluation_plan(data)
    return difference_in_differences(
        data.requests, data.city.service_standards, as_of=data.as_of,
        treated_district=plan.district, start=plan.start, service_code=plan.service_code,
        comparison_districts=comparison_districts)


# --- why a plain before/after misleads ------------------------------------------------------


@dataclass(frozen=True)
class BeforeAfterVolume:
    """Requests of the plan's type in the weeks before and after the start, by group.

    ``table`` has a row for the treated district and one for the comparison districts,
    with ``before``, ``after``, ``change`` (after ÷ before − 1) and, when the data goes
    back far enough, ``year_before`` (the same weeks as ``after``, 52 weeks earlier) and
    ``change_on_year``.
    """

    table: pd.DataFrame
    weeks: int
    plan: EvaluationPlan

    def summary(self) -> str:
        """The plain before/after, next to the same change where nothing changed."""
        treated = self.table.iloc[0]
        others = self.table.iloc[1]
        what = f"{self.plan.service_name} requests"
        text = (f"{what} in {self.plan.district} {_moved(treated['change'])} from the "
                f"{self.weeks} weeks before {self.plan.start:%d %b %Y} to the {self.weeks} "
                f"weeks after. In the comparison districts, which did not get the change, "
                f"they {_moved(others['change'])}.")
        if "change_on_year" in self.table.columns and pd.notna(treated["change_on_year"]):
            text += (f" Against the same {self.weeks} weeks a year earlier, which takes the "
                     f"season out, {self.plan.district} was {_signed(treated['change_on_year'])}"
                     f" and the comparison districts {_signed(others['change_on_year'])}: "
                     "what is left is the year's trend, and chance.")
        return text

    def readable(self) -> pd.DataFrame:
        """The table with its columns named in words and its changes as signed percents."""
        shown = self.table.copy()
        for column in ("change", "change_on_year"):
            if column in shown.columns:
                shown[column] = shown[column].map(_signed)
        weeks = self.weeks
        return shown.rename(columns={
            "before": f"{weeks} weeks before", "after": f"{weeks} weeks after",
            "year_before": "the weeks after, a year earlier", "change": "change",
            "change_on_year": "change on a year earlier"})

    def __str__(self) -> str:
        return f"{self.readable().to_string()}\n{self.summary()}"

    __repr__ = __str__  # plain text shows the words, not the fields

    def _repr_html_(self) -> str:
        return f"{self.readable().to_html()}<p>{html.escape(self.summary())}</p>"


def before_after_volume(requests: pd.DataFrame, plan: EvaluationPlan, *,
                        weeks: int = SEASON_WEEKS) -> BeforeAfterVolume:
    """Requests of the plan's type before and after its start, treated and comparison.

    Requests without a district count in neither group. The weeks after the start must
    lie inside the data.
    """
    if isinstance(weeks, bool) or not isinstance(weeks, (int, np.integer)) or weeks < 1:
        raise EvaluationError(f"weeks should be a whole number such as 13, not {weeks!r}.")
    chosen = kpi.select_requests(requests, service_code=plan.service_code)
    opened = chosen["requested_datetime"]
    length = pd.Timedelta(weeks=int(weeks))
    if plan.start - length < opened.min() or plan.start + length > opened.max() + pd.Timedelta(
            days=1):
        raise EvaluationError(
            f"The {weeks} weeks before and after {plan.start:%d %b %Y} do not fit inside the "
            f"data ({opened.min():%d %b %Y} to {opened.max():%d %b %Y}). Choose fewer weeks.")
    district = chosen["district"].astype("string")
    treated = (district == plan.district).fillna(False).to_numpy()
    located = district.notna().to_numpy()
    windows = {"before": (plan.start - length, plan.start), "after": (plan.start,
                                                                     plan.start + length)}
    if plan.start - YEAR >= opened.min():
        windows["year_before"] = (plan.start - YEAR, plan.start - YEAR + length)
    rows = {}
    for label, members in ((plan.district, treated), ("Comparison districts",
                                                      located & ~treated)):
        rows[label] = {name: int(((opened >= low) & (opened < high)).to_numpy()[members].sum())
                       for name, (low, high) in windows.items()}
    table = pd.DataFrame.from_dict(rows, orient="index")
    with np.errstate(divide="ignore", invalid="ignore"):
        table["change"] = table["after"] / table["before"].where(table["before"] > 0) - 1
        if "year_before" in table.columns:
            table["change_on_year"] = (table["after"]
                                       / table["year_before"].where(table["year_before"] > 0) - 1)
    return BeforeAfterVolume(table=table, weeks=int(weeks), plan=plan)


def _moved(change: float) -> str:
    if pd.isna(change):
        return "cannot be compared (none in the weeks before)"
    if abs(change) < 0.005:
        return "stayed the same"
    return f"{'rose' if change > 0 else 'fell'} {abs(change):.0%}"


def _signed(change: float) -> str:
    return "—" if pd.isna(change) else f"{change:+.0%}"


def monthly_index(requests: pd.DataFrame, plan: EvaluationPlan) -> pd.DataFrame:
    """Requests of the plan's type per whole month, treated and comparison, and each as a
    percentage of its own average month (100 = an average month).

    A first or last month the data only partly covers is left out.
    """
    chosen = kpi.select_requests(requests, service_code=plan.service_code)
    chosen = chosen[chosen["district"].notna().to_numpy()]
    opened = chosen["requested_datetime"]
    months = pd.period_range(opened.min().to_period("M"), opened.max().to_period("M"), freq="M")
    if opened.min().normalize() > months[0].start_time:
        months = months[1:]  # the data starts after the first month's first day
    if len(months) and opened.max().normalize() < months[-1].end_time.normalize():
        months = months[:-1]  # the data stops before the last month's last day
    treated = (chosen["district"].astype("string") == plan.district).fillna(False).to_numpy()
    month = opened.dt.to_period("M")
    table = pd.DataFrame({
        "treated": month[treated].value_counts().reindex(months, fill_value=0),
        "comparison": month[~treated].value_counts().reindex(months, fill_value=0)})
    for group in ("treated", "comparison"):
        average = table[group].mean()
        table[f"{group}_index"] = table[group] / average * 100 if average > 0 else np.nan
    table.index.name = "month"
    return table


def plot_seasons(requests: pd.DataFrame, plan: EvaluationPlan, *,
                 context: ChartContext) -> Chart:
    """Monthly requests of the plan's type, treated against comparison, on one scale.

    Each line is its group's requests per month as a percentage of its own average month,
    so a small district and the rest of the city can be read together; the title says
    whether they rise and fall together (the season) or not.
    """
    table = monthly_index(requests, plan)
    usable = table.dropna()
    if len(usable) < 3:
        raise ChartDataError("There are fewer than three whole months of these requests, too "
                             "few to show a season. Choose a request type with more requests.")
    together = float(usable["treated_index"].corr(usable["comparison_index"]))
    x = usable.index.to_timestamp()
    figure, ax = new_axes()
    ax.plot(x, usable["comparison_index"], color=COMPARISON_COLOUR, linewidth=2,
            label="Comparison districts")
    ax.plot(x, usable["treated_index"], color=TREATED_COLOUR, linewidth=2, marker="o",
            markersize=4, label=plan.district)
    ax.axhline(100, color="#666666", linewidth=0.8, linestyle=":")
    ax.axvline(plan.start, color="#1A1A1A", linewidth=1.2)
    ax.annotate("Change starts", (plan.start, 1), xycoords=("data", "axes fraction"),
                xytext=(4, -12), textcoords="offset points", fontsize=8)
    ax.set_ylim(0, max(150.0, float(usable[["treated_index", "comparison_index"]].max().max())
                       * 1.1))
    ax.legend(loc="lower left", frameon=False, fontsize=8)
    style_axes(ax, value_axis="y", xlabel="Month",
                ylabel="Requests (% of the group's average month)")
    what = f"{plan.service_name} requests"
    if not np.isfinite(together):
        title = f"{what} in {plan.district} and the comparison districts, month by month"
    elif together >= MOVE_TOGETHER:
        title = (f"{what} rise and fall with the seasons in {plan.district} and in the "
                 "comparison districts alike")
    else:
        title = f"{what} in {plan.district} do not follow the comparison districts' months"
    notes = ["Each line is its group's requests per month as a percentage of its own average "
             "month (100), so a district and the rest of the city share one scale.",
             f"Correlation of the two lines: {together:.2f} (1 = they move exactly together)."
             if np.isfinite(together) else "The two lines cannot be correlated."]
    return finish_chart(
        figure, context=context, title=title,
        subtitle=f"{what} per month, {plan.district} and the other districts of "
                 f"{context.city_name}, {usable.index[0]:%b %Y} – {usable.index[-1]:%b %Y}",
        notes=notes, panel_height=3.2,
        description=f"Line chart of {what.lower()} per month in {plan.district} and in the "
                    f"other districts of {context.city_name}, each as a percentage of its "
                    f"average month, with the start of the change on {plan.start:%d %B %Y}.")


# --- the comparison group and the parallel-trends check --------------------------------------


def similar_districts(districts: pd.DataFrame, district: str, *, n: int = SIMILAR_DISTRICTS,
                      by: str = SIMILAR_BY) -> list[str]:
    """The ``n`` districts closest to ``district`` in one demographic column (ties by name).

    >>> table = pd.DataFrame({"district": ["A", "B", "C", "D"],
    ...                       "share_low_income": [0.30, 0.10, 0.26, 0.35]})
    >>> similar_districts(table, "A")
    ['C', 'D']
    """
    if by not in districts.columns:
        raise EvaluationError(f'The districts table has no column "{by}". It has '
                              f"{list_choices(map(str, districts.columns))}.")
    table = districts[["district", by]].dropna()
    names = table["district"].astype(str).tolist()
    if district not in names:
        raise EvaluationError(f'The districts table has no district "{district}" with a value '
                              f"for {by}. It has {list_choices(names)}.")
    value = float(table.loc[table["district"] == district, by].iloc[0])
    others = table[table["district"] != district].assign(distance=lambda t: (t[by] - value).abs())
    others = others.sort_values(["distance", "district"], kind="stable")
    return others["district"].astype(str).head(n).tolist()


def placebo_sentence(result: DidResult) -> str:
    """The parallel-trends check in words: the placebo test on the before weeks."""
    placebo = result.placebo
    if placebo is None:
        return ("There were too few weeks before the start for a placebo test (at least 16 are "
                "needed), so whether the groups moved in parallel cannot be checked.")
    text = (f"Pretending the change started on {placebo.start:%d %b %Y}, halfway through the "
            f"{result.weeks_before} weeks before the real start, the difference in differences "
            f"over those weeks alone is {points(placebo.estimate)} ({placebo.confidence:.0%} "
            f"interval {points(placebo.low)} to {points(placebo.high)}).")
    if placebo.interval_excludes_zero:
        return text + (" The interval leaves out zero: the groups were already drifting apart "
                       "before the change, so the comparison may credit the change with a gap "
                       "that was opening anyway.")
    return text + (" The interval includes zero: as far as the data can tell, the groups moved "
                   "in parallel before the change, as the comparison needs.")


def points(difference: float, decimals: int = 0) -> str:
    """A difference of shares in signed percentage points (``decimals`` after the point).

    >>> points(0.1386), points(-0.004), points(-0.2), points(0.012), points(0.1386, 1)
    ('+14 points', '0 points', '-20 points', '+1 point', '+13.9 points')
    """
    value = round(difference * 100, decimals)
    if value == 0:
        return "0 points"
    return f"{value:+.{decimals}f} point{'' if abs(value) == 1 else 's'}"


# --- reading the interval -----------------------------------------------------------------


@dataclass(frozen=True)
class LeaderReading:
    """What a leader may conclude from an estimate, what not, and what to do next."""

    verdict: str
    may_say: tuple[str, ...]
    should_not_say: tuple[str, ...]
    next_steps: tuple[str, ...]

    def __str__(self) -> str:
        parts = [self.verdict]
        for heading, items in (("You can say", self.may_say),
                               ("You should not say", self.should_not_say),
                               ("What to do next", self.next_steps)):
            parts.append(f"{heading}:")
            parts += [f"- {item}" for item in items]
        return "\n".join(parts)

    __repr__ = __str__  # plain text shows the words, not the fields

    def _repr_html_(self) -> str:
        blocks = [f"<p><strong>{html.escape(self.verdict)}</strong></p>"]
        for heading, items in (("You can say", self.may_say),
                               ("You should not say", self.should_not_say),
                               ("What to do next", self.next_steps)):
            listed = "".join(f"<li>{html.escape(item)}</li>" for item in items)
            blocks.append(f"<p>{heading}:</p><ul>{listed}</ul>")
        return f'<div class="cda-reading">{"".join(blocks)}</div>'


def leader_reading(result: DidResult) -> LeaderReading:
    """Read a difference-in-differences the way a leader needs it, from its interval."""
    est, low, high = points(result.estimate), points(result.low), points(result.high)
    level = f"{result.confidence:.0%}"
    where = result.treated
    if not result.interval_excludes_zero:
        reading = LeaderReading(
            verdict=(f"The {level} interval, {low} to {high}, includes zero: the data cannot "
                     "yet tell this change from chance."),
            may_say=(f"{where}'s on-time share moved {est} against the comparison districts: "
                     "an encouraging sign, measured fairly." if result.estimate > 0 else
                     f"{where}'s on-time share moved {est} against the comparison districts.",
                     f"The data fit anything from {low} to {high}: no effect at all, or a large "
                     "one."),
            should_not_say=("\"The change did not work.\" An interval that includes zero is not "
                            "evidence of no effect: it says there is not enough data to tell.",
                            f"\"The change improved on-time repairs by {est}.\" That is the "
                            "middle of a wide range; promising it would be promising a guess."),
            next_steps=("Keep the change running and keep measuring: the interval narrows as "
                        "weeks accumulate (four times the weeks roughly halves its width).",
                        "Decide now what result would make you scale it up or stop it, before "
                        "the next numbers arrive.",
                        "Look at other evidence meanwhile: crew logs, repeat requests, what "
                        "residents say."))
    else:
        better = result.estimate > 0
        reading = LeaderReading(
            verdict=(f"The {level} interval, {low} to {high}, leaves out zero: the change is "
                     "bigger than the usual ups and downs."),
            may_say=(f"{where}'s on-time share very likely {'rose' if better else 'fell'} "
                     f"because of the change, by between {low} and {high} against comparable "
                     f"districts; the best single estimate is {est}.",),
            should_not_say=("\"It will do the same everywhere.\" This is one district over one "
                            "period; other districts have other streets, crews and demand.",
                            "\"The data proves it.\" The design is only as fair as its "
                            "comparison group: check the placebo test, and ask whether anything "
                            "else changed in that district at the same time."),
            next_steps=(("Weigh the gain against the cost, and plan any rollout district by "
                         "district, so each new start has its own comparison group."
                         if better else
                         "Find out why it made things worse before changing anything else, "
                         "and consider stopping it."),
                        "Keep measuring: an effect can fade once the novelty wears off."))
    if result.placebo is not None and result.placebo.interval_excludes_zero:
        reading = LeaderReading(
            verdict=reading.verdict + " Caution: the placebo test found the groups drifting "
                                      "apart before the start, so the comparison may be unfair.",
            may_say=reading.may_say, should_not_say=reading.should_not_say,
            next_steps=("Try a comparison group that moved in parallel before the start (for "
                        "example the most similar districts) and compare the answers.",
                        *reading.next_steps))
    return reading


# --- the truth (synthetic cities only) -----------------------------------------------------


@dataclass(frozen=True)
class PlantedTruth:
    """The pilot's true effect on the on-time share, as the generator recorded it.

    ``effect`` is the expected effect (what the pilot does to the chance that a request
    closes within its standard): what a difference-in-differences estimates.
    ``in_sample`` is the same difference over the requests actually generated, luck
    included.
    """

    district: str
    service_code: str
    start: pd.Timestamp
    effect: float
    in_sample: float | None = None
    treated_requests: int | None = None


def planted_truth(data: CityData) -> PlantedTruth | None:
    """The planted pilot's true effect from ``generation.json``; None for real data."""
    if not data.is_synthetic:
        return None
    from cda_lib.data import synthetic_data_path

    path = synthetic_data_path(data.city).parent / GENERATION_FILE
    try:
        record = json.loads(path.read_text(encoding="utf-8"))["planted_intervention"]
        sample = record["in_sample"]  # absent from files an earlier generator wrote
        return PlantedTruth(
            district=str(record["district"]), service_code=str(record["service_code"]),
            start=pd.Timestamp(record["start"]), effect=float(record["true_effect_on_time_share"]),
            in_sample=None if sample.get("effect") is None else float(sample["effect"]),
            treated_requests=sample.get("treated_requests"))
    except (OSError, KeyError, TypeError, ValueError, json.JSONDecodeError):
        raise EvaluationError(
            f"{data.city.name}'s {GENERATION_FILE} (in {path.parent}) does not say what pilot "
            "was planted, or was written by an earlier version of the generator. Delete that "
            f"folder and run cda generate {data.city.id} to make the data again.") from None


@dataclass(frozen=True)
class TruthCheck:
    """The estimate beside the true effect, when there is one to see."""

    result: DidResult
    truth: PlantedTruth | None

    @property
    def covered(self) -> bool | None:
        """True when the interval contains the true effect; None when it is unknown."""
        if self.truth is None:
            return None
        return self.result.low <= self.truth.effect <= self.result.high

    def text(self) -> str:
        estimate = (f"The estimate is {points(self.result.estimate)} "
                    f"({self.result.confidence:.0%} interval {points(self.result.low)} to "
                    f"{points(self.result.high)}).")
        if self.truth is None:
            return (f"{estimate} A real city never gets to see the true effect: no one knows "
                    "what would have happened without the change. That is why the design "
                    "matters: a fair comparison group, a placebo test on the weeks before, "
                    "and an honest interval are all a city has to go on.")
        sample = ""
        if self.truth.in_sample is not None:
            sample = (f" In the requests the generator actually drew, luck made it "
                      f"{points(self.truth.in_sample)}.")
        verdict = ("contains the true effect" if self.covered else
                   "misses the true effect, which a 95% interval should do in about one city in "
                   "twenty")
        return (f"The generator planted a pilot that changes the chance of an on-time repair "
                f"in {self.truth.district} by {points(self.truth.effect)}: the true effect."
                f"{sample} {estimate} The interval {verdict}.")

    def __str__(self) -> str:
        return self.text()

    __repr__ = __str__  # plain text shows the words, not the fields

    def _repr_html_(self) -> str:
        return f'<p class="cda-metric">{html.escape(self.text())}</p>'


def truth_check(result: DidResult, truth: PlantedTruth | None,
                plan: EvaluationPlan | None = None) -> TruthCheck:
    """Set the estimate beside the truth; a plan other than the planted one has none."""
    if plan is not None and truth is not None and (
            plan.kind != PLANTED or (plan.district, plan.service_code, plan.start)
            != (truth.district, truth.service_code, truth.start)):
        truth = None
    return TruthCheck(result, truth)


# --- the record -----------------------------------------------------------------------------


def evaluation_record(result: DidResult, plan: EvaluationPlan,
                      truth: PlantedTruth | None = None) -> dict[str, Any]:
    """The estimate as plain values, for the workspace and the cohort page."""
    placebo = result.placebo
    check = truth_check(result, truth, plan)
    return {
        "plan": plan.kind, "district": plan.district, "service_code": plan.service_code,
        "start": plan.start.date().isoformat(),
        "comparison_districts": list(result.comparison),
        "estimate": result.estimate, "low": result.low, "high": result.high,
        "confidence": result.confidence,
        "interval_excludes_zero": bool(result.interval_excludes_zero),
        "treated_before": result.treated_before, "treated_after": result.treated_after,
        "comparison_before": result.comparison_before,
        "comparison_after": result.comparison_after,
        "weeks_before": int(result.weeks_before), "weeks_after": int(result.weeks_after),
        "requests": dict(result.requests),
        "placebo_estimate": None if placebo is None else placebo.estimate,
        "placebo_low": None if placebo is None else placebo.low,
        "placebo_high": None if placebo is None else placebo.high,
        "true_effect": None if check.truth is None else check.truth.effect,
        "interval_contains_truth": check.covered,
        "summary": result.summary(),
    }


def record_evaluation(workspace: Workspace, result: DidResult, plan: EvaluationPlan,
                      truth: PlantedTruth | None = None) -> dict[str, Any]:
    """Save the estimate in the city's workspace (under ``evaluation_did``) and return it."""
    record = evaluation_record(result, plan, truth)
    workspace.record(WORKSPACE_KEY, record, module=MODULE)
    return record
