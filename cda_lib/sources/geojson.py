"""District shapes from a GeoJSON file, read with the standard library only (no GIS stack).

A city file may name its districts' boundaries (``sources.district_boundaries.path``, a
GeoJSON FeatureCollection of Polygons or MultiPolygons with the district's name in a
property, ``name`` unless ``name_property`` says otherwise). Page 3.3 draws them with
matplotlib patches; holes are ignored, since a choropleth of districts only needs outlines.
A city's own file is messy like its other exports: a feature without the name property or
without a usable polygon is set aside, counted with its reason (``shapes.set_aside``), and
the rest are kept; a file with nothing usable says what it holds and what to change.

>>> import json, tempfile, pathlib
>>> square = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]
>>> doc = {"type": "FeatureCollection", "features": [{"type": "Feature",
...        "properties": {"name": "North"}, "geometry": {"type": "Polygon",
...        "coordinates": square}}, {"type": "Feature", "properties": {"name": "South"},
...        "geometry": None}]}
>>> path = pathlib.Path(tempfile.mkdtemp()) / "d.geojson"
>>> _ = path.write_text(json.dumps(doc))
>>> shapes = read_district_shapes(path)
>>> shapes["North"][0][:2]
[(0.0, 0.0), (1.0, 0.0)]
>>> shapes.features_read, shapes.set_aside
(2, {'no usable polygon': 1})
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from cda_lib.core.errors import CdaError
from cda_lib.text.translation import gettext as _

NO_NAME = "no name"
NO_POLYGON = "no usable polygon"


class BoundaryError(CdaError, ValueError):
    """The boundaries file cannot be read as district shapes."""


class DistrictShapes(dict):
    """``{district: [outer ring, ...]}``, with how many features were read and how many were
    set aside for each reason (``features_read = kept + sum(set_aside.values())``)."""

    def __init__(self, shapes=(), *, features_read: int = 0, set_aside: Counter | None = None):
        super().__init__(shapes)
        self.features_read = features_read
        self.set_aside = dict(set_aside or {})


def read_district_shapes(path, *, name_property: str = "name") -> DistrictShapes:
    """The district outlines in a GeoJSON FeatureCollection (see the module docstring)."""
    features = _features(path)
    shapes: dict[str, list[list[tuple]]] = {}
    set_aside: Counter = Counter()
    properties_seen: list[str] = []
    for feature in features:
        properties = feature.get("properties") if isinstance(feature, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        properties_seen = properties_seen or sorted(properties)
        name = properties.get(name_property)
        rings = _outer_rings(feature.get("geometry") if isinstance(feature, dict) else None)
        if name is None or str(name).strip() == "":
            set_aside[NO_NAME] += 1
        elif not rings:
            set_aside[NO_POLYGON] += 1
        else:
            shapes.setdefault(str(name).strip(), []).extend(rings)
    if not shapes:
        raise BoundaryError(_(
            "None of the {count} features in the district boundaries file {path} has a "
            "'{property}' property and a polygon. Its features' properties are: {found}. Set "
            "name_property in the city file to the property that holds each district's name.",
            count=len(features), path=str(path), property=name_property,
            found=", ".join(properties_seen) or _("none")))
    return DistrictShapes(shapes, features_read=len(features), set_aside=set_aside)


def _features(path) -> list:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise BoundaryError(_("There is no file at {path}. Check the path and the file name.",
                              path=str(path))) from error
    except (OSError, ValueError) as error:
        raise BoundaryError(_("The district boundaries file {path} cannot be read as GeoJSON: "
                              "{error}", path=str(path), error=str(error))) from error
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise BoundaryError(_(
            "The district boundaries file {path} is not a GeoJSON FeatureCollection: it has "
            "no list of features. Export the districts as a FeatureCollection of polygons, "
            "or remove district_boundaries from the city file to draw generated outlines.",
            path=str(path)))
    return features


def _outer_rings(geometry) -> list[list[tuple]]:
    """Each polygon's outer ring as (x, y) pairs; [] when the geometry has none usable."""
    if not isinstance(geometry, dict):
        return []
    coordinates = geometry.get("coordinates")
    polygons = {"Polygon": [coordinates], "MultiPolygon": coordinates}.get(geometry.get("type"))
    rings = []
    for polygon in polygons if isinstance(polygons, list) else []:
        try:
            ring = [(float(point[0]), float(point[1])) for point in polygon[0]]
        except (TypeError, ValueError, IndexError, KeyError):
            continue
        if len(ring) >= 3:
            rings.append(ring)
    return rings
