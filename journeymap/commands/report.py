"""`report`: friction, hotspots, promises and evidence, a page per journey or JSON."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, List, Optional

import typer

from journeymap.cli_support import (CONFIG, JOBS, OUTPUT, PATHS, PRETTY, fail_usage, load_settings,
                                    refuse_overwrite, selected_files, use_color, write_report,
                                    write_stdout)
from journeymap.commands.event_log import event_log_options

if TYPE_CHECKING:
    from collections.abc import Callable

    from journeymap.analysis.analyse import ReportRun
    from journeymap.config import Config
    from journeymap.files import Data
    from journeymap.observe.command import Options as ObserveOptions


class ReportFormat(str, Enum):
    text = "text"
    json = "json"


@event_log_options
def report(paths: List[str] = PATHS,
           output_format: ReportFormat = typer.Option(ReportFormat.text, "--format", "-f",
                                                      help="text: a page per journey for the "
                                                      "terminal; json: one document for tools."),
           output: Optional[str] = OUTPUT, config: Optional[str] = CONFIG,
           evidence: Optional[str] = typer.Option(
               None, "--evidence", "-e", metavar="FILE.csv", dir_okay=False,
               help="Join survey figures from a CSV to the touchpoints: columns touchpoint, metric, "
               "then counts (responses, satisfied, promoters, passives, detractors, distribution) "
               "or mean, sd; optional journey, source, period, scale (docs/evidence.md)."),
           confidence: Optional[str] = typer.Option(
               None, "--confidence", metavar="LEVEL",
               help="Confidence level of the evidence intervals, e.g. 0.9 or 99% (default: the "
               "config's, else 95%)."),
           observed: Optional[List[str]] = typer.Option(
               None, "--observed", metavar="EVENTS", help="An event log (file, folder or glob; "
               "repeat for more): add each journey's comparison with it (journeymap observe)."),
           log: Optional[ObserveOptions] = None,  # --case-column … --spark-master (event_log.py)
           jobs: Optional[int] = JOBS, pretty: bool = PRETTY) -> None:
    """Score each journey: friction per touchpoint and stage, hotspots and why, promises kept or
    broken (with the share of customers and the fastest time against the promise), survey
    evidence with its margins of error, friction by the four factors, and findings.

    Friction weights and the hotspot threshold come from the config file (docs/scoring.md).
    A report is informational: exit code 0 even when it shows error findings (use `check` to gate
    CI); 1 when a file is not a valid journey and could not be scored, or a row of the evidence
    CSV could not be used; 2 when the command could not run.

    \b
    Examples:
      journeymap report journeys/technician-visit.yaml
      NO_COLOR=1 journeymap report journeys/ | less
      journeymap report --format json journeys/ > scores.json     one line
      journeymap report --format json --pretty a.yaml      indented, to read
      journeymap report --evidence survey-2025-q3.csv journeys/
      journeymap report --confidence 90% journeys/fridge-delivery.yaml
      journeymap report journeys/complaint.yaml --observed events.parquet
      journeymap report a.yaml --observed big.parquet --memory-limit 4GB
      journeymap report --jobs 2 journeys/
    """
    import shutil

    from journeymap.evidence.table import TableError

    settings = with_confidence(load_settings(config, None), confidence)
    files = selected_files(paths, settings)
    refuse_overwrite(output, files + ([evidence] if evidence else []))
    color = use_color() and not output
    width = shutil.get_terminal_size((80, 24)).columns if color else 80
    # a page per journey when ready; not with --evidence (its own page comes first) or --observed
    # (it adds to the pages)
    stream = output_format is ReportFormat.text and not output and not evidence and not observed
    if output_format is ReportFormat.text:
        from journeymap.report.terminal import render as render_text
    try:
        run = score_files(files, settings, evidence, jobs,
                          (lambda page: write_stdout(render_text(page, color, width))) if stream else None)
    except TableError as problem:
        raise fail_usage(f"--evidence: {problem}") from None
    if stream:
        raise typer.Exit(run.exit_code)
    compared = _observed_for_report(run, observed, log) if observed and log else {}
    write_report(_report_data(run, output_format, pretty, color, width, compared), output)
    raise typer.Exit(run.exit_code)


def _report_data(run: ReportRun, output_format: ReportFormat, pretty: bool, color: bool, width: int,
                 compared: dict) -> Data:
    """The report's text; JSON without --observed as a function that writes it as it is made (a
    large journey's report is never held whole)."""
    as_json = output_format is ReportFormat.json
    if as_json:
        from journeymap.report.analysis_json import render as render_json, write as write_json

        if not compared:
            return lambda out: write_json(run, out, pretty)
        text = render_json(run, pretty=pretty)
    else:
        from journeymap.report.terminal import render as render_text

        text = render_text(run, color, width)
    if not compared:
        return text
    from journeymap.observe.attach import with_json, with_text

    return with_json(text, compared, pretty) if as_json else with_text(text, compared)


def score_files(files: List[str], settings: Config, evidence: Optional[str], jobs: Optional[int],
                page: Optional[Callable[[ReportRun], None]]) -> ReportRun:
    """Every journey's report, on ``jobs`` processes with a progress bar (``page`` sees each
    journey's as it is ready); with ``--evidence``, in one process, since the CSV's rows are
    joined across all the files."""
    from journeymap.analysis.analyse import ReportRun, report_files
    from journeymap.pipeline import report_files as report_in_parallel
    from journeymap.progress import progress

    if evidence is not None:
        return report_files(files, settings, evidence)
    with progress(len(files), "scoring") as advance:
        def each(journey_report) -> None:  # type: ignore[no-untyped-def]
            if page:
                page(ReportRun((journey_report,)))
            advance()

        return report_in_parallel(files, settings, jobs, each)


def with_confidence(settings: Config, level: Optional[str]) -> Config:
    """The settings with --confidence over the config's evidence confidence."""
    if level is None:
        return settings
    from dataclasses import replace

    from journeymap.evidence.settings import parse_confidence
    from journeymap.values import BadValue

    text = level.strip()
    try:
        value = parse_confidence(text if text.endswith("%") else float(text))
    except (BadValue, ValueError):
        raise fail_usage(f"--confidence {level}: give a level such as 0.95 or 90%") from None
    return replace(settings, evidence=replace(settings.evidence, confidence=value))


def _observed_for_report(run: ReportRun, observed: List[str], log: ObserveOptions) -> dict:
    from journeymap.observe.attach import compare_all
    from journeymap.observe.command import ObserveError

    try:
        return compare_all(list(run.journeys), observed, log)
    except ObserveError as bad:
        raise fail_usage(str(bad)) from None
