"""What reporters show of the evidence: plain data per measured figure, with the findings it raised."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from journeymap.evidence.fields import MEAN, NPS
from journeymap.evidence.measure import Measured, figure
from journeymap.findings import Finding
from journeymap.model import Span

EVIDENCE_RULES = ("JM401", "JM402", "JM403")
UNITS = {MEAN: "scale", NPS: "nps", "proportion": "percent"}


FlagIndex = dict[Span, list[Finding]]


def flag_index(findings: Iterable[Finding]) -> FlagIndex:
    """The JM401–JM403 findings by where they point, built once for all of a journey's figures."""
    index: FlagIndex = {}
    for f in findings:
        if f.rule in EVIDENCE_RULES and f.span is not None:
            index.setdefault(f.span, []).append(f)
    return index


def flags(m: Measured, index: FlagIndex) -> list[Finding]:
    """The JM401–JM403 findings about this figure (same place in the same file)."""
    return index.get(m.evidence.span, [])


def shown(m: Measured, value: float | None) -> float | None:
    """A figure in the units people read: per cent, NPS points, or the scale's own points."""
    if value is None or not math.isfinite(value):
        return None
    return round(value if m.evidence.kind == MEAN else value * 100, 6)


def evidence_dict(m: Measured, index: FlagIndex) -> dict[str, Any]:
    e, est = m.evidence, m.estimate
    margin = est.margin
    return {
        "touchpoint": m.touchpoint, "metric": e.metric, "unit": UNITS[e.kind],
        "value": shown(m, est.value), "low": shown(m, est.low), "high": shown(m, est.high),
        "margin": shown(m, margin), "margin_points": None if margin is None else round(margin * m.points, 6),
        "n": est.n, "confidence": est.confidence, "method": est.method,
        "responses_for_max_margin": m.needed, "scale": list(e.scale),
        "source": e.source, "period": e.period, "file": e.span.file, "line": e.span.line,
        "flags": [f.rule for f in flags(m, index)],
        "text": figure(m),
    }


def by_touchpoint(measured: Iterable[Measured]) -> dict[str, list[Measured]]:
    out: dict[str, list[Measured]] = {}
    for m in measured:
        out.setdefault(m.touchpoint, []).append(m)
    return out
