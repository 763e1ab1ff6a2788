"""The city file's field checks: every field read, checked and tidied, or a message.

Each check raises a :class:`~cda_lib.core.errors.CityFileError` that names the field,
says what was expected and how to fix it, with the valid choices, because the person
editing a city file is often a coach or an analyst, not a programmer. The portal
sources' options (:mod:`cda_lib.sources.portal`) and the Census options are checked
here too, so a mistake is found when the file is read, not halfway through a download.
"""

from __future__ import annotations

import difflib
import re
from typing import Any, NoReturn

from cda_lib.cities.census_options import DATASETS, GEOGRAPHIES
from cda_lib.cities.city import LANGUAGES, Bounds, DataSource, District
from cda_lib.cities.field_checks import FieldChecker, describe_value
from cda_lib.core.errors import did_you_mean, list_choices
from cda_lib.text.dates import format_list
from cda_lib.text.translation import N_, gettext as _

# How people write a language when they do not know the code: English and native
# names, with and without accents. Used only to suggest the right code.
LANGUAGE_SPELLINGS = {
    "en": ("english", "inglés", "ingles", "inglês"),
    "es": ("spanish", "español", "espanol", "castellano", "espanhol"),
    "pt": ("portuguese", "português", "portugues", "portugués"),
}
SOURCE_KINDS = ("synthetic", "local", "socrata", "arcgis", "ckan", "census_acs", "dcat")
# sources.catalog, the city's data catalog (page 2.2): a data.json address or a CKAN portal.
CATALOG_KINDS = ("dcat", "ckan")
CATALOG_OPTIONS = ("url", "token_env", "page_size", "timeout_seconds", "refresh_days")
# The options each portal kind reads (cda_lib.sources.portal), and those it cannot do without.
PORTAL_WINDOW_OPTIONS = ("where_date_column", "start", "end", "where")
PORTAL_COMMON_OPTIONS = ("page_size", "timeout_seconds", "refresh_days")
PORTAL_OPTIONS = {
    "socrata": ("url", "dataset", "mapping", "token_env", "order", "format",
                *PORTAL_WINDOW_OPTIONS, *PORTAL_COMMON_OPTIONS),
    "arcgis": ("url", "mapping", "order_by", "time_zone", *PORTAL_WINDOW_OPTIONS,
               *PORTAL_COMMON_OPTIONS),
    "ckan": ("url", "resource_id", "mapping", "token_env", "filters", "sort",
             *PORTAL_COMMON_OPTIONS),
    "census_acs": ("year", "variables", "geography", "within", "districts", "shares",
                   "dataset", "key_env", "url", "timeout_seconds", "refresh_days"),
}
PORTAL_REQUIRED = {
    "socrata": ("url", "dataset", "mapping"),
    "arcgis": ("url", "mapping"),
    "ckan": ("url", "resource_id", "mapping"),
    "census_acs": ("year", "variables", "within", "districts"),
}
# Field names people use when they paste a secret into a city file, which is shared
# with every copy of the workbook: the message points them to an environment variable.
SECRET_FIELDS = ("token", "app_token", "api_key", "key", "password", "secret", "apikey")
REQUIRED_FIELDS = (
    "id", "name", "country", "language", "population", "cohort", "bounds",
    "districts", "sources", "priorities", "service_standards",
)
OPTIONAL_FIELDS = ("description", "fictional", "notes", "time_zone", "service_line", "pilot")
# A cohort is a label the coach chooses ("demo", "alliance", "2027-spring"): short enough
# for the summary table and made of characters that are safe in a command line and a URL.
COHORT_LABEL = re.compile(r"[A-Za-z0-9_-]{1,40}")
COHORT_LABEL_RULE = N_("letters, digits, - and _ only, at most 40 of them")
# A city's districts may leave people out (unassigned areas) but cannot hold more
# people than the city: allow 2% for rounding in published tables.
DISTRICT_POPULATION_SLACK = 0.02


