"""The journey graph: default flow, outcomes, and how shares become edge probabilities."""

from __future__ import annotations

import random
import struct
from dataclasses import replace

import pytest
from test_traffic import random_journey

from journeymap.graph import build_graph
from journeymap.model import Outcome

PHONE = """\
journey: Phone repair
stages:
  - name: Report
    touchpoints:
      - name: call
        failures:
          - name: busy
            share: 0.3
            to: complaint
        next:
          - to: visit
            share: 0.8
          - to: cancel
      - name: visit
        outcome: success
  - name: Recover
    touchpoints:
      - name: complaint
        next: [visit, cancel, call]
      - name: cancel
        outcome: lost
      - name: survey
"""


def p(jg, u, v) -> float:
    return jg.g.edges[u, v]["p"]


def test_shares_failures_first_then_next_relative_to_the_rest(journey) -> None:
    jg = build_graph(journey(PHONE))
    assert p(jg, "call", "complaint") == pytest.approx(0.3)
    assert p(jg, "call", "visit") == pytest.approx(0.7 * 0.8)
    assert p(jg, "call", "cancel") == pytest.approx(0.7 * 0.2)
    for target in ("visit", "cancel", "call"):  # unshared entries split the rest equally
        assert p(jg, "complaint", target) == pytest.approx(1 / 3)


def test_outcomes_and_default_flow(journey) -> None:
    jg = build_graph(journey(PHONE))
    assert jg.outcome("visit") is Outcome.SUCCESS and jg.outcome("cancel") is Outcome.LOST
    assert list(jg.successors("visit")) == []  # an outcome has no next step unless it names one
    assert jg.outcome("survey") is Outcome.SUCCESS  # the last touchpoint ends as success
    assert jg.start == "call"
    assert "survey" not in jg.reachable_from_start
    assert {"call", "complaint", "visit"} <= jg.can_succeed and "cancel" not in jg.can_succeed


def test_reachable_includes_the_source_only_through_a_loop(journey) -> None:
    jg = build_graph(journey(PHONE))
    assert "call" in jg.reachable("call")  # call → complaint → call
    assert "visit" not in jg.reachable("visit")


def test_parallel_reasons_share_one_edge(journey) -> None:
    jg = build_graph(journey("""\
        journey: Two ways to the same place
        stages:
          - name: S
            touchpoints:
              - name: a
                failures:
                  - {name: f1, share: 0.1, to: b}
                  - {name: f2, share: 0.2, to: b}
              - name: b
        """))
    assert p(jg, "a", "b") == pytest.approx(1.0)
    assert sorted(t.kind for t in jg.g.edges["a", "b"]["via"]) == ["failure", "failure", "next"]


def test_all_shared_next_entries_are_scaled_to_everyone(journey) -> None:
    jg = build_graph(journey("""\
        journey: Shares under one
        stages:
          - name: S
            touchpoints:
              - name: a
                next: [{to: b, share: 0.2}, {to: c, share: 0.2}]
              - name: b
              - name: c
        """))
    assert p(jg, "a", "b") == pytest.approx(0.5) and p(jg, "a", "c") == pytest.approx(0.5)


def repeat_ids(journey, rng: random.Random):
    """``journey`` with a few touchpoints given the id of an earlier one (JM002: such a file is
    not analysed, but render and diff still build its graph)."""
    tps = list(journey.touchpoints)
    for i in rng.sample(range(1, len(tps)), min(3, len(tps) - 1)):
        tps[i] = replace(tps[i], id=tps[rng.randrange(i)].id)
    stage = replace(journey.stages[0], touchpoints=tuple(tps))
    return replace(journey, stages=(stage,))


@pytest.mark.parametrize("seed", range(300))
def test_the_moves_are_the_ones_networkx_keeps_in_order_and_to_the_bit(seed: int) -> None:
    """The flat arrays give what the networkx graph built from the transitions gives: each
    node's successors and predecessors in the order the moves were found (traffic's search
    order and its sums depend on it), the probabilities added in the same order."""
    import networkx as nx

    journey = random_journey(seed)
    if seed % 2:
        journey = repeat_ids(journey, random.Random(seed))
    jg = build_graph(journey)
    g = jg.g
    assert list(g.nodes) == list(jg.ids) and len(jg) == len(set(tp.id for tp in journey.touchpoints))
    for node in jg.ids:
        assert list(jg.successors(node)) == list(g.successors(node))
        assert list(jg.predecessors(node)) == list(g.predecessors(node))
        for other in jg.ids:
            assert jg.has_edge(node, other) == g.has_edge(node, other)
            if g.has_edge(node, other):
                assert struct.pack("d", jg.p(node, other)) == struct.pack("d", g.edges[node, other]["p"])
            else:
                with pytest.raises(KeyError):
                    jg.p(node, other)
        ahead = nx.descendants(g, node)
        assert jg.reachable(node) == ahead | ({node} if any(g.has_edge(u, node) for u in ahead | {node}) else set())
    assert [(u, v, struct.pack("d", p)) for u, v, p in jg.edges()] == \
        [(u, v, struct.pack("d", d["p"])) for u, v, d in g.edges(data=True)]
    assert set(jg.reachable_from_start) == {jg.start} | nx.descendants(g, jg.start)
    success = [v for v in jg.ids if jg.outcome(v) is Outcome.SUCCESS]
    assert set(jg.can_succeed) == set(success).union(*(nx.ancestors(g, v) for v in success))
    last = {tp.id: (index, tp) for index, tp in enumerate(journey.touchpoints)}
    assert all(jg.index(v) == last[v][0] and jg.tp(v) is last[v][1] for v in jg.ids)
