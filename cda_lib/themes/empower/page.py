"""Page 3.3 put together from a city's data: the district table, the fair comparison,
the channel mix, the shapes for the choropleth and the record for the capstone.

:func:`equity_page` reads once what the page's cells show; a city whose districts table
lacks demographics gets synthetic ones (:func:`cda_lib.themes.empower.equity.with_demographics`)
and every chart and table then says so.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cda_lib.core.readable import Sentences
from cda_lib.sources.geojson import read_district_shapes
from cda_lib.synth.districts import grid_boundaries
from cda_lib.synth.investments import investment_seed
from cda_lib.text.translation import gettext as _
from cda_lib.themes.empower.equity import (
    GroupComparison,
    channel_mix,
    compare_groups,
    compared_requests,
    district_ratios,
    equity_table,
    readable_equity,
    with_demographics,
)
from cda_lib.themes.lead.patterns import months_covered

if TYPE_CHECKING:
    import pandas as pd

    from cda_lib.data import CityData


@dataclass(frozen=True)
class EquityPage:
    """What page 3.3 shows for one city."""

    table: pd.DataFrame
    synthetic_demographics: bool
    comparison: GroupComparison
    years: float
    context: Any

    def readable(self):
        return readable_equity(self.table, district_ratios(self.table, self.years),
                               synthetic=self.synthetic_demographics)

    def record(self) -> pd.DataFrame:
        """The capstone's ``equity_by_district`` table."""
        return self.table[["district", "share_low_income", "per_1000_a_year", "median_days",
                           "on_time_share"]].copy()


def equity_page(data: CityData) -> EquityPage:
    """The page's figures for this city's data (its requests, districts and standards)."""
    census = data.demographics.table if data.demographics is not None else None
    districts, synthetic = with_demographics(data.districts, seed=investment_seed(data.city),
                                             census=census)
    standards = data.city.service_standards or None
    table = equity_table(data.requests, districts, standards, as_of=data.as_of)
    table = table[table["population"].astype(float) > 0].reset_index(drop=True)
    comparison = compare_groups(data.requests, table, standards, as_of=data.as_of)
    years = months_covered(compared_requests(data.requests, standards)) / 12
    context = data.chart_context
    if synthetic and not context.synthetic:
        context = dataclasses.replace(context, synthetic=True)
    return EquityPage(table, synthetic, comparison, years, context)


def channels(data: CityData, page: EquityPage):
    """The channel mix by district, or a sentence when the data has no channel column."""
    if "channel" not in data.requests.columns or data.requests["channel"].isna().all():
        return Sentences([_("This city's requests do not say how they arrived (no channel "
                            "column), so the page cannot show who reports online.")])
    return channel_mix(data.requests, page.table["district"].tolist())


def district_shapes(data: CityData) -> tuple[dict, bool]:
    """The districts' outlines and whether they are generated: the city's GeoJSON
    (``sources.district_boundaries.path``) when it gives one, else a seeded grid."""
    source = data.city.sources.get("district_boundaries")
    path = source.options.get("path") if source is not None else None
    if path:
        return read_district_shapes(data.city.path.parent / path,
                                    name_property=source.options.get("name_property", "name")
                                    ), False
    names = data.districts["district"].astype(str).tolist()
    return grid_boundaries(names, seed=investment_seed(data.city), bounds=data.city.bounds), True
