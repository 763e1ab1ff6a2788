"""The brief's city score counts like for like, and its "Against target" row is never empty.

The issue this answers: the brief's score left out the request types whose standard had not
passed in its four weeks (60- and 30-day types, the worst scorers), so it rose with nothing
improved; and a target recorded on page 1.3 starts the month after the data ends, so the
brief of the data's last week showed "—", "no value" and no owner.

The hand-built city: two types opened every Monday from 6 October 2025. QUICK (standard 2
days) closes in 1 day, always on time. SLOW (standard 30 days) closes in 40 days, always
late; the requests of its last 5 weeks are still open at the extract (Monday 29 December).
"""

from __future__ import annotations

import pandas as pd
import pytest

from cda_lib.core.workspace import Workspace
from cda_lib.metrics import composite
from cda_lib.metrics.targets import read_targets, record_target, set_target
from cda_lib.themes.lead import brief
from cda_lib.themes.lead.brief_page import body

AS_OF = pd.Timestamp("2025-12-29 12:00")
MONDAYS = pd.date_range("2025-10-06 09:00", "2025-12-22 09:00", freq="7D")  # 12 Mondays
STANDARDS = {"QUICK": 2, "SLOW": 30}


def two_speed_city() -> pd.DataFrame:
    rows = []
    for monday in MONDAYS:
        for i in range(40):
            opened = monday + pd.Timedelta(minutes=i)
            rows.append(("QUICK", "Quick fix", opened, opened + pd.Timedelta(days=1)))
            closed = opened + pd.Timedelta(days=40)
            rows.append(("SLOW", "Slow repair", opened, closed if closed <= AS_OF else None))
    table = pd.DataFrame(rows, columns=["service_code", "service_name", "requested_datetime",
                                        "closed_datetime"])
    table["status"] = ["closed" if pd.notna(c) else "open" for c in table["closed_datetime"]]
    table["status_notes"] = ""
    table["district"] = "Centre"
    return table


def make_brief(workspace=None) -> brief.StatBrief:
    targets = () if workspace is None else read_targets(workspace)
    return brief.weekly_brief(two_speed_city(), STANDARDS, as_of=AS_OF, city_name="Twospeed",
                              synthetic=True, targets=targets)


def test_each_type_is_scored_on_its_latest_weeks_with_known_outcomes():
    """The brief's week ends Sunday 28 December. QUICK: as_of - 2 days = 27 December, so its
    window is 30 November to 27 December (4 Mondays, 160 requests, all on time: 1.0). SLOW:
    as_of - 30 days = 29 November, window 2 to 29 November (Mondays 3, 10, 17 and 24
    November: 160 requests, all late: 0.0). Over the calendar weeks alone SLOW has no known
    outcome and the score would be QUICK's 1.25 (capped) alone; like for like it is
    (1.25 + 0) / 2 = 0.625."""
    metrics = composite.latest_known_metrics(two_speed_city(), STANDARDS, as_of=AS_OF,
                                             end=pd.Timestamp("2025-12-28 23:59:59"))
    rows = metrics.set_index("service_code")
    assert rows.loc["QUICK", "actual"] == 1.0 and rows.loc["SLOW", "actual"] == 0.0
    assert rows["requests"].tolist() == [160, 160]
    assert str(rows.loc["SLOW", "window_start"].date()) == "2025-11-02"
    assert str(rows.loc["SLOW", "window_end"].date()) == "2025-11-29"
    result = make_brief()
    assert result.score.value == pytest.approx(0.625)
    # 0.625 is written to two decimals, half up (the house rounding): 0.63.
    assert result.headline[2] == ("City score 0.63 over each request type's latest 4 weeks "
                                  "with known outcomes (below target).")
    assert ("The city score counts every request type over its latest 4 weeks of requests "
            "whose standard has passed, so 2 types are read on earlier weeks, back to Slow "
            "repair's requests of 02 Nov 2025 to 29 Nov 2025.") in result.notes


def test_a_target_that_starts_after_the_week_reads_against_its_baseline(tmp_path):
    """A target recorded on page 1.3 for the citywide on-time share, from 50% to 60% over
    January to December 2026. December 2025's known outcomes: QUICK's 4 Mondays (1, 8, 15
    and 22 December, 160 on time) and no SLOW request yet past its 30 days (1 December + 30
    days is 31 December, after the extract), so 160 / 160 = 100%, ahead of the 50% baseline."""
    workspace = Workspace("twospeed", folder=tmp_path)
    record_target(workspace, set_target("On-time share", baseline=0.5, target=0.6,
                                        start="2026-01", due="2026-12", kpi="on_time_share"),
                  module="1.3")
    row = make_brief(workspace).versus_target.iloc[0]
    assert (row["period"], row["actual"], row["expected"], row["status"]) == (
        "2025-12", 1.0, 0.5, "ahead")
    assert row["note"] == ("The target's line starts in January 2026; until then the latest "
                           "value is set against its baseline.")
    page = body(make_brief(workspace), charts=False)
    assert "not named yet" in page and "December 2026" in page and "January 2026" in page
