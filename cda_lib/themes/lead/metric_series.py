"""One KPI as a series over time, for baselines, targets and control charts (module 1.3).

:func:`metric_history` turns the KPI suite (:func:`cda_lib.metrics.kpi.kpi_table`) into one
value per month (or week, quarter) for a chosen metric, request type and district,
keeping only the values a leader should compare:

* a period not over when the data was extracted is left out (half a month is not a
  month);
* periods before the first request and after the latest one are left out (a download
  of an earlier year says nothing about the months after it);
* a period with too few requests has no value (the KPI suite's ``min_requests``);
* a median or 90th percentile that is only a lower bound (too many requests still open)
  has no value: "at least 40 days" cannot sit on a line among exact figures.

Each left-out period is counted in ``notes``, so nothing disappears silently.
:func:`control_chart` then draws the right chart for the metric: a p-chart for the
on-time share (successes out of a count that changes each month), widened to Laney's
p' chart when the months vary more than chance allows, and an XmR chart for the rest
(:mod:`cda_lib.metrics.control`).

>>> table = pd.DataFrame({
...     "service_code": ["NOISE"] * 3, "status": ["closed"] * 3,
...     "requested_datetime": pd.to_datetime(["2025-01-10", "2025-02-10", "2025-03-10"]),
...     "closed_datetime": pd.to_datetime(["2025-01-11", "2025-02-15", "2025-03-11"])})
>>> history = metric_history(table, {"NOISE": 2}, as_of="2025-03-31", min_requests=1)
>>> history.values.tolist()
[1.0, 0.0, 1.0]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cda_lib.core.errors import CdaError, did_you_mean, list_choices
from cda_lib.metrics import control, kpi
from cda_lib.metrics.periods import TIME_KEYS, describe_period, periods_over
from cda_lib.metrics.selection import select_requests
from cda_lib.metrics.targets import KPI_DIRECTIONS, KPI_UNITS
from cda_lib.text.translation import N_, gettext as _, ngettext

# The metrics a series can follow: the KPI suite's columns, and the number of requests.
METRIC_NAMES = {
    "on_time_share": N_("On-time share"),
    "median_days": N_("Median days to close"),
    "p90_days": N_("90th percentile days to close"),
    "backlog_at_end": N_("Open requests at period end"),
    "reopen_rate": N_("Reopen rate"),
    "cancellation_rate": N_("Cancellation rate"),
    "requests": N_("Requests"),
}  # English here (keys of the choices); translated where shown (MetricHistory.name)
UNITS = {**KPI_UNITS, "requests": "requests"}
DIRECTIONS = {**KPI_DIRECTIONS, "requests": None}  # demand: neither direction is better
FREQUENCIES = ("week", "month", "quarter")
# Control-chart limits come from the first year of the series where it has one: twelve
# months (or 52 weeks, 4 quarters) so every season is in the limits once; a shorter
# series uses all its points.
BASELINE_PERIODS = {"week": 52, "month": 12, "quarter": 4}
FREQUENCY_WORDS = {"week": N_("week"), "month": N_("month"), "quarter": N_("quarter")}


class SeriesError(CdaError, ValueError):
    """A series was asked for a metric or period length the workbook does not follow."""


@dataclass(frozen=True)
class MetricHistory:
    """One metric's values per period, with what was left out and why.

    ``values`` is indexed by period label ("2025-03"); missing values are periods with
    too few requests or only a lower bound. ``successes`` and ``totals`` are the on-time
    counts behind an on-time share (for a p-chart); ``requests`` the requests opened in
    each period.
    """

    kpi: str
    frequency: str
    values: pd.Series
    requests: pd.Series
    notes: tuple[str, ...] = ()
    service_name: str | None = None
    service_code: str | None = None
    district: str | None = None
    successes: pd.Series | None = None
    totals: pd.Series | None = None
    as_of: pd.Timestamp | None = None  # when the data was extracted

    @property
    def name(self) -> str:
        """The metric's name in the page's language ("On-time share")."""
        return _(METRIC_NAMES[self.kpi])

    @property
    def unit(self) -> str:
        return UNITS[self.kpi]

    @property
    def direction(self) -> str | None:
        return DIRECTIONS[self.kpi]

    @property
    def label(self) -> str:
        """The metric and where it applies: "On-time share, Pothole repair, Mill District"."""
        parts = [self.name, self.service_name or _("all request types"),
                 self.district or _("citywide")]
        return ", ".join(parts)

    @property
    def present(self) -> pd.Series:
        """The periods that have a value."""
        return self.values.dropna()

    def __repr__(self) -> str:
        return _("<{label} per {frequency}: {present} of {total} periods with a value>",
                 label=self.label, frequency=_(FREQUENCY_WORDS.get(self.frequency,
                                                                   self.frequency)),
                 present=len(self.present), total=len(self.values))


def metric_history(requests: pd.DataFrame, standards: Mapping[str, float] | None = None, *,
                   as_of, kpi_name: str = "on_time_share", service_code: str | None = None,
                   district: str | None = None, frequency: str = "month",
                   min_requests: int = kpi.MIN_REQUESTS) -> MetricHistory:
    """One KPI for the requests of a type and district (default: all), one value per period.

    See the module text for which periods are kept.
    """
    if kpi_name not in METRIC_NAMES:
        raise SeriesError(_('There is no metric "{metric}" to follow.', metric=kpi_name)
                          + did_you_mean(str(kpi_name), METRIC_NAMES) + " "
                          + _("The metrics are {choices}.", choices=list_choices(METRIC_NAMES)))
    if frequency not in FREQUENCIES:
        raise SeriesError(_('"{frequency}" is not a period length to follow.',
                            frequency=frequency)
                          + did_you_mean(str(frequency), FREQUENCIES) + " "
                          + _("Use {choices}.", choices=list_choices(FREQUENCIES)))
    chosen = select_requests(requests, service_code=service_code, district=district)
    table = kpi.kpi_table(chosen, standards, as_of=as_of, by=frequency,
                          min_requests=min_requests).set_index(frequency)
    table.index = table.index.astype(str)
    table, notes = _kept_periods(table, chosen, as_of, frequency)
    values = table["requests"].astype(float) if kpi_name == "requests" else \
        table[kpi_name].astype(float)
    lower = np.zeros(len(table), dtype=bool)
    if kpi_name.endswith("_days"):
        lower = table[kpi_name.replace("_days", "_at_least")].to_numpy(dtype=bool)
        if lower.any():
            notes.append(_("{periods} without a value: more requests are still open than the "
                           "figure allows, so it is only a lower bound.",
                           periods=period_count(int(lower.sum()), frequency)))
        values = values.where(~lower)
    missing = values.isna().to_numpy() & ~lower
    if missing.any():
        first = table.index[missing][0]
        reason = str(table.loc[first, "note"]).split(". ")[0].rstrip(".")
        notes.append(_("{periods} without a value, e.g. {period}: {reason}.",
                       periods=period_count(int(missing.sum()), frequency),
                       period=describe_period(first), reason=reason[:1].lower() + reason[1:]))
    successes = totals = None
    if kpi_name == "on_time_share":
        successes = table["on_time_count"].astype(float)
        totals = table["on_time_known"].astype(float)
    return MetricHistory(kpi=kpi_name, frequency=frequency, values=values,
                         requests=table["requests"].astype("int64"), notes=tuple(notes),
                         service_name=_type_name(chosen, service_code),
                         service_code=_type_code(chosen, service_code), district=district,
                         successes=successes, totals=totals, as_of=pd.Timestamp(as_of))


def control_chart(history: MetricHistory, *, baseline: int | None = None) -> control.ControlChart:
    """The control chart that fits the metric, limits from the first ``baseline`` periods.

    The on-time share gets a p-chart (Laney's p' chart when the baseline's months vary
    more than the binomial formula allows, as large counts do); every other metric an
    XmR chart. ``baseline`` defaults to the first year (:data:`BASELINE_PERIODS`) when the
    series is longer than that, otherwise to all its periods.
    """
    if baseline is None:
        first_year = BASELINE_PERIODS[history.frequency]
        baseline = first_year if len(history.values) > first_year else len(history.values)
    metric = history.label
    if history.successes is not None and history.totals is not None:
        plain = control.p_chart(history.successes, history.totals, baseline=baseline,
                                metric=metric)
        laney = control.p_chart(history.successes, history.totals, baseline=baseline,
                                metric=metric, laney=True)
        return laney if (laney.dispersion or 0) > 1 else plain
    return control.xmr_chart(history.values, baseline=baseline, metric=metric)


@dataclass(frozen=True)
class SignalCheck:
    """A metric's control chart, or the reason it cannot have one (too few periods with a
    value, or no variation to set limits from): something a page can always show
    (:func:`cda_lib.themes.lead.charts.plot_signals` draws it)."""

    history: MetricHistory
    chart: control.ControlChart | None
    reason: str = ""

    def summary(self) -> str:
        """The chart's summary, or why there is no chart."""
        return self.chart.summary() if self.chart is not None else self.reason

    def signals(self) -> pd.DataFrame:
        """The periods that signal a change: value, limits and the rules broken (none: empty)."""
        columns = ["value", "lower", "upper", "rules"]
        if self.chart is None:
            return pd.DataFrame(columns=columns)
        return self.chart.signals()[columns]

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        if self.chart is not None:
            return self.chart._repr_html_()
        import html

        return f'<p class="cda-note"><em>{html.escape(self.reason)}</em></p>'


