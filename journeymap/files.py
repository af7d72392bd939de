"""Writing output files: readers see the old file or the new one, never half of one.

- A regular file is replaced in one step: the data goes to a temporary file beside it, which is
  then renamed over it, and the new file keeps the old one's permissions.
- A symbolic link is followed: the file it points to is replaced, the link stays.
- A device, a named pipe or a socket (``-o /dev/stdout``) is written through, as a shell's ``>``
  would: it is never replaced by a regular file.
- A temporary file is named ``.<name>.journeymap-<pid>-<random>.tmp``. If journeymap is killed
  between writing and renaming it (SIGKILL cannot be caught), the next write to the same file
  removes it once process <pid> is gone.
- :func:`overwrites` is the one guard every command uses so that output never lands on a journey.
- The data is text, bytes, or a function that writes it to a binary file as it is made
  (:data:`Writer`): a large report or map then never exists whole in memory. If that function
  raises, the temporary file is removed and the old file stays.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable
from typing import BinaryIO, Union

from journeymap.printable import utf8

TEMP_MARK = ".journeymap-"

Writer = Callable[[BinaryIO], None]
Data = Union[str, bytes, Writer]


def _temp_copy(path: str, data: Data, mode: int | None = None) -> str:
    """``data`` in a temporary file next to ``path`` (same file system, so renames are atomic)."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}{TEMP_MARK}{os.getpid()}-",
                                suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            _write(out, data)
        os.chmod(temp, 0o666 & ~_umask() if mode is None else mode)
    except BaseException:
        os.unlink(temp)
        raise
    return temp


def _write(out: BinaryIO, data: Data) -> None:
    if callable(data):
        data(out)
    else:
        out.write(utf8(data) if isinstance(data, str) else data)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str, data: Data) -> None:
    """Write ``data`` to ``path``: a file replaced in one step, a device or pipe written through."""
    try:
        found = os.stat(path)  # follows a symbolic link
    except FileNotFoundError:
        found = None
    if found is not None and not stat.S_ISREG(found.st_mode) and not stat.S_ISDIR(found.st_mode):
        with open(path, "wb") as out:
            _write(out, data)
        return
    target = os.path.realpath(path)  # through a symbolic link: replace what it points to
    remove_stale_temps(target)
    temp = _temp_copy(target, data, stat.S_IMODE(found.st_mode) if found is not None else None)
    try:
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


_TEMP = re.compile(r"\..+" + re.escape(TEMP_MARK) + r"(\d+)-\w+\.tmp")
_cleaned: set[str] = set()  # folders already cleaned by this process: once each is enough


def remove_stale_temps(path: str) -> list[str]:
    """Remove the temporary files that journeymap processes no longer running left beside ``path``
    (the first time this process writes into that folder)."""
    folder = os.path.dirname(os.path.abspath(path))
    if folder in _cleaned:
        return []
    _cleaned.add(folder)
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.listdir(folder):
            match = _TEMP.fullmatch(entry)
            if match and not _running(int(match.group(1))):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, entry))
                    removed.append(entry)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process: it runs
        return True
    return True


def overwrites(target: str, sources: Iterable[str]) -> str | None:
    """The journey in ``sources`` that writing ``target`` would overwrite, or None.

    The same file by name, through a symbolic link, or as a hard link (same device and inode).
    """
    real = os.path.realpath(target)
    try:
        found = os.stat(target)
        identity = (found.st_dev, found.st_ino) if stat.S_ISREG(found.st_mode) else None
    except OSError:
        identity = None
    for source in sources:
        if os.path.realpath(source) == real:
            return source
        if identity is not None:
            with contextlib.suppress(OSError):
                other = os.stat(source)
                if (other.st_dev, other.st_ino) == identity:
                    return source
    return None


def create_new(path: str, data: Data) -> None:
    """Write ``data`` to ``path`` in one step; :class:`FileExistsError` if ``path`` exists."""
    temp = _temp_copy(path, data)
    try:
        os.link(temp, path)  # unlike os.replace, a hard link never overwrites an existing file
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: an exclusive create, not atomic
        with open(path, "xb") as out:
            _write(out, data)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISDIR, "a folder"))


def not_regular(mode: int) -> str | None:
    """None for a regular file; else what it is (``a named pipe (FIFO)``): reading a pipe or a
    device could wait for ever, so journeymap reads regular files only."""
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _KINDS if test(mode)), "not a file")


def why_skipped(path: str) -> str | None:
    """None when ``path`` is a regular file (or a link to one); else why it cannot be a journey."""
    try:
        return not_regular(os.stat(path).st_mode)
    except OSError as problem:
        if os.path.islink(path):
            return "a symbolic link loop" if problem.errno == errno.ELOOP else "a symbolic link to nothing"
        return f"unreadable ({problem.strerror})"
