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
are per journey (:class:`Budget`), so a pathological file cannot stall a CI run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from journeymap.analysis.events import EventBudget, Events, OnTime
from journeymap.analysis.markov import LOST, Edges
from journeymap.graph import JourneyGraph

if TYPE_CHECKING:
    from journeymap.analysis.lattice import Lattice
    from journeymap.analysis.series import Series, Work

TOLERANCE = 0.005  # bounds are refined until the answer is within ± this
EXACT_BUDGET = 50_000  # (time, component) states for the event-by-event answer, per promise
# Lattice work per promise, in estimated microseconds of numpy (lattice.Lattice.cost): it is
# counted, not timed, so that the same file always gives the same answer.
LATTICE_BUDGET = 1_000_000
# All the timed promises of one journey together get this many promises' worth of work; each
# takes an equal part of what is left, so a journey with a hundred long timed promises still
# checks in seconds (its answers become bounds sooner, and their error is reported).
JOURNEY_PROMISES = 2
# Between-sets of more touchpoints than this try the sum of independent parts first
# (:mod:`journeymap.analysis.series`): on long journeys with cuts it is exact to ~1e-9 or bounded
# within ~1e-3, where the engines below can only give wide bounds.
SERIES_FROM = 40
# Work the series engine may do for all the timed promises of one journey together, in the same
# estimated microseconds as the lattice's (its segments and their combinations are shared).
SERIES_BUDGET = 4_000_000
# The series engine keeps at most this many arrival times per combination first (bins twice the
# finest size on the longest journeys: about a third less FFT work), and combines again in
# convolution.MAX_BINS only when that answer is not within TOLERANCE.
COARSE_BINS = 1 << 14

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


