"""Scores before and after, from the two `report --format json` documents of a journey.

The diff does not score anything itself: it reads what `journeymap report` says about each version
(report.analysis_json) and compares, translating old ids to new ones through the matching.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from journeymap.diff.structure import Matching

Doc = Mapping[str, Any]  # one journey of `report --format json`


@dataclass(frozen=True)
class Delta:
    """A number before and after (None: the part is not on that side, or the value is unbounded)."""

    subject: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class PromiseDelta:
    subject: str
    status_before: str | None
    status_after: str | None
    before: float | None  # probability of being kept (in time), 0..1
    after: float | None

    @property
    def points(self) -> float | None:
        """The change in percentage points."""
        return None if self.before is None or self.after is None else (self.after - self.before) * 100


@dataclass(frozen=True)
class FindingRef:
    rule: str
    severity: str
    subject: str | None
    message: str

    @property
    def recovery(self) -> bool:
        return self.rule.startswith("JM1")


@dataclass(frozen=True)
class Scores:
    total: Delta
    friction: tuple[Delta, ...]  # touchpoints whose friction changed, added or removed
    hotspots_new: tuple[str, ...]
    hotspots_cleared: tuple[str, ...]  # old ids translated to new ones where the touchpoint stays
    promises: tuple[PromiseDelta, ...]  # promises whose status or probability changed
    findings_new: tuple[FindingRef, ...]
    findings_fixed: tuple[FindingRef, ...]


def compare_scores(old: Doc, new: Doc, m: Matching) -> Scores:
    tp = m.touchpoints.get
    old_hot = [tp(h, h) for h in old["hotspots"]]
    new_fixed, fixed = _findings(old, new, m)
    return Scores(
        total=Delta("total", _total(old), _total(new)),
        friction=_friction(old, new, m),
        hotspots_new=tuple(h for h in new["hotspots"] if h not in old_hot),
        hotspots_cleared=tuple(h for h in old_hot if h not in new["hotspots"]),
        promises=_promises(old, new, m),
        findings_new=new_fixed,
        findings_fixed=fixed,
    )


def _total(doc: Doc) -> float | None:
    return doc["friction"]["total"] if doc.get("friction") else None


def _friction(old: Doc, new: Doc, m: Matching) -> tuple[Delta, ...]:
    before = {m.touchpoints.get(t["id"], "\0" + t["id"]): t["friction"] for t in _tps(old)}
    after = {t["id"]: t["friction"] for t in _tps(new)}
    out = [Delta(i, before.get(i), value) for i, value in after.items()
           if i not in before or _differs(before[i], value, 2)]
    out += [Delta(i[1:], value, None) for i, value in before.items() if i.startswith("\0")]
    return tuple(out)


def _tps(doc: Doc) -> list[dict[str, Any]]:
    return list(doc["friction"]["touchpoints"]) if doc.get("friction") else []


def _differs(a: float | None, b: float | None, places: int) -> bool:
    if a is None or b is None:
        return a is not b
    return round(a, places) != round(b, places)


def _promises(old: Doc, new: Doc, m: Matching) -> tuple[PromiseDelta, ...]:
    before = {m.promises.get(p["id"], "\0" + p["id"]): p for p in old["promises"]}
    after = {p["id"]: p for p in new["promises"]}
    out = []
    for i, p in after.items():
        b = before.get(i)
        if b is None or b["status"] != p["status"] or _differs(b["probability"], p["probability"], 4):
            out.append(PromiseDelta(i, b and b["status"], p["status"], b and b["probability"],
                                    p["probability"]))
    out += [PromiseDelta(i[1:], p["status"], None, p["probability"], None)
            for i, p in before.items() if i.startswith("\0")]
    return tuple(out)


def _findings(old: Doc, new: Doc, m: Matching) -> tuple[tuple[FindingRef, ...], tuple[FindingRef, ...]]:
    """Findings only in the new version, and only in the old one, by rule and subject (not line:
    a finding that moved with its touchpoint is the same finding)."""
    def translate(subject: str | None) -> str | None:
        if subject is None:
            return None
        return m.touchpoints.get(subject, m.promises.get(subject, subject))

    olds = [_ref(f, translate(f["subject"])) for f in old["findings"]]
    news = [_ref(f, f["subject"]) for f in new["findings"]]
    return _extra(news, olds), _extra(olds, news)


def _ref(f: Mapping[str, Any], subject: str | None) -> FindingRef:
    return FindingRef(f["rule"], f["severity"], subject, f["message"])


def _extra(these: list[FindingRef], those: list[FindingRef]) -> tuple[FindingRef, ...]:
    """The findings of ``these`` beyond as many of the same rule and subject in ``those``."""
    budget = Counter((f.rule, f.subject) for f in those)
    out = []
    for f in these:
        key = (f.rule, f.subject)
        if budget[key] > 0:
            budget[key] -= 1
        else:
            out.append(f)
    return tuple(out)
