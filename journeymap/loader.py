"""Bytes to YAML nodes that remember their line and column.

A small composer over the YAML parser's event stream (libyaml's C parser where present) so that
the limits are enforced while parsing, before anything can blow up: file size, nesting depth (the C
composer crashes on very deep nesting), alias expansion (alias bombs), explicit tags (no
``!!python/object``), and keys given twice in one mapping. Plain scalars are typed by the YAML 1.2
core schema, so ``No`` and ``off`` stay strings; only ``true``/``false`` are booleans.
"""

from __future__ import annotations

import bisect
import codecs
import hashlib
import os
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from journeymap.files import not_regular
from journeymap.findings import Finding, finding
from journeymap.model import Span
from journeymap.nodes import Eager, Node, Restart, plain_text, scalar_value  # schema and tests import them here
from journeymap.syntax_help import TAB_HINT, item_around, no_space_key, problem_words, tab_to_blame


class PurePythonParser(yaml.SafeLoader):
    """PyYAML's pure-Python parser, skipping tabs between tokens where libyaml does.

    libyaml takes a tab as white space inside flow collections and after a token that cannot start a
    simple key (``key:\tvalue``); the pure-Python scanner stops at every tab. Used where PyYAML was
    built without libyaml (and by the tests, which compare the two).
    """

    def scan_to_next_token(self) -> None:
        if self.index == 0 and self.peek() == "\ufeff":
            self.forward()
        while True:
            while self.peek() == " " or (self.peek() == "\t" and (self.flow_level or not self.allow_simple_key)):
                self.forward()
            if self.peek() == "#":
                while self.peek() not in "\0\r\n\x85\u2028\u2029":
                    self.forward()
            if not self.scan_line_break():
                return
            if not self.flow_level:
                self.allow_simple_key = True


try:  # the C parser is several times faster; fall back to pure Python where libyaml is missing
    from yaml import CSafeLoader as _Parser
except ImportError:  # depends on how PyYAML was built; tests force this path too
    _Parser = PurePythonParser  # type: ignore[misc,assignment]

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 2_000_000  # counting every alias expanded where it is used
PARSE_FROM_FILE = 1 << 20  # a file this large is parsed from the file, not from its text in memory
MAX_SYNTAX_ERRORS = 20  # findings for separate broken items of one file
REPARSE_CHARS = 4_000_000  # each further syntax error parses the file again: at most this much in all
_SHARED_LENGTH = 40  # texts up to this long are shared (keys, channels, owners, ids…)
_SHARED_MOST = 20_000  # …among the last this many distinct ones

# Where the eager builder takes over: the root mapping's `stages` list, each stage in it, each
# stage mapping's `touchpoints` list, each touchpoint in it.
_ROOT, _STAGES, _STAGE, _TOUCHPOINTS, _TOUCHPOINT = "root", "stages", "stage", "touchpoints", "touchpoint"
_LIST_KEYS = {_ROOT: "stages", _STAGE: "touchpoints"}  # as _key_identity gives them
_VALUE_ROLES = {_ROOT: _STAGES, _STAGE: _TOUCHPOINTS}
_ITEM_ROLES = {_STAGES: _STAGE, _TOUCHPOINTS: _TOUCHPOINT}

_ALIAS, _SCALAR, _SEQUENCE, _MAPPING_END = (yaml.AliasEvent, yaml.ScalarEvent, yaml.SequenceStartEvent,
                                            yaml.MappingEndEvent)
_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")
} | {"!"}


@dataclass
class Loaded:
    """The root node of a file (None when it could not be read) and what went wrong reading it."""

    root: Node | None
    findings: list[Finding] = field(default_factory=list)


class _Stop(Exception):
    """A limit was hit: the finding says which, and composing stops."""

    def __init__(self, found: Finding) -> None:
        self.found = found


