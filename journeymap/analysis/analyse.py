"""Scoring's entry point: a journey in, an :class:`Analysis` out; and the core of `report`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from journeymap.analysis.friction import score_friction
from journeymap.analysis.promises import evaluate_promises
from journeymap.analysis.recovery import check_recovery
from journeymap.analysis.results import Analysis
from journeymap.config import DEFAULT, Config
from journeymap.findings import FileResult, Finding, sorted_findings
from journeymap.graph import JourneyGraph, build_graph
from journeymap.model import Journey
from journeymap.policy import reported


def analyse(journey: Journey, config: Config = DEFAULT, jg: JourneyGraph | None = None) -> Analysis:
    """Friction, promises and every `check` finding of one journey (with `accept:` and the
    config's severities applied), computed once."""
    jg = jg or build_graph(journey)
    promises = evaluate_promises(jg)
    friction, friction_findings = score_friction(jg, config)
    found = list(check_recovery(jg))
    found += [f for _, findings in promises for f in findings] + friction_findings
    findings = sorted_findings(reported(journey, found, config))
    return Analysis(journey, friction, tuple(result for result, _ in promises), findings)


@dataclass(frozen=True)
class JourneyReport:
    """One file of a `report` run: its findings, and its analysis when the file is a valid journey."""

    file: str
    journey_id: str | None
    findings: tuple[Finding, ...]
    analysis: Analysis | None = None


@dataclass(frozen=True)
class ReportRun:
    journeys: tuple[JourneyReport, ...]

    @property
    def exit_code(self) -> int:
        """A report is informational: 1 only when a file could not be read as a journey."""
        return 1 if any(r.analysis is None for r in self.journeys) else 0


def report_files(files: Iterable[str], config: Config = DEFAULT) -> ReportRun:
    """Validate and analyse each journey file (a broken file is reported, not raised)."""
    return ReportRun(tuple(_report_file(path, config) for path in files))


def _report_file(path: str, config: Config) -> JourneyReport:
    from journeymap.check import validate_file

    return report_result(validate_file(path), config)


def report_result(result: FileResult, config: Config = DEFAULT) -> JourneyReport:
    """The report of a file already validated (by path, or from bytes read elsewhere)."""
    path = result.file
    if result.journey is None:
        return JourneyReport(path, result.journey_id, result.findings)
    analysis = analyse(result.journey, config)
    loading = reported(result.journey, result.findings, config)
    return JourneyReport(path, result.journey_id, sorted_findings([*loading, *analysis.findings]),
                         analysis)
