"""Module 0, Welcome: how to use the workbook and your city at a glance, with its exercises.

:data:`THEME` lists its pages, their notebooks and what they record for later modules.
"""

from cda_lib.core.modules import Module, Theme

THEME = Theme(
    number=0,
    title="Welcome",
    modules=(
        Module("0.1", "Welcome: how to use this workbook",
               notebook="00_welcome/01_how_to_use_this_workbook.ipynb"),
        Module("0.2", "Your city at a glance",
               notebook="00_welcome/02_your_city_at_a_glance.ipynb",
               exercises="00_welcome/01_your_city_in_numbers.ipynb",
               writes=("requests_last_12_months", "top_request_type",
                       "share_of_rows_set_aside")),
    ),
)
