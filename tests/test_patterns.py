"""Tests of cda_lib.themes.lead.patterns: fields, volume, seasons, types and districts.

Expected figures are worked out by hand from the small tables built here (the comment
beside each says how).
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from cda_lib.themes.lead import patterns
from cda_lib.themes.lead.patterns import PatternError


def dated(*days: str, **columns) -> pd.DataFrame:
    return pd.DataFrame({"requested_datetime": pd.to_datetime(list(days)), **columns})


def test_the_field_guide_names_open311_fields_and_counts_blank_text_as_empty():
    table = pd.DataFrame({
        "service_request_id": pd.array(["1", "2", "3", "4"], dtype="string"),
        "district": pd.array(["North", " ", None, "South"], dtype="string"),
        "closed_datetime": pd.to_datetime(["2025-01-02", None, None, None]),
        "ward_code": [1, 2, 3, 4],
    })
    guide = patterns.field_guide(table).set_index("column")
    assert guide.loc["district", "filled"] == 0.5  # "North" and "South" of four
    assert guide.loc["closed_datetime", "filled"] == 0.25
    assert guide.loc["closed_datetime", "open311"].startswith("updated_datetime")
    assert guide.loc["district", "open311"].startswith("none: a vendor extension")
    assert guide.loc["ward_code", "meaning"] == "a column of this city's own"


def test_volume_compares_the_last_twelve_months_with_the_twelve_before():
    # Windows end at as_of (31 Dec 2025): (31 Dec 2024, 31 Dec 2025] and the year before.
    table = dated("2024-01-05", "2024-07-01", "2024-12-31", "2025-01-01", "2025-06-30",
                  "2025-12-31")
    result = patterns.volume_change(table, as_of="2025-12-31")
    assert (result.last_12_months, result.previous_12_months) == (3, 3)
    assert result.change == 0.0
    assert str(result) == ("3 requests in the 12 months to 31 December 2025: 0.0% more than "
                           "the 3 of the 12 months before.")


def test_volume_ends_at_the_data_when_it_stopped_long_before_the_extract():
    # A download of 2024 extracted in mid-2026: the last 12 months end on 20 Dec 2024, the
    # latest request, so they hold the 2 requests after 20 Dec 2023 (not 0).
    table = dated("2023-06-01", "2023-12-01", "2024-02-01", "2024-12-20")
    result = patterns.volume_change(table, as_of="2026-06-15")
    assert result.end == pd.Timestamp("2024-12-20")
    assert result.last_12_months == 2
    # the data starts 1 June 2023, more than a month after 20 Dec 2022: no earlier year
    assert result.previous_12_months is None and result.change is None
    assert "no full earlier year" in str(result)


def test_whole_months_leave_out_a_partly_covered_first_and_last_month():
    table = dated("2025-01-01 08:00", "2025-02-14 00:00", "2025-03-30 23:00")
    assert [str(m) for m in patterns.whole_months(table)] == ["2025-01", "2025-02"]


def test_the_seasonal_index_is_per_day_and_names_the_type_that_swings_most():
    # A whole January (31 days) and February (28 days) of 2025. Potholes: 6 in January,
    # 2 in February: 8 in 59 days overall; January 6/31 ÷ 8/59 = 1.427, February
    # 2/28 ÷ 8/59 = 0.527. Noise: 3 and 3: January 3/31 ÷ 6/59 = 0.952, February 1.054.
    jan = [f"2025-01-{d:02d}" for d in (1, 5, 9, 13, 17, 31)]
    feb = ["2025-02-03", "2025-02-28"]
    noise = ["2025-01-02", "2025-01-03", "2025-01-04", "2025-02-01", "2025-02-02",
             "2025-02-27"]
    table = dated(*jan, *feb, *noise, service_name=["Pothole"] * 8 + ["Noise"] * 6)
    index = patterns.seasonal_index(table)
    assert index.loc["January", "Pothole"] == pytest.approx(6 / 31 / (8 / 59))
    assert index.loc["February", "Noise"] == pytest.approx(3 / 28 / (6 / 59))
    assert index.loc["March"].isna().all()  # never covered
    peaks = patterns.seasonal_peaks(index)
    assert peaks.iloc[0]["name"] == "Pothole" and peaks.iloc[0]["peak_month"] == "January"
    assert peaks.set_index("name").loc["Noise", "quietest_month"] == "January"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=364), min_size=20, max_size=200))
def test_a_full_years_index_averages_one_over_the_days(day_numbers):
    # Weighted by days, the index of every column averages exactly 1 over a full year.
    days = pd.Timestamp("2025-01-01") + pd.to_timedelta(sorted(day_numbers), unit="D")
    table = pd.DataFrame({"requested_datetime": list(days) + [pd.Timestamp("2025-01-01"),
                                                              pd.Timestamp("2025-12-31")],
                          "service_name": "Pothole"})
    index = patterns.seasonal_index(table)
    month_days = pd.Series(pd.period_range("2025-01", periods=12, freq="M").days_in_month,
                           index=index.index)
    weighted = (index["All requests"] * month_days).sum() / month_days.sum()
    assert weighted == pytest.approx(1.0)


def test_type_concentration_sorts_ties_alphabetically_and_keeps_shares_of_all():
    table = pd.DataFrame({"service_name": ["Noise", "Graffiti", "Pothole", "Pothole", "Noise",
                                           "Pothole", "Alley"]})
    result = patterns.type_concentration(table, top=2)
    assert result["service_name"].tolist() == ["Pothole", "Noise"]  # 3, then 2, then 1
    assert result["share"].tolist() == pytest.approx([3 / 7, 2 / 7])
    assert result["cumulative_share"].iloc[-1] == pytest.approx(5 / 7)
    # Alley and Graffiti tie with 1 each: alphabetical order
    assert patterns.type_concentration(table)["service_name"].tolist()[2:] == ["Alley",
                                                                              "Graffiti"]


def test_district_rates_are_per_year_per_1000_and_account_for_every_request():
    # 24 calendar months (Jan 2024 to Dec 2025) = 2 years. North: 4 requests, 2,000
    # residents: 4 / 2,000 × 1,000 / 2 = 1.0 a year; South: 2 / 500 × 1,000 / 2 = 2.0.
    table = dated("2024-01-03", "2024-05-01", "2025-02-01", "2025-12-30", "2024-08-08",
                  "2025-03-03", "2025-04-04", "2025-05-05",
                  district=["North", "North", "North", "North", "South", "South", "Nowhere",
                            None],
                  channel=["web", "phone", "mobile app", "phone", "phone", "phone", "web",
                           "web"])
    districts = pd.DataFrame({"district": ["North", "South", "Empty"],
                              "population": [2000, 500, 0], "share_renters": [0.5, 0.2, 0.0]})
    rates = patterns.district_rates(table, districts).set_index("district")
    assert rates.loc["North", "per_1000_a_year"] == pytest.approx(1.0)
    assert rates.loc["South", "per_1000_a_year"] == pytest.approx(2.0)
    assert pd.isna(rates.loc["Empty", "per_1000_a_year"])  # no residents: no rate
    assert rates.loc["North", "online_share"] == 0.5  # web and app, 2 of 4
    assert rates.loc["(not recorded)", "requests"] == 2  # "Nowhere" and no district
    assert rates["requests"].sum() == len(table)
    assert rates.loc["South", "share_renters"] == 0.2


def test_months_covered_counts_both_end_months():
    assert patterns.months_covered(dated("2024-03-31", "2024-04-01")) == 2


@pytest.mark.parametrize(("call", "words"), [
    (lambda: patterns.seasonal_index(dated("2025-01-05"), by="type"), 'no "type" column'),
    (lambda: patterns.volume_change(pd.DataFrame({"requested_datetime": ["2025-01-01"]}),
                                    as_of="2025-02-01"), "not dates"),
    (lambda: patterns.seasonal_index(dated("2025-01-05", "2025-01-20",
                                           service_name=["A", "B"])), "one whole calendar"),
    (lambda: patterns.field_guide([1, 2]), "not list"),
    (lambda: patterns.district_rates(dated("2025-01-05", district=["N"]),
                                     pd.DataFrame({"name": ["N"]})), "district and a population"),
])
def test_awkward_input_gets_a_clear_message(call, words):
    with pytest.raises(PatternError, match=words):
        call()
