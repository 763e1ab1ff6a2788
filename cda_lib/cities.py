"""City files: one YAML file per city, read into a validated :class:`City`.

A city file names the city, its country and language, its districts (with
population and demographics), where its data comes from, its priorities and its
service standards. Mistakes get a message that names the field, what was
expected, and the valid choices, because the person editing the file is often a
coach or an analyst, not a programmer.

>>> city = load_city("riverbend")
>>> city.name, city.language
('Riverbend', 'en')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cda_lib import paths
from cda_lib.errors import CityFileError, UnknownCityError, did_you_mean, list_choices

LANGUAGES = {"en": "English", "es": "Spanish", "pt": "Portuguese"}
COHORTS = ("demo", "alliance")
SOURCE_KINDS = ("synthetic", "local")
REQUIRED_FIELDS = (
    "id", "name", "country", "language", "population", "cohort", "bounds",
    "districts", "sources", "priorities", "service_standards",
)
OPTIONAL_FIELDS = ("description", "fictional", "notes")
# A city's districts may leave people out (unassigned areas) but cannot hold more
# people than the city: allow 2% for rounding in published tables.
DISTRICT_POPULATION_SLACK = 0.02


@dataclass(frozen=True)
class District:
    """One district (ward, neighborhood, council district) of a city."""

    id: str
    name: str
    population: int
    demographics: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Bounds:
    """The city's bounding box in WGS84 degrees, used to spot misplaced coordinates."""

    south: float
    west: float
    north: float
    east: float

    def contains(self, lat: float, long: float) -> bool:
        """True when the point lies inside the box."""
        return self.south <= lat <= self.north and self.west <= long <= self.east


@dataclass(frozen=True)
class DataSource:
    """Where one of the city's tables comes from, and how to read it."""

    table: str
    kind: str
    options: dict[str, Any]

    @property
    def is_synthetic(self) -> bool:
        return self.kind == "synthetic"


@dataclass(frozen=True)
class City:
    """A validated city file."""

    id: str
    name: str
    country: str
    language: str
    population: int
    cohort: str
    bounds: Bounds
    districts: tuple[District, ...]
    sources: dict[str, DataSource]
    priorities: tuple[str, ...]
    service_standards: dict[str, float]
    description: str = ""
    fictional: bool = False
    notes: str = ""
    path: Path | None = None

    @property
    def language_name(self) -> str:
        return LANGUAGES[self.language]

    @property
    def uses_synthetic_data(self) -> bool:
        """True when any table this city's notebooks read is generated, not real."""
        return any(source.is_synthetic for source in self.sources.values())

    def district_names(self) -> list[str]:
        return [d.name for d in self.districts]

    def districts_table(self):
        """The canonical ``districts`` table: id, name, population and demographics."""
        import pandas as pd

        rows = [
            {"district_id": d.id, "district": d.name, "population": d.population, **d.demographics}
            for d in self.districts
        ]
        table = pd.DataFrame(rows)
        table["district_id"] = table["district_id"].astype("string")
        table["district"] = table["district"].astype("string")
        table["population"] = table["population"].astype("int64")
        return table


def city_file_path(city_id: str) -> Path:
    """The path of the city file for ``city_id`` in the workbook's cities folder."""
    return paths.cities_dir() / f"{city_id}.yaml"


def list_city_ids(cohort: str | None = None) -> list[str]:
    """The ids of every city file, sorted; only one cohort's when ``cohort`` is given."""
    ids = sorted(p.stem for p in paths.cities_dir().glob("*.yaml"))
    if cohort is None:
        return ids
    if cohort not in COHORTS:
        raise CityFileError(
            f'There is no cohort called "{cohort}". The cohorts are {list_choices(COHORTS)}.'
        )
    return [city_id for city_id in ids if load_city(city_id).cohort == cohort]


def load_city(city: str | Path) -> City:
    """Read and validate a city file, by city id (``"riverbend"``) or by path."""
    path = _resolve_city_path(city)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" near line {mark.line + 1}" if mark is not None else ""
        raise CityFileError(
            f"The city file {path.name} is not valid YAML{where}. "
            "Check the indentation and that every 'name: value' pair has a colon."
        ) from None
    return parse_city(raw, source_name=path.name, path=path)


def _resolve_city_path(city: str | Path) -> Path:
    candidate = Path(city)
    if candidate.suffix in {".yaml", ".yml"} or candidate.exists():
        if not candidate.exists():
            raise UnknownCityError(f"There is no city file at {candidate}. Check the path.")
        return candidate
    path = city_file_path(str(city))
    if not path.exists():
        known = list_city_ids()
        raise UnknownCityError(
            f'There is no city called "{city}".{did_you_mean(str(city), known)} '
            f"The cities are {list_choices(known, limit=20)}; "
            "run `cda cities` to see them with their cohorts."
        )
    return path


