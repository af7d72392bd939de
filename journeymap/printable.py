"""Journey text made safe for a line-oriented reader: a terminal, a CI log, a test report.

A name in a journey file can hold anything YAML can escape: a newline that would start a line of
its own (``::error`` is a GitHub Actions command at the start of a line), an ESC that drives the
terminal, a NUL, a C1 control. Every human and CI format writes such text through
:func:`printable`, which shows each control as a visible escape, so a finding stays one line and
says what the file holds. Letters of every script, and the direction marks RTL text needs, pass
unchanged. Imports nothing, so the CLI can use it without slowing ``--help``.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, the Unicode line and paragraph separators, and lone surrogates (an
# undecodable byte of a file name, or a YAML escape such as "\udcff")
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for the byte code - 0xDC00
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` on one line, every control character written as an escape (``\\n``, ``\\x1b``)."""
    return _UNSAFE.sub(_escape, text)


def utf8(text: str) -> bytes:
    """``text`` as UTF-8; a lone surrogate (from a file name that is not UTF-8) becomes ``\\udcXX``.

    In JSON that escape is read back as the same character, so a tool can still find the file;
    in other text it is visible, where strict encoding would have crashed.
    """
    return text.encode("utf-8", "backslashreplace")
