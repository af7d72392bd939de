"""The journey model: frozen, typed data that remembers where each piece came from.

Times are seconds (floats); shares are fractions 0..1; ``None`` means "not given".
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import Enum
from functools import cached_property
from typing import Any


@dataclass(frozen=True, slots=True)
class Span:
    """A 1-based position in a journey file."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class KeySpans(Mapping[str, Span]):
    """Where each key of a touchpoint or promise was written, as a read-only mapping of key to
    :class:`Span`. A Span is made when one is asked for: a Span object for every key was half of a
    large journey's model in memory. The keys are one tuple shared by every mapping with the same
    keys in the same order, and the positions are packed, a line and a column to 8 bytes (a tuple of
    ints took 8 bytes a reference, and an int object for every line past 256)."""

    __slots__ = ("file", "_keys", "_at", "_first")

    def __init__(self, file: str, positions: Iterable[tuple[str, int, int]] = ()) -> None:
        keys: list[str] = []
        numbers: list[int] = []
        for key, line, column in positions:
            keys.append(key)
            numbers.append(line)
            numbers.append(column)
        self._set(file, _shared_keys(tuple(keys)), array("I", numbers).tobytes(), 0)

    @classmethod
    def packed(cls, file: str, keys: tuple[str, ...], numbers: list[int]) -> KeySpans:
        """The keys, and their lines and columns in turn (line, column, line, column…)."""
        return cls.view(file, _shared_keys(keys), array("I", numbers).tobytes())

    @classmethod
    def view(cls, file: str, keys: tuple[str, ...], at: bytes, first: int = 0) -> KeySpans:
        """The keys, over positions packed as 4-byte numbers (line, column…) from the ``first``
        pair on (a touchpoint keeps its own position before its keys')."""
        spans = cls.__new__(cls)
        spans._set(file, keys, at, first)
        return spans

    def _set(self, file: str, keys: tuple[str, ...], at: bytes, first: int) -> None:
        self.file = file
        self._keys = keys
        self._at = at
        self._first = first

    def __getitem__(self, key: str) -> Span:
        try:
            index = 2 * (self._keys.index(key) + self._first)
        except ValueError:
            raise KeyError(key) from None
        at = memoryview(self._at).cast("I")
        return Span(self.file, at[index], at[index + 1])

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"KeySpans({dict(self)!r})"


class _NearKeySpans(KeySpans):
    """Key positions packed a byte a number, as a touchpoint keeps them when each key is written
    on one of the 255 lines after its own line, before column 256 (see :func:`_packed`)."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Span:
        try:
            index = _NEAR.size + 2 * self._keys.index(key)
        except ValueError:
            raise KeyError(key) from None
        at = self._at
        return Span(self.file, _NEAR.unpack_from(at)[0] + at[index], at[index + 1])


_KEY_TUPLES: dict[tuple[str, ...], tuple[str, ...]] = {}
_LAYOUTS: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...]]] = {}


def _shared(pool: dict[Any, Any], value: Any) -> Any:
    """The one object in ``pool`` equal to ``value`` (``value`` itself the first time): a journey's
    touchpoints share a few dozen orders of keys. A file of countless ones empties the pool, so
    its memory stays bounded."""
    shared = pool.setdefault(value, value)
    if len(pool) > 4096:
        pool.clear()
    return shared


def _shared_keys(keys: tuple[str, ...]) -> tuple[str, ...]:
    """One tuple for each order of keys."""
    return _shared(_KEY_TUPLES, keys)  # type: ignore[no-any-return]


class _Unwritable(dict):  # type: ignore[type-arg]
    """An empty dict that refuses to be filled: shared by every model object without `x-` keys."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("a journey's `x-` fields are read-only")

    __setitem__ = __delitem__ = update = setdefault = pop = popitem = clear = __ior__ = _refuse  # type: ignore


