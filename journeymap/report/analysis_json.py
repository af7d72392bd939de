"""The JSON document of `journeymap report --format json`.

``{"journeys": [{"file", "id", "title", "friction": {"total", "touchpoints": [{"id", "stage",
"friction", "traffic", "components": {name: value}}]}, "hotspots": [ids], "promises": [{"id",
"status", "probability", "fastest_seconds", "reasons"}], "findings": [...],
"content": {personas, notes, stages, touchpoints, x- fields: see report/content_json.py}}]}``

Numbers are rounded to 6 decimals. A number that is unbounded (customers caught in a loop they
can never leave) is ``null``. A file that is not a valid journey has ``title`` and ``friction``
``null``, no hotspots and no promises, and its findings say why.
"""

from __future__ import annotations

import math
from typing import Any

from journeymap.analysis.analyse import JourneyReport, ReportRun
from journeymap.analysis.results import FrictionResult, PromiseResult, TouchpointFriction
from journeymap.report.content_json import content_dict
from journeymap.report.json_report import finding_dict
from journeymap.report.json_stream import Lazy, dumps


def render(run: ReportRun, color: bool = False) -> str:
    """The report as JSON, each touchpoint's entry made as it is written (json_stream)."""
    return dumps({"journeys": Lazy(run.journeys, lambda r: journey_dict(r, lazy=True))})


def journey_dict(report: JourneyReport, lazy: bool = False) -> dict[str, Any]:
    analysis = report.analysis
    return {
        "file": report.file,
        "id": report.journey_id,
        "title": analysis.journey.title if analysis else None,
        "friction": friction_dict(analysis.friction, lazy) if analysis else None,
        "hotspots": list(analysis.friction.hotspots) if analysis else [],
        "promises": [promise_dict(p) for p in analysis.promises] if analysis else [],
        "findings": [finding_dict(f) for f in report.findings],
        "content": content_dict(analysis.journey) if analysis else None,
    }


def friction_dict(friction: FrictionResult, lazy: bool = False) -> dict[str, Any]:
    touchpoints = friction.touchpoints
    return {
        "total": number(friction.total),
        "touchpoints": Lazy(touchpoints, touchpoint_dict) if lazy else [touchpoint_dict(tp) for tp in touchpoints],
    }


def touchpoint_dict(tp: TouchpointFriction) -> dict[str, Any]:
    return {"id": tp.touchpoint, "stage": tp.stage, "friction": number(tp.friction),
            "traffic": number(tp.traffic),
            "components": {name: number(value) for name, value in tp.components.items()}}


def promise_dict(promise: PromiseResult) -> dict[str, Any]:
    return {
        "id": promise.promise,
        "status": promise.status.value,
        "probability": number(promise.probability),
        "fastest_seconds": number(promise.fastest_seconds),
        "reasons": list(promise.reasons),
    }


def number(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(value, 6)
