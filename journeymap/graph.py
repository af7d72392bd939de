"""The journey as a networkx graph: the one module that imports networkx.

Nodes are touchpoint ids. Each node carries ``tp`` (the Touchpoint) and ``outcome`` (the effective
outcome: the touchpoint's own, or ``success`` for the last touchpoint of the file when it says
nothing). Each edge carries ``p``, the probability that a customer at the source goes next to the
target (flow and failures added together), and ``via``, the list of :class:`Transition` behind it.

Probabilities follow the format's share rules: failures take their shares first; the rest follow
``next``, split by the shares given there (relative to the rest), entries without a share splitting
what is left equally. A failure without a share is a path (it counts for reachability) but carries
no probability. When every ``next`` entry has a share and they add up to less than 1, they are
scaled to add up to 1, so no customer vanishes between two steps.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import networkx as nx

from journeymap.model import Journey, Outcome, Touchpoint


@dataclass(frozen=True, slots=True)
class Transition:
    """One reason customers move from a touchpoint to another."""

    source: str
    target: str
    p: float
    kind: str  # "next" or "failure"
    label: str | None = None  # the failure's name, or the next entry's label
    failure: str | None = None  # the failure id, for kind == "failure"


def flow_targets(journey: Journey, index: int, tp: Touchpoint) -> list[tuple[str, float | None, str | None]]:
    """Where ``tp`` (at position ``index`` in file order) leads by its flow: (to, share, label)."""
    if tp.next is not None:
        return [(step.to, step.share, step.label) for step in tp.next]
    if tp.outcome is not None:
        return []
    tps = journey.touchpoints
    return [(tps[index + 1].id, None, None)] if index + 1 < len(tps) else []


def effective_outcome(journey: Journey, index: int, tp: Touchpoint) -> Outcome | None:
    if tp.outcome is not None:
        return tp.outcome
    if tp.next is None and index == len(journey.touchpoints) - 1:
        return Outcome.SUCCESS
    return None


def _split(shares: list[float | None], rest: float) -> list[float]:
    given = sum(s for s in shares if s is not None)
    unshared = sum(1 for s in shares if s is None)
    if unshared:
        each = max(0.0, 1.0 - given) / unshared
        fractions = [each if s is None else s for s in shares]
    elif given > 0:
        fractions = [s / given for s in shares if s is not None]
    else:
        fractions = [1.0 / len(shares)] * len(shares) if shares else []
    return [f * rest for f in fractions]


def transitions(journey: Journey, index: int, tp: Touchpoint) -> Iterator[Transition]:
    """Every way out of ``tp``, with its probability, ignoring references that do not resolve."""
    known = journey.by_id
    failed = 0.0
    for failure in tp.failures:
        if failure.to is not None and failure.to in known:
            p = failure.share or 0.0
            yield Transition(tp.id, failure.to, p, "failure", failure.name, failure.id)
        failed += failure.share or 0.0
    targets = [t for t in flow_targets(journey, index, tp) if t[0] in known]
    rest = max(0.0, 1.0 - failed)
    for (to, _, label), p in zip(targets, _split([t[1] for t in targets], rest)):
        yield Transition(tp.id, to, p, "next", label)


@dataclass(frozen=True)
class JourneyGraph:
    journey: Journey
    g: nx.DiGraph

    @property
    def start(self) -> str:
        return self.journey.start.id

    def outcome(self, node: str) -> Outcome | None:
        return self.g.nodes[node]["outcome"]

    @cached_property
    def success_nodes(self) -> frozenset[str]:
        return frozenset(n for n, o in self.g.nodes(data="outcome") if o is Outcome.SUCCESS)

    @cached_property
    def reachable_from_start(self) -> frozenset[str]:
        return frozenset(nx.descendants(self.g, self.start) | {self.start})

    @cached_property
    def can_succeed(self) -> frozenset[str]:
        """Nodes from which some path leads to a success outcome (success nodes included): one
        backward search from all of them (a search from each was quadratic in a journey with a
        success outcome at every step)."""
        found = set(self.success_nodes)
        stack = list(found)
        while stack:
            for before in self.g.predecessors(stack.pop()):
                if before not in found:
                    found.add(before)
                    stack.append(before)
        return frozenset(found)

    def reachable(self, source: str) -> frozenset[str]:
        """Nodes reachable from ``source`` by one step or more (``source`` itself only via a loop)."""
        seen = set(self.g.successors(source))
        stack = list(seen)
        while stack:
            for v in self.g.successors(stack.pop()):
                if v not in seen:
                    seen.add(v)
                    stack.append(v)
        return frozenset(seen)

    def successors(self, node: str) -> Iterator[str]:
        return iter(self.g.successors(node))

    def transitions_from(self, node: str) -> list[Transition]:
        return [t for _, _, via in self.g.out_edges(node, data="via") for t in via]


def build_graph(journey: Journey) -> JourneyGraph:
    """Build the journey's DiGraph from the model, applying the format's default flow rules."""
    g = nx.DiGraph()
    for index, tp in enumerate(journey.touchpoints):
        g.add_node(tp.id, tp=tp, index=index, outcome=effective_outcome(journey, index, tp))
    for index, tp in enumerate(journey.touchpoints):
        for t in transitions(journey, index, tp):
            if g.has_edge(t.source, t.target):
                data = g.edges[t.source, t.target]
                data["p"] += t.p
                data["via"].append(t)
            else:
                g.add_edge(t.source, t.target, p=t.p, via=[t])
    return JourneyGraph(journey, g)
