"""Theme 1, Lead confidently with data: the page helpers, charts and exercises of modules
1.1 to 1.5 (questions, performance, targets and signal, evaluation, the weekly routine).

:data:`THEME` lists its modules, their notebooks and what they record and read.
"""

from cda_lib.core.modules import Module, Theme
from cda_lib.core.needs import (
    CLOSED_DATES,
    SEVERAL_DISTRICTS,
    STANDARDS,
    Section,
    districts,
    months,
    weeks,
)
from cda_lib.text.translation import N_

# What a difference-in-differences evaluation needs: a district that got the change and
# others that did not, 13 weeks before and after its start, and closes to time.
EVALUATION = (SEVERAL_DISTRICTS, weeks(26), STANDARDS, CLOSED_DATES)

THEME = Theme(
    number=1,
    title=N_("Lead confidently with data"),
    modules=(
        Module("1.1", N_("Asking good questions of service data"),
               notebook="01_lead/01_asking_good_questions.ipynb",
               exercises="01_lead/01_asking_good_questions.ipynb",
               writes=("requests_change_12_months", "top_5_types_share", "most_seasonal_type",
                       "requests_per_1000_by_district", "measurable_question"),
               sections=(
                   Section("life", N_("The life of a closed request"), (CLOSED_DATES,)),
                   Section("per_month", N_("The chart of requests per month"), (months(2),)),
                   Section("seasons", N_("The seasonal pattern of requests"), (months(12),)),
                   Section("weekdays", N_("The working-week chart"), (weeks(1),)),
                   Section("districts", N_("The table of requests per 1,000 residents by district"),
                           (districts(1),)),
                   Section("district_chart", N_("The chart of districts against low income"),
                           (SEVERAL_DISTRICTS,)),
                   Section("measurable", N_("The measurable question"),
                           (STANDARDS, CLOSED_DATES, weeks(2))),
               )),
        Module("1.2", N_("Measuring performance"),
               notebook="01_lead/02_measuring_performance.ipynb",
               exercises="01_lead/02_measuring_performance.ipynb",
               writes=("city_score", "city_score_metrics", "key_figures", "on_time_by_type"),
               sections=(
                   Section("waits", N_("The chart of days to close"), (CLOSED_DATES,)),
                   Section("open_requests", N_("The chart of requests still open"),
                           (CLOSED_DATES, months(2))),
                   Section("on_time", N_("The on-time share by request type"),
                           (STANDARDS, weeks(2))),
                   Section("backlog", N_("The backlog at month end"), (months(3),)),
                   Section("rates", N_("The table of reopens and cancellations"), (weeks(2),)),
                   Section("composite", N_("The city score"),
                           (STANDARDS, CLOSED_DATES, weeks(2))),
                   Section("score_by_month", N_("The city score month by month"),
                           (STANDARDS, CLOSED_DATES, months(3))),
               )),
        Module("1.3", N_("Targets and telling signal from noise"),
               notebook="01_lead/03_targets_and_signal.ipynb",
               exercises="01_lead/03_targets_and_signal.ipynb",
               writes=("targets", "on_time_signals"),
               sections=(
                   Section("baseline", N_("The baseline of the on-time share"),
                           (STANDARDS, CLOSED_DATES, months(3))),
                   Section("target", N_("The path to a target"),
                           (STANDARDS, CLOSED_DATES, months(12)), uses=("baseline",)),
                   Section("backtest", N_("The look back at a target"),
                           (STANDARDS, CLOSED_DATES, months(24)), uses=("baseline",)),
                   Section("signals", N_("The control chart of the on-time share"),
                           (STANDARDS, CLOSED_DATES, months(12)), uses=("baseline",)),
                   Section("volume", N_("The control chart of requests"), (months(12),)),
                   Section("district", N_("The slowest district's control chart"),
                           (STANDARDS, CLOSED_DATES, districts(1), months(12))),
                   Section("setter", N_("The target setter"),
                           (STANDARDS, CLOSED_DATES, months(12)), uses=("target",)),
               )),
        Module("1.4", N_("Did it work? Evaluating a change"),
               notebook="01_lead/04_did_it_work.ipynb",
               exercises="01_lead/04_did_it_work.ipynb",
               writes=("evaluation_did",),
               sections=(
                   Section("evaluation", N_("The evaluation of the change"), EVALUATION),
                   Section("seasons", N_("The chart of the seasons around the start"),
                           (*EVALUATION, months(12)), uses=("evaluation",)),
                   Section("similar", N_("The comparison with similar districts only"),
                           (*EVALUATION[1:], districts(3)), uses=("evaluation",)),
               )),
        Module("1.5", N_("Data in the weekly routine"),
               notebook="01_lead/05_data_in_the_weekly_routine.ipynb",
               exercises="01_lead/05_data_in_the_weekly_routine.ipynb",
               writes=("stat_follow_ups", "stat_brief"),
               reads=("targets", "evaluation_did"),
               sections=(
                   Section("targets", N_("The targets the brief compares with"), ()),
                   Section("brief", N_("The weekly brief"), (STANDARDS, CLOSED_DATES, weeks(5))),
                   Section("follow_ups", N_("The list of follow-ups"),
                           (STANDARDS, CLOSED_DATES, weeks(5)), uses=("brief",)),
                   Section("evaluation", N_("The evaluation's follow-up"),
                           (*EVALUATION, weeks(5)), uses=("follow_ups",)),
               )),
    ),
)
