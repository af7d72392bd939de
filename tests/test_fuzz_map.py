"""Random journeys through the journey-map view and draft mode: nothing escapes.

Mutated journeys (wrong types, blanks, unknown keys and references; see test_fuzz.py) are drawn
with `render --draft`: exit 0 when something could be drawn, 1 when not, never a traceback. Valid
ones, with workshop content added, are drawn by Graphviz (so every label is escaped well enough
for it), with a card per touchpoint; their main path is a path of the journey from its start.
"""

from __future__ import annotations

import os
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz import NAMES, dump, journeys, mutated
from typer.testing import CliRunner

from journeymap.analysis.analyse import analyse
from journeymap.analysis.likely import likely_paths
from journeymap.check import validate_file
from journeymap.cli import app
from journeymap.graph import build_graph
from journeymap.model import WORKSHOP_KEYS
from journeymap.render.mapview import map_dot
from journeymap.render.output import run_dot

FUZZ = settings(max_examples=int(os.environ.get("JOURNEYMAP_FUZZ_EXAMPLES", "40")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(mutated())
def test_drafts_of_mutated_journeys_never_crash(doc: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wall.yaml"
        path.write_text(dump(doc), encoding="utf-8")
        result = CliRunner().invoke(app, ["render", str(path), "--draft", "--format", "dot",
                                          "-o", str(Path(folder) / "wall.dot")],
                                    catch_exceptions=False)
        assert result.exit_code in (0, 1), result.output
        assert (result.exit_code == 0) == (Path(folder) / "wall.dot").exists()


@st.composite
def workshops(draw: st.DrawFn) -> dict[str, Any]:
    doc = draw(journeys(valid=True))
    for tp in (tp for stage in doc["stages"] for tp in stage["touchpoints"]):
        for key in draw(st.lists(st.sampled_from(WORKSHOP_KEYS), max_size=3, unique=True)):
            tp[key] = draw(st.one_of(NAMES, st.lists(NAMES, min_size=1, max_size=3)))
        tp["x-score"] = draw(st.integers())
    return doc


@FUZZ
@given(workshops())
def test_maps_of_valid_journeys_follow_a_path_of_the_journey(doc: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "j.yaml"
        path.write_text(dump(doc), encoding="utf-8")
        journey = validate_file(str(path)).journey
    assert journey is not None
    jg = build_graph(journey)
    analysis = analyse(journey, jg=jg)
    likely = likely_paths(jg, {f.touchpoint: f.traffic for f in analysis.friction.touchpoints})
    assert likely.main[0] == journey.start.id
    assert all(jg.g.has_edge(u, v) for u, v in zip(likely.main, likely.main[1:]))
    assert len(set(likely.main)) == len(likely.main)
    for branch in likely.branches:
        assert all(jg.g.has_edge(u, v) for u, v in zip(branch, branch[1:]))
    svg = ET.fromstring(run_dot(map_dot(analysis, jg), "svg", placed=True))  # Graphviz accepts it
    ids = {g.get("id") for g in svg.iter("{http://www.w3.org/2000/svg}g")}
    assert "lane_steps" in ids
    assert {f"card_t{n}" for n in range(len(journey.touchpoints))} <= ids
