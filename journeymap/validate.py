"""One journey file read and validated: format and references only (JM001–JM003).

Below both `check` and the analyses, so that each can use it without importing the other.
"""

from __future__ import annotations

from pathlib import Path

from journeymap.findings import FileResult, Severity, sorted_findings
from journeymap.loader import Loaded, load_bytes, load_file
from journeymap.schema import build_journey
from journeymap.values import slug


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
