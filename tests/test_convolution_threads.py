"""The convolutions' second FFT on a helper thread (analysis/convolution.py): the same numbers as
one thread, bit for bit, and no helper thread left running across a fork."""

from __future__ import annotations

import os
import threading

import numpy as np
import pytest

from journeymap.analysis import convolution as conv
from journeymap.analysis.convolution import Dist, Work, cells, convolve


def _dist(rng: np.random.Generator, width: int) -> Dist:
    mass = rng.random(width)
    return Dist(0, 1, cells(width), mass / mass.sum())


@pytest.mark.parametrize("width", [100, 12_000, 30_000])
def test_helper_thread_gives_the_same_bits(monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    rng = np.random.default_rng(width)
    a, b = _dist(rng, width), _dist(rng, width // 2 + 7)
    monkeypatch.setattr(conv, "_CORES", 1)
    alone = convolve(a, b, Work(1e12), 1e-12)
    monkeypatch.setattr(conv, "_CORES", 2)
    beside = convolve(a, b, Work(1e12), 1e-12)
    assert width * 1.5 < conv._BESIDE_FROM or conv._beside is not None  # the thread did run
    assert (alone.lo, alone.step, alone.spread, alone.err) == (beside.lo, beside.step,
                                                               beside.spread, beside.err)
    assert np.array_equal(alone.at, beside.at)
    assert np.array_equal(alone.mass, beside.mass)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_no_helper_thread_runs_across_a_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conv, "_CORES", 2)
    rng = np.random.default_rng(1)
    convolve(_dist(rng, 20_000), _dist(rng, 20_000), Work(1e12), 1e-12)
    assert any(t.name.startswith("journeymap-fft") for t in threading.enumerate())
    pid = os.fork()
    if pid == 0:  # the child: only its own thread; convolving again makes a new helper
        code = 0 if threading.active_count() == 1 else 3
        convolve(_dist(rng, 20_000), _dist(rng, 20_000), Work(1e12), 1e-12)
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert conv._beside is None  # stopped before the fork; made again when next needed
