"""District demographics from the U.S. Census Bureau's American Community Survey (ACS) API.

A city file asks for ACS variables for small areas (tracts, usually) and says which
areas make up each district. The workbook downloads the estimates **and their margins
of error** (the ``E`` and ``M`` variables), at most 50 variables per request (the
API's limit), turns the Census's special negative "jam" values into missing values,
and adds the areas up by district, combining margins of error as the Census Bureau
advises (the square root of the sum of squares, :func:`combine_moe`).

ACS margins of error are at the 90% confidence level: the true value lies within
estimate ± MOE with 90% confidence (standard error = MOE / 1.645).

Terms of use: any product using the API must say :data:`ATTRIBUTION`; the workbook
shows it with the table and in the data notice.

>>> combine_moe([30, 40])  # √(30² + 40²)
50.0
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from cda_lib.cities.census_options import GEOGRAPHIES
from cda_lib.core.errors import PortalError, list_choices
from cda_lib.sources.http import PortalClient, PortalDownload, portal_name

API_URL = "https://api.census.gov/data"
ATTRIBUTION = ("This product uses the Census Bureau Data API but is not endorsed or certified "
               "by the Census Bureau.")
MAX_VARIABLES_PER_CALL = 50  # the API's limit on names in one `get=`, NAME included
MOE_CONFIDENCE = 0.90  # ACS publishes margins of error at the 90% confidence level
Z_90 = 1.645  # standard normal value for 90%: standard error = MOE / 1.645
# The Census's special values ("jam values") and what each means for the workbook.
# Estimates: could not be computed (-666666666), too few cases (-999999999), not
# applicable (-888888888). Margins: could not be computed (-222222222), median in an
# open-ended interval (-333333333), and -555555555, "the estimate is controlled": a
# margin of exactly 0, not a missing one.
MISSING_VALUES = frozenset({-666666666, -999999999, -888888888, -222222222, -333333333})
CONTROLLED_MOE = -555555555
# The areas a city's districts are usually built from, with their plural for messages.


@dataclass(frozen=True)
class CensusQuery:
    """Which ACS variables to download, for which areas.

    ``variables`` maps the workbook's name to the ACS variable without its ending,
    e.g. ``{"population": "B01003_001"}``; ``within`` narrows the areas, e.g.
    ``{"state": "36", "county": "067"}``.
    """

    year: int
    variables: Mapping[str, str]
    geography: str = "tract"
    within: Mapping[str, str] = field(default_factory=dict)
    dataset: str = "acs/acs5"
    url: str = API_URL
    kind: ClassVar[str] = "census_acs"

    @property
    def endpoint(self) -> str:
        return f"{self.url.rstrip('/')}/{self.year}/{self.dataset}"

    @property
    def label(self) -> str:
        """E.g. ``ACS 5-year estimates 2019-2023, tracts in state 36 county 067``."""
        span = "5-year" if self.dataset.endswith("acs5") else "1-year"
        years = f"{self.year - 4}-{self.year}" if span == "5-year" else str(self.year)
        where = " ".join(f"{k} {v}" for k, v in self.within.items())
        areas = GEOGRAPHIES.get(self.geography, self.geography)
        return f"U.S. Census Bureau, ACS {span} estimates {years}, {areas}" + (
            f" in {where}" if where else "")

    def cache_query(self) -> dict[str, Any]:
        """What decides the numbers (never the API key)."""
        return {"kind": self.kind, "url": self.url.rstrip("/"), "name": f"acs{self.year}",
                "year": self.year, "dataset": self.dataset, "geography": self.geography,
                "within": dict(self.within), "variables": dict(sorted(self.variables.items()))}

    def requested_names(self) -> list[str]:
        """The API names asked for: each variable's estimate (E) and margin of error (M)."""
        return [f"{code}{suffix}" for code in self.variables.values() for suffix in ("E", "M")]


