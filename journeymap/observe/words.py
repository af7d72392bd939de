"""Observed figures as the short phrases the map and the HTML report put beside the declared ones.

Pure functions of a :class:`~journeymap.observe.compare.Comparison`: ``declared 30% · observed 41%
(38–44%)`` for a share, ``median 2d · p90 5d (declared 2d)`` for a time, and the one-line note
``observed: 1,200 cases, fitness 98.0%, 2025-03-01 – 2025-05-30``.
"""

from __future__ import annotations

from datetime import datetime, timezone

from journeymap.observe.compare import Comparison, Interval, MoveFigures, PromiseFigures, time_flag
from journeymap.observe.declared import START
from journeymap.values import format_duration


def pct(share: float) -> str:
    """41%, or 4.5% below ten, so a small share keeps a digit that matters."""
    value = share * 100
    return f"{value:.1f}%" if 0 < value < 10 else f"{value:.0f}%"


def interval(i: Interval) -> str:
    low, high = pct(i.low).rstrip("%"), pct(i.high)
    return f"({low}–{high})"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return format_duration(seconds) if seconds >= 1 else f"{seconds:.2g}s"


def share_text(m: MoveFigures) -> str | None:
    """``declared 30% · observed 41% (38–44%)``; None when the move has no share to compare."""
    if m.observed is None:
        return None
    seen = f"observed {pct(m.observed.share)} {interval(m.observed)}"
    if m.declared_share is None:
        return seen
    return f"declared {pct(m.declared_share)} · {seen}"


def time_text(m: MoveFigures) -> str | None:
    """``median 2d · p90 5d (declared 2d)``; None when nobody made the move."""
    if m.median is None or m.source == START:
        return None
    declared = f" (declared {duration(m.declared_seconds)})" if m.declared_seconds is not None else ""
    flag = time_flag(m) if m.declared else None
    return f"median {duration(m.median)} · p90 {duration(m.p90)}{declared}" + (f" {flag}" if flag else "")


def promise_text(p: PromiseFigures) -> str:
    """``kept in time 82% (80–84%) · declared 90%``."""
    if not p.made:
        return f"kept in time: nobody reached it · declared {pct(p.declared)}"
    return f"kept in time {pct(p.observed.share)} {interval(p.observed)} · declared {pct(p.declared)}"


def period_text(c: Comparison) -> str:
    if c.observed.period is None:
        return "no mapped events"
    first, last = (datetime.fromtimestamp(us / 1e6, timezone.utc).date().isoformat()
                   for us in c.observed.period)
    return first if first == last else f"{first} – {last}"


def note(c: Comparison) -> str:
    """``observed: 1,200 cases, fitness 98.0%, 2025-03-01 – 2025-05-30``."""
    return (f"observed: {c.observed.cases:,} cases, fitness {c.fitness * 100:.1f}%, "
            f"{period_text(c)}")


def moves_from(c: Comparison, tp_id: str) -> list[MoveFigures]:
    return [m for m in c.moves if m.source == tp_id]
