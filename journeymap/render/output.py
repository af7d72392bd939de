"""Running Graphviz, and writing maps so that a reader never sees half a file.

The only module of the renderer that touches the outside world: the ``dot`` program and the disk
(through :func:`journeymap.files.write_atomic`: a temporary file in the target's folder, then one
``os.replace``, so a failed render or write leaves an existing map untouched).
"""

from __future__ import annotations

import shutil
import signal
import subprocess

from journeymap.files import write_atomic
from journeymap.process import die_with_parent

__all__ = ["GraphvizMissing", "LayoutFailed", "RenderError", "find_dot", "run_dot", "write_atomic"]

TIMEOUT = 120.0  # seconds; a 220-touchpoint map takes 2-4 as PNG, under 1 as SVG
INSTALL_HINT = ("install Graphviz (Debian/Ubuntu: `sudo apt-get install graphviz`, macOS: "
                "`brew install graphviz`), or write DOT source with `--format dot`")


class RenderError(Exception):
    """Graphviz could not produce the map; the message says why and what to do."""


class LayoutFailed(RenderError):
    """Graphviz crashed, or could not route the map's edges: a known class of Graphviz bugs
    ("triangulation failed") that depends on the exact sizes of labels, not on the journey."""


# What Graphviz prints when its edge router (pathplan) gives up on a layout.
_ROUTING = ("triangulation failed", "Pshortestpath failed", "cannot find triangle path")


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


def run_dot(source: str | bytes, fmt: str, timeout: float = TIMEOUT, dpi: int | None = None,
            placed: bool = False) -> bytes:
    """``source`` (text, or UTF-8 bytes) laid out and drawn by ``dot -T<fmt>``: the image's bytes.

    ``placed``: every node and edge already has its position (the journey-map view), so Graphviz
    only draws: ``neato -n2``, run as ``dot -Kneato -n2`` so that one program is needed."""
    layout = ["-Kneato", "-n2"] if placed else []
    command = [find_dot(), *layout, f"-T{fmt}"] + ([f"-Gdpi={dpi}"] if dpi else [])
    try:
        done = subprocess.run(command, input=source if isinstance(source, bytes) else source.encode("utf-8"), capture_output=True,
                              timeout=timeout, check=False, preexec_fn=die_with_parent())
    except subprocess.TimeoutExpired:
        raise RenderError(f"Graphviz took longer than {timeout:g}s to lay out the map") from None
    except OSError as e:  # found but not runnable: a broken install
        raise RenderError(f"could not run Graphviz ({e.strerror}): {INSTALL_HINT}") from None
    failed = done.returncode != 0 or not done.stdout  # a routing complaint with a map is a warning
    if done.returncode < 0 or (failed and any(m.encode() in done.stderr for m in _ROUTING)):
        raise LayoutFailed(_layout_failure(done.returncode, done.stderr))
    if done.returncode != 0 or not done.stdout:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        why = "; ".join(detail[:3]) or f"exit status {done.returncode}"
        raise RenderError(f"Graphviz failed: {why}")
    return done.stdout


def _layout_failure(returncode: int, stderr: bytes) -> str:
    said = next((m for m in _ROUTING if m.encode() in stderr), None)
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"Graphviz failed: it crashed ({name}, a bug in Graphviz)" + (f" after “{said}”" if said else "")
    return f"Graphviz failed: it could not route the map's edges (“{said}”, a bug in Graphviz)"
