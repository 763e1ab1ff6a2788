"""The chart kinds every module shares: titles that state the finding, honest captions.

Every plotting function takes a table and a :class:`~cda_lib.charts.style.ChartContext`
(which city, and whether the data is synthetic) and returns a
:class:`~cda_lib.charts.style.Chart` in the house style of :mod:`cda_lib.charts.style`.
Each title is computed from the data and says what the chart shows ("Requests peaked in
March 2025 at 1,234"), axes are labelled with units, and the caption counts every request
left out of the picture and says why.

>>> table = pd.DataFrame({"service_name": ["Pothole", "Pothole", "Graffiti"]})
>>> chart = plot_top_request_types(table, context=ChartContext("Riverbend", synthetic=True))
>>> chart.title
'Pothole is the most common request: 67% of all requests'
"""

from __future__ import annotations

import math
import textwrap

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from cda_lib.charts.style import (
    MAIN_COLOUR,
    OKABE_ITO,
    SOFT_INK,
    WHO_CALLS_CAVEAT,
    Chart,
    ChartContext,
    bar_panel_height,
    count_ticks,
    finish_chart,
    month_ticks,
    new_axes,
    plain_number_ticks,
    style_axes,
)
from cda_lib.cities.city import Bounds
from cda_lib.core.errors import ChartDataError, SchemaError, did_you_mean, list_choices
from cda_lib.metrics.periods import calendar_months_covered, whole_months
from cda_lib.text.dates import format_date, format_list, weekday_name
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import N_, format_message, gettext as _, ngettext

# Colours cycled over districts on the map: black is kept for points outside the city's
# box, so districts use the other seven, yellow last because it is faint on white.
DISTRICT_COLOURS = OKABE_ITO[1:4] + OKABE_ITO[5:] + OKABE_ITO[4:5]
NO_DISTRICT_COLOUR = "#999999"  # grey: "unknown" must not look like one more district
# When the busiest weekday has less than 10% more requests than the quietest, the gap is
# too small to plan staffing around, so the title says the week is even instead.
EVEN_WEEK_RATIO = 1.10
SAMPLE_SEED = 311  # fixed, so a sampled map is the same every time the notebook runs
# The map shows a margin around the city's box (this share of its size on each side) so
# points just outside it are visible; points farther out are pinned to the map's edge.
MAP_MARGIN = 0.25

# Days of the week in the plural, Monday first, for a title ("Mondays are busiest").
_WEEKDAYS_PLURAL = (N_("Mondays"), N_("Tuesdays"), N_("Wednesdays"), N_("Thursdays"),
                    N_("Fridays"), N_("Saturdays"), N_("Sundays"))


def plot_requests_per_month(requests: pd.DataFrame, *, context: ChartContext) -> Chart:
    """A line of service requests per month; the title names the peak month.

    An edge month the data may not fully cover (the data starts after its first day or
    stops before its last) is drawn hollow and dashed, said in the caption and not
    counted for the peak. Months with no requests count as zero.

    >>> table = pd.DataFrame({"requested_datetime": pd.to_datetime(
    ...     ["2025-01-01", "2025-02-10", "2025-02-20", "2025-03-31"])})
    >>> plot_requests_per_month(table, context=ChartContext("Riverbend", synthetic=False)).title
    'Requests peaked in February 2025 at 2'
    """
    when, notes = _dated(requests)
    counts = when.dt.to_period("M").value_counts()
    counts = counts.reindex(pd.period_range(counts.index.min(), counts.index.max(), freq="M"),
                            fill_value=0)
    incomplete = _incomplete_edge_months(when, counts.index)
    complete = counts.drop(list(incomplete))
    hollow = (N_("{month} may be incomplete: {reason}; drawn hollow and not counted for the "
                 "peak.") if len(complete) else N_("{month} may be incomplete: {reason}; drawn "
                                                   "hollow."))
    notes += [_(hollow, month=format_date(month.start_time, "month"), reason=reason)
              for month, reason in incomplete.items()]
    figure, ax = new_axes()
    _draw_monthly_line(ax, counts, list(incomplete))
    style_axes(ax, value_axis="y", xlabel=_("Month"), ylabel=_("Requests per month"))
    count_ticks(ax.yaxis)
    city, period = context.city_name, _period_phrase(when)
    return finish_chart(
        figure,
        context=context,
        title=_peak_month_title(complete if len(complete) else counts),
        subtitle=_("Service requests per month, {city}{period}", city=city, period=period),
        notes=notes,
        panel_height=3.4,
        description=_("Line chart of {city}'s service requests per month{period}.", city=city,
                      period=period),
    )


