"""What a page's sections need of a city's data, and the sentences that say what is missing.

The fixture below has three requests, worked out by hand:

- 06 Jan 2025 09:00 (a Monday), pothole, district D1, with coordinates, closed 07 Jan;
- 15 Feb 2025 00:00, noise, district D2, no coordinates, still open;
- 31 Mar 2025 23:00, pothole, no district, no coordinates, still open;

and the data is as of 31 Mar 2025 23:30. So it runs 85 days (06 Jan to 31 Mar, both
counted); its whole weeks are the 12 from Monday 06 Jan to Sunday 30 Mar (the week of 31
Mar is not over); its whole months are February and March (January starts before the
first request); no calendar quarter is whole (Q1 starts on 01 Jan); one request has a
closed date; two districts; one request with coordinates; two request types, one of them
(pothole) with a service standard.
"""

import pandas as pd
import pytest

from cda_lib.core.needs import (
    CLOSED_DATES,
    COORDINATES,
    SEVERAL_DISTRICTS,
    DataFacts,
    Need,
    Section,
    months,
    quarters,
    unmet_sentence,
)
from cda_lib.core.sections import PageCheck
from cda_lib.metrics.reporting_period import ReportingPeriodError, reporting_period
from cda_lib.text.translation import use_language

AS_OF = pd.Timestamp("2025-03-31 23:30")


@pytest.fixture
def requests():
    return pd.DataFrame({
        "requested_datetime": pd.to_datetime(["2025-01-06 09:00", "2025-02-15 00:00",
                                              "2025-03-31 23:00"]),
        "closed_datetime": pd.to_datetime(["2025-01-07 10:00", None, None]),
        "service_code": ["POTHOLE", "NOISE", "POTHOLE"],
        "district": ["D1", "D2", None],
        "lat": [44.1, None, None], "long": [-93.0, None, None]})


def test_the_facts_are_counted_as_worked_out_by_hand(requests):
    facts = DataFacts.of(requests, as_of=AS_OF, standards={"POTHOLE": 5, "TREE": 30})
    assert facts == DataFacts(requests=3, days=85, weeks=12, months=2, quarters=0, closed=1,
                              districts=2, with_district=2, with_coordinates=1,
                              request_types=2, standards=1, times=True)


def test_dates_without_times_are_noticed_and_no_districts_or_coordinates_count_zero():
    table = pd.DataFrame({"requested_datetime": pd.to_datetime(["2025-01-01", "2025-01-02"]),
                          "closed_datetime": pd.to_datetime([None, None]),
                          "service_code": ["A", "A"]})
    facts = DataFacts.of(table, as_of="2025-01-02")
    assert (facts.times, facts.districts, facts.with_coordinates, facts.closed) == \
        (False, 0, 0, 0)
    assert facts.span() == "2 days"


@pytest.mark.parametrize(("days", "whole_months", "said"), [
    (3, 0, "3 days"), (13, 0, "13 days"), (56, 1, "8 weeks"), (69, 2, "9 weeks"),
    (548, 17, "18 months"), (1096, 36, "3 years")])
