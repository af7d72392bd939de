"""Medians and 90th percentiles from a histogram of times, exactly as DuckDB's percentile_cont.

``percentile_cont`` is an ordered aggregate: both engines hold every value of a group in memory
until the group is done, so at 10 million events the moves' times alone outgrew a 128 MB limit.
The queries instead count each move's (and each promise's) times (``queries.MOVE_TIMES``,
``PROMISE_TIMES``: hash aggregations, which spill) and ask for the values at the two ranks around
each quantile (``MOVE_RANKS``, ``PROMISE_RANKS``); the interpolation between them happens here,
once per move, the same for both engines.

The ranks and the interpolation are DuckDB's (``Interpolator``): ``RN = (n - 1) · q`` in double
precision, the values at ``floor(RN)`` and ``ceil(RN)`` of the sorted times, the lower one when the
two are equal, else ``lo · (1 − d) + hi · d`` with ``d = RN − floor(RN)``, the first product fused
into the sum (one rounding), as the DuckDB build the figures were first made with computes it:
tested against ``percentile_cont`` on thousands of groups (tests/test_observe_floor.py).
"""

from __future__ import annotations

import math
from fractions import Fraction

QUANTILES = (0.5, 0.9)


def ranks(n: int, q: float) -> tuple[int, int, float]:
    """The ranks (from 0) of the two values ``q`` lies between among ``n``, and how far between."""
    rn = float(n - 1) * q
    low = math.floor(rn)
    return low, math.ceil(rn), rn - low


def interpolate(lo: float, hi: float, d: float) -> float:
    if lo == hi:
        return lo
    return float(Fraction(lo) * Fraction(1.0 - d) + Fraction(hi * d))


def wanted(groups: list[tuple[tuple[int, ...], int]], qs: tuple[float, ...] = QUANTILES
           ) -> list[tuple[int, ...]]:
    """The (*key, rank) rows to ask for, given each group's key and number of times."""
    rows = set()
    for key, n in groups:
        for q in qs:
            low, high, _ = ranks(int(n), q)
            rows.add((*key, low))
            rows.add((*key, high))
    return sorted(rows)


def quantile(values: dict[int, float], n: int, q: float) -> float:
    """The ``q`` quantile of a move's ``n`` times, from its ``values`` at the ranks :func:`wanted` asked for."""
    low, high, d = ranks(n, q)
    return interpolate(float(values[low]), float(values[high]), d)
