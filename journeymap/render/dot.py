"""A journey and its analysis as Graphviz DOT source: a pure function, text in, text out.

Layout: each stage is a cluster of one or more columns (``rank=same`` groups, see :func:`rows`),
columns ordered left to right (right to left for RTL journeys) by an invisible chain. Node ids are generated (``t0``, ``t1``…), so journey text never names a DOT
object; every label is an HTML-like label built from escaped text, every other string is quoted.
"""

from __future__ import annotations

import io
from array import array
from collections.abc import Callable, Iterable, Iterator
from itertools import pairwise
from typing import TYPE_CHECKING

from journeymap.analysis.results import Analysis, PromiseResult
from journeymap.analysis.wording import number
from journeymap.graph import JourneyGraph, Transition, build_graph, transitions
from journeymap.model import Journey, Outcome, Promise, Stage, Touchpoint
from journeymap.render import style as s
from journeymap.render.labels import dot_html, quoted, wrapped_html
from journeymap.render.marks import Marks, marks_for
from journeymap.render.page import Page
from journeymap.render.why import promise_why
from journeymap.values import format_duration

if TYPE_CHECKING:
    from journeymap.observe.compare import Comparison, MoveFigures

MIN_ROWS, MAX_ROWS = 6, 18  # touchpoints stacked in one column before a stage wraps into another


def journey_dot(analysis: Analysis, jg: JourneyGraph | None = None, page: Page | None = None,
                splines: str = "spline", observed: Comparison | None = None) -> str:
    """The DOT source of the flow view for ``analysis`` (``jg`` is built when not given);
    ``page``: scaled to fit a landscape paper size; ``splines="line"`` draws straight edges,
    which Graphviz lays out without routing them; ``observed``: an event log's comparison, whose
    shares stand under the declared ones."""
    return "\n".join(dot_lines(analysis, jg, page, splines, observed)) + "\n"


def journey_dot_bytes(analysis: Analysis, jg: JourneyGraph | None = None, page: Page | None = None,
                      splines: str = "spline", observed: Comparison | None = None) -> bytes:
    """:func:`journey_dot` as UTF-8, written line by line as it is made: a large map never
    exists as a list of lines, a string (two or four bytes a character once one name is not
    Latin) and its UTF-8 copy at once."""
    out = io.BytesIO()
    write_journey_dot(analysis, out.write, jg, page, splines, observed)
    return out.getvalue()


def write_journey_dot(analysis: Analysis, write: Callable[[bytes], object], jg: JourneyGraph | None = None,
                      page: Page | None = None, splines: str = "spline",
                      observed: Comparison | None = None) -> None:
    """:func:`journey_dot` as UTF-8, handed to ``write`` line by line as it is made."""
    for line in dot_lines(analysis, jg, page, splines, observed):
        write(line.encode("utf-8") + b"\n")


def dot_lines(analysis: Analysis, jg: JourneyGraph | None = None, page: Page | None = None,
              splines: str = "spline", observed: Comparison | None = None) -> Iterator[str]:
    """The lines of :func:`journey_dot`, one at a time."""
    journey = analysis.journey
    jg = jg or build_graph(journey)
    marks = marks_for(analysis, jg)
    ids = _NodeNames(jg)
    height = rows(journey)
    yield "digraph journey {"
    yield from _defaults(journey, marks, splines)
    if page is not None:
        yield f'  size="{page.size}"; margin=0;'  # no device margin: fits the paper
    # the columns are sliced from each stage as they are written (a list of every column and
    # each stage's columns by stage were 5 MB of a large map)
    for index, stage in enumerate(journey.stages):
        yield from _cluster(index, stage, _columns(stage, height), ids, marks, jg)
    yield from _column_chain(ids[column[0].id] for _, column in _stage_columns(journey, height))
    column_of = array("l", bytes(8 * len(jg.ids)))  # each node's column (its id's last touchpoint's)
    for n, (_, column) in enumerate(_stage_columns(journey, height)):
        for tp in column:
            column_of[jg.position[tp.id]] = n
    seen = {(m.source, m.target): m for m in observed.moves} if observed is not None else {}
    yield from _flow_edges(journey, jg, ids, column_of, marks, seen)
    yield from _promise_edges(journey, ids, marks)
    yield "}"


