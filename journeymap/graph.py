"""The journey as a graph of touchpoints and moves; the one module that imports networkx (only
when a caller asks for ``JourneyGraph.g``).

Nodes are touchpoint ids. Each has a touchpoint and an effective outcome (the touchpoint's own, or
``success`` for the last touchpoint of the file when it says nothing). Each move has ``p``, the
probability that a customer at the source goes next to the target (flow and failures added
together), and the :class:`Transition` list behind it.

Probabilities follow the format's share rules: failures take their shares first; the rest follow
``next``, split by the shares given there (relative to the rest), entries without a share splitting
what is left equally. A failure without a share is a path (it counts for reachability) but carries
no probability. When every ``next`` entry has a share and they add up to less than 1, they are
scaled to add up to 1, so no customer vanishes between two steps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from journeymap.model import Journey, Outcome, Touchpoint

if TYPE_CHECKING:
    import networkx as nx

T = TypeVar("T")
_SHARING = "\x00sharing"  # the memo's count of sharing() scopes open


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


@dataclass(frozen=True, eq=False)
class JourneyGraph:
    """The journey's touchpoints and moves, indexed by position: what scoring walks.

    Node ``i`` is the ``i``-th distinct touchpoint id in file order (``ids[i]``). ``succ[i]`` are
    the positions it moves to, in the order the moves were first found (the order networkx kept),
    ``succ_p[i]`` their probabilities, ``pred[i]`` the positions that move to it, in file order.
    Plain tuples of shared ints: a networkx graph kept a dict of attributes per node and per edge
    (≈ 1 KB a touchpoint), four times this. ``g`` builds that networkx graph when a caller asks
    for it (the renderers, `observe`); `check` and `report` never do.
    """

    journey: Journey
    ids: tuple[str, ...]
    position: dict[str, int]
    touchpoints: tuple[Touchpoint, ...]  # the touchpoint of each node (the last one of its id)
    indexes: tuple[int, ...]  # each node's touchpoint's position in file order
    outcomes: tuple[Outcome | None, ...]
    succ: tuple[tuple[int, ...], ...]
    succ_p: tuple[tuple[float, ...], ...]
    pred: tuple[tuple[int, ...], ...]
    # what the analyses of this journey share (the Markov chain's edges, the strongly connected
    # components) while :meth:`sharing`: see :meth:`shared`
    memo: dict[str, object] = field(default_factory=dict, repr=False)

    def shared(self, name: str, make: Callable[[JourneyGraph], T]) -> T:
        """``make(self)``; inside :meth:`sharing`, made once and kept under ``name`` until it
        ends. Callers must not change what it returns."""
        if not self.memo.get(_SHARING):
            return make(self)
        if name not in self.memo:
            self.memo[name] = make(self)
        return self.memo[name]  # type: ignore[return-value]

    @contextmanager
    def sharing(self) -> Iterator[None]:
        """While analysing: what :meth:`shared` makes is kept, and let go of at the end (a large
        journey's chain is megabytes that nothing needs once the scores are known)."""
        depth = self.memo.get(_SHARING, 0)
        self.memo[_SHARING] = depth + 1  # type: ignore[operator]
        try:
            yield
        finally:
            if depth:
                self.memo[_SHARING] = depth
            else:
                self.memo.clear()

    @property
    def start(self) -> str:
        return self.journey.start.id

    def __contains__(self, node: object) -> bool:
        return node in self.position

    def __len__(self) -> int:
        return len(self.ids)

    def outcome(self, node: str) -> Outcome | None:
        return self.outcomes[self.position[node]]

    def tp(self, node: str) -> Touchpoint:
        return self.touchpoints[self.position[node]]

    def index(self, node: str) -> int:
        """The file-order position of ``node``'s touchpoint."""
        return self.indexes[self.position[node]]

    def p(self, u: str, v: str) -> float:
        """The probability of moving from ``u`` to ``v`` (KeyError when there is no such move)."""
        i, j = self.position[u], self.position[v]
        try:
            return self.succ_p[i][self.succ[i].index(j)]
        except ValueError:
            raise KeyError((u, v)) from None

    def has_edge(self, u: str, v: str) -> bool:
        i, j = self.position.get(u), self.position.get(v)
        return i is not None and j is not None and j in self.succ[i]

    def successors(self, node: str) -> Iterator[str]:
        ids = self.ids
        return (ids[j] for j in self.succ[self.position[node]])

    def predecessors(self, node: str) -> Iterator[str]:
        ids = self.ids
        return (ids[j] for j in self.pred[self.position[node]])

    def edges(self) -> Iterator[tuple[str, str, float]]:
        """Every move (u, v, p), by u in node order, then in the order of ``succ``."""
        ids = self.ids
        for i, (out, ps) in enumerate(zip(self.succ, self.succ_p)):
            for j, p in zip(out, ps):
                yield ids[i], ids[j], p

    @cached_property
    def success_nodes(self) -> frozenset[str]:
        return frozenset(n for n, o in zip(self.ids, self.outcomes) if o is Outcome.SUCCESS)

    @cached_property
    def reachable_from_start(self) -> NodeSet:
        start = self.position[self.start]
        return NodeSet(self, [start, *self._closure([start], self.succ)])

    @cached_property
    def can_succeed(self) -> NodeSet:
        """Nodes from which some path leads to a success outcome (success nodes included): one
        backward search from all of them (a search from each was quadratic in a journey with a
        success outcome at every step)."""
        found = [i for i, o in enumerate(self.outcomes) if o is Outcome.SUCCESS]
        return NodeSet(self, self._closure(found, self.pred, keep_seeds=True))

    def reachable(self, source: str) -> frozenset[str]:
        """Nodes reachable from ``source`` by one step or more (``source`` itself only via a loop)."""
        first = self.succ[self.position[source]]
        return frozenset(self.ids[j] for j in self._closure(first, self.succ, keep_seeds=True))

    def _closure(self, seeds: Iterable[int], links: tuple[tuple[int, ...], ...],
                 keep_seeds: bool = False) -> list[int]:
        """The positions reached from ``seeds`` along ``links`` (the seeds themselves only when
        ``keep_seeds`` or reached again)."""
        seen = bytearray(len(self.ids))
        stack = list(seeds)
        found = []
        if keep_seeds:
            for i in stack:
                if not seen[i]:
                    seen[i] = 1
                    found.append(i)
            stack = list(found)
        while stack:
            for j in links[stack.pop()]:
                if not seen[j]:
                    seen[j] = 1
                    found.append(j)
                    stack.append(j)
        return found

    def transitions_from(self, node: str) -> list[Transition]:
        """Every way out of ``node``, grouped by the touchpoint it leads to (in ``succ`` order)."""
        i = self.position[node]
        by_target: dict[str, list[Transition]] = {self.ids[j]: [] for j in self.succ[i]}
        for index, tp in enumerate(self.journey.touchpoints):
            if tp.id == node:
                for t in transitions(self.journey, index, tp):
                    by_target[t.target].append(t)
        return [t for via in by_target.values() for t in via]

    @cached_property
    def g(self) -> nx.DiGraph:
        """The journey as a networkx DiGraph (built on first use): nodes carry ``tp``, ``index``
        and ``outcome``, edges ``p`` and ``via`` (the :class:`Transition` behind them)."""
        import networkx as nx

        g = nx.DiGraph()
        for node, tp, index, outcome in zip(self.ids, self.touchpoints, self.indexes, self.outcomes):
            g.add_node(node, tp=tp, index=index, outcome=outcome)
        for index, tp in enumerate(self.journey.touchpoints):
            for t in transitions(self.journey, index, tp):
                if g.has_edge(t.source, t.target):
                    data = g.edges[t.source, t.target]
                    data["p"] += t.p
                    data["via"].append(t)
                else:
                    g.add_edge(t.source, t.target, p=t.p, via=[t])
        return g


class NodeSet(AbstractSet[str]):
    """A read-only set of a graph's nodes (ids), kept as one byte a position: a frozenset of ids
    was about 50 bytes a touchpoint, and a graph keeps two (reachable from the start, can
    succeed). Iterates in position order."""

    __slots__ = ("_ids", "_position", "_mask", "_size")

    def __init__(self, jg: JourneyGraph, positions: Iterable[int]) -> None:
        self._ids, self._position = jg.ids, jg.position
        self._mask = bytearray(len(jg.ids))
        for i in positions:
            self._mask[i] = 1
        self._size = self._mask.count(1)

    def __contains__(self, node: object) -> bool:
        i = self._position.get(node)  # type: ignore[call-overload]
        return i is not None and bool(self._mask[i])

    def __iter__(self) -> Iterator[str]:
        ids, mask = self._ids, self._mask
        return (ids[i] for i in range(len(mask)) if mask[i])

    def __len__(self) -> int:
        return self._size

    def __repr__(self) -> str:
        return f"NodeSet({set(self)!r})"


def build_graph(journey: Journey) -> JourneyGraph:
    """Build the journey's graph from the model, applying the format's default flow rules."""
    ids: list[str] = []
    position: dict[str, int] = {}
    numbers: list[int] = []  # one int object per position, shared by every tuple that names it
    tps: list[Touchpoint] = []
    indexes: list[int] = []
    outcomes: list[Outcome | None] = []
    for index, tp in enumerate(journey.touchpoints):
        i = position.get(tp.id)
        if i is None:
            i = position[tp.id] = len(ids)
            ids.append(tp.id)
            numbers.append(i)
            tps.append(tp)
            indexes.append(index)
            outcomes.append(None)
        tps[i], indexes[i] = tp, numbers[index] if index < len(numbers) else index
        outcomes[i] = effective_outcome(journey, index, tp)
    none: tuple[()] = ()
    succ: list[tuple[int, ...]] = [none] * len(ids)
    succ_p: list[tuple[float, ...]] = [none] * len(ids)
    pred: list[list[int] | tuple[()]] = [none] * len(ids)
    shares: dict[tuple[float, ...], tuple[float, ...]] = {}
    for index, tp in enumerate(journey.touchpoints):
        i = position[tp.id]
        # a second touchpoint with the same id (JM002: not analysed) adds to the first's moves
        out: dict[int, float] = dict(zip(succ[i], succ_p[i]))
        for t in transitions(journey, index, tp):
            j = position[t.target]
            if j in out:
                out[j] += t.p
            else:
                out[j] = t.p
                _add(pred, j, i, numbers)
        if not out:
            continue
        succ[i] = tuple(numbers[j] for j in out)
        succ_p[i] = _shared_shares(tuple(out.values()), shares)
    return JourneyGraph(journey, tuple(ids), position, tuple(tps), tuple(indexes), tuple(outcomes),
                        tuple(succ), tuple(succ_p), tuple(tuple(p) for p in pred))


def _shared_shares(ps: tuple[float, ...], shares: dict[tuple[float, ...], tuple[float, ...]]
                   ) -> tuple[float, ...]:
    """One tuple for each list of probabilities out of a touchpoint (most journeys have a few:
    ``(1.0,)``, ``(0.9, 0.1)``…): a tuple and a float object each were 80 bytes a touchpoint.
    Only lists of positive numbers are shared: equal is then the same bits (0.0 == -0.0 is not)."""
    if all(p > 0 for p in ps):
        return shares.setdefault(ps, ps)
    return ps


def _add(pred: list[list[int] | tuple[()]], j: int, i: int, numbers: list[int]) -> None:
    into = pred[j]
    if into:
        into.append(numbers[i])  # type: ignore[union-attr]
    else:
        pred[j] = [numbers[i]]
