"""Elapsed time between a promise being made and kept: the fastest path, and who is on time.

Elapsed time runs from the end of ``made_at`` to the start of ``kept_at``: the ``wait`` and
``duration`` of every touchpoint in between plus the ``wait`` of ``kept_at`` (missing times are 0).
So a move ``u → w`` costs ``duration(u) + wait(w)``, and the first move out of ``made_at`` costs
only ``wait(w)``.

The share of customers on time is computed without enumerating paths:

* no loop between the two touchpoints: an exact distribution of elapsed times, carried through the
  touchpoints in topological order (equal times merged);
* loops (or a distribution too wide to carry exactly): time in whole steps of a grid, processed
  in time order; moves that take no time are solved as a Markov chain within their grid step.
  When every time is a whole multiple of a common step (minutes, say) the grid is that step and
  the answer is exact. Otherwise two grids bound the answer: times rounded down (an upper bound)
  and rounded up (a lower bound), refined until they are within ``2 × TOLERANCE``; the midpoint is
  returned with its error bound.

The grids share a work budget (``WORK_BUDGET`` grid states per promise), so a pathological file
(a timed promise across thousands of touchpoints full of loops) cannot stall a CI run: the answer
is then the best bounds reached, and the error bound says how wide they are (at worst 0 to the
probability of reaching ``kept_at`` at all).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from journeymap.analysis.markov import Edges, Propagator, strongly_connected
from journeymap.graph import JourneyGraph

TOLERANCE = 0.01  # the bound for timed probabilities with loops
EXACT_TIMES_PER_TOUCHPOINT = 4096  # beyond this many distinct elapsed times, use the grid bounds
BOUND_LAYERS = (256, 2048, 16_384)  # the grids tried for bounds, finest last
WORK_BUDGET = 400_000  # grid states one promise may process before settling for its bounds
_EPS = 1e-6  # seconds: "on time" is inclusive, give or take float rounding


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


def on_time(edges: Edges, times: Times, made: str, kept: str, within: float, reached: float = 1.0
            ) -> OnTime:
    """Probability that a customer leaving ``made`` reaches ``kept`` with elapsed ≤ ``within``.

    ``reached``, the probability of reaching ``kept`` at all, is the upper bound to start from.
    """
    sub = _between(edges, made, kept)
    start = {w: p for w, p in edges[made].items() if w in sub}
    if not start:
        return OnTime(0.0, 0.0)
    if not any(len(c) > 1 or c[0] in sub[c[0]] for c in strongly_connected(sub)):
        exact = _exact_acyclic(sub, start, times, kept, within)
        if exact is not None:
            return OnTime(exact, 0.0)
    return _gridded(sub, start, times, kept, within, reached)


def _between(edges: Edges, made: str, kept: str) -> dict[str, dict[str, float]]:
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


def _exact_acyclic(sub: dict[str, dict[str, float]], start: Mapping[str, float], times: Times,
                   kept: str, within: float) -> float | None:
    """Carry each touchpoint's distribution of elapsed times forward; None when it grows too big."""
    arrived: dict[str, dict[float, float]] = {}
    for w, p in start.items():
        _add(arrived, w, times.move(None, w), p, within)
    for members in strongly_connected(sub):
        u = members[0]
        if u == kept or u not in arrived:
            continue
        for t, mass in arrived.pop(u).items():
            for w, p in sub[u].items():
                _add(arrived, w, t + times.move(u, w), mass * p, within)
        if any(len(arrived.get(w, ())) > EXACT_TIMES_PER_TOUCHPOINT for w in sub[u]):
            return None
    return sum(arrived.get(kept, {}).values())


def _add(arrived: dict[str, dict[float, float]], w: str, t: float, mass: float, within: float) -> None:
    if t <= within + _EPS and mass:
        times = arrived.setdefault(w, {})
        times[t] = times.get(t, 0.0) + mass