# The `extensions` of every touchpoint, stage, failure… without `x-` keys: a dict of its own each
# took 64 bytes a touchpoint and a failure in a large journey.
NO_EXTENSIONS: dict[str, Any] = _Unwritable()


class Outcome(str, Enum):
    SUCCESS = "success"
    LOST = "lost"


@dataclass(frozen=True, slots=True)
class Workshop:
    """What a workshop writes on the wall beside a touchpoint or a stage: each a tuple of texts.

    Rules never read these; the journey map draws them in its lanes.
    """

    actions: tuple[str, ...] = ()  # what the customer does
    thoughts: tuple[str, ...] = ()  # what the customer thinks
    quotes: tuple[str, ...] = ()  # what the customer says, in their words
    pain_points: tuple[str, ...] = ()
    opportunities: tuple[str, ...] = ()
    backstage: tuple[str, ...] = ()  # the steps and systems behind the touchpoint
    notes: tuple[str, ...] = ()
    # The factor of each pain point, in order (None: not said); () when none says one.
    pain_factors: tuple[str | None, ...] = ()

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in WORKSHOP_KEYS)

    def factored_pain_points(self) -> tuple[tuple[str, str | None], ...]:
        """Each pain point with the factor it declares (None: not said)."""
        factors = self.pain_factors + (None,) * (len(self.pain_points) - len(self.pain_factors))
        return tuple(zip(self.pain_points, factors))


NO_WORKSHOP = Workshop()  # shared by every touchpoint and stage without workshop notes
WORKSHOP_KEYS = ("actions", "thoughts", "quotes", "pain_points", "opportunities", "backstage", "notes")


@dataclass(frozen=True, slots=True)
class Persona:
    name: str
    goal: str | None = None
    description: str | None = None
    # `x-` keys a team adds for its own tools: ignored by rules, kept in the JSON output.
    extensions: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Step:
    """One entry of a touchpoint's ``next``: where customers go and how many of them."""

    to: str
    span: Span
    share: float | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    """Something that can go wrong at a touchpoint, and where its customers go next."""

    id: str
    name: str
    span: Span
    share: float | None = None
    to: str | None = None
    to_span: Span | None = None
    extensions: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    # Which of the four factors fails: product, people, time or resolution (None: not said).
    factor: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """Survey answers about a touchpoint, checked and reduced to what an interval needs.

    ``kind`` says which figure it gives: ``proportion`` (``satisfied`` of ``responses``), ``nps``
    (``promoters`` and ``detractors`` of ``responses``) or ``mean`` (``mean`` and ``sd``).
    """

    metric: str  # csat, ces, nps, or a name of the team's own
    kind: str
    span: Span
    responses: int
    scale: tuple[int, int]
    satisfied: int | None = None
    promoters: int | None = None
    passives: int | None = None
    detractors: int | None = None
    mean: float | None = None
    sd: float | None = None
    distribution: tuple[int, ...] = ()
    source: str | None = None
    period: str | None = None


# The fields most touchpoints leave unsaid (each with what it is then): a touchpoint that says none
# of them has no slot for them.
_SELDOM = ("owner", "duration", "outcome", "next", "failures", "accept", "workshop", "extensions",
           "evidence", "observed_as")
_PAIR = struct.Struct("=II")
_NEAR = struct.Struct("=IB")


def _packed(line: int, column: int, keys: Sequence[int]) -> bytes:
    """A touchpoint's line and column, then its keys' (``keys``: line, column, line…), packed.
    Most touchpoints write their keys on the lines just after their own, before column 256: a
    byte each for how many lines after and the column (5 + 2 a key bytes, with 4 bytes for the
    line and 1 for the column); otherwise 4 bytes every number (8 + 8 a key). The length, with
    the number of keys, tells which."""
    near = column < 256 and all(0 <= keys[k] - line < 256 and keys[k + 1] < 256
                                for k in range(0, len(keys), 2))
    if near:
        return _NEAR.pack(line, column) + bytes(
            n - line if k % 2 == 0 else n for k, n in enumerate(keys))
    return _PAIR.pack(line, column) + array("I", keys).tobytes()


