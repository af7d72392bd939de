"""Traffic: the expected visits to every touchpoint per customer who starts the journey, on
touchpoint positions and flat arrays.

The same absorbing chain and the same arithmetic as :class:`journeymap.analysis.markov.Propagator`
over :func:`~journeymap.analysis.markov.chain_edges`, to the bit: the strongly connected
components are found by the same Tarjan search in the same order (positions in file order, moves
in the graph's order, the move to nobody last), numbered in the same topological order, visited
in that order, and the customers flowing into a touchpoint are added up in the same order; a
component with a loop is solved by the same exact-pivot elimination (``markov.solve``, on the
ids of its members). Only what is kept differs: the chain is read from the journey graph's
moves (no dict of dicts keyed by id, no copy), and the components, each position's component and
the visits are arrays (a dict and a list per touchpoint made a large journey's chain and its
solver about 280 bytes a touchpoint, four times these).
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections.abc import Iterator

from journeymap.analysis.markov import _ROUNDING, solve
from journeymap.graph import JourneyGraph, flow_targets


class Traffic:
    """The chain of a journey on positions (``n``, the number of touchpoints, stands for the
    customers who leave it: :data:`journeymap.analysis.markov.LOST`) and its visits."""

    def __init__(self, jg: JourneyGraph) -> None:
        self.jg = jg
        n = self.n = len(jg.ids)
        self.lost = _lost(jg)
        # components in topological order: the members of component k are
        # members[starts[k]:starts[k + 1]], in the order Tarjan's search pops them
        self.members, self.starts, self.component_of = _components(self)
        self.looping = bytearray(len(self.starts) - 1)
        for k in range(len(self.starts) - 1):
            a, b = self.starts[k], self.starts[k + 1]
            u = self.members[a]
            self.looping[k] = b - a > 1 or (u < n and any(j == u for j in self.moves(u)))
        self.visits = self._visits(jg.position[jg.start])

    def moves(self, u: int) -> Iterator[int]:
        """Where customers at ``u`` go with a positive probability, in the chain's order."""
        if u == self.n:
            return
        to, ps = self.jg.succ_to, self.jg.succ_p
        for k in range(self.jg.succ_at[u], self.jg.succ_at[u + 1]):
            if ps[k] > 0:
                yield to[k]
        if self.lost[u] > 0:
            yield self.n

    def out(self, u: int) -> Iterator[tuple[int, float]]:
        """(target, probability) of ``u``'s moves, as ``moves``."""
        if u == self.n:
            return
        to, ps = self.jg.succ_to, self.jg.succ_p
        for k in range(self.jg.succ_at[u], self.jg.succ_at[u + 1]):
            if (p := ps[k]) > 0:
                yield to[k], p
        if self.lost[u] > 0:
            yield self.n, self.lost[u]

    def same_loop(self, u: int, v: int) -> bool:
        """True when positions ``u`` and ``v`` lie on a common loop."""
        k = self.component_of[u]
        return k == self.component_of[v] and bool(self.looping[k])

    def _component(self, k: int) -> list[int]:
        return list(self.members[self.starts[k]:self.starts[k + 1]])

    def leak(self, u: int, k: int) -> float:
        """As ``Propagator.leak``: the positive moves out of component ``k``, plus what ``u``
        passes to nobody beyond rounding."""
        out = list(self.out(u))
        of = self.component_of
        leaving = sum(p for w, p in out if of[w] != k)
        unpassed = 1.0 - sum(p for _, p in out)
        return leaving + (unpassed if unpassed > _ROUNDING else 0.0)

    def _visits(self, start: int) -> array:
        """Visits per position (0 where no customer comes), as ``Propagator.visits({start: 1})``."""
        result = array("d", bytes(8 * (self.n + 1)))
        inflow: dict[int, float] = {start: 1.0}
        pending = [self.component_of[start]]
        done = bytearray(len(self.starts) - 1)
        of = self.component_of
        while pending:
            k = heapq.heappop(pending)
            if done[k]:
                continue
            done[k] = 1
            if self.looping[k]:
                solved = self._loop_visits(k, inflow)
            else:
                u = self.members[self.starts[k]]
                solved = [(u, inflow.pop(u, 0.0))]
            for u, visits in solved:
                result[u] = visits
                if not visits:
                    continue
                for w, p in self.out(u):
                    if of[w] != k and (m := visits * p):
                        inflow[w] = inflow.get(w, 0.0) + m
                        heapq.heappush(pending, of[w])
        return result

    def _loop_visits(self, k: int, inflow: dict[int, float]) -> list[tuple[int, float]]:
        members = self._component(k)
        into = {v: inflow.pop(v, 0.0) for v in members}
        if not any(self.leak(u, k) for u in members):  # closed: customers never leave
            return [(v, math.inf if any(into.values()) else 0.0) for v in members]
        ids = self.jg.ids
        rows: dict[str, dict[str, float]] = {ids[v]: {} for v in members}
        for u in members:
            for w, p in self.out(u):
                if w < self.n and (row := rows.get(ids[w])) is not None:
                    row[ids[u]] = row.get(ids[u], 0.0) + p
        values = solve(rows, {ids[v]: m for v, m in into.items()},
                       {ids[u]: self.leak(u, k) for u in members})
        position = self.jg.position
        return [(position[v], m) for v, m in values.items()]