def test_the_span_is_said_in_the_unit_a_reader_would_use(days, whole_months, said):
    facts = DataFacts(0, days, days // 7, whole_months, whole_months // 3, 0, 0, 0, 0, 0, 0)
    assert facts.span() == said


def test_a_need_says_what_is_needed_and_what_this_city_has(requests):
    facts = DataFacts.of(requests, as_of=AS_OF, standards={"POTHOLE": 5})
    assert months(2).met(facts) and not months(6).met(facts)
    assert months(6).missing(facts) == ("at least 6 whole months of requests; this city's "
                                        "data covers 3 months")
    assert quarters(1).missing(facts) == ("at least 1 whole quarter of requests; this city's "
                                          "data covers 3 months")
    assert SEVERAL_DISTRICTS.met(facts) and COORDINATES.met(facts) and CLOSED_DATES.met(facts)
    assert Need("districts", 3).missing(facts) == ("requests in at least 3 districts; this "
                                                   "city's requests are in 2 districts")
    assert not Need("closed", 30).met(facts)
    assert Need("closed", 30).missing(facts) == ("closed dates for at least 30 requests; 1 of "
                                                 "this city's requests has one")


def test_a_need_is_said_in_the_page_s_language(requests):
    facts = DataFacts.of(requests, as_of=AS_OF)
    with use_language("es"):
        spanish = months(6).missing(facts)
    with use_language("pt"):
        portuguese = months(6).missing(facts)
    assert "6" in spanish and "3" in spanish and spanish != months(6).missing(facts)
    assert "6" in portuguese and portuguese not in (spanish, months(6).missing(facts))


def test_an_unknown_kind_of_need_is_refused():
    with pytest.raises(ValueError, match="not a kind of need"):
        Need("years", 2)


def test_the_sentence_in_place_of_a_section_names_every_unmet_need():
    nothing_closed = DataFacts(900, 365, 52, 12, 4, 0, 4, 900, 900, 8, 8)
    assert unmet_sentence("The backlog", [months(24), CLOSED_DATES], nothing_closed) == (
        "The backlog needs at least 24 whole months of requests; this city's data covers 12 "
        "months. It also needs closed dates for at least 1 request; none of this city's "
        "requests has a closed date.")


def page_for(facts):
    return PageCheck("9.9", [
        Section("waits", "How long a request takes", (CLOSED_DATES,)),
        Section("baseline", "The baseline", (months(3),)),
        Section("target", "A target", (months(2),), uses=("baseline",)),
        Section("map", "The map", (COORDINATES,)),
    ], facts, "Eight Weeks")


def test_a_page_check_lists_what_it_skips_and_a_section_that_uses_a_skipped_one_skips_too():
    eight_weeks = DataFacts(400, 56, 8, 1, 0, 380, 4, 400, 0, 1, 1)
    page = page_for(eight_weeks)
    assert [page.runs(key) for key in ("waits", "baseline", "target", "map")] == \
        [True, False, False, False]
    # the target's own need (2 months) is not met either, but what stops it first is the
    # baseline it uses
    assert page.blocked_by("target") == "baseline"
    assert page.text().split("\n") == [
        "Not every section of this page can run with Eight Weeks's data; 3 sections are "
        "skipped:",
        "- The baseline needs at least 3 whole months of requests; this city's data covers "
        "8 weeks.",
        "- A target needs at least 2 whole months of requests; this city's data covers 8 "
        "weeks.",
        "- The map needs coordinates for the requests; none of this city's requests has "
        "coordinates.",
        "The sections that need less still run below."]


def test_a_page_whose_sections_all_run_says_nothing_and_a_skip_stops_its_users():
    two_years = DataFacts(30000, 731, 104, 24, 8, 29000, 6, 30000, 30000, 13, 13)
    page = page_for(two_years)
    assert page.text() == "" and page._repr_html_() == ""
    assert all(page.runs(key) for key in page.sections)
    page.skip("baseline", "The baseline could not run.")
    assert not page.runs("target") and page.blocked_by("target") == "baseline"


def test_a_cell_naming_a_section_the_page_lacks_says_which_it_has():
    page = page_for(DataFacts(1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0))
    with pytest.raises(KeyError, match='Page 9.9 has no section called wait.*"waits"'):
        page.runs("wait")


# --- the reporting period ------------------------------------------------------------------

def test_the_reporting_period_follows_the_span_and_says_so(requests):
    period = reporting_period(requests, as_of=AS_OF)
    # two whole months (February, March) and no whole quarter: months
    assert (period.time_key, period.label, period.first) == ("month", "2025-03", "2025-02")
    # the data does not reach back to March 2024, so the comparison is the month before
    assert period.comparison() == "2025-02"
    assert period.text() == ("Months are used: the data covers 3 months. The latest whole "
                             "month is March 2025.")


def test_two_years_are_read_by_quarter_and_compared_with_the_same_quarter_a_year_before():
    opened = pd.to_datetime(["2024-01-01 08:00", "2025-12-31 17:00"])
    period = reporting_period(pd.DataFrame({"requested_datetime": opened}),
                              as_of="2025-12-31 18:00")
    assert (period.time_key, period.label, period.comparison()) == \
        ("quarter", "2025Q4", "2024Q4")


def test_three_days_are_too_short_for_any_period_and_the_error_says_so():
    opened = pd.to_datetime(["2020-01-01 00:10", "2020-01-03 23:55"])
    with pytest.raises(ReportingPeriodError, match="covers 3 days, too short to report by "
                                                   "week"):
        reporting_period(pd.DataFrame({"requested_datetime": opened}),
                         as_of="2020-01-03 23:55")


def test_weeks_are_used_for_eight_weeks():
    opened = pd.to_datetime(["2020-02-03 08:00", "2020-03-29 22:00"])
    period = reporting_period(pd.DataFrame({"requested_datetime": opened}),
                              as_of="2020-03-29 23:00")
    assert (period.time_key, period.label, period.comparison()) == \
        ("week", "2020-03-23/2020-03-29", "2020-03-16/2020-03-22")
    assert str(period).startswith("Weeks are used: the data covers 8 weeks.")
    with pytest.raises(AssertionError):  # the test can fail: a month label is not a week's
        assert period.label == "2020-03"
