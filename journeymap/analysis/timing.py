"""Elapsed time between a promise being made and kept: the fastest path, and who is on time.

Elapsed time runs from the end of ``made_at`` to the start of ``kept_at``: the ``wait`` and
``duration`` of every touchpoint in between plus the ``wait`` of ``kept_at`` (missing times are 0).
So a move ``u → w`` costs ``duration(u) + wait(w)``, and the first move out of ``made_at`` costs
only ``wait(w)``.

The share of customers on time is computed without enumerating paths. Customers are carried
forward in time order, as (elapsed time, touchpoint) states with the share of customers in each;
equal times merge, moves that take no time are solved as a Markov chain at that instant, and
customers later than ``within`` drop out. Times are whole nanoseconds, so every time a file can
write is exact and the answer is exact, loops or not: each loop passed again adds time, so the
states run out at ``within``.

Only the number of distinct (time, touchpoint) states can grow: several loops of unrelated
durations inside a long time limit. Past ``EXACT_BUDGET`` states, two coarse grids bound the answer
instead: times rounded down to the grid (an upper bound) and rounded up (a lower bound), refined
until they are within ``2 × TOLERANCE``; the midpoint is returned with its error bound. They have
their own budget, so a pathological file (a timed promise across thousands of touchpoints full of
loops) cannot stall a CI run: the answer is then the best bounds reached, and the error bound says
how wide they are (at worst, 0 to the probability of reaching ``kept_at`` at all).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from journeymap.analysis.markov import Edges, Propagator
from journeymap.graph import JourneyGraph

TOLERANCE = 0.01  # the bound for timed probabilities with loops
BOUND_LAYERS = (256, 2048, 16_384)  # the grids tried for bounds, finest last
EXACT_BUDGET = 200_000  # (time, component) states for the exact answer, per promise
BOUND_BUDGET = 200_000  # … and for the bounds, when the exact answer needs more
# All the timed promises of one journey together: past three promises at the full budgets, each
# gets an equal part, so a journey with a hundred long timed promises still checks in seconds
# (its answers become bounds sooner, and their error is reported).
JOURNEY_BUDGET = 3 * (EXACT_BUDGET + BOUND_BUDGET)
# A state with fewer customers than this is dropped and its share added to the error bound: loops
# passed many times make ever smaller states, and following them to `within` buys nothing.
NEGLIGIBLE = 1e-12


@dataclass(frozen=True)
class Times:
    """Each touchpoint's ``wait`` and ``duration`` in seconds, missing as 0."""

    wait: dict[str, float]
    duration: dict[str, float]

    @classmethod
    def of(cls, jg: JourneyGraph) -> Times:
        tps = jg.journey.touchpoints
        return cls({tp.id: tp.wait or 0.0 for tp in tps}, {tp.id: tp.duration or 0.0 for tp in tps})

    def move(self, u: str | None, w: str) -> float:
        """The elapsed time of moving from ``u`` to ``w`` (``u`` None: leaving ``made_at``)."""
        return (self.duration[u] if u is not None else 0.0) + self.wait[w]


def fastest(jg: JourneyGraph, times: Times, made: str, kept: str) -> tuple[float, tuple[str, ...]] | None:
    """The least elapsed time from ``made`` to ``kept`` over any path, and that path (Dijkstra)."""
    best: dict[str, float] = {}
    came_from: dict[str, str | None] = {}
    heap: list[tuple[float, int, str, str | None]] = []
    count = 0
    for w in jg.g.successors(made):
        heap.append((times.move(None, w), (count := count + 1), w, None))
    heapq.heapify(heap)
    while heap:
        d, _, u, prev = heapq.heappop(heap)
        if u in best:
            continue
        best[u], came_from[u] = d, prev
        if u == kept:
            return d, _path(came_from, made, kept)
        for w in jg.g.successors(u):
            if w not in best:
                heapq.heappush(heap, (d + times.move(u, w), (count := count + 1), w, u))
    return None


def _path(came_from: dict[str, str | None], made: str, kept: str) -> tuple[str, ...]:
    path = [kept]
    node = came_from[kept]
    while node is not None:
        path.append(node)
        node = came_from[node]
    path.append(made)
    return tuple(reversed(path))


@dataclass(frozen=True)
class OnTime:
    probability: float
    error: float  # the answer is within ± error of the true value (0: exact)


def on_time(edges: Edges, times: Times, made: str, kept: str, within: float, reached: float = 1.0,
            share: float = 1.0) -> OnTime:
    """Probability that a customer leaving ``made`` reaches ``kept`` with elapsed ≤ ``within``.

    ``reached``, the probability of reaching ``kept`` at all, is the upper bound to start from.
    ``share`` scales the work budgets: a journey with many timed promises gives each a part of
    :data:`JOURNEY_BUDGET`, so its total work stays bounded.
    """
    sub = between(edges, made, kept)
    start = {w: p for w, p in edges[made].items() if w in sub}
    if not start:
        return OnTime(0.0, 0.0)
    grid = _Grid(sub, start, times, kept)
    exact = grid.reached(_nanoseconds, _nanoseconds(within), _Budget(round(EXACT_BUDGET * share)))
    return exact if exact is not None else _bounded(grid, within, reached, share)


