"""The records modules leave for later ones: each key, its owner, its shape, what it means.

A notebook records a result in its city's workspace (:class:`cda_lib.core.workspace.
Workspace`) so that a later module (the weekly brief, the cohort page, the capstone) can
read it. Every key is declared here, once: the module that owns it (the only one that
writes it), the shape of its value and one line saying what it is. The workspace refuses
anything else, so a record cannot drift from what its readers expect.

The shapes are few: a number, a share (0 to 1), a count, text, a table with named
columns and a set of named fields. Any record may also be empty (``None``): the module ran,
but this city's data could not give the figure (one year of data has no year before it to
compare with), and a reader says so rather than failing. Adding a theme means adding its
records here.

>>> RECORDS["top_request_type"].module, str(RECORDS["top_request_type"].shape)
('0.2', 'text')
>>> [spec.key for spec in records_of("1.4")]
['evaluation_did']
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from cda_lib.core.errors import WorkspaceError, did_you_mean, list_choices
from cda_lib.core.modules import module_id
from cda_lib.text.translation import N_


class RecordError(WorkspaceError, ValueError):
    """A value does not fit its declared record, or comes from a module that does not own it."""


# --- the shapes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """The shape of a recorded value; :meth:`problem` says what is wrong with one, if anything.

    Values are checked as they are stored (plain JSON: a table is a list of rows).
    """

    kind: str  # "number", "share", "count" or "text"
    fix = "Record a value of that shape."

    def __str__(self) -> str:
        return {"number": "a number", "share": "a share (a number from 0 to 1)",
                "count": "a count (a whole number, 0 or more)", "text": "text"}[self.kind]

    def problem(self, value: Any) -> str | None:
        if self.kind == "text":
            return None if isinstance(value, str) else _was(value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return _was(value)
        if self.kind == "count" and (not isinstance(value, int) or value < 0):
            return f"it was {value}"
        if self.kind == "share" and not math.isnan(value) and not 0 <= value <= 1:
            return f"it was {value}"
        return None


@dataclass(frozen=True)
class Table:
    """A table with these columns (any number of rows)."""

    columns: tuple[str, ...]
    fix = "Select those columns of the table first (table[[...]])."

    def __str__(self) -> str:
        return f"a table with the columns {list_choices(self.columns, limit=len(self.columns))}"

    def problem(self, value: Any) -> str | None:
        if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
            return _was(value)
        for row in value:
            different = _different_names(row, self.columns, "column")
            if different:
                return different
        return None


@dataclass(frozen=True)
class Fields:
    """A set of named values (a mapping with exactly these fields)."""

    names: tuple[str, ...]
    fix = "Give it exactly those fields."

    def __str__(self) -> str:
        return f"a set of named values: {list_choices(self.names, limit=len(self.names))}"

    def problem(self, value: Any) -> str | None:
        if not isinstance(value, dict):
            return _was(value)
        return _different_names(value, self.names, "field")


NUMBER = Shape("number")
SHARE = Shape("share")
COUNT = Shape("count")
TEXT = Shape("text")


def _was(value: Any) -> str:
    if isinstance(value, list):
        return "it was a list"
    if isinstance(value, dict):
        return "it was a set of named values"
    return f"it was {type(value).__name__} {value!r}"[:120]


def _different_names(given: dict, names: tuple[str, ...], what: str) -> str | None:
    missing = [name for name in names if name not in given]
    extra = [str(name) for name in given if name not in names]
    if missing:
        return f"it has no {what}{'s' if len(missing) > 1 else ''} {list_choices(missing)}"
    if extra:
        return f"it also has the {what}{'s' if len(extra) > 1 else ''} {list_choices(extra)}"
    return None


# --- the registry -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordSpec:
    """One declared record: its key, its owner module, the shape of its value, its meaning
    (marked for the catalogs: a page translates it where it shows it)."""

    key: str
    module: str
    shape: Shape | Table | Fields
    description: str


_DECLARED = (
    # 0.2 Your city at a glance
    RecordSpec("requests_last_12_months", "0.2", COUNT,
               N_("Requests opened in the 12 months up to the data's last day.")),
    RecordSpec("top_request_type", "0.2", TEXT, N_("The most common request type, all years.")),
    RecordSpec("share_of_rows_set_aside", "0.2", SHARE,
               N_("Share of the rows read that the load set aside as unusable.")),
    # 1.1 Asking good questions
    RecordSpec("requests_change_12_months", "1.1", NUMBER,
               N_("Change in requests, last 12 months against the 12 before (0.1 = 10% more).")),
    RecordSpec("top_5_types_share", "1.1", SHARE,
               N_("Share of all requests that are of the five most common types.")),
    RecordSpec("most_seasonal_type", "1.1",
               Fields(("name", "peak_month", "peak_index", "quietest_month", "quietest_index")),
               N_("The request type with the strongest season: its busiest and quietest months.")),
    RecordSpec("requests_per_1000_by_district", "1.1",
               Table(("district", "per_1000_a_year", "online_share")),
               N_("Requests a year per 1,000 residents and the share made online, by district.")),
    RecordSpec("measurable_question", "1.1", Fields(("asked", "measurable")),
               N_("The question the team asked and its measurable version.")),
    # 1.2 Measuring performance
    RecordSpec("city_score", "1.2",
               Fields(("value", "period", "cap", "on_time_target", "metrics")),
               N_("The city score of the latest whole period, with its cap, target and "
                  "metric count.")),
    RecordSpec("city_score_metrics", "1.2",
               Table(("metric", "actual", "target", "direction", "score")),
               N_("Each metric in the city score: its actual value, target and score.")),
    RecordSpec("key_figures", "1.2",
               Fields(("period", "requests", "still_open", "median_days", "median_at_least",
                       "p90_days", "p90_at_least", "mean_days_closed", "median_days_closed",
                       "on_time_share", "reopen_rate", "cancellation_rate", "backlog_at_end")),
               N_("The citywide figures of the latest whole period.")),
    RecordSpec("on_time_by_type", "1.2",
               Table(("service_name", "standard_days", "on_time_known", "on_time_share",
                      "median_days", "p90_days")),
               N_("On-time share and days to close of each request type, latest whole period.")),
    # 1.3 Targets and signal
    RecordSpec("targets", "1.3",
               Table(("metric", "baseline", "target", "start", "due", "direction", "unit",
                      "frequency", "district", "service_code", "owner", "kpi")),
               N_("Every target the city set: baseline, target, dates and the part of the city.")),
    RecordSpec("on_time_signals", "1.3", Fields(("summary", "signals")),
               N_("The signals of real change in the on-time share, and the months they fall in.")),
    # 1.4 Did it work?
    RecordSpec("evaluation_did", "1.4",
               Fields(("plan", "district", "service_code", "start", "comparison_districts",
                       "estimate", "low", "high", "confidence", "interval_excludes_zero",
                       "treated_before", "treated_after", "comparison_before",
                       "comparison_after", "weeks_before", "weeks_after", "requests",
                       "placebo_estimate", "placebo_low", "placebo_high", "true_effect",
                       "interval_contains_truth", "summary")),
               N_("The difference-in-differences estimate of a change, with its interval.")),
    # 1.5 Data in the weekly routine
    RecordSpec("stat_follow_ups", "1.5",
               Table(("id", "commitment", "owner", "due", "status", "raised", "metric",
                      "note")),
               N_("The commitments made in stat meetings, who owns them and where they stand.")),
    RecordSpec("stat_brief", "1.5",
               Fields(("week", "meeting", "headline", "city_score", "exceptions",
                       "exception_types", "open_follow_ups", "overdue_follow_ups",
                       "targets_tracked", "page")),
               N_("What the latest weekly brief said, and where its page is.")),
    # 2.1 Where are we now?
    RecordSpec("maturity_answers", "2.1", Table(("member", "statement", "score")),
               N_("Each team member's score, 1 to 5, on each statement of the maturity "
                  "questionnaire.")),
    RecordSpec("maturity_profile", "2.1",
               Fields(("city", "version", "members", "synthetic", "governance", "quality",
                       "use", "capacity", "transparency", "spread_most", "weakest",
                       "wwc_points", "wwc_of", "wwc_tier")),
               N_("The team's data-maturity profile: averages, widest disagreement, weakest "
                  "practices, WWC estimate.")),
    # 2.2 What data do we have, and how good is it?
    RecordSpec("data_inventory", "2.2",
               Fields(("datasets", "average_score", "complete", "worst_gaps", "synthetic",
                       "data_json", "data_json_valid")),
               N_("The inventory's audit: datasets, average score (0 to 100), worst gaps, "
                  "its data.json.")),
    RecordSpec("department_scorecard", "2.2",
               Table(("department", "datasets", "metadata", "up_to_date", "published", "score")),
               N_("Each department's inventory score: metadata, share up to date, share "
                  "published.")),
    RecordSpec("request_quality", "2.2",
               Fields(("rows_read", "completeness", "validity", "consistency", "lag_days",
                       "bias_ratio")),
               N_("The requests' quality dimensions: problems per row, days behind, the gap "
                  "between districts.")),
    # 2.3 People and skills
    RecordSpec("skills_gaps", "2.3",
               Table(("role", "kind", "people", "levels_short", "trainee", "train_cost",
                      "train_months", "hire_cost", "hire_months", "choice")),
               N_("Each gap in the data team, with what training and hiring for it cost "
                  "and take.")),
    RecordSpec("talent_plan", "2.3",
               Fields(("roles_version", "currency", "team", "seats", "empty_seats",
                       "members_short", "levels_short", "gaps", "train", "hire", "judgement",
                       "train_cost", "hire_cost_a_year", "at_risk", "headline")),
               N_("The data team's gaps, its train-or-hire choices and who may leave.")),
    # 2.4 Choosing what to fund
    RecordSpec("investment_weights", "2.4",
               Fields(("governance", "quality", "use", "capacity", "transparency")),
               N_("The weight the team gave each strategy component, as shares that add up "
                  "to 1.")),
    RecordSpec("investment_portfolio", "2.4",
               Table(("id", "name", "kind", "cost", "score", "risk", "always_chosen")),
               N_("The investments the best portfolio funds: cost, weighted score, risk, "
                  "firmness.")),
    RecordSpec("investment_memo", "2.4",
               Fields(("budget", "currency", "spent", "total_score", "funded", "candidates",
                       "ranking_total_score", "always_chosen", "cases_changed",
                       "high_risk_limit", "headline", "page")),
               N_("What the investment memo for the budget office recommended, and its page.")),
    # 2.5 AI use cases and their risks
    RecordSpec("ai_register", "2.5",
               Table(("id", "name", "status", "owner", "risk", "impact", "appropriate_use",
                      "accountability", "third_party", "historic_bias", "technical_bias",
                      "mitigations")),
               N_("The city's uses of AI and algorithms: each one's risk, the safeguards it "
                  "needs and its owner.")),
    # 3.1 Who has a stake
    RecordSpec("stakeholder_map", "3.1",
               Table(("name", "group", "district", "interest", "influence", "quadrant")),
               N_("The city's stakeholders: interest and influence from 1 to 5, and the "
                  "quadrant each is in.")),
    RecordSpec("kickoff_figures", "3.1", Table(("figure", "value", "sentence")),
               N_("The three figures of the kick-off stakeholder meeting, each with its "
                  "sentence.")),
    # 3.2 What residents tell us
    RecordSpec("survey_results", "3.2",
               Table(("question", "unweighted", "weighted", "margin_of_error", "respondents",
                      "effective_respondents", "design_effect")),
               N_("The resident survey's answers, unweighted and weighted, with their margins "
                  "of error.")),
    # 3.3 Who is served, and who is missed
    RecordSpec("equity_by_district", "3.3",
               Table(("district", "share_low_income", "per_1000_a_year", "median_days",
                      "on_time_share")),
               N_("Each district's request rate, median days and on-time share, beside its "
                  "low-income share.")),
    # 3.4 Say it so people understand
    RecordSpec("resident_dashboard", "3.4",
               Fields(("headline", "summary", "readability", "meets_target", "figures_recorded",
                       "figures_computed", "language", "page")),
               N_("What the resident dashboard said, how readable its summary is, and its "
                  "page.")),
    # 3.5 Publishing open data safely
    RecordSpec("open_data_release", "3.5",
               Fields(("rows", "personal_data_removed", "notes_with_personal_data",
                       "counts_withheld", "threshold", "addresses_generalised",
                       "coordinate_decimals", "metadata_valid", "folder")),
               N_("The open-data release of the requests: rows, personal data removed, counts "
                  "withheld.")),
)

RECORDS: dict[str, RecordSpec] = {spec.key: spec for spec in _DECLARED}


def declared(key: str) -> RecordSpec:
    """The declaration of ``key``; an error names the declared keys if there is none.

    >>> declared("targets").module
    '1.3'
    """
    if key not in RECORDS:
        raise WorkspaceError(f'No module records "{key}".{did_you_mean(key, RECORDS)} The '
                             f"records are {list_choices(RECORDS, limit=len(RECORDS))}. Use "
                             "one of those keys, or declare a new one in cda_lib/core/records.py.")
    return RECORDS[key]


def records_of(module: str) -> list[RecordSpec]:
    """The records a module owns, in the order they are declared."""
    wanted = module_id(module)
    return [spec for spec in _DECLARED if spec.module == wanted]


def check_record(key: str, value: Any, module: str | None = None) -> RecordSpec:
    """Refuse ``value`` (plain JSON) under ``key`` if it has the wrong shape or ``module``
    does not own the key; return the declaration."""
    spec = declared(key)
    if module is not None and module_id(module) != spec.module:
        raise RecordError(f'Module {module_id(module)} cannot record "{key}": module '
                          f"{spec.module} does, so later modules know where it comes from. "
                          f'Record "{key}" from module {spec.module} (leave out module= and '
                          "the workbook fills it in).")
    problem = None if value is None else spec.shape.problem(value)
    if problem is not None:
        raise RecordError(f'"{key}" is {spec.shape}, but {problem}. {spec.shape.fix}')
    return spec
