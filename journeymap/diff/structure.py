"""The structure of two versions of a journey, matched and compared.

Parts are matched by id first, then by name (so a renamed id or a renamed touchpoint is one part that
changed, not one removed and one added). Spans and key order are not compared: moving keys around or
editing comments is no change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from journeymap.graph import transitions
from journeymap.model import Journey
from journeymap.values import format_duration

T = TypeVar("T")


@dataclass(frozen=True)
class Change:
    """One structural change, worded for a reviewer."""

    part: str  # touchpoint, stage, failure, flow, promise
    kind: str  # added, removed, renamed, moved, changed
    subject: str  # the part's id (the new one, or the old one when removed)
    text: str


def match(old: Sequence[T], new: Sequence[T], ident: Callable[[T], str],
          name: Callable[[T], str]) -> dict[int, int]:
    """Old index → new index: by the same id, then, among the rest, by the same name."""
    pairs: dict[int, int] = {}
    new_by_id = {ident(item): i for i, item in enumerate(new)}
    for i, item in enumerate(old):
        if ident(item) in new_by_id:
            pairs[i] = new_by_id[ident(item)]
    taken = set(pairs.values())
    free = {_key(name(item)): i for i, item in enumerate(new) if i not in taken}
    for i, item in enumerate(old):
        j = free.get(_key(name(item)))
        if i not in pairs and j is not None and j not in taken:
            pairs[i] = j
            taken.add(j)
    return pairs


def _key(name: str) -> str:
    return " ".join(name.lower().split())


@dataclass(frozen=True)
class Matching:
    """Which old touchpoint and promise is which new one (ids old → new)."""

    touchpoints: dict[str, str]
    promises: dict[str, str]


def match_journeys(old: Journey, new: Journey) -> Matching:
    tps = match(old.touchpoints, new.touchpoints, lambda t: t.id, lambda t: t.name)
    prs = match(old.promises, new.promises, lambda p: p.id, lambda p: p.name)
    return Matching({old.touchpoints[i].id: new.touchpoints[j].id for i, j in tps.items()},
                    {old.promises[i].id: new.promises[j].id for i, j in prs.items()})


def compare_structure(old: Journey, new: Journey, matching: Matching) -> list[Change]:
    """Every structural change from ``old`` to ``new``, stages first, then touchpoints, failures,
    flows and promises."""
    return [*_stages(old, new), *_touchpoints(old, new, matching), *_failures(old, new, matching),
            *_flows(old, new, matching), *_promises(old, new, matching)]


def _q(text: str) -> str:
    return f"“{text}”"


def _added_removed(part: str, old: Sequence[T], new: Sequence[T], pairs: dict[int, int],
                   ident: Callable[[T], str], word: Callable[[T], str],
                   old_word: Callable[[T], str] | None = None) -> list[Change]:
    removed = [Change(part, "removed", ident(o), f"{part} {(old_word or word)(o)} removed")
               for i, o in enumerate(old) if i not in pairs]
    taken = set(pairs.values())
    added = [Change(part, "added", ident(n), f"{part} {word(n)} added")
             for j, n in enumerate(new) if j not in taken]
    return removed + added


def _renamed(part: str, before_id: str, after_id: str, before_name: str, after_name: str) -> list[Change]:
    if before_id != after_id and before_name != after_name:
        return [Change(part, "renamed", after_id, f"{part} `{before_id}` {_q(before_name)} is now "
                                                  f"`{after_id}` {_q(after_name)}")]
    if before_id != after_id:
        return [Change(part, "renamed", after_id, f"{part} {_q(after_name)}: id `{before_id}` → `{after_id}`")]
    if before_name != after_name:
        return [Change(part, "renamed", after_id, f"{part} `{after_id}` renamed: {_q(before_name)} → "
                                                  f"{_q(after_name)}")]
    return []


def stage_pairs(old: Journey, new: Journey) -> dict[int, int]:
    """Stages matched by id, then name, then (a stage renamed without an id) by a touchpoint they share."""
    pairs = match(old.stages, new.stages, lambda s: s.id, lambda s: s.name)
    taken = set(pairs.values())
    stage_of = {t.id: j for j, stage in enumerate(new.stages) for t in stage.touchpoints}
    for i, before in enumerate(old.stages):
        if i in pairs:
            continue
        j = next((stage_of[t.id] for t in before.touchpoints
                  if t.id in stage_of and stage_of[t.id] not in taken), None)
        if j is not None:
            pairs[i] = j
            taken.add(j)
    return pairs


def _stages(old: Journey, new: Journey) -> list[Change]:
    pairs = stage_pairs(old, new)
    out = _added_removed("stage", old.stages, new.stages, pairs, lambda s: s.id, lambda s: _q(s.name))
    for i, j in pairs.items():
        out += _renamed("stage", old.stages[i].id, new.stages[j].id, old.stages[i].name, new.stages[j].name)
    order = [j for _, j in sorted(pairs.items())]
    if order != sorted(order):
        out.append(Change("stage", "moved", "", "stages reordered: " +
                          " → ".join(_q(s.name) for s in new.stages)))
    return out


_EMOTIONS = {-2: "angry", -1: "frustrated", 1: "pleased", 2: "delighted"}
_COMPARED = ("channel", "owner", "effort", "emotion", "wait", "duration", "asks", "outcome")


def _touchpoints(old: Journey, new: Journey, m: Matching) -> list[Change]:
    position = {t.id: j for j, t in enumerate(new.touchpoints)}
    pairs = {i: position[m.touchpoints[t.id]] for i, t in enumerate(old.touchpoints) if t.id in m.touchpoints}
    old_stages = {s.id: s.name for s in old.stages}
    new_stages = {s.id: s.name for s in new.stages}
    same_stage = {old.stages[i].id: new.stages[j].id for i, j in stage_pairs(old, new).items()}
    out = _added_removed("touchpoint", old.touchpoints, new.touchpoints, pairs, lambda t: t.id,
                         lambda t: f"`{t.id}` {_q(t.name)} (stage {_q(new_stages[t.stage])})",
                         lambda t: f"`{t.id}` {_q(t.name)} (stage {_q(old_stages[t.stage])})")
    for i, j in pairs.items():
        before, after = old.touchpoints[i], new.touchpoints[j]
        out += _renamed("touchpoint", before.id, after.id, before.name, after.name)
        if same_stage.get(before.stage) != after.stage:
            out.append(Change("touchpoint", "moved", after.id, f"touchpoint `{after.id}` moved from stage "
                              f"{_q(old_stages[before.stage])} to {_q(new_stages[after.stage])}"))
        changed = [_field_change(name, getattr(before, name), getattr(after, name))
                   for name in _COMPARED if getattr(before, name) != getattr(after, name)]
        if changed:
            out.append(Change("touchpoint", "changed", after.id, f"touchpoint `{after.id}`: " + "; ".join(changed)))
    return out


def _field_change(name: str, before: object, after: object) -> str:
    return f"{name} {_show(name, before)} → {_show(name, after)}"


def _show(name: str, value: object) -> str:
    if value is None or value == ():
        return "none"
    if name == "emotion" and isinstance(value, int):
        return f"{_EMOTIONS.get(value, value)} ({value:+d})" if value else "neutral (0)"
    if name in ("wait", "duration", "within") and isinstance(value, (int, float)):
        return format_duration(float(value))
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    return str(getattr(value, "value", value))


def _failures(old: Journey, new: Journey, m: Matching) -> list[Change]:
    out: list[Change] = []
    for before in old.touchpoints:
        after_id = m.touchpoints.get(before.id)
        if after_id is None:
            continue  # the touchpoint went, and its failures with it
        after = new.by_id[after_id]
        pairs = match(before.failures, after.failures, lambda f: f.id, lambda f: f.name)
        out += _added_removed("failure", before.failures, after.failures, pairs, lambda f: f.id,
                              lambda f: f"{_q(f.name)} at `{after.id}`")
        for i, j in pairs.items():
            fb, fa = before.failures[i], after.failures[j]
            out += _renamed("failure", fb.id, fa.id, fb.name, fa.name)
            to_before = m.touchpoints.get(fb.to, fb.to) if fb.to else None
            details = [_field_change("share", _pct(fb.share), _pct(fa.share)) if fb.share != fa.share else "",
                       _field_change("to", to_before, fa.to) if to_before != fa.to else ""]
            if any(details):
                out.append(Change("failure", "changed", fa.id, f"failure {_q(fa.name)} at `{after.id}`: " +
                                  "; ".join(d for d in details if d)))
    matched = set(m.touchpoints.values())
    for tp in new.touchpoints:
        if tp.id not in matched:
            out += [Change("failure", "added", f.id, f"failure {_q(f.name)} at new touchpoint `{tp.id}`")
                    for f in tp.failures]
    return out


def _pct(share: float | None) -> str | None:
    return None if share is None else f"{share:.0%}"


def _flow_edges(journey: Journey, rename: Callable[[str], str]) -> set[tuple[str, str]]:
    return {(rename(t.source), rename(t.target))
            for index, tp in enumerate(journey.touchpoints)
            for t in transitions(journey, index, tp) if t.kind == "next"}


def _flows(old: Journey, new: Journey, m: Matching) -> list[Change]:
    before = _flow_edges(old, lambda i: m.touchpoints.get(i, i))
    after = _flow_edges(new, lambda i: i)
    return ([Change("flow", "removed", f"{a}→{b}", f"flow `{a}` → `{b}` removed") for a, b in sorted(before - after)] +
            [Change("flow", "added", f"{a}→{b}", f"flow `{a}` → `{b}` added") for a, b in sorted(after - before)])


def _promises(old: Journey, new: Journey, m: Matching) -> list[Change]:
    position = {p.id: j for j, p in enumerate(new.promises)}
    pairs = {i: position[m.promises[p.id]] for i, p in enumerate(old.promises) if p.id in m.promises}
    out = _added_removed("promise", old.promises, new.promises, pairs, lambda p: p.id,
                         lambda p: f"`{p.id}` {_q(p.name)}")
    for i, j in pairs.items():
        before, after = old.promises[i], new.promises[j]
        out += _renamed("promise", before.id, after.id, before.name, after.name)
        changed = []
        for name in ("made_at", "kept_at"):
            was = m.touchpoints.get(getattr(before, name), getattr(before, name))
            if was != getattr(after, name):
                changed.append(_field_change(name, was, getattr(after, name)))
        changed += [_field_change(name, getattr(before, name), getattr(after, name))
                    for name in ("within", "channel") if getattr(before, name) != getattr(after, name)]
        if changed:
            out.append(Change("promise", "changed", after.id, f"promise `{after.id}`: " + "; ".join(changed)))
    return out


def names(journey: Journey) -> dict[str, str]:
    """Touchpoint and promise id → name, for wording scores."""
    return {**{t.id: t.name for t in journey.touchpoints}, **{p.id: p.name for p in journey.promises}}


