"""Graphviz crashing or failing to route edges ("triangulation failed"): a clear message, and
a second try with straight edges, which need no routing (issue 10, "Render at scale")."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli import app
from journeymap.render import draw
from journeymap.render.output import LayoutFailed, RenderError, run_dot

from render_fakes import fake_dot

SMALL = Path(__file__).parent / "fixtures" / "render" / "small.yaml"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")

# Graphviz 2.43 cannot route this (a known Graphviz bug with very small nodesep): it prints
# "triangulation failed … lost A X edge" and exits 1; other versions crash on it.
TRIANGULATION = """digraph G {{
  graph [nodesep=0.03, splines={splines}];
  node [shape=point];
  subgraph r {{ graph [rank=same]; A; B; X; }}
  A -> X;
  B -> X;
}}
"""


def source(splines: str = "spline") -> str:
    return TRIANGULATION.format(splines=splines)


@needs_dot
def test_graphviz_failing_to_route_edges_is_a_layout_failure_with_a_clear_message() -> None:
    with pytest.raises(LayoutFailed) as caught:
        run_dot(source(), "svg")
    assert "could not route" in str(caught.value) and "triangulation failed" in str(caught.value)


@needs_dot
def test_a_map_graphviz_cannot_route_is_drawn_again_with_straight_edges() -> None:
    notes: list[str] = []
    svg = draw(source, "svg", notes=notes)
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
    assert len(notes) == 1 and "straight edges" in notes[0] and "triangulation failed" in notes[0]


# Crashes (SIGSEGV) unless the map asks for straight edges, as Graphviz does on some maps.
CRASHES_ON_SPLINES = ('input=$(cat); case "$input" in *splines=line*) '
                      'printf "<svg>straight</svg>";; *) kill -SEGV $$;; esac')


def test_a_crashing_graphviz_is_named_and_the_map_drawn_with_straight_edges(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(fake_dot(tmp_path / "bin", CRASHES_ON_SPLINES)) + os.pathsep + os.environ["PATH"])
    with pytest.raises(LayoutFailed) as caught:
        run_dot(source(), "svg")
    assert "crashed" in str(caught.value) and "SIGSEGV" in str(caught.value)
    result = CliRunner().invoke(app, ["render", str(SMALL), "--view", "flow", "-o", str(tmp_path / "map.svg")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "map.svg").read_text() == "<svg>straight</svg>"
    assert "crashed" in result.output and "straight edges" in result.output


def test_when_the_retry_fails_too_the_error_says_both(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(fake_dot(tmp_path / "bin", "cat >/dev/null; kill -SEGV $$")) + os.pathsep + os.environ["PATH"])
    with pytest.raises(RenderError) as caught:
        draw(source, "svg", notes=[])
    message = str(caught.value)
    assert "crashed" in message and "straight edges" in message and "--format dot" in message
    for view in ("flow", "map"):  # the map view is placed (neato -n2): no retry, a clear message
        result = CliRunner().invoke(app, ["render", str(SMALL), "--view", view, "-o", str(tmp_path / "map.svg")],
                                    catch_exceptions=False)
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert "crashed (SIGSEGV, a bug in Graphviz)" in result.output
    assert not (tmp_path / "map.svg").exists()
