"""The pilot planted in every synthetic city, and its true effect.

The planted intervention (a known effect, for the evaluation module)
---------------------------------------------------------------------
Every synthetic city gets one pilot, so that a before/after estimate with a comparison
group (:mod:`cda_lib.metrics.evaluation`) can be checked against the truth. From the first day of
the month after 60% of the period has passed (1 April 2025 for a 2024-2025 city), the
district with the highest ``share_low_income`` (the one that waits longest; the first
such district on a tie) closes pothole repairs (``POTHOLE``) in half the time
(:data:`INTERVENTION_CLOSE_TIME_FACTOR`): "a second repair crew for the neighborhood that
waited longest". Cancelled, duplicate and referred requests, and rework after a reopen,
are not affected; nothing else changes. :func:`planted_intervention` says where and when.

The truth is the effect on what the evaluation measures, the share of the district's
pothole requests closed within the city's pothole standard:
``true_effect_on_time_share`` is the *expected* effect (the chance of closing within the
standard with the pilot minus without it, from 500,000 simulated requests through the
same outcome code), which is what a difference-in-differences estimates. ``in_sample``
gives the same difference over the requests actually generated from the start until the
standard before the extract (same random draws, with and without the speed-up); in a
small city it differs from the expected effect by luck. Both are stored in
``raw.attrs["planted_intervention"]`` and in ``generation.json``.

>>> from cda_lib.cities.loader import load_city
>>> planted_intervention(load_city("riverbend")).describe()
'From 01 April 2025, Mill District closed POTHOLE requests in 0.5 times their usual time.'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cda_lib.cities.city import City
from cda_lib.synth.catalogue import SERVICE_TYPE_CODES
from cda_lib.synth.options import days_in, district_frame, period_of
from cda_lib.synth.outcomes import REOPEN_STREAM, Outcomes, draw_outcomes
from cda_lib.synth.sampling import SECONDS_PER_DAY
from cda_lib.text.dates import format_date
from cda_lib.text.translation import gettext as _

# The planted pilot (see the module docstring): where, what, when and how strong.
INTERVENTION_SERVICE_CODE = "POTHOLE"
INTERVENTION_CLOSE_TIME_FACTOR = 0.5  # "half the time": big enough to see in a small city
INTERVENTION_START_SHARE = 0.6  # starts 60% into the period: a long before, a fair after
# Only if a city file has no standard for the pilot's type: the truth is then measured
# against this many days (the demo cities' pothole standards are 3 to 7 days).
INTERVENTION_FALLBACK_STANDARD_DAYS = 5.0
# The expected effect is measured on this many simulated requests: the share's Monte Carlo
# error is then about 0.0007, far below any interval a city's data can give.
EXPECTATION_DRAWS = 500_000
EXPECTATION_SEED = 2_024  # fixed, so the recorded truth is the same on every run


@dataclass(frozen=True)
class Intervention:
    """The pilot planted in a synthetic city: which district, which type, from when, how strong.

    >>> from cda_lib.cities.loader import load_city
    >>> pilot = planted_intervention(load_city("riverbend"))
    >>> pilot.district, pilot.service_code, str(pilot.start.date()), pilot.close_time_factor
    ('Mill District', 'POTHOLE', '2025-04-01', 0.5)
    """

    district: str
    service_code: str
    start: pd.Timestamp
    close_time_factor: float
    standard_days: float

    def describe(self) -> str:
        """One sentence for a notebook: what changed, where and from when."""
        return _("From {start}, {district} closed {code} requests in {factor:g} times their "
                 "usual time.", start=format_date(self.start, "day_long"),
                 district=self.district, code=self.service_code,
                 factor=self.close_time_factor)

    def as_dict(self) -> dict[str, Any]:
        return {"district": self.district, "service_code": self.service_code,
                "start": self.start.date().isoformat(),
                "close_time_factor": self.close_time_factor,
                "standard_days": self.standard_days}


def planted_intervention(city: City) -> Intervention:
    """Where and when the generator plants its pilot for ``city`` (see the module docstring)."""
    start, end = period_of(city)
    districts = district_frame(city)
    treated = str(districts["name"].iloc[int(np.argmax(districts["share_low_income"]))])
    point = start + pd.Timedelta(days=INTERVENTION_START_SHARE * days_in(start, end))
    first_of_month = point.normalize().replace(day=1)
    begins = first_of_month if first_of_month == point else first_of_month + pd.DateOffset(
        months=1)
    standard = city.service_standards.get(INTERVENTION_SERVICE_CODE,
                                          INTERVENTION_FALLBACK_STANDARD_DAYS)
    return Intervention(district=treated, service_code=INTERVENTION_SERVICE_CODE,
                        start=pd.Timestamp(begins),
                        close_time_factor=INTERVENTION_CLOSE_TIME_FACTOR,
                        standard_days=float(standard))


def intervention_truth(pilot: Intervention, outcomes: Outcomes, treated: np.ndarray,
                       requested_ns: np.ndarray, extract: pd.Timestamp,
                       districts: pd.DataFrame) -> dict[str, Any]:
    """The pilot's true effect on the on-time share (see the module docstring), two ways.

    ``true_effect_on_time_share`` is the expected effect: what the pilot does to the chance
    that one of the district's requests closes within the standard, from
    :data:`EXPECTATION_DRAWS` simulated requests through the same outcome code. That is what
    a difference-in-differences estimates. ``in_sample`` is the same difference over the
    requests actually generated in the window, with and without the pilot: it carries the
    sample's luck, large in a small city.
    """
    window_end = extract - pd.Timedelta(days=pilot.standard_days)
    limit = int(pilot.standard_days * SECONDS_PER_DAY) * 1_000_000_000
    chosen = treated & (requested_ns <= window_end.value)
    with_pilot = (~outcomes.is_open & (outcomes.delay_with_pilot <= limit))[chosen]
    without = (outcomes.closed_without_pilot & (outcomes.delay_without_pilot <= limit))[chosen]
    expected_with, expected_without = _expected_on_time_shares(pilot, districts, limit)
    in_sample = {"treated_requests": int(chosen.sum()),
                 "on_time_share_with_pilot": float(with_pilot.mean()) if chosen.any() else None,
                 "on_time_share_without_pilot": float(without.mean()) if chosen.any() else None,
                 "effect": float(with_pilot.mean() - without.mean()) if chosen.any() else None}
    return {**pilot.as_dict(), "window_end": window_end.isoformat(),
            "true_effect_on_time_share": expected_with - expected_without,
            "expected_on_time_share_with_pilot": expected_with,
            "expected_on_time_share_without_pilot": expected_without,
            "in_sample": in_sample}


def _expected_on_time_shares(pilot: Intervention, districts: pd.DataFrame,
                             limit_ns: int) -> tuple[float, float]:
    """Chance of closing within the standard with and without the pilot, by simulation."""
    n = EXPECTATION_DRAWS
    district = np.full(n, int(np.flatnonzero(districts["name"] == pilot.district)[0]))
    kind = np.full(n, SERVICE_TYPE_CODES.index(pilot.service_code))
    never_censored = pd.Timestamp("2200-01-01")  # nothing is cut short by an extract
    outcomes = draw_outcomes(np.random.default_rng(EXPECTATION_SEED),
                             np.random.default_rng([EXPECTATION_SEED, REOPEN_STREAM]),
                             districts, district, kind, np.zeros(n, dtype=np.int64),
                             never_censored, np.ones(n, dtype=bool), pilot.close_time_factor)
    with_pilot = (~outcomes.is_open & (outcomes.delay_with_pilot <= limit_ns)).mean()
    without = (outcomes.closed_without_pilot & (outcomes.delay_without_pilot <= limit_ns)).mean()
    return float(with_pilot), float(without)
