"""Running Graphviz, and writing maps so that a reader never sees half a file.

The only module of the renderer that touches the outside world: the ``dot`` program and the disk.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile

TIMEOUT = 120.0  # seconds; a 220-touchpoint map lays out in about two
INSTALL_HINT = ("install Graphviz (Debian/Ubuntu: `sudo apt-get install graphviz`, macOS: "
                "`brew install graphviz`), or write DOT source with `--format dot`")


class RenderError(Exception):
    """Graphviz could not produce the map; the message says why and what to do."""


class GraphvizMissing(RenderError):
    """The ``dot`` program is not on the PATH."""

    def __init__(self) -> None:
        super().__init__(f"Graphviz is not installed (no `dot` program on the PATH): {INSTALL_HINT}")


def find_dot() -> str:
    """The path of Graphviz's ``dot``; :class:`GraphvizMissing` when there is none."""
    found = shutil.which("dot")
    if found is None:
        raise GraphvizMissing()
    return found


def run_dot(source: str, fmt: str, timeout: float = TIMEOUT, dpi: int | None = None) -> bytes:
    """``source`` laid out and drawn by ``dot -T<fmt>``: the bytes of the image."""
    command = [find_dot(), f"-T{fmt}"] + ([f"-Gdpi={dpi}"] if dpi else [])
    try:
        done = subprocess.run(command, input=source.encode("utf-8"), capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise RenderError(f"Graphviz took longer than {timeout:g}s to lay out the map") from None
    except OSError as e:  # found but not runnable: a broken install
        raise RenderError(f"could not run Graphviz ({e.strerror}): {INSTALL_HINT}") from None
    if done.returncode != 0 or not done.stdout:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        why = "; ".join(detail[:3]) or f"exit status {done.returncode}"
        raise RenderError(f"Graphviz failed: {why}")
    return done.stdout


def write_atomic(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and one rename:
    readers see the old file or the new one, and a failure leaves the old one untouched."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
