"""Change detection: call back once per burst of saves, until told to stop.

watchfiles (inotify and friends, through Rust's notify) does the watching. It groups a burst of
events until the disk has been quiet for ``STEP_MS`` (at most ``DEBOUNCE_MS``), so an editor's
write-temp-then-rename save, or a "save all", becomes one call. The callback does not trust the
events themselves: it looks at what is on disk now (see :class:`~journeymap.serve.workspace.Workspace`),
so a lost or odd event costs nothing. A folder is watched recursively; a single file through its
folder, because a rename-save replaces the file the watch would otherwise be tied to.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable

from watchfiles import watch

STEP_MS = 50  # quiet time that ends a burst
DEBOUNCE_MS = 1600  # the longest a burst of changes is held back
RETRY_SECONDS = 1.0  # after the watched folder vanished, or the watcher failed
CATCH_UP_MS = 1000  # watchfiles' timeout: the first one after the watch starts means "set up"


def watch_targets(paths: Iterable[str]) -> tuple[list[str], bool]:
    """The folders to watch for ``paths`` (a file: its folder), and whether recursively."""
    folders, recursive = [], False
    for path in paths:
        if os.path.isdir(path):
            folders.append(path)
            recursive = True
        else:
            folders.append(os.path.dirname(os.path.abspath(path)))
    return list(dict.fromkeys(folders)), recursive


def watch_changes(paths: Iterable[str], on_change: Callable[[], None], stop: threading.Event,
                  poll: bool = False, log: Callable[[str], None] = lambda _: None) -> None:
    """Call ``on_change()`` after each burst of changes under ``paths`` until ``stop`` is set.

    A failing watcher (the folder deleted, too many watches) is reported once and retried every
    second, calling ``on_change()`` each time so the page still follows the disk.
    Ctrl-C (KeyboardInterrupt) is passed on to the caller.

    A save made while the watch was being set up would be missed: the first quiet second after
    it starts (watchfiles' first timeout) calls ``on_change()`` once more, to catch up.
    """
    folders, recursive = watch_targets(paths)  # decided once: a deleted folder stays a folder
    last_problem = ""
    while not stop.is_set():
        try:
            missing = [f for f in folders if not os.path.isdir(f)]
            if missing:  # watchfiles would watch nothing, silently, with ignore_permission_denied
                raise FileNotFoundError(f"no folder {', '.join(missing)}")
            caught_up = False
            for changes in watch(*folders, stop_event=stop, debounce=DEBOUNCE_MS, step=STEP_MS,
                                 recursive=recursive, force_polling=poll or None,
                                 raise_interrupt=True, ignore_permission_denied=True,
                                 rust_timeout=CATCH_UP_MS, yield_on_timeout=True):
                if not changes and caught_up:
                    continue
                caught_up = True
                on_change()
                last_problem = ""
                if not all(os.path.isdir(f) for f in folders):
                    break  # watching a deleted folder sees nothing: wait for it to come back
        except (OSError, RuntimeError) as problem:  # e.g. FileNotFoundError: the folder is gone
            message = f"watching {', '.join(folders)} failed ({problem}); retrying every second"
            if message != last_problem:
                log(message)
                last_problem = message
            stop.wait(RETRY_SECONDS)
            on_change()
