"""Journey text made safe for a line-oriented reader: a terminal, a CI log, a test report.

A name in a journey file can hold anything YAML can escape: a newline that would start a line of
its own (``::error`` is a GitHub Actions command at the start of a line), an ESC that drives the
terminal, a NUL, a C1 control. Every human and CI format writes such text through
:func:`printable`, which shows each control as a visible escape, so a finding stays one line and
says what the file holds. Imports nothing, so the CLI can use it without slowing ``--help``.

Invisible format characters that can make text read differently from what it holds are escaped
too ("Trojan Source", CVE-2021-42574): the bidi embeddings and overrides (U+202A-U+202E) and
isolates (U+2066-U+2069), which can reverse or move a stretch of text, even across the rest of the
line; the deprecated format controls U+206A-U+206F; the invisible operators U+2061-U+2064; a
zero-width no-break space U+FEFF inside text; the interlinear annotation marks U+FFF9-U+FFFB, with
which a reader may hide the annotated text; the musical format controls U+1D173-U+1D17A; and the
tag characters U+E0000-U+E007F, which can spell a whole hidden sentence, except inside an emoji
tag sequence (the flag of Wales is U+1F3F4, tags, U+E007F).

Letters of every script pass unchanged, and so do the invisible characters scripts need
(:data:`KEPT_FORMAT`): the direction marks U+200E/U+200F and the Arabic letter mark U+061C, which
an Arabic, Persian or Hebrew sentence needs to place a number or a bracket; they are strong
characters of no width, which move only the neutral characters next to them and can neither
reverse a word nor reach past the line's letters, so they cannot forge text. Also kept: the
zero-width non-joiner and joiner (Persian words, emoji), the zero-width space and word joiner
(word breaks in Thai, Khmer, Burmese), the soft hyphen, the Arabic and Syriac number signs, the
Mongolian vowel separator, and the format controls of Egyptian hieroglyphs and Duployan shorthand.
"""

from __future__ import annotations

import re

# Format characters (Unicode category Cf) kept, each needed by some script or by emoji; every other
# Cf character is escaped (tests/test_hostile_text.py checks this against unicodedata).
KEPT_FORMAT = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u2060"
               "\U000110bd\U000110cd\U00013430-\U0001345f\U0001bca0-\U0001bca3")
# Cf characters escaped: bidi embeddings, overrides and isolates, deprecated format controls,
# invisible operators, ZWNBSP, interlinear annotation, musical format controls, tags
HIDING = ("\u202a-\u202e\u2061-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U0001d173-\U0001d17a"
          "\U000e0001\U000e0020-\U000e007f")
# C0 and C1 controls, DEL, the Unicode line and paragraph separators, lone surrogates (an
# undecodable byte of a file name, or a YAML escape such as "\udcff"), and HIDING; an emoji tag
# sequence is matched whole (group 1) so that it is kept
_UNSAFE = re.compile("(\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f)"
                     f"|[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff{HIDING}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    if match.group(1):  # an emoji tag sequence (a subdivision flag)
        return match.group(1)
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for the byte code - 0xDC00
        return f"\\x{code - 0xDC00:02x}"
    if code > 0xFFFF:
        return f"\\U{code:08x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` on one line, every control character and every format character that can hide or
    reorder text written as an escape (``\\n``, ``\\x1b``, ``\\u202e``)."""
    return _UNSAFE.sub(_escape, text)


def utf8(text: str) -> bytes:
    """``text`` as UTF-8; a lone surrogate (from a file name that is not UTF-8) becomes ``\\udcXX``.

    In JSON that escape is read back as the same character, so a tool can still find the file;
    in other text it is visible, where strict encoding would have crashed.
    """
    return text.encode("utf-8", "backslashreplace")
