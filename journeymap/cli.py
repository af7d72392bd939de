"""The command line: parse options, call the core, hand the result to a reporter, exit.

Heavy modules (networkx, graphviz, rich) are imported inside the commands that need them, so
`journeymap --help`, `--version` and `validate` start fast.
"""

from __future__ import annotations

import gc
import os
import sys
from enum import Enum
from typing import TYPE_CHECKING, List, Optional

import typer

from journeymap import __version__
from journeymap.cli_support import (CONFIG, FAIL_ON, FORMAT, OUTPUT, PATHS, CheckFormat, FailOn,
                                    fail_usage, load_settings, report_format, selected_files,
                                    use_color, write_report)

if TYPE_CHECKING:
    from journeymap.config import Config

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
               config_path: Optional[str] = None, fail_on: Optional[FailOn] = None) -> None:
    from journeymap.check import run
    from journeymap.report import REPORTERS
    from journeymap.report.text import summary

    config = load_settings(config_path, fail_on)
    result = run(selected_files(paths, config), rules=rules, config=config)
    name = report_format(output_format)
    write_report(REPORTERS[name](result, use_color() and not output), output)
    if output or name == "github":  # the report is for machines; the summary is for people
        typer.echo(summary(result), err=True)
    raise typer.Exit(config.exit_code(result))


@app.command()
def validate(paths: List[str] = PATHS, output_format: CheckFormat = FORMAT,
             output: Optional[str] = OUTPUT, config: Optional[str] = CONFIG,
             fail_on: Optional[FailOn] = FAIL_ON) -> None:
    """Check journey files for format mistakes and unknown references (JM001–JM003).

    Every mistake in a file is reported, each with file, line and column. Exit code: 0 when no
    errors, 1 when a file has errors, 2 when the command could not run.

    \b
    Examples:
      journeymap validate journeys/
      journeymap validate --format json journeys/phone-repair.yaml
    """
    run_checks(paths, False, output_format, output, config, fail_on)


