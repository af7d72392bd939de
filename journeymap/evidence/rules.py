"""JM401 thin evidence, JM402 evidence that contradicts the declared emotion, JM403 stale evidence."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator
from datetime import date

from journeymap.evidence.measure import Measured, figure, line_text
from journeymap.evidence.settings import EvidenceSettings
from journeymap.findings import Finding, finding
from journeymap.model import Journey
from journeymap.values import EMOTION_WORDS, format_duration

_DAY = 86400
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_QUARTER = re.compile(r"\b(\d{4})[- ]?Q([1-4])\b|\bQ([1-4])[- ]?(\d{4})\b", re.I)
_ISO_MONTH = re.compile(r"\b(\d{4})-(\d{2})\b(?!-\d)")
_NAMED_MONTH = re.compile(r"\b([A-Za-z]{3})[a-z]*\.?\s+(\d{4})\b")
_YEAR = re.compile(r"\b(19\d{2}|2\d{3})\b")


def evidence_findings(journey: Journey, measured: Iterable[Measured], settings: EvidenceSettings,
                      today: date | None = None) -> Iterator[Finding]:
    """JM401–JM403 for each measured item, in file order."""
    today = today or date.today()
    for m in measured:
        tp = journey.by_id[m.touchpoint]
        if m.thin(settings):
            yield _thin(m, tp.name, settings)
        if tp.emotion is not None and tp.emotion != 0 and m.side() == -_sign(tp.emotion):
            yield _contradicts(m, tp.name, tp.emotion)
        if settings.max_age_seconds is not None:
            stale = _stale(m, tp.name, settings.max_age_seconds, today)
            if stale:
                yield stale


def _sign(x: int) -> int:
    return 1 if x > 0 else -1


def _thin(m: Measured, name: str, settings: EvidenceSettings) -> Finding:
    level = f"{settings.confidence * 100:g}%"
    if m.margin_points is None:
        why = "one answer has no spread, so no margin can be computed" if m.estimate.n else "it has no answers"
    else:
        why = f"its margin at {level} confidence is wider than ±{settings.max_margin:g} points"
    return finding("JM401", f"{figure(m)} at “{name}” is thin evidence: {why}", m.evidence.span,
                   m.touchpoint, hint=f"about {m.needed:,} answers would give ±{settings.max_margin:g} "
                   f"points at {level} confidence")


def _contradicts(m: Measured, name: str, emotion: int) -> Finding:
    where = "below" if emotion > 0 else "above"
    return finding("JM402", f"“{name}” is declared {EMOTION_WORDS[emotion]}, but "
                   f"{figure(m, with_interval=True)} lies wholly {where} {line_text(m)}", m.evidence.span,
                   m.touchpoint, hint="change the declared emotion to what customers say, or find "
                   "out why the survey disagrees")


def _stale(m: Measured, name: str, max_age: float, today: date) -> Finding | None:
    ended = period_end(m.evidence.period)
    if ended is None:
        return None
    age = (today - ended).days
    if age * _DAY <= max_age:
        return None
    return finding("JM403", f"{figure(m)} at “{name}” is from {m.evidence.period} (ended {ended}, "
                   f"{age:,} days ago), older than {format_duration(max_age)}", m.evidence.span,
                   m.touchpoint, hint="survey this touchpoint again, or drop the old figures")


def period_end(period: str | None) -> date | None:
    """The last day a period names: ``2025-07-01..2025-09-30``, ``2025-Q3``, ``Sep 2025``,
    ``2025-09`` or ``2025``. None when it names no date."""
    if not period:
        return None
    ends = [date(int(y), int(mo), int(d)) for y, mo, d in _ISO_DAY.findall(period) if _valid(y, mo, d)]
    for m in _QUARTER.finditer(period):
        year, q = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        ends.append(_month_end(int(year), int(q) * 3))
    ends += [_month_end(int(y), int(mo)) for y, mo in _ISO_MONTH.findall(period) if 1 <= int(mo) <= 12]
    ends += [_month_end(int(y), _MONTHS[mo.lower()]) for mo, y in _NAMED_MONTH.findall(period)
             if mo.lower() in _MONTHS]
    if not ends:
        ends = [date(int(y), 12, 31) for y in _YEAR.findall(period)]
    return max(ends) if ends else None


def _valid(y: str, mo: str, d: str) -> bool:
    try:
        date(int(y), int(mo), int(d))
    except ValueError:
        return False
    return True


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
