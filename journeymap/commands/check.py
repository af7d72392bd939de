"""`validate` and `check`: every rule on every journey, in any of the CI formats."""

from __future__ import annotations

import typer
from typing import TYPE_CHECKING, List, Optional

from journeymap.commands.event_log import event_log_options
from journeymap.printable import printable
from journeymap.cli_support import (CONFIG, FAIL_ON, FORMAT, JOBS, OUTPUT, PATHS, PRETTY, CheckFormat, FailOn,
                                    fail_usage, load_settings, refuse_overwrite, report_format,
                                    selected_files, use_color, write_report, write_stdout)

if TYPE_CHECKING:
    from journeymap.config import Config
    from journeymap.findings import RunResult
    from journeymap.observe.command import Options as ObserveOptions


def run_checks(paths: List[str], rules: bool, output_format: CheckFormat, output: Optional[str] = None,
               config_path: Optional[str] = None, fail_on: Optional[FailOn] = None,
               baseline: Optional[str] = None, observed: Optional[List[str]] = None,
               undeclared_share: float = 0.05, jobs: Optional[int] = None, pretty: bool = False,
               log: Optional[ObserveOptions] = None) -> None:
    from journeymap.pipeline import check_files
    from journeymap.progress import progress
    from journeymap.report.text import summary

    config = load_settings(config_path, fail_on)
    files = selected_files(paths, config)
    refuse_overwrite(output, files)
    if baseline is not None:
        check_against(files, baseline, output_format, output, config, pretty)
    name = report_format(output_format)
    color = use_color() and not output
    # text to the terminal: each file's lines when ready (not with --observed, which adds to them)
    stream = name == "text" and not output and not observed

    with progress(len(files), "checking" if rules else "validating") as advance:
        def each(result) -> None:  # type: ignore[no-untyped-def]
            if stream:
                write_stdout(_finding_lines(result, color))
            advance()

        result = check_files(files, rules, config, jobs, each)
    if observed:  # JM501-JM503 against an event log (journeymap/observe)
        from journeymap.observe.checks import add_observed
        from journeymap.observe.command import ObserveError

        try:
            result, notes = add_observed(result, observed, config, undeclared_share, log)
        except ObserveError as bad:
            raise fail_usage(str(bad)) from None
        for note in notes:
            typer.echo(f"journeymap: note: {note}", err=True)
    if stream:
        write_stdout(summary(result) + "\n")
    else:
        write_report(report_text(name, result, color, pretty), output)
    if output or name == "github":  # the report is for machines; the summary is for people
        typer.echo(summary(result), err=True)
    raise typer.Exit(config.exit_code(result))


def _finding_lines(result, color: bool):  # type: ignore[no-untyped-def]
    """A file's finding lines, written a few hundred at a time (a large journey has one for
    most touchpoints: held whole, with its UTF-8 copy, they were 40 MB at 105,000 of them)."""
    from journeymap.printable import utf8
    from journeymap.report.text import finding_line

    def write(out) -> None:  # type: ignore[no-untyped-def]
        findings = result.findings
        for start in range(0, len(findings), 500):
            out.write(utf8("".join(finding_line(f, result.file, color) + "\n"
                                   for f in findings[start:start + 500])))
    return write


def report_text(name: str, result: RunResult, color: bool, pretty: bool) -> str:
    """The run in the format ``name``; JSON (json, sarif, gitlab) on one line unless ``pretty``."""
    from journeymap.report import REPORTERS
    from journeymap.report.registry import JSON_REPORTERS

    if name in JSON_REPORTERS:
        return JSON_REPORTERS[name](result, color, pretty)
    return REPORTERS[name](result, color)


