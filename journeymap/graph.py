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

from array import array
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from journeymap.model import Journey, Outcome, Touchpoint

if TYPE_CHECKING:
    import networkx as nx

T = TypeVar("T")
OUTCOMES: tuple[Outcome | None, ...] = (None, *Outcome)  # what JourneyGraph.outcome_codes number
_CODES = {outcome: code for code, outcome in enumerate(OUTCOMES)}
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


def transitions(journey: Journey, index: int, tp: Touchpoint,
                known: Container[str] | None = None) -> Iterator[Transition]:
    """Every way out of ``tp``, with its probability, ignoring references that do not resolve.
    ``known``: the journey's touchpoint ids, when the caller has them (its index by id otherwise)."""
    if known is None:
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

    Node ``i`` is the ``i``-th distinct touchpoint id in file order (``ids[i]``). Its moves are
    ``succ_to[k]`` (the positions it moves to) with probability ``succ_p[k]`` for ``k`` in
    ``range(succ_at[i], succ_at[i + 1])``, in the order the moves were first found (the order
    networkx kept); the positions that move to it are ``pred_from[k]`` for ``k`` in
    ``range(pred_at[i], pred_at[i + 1])``, in the order those moves were found (file order).
    Flat arrays, read in place by the analyses: a tuple per touchpoint for each direction was
    about 140 bytes a touchpoint, and a networkx graph (a dict of attributes per node and per
    edge, ≈ 1 KB a touchpoint) far more. ``g`` builds that networkx graph when a caller asks for
    it (the renderers, `observe`); `check` and `report` never do.
    """

    journey: Journey
    ids: tuple[str, ...]
    position: dict[str, int]
    # the touchpoint of each node (the last one of its id) and its position in file order: the
    # journey's own touchpoints and a range when no id is repeated (the case of every valid file)
    touchpoints: Sequence[Touchpoint]
    indexes: Sequence[int]
    outcome_codes: bytes  # each node's outcome, as its place in OUTCOMES
    succ_at: array
    succ_to: array
    succ_p: array
    pred_at: array
    pred_from: array
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
        return OUTCOMES[self.outcome_codes[self.position[node]]]

    def tp(self, node: str) -> Touchpoint:
        return self.touchpoints[self.position[node]]

    def index(self, node: str) -> int:
        """The file-order position of ``node``'s touchpoint."""
        return self.indexes[self.position[node]]

    def p(self, u: str, v: str) -> float:
        """The probability of moving from ``u`` to ``v`` (KeyError when there is no such move)."""
        i, j = self.position[u], self.position[v]
        try:
            return self.succ_p[self.succ_to.index(j, self.succ_at[i], self.succ_at[i + 1])]
        except ValueError:
            raise KeyError((u, v)) from None

    def targets(self, i: int) -> array:
        """The positions position ``i`` moves to, in the order of its moves (a copy: the hot
        loops read ``succ_at`` and ``succ_to`` in place)."""
        return self.succ_to[self.succ_at[i]:self.succ_at[i + 1]]

    def sources(self, i: int) -> array:
        """The positions that move to position ``i``, in the order those moves were found."""
        return self.pred_from[self.pred_at[i]:self.pred_at[i + 1]]

    def has_edge(self, u: str, v: str) -> bool:
        i, j = self.position.get(u), self.position.get(v)
        return i is not None and j is not None and j in self.targets(i)

    def successors(self, node: str) -> Iterator[str]:
        ids = self.ids
        return (ids[j] for j in self.targets(self.position[node]))

    def predecessors(self, node: str) -> Iterator[str]:
        ids = self.ids
        return (ids[j] for j in self.sources(self.position[node]))

    def edges(self) -> Iterator[tuple[str, str, float]]:
        """Every move (u, v, p), by u in node order, then in the order of its moves."""
        ids, at, to, ps = self.ids, self.succ_at, self.succ_to, self.succ_p
        for i in range(len(ids)):
            for k in range(at[i], at[i + 1]):
                yield ids[i], ids[to[k]], ps[k]

    @cached_property
    def success_nodes(self) -> frozenset[str]:
        success = _CODES[Outcome.SUCCESS]
        return frozenset(n for n, o in zip(self.ids, self.outcome_codes) if o == success)

    @cached_property
    def reachable_from_start(self) -> NodeSet:
        return NodeSet(self, self._reached([self.position[self.start]], self.succ_at, self.succ_to))

    @cached_property
    def can_succeed(self) -> NodeSet:
        """Nodes from which some path leads to a success outcome (success nodes included): one
        backward search from all of them (a search from each was quadratic in a journey with a
        success outcome at every step)."""
        success = _CODES[Outcome.SUCCESS]
        found = (i for i, o in enumerate(self.outcome_codes) if o == success)
        return NodeSet(self, self._reached(found, self.pred_at, self.pred_from))

    def reachable(self, source: str) -> frozenset[str]:
        """Nodes reachable from ``source`` by one step or more (``source`` itself only via a loop)."""
        reached = self._reached(self.targets(self.position[source]), self.succ_at, self.succ_to)
        return frozenset(self.ids[j] for j in range(len(reached)) if reached[j])

    def _reached(self, seeds: Iterable[int], at: array, to: array) -> bytearray:
        """A byte a position, 1 for the ``seeds`` and the positions reached from them along the
        moves ``at``, ``to`` (a list of the positions reached was 36 bytes each)."""
        seen = bytearray(len(self.ids))
        stack = []
        for i in seeds:
            if not seen[i]:
                seen[i] = 1
                stack.append(i)
        while stack:
            u = stack.pop()
            for j in to[at[u]:at[u + 1]]:
                if not seen[j]:
                    seen[j] = 1
                    stack.append(j)
        return seen

    def transitions_from(self, node: str) -> list[Transition]:
        """Every way out of ``node``, grouped by the touchpoint it leads to (in ``succ`` order)."""
        i = self.position[node]
        by_target: dict[str, list[Transition]] = {self.ids[j]: [] for j in self.targets(i)}
        tps = self.journey.touchpoints
        if len(self.ids) == len(tps):  # no id is repeated: the node's one touchpoint (no search)
            found: Iterable[tuple[int, Touchpoint]] = [(self.indexes[i], self.touchpoints[i])]
        else:
            found = ((index, tp) for index, tp in enumerate(tps) if tp.id == node)
        for index, tp in found:
            for t in transitions(self.journey, index, tp, self.position):
                by_target[t.target].append(t)
        return [t for via in by_target.values() for t in via]

    @cached_property
    def g(self) -> nx.DiGraph:
        """The journey as a networkx DiGraph (built on first use): nodes carry ``tp``, ``index``
        and ``outcome``, edges ``p`` and ``via`` (the :class:`Transition` behind them)."""
        import networkx as nx

        g = nx.DiGraph()
        for node, tp, index, code in zip(self.ids, self.touchpoints, self.indexes, self.outcome_codes):
            g.add_node(node, tp=tp, index=index, outcome=OUTCOMES[code])
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

    def __init__(self, jg: JourneyGraph, mask: bytearray) -> None:
        """``mask``: 1 at the positions in the set, 0 elsewhere (kept, not copied)."""
        self._ids, self._position, self._mask = jg.ids, jg.position, mask
        self._size = mask.count(1)

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
    tps: list[Touchpoint] = []
    indexes = array("I")
    outcomes = bytearray()
    for index, tp in enumerate(journey.touchpoints):
        i = position.get(tp.id)
        if i is None:
            i = position[tp.id] = len(ids)
            ids.append(tp.id)
            tps.append(tp)
            indexes.append(index)
            outcomes.append(0)
        tps[i], indexes[i] = tp, index
        outcomes[i] = _CODES[effective_outcome(journey, index, tp)]
    n = len(ids)
    sources, targets, ps = _moves(journey, position)
    pred_at = _offsets(targets, n)
    pred_from = _grouped(targets, sources, pred_at)
    succ_at = _offsets(sources, n)
    distinct = n == len(journey.touchpoints)
    if not distinct:  # a repeated id's moves were found after others': group them by source
        targets, ps = _grouped(sources, targets, succ_at), _grouped(sources, ps, succ_at)
    return JourneyGraph(journey, tuple(ids), position,
                        journey.touchpoints if distinct else tuple(tps), range(n) if distinct else indexes,
                        bytes(outcomes), succ_at, targets, ps, pred_at, pred_from)


