"""The weekly stat-meeting brief: the page a city manager brings to CitiStat.

Behn's PerformanceStat (civic-standards.md, B4) is a leadership routine: regular meetings
that look at current performance against targets and follow up on earlier commitments.
:func:`weekly_brief` gathers what such a meeting needs, for one week, from the city's own
service requests:

* **trend**: requests opened, on-time share and backlog for the last weeks;
* **versus target**: each target the city recorded (:mod:`cda_lib.metrics.targets`) with its
  latest actual value and the gap to its trajectory; without targets, the citywide
  on-time share against the default target;
* **top and bottom metrics**: the CityScore-style composite (:mod:`cda_lib.metrics.composite`)
  over the last four weeks, with its best and worst request types;
* **exceptions that got worse**: request types whose on-time share fell, or whose
  backlog rose, beyond their usual range in the latest weeks (control-chart signals,
  :mod:`cda_lib.metrics.control`), not every dip, so the meeting spends its time on real
  changes;
* **open follow-ups**: commitments from earlier meetings with owner and due date, kept
  by a :class:`FollowUpTracker` in the city's workspace, overdue ones first.

:meth:`StatBrief.to_html` writes it all as one self-contained, printable page (no link
to the internet; charts inlined), labelled SYNTHETIC DATA when it is.

>>> import tempfile
>>> from cda_lib.core.workspace import Workspace
>>> tracker = FollowUpTracker(Workspace("riverbend", folder=tempfile.mkdtemp()))
>>> item = tracker.add("Clear the pothole backlog in Mill District", owner="Public Works",
...                    due="2026-01-15", raised="2025-12-29")
>>> tracker.open_items(as_of="2026-01-20")[["id", "owner", "due", "overdue"]]
   id         owner         due  overdue
0   1  Public Works  2026-01-15     True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cda_lib.core.errors import CdaError, did_you_mean, list_choices
from cda_lib.core.files import write_text_atomically
from cda_lib.core.workspace import Workspace
from cda_lib.metrics import composite, kpi
from cda_lib.metrics.inputs import UnknownChoiceError, as_timestamp, require_columns
from cda_lib.metrics.periods import TIME_KEYS, describe_period, last_moment, period_label
from cda_lib.metrics.selection import select_requests
from cda_lib.metrics.targets import Target, gap, trajectory
from cda_lib.text.dates import format_date
from cda_lib.text.numbers import format_percent, format_value
from cda_lib.text.translation import N_, gettext as _, ngettext
from cda_lib.themes.lead.exceptions import (
    BASELINE_WEEKS,
    EXCEPTION_WEEKS,
    chance_sentence,
    find_exceptions,
)

FOLLOW_UPS_KEY = "stat_follow_ups"  # the workspace record of the follow-up tracker
STATUSES = ("open", "done", "dropped")
# The words a table shows for the values the brief compares in code (kept English in the data).
SHOWN_WORDS = {"ahead": N_("ahead"), "behind": N_("behind"), "on the line": N_("on the line"),
               "no value": N_("no value"), "citywide": N_("citywide")}
DATE_FIELDS = {"due": N_("due"), "raised": N_("raised")}  # as_of is the parameter's own name
TREND_WEEKS = 12  # a quarter of weekly points: enough to see a trend, short enough to read
SCORE_WEEKS = 4  # the composite over four weeks: one week is too few requests per type
TOP_N = 5  # top-5 / bottom-5 beside the score, as Boston's CityScore shows them


class BriefError(CdaError, ValueError):
    """The brief or its follow-up tracker was asked for something it cannot do."""


@dataclass(frozen=True)
class FollowUp:
    """A commitment made in a stat meeting: what, who, by when, and where it stands."""

    id: int
    commitment: str
    owner: str
    due: str
    status: str = "open"
    raised: str = ""
    metric: str = ""
    note: str = ""


class FollowUpTracker:
    """The follow-ups of a city's stat meetings, kept in its workspace between sessions."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace

    def items(self) -> list[FollowUp]:
        """Every follow-up, in the order they were added."""
        if FOLLOW_UPS_KEY not in set(self.workspace.records()["key"]):
            return []
        return [FollowUp(**record) for record in self.workspace.read(FOLLOW_UPS_KEY)]

    def add(self, commitment: str, *, owner: str, due, metric: str = "",
            raised=None) -> FollowUp:
        """Record a new commitment; ``raised`` is the meeting's date (default: today)."""
        commitment, owner = _text(commitment, "commitment"), _text(owner, "owner")
        items = self.items()
        item = FollowUp(id=max((i.id for i in items), default=0) + 1, commitment=commitment,
                        owner=owner, due=_date(due, "due"),
                        raised=_date(raised if raised is not None else dt.date.today(), "raised"),
                        metric=str(metric or ""))
        self._save([*items, item])
        return item

    def update(self, item_id: int, *, status: str | None = None, due=None,
               note: str | None = None) -> FollowUp:
        """Change a follow-up's status ("open", "done", "dropped"), due date or note."""
        items = self.items()
        found = [i for i in items if i.id == item_id]
        if not found:
            ids = [str(i.id) for i in items]
            listing = _("The follow-ups are numbered {ids}.", ids=list_choices(ids)) if ids \
                else _("There are no follow-ups yet.")
            raise BriefError(_("There is no follow-up number {number}. {listing} Use the id "
                               "shown in the tracker's table.", number=item_id, listing=listing))
        changes = {}
        if status is not None:
            if status not in STATUSES:
                raise BriefError(_('A follow-up\'s status can be {choices}, not "{status}".',
                                   choices=list_choices(STATUSES), status=status)
                                 + did_you_mean(str(status), STATUSES))
            changes["status"] = status
        if due is not None:
            changes["due"] = _date(due, "due")
        if note is not None:
            changes["note"] = str(note)
        updated = FollowUp(**{**asdict(found[0]), **changes})
        self._save([updated if i.id == item_id else i for i in items])
        return updated

    def table(self) -> pd.DataFrame:
        """All follow-ups as a table."""
        columns = list(FollowUp.__dataclass_fields__)
        return pd.DataFrame([asdict(i) for i in self.items()], columns=columns)

    def open_items(self, as_of=None) -> pd.DataFrame:
        """The open follow-ups, overdue first then by due date, with an ``overdue`` column."""
        today = pd.Timestamp(_date(as_of if as_of is not None else dt.date.today(), "as_of"))
        table = self.table()
        table = table[table["status"] == "open"].copy()
        table["overdue"] = pd.to_datetime(table["due"]) < today
        table = table.sort_values(["overdue", "due", "id"], ascending=[False, True, True])
        return table.reset_index(drop=True)

    def _save(self, items: list[FollowUp]) -> None:
        self.workspace.record(FOLLOW_UPS_KEY, [asdict(i) for i in items])