def load_file(path: str, display: str | None = None, eager: Eager | None = None) -> Loaded:
    """Read and compose one journey file; ``display`` is the path to print in findings.

    With ``eager``, each stage and touchpoint is handed to it as soon as it is composed, and the
    tree keeps only what it gives back (see :class:`journeymap.nodes.Eager`)."""
    name = display or path
    try:
        # non-blocking, so opening a named pipe returns at once instead of waiting for a writer
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as fh:
            stat = os.fstat(fh.fileno())
            kind = not_regular(stat.st_mode)
            if kind:
                return Loaded(None, [finding("JM001", f"cannot read the file: it is {kind}, not a "
                                             "regular file", Span(name, 1, 1),
                                             hint="a journey is a YAML text file")])
            box = [_read(fh, stat.st_size)]  # let go of once decoded: not kept while composing
            loaded = _load_bytes(box, name, eager, fh)
            if loaded is None:  # parsing from the file gave a mistake, or the file changed: again
                if eager is not None:
                    eager.eager_reset()
                fh.seek(0)
                loaded = _load_bytes([_read(fh, stat.st_size)], name, eager)
            assert loaded is not None
            return loaded
    except OSError as exc:
        return Loaded(None, [finding("JM001", f"cannot read the file: {exc.strerror}", Span(name, 1, 1))])


def _read(fh: Any, size: int) -> bytes:
    """The file's bytes, up to one past the limit. ``read(MAX_BYTES + 1)`` alone set aside 16 MiB
    for any file; the size the file had is asked for first, and the rest if it grew since."""
    data: bytes = fh.read(min(size, MAX_BYTES) + 1)
    if len(data) > size and len(data) <= MAX_BYTES:
        data += fh.read(MAX_BYTES + 1 - len(data))
    return data


def load_bytes(data: bytes, file: str, eager: Eager | None = None) -> Loaded:
    """Decode and compose a journey from raw bytes."""
    loaded = _load_bytes([data], file, eager)
    assert loaded is not None
    return loaded


def _load_bytes(box: list[bytes], file: str, eager: Eager | None, fh: Any = None) -> Loaded | None:
    """:func:`load_bytes` for the bytes in ``box``, which it empties. ``fh``: the open file they
    were read from, for a large file to be parsed from (None: that failed; read it again)."""
    data = box.pop()
    at = Span(file, 1, 1)
    if len(data) > MAX_BYTES:
        return Loaded(None, [finding("JM001", f"the file is larger than {MAX_BYTES // 2**20} MiB; "
                                     "a journey file should be far smaller", at)])
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\0\0\xfe\xff")):  # Windows editors save these
        return Loaded(None, [finding("JM001", "the file is UTF-16 or UTF-32 text, not UTF-8", at,
                                     hint="save the file with UTF-8 encoding")])
    wide = _wide_encoding(data) if b"\0" in data else None
    if wide:
        return Loaded(None, [finding("JM001", f"the file is {wide} text without a byte-order mark, not UTF-8",
                                     at, hint="save the file with UTF-8 encoding")])
    if b"\0" in data:
        return Loaded(None, [finding("JM001", "this is a binary file, not YAML text", at,
                                     hint="journeys are UTF-8 text files ending in .yaml or .yml")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return Loaded(None, [finding("JM001", f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x})",
                                     Span(file, line, column),
                                     hint="save the file with UTF-8 encoding")])
    source = None
    if fh is not None and len(data) >= PARSE_FROM_FILE and not data.startswith(codecs.BOM_UTF8):
        source = _FromFile(fh, hashlib.blake2b(data).digest())
    del data
    box = [text]  # and the text is let go of when it is parsed from the file
    del text
    return _load_text(box, file, eager, source)


def _wide_encoding(data: bytes) -> str | None:
    """``UTF-16`` or ``UTF-32`` when the NUL bytes fall as they do in those encodings of text
    (``j\\0o\\0`` …: every other or three in four bytes of Latin text, and in nowhere else)."""
    sample = data[: 4096 - 4096 % 4]
    if len(sample) < 8:
        return None
    for name, width, little, big in (("UTF-32", 4, (1, 2, 3), (0, 1, 2)), ("UTF-16", 2, (1,), (0,))):
        for endian, zero_at in (("LE", little), ("BE", big)):
            if _zeros_only_at(sample, width, zero_at):
                try:
                    # incremental: a sample may end inside a surrogate pair
                    codecs.getincrementaldecoder(f"{name.lower()}-{endian.lower()}")().decode(sample)
                except UnicodeDecodeError:
                    continue
                return f"{name} ({'little' if endian == 'LE' else 'big'}-endian)"
    return None


