import pandas as pd
import pytest

from cda_lib.core.account import LoadAccount
from cda_lib.core.errors import LoadError


@pytest.fixture
def raw():
    return pd.DataFrame({"id": ["a", "b", "b", None, "c"], "x": [1, 2, 3, 4, 5]})


def test_rows_read_equal_kept_plus_set_aside(raw):
    account = LoadAccount.start("five.csv", raw)
    assert account.set_aside(raw["id"].isna(), "missing request id") == 1
    duplicated = raw["id"].duplicated() & raw["id"].notna()
    assert account.set_aside(duplicated, "duplicate request id") == 1
    assert (account.rows_read, account.rows_kept, account.rows_set_aside) == (5, 3, 2)
    account.verify()


def test_a_row_is_set_aside_once_for_its_first_reason(raw):
    account = LoadAccount.start("five.csv", raw)
    account.set_aside([False, False, True, False, False], "first reason")
    assert account.set_aside([False, False, True, False, False], "second reason") == 0
    assert account.reasons().to_dict() == {"first reason": 1}


def test_set_aside_rows_keep_source_row_reason_and_raw_values(raw):
    account = LoadAccount.start("five.csv", raw)
    account.set_aside(raw["x"] == 4, "missing request id", details=raw["id"].astype("string"))
    aside = account.set_aside_rows()
    # x == 4 is the fourth data row of the file, so its source row is 4
    assert aside.loc[0, "source_row"] == 4
    assert aside.loc[0, "reason"] == "missing request id"
    assert aside.loc[0, "x"] == 4


def test_kept_rows_filters_an_aligned_table(raw):
    account = LoadAccount.start("five.csv", raw)
    account.set_aside(raw["x"] > 3, "too big")
    assert account.kept_rows(raw)["x"].tolist() == [1, 2, 3]
    with pytest.raises(LoadError):
        account.kept_rows(raw.head(2))


def test_summary_reads_like_a_sentence(raw):
    account = LoadAccount.start("five.csv", raw)
    account.set_aside(raw["id"].isna(), "missing request id")
    account.flag(raw["x"] == 1, "coordinates not readable (left empty)")
    assert account.summary_lines() == [
        "Read 5 rows from five.csv: kept 4, set aside 1.",
        "Set aside 1 of 5 rows: missing request id",
        "Flagged 1 of 4 kept rows: coordinates not readable (left empty)",
    ]
    assert "Set aside 1 of 5 rows: missing request id" in account._repr_html_()


def test_flags_count_only_rows_that_are_kept(raw):
    account = LoadAccount.start("five.csv", raw)
    account.flag(raw["x"] <= 2, "issue")
    account.set_aside(raw["x"] == 1, "reason")
    assert account.flags().to_dict() == {"issue": 1}
