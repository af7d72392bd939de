"""The JSON document of `journeymap report --format json`.

``{"journeys": [{"file", "id", "title", "friction": {"total", "touchpoints": [{"id", "stage",
"friction", "traffic", "components": {name: value}}]}, "hotspots": [ids], "promises": [{"id",
"status", "probability", "error", "reached", "fastest_seconds", "within_seconds", "reasons"}],
"evidence": [{"touchpoint", "metric", "value", "low", "high", "margin", "n", "flags", …}],
"factors": [{"factor", "friction", …}], "findings": [...], "content": {personas, notes, stages,
touchpoints, x- fields: see report/content_json.py}}]}``, and with ``--evidence``,
``"evidence_file": {"file", "rows", "joined", "findings"}``. A finding in another file than the
journey's (a row of the evidence CSV) carries its ``"file"``.

``probability`` is within ± ``error`` of the true share (``error`` 0: exact, to rounding).

Numbers are rounded to 6 decimals. A number that is unbounded (customers caught in a loop they
can never leave) is ``null``. A file that is not a valid journey has ``title`` and ``friction``
``null``, no hotspots and no promises, and its findings say why.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO, TypeVar

from journeymap.analysis.analyse import JourneyReport, ReportRun
from journeymap.analysis.factors import FactorGroup
from journeymap.analysis.results import FrictionResult, PromiseResult, TouchpointFriction
from journeymap.report.content_json import content_dict
from journeymap.evidence.report import evidence_dict, flag_index
from journeymap.findings import Finding
from journeymap.report.json_report import finding_dict
from journeymap.report.json_stream import Lazy, dump, dumps

T = TypeVar("T")


def render(run: ReportRun, color: bool = False, pretty: bool = False) -> str:
    """The report as JSON (one line, or indented with ``pretty``), each touchpoint's entry made as
    it is written (json_stream)."""
    return dumps(document(run), pretty)


def write(run: ReportRun, out: BinaryIO, pretty: bool = False) -> None:
    """:func:`render` written to ``out`` as UTF-8 while it is made, never held whole."""
    dump(document(run), out, pretty)


def document(run: ReportRun) -> dict[str, Any]:
    """The report's document, its journeys and their touchpoints made as they are written."""
    doc: dict[str, Any] = {"journeys": Lazy(run.journeys, lambda r: journey_dict(r, lazy=True))}
    if run.evidence is not None:
        doc["evidence_file"] = {"file": run.evidence.file, "rows": run.evidence.rows,
                                "joined": run.evidence.joined,
                                "findings": [_finding(f, run.evidence.file) for f in run.evidence.findings]}
    return doc


def journey_dict(report: JourneyReport, lazy: bool = False) -> dict[str, Any]:
    analysis = report.analysis
    index = flag_index(report.findings)
    return {
        "file": report.file,
        "id": report.journey_id,
        "title": analysis.journey.title if analysis else None,
        "friction": friction_dict(analysis.friction, lazy) if analysis else None,
        "hotspots": list(analysis.friction.hotspots) if analysis else [],
        "promises": [promise_dict(p) for p in analysis.promises] if analysis else [],
        "evidence": [evidence_dict(m, index) for m in analysis.evidence] if analysis else [],
        "factors": _each(analysis.factors, lambda g: factor_dict(g, analysis.friction.total, lazy),
                         lazy) if analysis else [],
        "findings": _each(report.findings, lambda f: _finding(f, report.file), lazy),
        "content": content_dict(analysis.journey, lazy) if analysis else None,
    }


def _finding(f: Finding, file: str) -> dict[str, Any]:
    elsewhere = f.span is not None and f.span.file != file
    return {**finding_dict(f), **({"file": f.span.file} if elsewhere and f.span else {})}


def friction_dict(friction: FrictionResult, lazy: bool = False) -> dict[str, Any]:
    touchpoints = friction.touchpoints
    return {
        "total": number(friction.total),
        "touchpoints": _each(touchpoints, touchpoint_dict, lazy),
    }


def touchpoint_dict(tp: TouchpointFriction) -> dict[str, Any]:
    return {"id": tp.touchpoint, "stage": tp.stage, "friction": number(tp.friction),
            "traffic": number(tp.traffic),
            "components": {name: number(value) for name, value in tp.components.items()}}


def factor_dict(group: FactorGroup, total: float, lazy: bool = False) -> dict[str, Any]:
    """One of the four factors (or ``unassigned``): its friction, share of the total, the
    touchpoints it comes from, its failures, the pain points that declare it, and its findings."""
    return {
        "factor": group.factor,
        "friction": number(group.friction),
        "share": number(group.friction / total) if total and math.isfinite(total) else None,
        "touchpoints": _each(group.touchpoints, _part, lazy),
        "failures": _each(group.failures, _failure, lazy),
        "pain_points": [{"touchpoint": tp, "text": text} for tp, text in group.pain_points],
        "findings": _each(group.findings, _factor_finding, lazy),
    }


def _each(items: Sequence[T], make: Callable[[T], Any], lazy: bool) -> list[Any] | Lazy[T]:
    """``make(item)`` for each item: a list, or with ``lazy`` made while it is written (a large
    journey has a friction entry, and often a finding, for each touchpoint)."""
    return Lazy(items, make) if lazy else [make(item) for item in items]


def _failure(failure: tuple[str, str, bool]) -> dict[str, Any]:
    touchpoint, fid, declared = failure
    return {"touchpoint": touchpoint, "id": fid, "declared": declared}


def _factor_finding(f: Finding) -> dict[str, Any]:
    return {"rule": f.rule, "subject": f.subject, "line": f.span.line if f.span else None}


def _part(touchpoint: tuple[str, float]) -> dict[str, Any]:
    return {"id": touchpoint[0], "friction": number(touchpoint[1])}


def promise_dict(promise: PromiseResult) -> dict[str, Any]:
    return {
        "id": promise.promise,
        "status": promise.status.value,
        "probability": number(promise.probability),
        "error": _bound(promise.error),
        "reached": number(promise.reached),
        "fastest_seconds": number(promise.fastest_seconds),
        "within_seconds": number(promise.within_seconds),
        "reasons": list(promise.reasons),
    }


def _bound(error: float) -> float:
    """An error bound rounded up, never down to 0: the true value must stay inside ± it."""
    return math.ceil(error * 1e6) / 1e6 if error > 1e-12 else 0.0


def number(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(value, 6)
