"""A loop customers never leave gives unbounded friction: every human output says ``∞`` for it, and
a share of ∞ in ∞ is a dash, never ``nan%``, ``inf`` or ``nan`` (the text report's factors printed
``nan%`` and the HTML pages ``inf``/``nan%`` before)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.analysis.wording import number, percent
from journeymap.cli import app
from journeymap.render import style

from test_friction import CLOSED_LOOP

runner = CliRunner()
RAW = re.compile(r"(?<![\w-])(nan|inf)(?![\w-])|nan%", re.IGNORECASE)


@pytest.fixture
def loop(tmp_path: Path) -> Path:
    path = tmp_path / "loop.yaml"
    path.write_text(CLOSED_LOOP, encoding="utf-8")
    return path


def test_shares_with_no_value_are_a_dash() -> None:
    nan = float("inf") / float("inf")
    assert percent(nan) == "–" and style.percent(nan) == "—"
    assert percent(0.25) == "25%" and style.percent(0.25) == "25%"
    assert number(float("inf")) == "∞" and number(2.345, 2) == "2.35"


def test_the_text_report_says_infinity_not_nan(loop: Path) -> None:
    result = runner.invoke(app, ["report", str(loop)], catch_exceptions=False)
    assert result.exit_code == 0
    factors = result.stdout[result.stdout.index("By factor"):]
    assert re.search(r"product\s+∞\s+–", factors), factors
    assert not RAW.search(result.stdout), RAW.search(result.stdout)


@pytest.mark.parametrize("args", [["-f", "html"], ["-f", "html", "--view", "flow"],
                                  ["-f", "dot", "--view", "flow"], ["-f", "dot"]])
def test_pages_and_maps_say_infinity_not_inf(loop: Path, tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / ("page." + args[1])
    result = runner.invoke(app, ["render", str(loop), *args, "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert not RAW.search(text), RAW.search(text)
    if args == ["-f", "dot", "--view", "flow"]:
        assert "HOTSPOT #1 · adds ∞" in text
    if args == ["-f", "html"]:
        assert "<strong>∞</strong>" in text