@dataclass
class StatBrief:
    """Everything on the weekly brief, as tables and sentences (see the module docstring)."""

    city_name: str
    synthetic: bool
    week: str
    week_start: pd.Timestamp
    week_end: pd.Timestamp
    as_of: pd.Timestamp
    headline: list[str]
    trend: pd.DataFrame
    versus_target: pd.DataFrame
    score: composite.CompositeScore
    top: pd.DataFrame
    bottom: pd.DataFrame
    exceptions: pd.DataFrame
    follow_ups: pd.DataFrame
    citywide: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    exception_checks: int = 0  # series checked for exceptions (type x measure)
    notes: list[str] = field(default_factory=list)
    source_note: str = ""

    @property
    def title(self) -> str:
        return _("{city} stat meeting brief: week of {start} to {end}", city=self.city_name,
                 start=format_date(self.week_start), end=format_date(self.week_end))

    def exceptions_view(self):
        """The exceptions as a table to read, with how many chance alone would give."""
        from cda_lib.themes.lead.exceptions import exceptions_view

        return exceptions_view(self.exceptions, self.exception_checks)

    def to_html(self) -> str:
        """The brief as one self-contained HTML page, laid out to print on one sheet."""
        from cda_lib.themes.lead.brief_page import page

        return page(self)

    def write_html(self, path: str | Path) -> Path:
        """Write :meth:`to_html` to ``path`` (written whole or not at all)."""
        path = Path(path)
        write_text_atomically(path, self.to_html())
        return path

    def _repr_html_(self) -> str:
        from cda_lib.themes.lead.brief_page import body

        return body(self, charts=True)

    def __repr__(self) -> str:
        return "\n".join([self.title, *(f"- {line}" for line in self.headline)])


