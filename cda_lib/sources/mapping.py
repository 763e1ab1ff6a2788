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
from cda_lib.text.translation import N_, _

MAPPING_FIELDS = (
    "name", "description", "source", "columns", "datetime_format", "status_values",
    "channel_values", "district_values", "service_codes", "missing_values", "sheet",
    "header_row",
)


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

    @classmethod
    def identity(cls, name: str = "canonical columns") -> ColumnMapping:
        """A mapping for a file that already uses the canonical names and values."""
        return cls(name=name, columns={c: c for c in SERVICE_REQUESTS.columns})


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
    for needed in ("service_request_id", "service_name", "requested_datetime"):
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
    )


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
            raise MappingError(_(
                'In {name}, `{field}` maps "{source_value}" to "{value}", which is not one of '
                "{values}.{hint}", name=source_name, field=field_name, source_value=source_value,
                value=value, values=list_choices(allowed), hint=did_you_mean(str(value), allowed)))
    return {str(k): str(v) for k, v in raw.items()}


def _text_map(raw: Any, field_name: str, source_name: str) -> dict[str, str] | None:
    """Source values to texts the loader matches later (a district's id or name)."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise MappingError(_("In {name}, `{field}` should map source values to the city "
                             "file's district ids or names, one `value: id` line each.",
                             name=source_name, field=field_name))
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