def _defaults(journey: Journey, marks: Marks, splines: str) -> list[str]:
    font = quoted(s.FONT)
    side = "r" if journey.rtl else "l"
    return [
        f'  graph [rankdir={"RL" if journey.rtl else "LR"}, remincross=false, charset="UTF-8", '
        f'fontname={font}, bgcolor="white", pad="0.5", nodesep="0.45", ranksep="1.1", '
        f'splines={splines}, outputorder=edgesfirst, labelloc=t, labeljust={side}];',
        f'  node [shape=box, style="rounded,filled", fontname={font}, fontsize=11, '
        f'fontcolor="{s.INK}", color="{s.HAIRLINE}", penwidth=1.2, margin="0.14,0.1"];',
        f'  edge [fontname={font}, fontsize=9, fontcolor="{s.MUTED}", color="{s.FLOW}", '
        f'arrowsize=0.7, penwidth=1.2];',
        f"  label=<{_header(journey, marks)}>;",
    ]


def _header(journey: Journey, marks: Marks) -> str:
    align = "RIGHT" if journey.rtl else "LEFT"
    facts = [f"{key}: {value}" for key, value in
             (("persona", journey.persona), ("goal", journey.goal), ("lang", journey.lang)) if value]
    rows = [f'<TR><TD ALIGN="{align}"><FONT POINT-SIZE="22"><B>{wrapped_html(journey.title, 60, 3)}</B></FONT></TD></TR>']
    if facts:
        rows.append(f'<TR><TD ALIGN="{align}"><FONT POINT-SIZE="11" COLOR="{s.MUTED}">'
                    f'{wrapped_html("   ·   ".join(facts), 140, 3)}</FONT></TD></TR>')
    rows.append(f'<TR><TD ALIGN="{align}">{_legend(marks, journey.rtl)}</TD></TR>')
    return f'<TABLE BORDER="0" CELLSPACING="4" CELLPADDING="2">{"".join(rows)}</TABLE>'


def _legend(marks: Marks, rtl: bool) -> str:
    cells = ['<TD><FONT POINT-SIZE="9"><B>friction</B></FONT></TD>']
    cells += [f'<TD BGCOLOR="{fill}" BORDER="1" COLOR="{s.HAIRLINE}"><FONT POINT-SIZE="9">{label}</FONT></TD>'
              for fill, label in marks.scale.bins()]
    cells.append('<TD WIDTH="12"></TD><TD><FONT POINT-SIZE="9"><B>emotion</B></FONT></TD>')
    cells += [f'<TD><FONT POINT-SIZE="9" COLOR="{color}">●</FONT><FONT POINT-SIZE="9"> '
              f"{s.emotion_word(value)}</FONT></TD>" for value, color in s.EMOTION_COLORS.items()]
    cells.append('<TD WIDTH="12"></TD>')
    cells += [f'<TD><FONT POINT-SIZE="9" COLOR="{color}"><B>{text}</B></FONT></TD>' for color, text in (
        (s.FLOW, "── flow · share"), (s.FAILURE, "╌╌ failure · share"),
        (s.RECOVERY, "━━ recovery path"), (s.HOTSPOT, "▲ hotspot"),
        (s.STATUS_COLORS[s.PromiseStatus.KEPT], "⇢ promise kept"),
        (s.STATUS_COLORS[s.PromiseStatus.AT_RISK], "⇢ at risk"),
        (s.STATUS_COLORS[s.PromiseStatus.BROKEN], "⇢ broken"))]
    cells += [_band("✓ success", s.SUCCESS), _band("✕ lost", s.LOST)]
    if rtl:
        cells.reverse()
    return f'<TABLE BORDER="0" CELLSPACING="3" CELLPADDING="3"><TR>{"".join(cells)}</TR></TABLE>'


