"""The core of `validate` and `check`: paths in, a :class:`RunResult` out. Never prints, never exits."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from journeymap.config import DEFAULT, Config
from journeymap.findings import FileResult, Finding, RunResult, Severity, sorted_findings
from journeymap.loader import load_file
from journeymap.schema import build_journey
from journeymap.values import slug

if TYPE_CHECKING:
    from journeymap.graph import JourneyGraph
    from journeymap.model import Journey

JOURNEY_SUFFIXES = (".yaml", ".yml")
_SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox"}


class MissingPath(Exception):
    """A path named on the command line does not exist (a usage error: exit 2)."""


def discover(paths: Iterable[str]) -> list[str]:
    """Journey files named by ``paths``: files as given, folders searched recursively, sorted."""
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            found.extend(sorted(_walk(path)))
        elif os.path.exists(path):
            found.append(path)
        else:
            raise MissingPath(path)
    return list(dict.fromkeys(found))


def _walk(folder: str) -> Iterator[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        for name in files:
            if name.endswith(JOURNEY_SUFFIXES):
                yield os.path.join(root, name)


def validate_file(path: str) -> FileResult:
    """Format and references only: JM001–JM003."""
    loaded = load_file(path)
    default_id = slug(Path(path).stem) or "journey"
    if loaded.root is None and loaded.findings:
        return FileResult(path, sorted_findings(loaded.findings), None, default_id)
    journey, journey_id, findings = build_journey(loaded.root, path, default_id)
    found = sorted_findings(loaded.findings + findings)
    if any(f.severity is Severity.ERROR for f in found):
        journey = None
    return FileResult(path, found, journey, journey_id)


# Journey checks run on files that validate. Each takes the graph and the config and yields findings.
JourneyCheck = Callable[["JourneyGraph", Config], Iterable[Finding]]


def _recovery(jg: JourneyGraph, config: Config) -> Iterable[Finding]:
    from journeymap.analysis.recovery import check_recovery

    return check_recovery(jg)


def _promises(jg: JourneyGraph, config: Config) -> Iterable[Finding]:
    from journeymap.analysis.promises import check_promises

    return check_promises(jg)


def _friction(jg: JourneyGraph, config: Config) -> Iterable[Finding]:
    from journeymap.analysis.friction import check_friction

    return check_friction(jg, config)


# JM201–JM204 and JM301–JM302; analysis.analyse() derives these from its own results instead.
SCORING_CHECKS: tuple[JourneyCheck, ...] = (_promises, _friction)
JOURNEY_CHECKS: list[JourneyCheck] = [_recovery, *SCORING_CHECKS]


def check_file(path: str, config: Config = DEFAULT) -> FileResult:
    """Validate, then run every journey check on a file that validates."""
    result = validate_file(path)
    if result.journey is None:
        return result
    from journeymap.graph import build_graph

    jg = build_graph(result.journey)
    findings = list(result.findings) + [f for check in JOURNEY_CHECKS for f in check(jg, config)]
    findings = apply_config(accepted(result.journey, findings), config)
    return replace(result, findings=sorted_findings(findings))


def accepted(journey: Journey, findings: Iterable[Finding]) -> list[Finding]:
    """Drop findings the journey file accepts with `accept:` (whole journey, a touchpoint and its
    failures, or a promise)."""
    whole = {rule for rule, _ in journey.accept}
    local: dict[str, set[str]] = {}
    for tp in journey.touchpoints:
        rules = {rule for rule, _ in tp.accept}
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


def run(paths: Iterable[str], rules: bool = True, config: Config = DEFAULT,
        progress: Callable[[str], None] | None = None) -> RunResult:
    """Validate (and with ``rules``, check) every journey file under ``paths``."""
    results = []
    for path in discover(paths):
        if progress:
            progress(path)
        results.append(check_file(path, config) if rules else validate_file(path))
    return RunResult(tuple(results))
