"""Theme 2, Invest in the right people, practices and platforms: the page helpers, charts and
exercises of module 2.4, choosing what to fund (the other modules of the theme come later).

:data:`THEME` lists its modules, their notebooks and what they record. Page 2.4 weighs
fictional candidate investments (:mod:`cda_lib.synth.investments`, made from each city's
seed), so it needs nothing of the city's service requests and declares no sections.
"""

from cda_lib.core.modules import Module, Theme
from cda_lib.text.translation import N_

THEME = Theme(
    number=2,
    title=N_("Invest in the right people, practices and platforms"),
    modules=(
        Module("2.4", N_("Choosing what to fund: an investment portfolio"),
               notebook="02_invest/04_choosing_what_to_fund.ipynb",
               exercises="02_invest/04_choosing_what_to_fund.ipynb",
               writes=("investment_weights", "investment_portfolio", "investment_memo")),
    ),
)
