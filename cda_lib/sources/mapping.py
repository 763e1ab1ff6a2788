"""Column mappings: how a city's export names its columns and values.

A mapping file (YAML, in ``datasets/mappings/``) says which source column feeds
each canonical column, the date format, and how the source's status and channel
values translate to the workbook's. See ``datasets/mappings/boston311_2015.yaml``
for a worked example.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cda_lib.core import paths
from cda_lib.core.errors import MappingError, did_you_mean, list_choices
from cda_lib.core.plain_yaml import PlainYamlLoader, YamlAliasRefused
from cda_lib.core.schema import CHANNELS, SERVICE_REQUESTS, STATUSES
from cda_lib.text.translation import N_, gettext as _

# Every field a mapping file may hold, with what it says: the mapping reference
# (cda_lib.sources.mapping_reference) is written from these, so they are said once, here.
MAPPING_FIELDS = {
    "name": "A short name for the export, shown in messages and accounts.",
    "description": "What the export holds and its quirks, in plain words (for the next coach).",
    "source": "Where the export comes from: a web address, or who sent it.",
    "columns": "The export's column for each canonical column (`canonical: \"Export "
               "column\"`). `service_request_id`, `service_name` and `requested_datetime` are "
               "needed; any other may be left out.",
    "datetime_format": "How the export writes its dates, in Python's strftime codes, e.g. "
                       "`\"%m/%d/%Y %I:%M:%S %p\"` for `03/04/2025 10:15:00 AM`. Left out, "
                       "ISO dates (`2025-03-04 10:15`) are read. A date that does not fit is "
                       "read as ISO if it can be, else set aside as not readable.",
    "time_columns": "For an export that writes the time of day in a column of its own: the "
                    "time column of `requested_datetime` and/or `closed_datetime`, e.g. "
                    "`{requested_datetime: \"Open Time\"}`. The date and its time are read "
                    "together; `datetime_format` is then the date column's format.",
    "time_format": "How the time columns write the time, e.g. `\"%I:%M %p\"` for `10:15 AM` "
                   "(only with `time_columns`). Left out, `10:15` and `10:15:30` are read.",
    "closed_from_duration": "For an export that gives how long a request took instead of "
                            "(some of) its closed dates: `{column: \"Days to close\", unit: "
                            "days}` (unit `days`, `hours` or `minutes`). A closed request with "
                            "no closed date gets the opened time plus that duration, to the "
                            "second, counted in the account as derived.",
    "status_values": "The export's status words, each to `open` or `closed`. Left out, the "
                     "status column must already say open or closed; with no status column "
                     "at all, a request is closed when it has a closed date.",
    "channel_values": "The export's channel words, each to one of the workbook's channels. "
                      "A word left out is kept with the channel empty, and counted.",
    "district_values": "The export's district codes, each to a district id (or name) of the "
                       "city file, e.g. `{\"D01\": \"1\"}`. Districts are matched by id, "
                       "then by name; anything else is kept as written and flagged.",
    "service_codes": "Request types (as the export names them) to short codes, e.g. "
                     "`{\"Bulky Items\": BULKY_ITEM}`, to match the city file's "
                     "`service_standards`. Left out, a code is made from the name "
                     "(`Bulky Items` becomes `BULKY_ITEMS`).",
    "missing_values": "Words the export writes for \"no value\", e.g. `[\"N/A\", "
                      "\"unknown\", \"-\"]`. In every mapped column they are read as "
                      "empty, like a blank cell: an empty id, type or opened date sets the row "
                      "aside; an empty district or channel is kept and counted.",
    "sheet": "An Excel workbook's sheet to read: its name, or its number (1 is the first). "
             "Needed when the workbook has several sheets.",
    "header_row": "An Excel sheet's row (from 1) that holds the column names, when a title "
                  "sits above them.",
}
# the canonical columns every mapping must name (the others can be left out or worked out)
MAPPING_REQUIRED_COLUMNS = ("service_request_id", "service_name", "requested_datetime")
# what a load puts in a canonical column the mapping leaves out (others are left empty)
UNMAPPED_COLUMNS = {
    "service_code": "made from `service_name` (see `service_codes`)",
    "status": "closed when the request has a closed date, else open",
}
# the canonical dates that may take their time of day from a column of its own
DATE_COLUMNS = ("requested_datetime", "closed_datetime")
# strftime codes of a time of day (with time_columns, the date's format holds none)
TIME_CODES = ("%H", "%I", "%M", "%S", "%p", "%f")
# the units closed_from_duration reads, in seconds
DURATION_UNITS = {"days": 86_400, "hours": 3_600, "minutes": 60}


@dataclass(frozen=True)
class ClosedFromDuration:
    """Where the export says how long a request took, and in what unit."""

    column: str
    unit: str  # one of DURATION_UNITS

    @property
    def seconds_per_unit(self) -> int:
        return DURATION_UNITS[self.unit]


@dataclass(frozen=True)
class ColumnMapping:
    """How to turn one source's columns and values into the canonical service-requests table."""

    name: str
    columns: dict[str, str]
    datetime_format: str | None = None
    status_values: dict[str, str] | None = None
    channel_values: dict[str, str] | None = None
    # a source's district codes to the city file's district ids (or names); others as written
    district_values: dict[str, str] | None = None
    service_codes: dict[str, str] = field(default_factory=dict)
    missing_values: tuple[str, ...] = ()
    description: str = ""
    source: str = ""
    sheet: str | int | None = None  # an Excel workbook's sheet: its name, or 1 for the first
    header_row: int | None = None  # an Excel sheet's row (from 1) that holds the column names
    # the time of day of a date, from a column of its own: {"requested_datetime": "Open Time"}
    time_columns: dict[str, str] = field(default_factory=dict)
    time_format: str | None = None
    closed_from_duration: ClosedFromDuration | None = None

    @classmethod
    def identity(cls, name: str = "canonical columns") -> ColumnMapping:
        """A mapping for a file that already uses the canonical names and values."""
        return cls(name=name, columns={c: c for c in SERVICE_REQUESTS.columns})

    def read_columns(self) -> dict[str, str]:
        """Every export column the mapping reads, by the field that reads it.

        >>> mapping = ColumnMapping("example", {"requested_datetime": "Open Date"},
        ...                         time_columns={"requested_datetime": "Open Time"})
        >>> mapping.read_columns()
        {'requested_datetime': 'Open Date', 'time_columns.requested_datetime': 'Open Time'}
        """
        read = dict(self.columns)
        read.update({f"time_columns.{c}": column for c, column in self.time_columns.items()})
        if self.closed_from_duration is not None:
            read["closed_from_duration.column"] = self.closed_from_duration.column
        return read


