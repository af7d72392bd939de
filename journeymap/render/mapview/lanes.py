"""The journey map's lanes: each a small builder that reads the context and returns a lane to
draw, or None when it would be empty (an empty lane is left off the map).

A lane knows its height and draws itself between two y positions; :data:`LANES` lists the
builders top to bottom. Adding a lane (a measured score, say) means writing one builder and
putting it in the list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from journeymap.analysis.results import PromiseStatus
from journeymap.model import Outcome, Touchpoint
from journeymap.render import style as s
from journeymap.render.labels import dot_html, wrap
from journeymap.render.mapview.canvas import Canvas
from journeymap.render.mapview.context import CARD, SLOT, MapContext
from journeymap.render.mapview.words import RLM
from journeymap.render.marks import drivers
from journeymap.render.why import missed_share, promise_why
from journeymap.values import format_duration

PAD = 8.0  # space above and below a lane's content
ITEM_GAP = 4.0  # a line this many points high between two items of a cell


class Lane(Protocol):
    key: str  # the word for the lane's name (words.py)
    height: float

    def draw(self, ctx: MapContext, canvas: Canvas, top: float) -> None: ...


LaneBuilder = Callable[[MapContext], "Lane | None"]


@dataclass(frozen=True, slots=True)
class Item:
    """One entry in a lane cell: a mark, the text (wrapped to the cell) and how it looks."""

    text: str
    mark: str = "•"
    color: str = s.INK
    size: float = 9.0
    bold: bool = False
    italic: bool = False

    def lines(self, width: float) -> list[str]:
        chars = max(8, int(width / (self.size * (0.66 if self.bold else 0.6))))
        return wrap(self.text, chars, 6)

    def height(self, ctx: MapContext, width: float) -> float:
        return len(self.lines(width)) * ctx.line_height(self.size) + ctx.line_height(ITEM_GAP)

    def html(self, width: float, rtl: bool = False) -> str:
        """Graphviz sets the spans of a line left to right, and pango orders the text inside each
        span: in an RTL journey each line starts with a RIGHT-TO-LEFT MARK, and the mark is a span
        of its own after the first line's text, so it stands at the line's right, where it begins."""
        start = RLM if rtl else ""
        lines = [self._styled(start + dot_html(line)) for line in self.lines(width)]
        if self.mark:
            # the marks are the map's own symbols; &#160; keeps the space that cleaning would trim
            spaced = f"&#160;{self.mark}" if rtl else f"{self.mark}&#160;"
            mark = f'<FONT COLOR="{self.color}">{spaced}</FONT>'
            lines[0] = f"{lines[0]}{mark}" if rtl else f"{mark}{lines[0]}"
        return (f'<FONT POINT-SIZE="{self.size:g}" COLOR="{self.color}">{"<BR/>".join(lines)}'
                "</FONT>")

    def _styled(self, text: str) -> str:
        return styled(text, self.bold, self.italic)


def styled(text: str, bold: bool = True, italic: bool = False) -> str:
    """``<B>text</B>``; nothing around a text that is empty once cleaned (a name of control
    characters): Graphviz 2.43 rejects an empty ``<B></B>`` as a syntax error."""
    if not text.strip(RLM + " "):
        return text
    text = f"<B>{text}</B>" if bold else text
    return f"<I>{text}</I>" if italic else text


def cell_html(items: list[Item], width: float, height: float, rtl: bool) -> str:
    """The items in one cell of at least ``width`` × ``height``, from its top (Graphviz places a
    node by its centre, so a cell of the estimated height keeps the text at the top of the row).
    One cell with line breaks, not a row per item: Graphviz spreads rows over a taller table."""
    align = "RIGHT" if rtl else "LEFT"
    body = '<BR ALIGN="%s"/>' % align
    gap = f'{body}<FONT POINT-SIZE="{ITEM_GAP:g}"> </FONT>{body}'  # a little air between items
    text = gap.join(item.html(width, rtl) for item in items)
    return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2"><TR>'
            f'<TD VALIGN="TOP" ALIGN="{align}" BALIGN="{align}" WIDTH="{width:.0f}" '
            f'HEIGHT="{height:.0f}">{text}{body}</TD></TR></TABLE>>')


def cell_height(ctx: MapContext, items: list[Item], width: float) -> float:
    return sum(item.height(ctx, width) for item in items) + 6


def put_cell(ctx: MapContext, canvas: Canvas, name: str, x: float, top: float, items: list[Item],
             width: float, tooltip: str = "") -> None:
    """A cell of text, its top at ``top`` (Graphviz places a node by its centre)."""
    height = cell_height(ctx, items, width)
    attrs = {"shape": "plain", "label": cell_html(items, width, height, ctx.words.rtl)}
    if tooltip:
        attrs["tooltip"] = tooltip
    canvas.node(name, x, top + height / 2, **attrs)


@dataclass
class TextLane:
    """Text items per touchpoint, and optionally across a whole stage above them.

    A touchpoint's items are made when the lane is measured and again when it is drawn, not kept:
    a large map's items (about 1 KB a touchpoint) never exist all at once."""

    key: str
    items_of: Callable[[Touchpoint], list[Item]]  # a touchpoint's items; none: no cell
    stage_cells: dict[int, list[Item]] = field(default_factory=dict)  # stage index → items
    height: float = 0.0
    stage_height: float = 0.0

    def draw(self, ctx: MapContext, canvas: Canvas, top: float) -> None:
        for index, items in self.stage_cells.items():
            x0, x1 = ctx.geometry.stage_span(index)
            put_cell(ctx, canvas, f"{self.key}_s{index}", (x0 + x1) / 2, top + PAD, items,
                     _stage_width(ctx, index))
        for n, tp in enumerate(ctx.journey.touchpoints):
            items = self.items_of(tp)
            if items:
                put_cell(ctx, canvas, f"{self.key}_t{n}", ctx.geometry.x(tp.id),
                         top + PAD + self.stage_height, items, CARD)