def plot_top_request_types(requests: pd.DataFrame, *, context: ChartContext,
                           top: int = 10) -> Chart:
    """Horizontal bars of the most common request types, largest at the top, with shares.

    Shares are of all requests, including any without a type (those are counted in the
    caption).

    >>> table = pd.DataFrame({"service_name": ["Pothole", "Graffiti", "Pothole", "Noise"]})
    >>> plot_top_request_types(table, context=ChartContext("Riverbend", False), top=2).title
    'Pothole is the most common request: 50% of all requests'
    """
    require_columns(requests, ["service_name"], N_("a chart of request types"))
    _require_rows(requests, N_("a chart of request types"))
    if not isinstance(top, int) or isinstance(top, bool) or top < 1:
        raise ChartDataError(_("top should be a whole number of at least 1, not {value}. "
                               "Try top=10.", value=repr(top)))
    untyped = _blank(requests["service_name"])
    _require_some(~untyped, len(requests), N_("a request type"), "service_name")
    total = len(requests)
    counts = _sorted_counts(requests.loc[~untyped, "service_name"])
    shown = counts.head(top)
    notes = _rest_of_types_note(counts, len(shown), total)
    if untyped.any():
        notes.append(_("Counted in the total but not in any bar: {requests} without a request "
                       "type.", requests=_requests(untyped.sum())))
    figure, ax = new_axes()
    labels = [format_message("{n:,} ({share})", n=int(n), share=format_percent(n / total))
              for n in shown]
    _draw_horizontal_bars(ax, shown, labels)
    style_axes(ax, value_axis="x", xlabel=_("Requests (count)"), ylabel=_("Request type"))
    count_ticks(ax.xaxis)
    return finish_chart(
        figure,
        context=context,
        title=_("{leader} is the most common request: {share} of all requests",
                leader=shown.index[0], share=format_percent(shown.iloc[0] / total)),
        subtitle=_("The {shown} most common of {types:,} request types in {city}, out of "
                   "{total:,} requests{period}", shown=len(shown), types=len(counts),
                   city=context.city_name, total=total, period=_period_phrase(requests)),
        notes=notes,
        panel_height=bar_panel_height(len(shown)),
        description=_("Horizontal bar chart of the {shown} most common service request types "
                      "in {city}, largest first.", shown=len(shown), city=context.city_name),
    )


def plot_requests_by_district(requests: pd.DataFrame, districts: pd.DataFrame, *,
                              context: ChartContext, per: int = 1000,
                              per_year: bool = False) -> Chart:
    """Bars of requests per ``per`` residents in each district, highest at the top; with
    ``per_year``, a year of data being 12 of the calendar months it covers, as on page 1.1.

    ``districts`` is the city's districts table (``City.districts_table()``); requests
    are matched to it by district name. Requests without a district, or naming one the
    table does not have, are counted in the caption.

    >>> requests = pd.DataFrame({"district": ["North", "North", "South", None]})
    >>> districts = pd.DataFrame({"district": ["North", "South"], "population": [1000, 2000]})
    >>> context = ChartContext("Riverbend", synthetic=False)
    >>> plot_requests_by_district(requests, districts, context=context).title
    'North had the most requests per 1,000 residents (2.0); South the fewest (0.5)'
    """
    purpose = N_("a chart of requests by district")
    require_columns(requests, ["district"] + ["requested_datetime"] * per_year, purpose)
    require_columns(districts, ["district", "population"], purpose, table_name=N_("districts"))
    _require_rows(requests, purpose)
    _require_rows(districts, purpose, table_name=N_("districts"))
    if not isinstance(per, int) or isinstance(per, bool) or per < 1:
        raise ChartDataError(_("per should be a whole number of residents such as 1000, not "
                               "{value}. Try per=1000 for requests per 1,000 residents.",
                               value=repr(per)))
    rates, counts, notes = _district_rates(requests, districts, per)
    if per_year:
        rates = rates / (calendar_months_covered(requests["requested_datetime"]) / 12)
    notes.append(_(WHO_CALLS_CAVEAT))
    figure, ax = new_axes()
    labels = [format_message("{rate:,.1f} ({requests})", rate=rate,
                             requests=_requests(counts[name])) for name, rate in rates.items()]
    _draw_horizontal_bars(ax, rates, labels)
    xlabel = (_("Requests per {per:,} residents a year", per=per) if per_year
              else _("Requests per {per:,} residents", per=per))
    style_axes(ax, value_axis="x", xlabel=xlabel, ylabel=_("District"))
    city = context.city_name
    return finish_chart(
        figure,
        context=context,
        title=_district_title(rates, per, per_year),
        subtitle=_("Service requests per {per:,} residents by district, {city}{period}", per=per,
                   city=city, period=_period_phrase(requests)),
        notes=notes,
        panel_height=bar_panel_height(len(rates)),
        description=_("Horizontal bar chart of {measure} in each of {city}'s {count} "
                      "districts, highest first.", measure=xlabel[:1].lower() + xlabel[1:],
                      city=city, count=len(rates)),
    )


