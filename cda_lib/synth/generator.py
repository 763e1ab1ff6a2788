"""Synthetic 311 service requests: a deterministic, teachable stand-in for a city's real data.

A city whose ``sources.service_requests`` says ``kind: synthetic`` gets a table generated
from its city file: the same seed always gives the same table. The table is the RAW
export, as a city's 311 system would hand it over, so it has the canonical columns of
:data:`cda_lib.core.schema.SERVICE_REQUESTS` *and* planted data-quality defects. A loader reads
it later and sets defective rows aside with a reason.

What the data teaches (each pattern is planted on purpose)
-----------------------------------------------------------
* **Request types.** The 13 types of :data:`~cda_lib.synth.catalogue.REQUEST_TYPES`
  (potholes, missed collection, sidewalks ...) with realistic volume shares, median days
  to close and spreads. Names and departments are in the city's language (en, es or pt);
  ``service_code`` is the code.
* **Seasons.** Monthly profiles by type and climate. Temperate north: potholes peak in late
  winter and spring (freeze and thaw), trees, graffiti, noise and rodents in summer,
  streetlights in the long nights of winter. Temperate south (``bounds.north < 0``): the
  same, six months later. Tropical (centre latitude within 15 degrees of the equator): two
  rainy seasons (April-May and October-November) drive potholes and fallen trees.
* **Week and day.** Weekdays are busy, Saturday and Sunday clearly quieter; requests peak
  in office hours (weekends later and flatter).
* **Trend.** Volume grows about 8% a year (residents adopt the app), and the app's share of
  online requests grows over the period.
* **Channels.** Each district's share of web and app requests falls as its
  ``share_without_internet`` rises; the rest come mostly by phone.
* **Time to close.** Lognormal by type, and longer in poorer districts: the district with
  the highest ``share_low_income`` waits 1.5 times as long as the one with the lowest.
* **Who calls.** Requests per resident differ by district with demographics: better-off
  districts report more potholes and streetlights, poorer districts more illegal dumping
  and rodents, renters more noise. 311 volume measures who calls, not only need.
* **Backlog.** A request whose close time falls after the extract (:func:`as_of`) is open,
  and a per-type share is never closed. Open rows have no closed date and a note such as
  "In progress"; closed rows mostly say "Completed", a few "Cancelled", "Duplicate" or
  "Referred to another agency" (these close quickly).
* **Places.** Each district gets one rectangle of a simple grid over the city's bounding
  box, and its requests fall uniformly inside it; ``district`` holds the district's name.
* **Ids.** Text like ``RI-2024-000123``: a city prefix, the year, a number counting up
  through each year. Ids are unique until the duplicates are planted.
* **Reopens.** A share of completed requests
  (:data:`~cda_lib.synth.outcomes.REOPEN_SHARES`, e.g. 8% of potholes: patches fail) is
  reopened by the resident 1 to 14 days after the close and worked again. The optional
  canonical column ``reopened`` is true once the reopen has happened by the extract; a
  request reopened and not yet closed again is open with the note "Reopened", one closed
  again keeps its final close date.

* **Notes and addresses.** A free-text note (``description``) on about half the requests,
  personal data planted in a known share of them, and a street address in the country's
  form (:mod:`cda_lib.synth.notes`), for page 3.5.

The planted intervention and the planted defects
------------------------------------------------
Every synthetic city also gets one pilot with a known effect, for the evaluation module
(:mod:`cda_lib.synth.pilots` says where, when and how strong), and rows with data-quality
defects at known rates (:mod:`cda_lib.synth.defects`). The request types are in
:mod:`cda_lib.synth.catalogue`, how requests end in :mod:`cda_lib.synth.outcomes`.

The counts of planted defects are stored in ``raw.attrs["planted_defects"]`` (Parquet
keeps it) and written to ``generation.json`` by :func:`write_city_data`, with the rates
used, the seed, the period, the extract moment, the rows written and the pilot's truth;
its ``"settings"`` entry equals :func:`generation_settings` and tells when to regenerate.

>>> from cda_lib.cities.loader import load_city
>>> raw = generate_service_requests(load_city("riverbend"), requests_per_1000_per_year=2)
>>> list(raw.columns) == SERVICE_REQUESTS.columns + ["reopened", "description", "address"]
True
>>> sorted(raw.attrs["planted_defects"]) == sorted(DEFECT_RATES)
True
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cda_lib.cities.city import City
from cda_lib.core import paths
from cda_lib.core.files import atomic_path, write_text_atomically
from cda_lib.core.schema import CHANNELS, SERVICE_REQUESTS
from cda_lib.synth.catalogue import REQUEST_TYPES, SERVICE_TYPE_CODES
from cda_lib.synth.defects import DEFECT_NAMES, DEFECT_RATES, plant_defects
from cda_lib.synth.notes import PERSONAL_SHARE, PlantedNotes, plant_notes
from cda_lib.synth.options import (
    days_in,
    district_frame,
    period_of,
    population_mean,
    synthetic_options,
    volume_rate,
)
from cda_lib.synth.outcomes import REOPEN_STREAM, draw_outcomes, reopen_share
from cda_lib.synth.pilots import intervention_truth, planted_intervention
from cda_lib.synth.sampling import SECONDS_PER_DAY, draw_categories

# Bump whenever the same city and seed would give a different table, so that files
# generated by an older version are recognised and rebuilt.
GENERATOR_VERSION = "synth-1.2"  # 1.1: reopens and the planted intervention; 1.2: notes

DAYS_PER_YEAR = 365.25  # average calendar year, for "per year" rates over any period


# --- Time patterns ---------------------------------------------------------------------

# Relative volume by month, January to December, in a temperate northern city. A southern
# city uses the same profile six months later; a tropical one uses TROPICAL_SEASONS.
SEASONAL_PROFILES: dict[str, tuple[float, ...]] = {
    # freeze and thaw break the pavement: late winter and spring
    "freeze_thaw": (1.3, 1.7, 1.9, 1.6, 1.1, 0.8, 0.7, 0.65, 0.65, 0.75, 0.85, 1.0),
    # people are outside, things grow, pests breed, people move house: summer
    "summer": (0.6, 0.6, 0.75, 0.95, 1.15, 1.35, 1.5, 1.45, 1.15, 0.9, 0.7, 0.6),
    # summer storms and growth bring down branches
    "storms": (0.6, 0.6, 0.75, 0.95, 1.15, 1.35, 1.5, 1.45, 1.15, 0.9, 0.7, 0.6),
    # long nights show dead lamps; frost breaks water mains
    "winter": (1.3, 1.2, 1.0, 0.85, 0.8, 0.75, 0.75, 0.8, 0.95, 1.1, 1.25, 1.35),
    "flat": (1.0,) * 12,
    # two rainy seasons (April-May, October-November), as in the Andes and much of the tropics
    "rain": (0.75, 0.75, 0.95, 1.45, 1.5, 1.0, 0.75, 0.75, 0.95, 1.45, 1.5, 0.95),
}
# Near the equator there is no winter: rain breaks roads and brings down trees, the rest
# is steady through the year.
TROPICAL_SEASONS = {"freeze_thaw": "rain", "storms": "rain", "summer": "flat",
                    "winter": "flat", "flat": "flat"}
TROPICAL_LATITUDE = 15.0  # degrees: within this of the equator a city counts as tropical

# Monday to Sunday: 311 centres and crews work weekdays, so weekends are much quieter.
WEEKDAY_FACTORS = (1.18, 1.12, 1.08, 1.05, 0.97, 0.58, 0.47)
# Hour of the day, 0 to 23: weekdays peak in office hours, weekends later and flatter.
WEEKDAY_HOURS = (0.3, 0.2, 0.15, 0.15, 0.2, 0.4, 0.9, 1.8, 3.2, 4.0, 4.2, 4.0,
                 3.6, 3.9, 3.9, 3.6, 3.2, 2.6, 2.0, 1.6, 1.3, 1.0, 0.7, 0.5)
WEEKEND_HOURS = (0.5, 0.4, 0.3, 0.2, 0.2, 0.3, 0.5, 0.8, 1.4, 2.2, 2.8, 3.0,
                 3.0, 2.9, 2.8, 2.6, 2.4, 2.2, 2.0, 1.8, 1.5, 1.2, 0.9, 0.7)
ANNUAL_GROWTH = 0.08  # volume grows as residents adopt the app: a mild, visible trend


# --- Channels and places ---------------------------------------------------------------

# Web and app together take this share of requests where everyone is online...
DIGITAL_SHARE_ONLINE = 0.6
# ...and lose this much of it per unit share of residents without internet
# (a district where 40% are offline reports online about a third as often as a connected one).
DIGITAL_LOSS_PER_OFFLINE_SHARE = 1.6
# The app's share of online requests at the start and the end of the period (app adoption).
APP_SHARE_OF_DIGITAL = (0.45, 0.65)
# How requests that do not come online arrive: the phone line dominates.
OFFLINE_CHANNEL_SHARES = {"phone": 0.72, "email": 0.07, "walk-in": 0.05,
                          "social media": 0.06, "internal": 0.10}

COORDINATE_DECIMALS = 6  # about 10 cm: what GPS-based apps export


# --- Public functions ------------------------------------------------------------------------


def as_of(city: City) -> pd.Timestamp:
    """The moment of the synthetic extract: the source's end date at 23:59:59.

    >>> from cda_lib.cities.loader import load_city
    >>> as_of(load_city("riverbend"))
    Timestamp('2025-12-31 23:59:59')
    """
    _, end = period_of(city)
    return end + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)


def generate_service_requests(city: City, requests_per_1000_per_year: float | None = None
                              ) -> pd.DataFrame:
    """Generate the city's raw service-request table, planted defects included.

    The same city and seed always give the same table. ``requests_per_1000_per_year``
    overrides the city file's volume (default 120 a year per 1,000 residents). The counts of
    planted defects are in ``raw.attrs["planted_defects"]``.
    """
    options = synthetic_options(city)
    rate = volume_rate(city, options, requests_per_1000_per_year)
    start, end = period_of(city)
    extract = as_of(city)
    rng = np.random.default_rng(int(options["seed"]))
    reopen_rng = np.random.default_rng([int(options["seed"]), REOPEN_STREAM])
    pilot = planted_intervention(city)

    districts = district_frame(city)
    expected = _expected_counts(districts, rate, days_in(start, end))
    counts = rng.poisson(expected).ravel()
    if counts.sum() == 0:
        table = SERVICE_REQUESTS.empty()
        table["reopened"] = pd.Series(dtype="boolean")
        table["description"] = pd.Series(dtype="string")
        table["address"] = pd.Series(dtype="string")
        table.attrs["planted_defects"] = dict.fromkeys(DEFECT_NAMES, 0)
        table.attrs["planted_personal_data"] = PlantedNotes().counts()
        table.attrs["planted_intervention"] = {
            **pilot.as_dict(), "true_effect_on_time_share": None,
            "in_sample": {"treated_requests": 0, "effect": None}}
        return table
    n_types = len(REQUEST_TYPES)
    district = np.repeat(np.repeat(np.arange(len(districts)), n_types), counts)
    kind = np.repeat(np.tile(np.arange(n_types), len(districts)), counts)

    requested_ns = _draw_requested_times(rng, city, kind, start, end)
    order = np.argsort(requested_ns, kind="stable")
    district, kind, requested_ns = district[order], kind[order], requested_ns[order]

    ids = _request_ids(city, requested_ns)
    treated = ((districts["name"].to_numpy()[district] == pilot.district)
               & (kind == SERVICE_TYPE_CODES.index(pilot.service_code))
               & (requested_ns >= pilot.start.value))
    outcomes = draw_outcomes(rng, reopen_rng, districts, district, kind, requested_ns,
                             extract, treated, pilot.close_time_factor)
    channel = _draw_channels(rng, districts, district, requested_ns, start, end)
    lat, long = _draw_coordinates(rng, city, district)

    table = _assemble(city, districts, ids, kind, district, requested_ns, outcomes.closed,
                      outcomes.is_open, outcomes.notes, channel, lat, long)
    table["reopened"] = pd.array(outcomes.reopened, dtype="boolean")
    table, notes = plant_notes(city, table)  # its own stream: the other columns stay put
    table, planted = plant_defects(rng, city, table, extract)
    table = SERVICE_REQUESTS.validate(table)
    table.attrs["planted_defects"] = planted
    table.attrs["planted_personal_data"] = notes.counts()
    table.attrs["planted_intervention"] = intervention_truth(pilot, outcomes, treated,
                                                              requested_ns, extract, districts)
    return table


def generation_settings(city: City) -> dict[str, Any]:
    """Everything that decides the generated table: if any of it changes, regenerate.

    ``generation.json`` stores the same dict under ``"settings"``, so a reader can tell
    whether a file on disk was made by this generator version from the city's current options.

    >>> from cda_lib.cities.loader import load_city
    >>> generation_settings(load_city("riverbend"))["seed"]
    1101
    """
    options = synthetic_options(city)
    start, end = period_of(city)
    return {
        "generator": GENERATOR_VERSION,
        "seed": int(options["seed"]),
        "start": start.date().isoformat(),
        "end": end.date().isoformat(),
        "requests_per_1000_per_year": volume_rate(city, options, None),
    }


def write_city_data(city: City, out_dir: Path | None = None) -> Path:
    """Generate the city's service requests and write them, with a record of how.

    Writes ``service_requests.parquet`` and ``generation.json`` into ``out_dir`` (default:
    the generated-data folder of the city) and returns the Parquet file's path. Each file is
    written to a temporary name first and then moved into place, so a half-written file
    never exists under the real name.
    """
    folder = Path(out_dir) if out_dir is not None else paths.generated_dir() / city.id
    folder.mkdir(parents=True, exist_ok=True)
    settings = generation_settings(city)
    raw = generate_service_requests(city)
    record = {
        "city": city.id,
        **settings,
        "as_of": as_of(city).isoformat(),
        "settings": settings,
        "rows": len(raw),
        "rows_before_duplicates": len(raw) - raw.attrs["planted_defects"]["duplicate_request_id"],
        "planted_defects": raw.attrs["planted_defects"],
        "defect_rates": DEFECT_RATES,
        "planted_personal_data": raw.attrs["planted_personal_data"],
        "personal_data_share": PERSONAL_SHARE,
        "planted_intervention": raw.attrs["planted_intervention"],
        "reopen_shares": {code: reopen_share(code) for code in SERVICE_TYPE_CODES},
    }
    parquet_path = folder / "service_requests.parquet"
    with atomic_path(parquet_path) as scratch:
        raw.to_parquet(scratch, index=False)
    write_text_atomically(folder / "generation.json",
                          json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    return parquet_path


# --- Volumes -------------------------------------------------------------------------------


def _expected_counts(districts: pd.DataFrame, rate: float, days: int) -> np.ndarray:
    """Expected requests per district (rows) and type (columns) over the whole period."""
    population = districts["population"].to_numpy()
    total = population.sum() * rate / 1000 * days / DAYS_PER_YEAR
    if total == 0:
        return np.zeros((len(districts), len(REQUEST_TYPES)))
    share = population / population.sum()
    columns = []
    for request_type in REQUEST_TYPES:
        factor = np.ones(len(districts))
        if request_type.volume_driver is not None:
            x = districts[request_type.volume_driver].to_numpy()
            factor = np.exp(request_type.driver_elasticity * (x - population_mean(x, population)))
            factor = factor / np.sum(share * factor)  # keep the type's citywide share
        columns.append(total * request_type.volume_weight * share * factor)
    return np.column_stack(columns)


# --- Times --------------------------------------------------------------------------------------


def _climate(city: City) -> str:
    centre = (city.bounds.north + city.bounds.south) / 2
    if abs(centre) < TROPICAL_LATITUDE:
        return "tropical"
    return "south" if city.bounds.north < 0 else "north"


def _monthly_profile(season: str, climate: str) -> np.ndarray:
    if climate == "tropical":
        return np.array(SEASONAL_PROFILES[TROPICAL_SEASONS[season]])
    profile = np.array(SEASONAL_PROFILES[season])
    return np.roll(profile, 6) if climate == "south" else profile


def _day_weights(city: City, days: pd.DatetimeIndex, start: pd.Timestamp) -> np.ndarray:
    """Relative volume of each type (rows) on each day (columns): season, weekday, trend."""
    # Position in the year in months (0 = 1 January, 12 = next 1 January), interpolated
    # between mid-month values so the seasons change smoothly, not in monthly steps.
    month_position = (days.month - 1) + (days.day - 0.5) / days.days_in_month
    centres = np.arange(-0.5, 13.0)  # December before, January ... December, January after
    weekday = np.array(WEEKDAY_FACTORS)[days.day_of_week]
    years = (days - start).days.to_numpy() / DAYS_PER_YEAR
    trend = (1 + ANNUAL_GROWTH) ** years
    climate = _climate(city)
    rows = []
    for request_type in REQUEST_TYPES:
        monthly = _monthly_profile(request_type.season, climate)
        wrapped = np.concatenate([monthly[-1:], monthly, monthly[:1]])
        rows.append(np.interp(month_position, centres, wrapped) * weekday * trend)
    return np.vstack(rows)


def _draw_requested_times(rng: np.random.Generator, city: City, kind: np.ndarray,
                          start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    """Request moments as int64 nanoseconds since 1970, local time."""
    days = pd.date_range(start, end, freq="D")
    day = draw_categories(rng, _day_weights(city, days, start), kind)
    weekend = (days.day_of_week.to_numpy()[day] >= 5).astype(np.int64)
    hour = draw_categories(rng, np.vstack([WEEKDAY_HOURS, WEEKEND_HOURS]), weekend)
    second = rng.integers(0, 3600, size=kind.size)
    seconds = day * SECONDS_PER_DAY + hour * 3600 + second
    return start.value + seconds * 1_000_000_000


def _request_ids(city: City, requested_ns: np.ndarray) -> pd.Series:
    """Ids like RI-2024-000123: prefix, year, number within the year (times are sorted)."""
    year = pd.DatetimeIndex(requested_ns).year.to_numpy()
    first_of_year = np.searchsorted(year, year, side="left")
    number = np.arange(year.size) - first_of_year + 1
    prefix = _id_prefix(city)
    year_text = pd.Series(year).astype("string")
    number_text = pd.Series(number).astype("string").str.zfill(6)
    return (prefix + "-" + year_text + "-" + number_text).astype("string")


def _id_prefix(city: City) -> str:
    """Initials of a multi-word city id (serra-clara: SC), else its first two letters."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", city.id) if w]
    if len(words) >= 2:
        return "".join(w[0] for w in words[:3]).upper()
    return (words[0][:2] if words else "CT").upper()


