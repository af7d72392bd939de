"""The convolutions' shortcuts (analysis/convolution.py) give the same numbers, bit for bit, as the
general code they stand in for, on random distributions: bins of a dense distribution, a sum with
a single arrival time, a trim with nothing to drop, the FFT on a dense distribution's own array,
sums marked instead of sorted. A long distribution's trim, summed from its ends, drops what one
cumulative sum drops (where no sum is within rounding of the tail) and counts it exactly."""

from __future__ import annotations

import math

import numpy as np
import pytest

from journeymap.analysis import convolution as conv
from journeymap.analysis.convolution import Dist, Work, cells, convolve, rebin, trim


def _masses(rng: np.random.Generator, n: int) -> np.ndarray:
    """Masses over many orders of magnitude (geometric tails, FFT round-off), some exactly 0."""
    mass = rng.random(n) * 10.0 ** rng.integers(-18, 0, size=n)
    mass[rng.random(n) < 0.05] = 0.0
    return mass / max(mass.sum(), 1e-300) * rng.uniform(0.2, 1.0)


def _sparse(rng: np.random.Generator, n: int, gaps: int = 50) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(rng.integers(1, gaps, size=n - 1))]).astype(np.int64)


def _same(a: Dist, b: Dist) -> None:
    assert (a.lo, a.step, a.spread, a.err) == (b.lo, b.step, b.spread, b.err)
    assert a.at.dtype == b.at.dtype and np.array_equal(a.at, b.at)
    assert a.mass.dtype == b.mass.dtype and np.array_equal(a.mass, b.mass)


