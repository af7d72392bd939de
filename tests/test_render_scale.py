"""Render at scale: work that grows linearly with the journey and its text, and strings Graphviz
accepts whatever their length (issue 10, "Render at scale")."""

from __future__ import annotations

import json
import shutil
import unicodedata
import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest
from render_fakes import fake_analysis

from journeymap.graph import build_graph
from journeymap.model import Journey
from journeymap.render import labels, render_map
from journeymap.render.labels import quoted, wrap
from journeymap.render.marks import recovery_edges, shortest_to_success


def chain_with_failures(journey, n: int) -> Journey:
    """``n`` touchpoints in a row, each (after the first) failing back to the very first."""
    lines = ["journey: Long chain", "stages:", "  - name: All", "    touchpoints:"]
    for i in range(n):
        lines += [f"      - name: Step {i}", f"        id: t{i}"]
        if i:
            lines += ["        failures:", f"          - name: Back to start {i}", "            to: t0"]
    lines.append("        outcome: success")
    return journey("\n".join(lines) + "\n")


class CountingGraph:
    """Counts every neighbour list the recovery search asks the networkx graph for."""

    def __init__(self, g) -> None:
        self._g, self.calls = g, 0

    def successors(self, node):
        self.calls += 1
        return self._g.successors(node)

    def predecessors(self, node):
        self.calls += 1
        return self._g.predecessors(node)

    def __getattr__(self, name):
        return getattr(self._g, name)

    def __contains__(self, node) -> bool:
        return node in self._g


def test_recovery_edges_visit_each_node_a_bounded_number_of_times(journey) -> None:
    n = 600
    jg = build_graph(chain_with_failures(journey, n))
    counting = CountingGraph(jg.g)
    object.__setattr__(jg, "g", counting)
    edges = recovery_edges(jg)
    # Every failure goes back to t0, whose way to success is the whole chain.
    assert edges == frozenset(pairwise(f"t{i}" for i in range(n)))
    # One search for the whole journey, not one per failure (which was n·n = 360,000 visits).
    assert counting.calls <= 4 * n


def test_recovery_edges_are_the_shortest_ways_back_as_before(journey) -> None:
    j = journey("""
        journey: Branches
        stages:
          - name: One
            touchpoints:
              - {name: A, id: a, next: [{to: b}, {to: c}]}
              - {name: B, id: b, next: [{to: d}]}
              - {name: C, id: c, next: [{to: done}]}
              - {name: D, id: d, next: [{to: done}], failures: [{name: Oops, to: a}]}
              - {name: Done, id: done, outcome: success}
              - {name: E, id: e, failures: [{name: Lost it, to: b}], next: [{to: done}]}
    """)
    jg = build_graph(j)
    assert recovery_edges(jg) == frozenset({("a", "c"), ("c", "done"), ("b", "d"), ("d", "done")})
    assert shortest_to_success(jg, "a") == ["a", "c", "done"]


class CountingUnicodedata:
    """Counts the character look-ups label wrapping makes."""

    def __init__(self) -> None:
        self.calls = 0

    def category(self, ch: str) -> str:
        self.calls += 1
        return unicodedata.category(ch)

    def combining(self, ch: str) -> int:
        self.calls += 1
        return unicodedata.combining(ch)


@pytest.mark.parametrize("word", ["x" * 12_000, "ก" * 6_000 + "ิ" * 6_000, "ab\u0301" * 4_000])
def test_wrapping_an_unbroken_word_looks_at_each_character_a_few_times(monkeypatch, word) -> None:
    counter = CountingUnicodedata()
    monkeypatch.setattr(labels, "unicodedata", counter)
    lines = wrap(word, 22, max_lines=4)
    assert len(lines) == 4 and lines[-1].endswith("…")
    assert counter.calls <= 3 * len(word) + 1000


def test_wrap_without_a_line_limit_keeps_every_character() -> None:
    word = "ติดตามพัสดุ" * 300
    lines = wrap(word, 22, max_lines=10_000)
    assert "".join(lines) == word and all(len(line) <= 22 * 2 for line in lines)


@pytest.mark.parametrize("unit", ["x", "\\", "&", '"', "ع", "😀", "a\u0301"])
def test_a_long_tooltip_is_cut_to_what_graphviz_reads_without_splitting_an_escape(unit) -> None:
    text = unit * 40_000
    out = quoted(text)
    assert len(out.encode("utf-8")) < 16_384
    body = out[1:-1]
    assert body.endswith("…")
    kept = body[:-1]
    # Whole escapes only: undoing them gives back a prefix of the text, cut between characters.
    plain = kept.replace("\\\\\\\\", "\\").replace('\\"', '"').replace("&amp;", "&")
    assert text.startswith(plain) and len(plain) % len(unit) == 0


def test_a_short_tooltip_is_not_cut() -> None:
    assert quoted("a & b") == '"a &amp; b"'


needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")


@needs_dot
def test_a_journey_with_20_kb_names_is_drawn(journey) -> None:
    long = "Ask again & again \\ " * 1_000 + "ق" * 5_000
    j = journey(f"""
        journey: Long names
        stages:
          - name: {json.dumps(long)}
            touchpoints:
              - name: {json.dumps(long)}
                failures: [{{name: {json.dumps(long)}, to: done}}]
              - {{name: Done, id: done}}
    """)
    svg = render_map(fake_analysis(j), "svg")
    root = ET.fromstring(svg)
    titles = [a.get("{http://www.w3.org/1999/xlink}title") for a in root.iter("{http://www.w3.org/2000/svg}a")]
    assert any(t and t.startswith("Ask again & again \\ Ask") and t.endswith("…") for t in titles)
