"""Exercises 1.1: asking good questions of service data (the exercise set of page 1.1).

Six exercises: how volume changed over the last year, what a closing date records, which
request type swings most through the year, a request type's rate per 1,000 residents by
district, which version of a leader's question the data can answer, and a measurable
question of the participant's own. Every expected answer is computed from the city's data
with :mod:`cda_lib.themes.lead.patterns`, the functions page 1.1 uses, so the same exercises
work for every city.

>>> import pandas as pd
>>> from types import SimpleNamespace
>>> requests = pd.DataFrame({"requested_datetime": pd.to_datetime(
...     ["2024-01-20", "2024-06-01", "2025-03-01", "2025-05-01", "2025-12-01"])})
>>> data = SimpleNamespace(requests=requests, as_of=pd.Timestamp("2025-12-31"))
>>> volume_change_share(data)
0.5
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pandas as pd

from cda_lib.exercises.exercise import Buttons, Dropdown, Exercise, Mistake, TextBox, always
from cda_lib.exercises.feedback import HintTier
from cda_lib.exercises.kinds import Choice, Number, Reflection, Table
from cda_lib.text.numbers import format_percent
from cda_lib.themes.lead import patterns

if TYPE_CHECKING:
    from cda_lib.data import CityData

SET_ID = "1.1"
NOTEBOOK = "01_lead/01_asking_good_questions.ipynb"
PER_RESIDENTS = 1000  # rates per 1,000 residents, as on page 1.1
# Closure notes that mean "closed, but nothing was fixed": matched anywhere in the note,
# ignoring case, in English, Spanish and Portuguese exports (cancelled/cancelado,
# duplicate/duplicado, referred/remitido/encaminhado).
NOT_FIXED_PATTERN = r"cancel|duplicat|duplicad|referred|remitid|encaminhad"
MONTHS = (("A", "January"), ("B", "February"), ("C", "March"), ("D", "April"), ("E", "May"),
          ("F", "June"), ("G", "July"), ("H", "August"), ("I", "September"), ("J", "October"),
          ("K", "November"), ("L", "December"))
_LETTER = {name: letter for letter, name in MONTHS}


# --- expected answers, from the city's data ---------------------------------------------


def volume_change_share(data: CityData) -> float:
    """Requests in the last 12 months against the 12 before, as a share (0.08 = 8% more)."""
    change = patterns.volume_change(data.requests, as_of=data.as_of)
    if change.change is None:
        raise ValueError(change.note)
    return change.change


def _volume(data: CityData) -> patterns.VolumeChange:
    return patterns.volume_change(data.requests, as_of=data.as_of)


def swinging_type(data: CityData) -> pd.Series:
    """The peaks row of the request type (not "All requests") that swings most."""
    peaks = patterns.seasonal_peaks(patterns.seasonal_index(data.requests))
    types = peaks[peaks["name"] != "All requests"]
    if types.empty:
        raise ValueError("the data does not cover a whole month of any request type")
    return types.iloc[0]


def peak_month(data: CityData) -> str:
    """The letter of the month in which the most seasonal request type peaks."""
    return _LETTER[swinging_type(data)["peak_month"]]


def _quietest_month(data: CityData) -> str:
    return _LETTER[swinging_type(data)["quietest_month"]]


def _all_requests_peak(data: CityData) -> str:
    peaks = patterns.seasonal_peaks(patterns.seasonal_index(data.requests))
    return _LETTER[peaks.set_index("name").loc["All requests", "peak_month"]]


def top_type(data: CityData) -> str:
    """The most common request type's name."""
    return str(patterns.type_concentration(data.requests).iloc[0]["service_name"])


def _rates(data: CityData, *, all_types: bool = False) -> pd.DataFrame:
    requests = data.requests
    if not all_types:
        requests = requests[requests["service_name"].astype("string") == top_type(data)]
    rates = patterns.district_rates(requests, data.districts, per=PER_RESIDENTS)
    return rates[rates["district"] != patterns.NOT_RECORDED].set_index("district")


def type_rates_by_district(data: CityData) -> pd.Series:
    """The most common type's requests per 1,000 residents a year, by district."""
    return _rates(data)["per_1000_a_year"].dropna()


def _years(data: CityData) -> float:
    return patterns.months_covered(data.requests) / 12



# --- facts for the messages ---------------------------------------------------------------