def parse_city(raw: Any, source_name: str = "the city file", path: Path | None = None) -> City:
    """Validate the parsed contents of a city file and build a :class:`City`."""
    check = _Checker(source_name)
    if not isinstance(raw, dict):
        raise CityFileError(
            f"{source_name} should hold 'name: value' fields (id, name, country, ...), "
            "but it is empty or holds a list. Start from a demo city file as a template."
        )
    check.known_fields(raw, REQUIRED_FIELDS + OPTIONAL_FIELDS, "")
    for name in REQUIRED_FIELDS:
        check.present(raw, name, "")
    city_id = check.text(raw["id"], "id")
    if path is not None and path.stem != city_id:
        check.fail("id", f'is "{city_id}" but the file is called {path.name}',
                   f'make them match: rename the file to {city_id}.yaml or set id to "{path.stem}"')
    language = check.choice(raw["language"], "language", list(LANGUAGES))
    cohort = check.choice(raw["cohort"], "cohort", list(COHORTS))
    population = check.count(raw["population"], "population", minimum=1)
    bounds = _parse_bounds(raw["bounds"], check)
    districts = _parse_districts(raw["districts"], population, check)
    sources = _parse_sources(raw["sources"], check)
    priorities = check.text_list(raw["priorities"], "priorities")
    standards = _parse_standards(raw["service_standards"], check)
    return City(
        id=city_id,
        name=check.text(raw["name"], "name"),
        country=check.text(raw["country"], "country"),
        language=language,
        population=population,
        cohort=cohort,
        bounds=bounds,
        districts=districts,
        sources=sources,
        priorities=priorities,
        service_standards=standards,
        description=str(raw.get("description") or "").strip(),
        fictional=bool(raw.get("fictional", False)),
        notes=str(raw.get("notes") or "").strip(),
        path=path,
    )


def _parse_bounds(raw: Any, check: _Checker) -> Bounds:
    check.mapping(raw, "bounds", "south, west, north and east in degrees")
    sides = ("south", "west", "north", "east")
    check.known_fields(raw, sides, "bounds")
    values = {}
    for side in sides:
        check.present(raw, side, "bounds")
        limit = 90 if side in ("south", "north") else 180
        values[side] = check.number(raw[side], f"bounds.{side}", -limit, limit)
    if values["south"] >= values["north"] or values["west"] >= values["east"]:
        check.fail("bounds", "has south above north or west east of east",
                   "south must be smaller than north and west smaller than east")
    return Bounds(**values)


def _parse_districts(raw: Any, city_population: int, check: _Checker) -> tuple[District, ...]:
    if not isinstance(raw, list) or not raw:
        check.fail("districts", "is empty or not a list",
                   "list at least one district, each with id, name, population and demographics")
    districts = []
    for index, item in enumerate(raw):
        where = f"districts[{index + 1}]"
        check.mapping(item, where, "id, name, population and demographics")
        check.known_fields(item, ("id", "name", "population", "demographics"), where)
        for name in ("id", "name", "population"):
            check.present(item, name, where)
        demographics = item.get("demographics") or {}
        check.mapping(demographics, f"{where}.demographics", "numbers such as share_renters")
        districts.append(District(
            id=check.text(item["id"], f"{where}.id"),
            name=check.text(item["name"], f"{where}.name"),
            population=check.count(item["population"], f"{where}.population", minimum=0),
            demographics={
                key: _demographic(value, f"{where}.demographics.{key}", key, check)
                for key, value in demographics.items()
            },
        ))
    check.unique([d.id for d in districts], "districts", "id")
    check.unique([d.name for d in districts], "districts", "name")
    fields = set(districts[0].demographics)
    for index, district in enumerate(districts):
        if set(district.demographics) != fields:
            differ = sorted(fields.symmetric_difference(district.demographics))
            check.fail(f"districts[{index + 1}].demographics",
                       f"has different fields from the first district ({', '.join(differ)})",
                       "give every district the same demographic fields so they can be compared")
    total = sum(d.population for d in districts)
    if total > city_population * (1 + DISTRICT_POPULATION_SLACK):
        check.fail("districts", f"add up to {total:,} residents, more than the city's "
                   f"population of {city_population:,}",
                   "check the district populations and the city population")
    return tuple(districts)


def _demographic(value: Any, where: str, key: str, check: _Checker) -> float:
    if key.startswith("share_"):
        return check.number(value, where, 0, 1, hint="a share between 0 and 1, e.g. 0.35 for 35%")
    return check.number(value, where, 0, None)


