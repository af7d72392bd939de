"""What the analysis says about each part of the drawing: fills, hotspots, recovery paths."""

from __future__ import annotations

from array import array
from collections.abc import Mapping
from dataclasses import dataclass

from journeymap.analysis.likely import main_positions
from journeymap.analysis.results import Analysis, PromiseResult, TouchpointFriction
from journeymap.graph import JourneyGraph
from journeymap.model import Touchpoint
from journeymap.render.style import FrictionScale


@dataclass(frozen=True)
class Marks:
    friction: Mapping[str, TouchpointFriction]  # each made when asked for (FrictionResult.by_id)
    hotspots: dict[str, int]  # touchpoint id → rank, 1 for the largest contribution
    recovery: frozenset[tuple[str, str]]  # the way back after a failure, up to the main path
    promises: dict[str, PromiseResult]
    scale: FrictionScale

    def tooltip(self, tp: Touchpoint) -> str:
        """The touchpoint's name and what its friction is made of, for hovering in SVG/HTML."""
        f = self.friction.get(tp.id)
        if f is None:
            return tp.name
        parts = "; ".join(drivers(f))
        return f"{tp.name} — friction {f.friction:.1f}" + (f": {parts}" if parts else "")


def drivers(f: TouchpointFriction, top: int = 8) -> list[str]:
    """What makes up a touchpoint's friction, largest first: the scorer's words where it gave
    them ("effort 4 of 5"), with each component's points."""
    ranked = sorted(((v, k) for k, v in f.components.items() if v >= 0.05), key=lambda vk: (-vk[0], vk[1]))
    return [f"{f.why.get(k, k.replace('_', ' '))} (+{v:.1f})" for v, k in ranked[:top]]


def marks_for(analysis: Analysis, jg: JourneyGraph) -> Marks:
    friction = analysis.friction.by_id(jg)
    return Marks(
        friction=friction,
        hotspots={tp: rank for rank, tp in enumerate(analysis.friction.hotspots, 1)},
        recovery=recovery_edges(jg),
        promises={p.promise: p for p in analysis.promises},
        scale=FrictionScale.of((f.friction for f in friction.values()), analysis.friction.threshold),
    )


def recovery_edges(jg: JourneyGraph) -> frozenset[tuple[str, str]]:
    """The way back after each failure: the shortest path from the failure's ``to`` towards a
    success outcome, up to where it rejoins the journey's main path (the most likely route to a
    success). Edges of the main path itself are never recovery, so the happy path stays grey.

    One backward search from the success outcomes gives every node its distance to success; a
    path then steps to the first successor one step closer (the path a search from the failure's
    ``to`` finds). Paths of two failures merge where they meet, so each node is walked once:
    linear in the journey, however many failures it has (a search per failure was quadratic:
    10,000 touchpoints took 15 s).
    """
    ids, at, to, position = jg.ids, jg.succ_at, jg.succ_to, jg.position
    main = bytearray(len(ids))  # on the main path, by position
    for node in main_positions(jg):
        main[node] = 1
    distance = _distances(jg)
    walked = bytearray(len(ids))
    edges: set[tuple[str, str]] = set()
    for tp in jg.journey.touchpoints:
        for failure in tp.failures:
            node = position.get(failure.to, -1) if failure.to is not None else -1
            if node < 0 or main[node]:
                continue
            while distance[node] > 0 and not walked[node] and not main[node]:
                walked[node] = 1
                after = _closer(at, to, distance, node)
                edges.add((ids[node], ids[after]))
                node = after
    return frozenset(edges)


def _distances(jg: JourneyGraph) -> array:
    """Fewest steps from each position to a success node (-1: none reachable), by one backward
    breadth-first search from all of them (arrays: a dict of every id was the map's peak)."""
    pred_at, pred_from, position = jg.pred_at, jg.pred_from, jg.position
    distance = array("l", [-1]) * len(jg.ids)
    queue = array("l", sorted(position[node] for node in jg.success_nodes))
    for node in queue:
        distance[node] = 0
    head = 0
    while head < len(queue):
        node = queue[head]
        head += 1
        for k in range(pred_at[node], pred_at[node + 1]):
            before = pred_from[k]
            if distance[before] < 0:
                distance[before] = distance[node] + 1
                queue.append(before)
    return distance


def _closer(at: array, to: array, distance: array, node: int) -> int:
    """The first successor of ``node`` one step closer to success: the path a breadth-first
    search from ``node`` finds (it visits successors in the same order)."""
    step = distance[node] - 1
    return next(to[k] for k in range(at[node], at[node + 1]) if distance[to[k]] == step)
