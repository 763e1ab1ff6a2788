"""Exercises 1.2: measuring performance (the exercise set of page 1.2).

Seven exercises: the median days to close of the request type with the most requests still
open (counting them, as the KPI suite does), why the mean sits far above the median, the
share closed within the service standard (leaving out requests still within it), what
dropping open requests does, how to read the composite score, scoring a metric where lower
is better, and a metric for the next stat meeting. Every expected answer comes from the
KPI suite (:mod:`cda_lib.metrics.kpi`) and :mod:`cda_lib.themes.lead.performance` on the
city's own data.

>>> from types import SimpleNamespace
>>> result = SimpleNamespace(metrics=pd.DataFrame({
...     "metric": [performance.BACKLOG_METRIC], "actual": [200.0], "target": [150.0]}))
>>> _score_lower_is_better(result)
0.75
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from cda_lib.exercises.exercise import Buttons, CityMemo, Exercise, Mistake, TextBox, always
from cda_lib.exercises.feedback import HintTier
from cda_lib.exercises.kinds import Choice, Number, Reflection
from cda_lib.metrics import composite, kpi
from cda_lib.metrics.outcomes import request_outcomes
from cda_lib.metrics.periods import describe_period, period_bounds, period_label
from cda_lib.metrics.selection import select_requests
from cda_lib.themes.lead import performance

if TYPE_CHECKING:
    from cda_lib.data import CityData

SET_ID = "1.2"
NOTEBOOK = "01_lead/02_measuring_performance.ipynb"
# Days to close are read to a tenth of a day: ±0.05 accepts any correct rounding.
DAYS_TOLERANCE = 0.05
# Shares are read to a tenth of a percentage point (three decimals).
SHARE_TOLERANCE = 0.001
# Scores are read to two decimals, as the composite chart prints them.
SCORE_TOLERANCE = 0.005
_memo = CityMemo()



# --- the request type with the most requests still open -----------------------------------


def slow_type(data: CityData) -> pd.Series:
    """The request type with the largest share still open: its name, requests and open ones."""
    def compute():
        name = performance.most_open_type(data.requests, as_of=data.as_of)
        row = kpi.kpi_table(select_requests(data.requests, service_code=name), None,
                            as_of=data.as_of, by=()).iloc[0]
        return pd.Series({"service_name": name, "requests": int(row["requests"]),
                          "still_open": int(row["still_open"])})
    return _memo("slow_type", data, compute)


def _slow_requests(data: CityData) -> pd.DataFrame:
    return select_requests(data.requests, service_code=slow_type(data)["service_name"])


def km_median(data: CityData) -> float:
    """The slow type's median days to close, open requests counted (Kaplan–Meier)."""
    result = kpi.median_days_to_close(_slow_requests(data), as_of=data.as_of)
    return float(result)


def _closed_days(data: CityData) -> pd.Series:
    outcomes = request_outcomes(_slow_requests(data), None, as_of=data.as_of)
    return outcomes.loc[outcomes["closed"], "days"]


def _open_as_closed_median(data: CityData) -> float:
    outcomes = request_outcomes(_slow_requests(data), None, as_of=data.as_of)
    return float(outcomes["days"].median())


# --- the on-time share of the most common type --------------------------------------------


def _standard_type(data: CityData) -> pd.Series:
    """The most common request type that has a service standard: name, code, days."""
    def compute():
        standards = data.city.service_standards
        name = performance.most_common_type(data.requests, standards)
        chosen = select_requests(data.requests, service_code=name)
        code = str(chosen["service_code"].iloc[0])
        return pd.Series({"name": name, "code": code, "days": float(standards[code])})
    return _memo("standard_type", data, compute)


def _quarter(data: CityData) -> str:
    return _memo("quarter", data, lambda: performance.latest_full_period(data.requests,
                                                                         as_of=data.as_of))


def _quarter_kpis(data: CityData, whole_period: bool = False) -> pd.Series:
    chosen = select_requests(data.requests, service_code=_standard_type(data)["code"],
                                 period=None if whole_period else _quarter(data))
    return kpi.kpi_table(chosen, data.city.service_standards, as_of=data.as_of,
                         by=()).iloc[0]


