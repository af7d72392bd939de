"""The emotion lane: a curve through the touchpoints' emotions along the most likely path from the
start to a success, with each branch off it (a recovery after a failure, a less-travelled way)
drawn dashed from the point where it leaves the main path to where it rejoins it.

Each point sits under its touchpoint's card, so the curve reads against the steps above it.
Points are SVG groups with ids ``emo_main_<k>`` (k: the position on the main path) and
``emo_branch_<b>_<k>``; lines are ``emo_line_main_<k>`` and ``emo_line_branch_<b>_<k>``.
"""

from __future__ import annotations

from dataclasses import dataclass

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
        main = [tp_id for tp_id in ctx.likely.main if _emotion(ctx, tp_id) is not None]
        points = {tp_id: (ctx.geometry.x(tp_id), y(_emotion(ctx, tp_id))) for tp_id in main}
        names = {}
        for k, tp_id in enumerate(ctx.likely.main):
            if tp_id in points:
                names[tp_id] = _point(ctx, canvas, f"emo_main_{k}", tp_id, points[tp_id], 6.0, s.INK)
        _curve(canvas, "emo_line_main", [names[t] for t in main], [points[t] for t in main],
               (low, high), {"color": s.INK, "penwidth": "2.6"})
        for b, branch in enumerate(ctx.likely.branches):
            self._branch(ctx, canvas, b, branch, names, points, y, (low, high))
        draw_measured(ctx, canvas, y)  # survey figures with error bars, beside the declared ones
        position = ctx.jg.position
        on_lines = bytearray(len(ctx.jg.ids))  # by position (a set of every id was the map's peak)
        for line in (ctx.likely.main, *ctx.likely.branches):
            for tp_id in line:
                on_lines[position[tp_id]] = 1
        for n, tp in enumerate(ctx.journey.touchpoints):  # no path from the start reaches these
            if tp.emotion is not None and not on_lines[position[tp.id]]:
                _point(ctx, canvas, f"emo_off_{n}", tp.id, (ctx.geometry.x(tp.id), y(tp.emotion)),
                       4.5, s.HAIRLINE, style="filled,dashed")

    def _branch(self, ctx: MapContext, canvas: Canvas, b: int, branch: tuple[str, ...],
                names: dict[str, str], points: dict[str, tuple[float, float]], y, bounds) -> None:
        off = [t for t in branch[1:] if t not in ctx.likely.main and _emotion(ctx, t) is not None]
        if not off:
            return
        start = _leave_point(ctx, branch[0], names)
        ids, where = ([names[start]], [points[start]]) if start else ([], [])
        for k, tp_id in enumerate(off):
            at = (ctx.geometry.x(tp_id), y(_emotion(ctx, tp_id)))
            ids.append(_point(ctx, canvas, f"emo_branch_{b}_{k}", tp_id, at, 4.5, s.RECOVERY))
            where.append(at)
            names[tp_id], points[tp_id] = ids[-1], at  # a later branch may leave from here
        if branch[-1] in ctx.likely.main and branch[-1] in names:  # it rejoins the main path
            ids.append(names[branch[-1]])
            where.append(points[branch[-1]])
        failure = any(t.kind == "failure" for t in ctx.jg.transitions_from(branch[0])
                      if t.target == branch[1])
        color = s.RECOVERY if failure else s.FLOW
        _curve(canvas, f"emo_line_branch_{b}", ids, where, bounds,
               {"color": color, "penwidth": "1.8", "style": "dashed"})


def _emotion(ctx: MapContext, tp_id: str) -> int | None:
    return ctx.jg.tp(tp_id).emotion


def _leave_point(ctx: MapContext, tp_id: str, names: dict[str, str]) -> str | None:
    """The touchpoint a branch is drawn from: the one it leaves when that has a point; on the main
    path without an emotion, the nearest one before it that has."""
    if tp_id in names:
        return tp_id
    main = ctx.likely.main
    if tp_id not in main:
        return None
    return next((t for t in reversed(main[:main.index(tp_id)]) if t in names), None)


def _point(ctx: MapContext, canvas: Canvas, name: str, tp_id: str, at: tuple[float, float],
           radius: float, outline: str, style: str = "filled") -> str:
    tp = ctx.journey.by_id[tp_id]
    assert tp.emotion is not None
    word = ctx.words[emotion_key(tp.emotion)]
    return canvas.node(name, at[0], at[1], id=name, shape="circle", fixedsize="true",
                       width=f"{2 * radius / 72:.4f}", style=style,
                       fillcolor=s.EMOTION_COLORS[tp.emotion], color=outline, penwidth="1.5",
                       tooltip=f"{tp.name}: {word} ({tp.emotion:+d})")


def _curve(canvas: Canvas, prefix: str, ids: list[str], points: list[tuple[float, float]],
           bounds: tuple[float, float], attrs: dict[str, str]) -> None:
    for k, segment in enumerate(smooth(points, *bounds)):
        canvas.line(ids[k], ids[k + 1], segment, id=f"{prefix}_{k}", **attrs)


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
