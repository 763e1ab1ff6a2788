"""Theme 3, Empower people to be part of the solution: the page helpers, charts and
exercises of modules 3.1, who has a stake (a stakeholder map, its engagement plan and the
kick-off meeting), 3.2, what residents tell us, 3.3, who is served and who is missed,
3.4, say it so people understand, and 3.5, publishing open data safely.

:data:`THEME` lists its modules, their notebooks, what they record and what each section of
a page needs of the city's requests: page 3.3 compares districts, so a city without
districts gets a plain sentence for each of its sections instead. Page 3.2 weighs a
synthetic resident survey (:mod:`cda_lib.synth.survey`, made from each city's seed), so it
needs nothing of the city's service requests and declares no sections. Page 3.4's chart
makeover compares request types, so a city with one type gets a sentence in its place; its
summary, messages and resident dashboard need only requests. Page 3.1 maps the city's own
stakeholder list or a synthetic one; each of its meeting's three figures says in a sentence
what it needs when the data lacks it, so it declares none either. Page 3.5 scans the
requests' free text, generalises their addresses, rounds their coordinates and withholds
small counts by district: each needs its column, and a city without it gets a sentence.
"""

from cda_lib.core.modules import Module, Theme
from cda_lib.core.needs import (
    ADDRESSES,
    CLOSED_DATES,
    COORDINATES,
    FREE_TEXT,
    SEVERAL_DISTRICTS,
    SEVERAL_TYPES,
    STANDARDS,
    Section,
    requests_at_least,
)
from cda_lib.text.translation import N_

THEME = Theme(
    number=3,
    title=N_("Empower people to be part of the solution"),
    modules=(
        Module("3.1", N_("Who has a stake: a stakeholder map and engagement plan"),
               notebook="03_empower/01_who_has_a_stake.ipynb",
               exercises="03_empower/01_who_has_a_stake.ipynb",
               writes=("stakeholder_map", "kickoff_figures")),
        Module("3.2", N_("What residents tell us: a resident survey"),
               notebook="03_empower/02_what_residents_tell_us.ipynb",
               exercises="03_empower/02_what_residents_tell_us.ipynb",
               writes=("survey_results",)),
        Module("3.3", N_("Who is served, and who is missed: equity of service by district"),
               notebook="03_empower/03_who_is_served.ipynb",
               exercises="03_empower/03_who_is_served.ipynb",
               writes=("equity_by_district",),
               sections=(
                   Section("measures", N_("The table of service by district"),
                           (SEVERAL_DISTRICTS, CLOSED_DATES)),
                   Section("channels", N_("The channels of each district's requests"),
                           (SEVERAL_DISTRICTS,), uses=("measures",)),
                   Section("fair", N_("The fair comparison of districts"),
                           (SEVERAL_DISTRICTS, CLOSED_DATES, STANDARDS), uses=("measures",)),
                   Section("charts", N_("The charts of days to close by district"),
                           (SEVERAL_DISTRICTS, CLOSED_DATES), uses=("measures",)),
               )),
        Module("3.4", N_("Say it so people understand: communicating with data"),
               notebook="03_empower/04_say_it_so_people_understand.ipynb",
               exercises="03_empower/04_say_it_so_people_understand.ipynb",
               writes=("resident_dashboard",),
               sections=(
                   Section("figures", N_("The city's headline figures"),
                           (requests_at_least(1),)),
                   Section("makeover", N_("The chart makeover"), (SEVERAL_TYPES,),
                           uses=("figures",)),
                   Section("summary", N_("The plain-language summary"), uses=("figures",)),
                   Section("audiences", N_("The messages for three audiences"),
                           uses=("figures",)),
                   Section("dashboard", N_("The resident dashboard"), uses=("figures",)),
               )),
        Module("3.5", N_("Publishing open data safely"),
               notebook="03_empower/05_publishing_open_data_safely.ipynb",
               exercises="03_empower/05_publishing_open_data_safely.ipynb",
               writes=("open_data_release",),
               sections=(
                   Section("personal", N_("Personal data in the notes"), (FREE_TEXT,)),
                   Section("addresses", N_("Addresses to the block"), (ADDRESSES,)),
                   Section("coordinates", N_("Coordinates rounded"), (COORDINATES,)),
                   Section("suppression", N_("Small counts withheld"),
                           (SEVERAL_DISTRICTS, SEVERAL_TYPES)),
               )),
    ),
)
