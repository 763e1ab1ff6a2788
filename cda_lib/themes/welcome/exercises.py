"""Exercises 0: your city in numbers (the welcome module's exercise set).

Ten exercises on the material of page 0.2: how many requests, a typical month, the
busiest season, the most common request types, requests per 1,000 residents by
district, choosing a fair chart, why 311 volume is not need, the data-quality
account and the typical time to close. Every expected answer is computed here from
the city's own data, so the same exercise works for every city.

The functions that compute expected answers are plain pandas, readable by an
analyst who wants to know exactly what "right" means:

>>> import pandas as pd
>>> from types import SimpleNamespace
>>> requests = pd.DataFrame({"requested_datetime": pd.to_datetime(
...     ["2024-06-01", "2025-03-01", "2025-09-01"])})
>>> data = SimpleNamespace(requests=requests, as_of=pd.Timestamp("2025-12-31"))
>>> requests_in_last_12_months(data)
2
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from cda_lib.exercises.exercise import (
    Buttons,
    Dropdown,
    Exercise,
    Mistake,
    Slider,
    TextBox,
    always,
)
from cda_lib.exercises.feedback import HintTier
from cda_lib.exercises.kinds import ChartChoice, Choice, Number, Reflection, Table
from cda_lib.text.numbers import format_percent

if TYPE_CHECKING:
    from cda_lib.data import CityData

SET_ID = "0"
NOTEBOOK = "00_welcome/01_your_city_in_numbers.ipynb"
SECONDS_PER_DAY = 86_400
DAYS_PER_YEAR = 365.25  # average calendar year, for "per year" over any period
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
TOP_TYPES = 5  # the question asks for the five most common request types
PER_RESIDENTS = 1000  # rates per 1,000 residents, as on page 0.2's district chart
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
QUARTERS = (("A", "January to March"), ("B", "April to June"), ("C", "July to September"),
            ("D", "October to December"))


# --- expected answers, from the city's data ---------------------------------------------


def _day(moment: pd.Timestamp) -> str:
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}"


def requests_in_last_12_months(data: CityData) -> int:
    """Requests opened in the 12 months up to the moment the data was extracted."""
    start = data.as_of - pd.DateOffset(months=12)
    return int((data.requests["requested_datetime"] > start).sum())


def _requests_in_first_12_months(data: CityData) -> int:
    opened = data.requests["requested_datetime"]
    return int((opened < opened.min() + pd.DateOffset(months=12)).sum())


def _closed_in_last_12_months(data: CityData) -> int:
    requests = data.requests
    recent = requests["requested_datetime"] > data.as_of - pd.DateOffset(months=12)
    return int((recent & (requests["status"] == "closed")).sum())


def _requests_in_last_calendar_year(data: CityData) -> int:
    opened = data.requests["requested_datetime"]
    year = data.as_of.year if data.as_of.month == 12 and data.as_of.day == 31 \
        else data.as_of.year - 1
    return int((opened.dt.year == year).sum())


def requests_per_month(data: CityData) -> pd.Series:
    """Requests in each whole month the data covers (months with none count as 0).

    A first or last month the data only partly covers is left out, as on the chart
    of requests per month.
    """
    opened = data.requests["requested_datetime"].dropna()
    counts = opened.dt.to_period("M").value_counts()
    months = pd.period_range(counts.index.min(), counts.index.max(), freq="M")
    counts = counts.reindex(months, fill_value=0).astype("int64")
    first, last = opened.min(), opened.max()
    if first.day > 1 and len(counts) > 1:
        counts = counts.iloc[1:]
    if last.day < last.days_in_month and len(counts) > 1:
        counts = counts.iloc[:-1]
    return counts


def typical_month(data: CityData) -> float:
    """The median month: half the whole months had fewer requests, half more."""
    return float(requests_per_month(data).median())


def _month_slider(data: CityData) -> tuple[float, float, float]:
    """From 0 to half again above the busiest month, in about 45 round steps."""
    top = requests_per_month(data).max() * 1.5
    step = _round_step(top / 45)
    return 0, math.ceil(top / step) * step, step


def _round_step(rough: float) -> float:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten at or above ``rough``.

    >>> _round_step(37), _round_step(221), _round_step(0.8)
    (50, 250, 1)
    """
    if rough <= 1:
        return 1
    power = 10 ** math.floor(math.log10(rough))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= rough:
            step = factor * power
            return int(step) if float(step).is_integer() else step
    return 10 * power