def fetch_acs(query: CensusQuery, client: PortalClient) -> PortalDownload:
    """Download the estimates and margins for every area, in as many calls as needed.

    The result has one row per area: ``geoid`` (the area's full code), ``name``, then
    each variable's estimate and ``<name>_moe`` side by side.
    """
    names = query.requested_names()
    per_call = MAX_VARIABLES_PER_CALL - 1  # NAME takes one place in every call
    parts = [_fetch_part(query, client, names[i:i + per_call])
             for i in range(0, len(names), per_call)]
    merged = parts[0]
    for part in parts[1:]:
        if set(part.index) != set(merged.index):
            raise PortalError(
                f"{portal_name(query.url)} sent different areas in two parts of the same "
                "download. Nothing was saved. Try again later."
            )
        merged = merged.join(part.drop(columns=["name"]))
    table = _tidy(merged.reset_index(), query)
    return PortalDownload(table=table, rows_expected=None, label=query.label,
                          details={"calls": len(parts), "areas": len(table)})


def _fetch_part(query: CensusQuery, client: PortalClient, names: list[str]) -> pd.DataFrame:
    params: dict[str, str] = {"get": ",".join(["NAME", *names]),
                              "for": f"{query.geography}:*"}
    if query.within:
        params["in"] = " ".join(f"{k}:{v}" for k, v in query.within.items())
    body = client.get_json(query.endpoint, params,
                           what=f"{len(names)} ACS values per {query.geography}")
    if (not isinstance(body, list) or not body or not all(isinstance(r, list) for r in body)
            or len({len(r) for r in body}) != 1):
        raise PortalError(f"{portal_name(query.url)} answered with something other than the "
                          "Census API's table of rows. Check the url, year and dataset.")
    header, rows = body[0], body[1:]
    missing = [n for n in ["NAME", *names] if n not in header]
    if missing:
        raise PortalError(f"The Census API did not return {list_choices(missing)}. Check the "
                          "variable codes in the city file (e.g. B01003_001).")
    frame = pd.DataFrame(rows, columns=header, dtype="string")
    geo_columns = [c for c in header if c != "NAME" and c not in names]
    frame.index = frame[geo_columns].astype(str).agg("".join, axis=1).rename("geoid")
    if frame.index.duplicated().any():
        raise PortalError("The Census API listed an area twice. Nothing was saved. "
                          "Try again later.")
    return frame[["NAME", *names]].rename(columns={"NAME": "name"})


def _tidy(raw: pd.DataFrame, query: CensusQuery) -> pd.DataFrame:
    """Name the columns as the city file does, estimate then margin, jam values handled."""
    table = pd.DataFrame({"geoid": raw["geoid"].astype("string"),
                          "name": raw["name"].astype("string")})
    for name, code in query.variables.items():
        table[name] = acs_values(raw[f"{code}E"])
        table[f"{name}_moe"] = acs_values(raw[f"{code}M"], margin=True)
    return table


def acs_values(values: Iterable[Any], *, margin: bool = False) -> pd.Series:
    """ACS text values as numbers, with the special negative values made missing.

    A margin of -555555555 ("controlled estimate") becomes 0, which is what it means.

    >>> acs_values(["1200", "-666666666", None]).tolist()
    [1200.0, nan, nan]
    >>> acs_values(["-555555555", "-222222222"], margin=True).tolist()
    [0.0, nan]
    """
    numbers = pd.to_numeric(pd.Series(list(values), dtype="object"), errors="coerce")
    numbers = numbers.astype("float64")
    special = numbers.isin(MISSING_VALUES) | (numbers == CONTROLLED_MOE)
    result = numbers.mask(special)
    if margin:
        result = result.mask(numbers == CONTROLLED_MOE, 0.0)
    return result


def combine_moe(margins: Iterable[float]) -> float:
    """The margin of error of a sum of estimates: √(MOE₁² + MOE₂² + ...).

    The Census Bureau's approximation for adding areas or categories. A missing margin
    makes the result missing: it cannot be combined away.

    >>> combine_moe([3, 4])
    5.0
    >>> combine_moe([3, float("nan")])
    nan
    """
    values = [float(m) for m in margins]
    if any(math.isnan(m) for m in values):
        return math.nan
    return math.sqrt(sum(m * m for m in values))


