"""`rules` and `schema`: what the format and its rules are, for people and editors."""

from __future__ import annotations

from typing import Optional

import typer

from journeymap.printable import printable
from journeymap.cli_support import OUTPUT, PRETTY, fail_usage, write_report


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


def schema(output: Optional[str] = OUTPUT, pretty: bool = PRETTY) -> None:
    """Print the JSON Schema (draft 2020-12) of the journey format, for editors.

    \b
    Examples:
      journeymap schema > journey.schema.json
      journeymap schema --pretty --output .vscode/journey.schema.json   indented, to read
    """
    from journeymap.jsonschema import render

    write_report(render(pretty), output)
