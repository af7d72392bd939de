"""The core of `validate` and `check`: paths in, a :class:`RunResult` out. Never prints, never exits."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from journeymap.config import DEFAULT, Config
from journeymap.files import why_skipped
from journeymap.findings import FileResult, RunResult, Severity, sorted_findings
from journeymap.loader import Loaded, load_bytes, load_file
from journeymap.policy import reported
from journeymap.schema import build_journey
from journeymap.values import slug

JOURNEY_SUFFIXES = (".yaml", ".yml")
_SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox"}


class MissingPath(Exception):
    """A path named on the command line does not exist (a usage error: exit 2)."""


@dataclass
class Discovered:
    """The journey files under some paths, and the ``(path, why)`` of names skipped in folders."""

    files: list[str]
    skipped: list[tuple[str, str]] = field(default_factory=list)


def find_journeys(paths: Iterable[str]) -> Discovered:
    """Journey files named by ``paths``: files as given, folders searched recursively, sorted.

    In a folder only regular files (or links to them) are taken: a link to nothing, a link loop or
    a named pipe called ``x.yaml`` is skipped and listed, never read (a pipe would wait for ever).
    """
    found = Discovered([])
    for path in paths:
        if os.path.isdir(path):
            for name in sorted(_walk(path)):
                why = why_skipped(name)
                if why:
                    found.skipped.append((name, why))
                else:
                    found.files.append(name)
        elif os.path.exists(path):
            found.files.append(path)  # named on purpose: the loader reads it or says why not
        else:
            raise MissingPath(path)
    found.files = list(dict.fromkeys(found.files))
    return found


def discover(paths: Iterable[str]) -> list[str]:
    """The journey files of :func:`find_journeys`."""
    return find_journeys(paths).files


def _walk(folder: str) -> Iterator[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        for name in files:
            if name.endswith(JOURNEY_SUFFIXES):
                yield os.path.join(root, name)


def validate_file(path: str) -> FileResult:
    """Format and references only: JM001–JM003."""
    return _validated(load_file(path), path)


def validate_bytes(data: bytes, path: str, shown: str | None = None) -> FileResult:
    """:func:`validate_file` for content read elsewhere (a file at a git revision): ``path`` gives
    the default journey id, ``shown`` (default ``path``) names the file in findings."""
    return _validated(load_bytes(data, shown or path), shown or path, path)


def _validated(loaded: Loaded, path: str, id_from: str | None = None) -> FileResult:
    default_id = slug(Path(id_from or path).stem) or "journey"
    if loaded.root is None and loaded.findings:
        return FileResult(path, sorted_findings(loaded.findings), None, default_id)
    journey, journey_id, findings = build_journey(loaded.root, path, default_id)
    found = sorted_findings(loaded.findings + findings)
    if any(f.severity is Severity.ERROR for f in found):
        journey = None
    return FileResult(path, found, journey, journey_id)


def check_file(path: str, config: Config = DEFAULT) -> FileResult:
    """Validate, then, on a file that validates, run every rule (analysis.analyse)."""
    return _checked(validate_file(path), config)


def check_bytes(data: bytes, path: str, shown: str | None = None, config: Config = DEFAULT) -> FileResult:
    """:func:`check_file` for content read elsewhere (see :func:`validate_bytes`)."""
    return _checked(validate_bytes(data, path, shown), config)


def _checked(result: FileResult, config: Config) -> FileResult:
    if result.journey is None:
        return result
    from journeymap.analysis.analyse import analyse

    analysis = analyse(result.journey, config)
    found = reported(result.journey, result.findings, config) + list(analysis.findings)
    return replace(result, findings=sorted_findings(found))


def run(paths: Iterable[str], rules: bool = True, config: Config = DEFAULT,
        progress: Callable[[str], None] | None = None) -> RunResult:
    """Validate (and with ``rules``, check) every journey file under ``paths``.

    The results keep each file's findings, not its journey: reporters need only the findings, and
    a run over a thousand files would otherwise hold every model in memory until the end.
    """
    results = []
    for path in discover(paths):
        if progress:
            progress(path)
        result = check_file(path, config) if rules else validate_file(path)
        results.append(replace(result, journey=None))
    return RunResult(tuple(results))
