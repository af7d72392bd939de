"""The probability of ever reaching ``kept_at`` from ``made_at``, for every promise of a journey.

Small journeys solve each promise on the touchpoints between its two ends (markov's exact-pivot
elimination; cheap, and no import). A large journey factorises ``I - Q`` once, over every
touchpoint (a sparse LU, scipy's SuperLU), and answers each promise from one solve with that
factorisation: column ``k`` of the fundamental matrix ``N = (I - Q)⁻¹`` holds the expected visits
to ``k`` from every touchpoint, and

    reach(m → k) = N[m, k] / N[k, k]      for m ≠ k (visits to k, per visit once there)
    reach(k → k) = 1 - 1 / N[k, k]        (coming back to k)

LU with partial pivoting loses the exit of a loop that customers leave with a tiny probability:
the matrix holds ``1 - (1 - ε)``, rounded. So the factorisation is checked once against what must
hold exactly: every customer leaves the journey in the end, so the visits weighted by each
touchpoint's probability of leaving (``N·ℓ``, with ``ℓ`` taken from the file's shares, not from
the matrix) are 1 from everywhere. When they are not (to 1e-9), or ``I - Q`` is singular (a loop
that customers never leave), every promise is solved by the exact-pivot elimination instead,
which names such loops (infinite visits) rather than failing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from journeymap.analysis.markov import LOST, Edges, Propagator

# At this many touchpoints a journey pays for importing scipy (about 0.3 s) and one factorisation
LU_FROM = 2_000


class Reach:
    """reach(made, kept, sub) for the promises of one journey (``edges`` from chain_edges)."""

    def __init__(self, edges: Edges, promises: int) -> None:
        self.edges = edges
        self.factorised = len(edges) >= LU_FROM and promises > 1
        self._lu: object | None = None
        self._columns: dict[str, Sequence[float] | None] = {}

    def __call__(self, made: str, kept: str, sub: dict[str, dict[str, float]] | None = None) -> float:
        """``sub``: the touchpoints between the two (timing.between), when the caller has them."""
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


def _leaving(out: Mapping[str, float]) -> float:
    """The probability of leaving the journey from a touchpoint, as the file's shares give it."""
    unpassed = 1.0 - sum(out.values())
    return out.get(LOST, 0.0) + (unpassed if unpassed > 1e-14 else 0.0)


def between_reach(edges: Edges, made: str, kept: str, sub: dict[str, dict[str, float]]) -> float:
    """Absorption at ``kept``, solved only on the touchpoints between the two (customers who leave
    them never come back to ``kept``)."""
    first = {w: p for w, p in edges[made].items() if w in sub}
    return Propagator(sub, frozenset([kept])).visits(first).get(kept, 0.0)