def weekly_brief(requests: pd.DataFrame, standards: Mapping[str, float], *, as_of,
                 city_name: str, synthetic: bool, week=None, targets: Iterable[Target] = (),
                 follow_ups: FollowUpTracker | None = None,
                 on_time_target: float = composite.DEFAULT_ON_TIME_TARGET,
                 source_note: str = "") -> StatBrief:
    """Gather the weekly brief for the week holding ``week`` (default: the last full week).

    ``targets`` are the city's recorded targets (:func:`cda_lib.metrics.targets.read_targets`),
    ``follow_ups`` its tracker. ``synthetic`` puts the SYNTHETIC DATA label on the page.
    :func:`brief_for_city` fills all of these in from a loaded city.

    >>> from cda_lib import load_city_data
    >>> data = load_city_data("riverbend")  # doctest: +SKIP
    >>> brief = brief_for_city(data, Workspace("riverbend"))  # doctest: +SKIP
    >>> brief.write_html("build/riverbend/stat_brief.html")  # doctest: +SKIP
    """
    as_of = as_timestamp(as_of, "as_of")
    week_period = _week(requests, as_of, week)
    start, end = week_period.start_time, last_moment(week_period)
    weekly = kpi.kpi_table(requests, standards, as_of=as_of, by="week")
    weekly = weekly[weekly["week"] <= str(week_period)].reset_index(drop=True)
    trend = _trend(weekly)
    citywide = _trend(weekly, weeks=BASELINE_WEEKS + EXCEPTION_WEEKS)
    metrics = composite.latest_known_metrics(requests, standards, as_of=as_of, end=end,
                                             days=7 * SCORE_WEEKS,
                                             on_time_target=on_time_target, targets=targets)
    score = composite.city_score(metrics) if len(metrics) else composite.CompositeScore(
        None, metrics.assign(score=np.nan, note=""), composite.DEFAULT_CAP)
    versus = _versus_target(requests, standards, as_of, list(targets), weekly, on_time_target,
                            week_period)
    found = find_exceptions(requests, standards, as_of, week_period)
    open_items = (follow_ups.open_items(as_of=end.normalize()) if follow_ups is not None
                  else pd.DataFrame(columns=[*FollowUp.__dataclass_fields__, "overdue"]))
    notes = [_("On-time shares count requests whose standard has passed by the extract "
               "({as_of}); newer requests are pending, so the latest weeks count mostly the "
               "types with short standards.", as_of=format_date(as_of))]
    earlier = score_window_note(metrics, end, composite.type_names(requests))
    if earlier:
        notes.append(earlier)
    if found.checks:
        notes.append(chance_sentence(found.checks))
    if found.skipped:
        notes.append(_("Not checked for exceptions (too little data for control limits): "
                       "{types}.", types=list_choices(found.skipped, limit=6)))
    brief = StatBrief(
        city_name=city_name, synthetic=synthetic, week=str(week_period), week_start=start,
        week_end=end.floor("s"), as_of=as_of, headline=[], trend=trend, versus_target=versus,
        score=score, top=score.top(TOP_N) if score.value is not None else metrics.head(0),
        bottom=score.bottom(TOP_N) if score.value is not None else metrics.head(0),
        exceptions=found.table, exception_checks=found.checks, follow_ups=open_items,
        citywide=citywide, notes=notes,
        source_note=source_note)
    brief.headline = _headline(brief)
    return brief


