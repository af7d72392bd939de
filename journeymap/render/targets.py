"""Where each map goes: the rules for ``-o`` and ``--format``, decided before anything is drawn."""

from __future__ import annotations

import os
from pathlib import Path

FORMATS = ("svg", "png", "pdf", "dot", "html")
_SUFFIXES = {f".{f}": f for f in FORMATS} | {".gv": "dot", ".htm": "html"}
STDOUT = "-"


class TargetError(Exception):
    """``-o`` cannot hold what was asked for (a usage error)."""


def choose_format(given: str | None, out: str | None) -> str:
    """``--format`` when given, else the suffix of an ``-o`` file (``map.png``), else svg."""
    if given:
        return given
    if out and out != STDOUT:
        return _SUFFIXES.get(Path(out).suffix.lower(), "svg")
    return "svg"


def is_folder(out: str, count: int) -> bool:
    """``-o`` names a folder when it is one, ends with ``/``, has no suffix, or many maps are due."""
    return (os.path.isdir(out) or out.endswith(("/", os.sep)) or not Path(out).suffix
            or count > 1)


def plan(files: list[str], out: str | None, fmt: str) -> list[tuple[str, str]]:
    """(journey file, output path) for each journey; ``-`` is standard output."""
    suffix = f".{fmt}"
    if out == STDOUT:
        if len(files) != 1:
            raise TargetError(f"`-o -` writes one map to standard output, but {len(files)} journeys "
                              "were given: name a folder instead")
        return [(files[0], STDOUT)]
    if out is None:
        targets = [(f, str(Path(f).with_suffix(suffix))) for f in files]
    elif is_folder(out, len(files)):
        if len(files) > 1 and Path(out).suffix.lower() in _SUFFIXES and not os.path.isdir(out):
            raise TargetError(f"`{out}` names one file, but {len(files)} journeys were given: name a "
                              f"folder for their {fmt.upper()} files instead (e.g. -o site/)")
        if os.path.exists(out) and not os.path.isdir(out):
            raise TargetError(f"{len(files)} journeys need a folder for their maps, but `{out}` is a file")
        targets = [(f, os.path.join(out, Path(f).stem + suffix)) for f in files]
    else:
        targets = [(files[0], out)]
    _check(targets)
    return targets


def _check(targets: list[tuple[str, str]]) -> None:
    from journeymap.files import overwrites

    sources = [f for f, _ in targets]
    seen: dict[str, str] = {}
    for file, target in targets:
        real = os.path.realpath(target)
        if overwrites(target, sources):
            raise TargetError(f"the map for {file} would overwrite the journey file {target}")
        if real in seen:
            raise TargetError(f"{seen[real]} and {file} would both be written to {target}: "
                              "render them into different folders")
        seen[real] = file