def _volume_facts(data: CityData) -> dict[str, Any]:
    change = _volume(data)
    return {"last": change.last_12_months, "previous": change.previous_12_months or 0,
            "end": f"{change.end.day} {change.end:%B %Y}",
            "share": change.change if change.change is not None else 0.0,
            "more": "more" if (change.change or 0) >= 0 else "fewer"}


def _closure_facts(data: CityData) -> dict[str, Any]:
    requests = data.requests
    closed = requests[requests["status"].astype("string") == "closed"]
    notes = closed["status_notes"].astype("string") if "status_notes" in closed.columns else \
        pd.Series(pd.NA, index=closed.index, dtype="string")
    if notes.str.strip().replace("", pd.NA).isna().all() or \
            notes.str.strip().str.lower().eq("closed").all():
        sentence = (f"{data.city.name}'s data has no closure notes, so a fix cannot be told from "
                    "a cancellation: ask the 311 team how they record it.")
    else:
        not_fixed = int(notes.str.contains(NOT_FIXED_PATTERN, flags=re.IGNORECASE)
                        .fillna(False).sum())
        sentence = (f"In {data.city.name}, {not_fixed:,} of {len(closed):,} closed requests "
                    f"({format_percent(not_fixed / len(closed))}) were closed as cancelled, "
                    "duplicates or referred elsewhere: nothing was fixed.")
    return {"closure_sentence": sentence}


def _season_facts(data: CityData) -> dict[str, Any]:
    row = swinging_type(data)
    return {"swing_type": row["name"], "peak": row["peak_month"],
            "peak_index": row["peak_index"], "quiet": row["quietest_month"],
            "quiet_index": row["quietest_index"]}


def _rate_facts(data: CityData) -> dict[str, Any]:
    rates = type_rates_by_district(data).sort_values(ascending=False, kind="stable")
    months = patterns.months_covered(data.requests)
    table = _rates(data)
    online = table["online_share"]
    low = rates.index[-1]
    online_words = ""
    if pd.notna(online.get(low)):
        online_words = (f" {low} made {format_percent(online[low])} of these requests online, "
                        f"against {format_percent(online.dropna().mean())} across districts.")
    return {"type": top_type(data), "months": months, "years": months / 12,
            "high": rates.index[0], "high_rate": rates.iloc[0], "low": low,
            "low_rate": rates.iloc[-1], "online_words": online_words}


def _question_facts(data: CityData) -> dict[str, Any]:
    return {"type": top_type(data).lower()}


# --- the exercises -----------------------------------------------------------------------

VOLUME_CHANGE = Exercise(
    id="1.1.1",
    title="Is demand growing?",
    question="By how much did the number of requests change in the last 12 months of the "
             "data, compared with the 12 months before? Give the change as a share of the "
             "earlier year, to three decimals (0.083 for 8.3% more; negative for fewer).",
    kind=Number(absolute=0.001, share=True),  # read to a tenth of a percentage point:
    # any correct rounding to three decimals passes, and none of the mistakes below does.
    expected=volume_change_share,
    facts=_volume_facts,
    right="{city} received {last:,} requests in the 12 months to {end}, against {previous:,} "
          "in the 12 months before: {share:.1%} {more}.",
    why="Demand is the first thing to check before judging speed: a team that keeps the same "
        "pace while requests grow is doing more work, and a backlog can grow without anyone "
        "working slower.",
    next_step="Count the requests in each 12-month window, then divide the difference by the "
              "earlier year's count.",
    mistakes=(
        Mistake("ratio, not change", lambda data: _volume(data).last_12_months
                / _volume(data).previous_12_months,
                "{given} is the ratio of the two years (later ÷ earlier). The change is that "
                "ratio minus 1.", "Subtract 1, or divide the difference by the earlier year."),
        Mistake("against the later year", lambda data: (_volume(data).last_12_months
                                                        - _volume(data).previous_12_months)
                / _volume(data).last_12_months,
                "{given} divides the difference by the later year. A change is read against "
                "where it started: the earlier year.",
                "Divide by the earlier year's count instead."),
        Mistake("count, not share", lambda data: _volume(data).last_12_months
                - _volume(data).previous_12_months,
                "{given} is the difference in requests, not a share of the earlier year.",
                "Divide it by the earlier year's count."),
    ),
    hints=(
        HintTier("You need two counts: requests opened in the last 12 months, and in the 12 "
                 "months before those. data.as_of is when the data was extracted."),
        HintTier("A change as a share is (later − earlier) ÷ earlier. The function "
                 "volume_change(requests, as_of=data.as_of) counts both years for you."),
        HintTier("In two lines:", "volume = volume_change(requests, as_of=data.as_of)\n"
                                  "answer = (volume.last_12_months - volume.previous_12_months) "
                                  "/ volume.previous_12_months"),
    ),
)