def _moves(journey: Journey, position: dict[str, int]) -> tuple[array, array, array]:
    """Every move (sources, targets, probabilities) in the order found: touchpoints in file
    order, each one's transitions in order. A touchpoint repeating an id (JM002: not analysed)
    adds to the moves of the first."""
    sources, targets, ps = array("I"), array("I"), array("d")
    repeated = len(position) < len(journey.touchpoints)
    found: dict[int, dict[int, int]] = {}  # a repeated id's moves so far: target → its place
    for index, tp in enumerate(journey.touchpoints):
        i = position[tp.id]
        out = found.setdefault(i, {}) if repeated else {}
        for t in transitions(journey, index, tp, position):  # (the model's index by id not made)
            j = position[t.target]
            k = out.get(j)
            if k is None:
                out[j] = len(targets)
                sources.append(i)
                targets.append(j)
                ps.append(t.p)
            else:
                ps[k] += t.p
    return sources, targets, ps


def _offsets(keys: array, n: int) -> array:
    """Where each of the keys ``0 … n - 1`` starts once ``keys`` are grouped (and the end)."""
    at = array("I", bytes(4 * (n + 1)))
    for key in keys:
        at[key + 1] += 1
    for i in range(n):
        at[i + 1] += at[i]
    return at


def _grouped(keys: array, values: array, at: array) -> array:
    """``values`` grouped by ``keys`` at the places ``at`` gives, in their order within a group."""
    fill = at[:]
    grouped = array(values.typecode, bytes(values.itemsize * len(values)))
    for key, value in zip(keys, values):
        grouped[fill[key]] = value
        fill[key] += 1
    return grouped
