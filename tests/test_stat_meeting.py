"""Tests of cda_lib.themes.lead.stat_meeting: the routine around the brief, and page 1.5 run twice.

Benchville (tests/lead_fixtures.py) is built so that its brief is known by hand: 50
requests open at the end of the week of 22 December 2025 (30 curb repairs never closed,
one a week, and the 20 alley cleanings of that week that take 9 days), and two
exceptions in one request type (alley cleaning's on-time share, and its backlog growth of 20
in the week its cleanings slowed); curb repair's backlog grows by one every week, which is
its usual growth and no exception.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import nbformat
import pandas as pd
import papermill
import pytest
from lead_fixtures import routine_data

from cda_lib.charts.style import ChartContext
from cda_lib.core import paths
from cda_lib.core.records import RECORDS
from cda_lib.core.workspace import Workspace
from cda_lib.metrics.composite import DEFAULT_CAP, CompositeScore
from cda_lib.metrics.targets import read_targets, record_target, set_target
from cda_lib.themes.lead import stat_meeting as sm
from cda_lib.themes.lead.brief import FollowUpTracker, brief_for_city
from cda_lib.themes.lead.pilot_evaluation import WORKSPACE_KEY as EVALUATION_KEY


@pytest.fixture(scope="module")
def data():
    return routine_data()


@pytest.fixture(scope="module")
def brief(data):
    return brief_for_city(data)


@pytest.fixture
def workspace(tmp_path):
    return Workspace("hand_counted_city", folder=tmp_path / "workspace")


def evaluation(**figures):
    """Page 1.4's record with these figures, its other fields empty (the brief reads only
    these)."""
    return {name: None for name in RECORDS[EVALUATION_KEY].shape.names} | figures


def test_the_meeting_is_the_monday_after_the_briefs_week(brief):
    assert brief.week == "2025-12-22/2025-12-28"
    assert sm.meeting_date(brief) == pd.Timestamp("2025-12-29")


def test_without_targets_the_brief_measures_against_the_service_standards(data, workspace):
    basis = sm.comparison_basis(read_targets(workspace), data)
    assert not basis.uses_targets
    assert "No targets are recorded yet" in basis.text and "80%" in basis.text
    assert basis.table.to_dict("records") == [
        {"service_code": "A", "service_name": "Alley cleaning", "days_to_close": 2.0},
        {"service_code": "B", "service_name": "Broken bench", "days_to_close": 2.0}]


def test_with_targets_the_brief_uses_them(data, workspace):
    record_target(workspace, set_target("On-time share", baseline=0.9, target=0.95,
                                        start="2025-07", due="2025-12", kpi="on_time_share"),
                  module="1_lead/03")
    basis = sm.comparison_basis(read_targets(workspace), data)
    assert basis.uses_targets and "the 1 target recorded on page 1.3" in basis.text
    assert basis.table["target"].tolist() == [0.95]


def test_the_first_exception_becomes_a_commitment_with_its_department(data, brief):
    first = brief.exceptions.iloc[0]
    commitment = sm.suggest_follow_up(brief, data.requests)
    assert commitment.owner == f"{first['service']} crew"  # the fixture's agency per type
    assert (commitment.raised, commitment.due) == ("2025-12-29", "2026-01-12")  # + 14 days
    assert commitment.metric == first["metric"]
    assert first["service"] in commitment.commitment


def test_a_share_exception_and_no_exception_make_other_commitments(data):
    share = pd.DataFrame([{"service": "Alley cleaning", "service_code": "A",
                           "metric": "on-time share", "unit": "share", "value": 0.5,
                           "usual": 0.9}])
    fake = SimpleNamespace(week_end=pd.Timestamp("2025-12-28 23:59:59"), exceptions=share,
                           bottom=pd.DataFrame())
    made = sm.suggest_follow_up(fake, data.requests)
    assert made.commitment.startswith("Find why the on-time share for Alley cleaning fell to "
                                      "50% (usual 90%)")
    bottom = pd.DataFrame([{"metric": "On time: Broken bench", "service_code": "B",
                            "service": "Broken bench", "actual": 0.6, "target": 0.8}])
    fake = SimpleNamespace(week_end=fake.week_end, exceptions=share.head(0), bottom=bottom)
    made = sm.suggest_follow_up(fake, data.requests)
    assert made.commitment == "Bring a plan to lift the on-time share for Broken bench (60%, " \
                              "target 80%)"
    assert made.owner == "Broken bench crew"
    fake = SimpleNamespace(week_end=fake.week_end, exceptions=share.head(0), bottom=bottom.head(0))
    assert sm.suggest_follow_up(fake, data.requests).owner == sm.FALLBACK_OWNER


def test_a_type_without_a_department_gets_a_role_and_a_reminder():
    requests = pd.DataFrame({"service_code": ["A"], "agency_responsible": [None]})
    owner = sm._owner(requests, "A", "Alley cleaning")
    assert owner.startswith(sm.FALLBACK_OWNER) and "Alley cleaning" in owner


def test_ensure_follow_up_adds_once_and_keeps_a_done_item_done(workspace):
    tracker = FollowUpTracker(workspace)
    first = sm.ensure_follow_up(tracker, "Fix the curbs", owner="Streets", due="2026-01-12",
                                raised="2025-12-29")
    tracker.update(first.id, status="done")
    again = sm.ensure_follow_up(tracker, " fix the  CURBS ", owner="streets",
                                due="2026-02-01", raised="2026-01-12")
    assert again.id == first.id and again.status == "done" and again.due == "2026-01-12"
    other = sm.ensure_follow_up(tracker, "Fix the curbs", owner="Parks", due="2026-01-12",
                                raised="2025-12-29")
    assert other.id == 2 and len(tracker.items()) == 2  # another owner: another commitment


def test_the_score_is_drawn_or_its_absence_explained(brief):
    chart = sm.score_display(brief, context=ChartContext("Handcount", synthetic=True))
    assert chart.title.startswith(f"City score {brief.score.value:.2f}")
    empty = CompositeScore(None, brief.score.metrics.head(0), DEFAULT_CAP)
    shown = sm.score_display(SimpleNamespace(score=empty),
                             context=ChartContext("Handcount", synthetic=True))
    assert shown is empty and str(shown).startswith("No city score")


def test_the_follow_up_view_shows_every_commitment_in_full(workspace):
    tracker = FollowUpTracker(workspace)
    long = "Find why the curb repair backlog keeps growing and bring a plan with a date " * 2
    tracker.add(long, owner="Streets", due="2026-01-12", raised="2025-12-29")
    view = sm.follow_up_view(tracker.table())
    assert long.strip() in view._repr_html_() and long.strip() in str(view)
    assert "No follow-ups" in sm.follow_up_view(tracker.table().head(0))._repr_html_()


def test_the_evaluation_follow_up_was_raised_at_the_meeting_before(brief):
    plan = SimpleNamespace(service_name="Pothole repair", district="South",
                           start=pd.Timestamp("2025-04-01"))
    made = sm.evaluation_follow_up(plan, brief)
    assert (made.raised, made.due) == ("2025-12-15", "2025-12-22")  # 14 and 7 days before
    assert made.commitment.startswith("Evaluate the change in Pothole repair requests in "
                                      "South from 1 Apr 2025")
    assert made.owner == sm.EVALUATION_OWNER


def test_the_evaluation_status_reads_page_1_4s_record(workspace):
    done, note = sm.evaluation_status(workspace)
    assert not done and "run page 1.4" in note
    workspace.record(EVALUATION_KEY, evaluation(estimate=0.133, low=-0.009, high=0.255,
                                                confidence=0.95, interval_excludes_zero=False))
    done, note = sm.evaluation_status(workspace)
    assert done
    assert note == ("Done on page 1.4: +13 points against the comparison districts (95% "
                    "interval -1 point to +26 points, which includes zero, so the data cannot "
                    "yet tell it from chance).")


def test_the_page_is_written_in_the_citys_build_folder_and_linked(brief, tmp_path, monkeypatch):
    monkeypatch.setenv("CDA_BUILD_DIR", str(tmp_path / "build"))
    page = sm.write_brief(brief, "benchville")
    assert page == tmp_path / "build" / "benchville" / "stat_briefs" / \
        "stat_brief_2025-12-22.html"
    text = page.read_text(encoding="utf-8")
    assert "SYNTHETIC DATA" in text and "Handcount stat meeting brief" in text
    assert not re.search(r"(src|href)=\"https?://", text)  # offline: nothing from the internet
    link = sm.brief_link(page, start=tmp_path / "build" / "benchville" / "01_lead")
    assert link.href == "../stat_briefs/stat_brief_2025-12-22.html"
    assert 'href="../stat_briefs/stat_brief_2025-12-22.html"' in link._repr_html_()


def test_the_brief_is_recorded_for_later_modules(brief, workspace, tmp_path, monkeypatch):
    monkeypatch.setenv("CDA_BUILD_DIR", str(tmp_path))
    record = sm.record_brief(workspace, brief, tmp_path / "benchville" / "stat_briefs" / "b.html")
    assert workspace.read(sm.WORKSPACE_KEY) == record
    assert (record["week"], record["meeting"]) == ("2025-12-22/2025-12-28", "2025-12-29")
    assert record["exceptions"] == 2  # alley cleaning twice
    assert record["exception_types"] == ["Alley cleaning"]
    assert record["page"] == "benchville/stat_briefs/b.html"
    assert record["headline"][1].startswith("50 requests open at the end of the week")


# --- the page itself, run twice -----------------------------------------------------------


@pytest.mark.slow
def test_page_1_5_run_twice_keeps_two_follow_ups_and_closes_the_evaluation(tmp_path,
                                                                             monkeypatch):
    """Running the page again must not duplicate follow-ups (the tracker is in the
    workspace). With page 1.4's record present, the evaluation follow-up is marked done."""
    build = tmp_path / "build"
    monkeypatch.setenv("CDA_BUILD_DIR", str(build))  # the kernel inherits it
    workspace = Workspace("riverbend")
    assert workspace.folder == build / "riverbend" / "workspace"
    workspace.record(EVALUATION_KEY, evaluation(estimate=0.2, low=0.1, high=0.3,
                                                confidence=0.95, interval_excludes_zero=True))
    source = paths.notebooks_dir() / "01_lead" / "05_data_in_the_weekly_routine.ipynb"
    folder = build / "riverbend" / "01_lead"
    folder.mkdir(parents=True)
    for run in range(2):
        executed = papermill.execute_notebook(
            str(source), str(folder / f"run{run}.ipynb"), parameters={"city": "riverbend"},
            kernel_name="python3", progress_bar=False, cwd=str(folder))
        assert not [o for c in executed.cells for o in c.get("outputs", [])
                    if o["output_type"] == "error"]
    items = FollowUpTracker(workspace).table()
    assert items["id"].tolist() == [1, 2]
    assert items["status"].tolist() == ["done", "open"]
    assert items.loc[0, "note"].startswith("Done on page 1.4: +20 points")
    page = build / "riverbend" / "stat_briefs" / "stat_brief_2025-12-22.html"
    assert page.exists() and "1 open follow-up" in page.read_text(encoding="utf-8")
    assert workspace.read(sm.WORKSPACE_KEY)["page"] == \
        "riverbend/stat_briefs/stat_brief_2025-12-22.html"
    shown = nbformat.read(folder / "run1.ipynb", as_version=4)
    links = [o["data"]["text/html"] for c in shown.cells for o in c.get("outputs", [])
             if "text/html" in o.get("data", {}) and "Open the one-page brief" in
             o["data"]["text/html"]]
    assert links and 'href="../stat_briefs/stat_brief_2025-12-22.html"' in links[0]