def cohort_label_problem(raw: Any) -> str | None:
    """Why ``raw`` cannot be a cohort label (see ``COHORT_LABEL``), or None when it can."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        return _("should be a short label, not {value}", value=describe_value(raw))
    if not COHORT_LABEL.fullmatch(str(raw)):
        return _('is "{value}", which is not a cohort label', value=raw)
    return None


def parse_cohort(raw: Any, check: FieldChecker) -> str:
    """The city's cohort: any label the coach chooses, made of ``COHORT_LABEL_RULE``."""
    problem = cohort_label_problem(raw)
    if problem is not None:
        suggestion = re.sub(r"[^A-Za-z0-9_-]+", "-", str(raw).strip()).strip("-")[:40]
        example = suggestion if COHORT_LABEL.fullmatch(suggestion) else "2027-spring"
        check.fail("cohort", problem, _('write a label of {rule}, such as "{example}"',
                                        rule=_(COHORT_LABEL_RULE), example=example))
    return str(raw)


def parse_bounds(raw: Any, check: FieldChecker) -> Bounds:
    check.mapping(raw, "bounds", _("south, west, north and east in degrees"))
    sides = ("south", "west", "north", "east")
    check.known_fields(raw, sides, "bounds")
    values = {}
    for side in sides:
        check.present(raw, side, "bounds")
        limit = 90 if side in ("south", "north") else 180
        values[side] = check.number(raw[side], f"bounds.{side}", -limit, limit)
    for low, high in (("south", "north"), ("west", "east")):
        if values[low] >= values[high]:
            check.fail("bounds", _("has {low} {low_value:g}, which is not smaller than {high} "
                                   "{high_value:g}", low=low, low_value=values[low], high=high,
                                   high_value=values[high]),
                       _("swap them, or check the signs: {low} must be smaller than {high} (west "
                         "of Greenwich and south of the equator are negative)", low=low,
                         high=high))
    return Bounds(**values)


def parse_districts(raw: Any, city_population: int, check: FieldChecker) -> tuple[District, ...]:
    if not isinstance(raw, list) or not raw:
        check.fail("districts", _("is empty or not a list"),
                   _("list at least one district, each with id, name, population and "
                     "demographics"))
    districts = []
    for index, item in enumerate(raw):
        where = f"districts[{index + 1}]"
        check.mapping(item, where, _("id, name, population and demographics"))
        check.known_fields(item, ("id", "name", "population", "demographics"), where)
        for name in ("id", "name", "population"):
            check.present(item, name, where)
        demographics = item.get("demographics") or {}
        check.mapping(demographics, f"{where}.demographics", _("numbers such as share_renters"))
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
    fields = list(districts[0].demographics)
    for index, district in enumerate(districts):
        if set(district.demographics) != set(fields):
            _fail_mismatched_demographics(district, index, fields, check)
    total = sum(d.population for d in districts)
    if total > city_population * (1 + DISTRICT_POPULATION_SLACK):
        check.fail("districts", _("add up to {total:,} residents, more than the city's "
                                  "population of {population:,}", total=total,
                                  population=city_population),
                   _("check the district populations and the city population"))
    return tuple(districts)


def _fail_mismatched_demographics(
    district: District, index: int, fields: list[str], check: FieldChecker
) -> NoReturn:
    missing = [name for name in fields if name not in district.demographics]
    extra = [name for name in district.demographics if name not in fields]
    problems = []
    if missing:
        problems.append(_("lacks {fields}", fields=list_choices(missing)))
    if extra:
        problems.append(_("has {fields}, which the first district does not have",
                          fields=list_choices(extra)))
    suggestion = did_you_mean(extra[0], missing) if extra and missing else ""
    check.fail(f"districts[{index + 1}].demographics",
               f"({district.name}) {format_list(problems)}",
               _("give every district the same fields ({fields}) so they can be compared.{hint}",
                 fields=list_choices(fields), hint=suggestion))


def _demographic(value: Any, where: str, key: str, check: FieldChecker) -> float:
    if key.startswith("share_"):
        hint = _("a share between 0 and 1, e.g. 0.35 for 35%")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 < value <= 100:
            hint = _("a share between 0 and 1: for {percent}% write {share}",
                     percent=format(value, "g"), share=format(value / 100, "g"))  # as YAML writes
        return check.number(value, where, 0, 1, hint=hint)
    return check.number(value, where, 0, None)


def suggest_language(raw: Any) -> str | None:
    """The language code someone probably meant: "sp" → "es", "English" → "en", "pt-BR" → "pt".

    >>> suggest_language("english"), suggest_language("sp"), suggest_language("pt-BR")
    ('en', 'es', 'pt')
    """
    text = str(raw).strip().lower().replace("_", "-").split("-")[0]
    if text in LANGUAGES:
        return text
    spellings = {name: code for code, names in LANGUAGE_SPELLINGS.items() for name in names}
    if len(text) >= 2:  # one letter could be anything
        for name, code in spellings.items():
            if name.startswith(text):
                return code
    close = difflib.get_close_matches(text, list(spellings), n=1, cutoff=0.75)
    return spellings[close[0]] if close else None


