"""The stress cohort: small fixture cities whose data is odd in one way each (two in two).

Real exports run from three days to ten years, hold one request type or sixty, and may
lack districts, coordinates, closed dates or times. Each city here is one such export,
written as a local CSV export with its own column mapping, so it goes through the same
loader as a real city's file. Every page and exercise copy must build for each of them
with no error output (tests/test_stress_cohort.py); that is the regression net for every
module, and a new module joins it by being in a theme's registry. Two cities carry two
oddities that no test tells apart (100 requests dated without times; 60 types closed at
once), so that the suite, which builds every module for every city, stays within its time.

``python tests/stress_cohort.py FOLDER`` writes the cohort to FOLDER, to build by hand
with ``cda build --city FOLDER/cities/three-days.yaml``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

TYPES = {  # code: (name, standard days, mean days to close)
    "POTHOLE": ("Pothole", 5, 4.0),
    "STREETLIGHT": ("Streetlight out", 10, 7.0),
    "GRAFFITI": ("Graffiti", 7, 5.0),
    "MISSED_COLLECTION": ("Missed collection", 2, 1.5),
    "NOISE": ("Noise complaint", 3, 1.0),
    "TREE": ("Tree maintenance", 30, 20.0),
    "SIDEWALK": ("Sidewalk repair", 60, 35.0),
    "RODENTS": ("Rodents", 14, 9.0),
}
DISTRICTS = ["North", "South", "East", "West"]
BOUNDS = {"south": 40.00, "west": -90.10, "north": 40.10, "east": -90.00}


@dataclass(frozen=True)
class StressCity:
    """One odd export: its span, size and what it lacks."""

    id: str
    name: str
    why: str
    start: str
    days: int
    requests: int
    types: int = 8  # how many request types; above 8 the extra ones are numbered
    districts: tuple[str, ...] = tuple(DISTRICTS)
    coordinates: bool = True
    closing: str = "usual"  # "usual", "never" (nothing closed yet) or "at once"
    times: bool = True
    as_of: str | None = None  # None: the data's last moment
    boundaries: bool = False  # a messy GeoJSON of its wards beside the export (page 3.3's map)
    seed: int = 1
    extra: dict = field(default_factory=dict)


STRESS_CITIES = (
    StressCity("three-days", "Three Days", "a 3-day extract", "2020-01-01", 3, 600),
    StressCity("eight-weeks-one-type", "Eight Weeks", "8 weeks of a single request type",
               "2020-02-03", 56, 400, types=1),
    StressCity("hundred-requests", "Hundred Requests", "100 requests in all, dated without times",
               "2023-01-01", 730, 100, times=False),
    StressCity("no-districts", "No Districts", "no districts at all", "2023-01-01", 730, 1500,
               districts=()),
    StressCity("no-coordinates", "No Coordinates", "no coordinates", "2023-07-01", 548, 1200,
               coordinates=False),
    StressCity("nothing-closed", "Nothing Closed", "nothing closed yet", "2024-01-01", 365,
               900, closing="never"),
    StressCity("sixty-types", "Sixty Types",
               "60 request types, every request closed the minute it opened", "2024-01-01", 365,
               2400, types=60, closing="at once"),
    StressCity("one-district", "One District", "a single district", "2023-01-01", 730, 1200,
               districts=("Central",)),
    StressCity("long-ago", "Long Ago", "data that ends years before today, and a messy "
               "boundaries file", "2012-01-01", 1096, 1500, boundaries=True),
)


def boundaries(city: StressCity) -> dict:
    """A ward file as messy as a city's own: North written " north ", West missing, one
    feature without a name, one whose ring has two points, and a ward that is no district.
    Page 3.3's map draws North, South and East and says what it could not use."""
    def square(west: float, south: float) -> list:
        ring = [[west, south], [west + 0.05, south], [west + 0.05, south + 0.05],
                [west, south + 0.05], [west, south]]
        return [ring]

    def ward(name, coordinates):
        properties = {} if name is None else {"WARD_NAME": name}
        return {"type": "Feature", "properties": properties,
                "geometry": {"type": "Polygon", "coordinates": coordinates}}

    west, south = BOUNDS["west"], BOUNDS["south"]
    return {"type": "FeatureCollection", "features": [
        ward(" north ", square(west, south + 0.05)),
        ward("South", square(west, south)),
        ward("EAST", square(west + 0.05, south + 0.05)),
        ward("Harbour", square(west + 0.05, south)),
        ward(None, square(west + 0.05, south)),
        ward("West", [[[west, south], [west + 0.05, south]]]),
    ]}



def type_codes(count: int) -> list[str]:
    """The first ``count`` request-type codes: the eight usual ones, then numbered ones."""
    codes = list(TYPES)[:count]
    codes += [f"TYPE_{number:02d}" for number in range(len(codes) + 1, count + 1)]
    return codes


def type_name(code: str) -> str:
    return TYPES[code][0] if code in TYPES else f"Request type {code[5:]}"


