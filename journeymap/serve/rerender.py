"""`journeymap render --watch`: draw every journey, then re-draw each one whose file is saved.

Drawing and writing stay the command's own (``draw(file, target)``, which writes atomically and
leaves the old map in place when a journey does not validate); this module decides *when*, and
*which* files: those whose file changed since they were last drawn, and new journeys that appear
under a watched folder.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from journeymap.serve.watching import watch_changes
from journeymap.serve.workspace import Stamp, file_stamp


def present_files(paths: list[str], select: Callable[[str], bool]) -> list[str]:
    """The journey files under ``paths`` now (a named path that vanished is skipped)."""
    from journeymap.check import MissingPath, discover

    found: list[str] = []
    for path in paths:
        try:
            found.extend(discover([path]))
        except (MissingPath, OSError):
            continue
    return [f for f in dict.fromkeys(found) if select(f)]


def rerender(paths: list[str], select: Callable[[str], bool], out: str | None, fmt: str,
             draw: Callable[[str, str], int], stop: threading.Event | None = None,
             log: Callable[[str], None] = lambda _: None, poll: bool = False,
             after: Callable[[list[tuple[str, str]]], object] | None = None) -> None:
    """Draw the journeys under ``paths``, then keep their maps up to date until ``stop`` or Ctrl-C.

    When ``out`` names one file, only the journey it was planned for is followed (new files
    elsewhere in the folder cannot go to the same file). ``after(targets)`` runs after each round
    that drew or dropped a journey (e.g. to re-write an index of the maps).
    """
    from journeymap.render.targets import STDOUT, TargetError, is_folder, plan

    stop = stop or threading.Event()
    initial = present_files(paths, select)
    one_file = out not in (None, STDOUT) and not is_folder(str(out), len(initial))
    drawn: dict[str, Stamp] = {}

    def step() -> None:
        files = [f for f in initial if file_stamp(f)] if one_file else present_files(paths, select)
        try:
            targets = plan(files, out, fmt)
        except TargetError as problem:
            log(str(problem))
            return
        changed = False
        for file, target in targets:
            stamp = file_stamp(file)
            if stamp is not None and drawn.get(file) != stamp:
                drawn[file], changed = stamp, True
                _draw_one(draw, file, target, log)
        for gone in set(drawn) - set(files):
            del drawn[gone]
            changed = True
        if changed and after is not None and targets:
            after(targets)

    try:
        step()
        log(f"watching {len(drawn)} journey{'' if len(drawn) == 1 else 's'} for changes; Ctrl-C to stop")
        watch_changes(paths, step, stop, poll, log)
    except KeyboardInterrupt:
        pass


def _draw_one(draw: Callable[[str, str], int], file: str, target: str,
              log: Callable[[str], None]) -> None:
    try:
        draw(file, target)
    except Exception as bug:  # noqa: BLE001 - one journey must not end the watch
        log(f"could not draw {file}: {type(bug).__name__}: {bug}")