class Budget:
    """The work the timed promises of one journey may do together, shared out as they go: each
    promise may take an equal part of what is left (at most one promise's full budget), and what
    it does not use is left to the promises after it."""

    def __init__(self, promises: int) -> None:
        self.promises = max(promises, 1)
        self.events = JOURNEY_PROMISES * EXACT_BUDGET
        self.lattice = float(JOURNEY_PROMISES * LATTICE_BUDGET)
        self._series: tuple[Series, Work] | None = None
        self._finer: Series | None = None  # the same series in the finest bins, once asked for
        self.fine = False  # a promise needed the finer bins: the ones after it start there

    def series(self, edges: Edges, times: Times, fine: bool = False) -> tuple[Series, Work]:
        """The journey's cuts and segments (:mod:`journeymap.analysis.series`), built once, in
        COARSE_BINS or (``fine``) the finest bins, and the work they may still do together."""
        if self._series is None or self._series[0].edges is not edges:
            from journeymap.analysis.series import Series, Work

            self._series = (Series(edges, times, COARSE_BINS), Work(float(SERIES_BUDGET)))
            self._finer, self.fine = None, False
        if not fine:
            return self._series
        if self._finer is None:
            from journeymap.analysis.convolution import MAX_BINS

            self._finer = self._series[0].finer(MAX_BINS)
        return self._finer, self._series[1]

    def allowance(self) -> tuple[int, float]:
        """States for the event-by-event answer, and lattice work, for the next promise."""
        return (min(EXACT_BUDGET, self.events // self.promises),
                min(float(LATTICE_BUDGET), self.lattice / self.promises))

    def spend(self, events: int, lattice: float) -> None:
        self.events -= events
        self.lattice -= lattice
        self.promises = max(self.promises - 1, 1)


def on_time(edges: Edges, times: Times, made: str, kept: str, within: int, reached: float = 1.0,
            budget: Budget | None = None, sub: dict[str, dict[str, float]] | None = None,
            fastest_ns: int = 0,
            between_of: Callable[[], dict[str, dict[str, float]]] | None = None) -> OnTime:
    """Probability that a customer leaving ``made`` reaches ``kept`` with elapsed ≤ ``within``
    nanoseconds.

    ``reached``, the probability of reaching ``kept`` at all, is the upper bound to start from.
    ``budget``: the journey's, shared by its timed promises (default: one promise's).
    ``sub``: :func:`between` for these two touchpoints, when the caller has it already.
    ``fastest_ns``: the fastest path's time, when known (it saves bounds that cannot inform).
    ``between_of``: makes ``sub`` when it is needed and not given (the caller's shared search).
    """
    budget = budget or Budget(1)
    tried = sub is None and _far_apart(edges, times, made, kept, budget)
    if tried:  # before the between-set is built: the sum of parts does not need it
        summed = _by_series(edges, times, made, kept, within, reached, budget)
        if summed is not None and summed.error <= TOLERANCE:
            return summed
    if sub is None:
        sub = between_of() if between_of is not None else between(edges, made, kept)
    start = {w: p for w, p in edges[made].items() if w in sub}
    if not start:
        return OnTime(0.0, 0.0)
    if not tried and len(sub) > SERIES_FROM:
        summed = _by_series(edges, times, made, kept, within, reached, budget)
        if summed is not None and summed.error <= TOLERANCE:
            return summed
    events, lattice = budget.allowance()
    counter = EventBudget(events)
    # every touchpoint between made_at and kept_at is one state at least: a budget smaller than
    # that cannot finish, so the lattice is tried straight away
    if len(sub) <= events:
        exact = Events(sub, start, times, kept).reached(lambda ns: ns, within, counter)
        if exact is not None and exact.error <= 1e-9:
            budget.spend(counter.used, 0.0)
            return exact
    answer, work = _on_lattice(sub, start, times, kept, within, reached, lattice, fastest_ns)
    budget.spend(counter.used, work)
    return answer


def _far_apart(edges: Edges, times: Times, made: str, kept: str, budget: Budget) -> bool:
    """More than SERIES_FROM touchpoints lie between made_at and kept_at in the file (the test
    when the between-set has not been built: a journey that large has its reach without one)."""
    if len(edges) <= SERIES_FROM:
        return False
    series, _ = budget.series(edges, times)
    a, b = series.pos.get(made), series.pos.get(kept)
    return a is not None and b is not None and b - a > SERIES_FROM


def _by_series(edges: Edges, times: Times, made: str, kept: str, within: int, reached: float,
               budget: Budget) -> OnTime | None:
    """The share on time as the sum of independent parts, when cuts split the journey between
    made_at and kept_at (None when none do, or when the journey's series work runs out): in
    COARSE_BINS first, again in the finest bins when that is not within TOLERANCE."""
    from journeymap.analysis.series import OutOfWork

    answer = None
    for fine in (budget.fine, True):
        series, work = budget.series(edges, times, fine)
        try:
            got = series.on_time(made, kept, within, work)
        except OutOfWork:
            return answer
        if got is None:
            return None
        middle, error = got
        high, low = min(middle + error, reached), max(middle - error, 0.0)
        low = min(low, high)
        answer = OnTime((high + low) / 2, (high - low) / 2)
        if answer.error <= TOLERANCE or fine:
            break
        budget.fine = True  # not close enough: this promise and the later ones go finer
    budget.spend(0, 0.0)  # the promises after it share the other engines' budget
    return answer


def nanoseconds(seconds: float) -> int:
    """Whole nanoseconds: any time written in a file (``1.5h``, ``PT0.25S``) is one, exactly, and
    sums of integers do not drift the way sums of floats do."""
    return round(seconds * 1e9)


def _on_lattice(sub: dict[str, dict[str, float]], start: Mapping[str, float], times: Times,
                kept: str, within: int, reached: float, allowed: float,
                fastest_ns: int = 0) -> tuple[OnTime, float]:
    """Exact on the lattice whose step divides every time, when it fits the budget; otherwise
    certified bounds from coarser lattices, halving the step while the budget lasts. Returns the
    answer and the work it took."""
    from journeymap.analysis.lattice import Lattice

    delay = {(u, w): times.move(u, w) for u, out in sub.items() for w in out}
    lat = Lattice(sub, start, delay, {w: times.move(None, w) for w in start}, kept)
    exact = lat.step()
    if exact == 0:  # every move takes no time: everyone who gets there is on time
        return OnTime(min(lat.reached("floor", 1, 0), reached), 0.0), 0.0
    cost = lat.cost("floor", exact, within // exact)
    if cost <= allowed:
        return OnTime(min(lat.reached("floor", exact, within // exact), reached), 0.0), cost
    low, high, spent = 0.0, reached, 0.0
    unit = _finest_affordable(lat, exact, within, allowed / 2)
    slack = min(within // 2, within - fastest_ns)
    if unit is not None and _fewest_moves(sub, start, kept) * unit > slack:
        # Rounding each of the moves even the shortest path makes, by up to a step each, spans
        # more than the time the fastest customers have to spare (or half the limit): such
        # bounds come out 0 and everyone, so the work is saved and the bound says so.
        unit = None
    while unit is not None and high - low > 2 * TOLERANCE:
        last = within // unit
        cost = lat.cost("floor", unit, last) + lat.cost("ceil", unit, last)
        if spent + cost > allowed:
            break
        spent += cost
        high = min(high, lat.reached("floor", unit, last))
        low = max(low, lat.reached("ceil", unit, last))
        if unit == exact:
            break
        unit = max(exact, unit // 2)
    low = min(low, high)
    return OnTime((high + low) / 2, (high - low) / 2), spent


def _fewest_moves(sub: Mapping[str, Mapping[str, float]], start: Mapping[str, float], kept: str) -> int:
    """The fewest moves from made_at to kept_at (breadth first)."""
    seen, frontier, moves = set(start), list(start), 1
    while frontier and kept not in seen:
        frontier = [w for u in frontier for w in sub.get(u, ()) if w not in seen and not seen.add(w)]
        moves += 1
    return moves


def _finest_affordable(lat: Lattice, exact: int, within: int, allowed: float) -> int | None:
    """The smallest lattice step (a multiple of the exact one) whose pair of bounding runs fits
    ``allowed``: coarse steps are cheap but loose, so the budget goes on the finest it buys."""
    def pair(unit: int) -> float:
        return lat.cost("floor", unit, within // unit) + lat.cost("ceil", unit, within // unit)

    lo, hi = 1, max(1, within // exact)  # in multiples of the exact step
    if pair(hi * exact) > allowed:
        return None
    while lo < hi:
        mid = (lo + hi) // 2
        if pair(mid * exact) <= allowed:
            hi = mid
        else:
            lo = mid + 1
    return hi * exact


def between(edges: Edges, made: str, kept: str) -> dict[str, dict[str, float]]:
    """The edges among touchpoints that lie on some positive-probability path made → … → kept."""
    ahead = _closure(edges[made], lambda u: () if u == kept else edges[u])
    if kept not in ahead:
        return {}
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