def on_time_share(data: CityData) -> float:
    """The most common type's share within its standard, last full quarter, pending left out."""
    value = _quarter_kpis(data)["on_time_share"]
    if pd.isna(value):
        raise ValueError("too few requests past their standard in the last full quarter")
    return float(value)


def _pending_as_late(data: CityData) -> float:
    row = _quarter_kpis(data)
    return float(row["on_time_count"] / row["requests"])


def _closed_denominator(data: CityData) -> float:
    kinds = _standard_type(data)
    chosen = select_requests(data.requests, service_code=kinds["code"],
                                 period=_quarter(data))
    outcomes = request_outcomes(chosen, data.city.service_standards, as_of=data.as_of)
    closed = outcomes[outcomes["closed"]]
    return float((closed["days"] <= kinds["days"]).sum() / len(closed))


# --- the composite ------------------------------------------------------------------------


def city_score(data: CityData) -> composite.CompositeScore:
    """The composite of the last full quarter, as page 1.2 computes it (default target and cap)."""
    def compute():
        metrics = performance.composite_metrics(data.requests, data.city.service_standards,
                                                as_of=data.as_of, period=_quarter(data))
        return composite.city_score(composite.score_metrics(metrics))
    return _memo("city_score", data, compute)


def _backlog_row(data: CityData) -> pd.Series:
    _score_lower_is_better(city_score(data))  # says why when there is no backlog metric
    return city_score(data).metrics.set_index("metric").loc[performance.BACKLOG_METRIC]


def backlog_score(data: CityData) -> float:
    """The backlog's score before any cap: target ÷ actual (lower is better)."""
    return _score_lower_is_better(city_score(data))


def _score_lower_is_better(result) -> float:
    metrics = result.metrics.set_index("metric")
    if performance.BACKLOG_METRIC not in metrics.index:
        raise ValueError("there is no year before the quarter to set the backlog's target from")
    row = metrics.loc[performance.BACKLOG_METRIC]
    return float(row["target"] / row["actual"])



# --- facts for the messages ---------------------------------------------------------------


def _slow_facts(data: CityData) -> dict[str, Any]:
    row = slow_type(data)
    closed = _closed_days(data)
    return {"slow_type": row["service_name"], "share_open": row["still_open"] / row["requests"],
            "km": km_median(data), "naive": float(closed.median()),
            "mean": float(closed.mean())}


def _mean_facts(data: CityData) -> dict[str, Any]:
    outcomes = request_outcomes(data.requests, None, as_of=data.as_of)
    days = outcomes.loc[outcomes["closed"], "days"]
    slowest = days.quantile(0.95)
    return {"mean": float(days.mean()), "median": float(days.median()),
            "slowest": float(slowest),
            "slow_share": float((days > days.mean()).mean())}


def _on_time_facts(data: CityData) -> dict[str, Any]:
    kinds = _standard_type(data)
    row = _quarter_kpis(data)
    return {"type": kinds["name"], "days": kinds["days"],
            "quarter": describe_period(_quarter(data)), "quarter_label": _quarter(data),
            "known": int(row["on_time_known"]), "on_time": int(row["on_time_count"]),
            "pending": int(row["on_time_pending"]), "share": float(row["on_time_share"])
            if pd.notna(row["on_time_share"]) else 0.0}


def _score_facts(data: CityData) -> dict[str, Any]:
    result = city_score(data)
    worst = result.bottom(1).iloc[0]
    return {"score": result.value or 0.0, "metrics": len(result.used),
            "quarter": describe_period(_quarter(data)),
            "worst": worst["metric"], "worst_score": float(worst["score"]),
            "meeting": int((result.used["score"] >= 1).sum())}


def _backlog_facts(data: CityData) -> dict[str, Any]:
    row = _backlog_row(data)
    end = period_bounds(_quarter(data))[1]
    return {"actual": float(row["actual"]), "target": float(row["target"]),
            "month": describe_period(period_label(end, "month")),
            "score": float(row["target"] / row["actual"])}


# --- the exercises -----------------------------------------------------------------------

