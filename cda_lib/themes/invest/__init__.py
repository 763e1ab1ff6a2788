"""Theme 2, Invest in the right people, practices and platforms: the page helpers, charts and
exercises of module 2.2, the data inventory and quality audit, and 2.4, choosing what to
fund (the other modules of the theme come later).

:data:`THEME` lists its modules, their notebooks and what they record. Page 2.4 weighs
fictional candidate investments (:mod:`cda_lib.synth.investments`, made from each city's
seed), so it needs nothing of the city's service requests and declares no sections. Page
2.2 audits the city's inventory (its catalog, or a fictional one made from its seed) and
declares sections for the cells that read its service requests.
"""

from cda_lib.core.modules import Module, Theme
from cda_lib.core.needs import SEVERAL_DISTRICTS, Section, days, requests_at_least
from cda_lib.text.translation import N_

THEME = Theme(
    number=2,
    title=N_("Invest in the right people, practices and platforms"),
    modules=(
        Module("2.2", N_("What data do we have, and how good is it? A data inventory and "
                         "quality audit"),
               notebook="02_invest/02_data_inventory_and_quality.ipynb",
               exercises="02_invest/02_data_inventory_and_quality.ipynb",
               writes=("data_inventory", "department_scorecard", "request_quality"),
               sections=(
                   Section("dimensions", N_("The quality dimensions of the service requests"),
                           (requests_at_least(1),)),
                   Section("timeliness", N_("The timeliness of the service requests"),
                           (days(1),)),
                   Section("bias", N_("The bias risk between districts"), (SEVERAL_DISTRICTS,)),
               )),
        Module("2.4", N_("Choosing what to fund: an investment portfolio"),
               notebook="02_invest/04_choosing_what_to_fund.ipynb",
               exercises="02_invest/04_choosing_what_to_fund.ipynb",
               writes=("investment_weights", "investment_portfolio", "investment_memo")),
    ),
)