def brief_for_city(data, workspace: Workspace | None = None, *, week=None) -> StatBrief:
    """The weekly brief for a loaded city (``load_city_data``), with its recorded targets
    and follow-ups when a workspace is given.
    """
    from cda_lib.metrics.targets import read_targets

    return weekly_brief(
        data.requests, data.city.service_standards, as_of=data.as_of, city_name=data.city.name,
        synthetic=data.is_synthetic, week=week,
        targets=read_targets(workspace) if workspace is not None else (),
        follow_ups=FollowUpTracker(workspace) if workspace is not None else None,
        source_note=data.chart_context.source_note)


# --- the parts ---------------------------------------------------------------------------


def _week(requests: pd.DataFrame, as_of: pd.Timestamp, week) -> pd.Period:
    """The week asked for, or the last full week (Monday to Sunday) before the extract."""
    require_columns(requests, ["requested_datetime"], _("a weekly brief"))
    freq = TIME_KEYS["week"]
    if week is None:
        current = as_of.to_period(freq)
        over = as_of.normalize() >= current.end_time.normalize()
        chosen = current if over else current - 1
    else:
        chosen = as_timestamp(week, "week").to_period(freq)
    first = requests["requested_datetime"].min()
    if pd.isna(first) or chosen.end_time < first or chosen.start_time > as_of:
        if pd.notna(first):
            raise BriefError(_("There is no data for the week of {week}. The data runs from "
                               "{first} to {last}; choose a week inside it.",
                               week=format_date(chosen.start_time), first=format_date(first),
                               last=format_date(as_of)))
        raise BriefError(_("There is no data for the week of {week}. The table has no "
                           "requests; choose a week inside it.",
                           week=format_date(chosen.start_time)))
    return chosen


def _trend(weekly: pd.DataFrame, weeks: int = TREND_WEEKS) -> pd.DataFrame:
    """The last ``weeks`` weeks of citywide figures."""
    grouped = weekly.groupby("week", sort=True)
    table = pd.DataFrame({
        "requests": grouped["requests"].sum(),
        "on_time_count": grouped["on_time_count"].sum(),
        "on_time_known": grouped["on_time_known"].sum(),
        "backlog_at_end": grouped["backlog_at_end"].sum(min_count=1),
    }).tail(weeks)
    table["on_time_share"] = np.where(table["on_time_known"] >= kpi.MIN_REQUESTS,
                                      table["on_time_count"] / table["on_time_known"].where(
                                          table["on_time_known"] > 0), np.nan)
    table = table.reset_index()
    return table[["week", "requests", "on_time_share", "on_time_count", "on_time_known",
                  "backlog_at_end"]]


def _versus_target(requests: pd.DataFrame, standards: Mapping[str, float], as_of: pd.Timestamp,
                   targets: list[Target], weekly: pd.DataFrame, on_time_target: float,
                   week: pd.Period) -> pd.DataFrame:
    rows = []
    for target in targets:
        rows.append(_target_row(requests, standards, as_of, target, week))
    if not rows:
        trend = _trend(weekly)
        known = trend.dropna(subset=["on_time_share"])
        actual = float(known["on_time_share"].iloc[-1]) if len(known) else np.nan
        period = str(known["week"].iloc[-1]) if len(known) else str(week)
        rows.append({"metric": _("On-time share, all request types"), "where": "citywide",
                     "period": period, "actual": actual, "expected": on_time_target,
                     "target": on_time_target, "due": "", "owner": "",
                     "status": _status(actual, on_time_target, True),
                     "note": _("No targets recorded yet: the default target is shown. Set "
                               "targets in module 1.3."), "unit": "share"})
    return pd.DataFrame(rows, columns=["metric", "where", "period", "actual", "expected",
                                       "target", "due", "owner", "status", "note", "unit"])


