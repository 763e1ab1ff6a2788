import json

import pandas as pd
import pytest

from cda_lib.core.errors import WorkspaceError
from cda_lib.core.records import RecordError
from cda_lib.core.workspace import Workspace


@pytest.fixture
def workspace(tmp_path):
    return Workspace("riverbend", folder=tmp_path / "workspace")


def test_records_are_read_back_across_instances(workspace):
    workspace.record("top_request_type", "Pothole", module="0.2")
    again = Workspace("riverbend", folder=workspace.folder)
    assert again.read("top_request_type") == "Pothole"
    assert again.records().loc[0, "module"] == "0.2"


def test_numpy_values_and_tables_are_stored_as_plain_json(workspace):
    workspace.record("requests_last_12_months", pd.Series([1, 2]).sum())
    workspace.record("requests_per_1000_by_district", pd.DataFrame(
        {"district": ["North"], "per_1000_a_year": [12.5], "online_share": [0.5]}))
    assert workspace.read("requests_last_12_months") == 3
    assert workspace.read("requests_per_1000_by_district") == [
        {"district": "North", "per_1000_a_year": 12.5, "online_share": 0.5}]


def test_missing_key_says_what_exists_and_what_to_do(workspace):
    workspace.record("requests_last_12_months", 10, module="0.2")
    with pytest.raises(WorkspaceError) as caught:
        workspace.read("requests_last_12_month")
    message = str(caught.value)
    assert 'Did you mean "requests_last_12_months"' in message
    assert '"stat_brief"' in message  # the declared keys are listed, not only the recorded


def test_a_declared_key_not_yet_recorded_says_which_module_to_run(workspace):
    workspace.record("requests_last_12_months", 10)
    with pytest.raises(WorkspaceError, match="Run module 1.4 first"):
        workspace.read("evaluation_did")


def test_an_unsupported_value_is_refused_before_anything_is_written(workspace):
    with pytest.raises(WorkspaceError, match="numbers, text, lists and tables"):
        workspace.record("top_request_type", object(), module="0.2")
    assert not workspace.path.exists()


def test_a_damaged_file_gets_a_clear_message(workspace):
    workspace.folder.mkdir(parents=True)
    workspace.path.write_text("{not json")
    with pytest.raises(WorkspaceError, match="damaged"):
        workspace.read("top_request_type")


def test_an_undeclared_key_is_refused_and_the_declared_ones_named(workspace):
    with pytest.raises(WorkspaceError) as caught:
        workspace.record("top_request_kind", "Pothole")
    message = str(caught.value)
    assert 'Did you mean "top_request_type"' in message and '"targets"' in message
    assert not workspace.path.exists()


@pytest.mark.parametrize(("key", "value", "says"), [
    ("requests_last_12_months", 12.5, "a count"),
    ("requests_last_12_months", -1, "a count"),
    ("requests_last_12_months", True, "a count"),
    ("top_5_types_share", 1.2, "a share"),
    ("top_request_type", 3, "text"),
    ("measurable_question", {"asked": "Why?"}, 'no field "measurable"'),
    ("measurable_question", {"asked": "Why?", "measurable": "Share", "extra": 1},
     'also has the field "extra"'),
    ("measurable_question", "Why?", "named values"),
    ("requests_per_1000_by_district", [{"district": "North"}], 'no columns "per_1000_a_year"'),
    ("requests_per_1000_by_district", {"district": "North"}, "a table"),
])
def test_a_value_of_the_wrong_shape_is_refused(workspace, key, value, says):
    with pytest.raises(RecordError, match=says):
        workspace.record(key, value)
    assert not workspace.path.exists()


@pytest.mark.parametrize("key", ["requests_change_12_months", "requests_last_12_months",
                                 "measurable_question", "requests_per_1000_by_district"])
def test_a_figure_the_city_data_cannot_give_is_recorded_as_empty(workspace, key):
    # One year of data has no earlier year to compare with: page 1.1 records the change as
    # None, and a later reader finds it recorded, empty, rather than the page failing.
    workspace.record(key, None)
    assert workspace.read(key) is None


def test_a_module_that_does_not_own_the_key_is_refused(workspace):
    with pytest.raises(RecordError, match="module 1.3 does"):
        workspace.record("targets", [], module="1.2")
    assert not workspace.path.exists()


def test_the_module_is_the_owner_whichever_spelling_is_given(workspace):
    workspace.record("stat_follow_ups", [], module="1_lead/05")
    workspace.record("top_request_type", "Pothole", module="00_welcome/02")
    workspace.record("targets", [])
    assert dict(zip(workspace.records()["key"], workspace.records()["module"], strict=True)) == {
        "stat_follow_ups": "1.5", "top_request_type": "0.2", "targets": "1.3"}


def test_an_older_workspace_still_loads_with_modules_spelt_today(workspace):
    workspace.folder.mkdir(parents=True)
    workspace.path.write_text(json.dumps({
        "top_request_type": {"value": "Pothole", "module": "00_welcome/02",
                             "recorded_at": "2025-12-01T10:00:00"},
        "stat_brief": {"value": {}, "module": "1_lead/05", "recorded_at": "2025-12-01T10:00:00"},
    }))
    assert workspace.read("top_request_type") == "Pothole"
    assert workspace.records()["module"].tolist() == ["1.5", "0.2"]  # sorted by key
