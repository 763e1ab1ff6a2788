"""How each generated request ends: its time to close, its status note and its reopen.

Time to close is lognormal by type (:data:`cda_lib.synth.catalogue.REQUEST_TYPES`) and
longer in poorer districts (:data:`CLOSE_TIME_GAP`); a share of completed requests is
reopened and worked again (:data:`REOPEN_SHARES`).

>>> reopen_share("POTHOLE"), reopen_share("NOISE")
(0.08, 0.02)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cda_lib.synth.catalogue import REQUEST_TYPES, SERVICE_TYPE_CODES
from cda_lib.synth.options import population_mean
from cda_lib.synth.sampling import draw_categories, nanoseconds

# The poorest district waits this many times as long as the richest: a clear, teachable
# equity gap, like those found in audits of 311 response times.
CLOSE_TIME_GAP = 1.5

# How closed requests end: most are completed; a few are closed without work.
CLOSED_NOTES = {"Completed": 0.91, "Cancelled": 0.03, "Duplicate": 0.04,
                "Referred to another agency": 0.02}
# Closing a request without work (cancelled, duplicate, referred) takes about this many days.
ADMIN_CLOSE_MEDIAN_DAYS = 0.5
# What an open request's note says: where it sits in the queue.
OPEN_NOTES = {"Received": 0.25, "Assigned": 0.35, "In progress": 0.40}

# Share of completed requests a resident reopens because the problem is back or was not
# fixed: pothole patches fail and lamps go out again more often than a missed pickup recurs.
# Audits of 311 systems report reopen rates of a few percent, higher for street repairs.
REOPEN_SHARES = {"POTHOLE": 0.08, "STREETLIGHT": 0.06, "SIDEWALK": 0.05, "TRAFFIC_SIGNAL": 0.05,
                 "WATER_LEAK": 0.04}
DEFAULT_REOPEN_SHARE = 0.02  # every other type: the problem rarely comes back within weeks
REOPEN_WITHIN_DAYS = (1.0, 14.0)  # the resident calls back one day to two weeks after a close
# Rework after a reopen takes about half the type's typical time: the crew knows the site.
REOPEN_REWORK_SHARE = 0.5
REOPENED_NOTE = "Reopened"  # the note of a request reopened and not closed again yet
# The reopen draws use their own random stream, so adding them left every other column of
# a city's table as it was (the main stream draws exactly what it drew before).
REOPEN_STREAM = 1


def close_time_factors(districts: pd.DataFrame) -> np.ndarray:
    """Multiplier of each district's time to close: CLOSE_TIME_GAP from richest to poorest."""
    x = districts["share_low_income"].to_numpy()
    width = x.max() - x.min()
    if width == 0:
        return np.ones(len(x))
    centre = population_mean(x, districts["population"].to_numpy())
    return CLOSE_TIME_GAP ** ((x - centre) / width)


@dataclass(frozen=True)
class Outcomes:
    """How each request ends, as seen at the extract, and the same without the pilot."""

    closed: np.ndarray  # datetime64[ns], NaT while open
    is_open: np.ndarray
    notes: np.ndarray
    reopened: np.ndarray  # the reopen happened by the extract
    delay_with_pilot: np.ndarray  # nanoseconds from request to the close seen at the extract
    delay_without_pilot: np.ndarray  # the same had there been no pilot
    closed_without_pilot: np.ndarray  # closed by the extract had there been no pilot


def draw_outcomes(rng: np.random.Generator, reopen_rng: np.random.Generator,
                  districts: pd.DataFrame, district: np.ndarray, kind: np.ndarray,
                  requested_ns: np.ndarray, extract: pd.Timestamp, treated: np.ndarray,
                  close_time_factor: float) -> Outcomes:
    """Closed moment (NaT while open), status note and reopen of every request.

    Completed ``treated`` requests (the pilot's) take ``close_time_factor`` times as long;
    the same draws without it give the ``*_without_pilot`` fields.
    """
    n = kind.size
    everyone = np.zeros(n, dtype=np.int64)
    closed_notes = np.array(list(CLOSED_NOTES), dtype=object)
    open_notes = np.array(list(OPEN_NOTES), dtype=object)
    ending = draw_categories(rng, np.array([list(CLOSED_NOTES.values())]), everyone)
    normal = rng.standard_normal(n)
    never = rng.random(n) < np.array([t.never_closed_share for t in REQUEST_TYPES])[kind]
    open_note = draw_categories(rng, np.array([list(OPEN_NOTES.values())]), everyone)

    median = np.array([t.median_days for t in REQUEST_TYPES])[kind]
    spread = np.array([t.spread for t in REQUEST_TYPES])[kind]
    worked = closed_notes[ending] == "Completed"
    typical = np.where(worked, median * close_time_factors(districts)[district],
                       ADMIN_CLOSE_MEDIAN_DAYS)
    days = typical * np.exp(spread * normal)
    sped_up = np.where(worked & treated, close_time_factor, 1.0)

    # Reopens: decided, timed and reworked from their own stream (see REOPEN_STREAM).
    shares = np.array([reopen_share(code) for code in SERVICE_TYPE_CODES])[kind]
    reopens = worked & (reopen_rng.random(n) < shares)
    lag_days = reopen_rng.uniform(*REOPEN_WITHIN_DAYS, size=n)
    rework_days = REOPEN_REWORK_SHARE * median * np.exp(spread * reopen_rng.standard_normal(n))

    def seen(first_days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        first = requested_ns + nanoseconds(first_days)
        reopened_at = first + nanoseconds(lag_days)
        final = reopened_at + nanoseconds(rework_days)
        reopened = reopens & ~never & (reopened_at <= extract.value)
        closed_ns = np.where(reopened, final, first)
        is_open = never | (first > extract.value) | (reopened & (final > extract.value))
        return closed_ns, is_open, reopened, closed_ns - requested_ns

    closed_ns, is_open, reopened, delay = seen(days * sped_up)
    closed_cf, open_cf, _, delay_cf = seen(days)
    closed = closed_ns.astype("datetime64[ns]")
    closed[is_open] = np.datetime64("NaT", "ns")
    notes = np.where(is_open, np.where(reopened, REOPENED_NOTE, open_notes[open_note]),
                     closed_notes[ending])
    return Outcomes(closed=closed, is_open=is_open, notes=notes, reopened=reopened,
                     delay_with_pilot=delay,
                     delay_without_pilot=delay_cf, closed_without_pilot=~open_cf)


def reopen_share(code: str) -> float:
    """The share of a type's completed requests that residents reopen."""
    return REOPEN_SHARES.get(code, DEFAULT_REOPEN_SHARE)
