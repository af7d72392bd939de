"""Timed promises on long journeys: the elapsed time as a sum of independent parts.

Customers move by fixed shares and every move takes a fixed time, so a journey is a Markov chain
with fixed delays. A touchpoint ``c`` that every path from ``made_at`` to ``kept_at`` passes, and
that no move jumps over (no edge from before ``c`` to after it, none from ``c`` or after it back to
before it), is a **cut**: customers reach it at most once before ``kept_at`` and never go back, so
by the strong Markov property the time to ``kept_at`` is the time to ``c`` plus an independent time
from ``c`` on. With cuts ``c1 … cm`` in between, the elapsed time is a sum of independent parts,
one per segment, and its distribution is the convolution of theirs.

Cuts are found once per journey, in file order, from one pass over the edges (a touchpoint is a cut
when no edge crosses its position); each segment's arrival times are computed exactly, event by
event (a segment is a few touchpoints; its loops give geometric tails, followed until less than
``NEGLIGIBLE`` of the customers are left); segments are combined by convolution, directly when
they have few arrival times and by numpy's FFT when they are long, in a balanced tree whose nodes
are kept for the journey's other promises. Only the share on time is needed, so the last
combination is a dot product with a cumulative sum, not a convolution.

Everything left out is counted in a certified bound: mass dropped in a tail or as a negligible
state, FFT round-off (bounded by its norms), and, when a distribution has more than ``MAX_BINS``
arrival times, the width of the coarser bins it is kept in (the true time of a bin's customers
lies within ``spread`` after the bin's start, and the share on time is bounded from both sides).
Convolution of arrival-time distributions is the standard way to compose independent delays (e.g.
Feller, *An Introduction to Probability Theory*, vol. 1, ch. XI); numerically it is the
"discrete convolution with error control" of probabilistic model checkers.

The distributions and their sums are :mod:`journeymap.analysis.convolution`. numpy is imported
by these two modules only: they are loaded when a promise needs them.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from copy import copy
from math import gcd
from typing import TYPE_CHECKING

import numpy as np

from journeymap.analysis.convolution import (AT_ONCE, MAX_BINS, Dist, OutOfWork, Work, cells,
                                              combined, convolve, packed, share_by, trim,
                                              unpacked)
from journeymap.analysis.markov import LOST, leading_to

if TYPE_CHECKING:
    from journeymap.analysis.timing import Times

SEGMENT_STATES = 200_000  # events one segment may take; more, and its promises go elsewhere
NEGLIGIBLE = 1e-14  # a state with fewer customers is dropped, its share into the error
# Tail mass trimmed from each end of a distribution at each combination (into the error): per
# cut of the journey TAIL, at most TAIL_MOST, so that a short chain stays exact to ~1e-10 and a
# chain of thousands of segments stays narrow (its bins, not its tails, bound its error).
TAIL, TAIL_MOST = 1e-12, 1e-8
_EPS = 2.0 ** -52
_FAR = 1 << 62  # nanoseconds (146 years): limits no shorter go elsewhere, later arrivals are late


class TooLong(OutOfWork):
    """A segment needs more than SEGMENT_STATES events (a tangle of loops with no cut in it)."""


class Series:
    """A journey's cuts, its segments' arrival times, and the combinations already made."""

    def __init__(self, edges: Mapping[str, Mapping[str, float]], times: Times,
                 bins: int = MAX_BINS) -> None:
        self.edges, self.times = edges, times
        self.bins = bins  # arrival times kept per combination; above, coarser bins
        self.big = bins // 8  # nodes with this many arrival times are combined in a shared run
        self.order = [v for v in edges if v != LOST]
        self.pos = {v: i for i, v in enumerate(self.order)}
        self.dead = {v for v in self.order if all(w == LOST for w in edges[v])}
        self.unit = _gcd(edges, times, self.order)
        self.cuts = _cuts(edges, self.order, self.pos, self.dead)
        self.tail = min(TAIL_MOST, TAIL * max(len(self.cuts), 1))
        self.first_in: dict[str, int] = {}  # a dead end's earliest predecessor (see `chain`)
        for u in self.order:
            for w in edges[u]:
                if w in self.dead and w != LOST:
                    self.first_in[w] = min(self.first_in.get(w, self.pos[u]), self.pos[u])
        # segments' arrival times (and the one-segment nodes) are the same at any bins: shared
        # with a finer pass (see `finer`)
        self._segments: dict[tuple[str | None, str, str], Dist] = {}
        self._steps: dict[int, Dist] = {}
        self._nodes: dict[tuple[int, int], Dist] = {}
        self._runs: dict[tuple[int, int], Dist] = {}
        self._forgotten = 0
        self._large: list[tuple[int, int]] = []  # nodes of many arrival times, to forget
        self._too_long: set[object] = set()  # segments that need more than SEGMENT_STATES

    def finer(self, bins: int) -> Series:
        """The same journey combined in up to ``bins`` arrival times: its cuts, segments and
        one-segment nodes shared with this one (made once), its combinations its own."""
        other = copy(self)
        other.bins, other.big = bins, bins // 8
        other._nodes, other._runs, other._large, other._forgotten = {}, {}, [], 0
        return other

    def chain(self, made: str, kept: str) -> list[int]:
        """Positions of the cuts strictly between ``made`` and ``kept`` (in file order)."""
        a, b = self.pos[made], self.pos[kept]
        if a >= b:
            return []
        if kept in self.dead:  # edges into a dead end were not counted as crossing anything
            b = min(b, self.first_in.get(kept, b) + 1)
        return self.cuts[bisect_right(self.cuts, a):bisect_left(self.cuts, b)]

    def on_time(self, made: str, kept: str, within: int, work: Work) -> tuple[float, float] | None:
        """(probability, error) of reaching ``kept`` from ``made`` within ``within`` nanoseconds,
        or None when the journey has no cut between them (or no time step)."""
        cuts = self.chain(made, kept)
        if not cuts or not self.unit or within >= _FAR:
            return None
        limit = within // self.unit
        names = [self.order[c] for c in cuts]
        first = bisect_left(self.cuts, cuts[0])
        self._forget(first)
        nodes = self._range(first, first + len(cuts) - 1, work)
        small = [self._segment(made, names[0], work), self._segment(None, names[-1], work, kept)]
        big = [k for k, (_, _, d) in enumerate(nodes) if len(d.at) >= self.big]
        if big:  # the middle run of large nodes, combined once for every promise that spans it
            run = self._run(nodes[big[0]:big[-1] + 1], work)
            small += [d for _, _, d in nodes[:big[0]] + nodes[big[-1] + 1:]]
            summed = combined(small, limit - run.lo, work, self.tail, self.bins)
            return share_by(summed, run, limit, work)
        everything = small + [d for _, _, d in nodes]
        return share_by(combined(everything, limit, work, self.tail, self.bins), AT_ONCE, limit,
                        work)

    def _forget(self, first: int) -> None:
        """Drop the large combinations that end before segment ``first``: promises come in file
        order, usually made where the last one was made or later, so these are seldom needed
        again (and are made again when they are): memory, not answers."""
        if first <= self._forgotten + 64:
            return
        self._forgotten = first
        keep = []
        for key in self._large:
            if key[0] + key[1] <= first:
                self._nodes.pop(key, None)
            else:
                keep.append(key)
        self._large = keep
        for key in [k for k in self._runs if k[0] < first]:
            del self._runs[key]

    def _run(self, nodes: list[tuple[int, int, Dist]], work: Work) -> Dist:
        """Consecutive nodes combined right to left, each partial sum kept: promises that end
        at the same place share all but their first few combinations."""
        end = nodes[-1][0] + nodes[-1][1]
        key = (nodes[-1][0], end)
        if key not in self._runs:
            self._runs[key] = packed(nodes[-1][2])
        acc = self._runs[key]
        for i, _, d in reversed(nodes[:-1]):
            if (i, end) not in self._runs:
                self._runs[i, end] = packed(convolve(d, unpacked(acc), work, self.tail, self.bins))
            acc = self._runs[i, end]
        return unpacked(acc)

    # -- segments and their combinations ----------------------------------------------------

    def _segment(self, made: str | None, start: str, work: Work, end: str | None = None) -> Dist:
        """Arrival times from ``made`` (leaving it) at ``start``, or from ``start`` at ``end``."""
        key = (made, start, end or "")
        if key not in self._segments:
            if made is not None:
                seeds = {w: (self.times.move(None, w), p) for w, p in self.edges[made].items()}
                target = start
            else:
                seeds, target = {start: (0, 1.0)}, end or ""
            self._segments[key] = self._once(key, lambda: _arrivals(self, seeds, target, work))
        return self._segments[key]

    def _once(self, key: object, compute: Callable[[], Dist]) -> Dist:
        """``compute()``, unless it was found too long before: then at once the same refusal."""
        if key in self._too_long:
            raise TooLong
        try:
            return compute()
        except TooLong:
            self._too_long.add(key)
            raise

    def _range(self, first: int, last: int, work: Work) -> list[tuple[int, int, Dist]]:
        """Segments cut[first] → … → cut[last] as a few cached nodes of a balanced tree:
        (first segment, segments, distribution)."""
        parts = []
        i = first
        while i < last:
            size = 1
            while i % (2 * size) == 0 and i + 2 * size <= last:
                size *= 2
            parts.append((i, size, self._node(i, size, work)))
            i += size
        return parts

    def _node(self, i: int, size: int, work: Work) -> Dist:
        if size == 1:  # one segment, from cut to cut
            if i not in self._steps:
                a, b = self.order[self.cuts[i]], self.order[self.cuts[i + 1]]
                self._steps[i] = packed(self._step(a, b, work))
            return unpacked(self._steps[i])
        if (i, size) not in self._nodes:
            half = size // 2
            dist = convolve(self._node(i, half, work), self._node(i + half, half, work), work,
                            self.tail, self.bins)
            if len(dist.at) > 64:
                self._large.append((i, size))
            self._nodes[i, size] = packed(dist)
        return unpacked(self._nodes[i, size])

    def _step(self, a: str, b: str, work: Work) -> Dist:
        """Arrival times from cut ``a`` at the next cut ``b``: one move when that is a's only way
        on (other than out of the journey), else event by event."""
        ways = [w for w in self.edges[a] if w != LOST and w not in self.dead]
        if ways == [b]:
            return Dist(self.times.move(a, b) // self.unit, 1, cells(1),
                        np.full(1, self.edges[a][b]))
        return self._once((a, b), lambda: _arrivals(self, {a: (0, 1.0)}, b, work))


def _gcd(edges: Mapping[str, Mapping[str, float]], times: Times, order: list[str]) -> int:
    g = 0
    for u in order:
        g = gcd(g, times.wait.get(u, 0))
        for w in edges[u]:
            if w != LOST:
                g = gcd(g, times.move(u, w))
    return g


def _cuts(edges: Mapping[str, Mapping[str, float]], order: list[str], pos: dict[str, int],
          dead: set[str]) -> list[int]:
    """Positions no edge crosses: an edge u → w forward crosses the touchpoints strictly between,
    backward those after w up to u itself. Edges into dead ends (outcomes) cross nothing: those
    customers are gone."""
    n = len(order)
    diff = [0] * (n + 1)
    for u in order:
        a = pos[u]
        for w in edges[u]:
            if w == LOST or w in dead:
                continue
            b = pos[w]
            if b > a + 1:
                diff[a + 1] += 1
                diff[b] -= 1
            elif b < a:
                diff[b + 1] += 1
                diff[a + 1] -= 1
    cuts, running = [], 0
    for i in range(n):
        running += diff[i]
        if running == 0 and order[i] not in dead:
            cuts.append(i)
    return cuts


def _region(series: Series, seeds: Iterable[str], end: str) -> set[str]:
    """Touchpoints reachable from ``seeds`` before ``end`` that can still reach ``end``."""
    edges = series.edges
    ahead = set(seeds) - {LOST}
    stack = [v for v in ahead if v != end]
    while stack:
        for w in edges[stack.pop()]:
            if w not in ahead and w != LOST:
                ahead.add(w)
                if w != end:
                    stack.append(w)
    if end not in ahead:
        return set()
    return leading_to(edges, ahead, end)


def _arrivals(series: Series, seeds: Mapping[str, tuple[int, float]], end: str,
              work: Work) -> Dist:
    """First arrival times at ``end``, event by event in time order (exact; states with less
    than NEGLIGIBLE of the customers are dropped into ``err``)."""
    region = _region(series, seeds, end)
    hops = _hops(series, region, end)
    walked = _walk(seeds, region, hops, end)
    if walked is None:
        arrived, dropped, states = _events(seeds, region, hops, end, work)
    else:
        arrived, dropped, states = walked
        for k in range(min(states, SEGMENT_STATES + 1)):  # the work the events would take
            if k == SEGMENT_STATES:
                raise TooLong
            if not work.take(1.5):
                raise OutOfWork
    dropped += states * 4 * _EPS  # each event's products and sums round, at most ε each
    if not arrived:
        return Dist(0, 1, np.zeros(1, dtype=np.int64), np.zeros(1), 0, dropped)
    ts = sorted(arrived)
    at = np.array([t // series.unit for t in ts], dtype=np.int64)
    mass = np.array([arrived[t] for t in ts])
    return trim(Dist(int(at[0]), 1, at - at[0], mass, 0, dropped), series.tail)


Arrived = tuple[dict[int, float], float, int]  # mass by arrival time, mass dropped, states


def _events(seeds: Mapping[str, tuple[int, float]], region: set[str],
            hops: dict[str, list[tuple[str, float, int]]], end: str, work: Work) -> Arrived:
    """Every state (time, touchpoint) in time order, from a queue."""
    pending: dict[tuple[int, str], float] = {}
    queue: list[tuple[int, str]] = []
    arrived: dict[int, float] = {}
    dropped = 0.0

    def put(t: int, w: str, m: float) -> None:
        nonlocal dropped
        if t > _FAR:  # later than any limit this engine takes (see on_time): certainly late
            return
        if m < NEGLIGIBLE:
            dropped += m
        elif (t, w) in pending:
            pending[t, w] += m
        else:
            pending[t, w] = m
            heapq.heappush(queue, (t, w))

    for w, (t, p) in seeds.items():
        if w in region:
            put(t, w, p)
    states = 0
    while queue:
        states += 1
        if states > SEGMENT_STATES:
            raise TooLong
        if not work.take(1.5):
            raise OutOfWork
        t, u = heapq.heappop(queue)
        m = pending.pop((t, u))
        if u == end:
            arrived[t] = arrived.get(t, 0.0) + m
            continue
        for w, p, dt in hops[u]:
            put(t + dt, w, m * p)
    return arrived, dropped, states


def _walk(seeds: Mapping[str, tuple[int, float]], region: set[str],
          hops: dict[str, list[tuple[str, float, int]]], end: str) -> Arrived | None:
    """:func:`_events` when customers are never in two touchpoints at once before ``end``: one
    seed, and at most one way on (other than to ``end``) from every touchpoint, as in a short
    chain with loops back. The queue then holds the one walker and arrivals; the walker's states
    come in the order they were made, the arrivals before it are those the queue would give first
    (an earlier time, or the same time and a name that sorts first), and every state, sum and
    drop is the queue's, in the same order: the same numbers. The work is taken afterwards, one
    state at a time (more than SEGMENT_STATES: stopped there). None for any other shape."""
    seeded = [(w, tm) for w, tm in seeds.items() if w in region]
    if len(seeded) != 1:
        return None
    ((w, (t, m)),) = seeded
    pending: dict[int, float] = {}  # arrival states not yet taken from the queue, by time
    times: list[int] = []  # their times, as a heap
    arrived: dict[int, float] = {}
    dropped = 0.0
    states = 0
    walker = None
    if t > _FAR:
        pass
    elif m < NEGLIGIBLE:
        dropped += m
    elif w == end:
        pending[t] = m
        times.append(t)
    else:
        walker = (t, w, m)
    while walker is not None:
        t, u, m = walker
        while times and (times[0] < t or (times[0] == t and end < u)):
            first = heapq.heappop(times)
            arrived[first] = arrived.get(first, 0.0) + pending.pop(first)
            states += 1
        states += 1
        if states + len(times) > SEGMENT_STATES:  # as many states at least: too long
            return arrived, dropped, states + len(times)
        walker = None
        for w, p, dt in hops[u]:
            tw, mw = t + dt, m * p
            if tw > _FAR:
                continue
            if mw < NEGLIGIBLE:
                dropped += mw
            elif w == end:
                if tw in pending:
                    pending[tw] += mw
                else:
                    pending[tw] = mw
                    heapq.heappush(times, tw)
            elif walker is not None:
                return None  # two ways on
            else:
                walker = (tw, w, mw)
    for first in sorted(times):
        arrived[first] = arrived.get(first, 0.0) + pending.pop(first)
    return arrived, dropped, states + len(times)


def _hops(series: Series, region: set[str], end: str) -> dict[str, list[tuple[str, float, int]]]:
    """Each touchpoint's moves within the region, a run of touchpoints with one way on taken in
    one hop (times added): a loop of touchpoints in a row is one state per pass."""
    edges, move = series.edges, series.times.move

    def single(v: str) -> bool:
        return v != end and len(edges[v]) == 1

    hops: dict[str, list[tuple[str, float, int]]] = {}
    for u in region:
        if u == end:
            continue
        out = []
        for w, p in edges[u].items():
            if w not in region:
                continue
            dt, seen = move(u, w), {u}
            while single(w) and w not in seen:
                seen.add(w)
                ((x, q),) = edges[w].items()
                if x not in region:
                    break
                dt += move(w, x)
                p *= q  # 1 in a journey (what is lost is an edge of its own); any share in tests
                w = x
            else:
                out.append((w, p, dt))
        hops[u] = out
    return hops