def quarter_averages(data: CityData) -> pd.Series:
    """Average requests per whole month in each quarter (1 = January to March)."""
    months = requests_per_month(data)
    return months.groupby(months.index.quarter).mean()


def busiest_quarter(data: CityData) -> str:
    """The letter of the quarter with the most requests per month, on average."""
    return QUARTERS[int(quarter_averages(data).idxmax()) - 1][0]


def _quietest_quarter(data: CityData) -> str:
    return QUARTERS[int(quarter_averages(data).idxmin()) - 1][0]


def _second_busiest_quarter(data: CityData) -> str:
    ranked = quarter_averages(data).sort_values(ascending=False)
    return QUARTERS[int(ranked.index[1]) - 1][0]


def _type_counts(data: CityData, column: str = "service_name") -> pd.Series:
    """Requests of each type, most common first, ties in alphabetical order."""
    names = data.requests[column].dropna().astype("string").str.strip()
    counts = names.value_counts().sort_index().sort_values(ascending=False, kind="stable")
    return counts.astype("int64")


def top_request_types(data: CityData) -> pd.Series:
    """The five most common request types and their number of requests."""
    return _type_counts(data).head(TOP_TYPES)


def requests_per_1000_by_district(data: CityData) -> pd.Series:
    """Each district's requests per 1,000 residents, over the whole period of the data.

    Districts come from the city file; one with no requests has a rate of 0. Requests
    without a district, or naming one the city file does not have, are not counted.
    """
    population = data.districts.set_index("district")["population"]
    population = population[population > 0]
    counts = data.requests["district"].value_counts().reindex(population.index, fill_value=0)
    return (counts.astype("int64") / population * PER_RESIDENTS).astype("float64")


def _requests_by_district(data: CityData) -> pd.Series:
    rates = requests_per_1000_by_district(data)
    return data.requests["district"].value_counts().reindex(rates.index, fill_value=0)


def _years_covered(data: CityData) -> float:
    opened = data.requests["requested_datetime"]
    return (opened.max() - opened.min()).total_seconds() / SECONDS_PER_DAY / DAYS_PER_YEAR


def share_set_aside(data: CityData) -> float:
    """Rows set aside as unusable, as a share of the rows read (between 0 and 1)."""
    return data.account.rows_set_aside / data.account.rows_read


def _share_with_flagged(data: CityData) -> float:
    """The mistake of adding up every line of the quality table, kept rows included."""
    return float(data.quality.table["rows"].sum()) / data.account.rows_read


def days_to_close(data: CityData, *, open_as_closed: bool = False) -> pd.Series:
    """Days from opening to closing, for closed requests.

    With ``open_as_closed``, open requests are counted as if they closed when the data
    was extracted: a common mistake, kept here so that it can be recognised.
    """
    requests = data.requests
    if open_as_closed:
        closed_at = requests["closed_datetime"].fillna(data.as_of)
        return (closed_at - requests["requested_datetime"]).dt.total_seconds() / SECONDS_PER_DAY
    closed = requests[requests["status"] == "closed"]
    span = closed["closed_datetime"] - closed["requested_datetime"]
    return span.dt.total_seconds() / SECONDS_PER_DAY


def median_days_to_close(data: CityData) -> float:
    """Half of the closed requests were closed within this many days."""
    return float(days_to_close(data).median())


def _median_whole_days_to_close(data: CityData) -> float:
    closed = data.requests[data.requests["status"] == "closed"]
    return float((closed["closed_datetime"] - closed["requested_datetime"]).dt.days.median())