def _lost(jg: JourneyGraph) -> array:
    """The share of customers each position passes to nobody (``chain_edges``' move to LOST)."""
    lost = array("d", bytes(8 * len(jg.ids)))
    journey, known = jg.journey, jg.position  # the ids: the graph's index of them
    for index, tp in enumerate(journey.touchpoints):
        failed = sum(f.share or 0.0 for f in tp.failures)
        gone = sum(f.share or 0.0 for f in tp.failures if f.to is None or f.to not in known)
        if not any(to in known for to, _, _ in flow_targets(journey, index, tp)):
            gone += max(0.0, 1.0 - failed)
        if gone > 0:
            lost[known[tp.id]] = gone
    return lost


def _components(chain: Traffic) -> tuple[array, array, array]:
    """The chain's components (:func:`components`), the move to nobody followed last."""
    jg = chain.jg
    return components(chain.n + 1, jg.succ_at, jg.succ_to, jg.succ_p, chain.lost)


def components(size: int, at: array, to: array, ps: array, lost: array) -> tuple[array, array, array]:
    """Tarjan's search over positions 0..size - 1, roots in order, the moves with a positive
    ``ps`` in the graph's order (``at``, ``to``), then the move to nobody (position ``len(lost)``,
    when ``size`` includes it) where ``lost`` is positive: (members in topological order of
    their components, each component's start in it, each position's component). The search's
    own stack is two arrays (the node, and the place of its next move): a journey is a long
    chain, as deep as it is long, and an iterator and a tuple for each level were 600 bytes a
    touchpoint at the search's peak."""
    n = len(lost)
    index = array("l", [-1]) * size
    low = array("l", [0]) * size
    on_stack = bytearray(size)
    stack = array("l")
    popped = array("l")  # members, component after component, in the order Tarjan emits them
    ends = array("l")
    nodes, done = array("l"), array("l")  # the search's path, and where each is in its moves
    counter = 0
    for root in range(size):
        if index[root] >= 0:
            continue
        visit = root  # a position to enter the search at, or -1
        while visit >= 0 or nodes:
            if visit >= 0:
                index[visit] = low[visit] = counter
                counter += 1
                stack.append(visit)
                on_stack[visit] = 1
                nodes.append(visit)
                done.append(at[visit] if visit < n else 0)
                visit = -1
            node = nodes[-1]
            child = _next_move(node, done, n, at, to, ps, lost)
            while child >= 0:
                if index[child] < 0:
                    visit = child
                    break
                if on_stack[child] and index[child] < low[node]:
                    low[node] = index[child]
                child = _next_move(node, done, n, at, to, ps, lost)
            else:
                nodes.pop()
                done.pop()
                if nodes and low[node] < low[nodes[-1]]:
                    low[nodes[-1]] = low[node]
                if low[node] == index[node]:
                    while True:
                        member = stack.pop()
                        on_stack[member] = 0
                        popped.append(member)
                        if member == node:
                            break
                    ends.append(len(popped))
    return _topological(popped, ends, size)


def _next_move(node: int, done: array, n: int, at: array, to: array, ps: array, lost: array) -> int:
    """The next move of the search's last ``node`` with a positive probability (its moves in the
    graph's order, then to nobody); ``done[-1]`` is the place of the next of its moves to look
    at (``at[node + 1]``: the move to nobody, past it: none left). -1 when there is none left."""
    if node == n:
        return -1
    k, end = done[-1], at[node + 1]
    while k < end:
        k += 1
        if ps[k - 1] > 0:
            done[-1] = k
            return to[k - 1]
    if k == end and lost[node] > 0:
        done[-1] = k + 1
        return n
    done[-1] = end + 1
    return -1


def _topological(popped: array, ends: array, size: int) -> tuple[array, array, array]:
    """Tarjan emits a component after everything it reaches: number them the other way round."""
    count = len(ends)
    members, starts, component_of = array("l"), array("l", [0]), array("l", [0]) * size
    for k in range(count):
        e = count - 1 - k
        a, b = (ends[e - 1] if e else 0), ends[e]
        for u in popped[a:b]:
            component_of[u] = k
        members.extend(popped[a:b])
        starts.append(len(members))
    return members, starts, component_of
