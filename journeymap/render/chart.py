"""The emotion curve of the HTML report: an inline SVG line chart of how the customer feels.

Points run along the most likely path from the start to a success (the same path as the map's
emotion lane), then the touchpoints off it, each branch in the order customers meet it; the main
path is a solid line, each branch a dashed line from the point where it leaves the main path.
Mirrored for right-to-left journeys. Touchpoints without an ``emotion`` leave a gap rather than
pretending to be neutral. Each point's name is wrapped under it in the width of its slot, so the
labels fit at any width the page gives the chart.
"""

from __future__ import annotations

from journeymap.analysis.likely import Likely
from journeymap.model import Journey
from journeymap.render import style as s
from journeymap.render.labels import html, wrap

STEP, LEFT, RIGHT, TOP, PLOT, BOTTOM = 96, 92, 24, 24, 180, 64
LABEL_CHARS, LABEL_LINES = 14, 3


def emotion_svg(journey: Journey, likely: Likely | None = None) -> str:
    """The chart as an ``<svg>`` element, or an empty string when no touchpoint has an emotion."""
    if not any(tp.emotion is not None for tp in journey.touchpoints):
        return ""
    order = _order(journey, likely)
    slot = {tp_id: i for i, tp_id in enumerate(order)}
    width = LEFT + RIGHT + STEP * len(order)
    height = TOP + PLOT + BOTTOM

    def x(tp_id: str) -> float:
        i = slot[tp_id]
        return LEFT + STEP * ((len(order) - 1 - i) if journey.rtl else i) + STEP / 2

    # the page stretches the chart to its width, but never below 3/4 of its size, so the names
    # under the points stay readable: a long journey scrolls sideways instead
    parts = [f'<svg class="emotion" xmlns="http://www.w3.org/2000/svg" role="img" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'style="min-width: {round(width * 0.75)}px" preserveAspectRatio="xMinYMin meet">',
             '<title>Emotion along the most likely path, then its branches, from angry (-2) to '
             'delighted (2)</title>']
    parts += _grid(width)
    main = likely.main if likely else tuple(order)
    parts += _line(journey, [t for t in main if t in slot], x, main=True)
    for branch in (likely.branches if likely else ()):
        parts += _line(journey, _from_main(journey, main, list(branch)), x, main=False)
    parts += [_point(journey, tp_id, x(tp_id), tp_id in main) for tp_id in order
              if journey.by_id[tp_id].emotion is not None]
    parts += [_label(journey, tp_id, x(tp_id)) for tp_id in order]
    parts.append("</svg>")
    return "\n".join(parts)


def _order(journey: Journey, likely: Likely | None) -> list[str]:
    if likely is None:
        return [tp.id for tp in journey.touchpoints]
    seen = dict.fromkeys(likely.main)
    for branch in likely.branches:
        seen.update(dict.fromkeys(t for t in branch if t not in seen))
    seen.update(dict.fromkeys(tp.id for tp in journey.touchpoints if tp.id not in seen))
    return list(seen)


def _from_main(journey: Journey, main: tuple[str, ...], branch: list[str]) -> list[str]:
    """A branch drawn from the point where it leaves: when it leaves the main path at a touchpoint
    without an emotion, from the nearest one before it that has one."""
    if branch[0] in main and journey.by_id[branch[0]].emotion is None:
        before = main[:main.index(branch[0])]
        start = next((t for t in reversed(before) if journey.by_id[t].emotion is not None), None)
        return ([start] if start else []) + branch[1:]
    return branch


def _y(emotion: int) -> float:
    return TOP + PLOT / 2 - emotion * (PLOT / 4.5)


def _grid(width: int) -> list[str]:
    out = []
    for value in range(-2, 3):
        y = _y(value)
        out.append(f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{y:g}" y2="{y:g}" '
                   f'stroke="{s.HAIRLINE}" stroke-width="{1 if value == 0 else 0.5}" '
                   f'stroke-dasharray="{"" if value == 0 else "3 3"}"/>'
                   f'<text class="axis" x="{LEFT - 8}" y="{y + 4:g}" text-anchor="end" '
                   f'fill="{s.EMOTION_COLORS[value]}">{s.emotion_word(value)}</text>')
    return out


def _line(journey: Journey, ids: list[str], x, main: bool) -> list[str]:
    """The main path solid (dotted across touchpoints without an emotion); a branch dashed."""
    points = [f"{x(t):g},{_y(e):g}" for t in ids if (e := journey.by_id[t].emotion) is not None]
    if len(points) < 2:
        return []
    if main:
        return [f'<polyline class="main" points="{" ".join(points)}" fill="none" stroke="{s.INK}" '
                f'stroke-width="2.4" stroke-linejoin="round"/>']
    return [f'<polyline class="branch" points="{" ".join(points)}" fill="none" '
            f'stroke="{s.RECOVERY}" stroke-width="1.6" stroke-dasharray="6 4"/>']


def _point(journey: Journey, tp_id: str, x: float, on_main: bool) -> str:
    tp = journey.by_id[tp_id]
    assert tp.emotion is not None
    word = s.emotion_word(tp.emotion)
    return (f'<circle cx="{x:g}" cy="{_y(tp.emotion):g}" r="{6 if on_main else 4.5}" '
            f'fill="{s.EMOTION_COLORS[tp.emotion]}" stroke="{"white" if on_main else s.RECOVERY}" '
            f'stroke-width="1.5"><title>{html(tp.name)}: {word} ({tp.emotion:+d})</title></circle>')


def _label(journey: Journey, tp_id: str, x: float) -> str:
    tp = journey.by_id[tp_id]
    lines = wrap(tp.name, LABEL_CHARS, LABEL_LINES)
    y = TOP + PLOT + 14
    spans = "".join(f'<tspan x="{x:g}" dy="{0 if i == 0 else 13}">{html(line)}</tspan>'
                    for i, line in enumerate(lines))
    return (f'<text class="tick" x="{x:g}" y="{y}" text-anchor="middle"><title>{html(tp.name)}'
            f"</title>{spans}</text>")