# --- facts for the messages ---------------------------------------------------------------


def _volume_facts(data: CityData) -> dict[str, Any]:
    opened = data.requests["requested_datetime"]
    count = requests_in_last_12_months(data)
    return {"count": count, "per_day": round(count / DAYS_PER_YEAR),
            "first": _day(opened.min()), "last": _day(opened.max()), "as_of": _day(data.as_of),
            "whole": len(data.requests), "set_aside": data.account.rows_set_aside}


def _month_facts(data: CityData) -> dict[str, Any]:
    months = requests_per_month(data)
    peak, low = months.idxmax(), months.idxmin()
    return {"typical": round(typical_month(data)), "months": len(months),
            "peak": int(months.max()), "peak_month": f"{_MONTHS[peak.month - 1]} {peak.year}",
            "low": int(months.min()), "low_month": f"{_MONTHS[low.month - 1]} {low.year}"}


def _quarter_facts(data: CityData) -> dict[str, Any]:
    averages = quarter_averages(data)
    labels = dict(QUARTERS)
    return {"busiest": labels[busiest_quarter(data)], "busy_average": round(averages.max()),
            "quietest": labels[_quietest_quarter(data)], "quiet_average": round(averages.min())}


def _type_facts(data: CityData) -> dict[str, Any]:
    top = top_request_types(data)
    return {"top_type": top.index[0], "top_count": int(top.iloc[0]),
            "top_share": top.sum() / len(data.requests)}


def _district_facts(data: CityData) -> dict[str, Any]:
    rates = requests_per_1000_by_district(data).sort_values(ascending=False, kind="stable")
    facts = {"high": rates.index[0], "high_rate": rates.iloc[0],
             "low": rates.index[-1], "low_rate": rates.iloc[-1],
             "years": _years_covered(data), "internet": ""}
    column = "share_without_internet"
    if column in data.districts.columns:
        shares = data.districts.set_index("district")[column]
        weights = data.districts.set_index("district")["population"]
        citywide = (shares * weights).sum() / weights.sum()
        facts["internet"] = (f" In {rates.index[-1]}, {format_percent(shares[rates.index[-1]])} "
                             "of households have no internet at home, against "
                             f"{format_percent(citywide)} across the city: fewer of its "
                             "residents can use the app or the web form.")
    return facts


def _quality_facts(data: CityData) -> dict[str, Any]:
    reasons = data.account.reasons()
    top_reason = reasons.index[0] if len(reasons) else "nothing"
    return {"set_aside": data.account.rows_set_aside, "read": data.account.rows_read,
            "share": share_set_aside(data), "top_reason": top_reason}


def _closing_facts(data: CityData) -> dict[str, Any]:
    days = days_to_close(data)
    return {"median": median_days_to_close(data), "within_week": float((days <= 7).mean())}


# --- charts offered in exercise 0.6 ------------------------------------------------------


def _chart_per_month(data: CityData):
    from cda_lib.charts.kinds import plot_requests_per_month

    return plot_requests_per_month(data.requests, context=data.chart_context)


def _chart_top_types(data: CityData):
    from cda_lib.charts.kinds import plot_top_request_types

    return plot_top_request_types(data.requests, context=data.chart_context)


def _chart_by_district(data: CityData):
    from cda_lib.charts.kinds import plot_requests_by_district

    return plot_requests_by_district(data.requests, data.districts, context=data.chart_context)


def _chart_map(data: CityData):
    from cda_lib.charts.kinds import plot_request_locations

    return plot_request_locations(data.requests, data.city.bounds, context=data.chart_context)



# --- the exercises -----------------------------------------------------------------------

