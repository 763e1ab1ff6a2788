"""What each field of a recorded set of named values is called on a page.

A record of named values (:class:`cda_lib.core.records.Fields`, such as page 1.2's
``key_figures``) keeps its fields under code names (``still_open``, ``p90_days``). A page
that shows what is recorded writes each field's label instead, in the page's language, and
leaves out the fields that only locate a file for a later module (a page's path). A field
has one label wherever it appears: ``period`` is "period" in every record.
tests/test_records.py checks that every declared field has one.

>>> FIELD_LABELS["still_open"]
'still open'
>>> "folder" in HIDDEN_FIELDS
True
"""

from __future__ import annotations

from cda_lib.text.translation import N_

# Fields that locate a file on the computer that built the page: no reader needs them.
HIDDEN_FIELDS = frozenset({"page", "folder", "data_json", "language"})

# Fields holding a period label ("2025Q4", "2025-12-22/2025-12-28"), written in words.
PERIOD_FIELDS = frozenset({"period", "week"})

# Fields whose value is a share from 0 to 1, written as a percentage.
SHARE_FIELDS = frozenset({
    "on_time_target", "on_time_share", "reopen_rate", "cancellation_rate", "confidence",
    "treated_before", "treated_after", "comparison_before", "comparison_after",
    "completeness", "validity", "consistency",
})

FIELD_LABELS = {
    "name": N_("name"), "peak_month": N_("busiest month"),
    "peak_index": N_("busiest month's index"),
    "quietest_month": N_("quietest month"), "quietest_index": N_("quietest month's index"),
    "asked": N_("question asked"), "measurable": N_("measurable question"),
    "value": N_("value"), "period": N_("period"), "cap": N_("cap on each metric's score"),
    "on_time_target": N_("on-time target"), "metrics": N_("metrics"),
    "requests": N_("requests"), "still_open": N_("still open"),
    "median_days": N_("median days to close"), "median_at_least": N_("median only a lower bound"),
    "p90_days": N_("90th percentile of days to close"),
    "p90_at_least": N_("90th percentile only a lower bound"),
    "mean_days_closed": N_("mean days, closed requests"),
    "median_days_closed": N_("median days, closed requests"),
    "on_time_share": N_("on-time share"), "reopen_rate": N_("reopened"),
    "cancellation_rate": N_("cancelled"), "backlog_at_end": N_("open at the end"),
    "summary": N_("summary"), "signals": N_("signals"), "plan": N_("plan"),
    "district": N_("district"), "service_code": N_("request type"), "start": N_("start"),
    "comparison_districts": N_("comparison districts"), "estimate": N_("estimate"),
    "low": N_("interval from"), "high": N_("interval to"), "confidence": N_("confidence"),
    "interval_excludes_zero": N_("interval leaves out zero"),
    "treated_before": N_("district, before"), "treated_after": N_("district, after"),
    "comparison_before": N_("comparison, before"), "comparison_after": N_("comparison, after"),
    "weeks_before": N_("weeks before"), "weeks_after": N_("weeks after"),
    "placebo_estimate": N_("placebo estimate"), "placebo_low": N_("placebo interval from"),
    "placebo_high": N_("placebo interval to"), "true_effect": N_("planted effect"),
    "interval_contains_truth": N_("interval holds the planted effect"),
    "week": N_("week"), "meeting": N_("meeting"), "headline": N_("headline"),
    "city_score": N_("city score"), "exceptions": N_("exceptions"),
    "exception_types": N_("request types with exceptions"),
    "open_follow_ups": N_("open follow-ups"), "overdue_follow_ups": N_("overdue follow-ups"),
    "targets_tracked": N_("targets tracked"), "page": N_("page"), "city": N_("city"),
    "version": N_("version"), "members": N_("members"), "synthetic": N_("synthetic"),
    "governance": N_("governance"), "quality": N_("quality"), "use": N_("use"),
    "capacity": N_("capacity"), "transparency": N_("transparency"),
    "spread_most": N_("most divided on"), "weakest": N_("weakest practices"),
    "wwc_points": N_("What Works Cities points"), "wwc_of": N_("points possible"),
    "wwc_tier": N_("What Works Cities level"), "datasets": N_("datasets"),
    "average_score": N_("average score"), "complete": N_("complete"),
    "worst_gaps": N_("worst gaps"), "data_json": N_("catalog file"),
    "data_json_valid": N_("catalog valid"), "rows_read": N_("rows read"),
    "completeness": N_("missing values"), "validity": N_("invalid values"),
    "consistency": N_("inconsistent rows"), "lag_days": N_("days behind"),
    "bias_ratio": N_("bias ratio"), "roles_version": N_("roles version"),
    "currency": N_("currency"), "team": N_("team"), "seats": N_("seats"),
    "empty_seats": N_("empty seats"), "members_short": N_("members short of their level"),
    "levels_short": N_("levels short"), "gaps": N_("gaps"), "train": N_("train"),
    "hire": N_("hire"), "judgement": N_("a judgement call"), "train_cost": N_("training cost"),
    "hire_cost_a_year": N_("hiring cost a year"), "at_risk": N_("at risk"),
    "budget": N_("budget"), "spent": N_("spent"), "total_score": N_("total score"),
    "funded": N_("funded"), "candidates": N_("candidates"),
    "ranking_total_score": N_("total score, funding by rank alone"),
    "always_chosen": N_("always chosen"), "cases_changed": N_("weightings that change it"),
    "high_risk_limit": N_("high-risk projects allowed"), "readability": N_("readability"),
    "meets_target": N_("meets the target"), "figures_recorded": N_("figures recorded"),
    "figures_computed": N_("figures worked out"), "language": N_("language"),
    "rows": N_("rows"), "personal_data_removed": N_("personal data removed"),
    "notes_with_personal_data": N_("notes with personal data"),
    "counts_withheld": N_("counts withheld"), "threshold": N_("threshold"),
    "addresses_generalised": N_("addresses generalised"),
    "coordinate_decimals": N_("coordinate decimals"), "metadata_valid": N_("metadata valid"),
    "folder": N_("folder"),
}
