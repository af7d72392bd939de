"""JM302: where the customer is asked again for something they already gave on the way there.

An item counts as given on the way to a touchpoint when *some* path from the start passes a
touchpoint that asks for it and then reaches this one (the customers who came that way repeat
themselves; those who did not are spared, and the traffic weighting of friction says how many
is which). A touchpoint on a loop that asks for something asks again on every later pass.
Items compare ignoring case and runs of white space.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping
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


def asked_again(jg: JourneyGraph) -> AskedAgainTable:
    """Touchpoint id → the items it asks for again (touchpoints that ask nothing again left out)."""
    with jg.sharing():  # the components, made once for every item
        return _asked_again(jg)


def _asked_again(jg: JourneyGraph) -> AskedAgainTable:
    askers: dict[str, list[Touchpoint]] = {}
    for tp in jg.journey.touchpoints:
        for key in dict.fromkeys(normal(item) for item in tp.asks):
            askers.setdefault(key, []).append(tp)
    # each item asked again, in the order found (item by item): the node asking, its text (as
    # written, by its index in `texts`) and the node where it was given
    asking, said, given = array("l"), array("l"), array("l")
    texts: dict[str, int] = {}
    looping = on_a_loop(jg)
    nearest = _Nearest(jg)
    position, reachable = jg.position, jg.reachable_from_start
    for key, tps in askers.items():
        if len(tps) == 1 and not looping[position[tps[0].id]]:
            continue  # asked once, never passed twice
        nearest.search([position[tp.id] for tp in tps if tp.id in reachable],
                       array("l", (position[tp.id] for tp in tps)))
        for tp in tps:
            node = position[tp.id]
            source = nearest.label[node]
            if source >= 0:
                item = next(i for i in tp.asks if normal(i) == key)
                asking.append(node)
                said.append(texts.setdefault(" ".join(item.split()), len(texts)))
                given.append(source)
        nearest.clear()
    return AskedAgainTable(jg, asking, said, given, tuple(texts))


class AskedAgainTable(Mapping[str, tuple[AskedAgain, ...]]):
    """Touchpoint id → the items it asks for again, as :class:`AskedAgain` tuples made when read
    (touchpoints that ask nothing again are not in it), kept in arrays by the touchpoint's node:
    where its items start, each item's text (an index into the few texts written) and the node
    where it was given. A dict of tuples of objects was 150 bytes a touchpoint that asks again,
    and the dict that shared them the peak of a large journey's analysis."""

    __slots__ = ("_jg", "_starts", "_said", "_given", "_texts", "_len")

    def __init__(self, jg: JourneyGraph, asking: array[int], said: array[int], given: array[int],
                 texts: tuple[str, ...]) -> None:
        n = len(jg.ids)
        starts = array("l", bytes(8 * (n + 1)))
        for node in asking:
            starts[node + 1] += 1
        self._len = sum(1 for k in range(n) if starts[k + 1])
        for node in range(n):
            starts[node + 1] += starts[node]
        # each node's items together, in the order found (a counting sort: stable)
        at = starts[:-1]
        self._said, self._given = array("l", bytes(8 * len(said))), array("l", bytes(8 * len(given)))
        for k, node in enumerate(asking):
            self._said[at[node]], self._given[at[node]] = said[k], given[k]
            at[node] += 1
        self._jg, self._starts, self._texts = jg, starts, texts

    def count(self, tp_id: str) -> int:
        """How many items the touchpoint asks for again (0 for one that asks nothing again)."""
        node = self._jg.position.get(tp_id)
        return 0 if node is None else self._starts[node + 1] - self._starts[node]

    def get(self, tp_id: str, default: object = None) -> tuple[AskedAgain, ...] | None:  # type: ignore[override]
        node = self._jg.position.get(tp_id)
        if node is None:
            return default  # type: ignore[return-value]
        a, b = self._starts[node], self._starts[node + 1]
        if a == b:
            return default  # type: ignore[return-value]
        ids, texts = self._jg.ids, self._texts
        return tuple(AskedAgain(texts[self._said[k]], ids[self._given[k]]) for k in range(a, b))

    def __getitem__(self, tp_id: str) -> tuple[AskedAgain, ...]:
        items = self.get(tp_id)
        if items is None:
            raise KeyError(tp_id)
        return items

    def __contains__(self, tp_id: object) -> bool:
        return isinstance(tp_id, str) and self.count(tp_id) > 0

    def __iter__(self) -> Iterator[str]:
        """The ids of the touchpoints that ask again, in the graph's order (the file's)."""
        starts, ids = self._starts, self._jg.ids
        return (ids[node] for node in range(len(ids)) if starts[node + 1] > starts[node])

    def __len__(self) -> int:
        return self._len