REQUESTS_LAST_12_MONTHS = Exercise(
    id="0.1",
    title="Requests in the last 12 months",
    question="How many service requests did your city receive in the last 12 months of the data?",
    kind=Number(relative=0.005, unit="requests"),  # a count from a clear rule: "after" or
    # "on or after" the start date moves a handful of requests, a different period moves
    # thousands; 0.5% accepts the first and not the second.
    expected=requests_in_last_12_months,
    facts=_volume_facts,
    right="{city} received {count:,} requests in the 12 months up to {as_of}, about {per_day:,} "
          "a day.",
    why="Volume is the first figure a council asks for, and the baseline for every later "
        "question about keeping up with demand.",
    next_step="Check which rows you kept: requests opened in the 12 months before "
              "data.as_of, open and closed alike.",
    mistakes=(
        Mistake("whole period", lambda data: len(data.requests),
                "{given} is every request in the data, which runs from {first} to {last}. The "
                "question asks only for the last 12 months.",
                "Keep the requests opened after data.as_of minus 12 months, then count them."),
        Mistake("rows read", lambda data: data.account.rows_read,
                "{given} is the number of rows read, which includes the {set_aside:,} rows set "
                "aside as unusable, and it covers the whole period.",
                "Start from the requests table (the rows kept) and keep the last 12 months."),
        Mistake("first 12 months", _requests_in_first_12_months,
                "{given} looks like the first 12 months of the data, from {first}. The question "
                "asks for the most recent 12 months, up to when the data was extracted "
                "({as_of}).", "Count back 12 months from data.as_of, not forward from the start."),
        Mistake("last calendar year", _requests_in_last_calendar_year,
                "{given} looks like a calendar year. The question asks for the 12 months up to "
                "when the data was extracted ({as_of}).",
                "Count back 12 months from data.as_of."),
        Mistake("closed only", _closed_in_last_12_months,
                "{given} counts only the closed requests. Requests still open were received "
                "too.", "Count every request opened in the period, open or closed."),
    ),
    hints=(
        HintTier("Start from the requests table and keep only the rows opened in the last 12 "
                 "months. When was the data extracted? data.as_of says."),
        HintTier("A filter keeps the rows where a condition is true: requests[condition]. Here "
                 "the condition compares each request's requested_datetime with a start date "
                 "12 months before data.as_of. len(table) then counts the rows."),
        HintTier("One way to write it:",
                 'start = data.as_of - pd.DateOffset(months=12)\n'
                 'last_12_months = requests[requests["requested_datetime"] > start]\n'
                 "answer = len(last_12_months)"),
    ),
)

TYPICAL_MONTH = Exercise(
    id="0.2",
    title="A typical month, read from the chart",
    question="About how many requests does your city receive in a typical month? "
             "Move the slider to your estimate.",
    kind=Number(relative=0.10, unit="requests"),  # read by eye from a chart: within 10% of
    # the median month is a good reading; the busiest and quietest months lie further out.
    expected=typical_month,
    facts=_month_facts,
    widget=Slider(bounds=_month_slider, description="Requests in a typical month"),
    start="Move the slider to your estimate; the feedback appears here.",
    right="A typical month in {city} brings about {typical:,} requests (the middle of its "
          "{months} whole months).",
    why="Knowing the normal level is what lets a team tell an unusual month from an ordinary "
        "one, before anyone asks for more staff or celebrates a drop.",
    next_step="Look at where the line spends most of its time, not at its highest or lowest "
              "point.",
    mistakes=(
        Mistake("busiest month", lambda data: requests_per_month(data).max(),
                "{given} is about the level of the busiest month ({peak_month}, {peak:,} "
                "requests). A typical month is lower than the peak."),
        Mistake("quietest month", lambda data: requests_per_month(data).min(),
                "{given} is about the level of the quietest month ({low_month}, {low:,} "
                "requests). Most months are busier."),
        Mistake("a year, not a month", lambda data: typical_month(data) * 12,
                "{given} is about a whole year of requests. The chart counts one month at a "
                "time.", "Read the height of the line: each point is one month."),
        Mistake("a day, not a month", lambda data: typical_month(data) / DAYS_PER_MONTH,
                "{given} looks like requests per day. The chart counts requests per month.",
                "Read the height of the line on the left-hand axis."),
    ),
    hints=(
        HintTier("Ignore the highest and lowest points of the line: where does it spend most "
                 "of its time?"),
        HintTier("'Typical' here means the middle month: if you lined the months up from "
                 "quietest to busiest, the one in the middle (the median). Read its height "
                 "on the left-hand axis."),
        HintTier("Page 0.2 counts requests per month in one line of pandas; the median of "
                 "those counts is the typical month:",
                 'per_month = requests.groupby(requests["requested_datetime"].dt.to_period("M"))'
                 ".size()\nper_month.median()"),
    ),
)

