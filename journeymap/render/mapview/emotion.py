"""The emotion lane: a curve through the touchpoints' emotions along the most likely path from the
start to a success, with each branch off it (a recovery after a failure, a less-travelled way)
drawn dashed from the point where it leaves the main path to where it rejoins it.

Each point sits under its touchpoint's card, so the curve reads against the steps above it.
Points are SVG groups with ids ``emo_main_<k>`` (k: the position on the main path) and
``emo_branch_<b>_<k>``; lines are ``emo_line_main_<k>`` and ``emo_line_branch_<b>_<k>``.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise, tee

from journeymap.render import style as s
from journeymap.render.mapview.canvas import Canvas, smooth
from journeymap.render.mapview.context import MapContext
from journeymap.render.mapview.measured import draw_measured
from journeymap.render.mapview.words import emotion_key

HEIGHT = 190.0
INSET = 26.0  # between the lane's edge and the ±2 lines


@dataclass
class EmotionLane:
    key: str = "emotion"
    height: float = HEIGHT

    def draw(self, ctx: MapContext, canvas: Canvas, top: float) -> None:
        low, high = top + INSET, top + self.height - INSET

        def y(emotion: float) -> float:
            return low + (2 - emotion) / 4 * (high - low)

        _grid(ctx, canvas, y)
        points = _Points(ctx, y)
        main = ctx.likely.main
        for k, tp_id in enumerate(main):
            if points.has(tp_id):
                points.name(tp_id, MAIN, k)
                _point(ctx, canvas, f"emo_main_{k}", tp_id, points.at(tp_id), 6.0, s.INK)
        _curve(canvas, "emo_line_main",
               ((f"emo_main_{k}", points.at(t)) for k, t in enumerate(main) if points.has(t)),
               (low, high), {"color": s.INK, "penwidth": "2.6"})
        for b, branch in enumerate(ctx.likely.branches):
            self._branch(ctx, canvas, b, branch, points, (low, high))
        draw_measured(ctx, canvas, y)  # survey figures with error bars, beside the declared ones
        position = ctx.jg.position
        on_lines = bytearray(len(ctx.jg.ids))  # by position (a set of every id was the map's peak)
        for line in (main, *ctx.likely.branches):
            for tp_id in line:
                on_lines[position[tp_id]] = 1
        for n, tp in enumerate(ctx.journey.touchpoints):  # no path from the start reaches these
            if tp.emotion is not None and not on_lines[position[tp.id]]:
                _point(ctx, canvas, f"emo_off_{n}", tp.id, (ctx.geometry.x(tp.id), y(tp.emotion)),
                       4.5, s.HAIRLINE, style="filled,dashed")

    def _branch(self, ctx: MapContext, canvas: Canvas, b: int, branch: tuple[str, ...],
                points: _Points, bounds: tuple[float, float]) -> None:
        off = [t for t in branch[1:] if not points.on_main(t) and points.has(t)]
        if not off:
            return
        start = points.leave_point(branch[0])
        stops = [(points.named(start), points.at(start))] if start else []
        for k, tp_id in enumerate(off):
            at = points.at(tp_id)
            points.name(tp_id, b, k)  # a later branch may leave from here
            stops.append((_point(ctx, canvas, f"emo_branch_{b}_{k}", tp_id, at, 4.5, s.RECOVERY), at))
        end = branch[-1]
        if points.on_main(end) and points.is_named(end):  # it rejoins the main path
            stops.append((points.named(end), points.at(end)))
        failure = any(t.kind == "failure" for t in ctx.jg.transitions_from(branch[0])
                      if t.target == branch[1])
        color = s.RECOVERY if failure else s.FLOW
        _curve(canvas, f"emo_line_branch_{b}", stops, bounds,
               {"color": color, "penwidth": "1.8", "style": "dashed"})


MAIN = -1  # the line of a point on the main path (a branch's is its number)


class _Points:
    """Where each touchpoint's point is, and the name it was drawn with, by position in the
    journey's graph (dicts of every point's place and name, and lists of them for the curve, were
    40 MB of a large map at its peak). A point sits at its touchpoint's column and emotion."""

    def __init__(self, ctx: MapContext, y: Callable[[float], float]) -> None:
        self.ctx, self.y, self.position = ctx, y, ctx.jg.position
        size = len(ctx.jg.ids)
        self.line = array("i", [MAIN - 1]) * size  # MAIN, a branch's number, or not drawn
        self.place = array("i", bytes(4 * size))  # the point's number on its line
        self.main_at = array("i", [-1]) * size  # the place on the main path (-1: not on it)
        for k, tp_id in enumerate(ctx.likely.main):
            self.main_at[self.position[tp_id]] = k

    def on_main(self, tp_id: str) -> bool:
        return self.main_at[self.position[tp_id]] >= 0

    def has(self, tp_id: str) -> bool:
        """Whether the touchpoint has an emotion to draw."""
        return self.ctx.jg.tp(tp_id).emotion is not None

    def at(self, tp_id: str) -> tuple[float, float]:
        return self.ctx.geometry.x(tp_id), self.y(self.ctx.jg.tp(tp_id).emotion)  # type: ignore[arg-type]

    def name(self, tp_id: str, line: int, k: int) -> None:
        i = self.position[tp_id]
        self.line[i], self.place[i] = line, k

    def is_named(self, tp_id: str) -> bool:
        return self.line[self.position[tp_id]] >= MAIN

    def named(self, tp_id: str) -> str:
        i = self.position[tp_id]
        line, k = self.line[i], self.place[i]
        return f"emo_main_{k}" if line == MAIN else f"emo_branch_{line}_{k}"

    def leave_point(self, tp_id: str) -> str | None:
        """The touchpoint a branch is drawn from: the one it leaves when that has a point; on the
        main path without an emotion, the nearest one before it that has."""
        if self.is_named(tp_id):
            return tp_id
        k = self.main_at[self.position[tp_id]]
        main = self.ctx.likely.main
        while k > 0:
            k -= 1
            if self.is_named(main[k]):
                return main[k]
        return None


