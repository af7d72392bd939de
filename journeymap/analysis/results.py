"""The plain data that scoring produces and reporters consume."""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, Mapping, ValuesView
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from journeymap.findings import Finding
from journeymap.model import Journey

if TYPE_CHECKING:
    from journeymap.evidence.measure import Measured


class Components(Mapping[str, float]):
    """A touchpoint's friction components as a read-only mapping of name to amount, in the order
    of ``names``. The amounts are one tuple (every touchpoint's 0 the same float) and the names
    one tuple shared by all touchpoints: a dict of eight floats per touchpoint was the largest
    part of a large journey's analysis in memory."""

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


@dataclass(frozen=True)
class FrictionResult:
    total: float
    touchpoints: tuple[TouchpointFriction, ...]
    hotspots: tuple[str, ...]  # touchpoint ids, largest contribution first, above the threshold
    ranked: tuple[str, ...] = ()  # every touchpoint id, largest contribution first
    threshold: float = 0.0  # the contribution above which a touchpoint is a hotspot (JM301)


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


@dataclass(frozen=True)
class FactorGroup:
    """One factor's part of a journey (see :mod:`journeymap.analysis.factors`): its friction, where it comes from, and its findings."""

    factor: str
    friction: float  # the contributions (friction × traffic) this factor accounts for
    touchpoints: tuple[tuple[str, float], ...]  # (touchpoint id, its part), largest first
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
    factors: tuple[FactorGroup, ...] = ()  # friction and findings by the four factors

    @property
    def broken_promises(self) -> int:
        return sum(1 for p in self.promises if p.status is PromiseStatus.BROKEN)