def _band(text: str, color: str) -> str:
    return f'<TD BGCOLOR="{color}"><FONT POINT-SIZE="9" COLOR="white"><B>{text}</B></FONT></TD>'


def rows(journey: Journey) -> int:
    """Column height: about 1.1·√n keeps a large map near 2:1, a poster's shape."""
    return max(MIN_ROWS, min(MAX_ROWS, round(1.1 * len(journey.touchpoints) ** 0.5)))


class _NodeNames:
    """A touchpoint id → its DOT node id, ``t`` and the place of the id's (last) touchpoint in
    the file, made when asked for: a dict of them held a name for every touchpoint, 100 bytes a
    touchpoint with its entry."""

    __slots__ = ("_jg",)

    def __init__(self, jg: JourneyGraph) -> None:
        self._jg = jg

    def __getitem__(self, tp_id: str) -> str:
        return f"t{self._jg.index(tp_id)}"

    def __contains__(self, tp_id: object) -> bool:
        return tp_id in self._jg.position


def stage_columns(journey: Journey) -> list[tuple[int, tuple[Touchpoint, ...]]]:
    """(stage index, touchpoints) for each column of the map, in stage order."""
    return list(_stage_columns(journey, rows(journey)))


def _stage_columns(journey: Journey, height: int) -> Iterator[tuple[int, tuple[Touchpoint, ...]]]:
    for index, stage in enumerate(journey.stages):
        for column in _columns(stage, height):
            yield index, column


def _columns(stage: Stage, height: int) -> Iterator[tuple[Touchpoint, ...]]:
    """The stage's touchpoints, ``height`` to a column."""
    tps = stage.touchpoints
    return (tps[start:start + height] for start in range(0, len(tps), height))


def _cluster(index: int, stage: Stage, columns: Iterable[tuple[Touchpoint, ...]], ids: _NodeNames,
             marks: Marks, jg: JourneyGraph) -> Iterator[str]:
    """The stage as a cluster, a line at a time (a stage can hold most of a large journey)."""
    yield f"  subgraph cluster_s{index} {{"
    yield f'    label=<<FONT POINT-SIZE="15"><B>{wrapped_html(stage.name, 60, 2)}</B></FONT>>;'
    yield (f'    style="rounded,filled"; fillcolor="{s.STAGE_FILL}"; color="{s.HAIRLINE}"; '
           f'margin=16; labeljust={"r" if jg.journey.rtl else "l"};')
    for column in columns:
        yield f"    {{ rank=same; {'; '.join(ids[tp.id] for tp in column)}; }}"
        # dot stacks a rank bottom-up along flat edges (in LR and RL alike), and only keeps that
        # order with remincross=false: these invisible edges, drawn upwards, fix the column's
        # order top-down as in the file (the journey's forward edges in a column go upwards too).
        for a, b in pairwise(column):
            yield f"    {ids[b.id]} -> {ids[a.id]} [style=invis, weight=100];"
    for tp in stage.touchpoints:
        yield f"    {_node(tp, ids[tp.id], marks, jg.outcome(tp.id), jg.journey.rtl)}"
    yield "  }"


def _column_chain(columns: Iterable[str]) -> Iterator[str]:
    """Invisible edges that keep the columns in stage order."""
    return (f"  {a} -> {b} [style=invis, weight=20];" for a, b in pairwise(columns))


