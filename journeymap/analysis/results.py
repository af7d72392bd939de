"""The plain data that scoring produces and reporters consume."""

from __future__ import annotations

import threading
from collections.abc import Callable, ItemsView, Iterator, Mapping, Sequence, ValuesView
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, TypeVar, overload

from journeymap.findings import Finding
from journeymap.model import Journey, Touchpoint

if TYPE_CHECKING:
    from journeymap.evidence.measure import Measured
    from journeymap.graph import JourneyGraph

T = TypeVar("T")


class Components(Mapping[str, float]):
    """A touchpoint's friction components as a read-only mapping of name to amount, in the order
    of ``names``. The amounts are one tuple and the names one tuple shared by all touchpoints
    (scoring makes them when a touchpoint's scores are read): a dict of eight floats per
    touchpoint was the largest part of a large journey's analysis in memory."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: tuple[str, ...], values: tuple[float, ...]) -> None:
        self._names = names
        self._values = values

    def __getitem__(self, name: str) -> float:
        try:
            return self._values[self._names.index(name)]
        except ValueError:
            raise KeyError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def items(self) -> ItemsView[str, float]:
        return _Items(self)

    def values(self) -> ValuesView[float]:
        return _Values(self)

    def __repr__(self) -> str:
        return f"Components({dict(zip(self._names, self._values))!r})"


class _Items(ItemsView[str, float]):
    """The pairs read straight from the two tuples (not one look-up by name each)."""

    __slots__ = ()

    def __iter__(self) -> Iterator[tuple[str, float]]:
        return zip(self._mapping._names, self._mapping._values)  # type: ignore[attr-defined]


class _Values(ValuesView[float]):
    __slots__ = ()

    def __iter__(self) -> Iterator[float]:
        return iter(self._mapping._values)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class TouchpointFriction:
    """One touchpoint's friction, explained by named components."""

    touchpoint: str
    stage: str
    friction: float  # the sum of the weighted components
    traffic: float  # expected visits per customer who starts the journey (can exceed 1 in loops)
    contribution: float  # friction * traffic: what this touchpoint adds to the journey's total
    components: Mapping[str, float] = field(default_factory=dict, hash=False)
    # component name → what drives it, in words ("effort 5 of 5", "asked again: account number")
    why: dict[str, str] = field(default_factory=dict, hash=False)


class FrictionScores(Sequence[TouchpointFriction]):
    """Each touchpoint's :class:`TouchpointFriction`, in file order, made when asked for by
    ``make(i)`` from the few numbers scoring keeps a touchpoint (see
    :mod:`journeymap.analysis.friction`): an object, its components and their words kept for every
    touchpoint were most of a large journey's analysis in memory. Equal to any sequence of the
    same scores, as the tuple it replaces was."""

    __slots__ = ("_touchpoints", "_size", "_make")

    def __init__(self, touchpoints: Sequence[Touchpoint], make: Callable[[int], TouchpointFriction]) -> None:
        self._touchpoints, self._size, self._make = touchpoints, len(touchpoints), make

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return tuple(self._make(j) for j in range(self._size)[i])
        if i < 0:
            i += self._size
        if not 0 <= i < self._size:
            raise IndexError(i)
        return self._make(i)

    def __iter__(self) -> Iterator[TouchpointFriction]:
        return map(self._make, range(self._size))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(other) == self._size and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FrictionScores({list(self)!r})"

    def by_id(self, jg: JourneyGraph | None = None) -> Mapping[str, TouchpointFriction]:
        """Touchpoint id → its scores (of the last touchpoint with the id, as a dict built from
        the scores in order keeps), each made when asked for; found through the journey's graph
        when given (a dict of every id and its place was 7 MB of a large journey's map)."""
        last = _LastOf(jg) if jg is not None else {tp.id: i for i, tp in enumerate(self._touchpoints)}
        return _ScoresById(self._make, last)


class _LastOf(Mapping[str, int]):
    """Touchpoint id → the file position of its last touchpoint, read from the journey's graph,
    in the order the ids first appear."""

    __slots__ = ("_jg",)

    def __init__(self, jg: JourneyGraph) -> None:
        self._jg = jg

    def __getitem__(self, tp_id: str) -> int:
        return self._jg.index(tp_id)

    def __contains__(self, tp_id: object) -> bool:
        return tp_id in self._jg

    def __iter__(self) -> Iterator[str]:
        return iter(self._jg.ids)

    def __len__(self) -> int:
        return len(self._jg)


class _ScoresById(Mapping[str, TouchpointFriction]):
    """The scores by id; the last one made is kept (a renderer asks for one touchpoint's scores a
    few times in a row)."""

    __slots__ = ("_make", "_last", "_made")

    def __init__(self, make: Callable[[int], TouchpointFriction], last: dict[str, int]) -> None:
        self._make, self._last = make, last  # id → the file position of its last touchpoint
        self._made: TouchpointFriction | None = None

    def __getitem__(self, tp_id: str) -> TouchpointFriction:
        made = self._made
        if made is None or made.touchpoint != tp_id:
            made = self._made = self._make(self._last[tp_id])
        return made

    def __contains__(self, tp_id: object) -> bool:
        return tp_id in self._last

    def __iter__(self) -> Iterator[str]:
        return iter(self._last)

    def __len__(self) -> int:
        return len(self._last)


