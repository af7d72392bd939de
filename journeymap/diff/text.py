"""The diff for the terminal: per journey, what changed in its structure and scores, and why it is
worse; then one summary line."""

from __future__ import annotations

from journeymap.diff.compare import DiffResult, JourneyDiff
from journeymap.printable import printable
from journeymap.diff.words import SIGNS, change, finding, named, number, percent, points, status, summary


def render(result: DiffResult) -> str:
    # printable: a name holding a newline must not start a line of its own (`::error` in a CI log)
    blocks = ["\n".join(printable(line) for line in _journey(j)) for j in result.changed]
    return "\n\n".join([*blocks, summary(result)]) + "\n"


def _journey(j: JourneyDiff) -> list[str]:
    title = f" — {j.title}" if j.title else ""
    lines = [f"{j.journey_id}{title} ({j.status})", f"  {j.old or '(none)'} → {j.new or '(none)'}"]
    if j.changes:
        lines.append("  structure:")
        lines += [f"    {SIGNS.get(c.kind, '~')} {c.text}" for c in j.changes]
    lines += _scores(j)
    if j.worse:
        lines.append("  worse for the customer:")
        lines += [f"    ! {reason}" for reason in j.worse]
    return lines


def _scores(j: JourneyDiff) -> list[str]:
    s = j.scores
    out = [f"    friction total {number(s.total.before)} → {number(s.total.after)} ({change(s.total)})"]
    out += [f"    friction {named(j, d.subject)}: {number(d.before)} → {number(d.after)} ({change(d)})"
            for d in s.friction]
    out += [f"    hotspot new: {named(j, h)}" for h in s.hotspots_new]
    out += [f"    hotspot cleared: {named(j, h)}" for h in s.hotspots_cleared]
    out += [f"    promise {named(j, p.subject)}: {status(p.status_before)} → {status(p.status_after)}, "
            f"kept in time {percent(p.before)} → {percent(p.after)} ({points(p)})" for p in s.promises]
    out += [f"    {'recovery ' if f.recovery else ''}finding new: {finding(f)}" for f in s.findings_new]
    out += [f"    {'recovery ' if f.recovery else ''}finding fixed: {finding(f)}" for f in s.findings_fixed]
    return ["  scores:", *out]