def _target_row(requests: pd.DataFrame, standards: Mapping[str, float], as_of: pd.Timestamp,
                target: Target, week: pd.Period) -> dict:
    where = ", ".join(x for x in (target.district, target.service_code) if x) or "citywide"
    row = {"metric": target.metric, "where": where, "period": "", "actual": np.nan,
           "expected": np.nan, "target": target.target, "due": target.due,
           "owner": target.owner or "", "status": "no value", "note": "",
           "unit": target.unit}
    if not target.kpi:
        row["note"] = _("The target names no KPI, so its actual value is not computed.")
        return row
    try:
        chosen = select_requests(requests, service_code=target.service_code,
                                     district=target.district)
    except UnknownChoiceError as problem:
        row["note"] = str(problem)
        return row
    key = target.frequency
    table = kpi.kpi_table(chosen, standards, as_of=as_of, by=key).set_index(key)
    line = trajectory(target)
    until = period_label(week.end_time, key)
    values = table[target.kpi].astype(float)
    values = values[[p <= until for p in values.index]].dropna()
    if until < str(target.start) and len(values):
        return _before_start(row, values, target)
    gaps = gap(values[values.index.isin(line["period"])], target)
    known = gaps[gaps["status"] != "no value"]
    if known.empty:
        row["note"] = _("No value yet within the target's period.")
        return row
    latest = known.iloc[-1]
    row.update(period=latest["period"], actual=latest["actual"], expected=latest["expected"],
               status=latest["status"])
    return row


def _before_start(row: dict, values: pd.Series, target: Target) -> dict:
    """A target whose trajectory starts after the brief's week: the latest value against
    the baseline, where the line starts (page 1.3 sets targets from the period after the
    data ends, so the brief of the data's last week always sees this)."""
    period, actual = str(values.index[-1]), float(values.iloc[-1])
    row.update(period=period, actual=actual, expected=float(target.baseline),
               status=_status(actual, float(target.baseline),
                              target.direction == "higher_is_better"),
               note=_("The target's line starts in {start}; until then the latest value is "
                      "set against its baseline.", start=describe_period(target.start)))
    return row


def _status(actual: float, expected: float, higher_is_better: bool) -> str:
    if pd.isna(actual):
        return "no value"
    better = actual - expected if higher_is_better else expected - actual
    return "ahead" if better > 0 else ("behind" if better < 0 else "on the line")


def _headline(brief: StatBrief) -> list[str]:
    trend = brief.trend
    lines = []
    this_week = trend[trend["week"] == brief.week]
    if len(this_week):
        count = int(this_week["requests"].iloc[0])
        before = trend[trend["week"] < brief.week]["requests"]
        usual = before.mean() if len(before) else 0
        if usual > 0:
            lines.append(ngettext(
                "{count:,} request opened this week ({change} against the {weeks} weeks before).",
                "{count:,} requests opened this week ({change} against the {weeks} weeks "
                "before).", count, change=format_percent((count - usual) / usual, signed=True),
                weeks=len(before)))
        else:
            lines.append(ngettext("{count:,} request opened this week.",
                                  "{count:,} requests opened this week.", count))
        backlog = this_week["backlog_at_end"].iloc[0]
        if pd.notna(backlog):
            earlier = trend[trend["week"] < brief.week]["backlog_at_end"].dropna()
            lines.append(_backlog_line(int(backlog), int(backlog - earlier.iloc[-4])
                                       if len(earlier) >= 4 else None))
    if brief.score.value is not None:
        lines.append(_("City score {score} over each request type's latest {weeks} weeks with "
                       "known outcomes ({words}).",
                       score=format_value(brief.score.value, "score"), weeks=SCORE_WEEKS,
                       words=score_words(brief.score.value)))
    lines.append(exceptions_line(brief))
    if len(brief.follow_ups):
        overdue = int(brief.follow_ups["overdue"].sum())
        lines.append(ngettext("{count} open follow-up, {overdue} overdue.",
                              "{count} open follow-ups, {overdue} overdue.",
                              len(brief.follow_ups), overdue=overdue))
    else:
        lines.append(_("No open follow-ups."))
    return lines


