"""Render at scale: work that grows linearly with the journey and its text, and strings Graphviz
accepts whatever their length (issue 10, "Render at scale")."""

from __future__ import annotations

import json
import random
import shutil
import unicodedata
import xml.etree.ElementTree as ET
from collections import deque
from itertools import pairwise

import pytest
import yaml
from render_fakes import fake_analysis

from journeymap.graph import build_graph
from journeymap.model import Journey
from journeymap.render import labels, render_map
from journeymap.render.labels import quoted, wrap
from journeymap.analysis.likely import main_path
from journeymap.analysis.synthetic import synthetic_document
from journeymap.loader import load_text
from journeymap.render.marks import recovery_edges
from journeymap.schema import build_journey


def detour_with_failures(journey, n: int) -> Journey:
    """A start that mostly goes straight to success (the main path), and a detour of ``n``
    touchpoints in a row, each failing back to the detour's first: every failure's way back is
    the whole detour."""
    lines = ["journey: Long detour", "stages:", "  - name: All", "    touchpoints:",
             "      - {name: Start, id: start, next: [{to: done, share: 0.9}, {to: x0, share: 0.1}]}"]
    for i in range(n):
        lines += [f"      - name: Detour {i}", f"        id: x{i}"]
        if i:
            lines += ["        failures:", f"          - name: Back to the detour {i}", "            to: x0"]
    lines.append("      - {name: Done, id: done, outcome: success}")
    return journey("\n".join(lines) + "\n")


class CountingGraph:
    """Counts every neighbour list the recovery search asks the journey graph for."""

    def __init__(self, jg) -> None:
        self._jg, self.calls = jg, 0

    def successors(self, node):
        self.calls += 1
        return type(self._jg).successors(self._jg, node)

    def predecessors(self, node):
        self.calls += 1
        return type(self._jg).predecessors(self._jg, node)

    def install(self) -> None:
        """Put the counting look-ups in the graph's place (instance attributes hide methods)."""
        object.__setattr__(self._jg, "successors", self.successors)
        object.__setattr__(self._jg, "predecessors", self.predecessors)


def test_recovery_edges_visit_each_node_a_bounded_number_of_times(journey) -> None:
    n = 600
    jg = build_graph(detour_with_failures(journey, n))
    counting = CountingGraph(jg)
    counting.install()
    edges = recovery_edges(jg)
    # Every failure goes back to x0, whose way back to the main path is the whole detour.
    assert edges == frozenset(pairwise([*(f"x{i}" for i in range(n)), "done"]))
    # One search for the whole journey, not one per failure (which was n·n = 360,000 visits).
    assert counting.calls <= 4 * n


def recovery_by_a_search_per_failure(jg) -> frozenset[tuple[str, str]]:
    """The definition, slowly: for each failure whose ``to`` is off the main path, a
    breadth-first search to the nearest success, cut where it rejoins the main path."""
    main = set(main_path(jg))
    edges = set()
    for tp in jg.journey.touchpoints:
        for failure in tp.failures:
            if failure.to not in jg.g or failure.to in main:
                continue
            parents, queue = {failure.to: None}, deque([failure.to])
            while queue:
                node = queue.popleft()
                if node in jg.success_nodes:
                    path = [node]
                    while parents[path[-1]] is not None:
                        path.append(parents[path[-1]])
                    path.reverse()
                    cut = next((i for i, n in enumerate(path) if n in main), len(path) - 1)
                    edges.update(pairwise(path[:cut + 1]))
                    break
                for after in jg.successors(node):
                    if after not in parents:
                        parents[after] = node
                        queue.append(after)
    return frozenset(edges)


def test_recovery_edges_are_the_paths_a_search_per_failure_finds() -> None:
    found = 0
    for seed in range(8):
        rng = random.Random(seed)
        doc = synthetic_document(60, loop_every=rng.choice((2, 3, 5)), loop_back=rng.choice((1, 3, 7)),
                                 to_start=bool(seed % 2), seed=seed)
        tps = [tp for stage in doc["stages"] for tp in stage["touchpoints"]]
        for tp in rng.sample(tps[:-2], 15):  # failures that jump forward and back, into side branches
            tp.setdefault("failures", []).append({"name": "Jump", "share": 0.05, "to": rng.choice(tps)["id"]})
        journey = build_journey(load_text(yaml.safe_dump(doc), "j.yaml").root, "j.yaml", "j")[0]
        jg = build_graph(journey)
        assert recovery_edges(jg) == recovery_by_a_search_per_failure(jg), seed
        found += bool(recovery_edges(jg))
    assert found >= 4  # most of these journeys have ways back off the main path


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


def test_which_touchpoints_can_succeed_is_one_search_however_many_successes(journey, monkeypatch) -> None:
    import networkx as nx

    n = 400  # a chain whose every touchpoint is also a success outcome's way in
    lines = ["journey: Many ends", "stages:", "  - name: All", "    touchpoints:"]
    for i in range(n):
        lines += [f"      - {{name: Step {i}, id: t{i}, next: [{{to: t{i + 1}}}, {{to: end{i}}}]}}",
                  f"      - {{name: End {i}, id: end{i}, outcome: success}}"]
    lines.append(f"      - {{name: Last, id: t{n}, outcome: lost}}")
    jg = build_graph(journey("\n".join(lines) + "\n"))
    calls = []
    predecessors = nx.DiGraph.predecessors
    monkeypatch.setattr(nx.DiGraph, "predecessors", lambda g, v: calls.append(v) or predecessors(g, v))
    assert jg.can_succeed == frozenset(f"t{i}" for i in range(n)) | {f"end{i}" for i in range(n)}
    assert len(calls) <= 4 * n  # nx.ancestors from each success walked the chain: n·n/2


def clean_one_character_at_a_time(text: str) -> str:
    """What labels.clean does, written the slow way: its definition."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\n\r\t\v\f\u2028\u2029\x85":
            out.append(" ")
        elif (unicodedata.category(ch) in ("Cc", "Cs", "Co") or 0xFDD0 <= code <= 0xFDEF
              or (code & 0xFFFE) == 0xFFFE):
            continue
        else:
            out.append(ch)
    return " ".join("".join(out).split())


def test_clean_skips_the_character_walk_for_text_with_nothing_to_drop(monkeypatch) -> None:
    rng = random.Random(7)
    special = ["\x00", "\x1c", "\x7f", "\x85", "\x9f", "\u2028", "\ud800", "\ue000", "\uf8ff", "\ufdd0",
               "\ufffe", "\U0001fffe", "\U000f0000", "\U0010fffd", "\u00a0", "\u3000", "\u200d", "\t", "\n"]
    alphabet = list("ab ق ก") + special
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert labels.clean(text) == clean_one_character_at_a_time(text), repr(text)
    counter = CountingUnicodedata()
    monkeypatch.setattr(labels, "unicodedata", counter)
    assert labels.clean("Call the bank  again · مرحبا") == "Call the bank again · مرحبا"
    assert counter.calls == 0