def _point(ctx: MapContext, canvas: Canvas, name: str, tp_id: str, at: tuple[float, float],
           radius: float, outline: str, style: str = "filled") -> str:
    tp = ctx.jg.tp(tp_id)
    assert tp.emotion is not None
    word = ctx.words[emotion_key(tp.emotion)]
    return canvas.node(name, at[0], at[1], id=name, shape="circle", fixedsize="true",
                       width=f"{2 * radius / 72:.4f}", style=style,
                       fillcolor=s.EMOTION_COLORS[tp.emotion], color=outline, penwidth="1.5",
                       tooltip=f"{tp.name}: {word} ({tp.emotion:+d})")


def _curve(canvas: Canvas, prefix: str, stops: Iterable[tuple[str, tuple[float, float]]],
           bounds: tuple[float, float], attrs: dict[str, str]) -> None:
    """A line through the ``stops`` (point name, where), one segment at a time."""
    names, places = tee(stops)
    segments = smooth((at for _, at in places), *bounds)
    for k, (segment, (a, b)) in enumerate(zip(segments, pairwise(name for name, _ in names))):
        canvas.line(a, b, segment, id=f"{prefix}_{k}", **attrs)


def _grid(ctx: MapContext, canvas: Canvas, y) -> None:
    x0, x1 = ctx.geometry.lanes_span
    lx0, lx1 = ctx.geometry.label_span
    word_x = lx0 + 30 if ctx.words.rtl else lx1 - 30  # plaintext nodes are placed by their centre
    for value in range(-2, 3):
        at = y(value)
        a = canvas.anchor(f"grid_a{value + 2}", x0, at)
        b = canvas.anchor(f"grid_b{value + 2}", x1, at)
        canvas.line(a, b, [(x0, at), (x0, at), (x1, at), (x1, at)], color=s.HAIRLINE,
                    penwidth="1" if value == 0 else "0.6", style="solid" if value == 0 else "dotted")
        canvas.node(f"grid_w{value + 2}", word_x, at, shape="plaintext", fontsize="8",
                    fontname=s.FONT, fontcolor=s.EMOTION_COLORS[value],
                    label=ctx.words[emotion_key(value)], width="0.1", height="0.1", margin="0")


def emotion_lane(ctx: MapContext) -> EmotionLane | None:
    if not ctx.analysis.evidence and not any(tp.emotion is not None for tp in ctx.journey.touchpoints):
        return None
    return EmotionLane()
