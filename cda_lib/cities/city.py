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

LANGUAGES = {"en": "English", "es": "Spanish", "pt": "Portuguese"}


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
    path: Path | None = None

    @property
    def language_name(self) -> str:
        return LANGUAGES[self.language]

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
    kind = "fictional city, synthetic data" if city.fictional else "synthetic data"
    rows = [
        ("Country", city.country),
        ("Language", city.language_name),
        ("Population", f"{city.population:,}"),
        ("Districts", f"{len(city.districts)}: " + ", ".join(city.district_names())),
        ("Data sources", ", ".join(f"{t} ({s.kind})" for t, s in city.sources.items())),
        ("Priorities", "; ".join(city.priorities)),
    ]
    return render_fragment("pages/city_card.html.j2", city=city, rows=rows,
                           badge=kind.upper() if city.uses_synthetic_data else "")
