"""Synthetic 311 service requests: a deterministic, teachable stand-in for a city's real data.

A city whose ``sources.service_requests`` says ``kind: synthetic`` gets a table generated
from its city file: the same seed always gives the same table. The table is the RAW
export, as a city's 311 system would hand it over, so it has the canonical columns of
:data:`cda_lib.core.schema.SERVICE_REQUESTS` *and* planted data-quality defects. A loader reads
it later and sets defective rows aside with a reason.

What the data teaches (each pattern is planted on purpose)
-----------------------------------------------------------
* **Request types.** The 13 types of :data:`REQUEST_TYPES` (potholes, missed collection,
  sidewalks ...) with realistic volume shares, median days to close and spreads. Names and
  departments are in the city's language (en, es or pt); ``service_code`` is the code.
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
* **Reopens.** A share of completed requests (:data:`REOPEN_SHARES`, e.g. 8% of potholes:
  patches fail) is reopened by the resident 1 to 14 days after the close and worked
  again. The optional canonical column ``reopened`` is true once the reopen has happened
  by the extract; a request reopened and not yet closed again is open with the note
  "Reopened", one closed again keeps its final close date.

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
``"settings"`` entry equals :func:`generation_settings` and tells when to regenerate.

>>> from cda_lib.cities.loader import load_city
>>> raw = generate_service_requests(load_city("riverbend"), requests_per_1000_per_year=2)
>>> list(raw.columns) == SERVICE_REQUESTS.columns + ["reopened"]
True
>>> sorted(raw.attrs["planted_defects"]) == sorted(DEFECT_RATES)
True
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cda_lib.cities.city import City
from cda_lib.core import paths
from cda_lib.core.errors import CityFileError
from cda_lib.core.files import atomic_path, write_text_atomically
from cda_lib.core.schema import CHANNELS, SERVICE_REQUESTS

# Bump whenever the same city and seed would give a different table, so that files
# generated by an older version are recognised and rebuilt.
GENERATOR_VERSION = "synth-1.1"  # 1.1: reopens and the planted intervention

# A mid-sized US city logs roughly 100-150 service requests per 1,000 residents a year
# through 311 (phone, web, app); 120 sits in the middle.
DEFAULT_REQUESTS_PER_1000_PER_YEAR = 120.0

DAYS_PER_YEAR = 365.25  # average calendar year, for "per year" rates over any period
SECONDS_PER_DAY = 86_400


# --- Request types ---------------------------------------------------------------------


@dataclass(frozen=True)
class Wording:
    """The same text in each workbook language."""

    en: str
    es: str
    pt: str

    def in_language(self, language: str) -> str:
        """The text in ``language`` (en, es or pt)."""
        return getattr(self, language)


@dataclass(frozen=True)
class RequestType:
    """One kind of service request and how the generator plants it.

    ``volume_weight`` is the type's share of all requests; ``median_days`` and ``spread``
    (the standard deviation of log days) shape the lognormal time to close; ``season``
    names a monthly profile in :data:`SEASONAL_PROFILES`; ``never_closed_share`` of the
    type stays open forever; requests per resident rise with ``volume_driver`` (a
    demographic share) by ``driver_elasticity`` per unit share, on a log scale.
    """

    code: str
    name: Wording
    agency: Wording
    volume_weight: float
    median_days: float
    spread: float
    season: str
    never_closed_share: float
    volume_driver: str | None
    driver_elasticity: float


_STREETS = Wording("Streets and Transportation", "Movilidad e Infraestructura Vial",
                   "Mobilidade e Infraestrutura Viária")
_LIGHTING = Wording("Street Lighting", "Alumbrado Público", "Iluminação Pública")
_SANITATION = Wording("Sanitation", "Aseo y Residuos Sólidos", "Limpeza Urbana")
_CODE_ENFORCEMENT = Wording("Code Enforcement", "Control Urbano", "Fiscalização Urbana")
_PARKS = Wording("Parks and Forestry", "Parques y Arborización", "Parques e Arborização")
_WATER = Wording("Water Department", "Acueducto y Alcantarillado", "Saneamento e Águas")
_HEALTH = Wording("Public Health", "Salud Pública", "Vigilância Sanitária")
_TRAFFIC = Wording("Traffic Engineering", "Semaforización", "Engenharia de Tráfego")

# Volumes, times and seasons follow what large open 311 datasets (NYC, Chicago, Boston,
# São Paulo 156) show: collection requests are the bulk and close in a day or two,
# sidewalks and trees take months, signals and leaks are emergencies.
REQUEST_TYPES: tuple[RequestType, ...] = (
    RequestType("POTHOLE", Wording("Pothole repair", "Reparación de baches",
                                   "Buraco na via"),
                _STREETS, 0.10, 4.0, 1.0, "freeze_thaw", 0.03, "share_low_income", -2.0),
    RequestType("STREETLIGHT", Wording("Streetlight out", "Luminaria apagada",
                                       "Lâmpada de poste apagada"),
                _LIGHTING, 0.08, 7.0, 0.9, "winter", 0.03, "share_low_income", -1.5),
    RequestType("GRAFFITI", Wording("Graffiti removal", "Remoción de grafiti",
                                    "Remoção de pichação"),
                _CODE_ENFORCEMENT, 0.07, 6.0, 1.0, "summer", 0.04, "share_renters", 1.5),
    RequestType("MISSED_COLLECTION", Wording("Missed trash collection",
                                             "Recolección de basura no realizada",
                                             "Coleta de lixo não realizada"),
                _SANITATION, 0.15, 1.5, 0.6, "flat", 0.005, "share_renters", -1.5),
    RequestType("BULKY_ITEM", Wording("Bulky item pickup", "Recolección de objetos voluminosos",
                                      "Coleta de objetos volumosos"),
                _SANITATION, 0.18, 5.0, 0.6, "summer", 0.01, "share_renters", 1.5),
    RequestType("ILLEGAL_DUMPING", Wording("Illegal dumping", "Disposición ilegal de residuos",
                                           "Descarte irregular de lixo"),
                _SANITATION, 0.09, 6.0, 0.9, "summer", 0.03, "share_low_income", 2.5),
    RequestType("ABANDONED_VEHICLE", Wording("Abandoned vehicle", "Vehículo abandonado",
                                             "Veículo abandonado"),
                _CODE_ENFORCEMENT, 0.06, 12.0, 0.8, "flat", 0.05, "share_low_income", 1.5),
    RequestType("NOISE", Wording("Noise complaint", "Queja por ruido",
                                 "Perturbação do sossego"),
                _CODE_ENFORCEMENT, 0.08, 0.5, 1.0, "summer", 0.01, "share_renters", 2.0),
    RequestType("TREE", Wording("Tree maintenance", "Mantenimiento de árboles",
                                "Poda ou remoção de árvore"),
                _PARKS, 0.05, 30.0, 1.1, "storms", 0.08, "share_renters", -2.0),
    RequestType("SIDEWALK", Wording("Sidewalk repair", "Reparación de andenes",
                                    "Conserto de calçada"),
                _STREETS, 0.03, 90.0, 1.0, "freeze_thaw", 0.12, "share_age_65_plus", 2.0),
    RequestType("WATER_LEAK", Wording("Water leak", "Fuga de agua", "Vazamento de água"),
                _WATER, 0.04, 1.5, 0.9, "winter", 0.01, None, 0.0),
    RequestType("RODENTS", Wording("Rodent control", "Control de roedores",
                                   "Controle de roedores"),
                _HEALTH, 0.04, 10.0, 0.8, "summer", 0.04, "share_low_income", 2.5),
    RequestType("TRAFFIC_SIGNAL", Wording("Traffic signal problem", "Semáforo dañado",
                                          "Semáforo com defeito"),
                _TRAFFIC, 0.03, 0.8, 0.8, "flat", 0.005, None, 0.0),
)

SERVICE_TYPE_CODES: tuple[str, ...] = tuple(t.code for t in REQUEST_TYPES)


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


# --- Districts, channels, closing ---------------------------------------------------------

DEMOGRAPHICS = ("share_low_income", "share_renters", "share_age_65_plus",
                "share_without_internet")
# Used only when a city file has no value for a demographic in any district: typical
# shares for a North or South American city, so every district gets the same (neutral) value.
DEFAULT_DEMOGRAPHICS = {"share_low_income": 0.2, "share_renters": 0.4,
                        "share_age_65_plus": 0.14, "share_without_internet": 0.15}

# The poorest district waits this many times as long as the richest: a clear, teachable
# equity gap, like those found in audits of 311 response times.
CLOSE_TIME_GAP = 1.5

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

COORDINATE_DECIMALS = 6  # about 10 cm: what GPS-based apps export


# --- Defects -------------------------------------------------------------------------------

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


# --- Public functions ------------------------------------------------------------------------


def as_of(city: City) -> pd.Timestamp:
    """The moment of the synthetic extract: the source's end date at 23:59:59.

    >>> from cda_lib.cities.loader import load_city
    >>> as_of(load_city("riverbend"))
    Timestamp('2025-12-31 23:59:59')
    """
    _, end = _period(city)
    return end + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)


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
        return (f"From {self.start:%d %B %Y}, {self.district} closed {self.service_code} "
                f"requests in {self.close_time_factor:g} times their usual time.")

    def as_dict(self) -> dict[str, Any]:
        return {"district": self.district, "service_code": self.service_code,
                "start": self.start.date().isoformat(),
                "close_time_factor": self.close_time_factor,
                "standard_days": self.standard_days}


def planted_intervention(city: City) -> Intervention:
    """Where and when the generator plants its pilot for ``city`` (see the module docstring)."""
    start, end = _period(city)
    districts = _district_frame(city)
    treated = str(districts["name"].iloc[int(np.argmax(districts["share_low_income"]))])
    point = start + pd.Timedelta(days=INTERVENTION_START_SHARE * _days_in(start, end))
    first_of_month = point.normalize().replace(day=1)
    begins = first_of_month if first_of_month == point else first_of_month + pd.DateOffset(
        months=1)
    standard = city.service_standards.get(INTERVENTION_SERVICE_CODE,
                                          INTERVENTION_FALLBACK_STANDARD_DAYS)
    return Intervention(district=treated, service_code=INTERVENTION_SERVICE_CODE,
                        start=pd.Timestamp(begins),
                        close_time_factor=INTERVENTION_CLOSE_TIME_FACTOR,
                        standard_days=float(standard))


def generate_service_requests(city: City, requests_per_1000_per_year: float | None = None
                              ) -> pd.DataFrame:
    """Generate the city's raw service-request table, planted defects included.

    The same city and seed always give the same table. ``requests_per_1000_per_year``
    overrides the city file's volume (default 120 a year per 1,000 residents). The counts of
    planted defects are in ``raw.attrs["planted_defects"]``.
    """
    options = _synthetic_options(city)
    rate = _volume_rate(city, options, requests_per_1000_per_year)
    start, end = _period(city)
    extract = as_of(city)
    rng = np.random.default_rng(int(options["seed"]))
    reopen_rng = np.random.default_rng([int(options["seed"]), REOPEN_STREAM])
    pilot = planted_intervention(city)

    districts = _district_frame(city)
    expected = _expected_counts(districts, rate, _days_in(start, end))
    counts = rng.poisson(expected).ravel()
    if counts.sum() == 0:
        table = SERVICE_REQUESTS.empty()
        table["reopened"] = pd.Series(dtype="boolean")
        table.attrs["planted_defects"] = dict.fromkeys(DEFECT_NAMES, 0)
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
    outcomes = _draw_outcomes(rng, reopen_rng, districts, district, kind, requested_ns,
                              extract, treated)
    channel = _draw_channels(rng, districts, district, requested_ns, start, end)
    lat, long = _draw_coordinates(rng, city, district)

    table = _assemble(city, districts, ids, kind, district, requested_ns, outcomes.closed,
                      outcomes.is_open, outcomes.notes, channel, lat, long)
    table["reopened"] = pd.array(outcomes.reopened, dtype="boolean")
    table, planted = _plant_defects(rng, city, table, extract)
    table = SERVICE_REQUESTS.validate(table)
    table.attrs["planted_defects"] = planted
    table.attrs["planted_intervention"] = _intervention_truth(pilot, outcomes, treated,
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
    options = _synthetic_options(city)
    start, end = _period(city)
    return {
        "generator": GENERATOR_VERSION,
        "seed": int(options["seed"]),
        "start": start.date().isoformat(),
        "end": end.date().isoformat(),
        "requests_per_1000_per_year": _volume_rate(city, options, None),
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
        "planted_intervention": raw.attrs["planted_intervention"],
        "reopen_shares": {code: _reopen_share(code) for code in SERVICE_TYPE_CODES},
    }
    parquet_path = folder / "service_requests.parquet"
    with atomic_path(parquet_path) as scratch:
        raw.to_parquet(scratch, index=False)
    write_text_atomically(folder / "generation.json",
                          json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    return parquet_path


# --- City file options -----------------------------------------------------------------------


def _synthetic_options(city: City) -> dict[str, Any]:
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


def _volume_rate(city: City, options: dict[str, Any], override: float | None) -> float:
    value = override if override is not None else options.get(
        "requests_per_1000_per_year", DEFAULT_REQUESTS_PER_1000_PER_YEAR)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise CityFileError(
            f"The volume of synthetic requests for {city.name} is {value!r}, "
            "but it must be a number of requests per 1,000 residents a year, 0 or more. "
            f"Try {DEFAULT_REQUESTS_PER_1000_PER_YEAR:g}, a typical city's volume."
        )
    return float(value)


def _period(city: City) -> tuple[pd.Timestamp, pd.Timestamp]:
    options = _synthetic_options(city)
    return _as_day(options["start"]), _as_day(options["end"])


def _as_day(value: Any) -> pd.Timestamp:
    if isinstance(value, dt.datetime):
        value = value.date()
    return pd.Timestamp(str(value)).normalize()


def _days_in(start: pd.Timestamp, end: pd.Timestamp) -> int:
    return (end - start).days + 1


# --- Districts and volumes -------------------------------------------------------------------


def _district_frame(city: City) -> pd.DataFrame:
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


def _population_mean(values: np.ndarray, population: np.ndarray) -> float:
    return float(np.average(values, weights=population)) if population.sum() > 0 \
        else float(values.mean())


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
            factor = np.exp(request_type.driver_elasticity * (x - _population_mean(x, population)))
            factor = factor / np.sum(share * factor)  # keep the type's citywide share
        columns.append(total * request_type.volume_weight * share * factor)
    return np.column_stack(columns)


def _close_time_factors(districts: pd.DataFrame) -> np.ndarray:
    """Multiplier of each district's time to close: CLOSE_TIME_GAP from richest to poorest."""
    x = districts["share_low_income"].to_numpy()
    width = x.max() - x.min()
    if width == 0:
        return np.ones(len(x))
    centre = _population_mean(x, districts["population"].to_numpy())
    return CLOSE_TIME_GAP ** ((x - centre) / width)


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
    day = _draw_categories(rng, _day_weights(city, days, start), kind)
    weekend = (days.day_of_week.to_numpy()[day] >= 5).astype(np.int64)
    hour = _draw_categories(rng, np.vstack([WEEKDAY_HOURS, WEEKEND_HOURS]), weekend)
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


