"""Elapsed time between a promise being made and kept: the fastest path, and who is on time.

Elapsed time runs from the end of ``made_at`` to the start of ``kept_at``: the ``wait`` and
``duration`` of every touchpoint in between plus the ``wait`` of ``kept_at`` (missing times are 0).
So a move ``u → w`` costs ``duration(u) + wait(w)``, and the first move out of ``made_at`` costs
only ``wait(w)``.

The share of customers on time is computed without enumerating paths:

* no loop between the two touchpoints: an exact distribution of elapsed times, carried through the
  touchpoints in topological order (equal times merged);
* loops: time in whole steps of a grid, layer by layer; inside one layer, moves that take no time
  are solved as a Markov chain. When every time is a whole multiple of a common step (minutes,
  say) the grid is that step and the answer is exact. Otherwise two grids bound the answer: times
  rounded down (an upper bound) and rounded up (a lower bound), refined until they are within
  ``2 × TOLERANCE``; the midpoint is returned with its error bound.
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
MAX_LAYERS = 20_000  # the largest exact grid
BOUND_LAYERS = (512, 4096, 32_768)  # the grids tried for bounds, finest last
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


def on_time(edges: Edges, times: Times, made: str, kept: str, within: float) -> OnTime:
    """Probability that a customer leaving ``made`` reaches ``kept`` with elapsed ≤ ``within``."""
    sub = _between(edges, made, kept)
    start = {w: p for w, p in edges[made].items() if w in sub}
    if not start:
        return OnTime(0.0, 0.0)
    if not any(len(c) > 1 or c[0] in sub[c[0]] for c in strongly_connected(sub)):
        exact = _exact_acyclic(sub, start, times, kept, within)
        if exact is not None:
            return OnTime(exact, 0.0)
    return _gridded(sub, start, times, kept, within)


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


def _gridded(sub: dict[str, dict[str, float]], start: Mapping[str, float], times: Times,
             kept: str, within: float) -> OnTime:
    costs = [times.move(None, w) for w in start]
    costs += [times.move(u, w) for u, out in sub.items() for w in out]
    if within <= _EPS:  # only moves that take no time at all are on time
        return OnTime(_layered(sub, start, times, kept, lambda c: 0 if c <= _EPS else 1, 0), 0.0)
    step = _common_step(costs, within)
    if step is not None:
        exact = _layered(sub, start, times, kept, lambda c: round(c / step), int(within / step + 1e-9))
        return OnTime(exact, 0.0)
    low = high = 0.0
    for layers in BOUND_LAYERS:
        unit = within / layers
        high = _layered(sub, start, times, kept, lambda c: math.floor(c / unit), layers)
        low = _layered(sub, start, times, kept, lambda c: math.ceil(c / unit), layers)
        if high - low <= 2 * TOLERANCE:
            break
    return OnTime((high + low) / 2, (high - low) / 2)


def _common_step(costs: list[float], within: float) -> float | None:
    """A grid step that every time is a whole multiple of (in milliseconds), if small enough."""
    millis = [round(c * 1000) for c in costs]
    if any(abs(m - c * 1000) > 1e-3 for m, c in zip(millis, costs)):
        return None
    g = 0
    for m in millis:
        g = math.gcd(g, m)
    if g == 0:  # nothing takes time: everyone who arrives is on time
        return max(within, 1.0)
    step = g / 1000
    return step if within / step <= MAX_LAYERS else None


def _layered(sub: dict[str, dict[str, float]], start: Mapping[str, float], times: Times, kept: str,
             units: Callable[[float], int], last: int) -> float:
    """Probability of reaching ``kept`` by grid time ``last``, moves costing ``units(seconds)``."""
    instant = {u: {w: p for w, p in out.items() if units(times.move(u, w)) == 0} for u, out in sub.items()}
    timed = {u: [(w, units(times.move(u, w)), p) for w, p in out.items() if w not in instant[u]]
             for u, out in sub.items()}
    chain = Propagator(instant, absorbing=frozenset([kept]))
    layers: dict[int, dict[str, float]] = {}
    order: list[int] = []
    for w, p in start.items():
        _schedule(layers, order, units(times.move(None, w)), w, p, last)
    reached = 0.0
    while order:
        t = heapq.heappop(order)
        visits = chain.visits(layers.pop(t))
        reached += visits.get(kept, 0.0)
        for u, n in visits.items():
            for w, k, p in timed[u] if u != kept else ():
                _schedule(layers, order, t + k, w, n * p, last)
    return reached


def _schedule(layers: dict[int, dict[str, float]], order: list[int], t: int, w: str, mass: float,
              last: int) -> None:
    if t <= last and mass:
        if t not in layers:
            layers[t] = {}
            heapq.heappush(order, t)
        layers[t][w] = layers[t].get(w, 0.0) + mass