def _general(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every distribution looks sparse: the general path everywhere."""
    monkeypatch.setattr(Dist, "dense", property(lambda self: False))


@pytest.mark.parametrize("seed", range(40))
def test_dense_bins_equal_the_general_rebinning(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 5000))
    dtype = np.float32 if seed % 4 == 3 else np.float64  # kept distributions are single precision
    d = Dist(int(rng.integers(0, 10**6)), 3, cells(n), _masses(rng, n).astype(dtype), 7, 1e-9)
    assert d.dense
    for factor in (2, 3, 4, 8, 16, 64):
        fast = rebin(d, 3 * factor)
        with monkeypatch.context() as m:
            _general(m)
            general = rebin(d, 3 * factor)
        _same(fast, general)
        assert fast.dense


@pytest.mark.parametrize("seed", range(40))
def test_a_single_arrival_time_equals_the_outer_sum(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(1, 3000))
    at = cells(n) if seed % 2 else _sparse(rng, n)
    other = Dist(0, 1, at, _masses(rng, n))
    one = Dist(0, 1, np.array([int(rng.integers(0, 3)) * int(rng.integers(0, 1000))]),
               np.array([rng.choice([1.0, rng.random(), 1e-300])]))
    for a, b in ((one, other), (other, one)):
        for counted in (True, False):
            at_f, mass_f = conv._shifted(a, b, counted)
            at_g, mass_g = conv._outer_sum(a, b, counted)
            assert np.array_equal(at_f, at_g) and np.array_equal(mass_f, mass_g)
            assert mass_f.dtype == mass_g.dtype == np.float64


@pytest.mark.parametrize("seed", range(60))
def test_a_trim_with_nothing_to_drop_is_the_full_trim(seed: int) -> None:
    rng = np.random.default_rng(200 + seed)
    n = int(rng.integers(1, conv._SCAN_FROM))
    at = cells(n) if seed % 2 else _sparse(rng, n)
    mass = _masses(rng, n)
    tail = float(rng.choice([0.0, 1e-12, 4e-9, 1e-8, 1e-3]))
    # ends around the tail: well above, just above, at, just below
    for first, last in ((0.3, 0.2), (tail * (1 + 1e-15), tail * (1 + 1e-11)), (tail, tail),
                        (tail * 2, tail * (1 - 1e-15)), (mass[0], mass[-1])):
        m = mass.copy()
        m[0], m[-1] = first, last
        d = Dist(int(rng.integers(0, 100)), 1, at, m, 0, 1e-10)
        _same(trim(d, tail), conv._cut(d, tail))
        if first == 0.3 and n > 1:
            assert trim(d, tail) is d  # the shortcut was taken


@pytest.mark.parametrize("seed", range(12))
def test_the_fft_of_a_dense_distribution_uses_its_own_array_with_the_same_result(
        seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(300 + seed)
    sizes = rng.integers(200, 20_000, size=2)
    a = Dist(0, 1, cells(int(sizes[0])), _masses(rng, int(sizes[0])))
    sparse_at = _sparse(rng, int(sizes[1]), 4)
    b = Dist(0, 1, cells(int(sizes[1])) if seed % 2 else sparse_at, _masses(rng, int(sizes[1])))
    work = Work(1e12)
    fast = convolve(a, b, work, 4e-9)
    with monkeypatch.context() as m:
        _general(m)
        general = convolve(a, b, work, 4e-9)
    _same(fast, general)
    assert not np.shares_memory(fast.mass, a.mass) and not np.shares_memory(fast.mass, b.mass)


@pytest.mark.parametrize("width", [30_000, 40_000])
def test_a_result_binned_coarser_is_a_new_array_and_equals_trim_then_bins(width: int) -> None:
    """The convolution keeps no view of its FFT's buffer: trimmed in place, then binned anew."""
    rng = np.random.default_rng(width)
    a = Dist(0, 1, cells(width), _masses(rng, width))
    b = Dist(0, 1, cells(width - 123), _masses(rng, width - 123))
    c = convolve(a, b, Work(1e12), 4e-9)
    assert c.step > 1 and len(c.at) <= conv.MAX_BINS
    assert c.mass.base is None or c.mass.base.size == c.mass.size


@pytest.mark.parametrize("seed", range(40))
def test_marking_the_sums_taken_equals_sorting_them(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(400 + seed)
    na, nb = rng.integers(2, 150, size=2)
    gaps = int(rng.choice([3, 10, 40, 200]))
    a = Dist(0, 1, _sparse(rng, int(na), gaps), _masses(rng, int(na)))
    b = Dist(0, 1, _sparse(rng, int(nb), gaps), _masses(rng, int(nb)))
    marked = conv._outer_sum(a, b, counted=False)
    monkeypatch.setattr(conv, "_OCCUPIED", 0)  # always sorted
    at, mass = conv._outer_sum(a, b, counted=False)
    assert np.array_equal(marked[0], at) and np.array_equal(marked[1], mass)
    assert len(at) == len(np.unique(np.add.outer(a.at, b.at)))  # zero products keep their cell


def _long(rng: np.random.Generator, n: int) -> np.ndarray:
    """A bump with long thin tails on both sides, as a long convolution's: most of the mass in a
    few thousand cells, then thousands of cells of 1e-18 to 1e-10 (FFT round-off, far tails)."""
    x = np.arange(n)
    centre, width = rng.uniform(0.1, 0.6) * n, rng.uniform(0.01, 0.1) * n
    mass = np.exp(-0.5 * ((x - centre) / width) ** 2)
    mass += 10.0 ** rng.uniform(-18, -10, size=n)
    mass[rng.random(n) < 0.02] = 0.0
    return mass / mass.sum()


def _exact(values: np.ndarray) -> float:
    return math.fsum(values.tolist())


@pytest.mark.parametrize("seed", range(30))
def test_a_long_trim_drops_at_most_the_tail_from_each_end_and_counts_it(seed: int) -> None:
    rng = np.random.default_rng(500 + seed)
    n = int(rng.integers(conv._SCAN_FROM, 60_000))
    tail = float(rng.choice([1e-12, 4e-9, 1e-8, 1e-4]))
    mass = _long(rng, n)
    d = Dist(11, 2, cells(n) if seed % 2 else _sparse(rng, n, 3), mass, 4, 0.0)
    t = trim(d, tail)
    i = int(np.searchsorted(d.at, (t.lo - d.lo) // d.step + int(d.at[0])))
    j = i + len(t.at)
    assert np.array_equal(t.mass, mass[i:j]) and np.array_equal(t.at, d.at[i:j] - d.at[i])
    low, high = _exact(mass[:i]), _exact(mass[j:])
    assert low <= tail and high <= tail
    assert i == n - 1 or _exact(mass[:i + 1]) > tail  # no more could go at the start
    assert j == i + 1 or _exact(mass[j - 1:]) > tail  # nor at the end
    # the mass dropped, to within its sums' rounding (ε a term): not lost in a sum near 1
    assert abs(t.err - (low + high)) <= (n - len(t.at) + 1) * 2.3e-16 * (low + high)
    # where the masses are not lost in a sum's rounding, the cells are one cumulative sum's
    if seed % 3 == 0:
        plain = Dist(0, 1, cells(n), np.round(mass, 6) + 1e-6 * (np.round(mass, 6) == 0))
        a, b = trim(plain, tail), conv._cut(plain, tail)
        assert (a.lo, len(a.at)) == (b.lo, len(b.at))
        assert a.err == pytest.approx(b.err, rel=1e-9, abs=1e-18)
