"""Arrival-time distributions and their sums: convolution with a certified error.

A :class:`Dist` holds customers by arrival time on a lattice (in units of a journey's greatest
common divisor of times), with what is known to be off: ``err``, the total of customers not held
exactly (trimmed tails, dropped states, FFT round-off, single-precision storage), and ``spread``,
how much later than its bin's start a customer may arrive once bins are coarser than the lattice.
Sums of independent arrival times are convolutions: directly (an outer sum) when there are few
arrival times, by numpy's FFT when there are many, binned coarser when there are too many to keep.
The share of customers by a limit is bounded from both sides: every approximation is counted.
Used by :mod:`journeymap.analysis.series`.
"""

from __future__ import annotations

import heapq
import os
from bisect import bisect_left
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from math import log2, sqrt

import numpy as np

MAX_BINS = 1 << 15  # arrival times kept per distribution; above, coarser bins (see `spread`)
_DIRECT = 1 << 14  # pairs of arrival times combined directly (an outer sum); above, by FFT
_OCCUPIED = 16  # direct sums of up to this many cells a pair are marked in every cell, not sorted
_MOST = 1 << 22  # neither more pairs at once nor more FFT cells: coarser bins first (memory)
_PACK_FROM = 4096  # kept distributions of more arrival times are kept in single precision
_EPS = float(np.finfo(float).eps)


@dataclass(frozen=True)
class Dist:
    """Customers by arrival time: ``mass[i]`` arrive at ``lo + at[i] · step`` (in units of the
    journey's gcd) or up to ``spread`` later; the true measure differs from ``mass`` by at most
    ``err`` in total. Masses may add up to less than 1: the rest never arrive."""

    lo: int
    step: int
    at: np.ndarray
    mass: np.ndarray
    spread: int = 0
    err: float = 0.0

    @property
    def total(self) -> float:
        """The masses' sum, computed once (masses are never changed once a Dist holds them)."""
        known = self.__dict__.get("_total")
        if known is None:
            known = self.__dict__["_total"] = float(self.mass.sum())
        return known

    @property
    def dense(self) -> bool:
        """Every cell from 0 to the last arrival time holds customers' mass (``at`` is 0, 1, …)."""
        return len(self.at) == int(self.at[-1]) + 1

    @property
    def width(self) -> int:
        return int(self.at[-1]) + 1 if len(self.at) else 0


class Work:
    """Work allowed, counted (not timed) so that a file always gets the same answer: event states
    and distribution cells touched, in estimated microseconds."""

    def __init__(self, allowed: float) -> None:
        self.left = allowed

    def take(self, cost: float) -> bool:
        if cost > self.left:
            return False
        self.left -= cost
        return True


class OutOfWork(Exception):
    """The work allowed ran out: the caller falls back to the other engines."""


