"""Numbers and parts in words, shared by the text and Markdown reports of a diff."""

from __future__ import annotations

from journeymap.diff.compare import DiffResult, JourneyDiff
from journeymap.diff.scores import Delta, FindingRef, PromiseDelta

SIGNS = {"added": "+", "removed": "-", "renamed": "~", "changed": "~", "moved": ">"}


def number(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def change(delta: Delta) -> str:
    return _difference(delta.before, delta.after, delta.change)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def points(p: PromiseDelta) -> str:
    return _difference(p.before, p.after, p.points, " pp")


def _difference(before: object, after: object, amount: float | None, unit: str = "") -> str:
    """``+1.5``: after less before, signed, to one decimal; ``new`` or ``removed`` when a side is
    missing."""
    if before is None:
        return "new"
    if after is None:
        return "removed"
    amount = amount or 0.0
    return f"±0.0{unit}" if abs(amount) < 0.05 else f"{amount:+.1f}{unit}"


def status(value: str | None) -> str:
    return value or "—"


def named(j: JourneyDiff, ident: str) -> str:
    name = j.names.get(ident)
    return f"`{ident}` “{name}”" if name and name != ident else f"`{ident}`"


def finding(f: FindingRef) -> str:
    about = f" `{f.subject}`" if f.subject else ""
    return f"{f.severity} [{f.rule}]{about}: {f.message}"


def summary(result: DiffResult) -> str:
    """One line: how many journeys changed, and whether anything got worse (and what)."""
    changed = len(result.changed)
    compared = len(result.journeys)
    head = (f"{changed} of {compared} journeys changed" if compared > 1
            else ("the journey changed" if changed else "no change"))
    if not result.worse:
        return f"{head}; nothing got worse"
    reasons = [r for j in result.journeys for r in j.worse]
    return f"{head}; worse: {_counted(reasons)}"


def _counted(reasons: list[str]) -> str:
    kinds = {"new error": "new error finding", "new friction hotspot": "new hotspot",
             "promise": "promise less likely to be kept"}
    counts: dict[str, int] = {}
    for reason in reasons:
        kind = next(k for prefix, k in kinds.items() if reason.startswith(prefix))
        counts[kind] = counts.get(kind, 0) + 1
    return ", ".join(f"{n} {kind}" if n == 1 else f"{n} {_plural(kind)}" for kind, n in counts.items())


def _plural(kind: str) -> str:
    return {"new error finding": "new error findings", "new hotspot": "new hotspots",
            "promise less likely to be kept": "promises less likely to be kept"}[kind]
