"""Synthetic district demographics and boundaries for page 3.3, made from a city's seed.

Page 3.3 sets each district's service against its share of low-income households, renters
and residents without internet. A city file that gives these shares (``demographics`` of
each district) is used as it is. A city that gives none gets **synthetic** shares, made
from its seed so every build of the city shows the same ones, and labelled as synthetic
wherever they are shown: they stand in for the American Community Survey (or a national
census) until the city adds its own.

Boundaries work the same way: a city whose file names a GeoJSON of its districts gets its
own shapes (:func:`cda_lib.sources.geojson.read_district_shapes`); the demo cities get a
generated grid of rectangles, one per district, inside the city's bounding box (or a unit
square), in an order shuffled by the seed. They are a diagram, not a map.

>>> table = synthetic_demographics(["North", "South"], seed=7)
>>> list(table.columns)
['district', 'share_low_income', 'share_renters', 'share_without_internet']
>>> bool(table["share_low_income"].between(0, 1).all())
True
"""

from __future__ import annotations

import math

DEMOGRAPHICS = ("share_low_income", "share_renters", "share_without_internet")


def synthetic_demographics(names, *, seed: int):
    """Made-up shares for each district name, from the seed (the same seed, the same shares).

    Low-income shares run from 5% to 45%; the share without internet follows it (about half
    of it, with noise), since the two go together in most cities; renters run 20% to 75%.
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    count = len(names)
    low = rng.uniform(0.05, 0.45, count)
    return pd.DataFrame({
        "district": [str(name) for name in names],
        "share_low_income": low.round(2),
        "share_renters": rng.uniform(0.20, 0.75, count).round(2),
        "share_without_internet": np.clip(low * 0.6 + rng.normal(0, 0.03, count), 0.01,
                                          0.6).round(2),
    })


def grid_boundaries(names, *, seed: int, bounds=None) -> dict[str, list[list[tuple]]]:
    """One rectangle per district in a grid over ``bounds`` (or the unit square).

    Returns ``{district: [ring]}``, each ring a closed list of (x, y) corners, the shape
    :func:`cda_lib.sources.geojson.read_district_shapes` returns for a real city.

    >>> shapes = grid_boundaries(["A", "B", "C"], seed=1)
    >>> sorted(shapes), len(shapes["A"][0])
    (['A', 'B', 'C'], 5)
    """
    import numpy as np

    order = [str(name) for name in names]
    np.random.default_rng(seed).shuffle(order)
    columns = max(1, math.ceil(math.sqrt(len(order))))
    rows = max(1, math.ceil(len(order) / columns))
    west, south, east, north = (0.0, 0.0, 1.0, 1.0) if bounds is None else (
        bounds.west, bounds.south, bounds.east, bounds.north)
    width, height = (east - west) / columns, (north - south) / rows
    shapes = {}
    for index, name in enumerate(order):
        row, column = divmod(index, columns)
        x0, y0 = west + column * width, north - (row + 1) * height
        shapes[name] = [[(x0, y0), (x0 + width, y0), (x0 + width, y0 + height),
                         (x0, y0 + height), (x0, y0)]]
    return shapes
