"""Page 3.4 on Handcount's 44 requests (tests/communicate_fixtures.py), every figure worked out
by hand there: 40 requests in 2025, Pothole repair 20 (50%), Streetlight out 12 (30%),
Graffiti removal 8 (20%); median 2.0 days; on time 30 of 40 = 75%."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest
from communicate_fixtures import plain_data

from cda_lib.charts.style import GRAPHICS_CONTRAST, MAIN_COLOUR, MUTED_COLOUR, contrast_ratio
from cda_lib.core.workspace import Workspace
from cda_lib.metrics.readability import score_text
from cda_lib.themes import find_module
from cda_lib.themes.empower.communicate import (
    audience_messages,
    headline_figures,
    plain_summary,
    scored_summary,
)
from cda_lib.themes.empower.makeover import (
    RAINBOW,
    chart_makeover,
    final_chart,
    finding_title,
    palette_check,
)
from cda_lib.themes.empower.resident_page import (
    dashboard_figures,
    resident_dashboard,
    write_dashboard,
)
from cda_lib.themes.empower.summary_box import SummaryBox


@pytest.fixture(scope="module")
def figures():
    return headline_figures(plain_data())


def test_module_3_4_is_registered_with_its_sections():
    module = find_module("3.4")
    assert module.notebook == "03_empower/04_say_it_so_people_understand.ipynb"
    assert [s.key for s in module.sections] == ["figures", "makeover", "summary", "audiences",
                                                "dashboard"]
    assert module.writes == ("resident_dashboard",)


def test_the_headline_figures_are_those_worked_out_by_hand(figures):
    assert figures.whole_year and figures.requests == 40  # the 4 of June 2024 are left out
    assert figures.type_counts.to_dict() == {"Pothole repair": 20, "Streetlight out": 12,
                                             "Graffiti removal": 8}
    assert figures.median_days == pytest.approx(2.0)
    assert figures.on_time == pytest.approx(0.75)
    assert figures.period == "the 12 months up to 31 Dec 2025"


def test_a_short_extract_counts_its_days():
    """The 2025 rows alone start on 10 January 2025, 09:00: 355 days and 15 hours before the
    extract, counted as 356 days."""
    data = plain_data()
    data = dataclasses.replace(data, requests=data.requests.iloc[4:])
    figures = headline_figures(data)
    assert not figures.whole_year and figures.days == 356
    assert figures.period == "the 356 days of data up to 31 Dec 2025"


def test_an_extract_dated_long_after_the_data_counts_all_of_it():
    """No request in the 12 months before an as-of of 30 June 2027: the period is all 44
    requests, from 10 June 2024, 09:00: 3 years (1,095 days; no 29 February in between) and
    19 days 15 hours, counted as 1,115 days."""
    data = dataclasses.replace(plain_data(), as_of=pd.Timestamp("2027-06-30"))
    figures = headline_figures(data)
    assert (figures.whole_year, figures.requests, figures.days) == (False, 44, 1115)
    assert figures.type_counts["Pothole repair"] == 24


def test_the_plain_summary_states_the_figures(figures):
    assert plain_summary(figures) == [
        "In the 12 months up to 31 Dec 2025, people in Handcount asked the city for help 40 "
        "times.",
        "The most common request was Pothole repair: 50% of them.",
        "Half of the requests were done within 2.0 days.",
        "75% were done on time."]
    assert scored_summary(figures, "en").readability.meets_target


def test_a_median_that_is_only_a_lower_bound_is_not_said():
    """With every 2025 request still open, half of them have waited at least until the
    extract: "done within N days" would be untrue, so there is no median to say."""
    data = plain_data()
    requests = data.requests.assign(closed_datetime=pd.NaT, status="open")
    figures = headline_figures(dataclasses.replace(data, requests=requests))
    assert figures.median_days is None
    assert not any("Half of the requests" in s for s in plain_summary(figures))


def test_a_summary_leaves_out_what_the_data_cannot_say(figures):
    bare = dataclasses.replace(figures, median_days=None, on_time=None,
                               type_counts=pd.Series({"Pothole repair": 40}))
    assert plain_summary(bare) == [
        "In the 12 months up to 31 Dec 2025, people in Handcount asked the city for help 40 "
        "times."]


def test_three_audiences_hear_the_same_figures(figures):
    said = audience_messages(figures)
    assert said["staff"] == (
        "In the 12 months up to 31 Dec 2025 we closed half of our 40 requests within 2.0 days. "
        "75% met the service standard: the rest are where to look first. Pothole repair is 50% "
        "of the work.")
    assert said["council"].startswith("Handcount answered 40 requests from residents")
    assert "75% were resolved within the standard" in said["council"]
    assert said["residents"].startswith("Thank you: you told us about 40 problems")
    assert "We fixed half of them within 2.0 days." in said["residents"]
    assert "%" not in said["residents"]  # residents get no percentages to decode


def test_the_title_states_the_finding_from_the_numbers():
    # 20 / 12 = 1.67, written 1.7; 20 of 40 = 50%
    counts = pd.Series({"Pothole repair": 20, "Streetlight out": 12, "Graffiti removal": 8})
    assert finding_title(counts, 40) == ("Pothole repair is the most common request: 50% of all "
                                         "requests, 1.7 times the next type")
    # 10 and 10: a tie is said as a tie; 103 / 100 = 1.03, not rounded onto "1.0 times"
    assert finding_title(pd.Series({"A": 10, "B": 10}), 20).startswith("A and B are the most")
    assert "1.03 times the next type" in finding_title(pd.Series({"A": 103, "B": 100}), 203)
    assert finding_title(pd.Series({"A": 5}), 5) == ("A is the only request type: 100% of all "
                                                     "requests")


def test_the_made_over_chart_has_alt_text_from_the_same_numbers(figures):
    chart = final_chart(figures.type_counts, figures.requests,
                        context=plain_data().chart_context, period=figures.period)
    assert chart.alt_text == (
        "Synthetic data. Bar chart of the 3 most common request types in Handcount, largest "
        "first: Pothole repair 20 (50%), Streetlight out 12 (30%) and Graffiti removal 8 "
        "(20%). Pothole repair is the most common request: 50% of all requests, 1.7 times the "
        "next type.")


def test_every_step_of_the_makeover_says_what_changed(figures):
    makeover = chart_makeover(figures.type_counts, figures.requests,
                              context=plain_data().chart_context, period=figures.period)
    assert len(makeover.steps) == 6
    assert makeover.steps[0].chart.title == "Requests by type"  # a topic, not a finding
    assert makeover.final.title.startswith("Pothole repair is the most common request")
    for step in makeover.steps:
        assert step.change.endswith(".") and step.chart.alt_text.startswith("Synthetic data.")
    html = makeover._repr_html_()
    assert html.count("<h3>") == 6 and html.count('alt="') == 6


def test_the_house_colours_pass_contrast_and_the_rainbow_does_not():
    # WCAG: (L1 + 0.05) / (L2 + 0.05); white 1.0, #949494 0.296 -> 1.05 / 0.346 = 3.03
    assert contrast_ratio(MUTED_COLOUR) == pytest.approx(3.03, abs=0.01)
    assert contrast_ratio(MAIN_COLOUR) == pytest.approx(5.19, abs=0.01)
    # pure yellow #FFFF00: 0.2126 + 0.7152 = 0.9278 -> 1.05 / 0.9778 = 1.07
    assert contrast_ratio("#FFFF00") == pytest.approx(1.07, abs=0.01)
    assert min(contrast_ratio(c) for c in RAINBOW) < GRAPHICS_CONTRAST
    rows = palette_check().to_frame()
    assert rows["Passes 3:1"].tolist() == ["No", "Yes", "No"]


@pytest.mark.parametrize(("text", "language", "words", "per_sentence", "score"), [
    # 20 one-syllable words in 2 sentences: 0.39 x 10 + 11.8 x 1.0 - 15.59 = 0.11, to 0.1
    ("We fixed the hole in the road on Main Street. Thank you for all the calls you made "
     "to us.", "en", 20, 10.0, 0.1),
    # 20 one-syllable words in 5 sentences: 206.84 - 60 x 1.0 - 1.02 x 4 = 142.76
    ("Yo vi el mar. Tú ves la luz. Él da su pan. Ya no hay sal. Mi voz es fiel.", "es", 20,
     4.0, 142.76),
    # 20 one-syllable words in 2 sentences: 248.835 - 1.015 x 10 - 84.6 x 1.0 = 154.085
    ("Eu vi o mar e o sol com meu pai. Tu vês a luz e eu sei que há paz.", "pt", 20, 10.0,
     154.085),
])
def test_readability_is_each_languages_formula(text, language, words, per_sentence, score):
    scored = score_text(text, language)
    assert (scored.words, scored.words_per_sentence, scored.syllables_per_word) == \
        (words, per_sentence, 1.0)
    assert scored.score == pytest.approx(score)
    assert scored.meets_target


def test_a_hard_sentence_gets_feedback_in_plain_words():
    """26 words in one sentence, most of them long: above grade 8, with both remedies."""
    hard = ("The municipality's administration communicated comprehensive information regarding "
            "infrastructure maintenance, prioritization methodologies and operational "
            "performance indicators to stakeholders, residents, departments, councillors and "
            "community organizations throughout the jurisdiction.")
    scored = score_text(hard, "en")
    assert scored.words == 26 and scored.words_per_sentence == 26.0
    assert scored.score > 8 and not scored.meets_target
    said = " ".join(scored.feedback())
    assert "above the target of grade 8" in said
    assert "Your sentences have 26.0 words on average" in said
    assert "use a short, everyday word" in said
    assert "too few to score" in str(score_text("We fixed it.", "en"))


def test_the_summary_box_scores_what_is_written():
    box = SummaryBox("We fixed it.", "en")
    assert "too few to score" in box.result.value
    box.text.value = ("We fixed the hole in the road on Main Street. Thank you for all the "
                      "calls you made to us.")
    box.score()
    assert "at or below the target of grade 8" in box.result.value


YEAR = "the 12 months up to 31 Dec 2025"  # the summary's period: every card covers it


def test_the_dashboard_takes_a_figure_recorded_for_its_period_and_says_so(tmp_path, figures):
    workspace = Workspace("plain", folder=tmp_path)
    workspace.record("requests_last_12_months", 40)  # page 0.2's, of the same 40 requests
    shown = dashboard_figures(figures, workspace)
    assert (shown[0].value, shown[0].recorded) == ("40", True)
    assert shown[0].note == f"Recorded by page 0.2, for {YEAR}."
    # nothing recorded by 1.2 yet: the page's own 2.0 days and 75%, said to be worked out
    assert [(f.value, f.recorded) for f in shown[1:]] == [
        ("Pothole repair (50%)", False), ("2.0 days", False), ("75%", False)]
    assert shown[2].note == (f"Worked out by this page from the data, for {YEAR}: page 1.2 "
                             "has not recorded it yet.")


def test_a_count_recorded_from_other_data_is_not_shown_as_this_page_s(tmp_path, figures):
    workspace = Workspace("plain", folder=tmp_path)
    workspace.record("requests_last_12_months", 123)  # not the 40 the summary states
    first = dashboard_figures(figures, workspace)[0]
    assert (first.value, first.recorded) == ("40", False)
    assert first.note == (f"Worked out by this page from the data, for {YEAR} like every "
                          "figure here; page 0.2 recorded 123 for the 12 months up to its "
                          "extract.")


KEY_FIGURES = {"period": "2025Q4", "requests": 10, "still_open": 1, "median_days": 3.5,
               "median_at_least": False, "p90_days": 9.0, "p90_at_least": False,
               "mean_days_closed": 4.0, "median_days_closed": 3.0, "on_time_share": 0.9,
               "reopen_rate": 0.0, "cancellation_rate": 0.0, "backlog_at_end": 1}


def test_figures_recorded_for_another_period_are_named_not_mixed_in(tmp_path, monkeypatch,
                                                                     figures):
    # Page 1.2 recorded its latest quarter (3.5 days, 90%); the summary states the year's
    # 2.0 days and 75%, and so do the cards, which say what 1.2 recorded and for when.
    workspace = Workspace("plain", folder=tmp_path / "w")
    workspace.record("key_figures", KEY_FIGURES)
    workspace.record("top_request_type", "Streetlight out")
    shown = dashboard_figures(figures, workspace)
    assert shown[1].note == (f"Worked out by this page from the data, for {YEAR} like every "
                             "figure here; page 0.2 recorded Streetlight out over all years.")
    assert [(f.value, f.note) for f in shown[2:]] == [
        ("2.0 days", f"Worked out by this page from the data, for {YEAR} like every figure "
                     "here; page 1.2 recorded 3.5 days for Q4 2025."),
        ("75%", f"Worked out by this page from the data, for {YEAR} like every figure here; "
                "page 1.2 recorded 90% for Q4 2025.")]
    monkeypatch.setenv("CDA_BUILD_DIR", str(tmp_path))
    dashboard = resident_dashboard(plain_data(), workspace)
    assert f"Every figure on this page covers {YEAR}." in dashboard.about  # no 3.3 record
    assert "Half of the requests were done within 2.0 days." in dashboard.summary
    assert "75% were done on time." in dashboard.summary
    # half of 1.2's quarter still open: its median is only a lower bound, and says so
    workspace.record("key_figures", {**KEY_FIGURES, "median_at_least": True})
    assert dashboard_figures(figures, workspace)[2].note.endswith(
        "page 1.2 recorded at least 3.5 days for Q4 2025.")


def test_the_district_table_says_the_months_page_3_3_compared(tmp_path, monkeypatch):
    # Handcount's compared requests run from June 2024 to December 2025: 19 calendar months.
    workspace = Workspace("plain", folder=tmp_path / "w")
    workspace.record("equity_by_district", [
        {"district": "North", "share_low_income": 0.3, "per_1000_a_year": 12.0,
         "median_days": 2.0, "on_time_share": 0.75}])
    monkeypatch.setenv("CDA_BUILD_DIR", str(tmp_path))
    dashboard = resident_dashboard(plain_data(), workspace)
    assert dashboard.districts.caption == ("Service by district, over the 19 months of data up "
                                           "to 31 Dec 2025")
    assert f"Every figure above the table of districts covers {YEAR}." in dashboard.about


def _headings(page: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])[ >]", page)]


@pytest.mark.parametrize(("language", "lang", "heading"), [
    ("en", 'lang="en"', "Key figures"), ("pt", 'lang="pt"', "Números principais")])
def test_the_dashboard_is_one_offline_accessible_page(tmp_path, monkeypatch, language, lang,
                                                       heading):
    monkeypatch.setenv("CDA_BUILD_DIR", str(tmp_path))
    dashboard = resident_dashboard(plain_data(language=language), Workspace("plain",
                                                                             tmp_path / "w"))
    path = write_dashboard(dashboard)
    assert path == tmp_path / "hand_counted_city" / "resident_dashboard" / \
        "resident_dashboard.html"
    page = path.read_text(encoding="utf-8")
    assert lang in page and f"<h2>{heading}</h2>" in page
    assert not re.search(r"https?://|<script|<link|src=\"(?!data:)", page)
    headings = _headings(page)
    steps = zip(headings, headings[1:], strict=False)
    assert headings[0] == 1 and all(b - a <= 1 for a, b in steps)
    assert '<th scope="col">' in page and '<th scope="row">' in page
    assert 'alt="' in page and 'src="data:image/png;base64,' in page
    assert dashboard.synthetic and 'class="cda-synthetic"' in page
