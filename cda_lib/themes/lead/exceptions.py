"""The weekly brief's exceptions: request types that got worse beyond their usual range.

Two measures are checked for each request type, each on a control chart
(:mod:`cda_lib.metrics.control`) whose limits come from the 26 weeks before the latest four:

* the **on-time share** (a p-chart), for types with a service standard;
* the **backlog growth**: requests opened minus requests closed in the week, which is how
  much the backlog moved (an XmR chart). The backlog itself is a running total: each week
  is last week's plus the change, so its points are not independent and a backlog that
  creeps up trips the run rules week after week although nothing new happened. Its weekly
  change is the part that is new each week.

Many checks mean some signals by chance. Each request type and measure is one check over
the last four weeks; a simulation of stable series through the same rules and the same
26-week limits (``tests/test_exceptions.py``) flags about 4% of them on the worse side.
:func:`chance_sentence` says plainly how many exceptions chance alone would give, so a
meeting treats a lone exception as a question, not proof.

>>> chance_exceptions(26)
1.04
>>> print(chance_sentence(26))  # doctest: +NORMALIZE_WHITESPACE
The brief checked 26 series (request types' on-time share and backlog growth); about 1 of them
would show a signal by chance alone even if nothing had changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cda_lib.core.readable import ReadableTable
from cda_lib.metrics import composite, control, kpi
from cda_lib.text.dates import format_date
from cda_lib.text.numbers import format_number, format_percent
from cda_lib.text.translation import N_, gettext as _, ngettext

# The words for each measure (kept English in the data, translated where shown).
EXCEPTION_METRICS = {"on-time share": N_("on-time share"), "backlog growth": N_("backlog growth")}
BASELINE_WEEKS = 26  # half a year of weeks sets the limits
EXCEPTION_WEEKS = 4  # the latest weeks judged against them
# Share of stable series (one request type and measure, last four weeks judged on limits
# from the 26 before) flagged on the worse side by the five run rules by chance: 4.15% in a
# simulation of 4,000 normal series (tests/test_exceptions.py checks it again).
CHANCE_RATE_PER_CHECK = 0.04


@dataclass(frozen=True)
class Exceptions:
    """The exceptions found, the series that could not be checked, and how many were."""

    table: pd.DataFrame
    skipped: list[str]
    checks: int

    @property
    def types(self) -> int:
        """How many request types are on the list (a type can have two rows)."""
        return int(self.table["service_code"].nunique()) if len(self.table) else 0


def chance_exceptions(checks: int) -> float:
    """How many of ``checks`` stable series would show a worse-side signal by chance."""
    return round(checks * CHANCE_RATE_PER_CHECK, 2)


def chance_figure(checks: int) -> str:
    """:func:`chance_exceptions` written for a sentence: whole above one, else one decimal.

    >>> chance_figure(26), chance_figure(3)
    ('1', '0.1')
    """
    expected = chance_exceptions(checks)
    return format_number(expected, 0 if expected >= 0.95 else 1)


def chance_sentence(checks: int) -> str:
    """The number of series checked, and the exceptions chance alone would give, in words."""
    about = chance_figure(checks)
    return ngettext(
        "The brief checked {count} series (request types' on-time share and backlog growth); "
        "about {about} of them would show a signal by chance alone even if nothing had "
        "changed.",
        "The brief checked {count} series (request types' on-time share and backlog growth); "
        "about {about} of them would show a signal by chance alone even if nothing had "
        "changed.", checks, about=about)


def find_exceptions(requests: pd.DataFrame, standards: Mapping[str, float], as_of: pd.Timestamp,
                    week: pd.Period) -> Exceptions:
    """Request types whose on-time share fell or whose backlog grew beyond the usual range
    in the four weeks up to ``week``: at most one row per type and measure, the latest."""
    weekly = kpi.kpi_table(requests, standards, as_of=as_of, by=("service_code", "week"),
                           min_requests=1)
    weekly = weekly[weekly["week"] <= str(week)]
    names = composite.type_names(requests)
    rows, skipped, checks = [], [], 0
    for code, table in weekly.groupby("service_code", sort=True):
        table = table.set_index("week")
        growth = backlog_growth(table["backlog_at_end"])
        table = table.assign(backlog_growth=growth).tail(BASELINE_WEEKS + EXCEPTION_WEEKS)
        name = names.get(str(code), str(code))
        for metric, unit, worse in (("on-time share", "share", -1),
                                    ("backlog growth", "requests", 1)):
            if metric == "on-time share" and str(code) not in standards:
                continue
            if metric == "backlog growth" and table["backlog_growth"].notna().sum() == 0:
                continue
            try:
                chart = (control.p_chart(table["on_time_count"], table["on_time_known"],
                                         baseline=BASELINE_WEEKS, metric=metric)
                         if unit == "share" else
                         control.xmr_chart(table["backlog_growth"], baseline=BASELINE_WEEKS,
                                           metric=metric))
            except control.ControlChartError:
                skipped.append(_("{service} ({metric})", service=name,
                                 metric=_(EXCEPTION_METRICS[metric])))
                continue
            checks += 1
            rows += _worse_signals(chart, name, str(code), metric, unit, worse)
    columns = ["service", "service_code", "metric", "unit", "week", "value", "usual",
               "severity", "why"]
    table = pd.DataFrame(rows, columns=columns).sort_values(
        ["week", "severity", "service"], ascending=[False, False, True])
    return Exceptions(table.reset_index(drop=True), skipped, checks)


def backlog_growth(backlog: pd.Series) -> pd.Series:
    """Each week's backlog minus the week before's (opened minus closed in the week).

    Weeks are read from their labels, so a week missing from the table leaves the next
    week's growth unknown rather than spanning two weeks.

    >>> backlog = pd.Series([5, 7, 7, 4], index=["2025-03-03/2025-03-09",
    ...     "2025-03-10/2025-03-16", "2025-03-17/2025-03-23", "2025-03-31/2025-04-06"])
    >>> backlog_growth(backlog).tolist()
    [nan, 2.0, 0.0, nan]
    """
    values = backlog.astype(float)
    starts = pd.to_datetime([str(label).split("/")[0] for label in values.index])
    follows = np.r_[False, (starts[1:] - starts[:-1]) == pd.Timedelta(weeks=1)]
    return values.diff().where(follows)


def _worse_signals(chart: control.ControlChart, name: str, code: str, metric: str, unit: str,
                   worse: int) -> list[dict]:
    """The latest signal on the worse side in the recent weeks, if any (one row at most)."""
    recent = chart.table.iloc[-EXCEPTION_WEEKS:]
    worse_rows = recent[recent["signal"] & (np.sign(recent["zone"]) == worse)]
    if worse_rows.empty:
        return []
    label = worse_rows.index[-1]
    row = worse_rows.iloc[-1]
    why = chart.signals(first_rule_only=True).loc[label, "why"]
    return [{"service": name, "service_code": code, "metric": metric, "unit": unit,
             "week": label, "value": row["value"], "usual": row["center"],
             "severity": abs(float(row["zone"])), "why": why}]


def exception_rows(table: pd.DataFrame) -> list[tuple[str, ...]]:
    """Each exception written for reading: request type, measure, week (its first day), the
    week's value, the usual value and why it is a signal.

    >>> row = {"service": "Tree", "metric": "backlog growth", "unit": "requests",
    ...        "week": "2025-12-01/2025-12-07", "value": 20.0, "usual": -2.4, "why": "..."}
    >>> exception_rows(pd.DataFrame([row]))
    [('Tree', 'backlog growth', '01 Dec 2025', '+20', '-2', '...')]
    """
    rows = []
    for _index, row in table.iterrows():
        if row["unit"] == "share":
            value, usual = format_percent(row["value"]), format_percent(row["usual"])
        else:
            value, usual = (_signed(row["value"]), _signed(row["usual"]))
        week = str(row["week"])
        start = format_date(pd.Timestamp(week[:10])) if week[10:11] == "/" else week
        metric = str(row["metric"])
        rows.append((str(row["service"]), _(EXCEPTION_METRICS.get(metric, metric)), start,
                     value, usual, str(row["why"])))
    return rows


def exceptions_view(table: pd.DataFrame, checks: int) -> ReadableTable:
    """The exceptions as a table to read on the page, with the chance note below it."""
    headings = [_("Request type"), _("Measure"), _("Week of"), _("That week"), _("Usual"),
                _("Why it is a signal")]
    numeric = (False, False, False, True, True, False)
    rows = [[(text, right) for text, right in zip(row, numeric, strict=True)]
            for row in exception_rows(table)]
    notes = [_("Backlog growth is the requests opened minus the requests closed in the week.")]
    if checks:
        notes.append(chance_sentence(checks))
    if not rows:
        notes.insert(0, _("No request type got worse beyond its usual range."))
    return ReadableTable(headings, rows, caption=_("Exceptions that got worse"), notes=notes)


def _signed(value: float) -> str:
    rounded = round(float(value))
    return format_number(rounded, 0) if rounded <= 0 else "+" + format_number(rounded, 0)
