"""What the commands share: common options, settings, file selection and writing the result.

Kept apart from the commands (journeymap/commands/) so that they read as wiring only. Imports stay light: anything heavy
is imported inside the function that needs it.
"""

from __future__ import annotations

import io
import os
import sys
from enum import Enum
from typing import TYPE_CHECKING, List, Optional

import typer

from journeymap.printable import printable

if TYPE_CHECKING:
    from journeymap.config import Config
    from journeymap.files import Data


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
                    "1: all in this process, a large journey's promises too). Output is the "
                    "same, in the same order, either way.")
PRETTY = typer.Option(False, "--pretty",
                      help="JSON output indented by two spaces, for people (default: one line).")
FAIL_ON = typer.Option(None, "--fail-on", case_sensitive=False,
                       help="Exit 1 on findings this severe or worse (default: error, or the "
                       "config's fail-on).")


def use_color(stream: object = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("NO_COLOR")


def fail_usage(message: str) -> typer.Exit:
    """Say why the command cannot run (on one line: names in it may come from files) → exit 2."""
    typer.echo(f"journeymap: error: {printable(message)}", err=True)
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
    from journeymap.check import MissingPath, find_journeys

    try:
        discovered = find_journeys(paths)
    except MissingPath as missing:
        raise fail_usage(f"no such file or folder: {printable(str(missing))}") from None
    for path, why in discovered.skipped:
        typer.echo(f"journeymap: skipped {printable(path)}: {why}, not a regular file", err=True)
    found = discovered.files
    if not found:
        raise fail_usage("no journey files (*.yaml, *.yml) found in " + ", ".join(map(printable, paths)))
    files = [path for path in found if config.selects(path)]
    if not files:  # e.g. pre-commit passing only files the config excludes: nothing to do
        typer.echo(f"journeymap: nothing to check: {len(found)} file(s) excluded by {config.source}",
                   err=True)
        raise typer.Exit(0)
    return files


def refuse_overwrite(output: Optional[str], files: List[str]) -> None:
    """A usage error when ``-o`` names one of the journeys being read (or a link to it)."""
    from journeymap.files import overwrites

    if output:
        journey = overwrites(output, files)
        if journey is not None:
            raise fail_usage(f"{printable(output)} would overwrite the journey file {printable(journey)}: "
                             "choose another output file")


def report_format(output_format: CheckFormat) -> str:
    if output_format is CheckFormat.auto:
        return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    return str(output_format.value)


def write_report(report: Data, output: Optional[str]) -> None:
    """``report`` to the file ``output`` (atomically), or to standard output when there is none.

    ``report`` is text, or a function that writes it as UTF-8 to a binary file as it is made
    (:data:`journeymap.files.Writer`), so that a large report is never held whole."""
    from journeymap.files import write_atomic

    if not output:
        write_stdout(report)
        return
    try:
        write_atomic(output, report)
    except OSError as problem:
        raise fail_usage(f"cannot write {printable(output)}: {problem.strerror or problem}") from None


def write_stdout(data: Data) -> None:
    """``data`` to standard output as UTF-8, whatever the locale (journeys are UTF-8 text); a
    function that writes data (:data:`journeymap.files.Writer`) writes straight to it.

    A failure (``> /dev/full``) is raised; :func:`journeymap.process.run_command` reports it.
    """
    from journeymap.printable import utf8

    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text-only stream, e.g. under a test harness
        if callable(data):
            held = io.BytesIO()
            data(held)
            data = held.getvalue()
        stream.write(data if isinstance(data, str) else data.decode("utf-8", "replace"))
    else:
        stream.flush()
        out = _WholeWrites(buffer) if isinstance(buffer, io.RawIOBase) else buffer
        if callable(data):
            data(out)
        else:
            out.write(utf8(data) if isinstance(data, str) else data)
    stream.flush()


class _WholeWrites:
    """Standard output unbuffered (``python -u``, PYTHONUNBUFFERED) is a raw file, whose
    ``write`` may write only part of the data (a pipe whose reader is slow or gone): write the
    rest too, so nothing is lost without an error."""

    def __init__(self, raw: io.RawIOBase) -> None:
        self.raw = raw

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        while view:
            written = self.raw.write(view)
            view = view[written or 0:]
        return len(data)
