"""The observed lane (``render --observed EVENTS``): under each card, what the event log shows
beside what the journey declares.

Per touchpoint: visits per case beside the declared traffic; each move out of it (flows and
failures) with the observed share and its interval beside the declared share, and the observed
median and p90 time beside the declared one; moves customers took that the journey does not
declare; and each promise due here, its observed kept-in-time rate beside the declared
probability. A share whose declared value lies outside the interval, a time off its declared value
and a promise below it are marked ``!`` in the hotspot colour. The lane is left off without a log.
Its words, like every lane's, are the map's words in the journey's language (words.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from journeymap.model import Touchpoint
from journeymap.observe.compare import Comparison, MoveFigures, time_flag
from journeymap.observe.words import moves_from, note, promise_text, share_text, time_text
from journeymap.render import style as s
from journeymap.render.mapview.context import MapContext
from journeymap.render.mapview.lanes import Item, Lane, text_lane
from journeymap.render.mapview.words import Words

FLAG = "!"


def observed_lane(ctx: MapContext) -> Lane | None:
    c = ctx.observed
    if c is None:
        return None
    return text_lane(ctx, "observed", lambda tp: list(_items(ctx, c, tp)))


def observed_note(c: Comparison, words: Words | None = None) -> str:
    """The title's line: how many cases, how well they fit, over which days (in ``words``,
    English by default)."""
    w = words or Words(None)
    return f"{note(c, w)}; {w['flag note']}"


def _items(ctx: MapContext, c: Comparison, tp: Touchpoint) -> Iterator[Item]:
    w = ctx.words
    figures = next(t for t in c.touchpoints if t.id == tp.id)
    yield Item(w.line(f"{figures.per_case:.2f} {w['visits per case']} · {w['declared']} "
                      f"{figures.declared_traffic:.2f}"), mark="", bold=True)
    for m in moves_from(c, tp.id):
        yield from _move(ctx, m)
    for n, p in enumerate(c.promises, 1):
        if p.kept_at == tp.id:
            bad = p.flagged or p.below
            yield Item(w.line(f"P{n} {promise_text(p, w)}"), mark=FLAG if bad else "◎",
                       color=s.HOTSPOT if bad else s.INK, bold=bad)


def _move(ctx: MapContext, m: MoveFigures) -> Iterator[Item]:
    w = ctx.words
    target = ctx.journey.by_id[m.target].name if m.target in ctx.journey.by_id else m.target
    if not m.declared:
        yield Item(w.line(f"→ {target}: {w['not declared']}, {m.cases or 0:,} {w['cases']}"), mark=FLAG,
                   color=s.LOST, bold=True)
        return
    share = share_text(m, w) if m.declared_share is not None else None
    if m.observed is None or (share is None and m.median is None):
        return
    slow = time_flag(m) is not None
    failure = f" ({w['failure']})" if m.failures else ""
    if share is not None:
        yield Item(w.line(f"→ {target}{failure}: {share}"), mark=FLAG if m.flagged else "",
                   color=s.HOTSPOT if m.flagged else s.INK, bold=m.flagged)
    else:
        yield Item(w.line(f"→ {target}{failure}"), mark="")
    when = time_text(m, w)
    if when:
        yield Item(w.line(when), mark=FLAG if slow else "", color=s.HOTSPOT if slow else s.MUTED,
                   bold=slow)
