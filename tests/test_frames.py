"""The house table format (cda_lib.core.frames): what a page shows for a pandas table.

Every expected cell is written out by hand from the small tables below.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
from IPython.core.formatters import DisplayFormatter

from cda_lib.core.frames import column_label, frame_table, register_table_display
from cda_lib.text.translation import use_language


def cells(table):
    return [[text for text, _numeric in row] for row in table.rows]


def test_a_list_of_counts_reads_as_a_two_column_table_with_no_pandas_footer():
    counts = pd.Series([1234, 56], name="count",
                       index=pd.Index(["Pothole repair", "Noise"], name="service_name"))
    table = frame_table(counts)
    assert table.headings == ["Request type", "Count"]
    assert cells(table) == [["Pothole repair", "1,234"], ["Noise", "56"]]
    html = table._repr_html_()
    assert "dtype" not in html and "Name:" not in html and 'class="dataframe' not in html


def test_shares_become_percents_missing_values_a_dash_and_the_row_numbers_go():
    frame = pd.DataFrame({
        "district": ["North", "South"],
        "on_time_share": [0.017632, 0.5],  # 1.7632% -> 1.8%; 50% -> 50.0%
        "median_days": [3.40783, np.nan],  # four significant digits: 3.408
        "closed_datetime": [pd.Timestamp("2025-03-02"), pd.NaT],
        "reopened": [True, False],
    })
    table = frame_table(frame)
    assert table.headings == ["District", "On-time share", "Median days", "Closed on",
                              "Reopened"]
    assert cells(table) == [["North", "1.8%", "3.408", "02 Mar 2025", "yes"],
                            ["South", "50.0%", "—", "—", "no"]]


def test_a_share_named_column_outside_0_to_1_stays_a_number():
    table = frame_table(pd.DataFrame({"share": [12.5, 0.5]}))  # 12.5 is not a share
    assert cells(table) == [["12.5"], ["0.5"]]


def test_a_named_index_is_kept_as_the_first_column_and_unknown_names_become_words():
    frame = pd.DataFrame({"days_to_close": [2.0, 4.5]},
                         index=pd.Index(["A", "B"], name="request_kind"))
    table = frame_table(frame)
    assert table.headings == ["Request kind", "Days to close"]
    assert cells(table) == [["A", "2"], ["B", "4.5"]]
    assert column_label("Already Words") == "Already Words"


def test_a_long_table_shows_its_first_ten_and_last_five_rows_and_says_how_many_are_left_out():
    table = frame_table(pd.DataFrame({"week": range(40)}))
    assert [row[0] for row in cells(table)] == [str(n) for n in [*range(10), *range(35, 40)]]
    assert table.notes == ["25 rows between these are not shown, of 40."]  # 40 - 10 - 5


def test_a_spanish_page_has_spanish_headings_numbers_and_note():
    with use_language("es"):
        table = frame_table(pd.DataFrame({"service_name": ["Bache"] * 32,
                                          "requests": [1234] * 32}))
    assert table.headings == ["Tipo de solicitud", "Número de solicitudes"]
    assert cells(table)[0] == ["Bache", "1.234"]
    assert table.notes == ["17 filas entre estas no se muestran, de 32."]  # 32 - 15


def test_a_row_of_a_table_keeps_its_field_names_as_they_are_and_is_headed_value():
    row = pd.DataFrame({"service_request_id": ["RI-1"], "status": ["closed"]}).iloc[0]
    table = frame_table(row)  # a row's Series is named 0: its heading is "Value"
    assert table.headings == ["", "Value"]
    assert cells(table) == [["service_request_id", "RI-1"], ["status", "closed"]]


def test_the_notebook_extension_shows_every_frame_and_series_in_the_house_format():
    formatter = DisplayFormatter()
    register_table_display(SimpleNamespace(display_formatter=formatter))
    shown, _metadata = formatter.format(pd.Series([3], index=pd.Index(["x"], name="channel"),
                                                  name="count"))
    assert "cda-readable-table" in shown["text/html"]
    assert "<th" in shown["text/html"] and ">Channel<" in shown["text/html"]
    assert "dtype" in shown["text/plain"]  # plain text (a terminal) stays pandas' own
    frame_shown, _ = formatter.format(pd.DataFrame({"a": [1]}))
    assert "cda-readable-table" in frame_shown["text/html"]


def test_the_build_check_finds_pandas_own_table_and_series_on_a_page(tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent.parent / "scripts"))
    from check_built_notebooks import page_problems

    raw = tmp_path / "raw.html"
    raw.write_text(pd.DataFrame({"a": [1]}).to_html() + "<pre>" + str(pd.Series([1])) + "</pre>",
                   encoding="utf-8")
    found = page_problems(raw)
    assert len(found) == 2
    assert "dataframe" in found[0] and "dtype: " in found[1]
    house = tmp_path / "house.html"
    house.write_text(frame_table(pd.DataFrame({"a": [1]}))._repr_html_(), encoding="utf-8")
    assert page_problems(house) == []