MEDIAN_COUNTING_OPEN = Exercise(
    id="1.2.1",
    title="The median, counting open requests",
    question="What is the median days to close of the request type with the largest share "
             "of requests still open (slow_type, set in the cell above), counting the open "
             "requests as the workbook does?",
    kind=Number(absolute=DAYS_TOLERANCE, unit="days"),
    expected=km_median,
    facts=_slow_facts,
    right="Counting the open requests, half of {slow_type} requests close within {km:.1f} days. "
          "The closed ones alone would say {naive:.1f}.",
    why="The requests still open are the slow ones. Leaving them out makes the service look "
        "faster than residents find it; the workbook counts each open request for as long as "
        "it has waited (a Kaplan–Meier estimate).",
    next_step="Choose the {slow_type} requests with select_requests, then use "
              "median_days_to_close with as_of=data.as_of.",
    mistakes=(
        Mistake("open requests dropped", lambda data: float(_closed_days(data).median()),
                "{given} is the median of the closed requests only: it leaves out the "
                "{share_open:.0%} still open, which are the slowest.",
                "Use median_days_to_close, which counts the open requests."),
        Mistake("mean of closed requests", lambda data: float(_closed_days(data).mean()),
                "{given} is the average (mean) of the closed requests: pulled up by the slowest "
                "and still blind to the open ones.", "Use median_days_to_close."),
        Mistake("open requests counted as closed", _open_as_closed_median,
                "{given} counts the open requests as if they had closed on the day the data was "
                "extracted. They have not closed yet, and will take longer.",
                "Use median_days_to_close, which treats them as still waiting."),
    ),
    hints=(
        HintTier("The workbook has a function for this that counts open requests: "
                 "median_days_to_close."),
        HintTier("First keep the {slow_type} requests: select_requests(requests, "
                 "service_code=\"{slow_type}\") accepts a name or a code."),
        HintTier("In two lines (slow_type holds the name \"{slow_type}\"):",
                 "chosen = select_requests(requests, service_code=slow_type)\n"
                 "answer = median_days_to_close(chosen, as_of=data.as_of).value"),
    ),
)

MEAN_OR_MEDIAN = Exercise(
    id="1.2.2",
    title="Why is the mean so far above the median?",
    question="Across all of {city}'s closed requests, the mean time to close is {mean:.1f} days "
             "and the median {median:.1f} days. Why are they so far apart?",
    kind=Choice(options=(
        ("A", "A few requests take months and pull the mean up; the median is what a typical "
              "resident waits."),
        ("B", "The median leaves out the slowest requests."),
        ("C", "The data has errors in its dates."),
        ("D", "Most requests take about as long as the mean says."),
    )),
    expected=always("A"),  # the concept is the same in every city; the message uses its data
    facts=_mean_facts,
    widget=Buttons(),
    start="Choose an answer; the feedback appears here.",
    right="Waits are skewed: most requests close quickly and a few take months. The slowest 5% "
          "took more than {slowest:.0f} days, and only {slow_share:.0%} of requests took longer "
          "than the mean.",
    why="Report the median (with the 90th percentile for the slow tail), so the figure "
        "describes a real resident's wait; the mean moves with a handful of old cases.",
    next_step="Think about what a few very slow requests do to an average.",
    mistakes=(
        Mistake("the median drops the slow ones", always("B"),
                "The median counts every request: it is the middle one when all are lined up "
                "by time. The slow ones are there; they simply cannot pull it."),
        Mistake("skew read as errors", always("C"),
                "The dates passed the quality checks. Slow requests are real (sidewalks and "
                "trees take months), and skew is normal for waiting times."),
        Mistake("the mean as typical", always("D"),
                "Half of the requests close within {median:.1f} days, and only {slow_share:.0%} "
                "take longer than the mean: the mean describes almost nobody's wait."),
    ),
    hints=(
        HintTier("Picture nine requests closing in a day and one closing after 91 days."),
        HintTier("Their median is 1 day; their mean is 10 days. Which describes the typical "
                 "wait?"),
        HintTier("Look for the answer that explains the gap by a few slow requests."),
    ),
)