def parse_sources(raw: Any, check: FieldChecker,
                   district_ids: tuple[str, ...] = ()) -> dict[str, DataSource]:
    check.mapping(raw, "sources", _("one entry per table, e.g. service_requests"))
    if "service_requests" not in raw:
        check.fail("sources", _("has no service_requests entry"),
                   _("add sources.service_requests with kind: synthetic or kind: local.{hint}",
                     hint=did_you_mean("service_requests", map(str, raw))))
    sources = {}
    for table, options in raw.items():
        where = f"sources.{table}"
        check.mapping(options, where, _("kind and its options"))
        check.present(options, "kind", where)
        kind = check.choice(options["kind"], f"{where}.kind", list(SOURCE_KINDS))
        rest = {k: v for k, v in options.items() if k != "kind"}
        if str(table) == "catalog" or kind == "dcat":
            rest = _parse_catalog_options(str(table), kind, rest, check)
        elif str(table) == "stakeholders":
            rest = _parse_stakeholder_options(kind, rest, check)
        elif str(table) == "district_boundaries":
            rest = _parse_boundaries_options(kind, rest, check)
        elif kind == "synthetic":
            check.known_fields(rest, ("seed", "start", "end", "requests_per_1000_per_year"), where)
            for name in ("seed", "start", "end"):
                check.present(rest, name, where)
            check.count(rest["seed"], f"{where}.seed", minimum=0)
            if "requests_per_1000_per_year" in rest:
                check.number(rest["requests_per_1000_per_year"],
                             f"{where}.requests_per_1000_per_year", 0, None)
            start = check.date(rest["start"], f"{where}.start")
            end = check.date(rest["end"], f"{where}.end")
            if end <= start:
                check.fail(f"{where}.end", _("is {end}, which is not after start ({start})",
                                             end=end.isoformat(), start=start.isoformat()),
                           _("set end to a later date than start, or swap the two dates"))
        elif kind == "local":
            check.known_fields(rest, ("path", "mapping", "as_of"), where)
            for name in ("path", "mapping"):
                check.present(rest, name, where)
                check.text(rest[name], f"{where}.{name}")
        else:
            rest = _parse_portal_options(str(table), kind, rest, check, district_ids)
        sources[str(table)] = DataSource(table=str(table), kind=kind, options=rest)
    return sources


def _parse_portal_options(table: str, kind: str, options: dict, check: FieldChecker,
                          district_ids: tuple[str, ...]) -> dict:
    """Check a portal source's options (see cda_lib.sources.portal); return them, tidied."""
    where = f"sources.{table}"
    if (kind == "census_acs") != (table == "demographics"):
        check.fail(f"{where}.kind", _('is "{kind}", which cannot feed the {table} table',
                                      kind=kind, table=table),
                   _("use kind: census_acs under sources.demographics only, and socrata, "
                     "arcgis, ckan, local or synthetic for service_requests"))
    for name in options:
        if str(name).lower() in SECRET_FIELDS:
            variable = "key_env" if kind == "census_acs" else "token_env"
            check.fail(f"{where}.{name}", _("would write a secret into the city file, which "
                                            "is shared with every copy of the workbook"),
                       _("delete that line, put the value in an environment variable (e.g. "
                         "CITY_PORTAL_TOKEN) and write `{variable}: CITY_PORTAL_TOKEN` instead",
                         variable=variable))
    check.known_fields(options, PORTAL_OPTIONS[kind], where)
    for name in (*PORTAL_REQUIRED[kind], *options):  # a field left empty is a mistake too
        check.present(options, name, where)
    tidy = dict(options)
    if "url" in options:
        tidy["url"] = _portal_url(options["url"], kind, f"{where}.url", check)
    for name in ("token_env", "key_env"):
        if name in options:
            _environment_variable_name(options[name], f"{where}.{name}", check)
    for name in ("mapping", "order", "order_by", "sort", "where", "where_date_column"):
        if name in options:
            tidy[name] = check.text(options[name], f"{where}.{name}")
    if kind == "socrata":
        tidy["dataset"] = check.text(options["dataset"], f"{where}.dataset")
        if not re.fullmatch(r"[a-z0-9]{4}-[a-z0-9]{4}", tidy["dataset"]):
            check.fail(f"{where}.dataset", _('is "{value}", which is not a Socrata dataset id',
                                             value=tidy["dataset"]),
                       _("copy the id from the dataset's address: four letters or digits, a "
                         "dash, four more (e.g. erm2-nwe9)"))
        if "format" in options:
            tidy["format"] = check.choice(options["format"], f"{where}.format", ["json", "csv"])
    if kind == "ckan":
        tidy["resource_id"] = check.text(options["resource_id"], f"{where}.resource_id")
        if "filters" in options:
            check.mapping(options["filters"], f"{where}.filters", _("column: value pairs"))
    if kind == "arcgis" and "time_zone" in options:
        tidy["time_zone"] = parse_time_zone(options["time_zone"], f"{where}.time_zone", check)
    _check_window(options, where, check)
    for name, low, high in (("page_size", 1, None), ("timeout_seconds", 1, 3600),
                            ("refresh_days", 0, None)):
        if name in options:
            if name == "page_size":
                check.count(options[name], f"{where}.{name}", minimum=1)
            else:
                check.number(options[name], f"{where}.{name}", low, high)
    if kind == "census_acs":
        _check_census(tidy, where, check, district_ids)
    return tidy