def load_mapping(mapping: str | Path) -> ColumnMapping:
    """Read a mapping by name (``"boston311_2015"``) or by path, and check it."""
    path = _resolve(mapping)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=PlainYamlLoader)
    except YamlAliasRefused as error:
        raise MappingError(error.message(path.name, "mapping")) from None
    except yaml.YAMLError:
        raise MappingError(_("The mapping file {name} is not valid YAML. Check its "
                             "indentation and colons.", name=path.name)) from None
    return parse_mapping(raw, path.name)


def _resolve(mapping: str | Path) -> Path:
    candidate = Path(mapping)
    if candidate.suffix in {".yaml", ".yml"}:
        if candidate.exists():
            return candidate
        raise MappingError(_("There is no mapping file at {path}. Check the path.",
                             path=str(candidate)))
    path = paths.mappings_dir() / f"{mapping}.yaml"
    if not path.exists():
        known = sorted(p.stem for p in paths.mappings_dir().glob("*.yaml"))
        raise MappingError(_('There is no mapping called "{mapping}".{hint} The mappings are '
                             "{mappings}.", mapping=mapping,
                             hint=did_you_mean(str(mapping), known),
                             mappings=list_choices(known)))
    return path


def parse_mapping(raw: Any, source_name: str = "the mapping") -> ColumnMapping:
    """Validate a parsed mapping file."""
    if not isinstance(raw, dict) or not isinstance(raw.get("columns"), dict):
        raise MappingError(_("{name} needs a `columns:` section that maps canonical column "
                             "names to the source's column names.", name=source_name))
    for key in raw:
        if key not in MAPPING_FIELDS:
            raise MappingError(_("{name} has an unknown field `{key}`.{hint} The fields are "
                                 "{fields}.", name=source_name, key=key,
                                 hint=did_you_mean(key, MAPPING_FIELDS),
                                 fields=list_choices(MAPPING_FIELDS)))
    columns = {str(k): _text(v, f"columns.{k}", source_name) for k, v in raw["columns"].items()}
    for canonical in columns:
        known = [*SERVICE_REQUESTS.columns, *SERVICE_REQUESTS.optional]
        if canonical not in known:
            raise MappingError(_(
                "{name} maps `{canonical}`, which is not a canonical column.{hint} The "
                "canonical columns are {columns}.", name=source_name, canonical=canonical,
                hint=did_you_mean(canonical, known), columns=list_choices(known, limit=20)))
    for needed in MAPPING_REQUIRED_COLUMNS:
        if needed not in columns:
            raise MappingError(_("{name} does not say which column holds `{needed}`, which "
                                 "every request needs. Add it under `columns:`.",
                                 name=source_name, needed=needed))
    return ColumnMapping(
        name=_text(raw.get("name"), "name", source_name).strip() or source_name,
        columns=columns,
        datetime_format=_text(raw.get("datetime_format"), "datetime_format", source_name) or None,
        status_values=_value_map(raw.get("status_values"), STATUSES, "status_values", source_name),
        channel_values=_value_map(raw.get("channel_values"), CHANNELS, "channel_values",
                                  source_name),
        district_values=_text_map(raw.get("district_values"), "district_values", source_name),
        service_codes={str(k): _text(v, f"service_codes.{k}", source_name)
                       for k, v in (raw.get("service_codes") or {}).items()},
        missing_values=_texts(raw.get("missing_values"), "missing_values", source_name),
        description=_text(raw.get("description"), "description", source_name).strip(),
        source=_text(raw.get("source"), "source", source_name).strip(),
        sheet=_sheet(raw.get("sheet"), source_name),
        header_row=_row_number(raw.get("header_row"), "header_row", source_name),
        **_date_options(raw, columns, source_name),
    )