def _zeros_only_at(sample: bytes, width: int, zero_at: tuple[int, ...]) -> bool:
    units = len(sample) // width
    zeros = [sample[k::width].count(0) for k in range(width)]
    rest = sum(z for k, z in enumerate(zeros) if k not in zero_at)
    return all(zeros[k] >= units * 0.3 for k in zero_at) and rest <= units * 0.02


def load_text(text: str, file: str, eager: Eager | None = None) -> Loaded:
    loaded = _load_text([text], file, eager)
    assert loaded is not None
    return loaded


def _load_text(box: list[str], file: str, eager: Eager | None, source: _FromFile | None = None
               ) -> Loaded | None:
    text = box.pop()
    if not text.strip():
        return Loaded(None, [finding("JM001", "the file is empty", Span(file, 1, 1),
                                     hint="a journey needs at least `journey:` (its title) and `stages:`")])
    lines = _Lines(text)
    control = _NON_PRINTABLE.search(text)
    if control:  # found here, so that libyaml and the pure-Python reader say the same
        return Loaded(None, [_control_finding(lines, control.start(), file)])
    cut = _deep_flow_cut(text)
    if cut is not None:
        # Flow brackets nest past the limit. libyaml 0.2.6 refuses nesting past 1,000 levels while
        # reading ahead on one line, before the composer's own guard sees the events; composing only
        # the text up to the bracket that goes too deep lets the guard (or an earlier mistake) speak.
        early = _compose(text[:cut], file, lines)
        if early is not None:
            return early
    elif source is not None and _by_pieces(_Parser):
        # A large file is parsed from the file itself, so that its text is not held beside the
        # journey being built. Anything but a clean read of the same bytes: None, read it again.
        del text
        lines.text = ""
        return _compose_from_file(source, file, lines, eager)
    return _compose(text, file, lines, eager=eager) or Loaded(None, [])


def _compose_from_file(source: _FromFile, file: str, lines: _Lines, eager: Eager | None) -> Loaded | None:
    composer = _Composer("", file, lines, eager, source)
    try:
        root = composer.compose()
    except (_Stop, yaml.YAMLError):
        return None
    return Loaded(root, composer.findings) if source.unchanged() else None


