"""One journey file read and validated: format and references only (JM001–JM003).

Below both `check` and the analyses, so that each can use it without importing the other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from journeymap.findings import FileResult, Severity, sorted_findings
from journeymap.loader import Loaded, load_bytes, load_file
from journeymap.nodes import Eager
from journeymap.schema import Restart, build_journey, journey_builder
from journeymap.values import slug


def validate_file(path: str) -> FileResult:
    """Format and references only: JM001–JM003."""
    return _validated(lambda eager: load_file(path, eager=eager), path)


def validate_bytes(data: bytes, path: str, shown: str | None = None) -> FileResult:
    """:func:`validate_file` for content read elsewhere (a file at a git revision): ``path`` gives
    the default journey id, ``shown`` (default ``path``) names the file in findings."""
    return _validated(lambda eager: load_bytes(data, shown or path, eager), shown or path, path)


def _validated(load: Callable[[Eager | None], Loaded], path: str, id_from: str | None = None) -> FileResult:
    default_id = slug(Path(id_from or path).stem) or "journey"
    # Each stage and touchpoint is built as soon as it is read, so the file's whole node tree is
    # never held (docs/performance.md, "Loader memory"); in the rare file where that cannot give
    # the same result (an alias to a stage already built), it is read again and built as a tree.
    try:
        builder = journey_builder(path)
        loaded = load(builder)
        if loaded.root is None and loaded.findings:
            return FileResult(path, sorted_findings(loaded.findings), None, default_id)
        journey, journey_id, findings = build_journey(loaded.root, path, default_id, builder)
    except Restart:
        loaded = load(None)
        if loaded.root is None and loaded.findings:
            return FileResult(path, sorted_findings(loaded.findings), None, default_id)
        journey, journey_id, findings = build_journey(loaded.root, path, default_id)
    found = sorted_findings(loaded.findings + findings)
    if any(f.severity is Severity.ERROR for f in found):
        journey = None
    return FileResult(path, found, journey, journey_id)