def validate(paths: List[str] = PATHS, output_format: CheckFormat = FORMAT,
             output: Optional[str] = OUTPUT, config: Optional[str] = CONFIG,
             fail_on: Optional[FailOn] = FAIL_ON, jobs: Optional[int] = JOBS,
             pretty: bool = PRETTY) -> None:
    """Check journey files for format mistakes and unknown references (JM001–JM003).

    Every mistake in a file is reported, each with file, line and column. Exit code: 0 when no
    errors, 1 when a file has errors, 2 when the command could not run.

    \b
    Examples:
      journeymap validate journeys/
      journeymap validate --format json journeys/phone-repair.yaml
      journeymap validate --jobs 1 journeys/        one process, no pool
      journeymap validate --format json --pretty a.yaml   JSON indented, to read
    """
    run_checks(paths, False, output_format, output, config, fail_on, jobs=jobs, pretty=pretty)


def check_against(files: List[str], baseline: str, output_format: CheckFormat, output: Optional[str],
                  config: Config, pretty: bool = False) -> None:
    """`check --baseline`: only findings new against the baseline decide the exit code."""
    from journeymap.baseline.compare import compare
    from journeymap.baseline.load import BaselineError, load_baseline
    from journeymap.baseline.report import render, summary
    from journeymap.check import run

    try:
        entries = load_baseline(baseline, files, config)
    except BaselineError as problem:
        raise fail_usage(printable(str(problem))) from None
    compared = compare(run(files, rules=True, config=config), entries, baseline)
    name = report_format(output_format)
    write_report(render(compared, name, use_color() and not output, pretty), output)
    if output or name == "github":
        typer.echo(summary(compared), err=True)
    raise typer.Exit(config.exit_code(compared.new_only()))


@event_log_options
def check(paths: List[str] = PATHS, output_format: CheckFormat = FORMAT,
          output: Optional[str] = OUTPUT, config: Optional[str] = CONFIG,
          fail_on: Optional[FailOn] = FAIL_ON,
          baseline: Optional[str] = typer.Option(
              None, "--baseline", metavar="GITREF|FILE.json",
              help="Fail only on findings that are new against this baseline: a git revision "
              "(each journey is checked as it was there) or a saved `check --format json`. Text "
              "marks new findings; SARIF and JSON give each its baselineState."),
          observed: Optional[List[str]] = typer.Option(
              None, "--observed", metavar="EVENTS", help="An event log (file, folder or glob; "
              "repeat for more): also compare each journey with it (JM501-JM503)."),
          undeclared_share: float = typer.Option(
              0.05, "--undeclared-share", metavar="SHARE", help="JM502 when more than this share "
              "of cases make a move the journey does not declare."),
          log: Optional[ObserveOptions] = None,  # --case-column … --spark-master (event_log.py)
          jobs: Optional[int] = JOBS, pretty: bool = PRETTY) -> None:
    """Validate journeys, then run every rule: recovery paths, dead ends, promises, friction.

    A journey fails when a failure has no recovery path back to a satisfied customer (JM101), when
    it declares no failures (JM102), has dead ends (JM103) or no way to success (JM105).
    Run `journeymap rules` for the full list. Exit code: 0 no errors, 1 errors found, 2 the
    command could not run.

    \b
    Examples:
      journeymap check journeys/
      journeymap check --format json journeys/ > findings.json     one line
      journeymap check --format json --pretty journeys/   indented, to read
      journeymap check --format sarif --output journeymap.sarif journeys/
      journeymap check --fail-on warning --config ci/journeymap.toml journeys/
      journeymap check --baseline origin/main journeys/        only what this branch added
      journeymap check --baseline before.json --format sarif -o x.sarif journeys/
      journeymap check --observed events.parquet journeys/complaint.yaml
      journeymap check --observed crm.csv --case-column ticket --timestamp-column created a.yaml
      journeymap check --observed big/ --engine spark --spark-master spark://host:7077 a.yaml
      journeymap check --jobs 4 journeys/            four files at a time
    """
    run_checks(paths, True, output_format, output, config, fail_on, baseline, observed,
               undeclared_share, jobs, pretty, log if observed else None)