def _wide(at: bytes, keys: tuple[str, ...]) -> bool:
    """Whether positions packed by :func:`_packed` take 4 bytes a number."""
    return len(at) == 8 + 8 * len(keys)


def _span(tp: Touchpoint) -> Span:
    file, keys = tp._layout
    line, column = (_PAIR if _wide(tp._at, keys) else _NEAR).unpack_from(tp._at)
    return Span(file, line, column)


def _key_spans(tp: Touchpoint) -> KeySpans:
    file, keys = tp._layout
    if _wide(tp._at, keys):
        return KeySpans.view(file, keys, tp._at, first=1)
    return _NearKeySpans.view(file, keys, tp._at)


@dataclass(frozen=True, init=False, repr=False, eq=False)
class Touchpoint:
    """One touchpoint: a frozen dataclass (``dataclasses.replace`` and ``fields`` work), compared
    and hashed by its fields but ``key_spans`` and ``extensions``, like the other model classes,
    but kept small, since a large journey holds 100,000 of them: where it and each of its keys were
    written is packed into one bytes object (``span`` and ``key_spans`` are made when read), and
    the fields most touchpoints leave unsaid (``_SELDOM``) get slots only in a touchpoint that says
    one of them (a ``_NotedTouchpoint``; the others read the class's defaults)."""

    __slots__ = ("id", "name", "stage", "channel", "effort", "emotion", "wait", "asks", "_layout", "_at")

    id: str
    name: str
    stage: str
    span: Span = property(_span)  # type: ignore[assignment]
    channel: str | None
    owner: str | None = None
    effort: int | None
    emotion: int | None
    wait: float | None
    duration: float | None = None
    asks: tuple[str, ...]
    outcome: Outcome | None = None
    # None: the default flow (to the touchpoint after it in the file); (): explicitly none.
    next: tuple[Step, ...] | None = None
    failures: tuple[Failure, ...] = ()
    # Rule ids accepted inline for this touchpoint, with the reason given.
    accept: tuple[tuple[str, str], ...] = ()
    # Where each key of the touchpoint was written, for pointing findings at a field.
    key_spans: Mapping[str, Span] = field(default=property(_key_spans), compare=False)  # type: ignore[arg-type]
    workshop: Workshop = NO_WORKSHOP
    extensions: dict[str, Any] = field(compare=False)  # NO_EXTENSIONS unless said, set below
    evidence: tuple[Evidence, ...] = ()
    # Activity names that stand for this touchpoint in event logs (`journeymap observe`).
    observed_as: tuple[str, ...] = ()

    def __new__(cls, id: str, name: str, stage: str, span: Span, channel: str | None = None,
                owner: str | None = None, effort: int | None = None, emotion: int | None = None,
                wait: float | None = None, duration: float | None = None, asks: tuple[str, ...] = (),
                outcome: Outcome | None = None, next: tuple[Step, ...] | None = None,
                failures: tuple[Failure, ...] = (), accept: tuple[tuple[str, str], ...] = (),
                key_spans: Mapping[str, Span] | None = None, workshop: Workshop = NO_WORKSHOP,
                extensions: dict[str, Any] | None = None, evidence: tuple[Evidence, ...] = (),
                observed_as: tuple[str, ...] = ()) -> Touchpoint:
        noted = (owner is not None or duration is not None or outcome is not None or next is not None
                 or failures or accept or extensions or evidence or observed_as
                 or (workshop is not NO_WORKSHOP and workshop != NO_WORKSHOP))
        tp = object.__new__(_NotedTouchpoint if noted else Touchpoint)
        _set = object.__setattr__
        _set(tp, "id", id)
        _set(tp, "name", name)
        _set(tp, "stage", stage)
        _set(tp, "channel", channel)
        _set(tp, "effort", effort)
        _set(tp, "emotion", emotion)
        _set(tp, "wait", wait)
        _set(tp, "asks", asks)
        if type(key_spans) is KeySpans and key_spans.file == span.file:
            keys = key_spans._keys
            numbers: Sequence[int] = memoryview(key_spans._at).cast("I")[2 * key_spans._first:]
        else:
            keys = tuple(key_spans or ())
            numbers = []
            for key in keys:
                where = key_spans[key]  # type: ignore[index]
                numbers += (where.line, where.column)
        at = _packed(span.line, span.column, numbers)
        _set(tp, "_layout", _shared(_LAYOUTS, (span.file, keys)))
        _set(tp, "_at", at)
        if noted:
            for field_name, value in zip(_SELDOM, (owner, duration, outcome, next, failures, accept,
                                                   workshop, extensions or NO_EXTENSIONS, evidence,
                                                   observed_as)):
                _set(tp, field_name, value)
        return tp

    def _compared(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _COMPARED)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Touchpoint):
            return NotImplemented
        return self is other or self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _FIELDS)
        return f"Touchpoint({shown})"

    def __reduce__(self) -> tuple[Any, ...]:
        return Touchpoint, tuple(getattr(self, name) for name in _FIELDS)


