"""A progress bar on stderr for runs over many files, only when stderr is a terminal.

Imported only by commands that run over several files, and rich only when a bar is shown.
While the bar shows and stdout is the terminal too, what the command writes to stdout is printed
above the bar, so text output can stream file by file without the two garbling each other;
stdout that goes to a pipe or a file is left alone.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def progress(total: int, what: str) -> Iterator[Callable[[], None]]:
    """``advance()``, to call once per finished file; a bar only for 2+ files on a terminal."""
    if total < 2 or not sys.stderr.isatty() or os.environ.get("TERM") == "dumb":
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=Console(stderr=True, no_color=bool(os.environ.get("NO_COLOR"))),
                   transient=True, redirect_stdout=sys.stdout.isatty(), redirect_stderr=False)
    task = bar.add_task(what, total=total)

    def advance() -> None:
        # The bar (and its refresh thread) starts with the first file done, after the worker
        # processes are forked: a fork never copies a process that has other threads running.
        if not bar.live.is_started:
            bar.start()
        bar.advance(task)

    try:
        yield advance
    finally:
        bar.stop()
