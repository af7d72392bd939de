"""A page of nodes and lines at computed positions, written as DOT for ``neato -n2``.

Positions are given top-down in points (what a layout reads naturally); Graphviz counts y upwards,
so the flip happens in one place, when a statement is written. Every node has an explicit size and position
and every line an explicit Bézier, so Graphviz lays out nothing: it only draws, and SVG, PNG and
PDF come from this one source.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from journeymap.render.labels import quoted

POINTS_PER_INCH = 72.0


class Canvas:
    """The DOT of a page, written to ``write`` as it is drawn.

    DOT lists the nodes before the lines between them (the output must not change with the order
    of drawing), so each node's statement is written when it is added, and a line's statement
    waits as UTF-8 text until :meth:`close`. No node is kept: a large map's cards and cells (nine
    tenths of its DOT) never exist all at once, as text or as attributes.
    """

    def __init__(self, width: float, height: float, write: Callable[[bytes], object],
                 graph_attrs: dict[str, str], font: str) -> None:
        self.width, self.height = width, height
        self._write = write
        self._lines = _Held()
        write(("digraph journey {\n"
               f"  graph [{_attrs(graph_attrs)}];\n"
               f'  node [label="", penwidth=0, fontname={_q(font)}];\n'
               "  edge [dir=none];\n").encode("utf-8"))

    def node(self, name: str, x: float, y: float, **attrs: str) -> str:
        pos = f"{x:.2f},{self.height - y:.2f}"
        self._write(f"  {name} [{_attrs({'pos': pos, **attrs})}];\n".encode("utf-8"))
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
        pos = " ".join(f"{x:.2f},{self.height - y:.2f}" for x, y in points)
        self._lines.add(f"  {a} -> {b} [{_attrs({'pos': pos, **attrs})}];\n".encode("utf-8"))

    def close(self) -> None:
        """Write the lines and the end of the graph."""
        for part in self._lines.take():
            self._write(part)
        self._write(b"}\n")


class _Held:
    """Short pieces of bytes kept in parts of about 64 KB (a bytes object per line would cost
    some 40 bytes each on top of its text), and past a few megabytes in an anonymous temporary
    file (gone when closed, or when the process ends): a large map's lines, which DOT lists after
    every node, were 18 MB of a 105,000-touchpoint map held to the end."""

    SPILL = 4 * 2**20  # bytes held in memory before the parts go to a file

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.pieces: list[bytes] = []
        self.size = 0  # of the pieces
        self.held = 0  # of the parts
        self.file: BinaryIO | None = None

    def add(self, piece: bytes) -> None:
        self.pieces.append(piece)
        self.size += len(piece)
        if self.size >= 65536:
            self._part(b"".join(self.pieces))
            self.pieces.clear()
            self.size = 0

    def _part(self, part: bytes) -> None:
        if self.file is None and self.held + len(part) > self.SPILL:
            self.file = tempfile.TemporaryFile()
            for earlier in self.parts:
                self.file.write(earlier)
            self.parts, self.held = [], 0
        if self.file is not None:
            self.file.write(part)
        else:
            self.parts.append(part)
            self.held += len(part)

    def take(self) -> Iterator[bytes]:
        """Everything added, in order, in parts of about 64 KB; then it holds nothing."""
        file, parts, rest = self.file, self.parts, b"".join(self.pieces)
        self.parts, self.pieces, self.size, self.held, self.file = [], [], 0, 0, None
        if file is not None:
            with file:
                file.seek(0)
                while chunk := file.read(65536):
                    yield chunk
        yield from parts
        yield rest


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


def smooth(points: Iterable[tuple[float, float]], low: float, high: float) -> Iterator[list[tuple[float, float]]]:
    """A Catmull-Rom curve through ``points`` as cubic Bézier segments, one from each point to the
    next (its four control points), kept between ``low`` and ``high`` (top-down y) so the curve
    never leaves its lane. Made one at a time, reading two points ahead: a long path's curve,
    and its points, are never held whole."""
    ahead = iter(points)
    p1, p2 = next(ahead, None), next(ahead, None)
    p0 = p1
    while p1 is not None and p2 is not None:
        after = next(ahead, None)
        p3 = p2 if after is None else after
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, _clamp(p1[1] + (p2[1] - p0[1]) / 6, low, high))
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, _clamp(p2[1] - (p3[1] - p1[1]) / 6, low, high))
        yield [p1, c1, c2, p2]
        p0, p1, p2 = p1, p2, after


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)
