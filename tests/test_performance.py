"""Tests of cda_lib.themes.lead.performance: the views that show why the KPIs are built as they are.

Small tables are built by hand; each expected figure says how it is worked out.
"""

from __future__ import annotations

import pandas as pd
import pytest
from tallyville_fixtures import tallyville_data

from cda_lib.metrics import composite
from cda_lib.metrics.targets import set_target
from cda_lib.themes.lead import performance
from cda_lib.themes.lead.performance import PerformanceError


def rows(code: str, opened: list[str], days: list[float | None], **extra) -> pd.DataFrame:
    start = pd.to_datetime(opened)
    table = pd.DataFrame({
        "service_code": code, "service_name": code.title(),
        "status": ["open" if d is None else "closed" for d in days],
        "requested_datetime": start,
        "closed_datetime": [s + pd.Timedelta(days=d) if d is not None else pd.NaT
                            for s, d in zip(start, days, strict=True)],
    })
    return table.assign(**extra)


@pytest.fixture(scope="module")
def tallyville():
    return tallyville_data()


def test_the_mean_and_median_of_closed_requests_beside_the_kpi_median():
    # Potholes: 3 closed in 1 day, 1 in 41 days: mean 11, median 1; 1 still open after 60
    # days. Kaplan-Meier: 5 at risk, 3 close at day 1 (S = 0.4) → median 1.
    potholes = rows("POTHOLE", ["2025-01-01"] * 5, [1, 1, 1, 41, None])
    noise = rows("NOISE", ["2025-01-01"] * 2, [1, 3])
    table = performance.mean_and_median(pd.concat([potholes, noise]), as_of="2025-03-02",
                                        min_requests=2).set_index("service_name")
    assert table.loc["Pothole", "mean_days_closed"] == 11.0
    assert table.loc["Pothole", "median_days_closed"] == 1.0
    assert table.loc["Pothole", "mean_to_median"] == 11.0
    assert table.loc["Pothole", "median_days"] == 1.0
    assert table.index.tolist() == ["Pothole", "Noise"]  # most requests first
    # with min_requests=3 Noise (2 closed) gets no figures
    few = performance.mean_and_median(noise, as_of="2025-03-02", min_requests=3)
    assert few["mean_days_closed"].isna().all()


def test_dropping_open_requests_flatters_the_median():
    # January: 4 closed in 2 days, 6 open for 30 days (the extract is 31 January):
    # closed only, the median is 2; counting the 6 open ones, fewer than half are closed,
    # so the median is at least 30 (the longest wait seen).
    january = rows("NOISE", ["2025-01-01"] * 10, [2] * 4 + [None] * 6)
    effect = performance.open_requests_effect(january, as_of="2025-01-31", min_requests=10)
    row = effect.iloc[0]
    assert row["month"] == "2025-01" and row["share_open"] == 0.6
    assert row["median_closed_only"] == 2.0
    assert row["median_days"] == 30.0 and bool(row["median_at_least"])
    assert row["flattered_by"] == 28.0


def test_the_latest_full_period_is_the_last_one_over_with_requests():
    table = rows("NOISE", ["2024-11-30", "2025-02-10", "2025-03-30"], [1, 1, 1])
    assert performance.latest_full_period(table, as_of="2025-03-31") == "2025Q1"
    assert performance.latest_full_period(table, as_of="2025-03-30") == "2024Q4"
    assert performance.latest_full_period(table, as_of="2025-03-31",
                                          time_key="month") == "2025-03"
    with pytest.raises(PerformanceError, match="No quarter"):
        performance.latest_full_period(table, as_of="2024-12-01")


def test_on_time_by_type_counts_only_requests_past_their_standard(tallyville):
    # Noise in Q4 2025 (tallyville_fixtures): 66 requests; 2 opened on 30 and 31 December
    # are within their 2 days (pending); of the 64 others, 6 + 2 + 3 late: 53 on time.
    table = performance.on_time_by_type(tallyville.requests, tallyville.city.service_standards,
                                        as_of=tallyville.as_of, period="2025Q4")
    noise = table.set_index("service_code").loc["NOISE"]
    assert (noise["on_time_known"], noise["on_time_count"], noise["on_time_pending"]) == \
        (64, 53, 2)
    assert noise["standard_days"] == 2.0
    # Sidewalks: Oct 6 + Nov 5 + the first of December = 12 known, too few: no share, last
    assert table.iloc[-1]["service_code"] == "SIDEWALK" and pd.isna(table.iloc[-1][
        "on_time_share"])
    # Potholes: 33 known, 27 on time (2 late a month) = 0.818, worse than noise's 0.828
    assert table["service_code"].tolist()[:2] == ["POTHOLE", "NOISE"]


def test_districts_are_ranked_worst_first(tallyville):
    ranked = performance.rank_districts(tallyville.requests, tallyville.city.service_standards,
                                        as_of=tallyville.as_of, service_code="NOISE",
                                        period="2025")
    # North: 72 requests, 1 pending (30 Dec, k = 20) → 71 known; late: 12 (k = 0) + 4
    # (k = 4 in the four months with L > 4) = 16 → 55 / 71. South: 192 requests, 1
    # pending → 191 known; late: the 45 late of the year minus North's 16 = 29 → 162 / 191.
    assert ranked["district"].tolist() == ["North", "South"]
    assert ranked["on_time_share"].tolist() == pytest.approx([55 / 71, 162 / 191])


