"""The command line: parse options, call the core, hand the result to a reporter, exit.

Heavy modules (networkx, graphviz, rich) are imported inside the commands that need them, so
`journeymap --help`, `--version` and `validate` start fast.
"""

from __future__ import annotations

import gc
import os
import sys
from enum import Enum
from typing import TYPE_CHECKING, List, NamedTuple, Optional, Tuple

import typer

from journeymap import __version__
from journeymap.printable import printable
from journeymap.cli_support import (CONFIG, FAIL_ON, FORMAT, JOBS, OUTPUT, PATHS, CheckFormat, FailOn,
                                    fail_usage, load_settings, refuse_overwrite, report_format,
                                    selected_files, use_color, write_report, write_stdout)

if TYPE_CHECKING:
    from collections.abc import Callable

    from journeymap.analysis.analyse import ReportRun
    from journeymap.config import Config
    from journeymap.findings import Finding
    from journeymap.render import Options as RenderOptions

app = typer.Typer(
    name="journeymap",
    help="Customer journeys as checked, versioned files: validate them, score friction and "
    "broken promises, render maps, and gate CI.\n\n"
    "\b\nExamples:\n"
    "  journeymap init journeys/returns            a starter journey to edit\n"
    "  journeymap check journeys/                  every rule on every journey in a folder\n"
    "  journeymap check --format sarif -o x.sarif journeys/   findings for CI\n"
    "  journeymap report journeys/returns.yaml     friction, hotspots and promises, explained\n"
    "  journeymap render journeys/ -o maps/        a map (SVG) of every journey\n"
    "  journeymap render a.yaml --format html      a self-contained report\n"
    "  journeymap diff journeys/a.yaml --base origin/main   what a change does to the customer\n"
    "  journeymap export a.yaml --format mermaid   a Mermaid diagram (import: the way back)\n"
    "  journeymap serve journeys/                  live maps in the browser, for workshops\n"
    "  journeymap observe a.yaml events.parquet    the journey against an event log\n"
    "  journeymap simulate a.yaml -n 100 -o e.csv  an event log drawn from the journey\n"
    "  journeymap rules JM101                      what a rule means, with examples",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"journeymap {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """Customer journey mapping from YAML files."""


def run_checks(paths: List[str], rules: bool, output_format: CheckFormat, output: Optional[str] = None,
               config_path: Optional[str] = None, fail_on: Optional[FailOn] = None,
               baseline: Optional[str] = None, observed: Optional[List[str]] = None,
               undeclared_share: float = 0.05, jobs: Optional[int] = None) -> None:
    from journeymap.pipeline import check_files
    from journeymap.progress import progress
    from journeymap.report import REPORTERS
    from journeymap.report.text import finding_line, summary

    config = load_settings(config_path, fail_on)
    files = selected_files(paths, config)
    refuse_overwrite(output, files)
    if baseline is not None:
        check_against(files, baseline, output_format, output, config)
    name = report_format(output_format)
    color = use_color() and not output
    # text to the terminal: each file's lines when ready (not with --observed, which adds to them)
    stream = name == "text" and not output and not observed

    with progress(len(files), "checking" if rules else "validating") as advance:
        def each(result) -> None:  # type: ignore[no-untyped-def]
            if stream:
                write_stdout("".join(finding_line(f, result.file, color) + "\n"
                                     for f in result.findings))
            advance()

        result = check_files(files, rules, config, jobs, each)
    if observed:  # JM501-JM503 against an event log (journeymap/observe)
        from journeymap.observe.checks import add_observed
        from journeymap.observe.command import ObserveError

        try:
            result, notes = add_observed(result, observed, config, undeclared_share)
        except ObserveError as bad:
            raise fail_usage(str(bad)) from None
        for note in notes:
            typer.echo(f"journeymap: note: {note}", err=True)
    if stream:
        write_stdout(summary(result) + "\n")
    else:
        write_report(REPORTERS[name](result, color), output)
    if output or name == "github":  # the report is for machines; the summary is for people
        typer.echo(summary(result), err=True)
    raise typer.Exit(config.exit_code(result))


@app.command()
def validate(paths: List[str] = PATHS, output_format: CheckFormat = FORMAT,
             output: Optional[str] = OUTPUT, config: Optional[str] = CONFIG,
             fail_on: Optional[FailOn] = FAIL_ON, jobs: Optional[int] = JOBS) -> None:
    """Check journey files for format mistakes and unknown references (JM001–JM003).

    Every mistake in a file is reported, each with file, line and column. Exit code: 0 when no
    errors, 1 when a file has errors, 2 when the command could not run.

    \b
    Examples:
      journeymap validate journeys/
      journeymap validate --format json journeys/phone-repair.yaml
      journeymap validate --jobs 1 journeys/        one process, no pool
    """
    run_checks(paths, False, output_format, output, config, fail_on, jobs=jobs)


def check_against(files: List[str], baseline: str, output_format: CheckFormat, output: Optional[str],
                  config: Config) -> None:
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
    write_report(render(compared, name, use_color() and not output), output)
    if output or name == "github":
        typer.echo(summary(compared), err=True)
    raise typer.Exit(config.exit_code(compared.new_only()))


@app.command()
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
          jobs: Optional[int] = JOBS) -> None:
    """Validate journeys, then run every rule: recovery paths, dead ends, promises, friction.

    A journey fails when a failure has no recovery path back to a satisfied customer (JM101), when
    it declares no failures (JM102), has dead ends (JM103) or no way to success (JM105).
    Run `journeymap rules` for the full list. Exit code: 0 no errors, 1 errors found, 2 the
    command could not run.

    \b
    Examples:
      journeymap check journeys/
      journeymap check --format json journeys/ > findings.json
      journeymap check --format sarif --output journeymap.sarif journeys/
      journeymap check --fail-on warning --config ci/journeymap.toml journeys/
      journeymap check --baseline origin/main journeys/        only what this branch added
      journeymap check --baseline before.json --format sarif -o x.sarif journeys/
      journeymap check --observed events.parquet journeys/complaint.yaml
      journeymap check --jobs 4 journeys/            four files at a time
    """
    run_checks(paths, True, output_format, output, config, fail_on, baseline, observed,
               undeclared_share, jobs)


class ReportFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
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
           jobs: Optional[int] = JOBS) -> None:
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
      journeymap report --format json journeys/ > scores.json
      journeymap report --evidence survey-2025-q3.csv journeys/
      journeymap report --confidence 90% journeys/fridge-delivery.yaml
      journeymap report journeys/complaint.yaml --observed events.parquet
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
    compared = _observed_for_report(run, observed) if observed else {}
    if output_format is ReportFormat.json:
        from journeymap.report.analysis_json import render as render_json

        text = render_json(run)
    else:
        text = render_text(run, color, width)
    if compared:
        from journeymap.observe.attach import with_json, with_text

        text = with_json(text, compared) if output_format is ReportFormat.json else with_text(text, compared)
    write_report(text, output)
    raise typer.Exit(run.exit_code)


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


def _observed_for_report(run: ReportRun, observed: List[str]) -> dict:
    from journeymap.observe.attach import compare_all
    from journeymap.observe.command import ObserveError

    try:
        return compare_all(list(run.journeys), observed)
    except ObserveError as bad:
        raise fail_usage(str(bad)) from None


@app.command()
def rules(rule: Optional[str] = typer.Argument(None, metavar="[RULE]",
                                               help="A rule id such as JM101, to explain it.")) -> None:
    """List the rules `check` applies, or explain one with a bad and a good example.

    \b
    Examples:
      journeymap rules
      journeymap rules JM101
    """
    from journeymap.findings import RULES
    from journeymap.report.rules import explain, rule_table

    if rule is None:
        typer.echo(rule_table(RULES.values()), nl=False)
        return
    if rule.strip().upper() not in RULES:
        import difflib

        close = difflib.get_close_matches(rule.strip().upper(), list(RULES), n=1)
        hint = f"; did you mean {close[0]}?" if close else "; run `journeymap rules` for the list"
        raise fail_usage(f"no rule {printable(rule)}{hint}")
    typer.echo(explain(RULES[rule.strip().upper()]), nl=False)


@app.command()
def schema(output: Optional[str] = OUTPUT) -> None:
    """Print the JSON Schema (draft 2020-12) of the journey format, for editors.

    \b
    Examples:
      journeymap schema > journey.schema.json
      journeymap schema --output .vscode/journey.schema.json
    """
    from journeymap.jsonschema import render

    write_report(render(), output)


@app.command()
def init(name: Optional[str] = typer.Argument(None, metavar="[NAME]",
                                              help="File to create: NAME.yaml (default: journey.yaml).")) -> None:
    """Write a commented starter journey that passes `check`. Never overwrites a file.

    \b
    Examples:
      journeymap init
      journeymap init journeys/fridge-delivery
    """
    from journeymap.files import create_new
    from journeymap.init import command_arg, starter, target_path, write_schema_beside

    path = target_path(name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as problem:
        raise fail_usage(f"cannot write {printable(str(path))}: {problem.strerror or problem}") from None
    try:
        create_new(str(path), starter(path))
    except FileExistsError:
        raise fail_usage(f"{printable(str(path))} already exists; choose another NAME, or move it "
                         "away first") from None
    except OSError as problem:
        raise fail_usage(f"cannot write {printable(str(path))}: {problem.strerror or problem}") from None
    schema = write_schema_beside(path)
    also = f" and {printable(str(schema))} (for editors)" if schema else ""
    typer.echo(f"wrote {printable(str(path))}{also}; next: journeymap check "
               f"{printable(command_arg(path))}", err=True)


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command()
def diff(old: str = typer.Argument(..., metavar="OLD", help="The journey before (a file or a folder); "
                                   "with --base, the journey file to compare."),
         new: Optional[str] = typer.Argument(None, metavar="[NEW]", help="The journey after (a file or "
                                             "a folder); not given with --base."),
         base: Optional[str] = typer.Option(None, "--base", metavar="GITREF",
                                            help="Compare the file OLD with its version at this git "
                                            "revision (a branch, tag or commit: origin/main, HEAD~1)."),
         output_format: DiffFormat = typer.Option(DiffFormat.text, "--format", "-f",
                                                  help="text for the terminal; markdown for a pull-request "
                                                  "comment or job summary (tables and a Mermaid map); json."),
         tolerance: float = typer.Option(1.0, "--tolerance", min=0.0, metavar="PP",
                                         help="Percentage points a promise may lose before the diff "
                                         "counts it as worse."),
         output: Optional[str] = OUTPUT, config: Optional[str] = CONFIG) -> None:
    """Show what a change does to the customer: touchpoints, stages, failures, flows and promises
    added, removed, renamed or moved; friction, hotspots, promises and findings before and after.

    Folders compare the journeys in them matched by journey id. Exit code: 0 nothing got worse;
    1 something did (a new error finding, a new hotspot, or a promise less likely to be kept by
    more than --tolerance); 2 the command could not run (a missing file or git revision).

    \b
    Examples:
      journeymap diff old/refund.yaml journeys/refund.yaml
      journeymap diff journeys/refund.yaml --base origin/main --format markdown
      journeymap diff before/ journeys/ --format json --tolerance 0.5
    """
    from journeymap.diff import json_out, markdown, text
    from journeymap.diff.compare import diff_pairs
    from journeymap.diff.sources import DiffUsageError, at_revision, pairs_of, read_file

    settings = load_settings(config, None)
    try:
        if base is not None:
            if new is not None:
                raise DiffUsageError("with --base, give one journey file (it is compared with its "
                                     f"version at {base}), not OLD and NEW")
            pairs = [(at_revision(old, base), read_file(old))]
        elif new is None:
            raise DiffUsageError("give OLD and NEW, or one file with --base GITREF")
        else:
            pairs = pairs_of(old, new)
    except DiffUsageError as problem:
        raise fail_usage(printable(str(problem))) from None
    refuse_overwrite(output, [old] + ([new] if new else []))
    result = diff_pairs(pairs, tolerance, settings)
    reporters = {"text": text.render, "markdown": markdown.render, "json": json_out.render}
    write_report(reporters[output_format.value](result), output)
    raise typer.Exit(result.exit_code)


class ExportFormat(str, Enum):
    mermaid = "mermaid"
    mermaid_flowchart = "mermaid-flowchart"


@app.command()
def export(path: str = typer.Argument(..., metavar="FILE", help="The journey file to export."),
           output_format: ExportFormat = typer.Option(
               ExportFormat.mermaid, "--format", "-f",
               help="mermaid: a Mermaid `journey` (sections = stages, tasks = touchpoints, score "
               "from emotion, actors from owners); mermaid-flowchart: the flow with failures, "
               "recovery paths and hotspots."),
           output: Optional[str] = OUTPUT, config: Optional[str] = CONFIG) -> None:
    """Write a journey in another tool's language: Mermaid, which GitHub, GitLab and many wikis
    draw inline in Markdown.

    A journey that does not validate is reported on stderr (exit 1). Exit code: 0 written,
    1 not a valid journey, 2 could not run.

    \b
    Examples:
      journeymap export journeys/fridge-delivery.yaml > fridge.mmd
      journeymap export a.yaml --format mermaid-flowchart -o docs/a.mmd
    """
    from journeymap.check import validate_file
    from journeymap.mermaid.export import EXPORTERS

    settings = load_settings(config, None)
    if not os.path.isfile(path):
        raise fail_usage(f"no such file: {printable(path)}")
    refuse_overwrite(output, [path])
    result = validate_file(path)
    if result.journey is None:
        report_invalid(result.findings, path)
        raise typer.Exit(1)
    write_report(EXPORTERS[output_format.value](result.journey, settings), output)


@app.command("import")
def import_(path: str = typer.Argument(..., metavar="FILE", help="A Mermaid `journey` diagram (.mmd)."),
            output: Optional[str] = typer.Option(
                None, "--output", "-o", metavar="OUT",
                help="Where to write the journey YAML (- for standard output). Default: next to "
                "FILE, with the suffix .yaml; an existing file there is never overwritten.")) -> None:
    """Turn a Mermaid `journey` diagram into a journey file that validates: sections become
    stages, tasks touchpoints, scores emotions (1 angry … 5 delighted), actors owners.

    Mermaid has no failures, flow or promises: add them, and `journeymap check` says what is still
    missing. Exit code: 0 written, 1 the diagram could not be read, 2 could not run.

    \b
    Examples:
      journeymap import docs/onboarding.mmd          writes docs/onboarding.yaml
      journeymap import onboarding.mmd -o -          prints the YAML
    """
    from pathlib import Path

    from journeymap.files import create_new
    from journeymap.mermaid.importer import MermaidError, import_journey

    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as problem:
        raise fail_usage(f"cannot read {printable(path)}: {getattr(problem, 'strerror', None) or problem}") from None
    try:
        imported = import_journey(text, Path(path).stem.replace("-", " ").replace("_", " ").capitalize())
    except MermaidError as bad:
        hint = f" — {bad.hint}" if bad.hint else ""
        typer.echo(printable(f"{path}:{bad.line}: error: {bad.message}{hint}"), err=True)
        raise typer.Exit(1) from None
    for note in imported.notes:
        typer.echo(printable(f"journeymap: note: {path}: {note}"), err=True)
    if output is not None:
        refuse_overwrite(output, [path])
        write_report(imported.yaml, None if output == "-" else output)
        return
    target = str(Path(path).with_suffix(".yaml"))
    try:
        create_new(target, imported.yaml)
    except FileExistsError:
        raise fail_usage(f"{printable(target)} already exists; name another file with -o") from None
    except OSError as problem:
        raise fail_usage(f"cannot write {printable(target)}: {problem.strerror or problem}") from None
    typer.echo(f"wrote {printable(target)}; next: journeymap check {printable(target)}", err=True)


def report_invalid(findings: tuple[Finding, ...], file: str) -> None:
    """A journey that did not validate: its findings on stderr, then one line saying so."""
    from journeymap.report.text import finding_line

    for f in findings:
        typer.echo(finding_line(f, file, use_color(sys.stderr)), err=True)
    typer.echo(f"journeymap: {printable(file)} is not a valid journey", err=True)


class RenderFormat(str, Enum):
    svg = "svg"
    png = "png"
    pdf = "pdf"
    dot = "dot"
    html = "html"


class RenderView(str, Enum):
    map = "map"
    flow = "flow"


class PageSize(str, Enum):
    a4 = "a4"
    a3 = "a3"
    a2 = "a2"
    a1 = "a1"
    a0 = "a0"


@app.command()
def render(paths: List[str] = PATHS,
           out: Optional[str] = typer.Option(
               None, "--output", "-o", metavar="OUT",
               help="A file (one journey), a folder (created if needed; any OUT ending in / or "
               "without a suffix, or when there are several journeys), or - for standard output. "
               "Default: next to each journey, same name, new suffix."),
           watch: bool = typer.Option(
               False, "--watch", "-w", help="Keep running: re-draw a journey each time its file is "
               "saved (and draw new journeys that appear in a folder). A save that breaks the "
               "journey is reported and its old map stays. Ctrl-C stops."),
           output_format: Optional[RenderFormat] = typer.Option(
               None, "--format", "-f", help="svg (default), png, pdf, dot or html; when not given, "
               "the suffix of an OUT file decides (map.png)."),
           view: RenderView = typer.Option(
               RenderView.map, "--view", help="map (default): the journey map, stages across and "
               "lanes down (steps, emotion curve, pain points, opportunities, backstage…); flow: "
               "the flowchart of every path, failure and promise."),
           page: Optional[PageSize] = typer.Option(
               None, "--page", help="Scale the map to a landscape paper size: a4, a3, a2, a1 or "
               "a0 (a PDF at a3 is 420 × 297 mm; a PNG has the paper's shape)."),
           draft: bool = typer.Option(
               False, "--draft", help="Draw a journey that does not validate yet (blank values, "
               "unknown references): what is valid is drawn and each gap is marked on the map."),
           config: Optional[str] = CONFIG, jobs: Optional[int] = JOBS) -> None:
    """Draw each journey as a journey map: stages as columns; lanes for the steps, what the customer
    does and thinks, the emotion curve along the most likely path (branches dashed), pain points
    (the workshop's, hotspots, broken promises), opportunities and backstage. --view flow draws the
    flowchart instead. Or a self-contained HTML report with the map, the emotion curve, hotspots,
    promises and findings.

    Maps go next to each journey (journeys/a.yaml → journeys/a.svg) unless -o names a file or a
    folder. A journey that does not validate is reported on stderr and skipped (exit 1); the others are
    still drawn. Existing maps are replaced only by complete new ones. Needs Graphviz (`dot`),
    except for --format dot. Exit code: 0 all drawn, 1 a journey skipped, 2 could not run.

    \b
    Examples:
      journeymap render journeys/fridge-delivery.yaml       writes journeys/fridge-delivery.svg
      journeymap render --watch journeys/ -o maps/          re-draw each map on every save
      journeymap render journeys/ -o maps/ --format png     one PNG per journey, in maps/
      journeymap render a.yaml -o wall/a.pdf                the format from the suffix
      journeymap render a.yaml --format html -o a.html      the report, one file, no network
      journeymap render journeys/ --format html -o site/    a report each, and site/index.html
      journeymap render a.yaml --view flow                  the flowchart of every path
      journeymap render a.yaml -o wall/a.pdf --page a3      a poster, 420 × 297 mm
      journeymap render draft.yaml --draft -o wall.png      a half-finished wall, gaps marked
      journeymap render a.yaml --format dot -o - | dot -Kneato -n2 -Tsvg > a.svg
      journeymap render journeys/ -o maps/ --jobs 1         one map at a time
    """
    from journeymap.render.output import RenderError, find_dot
    from journeymap.render.portfolio import check_portfolio_names
    from journeymap.render.targets import TargetError, choose_format, is_folder, plan

    settings = load_settings(config, None)
    files = selected_files(paths, settings)
    fmt = choose_format(output_format.value if output_format else None, out)
    from journeymap.render import Options
    from journeymap.render.page import PAGES

    options = Options(view.value, PAGES[page.value] if page else None)
    if watch:
        watch_render(paths, files, out, fmt, settings, options, draft)
    try:
        targets = plan(files, out, fmt)
        if fmt == "html" and out not in (None, "-") and is_folder(out, len(files)):
            check_portfolio_names([target for _, target in targets])
        if fmt != "dot":
            find_dot()
    except (TargetError, RenderError) as problem:
        raise fail_usage(str(problem)) from None
    code = render_all(targets, fmt, settings, options, draft, jobs)
    if fmt == "html" and out not in (None, "-") and is_folder(out, len(files)):
        code = max(code, write_portfolio(targets, out, settings))
    raise typer.Exit(code)


def write_portfolio(targets: list[tuple[str, str]], folder: str, settings: Config) -> int:
    """index.html (and its sorted variants) over every journey rendered into ``folder``."""
    from journeymap.analysis.analyse import report_files
    from journeymap.render.output import write_atomic
    from journeymap.render.portfolio import portfolio_pages, row_of

    run = report_files([file for file, _ in targets], settings)
    rows = [row_of(report, os.path.basename(target)) for report, (_, target) in zip(run.journeys, targets)]
    try:
        for name, page in portfolio_pages(rows).items():
            write_atomic(os.path.join(folder, name), page)
    except OSError as problem:
        typer.echo(f"journeymap: error: cannot write the index in {printable(folder)}: "
                   f"{problem.strerror or problem}",
                   err=True)
        return 2
    typer.echo(f"wrote {printable(os.path.join(folder, 'index.html'))} ({len(rows)} journeys)", err=True)
    return 0


def render_all(targets: List[Tuple[str, str]], fmt: str, settings: Config,
               options: RenderOptions, draft: bool, jobs: Optional[int]) -> int:
    """Draw every journey (on ``jobs`` processes), reporting each in order; the worst exit code."""
    from functools import partial

    from journeymap.pipeline import in_order
    from journeymap.progress import progress

    draw = partial(draw_one, fmt=fmt, settings=settings, options=options, draft=draft,
                   color=use_color(sys.stderr))
    code = 0
    with progress(len(targets), "drawing") as advance:
        for drawn in in_order(draw, targets, jobs):
            code = max(code, show(drawn))
            advance()
    return code


class Drawn(NamedTuple):
    """What drawing one journey gives back to the process that reports it."""

    code: int  # the exit code this journey earns
    data: Optional[bytes]  # for standard output (`-o -`)
    messages: List[str]  # for stderr


def show(drawn: Drawn) -> int:
    for line in drawn.messages:
        typer.echo(line, err=True)
    if drawn.data is not None:
        write_stdout(drawn.data)  # a failure is raised: run_command says so, once
    return drawn.code


def render_one(file: str, target: str, fmt: str, settings: Config,
               options: RenderOptions | None = None, draft: bool = False) -> int:
    """Draw one journey to ``target`` (``-``: stdout); the exit code it earns."""
    return show(draw_one((file, target), fmt, settings, options, draft, use_color(sys.stderr)))


def draw_one(planned: Tuple[str, str], fmt: str, settings: Config,
             options: RenderOptions | None = None, draft: bool = False, color: bool = False) -> Drawn:
    """Draw one journey to its target (``-``: the data comes back for stdout), in any process."""
    from journeymap.render import Options, render_file
    from journeymap.render.output import RenderError, write_atomic
    from journeymap.report.text import finding_line

    file, target = planned
    try:
        rendered = render_file(file, fmt, settings, options or Options(), draft)
        lines = [finding_line(f, file, color) for f in rendered.result.findings]
        if rendered.data is None:
            return Drawn(1, None, [*lines, f"journeymap: skipped {printable(file)}: it is not a "
                                   "valid journey"])
        lines = (lines if draft else []) + [f"journeymap: note: {printable(file)}: {note}"
                                            for note in rendered.notes]
        if target == "-":
            return Drawn(0, rendered.data, lines)
        os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
        write_atomic(target, rendered.data)
    except RenderError as problem:
        return Drawn(2, None, [f"journeymap: error: {printable(file)}: {printable(str(problem))}"])
    except OSError as problem:
        return Drawn(2, None, [f"journeymap: error: cannot write {printable(target)}: "
                               f"{problem.strerror or problem}"])
    return Drawn(0, None, [*lines, f"wrote {printable(target)}"])


def watch_render(paths: List[str], files: List[str], out: Optional[str], fmt: str,
                 settings: Config, options: RenderOptions | None = None, draft: bool = False) -> None:
    """`render --watch`: draw every journey, then each one again when it is saved, until Ctrl-C."""
    import threading

    from journeymap.render.output import RenderError, find_dot
    from journeymap.render.targets import TargetError, is_folder, plan
    from journeymap.serve.app import stop_on_terminate
    from journeymap.serve.rerender import rerender

    if out == "-":
        raise fail_usage("--watch re-writes files: give -o a file or a folder, not -")
    try:
        plan(files, out, fmt)
        if fmt != "dot":
            find_dot()
    except (TargetError, RenderError) as problem:
        raise fail_usage(str(problem)) from None
    stop = threading.Event()
    stop_on_terminate(stop)
    portfolio = fmt == "html" and out is not None and is_folder(out, len(files))
    rerender(paths, settings.selects, out, fmt,
             lambda file, target: render_one(file, target, fmt, settings, options, draft),
             stop, log=lambda message: typer.echo(f"journeymap: {printable(message)}", err=True),
             after=(lambda targets: write_portfolio(targets, str(out), settings)) if portfolio else None)
    raise typer.Exit(0)


@app.command()
def serve(path: str = typer.Argument(".", metavar="[PATH]",
                                     help="A journey file, or a folder of them (default: here)."),
          port: Optional[int] = typer.Option(
              None, "--port", "-p", min=0, max=65535,
              help="Port to listen on. Default: the first free one from 8000 on; a port given "
              "here that is taken is an error."),
          host: str = typer.Option(
              "127.0.0.1", "--host", help="Address to listen on. Default 127.0.0.1: this machine "
              "only. Another address (0.0.0.0: every network) shows the journeys to the network."),
          open_browser: bool = typer.Option(False, "--open", help="Open the page in the browser."),
          config: Optional[str] = CONFIG) -> None:
    """Workshop mode: a local web page of every journey under PATH that re-draws itself as files
    are saved. Each journey's page shows its map (the one `render` draws), its findings with
    file:line:col and hints, its hotspots and promises. A save that breaks a journey keeps the
    last good map on the wall and shows the errors above it. Ctrl-C stops.

    \b
    Examples:
      journeymap serve journeys/                 prints the address, e.g. http://127.0.0.1:8000/
      journeymap serve journeys/returns.yaml --open
      journeymap serve --port 9000 .
      journeymap serve --host 0.0.0.0 journeys/  visible to everyone on the network
    """
    import threading

    from journeymap.serve.app import CannotListen, is_loopback, stop_on_terminate
    from journeymap.serve.app import serve as serve_journeys

    settings = load_settings(config, None)
    if not os.path.exists(path):
        raise fail_usage(f"no such file or folder: {path}")
    if not is_loopback(host):
        typer.echo(f"journeymap serve: warning: listening on {host}: anyone who can reach this "
                   "machine on the network can read these journeys", err=True)
    stop = threading.Event()
    stop_on_terminate(stop)
    try:
        serve_journeys(path, host, port, settings, stop=stop, open_browser=open_browser,
                       announce=lambda url: typer.echo(f"journeymap serve: {url} (Ctrl-C to stop)"),
                       log=lambda message: typer.echo(f"journeymap serve: {printable(message)}", err=True))
    except CannotListen as problem:
        raise fail_usage(str(problem)) from None
    typer.echo("journeymap serve: stopped", err=True)


class ObserveFormat(str, Enum):
    text = "text"
    json = "json"


class ObserveEngine(str, Enum):
    duckdb = "duckdb"
    spark = "spark"


@app.command()
def simulate(journey: str = typer.Argument(..., metavar="JOURNEY", help="A journey file."),
             cases: int = typer.Option(..., "--cases", "-n", help="How many cases (customers) to draw."),
             output: str = typer.Option(..., "--output", "-o", metavar="EVENTS",
                                        help="The log to write: .parquet, .csv or .jsonl."),
             seed: Optional[int] = typer.Option(None, "--seed", help="Random seed, for a log that "
                                                "is the same on every run."),
             jitter: float = typer.Option(0.0, "--jitter", metavar="F", help="Spread each declared "
                                          "time by a factor drawn from [1-F, 1+F] (median kept)."),
             max_events: int = typer.Option(1000, "--max-events", help="Cut a case after this many "
                                            "events (it stays open in the log).")) -> None:
    """Draw an event log from the journey as declared: the Markov chain the scores use (shares of
    flows and failures) and the declared waits and durations. One row per event: case_id,
    activity, timestamp, channel, owner. The file is replaced only by a complete new one.

    \b
    Examples:
      journeymap simulate journeys/complaint-eight-weeks.yaml --cases 100000 -o events.parquet
      journeymap simulate a.yaml -n 1000 --seed 7 --jitter 0.3 -o events.csv
      journeymap observe a.yaml events.parquet        compare the journey with the log
    """
    from journeymap.observe.command import ObserveError, load_journey, simulate_to

    try:
        written, cut = simulate_to(load_journey(journey), cases, output, seed, jitter, max_events)
    except ObserveError as bad:
        typer.echo(f"journeymap: error: {bad}" if bad.exit_code == 2 else str(bad), err=True)
        raise typer.Exit(bad.exit_code) from None
    more = f"; {cut:,} cases cut after {max_events:,} events (still open)" if cut else ""
    typer.echo(f"wrote {output}: {written:,} events of {cases:,} cases{more}", err=True)


@app.command()
def observe(journey: str = typer.Argument(..., metavar="JOURNEY", help="A journey file."),
            events: List[str] = typer.Argument(..., metavar="EVENTS...", help="Event log files "
                                               "(.parquet, .csv, .jsonl), folders or globs."),
            output_format: ObserveFormat = typer.Option(ObserveFormat.text, "--format", "-f",
                                                        help="text for people, json for tools."),
            output: Optional[str] = OUTPUT,
            case_column: Optional[str] = typer.Option(None, "--case-column", metavar="NAME",
                                                      help="Default: case_id or case:concept:name."),
            activity_column: Optional[str] = typer.Option(None, "--activity-column", metavar="NAME",
                                                          help="Default: activity or concept:name."),
            timestamp_column: Optional[str] = typer.Option(None, "--timestamp-column", metavar="NAME",
                                                           help="Default: timestamp or time:timestamp."),
            engine: ObserveEngine = typer.Option(ObserveEngine.duckdb, "--engine",
                                                 help="duckdb (embedded) or spark (PySpark)."),
            memory_limit: Optional[str] = typer.Option(None, "--memory-limit", metavar="SIZE",
                                                       help="e.g. 4GB: DuckDB spills to disk past it; "
                                                       "Spark's driver memory."),
            spark_master: Optional[str] = typer.Option(None, "--spark-master", metavar="URL",
                                                       help="Default local[*], or Spark Connect "
                                                       "when SPARK_REMOTE is set."),
            calibrate: Optional[str] = typer.Option(None, "--calibrate", metavar="OUT.yaml",
                                                    help="Write the journey with the observed "
                                                    "shares and median times, comments kept.")) -> None:
    """Check a journey against an event log: visits, shares of flows and failures with 95%
    intervals, moves the journey does not declare, times between steps, promises kept in time,
    how cases end, fitness and the top variants (docs/observe.md).

    Activities match touchpoints by id, by name, or by a touchpoint's `observed_as` names.
    Exit code: 0 when compared, 1 when the journey is not valid, 2 when the log cannot be read.

    \b
    Examples:
      journeymap observe journeys/complaint-eight-weeks.yaml events.parquet
      journeymap observe a.yaml logs/ --format json -o observed.json
      journeymap observe a.yaml 'exports/*.csv' --case-column ticket --timestamp-column created
      journeymap observe a.yaml big/ --engine spark --spark-master spark://host:7077
      journeymap observe a.yaml events.parquet --calibrate a.observed.yaml
    """
    from journeymap.observe.command import ObserveError, Options, load_journey
    from journeymap.observe.command import observe as run_observe

    options = Options({"case": case_column, "activity": activity_column,
                       "timestamp": timestamp_column}, engine.value, memory_limit, spark_master)
    try:
        model = load_journey(journey)
        result = run_observe(model, events, options)
        if calibrate:
            from journeymap.observe.calibrate import write_calibrated

            write_calibrated(journey, result, model, calibrate)
    except ObserveError as bad:
        typer.echo(f"journeymap: error: {bad}" if bad.exit_code == 2 else str(bad), err=True)
        raise typer.Exit(bad.exit_code) from None
    from journeymap.observe.report import render_json, render_text

    text = render_json([result]) if output_format is ObserveFormat.json else render_text(result)
    write_report(text, output)
    if calibrate:
        typer.echo(f"wrote {calibrate}", err=True)


def main() -> None:
    # A run builds a few large trees of small objects (YAML nodes, the model, the graph) that hold
    # no reference cycles; collecting every 700 allocations, Python's default, took a third of
    # `check` on a 20,000-touchpoint journey and made time grow faster than size (performance.md)
    gc.set_threshold(50_000, 20, 20)
    from journeymap.process import run_command

    # signals, a failing stdout (`> /dev/full`) and a closed pipe end in one line and an exit code
    sys.exit(run_command(app))
