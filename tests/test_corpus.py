"""Issue 11's corpus of awkward exports, each through both loaders (pandas and on disk).

Every case of ``tests/fixtures/corpus/cases.yaml`` must give its expected outcome (a load
with that exact account, or the workbook's error with those words) in each loader; the
two loaders must agree (the same account, kept rows and set-aside rows, or the same error);
every account must balance (read = kept + set aside); and no exception other than the
workbook's own may escape. The expected numbers are counted from the files by hand (each
case's ``what`` says which rows do what).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest
from corpus_cases import (
    CORPUS,
    LOADERS,
    Case,
    Outcome,
    load_cases,
    make_corpus_module,
    quality_flags,
    run_case,
)

CASES = load_cases()
SCRIPT = Path(__file__).parents[1] / "scripts" / "corpus_table.py"


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[tuple[str, str], Outcome]:
    """Every case through both loaders, once, with the made files and a cache of its own."""
    made = tmp_path_factory.mktemp("corpus made")
    make_corpus_module().write_made_files(made)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CDA_CACHE_DIR", str(tmp_path_factory.mktemp("corpus cache")))
        return {(case.name, loader): run_case(case, loader, made)
                for case in CASES for loader in LOADERS}


def by_case_and_loader(loads_only: bool = False):
    """Every case in each loader (only those expected to load, with ``loads_only``)."""
    pairs = [(c, lo) for c in CASES for lo in LOADERS
             if not (loads_only and "error" in c.expected(lo))]
    return pytest.mark.parametrize(("case", "loader"), pairs,
                                   ids=[f"{c.name}-{lo}" for c, lo in pairs])


def by_case():
    """Every case both loaders read (the on-disk loader does not read Excel)."""
    both = [c for c in CASES if not c.on_disk_expect]
    return pytest.mark.parametrize("case", both, ids=[c.name for c in both])


@by_case_and_loader()
def test_no_exception_but_the_workbooks_own_escapes(outcomes, case: Case, loader: str):
    assert outcomes[case.name, loader].raw_error is None, outcomes[case.name, loader].raw_error


@by_case_and_loader()
def test_the_outcome_is_the_expected_one(outcomes, case: Case, loader: str):
    outcome, expected = outcomes[case.name, loader], case.expected(loader)
    assert outcome.raw_error is None, outcome.raw_error
    if "error" in expected:
        assert outcome.error is not None, f"loaded where a refusal was expected: " \
                                          f"{outcome.describe()}"
        assert type(outcome.error).__name__ == expected["error"]
        message = str(outcome.error)
        for words in expected["message"]:
            assert words in message, f"{words!r} is not in the message {message!r}"
        assert len(message) < 600 and "Traceback" not in message
        return
    assert outcome.error is None, f"refused where a load was expected: {outcome.describe()}"
    account = outcome.account
    assert (account.rows_read, account.rows_kept) == (expected["read"], expected["kept"])
    assert account.reasons().to_dict() == expected.get("set_aside", {})
    assert account.flags().to_dict() == expected.get("flagged", {})
    assert account.derived().to_dict() == expected.get("derived", {})
    assert len(account.notes) == len(expected.get("notes", []))
    for note, words in zip(account.notes, expected.get("notes", []), strict=True):
        assert words in note
    for column, values in expected.get("values", {}).items():
        assert comparable(outcome.table[column], values) == values, column
    for column, lengths in expected.get("lengths", {}).items():
        assert outcome.table[column].str.len().tolist() == lengths, column
    if "quality" in expected:
        assert quality_flags(outcome, expected["quality"]["city"]) == \
            expected["quality"]["flagged"]


def comparable(column: pd.Series, expected: list) -> list:
    """``column``'s values as the table of cases writes them: numbers where it has numbers,
    text elsewhere (a date as "2025-03-04 05:15:00"), None for a missing value."""
    values = column.tolist()
    if len(values) != len(expected):
        return values
    return [None if pd.isna(value) else
            float(value) if isinstance(wanted, (int, float)) and not isinstance(wanted, bool)
            else str(value) for value, wanted in zip(values, expected, strict=True)]


@by_case()
def test_both_loaders_agree(outcomes, case: Case):
    ordinary, on_disk = outcomes[case.name, "pandas"], outcomes[case.name, "on disk"]
    assert ordinary.raw_error is None and on_disk.raw_error is None
    if ordinary.error is not None or on_disk.error is not None:
        assert (type(on_disk.error), str(on_disk.error)) == \
            (type(ordinary.error), str(ordinary.error))
        return
    assert on_disk.account.summary_lines() == ordinary.account.summary_lines()
    pd.testing.assert_frame_equal(on_disk.table, ordinary.table)
    pd.testing.assert_frame_equal(on_disk.set_aside.astype("string"),
                                  ordinary.set_aside.astype("string"))


@by_case_and_loader(loads_only=True)
def test_every_account_balances(outcomes, case: Case, loader: str):
    outcome = outcomes[case.name, loader]
    assert outcome.account is not None, outcome.describe()
    account = outcome.account
    assert account.rows_read == account.rows_kept + int(account.reasons().sum())
    assert len(outcome.set_aside) == account.rows_set_aside
    assert len(outcome.table) == account.rows_kept


def test_the_committed_byte_files_are_what_make_corpus_writes(tmp_path):
    written = make_corpus_module().write_byte_files(tmp_path)
    assert len(written) == 7
    for path in written:
        assert (CORPUS / path.name).read_bytes() == path.read_bytes(), path.name


def test_every_file_in_the_corpus_has_a_case():
    named = {case.file for case in CASES if not case.made}
    on_disk = {path.name for path in CORPUS.iterdir()
               if path.suffix not in (".py", ".yaml", ".md") and path.name != ".gitattributes"}
    assert named == on_disk
    made = {case.file for case in CASES if case.made}
    assert made == {"large_field.csv", "two_sheets.xlsx", "title_row.xlsx",
                    "serial_dates.xlsx", "damaged.parquet"}


def test_the_markdown_table_has_a_row_per_case_with_its_outcome(outcomes):
    spec = importlib.util.spec_from_file_location("corpus_table", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    table = script.markdown_table(script.outcome_rows(
        [(case, outcomes[case.name, "pandas"], outcomes[case.name, "on disk"])
         for case in CASES]))
    lines = table.splitlines()
    assert len(lines) == 2 + len(CASES)
    assert not [line for line in lines if "DISAGREES" in line or "raw exception" in line]
    assert lines[0] == "| case | file | outcome (both loaders) |"
    future = next(line for line in lines if line.startswith("| a closed date in the future |"))
    # the account's three lines for future_closed.csv (see its case), in one cell
    assert future.endswith(
        "| Read 4 rows from future_closed.csv: kept 3, set aside 1; Set aside 1 of 4 rows: "
        "opened after the data was extracted (a future date); Flagged 1 of 3 kept rows: "
        "closed after the data was extracted (a future date) |")
    swapped = next(line for line in lines if line.startswith("| swapped lat/long, both "))
    assert "quality checks with villa-serena's city file: Flagged 3 of 3 kept rows: " \
           "coordinates outside the city;" in swapped
    excel = next(line for line in lines if line.startswith("| Excel, the header row set |"))
    assert "the on-disk loader does not read Excel" in excel