def plot_weekday_pattern(requests: pd.DataFrame, *, context: ChartContext) -> Chart:
    """Bars of the average number of requests on each day of the week, Monday first.

    The average for Monday is the requests made on Mondays divided by the number of
    Mondays from the first request's date to the last one's (days with none count as zero).

    >>> table = pd.DataFrame({"requested_datetime": pd.to_datetime(
    ...     ["2025-03-03", "2025-03-03", "2025-03-04", "2025-03-05"])})
    >>> print(plot_weekday_pattern(table, context=ChartContext("Riverbend", False)).title)
    ... # doctest: +NORMALIZE_WHITESPACE
    Mondays are busiest, with 2.0 requests on an average Monday;
    Tuesdays are quietest (tied with 1 other day), with 1.0
    """
    when, notes = _dated(requests)
    days = pd.date_range(when.min().normalize(), when.max().normalize(), freq="D")
    day_counts = pd.Series(days.day_of_week).value_counts().reindex(range(7), fill_value=0)
    request_counts = when.dt.day_of_week.value_counts().reindex(range(7), fill_value=0)
    averages = (request_counts / day_counts.where(day_counts > 0)).dropna()
    notes.append(_("Averages over the {days:,} days from {first} to {last}; days with no "
                   "requests count as zero.", days=len(days), first=_date(days[0]),
                   last=_date(days[-1])))
    if len(averages) < 7:
        notes.append(_("Days of the week that do not occur in that span have no bar."))
    figure, ax = new_axes()
    names = [_capitalized(weekday_name(day)) for day in averages.index]
    ax.bar(names, averages.to_numpy(), color=MAIN_COLOUR, width=0.65, zorder=2)
    ax.bar_label(ax.containers[0], labels=[_average(v) for v in averages], padding=3,
                 fontsize=9, color=SOFT_INK)
    style_axes(ax, value_axis="y", xlabel=_("Day of week"), ylabel=_("Average requests per day"))
    city = context.city_name
    return finish_chart(
        figure,
        context=context,
        title=_weekday_title(averages),
        subtitle=_("Average service requests by day of the week, {city}{period}", city=city,
                   period=_period_phrase(when)),
        notes=notes,
        panel_height=3.2,
        description=_("Bar chart of the average number of service requests {city} receives on "
                      "each day of the week, Monday to Sunday.", city=city),
    )


