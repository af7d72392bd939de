"""The probability of ever reaching ``kept_at`` from ``made_at``, for every promise of a journey.

Small journeys solve each promise on the touchpoints between its two ends (markov's exact-pivot
elimination; cheap, and no import).

A large journey is split at its **cuts** (:mod:`journeymap.analysis.series`: touchpoints every
path passes and no move jumps over). Customers at ``made_at`` reach ``kept_at`` only through each
cut ``c1 … cj`` between them, and once past a cut never come back before it, so by the strong
Markov property

    reach(m → k) = reach(m → c1) · reach(c1 → c2) · … · reach(cj → k)

and every factor is an exact absorption on a few touchpoints: those between two neighbouring
cuts, found in a window of the file no wider than the cuts around them (nothing outside it leads
to the factor's end). A cut whose only way on is the next cut gives that move's share. Factors
are kept for the journey, and products of consecutive ones in a balanced tree, so a promise
spanning thousands of cuts costs a few dozen multiplications. scipy is not imported for this
(the cuts come from the series engine, which loads numpy only).

When a factor's window is wider than ``TANGLE`` touchpoints (a tangle of loops with no cut in
it), its elimination would fill in more than ``FILL`` moves per touchpoint, or the journey's
windows add up to more than ``WINDOWS`` times its length, the promise is answered as before this
split: one sparse LU of ``I - Q`` over every touchpoint (scipy's SuperLU,
imported then), and one solve per ``kept_at``: column ``k`` of the fundamental matrix
``N = (I - Q)⁻¹`` holds the expected visits to ``k`` from every touchpoint, and

    reach(m → k) = N[m, k] / N[k, k]      for m ≠ k (visits to k, per visit once there)
    reach(k → k) = 1 - 1 / N[k, k]        (coming back to k)

LU with partial pivoting loses the exit of a loop that customers leave with a tiny probability:
the matrix holds ``1 - (1 - ε)``, rounded. So the factorisation is checked once against what must
hold exactly: every customer leaves the journey in the end, so the visits weighted by each
touchpoint's probability of leaving (``N·ℓ``, with ``ℓ`` taken from the file's shares, not from
the matrix) are 1 from everywhere. When they are not (to 1e-9), or ``I - Q`` is singular (a loop
that customers never leave), every promise is solved by the exact-pivot elimination instead,
which names such loops (infinite visits) rather than failing. The factors between cuts need no
such check: they are that elimination.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from journeymap.analysis.markov import LOST, Edges, Propagator, leading_to

if TYPE_CHECKING:
    from journeymap.analysis.series import Series

# At this many touchpoints a journey is split at its cuts (or, failing that, pays for importing
# scipy, about 0.3 s, and one factorisation)
LU_FROM = 2_000
# A factor between cuts is solved exactly when its window of the file is at most this wide ...
TANGLE = 1_000
# ... and while the windows solved add up to at most this many times the journey's length (or
# WINDOWS_LEAST touchpoints: about as long as importing scipy takes)
WINDOWS, WINDOWS_LEAST = 4, 30_000
# ... and while eliminating its touchpoints fills in at most this many moves per touchpoint
FILL = 32


class Reach:
    """reach(made, kept, sub) for the promises of one journey (``edges`` from chain_edges).

    ``series``: the journey's cuts (built when first asked for), for a large journey."""

    def __init__(self, edges: Edges, promises: int,
                 series: Callable[[], Series] | None = None) -> None:
        self.edges = edges
        self.factorised = len(edges) >= LU_FROM and promises > 1  # no between-set is asked for
        self._lu: object | None = None
        self._columns: dict[str, Sequence[float] | None] = {}
        self._cuts = _Cuts(edges, series) if self.factorised and series is not None else None

    def __call__(self, made: str, kept: str, sub: dict[str, dict[str, float]] | None = None) -> float:
        """``sub``: the touchpoints between the two (timing.between), when the caller has them."""
        if self._cuts is not None:
            split = self._cuts.reach(made, kept)
            if split is not None:
                return min(1.0, max(0.0, split))
        column = self._column(kept) if self.factorised else None
        if column is None:
            from journeymap.analysis.timing import between

            sub = sub if sub is not None else between(self.edges, made, kept)
            return between_reach(self.edges, made, kept, sub)
        visits_k = float(column[self._index[kept]])
        if made == kept:
            return max(0.0, 1.0 - 1.0 / visits_k)
        return min(1.0, max(0.0, float(column[self._index[made]]) / visits_k))

    def _column(self, kept: str) -> Sequence[float] | None:
        if kept not in self._columns:
            self._columns[kept] = self._solve(kept)
        return self._columns[kept]

    def _solve(self, kept: str) -> Sequence[float] | None:
        """Column ``kept`` of the fundamental matrix, by position in ``_nodes``."""
        import numpy as np

        lu = self._factorise()
        if lu is None:
            return None
        rhs = np.zeros(len(self._index))
        rhs[self._index[kept]] = 1.0
        return lu.solve(rhs)  # type: ignore[attr-defined, no-any-return]

    def _factorise(self) -> object | None:
        if self._lu is not None or not self.factorised:
            return self._lu
        import numpy as np
        from scipy.sparse import csc_matrix, identity
        from scipy.sparse.linalg import splu

        self._nodes = [v for v in self.edges if v != LOST]
        self._index = {v: i for i, v in enumerate(self._nodes)}
        rows, cols, vals = [], [], []
        for u, out in self.edges.items():
            for w, p in out.items():
                if w != LOST and u != LOST:
                    rows.append(self._index[u])
                    cols.append(self._index[w])
                    vals.append(p)
        n = len(self._nodes)
        q = csc_matrix((np.array(vals), (np.array(rows), np.array(cols))), shape=(n, n))
        try:
            lu = splu((identity(n, format="csc") - q).tocsc())
        except RuntimeError:  # exactly singular: a loop nobody leaves
            self.factorised = False
            return None
        everyone = lu.solve(np.array([_leaving(self.edges[v]) for v in self._nodes]))
        if not np.all(np.abs(everyone - 1.0) <= 1e-9):  # rounding lost a tiny exit somewhere
            self.factorised = False
            return None
        self._lu = lu
        return lu


