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
from array import array
from collections.abc import Iterator, Mapping, Sequence
from operator import mul

from journeymap.analysis.asks import (
    AskedAgain,
    AskedAgainTable,
    asked_again,
    asked_again_findings,
    describe,
)
from journeymap.analysis.ranking import largest_first
from journeymap.analysis.results import (
    Components,
    FrictionResult,
    FrictionScores,
    TouchpointFriction,
    WhenRead,
)
from journeymap.analysis.traffic import Traffic
from journeymap.analysis.weights import (
    COMPONENTS,
    DEFAULT_HOTSPOT_THRESHOLD,
    DEFAULT_WEIGHTS,
)
from journeymap.analysis.wording import number, percent, same_text
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
    with jg.sharing():
        flow = _Flow(jg)
        again = asked_again(jg)
    w = weights(config)
    kept = _Kept(jg, flow, again, tuple(w[name] for name in COMPONENTS))
    del flow  # the chain and its solver: megabytes on a large journey, not needed any more
    tps = jg.journey.touchpoints
    scored = FrictionScores(tps, kept.make)
    contribution, kept.contribution = kept.contribution, array("d")
    limit = threshold(config)

    def ids_largest_first(indexes: Sequence[int]) -> list[str]:
        """The touchpoints' ids, largest contribution first (file order breaks ties)."""
        return [tps[i].id for i in largest_first(indexes, contribution)]

    # a repeated id's hotspot is judged by its last touchpoint (its node's index), as a dict of
    # the scores by id keeps them
    over = [i for i, tp in enumerate(tps) if contribution[jg.index(tp.id)] > limit]
    hot = tuple(ids_largest_first(over))
    # the ranking of every touchpoint, made when read (only the terminal report reads it): its
    # sort's list of 100,000 int and float objects, and a dict of the last index by id, were the
    # largest part of a large journey's friction scoring at its peak
    ranked = WhenRead(lambda: ids_largest_first(range(len(tps))))
    result = FrictionResult(sum(contribution), scored, hot, ranked, limit)
    found = [*asked_again_findings(jg, again), *_hotspot_findings(jg, result)]
    return result, found


class _Flow:
    """Traffic through the journey, and where each touchpoint's customers arrive from."""

    def __init__(self, jg: JourneyGraph) -> None:
        self.jg = jg
        self.chain = Traffic(jg)
        self.visits_at = self.chain.visits  # by position (and one more: those who left)

    def arrivals(self, i: int) -> list[tuple[int, float]]:
        """(predecessor's position, share of the customers arriving at position ``i`` that come
        from it), in file order.

        The start's own customers arrive from outside, so its shares add up to less than 1.
        Where traffic says nothing (no customer arrives, or a loop never left), predecessors
        count equally. A move without a share brings no one, even from a loop customers never
        leave (whose visits are infinite: ∞ × 0 would be NaN).
        """
        n, jg = self.visits_at[i], self.jg
        into = jg.sources(i)
        if 0 < n < math.inf:
            visits, at, to, ps = self.visits_at, jg.succ_at, jg.succ_to, jg.succ_p
            return [(u, visits[u] * p / n if (p := ps[to.index(i, at[u], at[u + 1])]) else 0.0)
                    for u in into]
        return [(u, 1 / len(into)) for u in into]

    def sent_back(self, u: int, v: int) -> bool:
        """``u → v`` returns customers to an earlier (or the same) touchpoint of a loop."""
        return self.jg.indexes[u] >= self.jg.indexes[v] and self.chain.same_loop(u, v)


class _Kept:
    """What scoring keeps of each touchpoint (in file order), from which its
    :class:`TouchpointFriction` is made when asked for: what the flow gave it (the shares of
    arrivals that switch channel, change owner and are sent back) as three floats in one flat
    array, with its traffic read from the flow's own array by position; what its words are made
    from (the components that are not 0, and where its channel switches and hand-offs come from:
    three tuples of names, ``()`` for most) as a number into ``facts``, the few such triples the
    journey has, in the order first met. What it asks again is read from asked-again's table; the
    other amounts come from the touchpoint alone and are worked out again, the same way. About 30
    bytes a touchpoint; the objects themselves, with their components and words, were 650."""

    def __init__(self, jg: JourneyGraph, flow: _Flow, again: AskedAgainTable,
                 weight: tuple[float, ...]) -> None:
        self.touchpoints, self.weight = jg.journey.touchpoints, weight
        self.flow = array("d")  # channel switch, hand-off, loop: three a touchpoint
        self.visits, self.position = flow.visits_at, jg.position  # the traffic, by position
        self.contribution = array("d")  # for ranking (let go of once ranked)
        self.said = array("I")  # each touchpoint's number in ``facts``
        self.facts: list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = []
        numbers: dict[tuple[tuple[str, ...], ...], int] = {}
        self.again = again  # what each touchpoint asks again, by id
        position, visits = self.position, self.visits
        for tp in self.touchpoints:
            i = position[tp.id]
            asked = again.count(tp.id)
            arrivals = flow.arrivals(i)
            channels = _switch(jg, tp.channel, arrivals, "channel") if arrivals else None
            owners = _switch(jg, tp.owner, arrivals, "owner") if arrivals else None
            moved = (sum(channels.values()) if channels else 0.0,
                     sum(owners.values()) if owners else 0.0,
                     sum(share for u, share in arrivals if flow.sent_back(u, i)))
            amounts = _amounts(tp, asked, moved)
            self.flow.extend(moved)
            friction = sum(map(mul, weight, amounts))
            self.contribution.append(friction * visits[i] if friction else 0.0)
            facts = (tuple(n for n, a in zip(COMPONENTS, amounts) if a),
                     tuple(channels) if amounts[3] and channels else (),
                     tuple(owners) if amounts[4] and owners else ())
            number = numbers.get(facts)
            if number is None:
                number = numbers[facts] = len(self.facts)
                self.facts.append(facts)
            self.said.append(number)

    def make(self, i: int) -> TouchpointFriction:
        """The scores of the ``i``-th touchpoint in file order, as scoring it gave them."""
        tp, flow, k = self.touchpoints[i], self.flow, 3 * i
        asked = self.again.get(tp.id, ())
        amounts = _amounts(tp, len(asked), (flow[k], flow[k + 1], flow[k + 2]))
        values = tuple(map(mul, self.weight, amounts))
        friction = sum(values)
        traffic = self.visits[self.position[tp.id]]
        named, channels, owners = self.facts[self.said[i]]
        return TouchpointFriction(
            tp.id, tp.stage, friction, traffic, friction * traffic if friction else 0.0,
            Components(COMPONENTS, values),
            _Why(named, tp, channels, owners, amounts, asked) if named else _NO_WORDS)


