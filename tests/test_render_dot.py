"""The map as DOT (golden files) and as SVG drawn by Graphviz (parsed as XML).

Regenerate the golden files after an intended change to the map's look:

    JOURNEYMAP_REGEN_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_render_dot.py

then review the diff of tests/golden/render/ before committing it.
"""

from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from render_fakes import big_journey_yaml, fake_analysis

from journeymap.check import validate_file
from journeymap.graph import build_graph, transitions
from journeymap.model import Journey
from journeymap.render import Options, render_map
from journeymap.render import style as s
from journeymap.render.dot import journey_dot, stage_columns

FIXTURES = Path(__file__).parent / "fixtures" / "render"
GOLDEN = Path(__file__).parent / "golden" / "render"
SVG = "{http://www.w3.org/2000/svg}"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")


def load(name: str) -> Journey:
    result = validate_file(str(FIXTURES / name))
    assert result.journey is not None, result.findings
    return result.journey


@pytest.mark.parametrize("name", ["small.yaml", "arabic.yaml"])
def test_dot_matches_golden_file(name: str) -> None:
    dot = journey_dot(fake_analysis(load(name)))
    golden = GOLDEN / name.replace(".yaml", ".dot")
    if os.environ.get("JOURNEYMAP_REGEN_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(dot, encoding="utf-8")
    assert dot == golden.read_text(encoding="utf-8"), (
        "the DOT output changed; if intended, regenerate with JOURNEYMAP_REGEN_GOLDEN=1")


def test_columns_follow_stages_and_rtl_flows_right_to_left() -> None:
    small, arabic = journey_dot(fake_analysis(load("small.yaml"))), journey_dot(fake_analysis(load("arabic.yaml")))
    assert "rankdir=LR" in small and "rankdir=RL" in arabic
    assert small.index("cluster_s0") < small.index("cluster_s1")
    # The invisible chain orders the columns: first node of each column, in stage order.
    assert re.findall(r"(t\d+) -> (t\d+) \[style=invis, weight=20\]", small) == [("t0", "t2")]


def svg_root(journey: Journey, analysis=None) -> ET.Element:
    data = render_map(analysis or fake_analysis(journey), "svg", options=Options(view="flow"))
    return ET.fromstring(data)


def groups(root: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == cls]


def texts(element: ET.Element) -> str:
    return " ".join("".join(t.itertext()) for t in element.iter(f"{SVG}text"))


def expected_edges(journey: Journey) -> int:
    flows = sum(1 for i, tp in enumerate(journey.touchpoints) for _ in transitions(journey, i, tp))
    return flows + len(journey.promises)


@needs_dot
def test_svg_has_a_node_per_touchpoint_an_edge_per_transition_and_a_cluster_per_stage() -> None:
    journey = load("small.yaml")
    root = svg_root(journey)
    assert len(groups(root, "node")) == len(journey.touchpoints) == 6
    assert len(groups(root, "edge")) == expected_edges(journey) == 7
    clusters = groups(root, "cluster")
    assert [texts(c) for c in clusters] == ["Buy", "Receive"]


@needs_dot
def test_svg_shows_labels_legend_shares_and_emphasis() -> None:
    journey = load("small.yaml")
    analysis = fake_analysis(journey)
    root = svg_root(journey, analysis)
    nodes = " ".join(texts(n) for n in groups(root, "node"))
    for tp in journey.touchpoints:
        assert tp.name in nodes
    assert "web · Logistics" in nodes and "frustrated" in nodes
    assert "✓ SUCCESS" in nodes and "✕ LOST" in nodes
    legend = texts(root)
    for item in ("friction", "emotion", "recovery path", "failure · share", "promise kept", "hotspot"):
        assert item in legend
    edges = {texts(e) for e in groups(root, "edge")}
    assert "Driver cannot find the house 25%" in edges  # the share on a line of its own
    assert "redelivered 90%" in edges and "75%" in edges  # what the failure leaves goes on
    assert "promise: Delivered within 14 days kept · 95% in time" in edges
    hot = analysis.friction.hotspots[0]
    hot_node = [n for n in groups(root, "node") if journey.by_id[hot].name in texts(n)][0]
    assert "HOTSPOT #1" in texts(hot_node)
    assert any(p.get("stroke") == s.HOTSPOT for p in hot_node.iter(f"{SVG}path"))


@needs_dot
def test_failure_edges_are_red_dashed_and_recovery_paths_teal() -> None:
    root = svg_root(load("small.yaml"))
    failure = [e for e in groups(root, "edge") if "Driver cannot" in texts(e)][0]
    path = failure.find(f".//{SVG}path")
    assert path is not None and path.get("stroke") == s.FAILURE and path.get("stroke-dasharray")
    recovery = [e for e in groups(root, "edge") if e.find(f".//{SVG}path").get("stroke") == s.RECOVERY]
    # call-driver → deliver: the way back after the failure, up to where it rejoins the main
    # path; deliver → done is the happy path and stays grey
    assert len(recovery) == 1 and "redelivered" in texts(recovery[0])


def skeleton(dot: str) -> str:
    """The DOT source with every quoted string and every HTML-like label taken out."""
    out, i = [], 0
    while i < len(dot):
        if dot[i] == '"':
            i = re.compile(r'"(?:[^"\\]|\\.)*"').match(dot, i).end()
        elif dot[i] == "<":
            depth = 0
            while True:
                depth += {"<": 1, ">": -1}.get(dot[i], 0)
                i += 1
                if depth == 0:
                    break
        else:
            out.append(dot[i])
            i += 1
    return "".join(out)


def test_hostile_text_cannot_change_the_graph() -> None:
    journey = load("hostile.yaml")
    dot = journey_dot(fake_analysis(journey))
    bare = skeleton(dot)
    for word in ("PWNED", "script", "evil", "bad", "red]", "TABLE", "\\N"):
        assert word not in bare, word
    edges = [line for line in bare.splitlines() if "->" in line]
    assert all(re.fullmatch(r"\s+t\d+ -> t\d+ \[.*\];", line) for line in edges)
    assert len(re.findall(r"^\s+t\d+ \[", bare, re.MULTILINE)) == len(journey.touchpoints)
    assert "\x00" not in dot and "\u202e" in dot  # control characters dropped, the rest kept


@needs_dot
def test_hostile_dot_still_parses_to_the_same_graph() -> None:
    journey = load("hostile.yaml")
    root = svg_root(journey)
    assert len(groups(root, "node")) == len(journey.touchpoints)
    assert len(groups(root, "edge")) == expected_edges(journey)
    assert len(groups(root, "cluster")) == len(journey.stages)
    shown = texts(root)
    assert "<script>document.body.setAttribute('data-pwned','3')</script>" in shown.replace(" ", "")
    assert "\\N \\G \\L back\\slash" in shown  # Graphviz escapes stay text
    assert not [e for e in root.iter() if e.tag in (f"{SVG}script", "script", f"{SVG}foreignObject")]


@needs_dot
def test_a_large_journey_stays_legible(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(big_journey_yaml(), encoding="utf-8")
    journey = validate_file(str(path)).journey
    assert journey is not None and len(journey.touchpoints) == 220
    columns = stage_columns(journey)
    assert max(len(c) for _, c in columns) <= 18
    root = svg_root(journey)
    assert len(groups(root, "node")) == 220
    width, height = (float(root.get(k, "0").removesuffix("pt")) for k in ("width", "height"))
    assert 1.2 < width / height < 4  # a poster, not a ribbon
    font_sizes = {float(t.get("font-size", "0")) for t in root.iter(f"{SVG}text")}
    assert min(font_sizes) >= 9  # labels keep their size: nothing shrinks to fit


def test_wrapped_labels_keep_every_word() -> None:
    journey = load("small.yaml")
    jg = build_graph(journey)
    dot = journey_dot(fake_analysis(journey), jg)
    assert "Choose a sofa in the<BR/>shop" in dot