def _parse_stakeholder_options(kind: str, options: dict, check: FieldChecker) -> dict:
    """Check sources.stakeholders: ``kind: local`` and the ``path`` of a CSV file (page 3.1;
    its columns: cda_lib.sources.stakeholders)."""
    where = "sources.stakeholders"
    if kind != "local":
        check.fail(f"{where}.kind", _('is "{kind}", which cannot feed the stakeholders table',
                                      kind=kind),
                   _("use kind: local with the path of a CSV file of stakeholders"))
    check.known_fields(options, ("path",), where)
    check.present(options, "path", where)
    return {"path": check.text(options["path"], f"{where}.path")}


def _parse_boundaries_options(kind: str, options: dict, check: FieldChecker) -> dict:
    """Check sources.district_boundaries: ``kind: local``, the ``path`` of a GeoJSON file and,
    optionally, the ``name_property`` that holds each district's name (page 3.3's map; see
    cda_lib.sources.geojson)."""
    where = "sources.district_boundaries"
    if kind != "local":
        check.fail(f"{where}.kind", _('is "{kind}", which cannot feed the {table} table',
                                      kind=kind, table="district_boundaries"),
                   _("use kind: local with the path of a GeoJSON file of the districts"))
    check.known_fields(options, ("path", "name_property"), where)
    check.present(options, "path", where)
    parsed = {"path": check.text(options["path"], f"{where}.path")}
    if "name_property" in options:
        parsed["name_property"] = check.text(options["name_property"], f"{where}.name_property")
    return parsed


def _parse_catalog_options(table: str, kind: str, options: dict, check: FieldChecker) -> dict:
    """Check sources.catalog: ``kind: dcat`` with the address of a data.json file, or
    ``kind: ckan`` with a CKAN portal's address (see cda_lib.sources.catalog)."""
    where = f"sources.{table}"
    if table != "catalog":
        check.fail(f"{where}.kind", _('is "{kind}", which cannot feed the {table} table',
                                      kind=kind, table=table),
                   _("use kind: dcat under sources.catalog only"))
    if kind not in CATALOG_KINDS:
        check.fail(f"{where}.kind", _('is "{kind}", which cannot feed the catalog', kind=kind),
                   _("use kind: dcat with the address of the city's data.json, or kind: ckan "
                     "with the address of its CKAN portal"))
    check.known_fields(options, CATALOG_OPTIONS, where)
    check.present(options, "url", where)
    for name in options:
        check.present(options, name, where)
    tidy = dict(options)
    url = check.text(options["url"], f"{where}.url").rstrip("/")
    if not re.match(r"https?://[^/\s]+", url):
        check.fail(f"{where}.url", _('is "{url}", which is not a web address', url=url),
                   _("write the catalog's address starting with https://"))
    if kind == "dcat" and not url.endswith(".json"):
        check.fail(f"{where}.url", _("is not the address of a data.json file"),
                   _("write the full address of the catalog file, e.g. "
                     "https://data.city.gov/data.json"))
    if kind == "ckan" and "/api/" in url:
        check.fail(f"{where}.url", _("holds an API address, not the portal's"),
                   _("write url: {url}", url=url.split("/api/")[0]))
    tidy["url"] = url
    if "token_env" in options:
        _environment_variable_name(options["token_env"], f"{where}.token_env", check)
    if "page_size" in options:
        check.count(options["page_size"], f"{where}.page_size", minimum=1)
    for name, low, high in (("timeout_seconds", 1, 3600), ("refresh_days", 0, None)):
        if name in options:
            check.number(options[name], f"{where}.{name}", low, high)
    return tidy