def _stage_width(ctx: MapContext, index: int) -> float:
    x0, x1 = ctx.geometry.stage_span(index)
    return x1 - x0 - (SLOT - CARD)


def text_lane(ctx: MapContext, key: str, items_of: Callable[[Touchpoint], list[Item]],
              stage_items: Callable[[int], list[Item]] | None = None) -> TextLane | None:
    tallest = max((cell_height(ctx, items, CARD) for tp in ctx.journey.touchpoints
                   if (items := items_of(tp))), default=None)
    stages = {}
    if stage_items is not None:
        stages = {i: items for i in range(len(ctx.journey.stages)) if (items := stage_items(i))}
    if tallest is None and not stages:
        return None
    stage_height = max((cell_height(ctx, items, _stage_width(ctx, i)) for i, items in stages.items()),
                       default=0.0)
    return TextLane(key, items_of, stages, 2 * PAD + stage_height + (tallest or 0.0), stage_height)


# -- the lanes ----------------------------------------------------------------------------------


def actions_lane(ctx: MapContext) -> Lane | None:
    return text_lane(ctx, "actions", lambda tp: [Item(t) for t in tp.workshop.actions])


def thoughts_lane(ctx: MapContext) -> Lane | None:
    def items(tp: Touchpoint) -> list[Item]:
        return ([Item(t, mark="›") for t in tp.workshop.thoughts]
                + [Item(f"“{q}”", mark="", italic=True, color=s.MUTED) for q in tp.workshop.quotes])

    return text_lane(ctx, "thoughts", items)


def pain_lane(ctx: MapContext) -> Lane | None:
    return text_lane(ctx, "pain_points", lambda tp: list(_pains(ctx, tp)))


def _pains(ctx: MapContext, tp: Touchpoint) -> Iterator[Item]:
    """The tool's own pain points first (hotspot, promises broken or at risk here), then the
    workshop's, each with the factor it declares as a tag in the map's words: ``[time] …``."""
    marks = ctx.marks
    if tp.id in marks.hotspots and tp.id in marks.friction:
        top = drivers(marks.friction[tp.id], 1)
        text = f"{ctx.words['hotspot']} #{marks.hotspots[tp.id]}" + (f": {top[0]}" if top else "")
        yield Item(text, mark="▲", color=s.HOTSPOT, bold=True)
    for n, promise, result in ctx.promises:
        if promise.kept_at != tp.id or result is None or result.status is PromiseStatus.KEPT:
            continue
        why = ", ".join(ctx.words[w] + (f" ({missed_share(result)})" if w == "late or missed" else "")
                        for w in promise_why(ctx.journey, promise, result))
        status = ctx.words[result.status.value]
        yield Item(f"P{n} {status}: {why} — {promise.name}",
                   mark="✕" if result.status is PromiseStatus.BROKEN else "⚠",
                   color=s.STATUS_COLORS[result.status], bold=True)
    for text, factor in tp.workshop.factored_pain_points():
        yield Item(f"[{ctx.words[factor]}] {text}" if factor else text)


def opportunities_lane(ctx: MapContext) -> Lane | None:
    mark, color = "+", s.SUCCESS
    return text_lane(ctx, "opportunities",
                     lambda tp: [Item(t, mark=mark, color=color) for t in tp.workshop.opportunities],
                     lambda i: [Item(t, mark=mark, color=color)
                                for t in ctx.journey.stages[i].workshop.opportunities])


def backstage_lane(ctx: MapContext) -> Lane | None:
    return text_lane(ctx, "backstage",
                     lambda tp: [Item(t, mark="▪", color=s.MUTED) for t in tp.workshop.backstage])


# -- steps: a card per touchpoint ---------------------------------------------------------------


