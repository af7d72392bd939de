"""A large journey's reach as a product of exact factors between its cuts (analysis/reach.py)
against the exact elimination on the whole between-set (the small-journey path) and the LU, on
random journeys with cuts and on hostile ones: self-loops at a cut, dead ends reached by jumps
over cuts, promises kept where they are made or before, customers passed to nobody, loops left
with a share of 1e-16, loops nobody leaves, and tangles too wide to solve exactly."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest
import yaml
from conftest import REPO
from test_traffic import random_journey

from journeymap.analysis import reach as reach_module
from journeymap.analysis.markov import LOST, chain_edges
from journeymap.analysis.reach import Reach, between_reach
from journeymap.analysis.series import Series
from journeymap.analysis.timing import Times, between
from journeymap.graph import build_graph


def exact(edges, made: str, kept: str) -> float:
    """The small-journey answer: the exact-pivot elimination on the whole between-set."""
    return between_reach(edges, made, kept, between(edges, made, kept))


def split(edges) -> Reach:
    """A Reach that splits at the cuts (as a journey of LU_FROM touchpoints or more does)."""
    series = Series(edges, Times(dict.fromkeys(edges, 0), dict.fromkeys(edges, 0)))
    return Reach(edges, 2, lambda: series)


def with_cuts(rng: random.Random, blocks: int):
    """Blocks of touchpoints, each starting at a cut: moves stay within the block or go to the
    next cut (a cut may move to itself), to dead ends anywhere in the file, or out of the
    journey; some loops are left with a share of 1e-13 to 1e-16 only, some never."""
    order: list[str] = []
    for b in range(blocks):
        order += [f"c{b}"] + [f"b{b}.{j}" for j in range(rng.randint(0, 5))]
        if rng.random() < 0.2:
            order.append(f"dead{b}")
    order.append("done")
    dead = [v for v in order if v.startswith("dead")] + ["done"]
    edges: dict[str, dict[str, float]] = {}
    for b in range(blocks):
        block = [v for v in order if v == f"c{b}" or v.startswith(f"b{b}.")]
        after = f"c{b + 1}" if b + 1 < blocks else "done"
        for v in block:
            edges[v] = _moves(rng, v, block, after, dead)
    edges.update({v: {} for v in dead})
    return {v: edges[v] for v in order} | {LOST: {}}


def _moves(rng: random.Random, v: str, block: list[str], after: str, dead: list[str]):
    targets = rng.sample(block + [after], rng.randint(1, min(3, len(block) + 1)))
    if rng.random() < 0.3:
        targets.append(rng.choice(dead))
    weights = {t: rng.uniform(0.1, 1.0) for t in targets}
    if rng.random() < 0.1 and v in weights and len(weights) > 1:  # a loop with a tiny exit
        tiny = rng.choice([1e-13, 1e-15, 1e-16])
        return {t: (tiny if t != v else 1 - tiny) for t in list(weights)[:2] if t in weights}
    if rng.random() < 0.05 and len(block) > 1:  # a loop nobody leaves
        return {rng.choice([w for w in block if w != v]): 1.0}
    loss = rng.choice([0.0, 0.0, 0.05])
    total = sum(weights.values()) / (1 - loss)
    moves = {t: w / total for t, w in weights.items()}
    if loss:
        moves[LOST] = loss
    return moves


@pytest.mark.parametrize("seed", range(60))
def test_random_journeys_with_cuts_equal_the_exact_elimination(seed: int, monkeypatch) -> None:
    monkeypatch.setattr(reach_module, "LU_FROM", 2)
    rng = random.Random(seed)
    edges = with_cuts(rng, rng.randint(2, 12))
    solver = split(edges)
    names = [v for v in edges if v != LOST]
    pairs = [(m, k) for m in names for k in names]
    rng.shuffle(pairs)
    for made, kept in pairs[:150]:
        assert solver(made, kept) == pytest.approx(exact(edges, made, kept), abs=1e-12), \
            (seed, made, kept)
    assert solver._lu is None  # every answer came from the cuts: scipy was not needed


@pytest.mark.parametrize("seed", range(120))
def test_random_journeys_of_every_shape_equal_the_exact_elimination(seed: int,
                                                                    monkeypatch) -> None:
    """Journeys from test_traffic: loops anywhere, closed loops, shares of 1e-16, failures that
    pass customers to nobody, outcomes; few cuts or none."""
    monkeypatch.setattr(reach_module, "LU_FROM", 2)
    edges = chain_edges(build_graph(random_journey(seed)))
    solver = split(edges)
    names = [v for v in edges if v != LOST]
    for made in names:
        for kept in names:
            assert solver(made, kept) == pytest.approx(exact(edges, made, kept), abs=1e-12), \
                (seed, made, kept)


@pytest.mark.parametrize("seed", range(6))
def test_the_cuts_agree_with_one_factorisation(seed: int, monkeypatch) -> None:
    monkeypatch.setattr(reach_module, "LU_FROM", 2)
    rng = random.Random(100 + seed)
    edges = with_cuts(rng, 40)
    for v, out in edges.items():  # no tiny exits or closed loops: the LU's check would fail
        if v != LOST and out and (min(out.values()) < 1e-9 or list(out.values()) == [1.0]):
            edges[v] = {w: 1 / len(out) * 0.9 for w in out} | {LOST: 0.1}
    cuts, lu = split(edges), Reach(edges, 2)
    names = [v for v in edges if v != LOST]
    for made, kept in [(rng.choice(names), rng.choice(names)) for _ in range(60)]:
        assert cuts(made, kept) == pytest.approx(lu(made, kept), rel=1e-9, abs=1e-13)
    assert lu._lu is not None and cuts._lu is None


def test_hostile_cases(monkeypatch) -> None:
    monkeypatch.setattr(reach_module, "LU_FROM", 2)
    # a self-loop at a cut, customers passed to nobody, and a jump into a dead end far on
    edges = {"m": {"c": 0.9, LOST: 0.1}, "c": {"c": 0.5, "x": 0.3, "out": 0.2},
             "x": {"k": 0.8, "x": 0.2}, "k": {"end": 1.0}, "end": {}, "out": {}, LOST: {}}
    solver = split(edges)
    assert solver("m", "k") == pytest.approx(0.9 * 0.6 * 1.0, abs=1e-15)
    assert solver("m", "out") == pytest.approx(0.9 * 0.4, abs=1e-15)
    assert solver("c", "c") == pytest.approx(0.5, abs=1e-15)  # kept where it is made
    assert solver("k", "m") == 0.0  # kept before it is made, and never come back to
    # a loop between two cuts that customers leave with a share of 1e-16 only: all get out
    tiny = {"m": {"a": 1.0}, "a": {"b": 1.0}, "b": {"a": 1 - 1e-16, "c": 1e-16},
            "c": {"d": 1.0}, "d": {"k": 1.0}, "k": {}, LOST: {}}
    solver = split(tiny)
    assert solver("m", "k") == pytest.approx(1.0, abs=1e-12)
    assert solver._lu is None
    # a loop nobody leaves between two cuts: half the customers are stuck in it for ever
    closed = {"m": {"c": 1.0}, "c": {"k": 0.5, "x": 0.5}, "x": {"y": 1.0}, "y": {"x": 1.0},
              "k": {"z": 1.0}, "z": {"w": 1.0}, "w": {}, LOST: {}}
    assert split(closed)("m", "w") == pytest.approx(0.5, abs=1e-15)
    # back to made_at through a cut: made_at itself is kept after a loop
    back = {"a": {"b": 1.0}, "b": {"a": 0.25, "c": 0.75}, "c": {"d": 1.0}, "d": {}, LOST: {}}
    assert split(back)("a", "a") == pytest.approx(exact(back, "a", "a"), abs=1e-15)


def test_a_tangle_wider_than_the_limit_goes_to_the_factorisation(monkeypatch) -> None:
    monkeypatch.setattr(reach_module, "LU_FROM", 2)
    monkeypatch.setattr(reach_module, "TANGLE", 5)
    rng = random.Random(7)
    edges = with_cuts(rng, 3)
    edges.pop(LOST)
    # ten touchpoints that all send some customers back to the first: no cut among them
    ring = {f"r{i}": {f"r{i + 1}": 0.8, "r0": 0.1, LOST: 0.1} for i in range(10)}
    ring["r10"] = {"c0": 1.0}
    edges = {"s": {"r0": 1.0}, **ring, **edges, LOST: {}}
    solver = split(edges)
    assert solver("s", "done") == pytest.approx(exact(edges, "s", "done"), abs=1e-12)
    assert solver._lu is not None
    assert solver("c0", "done") == pytest.approx(exact(edges, "c0", "done"), abs=1e-12)


def test_the_fill_limit_goes_to_the_factorisation(monkeypatch) -> None:
    monkeypatch.setattr(reach_module, "LU_FROM", 2)
    monkeypatch.setattr(reach_module, "FILL", 0)  # no move may be filled in
    # eliminating a adds b → a → b (a loop at b), and c → a → b
    edges = {"m": {"a": 1.0}, "a": {"b": 0.9, LOST: 0.1}, "b": {"a": 0.3, "c": 0.7},
             "c": {"a": 0.2, "k": 0.8}, "k": {"z": 1.0}, "z": {}, LOST: {}}
    solver = split(edges)
    assert solver("m", "z") == pytest.approx(exact(edges, "m", "z"), abs=1e-15)
    assert solver._lu is not None
    monkeypatch.setattr(reach_module, "FILL", 32)
    solver = split(edges)
    assert solver("m", "z") == pytest.approx(exact(edges, "m", "z"), abs=1e-15)
    assert solver._lu is None


def test_the_benchmark_shaped_journey_is_analysed_without_scipy() -> None:
    """scipy costs 0.2-0.3 s to import: a journey of 2,500 touchpoints with looping stages and
    timed promises of every span (bench/corpora.py's plan) is reported without it."""
    code = """
import sys
sys.path.insert(0, "bench")
import yaml
from corpora import with_promises
from journeymap.analysis.analyse import analyse
from journeymap.analysis.synthetic import synthetic_document
from journeymap.check import validate_bytes

doc = with_promises(synthetic_document(2500), 2500, 24)
journey = validate_bytes(yaml.safe_dump(doc).encode(), "large.yaml").journey
result = analyse(journey)
assert len(result.promises) == 24 and all(p.reached > 0 for p in result.promises)
print("scipy" in sys.modules, any(m.startswith("scipy") for m in sys.modules))
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]
