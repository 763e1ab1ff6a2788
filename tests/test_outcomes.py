"""Tests of each request's outcome (cda_lib.metrics.outcomes): days to close, on time.

The expected values are worked out by hand from the rows each test writes.
"""

from __future__ import annotations

import pandas as pd
from kpi_fixtures import make_table, pothole_rows

from cda_lib.metrics.outcomes import request_outcomes


def test_request_outcomes_give_censored_days_and_on_time_status():
    # standard 5 days: closed in 3 (on time), 5 (on time: within means <=), 6 (late);
    # open for 10 days (late already), open for 2 days (pending, not known yet).
    rows = pothole_rows([3, 5, 6], offset=0) + pothole_rows([None], offset=20) \
        + pothole_rows([None], offset=28)
    as_of = pd.Timestamp("2025-03-31")
    outcomes = request_outcomes(make_table(rows), {"POTHOLE": 5}, as_of=as_of)
    assert outcomes["days"].tolist() == [3.0, 5.0, 6.0, 10.0, 2.0]
    assert outcomes["closed"].tolist() == [True, True, True, False, False]
    assert outcomes["on_time"].tolist() == [True, True, False, False, pd.NA]
    assert outcomes["standard_passed"].tolist() == [True, True, True, True, False]
