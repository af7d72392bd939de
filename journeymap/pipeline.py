"""Many journey files through the pipeline, on every core: what `check`, `validate`, `report` and
`render` run when they are given more than one file.

    files → load → validate → graph → analyse → policy → results

Each file goes through :func:`journeymap.check.check_file` (or ``validate_file``), or
:func:`journeymap.analysis.analyse.report_files`, in a pool of worker processes; the results come
back in the order of the files, one by one as soon as each and those before it are done, so that
a caller can stream them. ``jobs=1`` (or a single file) runs in this process, with no pool. A file
that is not a journey is a result like any other, so it never stops the others. On Ctrl-C the
workers are stopped, not waited for, and ``KeyboardInterrupt`` reaches the caller.

The module at the top of the house: it imports the stages, and nothing below imports it.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from functools import partial
from typing import ContextManager, TypeVar

from journeymap.config import DEFAULT, Config
from journeymap.findings import FileResult, RunResult

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def in_order(work: Callable[[T], R], items: Sequence[T], jobs: int | None = None) -> Iterator[R]:
    """``work(item)`` for every item, in order, on ``jobs`` processes (default: every core)."""
    jobs = min(jobs or default_jobs(), len(items))
    if jobs <= 1:
        yield from map(work, items)
        return
    import multiprocessing

    # fork: the workers start with the parent's imports and settings, in milliseconds
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = context.Pool(jobs, initializer=_worker_ignores_interrupts)
    try:
        yield from pool.imap(work, items, chunksize=_chunk(len(items), jobs))
        pool.close()
    except BaseException:  # Ctrl-C, or the caller stopped early: stop the workers now
        pool.terminate()
        raise
    finally:
        pool.join()


def _chunk(items: int, jobs: int) -> int:
    """Files per hand-out: few enough to balance the cores, enough to keep the overhead small."""
    return max(1, min(16, items // (jobs * 8)))


def _worker_ignores_interrupts() -> None:
    # Ctrl-C reaches every process in the terminal's group: the parent stops the workers itself,
    # with SIGTERM, which must end a worker quietly (not through the handler the CLI installs
    # to unwind its own stack, inherited by the fork)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)


# -- the commands' uses -------------------------------------------------------------------------


def check_one(path: str, rules: bool, config: Config) -> FileResult:
    """One file's findings (validate only, or every rule), without its model (memory)."""
    from journeymap.check import check_file, validate_file

    result = check_file(path, config) if rules else validate_file(path)
    return replace(result, journey=None)


def check_files(files: Sequence[str], rules: bool = True, config: Config = DEFAULT,
                jobs: int | None = None, each: Callable[[FileResult], None] | None = None
                ) -> RunResult:
    """`check` (or, without ``rules``, `validate`) over ``files``; ``each`` sees every file's result
    as it arrives, in order."""
    results = []
    with _spare_cores(files, jobs):
        for result in in_order(partial(check_one, rules=rules, config=config), files, jobs):
            if each:
                each(result)
            results.append(result)
    return RunResult(tuple(results))


def report_one(path: str, config: Config):  # type: ignore[no-untyped-def]
    from journeymap.analysis.analyse import report_files

    return report_files([path], config).journeys[0]


def report_files(files: Sequence[str], config: Config = DEFAULT, jobs: int | None = None,
                 each: Callable[[object], None] | None = None):  # type: ignore[no-untyped-def]
    """`report` over ``files``: a :class:`~journeymap.analysis.analyse.ReportRun`."""
    from journeymap.analysis.analyse import ReportRun

    reports = []
    with _spare_cores(files, jobs):
        for report in in_order(partial(report_one, config=config), files, jobs):
            if each:
                each(report)
            reports.append(report)
    return ReportRun(tuple(reports))


def _spare_cores(files: Sequence[str], jobs: int | None) -> ContextManager[None]:
    """The cores one journey may use (:mod:`journeymap.analysis.beside`): every one of ``jobs``
    when one file is run in this process; one when files are spread over a pool, whose workers
    keep every core busy already, or with ``--jobs 1``."""
    from journeymap.analysis.beside import cores

    jobs = jobs or default_jobs()
    return cores(jobs if len(files) == 1 else 1)