def _amounts(tp: Touchpoint, asked: int, moved: Sequence[float]) -> tuple[float, ...]:
    """A touchpoint's eight amounts before weighting (see the module's table), in the order of
    COMPONENTS; ``asked``: how many items it asks for again; ``moved``: the three that come from
    the flow (channel switch, hand-off, loop)."""
    return (
        (tp.effort - 1) / 4 if tp.effort else 0.0,
        -tp.emotion / 2 if tp.emotion is not None and tp.emotion < 0 else 0.0,
        min(1.0, math.log1p((tp.wait or 0.0) / 3600) / _LOG_LONG_WAIT),
        moved[0],
        moved[1],
        float(asked),
        moved[2],
        sum(f.share for f in tp.failures if f.share),
    )


class _Why(Mapping[str, str]):
    """Component name → what drives it, in words, for the components that are not 0: worded when
    asked for (a hotspot's finding, the text report, a map's tooltip). Kept as the few facts the
    words come from, most of them shared; a dict of words per touchpoint was a third of a large
    journey's scores in memory."""

    __slots__ = ("_names", "_tp", "_channels", "_channel_share", "_owners", "_owner_share",
                 "_loop", "_again")

    def __init__(self, names: tuple[str, ...], tp: Touchpoint, channels: tuple[str, ...],
                 owners: tuple[str, ...], amounts: tuple[float, ...],
                 again: tuple[AskedAgain, ...]) -> None:
        self._names, self._tp = names, tp
        # what the words need beyond the touchpoint: where the switches come from, and the shares
        self._channels, self._owners, self._again = channels, owners, again
        self._channel_share, self._owner_share, self._loop = amounts[3], amounts[4], amounts[6]

    def __getitem__(self, name: str) -> str:
        if name not in self._names:
            raise KeyError(name)
        tp = self._tp
        if name == "channel_switch":
            return (f"switches channel from {' or '.join(self._channels)} to {tp.channel} "
                    f"({percent(self._channel_share)} of arrivals)")
        if name == "hand_off":
            return (f"handed off from {' or '.join(self._owners)} to {tp.owner} "
                    f"({percent(self._owner_share)} of arrivals)")
        if name == "loop":
            return f"{percent(self._loop)} of arrivals are sent back here to go round again"
        if name == "asked_again":
            return f"asked again for {describe(self._again, tp.id)}" if self._again else ""
        return _words(name, tp)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __repr__(self) -> str:
        return repr(dict(self.items()))


_NO_WORDS: Mapping[str, str] = _Why((), None, (), (), (0.0,) * len(COMPONENTS), ())  # type: ignore[arg-type]


_LOG_LONG_WAIT = math.log1p(_LONG_WAIT_HOURS)


def _switch(jg: JourneyGraph, here: str | None, arrivals: list[tuple[int, float]],
            attribute: str) -> dict[str, float] | None:
    """Where the arrivals on another channel (or owner) than ``here`` come from: that channel →
    its share of the arrivals."""
    if here is None:
        return None
    before: dict[str, float] = {}
    tps = jg.touchpoints
    for u, share in arrivals:
        there = getattr(tps[u], attribute)
        if there is not None and not same_text(here, there):
            before[there] = before.get(there, 0.0) + share
    return before


def _words(name: str, tp: Touchpoint) -> str:
    """What drives a component that comes from the touchpoint alone, when it is not 0, in words
    (the failures' share is added up again as its amount was: the same number)."""
    if name == "effort":
        return f"effort {tp.effort} of 5"
    if name == "emotion":
        return f"customers feel {EMOTION_WORDS[tp.emotion]}"  # type: ignore[index]
    if name == "waiting":
        return f"waits {format_duration(tp.wait or 0.0)} before it starts"
    failing = [f for f in tp.failures if f.share]
    amount = sum(f.share for f in failing)  # type: ignore[misc]
    if len(failing) == 1:
        return f"fails for {percent(amount)}: {failing[0].name}"
    return f"fails for {percent(amount)}: " + "; ".join(
        f"{f.name} ({percent(f.share or 0.0)})" for f in failing)


def _hotspot_findings(jg: JourneyGraph, result: FrictionResult) -> Iterator[Finding]:
    # the scores in file order, of a repeated id's last touchpoint (its node's index), as by id;
    # a dict by id was 7 MB of a large journey's `check` at its peak
    scores = result.touchpoints
    hot = set(result.hotspots)  # a tuple: every touchpoint looked in all of it, n × hotspots
    for tp in jg.journey.touchpoints:
        if tp.id in hot:
            yield _hotspot(tp, scores[jg.index(tp.id)], result.threshold)


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