def score_window_note(metrics: pd.DataFrame, end: pd.Timestamp, names: Mapping[str, str]) -> str:
    """Which request types the score reads on earlier weeks, because their standard is longer
    than the time since (see :func:`cda_lib.metrics.composite.latest_known_metrics`)."""
    if "window_end" not in metrics or metrics.empty:
        return ""
    shifted = metrics[metrics["window_end"] < end.normalize()]
    if shifted.empty:
        return ""
    earliest = shifted.sort_values("window_end").iloc[0]
    code = str(earliest["service_code"])
    return ngettext(
        "The city score counts every request type over its latest {weeks} weeks of requests "
        "whose standard has passed, so {count} type is read on earlier weeks: {service}, on "
        "its requests of {start} to {end}.",
        "The city score counts every request type over its latest {weeks} weeks of requests "
        "whose standard has passed, so {count} types are read on earlier weeks, back to "
        "{service}'s requests of {start} to {end}.", len(shifted), weeks=SCORE_WEEKS,
        service=names.get(code, code), start=format_date(earliest["window_start"]),
        end=format_date(earliest["window_end"]))


def exceptions_line(brief: StatBrief) -> str:
    """The headline's sentence on exceptions: how many, in how many request types.

    A type can be listed twice (its on-time share and its backlog growth), so the rows and
    the types are both counted.
    """
    count = len(brief.exceptions)
    if not count:
        return _("No exceptions: no request type got worse beyond its usual range.")
    types = int(brief.exceptions["service_code"].nunique())
    if types == count:
        return ngettext(
            "{count} request type got worse beyond its usual range in the last {weeks} weeks "
            "(on-time share or backlog growth).",
            "{count} request types got worse beyond their usual range in the last {weeks} "
            "weeks (on-time share or backlog growth).", count, weeks=EXCEPTION_WEEKS)
    return ngettext(
        "{rows} exceptions in {count} request type: its on-time share and its backlog growth "
        "got worse beyond the usual range in the last {weeks} weeks.",
        "{rows} exceptions in {count} request types: on-time share or backlog growth got worse "
        "beyond the usual range in the last {weeks} weeks.", types, rows=count,
        weeks=EXCEPTION_WEEKS)


def _backlog_line(backlog: int, change: int | None) -> str:
    """The backlog at the week's end, and its change on four weeks before when known."""
    if change is None:
        return ngettext("{count:,} request open at the end of the week.",
                        "{count:,} requests open at the end of the week.", backlog)
    if change:
        return ngettext("{count:,} request open at the end of the week ({change:+,} in four "
                        "weeks).",
                        "{count:,} requests open at the end of the week ({change:+,} in four "
                        "weeks).", backlog, change=change)
    return ngettext("{count:,} request open at the end of the week (the same as four weeks "
                    "before).",
                    "{count:,} requests open at the end of the week (the same as four weeks "
                    "before).", backlog)


def score_words(value: float) -> str:
    if abs(value - 1) < 0.005:
        return _("on target")
    return _("above target") if value > 1 else _("below target")


# --- small checks ------------------------------------------------------------------------


def _text(value, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        needs = {"commitment": _("A follow-up needs a commitment, written as text (e.g. "
                                 "\"Public Works\" for an owner)."),
                 "owner": _("A follow-up needs an owner, written as text (e.g. \"Public "
                            "Works\" for an owner).")}
        raise BriefError(needs[what])
    return value.strip()


def _date(value, what: str) -> str:
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise BriefError(_('The {what} date "{value}" is not a date the workbook can read. '
                           'Write it as year-month-day, e.g. "2026-01-15".',
                           what=_(DATE_FIELDS.get(what, what)), value=value))
    return stamp.date().isoformat()
