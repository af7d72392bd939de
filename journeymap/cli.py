"""The command line: parse options, call the core, hand the result to a reporter, exit.

Heavy modules (networkx, graphviz, rich) are imported inside the commands that need them, so
`journeymap --help`, `--version` and `validate` start fast.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import List, Optional

import typer

from journeymap import __version__

app = typer.Typer(
    name="journeymap",
    help="Customer journeys as checked, versioned files: validate them, score friction and "
    "broken promises, render maps, and gate CI.\n\n"
    "\b\nExamples:\n"
    "  journeymap check journeys/            check every journey under a folder\n"
    "  journeymap check --format json a.yaml   machine-readable findings\n"
    "  journeymap validate a.yaml            format and references only (fast)",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class CheckFormat(str, Enum):
    text = "text"
    json = "json"


PATHS = typer.Argument(..., metavar="PATH...", help="Journey files, or folders to search for *.yaml / *.yml.")
FORMAT = typer.Option(CheckFormat.text, "--format", "-f", help="Output format.")


def use_color(stream: object = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("NO_COLOR")


def fail_usage(message: str) -> typer.Exit:
    typer.echo(f"journeymap: error: {message}", err=True)
    return typer.Exit(2)


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


def run_checks(paths: List[str], rules: bool, output_format: CheckFormat) -> None:
    from journeymap.check import MissingPath, discover, run
    from journeymap.report import REPORTERS

    try:
        if not discover(paths):
            raise fail_usage("no journey files (*.yaml, *.yml) found in " + ", ".join(paths))
        result = run(paths, rules=rules)
    except MissingPath as missing:
        raise fail_usage(f"no such file or folder: {missing}") from None
    sys.stdout.write(REPORTERS[output_format.value](result, use_color()))
    raise typer.Exit(result.exit_code)


@app.command()
def validate(paths: List[str] = PATHS, output_format: CheckFormat = FORMAT) -> None:
    """Check journey files for format mistakes and unknown references (JM001–JM003).

    Every mistake in a file is reported, each with file, line and column. Exit code: 0 when no
    errors, 1 when a file has errors, 2 when the command could not run.

    \b
    Examples:
      journeymap validate journeys/
      journeymap validate --format json journeys/phone-repair.yaml
    """
    run_checks(paths, rules=False, output_format=output_format)


@app.command()
def check(paths: List[str] = PATHS, output_format: CheckFormat = FORMAT) -> None:
    """Validate journeys, then run every rule: recovery paths, dead ends, promises, friction.

    A journey fails when a failure has no recovery path back to a satisfied customer (JM101), when
    it declares no failures (JM102), has dead ends (JM103) or no way to success (JM105).
    Run `journeymap rules` for the full list. Exit code: 0 no errors, 1 errors found, 2 the
    command could not run.

    \b
    Examples:
      journeymap check journeys/
      journeymap check --format json journeys/ > findings.json
    """
    run_checks(paths, rules=True, output_format=output_format)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:  # e.g. `journeymap check … | head`
        sys.stderr.close()
        sys.exit(1)
