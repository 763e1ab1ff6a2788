"""The weekly stat-meeting routine around the brief: what it compares against, the follow-ups
it carries from meeting to meeting, and the page the city manager takes into the room.

:mod:`cda_lib.themes.lead.brief` gathers the brief and keeps the follow-up tracker; this
module is the routine around them (page 1.5, *Data in the weekly routine*):

* :func:`comparison_basis`: the targets the city recorded on page 1.3, or, when there are
  none yet, the city's service standards with the default on-time target, said plainly;
* :func:`score_display`: the best and worst request types, or why there is no score;
* :func:`meeting_date`, :func:`suggest_follow_up`, :func:`evaluation_follow_up`: a
  meeting's date and commitments worth recording, each with an owner and a due date;
* :func:`ensure_follow_up`: add a commitment only if the tracker does not hold it yet, so
  running a page twice never records it twice;
* :func:`follow_up_view`: the tracker's table with every commitment shown in full;
* :func:`write_brief` and :func:`brief_link`: the one-page HTML in the city's build
  folder (``build/<city>/stat_briefs/``, next to its workspace) and a link to it;
* :func:`record_brief`: what the brief said, in the workspace, for later modules.

>>> import tempfile
>>> from cda_lib.themes.lead.brief import FollowUpTracker
>>> tracker = FollowUpTracker(Workspace("riverbend", folder=tempfile.mkdtemp()))
>>> first = ensure_follow_up(tracker, "Clear the pothole backlog", owner="Public Works",
...                          due="2026-01-12", raised="2025-12-29")
>>> again = ensure_follow_up(tracker, "Clear the  pothole backlog", owner="Public Works",
...                          due="2026-01-12", raised="2025-12-29")
>>> first.id == again.id, len(tracker.items())
(True, 1)
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cda_lib.charts.style import Chart, ChartContext
from cda_lib.core import paths
from cda_lib.core.frames import frame_html
from cda_lib.core.workspace import Workspace
from cda_lib.metrics.composite import DEFAULT_ON_TIME_TARGET, CompositeScore
from cda_lib.metrics.periods import describe_period
from cda_lib.metrics.targets import Target, targets_table
from cda_lib.text.dates import format_date
from cda_lib.text.numbers import format_bound, format_number, format_percent, format_points
from cda_lib.text.translation import N_, gettext as _, ngettext
from cda_lib.themes.lead.brief import FollowUp, FollowUpTracker, StatBrief
from cda_lib.themes.lead.performance_charts import plot_composite
from cda_lib.themes.lead.pilot_evaluation import WORKSPACE_KEY as EVALUATION_KEY, EvaluationPlan

if TYPE_CHECKING:
    from cda_lib.data import CityData

BRIEFS_FOLDER = "stat_briefs"  # in build/<city>/, beside the workspace folder
# CitiStat met every two weeks (civic-standards.md, B4): a commitment is due at the next one.
MEETING_CADENCE_DAYS = 14
# The evaluation was asked for at the meeting before, and due a week before this one.
EVALUATION_DUE_DAYS = 7
EVALUATION_OWNER = N_("Performance and data team")  # who evaluates changes: the analysts
FALLBACK_OWNER = N_("City manager's office")  # when the data names no department for a type
WORKSPACE_KEY = "stat_brief"  # the workspace record of the latest brief


# --- what the brief compares against ---------------------------------------------------------


@dataclass(frozen=True)
class ComparisonBasis:
    """What the brief measures the city against: recorded targets, or service standards."""

    uses_targets: bool
    text: str
    table: pd.DataFrame

    def __str__(self) -> str:
        return f"{self.text}\n{self.table.to_string(index=False)}"

    __repr__ = __str__  # plain text shows the words, not the fields

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.text)}</p>{frame_html(self.table)}"


def comparison_basis(targets: list[Target], data: CityData) -> ComparisonBasis:
    """The targets recorded on page 1.3, or the service standards when there are none.

    >>> from types import SimpleNamespace
    >>> city = SimpleNamespace(service_standards={"POTHOLE": 5})
    >>> requests = pd.DataFrame({"service_code": ["POTHOLE"], "service_name": ["Pothole"]})
    >>> basis = comparison_basis([], SimpleNamespace(city=city, requests=requests))
    >>> basis.uses_targets, basis.table.to_dict("records")
    (False, [{'service_code': 'POTHOLE', 'service_name': 'Pothole', 'days_to_close': 5.0}])
    """
    if targets:
        count = len(targets)
        text = ngettext("The brief compares the city with the {count} target recorded on page "
                        "1.3: each target's latest actual value against its trajectory from "
                        "baseline to target.",
                        "The brief compares the city with the {count} targets recorded on page "
                        "1.3: each target's latest actual value against its trajectory from "
                        "baseline to target.", count)
        return ComparisonBasis(True, text, targets_table(targets))
    standards = data.city.service_standards
    names = {}
    if "service_name" in data.requests.columns:
        pairs = data.requests[["service_code", "service_name"]].dropna().astype(str)
        names = pairs.drop_duplicates("service_code").set_index("service_code")["service_name"]
    table = pd.DataFrame({
        "service_code": list(standards),
        "service_name": [str(names.get(code, code)) for code in standards],
        "days_to_close": [float(days) for days in standards.values()]})
    text = _("No targets are recorded yet (page 1.3 records them), so the brief measures each "
             "request type against the city's service standards below: a request is on time "
             "when it closes within its type's days. The on-time target is the default, "
             "{target} of requests on time, until the city sets its own.",
             target=format_percent(DEFAULT_ON_TIME_TARGET))
    return ComparisonBasis(False, text, table)


def score_display(brief: StatBrief, *, context: ChartContext) -> Chart | CompositeScore:
    """The top-and-bottom chart of the brief's city score or, when no request type had
    enough requests to score, the score's own sentence saying so."""
    if brief.score.value is None:
        return brief.score
    return plot_composite(brief.score, context=context)


