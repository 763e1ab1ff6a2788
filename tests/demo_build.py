"""One build of three demo cities that several slow tests read, so the suite runs each
notebook once: Riverbend (en), Villa Serena (es) and Serra Clara (pt), every teaching module
and exercise copy, as ``cda build`` makes them; and, for Riverbend only, every participant
copy run as a participant would open it (the build itself only gives it its parameters).

The tests that read it: built pages speak their language (test_languages_built), the coach
copies' solutions pass and the participant copies start "not started"
(test_exercises_notebooks), the welcome module's pages (test_build_welcome).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cda_lib.cities.city import City
from cda_lib.data import ensure_city_data
from cda_lib.exercises.authoring import exercises_dir, find_exercise_notebooks
from cda_lib.workbook.cohort import CohortOptions, CohortResult, build_cohort
from cda_lib.workbook.exercise_jobs import ExerciseCopies
from cda_lib.workbook.jobs import Job, TeachingModules

DEMO_BUILD_CITIES = {"riverbend": "en", "villa-serena": "es", "serra-clara": "pt"}
PARTICIPANT_RUNS = "participant-run"  # the folder of Riverbend's run participant copies


@dataclass(frozen=True)
class ParticipantRuns:
    """A job source for tests: each participant copy, run with the city's data (untouched:
    every exercise should say "not started"), into ``participant-run/``."""

    cities: frozenset[str]

    def __call__(self, city: City) -> list[Job]:
        if city.id not in self.cities:
            return []
        root = exercises_dir()
        return [Job(city.id, notebook, f"{PARTICIPANT_RUNS}/{notebook.relative_to(root)}",
                    transform="cda_lib.workbook.exercise_jobs:participant_transform",
                    export_html=False, kind="participant run")
                for notebook in find_exercise_notebooks(root)]


@dataclass(frozen=True)
class DemoBuild:
    root: Path
    result: CohortResult

    def city(self, city_id: str) -> Path:
        return self.root / city_id


def build_demo(build_root: Path) -> DemoBuild:
    options = CohortOptions(build_root=build_root, workers=2, progress=False,
                            prepare=ensure_city_data,
                            sources=[TeachingModules(), ExerciseCopies(),
                                     ParticipantRuns(frozenset({"riverbend"}))])
    result = build_cohort(list(DEMO_BUILD_CITIES), options)
    return DemoBuild(build_root, result)
