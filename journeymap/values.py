"""Parsers for the small value languages of the format: durations, shares, emotions, slugs.

Each parser takes a Python value (already typed by the YAML core schema) and returns the parsed
value, or raises :class:`BadValue` with a message and a hint a facilitator can act on.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


class BadValue(ValueError):
    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


EMOTIONS = {"angry": -2, "frustrated": -1, "neutral": 0, "pleased": 1, "delighted": 2}
EMOTION_WORDS = {value: word for word, value in EMOTIONS.items()}
OUTCOMES = ("success", "lost")

UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
# [0-9], not \d: in Python \d is any script's digit (٣, ３), and the format says 0-9 (the JSON
# Schema's regexes, ECMAScript's, read \d as 0-9 too).
DURATION_PATTERN = r"^\s*([0-9]+(\.[0-9]+)?\s*[smhdw]\s*)+$"
ISO_DURATION_PATTERN = (r"^P(?!$)([0-9]+(\.[0-9]+)?W)?([0-9]+(\.[0-9]+)?D)?(T(?=[0-9])([0-9]+(\.[0-9]+)?H)?"
                        r"([0-9]+(\.[0-9]+)?M)?([0-9]+(\.[0-9]+)?S)?)?$")
LANG_PATTERN = r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$"
SHARE_PERCENT_PATTERN = r"^\s*[0-9]+(\.[0-9]+)?\s*%\s*$"

_DURATION = re.compile(DURATION_PATTERN)
_PART = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*([smhdw])")
_ISO = re.compile(ISO_DURATION_PATTERN)
_LANG = re.compile(LANG_PATTERN)

_DURATION_HINT = "write a number with a unit: 30s, 20m, 2h, 3d, 8w, or 1h30m (or ISO 8601 like PT30M)"


def parse_duration(value: object) -> float:
    """Seconds in a duration such as ``20m``, ``1h30m``, ``2d`` or ``PT30M``."""
    if type(value) is str:
        return _duration_text(value)
    if isinstance(value, bool) or value is None:
        raise BadValue("a duration is expected here", _DURATION_HINT)
    if isinstance(value, (int, float)):
        raise BadValue(f"`{value}` has no unit, so it could be seconds, minutes or days", _DURATION_HINT)
    if not isinstance(value, str):
        raise BadValue("a duration is expected here", _DURATION_HINT)
    return _duration_text(str(value))


@lru_cache(maxsize=1024)  # a journey writes the same few durations (20m, 1h, 1d) again and again
def _duration_text(value: str) -> float:
    text = value.strip()
    _ascii_digits_only(value, text)
    if _DURATION.match(text):
        return _bounded(value, float(sum(float(n) * UNIT_SECONDS[u] for n, u in _PART.findall(text))))
    iso = _ISO.match(text.upper()) if text[:1] in "Pp" else None
    if iso:
        return _bounded(value, _iso_seconds(text.upper()))
    if re.match(r"^\s*\d+(\.\d+)?\s*[SMHDW]", text):
        raise BadValue(f"`{value}` is not a duration: units are lower case", _DURATION_HINT)
    if re.match(r"^P\d+[YM]", text.upper()):
        raise BadValue(f"`{value}`: years and months vary in length", "use weeks or days, e.g. P8W or 56d")
    raise BadValue(f"`{value}` is not a duration", _spelled_out(text) or _DURATION_HINT)


def _ascii_digits_only(value: str, text: str) -> None:
    """``٣m`` or ``３０m``: digits of another script (or full-width ones), which the format does
    not take; the hint spells the value with 0-9."""
    if text.isascii() or all(ch.isascii() or unicodedata.decimal(ch, None) is None for ch in text):
        return
    ascii_form = "".join(ch if ch.isascii() else str(unicodedata.decimal(ch, ch)) for ch in text)
    raise BadValue(f"`{value}` is written with digits other than 0–9",
                   f"write it with the digits 0–9: `{ascii_form}`")


_WORD_UNITS = re.compile(r"(\d+(?:\.\d+)?)\s*(second|sec|minute|min|hour|hr|day|week|wk)s?\b", re.I)


def _spelled_out(text: str) -> str | None:
    """``2 days 3 hours`` → a hint to write ``2d3h``: units spelled out are a common slip."""
    parts = _WORD_UNITS.findall(text)
    if not parts or _WORD_UNITS.sub("", text).strip(" ,and"):
        return None
    short = "".join(f"{number}{unit[0].lower()}" for number, unit in parts)
    return f"write `{short}`: units are s, m, h, d and w"


MAX_DURATION = 100 * 365 * 86400


def _bounded(value: object, seconds: float) -> float:
    # Longer than a century is a typo, and the limit keeps sums of durations finite (a 400-digit
    # number of weeks is infinity as a float, and would break every report that shows it).
    if seconds > MAX_DURATION:
        raise BadValue(f"`{value}` is longer than a century", _DURATION_HINT)
    return seconds


def _iso_seconds(text: str) -> float:
    date, _, time = text[1:].partition("T")
    total = 0.0
    for number, unit in re.findall(r"(\d+(?:\.\d+)?)([WD])", date):
        total += float(number) * UNIT_SECONDS[unit.lower()]
    for number, unit in re.findall(r"(\d+(?:\.\d+)?)([HMS])", time):
        total += float(number) * UNIT_SECONDS[unit.lower()]
    return total


def format_duration(seconds: float) -> str:
    """``93600`` → ``1d2h``: the largest units first, at most two of them."""
    if seconds <= 0:
        return "0m"
    parts = []
    rest = round(seconds)
    for unit in ("w", "d", "h", "m", "s"):
        size = UNIT_SECONDS[unit]
        if rest >= size:
            parts.append(f"{rest // size}{unit}")
            rest %= size
        if len(parts) == 2:
            break
    return "".join(parts) or f"{seconds:g}s"


def parse_share(value: object) -> float:
    """A fraction 0–1, or a percentage string such as ``30%``."""
    hint = "write a fraction from 0 to 1 (0.3) or a percentage (30%)"
    if isinstance(value, str):
        _ascii_digits_only(value, value.strip())
    if isinstance(value, str) and re.match(SHARE_PERCENT_PATTERN, value):
        share = float(value.strip().rstrip("%").strip()) / 100
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        share = float(value)
    else:
        raise BadValue(f"`{value}` is not a share", hint)
    if not 0.0 <= share <= 1.0:
        raise BadValue(f"share `{value}` is outside 0–1", hint)
    return share


def parse_emotion(value: object) -> int:
    hint = "use -2 … 2 or one of: " + ", ".join(EMOTIONS)
    if isinstance(value, int) and not isinstance(value, bool):
        if -2 <= value <= 2:
            return value
        raise BadValue(f"emotion `{value}` is outside -2 … 2", hint)
    if isinstance(value, str) and value.strip().lower() in EMOTIONS:
        return EMOTIONS[value.strip().lower()]
    raise BadValue(f"`{value}` is not an emotion", hint)


def parse_effort(value: object) -> int:
    hint = "effort is a whole number from 1 (effortless) to 5 (exhausting)"
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
        return value
    raise BadValue(f"effort `{value}` is not a whole number from 1 to 5", hint)


def parse_lang(value: object) -> str:
    if isinstance(value, str) and _LANG.match(value):
        return value
    raise BadValue(f"`{value}` is not a language tag", "use a BCP-47 tag such as en, ar, fa, th, lv or pt-BR")


def slug(text: str) -> str:
    """Lower case; letters, marks and digits of any script kept; other runs become ``-``."""
    text = unicodedata.normalize("NFC", text).lower()
    out: list[str] = []
    for ch in text:
        if unicodedata.category(ch)[0] in "LMN":
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")
