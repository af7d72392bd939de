"""What a run reports: findings a journey accepts knowingly, and severities the config changes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from journeymap.config import Config
from journeymap.findings import Finding
from journeymap.model import Journey


def accepted(journey: Journey, findings: Iterable[Finding]) -> list[Finding]:
    """Drop findings the journey file accepts with `accept:` (whole journey, a touchpoint and its
    failures, or a promise)."""
    whole = {rule for rule, _ in journey.accept}
    local: dict[str, set[str]] = {}
    for tp in journey.touchpoints:
        rules = {rule for rule, _ in tp.accept}
        if rules:  # (an empty set for every touchpoint and failure was 200 bytes each)
            for subject in [tp.id, *(f.id for f in tp.failures)]:
                local.setdefault(subject, set()).update(rules)
    for promise in journey.promises:
        local.setdefault(promise.id, set()).update(rule for rule, _ in promise.accept)
    return [f for f in findings
            if f.rule not in whole and f.rule not in local.get(f.subject or "", ())]


def apply_config(findings: Iterable[Finding], config: Config) -> list[Finding]:
    """Severity overrides from the config; rules set to off are dropped."""
    if not config.severities:
        return list(findings)
    out = []
    for f in findings:
        if f.rule not in config.severities:
            out.append(f)
        elif (severity := config.severities[f.rule]) is not None:
            out.append(replace(f, severity=severity))
    return out


def reported(journey: Journey, findings: Iterable[Finding], config: Config) -> list[Finding]:
    """The findings a run reports for ``journey``: accepted ones dropped, then the config applied."""
    return apply_config(accepted(journey, findings), config)
