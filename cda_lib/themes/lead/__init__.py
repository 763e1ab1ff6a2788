"""Theme 1, Lead confidently with data: the page helpers, charts and exercises of modules
1.1 to 1.5 (questions, performance, targets and signal, evaluation, the weekly routine).

:data:`THEME` lists its modules, their notebooks and what they record and read.
"""

from cda_lib.core.modules import Module, Theme
from cda_lib.text.translation import N_

THEME = Theme(
    number=1,
    title=N_("Lead confidently with data"),
    modules=(
        Module("1.1", N_("Asking good questions of service data"),
               notebook="01_lead/01_asking_good_questions.ipynb",
               exercises="01_lead/01_asking_good_questions.ipynb",
               writes=("requests_change_12_months", "top_5_types_share", "most_seasonal_type",
                       "requests_per_1000_by_district", "measurable_question")),
        Module("1.2", N_("Measuring performance"),
               notebook="01_lead/02_measuring_performance.ipynb",
               exercises="01_lead/02_measuring_performance.ipynb",
               writes=("city_score", "city_score_metrics", "key_figures", "on_time_by_type")),
        Module("1.3", N_("Targets and telling signal from noise"),
               notebook="01_lead/03_targets_and_signal.ipynb",
               exercises="01_lead/03_targets_and_signal.ipynb",
               writes=("targets", "on_time_signals")),
        Module("1.4", N_("Did it work? Evaluating a change"),
               notebook="01_lead/04_did_it_work.ipynb",
               exercises="01_lead/04_did_it_work.ipynb",
               writes=("evaluation_did",)),
        Module("1.5", N_("Data in the weekly routine"),
               notebook="01_lead/05_data_in_the_weekly_routine.ipynb",
               exercises="01_lead/05_data_in_the_weekly_routine.ipynb",
               writes=("stat_follow_ups", "stat_brief"),
               reads=("targets", "evaluation_did")),
    ),
)
