"""The month-end backlog by age and its warm-up (cda_lib/metrics/backlog.py), on Tallyville.

Tallyville (tests/tallyville_fixtures.py) starts on 1 January 2024. At a month's end only
sidewalks are open (noise and potholes close within their month), except the noise
complaint of 31 December 2025. A month's sidewalks open on days 1 to 5 (6 in 2025's even
months): the first two close after 10 days, the third after 45, the rest never.
"""

from __future__ import annotations

from tallyville_fixtures import tallyville_data

from cda_lib.metrics.backlog import backlog_by_age, settled


def test_tallyville_backlog_by_age_worked_out_by_hand():
    data = tallyville_data()
    table = backlog_by_age(data.requests, as_of=data.as_of).set_index("month")
    # Open under 90 days: the month's 45-day sidewalk and the never-closing ones of the month
    # and the two before (3 months of 2 in 2024): January 1 + 2 = 3, February 3 + 2 = 5,
    # then 7 from March. In 2025 the never-closing ones are 2 in odd and 3 in even months.
    assert table.loc["2024-01":"2024-04", "open_recent"].tolist() == [3, 5, 7, 7]
    assert table.loc["2025-01":"2025-06", "open_recent"].tolist() == [7, 8, 8, 9, 8, 9]
    # All open ones: every never-closing sidewalk so far plus the month's 45-day one
    # (2 a month in 2024: December 2 x 12 + 1 = 25); 90 days or more: the rest.
    assert table.loc["2024-12", "backlog_at_end"] == 25
    assert table.loc["2024-12", "open_long"] == 25 - 7
    # December 2025: 51 never-closing sidewalks before December, December's 6, the complaint.
    assert table.loc["2025-12", ["backlog_at_end", "open_recent"]].tolist() == [58, 12]
    # 1 January 2024 + 90 days is 31 March: January and February end before it.
    assert table.index[table["warm_up"]].tolist() == ["2024-01", "2024-02"]
    assert settled(table.reset_index())["month"].iloc[0] == "2024-03"


def test_an_empty_table_has_no_months():
    data = tallyville_data()
    assert backlog_by_age(data.requests.head(0), as_of=data.as_of).empty
