"""What the commands share: common options, settings, file selection and writing the result.

Kept apart from cli.py so that the commands read as wiring only. Imports stay light: anything heavy
is imported inside the function that needs it.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import TYPE_CHECKING, List, Optional

import typer

if TYPE_CHECKING:
    from journeymap.config import Config


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    gitlab = "gitlab"
    auto = "auto"


class FailOn(str, Enum):
    warning = "warning"
    error = "error"


PATHS = typer.Argument(..., metavar="PATH...", help="Journey files, or folders to search for *.yaml / *.yml.")
FORMAT = typer.Option(CheckFormat.text, "--format", "-f",
                      help="Output format; auto is github inside GitHub Actions, text elsewhere.")
OUTPUT = typer.Option(None, "--output", "-o", metavar="FILE", dir_okay=False,
                      help="Write the report to FILE; the summary still goes to the terminal.")
CONFIG = typer.Option(None, "--config", "-c", metavar="FILE", dir_okay=False,
                      help="Settings file. Default: journeymap.toml, or [tool.journeymap] in "
                      "pyproject.toml, in this folder or the nearest one above.")
JOBS = typer.Option(None, "--jobs", "-j", min=1, metavar="N",
                    help="Files checked at once, each in its own process (default: one per core; "
                    "1: all in this process). Output is in the same order either way.")
FAIL_ON = typer.Option(None, "--fail-on", case_sensitive=False,
                       help="Exit 1 on findings this severe or worse (default: error, or the "
                       "config's fail-on).")


def use_color(stream: object = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("NO_COLOR")


def fail_usage(message: str) -> typer.Exit:
    typer.echo(f"journeymap: error: {message}", err=True)
    return typer.Exit(2)


def load_settings(config_path: Optional[str], fail_on: Optional[FailOn]) -> Config:
    """The config file's settings (named, or found from here upwards), with --fail-on over them."""
    from dataclasses import replace

    from journeymap.config import ConfigError, load_config
    from journeymap.findings import Severity

    try:
        config = load_config(config_path)
    except ConfigError as bad:
        raise fail_usage(f"configuration: {bad}") from None
    return replace(config, fail_on=Severity(fail_on.value)) if fail_on else config


def selected_files(paths: List[str], config: Config) -> List[str]:
    """The journey files under ``paths`` that the config's include/exclude globs let through."""
    from journeymap.check import MissingPath, discover

    try:
        found = discover(paths)
    except MissingPath as missing:
        raise fail_usage(f"no such file or folder: {missing}") from None
    if not found:
        raise fail_usage("no journey files (*.yaml, *.yml) found in " + ", ".join(paths))
    files = [path for path in found if config.selects(path)]
    if not files:  # e.g. pre-commit passing only files the config excludes: nothing to do
        typer.echo(f"journeymap: nothing to check: {len(found)} file(s) excluded by {config.source}",
                   err=True)
        raise typer.Exit(0)
    return files


def report_format(output_format: CheckFormat) -> str:
    if output_format is CheckFormat.auto:
        return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    return str(output_format.value)


def write_report(report: str, output: Optional[str]) -> None:
    from journeymap.files import write_atomic

    try:
        if output:
            write_atomic(output, report)
        else:
            sys.stdout.write(report)
    except OSError as problem:
        raise fail_usage(f"cannot write {output}: {problem.strerror or problem}") from None
