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
durations inside a long time limit. Past ``EXACT_BUDGET`` states, the answer comes from the time
lattice of :mod:`journeymap.analysis.lattice` instead: exact when the lattice whose step divides
every time fits ``LATTICE_BUDGET``, otherwise certified bounds from coarser lattices with times
rounded down (an upper bound) and up (a lower bound), refined until they are within
``2 × TOLERANCE`` or the budget is spent; the midpoint is returned with its error bound. Budgets
are per journey (:func:`budget_share`), so a pathological file cannot stall a CI run.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from journeymap.analysis.markov import LOST, Edges, Propagator
from journeymap.graph import JourneyGraph

TOLERANCE = 0.005  # bounds are refined until the answer is within ± this
EXACT_BUDGET = 50_000  # (time, component) states for the event-by-event answer, per promise
# Lattice work per promise, in lattice steps: a step costs one pass of numpy calls, plus
# (touchpoints + moves) / _CELLS_PER_STEP for its arithmetic.
LATTICE_BUDGET = 400_000
_CELLS_PER_STEP = 2_000
# All the timed promises of one journey together: past three promises at the full budgets, each
# gets an equal part, so a journey with a hundred long timed promises still checks in seconds
# (its answers become bounds sooner, and their error is reported).
JOURNEY_PROMISES = 3
# A state with fewer customers than this is dropped and its share added to the error bound: loops
# passed many times make ever smaller states, and following them to `within` buys nothing.
NEGLIGIBLE = 1e-12


@dataclass(frozen=True)
class Times:
    """Each touchpoint's ``wait`` and ``duration`` in whole nanoseconds, missing as 0.

    Any time a file can write (``1.5h``, ``PT0.25S``, ``1.0000005s``) is a whole number of
    nanoseconds, and sums of integers are exact: comparing a path's time with ``within`` never
    depends on rounding."""

    wait: dict[str, int]
    duration: dict[str, int]

    @classmethod
    def of(cls, jg: JourneyGraph) -> Times:
        tps = jg.journey.touchpoints
        return cls({tp.id: nanoseconds(tp.wait or 0.0) for tp in tps},
                   {tp.id: nanoseconds(tp.duration or 0.0) for tp in tps})

    def move(self, u: str | None, w: str) -> int:
        """The elapsed time of moving from ``u`` to ``w`` (``u`` None: leaving ``made_at``)."""
        return (self.duration[u] if u is not None else 0) + self.wait.get(w, 0)  # LOST: 0


def fastest(jg: JourneyGraph, times: Times, made: str, kept: str) -> tuple[int, tuple[str, ...]] | None:
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


def on_time(edges: Edges, times: Times, made: str, kept: str, within: int, reached: float = 1.0,
            share: float = 1.0) -> OnTime:
    """Probability that a customer leaving ``made`` reaches ``kept`` with elapsed ≤ ``within``
    nanoseconds.

    ``reached``, the probability of reaching ``kept`` at all, is the upper bound to start from.
    ``share`` scales the work budgets: a journey with many timed promises gives each a part of
    them, so its total work stays bounded.
    """
    sub = between(edges, made, kept)
    start = {w: p for w, p in edges[made].items() if w in sub}
    if not start:
        return OnTime(0.0, 0.0)
    exact = _Grid(sub, start, times, kept).reached(lambda ns: ns, within,
                                                   _Budget(round(EXACT_BUDGET * share)))
    if exact is not None and exact.error <= 1e-9:
        return exact
    return _on_lattice(sub, start, times, kept, within, reached, share)


def budget_share(timed_promises: int) -> float:
    """The part of the per-promise budgets each of a journey's timed promises may spend."""
    return min(1.0, JOURNEY_PROMISES / max(timed_promises, 1))


def nanoseconds(seconds: float) -> int:
    """Whole nanoseconds: any time written in a file (``1.5h``, ``PT0.25S``) is one, exactly, and
    sums of integers do not drift the way sums of floats do."""
    return round(seconds * 1e9)


def _on_lattice(sub: dict[str, dict[str, float]], start: Mapping[str, float], times: Times,
                kept: str, within: int, reached: float, share: float) -> OnTime:
    """Exact on the lattice whose step divides every time, when it fits the budget; otherwise
    certified bounds from coarser lattices, refined while the budget lasts."""
    from journeymap.analysis.lattice import Lattice

    delay = {(u, w): times.move(u, w) for u, out in sub.items() for w in out}
    lat = Lattice(sub, start, delay, {w: times.move(None, w) for w in start}, kept)
    budget = LATTICE_BUDGET * share
    per_step = 1.0 + lat.size / _CELLS_PER_STEP
    exact = lat.step()
    if exact == 0:  # every move takes no time: everyone who gets there is on time
        return OnTime(min(lat.reached("floor", 1, 0), reached), 0.0)
    if (within // exact + 1) * per_step <= budget:
        return OnTime(min(lat.reached("floor", exact, within // exact), reached), 0.0)
    low, high = 0.0, reached
    steps = max(16, int(budget / per_step / 8))
    spent = 0.0
    while spent + 2 * steps * per_step <= budget:
        unit = max(exact, -(-within // steps))
        high = min(high, lat.reached("floor", unit, within // unit))
        low = max(low, lat.reached("ceil", unit, within // unit))
        spent += 2 * (within // unit + 1) * per_step
        if high - low <= 2 * TOLERANCE or unit == exact:
            break
        steps *= 2
    low = min(low, high)
    return OnTime((high + low) / 2, (high - low) / 2)


def between(edges: Edges, made: str, kept: str) -> dict[str, dict[str, float]]:
    """The edges among touchpoints that lie on some positive-probability path made → … → kept."""
    ahead = _closure(edges[made], lambda u: () if u == kept else edges[u])
    back: dict[str, list[str]] = {}
    for u in ahead:
        for w in edges[u]:
            back.setdefault(w, []).append(u)
    behind = _closure([kept], lambda u: back.get(u, ())) | {kept}
    keep = ahead & behind
    return {u: ({} if u == kept else _kept_edges(edges[u], keep)) for u in keep}


def _kept_edges(out: Mapping[str, float], keep: set[str]) -> dict[str, float]:
    """The edges into ``keep``; the customers the others carry away go to LOST as one edge, so
    that a tiny way out stays a number of its own (see markov's docstring)."""
    inside = {w: p for w, p in out.items() if w in keep}
    gone = sum(p for w, p in out.items() if w not in keep)
    if gone > 0:
        inside[LOST] = gone
    return inside


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
        if t > self.last or not mass or w == LOST:
            return
        if mass < NEGLIGIBLE:
            self.dropped += mass
            return
        key = (t, self.chain.component_of[w])
        if key not in self.pending:
            self.pending[key] = {}
            heapq.heappush(self.queue, key)
        self.pending[key][w] = self.pending[key].get(w, 0.0) + mass