def plot_request_locations(requests: pd.DataFrame, bounds: Bounds, *, context: ChartContext,
                           sample: int = 20000) -> Chart:
    """A map-like scatter of request locations coloured by district, with the city's box.

    ``bounds`` is the city's :class:`cda_lib.cities.city.Bounds`. Points outside it are
    marked × (far ones pinned to the map's edge); requests without coordinates are
    counted in the caption. Tables with more than ``sample`` located requests are
    sampled at random with a fixed seed, so the map is the same on every run.

    >>> table = pd.DataFrame({"lat": [44.1, 44.2, 50.0, None], "long": [-93.0, -92.9, -92.9, None],
    ...                       "district": ["North", "South", "South", "North"]})
    >>> box = Bounds(south=44.0, west=-93.1, north=44.3, east=-92.8)
    >>> plot_request_locations(table, box, context=ChartContext("Riverbend", False)).title
    "1 of 3 mapped requests lie outside Riverbend's bounding box"
    """
    require_columns(requests, ["lat", "long", "district"], N_("a map of requests"))
    _require_rows(requests, N_("a map of requests"))
    if not isinstance(sample, int) or isinstance(sample, bool) or sample < 1:
        raise ChartDataError(_("sample should be a whole number of points such as 20000, not "
                               "{value}. Try sample=20000.", value=repr(sample)))
    located_mask = requests["lat"].notna() & requests["long"].notna()
    _require_some(located_mask, len(requests), N_("coordinates"), "lat and long")
    located = requests.loc[located_mask, ["lat", "long", "district"]]
    outside = ~(located["lat"].between(bounds.south, bounds.north)
                & located["long"].between(bounds.west, bounds.east))
    view = _map_view(bounds)
    far = outside & ~(located["lat"].between(view.south, view.north)
                      & located["long"].between(view.west, view.east))
    notes = _location_notes(len(requests) - len(located), located, outside, far, sample)
    shown = located.sample(n=sample, random_state=SAMPLE_SEED) if len(located) > sample else located
    figure, ax = new_axes()
    _draw_locations(ax, shown, outside.loc[shown.index], view, bounds)
    style_axes(ax, value_axis="both", xlabel=_("Longitude (degrees)"),
               ylabel=_("Latitude (degrees)"))
    n_outside, city = int(outside.sum()), context.city_name
    title = (_("{outside:,} of {located:,} mapped requests lie outside {city}'s bounding box",
               outside=n_outside, located=len(located), city=city) if n_outside else
             _("All {located:,} mapped requests lie inside {city}'s bounding box",
               located=len(located), city=city))
    return finish_chart(
        figure,
        context=context,
        title=title,
        subtitle=_("Where service requests were reported, coloured by district, {city}{period}",
                   city=city, period=_period_phrase(requests)),
        notes=notes,
        panel_height=4.6,
        description=_("Scatter plot of {shown:,} service request locations in {city} by "
                      "longitude and latitude, coloured by district, with the city's bounding "
                      "box drawn as a dashed rectangle.", shown=len(shown), city=city),
    )


# --- checking the input -----------------------------------------------------------------


def require_columns(table: pd.DataFrame, columns: list[str], purpose: str,
                    table_name: str = N_("service requests")) -> None:
    """Stop with a SchemaError naming the first missing column, its likely spelling and
    the columns the table has, when ``table`` lacks any of ``columns``.

    ``purpose`` and ``table_name`` are English, marked with ``N_``: translated here."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        have = [str(c) for c in table.columns]
        raise SchemaError(_(
            "The {table} table has no {missing} column, which {purpose} needs.{hint} The table "
            "has {have}. Load it with cda_lib's loaders, or rename the column to the "
            "workbook's name.", table=_(table_name), missing=list_choices(missing),
            purpose=_(purpose), hint=did_you_mean(missing[0], have),
            have=list_choices(have, limit=15)))


def _require_rows(table: pd.DataFrame, purpose: str,
                  table_name: str = N_("service requests")) -> None:
    if len(table) == 0:
        raise ChartDataError(_(
            "There is nothing to plot: the {table} table has no rows, so {purpose} would be "
            "empty. Check the filter that made the table (a date range or a request type that "
            "matches nothing?) or load the city's data again.", table=_(table_name),
            purpose=_(purpose)))


def _require_some(usable: pd.Series, rows: int, what: str, column: str) -> None:
    if not usable.any():
        raise ChartDataError(_(
            "There is nothing to plot: none of the {requests} has {what} (the {column} column is "
            "empty). Check the city's column mapping for {column}, or choose a chart that does "
            "not need it.", requests=_requests(rows), what=_(what), column=column))


def _blank(values: pd.Series) -> pd.Series:
    """True where a text value is missing or only spaces."""
    return values.astype("string").str.strip().fillna("").eq("").astype(bool)


def _dated(requests: pd.DataFrame) -> tuple[pd.Series, list[str]]:
    """The requests' dates without gaps, and a note counting any requests without one."""
    require_columns(requests, ["requested_datetime"], N_("a chart over time"))
    _require_rows(requests, N_("a chart over time"))
    when = requests["requested_datetime"]
    if not pd.api.types.is_datetime64_dtype(when):
        raise SchemaError(_(
            "The requested_datetime column holds {dtype} values, not dates, so requests cannot "
            "be placed in time. Load the table with cda_lib's loaders, or convert the column "
            "with pd.to_datetime.", dtype=str(when.dtype)))
    _require_some(when.notna(), len(requests), N_("a date"), "requested_datetime")
    undated = int(when.isna().sum())
    notes = [_("Not shown: {requests} without a date.", requests=_requests(undated))] \
        if undated else []
    return when.dropna(), notes


