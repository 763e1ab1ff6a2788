"""Theme 2, Invest in the right people, practices and platforms: the page helpers, charts and
exercises of modules 2.1, where are we now? (a data-maturity self-assessment), 2.2, the data
inventory and quality audit, 2.3, people and skills, 2.4, choosing what to fund, and 2.5, AI
use cases and their risks.

:data:`THEME` lists its modules, their notebooks and what they record. Page 2.4 weighs
fictional candidate investments (:mod:`cda_lib.synth.investments`, made from each city's
seed), so it needs nothing of the city's service requests and declares no sections; nor
does page 2.3, whose team is fictional too (:mod:`cda_lib.synth.roster`), nor page 2.1,
whose answers come from the team (or, until it answers, a fictional team made from the
seed: :mod:`cda_lib.synth.maturity`). Page 2.2 audits the city's inventory (its catalog, or
a fictional one made from its seed) and declares sections for the cells that read its
service requests. Page 2.5's inventory of AI uses is fictional too
(:mod:`cda_lib.synth.ai_uses`); its worked example on the city's own requests is a section
that needs districts, standards and closed dates.
"""

from cda_lib.core.modules import Module, Theme
from cda_lib.core.needs import (
    CLOSED_DATES,
    SEVERAL_DISTRICTS,
    STANDARDS,
    Section,
    days,
    requests_at_least,
)
from cda_lib.text.translation import N_

# Page 2.5's worked example measures a triage rule by district against the requests that
# went late: it needs districts to compare, service standards and closed dates.
TRIAGE = (SEVERAL_DISTRICTS, STANDARDS, CLOSED_DATES)

THEME = Theme(
    number=2,
    title=N_("Invest in the right people, practices and platforms"),
    modules=(
        Module("2.1", N_("Where are we now? A data-maturity self-assessment"),
               notebook="02_invest/01_where_are_we_now.ipynb",
               exercises="02_invest/01_where_are_we_now.ipynb",
               writes=("maturity_answers", "maturity_profile")),
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
        Module("2.3", N_("People and skills: the team the strategy needs"),
               notebook="02_invest/03_people_and_skills.ipynb",
               exercises="02_invest/03_people_and_skills.ipynb",
               writes=("skills_gaps", "talent_plan")),
        Module("2.4", N_("Choosing what to fund: an investment portfolio"),
               notebook="02_invest/04_choosing_what_to_fund.ipynb",
               exercises="02_invest/04_choosing_what_to_fund.ipynb",
               writes=("investment_weights", "investment_portfolio", "investment_memo")),
        Module("2.5", N_("AI use cases and their risks"),
               notebook="02_invest/05_ai_use_cases_and_risks.ipynb",
               exercises="02_invest/05_ai_use_cases_and_risks.ipynb",
               writes=("ai_register",),
               sections=(
                   Section("triage", N_("The triage rule's errors by district"), TRIAGE),
                   Section("triage_custom", N_("Your own triage rule"), TRIAGE,
                           uses=("triage",)),
               )),
    ),
)
