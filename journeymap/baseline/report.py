"""Reports of a run against a baseline.

text marks each new finding; json and sarif carry every finding with its state, and the baseline's
findings that are gone as ``absent``; github, gitlab and junit show only the new findings (what the
change introduced is what a pull request should be annotated with).
"""

from __future__ import annotations

from typing import Any

from journeymap.baseline.compare import ABSENT, NEW, UNCHANGED, UPDATED, Compared
from journeymap.baseline.load import Entry
from journeymap.printable import printable
from journeymap.report import REPORTERS
from journeymap.report import gitlab, json_report, sarif, text
from journeymap.report.ci import artifact_uri
from journeymap.report.json_stream import dumps


def render(compared: Compared, fmt: str, color: bool = False, pretty: bool = False) -> str:
    if fmt == "text":
        return _text(compared, color)
    if fmt == "json":
        return _json(compared, pretty)
    if fmt == "sarif":
        return dumps(sarif_with_states(compared), pretty)
    if fmt == "gitlab":
        return gitlab.render(compared.new_only(), color, pretty)
    return REPORTERS[fmt](compared.new_only(), color)


def summary(compared: Compared) -> str:
    """The run's summary, then what is new against the baseline."""
    counts = ", ".join(f"{compared.count(s)} {word}" for s, word in
                       ((UNCHANGED, "unchanged"), (UPDATED, "updated"), (ABSENT, "gone")))
    return (f"{text.summary(compared.result)}; {compared.count(NEW)} new since {printable(compared.source)} "
            f"({counts})")


def _text(compared: Compared, color: bool) -> str:
    marker = f"  (new since {printable(compared.source)})"
    if color:
        marker = f"\033[1m{marker}\033[0m"
    lines = [text.finding_line(f, fr.file, color) + (marker if compared.state(i, j) == NEW else "")
             for i, fr in enumerate(compared.result.files) for j, f in enumerate(fr.findings)]
    return "\n".join([*lines, summary(compared)]) + "\n"


def _json(compared: Compared, pretty: bool) -> str:
    doc = json_report.document(compared.result)
    for i, journey in enumerate(doc["journeys"]):
        for j, finding in enumerate(journey["findings"]):
            finding["baseline_state"] = compared.state(i, j)
    doc["summary"]["baseline"] = {"source": compared.source,
                                  **{s: compared.count(s) for s in (NEW, UNCHANGED, UPDATED, ABSENT)},
                                  "absent_findings": [_entry_dict(e) for e in compared.absent]}
    return dumps(doc, pretty)


def _entry_dict(e: Entry) -> dict[str, Any]:
    return {"file": e.file, "id": e.journey, "rule": e.rule, "severity": e.severity, "message": e.message,
            "subject": e.subject, "line": e.line, "column": e.column}


def sarif_with_states(compared: Compared) -> dict[str, Any]:
    """The SARIF log with ``baselineState`` on every result, and the gone findings as ``absent``."""
    log = sarif.sarif_log(compared.result)
    results = log["runs"][0]["results"]
    states = [compared.state(i, j) for i, fr in enumerate(compared.result.files)
              for j, _ in enumerate(fr.findings)]
    for result, state in zip(results, states, strict=True):
        result["baselineState"] = state
    results += [_absent(e) for e in compared.absent]
    log["runs"][0]["properties"] = {"baseline": compared.source}
    return log


def _absent(e: Entry) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(e.file), "uriBaseId": "%SRCROOT%"}}
    if e.line:
        location["region"] = {"startLine": e.line, "startColumn": e.column or 1}
    return {"ruleId": e.rule, "level": e.severity if e.severity in ("error", "warning") else "warning",
            "message": {"text": e.message}, "locations": [{"physicalLocation": location}],
            "baselineState": ABSENT}
