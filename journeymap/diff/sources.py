"""The two sides of a diff: files, folders of journeys matched by id, or a file at a git revision.

A file at a revision comes from :mod:`journeymap.gitrev` (git without a shell, the revision checked
first, so a missing revision and a file absent at it each get their own message).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from journeymap.check import discover, validate_bytes, validate_file
from journeymap.findings import FileResult
from journeymap.gitrev import GitError, read_at, verify


class DiffUsageError(Exception):
    """The diff cannot run as asked (exit 2); the message says why."""


@dataclass(frozen=True)
class Version:
    """One version of one journey file: where it came from and what validating it found."""

    label: str  # journeys/a.yaml, or HEAD~1:journeys/a.yaml
    result: FileResult
    digest: str = ""  # of the bytes: two versions with the same digest are the same journey

    @property
    def key(self) -> str:
        return self.result.journey_id or self.label


def read_file(path: str, label: str | None = None) -> Version:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:  # a file that cannot be read is a finding (JM001), as in `check`
        return Version(label or path, validate_file(path))
    return Version(label or path, validate_bytes(data, label or path), _digest(data))


def pairs_of(old: str, new: str) -> list[tuple[Version | None, Version | None]]:
    """(old, new) versions to compare: two files, or the journeys of two folders matched by id."""
    for path in (old, new):
        if not os.path.exists(path):
            raise DiffUsageError(f"no such file or folder: {path}")
    if os.path.isdir(old) != os.path.isdir(new):
        raise DiffUsageError(f"compare a file with a file or a folder with a folder, not {old} with {new}")
    if not os.path.isdir(old):
        return [(read_file(old), read_file(new))]
    olds, news = _by_key(old), _by_key(new)
    keys = list(dict.fromkeys([*news, *olds]))
    return [(olds.get(k), news.get(k)) for k in keys]


def _by_key(folder: str) -> dict[str, Version]:
    found: dict[str, Version] = {}
    for path in discover([folder]):
        version = read_file(path)
        key = version.key if version.key not in found else f"{version.key}@{os.path.relpath(path, folder)}"
        found[key] = version
    return found


def at_revision(path: str, ref: str) -> Version:
    """``path`` as it was at git revision ``ref`` (its label ``REF:path``)."""
    if not os.path.isfile(path):
        raise DiffUsageError(f"--base compares one journey file with its version at a revision; "
                             f"{path} is not a file")
    try:
        verify(path, ref)
        data = read_at(path, ref)
    except GitError as problem:
        raise DiffUsageError(str(problem)) from None
    if data is None:
        raise DiffUsageError(f"{path} does not exist at `{ref}`: it is new since then, or was moved "
                             "(compare two files instead: git show REF:OLD > old.yaml)")
    return Version(f"{ref}:{path}", validate_bytes(data, path, f"{ref}:{path}"), _digest(data))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
