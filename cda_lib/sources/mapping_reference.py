"""The mapping reference: every field, column and value a column mapping can use, as Markdown.

It is written from the code's own schema, so it cannot drift from what the loader does:
the fields and what they say from :data:`cda_lib.sources.mapping.MAPPING_FIELDS`, the
canonical columns from :data:`cda_lib.core.schema.SERVICE_REQUESTS`, the allowed values
from ``STATUSES`` and ``CHANNELS``, the rules from :mod:`cda_lib.sources.conform`, and a
worked example (``datasets/examples/``) loaded as the reference is written. The page is
kept in ``datasets/mappings/README.md``; ``cda mapping-reference`` prints it and
``cda mapping-reference --write`` writes it again (a test checks that it is up to date).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd

from cda_lib.core import paths
from cda_lib.core.files import write_text_atomically
from cda_lib.core.schema import CHANNELS, SERVICE_REQUESTS, STATUSES
from cda_lib.sources import conform, date_columns
from cda_lib.sources.mapping import (
    DATE_COLUMNS,
    DURATION_UNITS,
    MAPPING_FIELDS,
    MAPPING_REQUIRED_COLUMNS,
    UNMAPPED_COLUMNS,
    load_mapping,
)

REGENERATE = "cda mapping-reference --write"
EXAMPLE_CITY = "millbrook.yaml"  # in datasets/examples/, with its export and mapping
# how the schema's column types read to a coach
TYPE_WORDS = {"string": "text", "datetime64[ns]": "date and time", "float64": "number",
              "boolean": "yes or no"}
WIDTH = 92  # prose is wrapped to this many characters


def reference_path() -> Path:
    """Where the reference is kept: beside the example mappings."""
    return paths.mappings_dir() / "README.md"


def examples_dir() -> Path:
    """The worked example: a raw export, its mapping and a city file that uses them."""
    return paths.project_dir() / "datasets" / "examples"


def write_mapping_reference(path: Path | None = None) -> Path:
    """Write the reference (by default to :func:`reference_path`); return where."""
    path = path or reference_path()
    write_text_atomically(path, mapping_reference())
    return path


def mapping_reference() -> str:
    """The whole reference, as Markdown."""
    parts = [_introduction(), _fields(), _columns(), _values(), _missing_values(), _dates(),
             _rules(), _worked_example()]
    return "\n\n".join(part.strip("\n") for part in parts) + "\n"


def _prose(text: str) -> str:
    """A paragraph written on one line in the code, wrapped for the page."""
    return textwrap.fill(" ".join(text.split()), WIDTH, break_on_hyphens=False,
                         break_long_words=False)


def _code(names) -> str:
    return ", ".join(f"`{name}`" for name in names)


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
              for row in rows]
    return "\n".join(lines)


def _introduction() -> str:
    return "\n\n".join([
        "# Column mappings: the reference",
        "<!-- " + _prose(f"Written from the workbook's code by `{REGENERATE}`: do not edit "
                         "it by hand. The fields are described in cda_lib/sources/mapping.py, "
                         "the columns in cda_lib/core/schema.py, this page's text in "
                         "cda_lib/sources/mapping_reference.py.") + " -->",
        _prose("A column mapping tells the workbook how one city's export names its columns "
               "and writes its values, so that any export becomes the same table of service "
               "requests. It is a YAML file: one of the examples in this folder (name it "
               "without `.yaml` in the city file, e.g. `mapping: boston311_2015`), or a file "
               "of your own, named by its path (relative to the city file). Copy the example "
               "closest to your export, change what differs, and run `cda check-data "
               "<city>`: a mistake gets a message naming the field and the valid choices. "
               "`cda mapping-reference` prints this page."),
    ])


def _fields() -> str:
    rows = [[f"`{name}`", description] for name, description in MAPPING_FIELDS.items()]
    return "## The fields of a mapping\n\n" + _table(["field", "what it says"], rows) + \
        "\n\n" + _prose("Only `columns` is needed. A field the list does not hold is refused "
                        "(with the closest field's name), as are YAML anchors and aliases.")


def _columns() -> str:
    rows = []
    every = {**SERVICE_REQUESTS.dtypes, **SERVICE_REQUESTS.optional}
    for column, dtype in every.items():
        if column in MAPPING_REQUIRED_COLUMNS:
            named = "**yes**"
        elif column in UNMAPPED_COLUMNS:
            named = f"no: {UNMAPPED_COLUMNS[column]}"
        else:
            named = "no: left empty"
        rows.append([f"`{column}`", TYPE_WORDS[dtype], named,
                     "yes" if column in SERVICE_REQUESTS.required else "no",
                     SERVICE_REQUESTS.descriptions[column]])
    return "## The canonical columns\n\n" + _prose(
        "Under `columns:`, each line maps a canonical column (the names follow Open311) to "
        "the export's column: `service_request_id: \"Case Number\"`. A column the export "
        "does not have is left out.") + "\n\n" + _table(
        ["column", "holds", "the mapping must name it", "every kept row has one",
         "what it is"], rows)


def _values() -> str:
    return "\n\n".join([
        "## The allowed values",
        f"- `status_values` map the export's words to {_code(STATUSES)}.\n"
        f"- `channel_values` map the export's words to {_code(CHANNELS)}.",
        _prose("Nothing else is accepted: a mapping that maps a channel to any other word is "
               "refused with the list above. An export's value that fits none of them (a "
               "posted \"Letter\", say) is left out of `channel_values`: its requests are "
               f"kept, with the channel empty, and counted as \"{conform.UNKNOWN_CHANNEL}\". "
               "A status the mapping leaves out sets its rows aside as "
               f"\"{conform.UNKNOWN_STATUS}\", since a request must be open or closed. Values "
               "are matched exactly as written, capitals included, after the spaces around "
               "them are removed."),
    ])


def _missing_values() -> str:
    return "## Empty values and `missing_values`\n\n" + _prose(
        "A blank cell, or one holding only spaces, is an empty value. Many exports write a "
        "word instead, such as \"N/A\", \"-\" or \"unknown\": list those words under "
        "`missing_values` and they are read as empty in every column the mapping reads. "
        "What an empty value does depends on the column: an empty id, request type or opened "
        "date sets the row aside (the account says why); an empty closed date means the "
        "request is still open; an empty district, channel or coordinate is kept and "
        "counted by the quality checks. Without `missing_values`, \"N/A\" in a district "
        "column would be read as a district called \"N/A\".")


def _dates() -> str:
    units = _code(DURATION_UNITS)
    return "\n\n".join([
        "## Dates and times",
        _prose("Every date is read as the city's local time. `datetime_format` says how the "
               "export writes its dates, in Python's strftime codes (`%Y` year, `%m` month, "
               "`%d` day, `%H` hour on a 24-hour clock, `%I` on a 12-hour clock with `%p` for "
               "AM or PM, `%M` minutes, `%S` seconds, `%z` a zone). Dates written with a zone "
               "or offset (`2025-03-04T10:15:00Z`) are converted to the city file's "
               "`time_zone`. An export that writes the day first (dd/mm/yyyy) read with a "
               "month-first format is refused, with the format to set."),
        _prose(
            "**A time in a column of its own.** Name it under `time_columns`, by its date: "
            f"{' or '.join(_code(DATE_COLUMNS).split(', '))} (or both). Each date is joined "
            "to its time and read with `datetime_format` (the date's format: `\"%m/%d/%Y\"`), "
            "then a space, then `time_format` (`\"%I:%M %p\"` for `4:45 PM`; left out, "
            f"{' and '.join(f'`{f}`' for f in date_columns.TIME_FORMATS)} are tried). A date "
            "cell's midnight (`2025-03-04 00:00:00`, as spreadsheets write it) is left out "
            "first. A row with a date but no readable time is set aside as "
            f"\"{conform.UNREADABLE_OPENED_TIME}\" (or closed), not kept at midnight: a "
            "made-up midnight would move its time to close by up to a day."),
        "```yaml\ncolumns:\n  requested_datetime: Open Date\n  closed_datetime: Close Date\n"
        "datetime_format: \"%m/%d/%Y\"\ntime_columns:\n  requested_datetime: Open Time\n"
        "  closed_datetime: Close Time\ntime_format: \"%I:%M %p\"\n```",
        _prose(
            "**A duration instead of a closed date.** Some exports give \"days to close\" "
            "where a closed date is missing. With "
            "`closed_from_duration: {column: \"Days to close\", unit: days}` (the unit "
            f"{units}), a request whose status is closed (any request, when the mapping has "
            "no status column) with no closed date at all takes as its closed time the "
            "opened time plus the duration, rounded to the second. The duration must be a "
            "plain number from 0 to "
            f"{date_columns.LONGEST_DURATION_DAYS:,} days (a century); a closed date that "
            "is written but unreadable is never replaced. Each load's account says how many "
            "closed times were derived, e.g. `Derived for 12 of 4,310 kept rows: closed time "
            "from the opened time plus \"Days to close\" (closed, with no closed date)`."),
    ])


def _rules() -> str:
    reasons = "\n".join(f"{n}. {reason}" for n, reason in
                        enumerate(conform.SET_ASIDE_REASONS, start=1))
    flags = "\n".join(f"- {issue}" for issue in conform.FLAGGED_ISSUES)
    return "\n\n".join([
        "## What a load sets aside, flags and derives",
        _prose("Every load keeps an account: rows read = rows kept + rows set aside. A row "
               "that cannot be used as a request is set aside for the first of these reasons "
               "that applies (the time reasons only with `time_columns`):"),
        reasons,
        _prose("A row that is kept with a gap is flagged; the quality checks add a missing or "
               "unknown district, missing coordinates and points outside the city:"),
        flags,
    ])


def _worked_example() -> str:
    folder = examples_dir()
    city_file = folder / EXAMPLE_CITY
    from cda_lib.cities.loader import load_city

    city = load_city(city_file)
    options = city.sources["service_requests"].options
    export, mapping_file = folder / options["path"], folder / options["mapping"]
    mapping = load_mapping(mapping_file)
    raw = pd.read_csv(export, dtype="string", keep_default_na=False, na_values=[""])
    result = conform.conform_service_requests(
        raw, mapping, source=export.name, as_of=pd.Timestamp(options["as_of"]),
        time_zone=city.time_zone, districts=city.district_names_by_id())
    where = "datasets/examples"
    return "\n\n".join([
        "## A worked example: from a raw export to a city file",
        _prose(f"The invented city of {city.name} sent its 311 export. The three files are "
               f"in `{where}/`: copy them as a start for a real one."),
        f"**Step 1: the export**, `{where}/{export.name}`, as the city saved it:",
        "```text\n" + export.read_text(encoding="utf-8").strip("\n") + "\n```",
        _prose("Look at it as the loader will: which column holds each canonical column, how "
               "dates and times are written (dates month first, times in their own column on "
               "a 12-hour clock), the words used for status, channel and ward, and what "
               "stands for \"no value\" (\"N/A\", \"-\"). Some closed cases have a "
               "\"Days to Close\" but no closed date."),
        f"**Step 2: the mapping**, `{where}/{mapping_file.name}`:",
        "```yaml\n" + mapping_file.read_text(encoding="utf-8").strip("\n") + "\n```",
        _prose("`status_notes` reads the same column as `status`, so a Cancelled request is "
               "closed and still says Cancelled. \"Letter\" is left out of `channel_values`. "
               "`district_values` turns \"Ward 1\" into the district id \"1\"; \"Ward 4\" is "
               "not in the city, so it stays as written and is flagged."),
        f"**Step 3: the city file**, `{where}/{city_file.name}`, points at both:",
        "```yaml\n" + city_file.read_text(encoding="utf-8").strip("\n") + "\n```",
        f"**Step 4: check it** with `cda check-data {where}/{city_file.name}`. The load's "
        "account:",
        "```text\n" + "\n".join(result.account.summary_lines()) + "\n```",
        _prose("The rows set aside, each with its reason (the data row is counted from the "
               "first row below the header; the detail is the value that could not be read):"),
        _set_aside_table(result, mapping),
        _prose("The requests kept, as the workbook's modules see them. MB-25-0102 and "
               "MB-25-0113 are closed with no closed date: their closed times are derived from "
               "Days to Close (1.5 days after 3 March 09:40 is 4 March 21:40; 0.75 days, 18 "
               "hours, after 11 March 15:15 is 12 March 09:15). Times on a 12-hour clock now "
               "read on a 24-hour one (4:45 PM is 16:45), wards by their district's name, and "
               "MB-25-0104's \"Letter\" as an empty channel:"),
        _kept_table(result.table),
        _prose("`cda check-data` then runs the quality checks on the kept rows: here a "
               "missing district (MB-25-0110), a district not in the city file (\"Ward 4\") "
               "and missing coordinates (\"N/A\", MB-25-0105). With a real export, the next "
               "step is `cda build <the city file> --out <folder>`."),
    ])


def _set_aside_table(result: conform.LoadResult, mapping) -> str:
    aside = result.account.set_aside_rows()
    id_column = mapping.columns["service_request_id"]
    rows = [[str(row["source_row"]), str(row[id_column]), str(row["reason"]),
             "" if pd.isna(row["detail"]) else f"`{row['detail']}`"]
            for _, row in aside.iterrows()]
    return _table(["data row", id_column, "reason", "detail"], rows)


def _kept_table(table: pd.DataFrame) -> str:
    shown = ["service_request_id", "service_code", "status", "requested_datetime",
             "closed_datetime", "channel", "district"]
    rows = [["" if pd.isna(value) else str(value) for value in row]
            for row in table[shown].itertuples(index=False)]
    return _table([f"`{c}`" for c in shown], rows)
