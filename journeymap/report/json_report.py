"""The JSON document of `check --format json`, as the format spec defines it."""

from __future__ import annotations

from typing import Any

from journeymap.findings import Finding, RunResult
from journeymap.report.json_stream import dumps


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity.value,
        "message": f.message,
        "line": f.span.line if f.span else None,
        "column": f.span.column if f.span else None,
        "subject": f.subject,
        "hint": f.hint,
    }


def render(result: RunResult, color: bool = False, pretty: bool = False) -> str:
    """One line of JSON, or indented with ``pretty``."""
    return dumps(document(result), pretty)


def document(result: RunResult) -> dict[str, Any]:
    return {
        "journeys": [
            {"file": fr.file, "id": fr.journey_id, "findings": [finding_dict(f) for f in fr.findings]}
            for fr in result.files
        ],
        "summary": {"files": len(result.files), "errors": result.errors, "warnings": result.warnings,
                    "infos": result.infos},
    }
