"""The diff as one JSON document, for tools (numbers rounded to 6 decimals, unbounded ones null)."""

from __future__ import annotations

from typing import Any

from journeymap.diff.compare import DiffResult, JourneyDiff
from journeymap.diff.scores import Delta, FindingRef
from journeymap.report.analysis_json import number
from journeymap.report.json_stream import dumps


def render(result: DiffResult, pretty: bool = False) -> str:
    doc = {"journeys": [_journey(j) for j in result.journeys],
           "summary": {"journeys": len(result.journeys), "changed": len(result.changed),
                       "worse": result.worse, "tolerance_pp": result.tolerance}}
    return dumps(doc, pretty)


def _journey(j: JourneyDiff) -> dict[str, Any]:
    s = j.scores
    return {
        "id": j.journey_id, "title": j.title, "old": j.old, "new": j.new, "status": j.status,
        "worse": list(j.worse),
        "changes": [{"part": c.part, "kind": c.kind, "subject": c.subject, "text": c.text}
                    for c in j.changes],
        "scores": {
            "friction_total": _delta(s.total),
            "friction": [{"touchpoint": d.subject, "name": j.names.get(d.subject), **_delta(d)}
                         for d in s.friction],
            "hotspots": {"new": list(s.hotspots_new), "cleared": list(s.hotspots_cleared)},
            "promises": [{"id": p.subject, "name": j.names.get(p.subject),
                          "status_before": p.status_before, "status_after": p.status_after,
                          "probability_before": number(p.before), "probability_after": number(p.after),
                          "change_pp": number(p.points)} for p in s.promises],
            "findings": {"new": [_finding(f) for f in s.findings_new],
                         "fixed": [_finding(f) for f in s.findings_fixed]},
        },
    }


def _delta(d: Delta) -> dict[str, float | None]:
    return {"before": number(d.before), "after": number(d.after), "change": number(d.change)}


def _finding(f: FindingRef) -> dict[str, Any]:
    return {"rule": f.rule, "severity": f.severity, "subject": f.subject, "message": f.message,
            "recovery": f.recovery}
