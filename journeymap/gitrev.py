"""Files as they were at a git revision, read with git as a plain subprocess (no shell, no pager).

A revision is checked before a file is read, so "no such revision" and "no such file at that
revision" are told apart. Paths are taken relative to their own folder (``REV:./name``), so it does
not matter from where in the repository the command runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess

TIMEOUT = 60.0


class GitError(Exception):
    """git cannot answer: no git, not a repository, or no such revision (a usage error)."""


def verify(path: str, rev: str) -> None:
    """:class:`GitError` unless ``rev`` names a commit of the repository that holds ``path``."""
    if not rev or rev.startswith("-"):
        raise GitError(f"`{rev}` is not a git revision")
    done = _git(_folder(path), "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if done.returncode != 0:
        if b"not a git repository" in done.stderr:
            raise GitError(f"comparing with a git revision needs a git repository, and {path} is not in one")
        raise GitError(f"no git revision `{rev}` in this repository (a branch, tag or commit, e.g. "
                       "origin/main or HEAD~1)")


def read_at(path: str, rev: str) -> bytes | None:
    """The content of ``path`` at ``rev`` (verified first), or None when the file is not there."""
    done = _git(_folder(path), "show", "--no-textconv", f"{rev}:./{os.path.basename(path)}")
    return done.stdout if done.returncode == 0 else None


def _folder(path: str) -> str:
    return os.path.dirname(os.path.abspath(path))


def _git(folder: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    if git is None:
        raise GitError("comparing with a git revision needs git, and there is no `git` program on the PATH")
    try:
        return subprocess.run([git, "-C", folder, *args], capture_output=True, timeout=TIMEOUT,
                              check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as problem:
        raise GitError(f"could not run git: {problem}") from None
