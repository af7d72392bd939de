"""What the analysis says about each part of the drawing: fills, hotspots, recovery paths."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from itertools import pairwise

from journeymap.analysis.likely import main_path
from journeymap.analysis.results import Analysis, PromiseResult, TouchpointFriction
from journeymap.graph import JourneyGraph
from journeymap.model import Touchpoint
from journeymap.render.style import FrictionScale


@dataclass(frozen=True)
class Marks:
    friction: dict[str, TouchpointFriction]
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
    friction = {f.touchpoint: f for f in analysis.friction.touchpoints}
    return Marks(
        friction=friction,
        hotspots={tp: rank for rank, tp in enumerate(analysis.friction.hotspots, 1)},
        recovery=recovery_edges(jg),
        promises={p.promise: p for p in analysis.promises},
        scale=FrictionScale.of([f.friction for f in friction.values()], analysis.friction.threshold),
    )


def recovery_edges(jg: JourneyGraph) -> frozenset[tuple[str, str]]:
    """The way back after each failure: the shortest path from the failure's ``to`` towards a
    success outcome, up to where it rejoins the journey's main path (the most likely route to a
    success). Edges of the main path itself are never recovery, so the happy path stays grey."""
    main = set(main_path(jg))
    edges: set[tuple[str, str]] = set()
    for tp in jg.journey.touchpoints:
        for failure in tp.failures:
            if failure.to is not None and failure.to in jg.g and failure.to not in main:
                path = shortest_to_success(jg, failure.to)
                back = next((i for i, node in enumerate(path) if node in main), len(path) - 1)
                edges.update(pairwise(path[:back + 1]))
    return frozenset(edges)


def shortest_to_success(jg: JourneyGraph, source: str) -> list[str]:
    """The fewest-steps path from ``source`` to a success node (``[]`` when there is none)."""
    parents: dict[str, str | None] = {source: None}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        if node in jg.success_nodes:
            path = [node]
            while (parent := parents[path[-1]]) is not None:
                path.append(parent)
            return path[::-1]
        for nxt in jg.successors(node):
            if nxt not in parents:
                parents[nxt] = node
                queue.append(nxt)
    return []
