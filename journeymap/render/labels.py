"""Text from a journey made safe for DOT and HTML, and wrapped to fit a map node.

Every string a facilitator writes passes through here before it reaches an output. Nothing a
journey says can close a label, start a new DOT statement, or open an HTML tag.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# Thai and Lao vowels written before the consonant they are pronounced after: never end a line
# on one of them.
_LEADING_VOWELS = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4")
WRAP = 22


# Everything clean() drops or turns into a space: control characters (Cc), surrogates (Cs),
# private use (Co), non-characters, and the line breaks outside Cc. Text without any (nearly every
# label) needs only its spaces collapsed, without a look at each character.
_TO_CLEAN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef"
                       + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(15))
                       + "\U000f0000-\U0010ffff]")


def clean(text: str) -> str:
    """One line of printable text: control characters, surrogates and non-characters dropped,
    line breaks and tabs turned into spaces (a label is not a place for layout)."""
    if not _TO_CLEAN.search(text):
        return " ".join(text.split())
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in "\n\r\t\v\f\u2028\u2029\x85":
            out.append(" ")
        elif category in ("Cc", "Cs", "Co") or _noncharacter(ch):
            continue
        else:
            out.append(ch)
    return " ".join("".join(out).split())


def _noncharacter(ch: str) -> bool:
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def html(text: str) -> str:
    """Escape for HTML text and attributes, and for SVG/XML."""
    return (clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def dot_html(text: str) -> str:
    """Escape for a Graphviz HTML-like label.

    Graphviz still expands ``\\N``, ``\\G``… in HTML-like labels (after decoding entities, so
    ``&#92;`` does not help); a doubled backslash is shown as one. Its HTML lexer also fails on
    a text run of only ``]`` (Graphviz 2.43), so ``]`` goes in as a character reference. It also
    rejects an element with nothing in it (``<B></B>``, ``<FONT …></FONT>``), which a text of only
    control characters would leave: that becomes one no-break space.
    """
    escaped = html(text).replace("\\", "\\\\").replace("]", "&#93;")
    return escaped or "&#160;"


# Graphviz's lexer refuses a quoted string of 16,384 bytes or more ("syntax error … longer than
# 16384?"); a tooltip is cut well before, with room for the quotes and the ellipsis.
MAX_QUOTED = 16_000


def quoted(text: str, limit: int = MAX_QUOTED) -> str:
    """A DOT double-quoted escString (e.g. a tooltip) whose content is taken literally.

    Backslashes go through two unescapings, the lexer's pairs and escString's ``\\N``-style
    expansions, so each one is written four times; ``"`` becomes ``\\"``; Graphviz decodes HTML
    entities in every string, so ``&`` becomes ``&amp;``. Content longer than ``limit`` bytes is
    cut between two characters (never inside an escape, never before a combining mark) and ends
    in ``…``.
    """
    text = clean(text)
    escaped = _escape_quoted(text)
    if len(escaped.encode("utf-8")) > limit:
        escaped = _escape_quoted(text[:_fitting(text, limit - len("…".encode()))]) + "…"
    return f'"{escaped}"'


def _escape_quoted(text: str) -> str:
    return text.replace("&", "&amp;").replace("\\", "\\" * 4).replace('"', '\\"')


def _fitting(text: str, limit: int) -> int:
    """How many characters of ``text`` fit in ``limit`` bytes once escaped, ending on a whole
    character (not before a combining mark or a joiner)."""
    used, end = 0, 0
    for at, ch in enumerate(text):
        used += len(_escape_quoted(ch).encode("utf-8"))
        if used > limit:
            break
        if at + 1 == len(text) or _starts_cluster(text[at + 1]):
            end = at + 1
    return end


def _starts_cluster(ch: str) -> bool:
    return unicodedata.category(ch)[0] != "M" and ch not in "\u200d\ufe0f"


def _visible(ch: str) -> bool:
    """Whether ``ch`` takes space on a line: combining marks ride on the one before."""
    return not unicodedata.combining(ch) and unicodedata.category(ch) not in ("Mn", "Me", "Cf")


def _width(text: str) -> int:
    return sum(1 for ch in text if _visible(ch))


def _can_break(text: str, at: int) -> bool:
    if at <= 0 or at >= len(text):
        return False
    after = text[at]
    return (unicodedata.category(after) not in ("Mn", "Mc", "Me")
            and text[at - 1] not in _LEADING_VOWELS and after not in "\u200d\u0e33")


def _split_long(word: str, width: int) -> Iterator[str]:
    """Cut a word wider than a line (Thai has no spaces) between grapheme clusters, at the last
    place a line can end before it is full. One pass over the word: a piece's characters are
    looked at once more at most when the next piece starts inside them."""
    start = 0
    while start < len(word):
        cut, seen, at = start, 0, start
        while at < len(word):
            if at > start and _can_break(word, at):
                cut = at
            seen += _visible(word[at])
            if seen > width:
                break
            at += 1
        if at == len(word) or cut == start:  # the rest fits, or cannot be cut
            break
        yield word[start:cut]
        start = cut
    yield word[start:]


def wrap(text: str, width: int = WRAP, max_lines: int = 4) -> list[str]:
    """Lines of at most ``width`` characters; a label longer than ``max_lines`` ends in ``…``."""
    lines: list[str] = []
    line = ""
    for word in clean(text).split(" "):
        for piece in _split_long(word, width):
            candidate = f"{line} {piece}" if line else piece
            if line and _width(candidate) > width:
                lines.append(line)
                candidate = piece
            line = candidate
            if len(lines) > max_lines:  # the rest would be cut off anyway
                break
        if len(lines) > max_lines:
            break
    if line or not lines:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip() + "…"
    return lines


def wrapped_html(text: str, width: int = WRAP, max_lines: int = 4) -> str:
    """Escaped lines joined by ``<BR/>``, for a Graphviz HTML-like label."""
    return "<BR/>".join(dot_html(line) for line in wrap(text, width, max_lines))
