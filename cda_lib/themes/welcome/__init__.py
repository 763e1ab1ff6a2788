"""Module 0, Welcome: how to use the workbook and your city at a glance, with its exercises.

:data:`THEME` lists its pages, their notebooks and what they record for later modules; its
titles are marked for the catalogs (translated where a page shows them). Page 0.1's
printed sentences are in :mod:`cda_lib.themes.welcome.sentences`.
"""

from cda_lib.core.modules import Module, Theme
from cda_lib.core.needs import COORDINATES, Section, districts, months, weeks
from cda_lib.text.translation import N_

THEME = Theme(
    number=0,
    title=N_("Welcome"),
    modules=(
        Module("0.1", N_("Welcome: how to use this workbook"),
               notebook="00_welcome/01_how_to_use_this_workbook.ipynb"),
        Module("0.2", N_("Your city at a glance"),
               notebook="00_welcome/02_your_city_at_a_glance.ipynb",
               exercises="00_welcome/01_your_city_in_numbers.ipynb",
               writes=("requests_last_12_months", "top_request_type",
                       "share_of_rows_set_aside"),
               sections=(
                   Section("per_month", N_("The chart of requests per month"), (months(2),)),
                   Section("weekdays", N_("The working-week chart"), (weeks(1),)),
                   Section("districts", N_("The chart of requests by district"),
                           (districts(1),)),
                   Section("map", N_("The map of requests"), (COORDINATES,)),
               )),
    ),
)
