"""GitLab Code Quality (a subset of the Code Climate format): findings shown on merge requests.

GitLab reads a JSON list of issues, each with a description, a check name, a fingerprint unique in
the report, a severity and a location (path and line).
"""

from __future__ import annotations

from typing import Any

from journeymap.findings import Finding, RunResult, Severity
from journeymap.report.ci import fingerprint, message, relative_path
from journeymap.report.json_stream import dumps

_SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def issue(f: Finding, file: str) -> dict[str, Any]:
    """One Code Quality issue for a finding."""
    return {
        "type": "issue",
        "check_name": f.rule,
        "description": f"{f.rule} {message(f)}",
        "categories": ["Bug Risk"] if f.severity is Severity.ERROR else ["Style"],
        "severity": _SEVERITIES[f.severity],
        "fingerprint": fingerprint(f, file),
        "location": {"path": relative_path(f.span.file if f.span else file),
                     "lines": {"begin": f.span.line if f.span else 1}},
    }


def render(result: RunResult, color: bool = False, pretty: bool = False) -> str:
    """The Code Quality report on one line, or indented with ``pretty``, as every JSON output."""
    issues, seen = [], set()
    for fr in result.files:
        for f in fr.findings:
            item = issue(f, fr.file)
            while item["fingerprint"] in seen:  # GitLab drops issues whose fingerprints repeat
                item["fingerprint"] = fingerprint(f, fr.file + item["fingerprint"])
            seen.add(item["fingerprint"])
            issues.append(item)
    return dumps(issues, pretty)
