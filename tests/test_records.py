"""Tests of cda_lib.core.records and cda_lib.core.modules: the declared records, the one
spelling of module ids, and the THEME of each theme package."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from pathlib import Path

import pytest

from cda_lib import themes
from cda_lib.core.errors import WorkspaceError
from cda_lib.core.modules import ModuleIdError, module_id, theme_of
from cda_lib.core.records import RECORDS, Fields, Table, declared, records_of
from cda_lib.themes.lead import THEME as LEAD, brief, pilot_evaluation, stat_meeting

ROOT = Path(__file__).resolve().parents[1]
# every theme package, found rather than listed: a new theme's folder is checked as it comes
THEME_PACKAGES = [importlib.import_module(f"cda_lib.themes.{info.name}")
                  for info in pkgutil.iter_modules(themes.__path__) if info.ispkg]
THEMES = tuple(package.THEME for package in THEME_PACKAGES if hasattr(package, "THEME"))


# --- module ids -----------------------------------------------------------------------------


@pytest.mark.parametrize(("spelling", "expected"), [
    ("0.2", "0.2"), ("1.5", "1.5"), ("2.1", "2.1"), ("1.10", "1.10"),
    ("00_welcome/02", "0.2"), ("1_lead/05", "1.5"), ("1_lead/01", "1.1"),
    ("01_lead/03_targets_and_signal.ipynb", "1.3"), (" 1.4 ", "1.4"),
])
def test_every_old_spelling_reads_as_the_curriculum_number(spelling, expected):
    assert module_id(spelling) == expected


@pytest.mark.parametrize("spelling", ["01_lead", "Lead", "1", "1.", "welcome/02", ""])
def test_what_is_not_a_module_id_is_refused(spelling):
    with pytest.raises(ModuleIdError, match='such as "0.2" or "1.5"'):
        module_id(spelling)


def test_a_theme_folder_is_told_apart_from_a_module():
    with pytest.raises(ModuleIdError, match="names a theme's folder"):
        module_id("01_lead")


def test_the_theme_of_a_module():
    assert (theme_of("0.2"), theme_of("1_lead/05"), theme_of("2.1")) == (0, 1, 2)


# --- the registry ---------------------------------------------------------------------------


def test_the_registry_lists_every_record_of_a_demo_build():
    """The keys a demo build recorded, by hand from its records.json (issue 10's list)."""
    assert set(RECORDS) == {
        "requests_last_12_months", "top_request_type", "share_of_rows_set_aside",
        "requests_change_12_months", "top_5_types_share", "most_seasonal_type",
        "requests_per_1000_by_district", "measurable_question", "city_score",
        "city_score_metrics", "key_figures", "on_time_by_type", "targets", "on_time_signals",
        "evaluation_did", "stat_follow_ups", "stat_brief",
        # 2.2, by hand from its page's recording cell
        "data_inventory", "department_scorecard", "request_quality",
        # 2.3, by hand from its page's last cells
        "skills_gaps", "talent_plan",
        # 2.4, by hand from its page's last cells
        "investment_weights", "investment_portfolio", "investment_memo",
        # 2.5, by hand from its page's last cell
        "ai_register",
        # 2.1: the profile its page records, and the answers its form saves member by member
        "maturity_profile", "maturity_answers",
        # 3.3, by hand from its page's last cell
        "equity_by_district",
        # 3.2, by hand from its page's record_results cell
        "survey_results",
        # 3.4, by hand from its page's record_dashboard cell
        "resident_dashboard",
        # 3.1, by hand from its page's recording cell
        "stakeholder_map", "kickoff_figures",
        # 3.5, by hand from its page's recording cell
        "open_data_release"}


def test_lookups_by_key_and_by_module():
    assert declared("evaluation_did").module == "1.4"
    assert isinstance(declared("targets").shape, Table)
    assert isinstance(declared("city_score").shape, Fields)
    assert [spec.key for spec in records_of("1_lead/05")] == ["stat_follow_ups", "stat_brief"]
    assert records_of("0.1") == []


def test_every_declaration_is_complete():
    for key, spec in RECORDS.items():
        assert spec.key == key
        assert module_id(spec.module) == spec.module, key
        assert spec.description.endswith(".") and len(spec.description) <= 100, key


def test_an_undeclared_key_is_named_among_the_declared_ones():
    with pytest.raises(WorkspaceError) as caught:
        declared("city_scores")
    assert 'Did you mean "city_score"' in str(caught.value)
    assert '"requests_last_12_months"' in str(caught.value)


# --- every key used is declared -------------------------------------------------------------


def _code_sources() -> dict[str, str]:
    sources = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8")
               for p in (ROOT / "cda_lib").rglob("*.py")}
    for folder in ("notebooks", "exercises"):
        for path in (ROOT / folder).rglob("*.ipynb"):
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            sources[str(path.relative_to(ROOT))] = "\n".join(
                "".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")
    return sources


# a workspace's record or read with a written key: workspace.record("x", ...),
# self.workspace.read("x"), Workspace(city).record("x", ...), ws.read("x")
RECORD_CALL = re.compile(r"""(?:\b(?:ws|\w*workspace)|Workspace\([^()]*\))\.(record|read)\(\s*"""
                         r"""["']([^"']+)["']""", re.IGNORECASE)


def test_every_key_the_code_and_notebooks_record_or_read_is_declared():
    used = {(where, key) for where, text in _code_sources().items()
            for _call, key in RECORD_CALL.findall(text)}
    assert {key for _where, key in used} >= {"requests_last_12_months", "city_score",
                                             "on_time_signals"}  # the scan finds them
    undeclared = sorted((where, key) for where, key in used if key not in RECORDS)
    assert not undeclared


def test_the_scan_sees_an_undeclared_key():
    assert RECORD_CALL.findall('workspace.record("city_scores", 1)') == [
        ("record", "city_scores")]
    assert RECORD_CALL.findall('Workspace(city).read("x")\nkind.read("b")') == [("read", "x")]


def test_the_keys_theme_1_records_through_constants_are_declared():
    for key in (brief.FOLLOW_UPS_KEY, stat_meeting.WORKSPACE_KEY,
                pilot_evaluation.WORKSPACE_KEY, "targets"):
        assert key in RECORDS


def test_no_call_repeats_a_module_the_registry_knows():
    repeated = [where for where, text in _code_sources().items()
                if re.search(r"""\.record\([^()]*(\([^()]*\)[^()]*)*module=["']""", text)]
    assert not repeated


# --- the themes -----------------------------------------------------------------------------


def test_every_theme_package_declares_its_theme_and_numbers_differ():
    assert len(THEME_PACKAGES) >= 2
    assert len(THEMES) == len(THEME_PACKAGES)
    numbers = [theme.number for theme in THEMES]
    assert len(set(numbers)) == len(numbers)


def test_every_notebook_belongs_to_exactly_one_module_of_one_theme():
    on_disk = sorted(str(p.relative_to(ROOT)) for folder in ("notebooks", "exercises")
                     for p in (ROOT / folder).rglob("*.ipynb")
                     if ".ipynb_checkpoints" not in p.parts)
    listed = [path for theme in THEMES for path in theme.notebooks()]
    assert sorted(listed) == on_disk  # each once: no duplicates, none missing, none extra


def test_each_theme_numbers_its_modules_under_its_own_number():
    # A theme may land its modules out of order (theme 2 began with 2.4): the numbers rise,
    # and each notebook's number is its module's, so sort order stays reading order.
    for theme in THEMES:
        ids = [module.id for module in theme.modules]
        assert all(i.split(".")[0] == str(theme.number) for i in ids)
        positions = [int(i.split(".")[1]) for i in ids]
        assert positions == sorted(set(positions)) and positions[0] >= 1
        assert [int(Path(m.notebook).name[:2]) for m in theme.modules] == positions
        folder = {Path(module.notebook).parts[0] for module in theme.modules}
        assert len(folder) == 1 and int(folder.pop().split("_")[0]) == theme.number


def order(module: str) -> tuple[int, int]:
    theme, number = module.split(".")
    return int(theme), int(number)


def test_each_themes_records_are_declared_and_owned_by_the_module_that_writes_them():
    written = set()
    for theme in THEMES:
        for module in theme.modules:
            for key in module.writes:
                assert declared(key).module == module.id, key
            assert set(module.writes) == {spec.key for spec in records_of(module.id)}
            for key in module.reads:
                assert order(declared(key).module) < order(module.id), (module.id, key)
            written |= set(module.writes)
    assert written == set(RECORDS)  # no record without a module that writes it


def test_a_theme_finds_its_module_by_any_spelling():
    assert LEAD.module("1_lead/04").title == "Did it work? Evaluating a change"
    with pytest.raises(ModuleIdError, match="no module 1.9"):
        LEAD.module("1.9")


def test_every_field_of_a_record_of_named_values_has_a_label():
    from cda_lib.core.record_fields import (
        FIELD_LABELS,
        HIDDEN_FIELDS,
        PERIOD_FIELDS,
        SHARE_FIELDS,
    )
    from cda_lib.core.records import RECORDS, Fields

    names = {name for spec in RECORDS.values() if isinstance(spec.shape, Fields)
             for name in spec.shape.names}
    assert names - set(FIELD_LABELS) == set()
    assert set(FIELD_LABELS) - names == set()  # no label left from a field since removed
    assert names >= (HIDDEN_FIELDS | SHARE_FIELDS | PERIOD_FIELDS)


def test_a_record_of_named_values_reads_in_words_in_the_page_s_language():
    # Page 3.5's release: the folder is left out; labels are the catalog's (es here).
    from cda_lib.core.workspace import shown_value
    from cda_lib.text.translation import use_language

    release = {"rows": 28414, "personal_data_removed": 2046, "counts_withheld": 36,
               "metadata_valid": True, "folder": "/tmp/build/riverbend/workspace/open_data"}
    assert shown_value(release, None) == ("rows: 28,414; personal data removed: 2,046; counts "
                                          "withheld: 36; metadata valid: yes")
    with use_language("es"):
        spanish = shown_value(release, None)
    assert "_" not in spanish and "/tmp" not in spanish and "28.414" in spanish
    assert "personal data" not in spanish
    brief = {"week": "2025-12-22/2025-12-28", "headline": ["440 requests opened.",
                                                          "1 open follow-up."], "page": "x"}
    assert shown_value(brief, None) == "440 requests opened. 1 open follow-up."
