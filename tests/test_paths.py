"""The promises' shared searches (analysis/paths.py) give what the plain searches of timing.py
give, pair by pair, ties included, on random looped journeys: loops customers leave and loops
they never leave, self-loops, failures without a share, waits and durations that tie."""

from __future__ import annotations

import random

import pytest
import yaml

from journeymap.analysis import paths
from journeymap.analysis.markov import chain_edges
from journeymap.analysis.timing import Times, between, fastest
from journeymap.graph import build_graph
from journeymap.validate import validate_bytes


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
        monkeypatch.setattr(paths, "ARRAYS_FROM", 0)
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