def export_rows(city: StressCity) -> pd.DataFrame:
    """The city's export: one row per request, columns named as a city's export names them."""
    rng = np.random.default_rng(city.seed)
    start = pd.Timestamp(city.start)
    opened = start + pd.to_timedelta(np.sort(rng.uniform(0, city.days, city.requests)), unit="D")
    opened = opened.floor("min")
    codes = type_codes(city.types)
    chosen = rng.choice(codes, size=city.requests)
    means = np.array([TYPES.get(code, ("", 7, 5.0))[2] for code in chosen])
    end = start + pd.Timedelta(days=city.days)
    if city.closing == "never":
        closed = pd.Series(pd.NaT, index=range(city.requests))
    elif city.closing == "at once":
        closed = pd.Series(opened + pd.Timedelta(minutes=1))
    else:
        waits = pd.to_timedelta(rng.exponential(means), unit="D").floor("min")
        closed = pd.Series(opened + waits)
        closed[closed >= end] = pd.NaT
    if not city.times:
        opened = opened.normalize()
        closed = closed.dt.normalize()
        closed[closed < pd.Series(opened)] = pd.NaT
    time_format = "%m/%d/%Y %H:%M" if city.times else "%m/%d/%Y"
    rows = pd.DataFrame({
        "Case": [f"{city.id[:3].upper()}-{number:05d}" for number in range(1, city.requests + 1)],
        "Opened": pd.Series(opened).dt.strftime(time_format),
        "Closed": closed.dt.strftime(time_format).fillna(""),
        "Type": [type_name(code) for code in chosen],
        "Status": np.where(closed.isna(), "Open", "Closed"),
        "Source": rng.choice(["Phone", "Web", "App"], size=city.requests),
    })
    if city.districts:
        rows["Ward"] = rng.choice(list(city.districts), size=city.requests)
    if city.coordinates:
        rows["Latitude"] = rng.uniform(BOUNDS["south"], BOUNDS["north"], city.requests).round(5)
        rows["Longitude"] = rng.uniform(BOUNDS["west"], BOUNDS["east"], city.requests).round(5)
    return rows


def mapping(city: StressCity) -> dict:
    """The column mapping of the city's export."""
    columns = {"service_request_id": "Case", "requested_datetime": "Opened",
               "closed_datetime": "Closed", "service_name": "Type", "status": "Status",
               "channel": "Source"}
    if city.districts:
        columns["district"] = "Ward"
    if city.coordinates:
        columns.update({"lat": "Latitude", "long": "Longitude"})
    return {
        "name": f"{city.name} export (stress cohort)",
        "columns": columns,
        "datetime_format": "%m/%d/%Y %H:%M" if city.times else "%m/%d/%Y",
        "status_values": {"Open": "open", "Closed": "closed"},
        "channel_values": {"Phone": "phone", "Web": "web", "App": "mobile app"},
        "service_codes": {type_name(code): code for code in type_codes(city.types)},
    }


def city_file(city: StressCity) -> dict:
    """The city file: population, districts (with made-up demographics) and its source."""
    districts = list(city.districts) or DISTRICTS
    population = 8000 * len(districts)
    source = {"kind": "local", "path": f"../data/{city.id}.csv",
              "mapping": f"../data/{city.id}.mapping.yaml"}
    if city.as_of:
        source["as_of"] = city.as_of
    sources = {"service_requests": source}
    if city.boundaries:
        sources["district_boundaries"] = {"kind": "local", "path": f"../data/{city.id}.geojson",
                                          "name_property": "WARD_NAME"}
    return {
        "id": city.id, "name": city.name, "country": "United States", "language": "en",
        "population": population, "cohort": "stress", "fictional": True,
        "description": f"A stress-cohort fixture city: {city.why}.",
        "bounds": BOUNDS,
        "districts": [{"id": name, "name": name, "population": 8000,
                       "demographics": {"share_low_income": round(0.1 + 0.05 * number, 2),
                                        "share_renters": round(0.3 + 0.1 * number, 2)}}
                      for number, name in enumerate(districts)],
        "sources": sources,
        "priorities": ["Answer every request within its standard"],
        "service_standards": {code: TYPES.get(code, ("", 7))[1]
                              for code in type_codes(city.types)},
        **city.extra,
    }


def write_stress_cohort(folder: Path, cities=STRESS_CITIES) -> list[Path]:
    """Write each city's file (``cities/``) and export and mapping (``data/``) under
    ``folder``; return the city files."""
    (folder / "cities").mkdir(parents=True, exist_ok=True)
    (folder / "data").mkdir(parents=True, exist_ok=True)
    written = []
    for city in cities:
        export_rows(city).to_csv(folder / "data" / f"{city.id}.csv", index=False)
        if city.boundaries:
            (folder / "data" / f"{city.id}.geojson").write_text(json.dumps(boundaries(city)),
                                                               encoding="utf-8")
        (folder / "data" / f"{city.id}.mapping.yaml").write_text(
            yaml.safe_dump(mapping(city), sort_keys=False), encoding="utf-8")
        path = folder / "cities" / f"{city.id}.yaml"
        path.write_text(f"# {city.why}\n" + yaml.safe_dump(city_file(city), sort_keys=False),
                        encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_stress_cohort(Path(sys.argv[1])):
        print(path)
