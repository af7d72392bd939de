"""The journey-map view (issue 12), checked on the SVG Graphviz draws, for every example journey:
one row per non-empty lane, the emotion curve in most-likely-path order, branches leaving the main
line, right to left for RTL; page sizes of PDF and PNG; the map's words in the journey's language.
"""

from __future__ import annotations

import re
import shutil
import struct
import unicodedata
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

import pytest

from journeymap.analysis.analyse import analyse
from journeymap.analysis.likely import likely_paths
from journeymap.analysis.results import Analysis, PromiseStatus
from journeymap.check import validate_file
from journeymap.graph import build_graph
from journeymap.render import Options, render_map
from journeymap.render.mapview.words import RLM, WORDS, Words
from journeymap.render.page import PAGES

JOURNEYS = sorted(str(p) for p in (Path(__file__).parent.parent / "journeys").glob("*.yaml"))
SVG = "{http://www.w3.org/2000/svg}"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")


@lru_cache(maxsize=None)
def analysed(path: str) -> Analysis:
    journey = validate_file(path).journey
    assert journey is not None
    return analyse(journey)


@lru_cache(maxsize=None)
def svg(path: str) -> ET.Element:
    return ET.fromstring(render_map(analysed(path), "svg"))


def groups(root: ET.Element, prefix: str) -> dict[str, ET.Element]:
    return {g.get("id"): g for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith(prefix)}


def centre(g: ET.Element) -> tuple[float, float]:
    ellipse = next(g.iter(f"{SVG}ellipse"))
    return float(ellipse.get("cx")), float(ellipse.get("cy"))


def box_x(g: ET.Element) -> float:
    """The middle of a node's outline (a polygon, or a path for a rounded box)."""
    shape = next(e for e in g.iter() if e.tag in (f"{SVG}polygon", f"{SVG}path"))
    coords = shape.get("points") or shape.get("d")
    xs = [float(x) for x, _ in re.findall(r"([-\d.]+),([-\d.]+)", coords)]
    return (min(xs) + max(xs)) / 2


def tooltip(g: ET.Element) -> str:
    link = next(g.iter(f"{SVG}a"))
    return link.get("{http://www.w3.org/1999/xlink}title")


def letters(text: str) -> int:
    """Characters that take room on a line (Thai vowel and tone marks ride on a letter)."""
    return sum(1 for ch in text if unicodedata.category(ch) not in ("Mn", "Me", "Cf"))


def expected_lanes(a: Analysis) -> list[str]:
    """The lanes a map of ``a`` must show, worked out from the journey, not from the renderer."""
    j = a.journey
    tps = j.touchpoints
    lanes = ["steps"]
    if any(tp.workshop.actions for tp in tps):
        lanes.append("actions")
    if any(tp.workshop.thoughts or tp.workshop.quotes for tp in tps):
        lanes.append("thoughts")
    if any(tp.emotion is not None for tp in tps):
        lanes.append("emotion")
    if any(tp.workshop.pain_points for tp in tps) or a.friction.hotspots or \
            any(p.status is not PromiseStatus.KEPT for p in a.promises):
        lanes.append("pain_points")
    if any(tp.workshop.opportunities for tp in tps) or any(s.workshop.opportunities for s in j.stages):
        lanes.append("opportunities")
    if any(tp.workshop.backstage for tp in tps):
        lanes.append("backstage")
    return lanes


@needs_dot
@pytest.mark.parametrize("path", JOURNEYS, ids=lambda p: Path(p).stem)
def test_one_lane_row_per_non_empty_lane_labelled_at_the_start_of_its_row(path: str) -> None:
    a, root = analysed(path), svg(path)
    rows = groups(root, "lane_")
    assert list(rows) == [f"lane_{key}" for key in expected_lanes(a)]
    labels = groups(root, "lanelabel_")
    assert list(labels) == [f"lanelabel_{key}" for key in expected_lanes(a)]
    cards = [box_x(g) for g in groups(root, "card_t").values()]
    assert len(cards) == len(a.journey.touchpoints)
    for label in labels.values():  # the label is where the row starts: left, or right in RTL
        if a.journey.rtl:
            assert box_x(label) > max(cards)
        else:
            assert box_x(label) < min(cards)
    words = Words(a.journey.lang)
    text = "".join(root.itertext())
    for key in expected_lanes(a):
        assert words[key] in text


