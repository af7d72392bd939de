"""The core of `validate` and `check`: paths in, a :class:`RunResult` out. Never prints, never exits.

One file at a time here; :mod:`journeymap.pipeline` runs many files (on every core) for the CLI.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from journeymap.config import DEFAULT, Config
from journeymap.findings import FileResult, RunResult, sorted_findings
from journeymap.policy import reported
from journeymap.validate import validate_file

__all__ = ["MissingPath", "check_file", "discover", "run", "validate_file"]

JOURNEY_SUFFIXES = (".yaml", ".yml")
_SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox"}


class MissingPath(Exception):
    """A path named on the command line does not exist (a usage error: exit 2)."""


def discover(paths: Iterable[str]) -> list[str]:
    """Journey files named by ``paths``: files as given, folders searched recursively, sorted."""
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            found.extend(sorted(_walk(path)))
        elif os.path.exists(path):
            found.append(path)
        else:
            raise MissingPath(path)
    return list(dict.fromkeys(found))


def _walk(folder: str) -> Iterator[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        for name in files:
            if name.endswith(JOURNEY_SUFFIXES):
                yield os.path.join(root, name)


def check_file(path: str, config: Config = DEFAULT) -> FileResult:
    """Validate, then, on a file that validates, run every rule (analysis.analyse)."""
    result = validate_file(path)
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