BUSIEST_QUARTER = Exercise(
    id="0.3",
    title="The busiest season",
    question="In which quarter of the year does your city receive the most requests per "
             "month, on average?",
    kind=Choice(options=QUARTERS),
    expected=busiest_quarter,
    facts=_quarter_facts,
    widget=Dropdown(description="Busiest quarter"),
    start="Choose a quarter from the menu; the feedback appears here.",
    right="{busiest} is the busiest quarter in {city}, with about {busy_average:,} requests a "
          "month, against {quiet_average:,} in {quietest}.",
    why="A seasonal peak comes back every year: staff leave, overtime and contracts can be "
        "planned for it instead of scrambled for.",
    next_step="Find the highest points of the line and read the months under them; check that "
              "the pattern repeats each year.",
    mistakes=(
        Mistake("quietest quarter", _quietest_quarter,
                "That is the quietest quarter, where the line is lowest.",
                "Look for where the line is highest instead."),
        Mistake("second busiest quarter", _second_busiest_quarter,
                "Close: that quarter is the second busiest. One quarter has more requests per "
                "month, on average."),
    ),
    hints=(
        HintTier("Look at the chart of requests per month above: where are the highest points "
                 "of the line?"),
        HintTier("Each year has four quarters of three months. Compare the three months of each "
                 "quarter, and check whether the pattern repeats in both years."),
        HintTier("The average month in each quarter (quarter 1 is January to March):",
                 'per_month = requests.groupby(requests["requested_datetime"].dt.to_period("M"))'
                 ".size()\nper_month.groupby(per_month.index.quarter).mean()"),
    ),
)

TOP_REQUEST_TYPES = Exercise(
    id="0.4",
    title="The five most common request types",
    question="Make a table of the five most common request types, with the number of requests "
             "of each.",
    kind=Table(key="request type", value="number of requests"),  # counts are exact
    expected=top_request_types,
    facts=_type_facts,
    right="{top_type} leads with {top_count:,} requests, and these five types make up "
          "{top_share:.0%} of all requests in {city}.",
    why="A few request types carry most of the volume: a small improvement in how they are "
        "handled reaches the most residents.",
    next_step="Count the requests of each type in the service_name column and keep the five "
              "largest.",
    mistakes=(
        Mistake("shares, not counts",
                lambda data: (_type_counts(data) / len(data.requests)).head(TOP_TYPES),
                "Your table holds shares of all requests (such as 0.18), not numbers of "
                "requests.", "Drop normalize=True: the question asks for counts."),
        Mistake("percent, not counts",
                lambda data: (_type_counts(data) / len(data.requests) * 100).head(TOP_TYPES),
                "Your table holds percents of all requests, not numbers of requests.",
                "Count the requests of each type instead."),
        Mistake("least common", lambda data: _type_counts(data).tail(TOP_TYPES),
                "Your table holds the five least common types. value_counts() puts the most "
                "common first.", "Take the first five rows with .head(5)."),
        Mistake("codes, not names",
                lambda data: _type_counts(data, "service_code").head(TOP_TYPES),
                "Your table uses the short codes (such as POTHOLE). Use the request names in "
                "the service_name column, which a reader outside the team understands.",
                "Count the service_name column instead of service_code."),
    ),
    hints=(
        HintTier("Which column names the request type? Count how often each name appears."),
        HintTier("value_counts() counts each value of a column and sorts the counts from most "
                 "to least common; .head(5) keeps the first five rows."),
        HintTier("In one line:", 'answer = requests["service_name"].value_counts().head(5)'),
    ),
)