def _compose(text: str, file: str, lines: _Lines, budget: int = MAX_SYNTAX_ERRORS,
             eager: Eager | None = None) -> Loaded | None:
    """Compose ``text``; None when it is a prefix cut short and it ran into its own end."""
    composer = _Composer(text, file, lines, eager)
    try:
        root = composer.compose()
    except _Stop as stop:
        return Loaded(None, composer.findings + [stop.found])
    except yaml.MarkedYAMLError as exc:
        if lines.prefix_ended(exc, text):
            return None
        first = _syntax_finding(exc, file, text, lines)
        budget = min(budget, REPARSE_CHARS // max(len(text), 1))  # a large file: fewer parses
        more = [] if lines.cut_short(text) or budget <= 1 else _further_syntax_errors(text, file, first, budget)
        return Loaded(None, composer.findings + [first, *more])
    except yaml.reader.ReaderError as exc:  # not expected after the check above: an offset, not a mark
        offset = exc.position if exc.encoding == "unicode" else _char_offset(text, exc.position)
        return Loaded(None, composer.findings + [_control_finding(lines, offset, file)])
    except yaml.YAMLError as exc:
        return Loaded(None, composer.findings + [finding("JM001", f"not valid YAML: {exc}", Span(file, 1, 1))])
    if lines.cut_short(text):
        return None
    return Loaded(root, composer.findings)


# What YAML 1.1 and 1.2 forbid in a stream (tab, line breaks and NEL are allowed), as libyaml's and
# PyYAML's readers check it.
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_FLOW_TOKENS = re.compile(r"""[\[\]{}#"']""")
_QUOTE_END = {'"': re.compile(r'"|\\.', re.S), "'": re.compile(r"'(?!')|''")}


def _deep_flow_cut(text: str) -> int | None:
    """The offset just past the flow bracket nested more than MAX_DEPTH levels deep, if any.

    A cheap scan over brackets, quotes and comments; it may be fooled (brackets in a plain scalar
    or a block scalar), which only costs one extra parse of a prefix, never a wrong finding.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    at = 0
    while True:
        match = _FLOW_TOKENS.search(text, at)
        if match is None:
            return None
        char, at = match.group(), match.end()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return at
        elif char in "]}":
            depth = max(depth - 1, 0)
        elif char == "#":
            if match.start() == 0 or text[match.start() - 1] in " \t\n":
                end = text.find("\n", at)
                at = len(text) if end < 0 else end
        elif char in "\"'" and (match.start() == 0 or text[match.start() - 1] in " \t\n[{,:-?"):
            at = _quote_end(text, char, at)


def _quote_end(text: str, quote: str, at: int) -> int:
    pattern = _QUOTE_END[quote]
    while True:
        match = pattern.search(text, at)
        if match is None:
            return len(text)
        at = match.end()
        if match.group() == quote:
            return at


def _char_offset(text: str, byte_offset: int) -> int:
    return len(text.encode("utf-8")[:byte_offset].decode("utf-8", "ignore"))


def _control_finding(lines: _Lines, offset: int, file: str) -> Finding:
    char = ord(lines.text[offset]) if offset < len(lines.text) else 0
    return finding("JM001", f"the file contains the control character U+{char:04X}, which YAML does "
                   "not allow", Span(file, *lines.at(offset)),
                   hint="remove it, or write it as an escape such as \"\\a\" in a double-quoted string")


class _Lines:
    """Line and column of a parser mark, counting lines as editors and YAML 1.2 do.

    libyaml (YAML 1.1) also breaks lines at NEL, LS and PS, so after one of those its line numbers
    run ahead of the editor's; in the rare file holding one, count from the character index instead
    (line breaks: LF, CRLF and a lone CR). And it can place the end of a file below its last line.
    """

    def __init__(self, text: str) -> None:
        odd = re.search("[\x85\u2028\u2029]", text)
        self.text = text
        self.starts = [m.end() for m in re.finditer("\r\n|\r|\n", text)] if odd else None
        self.last = text.count("\n") + text.count("\r") - text.count("\r\n") + 1
        self.end = (self.last, len(text) - max(text.rfind("\n"), text.rfind("\r")))

    def at(self, offset: int) -> tuple[int, int]:
        """Line and column of a character offset into the text."""
        before = self.text[:offset]
        line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
        breaks = before.count("\n") + before.count("\r") - before.count("\r\n")
        return breaks + 1, offset - line_start + 1

    def cut_short(self, text: str) -> bool:
        """Whether ``text`` is only a prefix of the file's text."""
        return len(text) < len(self.text)

    def prefix_ended(self, exc: yaml.MarkedYAMLError, text: str) -> bool:
        """Whether composing a prefix failed only because the prefix ran out."""
        mark = exc.problem_mark or exc.context_mark
        return self.cut_short(text) and mark is not None and self(mark) >= self.at(len(text))

    def __call__(self, mark: Any) -> tuple[int, int]:
        if self.starts is None:
            line, column = mark.line + 1, mark.column + 1
        else:
            before = bisect.bisect_right(self.starts, mark.index)
            line, column = before + 1, mark.index - (self.starts[before - 1] if before else 0) + 1
        return (line, column) if line <= self.last else self.end


def _further_syntax_errors(text: str, file: str, first: Finding, budget: int) -> list[Finding]:
    """Syntax errors after ``first``, each in an item of its own: the list item holding ``first``
    is blanked out, keeping the line numbers, and the rest parsed again.

    Only errors below the blanked item are kept, so one mistake is not reported again as the
    errors that follow from it. Limits: an error the parser places at the end of the file (an
    unclosed quote or bracket) hides what follows it; two mistakes in one item give one finding;
    only errors inside a list item (a stage, a touchpoint, a failure…) are skipped over, not
    those in a top-level key or between documents; a file with NEL/LS/PS line breaks, or larger
    than a few MB, gets fewer (or only its first).
    """
    if re.search("[\x85\u2028\u2029]", text) or first.span is None:
        return []
    source = text.splitlines(keepends=True)
    item = item_around(source, first.span.line)
    if item is None:
        return []
    start, end = item
    blanked = "".join(source[:start]) + "".join(_line_break(x) for x in source[start:end]) + "".join(source[end:])
    again = _compose(blanked, file, _Lines(blanked), budget - 1)
    found = [f for f in again.findings if f.message.startswith("YAML syntax")] if again else []
    if not found or found[0].span is None or found[0].span.line <= end or found[0].span == first.span:
        return []  # inside or above the blanked item, or the end of the file again: not its own
    return found


def _line_break(line: str) -> str:
    return line[len(line.rstrip("\r\n")):]


def _syntax_finding(exc: yaml.MarkedYAMLError, file: str, source: str, lines: _Lines) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    line, column = lines(mark) if mark else (1, 1)
    spaceless = no_space_key(re.split("\r\n|\r|\n", source), line)
    if spaceless is not None:
        return finding("JM001", f"YAML syntax: `{spaceless.key}:{spaceless.value}` has no space after "
                       "the colon, so YAML reads it as text, not a key and its value",
                       Span(file, spaceless.line, spaceless.column),
                       hint=f"write `{spaceless.key}: {spaceless.value}`")
    problem, hint = problem_words((exc.problem or exc.context or "syntax error").strip())
    if tab_to_blame(source, line, column):
        problem, hint = "a tab character where YAML expects spaces", TAB_HINT
    return finding("JM001", f"YAML syntax: {problem}", Span(file, line, column), hint=hint)


class _FromFile:
    """A large file handed to libyaml a piece at a time from the file, checking that it gives the
    bytes that were read and checked before (``digest``)."""

    __slots__ = ("fh", "digest", "hash")

    def __init__(self, fh: Any, digest: bytes) -> None:
        self.fh = fh
        self.digest = digest
        self.hash = hashlib.blake2b()
        fh.seek(0)

    def read(self, size: int) -> bytes:
        piece: bytes = self.fh.read(size)
        self.hash.update(piece)
        return piece

    def unchanged(self) -> bool:
        return not self.fh.read(1) and self.hash.digest() == self.digest


class _Pieces:
    """The text handed to libyaml a piece at a time. Given the whole string, PyYAML's C parser
    keeps a UTF-8 copy of it while it parses, as large as the file; read in pieces, it turns each
    into UTF-8 as it needs it (the same bytes, so the same events and marks)."""

    __slots__ = ("text", "at")

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def read(self, size: int) -> str:
        piece = self.text[self.at:self.at + size]
        self.at += size
        return piece


def _by_pieces(parser: type) -> bool:
    """Whether ``parser`` is PyYAML's C parser, which reads from an object with ``read``."""
    return not issubclass(parser, yaml.reader.Reader)  # the pure-Python one reads a string


class _Composer:
    """Builds :class:`Node` trees from parser events, enforcing the limits as it goes."""

    def __init__(self, text: str, file: str, lines: _Lines, eager: Eager | None = None,
                 source: _FromFile | None = None) -> None:
        self.text = text
        self.source = source
        self.file = file
        self.lines = lines
        self.anchors: dict[str, Node] = {}
        self.findings: list[Finding] = []
        self.total = 0
        # One object for each short text, however often it occurs (keys such as `name`, values
        # such as `web`), and one line number for the nodes on one line: a 15 MiB journey made
        # millions of small objects that were copies. Cleared when it grows large: the texts that
        # repeat come back at once, and the ids and names that do not are not kept twice.
        self.shared: dict[str, str] = {}
        self.line = 0
        # Building as we go: what `eager` built stands in the tree for stages and touchpoints.
        self.eager = eager
        self.built = 0  # how many stand-ins so far
        self.holding: set[str] = set()  # anchors whose node holds stand-ins: an alias to one restarts
        self.stage = 0  # the stage being composed (its position), and its pairs so far
        self.stage_pairs: list[tuple[Node, Node]] = []

    def compose(self) -> Node | None:
        # built here, inside the caller's try: the pure-Python parser reads the text as it is built
        source = self.source or (_Pieces(self.text) if _by_pieces(_Parser) else self.text)
        p = self.parser = _Parser(source)
        try:
            p.get_event()  # StreamStart
            if p.check_event(yaml.StreamEndEvent):
                return None
            p.get_event()  # DocumentStart
            root = self._node(1, _ROOT if self.eager is not None else None)
            p.get_event()  # DocumentEnd
            if not p.check_event(yaml.StreamEndEvent):
                event = p.peek_event()
                raise _Stop(finding("JM001", "a journey file holds one YAML document; this is a second one",
                                    self._span(event), hint="put each journey in a file of its own"))
            return root
        finally:
            p.dispose()

    def _span(self, event: Any) -> Span:
        return Span(self.file, *self.lines(event.start_mark))

    def _count(self, node: Node, event: Any) -> Node:
        self.total += node.size
        if self.total > MAX_NODES:
            self._too_many(event)
        return node

    def _too_many(self, event: Any) -> None:
        why, hint = ("", "split it into journeys of a few thousand touchpoints")
        if self.anchors:
            why, hint = "(aliases repeated many times?)", "write the journey out without nested aliases"
        raise _Stop(finding("JM001", f"the document expands to more than {MAX_NODES:,} values {why}"
                            .strip(), self._span(event), hint=hint))

    def _node(self, depth: int, role: str | None = None) -> Node:
        # the hottest code of the loader: a few hundred thousand calls for a large journey
        event = self.parser.get_event()
        cls = type(event)
        if cls is _ALIAS:
            target = self.anchors.get(event.anchor)
            if target is None:
                raise _Stop(finding("JM001", f"unknown alias `*{event.anchor}`", self._span(event),
                                    hint="an `*alias` needs an `&anchor` of the same name before it"))
            if event.anchor in self.holding:
                raise Restart(f"`*{event.anchor}` names what was built and let go of")
            return self._count(target, event)
        tag = event.tag
        if tag is not None and tag not in _STANDARD_TAGS:
            short = tag.replace("tag:yaml.org,2002:", "!!")
            raise _Stop(finding("JM001", f"YAML tag `{short}` is not allowed in a journey",
                                self._span(event), hint="remove the tag; journeys hold plain data only"))
        mark = event.start_mark
        line = mark.line + 1
        lines = self.lines
        if lines.starts is not None or line > lines.last:
            line, column = lines(mark)
        else:
            column = mark.column + 1
        if line == self.line:
            line = self.line  # the same int object as the node before, on the same line
        self.line = line
        anchor = event.anchor
        if cls is _SCALAR:
            value = event.value
            if len(value) <= _SHARED_LENGTH:
                shared = self.shared
                value = shared.setdefault(value, value)
                if len(shared) > _SHARED_MOST:
                    shared.clear()
            node = Node("scalar", value, line, column, event.implicit[0] and tag is None, tag)
            self.total += 1
            if self.total > MAX_NODES:
                self._too_many(event)
        else:
            if depth > MAX_DEPTH:
                raise _Stop(finding("JM001", f"the document is nested more than {MAX_DEPTH} levels deep",
                                    self._span(event), hint="a journey needs fewer than ten levels"))
            built = self.built
            if cls is _SEQUENCE:
                node = self._sequence(event, depth, line, column, tag, role)
            else:
                node = self._mapping(event, depth, line, column, tag, role)
            if anchor:
                if self.built > built:
                    self.holding.add(anchor)
                else:
                    self.holding.discard(anchor)
        if anchor:
            self.anchors[anchor] = node
        return node

    def _sequence(self, event: Any, depth: int, line: int, column: int, tag: str | None,
                  role: str | None) -> Node:
        items: list[Any] = []
        size = 1
        item_role = _ITEM_ROLES.get(role) if role is not None else None
        while not self.parser.check_event(yaml.SequenceEndEvent):
            if item_role == _STAGE:
                self.stage = len(items) + 1
            item = self._node(depth + 1, item_role)
            size += item.size
            if item_role is not None:
                item = self._build(item_role, item, len(items) + 1)
            items.append(item)
        self.parser.get_event()
        node = Node("seq", items, line, column, tag=tag, size=size)
        self.total += 1
        return node

    def _build(self, role: str, item: Node, index: int) -> Any:
        """What the eager builder makes of a stage or touchpoint, to stand in the tree for it."""
        assert self.eager is not None
        self.built += 1
        if role == _STAGE:
            return self.eager.eager_stage(item, index)
        return self.eager.eager_touchpoint(item, self.stage, index, self.stage_pairs)

    def _where(self, key: Node | yaml.AliasEvent) -> Span:
        return self._span(key) if isinstance(key, yaml.AliasEvent) else key.span(self.file)

    def _mapping(self, event: Any, depth: int, line: int, column: int, tag: str | None,
                 role: str | None = None) -> Node:
        pairs: list[tuple[Node, Node]] = []
        merged: list[tuple[Node, Node]] = []
        seen: dict[Any, Node | yaml.AliasEvent] = {}
        size = 1
        list_key = _LIST_KEYS.get(role) if role is not None else None
        if role == _STAGE:
            self.stage_pairs = pairs
        parser = self.parser
        while True:
            # where the key is written: an `*alias` key's node is its anchor's, elsewhere
            written = parser.peek_event()
            if type(written) is _MAPPING_END:
                break
            key = self._node(depth + 1)
            ident = _key_identity(key)
            # the list of stages (of touchpoints) is built as it is composed, if the schema will
            # read it: the key given once, not a merge
            value_role = (_VALUE_ROLES[role] if list_key is not None and ident == list_key
                          and ident not in seen else None)
            value = self._node(depth + 1, value_role)
            if key.kind == "scalar" and key.plain and key.value == "<<":
                merged.extend(self._merge_pairs(value))
                continue
            first = seen.get(ident) if ident is not None else None
            here = written if isinstance(written, yaml.AliasEvent) else key
            if first is not None:
                self.findings.append(finding(
                    "JM002", f"key `{key.value}` is given twice in one mapping (first at line "
                    f"{self._where(first).line})", self._where(here),
                    hint="YAML would silently keep the last one; keep one of them"))
                continue
            if ident is not None:
                seen[ident] = here
            pairs.append((key, value))
            size += key.size + value.size
        self.parser.get_event()
        if merged:
            own = {_key_identity(k) for k, _ in pairs}
            for k, v in merged:
                if _key_identity(k) not in own:
                    pairs.append((k, v))
                    size += k.size + v.size
        node = Node("map", pairs, line, column, tag=tag, size=size)
        self.total += 1
        return node

    def _merge_pairs(self, value: Node) -> list[tuple[Node, Node]]:
        """The pairs that a ``<<`` merge key brings in: later sources never override earlier ones."""
        sources = value.value if value.kind == "seq" else [value]
        pairs: list[tuple[Node, Node]] = []
        taken: set[Any] = set()
        for source in sources:
            if source.kind != "map":
                raise _Stop(finding("JM001", "a `<<` merge key takes a mapping or a list of mappings",
                                    source.span(self.file)))
            for k, v in source.value:
                ident = _key_identity(k)
                if ident not in taken:
                    taken.add(ident)
                    pairs.append((k, v))
        return pairs


def _key_identity(key: Node) -> Any:
    """What tells keys apart: the text of a text key (most keys: fast), else (type, value);
    None for keys never equal to another (a list, a mapping, NaN)."""
    if key.kind != "scalar":
        return None
    text = plain_text(key)
    if text is not None:
        return text
    value = scalar_value(key)
    if isinstance(value, str):
        return value
    return (type(value).__name__, value) if not isinstance(value, float) or value == value else None
