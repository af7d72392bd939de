"""Observed beside declared: shares with Wilson intervals, times, promises, endings, fitness.

A share is a count out of trials: for a move u → v, the trials are the departures from u (its
visits, less those that are the last event of a case that the journey says must move on: those
cases are still open). Its interval is Wilson's score interval (see docs/observe.md), and a share
is flagged only when the declared value lies outside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from journeymap.observe.declared import START, Declared, DeclaredPromise
from journeymap.observe.measure import Observed

_EVERYONE = 1.0 - 1e-9


@dataclass(frozen=True)
class Interval:
    x: int
    n: int
    low: float
    high: float

    @property
    def share(self) -> float:
        return self.x / self.n if self.n else 0.0

    def holds(self, value: float, error: float = 0.0) -> bool:
        """True when ``value`` (± ``error``) lies within the interval."""
        return value + error >= self.low - 1e-12 and value - error <= self.high + 1e-12


def z_for(confidence: float) -> float:
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def wilson(x: int, n: int, z: float) -> Interval:
    """Wilson's score interval for x successes in n trials."""
    if n <= 0:
        return Interval(x, n, 0.0, 1.0)
    p = x / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return Interval(x, n, max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class TouchpointFigures:
    id: str
    name: str
    declared_traffic: float
    visits: int
    per_case: float


@dataclass(frozen=True)
class MoveFigures:
    source: str  # START for the first event of a case
    target: str
    declared: bool
    declared_share: float | None  # None: undeclared, or declared without a share
    via: tuple[str, ...]
    failures: tuple[str, ...]
    observed: Interval | None  # None when no customer was at the source
    flagged: bool  # the declared share lies outside the observed interval
    declared_seconds: float | None
    median: float | None
    p90: float | None
    cases: int | None  # cases taking it, for undeclared moves


@dataclass(frozen=True)
class PromiseFigures:
    id: str
    name: str
    made_at: str
    kept_at: str
    within: float | None
    declared: float
    error: float
    made: int
    kept: int
    observed: Interval  # in time, out of the cases that reached made_at
    median: float | None
    flagged: bool  # the declared probability lies outside the interval
    below: bool  # observed kept rate below the declared probability beyond the interval


@dataclass(frozen=True)
class Comparison:
    journey_id: str
    file: str
    title: str
    confidence: float
    observed: Observed
    touchpoints: tuple[TouchpointFigures, ...]
    moves: tuple[MoveFigures, ...]
    promises: tuple[PromiseFigures, ...]
    endings: dict[str, int]  # success, lost, open
    fitness: float

    @property
    def undeclared(self) -> tuple[MoveFigures, ...]:
        return tuple(m for m in self.moves if not m.declared)

    @property
    def never_taken(self) -> tuple[MoveFigures, ...]:
        return tuple(m for m in self.moves if m.declared and m.source != START
                     and (m.observed is None or m.observed.x == 0))

    @property
    def slow_moves(self) -> tuple[MoveFigures, ...]:
        return tuple(m for m in self.moves if time_flag(m))


def time_flag(m: MoveFigures) -> str | None:
    """"slower" or "faster" when a move's median is off its declared time by more than a tenth
    (and a minute): the declared waits and durations are medians, not promises."""
    if m.median is None or m.declared_seconds is None:
        return None
    gap = m.median - m.declared_seconds
    if abs(gap) <= max(60.0, 0.1 * m.declared_seconds):
        return None
    return "slower" if gap > 0 else "faster"


def compare(decl: Declared, obs: Observed, confidence: float = 0.95) -> Comparison:
    """Set the observed figures beside the declared ones."""
    z = z_for(confidence)
    cases = obs.cases
    tps = tuple(TouchpointFigures(tp.id, tp.name, decl.traffic[tp.id], obs.visits.get(tp.id, 0),
                                  obs.visits.get(tp.id, 0) / cases if cases else 0.0)
                for tp in decl.journey.touchpoints)
    trials = {u: obs.visits.get(u, 0) - (obs.ends.get(u, 0) if decl.leaving[u] >= _EVERYONE else 0)
              for u in decl.ids}
    trials[START] = cases
    moves = [_declared_move(decl, obs, key, trials, z) for key in decl.edges]
    moves += [_undeclared_move(obs, key, trials, z) for key in obs.moves if key not in decl.edges]
    endings = {"success": 0, "lost": 0, "open": 0}
    for tp_id, n in obs.ends.items():
        endings[decl.outcomes.get(tp_id) or "open"] += n
    promises = tuple(_promise(p, obs, z) for p in decl.promises)
    fitness = (cases - obs.unfit_cases) / cases if cases else 0.0
    return Comparison(decl.journey.id, decl.journey.file, decl.journey.title, confidence, obs,
                      tps, tuple(moves), promises, endings, fitness)


def _declared_move(decl: Declared, obs: Observed, key: tuple[str, str], trials: dict[str, int],
                   z: float) -> MoveFigures:
    edge = decl.edges[key]
    seen = obs.moves.get(key)
    n = trials[edge.source]
    interval = wilson(seen.count if seen else 0, n, z) if n > 0 else None
    has_share = edge.source != START and edge.p > 0
    flagged = bool(interval and has_share and not interval.holds(edge.p))
    return MoveFigures(edge.source, edge.target, True, edge.p if has_share else None, edge.via,
                       edge.failures, interval, flagged,
                       edge.seconds if edge.source != START else None,
                       seen.median if seen else None, seen.p90 if seen else None, None)


def _undeclared_move(obs: Observed, key: tuple[str, str], trials: dict[str, int],
                     z: float) -> MoveFigures:
    seen = obs.moves[key]
    n = trials.get(key[0], 0)
    interval = wilson(seen.count, max(n, seen.count), z)
    return MoveFigures(key[0], key[1], False, None, (), (), interval, False, None, seen.median,
                       seen.p90, obs.undeclared_cases.get(key, 0))


def _promise(p: DeclaredPromise, obs: Observed, z: float) -> PromiseFigures:
    count = obs.promises.get(p.id)
    made, kept, in_time = (count.made, count.kept, count.in_time) if count else (0, 0, 0)
    interval = wilson(in_time, made, z)
    flagged = made > 0 and not interval.holds(p.probability, p.error)
    below = made > 0 and p.probability - p.error > interval.high + 1e-12
    return PromiseFigures(p.id, p.name, p.made_at, p.kept_at, p.within, p.probability, p.error,
                          made, kept, interval, count.median if count else None, flagged, below)
