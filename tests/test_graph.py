"""The journey graph: default flow, outcomes, and how shares become edge probabilities."""

from __future__ import annotations

import pytest

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
