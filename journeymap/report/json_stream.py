"""JSON text written as it is made: the same text as ``json.dumps(doc, indent=2,
ensure_ascii=False, allow_nan=False)``, where a list may be :class:`Lazy`, whose items are
built one at a time as they are written and dropped after.

A large journey's report is a list of 100,000 touchpoint dicts; built all at once and then
encoded (json's indented encoder keeps every piece of the text until it joins them), it took
about 7 times the text's size in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from json.encoder import encode_basestring
from typing import Any, Generic, TypeVar

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
    """Pieces of text joined a few thousand at a time: a list of every small piece (json's
    way, and io.StringIO's until it joins them) costs some 50 bytes for each few characters."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pieces: list[str] = []

    def write(self, piece: str) -> None:
        self.pieces.append(piece)
        if len(self.pieces) >= 4096:
            self.parts.append("".join(self.pieces))
            self.pieces.clear()

    def getvalue(self) -> str:
        self.parts.append("".join(self.pieces))
        self.pieces.clear()
        return "".join(self.parts)


def dumps(doc: Any) -> str:
    """``doc`` as indented JSON text, ending in a line break."""
    out = _Text()
    _write(out, doc, 0)
    out.write("\n")
    return out.getvalue()


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