def _parse_sources(raw: Any, check: _Checker) -> dict[str, DataSource]:
    check.mapping(raw, "sources", "one entry per table, e.g. service_requests")
    if "service_requests" not in raw:
        check.fail("sources", "has no service_requests entry",
                   "add sources.service_requests with kind: synthetic or kind: local")
    sources = {}
    for table, options in raw.items():
        where = f"sources.{table}"
        check.mapping(options, where, "kind and its options")
        check.present(options, "kind", where)
        kind = check.choice(options["kind"], f"{where}.kind", list(SOURCE_KINDS))
        rest = {k: v for k, v in options.items() if k != "kind"}
        if kind == "synthetic":
            check.known_fields(rest, ("seed", "start", "end", "requests_per_1000_per_year"), where)
            for name in ("seed", "start", "end"):
                check.present(rest, name, where)
            check.count(rest["seed"], f"{where}.seed", minimum=0)
            start = check.date(rest["start"], f"{where}.start")
            end = check.date(rest["end"], f"{where}.end")
            if end <= start:
                check.fail(f"{where}.end", "is not after start", "set end later than start")
        else:
            check.known_fields(rest, ("path", "mapping", "as_of"), where)
            for name in ("path", "mapping"):
                check.present(rest, name, where)
        sources[str(table)] = DataSource(table=str(table), kind=kind, options=rest)
    return sources


def _parse_standards(raw: Any, check: _Checker) -> dict[str, float]:
    check.mapping(raw, "service_standards", "request type codes with target days, e.g. POTHOLE: 5")
    return {
        str(code): check.number(days, f"service_standards.{code}", 0, 365,
                                hint="a number of days between 0 and 365")
        for code, days in raw.items()
    }


class _Checker:
    """Small validation helpers that raise a :class:`CityFileError` naming the field."""

    def __init__(self, source_name: str):
        self.source_name = source_name

    def fail(self, where: str, problem: str, fix: str):
        raise CityFileError(f"In {self.source_name}, `{where}` {problem}. Fix: {fix}.")

    def present(self, raw: dict, name: str, parent: str) -> None:
        if name not in raw or raw[name] is None:
            where = f"{parent}.{name}" if parent else name
            self.fail(where, "is missing", f"add `{name}:` to {parent or 'the file'}")

    def known_fields(self, raw: dict, allowed: tuple[str, ...], parent: str) -> None:
        for name in raw:
            if name not in allowed:
                where = f"{parent}.{name}" if parent else str(name)
                self.fail(where, "is not a field the workbook knows",
                          f"remove it or correct the spelling.{did_you_mean(str(name), allowed)} "
                          f"The fields here are {list_choices(allowed, limit=20)}")

    def mapping(self, raw: Any, where: str, expected: str) -> None:
        if not isinstance(raw, dict):
            self.fail(where, f"should hold named fields ({expected}), not {_describe(raw)}",
                      "indent the fields under it as 'name: value' lines")

    def text(self, raw: Any, where: str) -> str:
        if not isinstance(raw, (str, int)) or isinstance(raw, bool) or not str(raw).strip():
            self.fail(where, f"should be some text, not {_describe(raw)}", "write a short text")
        return str(raw).strip()

    def text_list(self, raw: Any, where: str) -> tuple[str, ...]:
        if not isinstance(raw, list) or not raw:
            self.fail(where, f"should be a list of texts, not {_describe(raw)}",
                      "write one '- item' line per entry")
        return tuple(self.text(item, f"{where}[{i + 1}]") for i, item in enumerate(raw))

    def choice(self, raw: Any, where: str, choices: list[str]) -> str:
        if raw not in choices:
            self.fail(where, f"is {_describe(raw)}, which is not one of the choices",
                      f"use one of {list_choices(choices)}.{did_you_mean(str(raw), choices)}")
        return raw

    def number(self, raw: Any, where: str, low: float | None, high: float | None,
               hint: str = "a number") -> float:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            self.fail(where, f"should be a number, not {_describe(raw)}", f"write {hint}")
        if (low is not None and raw < low) or (high is not None and raw > high):
            bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
            self.fail(where, f"is {raw}, outside the range {bounds}", f"write {hint}")
        return float(raw)

    def count(self, raw: Any, where: str, minimum: int) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < minimum:
            self.fail(where, f"should be a whole number of at least {minimum}, not {_describe(raw)}",
                      "write digits only, without commas or spaces (e.g. 250000)")
        return int(raw)

    def date(self, raw: Any, where: str) -> dt.date:
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(str(raw))
        except ValueError:
            self.fail(where, f"should be a date like 2025-01-31, not {_describe(raw)}",
                      "write the date as year-month-day")

    def unique(self, values: list[str], where: str, what: str) -> None:
        seen = set()
        for value in values:
            if value in seen:
                self.fail(where, f'use the {what} "{value}" twice', f"give each district its own {what}")
            seen.add(value)


def _describe(raw: Any) -> str:
    if raw is None:
        return "empty"
    if isinstance(raw, str):
        return f'"{raw}"'
    if isinstance(raw, dict):
        return "a group of fields"
    if isinstance(raw, list):
        return "a list"
    return repr(raw)
