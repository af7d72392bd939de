"""The most likely way through a journey, and the branches that leave it: the spine of the map's
emotion curve.

The **main path** is the most likely route from the start to a success outcome: of all routes that
visit no touchpoint twice, the one whose shares multiply to the most (a shortest path over
−log share). A route that goes round a loop is never the main path: the loop becomes a branch.

A **branch** leaves the main path (or an earlier branch) by any other way out of one of its
touchpoints (a failure, a less-travelled ``next``) and follows, at each touchpoint, the edge that
carries the most customers — traffic (expected visits per customer, from the Markov analysis) ×
share — until it rejoins the main path or ends. Each touchpoint is on one line at most; branches are found in main-path order,
most-travelled exit first.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from journeymap.graph import JourneyGraph


@dataclass(frozen=True)
class Likely:
    main: tuple[str, ...]  # touchpoint ids from the start to a success (or as far as it goes)
    # each branch: the touchpoint it leaves from (on the main path or an earlier branch), the
    # touchpoints off the main path, and the main-path touchpoint where it rejoins (when it does)
    branches: tuple[tuple[str, ...], ...]


def likely_paths(jg: JourneyGraph, traffic: Mapping[str, float] | Iterable[tuple[str, float]]) -> Likely:
    """The main path and its branches, by the customers each edge carries (``traffic``: by
    touchpoint id, or (id, traffic) pairs, the last of an id counting). (On positions, with
    the traffic and what is taken in arrays: sets and dicts of every id were a large map's peak.)"""
    position, ids = jg.position, jg.ids
    visits = array("d", [1.0]) * len(ids)  # traffic by position (1 where not given, or not finite)
    for tp_id, n in (traffic.items() if isinstance(traffic, Mapping) else traffic):
        i = position.get(tp_id)
        if i is not None:
            visits[i] = n if math.isfinite(n) else 1.0
    main = main_positions(jg)
    on_main = bytearray(len(ids))
    for u in main:
        on_main[u] = 1
    taken = bytearray(on_main)
    branches: list[tuple[str, ...]] = []
    queue = array("l", main)  # then each branch's touchpoints, so branches of branches are found too
    for u in queue:
        for v in _ranked(jg, visits, u):
            if taken[v]:
                continue
            branch = _follow(jg, visits, [u, v], on_main, taken)
            branches.append(tuple(ids[t] for t in branch))
            queue.extend(t for t in branch[1:] if not on_main[t])
    return Likely(tuple(ids[u] for u in main), tuple(branches))


def main_path(jg: JourneyGraph) -> list[str]:
    """Dijkstra over −log(share) from the start to the nearest success; file order breaks ties.
    Without a reachable success: the most likely route to the furthest touchpoint it reaches."""
    ids = jg.ids
    return [ids[u] for u in main_positions(jg)]


def main_positions(jg: JourneyGraph) -> array:
    """The main path (:func:`main_path`) as positions. (In arrays: dicts of the cost and parent
    of every id were a large journey's map at its peak, and a list of its positions 4 MB.)"""
    ids, at, to, ps, indexes = jg.ids, jg.succ_at, jg.succ_to, jg.succ_p, jg.indexes
    success = jg.success_nodes
    start = jg.position[jg.start]
    cost = array("d", [math.inf]) * len(ids)
    parent = array("l", [-1]) * len(ids)
    cost[start] = 0.0
    queue = [(0.0, indexes[start], start)]
    last = start
    while queue:
        c, _, u = heapq.heappop(queue)
        if c > cost[u]:
            continue
        last = u
        if ids[u] in success:
            break
        for k in range(at[u], at[u + 1]):
            v = to[k]
            step = -math.log(max(ps[k], _NEVER))
            if c + step < cost[v]:
                cost[v] = c + step
                parent[v] = u
                heapq.heappush(queue, (c + step, indexes[v], v))
    path = array("l", [last])
    while parent[path[-1]] >= 0:
        path.append(parent[path[-1]])
    path.reverse()
    return path


def _ranked(jg: JourneyGraph, visits: array, u: int) -> list[int]:
    """Successors of position ``u``, most customers first (file order breaks ties)."""
    to, ps, indexes, here = jg.succ_to, jg.succ_p, jg.indexes, visits[u]
    moves = sorted(range(jg.succ_at[u], jg.succ_at[u + 1]), key=lambda k: (-(here * ps[k]), indexes[to[k]]))
    return [to[k] for k in moves]


_NEVER = 1e-12  # a failure without a share still leads somewhere: a path, but an unlikely one


def _follow(jg: JourneyGraph, visits: array, branch: list[int], on_main: bytearray,
            taken: bytearray) -> list[int]:
    taken[branch[-1]] = 1
    while True:
        nxt = next((v for v in _ranked(jg, visits, branch[-1]) if on_main[v] or not taken[v]), None)
        if nxt is None:
            return branch
        branch.append(nxt)
        if on_main[nxt]:
            return branch
        taken[nxt] = 1
