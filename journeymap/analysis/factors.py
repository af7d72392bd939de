"""The four factors of satisfaction: the right product, a caring person, on time, and an effective
resolution when it goes wrong. Any one failing spoils the other three, so a team wants to see which
one its friction and findings come from.

A failure's factor is what it says (``factor:``); without one, a failure with a recovery path (its
``to`` leads back to success) is ``resolution``, and any other is ``unassigned``. Friction
components and findings map to factors as in :data:`COMPONENT_FACTORS` and :data:`RULE_FACTORS`;
the failure component follows its failures' factors, in proportion to their shares.

A workshop's pain point is listed under the factor it declares (``{text: …, factor: time}``);
one without a factor is left out: its words are the workshop's, and no factor is guessed from them.
Pain points carry no friction, so they change no group's friction or share.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping

# FactorGroup lives with the other results (the Analysis holds them), named here too
from journeymap.analysis.ranking import largest_first
from journeymap.analysis.results import FactorGroup, FrictionResult, Parts, TouchpointFriction
from journeymap.findings import Finding
from journeymap.graph import JourneyGraph
from journeymap.model import Failure, Touchpoint

FACTORS = ("product", "people", "time", "resolution")
UNASSIGNED = "unassigned"
# A friction component → the factor it speaks of (the failure component: see failure_factor).
COMPONENT_FACTORS = {
    "effort": "product",          # the step itself is hard work
    "channel_switch": "product",  # the service sends the customer to another channel
    "emotion": "people",          # how the customer is treated
    "hand_off": "people",         # passed from one owner to another
    "asked_again": "people",      # nobody passed on what the customer said
    "waiting": "time",
    "loop": "resolution",         # sent back to go round again
}
# A finding's rule → its factor (JM101 and JM102: no recovery designed; JM202/JM203: late).
RULE_FACTORS = {"JM101": "resolution", "JM102": "resolution", "JM202": "time", "JM203": "time",
                "JM302": "people"}


def failure_factor(failure: Failure, jg: JourneyGraph) -> tuple[str, bool]:
    """The failure's factor, and whether the journey declares it (False: derived)."""
    if failure.factor:
        return failure.factor, True
    if failure.to is not None and failure.to in jg.can_succeed:
        return "resolution", False
    return UNASSIGNED, False


def by_factor(jg: JourneyGraph, friction: FrictionResult, findings: Iterable[Finding]
              ) -> tuple[FactorGroup, ...]:
    """Friction and findings grouped by factor: the four, then what no factor claims (when any)."""
    tps = jg.journey.touchpoints
    # each touchpoint's part by its node (one per id: what a dict by id added up)
    parts = {f: _Amounts(len(jg.ids)) for f in (*FACTORS, UNASSIGNED)}
    position = jg.position
    for scored in friction.touchpoints:
        at = position[scored.touchpoint]
        tp = jg.touchpoints[at]  # (as the model's index by id: the last of an id)
        for factor, amount in _split(jg, tp, scored).items():
            if amount > 0:
                parts[factor].add(at, amount * scored.traffic)
    grouped: dict[str, list[Finding]] = {f: [] for f in parts}
    by_id = friction.by_id(jg)
    for f in findings:
        grouped[finding_factor(f, jg, friction, by_id)].append(f)
    failures: dict[str, list[tuple[str, str, bool]]] = {f: [] for f in parts}
    for tp in tps:
        for failure in tp.failures:
            factor, declared = failure_factor(failure, jg)
            failures[factor].append((tp.id, failure.id, declared))
    pains = _pain_points(jg)
    groups = []
    for factor, amounts in parts.items():
        if factor == UNASSIGNED and not (amounts.order or grouped[factor] or failures[factor]):
            continue
        groups.append(FactorGroup(factor, amounts.total(), amounts.ranked(jg.ids), tuple(grouped[factor]),
                                  tuple(failures[factor]), tuple(pains.get(factor, ()))))
    return tuple(groups)


class _Amounts:
    """A factor's part of each touchpoint that has one (by its node in the journey graph), in the
    order touchpoints first got a part (which a dict by touchpoint kept: the order of the sum, and
    of ties): two flat arrays, the node and its part, and a byte a node for whether it has one.
    A dict for each factor was 230 bytes a touchpoint; arrays of every node's part, 17; these,
    about 13 for each touchpoint that has a part."""

    def __init__(self, size: int) -> None:
        self.seen = bytearray(size)
        self.order = array("I")  # the nodes, in the order they first got a part
        self.amounts = array("d")  # their parts
        self._slots: dict[int, int] | None = None  # node → its place in order, once one repeats

    def add(self, at: int, amount: float) -> None:
        if not self.seen[at]:
            self.seen[at] = 1
            if self._slots is not None:
                self._slots[at] = len(self.order)
            self.order.append(at)
            self.amounts.append(0.0 + amount)  # as dict.get(at, 0.0) + amount
            return
        if self._slots is None:  # only a repeated id gives a node a second part
            self._slots = {node: k for k, node in enumerate(self.order)}
        self.amounts[self._slots[at]] += amount

    def total(self) -> float:
        return sum(self.amounts)

    def ranked(self, ids: tuple[str, ...]) -> Parts:
        order, amounts = self.order, self.amounts
        ranked = array("I", largest_first(range(len(order)), amounts))
        return Parts(ids, array("I", (order[k] for k in ranked)), array("d", (amounts[k] for k in ranked)))


def _pain_points(jg: JourneyGraph) -> dict[str, list[tuple[str, str]]]:
    """The pain points that declare a factor, by factor: (touchpoint id, text)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for tp in jg.journey.touchpoints:
        for text, factor in tp.workshop.factored_pain_points():
            if factor:
                out.setdefault(factor, []).append((tp.id, text))
    return out


def _split(jg: JourneyGraph, tp: Touchpoint, scored: TouchpointFriction) -> dict[str, float]:
    """A touchpoint's friction by factor."""
    out: dict[str, float] = {}
    for name, value in scored.components.items():
        if name == "failure":
            for factor, share in _failure_shares(jg, tp).items():
                out[factor] = out.get(factor, 0.0) + value * share
        else:
            factor = COMPONENT_FACTORS.get(name, UNASSIGNED)
            out[factor] = out.get(factor, 0.0) + value
    return out


def _failure_shares(jg: JourneyGraph, tp: Touchpoint) -> dict[str, float]:
    """Each factor's part of the touchpoint's failure shares (adding up to 1)."""
    total = sum(f.share or 0.0 for f in tp.failures)
    out: dict[str, float] = {}
    for failure in tp.failures:
        if total and failure.share:
            factor = failure_factor(failure, jg)[0]
            out[factor] = out.get(factor, 0.0) + failure.share / total
    return out


def finding_factor(f: Finding, jg: JourneyGraph, friction: FrictionResult,
                   by_id: Mapping[str, TouchpointFriction] | None = None) -> str:
    """The factor a finding speaks of; a hotspot (JM301) takes that of its largest component.
    ``by_id``: the friction scores by touchpoint id, when the caller has them (a search of every
    touchpoint for each hotspot otherwise)."""
    if f.rule in RULE_FACTORS:
        return RULE_FACTORS[f.rule]
    if f.rule == "JM301" and f.subject in jg.position:
        scored = (by_id[f.subject] if by_id is not None
                  else next(s for s in friction.touchpoints if s.touchpoint == f.subject))
        split = _split(jg, jg.tp(f.subject), scored)
        return max(split, key=lambda k: split[k]) if split else UNASSIGNED
    return UNASSIGNED
