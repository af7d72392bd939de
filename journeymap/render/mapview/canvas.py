"""A page of nodes and lines at computed positions, written as DOT for ``neato -n2``.

Positions are given top-down in points (what a layout reads naturally); Graphviz counts y upwards,
so the flip happens once, when the DOT is written. Every node has an explicit size and position
and every line an explicit Bézier, so Graphviz lays out nothing: it only draws, and SVG, PNG and
PDF come from this one source.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from journeymap.render.labels import quoted

POINTS_PER_INCH = 72.0


@dataclass
class Canvas:
    width: float = 0.0
    height: float = 0.0
    nodes: list[tuple[str, float, float, dict[str, str]]] = field(default_factory=list)
    edges: list[tuple[str, str, list[tuple[float, float]], dict[str, str]]] = field(default_factory=list)

    def node(self, name: str, x: float, y: float, **attrs: str) -> str:
        self.nodes.append((name, x, y, attrs))
        return name

    def box(self, name: str, x0: float, y0: float, x1: float, y1: float, **attrs: str) -> str:
        """A rectangle from (x0, y0) to (x1, y1), top-down coordinates."""
        return self.node(name, (x0 + x1) / 2, (y0 + y1) / 2, shape="box", fixedsize="true",
                         width=inches(abs(x1 - x0)), height=inches(abs(y1 - y0)), **attrs)

    def anchor(self, name: str, x: float, y: float) -> str:
        """An invisible point for a line to start or end at."""
        return self.node(name, x, y, shape="point", width="0.01", style="invis")

    def line(self, a: str, b: str, points: list[tuple[float, float]], **attrs: str) -> None:
        """A line from node ``a`` to node ``b`` along a cubic Bézier: 3k+1 points, top-down."""
        self.edges.append((a, b, points, attrs))

    def dot(self, graph_attrs: dict[str, str], font: str) -> str:
        return "\n".join(self.lines(graph_attrs, font)) + "\n"

    def dot_bytes(self, graph_attrs: dict[str, str], font: str) -> bytes:
        """:meth:`dot` as UTF-8, written line by line: a large map never exists as a list of
        lines, one string (two bytes a character once a name is not Latin) and its copy at once."""
        out = io.BytesIO()
        for line in self.lines(graph_attrs, font):
            out.write(line.encode("utf-8"))
            out.write(b"\n")
        return out.getvalue()

    def lines(self, graph_attrs: dict[str, str], font: str) -> Iterator[str]:
        flip = self.height
        yield "digraph journey {"
        yield "  graph [" + _attrs(graph_attrs) + "];"
        yield f'  node [label="", penwidth=0, fontname={_q(font)}];'
        yield "  edge [dir=none];"
        for name, x, y, attrs in self.nodes:
            yield f"  {name} [{_attrs({'pos': f'{x:.2f},{flip - y:.2f}', **attrs})}];"
        for a, b, points, attrs in self.edges:
            pos = " ".join(f"{x:.2f},{flip - y:.2f}" for x, y in points)
            yield f"  {a} -> {b} [{_attrs({'pos': pos, **attrs})}];"
        yield "}"


def inches(points: float) -> str:
    return f"{points / POINTS_PER_INCH:.4f}"


def _attrs(attrs: dict[str, str]) -> str:
    """``key=value`` pairs: HTML-like labels (``<…>``) as they are, every other value quoted."""
    parts = []
    for key, value in attrs.items():
        text = value if key == "label" and value.startswith("<") and value.endswith(">") else _q(value)
        parts.append(f"{key}={text}")
    return ", ".join(parts)


def _q(value: str) -> str:
    return quoted(value)


def smooth(points: list[tuple[float, float]], low: float, high: float) -> list[tuple[float, float]]:
    """A Catmull-Rom curve through ``points`` as Bézier control points (3k+1 of them), kept
    between ``low`` and ``high`` (top-down y) so the curve never leaves its lane."""
    if len(points) < 2:
        return list(points)
    out = [points[0]]
    for i in range(len(points) - 1):
        p0 = points[i - 1] if i > 0 else points[i]
        p1, p2 = points[i], points[i + 1]
        p3 = points[i + 2] if i + 2 < len(points) else p2
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, _clamp(p1[1] + (p2[1] - p0[1]) / 6, low, high))
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, _clamp(p2[1] - (p3[1] - p1[1]) / 6, low, high))
        out += [c1, c2, p2]
    return out


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)
