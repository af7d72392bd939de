"""`diff`: what a change to a journey does to the customer."""

from __future__ import annotations

from enum import Enum
from typing import Optional

import typer

from journeymap.printable import printable
from journeymap.cli_support import CONFIG, OUTPUT, PRETTY, fail_usage, load_settings, refuse_overwrite, write_report


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


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
         output: Optional[str] = OUTPUT, config: Optional[str] = CONFIG, pretty: bool = PRETTY) -> None:
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
      journeymap diff old.yaml new.yaml --format json --pretty   indented, to read
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
    reporters = {"text": text.render, "markdown": markdown.render,
                 "json": lambda result: json_out.render(result, pretty)}
    write_report(reporters[output_format.value](result), output)
    raise typer.Exit(result.exit_code)
