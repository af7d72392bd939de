"""Observed figures as the short phrases the map and the HTML report put beside the declared ones.

Pure functions of a :class:`~journeymap.observe.compare.Comparison`: ``declared 30% · observed 41%
(38–44%)`` for a share, ``median 2d · p90 5d (declared 2d)`` for a time, and the one-line note
``observed: 1,200 cases, fitness 98.0%, 2025-03-01 – 2025-05-30``. Their words come from ``w``, a
lookup by key: English by default; the map passes its words in the journey's language
(render/mapview/words.py, where each key has its row).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Protocol

from journeymap.observe.compare import Comparison, Interval, MoveFigures, PromiseFigures, time_flag
from journeymap.observe.declared import START
from journeymap.values import format_duration


class WordsByKey(Protocol):
    def __getitem__(self, key: str) -> str: ...


class _English:
    """Each key is its own English word, but for these."""

    OTHER = {"seen": "observed", "no mapped events": "no mapped events"}

    def __getitem__(self, key: str) -> str:
        return self.OTHER.get(key, key)


ENGLISH: WordsByKey = _English()


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


def share_text(m: MoveFigures, w: WordsByKey = ENGLISH) -> str | None:
    """``declared 30% · observed 41% (38–44%)``; None when the move has no share to compare."""
    if m.observed is None:
        return None
    seen = f"{w['seen']} {pct(m.observed.share)} {interval(m.observed)}"
    if m.declared_share is None:
        return seen
    return f"{w['declared']} {pct(m.declared_share)} · {seen}"


def time_text(m: MoveFigures, w: WordsByKey = ENGLISH) -> str | None:
    """``median 2d · p90 5d (declared 2d)``; None when nobody made the move."""
    if m.median is None or m.source == START:
        return None
    declared = (f" ({w['declared']} {duration(m.declared_seconds)})"
                if m.declared_seconds is not None else "")
    flag = time_flag(m) if m.declared else None
    return (f"{w['median']} {duration(m.median)} · p90 {duration(m.p90)}{declared}"
            + (f" {w[flag]}" if flag else ""))


def promise_text(p: PromiseFigures, w: WordsByKey = ENGLISH) -> str:
    """``kept in time 82% (80–84%) · declared 90%``."""
    declared = f"{w['declared']} {pct(p.declared)}"
    if not p.made:
        return f"{w['kept in time']}: {w['nobody reached it']} · {declared}"
    return f"{w['kept in time']} {pct(p.observed.share)} {interval(p.observed)} · {declared}"


def period_text(c: Comparison, w: WordsByKey = ENGLISH) -> str:
    if c.observed.period is None:
        return w["no mapped events"]
    first, last = (datetime.fromtimestamp(us / 1e6, timezone.utc).date().isoformat()
                   for us in c.observed.period)
    return first if first == last else f"{first} – {last}"


def note(c: Comparison, w: WordsByKey = ENGLISH) -> str:
    """``observed: 1,200 cases, fitness 98.0%, 2025-03-01 – 2025-05-30``."""
    return (f"{w['seen']}: {c.observed.cases:,} {w['cases']}, {w['fitness']} {c.fitness * 100:.1f}%, "
            f"{period_text(c, w)}")


def moves_from(c: Comparison, tp_id: str) -> list[MoveFigures]:
    return [m for m in c.moves if m.source == tp_id]