RATES_BY_DISTRICT = Exercise(
    id="0.5",
    title="Requests per 1,000 residents, by district",
    question="Make a table of each district's requests per 1,000 residents, over the whole "
             "period of the data.",
    kind=Table(key="district", value="requests per 1,000 residents", absolute=0.05),  # rates
    # are read to one decimal place, so ±0.05 accepts any correct rounding.
    expected=requests_per_1000_by_district,
    facts=_district_facts,
    right="{high} has the most requests per 1,000 residents ({high_rate:.1f}) and {low} the "
          "fewest ({low_rate:.1f}).",
    why="Rates make districts of different sizes comparable; raw counts mostly compare their "
        "populations.",
    next_step="For each district: its number of requests, divided by its population, times "
              "1,000.",
    mistakes=(
        Mistake("raw counts, not per 1,000", _requests_by_district,
                "Your table holds numbers of requests, not rates: a district with more "
                "residents will nearly always have more requests.",
                "Divide each district's count by its population, then multiply by 1,000."),
        Mistake("per resident, not per 1,000",
                lambda data: requests_per_1000_by_district(data) / PER_RESIDENTS,
                "Your figures are requests per resident (such as 0.23).",
                "Multiply by 1,000 to get requests per 1,000 residents, which is easier to read."),
        Mistake("per 100, not per 1,000",
                lambda data: requests_per_1000_by_district(data) / 10,
                "Your figures are requests per 100 residents.",
                "Multiply by 1,000 instead of 100."),
        Mistake("per year, not the whole period",
                lambda data: requests_per_1000_by_district(data) / _years_covered(data),
                "Your figures look like requests per 1,000 residents per year. The question asks "
                "for the whole period of the data (about {years:.1f} years), like the chart on "
                "page 0.2.", "Leave out the division by the number of years."),
    ),
    hints=(
        HintTier("You need two numbers per district: how many requests it sent, and how many "
                 "people live there (data.districts has a population column)."),
        HintTier("Count requests per district with value_counts(). Dividing one column by "
                 "another lines them up by their labels, so give the populations the district "
                 "names as labels first."),
        HintTier("In three lines:",
                 'counts = requests["district"].value_counts()\n'
                 'population = data.districts.set_index("district")["population"]\n'
                 "answer = counts / population * 1000"),
    ),
)

FAIR_CHART = Exercise(
    id="0.6",
    title="Which chart compares districts fairly?",
    question="A council member asks: \"Which parts of the city use 311 the most, allowing for "
             "how many people live there?\" Which chart answers the question?",
    kind=ChartChoice(
        options=(("A", "Requests per month, whole city"), ("B", "The most common request types"),
                 ("C", "Requests per 1,000 residents, by district"),
                 ("D", "Where requests were reported (map)")),
        charts={"A": _chart_per_month, "B": _chart_top_types, "C": _chart_by_district,
                "D": _chart_map},
    ),
    expected=always("C"),  # the concept is the same in every city; the message uses its data
    facts=_district_facts,
    widget=Buttons(),
    start="Choose a chart; the feedback appears here.",
    right="The rate per 1,000 residents compares districts of different sizes on an equal "
          "footing. In {city}, {high} comes first and {low} last.",
    why="The same care applies to any comparison of places: divide by the people (or roads, "
        "or homes) before ranking.",
    next_step="The question has two parts: which parts of the city, and allowing for how many "
              "people live there.",
    mistakes=(
        Mistake("time, not place", always("A"),
                "That chart shows when requests arrive, month by month, for the whole city: it "
                "cannot compare parts of the city."),
        Mistake("types, not place", always("B"),
                "That chart shows what residents ask for, not where they live."),
        Mistake("map without population", always("D"),
                "The map shows where requests come from, but a crowded neighbourhood looks busy "
                "just because many people live there: it does not allow for population. (It is "
                "the right chart for spotting hot spots, though.)"),
    ),
    hints=(
        HintTier("Read the question again: which parts of the city, and allowing for how many "
                 "people live there."),
        HintTier("A fair comparison divides by population. Look for a chart whose numbers are "
                 "'per 1,000 residents'."),
        HintTier("Only one chart has districts on one axis and a rate per resident on the "
                 "other."),
    ),
)

