"""Small hand-made tables of service requests for the metrics tests.

:func:`make_table` builds a canonical requests table from (code, days to close, days
after ``start`` opened, district) tuples, so a test's expected numbers can be worked out
by hand from the rows it writes.
"""

from __future__ import annotations

import pandas as pd

AS_OF = pd.Timestamp("2025-03-31 23:59:59")
START = pd.Timestamp("2025-03-01")


def make_table(rows, start=START) -> pd.DataFrame:
    """Requests from (code, days to close or None if open, days after ``start`` opened,
    district) tuples; open requests have no closed date."""
    codes, closes, offsets, districts = zip(*rows, strict=True)
    requested = [start + pd.Timedelta(days=o) for o in offsets]
    closed = [r + pd.Timedelta(days=c) if c is not None else pd.NaT
              for r, c in zip(requested, closes, strict=True)]
    return pd.DataFrame({
        "service_request_id": pd.array([f"R{i}" for i in range(len(rows))], dtype="string"),
        "service_code": pd.array(codes, dtype="string"),
        "service_name": pd.array([c.title() for c in codes], dtype="string"),
        "status": pd.array(["open" if c is None else "closed" for c in closes], dtype="string"),
        "status_notes": pd.array(["In progress" if c is None else "Completed" for c in closes],
                                 dtype="string"),
        "requested_datetime": pd.Series(requested, dtype="datetime64[ns]"),
        "closed_datetime": pd.Series(closed, dtype="datetime64[ns]"),
        "district": pd.array(districts, dtype="string"),
    })


def pothole_rows(closes, district="Northbank", offset=0):
    return [("POTHOLE", c, offset, district) for c in closes]


def mixed_table() -> pd.DataFrame:
    """Three requests: two potholes (Northbank, Old Town), one noise complaint (Old Town)."""
    return make_table([("POTHOLE", 1, 0, "Northbank"), ("NOISE", 1, 3, "Old Town"),
                       ("POTHOLE", 2, 20, "Old Town")])
