"""Survey evidence in the emotion lane: beside each touchpoint's declared emotion, every measured
figure as a diamond with an error bar for its interval, on the same −2…2 scale (the figure's
neutral line, the one JM402 judges against, at neutral; see ``evidence.measure.on_emotion_scale``).

A figure flagged as contradicting the declared emotion (JM402) is outlined in the hotspot colour;
thin evidence (JM401) is drawn hollow (white), so a wide bar of few answers does not read as a firm one.
Nodes are ``ev_<t>_<k>`` (t: the touchpoint's number in the file, k: the figure's), the bar's
halves ``ev_bar_hi_<t>_<k>`` and ``ev_bar_lo_<t>_<k>``; each tooltip says the figure in words: ``CSAT 85% ± 2.0 (n = 1,284)``.
"""

from __future__ import annotations

from collections.abc import Callable

from journeymap.evidence.measure import Measured, figure, on_emotion_scale
from journeymap.evidence.report import by_touchpoint, flag_index, flags
from journeymap.render import style as s
from journeymap.render.mapview.canvas import Canvas
from journeymap.render.mapview.context import MapContext

OFFSET = 16.0  # from the declared emotion's point to the first figure
STEP = 11.0  # between two figures of one touchpoint
SIZE = 10.0  # the diamond's width and height, points
CAP = 3.0  # half the width of the bar's end caps


def draw_measured(ctx: MapContext, canvas: Canvas, y: Callable[[float], float]) -> None:
    """Every measured figure of the journey, at its touchpoint's column."""
    index = flag_index(ctx.analysis.findings)
    jg = ctx.jg  # a touchpoint's number: its (last) place in the file
    side = -1.0 if ctx.words.rtl else 1.0
    for tp_id, items in by_touchpoint(ctx.analysis.evidence).items():
        if tp_id not in jg:
            continue
        shown = [m for m in items if m.estimate.value is not None]
        for k, m in enumerate(shown):
            x = ctx.geometry.x(tp_id) + side * (OFFSET + STEP * k)
            rules = {f.rule for f in flags(m, index)}
            _figure(canvas, f"ev_{jg.index(tp_id)}_{k}", m, x, y, rules)


def _figure(canvas: Canvas, name: str, m: Measured, x: float, y: Callable[[float], float],
            rules: set[str]) -> None:
    outline = s.HOTSPOT if "JM402" in rules else s.INK
    words = figure(m, with_interval=True)
    at = y(on_emotion_scale(m, m.estimate.value or 0.0))
    if m.estimate.low is not None and m.estimate.high is not None:
        # two segments, from each end to the diamond's edge, so a hollow diamond stays readable
        top, bottom = y(on_emotion_scale(m, m.estimate.high)), y(on_emotion_scale(m, m.estimate.low))
        for end, edge, part in ((top, max(at - SIZE / 2, top), "hi"), (bottom, min(at + SIZE / 2, bottom), "lo")):
            _segment(canvas, f"{name}_{part}", (x, end), (x, edge), id=f"ev_bar_{part}_{name[3:]}",
                     color=outline, penwidth="1.3", tooltip=words)
            _segment(canvas, f"{name}_{part}_cap", (x - CAP, end), (x + CAP, end), color=outline,
                     penwidth="1.3")
    thin = "JM401" in rules
    canvas.node(name, x, at, id=name, shape="diamond", fixedsize="true",
                width=f"{SIZE / 72:.4f}", height=f"{SIZE / 72:.4f}", style="filled",
                fillcolor="white" if thin else s.INK, color=outline, penwidth="1.5", tooltip=words)


def _segment(canvas: Canvas, name: str, a: tuple[float, float], b: tuple[float, float],
             **attrs: str) -> None:
    start, end = canvas.anchor(f"{name}_a", *a), canvas.anchor(f"{name}_b", *b)
    canvas.line(start, end, [a, a, b, b], **attrs)