@needs_dot
@pytest.mark.parametrize("path", JOURNEYS, ids=lambda p: Path(p).stem)
def test_the_emotion_curve_follows_the_most_likely_path_in_order(path: str) -> None:
    a, root = analysed(path), svg(path)
    jg = build_graph(a.journey)
    main = likely_paths(jg, {f.touchpoint: f.traffic for f in a.friction.touchpoints}).main
    # the main path is a path of the graph, from the start to a success outcome
    assert main[0] == a.journey.start.id and main[-1] in jg.success_nodes
    assert all(jg.g.has_edge(u, v) for u, v in zip(main, main[1:]))
    points = groups(root, "emo_main_")
    order = sorted(points, key=lambda name: int(name.rsplit("_", 1)[1]))
    with_emotion = [t for t in main if a.journey.by_id[t].emotion is not None]
    names = [tooltip(points[name]).split(": ")[0] for name in order]
    assert names == [a.journey.by_id[t].name for t in with_emotion]
    xs = [centre(points[name])[0] for name in order]
    assert len(xs) >= 2
    assert xs == sorted(xs, reverse=a.journey.rtl) and len(set(xs)) == len(xs)
    # the solid line runs through the points in that order, one segment for each step
    for k, name in enumerate(order[:-1]):
        seg = groups(root, f"emo_line_main_{k}")[f"emo_line_main_{k}"]
        d = next(seg.iter(f"{SVG}path")).get("d")
        start = tuple(float(v) for v in re.match(r"M([-\d.]+),([-\d.]+)", d).groups())
        end = tuple(float(v) for v in re.findall(r"([-\d.]+),([-\d.]+)", d)[-1])
        assert start == pytest.approx(centre(points[name]), abs=0.6)
        assert end == pytest.approx(centre(points[order[k + 1]]), abs=0.6)


@needs_dot
@pytest.mark.parametrize("path", JOURNEYS, ids=lambda p: Path(p).stem)
def test_recovery_branches_leave_the_main_line_at_a_point_of_it(path: str) -> None:
    a, root = analysed(path), svg(path)
    jg = build_graph(a.journey)
    likely = likely_paths(jg, {f.touchpoint: f.traffic for f in a.friction.touchpoints})
    main_points = [centre(g) for g in groups(root, "emo_main_").values()]
    branch_points = groups(root, "emo_branch_")
    assert branch_points and not set(centre(g) for g in branch_points.values()) & set(main_points)
    starts = {int(name.split("_")[3]): g for name, g in groups(root, "emo_line_branch_").items()
              if name.endswith("_0")}
    from_main = [b for b in starts if likely.branches[b][0] in likely.main]
    assert from_main, "every example journey has a recovery off its main path"
    for b, g in starts.items():
        d = next(g.iter(f"{SVG}path")).get("d")
        x, y = (float(v) for v in re.match(r"M([-\d.]+),([-\d.]+)", d).groups())
        # a branch off the main path leaves from a point of the main line, and a branch of a
        # branch from a point of that branch
        allowed = main_points if b in from_main else [centre(p) for p in branch_points.values()]
        assert any(abs(x - px) < 0.6 and abs(y - py) < 0.6 for px, py in allowed), d
        assert "stroke-dasharray" in ET.tostring(g, encoding="unicode")


@needs_dot
@pytest.mark.parametrize("path", JOURNEYS, ids=lambda p: Path(p).stem)
def test_stages_run_in_the_direction_of_the_script(path: str) -> None:
    a, root = analysed(path), svg(path)
    stages = groups(root, "stage_")
    xs = [box_x(stages[f"stage_{i}"]) for i in range(len(a.journey.stages))]
    assert xs == sorted(xs, reverse=a.journey.rtl)
    assert a.journey.rtl is (Path(path).stem[:3] in ("ar-", "fa-"))


@needs_dot
@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_rtl_subtitles_start_right_to_left_with_the_colon_after_the_word(lang: str) -> None:
    path = next(p for p in JOURNEYS if Path(p).stem.startswith(lang))
    a, root = analysed(path), svg(path)
    persona = WORDS[lang]["persona"]
    line = next(t for t in root.itertext() if persona in t)
    assert line.startswith(RLM + persona + ": ") and a.journey.persona in line


@pytest.mark.parametrize("lang", ["ar", "fa", "th", "lv"])
def test_every_word_of_the_map_is_translated(lang: str) -> None:
    assert WORDS[lang].keys() == WORDS["en"].keys()
    assert all(WORDS[lang][k].strip() for k in WORDS["en"])


