"""Friction: how hard each touchpoint is on the customer, in named components, weighted by traffic.

The components follow the drivers of customer effort (Dixon, Freeman and Toman, HBR 2010); each is
a plain amount, multiplied by its weight (``config.weights`` overrides the defaults below):

=============== ===================================================================== =======
component       amount                                                                default
=============== ===================================================================== =======
effort          (effort − 1) / 4: 0 for effortless, 1 for exhausting                  2.0
emotion         negative emotion only: frustrated 0.5, angry 1 (delight earns nothing) 2.0
waiting         log(1 + wait in hours) / log(1 + 8 weeks in hours), at most 1         1.5
channel_switch  share of arrivals that come from a touchpoint on another channel      1.0
hand_off        share of arrivals that come from a touchpoint with another owner      1.0
asked_again     items asked for again (JM302), each counts 1                          1.0
loop            share of arrivals sent back here from later on the same loop          2.0
failure         the failure shares at this touchpoint, added up                       3.0
=============== ===================================================================== =======

"Arrivals" weigh each predecessor by the customers it sends: traffic(u) × p(u → v), so a switch
that only the rare recovery path makes counts for little. A missing value counts 0. A touchpoint's
friction is the sum of its weighted components; its **traffic** is the expected number of visits
per customer who starts the journey (loops make it exceed 1); its **contribution** is friction ×
traffic; the journey's friction is the sum of contributions. Every component is ≥ 0, so a failure
(even one recovered well, and however pleased the recovery leaves the customer) never makes a
touchpoint score better than no failure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from journeymap.analysis.asks import (
    AskedAgain,
    asked_again,
    asked_again_findings,
    describe,
)
from journeymap.analysis.markov import Propagator, chain_edges
from journeymap.analysis.results import Components, FrictionResult, TouchpointFriction
from journeymap.analysis.weights import (
    COMPONENTS,
    DEFAULT_HOTSPOT_THRESHOLD,
    DEFAULT_WEIGHTS,
)
from journeymap.analysis.wording import percent, same_text
from journeymap.config import DEFAULT, Config  # config takes its names from weights: no circle
from journeymap.findings import Finding, finding
from journeymap.graph import JourneyGraph
from journeymap.model import Touchpoint
from journeymap.values import EMOTION_WORDS, format_duration

_LONG_WAIT_HOURS = 8 * 7 * 24  # a wait of eight weeks or more is as bad as waiting gets

ADVICE = {
    "effort": "make the step easier: fewer steps, self-service, forms filled in for them",
    "emotion": "find out what upsets customers here and remove the cause",
    "waiting": "shorten the wait, or tell the customer when and what happens next",
    "channel_switch": "keep the customer on the channel they came from",
    "hand_off": "let one owner carry the case through this step",
    "asked_again": "pass on what the customer already gave, with the case",
    "loop": "fix the failure that sends customers back here",
    "failure": "reduce how often things go wrong here",
}


def weights(config: Config = DEFAULT) -> dict[str, float]:
    """The default weights with the config's overrides."""
    return {name: config.weights.get(name, default) for name, default in DEFAULT_WEIGHTS.items()}


def threshold(config: Config = DEFAULT) -> float:
    return DEFAULT_HOTSPOT_THRESHOLD if config.hotspot_threshold is None else config.hotspot_threshold


def score_friction(jg: JourneyGraph, config: Config = DEFAULT) -> tuple[FrictionResult, list[Finding]]:
    """Each touchpoint's friction, the journey's total, the hotspots, and their findings."""
    flow = _Flow.of(jg)
    again = asked_again(jg)
    w = weights(config)
    scored = tuple(_score(jg, flow, tp, again.get(tp.id, ()), w) for tp in jg.journey.touchpoints)
    ranked = tuple(s.touchpoint for s in sorted(scored, key=lambda s: -s.contribution))
    limit = threshold(config)
    by_id = _by_id(scored)
    hot = tuple(t for t in ranked if by_id[t].contribution > limit)
    result = FrictionResult(sum(s.contribution for s in scored), scored, hot, ranked, limit)
    found = [*asked_again_findings(jg, again), *_hotspot_findings(jg, result)]
    return result, found


def _by_id(scored: tuple[TouchpointFriction, ...]) -> dict[str, TouchpointFriction]:
    return {s.touchpoint: s for s in scored}


@dataclass(frozen=True)
class _Flow:
    """Traffic through the journey, and where each touchpoint's customers arrive from."""

    jg: JourneyGraph
    chain: Propagator
    traffic: dict[str, float]

    @classmethod
    def of(cls, jg: JourneyGraph) -> _Flow:
        chain = Propagator(chain_edges(jg))
        return cls(jg, chain, chain.visits({jg.start: 1.0}))

    def visits(self, v: str) -> float:
        return self.traffic.get(v, 0.0)

    def arrivals(self, v: str) -> dict[str, float]:
        """Predecessor → share of the customers arriving at ``v`` that come from it.

        The start's own customers arrive from outside, so its shares add up to less than 1.
        Where traffic says nothing (no customer arrives, or a loop never left), predecessors
        count equally.
        """
        n = self.visits(v)
        preds = list(self.jg.predecessors(v))
        if 0 < n < math.inf:
            return {u: self.visits(u) * self.jg.p(u, v) / n for u in preds}
        return {u: 1 / len(preds) for u in preds}

    def sent_back(self, u: str, v: str) -> bool:
        """``u → v`` returns customers to an earlier (or the same) touchpoint of a loop."""
        return self.chain.same_loop(u, v) and self.jg.index(u) >= self.jg.index(v)