def budget_share(timed_promises: int) -> float:
    """The part of the per-promise budgets each of a journey's timed promises may spend."""
    return min(1.0, JOURNEY_BUDGET / (EXACT_BUDGET + BOUND_BUDGET) / max(timed_promises, 1))


def _nanoseconds(seconds: float) -> int:
    """Whole nanoseconds: any time written in a file (``1.5h``, ``PT0.25S``) is one, exactly, and
    sums of integers do not drift the way sums of floats do."""
    return round(seconds * 1e9)


def between(edges: Edges, made: str, kept: str) -> dict[str, dict[str, float]]:
    """The edges among touchpoints that lie on some positive-probability path made → … → kept."""
    ahead = _closure(edges[made], lambda u: () if u == kept else edges[u])
    back: dict[str, list[str]] = {}
    for u in ahead:
        for w in edges[u]:
            back.setdefault(w, []).append(u)
    behind = _closure([kept], lambda u: back.get(u, ())) | {kept}
    keep = ahead & behind
    return {u: ({} if u == kept else {w: p for w, p in edges[u].items() if w in keep}) for u in keep}


def _closure(seeds: Iterable[str], step: Callable[[str], Iterable[str]]) -> set[str]:
    seen = set(seeds)
    stack = list(seen)
    while stack:
        for w in step(stack.pop()):
            if w not in seen:
                seen.add(w)
                stack.append(w)
    return seen


class _Budget:
    """Work allowed: (time, component) states processed, across every grid it is used for."""

    def __init__(self, states: int) -> None:
        self.left = states

    def spend(self) -> bool:
        self.left -= 1
        return self.left >= 0


def _bounded(grid: _Grid, within: float, reached: float, share: float = 1.0) -> OnTime:
    """Times rounded down give an upper bound, rounded up a lower one: refine until they meet."""
    budget = _Budget(round(BOUND_BUDGET * share))
    low, high = 0.0, reached
    for layers in BOUND_LAYERS if within > 0 else ():
        upper = grid.reached(_rounded(math.floor, within / layers), layers, budget)
        lower = (grid.reached(_rounded(math.ceil, within / layers), layers, budget)
                 if upper is not None else None)
        if upper is None or lower is None:
            break  # out of budget: keep the best bounds so far
        low = max(low, lower.probability - lower.error)
        high = min(high, upper.probability + upper.error)
        if high - low <= 2 * TOLERANCE:
            break
    return OnTime((high + low) / 2, max(high - low, 0.0) / 2)


def _rounded(rounding: Callable[[float], int], unit: float) -> Callable[[float], int]:
    """Seconds to whole grid steps of ``unit`` seconds, rounded down (floor) or up (ceil)."""
    return lambda seconds: rounding(seconds / unit)


class _Grid:
    """The touchpoints between made_at and kept_at, for computing on a time grid."""

    def __init__(self, sub: dict[str, dict[str, float]], start: Mapping[str, float], times: Times,
                 kept: str) -> None:
        self.sub, self.start, self.times, self.kept = sub, start, times, kept

    def reached(self, units: Callable[[float], int], last: int, budget: _Budget) -> OnTime | None:
        """Probability of reaching kept_at by grid time ``last`` when a move of ``c`` seconds
        takes ``units(c)`` steps, give or take the customers dropped as negligible; None when the
        budget runs out."""
        move = self.times.move
        instant = {u: {w: p for w, p in out.items() if units(move(u, w)) == 0} for u, out in self.sub.items()}
        later = {u: [(w, units(move(u, w)), p) for w, p in out.items() if w not in instant[u]]
                 for u, out in self.sub.items()}
        chain = Propagator(instant, absorbing=frozenset([self.kept]))
        run = _Run(chain, last)
        for w, p in self.start.items():
            run.put(units(move(None, w)), w, p)
        reached = 0.0
        while run.queue:
            if not budget.spend():
                return None
            t, k = heapq.heappop(run.queue)
            for u, n in chain.component_visits(k, run.pending.pop((t, k))).items():
                if u == self.kept:
                    reached += n
                    continue
                for w, p in instant[u].items():
                    if chain.component_of[w] != k:
                        run.put(t, w, n * p)
                for w, steps, p in later[u]:
                    run.put(t + steps, w, n * p)
        return OnTime(reached + run.dropped / 2, run.dropped / 2)


class _Run:
    """Customers waiting to be processed, by (grid time, component) in time order."""

    def __init__(self, chain: Propagator, last: int) -> None:
        self.chain, self.last = chain, last
        self.pending: dict[tuple[int, int], dict[str, float]] = {}
        self.queue: list[tuple[int, int]] = []
        self.dropped = 0.0  # customers in states too small to follow: they may or may not be on time

    def put(self, t: int, w: str, mass: float) -> None:
        if t > self.last or not mass:
            return
        if mass < NEGLIGIBLE:
            self.dropped += mass
            return
        key = (t, self.chain.component_of[w])
        if key not in self.pending:
            self.pending[key] = {}
            heapq.heappush(self.queue, key)
        self.pending[key][w] = self.pending[key].get(w, 0.0) + mass
