"""The journey as an absorbing Markov chain: expected visits and absorption, solved exactly.

A customer at a touchpoint moves on along its positive-probability edges; the probability that
is not passed on (an outcome, a dead end) ends the journey there. Loops are real, so nothing
here enumerates paths: the chain is split into strongly connected components, visited in
topological order, and each component's linear system is solved by sparse Gaussian elimination
(a censored-chain elimination with a minimum-degree order, so a journey-shaped component of
thousands of touchpoints stays sparse). A component that customers can never leave (a loop
whose shares send everyone round again) has unbounded visits: ``math.inf``.

Pivots are never computed as ``1 - p(stay)``: a loop whose only exit has probability 1e-16 would
lose its exit to rounding (``1 - (1 - 1e-16)`` is 1.1e-16 in floating point, and the probability
of leaving would come out 0.9). Each pivot is instead the sum of the probabilities of leaving,
kept separately and updated by the elimination, all terms positive (the Grassmann-Taksar-Heyman
form of Gaussian elimination; Grassmann, Taksar and Heyman, Operations Research 33, 1985).
The customers a touchpoint passes to nobody (an outcome, a failure without ``to``) go to the
explicit :data:`LOST` node for the same reason: their share is a number written in the file, not
a difference of two sums. A loop is closed only when no positive share leaves it.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from journeymap.graph import JourneyGraph

# node → {successor: probability}, positive probabilities only
Edges = Mapping[str, Mapping[str, float]]

LOST = "\x00lost"  # where customers go who leave the journey (no touchpoint id can be this)
# A node's probabilities adding up to less than 1 by less than this is rounding, not a leak
# (edges given without LOST: tests and hand-made chains).
_ROUNDING = 1e-14


def strongly_connected(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Strongly connected components in topological order (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, ()))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    found.append(_pop_component(stack, on_stack, node))
    found.reverse()  # Tarjan emits a component after everything it reaches
    return found


def leading_to(edges: Edges, among: Iterable[str], end: str) -> set[str]:
    """Those of ``among`` from which moves inside ``among`` reach ``end`` (``end`` included)."""
    inside = set(among)
    inside.add(end)
    back: dict[str, list[str]] = {}
    for u in inside:
        if u != end:
            for w in edges[u]:
                if w in inside:
                    back.setdefault(w, []).append(u)
    found, stack = {end}, [end]
    while stack:
        for u in back.get(stack.pop(), ()):
            if u not in found:
                found.add(u)
                stack.append(u)
    return found


def _pop_component(stack: list[str], on_stack: set[str], root: str) -> list[str]:
    members = []
    while True:
        node = stack.pop()
        on_stack.discard(node)
        members.append(node)
        if node == root:
            return members


class Propagator:
    """Expected visits to every node for customers injected at some nodes.

    ``absorbing`` nodes count their visits but pass nobody on (a promise's ``kept_at``): the
    visits of an absorbing node are then the probability of ever reaching it.
    """

    def __init__(self, edges: Edges, absorbing: frozenset[str] = frozenset()) -> None:
        if not absorbing and all(w in edges for out in edges.values() for w in out):
            self.edges = edges  # read only here: a journey's chain is not copied
        else:
            self.edges = {u: ({} if u in absorbing else dict(out)) for u, out in edges.items()}
            for out in list(self.edges.values()):
                for w in out:
                    self.edges.setdefault(w, {})
        self.components = strongly_connected(self.edges)
        self.component_of = {v: k for k, members in enumerate(self.components) for v in members}
        self.looping = [self._loops(members) for members in self.components]
        self.closed = [looping and not any(self.leak(u, k) for u in members)
                       for k, (members, looping) in enumerate(zip(self.components, self.looping))]

    def _loops(self, members: list[str]) -> bool:
        return len(members) > 1 or members[0] in self.edges[members[0]]

    def leak(self, u: str, k: int) -> float:
        """The probability that a customer at ``u`` leaves component ``k`` in one move: the
        positive edges out of it, plus what ``u`` passes to nobody (not a rounding of 1)."""
        out = self.edges[u]
        leaving = sum(p for w, p in out.items() if self.component_of[w] != k)
        unpassed = 1.0 - sum(out.values())
        return leaving + (unpassed if unpassed > _ROUNDING else 0.0)

    def same_loop(self, u: str, v: str) -> bool:
        """True when ``u`` and ``v`` lie on a common loop (one strongly connected component)."""
        k = self.component_of.get(u)
        return k is not None and k == self.component_of.get(v) and self.looping[k]

    def visits(self, injection: Mapping[str, float]) -> dict[str, float]:
        """Expected visits per node (only nodes with some inflow appear)."""
        inflow: dict[str, float] = {}
        pending: list[int] = []
        self._inject(injection, inflow, pending)
        result: dict[str, float] = {}
        done: set[int] = set()
        while pending:
            k = heapq.heappop(pending)
            if k in done:
                continue
            done.add(k)
            solved = self.component_visits(k, {v: inflow.pop(v, 0.0) for v in self.components[k]})
            result.update(solved)
            self._pass_on(k, solved, inflow, pending)
        return result

    def _inject(self, mass: Mapping[str, float], inflow: dict[str, float], pending: list[int]) -> None:
        for v, m in mass.items():
            if m:
                inflow[v] = inflow.get(v, 0.0) + m
                heapq.heappush(pending, self.component_of[v])

    def component_visits(self, k: int, inflow: Mapping[str, float]) -> dict[str, float]:
        """Visits to every member of component ``k`` for the customers flowing into some of them."""
        members = self.components[k]
        if not self.looping[k]:
            return {members[0]: inflow.get(members[0], 0.0)}
        if self.closed[k]:
            return dict.fromkeys(members, math.inf if any(inflow.values()) else 0.0)
        # visits_v = inflow_v + Σ_u visits_u · p(u→v), over u inside the component
        rows: dict[str, dict[str, float]] = {v: {} for v in members}
        for u in members:
            for w, p in self.edges[u].items():
                if w in rows:
                    rows[w][u] = rows[w].get(u, 0.0) + p
        return solve(rows, inflow, {u: self.leak(u, k) for u in members})

    def _pass_on(self, k: int, visits: dict[str, float], inflow: dict[str, float],
                 pending: list[int]) -> None:
        for u, n in visits.items():
            if not n:
                continue
            out = {w: n * p for w, p in self.edges[u].items() if self.component_of[w] != k}
            self._inject(out, inflow, pending)


def solve(rows: dict[str, dict[str, float]], const: Mapping[str, float],
          leaks: Mapping[str, float] | None = None) -> dict[str, float]:
    """Solve ``y_v = Σ_w rows[v][w]·y_w + const_v``, the visits of a transient substochastic chain:
    ``rows[v][w]`` is the probability of moving from ``w`` to ``v``.

    Gaussian elimination on sparse rows: eliminating a variable censors the chain at it, so the
    reduced system stays substochastic. ``leaks[v]``, the probability of leaving the system from
    ``v``, gives every pivot as a sum of positive terms (see the module's docstring); without it,
    leaks are taken as what the probabilities out of each variable leave of 1.
    The order is minimum degree (fewest in × out links first), which keeps journey loops sparse.
    """
    rows = {v: dict(r) for v, r in rows.items()}
    const = {v: const.get(v, 0.0) for v in rows}
    users: dict[str, set[str]] = {v: set() for v in rows}
    for v, row in rows.items():
        for w in row:
            if w != v:
                users[w].add(v)
    leak = dict(leaks) if leaks is not None else _leaks_from_rows(rows)
    eliminated: list[tuple[str, dict[str, float], float]] = []
    for v in _minimum_degree(rows, users):
        eliminated.append(_eliminate(v, rows, users, const, leak))
    values: dict[str, float] = {}
    for v, row, c in reversed(eliminated):
        values[v] = c + sum(a * values[w] for w, a in row.items())
    return values


def _leaks_from_rows(rows: dict[str, dict[str, float]]) -> dict[str, float]:
    out: dict[str, float] = dict.fromkeys(rows, 0.0)
    for row in rows.values():
        for w, p in row.items():
            out[w] += p
    return {w: max(1.0 - total, 0.0) for w, total in out.items()}


def _minimum_degree(rows: dict[str, dict[str, float]], users: dict[str, set[str]]) -> Iterator[str]:
    def degree(v: str) -> int:
        return len(rows[v]) * len(users[v])

    heap = [(degree(v), v) for v in rows]
    heapq.heapify(heap)
    while heap:
        d, v = heapq.heappop(heap)
        if v not in rows:
            continue
        now = degree(v)
        if now > d:  # stale entry: its links grew since it was queued
            heapq.heappush(heap, (now, v))
            continue
        touched = users[v] | set(rows[v])
        yield v
        for r in touched:
            if r in rows:
                heapq.heappush(heap, (degree(r), r))


def _eliminate(v: str, rows: dict[str, dict[str, float]], users: dict[str, set[str]],
               const: dict[str, float], leak: dict[str, float]) -> tuple[str, dict[str, float], float]:
    row = rows.pop(v)  # row[w] = p(w → v)
    row.pop(v, None)
    out = leak.pop(v)
    # 1 - p(v → v) as the sum of the ways out of v, all positive: its moves and its leak
    pivot = out + sum(rows[r][v] for r in users[v])
    scale = 1.0 / max(pivot, 1e-300)
    row = {w: a * scale for w, a in row.items()}
    c = const.pop(v) * scale
    for w, a in row.items():
        users[w].discard(v)
        leak[w] += a * out  # w → v → out of the system
    for r in users.pop(v):
        target = rows[r]
        a = target.pop(v)  # p(v → r)
        for w, b in row.items():
            target[w] = target.get(w, 0.0) + a * b
            if w != r:
                users[w].add(r)
        const[r] += a * c
    return v, row, c


def chain_edges(jg: JourneyGraph) -> Edges:
    """The journey graph's positive-probability edges, every touchpoint present, and the share of
    customers each touchpoint passes to nobody as an edge to :data:`LOST`. Made once per journey
    (friction, promises and `observe` share it): read it, do not change it."""
    return jg.shared("chain_edges", _chain_edges)


def _chain_edges(jg: JourneyGraph) -> dict[str, dict[str, float]]:
    from journeymap.graph import flow_targets

    ids, at, to, ps = jg.ids, jg.succ_at, jg.succ_to, jg.succ_p
    edges = {u: {ids[to[k]]: ps[k] for k in range(at[i], at[i + 1]) if ps[k] > 0}
             for i, u in enumerate(ids)}
    journey, known = jg.journey, jg.position  # the ids: the graph's index of them
    for index, tp in enumerate(journey.touchpoints):
        failed = sum(f.share or 0.0 for f in tp.failures)
        lost = sum(f.share or 0.0 for f in tp.failures if f.to is None or f.to not in known)
        if not any(to in known for to, _, _ in flow_targets(journey, index, tp)):
            lost += max(0.0, 1.0 - failed)
        if lost > 0 and tp.id in edges:
            edges[tp.id][LOST] = lost
    edges[LOST] = {}
    return edges