def proportion_moe(part: float, whole: float, part_moe: float, whole_moe: float) -> float:
    """The margin of error of a share ``part / whole`` when the part is included in the whole.

    The Census Bureau's formula: √(MOE_part² − p²·MOE_whole²) / whole; when the term under
    the root is negative, the ratio formula (a plus sign) is used instead.

    >>> round(proportion_moe(300, 1000, 40, 50), 4)  # p = 0.3: √(1600 − 225) / 1000
    0.0371
    """
    if whole == 0 or any(math.isnan(v) for v in (part, whole, part_moe, whole_moe)):
        return math.nan
    share = part / whole
    under_root = part_moe ** 2 - share ** 2 * whole_moe ** 2
    if under_root < 0:
        under_root = part_moe ** 2 + share ** 2 * whole_moe ** 2
    return math.sqrt(under_root) / whole


@dataclass(frozen=True)
class DistrictDemographics:
    """ACS estimates added up by district, with margins of error, and the attribution."""

    table: pd.DataFrame
    by_area: pd.DataFrame
    description: str
    attribution: str = ATTRIBUTION

    @property
    def caption(self) -> str:
        return (f"Source: {self.description}. Margins of error at the 90% confidence level. "
                f"{self.attribution}")

    def __repr__(self) -> str:
        return f"{self.table.to_string(index=False)}\n{self.caption}"

    def _repr_html_(self) -> str:
        return (f'<div class="cda-demographics">{self.table.to_html(index=False)}'
                f"<p><small>{html.escape(self.caption)}</small></p></div>")


def district_demographics(by_area: pd.DataFrame, query: CensusQuery,
                          districts: Mapping[str, Sequence[str]],
                          district_names: Mapping[str, str],
                          shares: Mapping[str, Sequence[str]] | None = None,
                          ) -> DistrictDemographics:
    """Add the areas up by district: estimates summed, margins combined, shares computed.

    ``districts`` maps each district id to its area codes (a full ``geoid`` or its
    ending, e.g. a tract's six digits); ``shares`` maps a new column to ``[part, whole]``
    (e.g. ``share_renters: [renter_households, households]``). An area listed for a
    district but absent from the download is an error, never a silent gap.

    >>> by_area = pd.DataFrame({"geoid": ["36067000100", "36067000200"], "name": ["A", "B"],
    ...                         "people": [1000.0, 3000.0], "people_moe": [30.0, 40.0]})
    >>> q = CensusQuery(2023, {"people": "B01003_001"})
    >>> district_demographics(by_area, q, {"D1": ["000100", "000200"]}, {"D1": "North"}).table
      district_id district  people  people_moe  areas
    0          D1    North  4000.0        50.0      2
    """
    rows = []
    for district_id, codes in districts.items():
        members = _members(by_area, codes, district_id, query)
        row: dict[str, Any] = {"district_id": district_id,
                               "district": district_names.get(district_id, district_id)}
        for name in query.variables:
            estimates = members[name]
            row[name] = float(estimates.sum()) if estimates.notna().all() else np.nan
            row[f"{name}_moe"] = combine_moe(members[f"{name}_moe"])
        for share, (part, whole) in (shares or {}).items():
            row[share] = row[part] / row[whole] if row[whole] else np.nan
            row[f"{share}_moe"] = proportion_moe(row[part], row[whole], row[f"{part}_moe"],
                                                 row[f"{whole}_moe"])
        row["areas"] = len(members)
        rows.append(row)
    table = pd.DataFrame(rows)
    table["district_id"] = table["district_id"].astype("string")
    table["district"] = table["district"].astype("string")
    return DistrictDemographics(table=table, by_area=by_area, description=query.label)


def _members(by_area: pd.DataFrame, codes: Sequence[str], district_id: str,
             query: CensusQuery) -> pd.DataFrame:
    geoids = by_area["geoid"].astype(str)
    chosen = pd.Series(False, index=by_area.index)
    for code in codes:
        match = geoids.str.endswith(str(code))
        if match.sum() != 1:
            found = "is not among" if match.sum() == 0 else "matches several of"
            raise PortalError(
                f'District {district_id} lists the area "{code}", which {found} the '
                f"{len(by_area):,} areas downloaded ({query.label}). Check "
                "sources.demographics.districts in the city file (write the full code if "
                "two areas end the same way)."
            )
        chosen |= match
    return by_area[chosen.to_numpy()]
