"""What the CI formats share: paths relative to the checkout, URIs, one-line messages.

Messages go through :func:`journeymap.printable.printable`: no control character in a finding
reaches a CI log or a test report.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from urllib.parse import quote

from journeymap.findings import Finding
from journeymap.printable import printable, utf8


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
    return quote(os.fsencode(path), safe="/")  # the file name's own bytes, even when not UTF-8


def message(f: Finding) -> str:
    """The finding's message with its hint, as the text report writes them, on one line."""
    return printable(f"{f.message} — {f.hint}" if f.hint else f.message)


def fingerprint(f: Finding, file: str) -> str:
    """An id for the finding that survives edits moving it to another line: file, rule, subject
    and message, hashed."""
    key = "\0".join((relative_path(file), f.rule, f.subject or "", f.message))
    return hashlib.sha256(utf8(key)).hexdigest()[:32]