def _date_options(raw: dict, columns: dict[str, str], source_name: str) -> dict[str, Any]:
    """``time_columns``, ``time_format`` and ``closed_from_duration``, checked."""
    time_columns = _text_map(raw.get("time_columns"), "time_columns", source_name,
                             N_("each date's canonical name to the export's time column, "
                                'e.g. `requested_datetime: "Open Time"`')) or {}
    for canonical in time_columns:
        if canonical not in DATE_COLUMNS:
            raise MappingError(_(
                "In {name}, `time_columns` names `{canonical}`, which is not a date. It can name "
                "{columns}.{hint}", name=source_name, canonical=canonical,
                columns=list_choices(DATE_COLUMNS), hint=did_you_mean(canonical, DATE_COLUMNS)))
        if canonical not in columns:
            raise MappingError(_(
                "In {name}, `time_columns` gives `{canonical}` a time column, but `columns:` "
                'does not say which column holds its date. Add `{canonical}: "<the date '
                'column>"` under `columns:`.', name=source_name, canonical=canonical))
    date_format = _text(raw.get("datetime_format"), "datetime_format", source_name)
    time_codes = [code for code in TIME_CODES if code in date_format]
    if time_columns and time_codes:
        raise MappingError(_(
            'In {name}, `datetime_format` ("{format}") holds the time codes {codes}, but with '
            "`time_columns` it is the date column's format alone. Keep the date's codes there "
            '(e.g. "%m/%d/%Y") and put the time\'s in `time_format` (e.g. "%H:%M").',
            name=source_name, format=date_format, codes=list_choices(time_codes)))
    time_format = _text(raw.get("time_format"), "time_format", source_name) or None
    if time_format and not time_columns:
        raise MappingError(_("In {name}, `time_format` is set but no `time_columns` are: it "
                             "says how a time column writes the time. Add `time_columns:`, or "
                             "move the time's codes into `datetime_format`.", name=source_name))
    return {"time_columns": time_columns, "time_format": time_format,
            "closed_from_duration": _duration(raw.get("closed_from_duration"), source_name)}