def check_signals(history: MetricHistory, *, baseline: int | None = None) -> SignalCheck:
    """The control chart of ``history`` (see :func:`control_chart`), or why it has none.

    >>> history = MetricHistory("requests", "month", pd.Series([10.0, 12.0, 11.0]),
    ...                         pd.Series([10, 12, 11]))
    >>> check_signals(history).summary()
    'No control chart for Requests, all request types, citywide: The baseline has 3 points \
with values; control limits need at least 12. Use a longer baseline or shorter periods \
(weeks instead of months).'
    """
    try:
        return SignalCheck(history, control_chart(history, baseline=baseline))
    except control.ControlChartError as problem:
        return SignalCheck(history, None, _("No control chart for {metric}: {problem}",
                                            metric=history.label, problem=str(problem)))


def period_changes(history: MetricHistory) -> pd.DataFrame:
    """Each period's value and its change from the period before (the "up 3 points since
    last month" a report would print), for the periods that have a value.

    >>> history = MetricHistory("requests", "month",
    ...     pd.Series([10.0, 12.0, 9.0], index=["2025-01", "2025-02", "2025-03"]),
    ...     pd.Series([10, 12, 9], index=["2025-01", "2025-02", "2025-03"]))
    >>> period_changes(history)["change"].tolist()
    [nan, 2.0, -3.0]
    """
    present = history.present
    table = pd.DataFrame({"period": present.index, "value": present.to_numpy()})
    table["change"] = table["value"].diff()
    return table