VOLUME_IS_NOT_NEED = Exercise(
    id="0.7",
    title="Few requests, few problems?",
    question="{low} has the fewest requests per 1,000 residents in {city}. What does that tell "
             "you?",
    kind=Choice(options=(
        ("A", "Its residents have the fewest problems, so it needs the least service."),
        ("B", "Its residents report less. That may mean fewer problems, or less use of 311: "
              "check other sources before deciding."),
        ("C", "Its data must be wrong, so it should be left out of the analysis."),
        ("D", "It should get fewer crews next year, to match demand."),
    )),
    expected=always("B"),  # the concept is the same in every city; the message uses its data
    facts=_district_facts,
    widget=Buttons(),
    start="Choose an answer; the feedback appears here.",
    right="311 measures who calls, not only what is needed.{internet}",
    why="Residents who do not know the service, do not trust it, or cannot easily reach it "
        "report less. Before reading a low rate as low need, look at other evidence: "
        "inspections, surveys, community groups.",
    next_step="Think about who calls 311, and who might not.",
    mistakes=(
        Mistake("volume read as need", always("A"),
                "Not necessarily. 311 counts who asks, not only what is needed: residents who "
                "do not know the service, do not trust it, or have no internet at home report "
                "less. A low rate can hide unmet need."),
        Mistake("low use read as bad data", always("C"),
                "Nothing says {low}'s data is wrong: its requests passed the same checks as "
                "every other district's. Low use is a finding, not an error."),
        Mistake("crews follow calls", always("D"),
                "That could move crews away from residents who are already under-served. "
                "First check whether low use means low need."),
    ),
    hints=(
        HintTier("Who calls 311? Think of a resident who would never call."),
        HintTier("A count of requests measures demand for the service, which depends on need "
                 "and on who knows, trusts and can reach the city."),
        HintTier("Look for the answer that keeps both explanations open (fewer problems, or "
                 "fewer people calling) and checks before acting."),
    ),
)

REFLECTION = Exercise(
    id="0.8",
    title="What else would you want to know?",
    question="Before deciding that {low} needs less service, what else would you want to know, "
             "and who could tell you? Write two or three sentences.",
    kind=Reflection(),
    expected=always(None),
    facts=_district_facts,
    widget=TextBox(placeholder="Write two or three sentences, then press Save."),
    start="Write your reflection in the box and press Save.",
    right="",
    why="",
    next_step="",
    hints=(
        HintTier("Think of one kind of data the city already holds that is not 311 (for "
                 "example inspections, surveys or complaints to council members)."),
        HintTier("Think of the people who know the district: district staff, community "
                 "groups, the council member's office. What would you ask them?"),
        HintTier("One way to start: \"Before deciding, I would compare ... with ..., and ask "
                 "... whether ...\""),
    ),
)