# --- the meeting's commitments -----------------------------------------------------------------


def meeting_date(brief: StatBrief) -> pd.Timestamp:
    """The meeting the brief is for: the Monday after its week."""
    return brief.week_end.normalize() + pd.Timedelta(days=1)


@dataclass(frozen=True)
class Commitment:
    """A follow-up to record: what, who, by when, raised at which meeting, about which metric."""

    commitment: str
    owner: str
    due: str
    raised: str
    metric: str = ""

    def add_to(self, tracker: FollowUpTracker) -> FollowUp:
        """Record it in ``tracker`` unless it is there already (see :func:`ensure_follow_up`)."""
        return ensure_follow_up(tracker, self.commitment, owner=self.owner, due=self.due,
                                raised=self.raised, metric=self.metric)


def suggest_follow_up(brief: StatBrief, requests: pd.DataFrame) -> Commitment:
    """A commitment for the meeting, from the brief's first exception.

    The owner is the department the data names for that request type; it is due at the
    next meeting. Without exceptions, the lowest-scoring request type gets the follow-up.
    """
    meeting = meeting_date(brief)
    due = (meeting + pd.Timedelta(days=MEETING_CADENCE_DAYS)).date().isoformat()
    raised = meeting.date().isoformat()
    if len(brief.exceptions):
        row = brief.exceptions.iloc[0]
        service, code = str(row["service"]), str(row["service_code"])
        if row["unit"] == "share":
            what = _("Find why the on-time share for {service} fell to {value} (usual {usual}) "
                     "and bring a recovery plan", service=service,
                     value=format_percent(row["value"]), usual=format_percent(row["usual"]))
        else:
            what = _("Find why the {service} backlog grew by {value} requests in {week} "
                     "(usual about {usual}) and bring a plan to bring it back",
                     service=service, value=format_number(row["value"], 0),
                     week=describe_period(row["week"]),
                     usual=format_number(row["usual"], 0))
        return Commitment(what, _owner(requests, code, service), due, raised, str(row["metric"]))
    if len(brief.bottom):
        row = brief.bottom.iloc[0]
        code = str(row["service_code"])
        service = str(row["service"])
        what = _("Bring a plan to lift the on-time share for {service} ({actual}, target "
                 "{target})", service=service, actual=format_percent(row["actual"]),
                 target=format_percent(row["target"]))
        return Commitment(what, _owner(requests, code, service), due, raised, "on-time share")
    return Commitment(_("Review the trend on this brief and propose targets for the next "
                        "quarter"), _(FALLBACK_OWNER), due, raised)