@dataclass
class StepsLane:
    """A card per touchpoint; its items are made again when drawn (see :class:`TextLane`)."""

    key: str
    height: float = 0.0

    def draw(self, ctx: MapContext, canvas: Canvas, top: float) -> None:
        card_height = self.height - 2 * PAD
        for n, tp in enumerate(ctx.journey.touchpoints):
            x = ctx.geometry.x(tp.id)
            canvas.box(f"card_t{n}", x - CARD / 2, top + PAD, x + CARD / 2, top + PAD + card_height,
                       id=f"card_t{n}", **_card_style(ctx, tp))
            put_cell(ctx, canvas, f"cardtext_t{n}", x, top + PAD + 4, list(_card(ctx, tp)), CARD - 12,
                     card_tooltip(ctx, tp))


def steps_lane(ctx: MapContext) -> Lane | None:
    tallest = max(cell_height(ctx, list(_card(ctx, tp)), CARD - 12) for tp in ctx.journey.touchpoints)
    return StepsLane("steps", tallest + 2 * PAD + 10)


def card_tooltip(ctx: MapContext, tp: Touchpoint) -> str:
    """What friction is made of, and the workshop's notes: for hovering, not for the page."""
    notes = "; ".join(tp.workshop.notes)
    return ctx.marks.tooltip(tp) + (f" — notes: {notes}" if notes else "")


def _card_style(ctx: MapContext, tp: Touchpoint) -> dict[str, str]:
    marks = ctx.marks
    friction = marks.friction.get(tp.id)
    style = {"style": "rounded,filled", "fillcolor": marks.scale.fill(friction.friction if friction else None),
             "color": s.HAIRLINE, "penwidth": "1.2", "tooltip": card_tooltip(ctx, tp)}
    outcome = ctx.jg.outcome(tp.id)
    if tp.id in marks.hotspots:
        style.update(color=s.HOTSPOT, penwidth="3.5")
    elif outcome is not None:
        style.update(color=s.SUCCESS if outcome is Outcome.SUCCESS else s.LOST, penwidth="3")
    if ctx.gaps.get(tp.id):
        style.update(style="rounded,filled,dashed", color=s.STATUS_COLORS[PromiseStatus.AT_RISK],
                     penwidth="2.5")
    return style


def _card(ctx: MapContext, tp: Touchpoint) -> Iterator[Item]:
    w = ctx.words
    yield from _badges(ctx, tp)
    yield Item(tp.name, mark="", size=11, bold=True)
    who = " · ".join(x for x in (tp.channel, tp.owner) if x)
    if who:
        yield Item(who, mark="", color=s.MUTED)
    facts = []
    if tp.wait:
        facts.append(f"{w['wait']} {format_duration(tp.wait)}")
    if tp.id in ctx.marks.friction:
        facts.append(f"{w['friction']} {ctx.marks.friction[tp.id].friction:.1f}")
    if facts:
        yield Item(w.line("  ·  ".join(facts)), mark="", color=s.MUTED)
    for gap in ctx.gaps.get(tp.id, []):
        yield Item(f"{w['gap']}: {gap}", mark="⚠", color=s.STATUS_COLORS[PromiseStatus.AT_RISK],
                   bold=True)


def _badges(ctx: MapContext, tp: Touchpoint) -> Iterator[Item]:
    w, marks = ctx.words, ctx.marks
    if tp.id in marks.hotspots:
        yield Item(f"{w['hotspot']} #{marks.hotspots[tp.id]}", mark="▲", color=s.HOTSPOT, bold=True)
    outcome = ctx.jg.outcome(tp.id)
    if outcome is Outcome.SUCCESS:
        yield Item(w["success"], mark="✓", color=s.SUCCESS, bold=True)
    elif outcome is Outcome.LOST:
        yield Item(w["lost"], mark="✕", color=s.LOST, bold=True)
    for n, promise, result in ctx.promises:
        color = s.STATUS_COLORS[result.status] if result else s.MUTED
        if promise.made_at == tp.id:
            yield Item(f"P{n} {w['promise']} {w['made']}: {promise.name}", mark="◆", color=color,
                       bold=True)
        if promise.kept_at == tp.id:
            status = f" · {w[result.status.value]}" if result else ""
            yield Item(f"P{n} {w['promise']} {w['due']}{status}", mark="◎", color=color, bold=True)


def lane_label(ctx: MapContext, canvas: Canvas, key: str, top: float, height: float) -> None:
    x0, x1 = ctx.geometry.label_span
    canvas.box(f"lanelabel_{key}", x0, top + 2, x1, top + height - 2, id=f"lanelabel_{key}",
               style="filled", fillcolor="#e4e9f0", labelloc="t", fontsize="12",
               fontcolor=s.INK, fontname=s.FONT,
               label=f"<{styled(dot_html(ctx.words[key]))}>", tooltip=ctx.words[key])