@app.command()
def check(paths: List[str] = PATHS, output_format: CheckFormat = FORMAT,
          output: Optional[str] = OUTPUT, config: Optional[str] = CONFIG,
          fail_on: Optional[FailOn] = FAIL_ON) -> None:
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
    """
    run_checks(paths, True, output_format, output, config, fail_on)


class ReportFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
def report(paths: List[str] = PATHS,
           output_format: ReportFormat = typer.Option(ReportFormat.text, "--format", "-f",
                                                      help="text: a page per journey for the "
                                                      "terminal; json: one document for tools."),
           output: Optional[str] = OUTPUT, config: Optional[str] = CONFIG) -> None:
    """Score each journey: friction per touchpoint and stage, hotspots and why, promises kept or
    broken (with the share of customers and the fastest time against the promise), and findings.

    Friction weights and the hotspot threshold come from the config file (docs/scoring.md).
    A report is informational: exit code 0 even when it shows error findings (use `check` to gate
    CI); 1 when a file is not a valid journey and could not be scored; 2 when the command could
    not run.

    \b
    Examples:
      journeymap report journeys/technician-visit.yaml
      NO_COLOR=1 journeymap report journeys/ | less
      journeymap report --format json journeys/ > scores.json
    """
    import shutil

    from journeymap.analysis.analyse import report_files

    settings = load_settings(config, None)
    run = report_files(selected_files(paths, settings), settings)
    if output_format is ReportFormat.json:
        from journeymap.report.analysis_json import render as render_json

        text = render_json(run)
    else:
        from journeymap.report.terminal import render as render_text

        color = use_color() and not output
        width = shutil.get_terminal_size((80, 24)).columns if color else 80
        text = render_text(run, color, width)
    write_report(text, output)
    raise typer.Exit(run.exit_code)


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
        raise fail_usage(f"no rule {rule}{hint}")
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
        raise fail_usage(f"cannot write {path}: {problem.strerror or problem}") from None
    try:
        create_new(str(path), starter(path))
    except FileExistsError:
        raise fail_usage(f"{path} already exists; choose another NAME, or move it away first") from None
    except OSError as problem:
        raise fail_usage(f"cannot write {path}: {problem.strerror or problem}") from None
    schema = write_schema_beside(path)
    also = f" and {schema} (for editors)" if schema else ""
    typer.echo(f"wrote {path}{also}; next: journeymap check {command_arg(path)}", err=True)


class RenderFormat(str, Enum):
    svg = "svg"
    png = "png"
    pdf = "pdf"
    dot = "dot"
    html = "html"


@app.command()
def render(paths: List[str] = PATHS,
           out: Optional[str] = typer.Option(
               None, "--output", "-o", metavar="OUT",
               help="A file (one journey), a folder (created if needed; any OUT ending in / or "
               "without a suffix, or when there are several journeys), or - for standard output. "
               "Default: next to each journey, same name, new suffix."),
           output_format: Optional[RenderFormat] = typer.Option(
               None, "--format", "-f", help="svg (default), png, pdf, dot or html; when not given, "
               "the suffix of an OUT file decides (map.png)."),
           config: Optional[str] = CONFIG) -> None:
    """Draw each journey as a map: stages as columns, friction as colour, failures, recovery paths
    and promises as edges. Or a self-contained HTML report with the map, hotspots, promises,
    findings and the emotion curve.

    Maps go next to each journey (journeys/a.yaml → journeys/a.svg) unless -o names a file or a
    folder. A journey that does not validate is reported on stderr and skipped (exit 1); the others are
    still drawn. Existing maps are replaced only by complete new ones. Needs Graphviz (`dot`),
    except for --format dot. Exit code: 0 all drawn, 1 a journey skipped, 2 could not run.

    \b
    Examples:
      journeymap render journeys/fridge-delivery.yaml       writes journeys/fridge-delivery.svg
      journeymap render journeys/ -o maps/ --format png     one PNG per journey, in maps/
      journeymap render a.yaml -o wall/a.pdf                the format from the suffix
      journeymap render a.yaml --format html -o a.html      the report, one file, no network
      journeymap render a.yaml --format dot -o - | dot -Tsvg > a.svg
    """
    from journeymap.render.output import RenderError, find_dot
    from journeymap.render.targets import TargetError, choose_format, plan

    settings = load_settings(config, None)
    files = selected_files(paths, settings)
    fmt = choose_format(output_format.value if output_format else None, out)
    try:
        targets = plan(files, out, fmt)
        if fmt != "dot":
            find_dot()
    except (TargetError, RenderError) as problem:
        raise fail_usage(str(problem)) from None
    raise typer.Exit(max(render_one(file, target, fmt, settings) for file, target in targets))


def render_one(file: str, target: str, fmt: str, settings: Config) -> int:
    """Draw one journey to ``target`` (``-``: stdout); the exit code it earns."""
    from journeymap.render import render_file
    from journeymap.render.output import RenderError, write_atomic
    from journeymap.report.text import finding_line

    try:
        rendered = render_file(file, fmt, settings)
        if rendered.data is None:
            for f in rendered.result.findings:
                typer.echo(finding_line(f, file, use_color(sys.stderr)), err=True)
            typer.echo(f"journeymap: skipped {file}: it is not a valid journey", err=True)
            return 1
        for note in rendered.notes:
            typer.echo(f"journeymap: note: {file}: {note}", err=True)
        if target == "-":
            typer.echo(rendered.data, nl=False)
            return 0
        os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
        write_atomic(target, rendered.data)
    except RenderError as problem:
        typer.echo(f"journeymap: error: {file}: {problem}", err=True)
        return 2
    except OSError as problem:
        typer.echo(f"journeymap: error: cannot write {target}: {problem.strerror or problem}", err=True)
        return 2
    typer.echo(f"wrote {target}", err=True)
    return 0


def main() -> None:
    # A run builds a few large trees of small objects (YAML nodes, the model, the graph) that hold
    # no reference cycles; collecting every 700 allocations, Python's default, took a third of
    # `check` on a 20,000-touchpoint journey and made time grow faster than size (performance.md)
    gc.set_threshold(50_000, 20, 20)
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:  # e.g. `journeymap check … | head`
        sys.stderr.close()
        sys.exit(1)
