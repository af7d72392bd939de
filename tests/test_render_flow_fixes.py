"""The flow view's three faults of issue 12, fixed: teal only on the way back from a failure, a
broken promise's label says why, share labels on their edges."""

from __future__ import annotations

from pathlib import Path

import pytest
from render_fakes import big_journey_yaml

from journeymap.analysis.analyse import analyse
from journeymap.analysis.likely import main_path
from journeymap.check import validate_file
from journeymap.graph import build_graph
from journeymap.render import Options, render_map
from journeymap.render.marks import recovery_edges
from journeymap.render.why import promise_why

ROOT = Path(__file__).parent.parent


def test_teal_never_marks_the_main_path_of_a_large_journey(journey) -> None:
    # every failure here sends customers straight back to an earlier step of the main path: the
    # failure edge itself is the way back, so nothing is teal (it used to be almost every edge)
    jg = build_graph(journey(big_journey_yaml(3, 20)))
    assert len(main_path(jg)) == 60
    assert recovery_edges(jg) == frozenset()


def test_teal_runs_from_a_failure_to_where_it_rejoins_the_main_path() -> None:
    j = validate_file(str(ROOT / "journeys/technician-visit.yaml")).journey
    assert j is not None
    jg = build_graph(j)
    assert main_path(jg) == ["report-fault", "book-visit", "call-ahead", "repair"]
    assert recovery_edges(jg) == {("retest-line", "book-visit"), ("chase-missed-visit", "rebook-visit"),
                                  ("rebook-visit", "call-ahead")}


@pytest.mark.parametrize("path,rule", [("journeys/technician-visit.yaml", "wrong channel")])
def test_the_broken_promise_label_says_why(path: str, rule: str) -> None:
    j = validate_file(str(ROOT / path)).journey
    assert j is not None
    dot = render_map(analyse(j), "dot", options=Options(view="flow")).decode()
    assert f"broken: {rule}" in dot


PROMISE = """\
journey: Why
stages:
  - name: S
    touchpoints:
      - name: Ask
        id: ask
        failures: [{{name: f, share: 0.1, to: ask}}]
      - name: Wait
        id: wait
        wait: 3d
      - name: Answer
        id: answer
        channel: phone
promises:
  - name: P
    made_at: {made}
    kept_at: {kept}
    {extra}
"""


@pytest.mark.parametrize("made,kept,extra,why", [
    ("ask", "answer", "within: 1d", ["too slow"]),
    ("answer", "ask", "", ["never reached"]),
    ("ask", "answer", "channel: email", ["wrong channel"]),
    ("ask", "answer", "within: 1w", []),
])
def test_promise_why(journey, made: str, kept: str, extra: str, why: list[str]) -> None:
    j = journey(PROMISE.format(made=made, kept=kept, extra=extra))
    a = analyse(j)
    assert promise_why(j, j.promises[0], a.promises[0]) == why


def test_shares_are_labels_on_their_edges_not_beside_them() -> None:
    j = validate_file(str(ROOT / "journeys/technician-visit.yaml")).journey
    assert j is not None
    dot = render_map(analyse(j), "dot", options=Options(view="flow")).decode()
    shares = [line for line in dot.splitlines() if "%</B>" in line and "->" in line]
    assert shares and all("taillabel=<" in line and "labelangle=0" in line for line in shares)