# --- internals -----------------------------------------------------------------------------


def _kept_periods(table: pd.DataFrame, chosen: pd.DataFrame, as_of,
                  frequency: str) -> tuple[pd.DataFrame, list[str]]:
    """Drop the periods the data does not cover, and say how many were not over."""
    notes: list[str] = []
    if chosen.empty:
        return table.iloc[0:0], notes
    freq = TIME_KEYS[frequency]
    periods = pd.PeriodIndex(table.index, freq=freq)
    as_of = pd.Timestamp(as_of)
    over = periods_over(periods, as_of)
    last = chosen["requested_datetime"].max().to_period(freq)
    covered = np.asarray(periods <= last)
    if (~over & covered).any():
        period = str(periods[~over & covered][0])
        notes.append({
            "week": _("The week the data was extracted in ({period}) is left out: it was not "
                      "over.", period=period),
            "quarter": _("The quarter the data was extracted in ({period}) is left out: it "
                         "was not over.", period=period),
        }.get(frequency) or _("The month the data was extracted in ({period}) is left out: "
                              "it was not over.", period=period))
    return table[over & covered], notes


def period_count(count: int, frequency: str) -> str:
    """A number of periods in words: "1 month", "3 weeks"."""
    if frequency == "week":
        return ngettext("{count} week", "{count} weeks", count)
    if frequency == "quarter":
        return ngettext("{count} quarter", "{count} quarters", count)
    return ngettext("{count} month", "{count} months", count)


def _type_code(requests: pd.DataFrame, service_code: str | None) -> str | None:
    """The type's code, whether it was chosen by code or by name."""
    if service_code is None:
        return None
    codes = requests["service_code"].dropna().astype(str).unique() if len(requests) else []
    return str(codes[0]) if len(codes) == 1 else str(service_code)


def _type_name(requests: pd.DataFrame, service_code: str | None) -> str | None:
    if service_code is None:
        return None
    if "service_name" in requests.columns and len(requests):
        names = requests["service_name"].dropna().astype(str).unique()
        if len(names) == 1:
            return str(names[0])
    return str(service_code)
