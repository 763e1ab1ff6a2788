"""City files on disk: find them, read their YAML strictly, and build a :class:`City`.

A city file names the city, its country and language, its districts (with
population and demographics), where its data comes from, its priorities and its
service standards. Mistakes get a message that names the field, what was
expected, and the valid choices, because the person editing the file is often a
coach or an analyst, not a programmer (the field checks are in
:mod:`cda_lib.cities.validation`).

>>> city = load_city("riverbend")
>>> city.name, city.language
('Riverbend', 'en')
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from cda_lib.cities.city import COHORTS, LANGUAGES, City
from cda_lib.cities.validation import (
    OPTIONAL_FIELDS,
    REQUIRED_FIELDS,
    FieldChecker,
    parse_bounds,
    parse_districts,
    parse_sources,
    parse_standards,
    suggest_language,
)
from cda_lib.core import paths
from cda_lib.core.errors import CityFileError, UnknownCityError, did_you_mean, list_choices
from cda_lib.core.plain_yaml import PlainYamlLoader, YamlAliasRefused


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
            f"{did_you_mean(str(cohort), COHORTS)}"
        )
    return [city_id for city_id in ids if load_city(city_id).cohort == cohort]


def load_city(city: str | Path) -> City:
    """Read and validate a city file, by city id (``"riverbend"``) or by path."""
    path = _resolve_city_path(city)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CityFileError(
            f"The city file {path.name} is not saved as UTF-8 text, so letters such as "
            "á, ã or ñ cannot be read. Fix: open it in a text editor and save it again "
            "with the UTF-8 encoding."
        ) from None
    try:
        raw = yaml.load(text, Loader=_CityYamlLoader)  # safe: builds no Python objects
    except _CityYamlMistake as error:
        raise CityFileError(
            f"In {path.name}, near line {error.line}, {error.problem}. Fix: {error.fix}."
        ) from None
    except YamlAliasRefused as error:
        raise CityFileError(error.message(path.name, "city file")) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" near line {mark.line + 1}{_quote_line(text, mark.line)}" if mark else ""
        raise CityFileError(
            f"The city file {path.name} is not valid YAML{where}. "
            "Check the indentation (spaces, not tabs, lined up with the lines above) "
            "and that every 'name: value' pair has a colon."
        ) from None
    return parse_city(raw, source_name=path.name, path=path)


def _quote_line(text: str, index: int) -> str:
    lines = text.splitlines()
    if not 0 <= index < len(lines) or not lines[index].strip():
        return ""
    return f" ({lines[index].strip()[:60]!r})"


class _CityYamlMistake(yaml.YAMLError):
    """A mistake that plain YAML accepts or reports badly; carries a learner message."""

    def __init__(self, mark: yaml.Mark, problem: str, fix: str):
        super().__init__(problem)
        self.line = mark.line + 1
        self.problem = problem
        self.fix = fix


class _CityYamlLoader(PlainYamlLoader):
    """The safe loader without anchors or aliases, made strict where a mistake would pass.

    Plain YAML keeps only the last of two fields with the same name, and an impossible
    date such as 2025-02-30 stops it with a Python error rather than a YAML one.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        self.flatten_mapping(node)
        seen: set[Any] = set()
        for key_node, _value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise _CityYamlMistake(
                    key_node.start_mark, f"`{key}` appears twice in the same group",
                    f"keep one `{key}:` line and delete the other (YAML would silently "
                    "keep only the last one)",
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> dt.date | dt.datetime:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as error:
            raise _CityYamlMistake(
                node.start_mark, f'"{node.value}" is not a real date ({error})',
                "write a date that exists, as year-month-day (e.g. 2025-01-31)",
            ) from None


_CityYamlLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _CityYamlLoader.construct_yaml_timestamp
)


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
    check = FieldChecker(source_name)
    if not isinstance(raw, dict):
        raise CityFileError(
            f"{source_name} should hold 'name: value' fields (id, name, country, ...), "
            "but it is empty or holds a list. Start from a demo city file as a template."
        )
    check.known_fields(raw, REQUIRED_FIELDS + OPTIONAL_FIELDS, "")
    for name in REQUIRED_FIELDS:
        check.present(raw, name, "", needed=REQUIRED_FIELDS)
    city_id = check.text(raw["id"], "id")
    if path is not None and path.stem != city_id:
        check.fail("id", f'is "{city_id}" but the file is called {path.name}',
                   f'rename the file to {city_id}.yaml or set id to "{path.stem}", '
                   "so that the two match")
    language = check.choice(raw["language"], "language", list(LANGUAGES), labels=LANGUAGES,
                            suggestion=suggest_language(raw["language"]))
    cohort = check.choice(raw["cohort"], "cohort", list(COHORTS))
    population = check.count(raw["population"], "population", minimum=1)
    bounds = parse_bounds(raw["bounds"], check)
    districts = parse_districts(raw["districts"], population, check)
    sources = parse_sources(raw["sources"], check, tuple(d.id for d in districts))
    priorities = check.text_list(raw["priorities"], "priorities")
    standards = parse_standards(raw["service_standards"], check)
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
        description=check.optional_text(raw.get("description"), "description"),
        fictional=check.yes_no(raw.get("fictional", False), "fictional"),
        notes=check.optional_text(raw.get("notes"), "notes"),
        path=path,
    )