def evaluation_follow_up(plan: EvaluationPlan, brief: StatBrief) -> Commitment:
    """The commitment the meeting before made: evaluate the change of page 1.4."""
    meeting = meeting_date(brief)
    raised = meeting - pd.Timedelta(days=MEETING_CADENCE_DAYS)
    due = meeting - pd.Timedelta(days=EVALUATION_DUE_DAYS)
    what = _("Evaluate the change in {service} requests in {district} from {start} with a "
             "comparison group, and report what can be concluded", service=plan.service_name,
             district=plan.district, start=_day_month_year(plan.start))
    return Commitment(what, _(EVALUATION_OWNER), due.date().isoformat(),
                      raised.date().isoformat(),
                      "on-time share")


def evaluation_status(workspace: Workspace) -> tuple[bool, str]:
    """Whether page 1.4 recorded its evaluation, and a note saying what it found."""
    if EVALUATION_KEY not in set(workspace.records()["key"]):
        return False, _("Not recorded yet: run page 1.4, Did it work?, to evaluate the change.")
    found = workspace.read(EVALUATION_KEY)
    values = {"estimate": format_points(found["estimate"]),
              "level": format_percent(found["confidence"]), "low": format_bound(found["low"]),
              "high": format_bound(found["high"])}
    if found["interval_excludes_zero"]:
        return True, _("Done on page 1.4: {estimate} against the comparison districts ({level} "
                       "interval {low} to {high}, which leaves out zero).", **values)
    return True, _("Done on page 1.4: {estimate} against the comparison districts ({level} "
                   "interval {low} to {high}, which includes zero, so the data cannot yet tell "
                   "it from chance).", **values)


def _owner(requests: pd.DataFrame, code: str, service: str) -> str:
    """The department the data most often names for a request type."""
    if "agency_responsible" in requests.columns:
        agencies = requests.loc[(requests["service_code"] == code).to_numpy(),
                                "agency_responsible"].dropna().astype(str)
        agencies = agencies[agencies.str.strip() != ""]
        if len(agencies):
            counts = agencies.value_counts().sort_index()
            return str(counts.sort_values(ascending=False, kind="stable").index[0])
    return _("{owner} (name the department responsible for {service})",
             owner=_(FALLBACK_OWNER), service=service)


def ensure_follow_up(tracker: FollowUpTracker, commitment: str, *, owner: str, due,
                     raised, metric: str = "") -> FollowUp:
    """Add a follow-up unless the tracker already holds it; return the one it holds.

    The same commitment (ignoring case and extra spaces) for the same owner counts as
    already there, whatever its status: a page run twice records it once, and a
    follow-up already marked done stays done.
    """
    wanted = (_normal(commitment), _normal(owner))
    for item in tracker.items():
        if (_normal(item.commitment), _normal(item.owner)) == wanted:
            return item
    return tracker.add(commitment, owner=owner, due=due, raised=raised, metric=metric)


def _normal(text: str) -> str:
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True)
class FollowUpView:
    """A table of follow-ups shown whole: every commitment in full, no row numbers."""

    table: pd.DataFrame

    def __str__(self) -> str:
        if self.table.empty:
            return _("No follow-ups.")
        return self.table.to_string(index=False)

    __repr__ = __str__  # plain text shows the words, not the fields

    def _repr_html_(self) -> str:
        if self.table.empty:
            return "<p>" + html.escape(_("No follow-ups.")) + "</p>"
        return frame_html(self.table)


