"""JM106: a touchpoint's `next` shares, all given, that add up to less than 1 and are scaled up."""

from __future__ import annotations

from collections.abc import Iterator

from journeymap.analysis.wording import percent
from journeymap.findings import Finding, finding
from journeymap.model import Journey

# Shares written as fractions (0.1 + 0.2 + 0.7) need not add up to exactly 1 in floating point
_ROUNDING = 1e-9


def scaled_shares(journey: Journey) -> Iterator[Finding]:
    """A warning for each touchpoint whose `next` shares the graph scales up to 1 (graph._split)."""
    for tp in journey.touchpoints:
        if not tp.next or any(step.share is None for step in tp.next):
            continue
        given = sum(step.share or 0.0 for step in tp.next)
        if 0 < given < 1 - _ROUNDING:
            scaled = ", ".join(f"`{s.to}` {percent((s.share or 0.0) / given)}" for s in tp.next)
            yield finding("JM106", f"the shares of `next` at “{tp.name}” add up to "
                          f"{percent(given)}: they are scaled up to {scaled}",
                          tp.key_spans.get("next", tp.span), tp.id,
                          hint="say where the other customers go (a `lost` touchpoint or a "
                          "failure), or leave one entry without a share to take the rest")