def rebin(d: Dist, step: int) -> Dist:
    """The same customers in bins of ``step`` (a multiple of ``d.step``): each bin's start is at
    most ``step - d.step`` before its customers' arrival, so the spread grows by that."""
    if step == d.step:
        return d
    factor = step // d.step
    if d.dense:  # every cell: the bins are every `factor` cells, from the first
        return Dist(d.lo, step, cells(-(-len(d.at) // factor)), _binned(d.mass, factor),
                    d.spread + step - d.step, d.err)
    at = d.at // factor
    keep = np.ones(len(at), dtype=bool)
    keep[1:] = at[1:] != at[:-1]
    starts = np.flatnonzero(keep)
    return Dist(d.lo, step, _compact(at[starts]), np.add.reduceat(d.mass, starts),
                d.spread + step - d.step, d.err)


def _binned(mass: np.ndarray, factor: int) -> np.ndarray:
    """Sums of ``factor`` cells at a time (the last group may be shorter), as ``np.add.reduceat``
    gives them; two at a time is one strided addition (the same sums: each is one addition)."""
    if factor != 2:
        return np.add.reduceat(mass, np.arange(0, len(mass), factor))
    half = len(mass) // 2
    out = np.empty(len(mass) - half, dtype=mass.dtype)
    np.add(mass[0:2 * half:2], mass[1:2 * half:2], out=out[:half])
    if len(mass) % 2:
        out[half] = mass[-1]
    return out


def _aligned(a: Dist, b: Dist) -> tuple[Dist, Dist]:
    step = max(a.step, b.step)
    return rebin(a, step), rebin(b, step)


def convolve(a: Dist, b: Dist, work: Work, tail: float = 0.0, bins: int = MAX_BINS) -> Dist:
    """The distribution of the sum of two independent arrival times, tails trimmed, in coarser
    bins when it has more than ``bins`` arrival times (at most MAX_BINS)."""
    a, b = _aligned(a, b)
    pairs = len(a.at) * len(b.at)
    span = a.width + b.width
    if pairs > _DIRECT and min(pairs, span) > _MOST:  # many arrival times, far apart
        step = a.step
        while (a.width + b.width) * a.step > _MOST * step:
            step *= 2
        return convolve(rebin(a, step), rebin(b, step), work, tail, bins)
    if pairs <= _DIRECT or pairs * 0.02 <= span * 0.1:
        if not work.take(pairs * 0.02 + 5):
            raise OutOfWork
        counted = span <= 4 * pairs  # dense enough to count into every cell, without sorting
        if len(a.at) == 1 or len(b.at) == 1:
            at, mass = _shifted(a, b, counted)
        else:
            at, mass = _outer_sum(a, b, counted)
        noise = pairs * _EPS * a.total * b.total  # each product and sum rounds, at most ε each
    else:
        if not work.take(span * 0.04 + 20):
            raise OutOfWork
        mass, noise = _fft(a, b, span)
        at = cells(len(mass))
    err = a.total * b.err + a.err * b.total + a.err * b.err + noise
    d = Dist(a.lo + b.lo, a.step, at, mass, a.spread + b.spread, err)
    return _coarse(_trimmed(d, tail, copy=False), bins)


def _outer_sum(a: Dist, b: Dist, counted: bool) -> tuple[np.ndarray, np.ndarray]:
    """Arrival times and masses of the sum, from every pair: counted into every cell (the empty
    ones dropped), or by sorting the sums. A cell's products are added in the order of the pairs
    either way; up to _OCCUPIED cells a pair, the sums taken are marked instead of sorted (faster,
    and the same: cells of no pair are left out, cells of pairs whose products are 0 kept)."""
    sums, products = np.add.outer(a.at, b.at).ravel(), np.outer(a.mass, b.mass).ravel()
    cells_ = a.width + b.width - 1
    if counted:
        mass = np.bincount(sums, weights=products, minlength=cells_)
        at = np.flatnonzero(mass)
        return at, mass[at]
    if cells_ <= _OCCUPIED * len(sums):
        taken = np.zeros(cells_, dtype=bool)
        taken[sums] = True
        at = np.flatnonzero(taken)
        return at, np.bincount(sums, weights=products, minlength=cells_)[at]
    at, inverse = np.unique(sums, return_inverse=True)
    return at, np.bincount(inverse.ravel(), weights=products)


def _shifted(a: Dist, b: Dist, counted: bool) -> tuple[np.ndarray, np.ndarray]:
    """The outer sum when one of the two has a single arrival time: the other's times, shifted,
    and its masses times that one mass (each the outer product's product, added to an empty
    cell: the same numbers). ``counted``: as the counting into every cell would give them,
    without the cells that came out empty."""
    one, other = (a, b) if len(a.at) == 1 else (b, a)
    shift = int(one.at[0])
    at = other.at + shift if shift else other.at
    mass = other.mass * one.mass[0]
    if counted:
        held = mass != 0
        if not held.all():
            at, mass = at[held], mass[held]
    return at, mass


def _fft(a: Dist, b: Dist, span: int) -> tuple[np.ndarray, float]:
    """Dense convolution by FFT; negative round-off clipped. The round-off, in total over the n
    cells, is bounded by 8 ε log₂(n) (n ‖a‖₂‖b‖₂ + ‖a‖₁‖b‖₂ + ‖a‖₂‖b‖₁): the FFT's relative
    error in the 2-norm (ε log₂ n, with a constant; Higham, *Accuracy and Stability of Numerical
    Algorithms*, §24.1) through the product and the inverse, taken generously."""
    n = _fast_length(span - 1)
    x, y = _cells_of(a), _cells_of(b)
    fx, fy = _transforms(x, y, n)
    fx *= fy
    c = np.fft.irfft(fx, n)[:span - 1]
    x2, y2 = sqrt(_dot_product(x, x)), sqrt(_dot_product(y, y))
    bound = 8 * _EPS * log2(n) * (n * x2 * y2 + a.total * y2 + x2 * b.total)
    negative = float(-c[c < 0].sum())
    np.maximum(c, 0.0, out=c)
    return c, bound + negative


def _cells_of(d: Dist) -> np.ndarray:
    """``d``'s masses in every cell from 0 to its last arrival time (its own array when dense:
    the transform pads with zeros by itself)."""
    if d.dense and d.mass.dtype == np.float64:
        return d.mass
    x = np.zeros(d.width)
    x[d.at] = d.mass
    return x


_BESIDE_FROM = 1 << 13  # FFTs of at least this many cells: the second one on another core
_beside: ThreadPoolExecutor | None = None


def _transforms(x: np.ndarray, y: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``rfft(x, n), rfft(y, n)``: long ones at the same time, y's on a helper thread (numpy lets go
    of the GIL while it transforms), when this process may run on more than one core. The
    numbers are the same either way: only the wall time changes."""
    global _beside
    if n < _BESIDE_FROM or _CORES < 2:
        return np.fft.rfft(x, n), np.fft.rfft(y, n)
    if _beside is None:
        _beside = ThreadPoolExecutor(1, thread_name_prefix="journeymap-fft")
    fy = _beside.submit(np.fft.rfft, y, n)
    return np.fft.rfft(x, n), fy.result()


def _stop_beside() -> None:
    """Before a fork: no helper thread runs (a fork copies no other thread; it is made again
    when needed)."""
    global _beside
    if _beside is not None:
        _beside.shutdown(wait=True)
        _beside = None


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


_CORES = _cores()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_stop_beside)


def _dot_product(x: np.ndarray, y: np.ndarray) -> float:
    # not `x @ y`: OpenBLAS's threads make a dot product of 60,000 cells take milliseconds of
    # CPU on a busy machine; einsum stays in one thread (microseconds)
    return float(np.einsum("i,i->", x, y))


def _smooth_numbers(most: int) -> list[int]:
    found = []
    two = 1
    while two <= most:
        three = two
        while three <= most:
            five = three
            while five <= most:
                found.append(five)
                five *= 5
            three *= 3
        two *= 2
    return sorted(found)


_SMOOTH = _smooth_numbers(1 << 40)


def _fast_length(n: int) -> int:
    """The least 2^a 3^b 5^c ≥ n (even): an FFT of that length is fast, and a power of two
    could be nearly twice as long."""
    k = bisect_left(_SMOOTH, max(n, 2))
    while _SMOOTH[k] % 2:
        k += 1
    return _SMOOTH[k]


def trim(d: Dist, tail: float) -> Dist:
    """Drop up to ``tail`` of the customers from each end (into ``err``)."""
    return _trimmed(d, tail)


def _trimmed(d: Dist, tail: float, copy: bool = True) -> Dist:
    """:func:`trim`; with ``copy`` False, the masses kept may be a view of ``d``'s (when more
    than MAX_BINS of them are kept: they are binned coarser straight after, into a new array)."""
    mass = d.mass
    if len(mass) >= _SCAN_FROM:
        return _cut_ends(d, tail, copy)
    # nothing to drop when both end cells hold more than the tail: the first cumulative sum is
    # above it, and the last but one is below the total less the tail, by more than the sums'
    # rounding can move either (a few ε of the total)
    if mass[0] > tail and mass[-1] > tail and mass[-1] - tail > 1e-12 * (d.total + tail):
        return d
    return _cut(d, tail, copy)


_SCAN_FROM = 1024  # distributions of this many arrival times are trimmed from their ends only


def _cut_ends(d: Dist, tail: float, copy: bool = True) -> Dist:
    """:func:`_cut` summing only the ends: no cell holding more than ``tail`` can be dropped, so
    the cells dropped at the start are found on the cumulative sums up to the first such cell,
    and those at the end on the sums from the last cell backwards, down to the last such cell
    (a long distribution's right tail is a third of its cells, its left tail a few). The mass
    dropped at the end is summed from the end, so counted to within its own rounding: as the
    difference of two cumulative sums near 1 (:func:`_cut`) the tail's cells of 1e-17 vanish,
    and up to ~1e-13 a trim went uncounted (and its end could fall a few such cells later)."""
    mass = d.mass
    above = mass > tail
    if not above.any():
        return _cut(d, tail, copy)
    first = int(above.argmax())
    last = len(mass) - 1 - int(above[::-1].argmax())
    low = np.cumsum(mass[:first + 1])
    i = int(np.searchsorted(low, tail, side="right"))
    high = np.cumsum(mass[:last:-1])  # the last cell, the last two, … back to `last`'s neighbour
    dropped = int(np.searchsorted(high, tail, side="right"))
    if i == 0 and dropped == 0:
        return d
    j = len(mass) - dropped
    cut = float(low[i - 1] if i else 0.0) + float(high[dropped - 1] if dropped else 0.0)
    return _kept(d, i, j, cut, copy)


def _cut(d: Dist, tail: float, copy: bool = True) -> Dist:
    """:func:`_trimmed` without its shortcut: the ends found on the cumulative sums."""
    mass = d.mass
    cum = np.cumsum(mass)
    total = cum[-1]
    i = int(np.searchsorted(cum, tail, side="right"))
    j = int(np.searchsorted(cum, total - tail, side="left")) + 1
    i, j = min(i, len(cum) - 1), max(j, i + 1)
    if i == 0 and j >= len(cum):
        return d
    cut = float(cum[i - 1] if i else 0.0) + float(total - cum[j - 1])
    return _kept(d, i, j, cut, copy)


def _kept(d: Dist, i: int, j: int, cut: float, copy: bool) -> Dist:
    """``d``'s cells i to j - 1, ``cut`` more in its error."""
    at = d.at[i:j]
    kept = d.mass[i:j]
    if copy or j - i <= MAX_BINS:
        kept = kept.copy()
    dense = d.dense  # every cell: so is any slice of it, from 0 again
    return Dist(d.lo + int(at[0]) * d.step, d.step, cells(j - i) if dense else _compact(at - at[0]),
                kept, d.spread, d.err + cut)


def packed(d: Dist) -> Dist:
    """A large distribution as it is kept for later promises: masses in single precision (half
    the memory), each off by at most 2⁻²⁴ of itself, which goes into ``err``."""
    if len(d.at) <= _PACK_FROM:
        return d
    return Dist(d.lo, d.step, d.at, d.mass.astype(np.float32), d.spread,
                d.err + d.total * 2.0 ** -24 + len(d.at) * 2.0 ** -149)  # subnormals too


def unpacked(d: Dist) -> Dist:
    """The kept distribution in double precision again, to compute with."""
    if d.mass.dtype == np.float64:
        return d
    return Dist(d.lo, d.step, d.at, d.mass.astype(np.float64), d.spread, d.err)


_ALL_CELLS = np.arange(0, dtype=np.int64)


def cells(n: int) -> np.ndarray:
    """0, 1, …, n - 1 as a view of one shared array: a dense distribution's arrival times
    take no memory of their own (a journey keeps hundreds of them)."""
    global _ALL_CELLS
    if len(_ALL_CELLS) < n:
        _ALL_CELLS = np.arange(max(n, 2 * len(_ALL_CELLS)), dtype=np.int64)
        _ALL_CELLS.flags.writeable = False
    return _ALL_CELLS[:n]


def _compact(at: np.ndarray) -> np.ndarray:
    """``at`` (starting at 0), as the shared view when it is every cell."""
    return cells(len(at)) if len(at) and at[-1] == len(at) - 1 else at


def _coarse(d: Dist, bins: int) -> Dist:
    """Coarser bins for a distribution of more than ``bins`` arrival times (a sparse one, of a
    few times far apart, is left as it is)."""
    if len(d.at) <= bins:
        return d
    step = d.step
    while d.width * d.step > bins * step:
        step *= 2
    return rebin(d, step)


def combined(parts: list[Dist], limit: int, work: Work, tail: float, bins: int = MAX_BINS) -> Dist:
    """The sum of the parts, smallest first, without the customers certainly later than
    ``limit`` (they are not needed, so not counted in the error either), in at most ``bins``
    arrival times each (see :func:`convolve`)."""
    lows = sum(p.lo for p in parts)
    heap = [(len(p.at), k, p) for k, p in enumerate(parts)]
    heapq.heapify(heap)
    count = len(heap)
    while len(heap) > 1:
        _, _, a = heapq.heappop(heap)
        _, _, b = heapq.heappop(heap)
        c = _late_dropped(convolve(a, b, work, tail, bins), limit - (lows - a.lo - b.lo))
        lows += c.lo - a.lo - b.lo
        heapq.heappush(heap, (len(c.at), count := count + 1, c))
    return heap[0][2]


AT_ONCE = Dist(0, 1, np.zeros(1, dtype=np.int64), np.ones(1))  # everyone, at once


def _late_dropped(d: Dist, limit: int) -> Dist:
    """Customers certainly later than ``limit`` are not needed (nor counted in the error)."""
    keep = d.lo + d.at * d.step <= limit
    if keep.all() or not keep.any():
        return d
    return Dist(d.lo, d.step, d.at[keep], d.mass[keep], d.spread, d.err)


def share_by(a: Dist, b: Dist, limit: int, work: Work) -> tuple[float, float]:
    """Bounds on P(A + B ≤ limit) from a's masses and b's cumulative masses."""
    a, b = _aligned(a, b)
    if not work.take((len(a.at) + b.width) * 0.02 + 5):
        raise OutOfWork
    cum = np.concatenate([[0.0], np.cumsum(np.bincount(b.at, weights=b.mass, minlength=b.width))])

    def below(slack: int) -> float:
        # b's bins whose start is at most limit - slack - (a's time): index q - a.at
        q = (limit - slack - a.lo - b.lo) // a.step
        q = min(max(q, -1), b.width + a.width)  # beyond either end: nobody, or everyone
        idx = np.clip(q - a.at + 1, 0, b.width)
        return _dot_product(a.mass, cum[idx])

    spread = a.spread + b.spread
    err = a.total * b.err + a.err * b.total + a.err * b.err
    err += (len(a.at) + b.width) * _EPS * (a.total + b.total)  # the sums' rounding
    high, low = below(0) + err, below(spread) - err
    return (high + low) / 2, (high - low) / 2
