"""The weekly brief's exceptions (cda_lib/themes/lead/exceptions.py): backlog growth instead of
the backlog's running total, and the false alarms chance gives, said plainly.

The issue this answers: run rules on a weekly backlog (a running total, so its points are not
independent) flagged 7 of Riverbend's 9 exceptions in Christmas week, and the feedback called
them all real signals.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from lead_fixtures import routine_data

from cda_lib.metrics import control
from cda_lib.themes.lead import exceptions as ex
from cda_lib.themes.lead.brief import brief_for_city, exceptions_line
from cda_lib.themes.lead.stat_meeting import suggest_follow_up


def weeks(count: int, first: str = "2025-01-06") -> list[str]:
    starts = pd.date_range(first, periods=count, freq="7D")
    return [f"{s.date()}/{(s + pd.Timedelta(days=6)).date()}" for s in starts]


def test_backlog_growth_is_the_weekly_change_and_a_missing_week_breaks_it():
    labels = weeks(5)
    backlog = pd.Series([10, 12, 12, 9, 15], index=labels)
    assert ex.backlog_growth(backlog).tolist()[1:] == [2.0, 0.0, -3.0, 6.0]
    gap = backlog.drop(labels[2])  # the third week is missing: the fourth's change is unknown
    growth = ex.backlog_growth(gap)
    assert np.isnan(growth.iloc[0]) and growth.iloc[1] == 2.0 and np.isnan(growth.iloc[2])
    assert growth.iloc[3] == 6.0


def test_a_backlog_that_creeps_up_steadily_is_no_exception():
    """A backlog that grows by the same amount every week has a growth at its usual level:
    on the running total the run rules fire (eight points above the centre line), on the
    growth nothing does."""
    labels = weeks(30)
    backlog = pd.Series(np.arange(30) * 5 + 100.0, index=labels)
    running = control.xmr_chart(backlog, baseline=26, metric="backlog")
    assert running.table["signal"].iloc[-4:].all()
    growth = ex.backlog_growth(backlog)
    assert not control.xmr_chart(growth, baseline=26, metric="growth").table["signal"].any()


def test_benchville_has_two_exceptions_in_one_type():
    """Benchville (tests/lead_fixtures.py), counted by hand: alley cleaning's on-time share
    falls from 36 of 40 to 20 of 40 in the last four weeks, and its backlog grows by 20 in the
    first of them (the 20 slow cleanings opened on Monday 1 December are open on Sunday; the
    week before none was). Curb repair grows by one every week: its usual. Six series are
    checked: the on-time share of A and B (the two types with a standard) and the backlog
    growth of A, B, C and D."""
    brief = brief_for_city(routine_data())
    table = brief.exceptions
    assert table[["service", "metric", "week", "value"]].values.tolist() == [
        ["Alley cleaning", "on-time share", "2025-12-22/2025-12-28", 0.5],
        ["Alley cleaning", "backlog growth", "2025-12-01/2025-12-07", 20.0]]
    assert brief.exception_checks == 6
    assert exceptions_line(brief) == (
        "2 exceptions in 1 request type: its on-time share and its backlog growth got worse "
        "beyond the usual range in the last 4 weeks.")
    # 6 x 0.04 = 0.24 false alarms expected, written to one decimal.
    assert ("The brief checked 6 series (request types' on-time share and backlog growth); "
            "about 0.2 of them would show a signal by chance alone even if nothing had "
            "changed.") in brief.notes


def test_the_headline_counts_rows_and_types():
    def line(services):
        table = pd.DataFrame({"service_code": services})
        return exceptions_line(SimpleNamespace(exceptions=table))

    assert line([]) == "No exceptions: no request type got worse beyond its usual range."
    assert line(["A"]).startswith("1 request type got worse beyond its usual range")
    assert line(["A", "B", "C"]).startswith("3 request types got worse beyond their usual")
    assert line(["A", "A", "B"]).startswith("3 exceptions in 2 request types: on-time share")


def test_a_growth_exception_becomes_a_commitment_about_the_growth():
    data = routine_data()
    growth = pd.DataFrame([{"service": "Alley cleaning", "service_code": "A",
                            "metric": "backlog growth", "unit": "requests",
                            "week": "2025-12-01/2025-12-07", "value": 20.0, "usual": 0.0}])
    brief = SimpleNamespace(week_end=pd.Timestamp("2025-12-28 23:59:59"), exceptions=growth)
    made = suggest_follow_up(brief, data.requests)
    assert made.commitment == ("Find why the Alley cleaning backlog grew by 20 requests in the "
                               "week of 01 Dec 2025 (usual about 0) and bring a plan to bring it "
                               "back")


@pytest.mark.parametrize(("checks", "expected", "words"), [
    (26, 1.04, "1"), (3, 0.12, "0.1"), (60, 2.4, "2"), (0, 0.0, "0.0")])
def test_chance_exceptions_are_the_checks_times_the_rate(checks, expected, words):
    assert ex.chance_exceptions(checks) == pytest.approx(expected)
    assert ex.chance_figure(checks) == words


def test_the_five_rules_flag_about_one_stable_point_in_fifty_five():
    """The figure page 1.3 quotes. With known limits (400,000 stable normal points set their
    own), rule 1 alone flags about 1 point in 370 (the normal tail beyond three sigma, both
    sides: 2 x 0.00135 = 0.0027); the five rules together about 1 in 53."""
    points = pd.Series(np.random.default_rng(7).normal(size=400_000))
    rule_one = control.xmr_chart(points, rules=("beyond_limits",)).table["signal"].mean()
    all_five = control.xmr_chart(points).table["signal"].mean()
    assert 1 / rule_one == pytest.approx(370, rel=0.1)
    assert 45 < 1 / all_five < 62


@pytest.mark.slow
def test_the_chance_rate_per_check_matches_a_simulation():
    """CHANCE_RATE_PER_CHECK is what the brief's own procedure gives on stable series: 26
    baseline weeks set XmR limits, the last 4 are judged by all five rules, on the worse
    side. 1,500 simulated series: the rate's standard error is sqrt(0.04 x 0.96 / 1500) =
    0.005, so the estimate falls within 0.025-0.055 unless the constant is wrong."""
    rng = np.random.default_rng(11)
    labels = [f"W{i:02d}" for i in range(30)]
    flagged = 0
    for _ in range(1500):
        chart = control.xmr_chart(pd.Series(rng.normal(size=30), index=labels), baseline=26)
        recent = chart.table.iloc[-ex.EXCEPTION_WEEKS:]
        flagged += bool((recent["signal"] & (recent["zone"] > 0)).any())
    assert 0.025 < flagged / 1500 < 0.055
    assert pytest.approx(flagged / 1500, abs=0.015) == ex.CHANCE_RATE_PER_CHECK