# --- Channels, places, the table --------------------------------------------------------------


def _draw_channels(rng: np.random.Generator, districts: pd.DataFrame, district: np.ndarray,
                   requested_ns: np.ndarray, start: pd.Timestamp, end: pd.Timestamp
                   ) -> np.ndarray:
    """Channel index (into CHANNELS) of every request, by district and month of the period."""
    requested = pd.DatetimeIndex(requested_ns)
    month = (requested.year - start.year) * 12 + requested.month - start.month
    n_months = (end.year - start.year) * 12 + end.month - start.month + 1
    progress = np.arange(n_months) / max(n_months - 1, 1)
    offline = districts["share_without_internet"].to_numpy()
    digital = np.clip(DIGITAL_SHARE_ONLINE * (1 - DIGITAL_LOSS_PER_OFFLINE_SHARE * offline),
                      0.02, 0.95)
    app_share = APP_SHARE_OF_DIGITAL[0] + (APP_SHARE_OF_DIGITAL[1] - APP_SHARE_OF_DIGITAL[0]) \
        * progress
    probabilities = np.zeros((len(districts), n_months, len(CHANNELS)))
    probabilities[:, :, CHANNELS.index("mobile app")] = digital[:, None] * app_share[None, :]
    probabilities[:, :, CHANNELS.index("web")] = digital[:, None] * (1 - app_share[None, :])
    offline_total = sum(OFFLINE_CHANNEL_SHARES.values())
    for name, share in OFFLINE_CHANNEL_SHARES.items():
        probabilities[:, :, CHANNELS.index(name)] = (1 - digital[:, None]) * share / offline_total
    rows = district * n_months + month.to_numpy()
    return draw_categories(rng, probabilities.reshape(-1, len(CHANNELS)), rows)