# --- what the data says -----------------------------------------------------------------


def _incomplete_edge_months(when: pd.Series, months: pd.PeriodIndex) -> dict[pd.Period, str]:
    """The first and last months the data only partly covers (those that are not
    :func:`~cda_lib.metrics.periods.whole_months`), with the reason."""
    whole = set(whole_months(when))
    first, last = when.min(), when.max()
    edges: dict[pd.Period, list[str]] = {}
    if months[0] not in whole and first.normalize() > months[0].start_time:
        edges.setdefault(months[0], []).append(_("the data starts on {date}", date=_date(first)))
    if months[-1] not in whole and last.normalize() < months[-1].end_time.normalize():
        edges.setdefault(months[-1], []).append(_("the data stops on {date}", date=_date(last)))
    return {month: format_list(reasons) for month, reasons in edges.items()}


def _peak_month_title(counts: pd.Series) -> str:
    peak = counts.max()
    peak_months = counts.index[counts == peak]
    month, others = format_date(peak_months[0].start_time, "month"), len(peak_months) - 1
    if not others:
        return _("Requests peaked in {month} at {peak:,}", month=month, peak=int(peak))
    return ngettext("Requests peaked in {month} at {peak:,} (reached again in {count} later "
                    "month)", "Requests peaked in {month} at {peak:,} (reached again in {count} "
                    "later months)", others, month=month, peak=int(peak))


def _weekday_title(averages: pd.Series) -> str:
    busiest, quietest = averages.idxmax(), averages.idxmin()
    high, low = _average(averages[busiest]), _average(averages[quietest])
    if averages[busiest] < averages[quietest] * EVEN_WEEK_RATIO:
        return _("Requests are spread evenly over the week: {low} to {high} on an average day",
                 low=low, high=high)
    return _("{busiest_days} are busiest{busiest_tied}, with {high} requests on an average "
             "{busiest_day}; {quietest_days} are quietest{quietest_tied}, with {low}",
             busiest_days=_(_WEEKDAYS_PLURAL[busiest]),
             busiest_day=weekday_name(busiest), busiest_tied=_tied(averages, busiest),
             quietest_days=_(_WEEKDAYS_PLURAL[quietest]),
             quietest_tied=_tied(averages, quietest), high=high, low=low)


def _tied(averages: pd.Series, day: int) -> str:
    """' (tied with 2 other days)' when other days share ``day``'s average, else ''."""
    others = int((averages == averages[day]).sum()) - 1
    return ngettext(" (tied with {count} other day)", " (tied with {count} other days)",
                    others) if others else ""


def _sorted_counts(values: pd.Series) -> pd.Series:
    """Counts of each value, largest first, ties in alphabetical order."""
    return values.astype("string").str.strip().value_counts().sort_index().sort_values(
        ascending=False, kind="stable")


def _rest_of_types_note(counts: pd.Series, shown: int, total: int) -> list[str]:
    rest = counts.iloc[shown:]
    if rest.empty:
        return []
    return [ngettext("Not shown as bars: the other request type, {requests} ({share} of all "
                     "requests).", "Not shown as bars: the other {count:,} request types, "
                     "{requests} ({share} of all requests).", len(rest),
                     requests=_requests(rest.sum()), share=format_percent(rest.sum() / total))]


def _district_title(rates: pd.Series, per: int, per_year: bool) -> str:
    values = {"high": rates.index[0], "per": per, "high_rate": rates.iloc[0],
              "low": rates.index[-1], "low_rate": rates.iloc[-1]}
    return (_("{high} had the most requests per {per:,} residents a year ({high_rate:,.1f}); "
              "{low} the fewest ({low_rate:,.1f})", **values) if per_year else
            _("{high} had the most requests per {per:,} residents ({high_rate:,.1f}); {low} the "
              "fewest ({low_rate:,.1f})", **values))


