"""What the CI formats share: paths relative to the checkout, URIs, one-line messages."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from urllib.parse import quote

from journeymap.findings import Finding


def relative_path(file: str, base: str | None = None) -> str:
    """``file`` relative to ``base`` (default: the current folder), with forward slashes.

    CI systems resolve paths against the checkout, which is where `check` runs. A file outside
    ``base`` keeps its absolute path.
    """
    path = Path(os.path.abspath(file))
    try:
        return path.relative_to(os.path.abspath(base or os.getcwd())).as_posix()
    except ValueError:
        return path.as_posix()


def artifact_uri(file: str, base: str | None = None) -> str:
    """A URI reference for SARIF: relative and percent-encoded, or a ``file:`` URI when outside."""
    path = relative_path(file, base)
    if os.path.isabs(path):
        return Path(path).as_uri()
    return quote(path, safe="/")


def message(f: Finding) -> str:
    """The finding's message with its hint, as the text report writes them."""
    return f"{f.message} — {f.hint}" if f.hint else f.message


def fingerprint(f: Finding, file: str) -> str:
    """An id for the finding that survives edits moving it to another line: file, rule, subject
    and message, hashed."""
    key = "\0".join((relative_path(file), f.rule, f.subject or "", f.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
