"""The series engine's single walker (analysis/series.py `_walk`) gives what the event queue
(`_events`) gives, bit for bit: the same arrivals, drops and states, the same work taken and the
same refusals, on random chains with loops back, zero-time moves, drops and far times."""

from __future__ import annotations

import random

import pytest

from test_series import staged

from journeymap.analysis import series as series_module
from journeymap.analysis.convolution import OutOfWork, Work
from journeymap.analysis.series import Series, TooLong, _events, _walk


def _chain(rng: random.Random, end: str):
    """Hops of touchpoints each with at most one way on besides ``end``: a walker's journey."""
    names = [f"v{k}" for k in range(rng.randint(1, 6))]
    hops = {}
    for u in names:
        out = []
        for _ in range(rng.choice([0, 1, 1, 2])):
            out.append((end, rng.choice([0.3, 0.05, 1e-15, 0.5]), rng.choice([0, 0, 1, 3])))
        if rng.random() < 0.9:
            out.insert(rng.randint(0, len(out)), (rng.choice(names),
                                                  rng.choice([0.9, 0.5, 0.2, 1e-15, 1.0]),
                                                  rng.choice([0, 1, 2, 5, 7])))
        hops[u] = out
    return names, hops


@pytest.mark.parametrize("seed", range(300))
def test_a_walker_gives_what_the_queue_gives(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    end = rng.choice(["a-end", "z-end"])  # sorts before or after the touchpoints at equal times
    names, hops = _chain(rng, end)
    region = {*names, end}
    start = rng.choice(names + [end] * (seed % 10 == 0))
    seeds = {start: (rng.choice([0, 0, 4]), rng.choice([1.0, 0.7, 1e-15])), "outside": (0, 1.0)}
    monkeypatch.setattr(series_module, "_FAR", rng.choice([10**9, 40]))
    monkeypatch.setattr(series_module, "SEGMENT_STATES", rng.choice([10**5, 60]))
    walked = _walk(seeds, region, hops, end)
    assert walked is not None  # every shape here is a single walker's
    try:
        queued = _events(seeds, region, hops, end, Work(1e12))
    except TooLong:
        assert walked[2] > series_module.SEGMENT_STATES
        return
    assert walked[2] == queued[2]  # states
    assert walked[1] == queued[1]  # dropped, summed in the same order
    assert walked[0] == queued[0]  # arrivals: same times, same sums


def test_two_ways_on_or_two_seeds_are_left_to_the_queue() -> None:
    hops = {"a": [("b", 0.5, 1), ("c", 0.5, 2)], "b": [("end", 1.0, 1)], "c": [("end", 1.0, 1)]}
    region = {"a", "b", "c", "end"}
    assert _walk({"a": (0, 1.0)}, region, hops, "end") is None
    assert _walk({"b": (0, 0.5), "c": (0, 0.5)}, region, hops, "end") is None
    assert _walk({"b": (0, 1.0)}, region, hops, "end") is not None


def _all_segments(series: Series, work: Work):
    """Every segment from one cut to the next, each from a new series (nothing kept)."""
    out = []
    for i, j in zip(series.cuts, series.cuts[1:]):
        a, b = series.order[i], series.order[j]
        try:
            d = series_module._arrivals(series, {a: (0, 1.0)}, b, work)
            out.append((d.lo, d.step, d.at.tolist(), d.mass.tolist(), d.spread, d.err))
        except (TooLong, OutOfWork) as refused:
            out.append(type(refused).__name__)
    return out, work.left


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("budget", [1e9, 400.0])
def test_segments_of_random_journeys_are_the_same_with_and_without_the_walker(
        seed: int, budget: float, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(500 + seed)
    edges, times, _ = staged(rng, stages=10)
    if seed % 3 == 0:
        monkeypatch.setattr(series_module, "SEGMENT_STATES", 7)
    fast = _all_segments(Series(edges, times), Work(budget))
    monkeypatch.setattr(series_module, "_walk", lambda *args: None)
    queued = _all_segments(Series(edges, times), Work(budget))
    assert fast == queued