Touchpoint.extensions = NO_EXTENSIONS  # type: ignore[misc]
# Its fields in the order its constructor takes them, and those it is compared and hashed by.
_FIELDS = tuple(f.name for f in fields(Touchpoint))
_COMPARED = tuple(f.name for f in fields(Touchpoint) if f.compare)


class _NotedTouchpoint(Touchpoint):
    """A touchpoint that says at least one of the seldom-said fields: it has slots for them."""

    __slots__ = _SELDOM


@dataclass(frozen=True, slots=True)
class Stage:
    id: str
    name: str
    span: Span
    touchpoints: tuple[Touchpoint, ...]
    workshop: Workshop = Workshop()  # a stage carries opportunities and notes
    extensions: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Promise:
    id: str
    name: str
    span: Span
    made_at: str
    kept_at: str
    within: float | None = None
    channel: str | None = None
    key_spans: Mapping[str, Span] = field(default_factory=dict, compare=False, hash=False)
    # Rule ids accepted inline for this promise, with the reason given.
    accept: tuple[tuple[str, str], ...] = ()
    extensions: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "yi", "ps", "sd", "ckb", "dv", "ug"})


@dataclass(frozen=True)
class Journey:
    file: str
    id: str
    title: str
    span: Span
    stages: tuple[Stage, ...]
    promises: tuple[Promise, ...] = ()
    persona: str | None = None
    goal: str | None = None
    lang: str | None = None
    # Rule ids accepted for the whole journey, with the reason given.
    accept: tuple[tuple[str, str], ...] = ()
    # `personas:` as written; the short form `persona:` is the one persona with only a name.
    personas: tuple[Persona, ...] = ()
    notes: tuple[str, ...] = ()
    extensions: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def all_personas(self) -> tuple[Persona, ...]:
        """`persona:` (as a persona with the journey's goal) followed by `personas:`."""
        short = (Persona(self.persona, self.goal),) if self.persona else ()
        return short + self.personas

    @cached_property
    def touchpoints(self) -> tuple[Touchpoint, ...]:
        """Every touchpoint, in file order across stages."""
        return tuple(tp for stage in self.stages for tp in stage.touchpoints)

    @cached_property
    def by_id(self) -> dict[str, Touchpoint]:
        return {tp.id: tp for tp in self.touchpoints}

    @property
    def start(self) -> Touchpoint:
        return self.stages[0].touchpoints[0]

    @property
    def rtl(self) -> bool:
        """True when the journey's language is written right to left."""
        if not self.lang:
            return False
        return self.lang.replace("_", "-").split("-")[0].lower() in RTL_LANGUAGES

    def touchpoint(self, tp_id: str) -> Touchpoint:
        return self.by_id[tp_id]
