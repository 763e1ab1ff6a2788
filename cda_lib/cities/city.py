"""The city model: what a validated city file says, as frozen dataclasses.

A :class:`City` is only ever made by :func:`cda_lib.cities.loader.parse_city`, after
:mod:`cda_lib.cities.validation` has checked every field, so code that receives one can
trust it.

>>> from cda_lib.cities import load_city
>>> city = load_city("riverbend")
>>> city.name, city.language
('Riverbend', 'en')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cda_lib.core.pages import render_fragment
from cda_lib.text.numbers import format_number
from cda_lib.text.translation import N_, gettext as _

LANGUAGES = {"en": N_("English"), "es": N_("Spanish"), "pt": N_("Portuguese")}
# What a page calls the citizen-service line when the city file names none (its
# `service_line`): "311" in English, the glossary's term in Spanish and Portuguese.
# Translators: the citizen-service line (glossary), as it reads inside a sentence.
DEFAULT_SERVICE_LINE = N_("311")


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
    time_zone: str | None = None  # IANA name; dates written with a zone are read in it
    service_line_name: str = ""  # the city file's service_line ("": the language's default)
    # The change page 1.4 evaluates, when the coach names it in the city file: district,
    # request type (a code) and start date, each optional ({} : the page's own default).
    pilot: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    @property
    def language_name(self) -> str:
        """The city's language, named in the page's language ("Spanish", "Español")."""
        return _(LANGUAGES[self.language])

    @property
    def service_line(self) -> str:
        """What residents call the citizen-service line, as it reads in a sentence: the city
        file's ``service_line``, else the page language's term ("311", "la línea de
        atención ciudadana", "a central de atendimento ao cidadão").

        >>> from cda_lib.cities import load_city
        >>> load_city("riverbend").service_line
        '311'
        """
        return self.service_line_name or _(DEFAULT_SERVICE_LINE)

    @property
    def uses_synthetic_data(self) -> bool:
        """True when any table this city's notebooks read is generated, not real."""
        return any(source.is_synthetic for source in self.sources.values())

    def _repr_html_(self) -> str:
        return profile_card_html(self)

    def district_names(self) -> list[str]:
        return [d.name for d in self.districts]

    def district_names_by_id(self) -> dict[str, str]:
        """Each district's name under its id: loaders store names, exports often write ids."""
        return {d.id: d.name for d in self.districts}

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



def profile_card_html(city: City) -> str:
    """A small HTML card with the city's profile, for the top of a notebook."""
    kind = _("FICTIONAL CITY, SYNTHETIC DATA") if city.fictional else _("SYNTHETIC DATA")
    rows = [
        (_("Country"), city.country),
        (_("Language"), city.language_name),
        (_("Population"), format_number(city.population)),
        (_("Districts"), f"{len(city.districts)}: " + ", ".join(city.district_names())),
        (_("Data sources"), ", ".join(f"{t} ({s.kind})" for t, s in city.sources.items())),
        (_("Priorities"), "; ".join(city.priorities)),
    ]
    if city.service_line_name:
        rows.insert(2, (_("Citizen-service line"), city.service_line_name))
    return render_fragment("pages/city_card.html.j2", city=city, rows=rows,
                           badge=kind if city.uses_synthetic_data else "")
