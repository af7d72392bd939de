"""The command line: the typer app, its help and version, and the commands in the order `--help`
lists them. Each command lives in `journeymap/commands/` (one module per command or small group).

Heavy modules (networkx, rich) are imported inside the commands that need them, so
`journeymap --help`, `--version` and `validate` start fast.
"""

from __future__ import annotations

import gc
import os
import sys

import typer

from journeymap import __version__
from journeymap.commands import check, diff, init, mermaid, observe, render, report, rules, serve

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


# the order here is the order of `journeymap --help`
app.command()(check.validate)
app.command()(check.check)
app.command()(report.report)
app.command()(rules.rules)
app.command()(rules.schema)
app.command()(init.init)
app.command()(diff.diff)
app.command()(mermaid.export)
app.command("import")(mermaid.import_)
app.command()(render.render)
app.command()(serve.serve)
app.command()(observe.simulate)
app.command()(observe.observe)


def main() -> None:
    # A run builds a few large trees of small objects (YAML nodes, the model, the graph) that hold
    # no reference cycles; collecting every 700 allocations, Python's default, took a third of
    # `check` on a 20,000-touchpoint journey and made time grow faster than size (performance.md)
    gc.set_threshold(50_000, 20, 20)
    # OpenBLAS's threads (a promise's sparse solve calls BLAS) wait for more work by spinning for
    # a while after each call: a core's worth of CPU that the convolutions' helper thread needs.
    # The matrices here are small; one thread is as fast. (Set before numpy loads; a user's own
    # setting wins.)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from journeymap.process import run_command

    # signals, a failing stdout (`> /dev/full`) and a closed pipe end in one line and an exit code
    sys.exit(run_command(app))