ON_TIME = Exercise(
    id="1.2.3",
    title="Closed within the standard",
    question="What share of the requests of the most common type with a service standard "
             "(common_type, set in the cell above) opened in the last full quarter (quarter) "
             "were closed within the city's standard? Count it as the workbook does: leave out "
             "the requests still within their standard. Give a share to three decimals.",
    kind=Number(absolute=SHARE_TOLERANCE, share=True),
    expected=on_time_share,
    facts=_on_time_facts,
    right="{on_time:,} of the {known:,} {type} requests past their standard were closed within "
          "{days:g} days ({share:.1%}); {pending:,} more were still within it and are not "
          "counted yet.",
    why="A request younger than its standard can still close on time or late. Counting it as "
        "late makes the latest weeks look worse; counting the fast ones that already closed "
        "makes them look better. Leaving them out until their standard has passed is fair.",
    next_step="Use on_time_share on the {type} requests of {quarter}, with the city's service "
              "standards.",
    mistakes=(
        Mistake("pending counted as late", _pending_as_late,
                "{given} divides by every request of the quarter, so the {pending:,} still "
                "within their standard count as late.",
                "Divide by the requests whose standard has passed ({known:,})."),
        Mistake("closed requests as the base", _closed_denominator,
                "{given} is the share of closed requests that closed within {days:g} days. It "
                "leaves out the open requests that are already late, and counts young ones that "
                "happened to close fast.", "Use on_time_share, which counts each request once "
                                           "its standard has passed."),
        Mistake("whole period, not the quarter",
                lambda data: float(_quarter_kpis(data, whole_period=True)["on_time_share"]),
                "{given} is the share over the whole data, not {quarter}.",
                "Choose the quarter first: select_requests(..., period=...)."),
    ),
    hints=(
        HintTier("Keep the {type} requests opened in {quarter}, then use the workbook's "
                 "on_time_share."),
        HintTier("select_requests takes service_code and period (\"{quarter_label}\" is "
                 "{quarter}); on_time_share needs data.city.service_standards and "
                 "as_of=data.as_of."),
        HintTier("In two lines (common_type holds \"{type}\" and quarter \"{quarter_label}\"):",
                 "chosen = select_requests(requests, service_code=common_type, period=quarter)\n"
                 "answer = on_time_share(chosen, data.city.service_standards, "
                 "as_of=data.as_of).value"),
    ),
)

OPEN_DROPPED = Exercise(
    id="1.2.4",
    title="What does dropping open requests do?",
    question="A report computes the median days to close from closed requests only, dropping "
             "those still open. Compared with the workbook's median, the report's figure "
             "will be...",
    kind=Choice(options=(
        ("A", "smaller: the service looks faster than residents find it."),
        ("B", "larger: the service looks slower than it is."),
        ("C", "the same: open requests have no time to close yet, so they do not count."),
        ("D", "smaller or larger, by chance."),
    )),
    expected=always("A"),
    facts=_slow_facts,
    widget=Buttons(),
    start="Choose an answer; the feedback appears here.",
    right="Open requests are the ones still waiting, and they wait longer than the ones already "
          "closed. For {slow_type}, dropping them gives a median of {naive:.1f} days; counting "
          "them, {km:.1f}.",
    why="The latest months are flattered most: their slow requests have not closed yet. That "
        "is how a dashboard can show a service improving while residents wait longer.",
    next_step="Which requests are still open: the fast ones or the slow ones?",
    mistakes=(
        Mistake("open read as fast", always("B"),
                "The requests still open have waited at least as long as they have been open, "
                "and most will wait longer: leaving them out removes slow requests, not fast "
                "ones."),
        Mistake("open requests ignored", always("C"),
                "They have no closing date, but they do have a wait: at least from the request "
                "to the extract. Ignoring them leaves out the slowest requests."),
        Mistake("the effect read as chance", always("D"),
                "It always goes the same way: the requests left out are the slow ones, so the "
                "figure always looks faster."),
    ),
    hints=(
        HintTier("Which requests are still open when the data is extracted?"),
        HintTier("A request still open after 60 days will take at least 60 days."),
        HintTier("Dropping the slowest requests from a median moves it which way?"),
    ),
)

