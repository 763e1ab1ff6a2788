"""The values a set-up cell gives an exercise, shown by their names, in no language; and
the tables a table exercise's menu offers (:func:`table_options`).

A set-up cell works out what a question refers to (``top_type``, ``years``) and shows it.
Showing the values under the names the question uses reads the same on every page, where
an English sentence would not:

>>> show_values(top_type="Bulky item pickup", years=2.0, share=0.8214)
top_type = Bulky item pickup
years = 2
share = 0.8214
>>> from cda_lib.text.translation import use_language
>>> with use_language("es"):
...     print(show_values(requests=12345, share=0.5))
requests = 12.345
share = 0,5
"""

from __future__ import annotations

import html
from numbers import Number

from cda_lib.text.numbers import format_number


class ShownValues:
    """Named values, shown one per line (as text, and as a small table in a notebook)."""

    def __init__(self, values: dict[str, object]):
        self.values = dict(values)
        self.lines = [f"{name} = {_written(value)}" for name, value in self.values.items()]

    def __repr__(self) -> str:
        return "\n".join(self.lines)

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><th scope='row' style='text-align:left'><code>{html.escape(name)}"
                       f"</code></th><td style='text-align:left'>{html.escape(_written(value))}"
                       "</td></tr>" for name, value in self.values.items())
        return f"<table class='cda-values'>{rows}</table>"


def show_values(**values: object) -> ShownValues:
    """Show ``values`` under their names, numbers written the page language's way."""
    return ShownValues(values)


def _written(value: object) -> str:
    if isinstance(value, Number) and not isinstance(value, bool):
        return format_number(float(value))
    return str(value)


def table_options(candidates: list, *, absolute: float = 0.0, most: int = 3) -> dict:
    """The tables a table exercise's menu offers, lettered A, B, C ...

    ``candidates`` are the right table first, then each named mistake's table (``None``
    when the city's data cannot make one). A table the same as one already kept (same
    rows, numbers within ``absolute``) is left out, so no two options look alike; at most
    ``most`` are kept, then lettered in an order drawn from their own numbers. Lettered by
    size, the right table would sit at the same place in every city (a rate per 100 is
    always smaller, a two-year total always larger), and a participant could pick it
    without reading; drawn this way, its letter changes from city to city yet stays the
    same each time a city's page is built.

    >>> import pandas as pd
    >>> right, double = pd.Series({"North": 2.0}), pd.Series({"North": 4.0})
    >>> options = table_options([double, right, right.copy()])
    >>> sorted(options), sorted(v.tolist() for v in options.values())
    (['A', 'B'], [[2.0], [4.0]])
    """
    import pandas as pd

    kept: list = []
    for table in candidates:
        if table is None or len(table) == 0:
            continue
        series = pd.Series(table, dtype="float64")
        if any(_same_table(series, other, absolute) for other in kept):
            continue
        kept.append(series)
        if len(kept) == most:
            break
    ordered = sorted(kept, key=_drawn_place)
    return {chr(ord("A") + position): series for position, series in enumerate(ordered)}


def _drawn_place(series) -> str:
    """A place for a table that only its rows and numbers decide (no seed, no clock)."""
    import hashlib

    text = ";".join(f"{index}={float(value):.6g}"
                    for index, value in sorted(series.items(), key=lambda item: str(item[0])))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _same_table(one, other, absolute: float) -> bool:
    if set(one.index) != set(other.index):
        return False
    return bool(((one - other.reindex(one.index)).abs() <= absolute + 1e-9).all())
