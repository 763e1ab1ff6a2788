"""Canonical tables: the column names and types every notebook can rely on.

Service requests follow Open311 GeoReport v2 field names (``service_request_id``,
``requested_datetime``, ``lat``, ``long`` ...), so a city that already publishes
Open311 maps its columns one to one. Dates are plain local city time, without a
time zone, as city exports give them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from cda_lib.core.errors import SchemaError, list_choices
from cda_lib.text.translation import N_, gettext as _

STATUSES = ("open", "closed")
CHANNELS = ("phone", "web", "mobile app", "email", "walk-in", "social media", "internal")


@dataclass(frozen=True)
class TableSchema:
    """A canonical table: its columns in order, their types, and which must hold values."""

    name: str
    dtypes: dict[str, str]
    required: tuple[str, ...]
    descriptions: dict[str, str]
    # Columns a source may or may not have (e.g. whether a request was reopened): when a
    # table has one, its type is checked and it follows the canonical columns.
    optional: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return list(self.dtypes)

    def empty(self) -> pd.DataFrame:
        """An empty table with the canonical columns and types."""
        return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in self.dtypes.items()})

    def validate(self, table: pd.DataFrame) -> pd.DataFrame:
        """Check columns and types; return the table with columns in canonical order.

        Raises :class:`SchemaError` naming what is missing or of the wrong type.
        """
        missing = [c for c in self.columns if c not in table.columns]
        if missing:
            raise SchemaError(_(
                "The {table} table is missing the columns {missing}. It has {have}. Map the "
                "source's columns to these names in the city's column mapping.",
                table=self.name, missing=list_choices(missing),
                have=list_choices(map(str, table.columns), limit=15)))
        present_optional = [c for c in self.optional if c in table.columns]
        expected = {**self.dtypes, **{c: self.optional[c] for c in present_optional}}
        wrong = [
            f"{c} is {table[c].dtype}, expected {dtype}"
            for c, dtype in expected.items()
            if not _same_dtype(table[c].dtype, dtype)
        ]
        if wrong:
            raise SchemaError(_(
                "Some columns of the {table} table have the wrong type: {wrong}. Load the data "
                "through cda_lib's loaders, which convert types and set aside rows that cannot "
                "be converted.", table=self.name, wrong="; ".join(wrong)))
        empty_required = [c for c in self.required if table[c].isna().any()]
        if empty_required:
            raise SchemaError(_(
                "The {table} table has empty values in {columns}, which every row must have. "
                "The loaders set such rows aside with a reason.", table=self.name,
                columns=list_choices(empty_required)))
        extra = [c for c in table.columns if c not in expected]
        return table[self.columns + present_optional + extra]


def _same_dtype(actual, expected: str) -> bool:
    if expected == "string":
        return isinstance(actual, pd.StringDtype)
    if expected.startswith("datetime64"):
        return pd.api.types.is_datetime64_dtype(actual) and getattr(actual, "tz", None) is None
    return str(actual) == expected


SERVICE_REQUESTS = TableSchema(
    name="service requests",
    dtypes={
        "service_request_id": "string",
        "service_code": "string",
        "service_name": "string",
        "status": "string",
        "status_notes": "string",
        "requested_datetime": "datetime64[ns]",
        "closed_datetime": "datetime64[ns]",
        "agency_responsible": "string",
        "district": "string",
        "lat": "float64",
        "long": "float64",
        "channel": "string",
    },
    required=(
        "service_request_id", "service_code", "service_name", "status", "requested_datetime",
    ),
    descriptions={
        "service_request_id": N_("the request's id, kept as text (1-870704831 is not a "
                                 "number)"),
        "service_code": N_("a short code for the request type, e.g. POTHOLE"),
        "service_name": N_("the request type as the city names it, e.g. Pothole repair"),
        "status": N_("open or closed (Open311's two statuses)"),
        "status_notes": N_("the source system's own status or closure note, e.g. Cancelled"),
        "requested_datetime": N_("when the request was opened, local city time"),
        "closed_datetime": N_("when it was closed; empty while it is still open"),
        "agency_responsible": N_("the department that handles it"),
        "district": N_("the district it was reported in, as named in the city file"),
        "lat": N_("latitude in degrees (WGS84)"),
        "long": N_("longitude in degrees (WGS84)"),
        # the channels as CHANNELS lists them (tests/test_schema.py checks it)
        "channel": N_("how it was reported: phone, web, mobile app, email, walk-in, social "
                      "media, internal"),
        "reopened": N_("optional: true when the request was reopened after a close (empty "
                       "when the source does not say)"),
        "description": N_("optional: the free text of the request, as the resident or the "
                          "call taker wrote it (Open311's description); it can hold personal "
                          "data"),
        "address": N_("optional: the street address of the request, e.g. 1234 Elm St "
                      "(Open311's address)"),
    },
    # reopened: page 1.2's reopen rate; description and address: page 3.5 scans and
    # generalises them before publication. Real exports often have neither.
    optional={"reopened": "boolean", "description": "string", "address": "string"},
)

DISTRICTS = TableSchema(
    name="districts",
    dtypes={"district_id": "string", "district": "string", "population": "int64"},
    required=("district_id", "district", "population"),
    descriptions={
        "district_id": "a short id from the city file",
        "district": "the district's name, as service requests use it",
        "population": "residents (demographic columns follow)",
    },
)