@needs_dot
def test_a_pdf_at_a3_is_420_by_297_mm() -> None:
    pdf = render_map(analysed(JOURNEYS[0]), "pdf", options=Options(page=PAGES["a3"]))
    box = re.search(rb"/MediaBox \[\s*([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert box is not None
    width, height = (float(box.group(i)) - float(box.group(i - 2)) for i in (3, 4))
    assert width * 25.4 / 72 == pytest.approx(420, abs=1.0)
    assert height * 25.4 / 72 == pytest.approx(297, abs=1.0)


@needs_dot
@pytest.mark.parametrize("page", ["a4", "a1"])
@pytest.mark.parametrize("path", [JOURNEYS[0], next(p for p in JOURNEYS if "technician" in p)],
                         ids=["short", "technician"])
def test_a_png_has_the_papers_shape(path: str, page: str) -> None:
    png = render_map(analysed(path), "png", options=Options(page=PAGES[page]))
    width, height = struct.unpack(">II", png[16:24])
    assert width / height == pytest.approx(PAGES[page].width_mm / PAGES[page].height_mm, rel=0.01)
    assert width > height


@needs_dot
def test_the_flow_view_is_still_there() -> None:
    dot = render_map(analysed(JOURNEYS[0]), "dot", options=Options(view="flow")).decode()
    assert "subgraph cluster_s0" in dot and "pos=" not in dot
    placed = render_map(analysed(JOURNEYS[0]), "dot").decode()
    assert "subgraph" not in placed and 'pos="' in placed


@needs_dot
def test_the_flow_view_at_a_page_size_fits_inside_the_paper() -> None:
    pdf = render_map(analysed(JOURNEYS[0]), "pdf", options=Options(view="flow", page=PAGES["a4"]))
    box = re.search(rb"/MediaBox \[\s*([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert box is not None
    width, height = float(box.group(3)), float(box.group(4))
    assert width <= 297 / 25.4 * 72 + 1 and height <= 210 / 25.4 * 72 + 1
    assert max(width / (297 / 25.4 * 72), height / (210 / 25.4 * 72)) > 0.99  # and fills one side


@needs_dot
def test_a_lane_is_one_more_builder_in_the_list() -> None:
    """The extension point for other lanes (a measured score, say): a builder in LANES."""
    from journeymap.render.mapview import LANES, map_dot
    from journeymap.render.mapview.lanes import Item, text_lane

    a = analysed(next(p for p in JOURNEYS if "technician" in p))

    def score_lane(ctx):
        return text_lane(ctx, "measured_score", lambda tp: [Item(f"CSAT of {tp.id}")]
                         if tp.id == "call-ahead" else [])

    dot = map_dot(a, lanes=[*LANES, score_lane])
    assert 'id="lane_measured_score"' in dot and "CSAT of call-ahead" in dot
    assert dot.index('id="lane_backstage"') < dot.index('id="lane_measured_score"')
    assert 'id="lane_measured_score"' not in map_dot(a)


def test_touchpoint_notes_are_in_the_cards_tooltip_not_on_the_page() -> None:
    from journeymap.render.mapview import map_dot

    path = str(Path(__file__).parent / "fixtures" / "workshop" / "full.yaml")
    dot = map_dot(analysed(path))
    assert "notes: Most calls come on Mondays" in dot
    assert "Most calls come on Mondays</" not in dot  # not a label


@pytest.mark.parametrize("path", JOURNEYS, ids=lambda p: Path(p).stem)
def test_the_reports_curve_runs_along_the_main_path_too(path: str) -> None:
    from journeymap.render.chart import emotion_svg

    a = analysed(path)
    likely = likely_paths(build_graph(a.journey), {f.touchpoint: f.traffic for f in a.friction.touchpoints})
    chart = ET.fromstring(emotion_svg(a.journey, likely))
    main = next(p for p in chart.iter(f"{SVG}polyline") if p.get("class") == "main")
    xs = [float(pt.split(",")[0]) for pt in main.get("points").split()]
    assert len(xs) == sum(1 for t in likely.main if a.journey.by_id[t].emotion is not None)
    assert xs == sorted(xs, reverse=a.journey.rtl)
    # every name is under its point, wrapped to at most three short lines
    for text in chart.iter(f"{SVG}text"):
        if text.get("class") == "tick":
            lines = [t.text or "" for t in text.iter(f"{SVG}tspan")]
            assert 1 <= len(lines) <= 3 and all(letters(line) <= 15 for line in lines)


@needs_dot
@pytest.mark.parametrize("view", ["map", "flow"])
def test_names_of_only_control_characters_still_draw(tmp_path: Path, view: str) -> None:
    # Graphviz rejects an empty <B></B> or <FONT></FONT>: found by tests/test_fuzz_map.py
    path = tmp_path / "esc.yaml"
    path.write_text('journey: "\\e"\nstages:\n  - name: "\\e"\n    touchpoints:\n'
                    '      - name: "\\e\\x01"\n        emotion: 1\n', encoding="utf-8")
    journey = validate_file(str(path)).journey
    assert journey is not None
    root = ET.fromstring(render_map(analyse(journey), "svg", options=Options(view=view)))
    assert root.tag == f"{SVG}svg"


@needs_dot
@pytest.mark.parametrize("view", ["map", "flow"])
def test_a_loop_customers_never_leave_still_draws(view: str) -> None:
    path = Path(__file__).parent / "fixtures" / "render" / "endless-loop.yaml"
    journey = validate_file(str(path)).journey
    assert journey is not None
    root = ET.fromstring(render_map(analyse(journey), "svg", options=Options(view=view)))
    assert root.tag == f"{SVG}svg"