def _district_rates(requests: pd.DataFrame, districts: pd.DataFrame,
                    per: int) -> tuple[pd.Series, pd.Series, list[str]]:
    """Requests per ``per`` residents by district (highest first), the counts, and notes."""
    missing = _blank(requests["district"])
    _require_some(~missing, len(requests), N_("a district"), "district")
    counts = requests.loc[~missing, "district"].astype("string").str.strip().value_counts()
    population = districts.set_index(districts["district"].astype("string"))["population"]
    notes = _unmatched_district_notes(counts, population, int(missing.sum()))
    in_table = counts.reindex(population.index, fill_value=0)
    populated = population > 0
    notes += [_("No rate for {name}: the districts table gives it no residents.", name=name)
              for name in population.index[~populated]]
    rates = in_table[populated] / population[populated] * per
    if rates.empty:
        raise ChartDataError(_("There is nothing to plot: every district in the districts table "
                               "has a population of 0, so no rate per resident can be worked "
                               "out. Check the populations in the city file."))
    return rates.sort_values(ascending=False, kind="stable"), in_table, notes


def _unmatched_district_notes(counts: pd.Series, population: pd.Series,
                              no_district: int) -> list[str]:
    unknown = counts[~counts.index.isin(population.index)]
    if len(unknown) == len(counts):
        raise ChartDataError(_(
            'None of the district names in the requests (such as "{example}") is in the '
            "districts table, which has {names}.{hint} Check that both tables use district "
            "names, not ids.", example=unknown.index[0],
            names=list_choices(population.index, limit=8),
            hint=did_you_mean(unknown.index[0], population.index)))
    notes = [_("Not shown: {requests} without a district.", requests=_requests(no_district))] \
        if no_district else []
    if len(unknown):
        notes.append(_("Not shown: {requests} naming a district that is not in the districts "
                       "table ({names}).", requests=_requests(unknown.sum()),
                       names=list_choices(unknown.index, limit=5)))
    return notes


def _location_notes(unlocated: int, located: pd.DataFrame, outside: pd.Series, far: pd.Series,
                    sample: int) -> list[str]:
    notes = [_("Not shown: {requests} without coordinates.", requests=_requests(unlocated))] \
        if unlocated else []
    if outside.any():
        marked = _requests(outside.sum())
        notes.append(_("Marked ×: {requests} outside the city's bounding box ({far:,} far away, "
                       "pinned to the edge of the map).", requests=marked, far=int(far.sum()))
                     if far.any() else
                     _("Marked ×: {requests} outside the city's bounding box.", requests=marked))
    no_district = int(_blank(located["district"]).sum())
    if no_district:
        notes.append(ngettext("In grey: {count:,} mapped request without a district.",
                              "In grey: {count:,} mapped requests without a district.",
                              no_district))
    if len(located) > sample:
        notes.append(_("Sample: {sample:,} of the {located:,} mapped requests are drawn, chosen "
                       "at random with a fixed seed so the map is the same every time; the "
                       "counts above are for all requests.", sample=sample,
                       located=len(located)))
    return notes


# --- drawing ----------------------------------------------------------------------------


def _draw_monthly_line(ax: Axes, counts: pd.Series, incomplete: list[pd.Period]) -> None:
    x = counts.index.to_timestamp()
    y = counts.to_numpy()
    complete = ~counts.index.isin(incomplete)
    ax.plot(x[complete], y[complete], color=MAIN_COLOUR, marker="o", markersize=4, linewidth=2)
    for month in incomplete:
        at = counts.index.get_loc(month)
        neighbour = [at, at + 1] if at == 0 else [at - 1, at]
        ax.plot(x[neighbour], y[neighbour], color=MAIN_COLOUR, linestyle="--", linewidth=1.5)
        ax.plot(x[at], y[at], marker="o", markersize=6, color=MAIN_COLOUR,
                markerfacecolor="white")
    ax.set_ylim(bottom=0, top=max(1, y.max()) * 1.12)
    month_ticks(ax.xaxis, len(counts))


