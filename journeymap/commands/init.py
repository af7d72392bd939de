"""`init`: a commented starter journey."""

from __future__ import annotations

from typing import Optional

import typer

from journeymap.printable import printable
from journeymap.cli_support import fail_usage


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
