"""Writing output files atomically: readers see the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile

from journeymap.printable import utf8


def _temp_copy(path: str, data: str | bytes) -> str:
    """``data`` in a temporary file next to ``path`` (same file system, so renames are atomic)."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(_bytes(data))
        os.chmod(temp, 0o666 & ~_umask())
    except BaseException:
        os.unlink(temp)
        raise
    return temp


def _bytes(data: str | bytes) -> bytes:
    return utf8(data) if isinstance(data, str) else data


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str, data: str | bytes) -> None:
    """Write ``data`` to ``path``, replacing it in one step."""
    temp = _temp_copy(path, data)
    try:
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def create_new(path: str, data: str | bytes) -> None:
    """Write ``data`` to ``path`` in one step; :class:`FileExistsError` if ``path`` exists."""
    temp = _temp_copy(path, data)
    try:
        os.link(temp, path)  # unlike os.replace, a hard link never overwrites an existing file
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: an exclusive create, not atomic
        with open(path, "xb") as out:
            out.write(_bytes(data))
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