SHARE_SET_ASIDE = Exercise(
    id="0.9",
    title="How much of the data was set aside?",
    question="What share of the rows read were set aside as unusable? Give a share between 0 "
             "and 1 (for example 0.05 for 5%).",
    kind=Number(absolute=0.001, share=True),  # a quality share is read to a tenth of a
    # percentage point: ±0.001 accepts rounding to three decimals.
    expected=share_set_aside,
    facts=_quality_facts,
    right="{set_aside:,} of {read:,} rows ({share:.1%}) were set aside, most often for "
          "\"{top_reason}\".",
    why="This share says how far to trust the totals: a few percent rarely changes a decision, "
        "and the reasons tell the department that owns the data what to fix at the source.",
    next_step="Find the rows read and the rows set aside in the data-quality account "
              "(data.account).",
    mistakes=(
        Mistake("count, not share", lambda data: data.account.rows_set_aside,
                "{given} is the number of rows set aside, not a share.",
                "Divide it by the number of rows read."),
        Mistake("share kept", lambda data: data.account.rows_kept / data.account.rows_read,
                "{given} is the share of rows kept. The share set aside is the rest.",
                "Use the rows set aside instead of the rows kept (or take 1 minus your answer)."),
        Mistake("flagged rows counted as set aside", _share_with_flagged,
                "You also counted rows that were kept and flagged (no district, no "
                "coordinates). Those rows are kept and still count in city totals.",
                "Count only the rows set aside."),
    ),
    hints=(
        HintTier("The data-quality account on page 0.2 (data.account) lists the rows read, "
                 "kept and set aside."),
        HintTier("A share is a part divided by the whole: rows set aside divided by rows read. "
                 "It lies between 0 and 1; multiply by 100 only when you want a percent."),
        HintTier("In one line:",
                 "answer = data.account.rows_set_aside / data.account.rows_read"),
    ),
)

MEDIAN_DAYS_TO_CLOSE = Exercise(
    id="0.10",
    title="How long does a typical request take?",
    question="Among closed requests, how many days does the typical request take to close? "
             "Use the median.",
    kind=Number(absolute=0.05, unit="days"),  # reported to one decimal place of a day, so
    # ±0.05 accepts any correct rounding; the median of whole days (.dt.days) is accepted too.
    expected=median_days_to_close,
    also_accepted=(_median_whole_days_to_close,),
    facts=_closing_facts,
    right="Half of {city}'s closed requests were closed within {median:.1f} days, and "
          "{within_week:.0%} within a week.",
    why="The median is the usual 'typical time' in service reporting (theme 1 uses it for "
        "every request type) because a few requests that take months do not pull it up.",
    next_step="Keep only closed requests, work out each one's days from opening to closing, "
              "and take the median.",
    mistakes=(
        Mistake("mean instead of median", lambda data: float(days_to_close(data).mean()),
                "{given} is the average (mean) time to close. A few requests that take months "
                "pull the average up, so it describes almost no one's wait.",
                "Use .median() instead of .mean()."),
        Mistake("open requests counted as closed",
                lambda data: float(days_to_close(data, open_as_closed=True).median()),
                "You counted requests that are still open as if they had closed on the day the "
                "data was extracted. Their time to close is not known yet.",
                "Keep only the requests whose status is \"closed\"."),
        Mistake("mean, with open requests counted as closed",
                lambda data: float(days_to_close(data, open_as_closed=True).mean()),
                "{given} is an average that also counts open requests as if they had closed "
                "when the data was extracted: two things pull it up.",
                "Keep only closed requests, and use .median() instead of .mean()."),
        Mistake("hours, not days", lambda data: median_days_to_close(data) * 24,
                "{given} looks like hours.", "Divide by 24 to get days."),
        Mistake("seconds, not days", lambda data: median_days_to_close(data) * SECONDS_PER_DAY,
                "{given} looks like seconds.", "Divide by 86,400 (seconds in a day)."),
    ),
    hints=(
        HintTier("Time to close is the closing time minus the opening time, for requests that "
                 "have closed."),
        HintTier("Subtracting two date columns gives a length of time; "
                 ".dt.total_seconds() / 86400 turns it into days. The median is the middle "
                 "value: half the requests took less time, half took more."),
        HintTier("In three lines:",
                 'closed = requests[requests["status"] == "closed"]\n'
                 'days = (closed["closed_datetime"] - closed["requested_datetime"])'
                 ".dt.total_seconds() / 86400\nanswer = days.median()"),
    ),
)

EXERCISES = (
    REQUESTS_LAST_12_MONTHS, TYPICAL_MONTH, BUSIEST_QUARTER, TOP_REQUEST_TYPES,
    RATES_BY_DISTRICT, FAIR_CHART, VOLUME_IS_NOT_NEED, REFLECTION, SHARE_SET_ASIDE,
    MEDIAN_DAYS_TO_CLOSE,
)