def follow_up_view(table: pd.DataFrame) -> FollowUpView:
    """Show a tracker's table (``tracker.table()`` or ``open_items()``) with each commitment
    in full, where a notebook's usual table display would cut it after 50 characters.

    >>> print(follow_up_view(pd.DataFrame({"id": [1], "owner": ["Public Works"]})))
     id        owner
      1 Public Works
    """
    return FollowUpView(table)


# --- the page and its record ---------------------------------------------------------------


def brief_path(city_id: str, brief: StatBrief) -> Path:
    """Where the week's page goes: ``build/<city>/stat_briefs/stat_brief_<Monday>.html``."""
    return paths.build_dir() / city_id / BRIEFS_FOLDER / \
        f"stat_brief_{brief.week_start:%Y-%m-%d}.html"


def write_brief(brief: StatBrief, city_id: str) -> Path:
    """Write the one-page brief into the city's build folder and return its path."""
    return brief.write_html(brief_path(city_id, brief))


@dataclass(frozen=True)
class BriefLink:
    """A link to the brief's page, relative to where the notebook runs."""

    path: Path
    href: str
    label: str

    def __str__(self) -> str:
        return f"{self.label}: {self.path}"

    __repr__ = __str__  # plain text shows the words, not the fields

    def _repr_html_(self) -> str:
        where = _("{path} in the build folder", path=_from_build(self.path))
        return (f'<p><a href="{html.escape(self.href, quote=True)}" target="_blank">'
                f"{html.escape(self.label)}</a> <span style=\"color:#555\">"
                f"({html.escape(where)})</span></p>")


def brief_link(path: str | Path, label: str | None = None,
               start: str | Path | None = None) -> BriefLink:
    """A link to ``path`` from ``start`` (default: the folder the notebook runs in).

    >>> brief_link("/w/build/riverbend/stat_briefs/b.html", start="/w/build/riverbend/01_lead").href
    '../stat_briefs/b.html'
    """
    path = Path(path)
    label = _("Open the one-page brief") if label is None else label
    base = Path(start) if start is not None else Path.cwd()
    try:
        href = Path(os.path.relpath(path, base)).as_posix()
    except ValueError:  # another drive (Windows): no relative way there
        href = path.resolve().as_uri()
    return BriefLink(path, href, label)


def brief_record(brief: StatBrief, path: Path | None = None) -> dict[str, Any]:
    """What the brief said, as plain values, for the workspace."""
    overdue = int(brief.follow_ups["overdue"].sum()) if len(brief.follow_ups) else 0
    return {
        "week": brief.week, "meeting": meeting_date(brief).date().isoformat(),
        "headline": list(brief.headline),
        "city_score": brief.score.value,
        "exceptions": int(len(brief.exceptions)),
        "exception_types": sorted(brief.exceptions["service"].astype(str).unique().tolist()),
        "open_follow_ups": int(len(brief.follow_ups)), "overdue_follow_ups": overdue,
        "targets_tracked": int(sum(brief.versus_target["due"].astype(str) != "")),
        "page": None if path is None else _from_build(path),
    }


def record_brief(workspace: Workspace, brief: StatBrief, path: Path | None = None
                 ) -> dict[str, Any]:
    """Save :func:`brief_record` in the workspace (under ``stat_brief``) and return it."""
    record = brief_record(brief, path)
    workspace.record(WORKSPACE_KEY, record)
    return record


def _day_month_year(moment: pd.Timestamp) -> str:
    """A day as "3 Mar 2025" (no leading zero): the day, then the month abbreviated."""
    return _("{day} {month_year}", day=moment.day, month_year=format_date(moment, "month_short"))


def _from_build(path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(paths.build_dir().resolve()).as_posix()
    except ValueError:
        return str(path)
