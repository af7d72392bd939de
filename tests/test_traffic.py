"""Traffic on positions (analysis/traffic.py) against the chain solver it replaced for friction
(markov.Propagator over markov.chain_edges): the same components in the same order, and the
same visits to the bit, on random journeys with loops, closed loops, dead ends and customers
passed to nobody; then the friction scores made from it, against every example journey."""

from __future__ import annotations

import math
import random

import pytest
import yaml
from conftest import REPO

from journeymap.analysis.markov import LOST, Propagator, chain_edges
from journeymap.analysis.traffic import Traffic
from journeymap.check import validate_bytes, validate_file
from journeymap.graph import build_graph


def random_journey(seed: int):
    """A valid random journey (shares that add up to more than 1 are drawn again)."""
    rng = random.Random(seed)
    while (journey := _draw(rng)) is None:
        pass
    return journey


def _draw(rng: random.Random):
    n = rng.randint(2, 14)
    tps = []
    for i in range(n):
        tp: dict = {"name": f"T{i}", "id": f"t{i}"}
        if rng.random() < 0.7:
            steps = list({t: t for t in (f"t{rng.randrange(n)}" for _ in range(rng.randint(1, 3)))})
            tp["next"] = [{"to": t} for t in steps]
            for step in tp["next"]:
                if rng.random() < 0.4:
                    step["share"] = rng.choice([0.1, 0.25, 0.5, 0.7, 1.0])
        if rng.random() < 0.5:
            failure: dict = {"name": "f"}
            if rng.random() < 0.7:
                failure["to"] = f"t{rng.randrange(n)}"
            if rng.random() < 0.7:
                failure["share"] = rng.choice([1e-16, 0.05, 0.3, 0.6])
            tp["failures"] = [failure]
        if rng.random() < 0.15:
            tp["outcome"] = rng.choice(["success", "lost"])
        tps.append(tp)
    doc = {"journey": "J", "stages": [{"name": "S", "touchpoints": tps}]}
    return validate_bytes(yaml.safe_dump(doc).encode(), "random.yaml").journey


def same(a: float, b: float) -> bool:
    return a == b and math.copysign(1, a) == math.copysign(1, b) or (math.isnan(a) and math.isnan(b))


@pytest.mark.parametrize("seed", range(400))
def test_traffic_is_the_chain_solvers_to_the_bit(seed: int) -> None:
    jg = build_graph(random_journey(seed))
    old = Propagator(chain_edges(jg))
    new = Traffic(jg)
    n = len(jg.ids)
    position = {**jg.position, LOST: n}
    components = [[position[v] for v in members] for members in old.components]
    assert components == [list(new.members[new.starts[k]:new.starts[k + 1]])
                          for k in range(len(new.starts) - 1)]
    assert [bool(x) for x in new.looping] == old.looping
    visits = old.visits({jg.start: 1.0})
    for i, node in enumerate(jg.ids):
        assert same(new.visits[i], visits.get(node, 0.0)), (node, new.visits[i], visits.get(node))


def test_the_example_journeys_traffic_is_the_chain_solvers() -> None:
    for path in sorted((REPO / "journeys").glob("*.yaml")):
        jg = build_graph(validate_file(str(path)).journey)
        visits = Propagator(chain_edges(jg)).visits({jg.start: 1.0})
        traffic = Traffic(jg).visits
        assert all(same(traffic[i], visits.get(v, 0.0)) for i, v in enumerate(jg.ids)), path.name


def test_a_long_journey_is_searched_without_recursion() -> None:
    """Tarjan's search goes as deep as the journey is long: its stack is arrays, not frames."""
    doc = {"journey": "J", "stages": [{"name": "S", "touchpoints": [
        {"name": f"T{i}", "id": f"t{i}"} for i in range(20_000)]}]}
    doc["stages"][0]["touchpoints"][-1]["failures"] = [{"name": "back", "to": "t0", "share": 0.5}]
    jg = build_graph(validate_bytes(yaml.safe_dump(doc).encode(), "long.yaml").journey)
    traffic = Traffic(jg)
    assert traffic.looping[0] and traffic.starts[1] == 20_000  # one loop of every touchpoint
    assert traffic.visits[0] == pytest.approx(2.0) and traffic.visits[19_999] == pytest.approx(2.0)
