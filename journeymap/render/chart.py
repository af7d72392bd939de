"""The emotion curve: an inline SVG line chart of how the customer feels at each touchpoint.

Touchpoints run in file order (mirrored for right-to-left journeys), grouped under their stages;
touchpoints without an ``emotion`` leave a gap in the line rather than pretending to be neutral.
"""

from __future__ import annotations

from journeymap.model import Journey, Touchpoint
from journeymap.render import style as s
from journeymap.render.labels import html, wrap

STEP, LEFT, RIGHT, TOP, PLOT, BOTTOM = 56, 92, 24, 40, 180, 118


def emotion_svg(journey: Journey) -> str:
    """The chart as an ``<svg>`` element, or an empty string when no touchpoint has an emotion."""
    tps = journey.touchpoints
    if not any(tp.emotion is not None for tp in tps):
        return ""
    width = LEFT + RIGHT + STEP * len(tps)
    height = TOP + PLOT + BOTTOM
    parts = [f'<svg class="emotion" xmlns="http://www.w3.org/2000/svg" role="img" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
             '<title>Emotion at each touchpoint, from angry (-2) to delighted (2)</title>']
    parts += _stage_bands(journey)
    parts += _grid(width)
    parts += _line(journey)
    parts += [_point(journey, i, tp) for i, tp in enumerate(tps) if tp.emotion is not None]
    parts += [_tick(journey, i, tp) for i, tp in enumerate(tps)]
    parts.append("</svg>")
    return "\n".join(parts)


def _x(journey: Journey, index: int) -> float:
    slot = len(journey.touchpoints) - 1 - index if journey.rtl else index
    return LEFT + STEP * slot + STEP / 2


def _y(emotion: int) -> float:
    return TOP + PLOT / 2 - emotion * (PLOT / 4.5)


def _stage_bands(journey: Journey) -> list[str]:
    out, index = [], 0
    for n, stage in enumerate(journey.stages):
        count = len(stage.touchpoints)
        first, last = _x(journey, index), _x(journey, index + count - 1)
        x = min(first, last) - STEP / 2
        fill = s.STAGE_FILL if n % 2 == 0 else "#ffffff"
        label = html(wrap(stage.name, max(4, count * STEP // 8), 1)[0])
        # the stage name starts where its first touchpoint is: the right edge in RTL journeys
        anchor, at = ("end", x + STEP * count - 6) if journey.rtl else ("start", x + 6)
        out.append(f'<rect x="{x:g}" y="{TOP - 28}" width="{STEP * count}" height="{PLOT + 28}" '
                   f'fill="{fill}"/><text class="stage" x="{at:g}" y="{TOP - 12}" '
                   f'text-anchor="{anchor}">{label}</text>')
        index += count
    return out


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


def _line(journey: Journey) -> list[str]:
    """A solid line through each run of touchpoints with an emotion, dotted across the gaps."""
    runs: list[list[str]] = [[]]
    for i, tp in enumerate(journey.touchpoints):
        if tp.emotion is None:
            runs.append([])
        else:
            runs[-1].append(f"{_x(journey, i):g},{_y(tp.emotion):g}")
    every = [point for run in runs for point in run]
    out = [f'<polyline points="{" ".join(every)}" fill="none" stroke="{s.HAIRLINE}" '
           f'stroke-width="1.5" stroke-dasharray="2 4"/>'] if len(every) > 1 else []
    return out + [f'<polyline points="{" ".join(run)}" fill="none" stroke="{s.INK}" '
                  f'stroke-width="2" stroke-linejoin="round"/>' for run in runs if len(run) > 1]


def _point(journey: Journey, index: int, tp: Touchpoint) -> str:
    assert tp.emotion is not None
    word = s.emotion_word(tp.emotion)
    return (f'<circle cx="{_x(journey, index):g}" cy="{_y(tp.emotion):g}" r="6" '
            f'fill="{s.EMOTION_COLORS[tp.emotion]}" stroke="white" stroke-width="1.5">'
            f"<title>{html(tp.name)}: {word} ({tp.emotion:+d})</title></circle>")


def _tick(journey: Journey, index: int, tp: Touchpoint) -> str:
    x, y = _x(journey, index), TOP + PLOT + 10
    name = html(wrap(tp.name, 18, 1)[0])
    return (f'<text class="tick" transform="translate({x:g},{y}) rotate(-40)" text-anchor="end">'
            f"<title>{html(tp.name)}</title>{name}</text>")
