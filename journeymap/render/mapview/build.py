"""The journey map as one DOT source: header, stage row, then each non-empty lane, every piece at
a computed position (``neato -n2`` draws it as placed).

Why computed positions rather than ``dot`` ranks or one HTML-like table: a journey map is a grid
(stages across, lanes down) with a curve running through one of its rows. ``dot`` ranks nodes by
the flow and cannot hold lanes in rows or draw a curve by value; a single HTML table holds the grid
but cannot draw a curve or a branch at all. With ``-n2`` every card, cell and Bézier is where the
layout put it, and SVG, PNG and PDF are drawn from the same source by Graphviz.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

from journeymap.analysis.results import Analysis
from journeymap.graph import JourneyGraph, build_graph
from journeymap.render import style as s
from journeymap.render.labels import dot_html, wrap
from journeymap.render.mapview.canvas import Canvas
from journeymap.render.mapview.context import MARGIN, ROW_GAP, Geometry, MapContext
from journeymap.render.mapview.emotion import emotion_lane
from journeymap.render.mapview.lanes import (
    Lane,
    LaneBuilder,
    actions_lane,
    backstage_lane,
    lane_label,
    styled,
    opportunities_lane,
    pain_lane,
    steps_lane,
    thoughts_lane,
)
from journeymap.render.mapview.words import Words, emotion_key
from journeymap.render.page import PAGES, Page

if TYPE_CHECKING:
    from journeymap.observe.compare import Comparison


def observed_lane(ctx: MapContext) -> Lane | None:
    """The event log's lane (``render --observed``); its module, and the observe package, are
    imported only when there is a log (a map without one starts faster)."""
    if ctx.observed is None:
        return None
    from journeymap.render.mapview.observed import observed_lane as lane

    return lane(ctx)


# Top to bottom. Another lane (a measured score, say) is one more builder in this list.
LANES: list[LaneBuilder] = [steps_lane, observed_lane, actions_lane, thoughts_lane, emotion_lane,
                            pain_lane, opportunities_lane, backstage_lane]
STAGE_ROW = 36.0


def map_dot(analysis: Analysis, jg: JourneyGraph | None = None, page: Page | None = None,
            gaps: dict[str | None, list[str]] | None = None,
            lanes: list[LaneBuilder] | None = None, observed: Comparison | None = None) -> str:
    """The DOT source of the journey-map view (draw it with ``neato -n2``).

    ``page``: fit the drawing to a landscape paper size. ``gaps``: a draft's findings by the
    touchpoint they belong to (None: the journey as a whole), marked on the map. ``observed``: an
    event log's comparison with the journey, its figures beside the declared ones.
    """
    return map_dot_bytes(analysis, jg, page, gaps, observed, lanes).decode("utf-8")


def map_dot_bytes(analysis: Analysis, jg: JourneyGraph | None = None, page: Page | None = None,
                  gaps: dict[str | None, list[str]] | None = None,
                  observed: Comparison | None = None, lanes: list[LaneBuilder] | None = None) -> bytes:
    """:func:`map_dot` as UTF-8."""
    out = io.BytesIO()
    write_map_dot(analysis, out.write, jg, page, gaps, observed, lanes)
    return out.getvalue()


def write_map_dot(analysis: Analysis, write: Callable[[bytes], object], jg: JourneyGraph | None = None,
                  page: Page | None = None, gaps: dict[str | None, list[str]] | None = None,
                  observed: Comparison | None = None, lanes: list[LaneBuilder] | None = None) -> None:
    """:func:`map_dot` as UTF-8, handed to ``write`` piece by piece as the map is drawn (a large
    map's DOT, some 13 times its journey file, is never held whole)."""
    jg = jg or build_graph(analysis.journey)
    words = Words(analysis.journey.lang)
    ctx = MapContext(analysis, jg, words, Geometry(analysis.journey, words.rtl, jg=jg), gaps or {}, observed)
    built = [lane for build in (lanes or LANES) if (lane := build(ctx)) is not None]
    header = _header_height(ctx)
    height = header + STAGE_ROW + ROW_GAP + sum(lane.height + ROW_GAP for lane in built) + MARGIN
    if page is not None:
        ctx.geometry = _fit(ctx.geometry, height, page)
        height = max(height, ctx.geometry.width * page.height_mm / page.width_mm)
    canvas = Canvas(ctx.geometry.width, height, write, _graph_attrs(page), s.FONT)
    canvas.box("paper", 0, 0, canvas.width, height, style="filled", fillcolor="white", color="white",
               id="paper")
    _draw(ctx, canvas, built, header)
    canvas.close()


def _fit(geometry: Geometry, height: float, page: Page) -> Geometry:
    """Room on both sides when the drawing is taller than the paper's shape."""
    wanted = height * page.width_mm / page.height_mm
    extra = max(0.0, (wanted - geometry.content_width) / 2)
    return Geometry(geometry.journey, geometry.rtl, extra, geometry.jg)


def _graph_attrs(page: Page | None) -> dict[str, str]:
    attrs = {"charset": "UTF-8", "outputorder": "nodesfirst", "pad": "0", "margin": "0", "bgcolor": "white",
             "fontname": s.FONT}
    if page is not None:
        attrs["size"] = page.size
    return attrs


def _draw(ctx: MapContext, canvas: Canvas, lanes: list[Lane], header: float) -> None:
    _title(ctx, canvas)
    top = header
    _stage_row(ctx, canvas, top)
    top += STAGE_ROW + ROW_GAP
    for n, lane in enumerate(lanes):
        x0, x1 = ctx.geometry.label_span[0], ctx.geometry.lanes_span[1]
        if ctx.words.rtl:
            x0, x1 = ctx.geometry.lanes_span[0], ctx.geometry.label_span[1]
        canvas.box(f"lane_{lane.key}", x0, top, x1, top + lane.height, id=f"lane_{lane.key}",
                   style="filled", fillcolor="#f7f9fb" if n % 2 == 0 else "#ffffff",
                   color="#e4e9f0", penwidth="1")
        lane_label(ctx, canvas, lane.key, top, lane.height)
        lane.draw(ctx, canvas, top)
        top += lane.height + ROW_GAP


def _stage_row(ctx: MapContext, canvas: Canvas, top: float) -> None:
    for index, stage in enumerate(ctx.journey.stages):
        x0, x1 = ctx.geometry.stage_span(index)
        chars = max(6, int((x1 - x0 - 16) / 9))
        name = dot_html(wrap(stage.name, chars, 1)[0])
        canvas.box(f"stage_{index}", x0 + 3, top, x1 - 3, top + STAGE_ROW, id=f"stage_{index}",
                   style="rounded,filled", fillcolor="#dde3ea", color=s.HAIRLINE, penwidth="1",
                   fontname=s.FONT, fontsize="14", fontcolor=s.INK, label=f"<{styled(name)}>",
                   tooltip=stage.name)


def _subtitle(ctx: MapContext) -> list[str]:
    w, j = ctx.words, ctx.journey
    lines = []
    for persona in j.all_personas:
        facts = [w.fact("persona", persona.name)]
        if persona.goal:
            facts.append(w.fact("goal", persona.goal))
        lines.append("   ·   ".join(facts))
    if not j.all_personas and j.goal:
        lines.append(w.fact("goal", j.goal))
    return lines


def _header_height(ctx: MapContext) -> float:
    title = len(wrap(ctx.journey.title, 70, 2))
    observed = 15 if ctx.observed is not None else 0
    return (MARGIN + title * 22 * 1.5 + len(_subtitle(ctx)) * 17 + 32 + len(_journey_gaps(ctx)) * 15
            + observed + 12)


def _journey_gaps(ctx: MapContext) -> list[str]:
    """Gaps with no card to be marked on: the journey's, a promise's, or a touchpoint's that could
    not be drawn (one without a name)."""
    return [g for owner, gaps in ctx.gaps.items() if owner not in ctx.journey.by_id for g in gaps]


def _title(ctx: MapContext, canvas: Canvas) -> None:
    align = "RIGHT" if ctx.words.rtl else "LEFT"
    width = ctx.geometry.content_width - 2 * MARGIN
    title = "<BR/>".join(dot_html(x) for x in wrap(ctx.journey.title, 70, 2))
    rows = [f'<FONT POINT-SIZE="22">{styled(title)}</FONT>']
    rows += [f'<FONT POINT-SIZE="11" COLOR="{s.MUTED}">{dot_html(line)}</FONT>' for line in _subtitle(ctx)]
    rows.append(_legend(ctx))
    amber = s.STATUS_COLORS[s.PromiseStatus.AT_RISK]
    rows += [f'<FONT POINT-SIZE="10" COLOR="{amber}">'
             + styled(f'⚠ {dot_html(ctx.words["draft"])} · {dot_html(ctx.words["gap"])}: '
                      f'{dot_html(wrap(g, int(width / 6.5), 1)[0])}') + "</FONT>"
             for g in _journey_gaps(ctx)]
    if ctx.observed is not None:
        from journeymap.render.mapview.observed import observed_note

        rows.append(f'<FONT POINT-SIZE="10" COLOR="{s.INK}">'
                    + styled(dot_html(ctx.words.line(observed_note(ctx.observed, ctx.words)))) + "</FONT>")
    cells = "".join(f'<TR><TD ALIGN="{align}" BALIGN="{align}" WIDTH="{width:.0f}">{r}</TD></TR>'
                    for r in rows)
    label = f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="1">{cells}</TABLE>>'

    height = _header_height(ctx) - MARGIN
    canvas.node("title", ctx.geometry.mirror(ctx.geometry.content_width / 2),
                MARGIN + height / 2 - 6, shape="plain",
                fontname=s.FONT, fontcolor=s.INK, label=label, id="title")


def _legend(ctx: MapContext) -> str:
    """One line of coloured marks and words (a run of text, so it takes only the room it needs)."""
    w = ctx.words
    runs = [(color, f"● {w[emotion_key(v)]}") for v, color in s.EMOTION_COLORS.items()]
    runs += [(s.INK, f"━━ {w['main path']}"), (s.RECOVERY, f"╌╌ {w['branch']}"),
             (s.HOTSPOT, f"▲ {w['hotspot']}")]
    if ctx.analysis.evidence:  # survey figures stand beside the declared emotions
        runs.append((s.INK, f"◆┆ {w['measured']}"))
    runs += [(s.STATUS_COLORS[st], f"◆ {w['promise']}: {w[st.value]}") for st in s.STATUS_COLORS]
    if w.rtl:
        runs.reverse()
    text = "   ".join(f'<FONT COLOR="{color}">{dot_html(t)}</FONT>' for color, t in runs)
    return f'<FONT POINT-SIZE="9">{styled(text)}</FONT>'


__all__ = ["LANES", "PAGES", "Page", "map_dot", "map_dot_bytes", "write_map_dot"]