def _draw_horizontal_bars(ax: Axes, values: pd.Series, labels: list[str]) -> None:
    positions = range(len(values) - 1, -1, -1)  # the first (largest) value at the top
    names = [textwrap.fill(str(name), 30) for name in values.index]
    bars = ax.barh(list(positions), values.to_numpy(), color=MAIN_COLOUR, height=0.65, zorder=2)
    ax.set_yticks(list(positions), names)
    ax.bar_label(bars, labels=labels, padding=4, fontsize=9, color=SOFT_INK)
    # Room at the right for the labels at the bar ends: about 1/70 of the axis a character.
    room = 1 / max(0.5, 1 - max(len(label) for label in labels) / 70)
    ax.set_xlim(0, max(values.max(), 1e-9) * room)
    plain_number_ticks(ax.xaxis)


def _map_view(bounds: Bounds) -> Bounds:
    """The city's box grown by MAP_MARGIN on every side."""
    pad_lat = (bounds.north - bounds.south) * MAP_MARGIN
    pad_long = (bounds.east - bounds.west) * MAP_MARGIN
    return Bounds(south=bounds.south - pad_lat, west=bounds.west - pad_long,
                        north=bounds.north + pad_lat, east=bounds.east + pad_long)


def _draw_locations(ax: Axes, points: pd.DataFrame, outside: pd.Series, view: Bounds,
                    bounds: Bounds) -> None:
    size = 14 if len(points) < 2000 else 3  # small tables get visible dots, large ones texture
    inside = points[~outside.to_numpy()]
    district = inside["district"].astype("string").str.strip().fillna("").to_numpy()
    for index, name in enumerate(sorted(set(district) - {""})):
        _scatter(ax, inside[district == name], size,
                 DISTRICT_COLOURS[index % len(DISTRICT_COLOURS)], name)
    if (district == "").any():
        _scatter(ax, inside[district == ""], size, NO_DISTRICT_COLOUR, _("No district"))
    away = points[outside.to_numpy()]
    if len(away):
        pinned = pd.DataFrame({"long": away["long"].clip(view.west, view.east),
                               "lat": away["lat"].clip(view.south, view.north)})
        _scatter(ax, pinned, 36, OKABE_ITO[0], _("Outside the box"), marker="x", linewidths=1.2,
                 clip_on=False, zorder=3)
    ax.add_patch(Rectangle((bounds.west, bounds.south), bounds.east - bounds.west,
                           bounds.north - bounds.south, fill=False, edgecolor=SOFT_INK,
                           linestyle="--", linewidth=1, label=_("City bounding box")))
    ax.set_xlim(view.west, view.east)
    ax.set_ylim(view.south, view.north)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))  # room for labels like -93.05
    # A degree of longitude is shorter than a degree of latitude away from the equator.
    ax.set_aspect(1 / math.cos(math.radians((bounds.north + bounds.south) / 2)))
    legend = ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), frameon=False, fontsize=8)
    for handle in legend.legend_handles:  # legend dots readable however small the map's are
        if hasattr(handle, "set_sizes"):
            handle.set_sizes([30])
            handle.set_alpha(1)


def _scatter(ax: Axes, points: pd.DataFrame, size: float, colour: str, label: str,
             **style) -> None:
    # Opaque dots: as readable as translucent ones at this size, and the PNG stays small.
    style = {"linewidths": 0, **style}
    ax.scatter(points["long"].to_numpy(), points["lat"].to_numpy(), s=size, color=colour,
               label=label, **style)


# --- words and numbers ------------------------------------------------------------------


def _requests(n) -> str:
    return ngettext("{count:,} request", "{count:,} requests", int(n))


def _average(value: float) -> str:
    return format_number(value, 1 if value < 10 else 0)  # tenths only where they matter


def _date(moment: pd.Timestamp) -> str:
    return format_date(moment, "day_short")


def _capitalized(word: str) -> str:
    """A name starting a title or labelling a bar: "lunes" becomes "Lunes"."""
    return word[:1].upper() + word[1:]


def _period_phrase(data: pd.DataFrame | pd.Series) -> str:
    """', 1 Jan 2024 – 31 Dec 2025' for the requests' dates, or '' when they have none."""
    if isinstance(data, pd.DataFrame):
        if "requested_datetime" not in data.columns:
            return ""
        data = data["requested_datetime"]
    if not pd.api.types.is_datetime64_dtype(data) or data.notna().sum() == 0:
        return ""
    return format_message(", {first} – {last}", first=_date(data.min()), last=_date(data.max()))
