"""`export` and `import`: journeys to and from Mermaid."""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import TYPE_CHECKING, Optional

import typer

from journeymap.printable import printable
from journeymap.cli_support import (CONFIG, OUTPUT, fail_usage, load_settings, refuse_overwrite,
                                    use_color, write_report)

if TYPE_CHECKING:
    from journeymap.findings import Finding


class ExportFormat(str, Enum):
    mermaid = "mermaid"
    mermaid_flowchart = "mermaid-flowchart"


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
