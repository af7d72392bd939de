"""Two versions of each journey in, a :class:`DiffResult` out: what changed, and whether it got worse.

Worse means, for the customer: a new error finding (a failure without recovery, a broken promise…),
a new friction hotspot, or a promise less likely to be kept by more than the tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from journeymap.analysis.analyse import report_result
from journeymap.config import DEFAULT, Config
from journeymap.diff.scores import Doc, Scores, compare_scores
from journeymap.diff.sources import Version
from journeymap.diff.structure import Change, Matching, compare_structure, match_journeys
from journeymap.model import Journey
from journeymap.report.analysis_json import journey_dict

EMPTY: Doc = {"friction": None, "hotspots": [], "promises": [], "findings": []}


@dataclass(frozen=True)
class JourneyDiff:
    """One journey, before and after."""

    journey_id: str
    title: str | None
    old: str | None  # where each version came from; None when the journey is new, or gone
    new: str | None
    status: str  # changed, unchanged, added, removed
    changes: tuple[Change, ...]
    scores: Scores
    worse: tuple[str, ...]  # why this change makes the journey worse for the customer, worded
    names: dict[str, str] = field(default_factory=dict)  # touchpoint/promise id → name (both sides)
    journey: Journey | None = None  # the new version, for drawing it
    marks: dict[str, str] = field(default_factory=dict)  # new touchpoint id → added / changed
    hotspots: tuple[str, ...] = ()  # every hotspot of the new version


@dataclass(frozen=True)
class DiffResult:
    journeys: tuple[JourneyDiff, ...]
    tolerance: float  # percentage points a promise may lose before it counts as worse

    @property
    def worse(self) -> bool:
        return any(j.worse for j in self.journeys)

    @property
    def exit_code(self) -> int:
        return 1 if self.worse else 0

    @property
    def changed(self) -> tuple[JourneyDiff, ...]:
        return tuple(j for j in self.journeys if j.status != "unchanged")


def diff_pairs(pairs: list[tuple[Version | None, Version | None]], tolerance: float = 1.0,
               config: Config = DEFAULT) -> DiffResult:
    return DiffResult(tuple(diff_versions(old, new, tolerance, config) for old, new in pairs), tolerance)


def diff_versions(old: Version | None, new: Version | None, tolerance: float = 1.0,
                  config: Config = DEFAULT) -> JourneyDiff:
    """Compare one journey's two versions (either may be None: added or removed)."""
    new_doc = journey_dict(report_result(new.result, config)) if new else EMPTY
    if old and new and old.digest and old.digest == new.digest:
        old_doc = new_doc  # the same bytes: score them once (most journeys of a folder diff)
    else:
        old_doc = journey_dict(report_result(old.result, config)) if old else EMPTY
    old_j, new_j = (old.result.journey if old else None), (new.result.journey if new else None)
    matching = match_journeys(old_j, new_j) if old_j and new_j else Matching({}, {})
    changes = _changes(old, new, old_j, new_j, matching)
    scores = compare_scores(old_doc, new_doc, matching)
    names = {**_names(old_j), **_names(new_j)}
    status = ("added" if old is None else "removed" if new is None
              else "changed" if changes or _moved(scores) else "unchanged")
    key = (new or old).key if (new or old) else ""
    return JourneyDiff(key, (new_doc if new else old_doc).get("title"), old.label if old else None,
                       new.label if new else None, status, tuple(changes), scores,
                       _worse(scores, tolerance, names) if new else (), names, new_j,
                       _marks(changes), tuple(new_doc["hotspots"]))


def _changes(old: Version | None, new: Version | None, old_j: Journey | None, new_j: Journey | None,
             matching: Matching) -> list[Change]:
    if old is None and new is not None:
        return [Change("journey", "added", new.key, "journey added")]
    if new is None:
        return [Change("journey", "removed", old.key if old else "", "journey removed")]
    if old_j and new_j:
        return compare_structure(old_j, new_j, matching)
    if old_j is None and new_j is None:
        return []  # neither validates: the findings say what changed
    side = "old" if old_j is None else "new"
    return [Change("journey", "changed", new.key, f"the {side} version is not a valid journey, so its "
                                                  "structure cannot be compared")]


def _moved(scores: Scores) -> bool:
    return bool(scores.friction or scores.hotspots_new or scores.hotspots_cleared or scores.promises
                or scores.findings_new or scores.findings_fixed or scores.total.change)


def _names(journey: Journey | None) -> dict[str, str]:
    if journey is None:
        return {}
    return {**{t.id: t.name for t in journey.touchpoints}, **{p.id: p.name for p in journey.promises}}


def _marks(changes: list[Change]) -> dict[str, str]:
    marks: dict[str, str] = {}
    for c in changes:
        if c.part == "touchpoint" and c.kind != "removed":
            marks[c.subject] = "added" if c.kind == "added" else marks.get(c.subject, "changed")
    return marks


def _worse(scores: Scores, tolerance: float, names: dict[str, Any]) -> tuple[str, ...]:
    out = [f"new error {f.rule}" + (f" on `{f.subject}`" if f.subject else "") + f": {f.message}"
           for f in scores.findings_new if f.severity == "error"]
    out += [f"new friction hotspot `{h}` “{names.get(h, h)}”" for h in scores.hotspots_new]
    for p in scores.promises:
        if p.points is not None and p.points < -tolerance:
            out.append(f"promise `{p.subject}` less likely to be kept: {p.before:.1%} → {p.after:.1%} "
                       f"({p.points:+.1f} pp; tolerance {tolerance:g} pp)")
    return tuple(out)