READ_THE_SCORE = Exercise(
    id="1.2.5",
    title="Reading the city score",
    question="{city}'s city score for {quarter} is {score:.2f}, across {metrics} metrics. What "
             "does it tell you?",
    kind=Choice(options=(
        ("A", "Every metric meets its target."),
        ("B", "It is the average of the metric scores: read it with the bottom five, where "
              "metrics can be far below target even when the average looks fine."),
        ("C", "It is the share of metrics that meet their target."),
        ("D", "Metrics far above target make up for those below, so none needs attention."),
    )),
    expected=always("B"),
    facts=_score_facts,
    widget=Buttons(),
    start="Choose an answer; the feedback appears here.",
    right="The score averages {metrics} metric scores; {meeting} of them meet their target, and "
          "the worst, {worst}, scores {worst_score:.2f}.",
    why="One number is good for a headline and a trend, and poor for a decision: the meeting "
        "spends its time on the bottom five, and the cap (1.25) stops one excellent metric from "
        "hiding them.",
    next_step="Think about what an average can hide.",
    mistakes=(
        Mistake("the score read as every metric", always("A"),
                "An average can sit near 1 while some metrics are far below: {worst} scores "
                "{worst_score:.2f}."),
        Mistake("the score read as a share", always("C"),
                "{meeting} of the {metrics} metrics meet their target, but the score is the "
                "average of the metric scores (actual ÷ target), not that share."),
        Mistake("the average read as cover", always("D"),
                "That is what the cap guards against: no metric counts more than 1.25, and the "
                "bottom five are shown beside the score so none is hidden."),
    ),
    hints=(
        HintTier("Each metric gets a score: actual ÷ target (the other way when lower is "
                 "better)."),
        HintTier("The city score is the plain average of those scores."),
        HintTier("What can an average hide, and what is shown beside the score to stop that?"),
    ),
)

SCORE_LOWER_IS_BETTER = Exercise(
    id="1.2.6",
    title="Scoring a metric where lower is better",
    question="The backlog's row of the composite (backlog, shown above) gives the requests "
             "still open at the end of the quarter and the target CityScore's historic rule "
             "sets for them. Fewer is better. What is the backlog's score, before any cap? Give "
             "two decimals.",
    kind=Number(absolute=SCORE_TOLERANCE),
    expected=backlog_score,
    facts=_backlog_facts,
    right="Target ÷ actual: {target:,.1f} ÷ {actual:,.0f} = {score:.2f}. Below 1, because more "
          "requests are open than the target allows.",
    why="When lower is better the score is turned round (target ÷ actual), so that above 1 "
        "always means better than target and the scores of different metrics can be averaged.",
    next_step="For a metric where lower is better, divide the target by the actual value.",
    mistakes=(
        Mistake("not turned round", lambda data: 1 / backlog_score(data),
                "{given} is actual ÷ target. Where lower is better that would reward a growing "
                "backlog.", "Divide the target by the actual value instead."),
        Mistake("a difference, not a ratio", lambda data: float(
            _backlog_row(data)["target"] - _backlog_row(data)["actual"]),
                "{given} is a difference in requests; a score is a ratio, so metrics of "
                "different units can be averaged.", "Divide the target by the actual value."),
        Mistake("capped", lambda data: min(backlog_score(data), composite.DEFAULT_CAP),
                "{given} is the score after the 1.25 cap; the question asks for it before any "
                "cap.", "Leave the cap out."),
    ),
    hints=(
        HintTier("A score is a ratio of the actual value and the target."),
        HintTier("Higher is better: actual ÷ target. Lower is better: target ÷ actual."),
        HintTier("Here: {target:,.1f} ÷ {actual:,.0f}, or in code:",
                 'answer = backlog["target"] / backlog["actual"]'),
    ),
)

STAT_MEETING_METRIC = Exercise(
    id="1.2.7",
    title="A metric for your next stat meeting",
    question="Which metric from this page would you bring to your next stat meeting, and what "
             "would you ask the person who owns it?",
    kind=Reflection(),
    expected=always(None),
    widget=TextBox(placeholder="The metric ... because ... I would ask ..."),
    start="Write your reflection in the box and press Save.",
    right="",
    why="",
    next_step="",
    hints=(
        HintTier("Look at the bottom five of the composite, and at the types whose median is "
                 "far from their standard."),
        HintTier("A good question asks what changed and what the owner needs, not who is to "
                 "blame."),
        HintTier("For example: \"Tree maintenance closes 46% within its standard. What is "
                 "holding the oldest requests, and what would clear them by the next meeting?\""),
    ),
)

EXERCISES = (MEDIAN_COUNTING_OPEN, MEAN_OR_MEDIAN, ON_TIME, OPEN_DROPPED, READ_THE_SCORE,
             SCORE_LOWER_IS_BETTER, STAT_MEETING_METRIC)
