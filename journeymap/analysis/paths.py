"""What a journey's promises share, made once per journey: the fastest paths and the touchpoints
between a promise's two ends, on touchpoint positions (ints) rather than ids.

Both searches are cut by the journey's **topological ranks**: the strongly connected components
in topological order, each touchpoint ranked by its component. A path into ``kept_at`` only
passes touchpoints ranked no later than ``kept_at``'s, so a search for a promise spanning three
touchpoints no longer walks the whole rest of the journey. Once these searches have passed
:data:`ARRAYS_AFTER` positions, the between-sets are found by scipy's compiled breadth-first
search instead (no cut needed): importing scipy pays only for many large between-sets.
The answers are those of the searches without either (:func:`journeymap.analysis.timing.between`
and ``fastest``), to the bit and in the same order of ties: what is cut could never lead to
``kept_at`` (tests/test_paths.py compares them).
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Mapping, Sequence

from journeymap.analysis import traffic
from journeymap.analysis.markov import LOST, chain_edges
from journeymap.analysis.timing import nanoseconds
from journeymap.graph import JourneyGraph


def components(jg: JourneyGraph, positive: bool) -> tuple[array, array, array]:
    """The strongly connected components in topological order, over the moves with a share
    (``positive``) or over every move (a failure without a share included), as
    :func:`traffic.components <journeymap.analysis.traffic.components>` gives them (the
    components of ``markov.strongly_connected``, in its order): the members component by
    component, where each component starts among them (and the end), each position's component.
    Made once per journey."""
    def make(jg: JourneyGraph) -> tuple[array, array, array]:
        n, ps = len(jg.ids), jg.succ_p
        if not positive:
            ps = array("d", [1.0]) * len(ps)
        return traffic.components(n, jg.succ_at, jg.succ_to, ps, array("d", bytes(8 * n)))

    return jg.shared(f"components-{'positive' if positive else 'any'}", make)


def ranks(jg: JourneyGraph, positive: bool) -> list[int]:
    """Each position's component (:func:`components`), numbered in topological order: a list,
    as the searches read it at every move."""
    return jg.shared(f"ranks-{'positive' if positive else 'any'}",
                     lambda jg: components(jg, positive)[2].tolist())


class Fastest:
    """The fastest path between two touchpoints (Dijkstra over whole nanoseconds), for every
    promise of a journey: one search per ``made_at``, resumed where it stopped when a later
    promise made at the same touchpoint is kept further on."""

    def __init__(self, jg: JourneyGraph) -> None:
        self.jg = jg
        self.rank = ranks(jg, positive=False)
        self.wait = [nanoseconds(tp.wait or 0.0) for tp in jg.touchpoints]
        self.duration = [nanoseconds(tp.duration or 0.0) for tp in jg.touchpoints]
        self._searches: dict[tuple[int, int], _Search] = {}

    def __call__(self, made: str, kept: str) -> tuple[int, tuple[str, ...]] | None:
        """The least elapsed time from ``made`` to ``kept`` over any path, and that path; None
        when no path leads there. Ties go to the move found first, as in ``timing.fastest``."""
        m, k = self.jg.position[made], self.jg.position[kept]
        # searches are shared by promises whose kept_at has the same rank (the same cut)
        key = (m, self.rank[k])
        search = self._searches.get(key)
        if search is None:
            search = self._searches[key] = _Search(self, m, self.rank[k])
        d = search.until(k)
        if d is None:
            return None
        ids = self.jg.ids
        return d, tuple(ids[i] for i in search.path(k))


class _Search:
    def __init__(self, fastest: Fastest, made: int, last_rank: int) -> None:
        jg = fastest.jg
        self.at, self.to, self.wait, self.duration = jg.succ_at, jg.succ_to, fastest.wait, fastest.duration
        self.rank, self.last_rank, self.made = fastest.rank, last_rank, made
        self.best: dict[int, int] = {}
        self.came_from: dict[int, int] = {}  # -1: the first move, out of made_at
        self.count = 0
        self.stopped_at = -1  # the touchpoint the last answer stopped at, its moves not yet pushed
        heap = []
        for w in jg.targets(made):
            if self.rank[w] <= last_rank:
                self.count += 1
                heap.append((self.wait[w], self.count, w, -1))
        heapq.heapify(heap)
        self.heap = heap

    def until(self, kept: int) -> int | None:
        """Settle touchpoints until ``kept`` is, and return its time (None: never reached)."""
        best, came_from, heap = self.best, self.came_from, self.heap
        if kept in best:
            return best[kept]
        at, to, wait, duration = self.at, self.to, self.wait, self.duration
        rank, last = self.rank, self.last_rank
        pop, push = heapq.heappop, heapq.heappush
        count = self.count
        u = self.stopped_at
        if u >= 0:  # resumed: carry on as a search that had not stopped there would have
            d = best[u]
        try:
            while True:
                if u >= 0:
                    leave = d + duration[u]
                    for w in to[at[u]:at[u + 1]]:
                        if w not in best and rank[w] <= last:
                            count += 1
                            push(heap, (leave + wait[w], count, w, u))
                u = -1
                if not heap:
                    self.stopped_at = -1
                    return None
                d, _, u, prev = pop(heap)
                if u in best:
                    u = -1
                    continue
                best[u] = d
                came_from[u] = prev
                if u == kept:
                    self.stopped_at = u
                    return d
        finally:
            self.count = count

    def path(self, kept: int) -> list[int]:
        path = [kept]
        node = self.came_from[kept]
        while node != -1:
            path.append(node)
            node = self.came_from[node]
        path.append(self.made)
        path.reverse()
        return path


class Between:
    """The moves among the touchpoints that lie on some path made → … → kept with shares, as
    ``timing.between`` gives them (``{id: {id or LOST: p}}``, what customers leaving the set
    carry away as one move to LOST), for every promise of a journey."""

    def __init__(self, jg: JourneyGraph) -> None:
        self.jg = jg
        self.edges = chain_edges(jg)
        self.walked = 0  # positions the searches in Python have passed (see ARRAYS_AFTER)
        self._arrays: _Arrays | None = None
        self._ready = False  # the moves, ranks and moves back: made at the first call

    def __call__(self, made: str, kept: str) -> dict[str, Mapping[str, float]]:
        m, k = self.jg.position[made], self.jg.position[kept]
        if not self._ready:
            self._prepare()
        if self._arrays is None and self.walked >= ARRAYS_AFTER:
            self._arrays = _Arrays(self.out)
        if self._arrays is not None:
            found = self._arrays.keep(m, k)
            return self._moves(*found, k) if found is not None else {}
        keep = self._keep(m, k)
        return self._moves(keep, _positions(keep), None, k) if keep is not None else {}

    def _prepare(self) -> None:
        jg = self.jg
        at, to, ps = jg.succ_at, jg.succ_to, jg.succ_p
        self.out = [tuple(to[k] for k in range(at[i], at[i + 1]) if ps[k] > 0) for i in range(len(jg.ids))]
        self.rank = ranks(jg, positive=True)
        back: list[list[int]] = [[] for _ in jg.ids]
        for i, out in enumerate(self.out):
            for j in out:
                back[j].append(i)
        self.back = back
        self._ready = True

    def _keep(self, m: int, k: int) -> bytearray | None:
        """Which positions lie between ``m`` and ``k`` (None: ``k`` cannot be reached)."""
        ids, rank, out = self.jg.ids, self.rank, self.out
        last = rank[k]
        # ahead: reached from made's first moves, not past kept, nor where kept cannot be reached
        ahead = bytearray(len(ids))
        stack = []
        for w in out[m]:
            if not ahead[w] and rank[w] <= last:
                ahead[w] = 1
                stack.append(w)
        while stack:
            u = stack.pop()
            if u == k:
                continue
            for w in out[u]:
                if not ahead[w] and rank[w] <= last:
                    ahead[w] = 1
                    stack.append(w)
        self.walked += ahead.count(1)
        if not ahead[k]:
            return None
        # keep: what is ahead and leads to kept (walking back from it among what is ahead)
        keep = bytearray(len(ids))
        keep[k] = 1
        stack = [k]
        back = self.back
        while stack:
            for u in back[stack.pop()]:
                if ahead[u] and not keep[u]:
                    keep[u] = 1
                    stack.append(u)
        return keep

    def _moves(self, keep: bytearray, positions: list[int], leaving: bytearray | None,
               k: int) -> dict[str, Mapping[str, float]]:
        """The moves among ``keep`` (set at ``positions``, in file order: the sets of
        timing.between, in an order of its own). ``leaving``, when known, marks the positions
        with a move out of ``keep``."""
        ids, out, edges = self.jg.ids, self.out, self.edges
        sub: dict[str, Mapping[str, float]] = {}
        for u in positions:
            name = ids[u]
            chain = edges[name]
            if u == k:
                sub[name] = {}
            elif leaving is not None:
                sub[name] = _kept_edges(chain, out[u], keep, ids) if leaving[u] else chain
            elif all(keep[j] for j in out[u]):  # nothing but LOST leaves: the moves, shared
                sub[name] = chain
            else:
                sub[name] = _kept_edges(chain, out[u], keep, ids)
        return sub


def _positions(keep: bytearray) -> list[int]:
    """The positions set in ``keep``, in order (bytes.find runs in C)."""
    found = []
    u = keep.find(1)
    while u >= 0:
        found.append(u)
        u = keep.find(1, u + 1)
    return found


# Once the searches in Python have passed this many positions, the between-sets are found with
# scipy's breadth-first search: it saves about 1 µs a position, importing scipy costs 0.2-0.3 s.
# (A large journey's reach needs no between-set, and its timed promises few: the benchmark's
# journey of 10,000 touchpoints asks for 15, of 3 to 7 touchpoints, and never gets here.)
ARRAYS_AFTER = 300_000


class _Arrays:
    """The between-sets' searches in scipy (compiled): the positions ahead of made_at (reached
    from its first moves without going past kept_at) that also lead to kept_at. Any path from a
    touchpoint ahead into kept_at stays ahead until it arrives, so "leads to kept_at" can be
    searched on the whole journey."""

    def __init__(self, out: Sequence[Sequence[int]]) -> None:
        import numpy as np
        from scipy.sparse import csr_matrix

        n = len(out)
        self.n = n
        sizes = np.fromiter((len(o) for o in out), dtype=np.int64, count=n)
        self.indptr = np.zeros(n + 2, dtype=np.int64)  # one row more: the search's own start
        np.cumsum(sizes, out=self.indptr[1:n + 1])
        self.indptr[n + 1] = self.indptr[n]
        self.indices = np.fromiter((j for o in out for j in o), dtype=np.int32,
                                   count=int(self.indptr[n]))
        self.sources = np.repeat(np.arange(n, dtype=np.int32), sizes)
        edges = len(self.indices)
        ones = np.ones(edges, dtype=np.int8)
        self.backwards = csr_matrix((ones, (self.indices, self.sources)), shape=(n, n))
        self.out = out

    def keep(self, m: int, k: int) -> tuple[bytearray, list[int], bytearray] | None:
        """The positions between ``m`` and ``k`` (as a mask, and in order), and which of them
        have a move out of the set; None when ``k`` cannot be reached."""
        import numpy as np
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import breadth_first_order

        n, indptr, indices = self.n, self.indptr, self.indices
        # the journey without kept_at's moves out, and a start n whose moves are made_at's
        first = np.asarray(self.out[m], dtype=np.int32)
        cut = np.concatenate((indices[:indptr[k]], indices[indptr[k + 1]:], first))
        rows = indptr.copy()
        rows[k + 1:] -= indptr[k + 1] - indptr[k]
        rows[n + 1] = rows[n] + len(first)
        graph = csr_matrix((np.ones(len(cut), dtype=np.int8), cut, rows), shape=(n + 1, n + 1))
        ahead = np.zeros(n + 1, dtype=bool)
        ahead[breadth_first_order(graph, n, directed=True, return_predecessors=False)] = True
        ahead[n] = False
        if not ahead[k]:
            return None
        leads = np.zeros(n, dtype=bool)
        leads[breadth_first_order(self.backwards, k, directed=True, return_predecessors=False)] = True
        keep = ahead[:n] & leads
        leaving = np.zeros(n, dtype=bool)
        leaving[self.sources[keep[self.sources] & ~keep[indices]]] = True
        return (bytearray(keep.view(np.uint8).tobytes()), np.flatnonzero(keep).tolist(),
                bytearray(leaving.view(np.uint8).tobytes()))


def _kept_edges(chain: Mapping[str, float], out: Sequence[int], keep: bytearray,
                ids: tuple[str, ...]) -> Mapping[str, float]:
    """``chain`` (a touchpoint's moves with a share: ``out``, then LOST) restricted to ``keep``,
    what leaves it going to LOST as one move, added in the same order (timing._kept_edges)."""
    inside = {}
    gone = 0
    for j in out:
        if keep[j]:
            inside[ids[j]] = chain[ids[j]]
        else:
            gone += chain[ids[j]]
    if LOST in chain:
        gone += chain[LOST]
    if gone > 0:
        inside[LOST] = gone
    return inside
