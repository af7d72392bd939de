"""Timed promises on a time lattice: dynamic programming over (touchpoint, time step), in numpy.

Every move takes a fixed time, so the share of customers who reach ``kept_at`` within ``T`` is a
sum over a discrete set of arrival times. With a lattice step that divides every move's time (the
greatest common divisor, in nanoseconds), the mass of customers arriving at each touchpoint in each
step is propagated forward in time order: exactly, in O((touchpoints + moves) × T/step). Moves
that take no time are solved at each step as one linear system (customers may pass several
touchpoints, or go round a loop of such moves, within one instant). This is the discrete-time
analysis of Markov chains with deterministic delays: see Ummels and Baier, "Computing quantiles in
Markov reward models" (FoSSaCS 2013), and Hahn and Hartmanns, "A comparison of time- and
reward-bounded probabilistic model checking techniques" (SETTA 2016, arXiv:1605.05551).

When T/step is too large, the same computation on a coarser step ``δ`` bounds the answer: with
every move's time rounded *down* to a multiple of δ, no customer is later than in truth, so the
result is an upper bound; rounded *up*, a lower bound (the share on time only grows as times
shrink). The bounds are certified, not estimates; a finer δ narrows them.

numpy is imported here only: the module is loaded when a promise needs the lattice.
"""

from __future__ import annotations

from collections.abc import Mapping
from math import gcd

import numpy as np

# A lattice of at most this many touchpoints uses dense matrices; above, scipy.sparse.
_DENSE = 300


class Lattice:
    """The touchpoints between made_at and kept_at, their moves, and the times those take.

    ``sub``: node → {successor: probability} (kept_at's row empty; other edges may leave ``sub``:
    those customers are simply gone). ``start``: the first moves out of made_at. ``delay``: the
    nanoseconds a move takes; ``first``: those of the first moves.
    """

    def __init__(self, sub: Mapping[str, Mapping[str, float]], start: Mapping[str, float],
                 delay: Mapping[tuple[str, str], int], first: Mapping[str, int], kept: str) -> None:
        nodes = list(sub)
        index = {v: i for i, v in enumerate(nodes)}
        moves = [(index[u], index[w], p, delay[u, w]) for u, out in sub.items() if u != kept
                 for w, p in out.items() if w in index and p > 0]
        self.n, self.kept = len(nodes), index[kept]
        self.src = np.array([m[0] for m in moves], dtype=np.int64)
        self.dst = np.array([m[1] for m in moves], dtype=np.int64)
        self.p = np.array([m[2] for m in moves], dtype=np.float64)
        self.delay = np.array([m[3] for m in moves], dtype=np.int64)
        seeds = [(index[w], p, first[w]) for w, p in start.items() if w in index and p > 0]
        self.seed_at = np.array([s[0] for s in seeds], dtype=np.int64)
        self.seed_p = np.array([s[1] for s in seeds], dtype=np.float64)
        self.seed_delay = np.array([s[2] for s in seeds], dtype=np.int64)

    @property
    def size(self) -> int:
        """Work per lattice step: touchpoints plus moves."""
        return self.n + len(self.p)

    def step(self) -> int:
        """The exact lattice step in nanoseconds: the gcd of every time (0 when all are 0)."""
        g = 0
        for value in np.unique(np.concatenate([self.delay, self.seed_delay])):
            g = gcd(g, int(value))
        return g

    def reached(self, steps_of: str, unit: int, last: int) -> float:
        """Probability of reaching kept_at by lattice step ``last`` when a move of ``d``
        nanoseconds takes ``d // unit`` steps (``steps_of`` "floor") or ``ceil(d / unit)``
        ("ceil"; equal when ``unit`` divides every time)."""
        if steps_of == "floor":
            delay, first = self.delay // unit, self.seed_delay // unit
        else:
            delay, first = -(-self.delay // unit), -(-self.seed_delay // unit)
        return _propagate(self, delay, first, last)


def _propagate(lat: Lattice, delay: np.ndarray, first: np.ndarray, last: int) -> float:
    n = lat.n
    instant = _Instant(lat, delay == 0)
    later = [(int(d), _matrix(n, lat.src[delay == d], lat.dst[delay == d], lat.p[delay == d]))
             for d in np.unique(delay[delay > 0])]
    # Steps within a block cannot feed each other: every timed move takes at least `block` steps.
    block = min((d for d, _ in later), default=last + 1)
    ring = max((d for d, _ in later), default=0) + block
    mass = np.zeros((ring, n))
    for at, p, d in zip(lat.seed_at, lat.seed_p, first):
        if d <= last:
            mass[d % ring, at] += p
    reached = 0.0
    for t0 in range(0, last + 1, block):
        rows = np.arange(t0, min(t0 + block, last + 1)) % ring
        arriving = mass[rows]
        mass[rows] = 0.0
        if not arriving.any():
            continue
        settled = instant.solve(arriving)  # every touchpoint each customer passes in this instant
        reached += float(settled[:, lat.kept].sum())
        settled[:, lat.kept] = 0.0  # kept_at passes nobody on
        for d, m in later:
            count = min(len(rows), last + 1 - (t0 + d))
            if count <= 0:
                continue
            targets = np.arange(t0 + d, t0 + d + count) % ring
            mass[targets] += _times(m, settled[:count])
    return reached


def _matrix(n: int, src: np.ndarray, dst: np.ndarray, p: np.ndarray):  # type: ignore[no-untyped-def]
    """The move matrix M with M[u, w] = p(u → w), dense for small lattices (rows: from)."""
    if n <= _DENSE:
        m = np.zeros((n, n))
        np.add.at(m, (src, dst), p)
        return m
    from scipy.sparse import csr_matrix

    return csr_matrix((p, (src, dst)), shape=(n, n))


def _times(m, rows: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """``rows @ m`` for a block of mass rows, with ``m`` dense or sparse."""
    if isinstance(m, np.ndarray):
        return rows @ m
    return np.asarray((m.T @ rows.T).T)


class _Instant:
    """The moves that take no time: y = x + y·M0, solved for a block of rows at once."""

    def __init__(self, lat: Lattice, zero: np.ndarray) -> None:
        self.none = not zero.any()
        if self.none:
            return
        n = lat.n
        if n <= _DENSE:
            m = np.zeros((n, n))
            np.add.at(m, (lat.src[zero], lat.dst[zero]), lat.p[zero])
            self.inverse = np.linalg.inv(np.eye(n) - m)
            self.lu = None
        else:
            from scipy.sparse import csc_matrix, identity
            from scipy.sparse.linalg import splu

            m = csc_matrix((lat.p[zero], (lat.src[zero], lat.dst[zero])), shape=(n, n))
            self.lu = splu((identity(n, format="csc") - m).T.tocsc())

    def solve(self, x: np.ndarray) -> np.ndarray:
        if self.none:
            return x.copy()
        if self.lu is None:
            return np.maximum(x @ self.inverse, 0.0)
        return np.maximum(np.asarray(self.lu.solve(np.ascontiguousarray(x.T))).T, 0.0)
