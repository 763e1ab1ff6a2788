"""Theme 2, Invest in the right people, practices and platforms: the page helpers, charts and
exercises of module 2.3, people and skills, and of module 2.4, choosing what to fund.

:data:`THEME` lists its modules, their notebooks and what they record. Page 2.4 weighs
fictional candidate investments (:mod:`cda_lib.synth.investments`, made from each city's
seed), so it needs nothing of the city's service requests and declares no sections; nor
does page 2.3, whose team is fictional too (:mod:`cda_lib.synth.roster`).
"""

from cda_lib.core.modules import Module, Theme
from cda_lib.text.translation import N_

THEME = Theme(
    number=2,
    title=N_("Invest in the right people, practices and platforms"),
    modules=(
        Module("2.3", N_("People and skills: the team the strategy needs"),
               notebook="02_invest/03_people_and_skills.ipynb",
               exercises="02_invest/03_people_and_skills.ipynb",
               writes=("skills_gaps", "talent_plan")),
        Module("2.4", N_("Choosing what to fund: an investment portfolio"),
               notebook="02_invest/04_choosing_what_to_fund.ipynb",
               exercises="02_invest/04_choosing_what_to_fund.ipynb",
               writes=("investment_weights", "investment_portfolio", "investment_memo")),
    ),
)
