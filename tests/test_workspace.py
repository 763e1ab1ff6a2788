import pandas as pd
import pytest

from cda_lib.core.errors import WorkspaceError
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
    workspace.record("count", pd.Series([1, 2]).sum(), module="0.2")
    workspace.record("table", pd.DataFrame({"a": [1, 2]}), module="0.2")
    assert workspace.read("count") == 3
    assert workspace.read("table") == [{"a": 1}, {"a": 2}]


def test_missing_key_says_what_exists_and_what_to_do(workspace):
    workspace.record("requests_last_12_months", 10, module="0.2")
    with pytest.raises(WorkspaceError) as caught:
        workspace.read("requests_last_12_month")
    message = str(caught.value)
    assert 'Did you mean "requests_last_12_months"' in message
    assert "Run the module that records it first" in message


def test_an_unsupported_value_is_refused_before_anything_is_written(workspace):
    with pytest.raises(WorkspaceError, match="numbers, text, lists and tables"):
        workspace.record("odd", object(), module="0.2")
    assert not workspace.path.exists()


def test_a_damaged_file_gets_a_clear_message(workspace):
    workspace.folder.mkdir(parents=True)
    workspace.path.write_text("{not json")
    with pytest.raises(WorkspaceError, match="damaged"):
        workspace.read("anything")
