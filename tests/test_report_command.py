"""`journeymap report`: the terminal page (80 columns, readable without colour) and the JSON document."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from journeymap.analysis.analyse import report_files
from journeymap.analysis.friction import COMPONENTS
from journeymap.cli import app
from journeymap.report.terminal import journey_page, render

SCORING = Path(__file__).parent / "fixtures" / "scoring"
ARABIC = str(SCORING / "report-ar.yaml")
BROKEN = str(SCORING / "report-broken.yaml")
HOTSPOT = str(SCORING / "jm301-hotspot.yaml")
SPEC = str(Path(__file__).parent / "fixtures" / "spec-example.yaml")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, ["report", *args], env=env or {"NO_COLOR": "1"},
                              catch_exceptions=False)


def assert_fits(text: str, width: int = 80) -> None:
    wide = [line for line in text.splitlines() if cell_len(line) > width]
    assert not wide, wide


def test_text_report_fits_80_columns_without_colour() -> None:
    result = invoke(SPEC, HOTSPOT, ARABIC)
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.output
    assert_fits(result.output)
    out = result.output
    for expected in ("Fix a silent home phone line", "Persona: Home-phone customer",
                     "Goal: A working phone line, fixed on the first visit", "Touchpoint", "Traffic",
                     "Emotion:", "✗ broken", "fastest 2d vs 3d promised", "[JM204]", "[JM302]",
                     "Hotspots", "[JM301]", "Phone to confirm the visit", "شكوى فاتورة الكهرباء",
                     "! at risk"):
        assert expected in out, expected


def test_hotspots_say_why() -> None:
    out = invoke(HOTSPOT).output
    section = out[out.index("Hotspots"):out.index("Promises")]
    assert section.index("Phone to confirm the visit") < section.index("[JM301]")
    for why in ("effort 2.0: effort 5 of 5", "emotion 2.0: customers feel angry",
                "switches channel from web to phone"):
        assert why in section, why


def test_text_report_on_a_rich_console_of_80_columns() -> None:
    run = report_files([SPEC, ARABIC])
    console = Console(width=80, record=True, file=io.StringIO(), color_system=None)
    for report in run.journeys:
        console.print(journey_page(report))
    text = console.export_text()
    assert_fits(text)
    assert "شكوى فاتورة الكهرباء" in text and "Fix a silent home phone line" in text


def test_colour_only_adds_styles() -> None:
    run = report_files([SPEC])
    coloured, plain = render(run, color=True, width=80), render(run, color=False, width=80)
    assert "\x1b[" in coloured and "\x1b[" not in plain
    assert_fits(ANSI.sub("", coloured))
    assert [line.rstrip() for line in ANSI.sub("", coloured).splitlines()] == plain.splitlines()


def test_a_file_that_is_not_a_journey_is_reported_and_exits_1() -> None:
    result = invoke(SPEC, BROKEN)
    assert result.exit_code == 1
    assert "not a valid journey" in result.output and "[JM001]" in result.output


def test_error_findings_alone_do_not_fail_a_report() -> None:
    assert invoke(SPEC).exit_code == 0  # JM204 is an error for `check`, not for `report`


def test_missing_path_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["report", "no-such-journey.yaml"])
    assert result.exit_code == 2
    assert "no such file or folder: no-such-journey.yaml" in result.output


def test_json_document_has_the_exact_shape() -> None:
    result = invoke("--format", "json", SPEC, BROKEN)
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert list(doc) == ["journeys"]
    spec, broken = doc["journeys"]
    assert list(spec) == ["file", "id", "title", "friction", "hotspots", "promises", "evidence",
                          "factors", "findings", "content"]
    assert spec["file"] == SPEC and spec["id"] == "phone-repair"
    assert spec["title"] == "Fix a silent home phone line"
    assert list(spec["friction"]) == ["total", "touchpoints"]
    touchpoints = spec["friction"]["touchpoints"]
    assert [t["id"] for t in touchpoints] == ["call-support", "book-visit", "call-ahead", "fix",
                                              "complaint", "rebook", "cancel"]
    for t in touchpoints:
        assert list(t) == ["id", "stage", "friction", "traffic", "components"]
        assert list(t["components"]) == list(COMPONENTS)
        assert t["friction"] == pytest.approx(sum(t["components"].values()), abs=1e-5)
    assert spec["friction"]["total"] == pytest.approx(
        sum(t["friction"] * t["traffic"] for t in touchpoints), abs=1e-4)
    call_ahead = touchpoints[2]
    assert call_ahead["stage"] == "repair"
    assert call_ahead["traffic"] == pytest.approx(1 / (1 - 0.3 * 0.8), abs=1e-6)
    assert spec["hotspots"] == []
    [promise] = spec["promises"]
    assert list(promise) == ["id", "status", "probability", "fastest_seconds", "reasons"]
    assert promise["id"] == "call-ahead-promise" and promise["status"] == "broken"
    assert promise["probability"] == 1.0 and promise["fastest_seconds"] == 2 * 86400
    assert len(promise["reasons"]) == 1 and "`mobile`" in promise["reasons"][0]
    assert sorted(f["rule"] for f in spec["findings"]) == ["JM204", "JM302"]
    assert broken["title"] is None and broken["friction"] is None
    assert broken["hotspots"] == [] and broken["promises"] == []
    assert [f["rule"] for f in broken["findings"]] == ["JM001"]


def test_json_hotspots_largest_contribution_first() -> None:
    doc = json.loads(invoke("--format", "json", HOTSPOT).output)
    [journey] = doc["journeys"]
    assert journey["hotspots"] == ["confirm"]
    by_id = {t["id"]: t for t in journey["friction"]["touchpoints"]}
    assert by_id["confirm"]["friction"] > 6


def test_arabic_comes_through_json_intact_as_a_real_process() -> None:
    done = subprocess.run([sys.executable, "-m", "journeymap", "report", "--format", "json", ARABIC],
                          capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    raw = done.stdout.decode("utf-8")
    assert "شكوى فاتورة الكهرباء" in raw  # not \\u escapes
    [journey] = json.loads(raw)["journeys"]
    assert journey["id"] == "شكوى-الفاتورة" and journey["title"] == "شكوى فاتورة الكهرباء"
    assert [t["id"] for t in journey["friction"]["touchpoints"]] == ["اتصال", "تأكيد", "فاتورة", "متابعة"]
    assert [t["stage"] for t in journey["friction"]["touchpoints"]] == ["الشكوى", "الشكوى", "الحل", "الحل"]
    [promise] = journey["promises"]
    assert promise["id"] == "وعد-الفاتورة" and promise["status"] == "at-risk"
    assert promise["probability"] == pytest.approx(0.8, abs=1e-9)
    assert "“فاتورة مصححة خلال أسبوع”, promised at `اتصال`" in promise["reasons"][0]


def test_report_writes_a_file(tmp_path: Path) -> None:
    target = tmp_path / "scores.json"
    result = invoke("--format", "json", "--output", str(target), ARABIC)
    assert result.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["journeys"][0]["id"] == "شكوى-الفاتورة"


def test_check_now_runs_the_scoring_rules() -> None:
    result = CliRunner().invoke(app, ["check", "--format", "json", SPEC], catch_exceptions=False)
    assert result.exit_code == 1
    rules = sorted(f["rule"] for f in json.loads(result.output)["journeys"][0]["findings"])
    assert rules == ["JM204", "JM302"]


def test_a_large_journey_lists_only_its_largest_contributions(tmp_path: Path) -> None:
    from journeymap.analysis.synthetic import write_synthetic

    path = write_synthetic(tmp_path / "large.yaml", 300)
    out = invoke(str(path)).output
    assert "the 50 touchpoints with the largest contributions, of 301" in out
    assert_fits(out)
    doc = json.loads(invoke("--format", "json", str(path)).output)
    assert len(doc["journeys"][0]["friction"]["touchpoints"]) == 301
