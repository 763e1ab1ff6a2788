"""The data-quality defects planted in a generated table, at known rates.

Planted defects (the rates are :data:`DEFECT_RATES`)
----------------------------------------------------
Every generated row draws at most one defect, so the sets are disjoint and each count
can be recovered exactly from the table. Rates are shares of the generated rows (before
the duplicate copies are added):

* ``missing_district`` (2%): the district is empty; the coordinates are still there.
* ``missing_coordinates`` (3%): both ``lat`` and ``long`` are empty.
* ``coordinates_outside_city`` (0.5%): swapped lat/long, 0/0, or a longitude that lost its
  minus sign; always outside the city's bounding box.
* ``duplicate_request_id`` (1%): an exact copy of an earlier row, placed later in the file.
* ``closed_before_requested`` (0.5%): a closed date hours to weeks before the request date.
* ``requested_in_future`` (0.2%): the request year is mistyped as the year after the
  extract, so it is after :func:`as_of`; such a row is left open.

The exact counts are stored in ``raw.attrs["planted_defects"]`` (a dict of defect name to
rows; Parquet keeps it) and written to ``generation.json`` by :func:`write_city_data`, with
the rates used, the seed, the period, the extract moment and the rows written; its
``"settings"`` entry equals :func:`cda_lib.synth.generator.generation_settings` and tells
when to regenerate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cda_lib.cities.city import City
from cda_lib.synth.sampling import draw_categories

DEFECT_RATES: dict[str, float] = {
    # address typed without a district, or a point that fell outside every district polygon
    "missing_district": 0.02,
    # phone and walk-in requests often carry an address but no geocoded point
    "missing_coordinates": 0.03,
    # geocoding mistakes: swapped lat/long, 0/0 defaults, a longitude that lost its sign
    "coordinates_outside_city": 0.005,
    # the same request exported twice (re-sync between the CRM and the open-data portal)
    "duplicate_request_id": 0.01,
    # closed date typed by hand, or clocks out of step between systems
    "closed_before_requested": 0.005,
    # a mistyped year at data entry puts the request after the extract date
    "requested_in_future": 0.002,
}
DEFECT_NAMES: tuple[str, ...] = tuple(DEFECT_RATES)
# A row placed outside the city by one of these mistakes, chosen with equal chance.
OUTSIDE_CITY_MISTAKES = ("swapped", "zero", "sign_lost")


def plant_defects(rng: np.random.Generator, city: City, table: pd.DataFrame,
                  extract: pd.Timestamp) -> tuple[pd.DataFrame, dict[str, int]]:
    """Give each row at most one defect at DEFECT_RATES; return the table and the counts."""
    n = len(table)
    rates = np.array(list(DEFECT_RATES.values()))
    probabilities = np.concatenate([[1 - rates.sum()], rates])[None, :]
    drawn = draw_categories(rng, probabilities, np.zeros(n, int)) - 1  # -1: no defect
    rows = {name: np.flatnonzero(drawn == i) for i, name in enumerate(DEFECT_NAMES)}
    table = table.copy()

    table.loc[rows["missing_district"], "district"] = pd.NA
    table.loc[rows["missing_coordinates"], ["lat", "long"]] = np.nan
    _place_outside_city(rng, city, table, rows["coordinates_outside_city"])
    _close_before_requested(rng, table, rows["closed_before_requested"])
    _move_to_future_year(table, rows["requested_in_future"], extract)
    table = _append_duplicates(rng, table, rows["duplicate_request_id"])
    return table, {name: int(rows[name].size) for name in DEFECT_NAMES}


def _place_outside_city(rng: np.random.Generator, city: City, table: pd.DataFrame,
                        rows: np.ndarray) -> None:
    lat = table["lat"].to_numpy()[rows]
    long = table["long"].to_numpy()[rows]
    mistake = rng.integers(0, len(OUTSIDE_CITY_MISTAKES), size=rows.size)
    new_lat = np.select([mistake == 0, mistake == 1], [long, 0.0], lat)
    new_long = np.select([mistake == 0, mistake == 1], [lat, 0.0], -long)
    b = city.bounds
    inside = (new_lat >= b.south) & (new_lat <= b.north) & (new_long >= b.west) \
        & (new_long <= b.east)
    # a city straddling the equator or the meridian could catch one of those: move it north
    fallback_lat = b.north + 1.0 if b.north <= 89 else b.south - 1.0
    new_lat = np.where(inside, fallback_lat, new_lat)
    table.loc[rows, "lat"] = new_lat
    table.loc[rows, "long"] = new_long


def _close_before_requested(rng: np.random.Generator, table: pd.DataFrame,
                            rows: np.ndarray) -> None:
    requested = table["requested_datetime"].to_numpy()[rows]
    hours = rng.uniform(1, 20 * 24, size=rows.size)  # an hour to three weeks too early
    table.loc[rows, "closed_datetime"] = requested - (hours * 3600).astype("timedelta64[s]")
    table.loc[rows, "status"] = "closed"
    table.loc[rows, "status_notes"] = "Completed"


def _move_to_future_year(table: pd.DataFrame, rows: np.ndarray, extract: pd.Timestamp) -> None:
    requested = pd.DatetimeIndex(table["requested_datetime"].to_numpy()[rows])
    shifted = requested.to_numpy().copy()
    shift = extract.year + 1 - requested.year.to_numpy()
    for years in np.unique(shift):  # a handful of distinct shifts, not one per row
        chosen = shift == years
        shifted[chosen] = (requested[chosen] + pd.DateOffset(years=int(years))).to_numpy()
    table.loc[rows, "requested_datetime"] = shifted
    table.loc[rows, "closed_datetime"] = pd.NaT
    table.loc[rows, "status"] = "open"
    table.loc[rows, "status_notes"] = "Received"


def _append_duplicates(rng: np.random.Generator, table: pd.DataFrame, rows: np.ndarray
                       ) -> pd.DataFrame:
    """Add an exact copy of each chosen row at a random later place in the file."""
    n = len(table)
    later = rows + 0.5 + rng.integers(0, n - rows, size=rows.size)
    position = np.concatenate([np.arange(n, dtype=float), later])
    order = np.argsort(position, kind="stable")
    combined = pd.concat([table, table.iloc[rows]], ignore_index=True)
    return combined.iloc[order].reset_index(drop=True)