class _Cuts:
    """reach(m → k) as a product of exact factors between the journey's cuts (module docstring);
    None when a factor's window is too wide to solve exactly."""

    def __init__(self, edges: Edges, series: Callable[[], Series]) -> None:
        self.edges, self._series = edges, series
        self._factors: dict[tuple[str, str], float | None] = {}  # (from, to): reach
        self._nodes: dict[tuple[int, int], float | None] = {}  # (first segment, segments)
        self._last_in: dict[str, int] | None = None  # a dead end's latest predecessor
        self._left = max(WINDOWS * len(edges), WINDOWS_LEAST)  # positions still to solve

    def reach(self, made: str, kept: str) -> float | None:
        s = self._series()
        if made not in s.pos or kept not in s.pos:
            return None
        chain = s.chain(made, kept)
        if not chain:
            return self._factor(made, kept)
        first = self._factor(made, s.order[chain[0]])
        if not first:  # 0 (nobody reaches the first cut) or None (too wide)
            return first
        last = self._factor(s.order[chain[-1]], kept)
        if last is None:
            return None
        i = bisect_right(s.cuts, chain[0]) - 1  # segment i runs from cuts[i] to cuts[i + 1]
        middle = self._product(i, i + len(chain) - 1)
        return None if middle is None else first * middle * last

    def _product(self, first: int, last: int) -> float | None:
        """Segments first … last - 1 multiplied, from a few cached nodes of a balanced tree."""
        product, i = 1.0, first
        while i < last:
            size = 1
            while i % (2 * size) == 0 and i + 2 * size <= last:
                size *= 2
            node = self._node(i, size)
            if node is None:
                return None
            product *= node
            i += size
        return product

    def _node(self, i: int, size: int) -> float | None:
        key = (i, size)
        if key not in self._nodes:
            if size == 1:
                s = self._series()
                self._nodes[key] = self._factor(s.order[s.cuts[i]], s.order[s.cuts[i + 1]])
            else:
                left, right = self._node(i, size // 2), self._node(i + size // 2, size // 2)
                self._nodes[key] = None if left is None or right is None else left * right
        return self._nodes[key]

    def _factor(self, a: str, b: str) -> float | None:
        """reach(a → b), exactly, on a window of the file around them (None: too wide)."""
        if (a, b) not in self._factors:
            self._factors[a, b] = self._solve(a, b)
        return self._factors[a, b]

    def _solve(self, a: str, b: str) -> float | None:
        s, edges = self._series(), self.edges
        ways = [w for w in edges[a] if w != LOST and w not in s.dead]
        if ways == [b] and a != b:  # one move on, never back: its share
            return edges[a][b]
        lo, hi = self._window(s, a, b)
        if hi - lo > TANGLE or hi - lo > self._left:
            return None
        self._left -= max(hi - lo, 0)
        nodes = [v for v in s.order[max(lo, 0):hi] if v not in s.dead and v != b]
        return _absorbed(edges, nodes, a, b)

    def _window(self, s: Series, a: str, b: str) -> tuple[int, int]:
        """Positions [lo, hi) that hold every touchpoint between ``a`` and ``b`` (but ``b``):
        customers at ``a`` never go back before the last cut at or before it, and nothing at or
        after the first cut past ``b`` (past the last move into ``b``, for a dead end) leads
        back to ``b``."""
        cuts = s.cuts
        i = bisect_right(cuts, s.pos[a]) - 1
        lo = cuts[i] if i >= 0 else 0
        end = s.pos[b]
        j = bisect_right(cuts, end)
        if b in s.dead:
            end = self._latest_in(s).get(b, -1)
            j = bisect_right(cuts, end)
        elif j and cuts[j - 1] == end and s.pos[a] < end:
            return lo, end + 1  # b a cut ahead of a: the search stops at b, nothing is past it
        return lo, cuts[j] if j < len(cuts) else len(s.order)

    def _latest_in(self, s: Series) -> dict[str, int]:
        if self._last_in is None:
            self._last_in = {}
            for u in s.order:
                for w in self.edges[u]:
                    if w in s.dead:
                        self._last_in[w] = max(self._last_in.get(w, -1), s.pos[u])
        return self._last_in


def _absorbed(edges: Edges, nodes: Sequence[str], made: str, kept: str) -> float | None:
    """reach(made → kept) when every touchpoint between them is in ``nodes`` (in file order);
    None when the elimination would take more than ``FILL`` steps per touchpoint.

    The chain is censored at each touchpoint that leads to ``kept`` in turn (state reduction,
    the Grassmann-Taksar-Heyman form of Gaussian elimination, as markov.solve): every way
    through it is added to its predecessors, scaled by its ways out, a sum of positive terms
    (its leaks, kept apart, and its moves) instead of ``1 - p(stay)``. None of these
    touchpoints is in a loop nobody leaves, so no way out is 0; moves to the others leave."""
    order = _leading(edges, nodes, kept)
    out, to_kept, leaks, into = _moves(edges, order, kept)
    start = {w: p for w, p in edges[made].items() if w in out}
    reached = edges[made].get(kept, 0.0)
    steps = FILL * (len(order) + 8)
    for v in order:  # file order: a journey mostly moves forward, so little is filled in
        moves = out.pop(v)
        moves.pop(v, None)
        ways = max(leaks[v] + to_kept[v] + sum(moves.values()), 1e-300)  # 1 - p(v → v)
        there, gone = to_kept[v] / ways, leaks[v] / ways
        moves = {w: p / ways for w, p in moves.items()}
        for w in moves:
            into[w].discard(v)
        a = start.pop(v, 0.0)
        reached += a * there
        for w, q in moves.items():
            start[w] = start.get(w, 0.0) + a * q
        steps -= len(into[v]) * len(moves)
        if steps < 0:
            return None
        for u in into.pop(v):
            row = out[u]
            a = row.pop(v)
            to_kept[u] += a * there
            leaks[u] += a * gone
            for w, q in moves.items():
                row[w] = row.get(w, 0.0) + a * q
                if w != u:
                    into[w].add(u)
    return reached


def _leading(edges: Edges, nodes: Sequence[str], kept: str) -> list[str]:
    """Those of ``nodes`` (file order) with a path to ``kept`` among them."""
    leads = leading_to(edges, nodes, kept)
    return [v for v in nodes if v in leads and v != kept]


def _moves(edges: Edges, order: list[str], kept: str) -> tuple[dict[str, dict[str, float]],
                                                                dict[str, float], dict[str, float],
                                                                dict[str, set[str]]]:
    """For each of ``order``: its moves among them, its share into ``kept``, what leaves
    (out of the journey, or where ``kept`` cannot be reached), and who moves into it."""
    leads = set(order)
    out, to_kept, leaks = {}, {}, {}
    into: dict[str, set[str]] = {v: set() for v in order}
    for u in order:
        moves, gone = {}, 0.0
        for w, p in edges[u].items():
            if w in leads:
                moves[w] = p
                if w != u:
                    into[w].add(u)
            elif w != kept:
                gone += p
        unpassed = 1.0 - sum(edges[u].values())
        out[u], to_kept[u] = moves, edges[u].get(kept, 0.0)
        leaks[u] = gone + (unpassed if unpassed > 1e-14 else 0.0)
    return out, to_kept, leaks, into


def _leaving(out: Mapping[str, float]) -> float:
    """The probability of leaving the journey from a touchpoint, as the file's shares give it."""
    unpassed = 1.0 - sum(out.values())
    return out.get(LOST, 0.0) + (unpassed if unpassed > 1e-14 else 0.0)


def between_reach(edges: Edges, made: str, kept: str, sub: dict[str, dict[str, float]]) -> float:
    """Absorption at ``kept``, solved only on the touchpoints between the two (customers who leave
    them never come back to ``kept``)."""
    first = {w: p for w, p in edges[made].items() if w in sub}
    return Propagator(sub, frozenset([kept])).visits(first).get(kept, 0.0)