def test_composite_metrics_score_on_time_up_and_backlog_down_by_cityscores_rule(tallyville):
    metrics = performance.composite_metrics(tallyville.requests,
                                            tallyville.city.service_standards,
                                            as_of=tallyville.as_of, period="2025Q4")
    table = metrics.set_index("metric")
    backlog = table.loc["Requests open under 90 days at month end (citywide)"]
    # Requests open under 90 days at the month ends of October 2024 to September 2025
    # (worked out in tests/test_exercises_lead_performance.py): 7, 7, 7, 7, 8, 8, 9, 8, 9,
    # 8, 9, 8 → mean 7.9167, sd 0.7930, target 7.1237. December 2025: 11 sidewalks (October's
    # 3, November's 2, December's 6) + 1 open noise complaint = 12.
    assert backlog["actual"] == 12 and backlog["direction"] == "lower_is_better"
    assert backlog["target"] == pytest.approx(7.1237, abs=0.001)
    assert "Reopen rate (citywide)" not in table.index  # Tallyville does not record reopens
    assert table.loc["On time: Noise complaint", "actual"] == pytest.approx(53 / 64)
    scored = composite.score_metrics(metrics).set_index("metric")
    assert scored.loc["Requests open under 90 days at month end (citywide)", "score"] == \
        pytest.approx(7.1237 / 12, abs=1e-4)


def test_a_recorded_target_replaces_the_service_level_target():
    target = set_target("On-time share", baseline=0.6, target=0.9, start="2026-01",
                        due="2026-12", service_code="NOISE", kpi="on_time_share")
    table = rows("NOISE", ["2025-03-01"] * 30, [1] * 30)
    metrics = performance.composite_metrics(table, {"NOISE": 2}, as_of="2025-03-31",
                                            period="2025-03", targets=[target])
    assert metrics.loc[0, "target"] == 0.9
    assert metrics.loc[0, "basis"] == "a target the city recorded"


def test_the_reopen_rate_joins_the_composite_when_recorded():
    # 13 months of 30 requests, the year before March 2025 with 3 reopens in even months
    # and 1 in odd ones (rates 0.1 and 1/30): mean 0.0667, sd 0.0348 → target 0.0319;
    # March 2025: 3 of 30 reopened = 0.1 → score 0.319.
    months = pd.period_range("2024-03", "2025-03", freq="M")
    parts = []
    for number, month in enumerate(months):
        reopened = 3 if number % 2 == 0 else 1
        parts.append(rows("NOISE", [str(month.start_time.date())] * 30, [1] * 30,
                          reopened=pd.array([True] * reopened + [False] * (30 - reopened),
                                            dtype="boolean")))
    table = pd.concat(parts, ignore_index=True)
    metrics = performance.composite_metrics(table, {"NOISE": 2}, as_of="2025-03-31",
                                            period="2025-03").set_index("metric")
    reopen = metrics.loc["Reopen rate (citywide)"]
    rates = pd.Series([0.1 if n % 2 == 0 else 1 / 30 for n in range(12)])
    assert reopen["actual"] == pytest.approx(0.1)
    assert reopen["target"] == pytest.approx(rates.mean() - rates.std())


def test_key_figures_are_plain_numbers_for_the_workspace(tallyville):
    figures = performance.key_figures(tallyville.requests, tallyville.city.service_standards,
                                      as_of=tallyville.as_of, period="2025Q4")
    # Q4 2025: 22 + 22 + 22 noise, 33 potholes, 6 + 5 + 6 sidewalks = 116 requests; open:
    # the 31 December complaint, sidewalks k >= 3 in October (3) and November (2), and
    # all 6 of December = 12.
    assert figures["requests"] == 116 and figures["still_open"] == 12
    assert figures["backlog_at_end"] == 58
    assert figures["reopen_rate"] is None  # not recorded
    assert all(isinstance(v, (int, float, bool, str, type(None))) for v in figures.values())


def test_the_types_to_look_at_first(tallyville):
    requests = tallyville.requests
    # sidewalks: 57 of 126 still open; noise: 1 of 504; potholes: none
    assert performance.most_open_type(requests, as_of=tallyville.as_of) == "Sidewalk repair"
    assert performance.most_common_type(requests) == "Noise complaint"  # 504 requests
    assert performance.most_common_type(requests, {"POTHOLE": 5}) == "Pothole repair"
    with pytest.raises(PerformanceError, match="service standard"):
        performance.most_common_type(requests, {"TREE": 30})


def test_the_backlog_stops_with_the_data():
    # A 2024 download extracted in 2026: the months after December 2024 are not the
    # backlog's, whatever the still-open 2024 requests would say.
    table = rows("NOISE", ["2024-11-05", "2024-12-05"], [None, 2])
    backlog = performance.backlog_by_month(table, as_of="2026-06-30")
    assert backlog["month"].tolist() == ["2024-11", "2024-12"]
    assert backlog["backlog_at_end"].tolist() == [1, 1]
