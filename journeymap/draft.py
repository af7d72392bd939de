"""Draft mode for workshops: a journey that does not validate yet, built from what is valid, with
each gap (a blank value, an unknown reference, a missing name…) tied to where it belongs so the
map can mark it there. ``journeymap render --draft`` is its only user."""

from __future__ import annotations

import re
from pathlib import Path

from journeymap.findings import FileResult, Finding, Severity, sorted_findings
from journeymap.loader import load_file
from journeymap.schema import build_draft
from journeymap.values import slug

Gaps = dict[str | None, list[str]]
_BREADCRUMB = re.compile(r"^(stages|promises|personas|accept)(\[\d+\]|\.[\w]+)*: ")


def draft_file(path: str) -> tuple[FileResult, Gaps]:
    """The file's journey (None only when nothing can be drawn) and its gaps by owner: a
    touchpoint id, ``promise:<id>``, or None for the journey as a whole."""
    loaded = load_file(path)
    default_id = slug(Path(path).stem) or "journey"
    if loaded.root is None and loaded.findings:
        return FileResult(path, sorted_findings(loaded.findings), None, default_id), {}
    journey, journey_id, owned = build_draft(loaded.root, path, default_id)
    findings = sorted_findings(loaded.findings + [f for f, _ in owned])
    gaps: Gaps = {}
    for found, owner in owned:
        if found.severity is Severity.ERROR:
            gaps.setdefault(owner, []).append(gap_text(found))
    if loaded.findings:
        gaps.setdefault(None, []).extend(gap_text(f) for f in loaded.findings
                                         if f.severity is Severity.ERROR)
    return FileResult(path, findings, journey, journey_id), gaps


def gap_text(found: Finding) -> str:
    """``line 12: `emotion` is empty: …``: the finding without its breadcrumb."""
    return f"line {found.span.line}: {_BREADCRUMB.sub('', found.message)}"