def _portal_url(raw: Any, kind: str, where: str, check: FieldChecker) -> str:
    url = check.text(raw, where).rstrip("/")
    if not re.match(r"https?://[^/\s]+", url):
        check.fail(where, _('is "{url}", which is not a web address', url=url),
                   _("write the portal's address starting with https://"))
    if kind == "socrata" and "/resource/" in url:
        dataset = url.split("/resource/")[1].split(".")[0]
        check.fail(where, _("holds a dataset's address, not the portal's"),
                   _("write url: {url} and dataset: {dataset}",
                     url=url.split("/resource/")[0], dataset=dataset))
    if kind == "arcgis":
        layer = re.sub(r"/query$", "", url)
        if not re.search(r"/(FeatureServer|MapServer)/\d+$", layer):
            check.fail(where, _("does not end with a layer number"),
                       _("open the service in a browser, pick the layer, and copy its address, "
                         "which ends like .../FeatureServer/0"))
        return layer
    return url


def _environment_variable_name(raw: Any, where: str, check: FieldChecker) -> None:
    if not isinstance(raw, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", raw):
        # The value is not repeated: it may be the secret itself, pasted by mistake.
        check.fail(where, _("should be the name of an environment variable (letters, digits "
                            "and _), not the token itself"),
                   _("write a name such as CITY_PORTAL_TOKEN, and set that variable to the "
                     "token before starting"))


def parse_time_zone(raw: Any, where: str, check: FieldChecker) -> str:
    """An IANA time zone name (``America/Bogota``): the city's, or an ArcGIS source's."""
    import zoneinfo

    zone = check.text(raw, where)
    zones = zoneinfo.available_timezones()
    if zone not in zones:
        check.fail(where, _('is "{zone}", which is not a time zone name', zone=zone),
                   _("write one like America/New_York.{hint}",
                     hint=did_you_mean(zone, sorted(zones))))
    return zone


def with_city_time_zone(sources: dict[str, DataSource], time_zone: str | None,
                        check: FieldChecker) -> dict[str, DataSource]:
    """The city's ``time_zone`` given to its ArcGIS sources too: one time zone per city.

    An ArcGIS source's own ``time_zone`` (written before the city had one) may stay, but
    it cannot name another zone than the city's.
    """
    if time_zone is None:
        return sources
    tidy = {}
    for table, source in sources.items():
        if source.kind == "arcgis":
            own = source.options.get("time_zone", time_zone)
            if own != time_zone:
                check.fail(f"sources.{table}.time_zone",
                           _('is "{own}", but the city\'s time_zone is "{zone}"', own=own,
                             zone=time_zone),
                           _("write the time zone once, at the top of the city file, and "
                             "remove this one"))
            source = DataSource(source.table, source.kind,
                                {**source.options, "time_zone": time_zone})
        tidy[table] = source
    return tidy


def _check_window(options: dict, where: str, check: FieldChecker) -> None:
    days = {name: check.date(options[name], f"{where}.{name}")
            for name in ("start", "end") if name in options}
    if days and "where_date_column" not in options:
        check.fail(f"{where}.{next(iter(days))}", _("needs the column to filter on"),
                   _("add `where_date_column:` with the name of the date column the portal "
                     "uses for when a request was opened"))
    if len(days) == 2 and days["end"] < days["start"]:
        check.fail(f"{where}.end", _("is {end}, which is before start ({start})",
                                     end=days["end"].isoformat(),
                                     start=days["start"].isoformat()),
                   _("swap the two dates"))


def _check_census(options: dict, where: str, check: FieldChecker,
                  district_ids: tuple[str, ...]) -> None:
    year = check.count(options["year"], f"{where}.year", minimum=2009)  # ACS 5-year began 2009
    options["year"] = year
    if "dataset" in options:
        check.choice(options["dataset"], f"{where}.dataset", list(DATASETS))
    if "geography" in options:
        check.choice(options["geography"], f"{where}.geography", list(GEOGRAPHIES))
    check.mapping(options["within"], f"{where}.within", _('codes such as state: "36"'))
    for name, code in options["within"].items():
        _census_code(code, f"{where}.within.{name}", check)
    variables = options["variables"]
    check.mapping(variables, f"{where}.variables", _("names with ACS codes, e.g. population: "
                                                     "B01003_001"))
    for name, code in variables.items():
        text = check.text(code, f"{where}.variables.{name}")
        if re.fullmatch(r"[A-Z]\d{5}[A-Z]{0,2}_\d{3}[EM]", text):
            check.fail(f"{where}.variables.{name}", _('is "{code}", with the E or M ending',
                                                      code=text),
                       _("write {code}: the workbook asks for the estimate (E) and its margin of "
                         "error (M) itself", code=text[:-1]))
        if not re.fullmatch(r"[A-Z]\d{5}[A-Z]{0,2}_\d{3}", text):
            check.fail(f"{where}.variables.{name}", _('is "{code}", which is not an ACS '
                                                      "variable code", code=text),
                       _("write a code like B01003_001 (table, underscore, line)"))
    districts = options["districts"]
    check.mapping(districts, f"{where}.districts", _("each district id with its areas"))
    for district_id in districts:
        if district_id not in district_ids:
            check.fail(f"{where}.districts.{district_id}", _("is not a district of this city"),
                       _("use the ids in districts: {ids}.{hint}", ids=list_choices(district_ids),
                         hint=did_you_mean(str(district_id), district_ids)))
    missing = [d for d in district_ids if d not in districts]
    if missing:
        check.fail(f"{where}.districts", _("leaves out {ids}", ids=list_choices(missing)),
                   _("list the census areas of every district"))
    for district_id, codes in districts.items():
        if not isinstance(codes, list) or not codes:
            check.fail(f"{where}.districts.{district_id}", _("should be a list of area codes"),
                       _('write them in brackets, each in quotes: ["000100", "000200"]'))
        for code in codes:
            _census_code(code, f"{where}.districts.{district_id}", check)
    for share, pair in (options.get("shares") or {}).items():
        if (not isinstance(pair, list) or len(pair) != 2
                or any(name not in variables for name in pair)):
            check.fail(f"{where}.shares.{share}", _("should name two of the variables, the "
                                                    "part then the whole"),
                       _("write e.g. [renter_households, households], using names from "
                         "variables: {names}", names=list_choices(variables)))


def _census_code(raw: Any, where: str, check: FieldChecker) -> str:
    if not isinstance(raw, str) or not raw.isdigit():
        check.fail(where, _("holds {value}, but Census codes are digits written in quotes",
                            value=describe_value(raw)),
                   _('write each code in double quotes, e.g. "06" or "000100", so that its '
                     "leading zeros are kept"))
    return raw


PILOT_FIELDS = ("district", "service", "start")


def parse_pilot(raw: Any, check: FieldChecker, district_ids: tuple[str, ...]) -> dict[str, Any]:
    """The change page 1.4 evaluates, as the coach names it: ``district`` (one of the city's
    district ids), ``service`` (a request type code) and ``start`` (a date); each optional."""
    if raw is None:
        return {}
    check.mapping(raw, "pilot", _("district, service and start, e.g. start: 2025-04-01"))
    unknown = [key for key in raw if key not in PILOT_FIELDS]
    if unknown:
        check.fail(f"pilot.{unknown[0]}", _("is not a field of pilot"),
                   _("use district, service and start"))
    pilot: dict[str, Any] = {}
    if raw.get("district") is not None:
        district = check.text(raw["district"], "pilot.district")
        if district_ids and district not in district_ids:
            check.fail("pilot.district", _("names no district of the city file"),
                       _("use one of the districts' ids: {ids}", ids=", ".join(district_ids)))
        pilot["district"] = district
    if raw.get("service") is not None:
        pilot["service"] = check.text(raw["service"], "pilot.service")
    if raw.get("start") is not None:
        pilot["start"] = check.date(raw["start"], "pilot.start")
    return pilot


def parse_standards(raw: Any, check: FieldChecker) -> dict[str, float]:
    check.mapping(raw, "service_standards", _("request type codes with target days, e.g. "
                                              "POTHOLE: 5"))
    return {
        str(code): check.number(days, f"service_standards.{code}", 0, 365,
                                hint=_("a number of days between 0 and 365"))
        for code, days in raw.items()
    }