def _duration(raw: Any, source_name: str) -> ClosedFromDuration | None:
    if raw is None:
        return None
    example = '`closed_from_duration: {column: "Days to close", unit: days}`'
    if not isinstance(raw, dict) or not raw.get("column") or set(raw) - {"column", "unit"}:
        raise MappingError(_("In {name}, `closed_from_duration` should name the column that "
                             "holds the duration and its unit, e.g. {example}.",
                             name=source_name, example=example))
    unit = raw.get("unit")
    if unit not in DURATION_UNITS:
        raise MappingError(_(
            "In {name}, `closed_from_duration` has the unit {unit}, but it can be {units}.{hint} "
            "Write it beside the column, e.g. {example}.", name=source_name, unit=repr(unit),
            units=list_choices(DURATION_UNITS), hint=did_you_mean(str(unit), DURATION_UNITS),
            example=example))
    return ClosedFromDuration(_text(raw["column"], "closed_from_duration.column", source_name),
                              unit)


def _sheet(raw: Any, source_name: str) -> str | int | None:
    """A sheet by its name (text) or its place (a whole number from 1)."""
    if raw is None or isinstance(raw, str):
        return raw
    return _row_number(raw, "sheet", source_name, what=N_("a sheet's name, or its number"))


def _row_number(raw: Any, field_name: str, source_name: str,
                what: str = N_("a row number")) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        raise MappingError(_("In {name}, `{field}` holds {value}, but it should be {what} "
                             "counted from 1 (1 is the first). Write a whole number such as "
                             "`{field}: 2`.", name=source_name, field=field_name,
                             value=repr(raw), what=_(what)))
    return raw


def _value_map(raw: Any, allowed: tuple[str, ...], field_name: str,
               source_name: str) -> dict[str, str] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise MappingError(_("In {name}, `{field}` should map source values to {values}.",
                             name=source_name, field=field_name,
                             values=list_choices(allowed)))
    for source_value, value in raw.items():
        if value not in allowed:
            left_out = (" " + _("A source value that fits none of them can be left out: its "
                                "requests are kept with the channel empty, and counted.")
                        if field_name == "channel_values" else "")
            raise MappingError(_(
                'In {name}, `{field}` maps "{source_value}" to "{value}", which is not one of '
                "{values}.{hint}{left_out}", name=source_name, field=field_name,
                source_value=source_value, value=value, values=list_choices(allowed),
                hint=did_you_mean(str(value), allowed), left_out=left_out))
    return {str(k): str(v) for k, v in raw.items()}


def _text_map(raw: Any, field_name: str, source_name: str,
              expected: str = N_("source values to the city file's district ids or names, "
                                 "one `value: id` line each")) -> dict[str, str] | None:
    """Source values to texts the loader matches later (a district's id or name)."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise MappingError(_("In {name}, `{field}` should map {expected}.", name=source_name,
                             field=field_name, expected=_(expected)))
    return {str(k): _text(v, f"{field_name}.{k}", source_name) for k, v in raw.items()}


def _text(raw: Any, field_name: str, source_name: str) -> str:
    """A field that holds one text, as written ("" when left out); a list or a group is refused.

    Not stripped: a source's column name or date format may end in a space.
    """
    if raw is None:
        return ""
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        kind = {dict: N_("a group of fields"), list: N_("a list"),
                bool: N_("true or false")}.get(type(raw), N_("something else"))
        raise MappingError(_(
            "In {name}, `{field}` holds {kind}, but it should be one text. Write a single value "
            "after the colon, in double quotes if it holds a colon.", name=source_name,
            field=field_name, kind=_(kind)))
    return str(raw)


def _texts(raw: Any, field_name: str, source_name: str) -> tuple[str, ...]:
    """A list of texts (empty when left out); one text alone would read as its letters."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise MappingError(_(
            'In {name}, `{field}` should be a list of texts. Write one "- value" line per '
            'entry, or brackets: ["N/A", "unknown"].', name=source_name, field=field_name))
    return tuple(_text(item, f"{field_name}[{index + 1}]", source_name)
                 for index, item in enumerate(raw))
