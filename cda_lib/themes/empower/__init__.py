"""Theme 3, Empower people to be part of the solution: the page helpers, charts and
exercises of module 3.2, what residents tell us (the other modules of the theme come later).

:data:`THEME` lists its modules, their notebooks and what they record. Page 3.2 weighs a
synthetic resident survey (:mod:`cda_lib.synth.survey`, made from each city's seed), so it
needs nothing of the city's service requests and declares no sections.
"""

from cda_lib.core.modules import Module, Theme
from cda_lib.text.translation import N_

THEME = Theme(
    number=3,
    title=N_("Empower people to be part of the solution"),
    modules=(
        Module("3.2", N_("What residents tell us: a resident survey"),
               notebook="03_empower/02_what_residents_tell_us.ipynb",
               exercises="03_empower/02_what_residents_tell_us.ipynb",
               writes=("survey_results",)),
    ),
)
