"""`render --draft`: a half-finished wall is still drawn, every gap marked where it belongs;
without --draft the same file is refused with its findings."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli import app

WALL = Path(__file__).parent / "fixtures" / "draft" / "wall.yaml"
SVG = "{http://www.w3.org/2000/svg}"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")


def words(element: ET.Element) -> str:
    """The SVG's text as one line (wrapped labels are one <text> per line)."""
    return " ".join(" ".join(element.itertext()).split())


def invoke(*args: str):
    return CliRunner().invoke(app, ["render", *args], catch_exceptions=False)


def test_without_draft_the_wall_is_refused_with_its_findings(tmp_path: Path) -> None:
    out = tmp_path / "wall.svg"
    result = invoke(str(WALL), "-o", str(out))
    assert result.exit_code == 1 and not out.exists()
    assert "`emotion` is empty: give a value such as `neutral`, or remove the key" in result.stderr
    assert "None" not in result.stderr
    assert "error [JM003]" in result.stderr and "error [JM002]" in result.stderr


@needs_dot
def test_with_draft_the_wall_is_drawn_and_each_gap_marked_on_its_card(tmp_path: Path) -> None:
    out = tmp_path / "wall.svg"
    result = invoke(str(WALL), "--draft", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "error [JM001]" in result.stderr  # the findings are still shown
    root = ET.fromstring(out.read_bytes())
    cards = {g.get("id"): words(g) for g in root.iter(f"{SVG}g")
             if (g.get("id") or "").startswith("cardtext_t") or (g.get("id") or "").startswith("node")}
    text = words(root)
    assert text.count("gap: line") == 5  # 2 blanks, 1 unknown next, 1 duplicate id, 1 promise
    for line in (7, 8, 10, 13, 18):
        assert f"gap: line {line}:" in text, line
    assert "`emotion` is empty" in text and "`channel` is empty" in text
    # the blank emotion is marked on the first card, not somewhere else
    first = next(t for t in cards.values() if "Call us" in t)
    assert "line 7:" in first and "line 8:" in first and "line 10" not in first
    # the card with a gap has a dashed border
    card = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "card_t0")
    assert "stroke-dasharray" in ET.tostring(card, encoding="unicode")
    assert text.count("We call back") >= 2  # the duplicate is drawn too, not dropped


def test_a_draft_with_no_stage_to_draw_is_still_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("journey: Nothing yet\nstages:\n", encoding="utf-8")
    result = invoke(str(bad), "--draft", "-o", str(tmp_path / "bad.svg"))
    assert result.exit_code == 1 and "`stages` is empty" in result.stderr


@needs_dot
def test_a_gap_with_no_card_to_mark_is_shown_under_the_title(tmp_path: Path) -> None:
    wall = tmp_path / "wall.yaml"
    wall.write_text("journey: Wall\nstages:\n  - name: S\n    touchpoints:\n      - name: First\n"
                    "      - id: second\n        emotion: pleased\n", encoding="utf-8")
    out = tmp_path / "wall.svg"
    assert invoke(str(wall), "--draft", "-o", str(out)).exit_code == 0
    title = next(g for g in ET.fromstring(out.read_bytes()).iter(f"{SVG}g") if g.get("id") == "title")
    assert "gap: line 6: a touchpoint needs `name:`" in words(title)
