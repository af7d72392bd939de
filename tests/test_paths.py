"""The promises' shared searches (analysis/paths.py) give what the plain searches of timing.py
give, pair by pair, ties included, on random looped journeys: loops customers leave and loops
they never leave, self-loops, failures without a share, waits and durations that tie."""

from __future__ import annotations

import heapq
import random

import pytest
import yaml

from journeymap.analysis import paths
from journeymap.analysis.markov import chain_edges, strongly_connected
from journeymap.analysis.timing import Times, between
from journeymap.graph import build_graph
from journeymap.validate import validate_bytes


# The plain Dijkstra the promises used before paths.py: kept here as the reference it must match.
def fastest(jg: JourneyGraph, times: Times, made: str, kept: str) -> tuple[int, tuple[str, ...]] | None:
    """The least elapsed time from ``made`` to ``kept`` over any path, and that path (Dijkstra)."""
    best: dict[str, float] = {}
    came_from: dict[str, str | None] = {}
    heap: list[tuple[float, int, str, str | None]] = []
    count = 0
    for w in jg.g.successors(made):
        heap.append((times.move(None, w), (count := count + 1), w, None))
    heapq.heapify(heap)
    while heap:
        d, _, u, prev = heapq.heappop(heap)
        if u in best:
            continue
        best[u], came_from[u] = d, prev
        if u == kept:
            return d, _path(came_from, made, kept)
        for w in jg.g.successors(u):
            if w not in best:
                heapq.heappush(heap, (d + times.move(u, w), (count := count + 1), w, u))
    return None


def _path(came_from: dict[str, str | None], made: str, kept: str) -> tuple[str, ...]:
    path = [kept]
    node = came_from[kept]
    while node is not None:
        path.append(node)
        node = came_from[node]
    path.append(made)
    return tuple(reversed(path))


def random_journey(seed: int):
    rng = random.Random(seed)
    n = rng.randint(2, 9)
    tps = []
    for i in range(n):
        tp = {"name": f"T{i}", "id": f"t{i}",
              "wait": f"{rng.choice([0, 1, 2, 5])}m", "duration": f"{rng.choice([0, 1, 3])}m"}
        if rng.random() < 0.6:
            tp["next"] = [{"to": f"t{rng.randrange(n)}"} for _ in range(rng.randint(1, 3))]
            tp["next"] = list({s["to"]: s for s in tp["next"]}.values())
            if len(tp["next"]) > 1 and rng.random() < 0.5:
                tp["next"][0]["share"] = rng.choice([0.2, 0.5, 0.9])
        if rng.random() < 0.4:
            failure = {"name": "f", "to": f"t{rng.randrange(n)}"}
            if rng.random() < 0.6:
                failure["share"] = rng.choice([0.1, 0.3])
            tp["failures"] = [failure]
        if rng.random() < 0.15:
            tp["outcome"] = rng.choice(["success", "lost"])
        tps.append(tp)
    doc = {"journey": "J", "stages": [{"name": "S", "touchpoints": tps}]}
    result = validate_bytes(yaml.safe_dump(doc).encode(), "random.yaml")
    return result.journey


def pairs(journey, seed: int) -> list[tuple[str, str]]:
    ids = [tp.id for tp in journey.touchpoints]
    found = [(m, k) for m in ids for k in ids]
    random.Random(seed).shuffle(found)  # searches resumed in any order
    return found


@pytest.mark.parametrize("arrays", [False, True], ids=["python", "arrays"])
def test_shared_searches_match_the_plain_ones(arrays: bool, monkeypatch) -> None:
    if arrays:  # the large-journey path, on small journeys
        monkeypatch.setattr(paths, "ARRAYS_AFTER", 0)
    checked = 0
    for seed in range(150):
        journey = random_journey(seed)
        if journey is None:
            continue
        jg = build_graph(journey)
        times, edges = Times.of(jg), chain_edges(jg)
        quickest, among = paths.Fastest(jg), paths.Between(jg)
        for made, kept in pairs(journey, seed):
            assert quickest(made, kept) == fastest(jg, times, made, kept), (seed, made, kept)
            assert among(made, kept) == between(edges, made, kept), (seed, made, kept)
            checked += 1
    assert checked > 2000


def test_between_sets_move_to_the_arrays_once_the_searches_would_pay_for_scipy(monkeypatch) -> None:
    """The searches in Python count the positions they pass; past ARRAYS_AFTER the compiled
    searches take over, with the same answers (and none of them before: scipy costs 0.2-0.3 s)."""
    monkeypatch.setattr(paths, "ARRAYS_AFTER", 60)
    moved = 0
    for seed in range(60):
        journey = random_journey(seed)
        jg = build_graph(journey)
        edges, among = chain_edges(jg), paths.Between(jg)
        for made, kept in pairs(journey, seed):
            before = among.walked
            assert among(made, kept) == between(edges, made, kept), (seed, made, kept)
            assert (among._arrays is not None) == (before >= 60)
        moved += among._arrays is not None
    assert moved > 10


@pytest.mark.parametrize("positive", [False, True], ids=["any", "positive"])
def test_components_on_arrays_are_the_dict_searchs(positive: bool) -> None:
    """paths.components (Tarjan on the graph's arrays) gives markov.strongly_connected's
    components, members and order, over the moves it was given before the graph was arrays;
    the ranks, which cut the searches, follow."""
    for seed in range(150):
        jg = build_graph(random_journey(seed))
        succ = {i: [jg.position[v] for v in jg.successors(u) if not positive or jg.p(u, v) > 0]
                for i, u in enumerate(jg.ids)}
        expected = strongly_connected(succ)
        members, starts, of = paths.components(jg, positive)
        assert [list(members[starts[k]:starts[k + 1]]) for k in range(len(starts) - 1)] == expected
        assert paths.ranks(jg, positive) == list(of) == [
            next(k for k, c in enumerate(expected) if i in c) for i in range(len(jg.ids))]
