"""Drawing journeys for `render`: each in any process, reported in order by the parent."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, List, NamedTuple, Optional, Tuple, Union

import typer

from journeymap.printable import printable
from journeymap.cli_support import use_color, write_stdout

if TYPE_CHECKING:
    from journeymap.config import Config
    from journeymap.files import Writer
    from journeymap.render import Options as RenderOptions


def portfolio_clash(targets: list[tuple[str, str]], folder: str) -> str | None:
    """Why the index pages cannot go into ``folder``, or None: a page would replace one of the
    journeys (by name, through a symbolic link or as a hard link: :func:`journeymap.files.overwrites`,
    the guard every output goes through) or one of their reports (a journey called ``index.yaml``)."""
    from journeymap.files import overwrites
    from journeymap.render.portfolio import COLUMNS, page_name

    for page in (os.path.join(folder, page_name(column)) for column in COLUMNS):
        journey = overwrites(page, [file for file, _ in targets])
        if journey is not None:
            return f"the index page {page} would overwrite the journey file {journey}: remove or move {page}"
        report = overwrites(page, [target for _, target in targets])
        if report is not None:
            return (f"the report {report} would be overwritten by the portfolio's "
                    f"{os.path.basename(page)}: rename that journey file")
    return None


def write_portfolio(targets: list[tuple[str, str]], folder: str, settings: Config) -> int:
    """index.html (and its sorted variants) over every journey rendered into ``folder``; none of
    them when one would replace a journey or a report (an error, exit code 2)."""
    from journeymap.analysis.analyse import report_files
    from journeymap.render.output import write_atomic
    from journeymap.render.portfolio import portfolio_pages, row_of

    clash = portfolio_clash(targets, folder)
    if clash is not None:  # (checked before drawing too; under --watch files come and go)
        typer.echo(f"journeymap: error: no index written: {printable(clash)}", err=True)
        return 2
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
    # for standard output (`-o -`); DOT as a function that writes it (files.Writer), which never
    # leaves this process: `-o -` takes one journey, which in_order draws in this process
    data: Union[bytes, Writer, None]
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
        # DOT is written as it is made, never held whole: into its file here, or to standard
        # output by `show` (`-o -` is one journey, so drawn in the process that shows it)
        rendered = render_file(file, fmt, settings, options or Options(), draft, later=True)
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
