"""The JSON document of `journeymap report --format json`.

``{"journeys": [{"file", "id", "title", "friction": {"total", "touchpoints": [{"id", "stage",
"friction", "traffic", "components": {name: value}}]}, "hotspots": [ids], "promises": [{"id",
"status", "probability", "fastest_seconds", "reasons"}], "findings": [...]}]}``

Numbers are rounded to 6 decimals. A number that is unbounded (customers caught in a loop they
can never leave) is ``null``. A file that is not a valid journey has ``title`` and ``friction``
``null``, no hotspots and no promises, and its findings say why.
"""

from __future__ import annotations

import io
import json
import math
from typing import Any

from journeymap.analysis.analyse import JourneyReport, ReportRun
from journeymap.analysis.results import FrictionResult, PromiseResult
from journeymap.report.json_report import finding_dict


def render(run: ReportRun, color: bool = False) -> str:
    doc = {"journeys": [journey_dict(r) for r in run.journeys]}
    return encode(doc)


def encode(doc: Any) -> str:
    """``json.dumps(doc, indent=2)`` without its list of every piece of the text: with an indent,
    json's encoder yields a few characters at a time, and ``dumps`` keeps them all until it joins
    them (7× the text's size for a large journey)."""
    out = io.StringIO()
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2, allow_nan=False)
    for chunk in encoder.iterencode(doc):
        out.write(chunk)
    out.write("\n")
    return out.getvalue()


def journey_dict(report: JourneyReport) -> dict[str, Any]:
    analysis = report.analysis
    return {
        "file": report.file,
        "id": report.journey_id,
        "title": analysis.journey.title if analysis else None,
        "friction": friction_dict(analysis.friction) if analysis else None,
        "hotspots": list(analysis.friction.hotspots) if analysis else [],
        "promises": [promise_dict(p) for p in analysis.promises] if analysis else [],
        "findings": [finding_dict(f) for f in report.findings],
    }


def friction_dict(friction: FrictionResult) -> dict[str, Any]:
    return {
        "total": number(friction.total),
        "touchpoints": [
            {"id": tp.touchpoint, "stage": tp.stage, "friction": number(tp.friction),
             "traffic": number(tp.traffic),
             "components": {name: number(value) for name, value in tp.components.items()}}
            for tp in friction.touchpoints
        ],
    }


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
