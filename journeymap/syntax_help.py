"""Help for YAML syntax errors, from the text around them: a key written without the space after
its colon, and the extent of the item that holds an error (so the rest of the file can be parsed
again for errors of its own). Pure functions over the file's lines; no parser here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# `emotion:frustrated`: a key-like word, a colon and no space. Not `http://…` (a colon followed
# by `/`), not `a::b`, not a line that already has a `key: ` of its own.
_NO_SPACE = re.compile(r"^[ \t]*(?:-[ \t]+)?([A-Za-z_][\w-]*):([^\s/:][^\n\r]*)$")
_ITEM = re.compile(r"^( *)-(?:[ \t]|$)")


@dataclass(frozen=True)
class NoSpace:
    """A ``key:value`` line: where the value starts (1-based), the key and the value."""

    line: int
    column: int
    key: str
    value: str


def no_space_key(lines: list[str], line: int) -> NoSpace | None:
    """The ``key:value`` line that explains a syntax error reported at ``line`` (1-based): the
    line itself or the nearest line with content above it (the parser only notices the missing
    space when the next line does not continue the text)."""
    for at in _nearby(lines, line):
        match = _NO_SPACE.match(lines[at])
        if match and ": " not in lines[at] and " #" not in lines[at]:
            key, value = match.group(1), match.group(2).rstrip()
            return NoSpace(at + 1, match.start(2) + 1, key, value)
    return None


def _nearby(lines: list[str], line: int) -> list[int]:
    """Indexes of the error's line and of the line with content above it."""
    found = []
    if 0 < line <= len(lines):
        found.append(line - 1)
    at = min(line, len(lines)) - 2
    while at >= 0 and (not lines[at].strip() or lines[at].lstrip().startswith("#")):
        at -= 1
    if at >= 0:
        found.append(at)
    return found


def item_around(lines: list[str], line: int) -> tuple[int, int] | None:
    """0-based ``[start, end)`` of the lines of the innermost list item (``- …``) holding the
    1-based ``line``; None when no list item holds it (a top-level key, the stream's markers).

    An item runs from its ``-`` to the next line with content indented no deeper than the dash.
    """
    at = min(max(line, 1), len(lines)) - 1
    while at > 0 and not lines[at].strip():
        at -= 1
    depth = _indent(lines[at])
    start = at
    while start >= 0:
        item = _ITEM.match(lines[start])
        if item and (start == at or len(item.group(1)) < depth):
            break
        if start < at and lines[start].strip() and not lines[start].startswith((" ", "#")):
            return None  # a top-level key above, and no list item between
        start -= 1
    if start < 0:
        return None
    limit = len(_ITEM.match(lines[start]).group(1))  # type: ignore[union-attr]
    end = at + 1
    while end < len(lines) and (not lines[end].strip() or lines[end].lstrip().startswith("#")
                                or _indent(lines[end]) > limit):
        end += 1
    return start, end


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))
