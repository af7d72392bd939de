"""The YAML node tree the loader builds, and the value of a scalar node under the YAML 1.2 core
schema: ``No`` and ``off`` stay strings; only ``true``/``false`` are booleans."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol, Union

from journeymap.model import Span


@dataclass(slots=True, eq=False)
class Node:
    """A YAML node: a scalar (``value`` is ``str``), a sequence or a mapping (lists of nodes)."""

    kind: str  # "scalar", "seq" or "map"
    value: Any  # str | list[Node] | list[tuple[Node, Node]]
    line: int  # 1-based
    column: int  # 1-based
    plain: bool = True  # a plain (unquoted, untagged) scalar, typed by the core schema
    tag: str | None = None
    size: int = 1  # nodes below and including this one, aliases expanded

    def span(self, file: str) -> Span:
        return Span(file, self.line, self.column)


class Eager(Protocol):
    """Builds a stage or a touchpoint as soon as the loader has composed its node, so that the
    node can be let go of: the tree keeps what these return in the node's place (the schema's
    builder replays it when it walks the tree). ``index`` counts from 1 in its list."""

    def eager_stage(self, node: Node, index: int) -> Any: ...

    def eager_touchpoint(self, node: Node, stage: int, index: int, stage_pairs: list[tuple[Node, Node]]
                         ) -> Any: ...

    def eager_reset(self) -> None:
        """Forget what was built: the loader reads the file again from its start."""


class Restart(Exception):
    """Building as the loader goes cannot give what walking the whole tree gives (an alias names a
    stage or touchpoint already built and let go of): load the file again, without ``eager``."""


Scalar = Union[None, bool, int, float, str]

_WORDS: dict[str, Scalar] = {
    "": None, "~": None, "null": None, "Null": None, "NULL": None,
    "true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False,
}
_NUMBER_START = frozenset("0123456789+-.")
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
# The YAML 1.2 core schema's spellings only: .inf .Inf .INF (signed or not), .nan .NaN .NAN;
# `.iNf` is text.
_SPECIAL_FLOATS = {f"{sign}{inf}": float(f"{sign or '+'}inf") for sign in ("", "+", "-")
                   for inf in (".inf", ".Inf", ".INF")} | dict.fromkeys((".nan", ".NaN", ".NAN"), float("nan"))


def plain_text(node: Node) -> str | None:
    """The text of a plain, untagged scalar that the core schema reads as text (most keys and
    most values: a word), without the rest of :func:`scalar_value`; None for anything else."""
    if node.plain and node.tag is None:
        text: str = node.value
        if text and text[0] not in _NUMBER_START and text not in _WORDS:
            return text
    return None


def scalar_value(node: Node) -> Scalar:
    """The value of a scalar node under the YAML 1.2 core schema (explicit tags respected)."""
    text: str = node.value
    tag = node.tag.rsplit(":", 1)[-1] if node.tag and node.tag != "!" else None
    if tag == "str" or (not node.plain and tag is None):
        return text
    if tag == "null":
        return None
    if text in _WORDS:
        return _WORDS[text]
    if text[0] not in _NUMBER_START:  # most values are words: skip the number patterns
        return text
    if text.isdigit() and text.isascii():  # most numbers: a whole number, written 0-9
        return _integer(text, 10)
    if _INT.match(text):
        return _integer(text, 10)
    if _OCT.match(text):
        return _integer(text[2:], 8)
    if _HEX.match(text):
        return _integer(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    return _SPECIAL_FLOATS.get(text, text)


def _integer(digits: str, base: int) -> int | float:
    # Python refuses decimal strings past 4,300 digits (CVE-2020-10735), and any message showing a
    # value that large would fail the same way; it can only be a mistake, so it becomes infinity.
    if len(digits) > 1000:
        return float("-inf") if digits.startswith("-") else float("inf")
    return int(digits, base)
