"""Scoring's entry point: a journey in, an :class:`Analysis` out; and the core of `report`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from journeymap.analysis.beside import promises_beside
from journeymap.analysis.factors import by_factor
from journeymap.analysis.friction import score_friction
from journeymap.analysis.promises import evaluate_promises
from journeymap.analysis.recovery import check_recovery
from journeymap.analysis.shares import scaled_shares
from journeymap.analysis.results import Analysis, WhenRead
from journeymap.config import DEFAULT, Config
from journeymap.evidence.measure import measure_journey
from journeymap.evidence.rules import evidence_findings
from journeymap.findings import FileResult, Finding, sorted_findings
from journeymap.graph import JourneyGraph, build_graph
from journeymap.model import Journey
from journeymap.policy import reported

if TYPE_CHECKING:
    from journeymap.evidence.table import EvidenceFile


def analyse(journey: Journey, config: Config = DEFAULT, jg: JourneyGraph | None = None) -> Analysis:
    """Friction, promises and every `check` finding of one journey (with `accept:` and the
    config's severities applied), computed once."""
    jg = jg or build_graph(journey)
    with jg.sharing():  # the chain and the components, made once for promises and friction
        # a large journey's promises on another core while friction is scored here (beside.py)
        beside = promises_beside(jg) if journey.promises else None
        try:
            if beside is None:
                # (without promises, nothing to evaluate: its chain would be kept until the end)
                promises = evaluate_promises(jg) if journey.promises else []
                friction, friction_findings = score_friction(jg, config)
            else:
                friction, friction_findings = score_friction(jg, config)
                given = beside.result()
                promises = given if given is not None else evaluate_promises(jg)
        finally:
            if beside is not None:
                beside.close()
    found = [*check_recovery(jg), *scaled_shares(journey)]
    found += [f for _, findings in promises for f in findings] + friction_findings
    evidence = measure_journey(journey, config.evidence)
    found += evidence_findings(journey, evidence, config.evidence)
    findings = sorted_findings(reported(journey, found, config))
    return Analysis(journey, friction, tuple(result for result, _ in promises), findings, evidence,
                    WhenRead(lambda: by_factor(jg, friction, findings)))


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
    evidence: EvidenceFile | None = None  # the CSV of `report --evidence`, when one was joined

    @property
    def exit_code(self) -> int:
        """A report is informational: 1 only when a file could not be read as a journey, or a row
        of the evidence CSV could not be used."""
        bad_rows = self.evidence is not None and any(
            f.severity.value == "error" for f in self.evidence.findings)
        return 1 if bad_rows or any(r.analysis is None for r in self.journeys) else 0


def report_files(files: Iterable[str], config: Config = DEFAULT,
                 evidence_csv: str | None = None) -> ReportRun:
    """Validate and analyse each journey file (a broken file is reported, not raised), with the
    rows of ``evidence_csv`` joined to their touchpoints (raises TableError when unreadable)."""
    if evidence_csv is None:
        return ReportRun(tuple(_report_file(path, config) for path in files))
    from journeymap.evidence.table import read_table

    table = read_table(evidence_csv)
    reports = tuple(_report_file(path, config, table.attach) for path in files)
    return ReportRun(reports, table.result())


def _report_file(path: str, config: Config,
                 attach: Callable[[Journey], Journey] | None = None) -> JourneyReport:
    from journeymap.validate import validate_file

    return report_result(validate_file(path), config, attach)


def report_result(result: FileResult, config: Config = DEFAULT,
                  attach: Callable[[Journey], Journey] | None = None) -> JourneyReport:
    """The report of a file already validated (by path, or from bytes read elsewhere), with
    ``attach`` adding joined evidence to its journey."""
    path = result.file
    if result.journey is None:
        return JourneyReport(path, result.journey_id, result.findings)
    journey = attach(result.journey) if attach else result.journey
    analysis = analyse(journey, config)
    loading = reported(result.journey, result.findings, config)
    return JourneyReport(path, result.journey_id, sorted_findings([*loading, *analysis.findings]),
                         analysis)