CLOSED_MEANS = Exercise(
    id="1.1.2",
    title="What does a closing date record?",
    question="Each request has a closed_datetime. In {city}'s data, what does it tell you?",
    kind=Choice(options=(
        ("A", "When the problem was fixed on the street."),
        ("B", "When the request was closed in the city's system: fixed, or cancelled, found to "
              "be a duplicate, or referred to another agency."),
        ("C", "When the resident was told the outcome."),
        ("D", "When a crew was assigned to the request."),
    )),
    expected=always("B"),  # the concept is the same in every city; the message uses its data
    facts=_closure_facts,
    widget=Buttons(),
    start="Choose an answer; the feedback appears here.",
    right="A close is a change of status in the system, whatever the outcome. "
          "{closure_sentence}",
    why="Time to close measures how fast the system closes cases, which is not always how fast "
        "problems are fixed. Read the closure notes before celebrating a fast close.",
    next_step="Look at the status_notes of closed requests: what else besides 'Completed'?",
    mistakes=(
        Mistake("a close read as a fix", always("A"),
                "Not always. A request is closed when its case is closed in the system, and "
                "that includes requests closed without a fix. {closure_sentence}"),
        Mistake("a close read as a reply", always("C"),
                "The data records no reply to the resident: Open311 has no field for it. The "
                "close is a change of status in the city's system."),
        Mistake("a close read as an assignment", always("D"),
                "Assignment is an earlier step. The data names the agency responsible "
                "(agency_responsible) but records no time for the assignment."),
    ),
    hints=(
        HintTier("Think of a request that was closed although nobody went out to fix anything."),
        HintTier("The status_notes column says how each closed request ended. Is every one "
                 "'Completed'?"),
        HintTier("Look for the answer that covers every way a case can end, not only a fix."),
    ),
)

PEAK_MONTH = Exercise(
    id="1.1.3",
    title="When does the busiest season come?",
    question="In {city}, {swing_type} is the request type whose volume swings most through the "
             "year (see the seasonal chart). In which month does it peak?",
    kind=Choice(options=MONTHS),
    expected=peak_month,
    facts=_season_facts,
    widget=Dropdown(description="Peak month"),
    start="Choose a month; the feedback appears here.",
    right="{swing_type} peaks in {peak}, at {peak_index:.1f} times its usual daily volume, and "
          "is quietest in {quiet} ({quiet_index:.1f} times).",
    why="A season that comes every year is a plan, not a crisis: crews, contracts and budgets "
        "can be lined up before the peak, and a peak month should be compared with the same "
        "month last year, not with the month before.",
    next_step="Find the line of {swing_type} on the seasonal chart and its highest point.",
    mistakes=(
        Mistake("quietest month", _quietest_month,
                "That is {swing_type}'s quietest month: its line is at its lowest there."),
        Mistake("all requests' peak", _all_requests_peak,
                "That is when all requests together peak (the thick black line). The question "
                "asks about {swing_type}."),
    ),
    hints=(
        HintTier("The seasonal chart has one line per request type; 1 is a usual month."),
        HintTier("Follow the line labelled {swing_type} and find its highest point."),
        HintTier("The table seasonal_index(requests) has the same numbers: its highest value "
                 "in the {swing_type} column is the peak."),
    ),
)

