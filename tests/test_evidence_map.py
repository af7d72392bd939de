"""The map's emotion lane: each survey figure beside the declared emotion, a diamond at the figure
and an error bar for its interval, on the emotion scale (DOT positions checked, and drawn by dot)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from journeymap.analysis.analyse import analyse
from journeymap.check import validate_file
from journeymap.evidence.measure import on_emotion_scale
from journeymap.render import style as s
from journeymap.render.mapview import map_dot
from journeymap.render.mapview.measured import OFFSET, STEP

from conftest import FIXTURES, REPO

POS = re.compile(r'^  (\w+) \[pos="([-\d.]+),([-\d.]+)"(.*)\];$', re.M)


def nodes(dot: str) -> dict[str, tuple[float, float, str]]:
    return {m.group(1): (float(m.group(2)), float(m.group(3)), m.group(4)) for m in POS.finditer(dot)}


def drawn(path: Path):
    analysis = analyse(validate_file(str(path)).journey)
    return analysis, nodes(map_dot(analysis))


def emotion_y(found: dict) -> callable:
    low, high = found["grid_a0"][1], found["grid_a4"][1]  # the −2 and +2 lines
    return lambda e: low + (e + 2) / 4 * (high - low)


def test_each_figure_sits_at_its_value_with_its_interval() -> None:
    analysis, found = drawn(REPO / "journeys" / "fridge-delivery.yaml")
    y = emotion_y(found)
    number = {tp.id: n for n, tp in enumerate(analysis.journey.touchpoints)}
    assert len(analysis.evidence) == 5
    for m in analysis.evidence:
        name = f"ev_{number[m.touchpoint]}_0"
        x, at, attrs = found[name]
        assert x == pytest.approx(found[f"card_t{number[m.touchpoint]}"][0] + OFFSET, abs=0.01)
        assert at == pytest.approx(y(on_emotion_scale(m, m.estimate.value)), abs=0.01)
        assert found[f"{name}_hi_a"][1] == pytest.approx(y(on_emotion_scale(m, m.estimate.high)), abs=0.01)
        assert found[f"{name}_lo_a"][1] == pytest.approx(y(on_emotion_scale(m, m.estimate.low)), abs=0.01)
        assert f'tooltip="{m.name}' in attrs
    # the one thin figure (14 answers) is hollow; the others are filled
    thin = found[f"ev_{number['replacement-booked']}_0"][2]
    assert 'fillcolor="white"' in thin
    assert f'fillcolor="{s.INK}"' in found[f"ev_{number['install']}_0"][2]


def test_contradicting_evidence_is_outlined_and_rtl_goes_left(tmp_path: Path) -> None:
    text = (FIXTURES / "rules" / "jm402-evidence-contradicts-emotion.yaml").read_text("utf-8")
    path = tmp_path / "ar.yaml"
    path.write_text(text.replace("journey: Declared against measured",
                                 "journey: Declared against measured\nlang: ar"), "utf-8")
    analysis, found = drawn(path)
    first = found["ev_0_0"]
    assert f'color="{s.HOTSPOT}"' in first[2]  # JM402: declared pleased, measured 50%
    assert first[0] == pytest.approx(found["card_t0"][0] - OFFSET, abs=0.01)  # right to left
    two = [found["ev_2_0"][0], found["ev_2_1"][0]]  # NPS and CES at one touchpoint, side by side
    assert two[0] - two[1] == pytest.approx(STEP, abs=0.01)


def test_no_evidence_no_marks_and_no_legend() -> None:
    analysis = analyse(validate_file(str(REPO / "journeys" / "technician-visit.yaml")).journey)
    dot = map_dot(analysis)
    assert "ev_" not in dot and "survey score" not in dot
    assert "survey score ± margin" in map_dot(analyse(validate_file(
        str(REPO / "journeys" / "fridge-delivery.yaml")).journey))


def test_evidence_without_emotions_still_gets_the_lane(tmp_path: Path) -> None:
    path = tmp_path / "j.yaml"
    path.write_text((FIXTURES / "evidence" / "journey.yaml").read_text("utf-8").replace(
        "        emotion: pleased\n", "        evidence:\n          - metric: nps\n"
        "            promoters: 120\n            passives: 50\n            detractors: 30\n"), "utf-8")
    _, found = drawn(path)
    assert "ev_0_0" in found and "grid_a0" in found


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
def test_the_svg_has_the_figures_with_words(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from journeymap.cli import app

    out = tmp_path / "map.svg"
    result = CliRunner().invoke(app, ["render", str(REPO / "journeys" / "fridge-delivery.yaml"),
                                      "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0
    svg = out.read_text("utf-8")
    assert 'id="ev_0_0"' in svg and 'id="ev_bar_hi_0_0"' in svg
    assert "CSAT 85% ± 2.0 (83.0%–86.9%, n = 1,284)" in svg
