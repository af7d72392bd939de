"""SARIF 2.1.0 for code-scanning tools (GitHub code scanning, VS Code SARIF viewer, …).

``tool.driver.rules`` is generated from the rule catalogue, so every rule a result names is
described, with its bad and good examples, in the same file.
"""

from __future__ import annotations

from typing import Any

from journeymap import __version__
from journeymap.findings import RULES, Finding, Rule, RunResult, Severity
from journeymap.report.ci import artifact_uri, fingerprint, message
from journeymap.report.json_stream import dumps
from journeymap.report.rules import examples

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_RULE_INDEX = {rule_id: i for i, rule_id in enumerate(RULES)}
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# The rule id's first digit names its family (see docs/format.md).
_FAMILIES = {"0": "format", "1": "recovery", "2": "promises", "3": "friction"}


def project_url() -> str | None:
    """The project's address as pyproject.toml's ``[project.urls]`` declares it (its Homepage,
    else the first), from the installed package's metadata; None when none is declared (SARIF's
    ``informationUri`` is then left out rather than made up)."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        entries = metadata("journeymap").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    urls = dict(entry.split(",", 1) for entry in entries if "," in entry)
    chosen = urls.get("Homepage") or next(iter(urls.values()), None)
    return chosen.strip() if chosen else None


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    """One ``reportingDescriptor``: the rule's id, title, documentation and default level."""
    return {
        "id": rule.id,
        "name": "".join(word.capitalize() for word in rule.title.split()),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": " ".join(rule.description.split("\n"))},
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)},
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": {"tags": ["journey", _FAMILIES.get(rule.id[2], "other")]},
    }


def _help_text(rule: Rule) -> str:
    parts = [rule.description] + [f"{label}:\n{example}" for label, example in examples(rule)]
    return "\n\n".join(parts)


def _help_markdown(rule: Rule) -> str:
    parts = [rule.description] + [f"**{label}:**\n\n```yaml\n{example}\n```"
                                  for label, example in examples(rule)]
    return "\n\n".join(parts)


def sarif_result(f: Finding, file: str) -> dict[str, Any]:
    """One ``result``: rule, level, message and where it is (line and column when known)."""
    uri = artifact_uri(f.span.file if f.span else file)
    # a relative URI is resolved against the checkout; an absolute one SHALL have no base (§3.4.4)
    artifact = {"uri": uri} if uri.startswith("file:") else {"uri": uri, "uriBaseId": "%SRCROOT%"}
    location: dict[str, Any] = {"artifactLocation": artifact}
    if f.span:
        location["region"] = {"startLine": f.span.line, "startColumn": f.span.column}
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": _RULE_INDEX[f.rule],
        "level": _LEVELS[f.severity],
        "message": {"text": message(f)},
        "locations": [{"physicalLocation": location}],
        # Stable across edits that move lines, so code scanning keeps tracking the same alert.
        "partialFingerprints": {"journeymapFinding/v1": fingerprint(f, file)},
    }
    if f.subject:
        result["properties"] = {"subject": f.subject}
    return result


def sarif_log(result: RunResult) -> dict[str, Any]:
    """The whole SARIF log: one run of journeymap, every rule, every finding."""
    run = {
        "tool": {"driver": {
            "name": "journeymap",
            "version": __version__,
            "semanticVersion": __version__,
            **({"informationUri": url} if (url := project_url()) else {}),
            "rules": [rule_descriptor(rule) for rule in RULES.values()],
        }},
        # The loader counts columns in characters, which matters for Arabic, Thai, Persian labels.
        "columnKind": "unicodeCodePoints",
        "results": [sarif_result(f, fr.file) for fr in result.files for f in fr.findings],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: RunResult, color: bool = False, pretty: bool = False) -> str:
    """The SARIF log on one line, or indented with ``pretty``, as every JSON output."""
    return dumps(sarif_log(result), pretty)