RATE_BY_DISTRICT = Exercise(
    id="1.1.4",
    title="Who reports the most common request?",
    question="Make a table of each district's requests per 1,000 residents a year, for the "
             "city's most common request type (top_type, set in the cell above; years holds "
             "the years the data covers).",
    kind=Table(key="district", value="requests per 1,000 residents a year", absolute=0.05),
    # rates are read to one decimal place, so ±0.05 accepts any correct rounding
    expected=type_rates_by_district,
    facts=_rate_facts,
    right="{high} sends the most {type} requests per 1,000 residents a year ({high_rate:.1f}) "
          "and {low} the fewest ({low_rate:.1f}).{online_words}",
    why="A rate per resident a year compares districts of different sizes and data of any "
        "length. It still measures who asks: before reading a low rate as low need, check "
        "who can reach the service.",
    next_step="Keep the {type} requests, count them by district, divide by each district's "
              "population, multiply by 1,000 and divide by the number of years.",
    mistakes=(
        Mistake("every request type", lambda data: _rates(data, all_types=True)[
            "per_1000_a_year"].dropna(),
                "Your rates count every request type. The question asks about {type} only.",
                "Keep the rows whose service_name is {type} first."),
        Mistake("whole period, not a year", lambda data: type_rates_by_district(data)
                * _years(data),
                "Your figures cover the whole {months} months. The question asks for a year.",
                "Divide by the number of years, {years:g}."),
        Mistake("raw counts", lambda data: _rates(data)["requests"],
                "Your table holds numbers of requests, not rates: bigger districts nearly "
                "always send more.", "Divide by population, multiply by 1,000, divide by the "
                                     "years."),
        Mistake("per resident, not per 1,000", lambda data: type_rates_by_district(data)
                / PER_RESIDENTS,
                "Your figures are requests per resident a year.", "Multiply by 1,000."),
    ),
    hints=(
        HintTier("Three steps: keep one request type, count by district, turn counts into "
                 "rates."),
        HintTier("requests[requests[\"service_name\"] == name] keeps one type; value_counts() "
                 "counts by district; dividing by data.districts.set_index(\"district\")"
                 "[\"population\"] lines the districts up by name."),
        HintTier("In four lines ({type} is top_type; the data covers {years:g} years):",
                 'of_type = requests[requests["service_name"] == top_type]\n'
                 'counts = of_type["district"].value_counts()\n'
                 'population = data.districts.set_index("district")["population"]\n'
                 "answer = counts / population * 1000 / years"),
    ),
)

MEASURABLE_QUESTION = Exercise(
    id="1.1.5",
    title="Which question can the data answer?",
    question="The mayor asks: \"Are we getting better at {type}?\" Which version of the "
             "question can {city}'s service requests answer as they stand?",
    kind=Choice(options=(
        ("A", "Is this service under control in the district that worries us most?"),
        ("B", "Did the share of these requests closed within the service standard rise, from "
              "July to December last year to July to December this year, citywide and by "
              "district?"),
        ("C", "Are residents satisfied with this service?"),
        ("D", "Which district has the most problems of this kind?"),
    )),
    expected=always("B"),  # the concept is the same in every city
    facts=_question_facts,
    widget=Buttons(),
    start="Choose an answer; the feedback appears here.",
    right="It names a metric (share within the standard), which requests (this type, citywide "
          "and by district), a period and a comparison (the same months a year earlier, so the "
          "season is the same).",
    why="A measurable question says what, which requests, when, compared with what, and the "
        "decision it will inform. Agree on it before anyone computes anything, and the answer "
        "cannot be argued away afterwards.",
    next_step="Look for the version that names a metric, a period and a comparison.",
    mistakes=(
        Mistake("no metric", always("A"),
                "\"Under control\" names no metric and no period: two people could answer it "
                "with different numbers and both be right."),
        Mistake("311 does not measure satisfaction", always("C"),
                "Service requests record what residents asked for and when it was closed, not "
                "how they felt about it: a resident survey answers that (theme 3)."),
        Mistake("reports read as problems", always("D"),
                "311 counts reports, not problems. A district with many reports may have more "
                "problems, or more residents who report them: that is who calls, not only "
                "need."),
    ),
    hints=(
        HintTier("Which version could two analysts answer separately and get the same number?"),
        HintTier("A measurable question names a metric, a period and something to compare "
                 "with."),
        HintTier("Only one version names all three."),
    ),
)

OWN_QUESTION = Exercise(
    id="1.1.6",
    title="Your own question, made measurable",
    question="Write down a question your mayor or council asked recently, then its measurable "
             "version: which metric, which requests, which period, compared with what, and "
             "which decision it will inform.",
    kind=Reflection(),
    expected=always(None),
    widget=TextBox(placeholder="Asked: ... Measurable: ... Decision: ..."),
    start="Write your reflection in the box and press Save.",
    right="",
    why="",
    next_step="",
    hints=(
        HintTier("Start from a question you heard in the last month, in the words it was asked."),
        HintTier("Then fill in the five parts: what (a metric), which requests, when, compared "
                 "with what, so what (the decision)."),
        HintTier("For example: \"Are streetlights fixed faster?\" becomes \"the median days to "
                 "close streetlight requests opened in Q3, against Q3 last year, to decide "
                 "whether the new contract is working\"."),
    ),
)

EXERCISES = (VOLUME_CHANGE, CLOSED_MEANS, PEAK_MONTH, RATE_BY_DISTRICT, MEASURABLE_QUESTION,
             OWN_QUESTION)
