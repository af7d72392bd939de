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
# Spacing Thai and Lao signs that belong to the letter before them: the vowels sara a, sara aa,
# sara am, lakkhangyao, the repetition mark and the abbreviation marks (never start a line).
_FOLLOWING = frozenset("\u0e30\u0e32\u0e33\u0e45\u0e46\u0e2f\u0eb0\u0eb2\u0eb3\u0ec6\u0eaf")
ZWSP = "\u200b"  # written between Thai words (which have no spaces) to say where a line may end
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
    """Whether a line may end before ``text[at]`` without splitting a grapheme cluster: not before
    a combining mark, a joiner or a following Thai vowel, not after a joiner or a leading vowel."""
    if at <= 0 or at >= len(text):
        return False
    after, before = text[at], text[at - 1]
    return (unicodedata.category(after) not in ("Mn", "Mc", "Me")
            and before not in _LEADING_VOWELS and after not in _FOLLOWING
            and after != "\u200d" and before != "\u200d" and not "\U0001f3fb" <= after <= "\U0001f3ff")


# Thai: consonants; the vowel signs written above, below or after a consonant, which make it the
# first consonant of a syllable; tone marks, written between a consonant and a following vowel.
def _thai_consonant(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e2e"


def _thai_vowel_sign(ch: str) -> bool:
    return ch != "" and (ch in "\u0e30\u0e32\u0e33\u0e47" or "\u0e31" <= ch <= "\u0e3a")


def _thai_tone(ch: str) -> bool:
    return "\u0e48" <= ch <= "\u0e4b"


def _thai_syllable_starts(text: str, at: int) -> bool:
    """Whether a Thai syllable surely starts at ``text[at]`` and the one before surely ends there,
    judged from the letters around it, without a dictionary.

    - A leading vowel (เ แ โ ใ ไ) always starts a syllable.
    - So does a consonant after the silencer ์ or ๆ/ฯ (พิมพ์|ฉลาก).
    - A consonant that carries a vowel sign starts one (ดี, มา, กับ: a final consonant never carries
      one) when the syllable before has its vowel: it ends in a vowel sign, a tone mark, a following
      vowel, or a final consonant (the น of กิน: a consonant right after a vowel sign or tone mark).
    - Two consonants and a vowel sign start one (ครั้ง, หนึ่ง) only after a final consonant or
      ะ/ำ (which never take one): after an open vowel the first could be a final (กิน|ข้าว).

    After a bare consonant (the ก of กลับ: a syllable's first letter, or its inherent vowel) the
    place is not taken: where the letters cannot tell, no line ends there.
    """
    if at <= 0 or at >= len(text):
        return False
    ch, before = text[at], text[at - 1]
    if before in _LEADING_VOWELS or before == "\u0e31":  # ั is always followed by a final
        return False
    if ch in _LEADING_VOWELS:
        return True
    if not _thai_consonant(ch):
        return False
    if before in "\u0e4c\u0e46\u0e2f":
        return True
    closed = _thai_final(text, at - 1) or before in "\u0e30\u0e33"
    if _thai_vowel_sign(_after_tones(text, at + 1)):
        return closed or _thai_vowel_sign(before) or _thai_tone(before) or before == "\u0e45"
    return (closed and at + 1 < len(text) and _thai_consonant(text[at + 1])
            and _thai_vowel_sign(_after_tones(text, at + 2)))


def _thai_final(text: str, at: int) -> bool:
    """Whether ``text[at]`` is surely the final consonant of a syllable: a consonant right after
    the syllable's vowel sign (tone marks between), not อ (always part of a vowel), not the ย of
    เ-ีย/เ-ือ nor the ว of -ัว (parts of the vowel too), and not after ะ or ำ (which take none)."""
    ch = text[at]
    if not _thai_consonant(ch) or ch == "\u0e2d":
        return False
    k = at - 1
    while k >= 0 and _thai_tone(text[k]):
        k -= 1
    vowel = text[k] if k >= 0 else ""
    if not vowel or not _thai_vowel_sign(vowel) or vowel in "\u0e30\u0e33":
        return False
    return not ((ch == "\u0e22" and vowel in "\u0e35\u0e37") or (ch == "\u0e27" and vowel == "\u0e31"))


def _after_tones(text: str, at: int) -> str:
    """The first letter from ``text[at]`` on that is not a tone mark ("" at the end)."""
    while at < len(text) and _thai_tone(text[at]):
        at += 1
    return text[at] if at < len(text) else ""


def _split_long(word: str, width: int) -> Iterator[str]:
    """Cut a word wider than a line (Thai has no spaces) into lines, each ending where
    :func:`_line_end` says."""
    start = 0
    while start < len(word):
        end = _line_end(word, start, width)
        if end is None:
            break
        yield word[start:end]
        start = end
    yield word[start:]


def _line_end(word: str, start: int, width: int) -> int | None:
    """Where the line from ``word[start]`` ends; None when the rest fits (or cannot be cut).

    At the last place before the line is full between two Thai syllables that the letters show
    (:func:`_thai_syllable_starts`); when there is none, Thai text runs on to the next one (up to
    twice the width: a line a little long rather than a syllable cut); else, and in other
    scripts, at the last place between two grapheme clusters. Looks at each character of the
    line once, and at those of the next line again when it starts inside them.
    """
    cut = syllable = start
    seen, thai = 0, False
    for at in range(start, len(word)):
        ch = word[at]
        if at > start and _can_break(word, at):
            starts = _thai_syllable_starts(word, at)
            if seen <= width:
                cut = at
                syllable = at if starts else syllable
            elif starts:
                return at
        thai = thai or "\u0e00" <= ch <= "\u0e7f"
        seen += _visible(ch)
        if seen > width and (syllable > start or not thai or seen > 2 * width):
            break
    else:  # the end of the word: the rest fits, or is Thai that has no syllable break in reach
        if seen <= width or (thai and syllable == start and seen <= 2 * width):
            return None
    if syllable > start:
        return syllable
    return cut if cut > start else None


def _pieces(word: str, width: int) -> Iterator[tuple[str, str]]:
    """(what goes before it on the line, piece) for each piece of a word: a space before the
    first; nothing between the pieces cut at a zero-width space (which stays at the end of its
    piece, so the text is unchanged) or cut from a piece too wide for a line."""
    glue = " "
    parts = word.split(ZWSP) if ZWSP in word else [word]
    for k, part in enumerate(parts):
        for piece in _split_long(part + ZWSP if k < len(parts) - 1 else part, width):
            yield glue, piece
            glue = ""


def wrap(text: str, width: int = WRAP, max_lines: int = 4) -> list[str]:
    """Lines of at most ``width`` characters; a label longer than ``max_lines`` ends in ``…``.

    Lines end at spaces, at zero-width spaces (how Thai marks word breaks), and only in a word
    wider than a line anywhere else (see :func:`_split_long`).
    """
    lines: list[str] = []
    line = ""
    for word in clean(text).split(" "):
        for glue, piece in _pieces(word, width):
            candidate = f"{line}{glue}{piece}" if line else piece
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
