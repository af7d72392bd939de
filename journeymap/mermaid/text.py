"""Text inside a Mermaid diagram: the characters its grammars stop at, written as entity codes.

Mermaid replaces ``#<code>;`` (a number or an HTML entity name) before it parses a diagram and puts
the character back in the drawing, so ``#58;`` shows a colon where a bare ``:`` would end a task
name. Labels stay one line: line breaks become spaces, other control characters their visible
escapes (``\x1b``).
"""

from __future__ import annotations

import html
import re

from journeymap.printable import printable

# `:` ends a task name and `,` separates actors (journey); `#` starts a comment and `;` ends a
# statement; `%` starts a `%%` comment; `"`, `<`, `>`, `&` and the backtick mean something in
# flowchart labels (quotes, HTML, entities, Markdown strings) and `|` closes an edge label.
_SPECIAL = frozenset(':;#%,"<>&`|')
# Words the journey grammar reads as keywords when a line starts with them (case-insensitively).
_KEYWORDS = ("journey", "title", "section", "acctitle", "accdescr")
_ENTITY = re.compile(r"#(\d+|[A-Za-z]\w*);")


def escape(text: str) -> str:
    """``text`` as one line of Mermaid text, every special character an entity code."""
    flat = printable(" ".join(text.split()))  # a control character shows as its escape
    out = "".join(f"#{ord(ch)};" if ch in _SPECIAL else ch for ch in flat)
    if out.lower().startswith(_KEYWORDS):  # `Title page: 3` would be read as a title
        out = f"#{ord(out[0])};{out[1:]}"
    return out or "-"


def unescape(text: str) -> str:
    """Mermaid text back to plain text: entity codes (``#58;``, ``#quot;``) decoded."""
    def decode(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.isdigit():
            number = int(code)
            return chr(number) if 0 < number < 0x110000 else match.group(0)
        decoded = html.unescape(f"&{code};")
        return match.group(0) if decoded.startswith("&") else decoded

    return _ENTITY.sub(decode, text)
