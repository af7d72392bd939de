"""A hand-built Analysis for render tests, so maps do not depend on the scoring weights; and a
stand-in `dot` that does what a test says."""

from __future__ import annotations

import stat
from pathlib import Path

from journeymap.analysis.results import (
    Analysis,
    FrictionResult,
    PromiseResult,
    PromiseStatus,
    TouchpointFriction,
)
from journeymap.findings import Finding
from journeymap.model import Journey

STATUSES = (PromiseStatus.KEPT, PromiseStatus.AT_RISK, PromiseStatus.BROKEN)


def fake_friction(journey: Journey) -> tuple[TouchpointFriction, ...]:
    out = []
    for tp in journey.touchpoints:
        components = {"effort": float(tp.effort or 0), "emotion": 2.0 * max(0, -(tp.emotion or 0)),
                      "asked again": 0.5 * len(tp.asks)}
        total = sum(components.values())
        out.append(TouchpointFriction(tp.id, tp.stage, total, 1.0, total, components))
    return tuple(out)


def fake_analysis(journey: Journey, findings: tuple[Finding, ...] = (), threshold: float = 4.0) -> Analysis:
    """Friction = effort + 2·negative emotion + ½ per ask; promises cycle kept, at risk, broken."""
    tps = fake_friction(journey)
    hot = tuple(f.touchpoint for f in sorted(tps, key=lambda f: -f.contribution) if f.contribution > threshold)
    promises = tuple(
        PromiseResult(p.id, STATUSES[i % 3], (0.95, 0.6, 0.0)[i % 3], 3600.0 * (i + 1),
                      (p.made_at, p.kept_at), ("reason " + str(i),))
        for i, p in enumerate(journey.promises))
    ranked = tuple(f.touchpoint for f in sorted(tps, key=lambda f: -f.contribution))
    friction = FrictionResult(sum(f.contribution for f in tps), tps, hot, ranked, threshold)
    return Analysis(journey, friction, promises, findings)


def big_journey_yaml(stages: int = 11, per_stage: int = 20) -> str:
    """A journey of ``stages × per_stage`` touchpoints with failures looping back and promises."""
    lines = ["journey: A very long onboarding journey", "lang: en", "stages:"]
    for s in range(stages):
        lines += [f"  - name: Stage {s + 1} of the onboarding", "    touchpoints:"]
        for t in range(per_stage):
            n = s * per_stage + t
            lines += [f"      - name: Step {n} where the customer fills in another long form",
                      f"        id: s{n}", "        channel: web", f"        owner: Team {n % 7}",
                      f"        effort: {1 + n % 5}", f"        emotion: {(n % 5) - 2}"]
            if n % 9 == 4 and n > 10:
                lines += ["        failures:", f"          - name: Form {n} rejected",
                          "            share: 0.1", f"            to: s{n - 7}"]
    last = stages * per_stage - 1
    lines += ["promises:", "  - name: Approved within five days", "    made_at: s3",
              f"    kept_at: s{last}", "    within: 5d"]
    return "\n".join(lines) + "\n"


def fake_dot(folder: Path, script: str) -> Path:
    """A `dot` on a PATH of its own, that does what ``script`` (sh) says."""
    folder.mkdir(exist_ok=True)
    dot = folder / "dot"
    dot.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    dot.chmod(dot.stat().st_mode | stat.S_IXUSR)
    return folder
