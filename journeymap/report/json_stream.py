"""The one JSON writer of the tool's documents (check, report, diff, observe): compact by default,
indented with ``pretty``. The text is the same as ``json.dumps(doc, ensure_ascii=False,
allow_nan=False)`` with ``separators=(",", ":")`` (compact) or ``indent=2`` (pretty), where a list
may be :class:`Lazy`, whose items are built one at a time as they are written and dropped after.

A large journey's report is a list of 100,000 touchpoint dicts; built all at once and then
encoded (json's indented encoder keeps every piece of the text until it joins them), it took
about 7 times the text's size in memory.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from json.encoder import encode_basestring
from typing import Any, BinaryIO, Generic, TypeVar

from journeymap.printable import utf8

T = TypeVar("T")


class Lazy(Generic[T]):
    """A JSON array of ``make(item)`` for each of ``items``, made while it is written."""

    def __init__(self, items: Sequence[T], make: Callable[[T], Any]) -> None:
        self.items, self.make = items, make

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Any]:
        return (self.make(item) for item in self.items)


class _Text:
    """Pieces of text joined a few thousand at a time and handed to ``put``: a list of every
    small piece (json's way, and io.StringIO's until it joins them) costs some 50 bytes for each
    few characters."""

    def __init__(self, put: Callable[[str], Any]) -> None:
        self.put = put
        self.pieces: list[str] = []
        self.size = 0

    def write(self, piece: str) -> None:
        self.pieces.append(piece)
        self.size += len(piece)
        # (by size too: a compact piece is a whole touchpoint's text)
        if len(self.pieces) >= 4096 or self.size >= 65536:
            self.flush()

    def flush(self) -> None:
        self.put("".join(self.pieces))
        self.pieces.clear()
        self.size = 0


def dumps(doc: Any, pretty: bool = False) -> str:
    """``doc`` as JSON text on one line, or indented by two spaces with ``pretty``; ending in a
    line break either way."""
    parts: list[str] = []
    _dump(doc, parts.append, pretty)
    return "".join(parts)


def dump(doc: Any, out: BinaryIO, pretty: bool = False) -> None:
    """:func:`dumps` written to ``out`` as UTF-8 (as :func:`journeymap.printable.utf8` writes
    it) while it is made, some 64 KB at a time: the
    text of a large report is never held whole (nor its UTF-8 copy)."""
    _dump(doc, lambda part: out.write(utf8(part)), pretty)


def _dump(doc: Any, put: Callable[[str], Any], pretty: bool) -> None:
    out = _Text(put)
    if pretty:
        _write(out, doc, 0)
    else:
        _compact(out, doc)
    out.write("\n")
    out.flush()


# json's C encoder writes compact text several times faster than a walk in Python; it writes each
# small part of the document (each touchpoint's dict, each finding). Anything larger goes a piece at
# a time: the encoder keeps each few characters of its text as a string object of their own until
# the end (some 50 bytes each), 6 times the text for the report's factors in one go.
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))
_SMALL = 64
_SCALARS = frozenset({str, int, float, bool, type(None)})


class _HoldsLazy(Exception):
    """An item of a Lazy list holds a Lazy list (or something json cannot write)."""


def _holds_lazy(value: Any) -> Any:
    raise _HoldsLazy


# A Lazy list's items are written whole by json's C encoder without first counting their values
# (_small): an item is one touchpoint's or one finding's text, small enough however it is made.
# One that holds a Lazy list (a journey, a factor) stops the encoder there and is walked instead.
_WHOLE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"),
                          default=_holds_lazy)


def _small(value: Any) -> bool:
    """``value`` holds no Lazy list and at most _SMALL values in all, at any depth."""
    left, todo = _SMALL, [value]
    while todo:
        item = todo.pop()
        if type(item) in _SCALARS:  # most values: one look-up, not three isinstance calls
            continue
        if isinstance(item, Lazy):
            return False
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, (list, tuple)):
            continue
        left -= len(item)
        if left < 0:
            return False
        todo.extend(item)
    return True


def _compact(out: _Text, value: Any) -> None:
    if _small(value):
        out.write(_ENCODER.encode(value))
    elif isinstance(value, dict):
        out.write("{")
        for i, (key, item) in enumerate(value.items()):
            out.write(("," if i else "") + encode_basestring(key) + ":")
            _compact(out, item)
        out.write("}")
    elif isinstance(value, Lazy):  # its items (touchpoints, findings) 32 at a time
        out.write("[")
        batch: list[Any] = []
        first = True
        for item in value:
            batch.append(item)
            if len(batch) == _BATCH:
                first = _items(out, batch, first)
        _items(out, batch, first)
        out.write("]")
    else:  # a list or a tuple
        out.write("[")
        for i, item in enumerate(value):
            if i:
                out.write(",")
            _compact(out, item)
        out.write("]")


# Items of a Lazy list encoded in one call: json's encoder is set up anew for every call (a few
# microseconds, a third of a touchpoint's), and a list's text is its items' texts joined by commas.
# 32 items: nearly all of the gain; 256 held more of the items' dicts at once than one file's
# text (tests/test_memory.py).
_BATCH = 32


def _items(out: _Text, batch: list[Any], first: bool) -> bool:
    """Write ``batch`` (items of a Lazy list, made already) after a comma unless ``first``, and
    empty it; False once anything was written."""
    if not batch:
        return first
    try:
        text = _WHOLE.encode(batch)[1:-1]
    except _HoldsLazy:  # an item holds a Lazy list: walked, the others whole
        for item in batch:
            if not first:
                out.write(",")
            first = False
            try:
                text = _WHOLE.encode(item)
            except _HoldsLazy:
                _compact(out, item)
            else:
                out.write(text)
    else:
        out.write(text if first else "," + text)
    batch.clear()
    return False


def _write(out: _Text, value: Any, level: int) -> None:
    if isinstance(value, dict):
        _container(out, "{}", [(encode_basestring(k) + ": ", v) for k, v in value.items()], level)
    elif isinstance(value, (list, tuple, Lazy)):
        _container(out, "[]", (("", v) for v in value) if len(value) else [], level)
    else:
        out.write(_scalar(value))


def _container(out: _Text, brackets: str, entries: Any, level: int) -> None:
    pad = "\n" + "  " * (level + 1)
    first = True
    for prefix, item in entries:
        out.write((brackets[0] if first else ",") + pad + prefix)
        _write(out, item, level + 1)
        first = False
    out.write(brackets if first else "\n" + "  " * level + brackets[1])


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"out of range float values are not JSON compliant: {value!r}")
        return float.__repr__(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
