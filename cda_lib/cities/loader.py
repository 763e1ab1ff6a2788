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
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cda_lib.cities.city import LANGUAGES, City
from cda_lib.cities.validation import (
    COHORT_LABEL_RULE,
    OPTIONAL_FIELDS,
    REQUIRED_FIELDS,
    FieldChecker,
    cohort_label_problem,
    parse_bounds,
    parse_cohort,
    parse_districts,
    parse_pilot,
    parse_sources,
    parse_standards,
    parse_time_zone,
    suggest_language,
    with_city_time_zone,
)
from cda_lib.core import paths
from cda_lib.core.errors import (
    CdaError,
    CityFileError,
    UnknownCityError,
    did_you_mean,
    list_choices,
)
from cda_lib.core.plain_yaml import PlainYamlLoader, YamlAliasRefused
from cda_lib.text.translation import gettext as _


def city_file_path(city_id: str) -> Path:
    """The path of the city file for ``city_id``: one named by ``CDA_CITY_FILES`` (a coach's
    own folder) if there is one, else the one in the workbook's cities folder."""
    for path in paths.extra_city_files():
        if path.stem == city_id:
            return path
    return paths.cities_dir() / f"{city_id}.yaml"


def city_files() -> list[Path]:
    """Every city file: the workbook's and those ``CDA_CITY_FILES`` names, sorted by id."""
    found = {p.stem: p for p in sorted(paths.cities_dir().glob("*.yaml"))}
    found.update({p.stem: p for p in paths.extra_city_files() if p.is_file()})
    return [found[city_id] for city_id in sorted(found)]


@dataclass(frozen=True)
class BrokenCityFile:
    """A city file that could not be read, with the message saying why. ``cohort`` is the
    cohort it names, when even that cannot be read None (it then belongs to every cohort:
    shown rather than silently left out)."""

    city_id: str
    path: Path
    message: str
    cohort: str | None = None

    def in_cohort(self, cohort: str | None) -> bool:
        return cohort is None or self.cohort is None or self.cohort == cohort


def read_city_files(cohort: str | None = None) -> tuple[list[City], list[BrokenCityFile]]:
    """Every readable city file (of ``cohort``, when given) and every broken one, so that
    one mistake in one file stops only that city."""
    if cohort is not None:
        check_cohort_label(cohort)
    cities: list[City] = []
    broken: list[BrokenCityFile] = []
    for path in city_files():
        try:
            city = load_city(path)
        except CdaError as error:
            problem = BrokenCityFile(Path(path).stem, Path(path), str(error),
                                     _cohort_named_in(Path(path)))
            if problem.in_cohort(cohort):
                broken.append(problem)
            continue
        if cohort is None or city.cohort == cohort:
            cities.append(city)
    return cities, broken


def list_city_ids(cohort: str | None = None) -> list[str]:
    """The ids of every readable city file, sorted; only one cohort's when ``cohort`` is
    given (a cohort no city file names is refused, with the cohorts there are)."""
    if cohort is None:
        return [path.stem for path in city_files()]
    check_cohort_label(cohort)
    cities, _broken = read_city_files()
    members = [city.id for city in cities if city.cohort == cohort]
    if not members:
        known = sorted({city.cohort for city in cities})
        raise CityFileError(_(
            'There is no cohort called "{cohort}": no city file names it. The cohorts are '
            "{cohorts}.{hint}", cohort=cohort, cohorts=list_choices(known),
            hint=did_you_mean(str(cohort), known)))
    return members


def check_cohort_label(cohort: str) -> None:
    """Refuse a cohort asked for by something that cannot be a cohort label (e.g. spaces)."""
    if cohort_label_problem(cohort) is not None:
        raise CityFileError(_(
            '"{cohort}" cannot be a cohort: a cohort label has {rule} (e.g. "2027-spring"); run '
            "`cda cities` to see each city's cohort.", cohort=cohort, rule=_(COHORT_LABEL_RULE)))


def city_files_setting(cities: Sequence[City], current: str | None = None) -> str:
    """``CDA_CITY_FILES`` naming these cities' files (then ``current``), so that notebooks,
    given only a city's id, read the very file the build read, wherever it is kept."""
    files = [str(city.path.resolve()) for city in cities if city.path is not None]
    return os.pathsep.join(files + ([current] if current else []))


def _cohort_named_in(path: Path) -> str | None:
    """The cohort a broken city file names on a `cohort:` line of its own, if it does (read
    as text: a file broken enough not to load is not given to the YAML parser again)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    found = re.search(r"^cohort:[ \t]*[\"']?([^\s\"'#]+)", text, flags=re.MULTILINE)
    if found is None or cohort_label_problem(found.group(1)) is not None:
        return None
    return found.group(1)


def load_city(city: str | Path) -> City:
    """Read and validate a city file, by city id (``"riverbend"``) or by path."""
    path = _resolve_city_path(city)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CityFileError(_(
            "The city file {name} is not saved as UTF-8 text, so letters such as á, ã or ñ "
            "cannot be read. Fix: open it in a text editor and save it again with the UTF-8 "
            "encoding.", name=path.name)) from None
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
        where = _(" near line {line}{quoted}", line=mark.line + 1,
                  quoted=_quote_line(text, mark.line)) if mark else ""
        raise CityFileError(_(
            "The city file {name} is not valid YAML{where}. Check the indentation (spaces, not "
            "tabs, lined up with the lines above) and that every 'name: value' pair has a "
            "colon.", name=path.name, where=where)) from None
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
            raise UnknownCityError(_("There is no city file at {path}. Check the path.",
                                     path=str(candidate)))
        return candidate
    path = city_file_path(str(city))
    if not path.exists():
        known = list_city_ids()
        raise UnknownCityError(_(
            'There is no city called "{city}".{hint} The cities are {cities}; run `cda cities` '
            "to see them with their cohorts.", city=city, hint=did_you_mean(str(city), known),
            cities=list_choices(known, limit=20)))
    return path


def parse_city(raw: Any, source_name: str = "the city file", path: Path | None = None) -> City:
    """Validate the parsed contents of a city file and build a :class:`City`."""
    check = FieldChecker(source_name)
    if not isinstance(raw, dict):
        raise CityFileError(_(
            "{name} should hold 'name: value' fields (id, name, country, ...), but it is empty "
            "or holds a list. Start from a demo city file as a template.", name=source_name))
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
    cohort = parse_cohort(raw["cohort"], check)
    population = check.count(raw["population"], "population", minimum=1)
    bounds = parse_bounds(raw["bounds"], check)
    districts = parse_districts(raw["districts"], population, check)
    time_zone = (parse_time_zone(raw["time_zone"], "time_zone", check)
                 if raw.get("time_zone") is not None else None)
    sources = with_city_time_zone(
        parse_sources(raw["sources"], check, tuple(d.id for d in districts)), time_zone, check)
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
        time_zone=time_zone,
        service_line_name=check.optional_text(raw.get("service_line"), "service_line"),
        pilot=parse_pilot(raw.get("pilot"), check, tuple(d.id for d in districts)),
        path=path,
    )
