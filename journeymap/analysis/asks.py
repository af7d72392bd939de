"""JM302: where the customer is asked again for something they already gave on the way there.

An item counts as given on the way to a touchpoint when *some* path from the start passes a
touchpoint that asks for it and then reaches this one (the customers who came that way repeat
themselves; those who did not are spared, and the traffic weighting of friction says how many
is which). A touchpoint on a loop that asks for something asks again on every later pass.
Items compare ignoring case and runs of white space.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass

from journeymap.analysis.paths import components
from journeymap.analysis.wording import normal
from journeymap.findings import RULES, Finding
from journeymap.graph import JourneyGraph
from journeymap.model import Span, Touchpoint


@dataclass(frozen=True, slots=True)
class AskedAgain:
    """One item a touchpoint asks for again, as it writes it, and the nearest place it was given."""

    item: str
    given_at: str


def asked_again(jg: JourneyGraph) -> dict[str, tuple[AskedAgain, ...]]:
    """Touchpoint id → the items it asks for again (touchpoints that ask nothing again left out)."""
    with jg.sharing():  # the components, made once for every item
        return _asked_again(jg)


def _asked_again(jg: JourneyGraph) -> dict[str, tuple[AskedAgain, ...]]:
    askers: dict[str, list[Touchpoint]] = {}
    for tp in jg.journey.touchpoints:
        for key in dict.fromkeys(normal(item) for item in tp.asks):
            askers.setdefault(key, []).append(tp)
    found: dict[str, tuple[AskedAgain, ...]] = {}
    # one object for each (item, where given) and each list of them: a journey whose steps ask
    # for the same few items, given at the same few places, repeats them at every step
    shared: dict[object, object] = {}
    looping = on_a_loop(jg)
    nearest = _Nearest(jg)
    for key, tps in askers.items():
        sources = [tp.id for tp in tps if tp.id in jg.reachable_from_start]
        if len(tps) == 1 and tps[0].id not in looping:
            continue  # asked once, never passed twice
        nearest.search(sources, {jg.position[tp.id] for tp in tps})
        for tp in tps:
            given_at = nearest.get(tp.id)
            if given_at is not None:
                item = next(i for i in tp.asks if normal(i) == key)
                text = " ".join(item.split())
                again = AskedAgain(shared.setdefault(text, text), given_at)  # type: ignore[arg-type]
                # a tuple grown in place of a list each (most touchpoints ask again for one item)
                found[tp.id] = found.get(tp.id, ()) + (shared.setdefault(again, again),)  # type: ignore[operator]
        nearest.clear()
    for tp_id, items in found.items():
        found[tp_id] = shared.setdefault(items, items)  # type: ignore[assignment]
    return found


def on_a_loop(jg: JourneyGraph) -> set[str]:
    """Touchpoints that some path leads back to (by any edge, whatever its share)."""
    ids = jg.ids
    members, starts, _ = components(jg, positive=False)
    found = set()
    for k in range(len(starts) - 1):
        a, b = starts[k], starts[k + 1]
        if b - a > 1:
            found.update(ids[v] for v in members[a:b])
        elif (v := members[a]) in jg.targets(v):
            found.add(ids[v])
    return found


class _Nearest:
    """For each node some step after a source, the source that reaches it in the fewest steps
    (breadth first from all the sources at once, in their order), for the ``wanted`` nodes: the
    search stops once they all have their source, and never enters a touchpoint ranked (by
    strongly connected component, in topological order) after the last of them, which could
    not lead back to one. So an item asked at two nearby steps does not walk the whole journey;
    what is left out never changes which source reaches a wanted node first.

    One search after another (an item each), in arrays made once: the label of each node (its
    source, or -1) and the queue. A dict of labels and lists of int objects for each search were
    a large journey's peak in memory (the whole journey's worth for an item asked early and late)."""

    def __init__(self, jg: JourneyGraph) -> None:
        self.jg = jg
        self.label = array("l", [-1]) * len(jg.ids)
        self.seen = bytearray(len(jg.ids))  # labelled or not: read at every move, a small int
        self.nodes = array("l")  # the queue: each node reached, in turn…
        self.via = array("l")  # …and the source it was reached from

    def search(self, sources: list[str], wanted: set[int]) -> None:
        at, to, position = self.jg.succ_at, self.jg.succ_to, self.jg.position
        rank = components(self.jg, positive=False)[2]  # an array: ranks() is a list of int objects
        last = max(rank[w] for w in wanted)
        label, seen, nodes, via = self.label, self.seen, self.nodes, self.via
        waiting = len(wanted)
        for source in sources:
            i = position[source]
            for w in self.jg.targets(i):
                if rank[w] <= last:
                    nodes.append(w)
                    via.append(i)
        head = 0
        while head < len(nodes) and waiting:
            node, source = nodes[head], via[head]
            head += 1
            if seen[node]:
                continue
            seen[node] = 1
            label[node] = source  # final: a node's first place in the queue is its nearest
            if node in wanted:
                waiting -= 1
            k, end = at[node], at[node + 1]
            while k < end:  # cheaper than a slice of the moves: most nodes have one
                w = to[k]
                k += 1
                if not seen[w] and rank[w] <= last:
                    nodes.append(w)
                    via.append(source)

    def get(self, node: str) -> str | None:
        source = self.label[self.jg.position[node]]
        return self.jg.ids[source] if source >= 0 else None

    def clear(self) -> None:
        """Ready for the next search: only the nodes this one labelled (all in its queue) are
        unlabelled, so that many searches near the start cost no pass over the whole journey."""
        label, seen = self.label, self.seen
        for node in self.nodes:
            label[node] = -1
            seen[node] = 0
        del self.nodes[:], self.via[:]


def describe(items: tuple[AskedAgain, ...], here: str) -> str:
    """``account number (given at `call-support`)``, joined with commas."""
    return ", ".join(f"{a.item} ({'given here before' if a.given_at == here else f'given at `{a.given_at}`'})"
                     for a in items)


def asked_again_findings(jg: JourneyGraph, again: dict[str, tuple[AskedAgain, ...]]) -> Iterator[Finding]:
    """One JM302 warning per touchpoint that asks again, in file order (worded when read)."""
    for tp in jg.journey.touchpoints:
        if tp.id in again:
            yield AskedAgainFinding.of(tp, again[tp.id])


_LAST_SPAN: list[tuple[AskedAgainFinding, Span] | None] = [None]
_HINT = "pass on what the customer already gave, with the case, and drop it from `asks` here"


class AskedAgainFinding(Finding):
    """A JM302 finding that keeps its touchpoint and the items it asks again (shared with the
    friction scores), and makes its message and position when they are read: a large journey
    whose every other step asks again held a message (two bytes a character, for its quotes), a
    position and a finding for each, 270 bytes a touchpoint. It is equal to (and hashes as) the
    plain :class:`Finding` with the same fields; copied, replaced or pickled, it becomes one."""

    __slots__ = ("_tp", "_again")
    _tp: Touchpoint
    _again: tuple[AskedAgain, ...]

    def __new__(cls, *args: object, **kwargs: object) -> Finding:  # type: ignore[misc]
        return Finding(*args, **kwargs)  # type: ignore[arg-type]  # (dataclasses.replace)

    @classmethod
    def of(cls, tp: Touchpoint, again: tuple[AskedAgain, ...]) -> AskedAgainFinding:
        found = object.__new__(cls)
        for name, value in (("rule", "JM302"), ("severity", RULES["JM302"].severity),
                            ("subject", tp.id), ("hint", _HINT), ("_tp", tp), ("_again", again)):
            object.__setattr__(found, name, value)
        return found

    @property  # type: ignore[override]
    def message(self) -> str:
        return f"“{self._tp.name}” asks the customer again for {describe(self._again, self._tp.id)}"

    @property  # type: ignore[override]
    def span(self) -> Span:
        last = _LAST_SPAN[0]  # a writer reads a finding's line, then its column…: made once
        if last is not None and last[0] is self:
            return last[1]
        span = self._tp.key_spans.get("asks") or self._tp.span
        _LAST_SPAN[0] = (self, span)  # one assignment: another thread sees the pair or not
        return span

    def _fields(self) -> tuple[object, ...]:
        return (self.rule, self.severity, self.message, self.span, self.subject, self.hint)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Finding):
            return self._fields() == (other.rule, other.severity, other.message, other.span,
                                      other.subject, other.hint)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._fields())

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return Finding, self._fields()

    def __repr__(self) -> str:
        return repr(Finding(*self._fields()))  # type: ignore[arg-type]
