"""Timed promises event by event: customers carried forward in time order, as (elapsed time,
touchpoint) groups, exact (see :mod:`journeymap.analysis.timing` for when it is used)."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from journeymap.analysis.markov import LOST, Propagator

if TYPE_CHECKING:
    from journeymap.analysis.timing import Times


@dataclass(frozen=True)
class OnTime:
    """The share of customers on time, within ± ``error`` of the true share."""

    probability: float
    error: float  # the answer is within ± error of the true value (0: exact)


# A state with fewer customers than this is dropped and its share added to the error bound: loops
# passed many times make ever smaller states, and following them to `within` buys nothing.
NEGLIGIBLE = 1e-12


class EventBudget:
    """Work allowed: (time, component) states processed, across every grid it is used for."""

    def __init__(self, states: int) -> None:
        self.left = self.states = states

    def spend(self) -> bool:
        self.left -= 1
        return self.left >= 0

    @property
    def used(self) -> int:
        return self.states - max(self.left, 0)


class Events:
    """The touchpoints between made_at and kept_at, for computing on a time grid."""

    def __init__(self, sub: dict[str, dict[str, float]], start: Mapping[str, float], times: Times,
                 kept: str) -> None:
        self.sub, self.start, self.times, self.kept = sub, start, times, kept

    def reached(self, units: Callable[[int], int], last: int, budget: EventBudget) -> OnTime | None:
        """Probability of reaching kept_at by time ``last`` when a move of ``c`` nanoseconds takes
        ``units(c)`` time units, give or take the customers dropped as negligible; None when the
        budget runs out."""
        move = self.times.move
        instant = {u: {w: p for w, p in out.items() if units(move(u, w)) == 0} for u, out in self.sub.items()}
        later = {u: [(w, units(move(u, w)), p) for w, p in out.items() if w not in instant[u]]
                 for u, out in self.sub.items()}
        chain = Propagator(instant, absorbing=frozenset([self.kept]))
        part = chain.component_of
        # moves out of a touchpoint's instant loop (the moves inside it are the loop's solve)
        leave = {u: [(w, p) for w, p in out.items() if part[w] != part[u] and w != LOST]
                 for u, out in instant.items()}
        run = _Run(chain, last)
        for w, p in self.start.items():
            run.put(units(move(None, w)), w, p)
        reached, looping, pending, kept = 0.0, chain.looping, run.pending, self.kept
        while run.queue:
            if not budget.spend():
                return None
            t, k = heapq.heappop(run.queue)
            arrived = pending.pop((t, k))
            for u, n in (chain.component_visits(k, arrived) if looping[k] else arrived).items():
                if u == kept:
                    reached += n
                    continue
                for w, p in leave[u]:
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
