"""The findings of the baseline: from a saved `check --format json`, or from a git revision."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from journeymap.config import Config
from journeymap.findings import FileResult
from journeymap.report.json_report import finding_dict


class BaselineError(Exception):
    """The baseline cannot be read (a usage error: exit 2)."""


@dataclass(frozen=True)
class Entry:
    """One finding of the baseline."""

    journey: str  # the journey id (or the file, for a file that has none)
    file: str
    rule: str
    severity: str
    message: str
    subject: str | None = None
    line: int | None = None
    column: int | None = None

    @property
    def key(self) -> tuple[str, str, str | None]:
        return (self.journey, self.rule, self.subject)


def journey_key(journey_id: str | None, file: str) -> str:
    return journey_id or os.path.normpath(file)


def load_baseline(source: str, files: Iterable[str], config: Config) -> list[Entry]:
    """The baseline's findings: ``source`` is a saved JSON report, or a git revision at which each
    of ``files`` is checked again."""
    if os.path.isfile(source):
        return from_json(source)
    if source.endswith(".json"):
        raise BaselineError(f"no such baseline file: {source}")
    return from_revision(source, list(files), config)


def from_json(path: str) -> list[Entry]:
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
        return [_entry(journey, f) for journey in doc["journeys"] for f in journey["findings"]]
    except OSError as problem:
        raise BaselineError(f"cannot read the baseline {path}: {problem.strerror or problem}") from None
    except (ValueError, KeyError, TypeError) as problem:
        raise BaselineError(f"{path} is not a saved `journeymap check --format json` report "
                            f"({type(problem).__name__}: {problem})") from None


def _entry(journey: dict[str, Any], f: dict[str, Any]) -> Entry:
    return Entry(journey_key(journey.get("id"), str(journey["file"])), str(journey["file"]), str(f["rule"]),
                 str(f["severity"]), str(f["message"]), f.get("subject"), f.get("line"), f.get("column"))


def from_revision(rev: str, files: list[str], config: Config) -> list[Entry]:
    from journeymap.check import check_bytes
    from journeymap.gitrev import GitError, read_at, verify

    entries: list[Entry] = []
    try:
        for n, path in enumerate(files):
            if n == 0:
                verify(path, rev)
            data = read_at(path, rev)
            if data is not None:  # a file new since `rev`: every finding in it is new
                entries += entries_of(check_bytes(data, path, f"{rev}:{path}", config), path)
    except GitError as problem:
        raise BaselineError(str(problem)) from None
    return entries


def entries_of(result: FileResult, file: str) -> list[Entry]:
    """The entries of a fresh check, made the way a saved `check --format json` is read back, so
    that a revision and a saved report give the same baseline."""
    journey = {"id": result.journey_id, "file": file}
    return [_entry(journey, finding_dict(f)) for f in result.findings]
