"""Evaluating one change in a city: which change, how to read the estimate, the record.

:mod:`cda_lib.metrics.evaluation` computes a difference-in-differences; this module sets one up
for a city and helps read it (page 1.4, *Did it work?*):

* :func:`evaluation_plan`: which change to evaluate. A synthetic city carries the pilot
  its generator planted (:func:`cda_lib.synth.pilots.planted_intervention`); a city with real
  data gets a *practice* start date at which nothing is known to have changed (its true
  effect is about zero), unless the user names a real change.
* :func:`similar_districts`: a second, narrower comparison group, to see whether the
  answer depends on the choice.
* :func:`placebo_sentence`, :func:`leader_reading`: the parallel-trends check and the
  interval in words, with what a leader may and may not conclude.
* :func:`truth_check`: the estimate against the effect the generator planted
  (:func:`cda_lib.themes.lead.pilot_truth.planted_truth`). A real city never sees this.
* :func:`record_evaluation`: the result, in the city's workspace.

Why a plain before/after misleads (the seasons) is :mod:`cda_lib.themes.lead.pilot_seasons`.

>>> import pandas as pd
>>> plan = EvaluationPlan("North", "POTHOLE", "Pothole repair", pd.Timestamp("2025-04-01"))
>>> print(plan)
The change you named: pothole repair requests in North, from 1 April 2025.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from cda_lib.core.errors import list_choices
from cda_lib.core.workspace import Workspace
from cda_lib.metrics.evaluation import DidResult, EvaluationError, difference_in_differences
from cda_lib.metrics.selection import select_requests
from cda_lib.synth import pilots
from cda_lib.text.dates import format_date
from cda_lib.text.numbers import format_bound, format_percent, format_points
from cda_lib.text.translation import N_, gettext as _
from cda_lib.themes.lead.pilot_truth import PlantedTruth

if TYPE_CHECKING:
    from cda_lib.data import CityData

PLANTED, PRACTICE, CHOSEN = "planted", "practice", "chosen"  # where a plan comes from
# The practice start for real data uses the generator's rule (the first day of the month
# after 60% of the period): a long "before" to check parallel trends, a fair "after".
PRACTICE_START_SHARE = pilots.INTERVENTION_START_SHARE
PREFERRED_SERVICE_CODE = pilots.INTERVENTION_SERVICE_CODE  # the practice run's first choice
SIMILAR_DISTRICTS = 2  # a narrow comparison group: the two most alike, still two districts
SIMILAR_BY = "share_low_income"  # the pilot went to the district that waited longest
WORKSPACE_KEY = "evaluation_did"  # the workspace record of page 1.4's estimate
# The headings of a leader's reading, in the order they are shown.
READING_HEADINGS = (N_("You can say"), N_("You should not say"), N_("What to do next"))


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
        values = {"when": format_date(self.start, "long"), "what": self.service_name.lower(),
                  "district": self.district}
        if self.kind == PLANTED:
            factor = self.close_time_factor
            values["speed"] = _("half the time") if factor == 0.5 else \
                _("{factor:g} times the time", factor=factor)
            return _("From {when}, {district} closed {what} requests in {speed} they used to "
                     "take, as if it had a second repair crew. The data generator planted this "
                     "pilot, so its true effect is known.", **values)
        if self.kind == PRACTICE:
            return _("A practice run: {when} in {district}, {what} requests. Nothing is known "
                     "to have changed then, so the true effect is probably zero. To evaluate a "
                     "real change, name its district, request type and start.", **values)
        return _("The change you named: {what} requests in {district}, from {when}.", **values)

    def __str__(self) -> str:
        return self.describe()

    def _repr_html_(self) -> str:
        return f'<p class="cda-metric">{html.escape(self.describe())}</p>'


def evaluation_plan(data: CityData, *, district: str | None = None,
                    service_code: str | None = None, start=None) -> EvaluationPlan:
    """The change to evaluate in a city: its planted pilot, a practice run, or one you name.

    With no arguments, a synthetic city gets its planted pilot and a city with real data
    a practice run (see the module docstring). Any of ``district``, ``service_code``
    (a code or a name) and ``start`` replaces that part of the default plan; so does the
    city file's ``pilot:`` (its ``district``, ``service`` and ``start``), where a coach
    names the change the city wants to evaluate.
    """
    requests = data.requests
    plan = _planted_plan(data) if data.is_synthetic else _practice_plan(data)
    named = getattr(data.city, "pilot", None) or {}  # what the coach named in the city file
    district = named.get("district") if district is None else district
    service_code = named.get("service") if service_code is None else service_code
    start = named.get("start") if start is None else start
    if district is None and service_code is None and start is None:
        return plan
    code = plan.service_code if service_code is None else _service_code(requests, service_code)
    chosen_district = plan.district if district is None else str(district)
    select_requests(requests, district=chosen_district)  # an unknown one: did-you-mean
    when = plan.start if start is None else _timestamp(start)
    return EvaluationPlan(chosen_district, code, _service_name(requests, code), when, CHOSEN)


def _planted_plan(data: CityData) -> EvaluationPlan:
    pilot = pilots.planted_intervention(data.city)
    return EvaluationPlan(pilot.district, pilot.service_code,
                          _service_name(data.requests, pilot.service_code), pilot.start,
                          PLANTED, pilot.close_time_factor)


def _practice_plan(data: CityData) -> EvaluationPlan:
    requests = data.requests
    standards = data.city.service_standards
    codes = requests["service_code"].dropna().astype(str)
    with_standard = codes[codes.isin(list(standards))]
    if with_standard.empty:
        raise EvaluationError(_(
            "None of {city}'s request types has a service standard, so there is no on-time "
            "share to evaluate. Add service_standards to the city file (days to close per "
            "request type).", city=data.city.name))
    counts = with_standard.value_counts().sort_index().sort_values(ascending=False, kind="stable")
    code = PREFERRED_SERVICE_CODE if PREFERRED_SERVICE_CODE in counts.index else counts.index[0]
    chosen = requests[(requests["service_code"] == code).to_numpy()]
    districts = chosen["district"].dropna().astype(str).value_counts().sort_index()
    if districts.empty:
        raise EvaluationError(_("No {code} request has a district, so no district can be "
                                "compared with the others.", code=code))
    district = str(districts.sort_values(ascending=False, kind="stable").index[0])
    return EvaluationPlan(district, code, _service_name(requests, code),
                          practice_start(requests["requested_datetime"]), PRACTICE)


def practice_start(opened: pd.Series) -> pd.Timestamp:
    """The first day of the month after 60% of the requests' period (the generator's rule).

    >>> practice_start(pd.Series(pd.to_datetime(["2024-01-01", "2025-12-31"])))
    Timestamp('2025-04-01 00:00:00')

    When that month begins after the data ends, the start is the Monday on or after that
    point, or the point's own day when that Monday is past the end too, so the start always
    falls inside the data:

    >>> practice_start(pd.Series(pd.to_datetime(["2020-02-03", "2020-03-29"])))
    Timestamp('2020-03-09 00:00:00')
    """
    first, last = opened.min(), opened.max()
    if pd.isna(first):
        raise EvaluationError(_("There are no requests, so there is no period to evaluate."))
    point = first.normalize() + (last.normalize() - first.normalize()) * PRACTICE_START_SHARE
    month = point.normalize().replace(day=1)
    start = month if month == point else month + pd.DateOffset(months=1)
    if start <= last.normalize():
        return start
    monday = point.normalize() + pd.Timedelta(days=(7 - point.weekday()) % 7)
    return monday if monday <= last.normalize() else point.normalize()


def _service_code(requests: pd.DataFrame, wanted: str) -> str:
    chosen = select_requests(requests, service_code=wanted)  # did-you-mean on a typo
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
        raise EvaluationError(_('The start "{value}" is not a date the workbook can read. '
                                'Write it as year-month-day, e.g. "2025-04-01".', value=value))
    return stamp.normalize()


def evaluate(data: CityData, plan: EvaluationPlan | None = None, *,
             comparison_districts: list[str] | None = None) -> DidResult:
    """The difference-in-differences for a plan (default: :func:`evaluation_plan`)."""
    plan = plan if plan is not None else evaluation_plan(data)
    return difference_in_differences(
        data.requests, data.city.service_standards, as_of=data.as_of,
        treated_district=plan.district, start=plan.start, service_code=plan.service_code,
        comparison_districts=comparison_districts)


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
        raise EvaluationError(_('The districts table has no column "{column}". It has '
                                "{columns}.", column=by,
                                columns=list_choices(map(str, districts.columns))))
    table = districts[["district", by]].dropna()
    names = table["district"].astype(str).tolist()
    if district not in names:
        raise EvaluationError(_('The districts table has no district "{district}" with a '
                                "value for {column}. It has {districts}.", district=district,
                                column=by, districts=list_choices(names)))
    value = float(table.loc[table["district"] == district, by].iloc[0])
    others = table[table["district"] != district].assign(distance=lambda t: (t[by] - value).abs())
    others = others.sort_values(["distance", "district"], kind="stable")
    return others["district"].astype(str).head(n).tolist()


def placebo_sentence(result: DidResult) -> str:
    """The parallel-trends check in words: the placebo test on the before weeks."""
    placebo = result.placebo
    if placebo is None:
        return _("There were too few weeks before the start for a placebo test (at least 16 "
                 "are needed), so whether the groups moved in parallel cannot be checked.")
    text = _("Pretending the change started on {start}, halfway through the {weeks} weeks "
             "before the real start, the difference in differences over those weeks alone is "
             "{estimate} ({level} interval {low} to {high}).", start=format_date(placebo.start),
             weeks=result.weeks_before, estimate=format_points(placebo.estimate),
             level=format_percent(placebo.confidence), low=format_bound(placebo.low),
             high=format_bound(placebo.high))
    if placebo.interval_excludes_zero:
        return text + " " + _("The interval leaves out zero: the groups were already drifting "
                              "apart before the change, so the comparison may credit the "
                              "change with a gap that was opening anyway.")
    return text + " " + _("The interval includes zero: as far as the data can tell, the groups "
                          "moved in parallel before the change, as the comparison needs.")


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
        for heading, items in zip(READING_HEADINGS, (self.may_say, self.should_not_say,
                                                     self.next_steps), strict=True):
            parts.append(_("{heading}:", heading=_(heading)))
            parts += [f"- {item}" for item in items]
        return "\n".join(parts)

    __repr__ = __str__  # plain text shows the words, not the fields

    def _repr_html_(self) -> str:
        blocks = [f"<p><strong>{html.escape(self.verdict)}</strong></p>"]
        for heading, items in zip(READING_HEADINGS, (self.may_say, self.should_not_say,
                                                     self.next_steps), strict=True):
            listed = "".join(f"<li>{html.escape(item)}</li>" for item in items)
            title = html.escape(_("{heading}:", heading=_(heading)))
            blocks.append(f"<p>{title}</p><ul>{listed}</ul>")
        return f'<div class="cda-reading">{"".join(blocks)}</div>'


def leader_reading(result: DidResult) -> LeaderReading:
    """Read a difference-in-differences the way a leader needs it, from its interval."""
    values = {"estimate": format_points(result.estimate), "low": format_bound(result.low),
              "high": format_bound(result.high), "level": format_percent(result.confidence),
              "district": result.treated}
    reading = _unclear_reading(result, values) if not result.interval_excludes_zero else \
        _clear_reading(result, values)
    if result.placebo is not None and result.placebo.interval_excludes_zero:
        reading = LeaderReading(
            verdict=reading.verdict + " " + _("Caution: the placebo test found the groups "
                                              "drifting apart before the start, so the "
                                              "comparison may be unfair."),
            may_say=reading.may_say, should_not_say=reading.should_not_say,
            next_steps=(_("Try a comparison group that moved in parallel before the start (for "
                          "example the most similar districts) and compare the answers."),
                        *reading.next_steps))
    return reading


def _unclear_reading(result: DidResult, values: dict[str, str]) -> LeaderReading:
    """The reading of an interval that includes zero: not enough data to tell yet."""
    return LeaderReading(
        verdict=_("The {level} interval, {low} to {high}, includes zero: the data cannot yet "
                  "tell this change from chance.", **values),
        may_say=(_("{district}'s on-time share moved {estimate} against the comparison "
                   "districts: an encouraging sign, measured fairly.", **values)
                 if result.estimate > 0 else
                 _("{district}'s on-time share moved {estimate} against the comparison "
                   "districts.", **values),
                 _("The data fit anything from {low} to {high}: no effect at all, or a large "
                   "one.", **values)),
        should_not_say=(_("\"The change did not work.\" An interval that includes zero is not "
                          "evidence of no effect: it says there is not enough data to tell."),
                        _("\"The change improved on-time repairs by {estimate}.\" That is the "
                          "middle of a wide range; promising it would be promising a guess.",
                          **values)),
        next_steps=(_("Keep the change running and keep measuring: the interval narrows as "
                      "weeks accumulate (four times the weeks roughly halves its width)."),
                    _("Decide now what result would make you scale it up or stop it, before "
                      "the next numbers arrive."),
                    _("Look at other evidence meanwhile: crew logs, repeat requests, what "
                      "residents say.")))


def _clear_reading(result: DidResult, values: dict[str, str]) -> LeaderReading:
    """The reading of an interval that leaves out zero: a real change, one way or the other."""
    better = result.estimate > 0
    return LeaderReading(
        verdict=_("The {level} interval, {low} to {high}, leaves out zero: the change is bigger "
                  "than the usual ups and downs.", **values),
        may_say=(_("{district}'s on-time share very likely rose because of the change, by "
                   "between {low} and {high} against comparable districts; the best single "
                   "estimate is {estimate}.", **values) if better else
                 _("{district}'s on-time share very likely fell because of the change, by "
                   "between {low} and {high} against comparable districts; the best single "
                   "estimate is {estimate}.", **values),),
        should_not_say=(_("\"It will do the same everywhere.\" This is one district over one "
                          "period; other districts have other streets, crews and demand."),
                        _("\"The data proves it.\" The design is only as fair as its "
                          "comparison group: check the placebo test, and ask whether anything "
                          "else changed in that district at the same time.")),
        next_steps=((_("Weigh the gain against the cost, and plan any rollout district by "
                       "district, so each new start has its own comparison group.")
                     if better else
                     _("Find out why it made things worse before changing anything else, and "
                       "consider stopping it.")),
                    _("Keep measuring: an effect can fade once the novelty wears off.")))


# --- the truth against the estimate (synthetic cities only) -------------------------------


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
        estimate = _("The estimate is {estimate} ({level} interval {low} to {high}).",
                     estimate=format_points(self.result.estimate),
                     level=format_percent(self.result.confidence),
                     low=format_bound(self.result.low), high=format_bound(self.result.high))
        if self.truth is None:
            return estimate + " " + _(
                "A real city never gets to see the true effect: no one knows what would have "
                "happened without the change. That is why the design matters: a fair "
                "comparison group, a placebo test on the weeks before, and an honest interval "
                "are all a city has to go on.")
        parts = [_("The generator planted a pilot that changes the chance of an on-time repair "
                   "in {district} by {effect}: the true effect.", district=self.truth.district,
                   effect=format_points(self.truth.effect))]
        if self.truth.in_sample is not None:
            parts.append(_("In the requests the generator actually drew, luck made it "
                           "{effect}.", effect=format_points(self.truth.in_sample)))
        parts.append(estimate)
        parts.append(_("The interval contains the true effect.") if self.covered else
                     _("The interval misses the true effect, which a 95% interval should do in "
                       "about one city in twenty."))
        return " ".join(parts)

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
    workspace.record(WORKSPACE_KEY, record)
    return record
