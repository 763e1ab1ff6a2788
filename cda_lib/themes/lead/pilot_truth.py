"""The synthetic pilot's truth: the effect the data generator planted, for page 1.4.

A synthetic city's generator plants a pilot (see
:func:`cda_lib.synth.pilots.planted_intervention`) and writes its true effect on the
on-time share to ``generation.json``; :func:`planted_truth` reads it back, so the estimate
can be set beside the truth (:func:`cda_lib.themes.lead.pilot_evaluation.truth_check`).
A real city never sees this.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from cda_lib.metrics.evaluation import EvaluationError
from cda_lib.text.translation import gettext as _

if TYPE_CHECKING:
    from cda_lib.data import CityData

GENERATION_FILE = "generation.json"


@dataclass(frozen=True)
class PlantedTruth:
    """The pilot's true effect on the on-time share, as the generator recorded it.

    ``effect`` is the expected effect (what the pilot does to the chance that a request
    closes within its standard): what a difference-in-differences estimates.
    ``in_sample`` is the same difference over the requests actually generated, luck
    included.
    """

    district: str
    service_code: str
    start: pd.Timestamp
    effect: float
    in_sample: float | None = None
    treated_requests: int | None = None


def planted_truth(data: CityData) -> PlantedTruth | None:
    """The planted pilot's true effect from ``generation.json``; None for real data."""
    if not data.is_synthetic:
        return None
    from cda_lib.data import synthetic_data_path

    path = synthetic_data_path(data.city).parent / GENERATION_FILE
    try:
        record = json.loads(path.read_text(encoding="utf-8"))["planted_intervention"]
        sample = record["in_sample"]  # absent from files an earlier generator wrote
        return PlantedTruth(
            district=str(record["district"]), service_code=str(record["service_code"]),
            start=pd.Timestamp(record["start"]), effect=float(record["true_effect_on_time_share"]),
            in_sample=None if sample.get("effect") is None else float(sample["effect"]),
            treated_requests=sample.get("treated_requests"))
    except (OSError, KeyError, TypeError, ValueError, json.JSONDecodeError):
        raise EvaluationError(_(
            "{city}'s {file} (in {folder}) does not say what pilot was planted, or was written "
            "by an earlier version of the generator. Delete that folder and run cda generate "
            "{city_id} to make the data again.", city=data.city.name, file=GENERATION_FILE,
            folder=str(path.parent), city_id=data.city.id)) from None
