"""Theme 2, Invest in the right people, practices and platforms: the page helpers, charts and
exercises of module 2.1, where are we now? (a data-maturity self-assessment), and of module
2.4, choosing what to fund (the other modules of the theme come later).

:data:`THEME` lists its modules, their notebooks and what they record. Page 2.4 weighs
fictional candidate investments (:mod:`cda_lib.synth.investments`, made from each city's
seed), so it needs nothing of the city's service requests and declares no sections; nor does page
2.1, whose answers come from the team (or, until it answers, a fictional team made from the
seed: :mod:`cda_lib.synth.maturity`).
"""

from cda_lib.core.modules import Module, Theme
from cda_lib.text.translation import N_

THEME = Theme(
    number=2,
    title=N_("Invest in the right people, practices and platforms"),
    modules=(
        Module("2.1", N_("Where are we now? A data-maturity self-assessment"),
               notebook="02_invest/01_where_are_we_now.ipynb",
               exercises="02_invest/01_where_are_we_now.ipynb",
               writes=("maturity_answers", "maturity_profile")),
        Module("2.4", N_("Choosing what to fund: an investment portfolio"),
               notebook="02_invest/04_choosing_what_to_fund.ipynb",
               exercises="02_invest/04_choosing_what_to_fund.ipynb",
               writes=("investment_weights", "investment_portfolio", "investment_memo")),
    ),
)
