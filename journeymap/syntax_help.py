"""Help for YAML syntax errors, from the text around them: one wording of a parser's problem
whichever parser found it (with a hint), a tab to blame, a key written without the space after its
colon, and the extent of the item that holds an error (so the rest of the file can be parsed again
for errors of its own). Pure functions over the error's words and the file's lines; no parser here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# `emotion:frustrated`: a key-like word, a colon and no space. Not `http://…` (a colon followed
# by `/`), not `a::b`, not a line that already has a `key: ` of its own.
_NO_SPACE = re.compile(r"^[ \t]*(?:-[ \t]+)?([A-Za-z_][\w-]*):([^\s/:][^\n\r]*)$")
_ITEM = re.compile(r"^( *)-(?:[ \t]|$)")

# libyaml and PyYAML's pure-Python parser word the same problems differently; these rules make the
# two say one thing, so a journey gets the same finding whichever parser PyYAML was built with.
_SAME_WORDS = (
    (re.compile(r"did not find expected (.*)"), r"expected \1"),
    (re.compile(r"(expected .*?),? but (?:found|got) .*"), r"\1"),
    (re.compile(r"expected (?:the )?'?(<[a-z ]+>|node content)'?"), r"expected \1"),
    (re.compile(r"(found unknown escape character).*"), r"\1"),
    (re.compile(r"(.*) in this context"), r"\1 here"),
    (re.compile(r"block (sequence entries are not allowed.*)"), r"\1"),
    (re.compile(r"(found unexpected document) indicator"), r"\1 separator"),
    (re.compile(r"expected (?:a )?comment or (?:a )?line break"), "expected a comment or a line break"),
    (re.compile(r"expected (?:whitespace or line break|' ')"), "expected a space or a line break"),
    (re.compile(r"found duplicate %?YAML directive"), "found duplicate %YAML directive"),
    (re.compile(r"expected '-' indicator"), "expected <block end>"),
    (re.compile(r"found an indentation indicator equal to 0|expected indentation indicator in the "
                r"range 1-9"), "the indentation indicator of a block scalar is 0"),
)
# Plain words for the problems facilitators meet most, each with a hint.
_PLAIN: dict[str, tuple[str, str]] = {
    "expected <block end>": ("this line is indented differently from the lines above",
                             "keys of one mapping start in the same column; check this line's "
                             "indentation against the line it belongs under"),
    "expected key": ("this line is indented differently from the lines above",
                     "keys of one mapping start in the same column; check this line's "
                     "indentation against the line it belongs under"),
    "expected <document start>": ("text after the end of the journey",
                                  "check the indentation: a line less indented than the one above "
                                  "ends the mapping it belonged to"),
    "expected node content": ("a value is missing here", "write the value after `key: `, or quote "
                                                         "text that starts with a symbol"),
    "expected ',' or '}'": ("expected `,` or `}` in a `{…}` mapping",
                            "a `{` is never closed, or a comma is missing between its entries"),
    "expected ',' or ']'": ("expected `,` or `]` in a `[…]` list",
                            "a `[` is never closed, or a comma is missing between its items"),
}
TAB_HINT = "YAML indents with spaces only: replace the tab with spaces"
_HINTS = (
    ("'\\t'", TAB_HINT),
    ("mapping values are not allowed", "a value containing `: ` must be quoted, or this line is "
                                       "indented wrongly"),
    ("could not find expected ':'", "check the indentation, or a key without its `:`"),
    ("found unexpected end of stream", "a quote or bracket is opened and never closed"),
    ("found undefined alias", "an `*alias` needs an `&anchor` of the same name before it"),
    ("special characters are not allowed", "the file contains a control character; remove it"),
)


def problem_words(problem: str) -> tuple[str, str | None]:
    """One wording of a parser's problem, whichever parser found it, and a hint where one helps."""
    for pattern, words in _SAME_WORDS:
        problem = pattern.sub(words, problem) if pattern.fullmatch(problem) else problem
    if problem in _PLAIN:
        return _PLAIN[problem]
    return problem, next((h for key, h in _HINTS if key in problem), None)


def tab_to_blame(source: str, line: int, column: int) -> bool:
    """Whether a tab on the error's line is where YAML met it: in the indentation, or at the
    error itself. A tab inside a quoted value earlier on the line is text, not the mistake."""
    lines = re.split("\r\n|\r|\n", source)
    if not 0 < line <= len(lines):
        return False
    text = lines[line - 1]
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    return "\t" in indent or "\t" in text[max(column - 2, 0): column]


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
