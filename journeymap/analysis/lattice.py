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
_DENSE = 120


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

    def cost(self, steps_of: str, unit: int, last: int) -> float:
        """Estimated microseconds of :meth:`reached` (a count, so answers do not depend on the
        machine's load): one round of numpy calls per block of steps, plus the arithmetic."""
        delay = self._steps(steps_of, unit)[0]
        timed = delay[delay > 0]
        block = int(timed.min()) if len(timed) else last + 1
        blocks = -(-(last + 1) // block)
        arithmetic = self.size * 0.08 if self.n > _DENSE else self.n * self.n * 0.004
        return blocks * (30.0 + arithmetic)

    def _steps(self, steps_of: str, unit: int) -> tuple[np.ndarray, np.ndarray]:
        if steps_of == "floor":
            return self.delay // unit, self.seed_delay // unit
        return -(-self.delay // unit), -(-self.seed_delay // unit)

    def reached(self, steps_of: str, unit: int, last: int) -> float:
        """Probability of reaching kept_at by lattice step ``last`` when a move of ``d``
        nanoseconds takes ``d // unit`` steps (``steps_of`` "floor") or ``ceil(d / unit)``
        ("ceil"; equal when ``unit`` divides every time)."""
        return _propagate(self, *self._steps(steps_of, unit), last)


def _propagate(lat: Lattice, delay: np.ndarray, first: np.ndarray, last: int) -> float:
    n = lat.n
    instant = _Instant(lat, delay == 0)
    timed = delay > 0
    classes = [int(d) for d in np.unique(delay[timed])]
    # One matrix for every timed move, its columns grouped by delay class: a block's moves are one
    # product, and each class a slice of it
    column = np.searchsorted(classes, delay[timed]) * n + lat.dst[timed]
    moves = _matrix(n, len(classes) * n, lat.src[timed], column, lat.p[timed])
    # Steps within a block cannot feed each other: every timed move takes at least `block` steps.
    block = classes[0] if classes else last + 1
    mass = _Buffer(last, (classes[-1] if classes else 0) + block, n)
    for at, p, d in zip(lat.seed_at, lat.seed_p, first):
        if d <= last:
            mass.add(int(d), 1, np.eye(1, n, int(at)) * p)
    reached = 0.0
    for t0 in range(0, last + 1, block):
        count = min(block, last + 1 - t0)
        arriving = mass.take(t0, count)
        if arriving is None:
            continue
        settled = instant.solve(arriving)  # every touchpoint each customer passes in this instant
        reached += float(settled[:, lat.kept].sum())
        settled[:, lat.kept] = 0.0  # kept_at passes nobody on
        if not classes:
            continue
        onward = _times(moves, settled)
        for k, d in enumerate(classes):
            fits = min(count, last + 1 - (t0 + d))
            if fits <= 0:
                break
            mass.add(t0 + d, fits, onward[:fits, k * n:(k + 1) * n])
    return reached


class _Buffer:
    """Mass arriving per (step, touchpoint): a ring of ``span`` steps, or every step when small."""

    def __init__(self, last: int, span: int, n: int) -> None:
        self.ring = last + 1 if (last + 1) * n <= 4_000_000 else span
        self.mass = np.zeros((self.ring, n))
        self.linear = self.ring == last + 1

    def rows(self, t0: int, count: int):  # type: ignore[no-untyped-def]
        if self.linear:
            return slice(t0, t0 + count)
        start = t0 % self.ring
        if start + count <= self.ring:
            return slice(start, start + count)
        return np.arange(t0, t0 + count) % self.ring

    def add(self, t0: int, count: int, values: np.ndarray) -> None:
        self.mass[self.rows(t0, count)] += values

    def take(self, t0: int, count: int) -> np.ndarray | None:
        rows = self.rows(t0, count)
        values = self.mass[rows]
        if not values.any():
            return None
        values = values.copy()
        self.mass[rows] = 0.0
        return values


def _matrix(n: int, columns: int, src: np.ndarray, dst: np.ndarray, p: np.ndarray):  # type: ignore[no-untyped-def]
    """The move matrix M with M[u, c] = p (rows: from), dense for small lattices."""
    if n <= _DENSE:
        m = np.zeros((n, columns))
        np.add.at(m, (src, dst), p)
        return m
    from scipy.sparse import csr_matrix

    return csr_matrix((p, (src, dst)), shape=(n, columns)).T.tocsr()  # stored transposed


def _times(m, rows: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """``rows @ M`` for a block of mass rows, with M dense, or sparse and stored transposed."""
    if isinstance(m, np.ndarray):
        return rows @ m
    return np.asarray(m @ rows.T).T


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