class _Budget:
    """Work allowed for one promise: grid states processed, across every grid tried."""

    def __init__(self, states: int) -> None:
        self.left = states

    def spend(self) -> bool:
        self.left -= 1
        return self.left >= 0


def _gridded(sub: dict[str, dict[str, float]], start: Mapping[str, float], times: Times,
             kept: str, within: float, reached: float) -> OnTime:
    grid = _Grid(sub, start, times, kept)
    exact = _on_common_grid(grid, within)
    return OnTime(exact, 0.0) if exact is not None else _bounded(grid, within, reached)


def _on_common_grid(grid: _Grid, within: float) -> float | None:
    """The exact answer when every time is a whole multiple of one step; None if there is none
    or it takes more than half the work budget."""
    budget = _Budget(WORK_BUDGET // 2)
    if within <= _EPS:  # only moves that take no time at all are on time
        return grid.reached(lambda c: 0 if c <= _EPS else 1, 0, budget)
    step = _common_step(grid.costs())
    if step is None:
        return None
    return grid.reached(lambda c: round(c / step), int(within / step + 1e-9), budget)


def _bounded(grid: _Grid, within: float, reached: float) -> OnTime:
    """Times rounded down give an upper bound, rounded up a lower one: refine until they meet."""
    budget = _Budget(WORK_BUDGET // 2)
    low, high = 0.0, reached
    for layers in BOUND_LAYERS:
        upper = grid.reached(_rounded(math.floor, within / layers), layers, budget)
        lower = (grid.reached(_rounded(math.ceil, within / layers), layers, budget)
                 if upper is not None else None)
        if upper is None or lower is None:
            break  # out of budget: keep the best bounds so far
        low, high = max(low, lower), min(high, upper)
        if high - low <= 2 * TOLERANCE:
            break
    return OnTime((high + low) / 2, (high - low) / 2)


def _rounded(rounding: Callable[[float], int], unit: float) -> Callable[[float], int]:
    """Seconds to whole grid steps of ``unit`` seconds, rounded down (floor) or up (ceil)."""
    return lambda seconds: rounding(seconds / unit)


def _common_step(costs: list[float]) -> float | None:
    """The largest grid step that every time is a whole multiple of (in milliseconds)."""
    millis = [round(c * 1000) for c in costs]
    if any(abs(m - c * 1000) > 1e-3 for m, c in zip(millis, costs)):
        return None
    g = 0
    for m in millis:
        g = math.gcd(g, m)
    return g / 1000 if g else 1.0  # g == 0: nothing takes time, any step will do


class _Grid:
    """The touchpoints between made_at and kept_at, for computing on a time grid."""

    def __init__(self, sub: dict[str, dict[str, float]], start: Mapping[str, float], times: Times,
                 kept: str) -> None:
        self.sub, self.start, self.times, self.kept = sub, start, times, kept

    def costs(self) -> list[float]:
        moves = [self.times.move(None, w) for w in self.start]
        return moves + [self.times.move(u, w) for u, out in self.sub.items() for w in out]

    def reached(self, units: Callable[[float], int], last: int, budget: _Budget) -> float | None:
        """Probability of reaching kept_at by grid time ``last`` when a move of ``c`` seconds
        takes ``units(c)`` steps; None when the budget runs out."""
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
        return reached


class _Run:
    """Customers waiting to be processed, by (grid time, component) in time order."""

    def __init__(self, chain: Propagator, last: int) -> None:
        self.chain, self.last = chain, last
        self.pending: dict[tuple[int, int], dict[str, float]] = {}
        self.queue: list[tuple[int, int]] = []

    def put(self, t: int, w: str, mass: float) -> None:
        if t > self.last or not mass:
            return
        key = (t, self.chain.component_of[w])
        if key not in self.pending:
            self.pending[key] = {}
            heapq.heappush(self.queue, key)
        self.pending[key][w] = self.pending[key].get(w, 0.0) + mass