def _district_cells(city: City) -> np.ndarray:
    """Each district's rectangle (south, west, north, east) in a grid over the city's bounds."""
    n = len(city.districts)
    columns = math.ceil(math.sqrt(n))
    rows = math.ceil(n / columns)
    b = city.bounds
    height = (b.north - b.south) / rows
    width = (b.east - b.west) / columns
    index = np.arange(n)
    row, column = index // columns, index % columns
    north = b.north - row * height
    west = b.west + column * width
    return np.column_stack([north - height, west, north, west + width])


def _draw_coordinates(rng: np.random.Generator, city: City, district: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
    cells = _district_cells(city)[district]
    lat = cells[:, 0] + rng.random(district.size) * (cells[:, 2] - cells[:, 0])
    long = cells[:, 1] + rng.random(district.size) * (cells[:, 3] - cells[:, 1])
    return lat.round(COORDINATE_DECIMALS), long.round(COORDINATE_DECIMALS)


def _assemble(city: City, districts: pd.DataFrame, ids: pd.Series, kind: np.ndarray,
              district: np.ndarray, requested_ns: np.ndarray, closed: np.ndarray,
              is_open: np.ndarray, notes: np.ndarray, channel: np.ndarray, lat: np.ndarray,
              long: np.ndarray) -> pd.DataFrame:
    """Put the drawn columns together as the canonical table (before defects)."""
    language = city.language
    codes = np.array(SERVICE_TYPE_CODES, dtype=object)
    names = np.array([t.name.in_language(language) for t in REQUEST_TYPES], dtype=object)
    agencies = np.array([t.agency.in_language(language) for t in REQUEST_TYPES], dtype=object)
    district_names = districts["name"].to_numpy(dtype=object)
    return pd.DataFrame({
        "service_request_id": pd.array(ids, dtype="string"),
        "service_code": pd.array(codes[kind], dtype="string"),
        "service_name": pd.array(names[kind], dtype="string"),
        "status": pd.array(np.where(is_open, "open", "closed").astype(object), dtype="string"),
        "status_notes": pd.array(notes, dtype="string"),
        "requested_datetime": requested_ns.astype("datetime64[ns]"),
        "closed_datetime": closed,
        "agency_responsible": pd.array(agencies[kind], dtype="string"),
        "district": pd.array(district_names[district], dtype="string"),
        "lat": lat.astype("float64"),
        "long": long.astype("float64"),
        "channel": pd.array(np.array(CHANNELS, dtype=object)[channel], dtype="string"),
    })
