"""District shapes from a GeoJSON file, read with the standard library only (no GIS stack).

A city file may name its districts' boundaries (``sources.district_boundaries.path``, a
GeoJSON FeatureCollection of Polygons or MultiPolygons with the district's name in a
property, ``name`` unless ``name_property`` says otherwise). Page 3.3 draws them with
matplotlib patches; holes are ignored, since a choropleth of districts only needs outlines.

>>> import json, tempfile, pathlib
>>> square = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]
>>> doc = {"type": "FeatureCollection", "features": [{"type": "Feature",
...        "properties": {"name": "North"}, "geometry": {"type": "Polygon",
...        "coordinates": square}}]}
>>> path = pathlib.Path(tempfile.mkdtemp()) / "d.geojson"
>>> _ = path.write_text(json.dumps(doc))
>>> read_district_shapes(path)["North"][0][:2]
[(0.0, 0.0), (1.0, 0.0)]
"""

from __future__ import annotations

import json
from pathlib import Path

from cda_lib.core.errors import CdaError
from cda_lib.text.translation import gettext as _


class BoundaryError(CdaError, ValueError):
    """The boundaries file cannot be read as district shapes."""


def read_district_shapes(path, *, name_property: str = "name") -> dict[str, list[list[tuple]]]:
    """``{district: [outer ring, ...]}`` from a GeoJSON FeatureCollection."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BoundaryError(_("The district boundaries file {path} cannot be read as GeoJSON: "
                              "{error}", path=str(path), error=str(error))) from error
    shapes: dict[str, list[list[tuple]]] = {}
    for feature in doc.get("features", []):
        name = (feature.get("properties") or {}).get(name_property)
        geometry = feature.get("geometry") or {}
        polygons = {"Polygon": [geometry.get("coordinates")],
                    "MultiPolygon": geometry.get("coordinates")}.get(geometry.get("type"))
        if name is None or not polygons:
            continue
        shapes.setdefault(str(name), []).extend(
            [(float(x), float(y)) for x, y, *_rest in polygon[0]] for polygon in polygons
            if polygon)
    return shapes