def on_a_loop(jg: JourneyGraph) -> bytearray:
    """1 by the position of each touchpoint that some path leads back to (by any edge, whatever
    its share), 0 elsewhere (a set of their ids was 4 MB of a large journey with loops)."""
    members, starts, _ = components(jg, positive=False)
    found = bytearray(len(jg.ids))
    for k in range(len(starts) - 1):
        a, b = starts[k], starts[k + 1]
        if b - a > 1:
            for v in members[a:b]:
                found[v] = 1
        elif (v := members[a]) in jg.targets(v):
            found[v] = 1
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
        self.want = bytearray(len(jg.ids))  # the wanted nodes of the search under way
        self.nodes = array("l")  # the queue: each node reached, in turn…
        self.via = array("l")  # …and the source it was reached from

    def search(self, sources: list[int], wanted: array[int]) -> None:
        at, to = self.jg.succ_at, self.jg.succ_to
        rank = components(self.jg, positive=False)[2]  # an array: ranks() is a list of int objects
        last = max(rank[w] for w in wanted)
        label, seen, nodes, via, want = self.label, self.seen, self.nodes, self.via, self.want
        waiting = 0
        for w in wanted:
            if not want[w]:
                want[w] = 1
                waiting += 1
        for i in sources:
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
            if want[node]:
                waiting -= 1
            k, end = at[node], at[node + 1]
            while k < end:  # cheaper than a slice of the moves: most nodes have one
                w = to[k]
                k += 1
                if not seen[w] and rank[w] <= last:
                    nodes.append(w)
                    via.append(source)
        for w in wanted:
            want[w] = 0

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


def asked_again_findings(jg: JourneyGraph, again: AskedAgainTable) -> Iterator[Finding]:
    """One JM302 warning per touchpoint that asks again, in file order (worded when read)."""
    for tp in jg.journey.touchpoints:
        if tp.id in again:
            yield AskedAgainFinding.of(tp, again)


_LAST_SPAN: list[tuple[AskedAgainFinding, Span] | None] = [None]
_TP_PLACE, _TABLE_PLACE = Finding.__dict__["message"], Finding.__dict__["span"]  # slots' descriptors
_HINT = "pass on what the customer already gave, with the case, and drop it from `asks` here"


class AskedAgainFinding(Finding):
    """A JM302 finding that keeps its touchpoint and the table of what is asked again (shared with
    the friction scores), and makes its message and position when they are read: a large journey
    whose every other step asks again held a message (two bytes a character, for its quotes), a
    position and a finding for each, 270 bytes a touchpoint. It is equal to (and hashes as) the
    plain :class:`Finding` with the same fields; copied, replaced or pickled, it becomes one."""

    # The touchpoint and the table are kept in the plain finding's own places for the message and
    # the position, which the properties below stand in front of (16 bytes a finding less than
    # two places of its own: 70,000 findings for a large journey whose every other step asks again).
    __slots__ = ()

    def __new__(cls, *args: object, **kwargs: object) -> Finding:  # type: ignore[misc]
        return Finding(*args, **kwargs)  # type: ignore[arg-type]  # (dataclasses.replace)

    @classmethod
    def of(cls, tp: Touchpoint, again: AskedAgainTable) -> AskedAgainFinding:
        found = object.__new__(cls)
        for name, value in (("rule", "JM302"), ("severity", RULES["JM302"].severity),
                            ("subject", tp.id), ("hint", _HINT)):
            object.__setattr__(found, name, value)
        _TP_PLACE.__set__(found, tp)
        _TABLE_PLACE.__set__(found, again)
        return found

    @property
    def _tp(self) -> Touchpoint:
        return _TP_PLACE.__get__(self, Finding)  # type: ignore[no-any-return]

    @property
    def _table(self) -> AskedAgainTable:
        return _TABLE_PLACE.__get__(self, Finding)  # type: ignore[no-any-return]

    @property  # type: ignore[override]
    def message(self) -> str:
        tp = self._tp
        return f"“{tp.name}” asks the customer again for {describe(self._table[tp.id], tp.id)}"

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