def _node(tp: Touchpoint, node_id: str, marks: Marks, outcome: Outcome | None, rtl: bool) -> str:
    friction = marks.friction.get(tp.id)
    attrs = [f"label=<{_tp_label(tp, marks, outcome, rtl)}>",
             f'fillcolor="{marks.scale.fill(friction.friction if friction else None)}"',
             f"tooltip={quoted(marks.tooltip(tp))}"]
    if tp.id in marks.hotspots:
        attrs.append(f'color="{s.HOTSPOT}", penwidth=4')
    elif outcome is not None:
        attrs.append(f'color="{s.SUCCESS if outcome is Outcome.SUCCESS else s.LOST}", penwidth=3')
    return f"{node_id} [{', '.join(attrs)}];"


def _tp_label(tp: Touchpoint, marks: Marks, outcome: Outcome | None, rtl: bool) -> str:
    align = "RIGHT" if rtl else "LEFT"
    rows = list(_badges(tp, marks, outcome))
    rows.append(f'<FONT POINT-SIZE="12"><B>{wrapped_html(tp.name)}</B></FONT>')
    who = " · ".join(x for x in (tp.channel, tp.owner) if x)
    if who:
        rows.append(f'<FONT POINT-SIZE="9" COLOR="{s.MUTED}">{wrapped_html(who, 30, 2)}</FONT>')
    facts = _facts(tp, marks)
    if facts:
        rows.append(f'<FONT POINT-SIZE="9">{facts}</FONT>')
    cells = "".join(f'<TR><TD ALIGN="{align}" BALIGN="{align}">{row}</TD></TR>' for row in rows)
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">{cells}</TABLE>'


def _badges(tp: Touchpoint, marks: Marks, outcome: Outcome | None) -> Iterator[str]:
    if tp.id in marks.hotspots:
        rank = marks.hotspots[tp.id]
        adds = marks.friction[tp.id].contribution if tp.id in marks.friction else 0.0
        yield f'<FONT POINT-SIZE="10" COLOR="{s.HOTSPOT}"><B>▲ HOTSPOT #{rank} · adds {number(adds)}</B></FONT>'
    if outcome is Outcome.SUCCESS:
        yield f'<FONT POINT-SIZE="10" COLOR="{s.SUCCESS}"><B>✓ SUCCESS</B></FONT>'
    elif outcome is Outcome.LOST:
        yield f'<FONT POINT-SIZE="10" COLOR="{s.LOST}"><B>✕ LOST</B></FONT>'


def _facts(tp: Touchpoint, marks: Marks) -> str:
    parts = []
    if tp.emotion is not None:
        parts.append(f'<FONT COLOR="{s.EMOTION_COLORS[tp.emotion]}">●</FONT> {s.emotion_word(tp.emotion)}')
    if tp.wait:
        parts.append(f"wait {format_duration(tp.wait)}")
    if tp.id in marks.friction:
        parts.append(f"friction {marks.friction[tp.id].friction:.1f}")
    return "   ".join(parts)


def _flow_edges(journey: Journey, jg: JourneyGraph, ids: _NodeNames, column_of: array,
                marks: Marks, seen: dict[tuple[str, str], MoveFigures]) -> Iterator[str]:
    position, order = jg.position, jg.indexes  # (the last touchpoint of an id's place in the file)
    for index, tp in enumerate(journey.touchpoints):
        for t in transitions(journey, index, tp, position):
            attrs = _edge_attrs(t, marks, seen.get((t.source, t.target)))
            source, target = ids[t.source], ids[t.target]
            u, v = position[t.source], position[t.target]
            same = column_of[v] == column_of[u]
            if same and order[u] < order[v]:
                # Drawn upwards like the column's invisible order edges, so dot makes room for
                # its label without fighting the order.
                source, target = target, source
                attrs.insert(0, "dir=back")
            elif column_of[v] <= column_of[u]:
                attrs.insert(0, "constraint=false")  # loops back must not move the columns
                if same:
                    attrs = _outside_label(attrs)
            yield f"  {source} -> {target} [{', '.join(attrs)}];"