# --- Outcomes, channels, places -------------------------------------------------------------


@dataclass(frozen=True)
class _Outcomes:
    """How each request ends, as seen at the extract, and the same without the pilot."""

    closed: np.ndarray  # datetime64[ns], NaT while open
    is_open: np.ndarray
    notes: np.ndarray
    reopened: np.ndarray  # the reopen happened by the extract
    delay_with_pilot: np.ndarray  # nanoseconds from request to the close seen at the extract
    delay_without_pilot: np.ndarray  # the same had there been no pilot
    closed_without_pilot: np.ndarray  # closed by the extract had there been no pilot


def _draw_outcomes(rng: np.random.Generator, reopen_rng: np.random.Generator,
                   districts: pd.DataFrame, district: np.ndarray, kind: np.ndarray,
                   requested_ns: np.ndarray, extract: pd.Timestamp, treated: np.ndarray
                   ) -> _Outcomes:
    """Closed moment (NaT while open), status note and reopen of every request."""
    n = kind.size
    everyone = np.zeros(n, dtype=np.int64)
    closed_notes = np.array(list(CLOSED_NOTES), dtype=object)
    open_notes = np.array(list(OPEN_NOTES), dtype=object)
    ending = _draw_categories(rng, np.array([list(CLOSED_NOTES.values())]), everyone)
    normal = rng.standard_normal(n)
    never = rng.random(n) < np.array([t.never_closed_share for t in REQUEST_TYPES])[kind]
    open_note = _draw_categories(rng, np.array([list(OPEN_NOTES.values())]), everyone)

    median = np.array([t.median_days for t in REQUEST_TYPES])[kind]
    spread = np.array([t.spread for t in REQUEST_TYPES])[kind]
    worked = closed_notes[ending] == "Completed"
    typical = np.where(worked, median * _close_time_factors(districts)[district],
                       ADMIN_CLOSE_MEDIAN_DAYS)
    days = typical * np.exp(spread * normal)
    sped_up = np.where(worked & treated, INTERVENTION_CLOSE_TIME_FACTOR, 1.0)

    # Reopens: decided, timed and reworked from their own stream (see REOPEN_STREAM).
    shares = np.array([_reopen_share(code) for code in SERVICE_TYPE_CODES])[kind]
    reopens = worked & (reopen_rng.random(n) < shares)
    lag_days = reopen_rng.uniform(*REOPEN_WITHIN_DAYS, size=n)
    rework_days = REOPEN_REWORK_SHARE * median * np.exp(spread * reopen_rng.standard_normal(n))

    def seen(first_days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        first = requested_ns + _nanoseconds(first_days)
        reopened_at = first + _nanoseconds(lag_days)
        final = reopened_at + _nanoseconds(rework_days)
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
    return _Outcomes(closed=closed, is_open=is_open, notes=notes, reopened=reopened,
                     delay_with_pilot=delay,
                     delay_without_pilot=delay_cf, closed_without_pilot=~open_cf)


def _reopen_share(code: str) -> float:
    return REOPEN_SHARES.get(code, DEFAULT_REOPEN_SHARE)


def _nanoseconds(days: np.ndarray) -> np.ndarray:
    """Whole seconds of at least 1, as nanoseconds: how the generator stores delays."""
    return np.maximum(np.ceil(days * SECONDS_PER_DAY), 1).astype(np.int64) * 1_000_000_000


def _intervention_truth(pilot: Intervention, outcomes: _Outcomes, treated: np.ndarray,
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
    outcomes = _draw_outcomes(np.random.default_rng(EXPECTATION_SEED),
                              np.random.default_rng([EXPECTATION_SEED, REOPEN_STREAM]),
                              districts, district, kind, np.zeros(n, dtype=np.int64),
                              never_censored, np.ones(n, dtype=bool))
    with_pilot = (~outcomes.is_open & (outcomes.delay_with_pilot <= limit_ns)).mean()
    without = (outcomes.closed_without_pilot & (outcomes.delay_without_pilot <= limit_ns)).mean()
    return float(with_pilot), float(without)


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
    return _draw_categories(rng, probabilities.reshape(-1, len(CHANNELS)), rows)


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


# --- Defects -----------------------------------------------------------------------------------


def _plant_defects(rng: np.random.Generator, city: City, table: pd.DataFrame,
                   extract: pd.Timestamp) -> tuple[pd.DataFrame, dict[str, int]]:
    """Give each row at most one defect at DEFECT_RATES; return the table and the counts."""
    n = len(table)
    rates = np.array(list(DEFECT_RATES.values()))
    probabilities = np.concatenate([[1 - rates.sum()], rates])[None, :]
    drawn = _draw_categories(rng, probabilities, np.zeros(n, int)) - 1  # -1: no defect
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


# --- Small building blocks ----------------------------------------------------------------------


def _draw_categories(rng: np.random.Generator, weights: np.ndarray, row: np.ndarray
                     ) -> np.ndarray:
    """For each item, draw a column of ``weights[row[item]]``, with chance proportional to it.

    One uniform number per item, looked up in the stacked cumulative distributions of all
    rows at once (row r occupies the values r..r+1), so any number of items and rows take a
    single vectorized search.
    """
    weights = np.asarray(weights, dtype=float)
    n_rows, n_columns = weights.shape
    cumulative = np.cumsum(weights, axis=1)
    cumulative = cumulative / cumulative[:, -1:]
    stacked = (cumulative + np.arange(n_rows)[:, None]).ravel()
    row = np.asarray(row, dtype=np.int64)
    found = np.searchsorted(stacked, rng.random(row.size) + row, side="right")
    return np.minimum(found - row * n_columns, n_columns - 1)