class WhenRead(Sequence[T]):
    """A tuple worked out when first read (then kept), by ``make``: what only some commands read
    (the ranking of every touchpoint, the factors) costs the others no time and no memory. Equal
    to a tuple, or another sequence, of the same items."""

    def __init__(self, make: Callable[[], Sequence[T]]) -> None:
        self._items: tuple[T, ...] | None = None
        self._make: Callable[[], Sequence[T]] | None = make

    @property
    def items(self) -> tuple[T, ...]:
        items = self._items
        if items is None:
            with _MAKING:  # (a report's journeys may be written from threads)
                if self._items is None:
                    assert self._make is not None
                    self._items = tuple(self._make())
                    self._make = None  # and what it was made from may go
                items = self._items
        return items

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[T]: ...

    def __getitem__(self, i: int | slice) -> T | Sequence[T]:
        return self.items[i]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and self.items == tuple(other)

    def __hash__(self) -> int:
        return hash(self.items)

    def __repr__(self) -> str:
        return repr(self.items)

    def __reduce__(self) -> tuple[type[tuple[T, ...]], tuple[tuple[T, ...]]]:
        """Pickled (a report's journeys come back from worker processes) as the tuple, made."""
        return tuple, (self.items,)


_MAKING = threading.Lock()


@dataclass(frozen=True)
class FrictionResult:
    total: float
    touchpoints: Sequence[TouchpointFriction]  # in file order (a FrictionScores from scoring)
    hotspots: tuple[str, ...]  # touchpoint ids, largest contribution first, above the threshold
    ranked: Sequence[str] = ()  # every touchpoint id, largest contribution first (scoring: WhenRead)
    threshold: float = 0.0  # the contribution above which a touchpoint is a hotspot (JM301)

    def by_id(self, jg: JourneyGraph | None = None) -> Mapping[str, TouchpointFriction]:
        """Touchpoint id → its scores (the last touchpoint's, when an id is repeated); ``jg``:
        the journey's graph, which scoring's scores look their touchpoints up in."""
        scores = self.touchpoints
        if isinstance(scores, FrictionScores):
            return scores.by_id(jg)
        return {s.touchpoint: s for s in scores}


class PromiseStatus(str, Enum):
    KEPT = "kept"
    AT_RISK = "at-risk"
    BROKEN = "broken"


@dataclass(frozen=True)
class PromiseResult:
    promise: str  # the promise id
    status: PromiseStatus
    probability: float  # that a customer at made_at reaches kept_at (within `within`, if given)
    fastest_seconds: float | None  # None when kept_at cannot be reached
    fastest_path: tuple[str, ...]  # touchpoint ids from made_at to kept_at, both included
    reasons: tuple[str, ...]  # plain-language reasons, one per finding
    reached: float = 0.0  # probability of reaching kept_at at all, whatever the time
    error: float = 0.0  # `probability` is within ± error of the true value (0: exact)
    within_seconds: float | None = None  # the promise's time limit, when it gives one


class Parts(Sequence[tuple[str, float]]):
    """(touchpoint id, amount) pairs, made when asked for from two flat arrays: which touchpoint
    (its position in ``ids``) and its amount. A tuple of pairs kept a tuple and a float
    object for each (about 100 bytes, for nearly every touchpoint in each of three factors); these
    are 16. Equal to any sequence of the same pairs, as the tuple it replaces was."""

    __slots__ = ("_ids", "_at", "_amounts")

    def __init__(self, ids: Sequence[str], at: Sequence[int], amounts: Sequence[float]) -> None:
        self._ids, self._at, self._amounts = ids, at, amounts

    def __len__(self) -> int:
        return len(self._at)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return tuple(self[j] for j in range(len(self._at))[i])
        return self._ids[self._at[i]], self._amounts[i]

    def __iter__(self) -> Iterator[tuple[str, float]]:
        return zip(map(self._ids.__getitem__, self._at), self._amounts)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(other) == len(self) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Parts({list(self)!r})"


@dataclass(frozen=True)
class FactorGroup:
    """One factor's part of a journey (see :mod:`journeymap.analysis.factors`): its friction, where it comes from, and its findings."""

    factor: str
    friction: float  # the contributions (friction × traffic) this factor accounts for
    touchpoints: Sequence[tuple[str, float]]  # (touchpoint id, its part), largest first (Parts)
    findings: tuple[Finding, ...]
    # (touchpoint id, failure id, declared) of the failures of this factor, in file order
    failures: tuple[tuple[str, str, bool], ...] = ()
    # (touchpoint id, text) of the pain points that declare this factor, in file order
    pain_points: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Analysis:
    """Everything scoring knows about one journey."""

    journey: Journey
    friction: FrictionResult
    promises: tuple[PromiseResult, ...]
    findings: tuple[Finding, ...]
    evidence: tuple[Measured, ...] = ()  # each survey figure with its interval, in file order
    # friction and findings by the four factors (analyse: grouped when first read, a WhenRead)
    factors: Sequence[FactorGroup] = ()

    @property
    def broken_promises(self) -> int:
        return sum(1 for p in self.promises if p.status is PromiseStatus.BROKEN)
