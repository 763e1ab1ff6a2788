"""Ratios of two rates and of two shares, with 95% intervals, for fair comparisons.

Two groups of districts are compared on the same request types and the same period; the
comparison is a ratio (1 means the same) with a 95% interval, so a sentence can say how
large a difference is and how sure the data is of it.

* Rates (requests per resident-year) are counts over an exposure. Their ratio's interval
  uses the Poisson log method: the log of the ratio has standard error
  ``sqrt(1/a + 1/b)``, where ``a`` and ``b`` are the two counts (Rothman, Greenland and
  Lash, *Modern Epidemiology*, ch. 14).
* Shares (on time, of requests whose standard has passed) are ``x`` of ``n``. Their ratio's
  interval uses the Katz log method: standard error ``sqrt(1/x1 - 1/n1 + 1/x2 - 1/n2)``.

>>> ratio = rate_ratio(200, 1000.0, 100, 1000.0)
>>> round(ratio.value, 2), round(ratio.low, 2), round(ratio.high, 2)
(2.0, 1.57, 2.54)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959964  # the normal quantile of a two-sided 95% interval


@dataclass(frozen=True)
class Ratio:
    """A ratio with its 95% interval; ``value`` is None when a group has nothing to count."""

    value: float | None
    low: float | None
    high: float | None

    @property
    def clear(self) -> bool:
        """Whether the interval leaves out 1: a difference chance alone would rarely make."""
        return self.value is not None and (self.low > 1 or self.high < 1)


NO_RATIO = Ratio(None, None, None)


def _log_interval(value: float, se: float) -> Ratio:
    return Ratio(value, value * math.exp(-Z95 * se), value * math.exp(Z95 * se))


def rate_ratio(count_a: int, exposure_a: float, count_b: int, exposure_b: float) -> Ratio:
    """The ratio of rate a (``count_a / exposure_a``) to rate b, Poisson log interval.

    >>> rate_ratio(0, 10.0, 5, 10.0) == NO_RATIO
    True
    """
    if min(count_a, count_b) <= 0 or min(exposure_a, exposure_b) <= 0:
        return NO_RATIO
    value = (count_a / exposure_a) / (count_b / exposure_b)
    return _log_interval(value, math.sqrt(1 / count_a + 1 / count_b))


def share_ratio(x_a: int, n_a: int, x_b: int, n_b: int) -> Ratio:
    """The ratio of share a (``x_a / n_a``) to share b, Katz log interval.

    >>> r = share_ratio(60, 100, 80, 100)
    >>> round(r.value, 2), round(r.low, 2), round(r.high, 2)
    (0.75, 0.62, 0.9)
    """
    if min(x_a, x_b) <= 0 or min(n_a, n_b) <= 0:
        return NO_RATIO
    value = (x_a / n_a) / (x_b / n_b)
    return _log_interval(value, math.sqrt(1 / x_a - 1 / n_a + 1 / x_b - 1 / n_b))