def _score(jg: JourneyGraph, flow: _Flow, tp: Touchpoint, again: tuple[AskedAgain, ...],
           w: dict[str, float]) -> TouchpointFriction:
    amounts, why = _components(jg, flow, tp, again)
    values = tuple(_shared_zero(w[name] * amounts[name]) for name in COMPONENTS)
    components = Components(COMPONENTS, values)
    friction = sum(values)
    traffic = flow.visits(tp.id)
    contribution = friction * traffic if friction else 0.0
    return TouchpointFriction(tp.id, tp.stage, friction, traffic, contribution, components, why)


def _shared_zero(value: float) -> float:
    """``value``, or the one 0.0 object for every 0 (most components of most touchpoints)."""
    return value if value or math.copysign(1.0, value) < 0 else 0.0


def _components(jg: JourneyGraph, flow: _Flow, tp: Touchpoint, again: tuple[AskedAgain, ...]
                ) -> tuple[dict[str, float], dict[str, str]]:
    """Each component's amount, and the words for those that are not 0 (words cost more to make
    than amounts, and most components of most touchpoints are 0)."""
    arrivals = flow.arrivals(tp.id)
    parts: dict[str, tuple[float, Callable[[], str]]] = {
        "effort": _effort(tp),
        "emotion": _emotion(tp),
        "waiting": _waiting(tp),
        "channel_switch": _switch(jg, tp, arrivals, "channel", "switches channel from {} to {}"),
        "hand_off": _switch(jg, tp, arrivals, "owner", "handed off from {} to {}"),
        "asked_again": (float(len(again)), lambda: f"asked again for {describe(again, tp.id)}"),
        "loop": _loop(flow, tp, arrivals),
        "failure": _failure(tp),
    }
    return ({name: amount for name, (amount, _) in parts.items()},
            {name: words() for name, (amount, words) in parts.items() if amount})


Amount = tuple[float, Callable[[], str]]  # a component's amount, and its words when asked


def _effort(tp: Touchpoint) -> Amount:
    return ((tp.effort - 1) / 4 if tp.effort else 0.0), lambda: f"effort {tp.effort} of 5"


def _emotion(tp: Touchpoint) -> Amount:
    if tp.emotion is None or tp.emotion >= 0:
        return 0.0, str
    emotion = tp.emotion
    return -emotion / 2, lambda: f"customers feel {EMOTION_WORDS[emotion]}"


def _waiting(tp: Touchpoint) -> Amount:
    hours = (tp.wait or 0.0) / 3600
    amount = min(1.0, math.log1p(hours) / math.log1p(_LONG_WAIT_HOURS))
    return amount, lambda: f"waits {format_duration(tp.wait or 0.0)} before it starts"


def _switch(jg: JourneyGraph, tp: Touchpoint, arrivals: dict[str, float], attribute: str,
            wording: str) -> Amount:
    here = getattr(tp, attribute)
    before: dict[str, float] = {}
    for u, share in arrivals.items():
        there = getattr(jg.tp(u), attribute)
        if here is not None and there is not None and not same_text(here, there):
            before[there] = before.get(there, 0.0) + share
    amount = sum(before.values())
    return amount, lambda: f"{wording.format(' or '.join(before), here)} ({percent(amount)} of arrivals)"


def _loop(flow: _Flow, tp: Touchpoint, arrivals: dict[str, float]) -> Amount:
    amount = sum(share for u, share in arrivals.items() if flow.sent_back(u, tp.id))
    return amount, lambda: f"{percent(amount)} of arrivals are sent back here to go round again"


def _failure(tp: Touchpoint) -> Amount:
    failing = [f for f in tp.failures if f.share]
    amount = sum(f.share or 0.0 for f in failing)
    if len(failing) == 1:
        return amount, lambda: f"fails for {percent(amount)}: {failing[0].name}"
    return amount, lambda: f"fails for {percent(amount)}: " + "; ".join(
        f"{f.name} ({percent(f.share or 0.0)})" for f in failing)


def _hotspot_findings(jg: JourneyGraph, result: FrictionResult) -> Iterator[Finding]:
    scored = _by_id(result.touchpoints)
    for tp in jg.journey.touchpoints:
        if tp.id in result.hotspots:
            yield _hotspot(tp, scored[tp.id], result.threshold)


def top_components(scored: TouchpointFriction, n: int = 3) -> list[str]:
    """The names of the ``n`` largest components that matter (0.05 or more), largest first."""
    ordered = sorted(scored.components.items(), key=lambda kv: -kv[1])
    return [name for name, value in ordered[:n] if value >= 0.05]


def _hotspot(tp: Touchpoint, scored: TouchpointFriction, limit: float) -> Finding:
    top = top_components(scored)
    drivers = "; ".join(scored.why[name] for name in top)
    message = (f"“{tp.name}” is a friction hotspot: {number(scored.contribution)} "
               f"(friction {number(scored.friction)} × {number(scored.traffic, 2)} visits per "
               f"customer), above {limit:g}; mostly: {drivers}")
    return finding("JM301", message, tp.span, tp.id, hint=ADVICE[top[0]] if top else None)


def number(value: float, digits: int = 1) -> str:
    """A score for people: ``8.2``; unbounded (customers never leave a loop) as ``∞``."""
    return "∞" if math.isinf(value) else f"{value:.{digits}f}"
