"""Fairfield's stakeholders: a list small enough to place by hand, for page 3.1.

The city is Fairfield of tests/equity_fixtures.py (districts Amber, Birch and Cedar, 4,000
residents), with each of its 60 requests of 2025 given three times over, so that the latest
whole quarter holds the 30 requests page 1.2's on-time share needs: 180 requests in all.

Its stakeholder file (``STAKEHOLDER_CSV``) has 11 rows. Three are set aside: "Bad Row"
(interest 6), a row with no name, and "Fairfield council" (the name of row 1 again, in other
letters). Eight are kept; "Garden Club" is flagged twice: its group "gardening" is read as
other and its district "Zinc" is not in the city file (left empty). With 4 or 5 high:

    name                 interest  influence  quadrant
    Fairfield Council       4          5      manage closely
    Streets Department      5          4      manage closely
    Workers' Union          3          5      keep satisfied   (3 is not high)
    Chamber of Commerce     2          4      keep satisfied
    Amber Tenants           4          2      keep informed    (district Amber)
    Civic Coders            5          1      keep informed
    Local Radio             3          3      monitor
    Garden Club             2          2      monitor
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
from equity_fixtures import equity_data

from cda_lib.cities.city import DataSource
from cda_lib.data import CityData

STAKEHOLDER_CSV = """\
Name,Group,District,Interest,Influence
Fairfield Council,council,,4,5
Streets Department,department,,5,4
Workers' Union,union,,3,5
Chamber of Commerce,business,,2,4
Amber Tenants,residents,Amber,4,2
Civic Coders,civic_tech,,5,1
Local Radio,media,,3,3
Bad Row,other,,6,2
,other,,3,3
Fairfield council,council,,4,4
Garden Club,gardening,Zinc,2,2
"""


def tripled(requests: pd.DataFrame) -> pd.DataFrame:
    """Each request three times, with ids of their own."""
    copies = [requests.assign(service_request_id=requests["service_request_id"] + f"-{n}")
              for n in range(3)]
    return pd.concat(copies, ignore_index=True)


def stakeholder_data(folder: Path, *, with_file: bool = True) -> CityData:
    """Fairfield with its requests tripled, 4,000 residents and (``with_file``) its own
    stakeholder file, written to ``folder``."""
    data = equity_data()
    sources = dict(data.city.sources)
    if with_file:
        path = Path(folder) / "stakeholders.csv"
        path.write_text(STAKEHOLDER_CSV, encoding="utf-8")
        sources["stakeholders"] = DataSource("stakeholders", "local", {"path": str(path)})
    city = dataclasses.replace(data.city, name="Fairfield", population=4000, sources=sources)
    return dataclasses.replace(data, city=city, requests=tripled(data.requests))
