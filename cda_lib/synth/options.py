"""What a city file says about its synthetic data: seed, period, volume, and its districts
with their demographics (gaps filled), as the generator reads them.

>>> from cda_lib.cities.loader import load_city
>>> [str(day.date()) for day in period_of(load_city("riverbend"))]
['2024-01-01', '2025-12-31']
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from cda_lib.cities.city import City
from cda_lib.core.errors import CityFileError

# A mid-sized US city logs roughly 100-150 service requests per 1,000 residents a year
# through 311 (phone, web, app); 120 sits in the middle.
DEFAULT_REQUESTS_PER_1000_PER_YEAR = 120.0

DEMOGRAPHICS = ("share_low_income", "share_renters", "share_age_65_plus",
                "share_without_internet")
# Used only when a city file has no value for a demographic in any district: typical
# shares for a North or South American city, so every district gets the same (neutral) value.
DEFAULT_DEMOGRAPHICS = {"share_low_income": 0.2, "share_renters": 0.4,
                        "share_age_65_plus": 0.14, "share_without_internet": 0.15}


def synthetic_options(city: City) -> dict[str, Any]:
    """The options of the city's synthetic source; an error if its data is not generated."""
    source = city.sources.get("service_requests")
    if source is None or not source.is_synthetic:
        kind = "no source" if source is None else f'a "{source.kind}" source'
        raise CityFileError(
            f"{city.name}'s service requests come from {kind}, not the synthetic generator. "
            "Only cities whose sources.service_requests says kind: synthetic can be generated. "
            "Load this city's data with its loader instead, or set kind: synthetic with a seed, "
            "start and end."
        )
    return source.options


def volume_rate(city: City, options: dict[str, Any], override: float | None) -> float:
    """Requests per 1,000 residents a year: ``override``, else the city file's, else 120."""
    value = override if override is not None else options.get(
        "requests_per_1000_per_year", DEFAULT_REQUESTS_PER_1000_PER_YEAR)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise CityFileError(
            f"The volume of synthetic requests for {city.name} is {value!r}, "
            "but it must be a number of requests per 1,000 residents a year, 0 or more. "
            f"Try {DEFAULT_REQUESTS_PER_1000_PER_YEAR:g}, a typical city's volume."
        )
    return float(value)


def period_of(city: City) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day of the generated period."""
    options = synthetic_options(city)
    return _as_day(options["start"]), _as_day(options["end"])


def _as_day(value: Any) -> pd.Timestamp:
    if isinstance(value, dt.datetime):
        value = value.date()
    return pd.Timestamp(str(value)).normalize()


def days_in(start: pd.Timestamp, end: pd.Timestamp) -> int:
    """Days from ``start`` to ``end``, both included."""
    return (end - start).days + 1


def district_frame(city: City) -> pd.DataFrame:
    """One row per district: name, population, the four demographics (gaps filled)."""
    frame = pd.DataFrame({
        "name": [d.name for d in city.districts],
        "population": np.array([d.population for d in city.districts], dtype="float64"),
    })
    weights = frame["population"].to_numpy()
    weights = weights if weights.sum() > 0 else np.ones_like(weights)
    for key in DEMOGRAPHICS:
        values = np.array([d.demographics.get(key, np.nan) for d in city.districts], dtype=float)
        known = ~np.isnan(values)
        if known.any():
            fill = np.average(values[known], weights=weights[known]) \
                if weights[known].sum() > 0 else values[known].mean()
        else:
            fill = DEFAULT_DEMOGRAPHICS[key]
        frame[key] = np.where(known, values, fill)
    return frame


def population_mean(values: np.ndarray, population: np.ndarray) -> float:
    """The mean of a district figure weighted by population (plain mean if nobody lives there)."""
    return float(np.average(values, weights=population)) if population.sum() > 0 \
        else float(values.mean())