def _outside_label(attrs: list[str]) -> list[str]:
    """A loop back inside one column is a flat edge dot must route against the column's order;
    Graphviz 2.43 fails on such an edge with a label ("trouble in init_rank", then "lost edge")
    from about 100 touchpoints with loops. An xlabel is placed after layout, so it cannot."""
    return [("x" + a) if a.startswith("label=") else a for a in attrs]


def _edge_attrs(t: Transition, marks: Marks, seen: MoveFigures | None = None) -> list[str]:
    share = s.percent(t.p) if t.p < 0.9995 else ""
    chip = share
    if seen is not None and share and seen.observed is not None and seen.declared_share is not None \
            and abs(seen.declared_share - t.p) < 1e-9:  # a move that is this one transition only
        chip = _observed_share(share, seen)
    if t.kind == "failure":
        name = t.label or "failure"
        return [f'color="{s.FAILURE}", fontcolor="{s.FAILURE}", style=dashed, penwidth=1.8',
                f"label=<{_chip(wrapped_html(name, 28, 3))}>", *_share(chip),
                f"tooltip={quoted(f'failure: {name} {share}'.strip())}"]
    attrs = []
    if (t.source, t.target) in marks.recovery:
        attrs.append(f'color="{s.RECOVERY}", fontcolor="{s.RECOVERY}", penwidth=3')
    if t.label:
        attrs.append(f"label=<{_chip(wrapped_html(t.label, 28, 2))}>")
    return attrs + _share(chip)


def _observed_share(share: str, m: MoveFigures) -> str:
    """``declared 30%`` over ``observed 41% (38–44%)``, the second line in the hotspot colour with
    a ``!`` when the declared share lies outside the interval (as HTML-like label text)."""
    from journeymap.observe.words import interval, pct

    assert m.observed is not None
    seen = f"observed {pct(m.observed.share)} {interval(m.observed)}"
    if m.flagged:
        seen = f'<FONT COLOR="{s.HOTSPOT}">! {dot_html(seen)}</FONT>'
    else:
        seen = dot_html(seen)
    return f"declared {share}<BR/>{seen}"


def _share(share: str) -> list[str]:
    """The share as a chip on the edge itself, a little way from its start: dot puts an edge's
    ``label`` beside the edge in a rank of its own, often far from the line it belongs to, but
    a ``taillabel`` at angle 0 sits on the line."""
    if not share:
        return []
    return [f"taillabel=<{_chip(f'<B>{share}</B>')}>", "labelangle=0", "labeldistance=2.6"]


def _promise_edges(journey: Journey, ids: _NodeNames, marks: Marks) -> list[str]:
    lines = []
    for promise in journey.promises:
        if promise.made_at not in ids or promise.kept_at not in ids:
            continue
        result = marks.promises.get(promise.id)
        color = s.STATUS_COLORS[result.status] if result else s.MUTED
        status = _promise_status(journey, promise, result)
        label = f"<B>{wrapped_html('promise: ' + promise.name, 30, 3)}<BR/>{dot_html(status)}</B>"
        lines.append(
            f"  {ids[promise.made_at]} -> {ids[promise.kept_at]} [constraint=false, style=bold, "
            f'color="{color}", fontcolor="{color}", penwidth=2.2, arrowhead=odiamond, '
            f"label=<{_chip(label)}>, tooltip={quoted(f'promise: {promise.name} ({status})')}];")
    return lines


def _promise_status(journey: Journey, promise: Promise, result: PromiseResult | None) -> str:
    """``kept · 95% in time``: the status, and how many customers get there (in time)."""
    if result is None:
        return "not scored"
    reach = "in time" if promise.within is not None else "get there"
    why = promise_why(journey, promise, result)
    status = result.status.value + (f": {', '.join(why)}" if why else "")
    return f"{status} · {s.percent(result.probability)} {reach}"


def _chip(content: str) -> str:
    """An edge label on a translucent white ground, readable where it crosses another edge."""
    return (f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1" BGCOLOR="#ffffffd0">'
            f"<TR><TD>{content}</TD></TR></TABLE>")
