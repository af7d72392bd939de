"""A name with no letters or digits (``"!!!"``, an emoji) slugs to nothing: the touchpoint (stage,
failure, promise) gets an id from its position instead of vanishing with its mistakes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from journeymap.cli import app

from conftest import write_journey

runner = CliRunner()

ONLY = """\
journey: Emoji only
stages:
  - name: "🚀"
    touchpoints:
      - name: "!!!"
        failures:
          - name: "💥"
"""

AMONG = """\
journey: Among others
stages:
  - name: Start
    touchpoints:
      - name: Order
        failures:
          - name: Card declined
            to: order
      - name: "🚀"
        effort: 7
        next: nowhere
      - name: Done
promises:
  - name: "⏱"
    made_at: order
    kept_at: done
"""


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def findings(path: Path) -> list[dict]:
    return json.loads(invoke("check", "--format", "json", str(path)).stdout)["journeys"][0]["findings"]


def test_a_lone_touchpoint_without_a_slug_is_checked_not_crashed(tmp_path: Path) -> None:
    path = write_journey(tmp_path, ONLY)
    result = invoke("check", str(path))
    assert result.exit_code == 1
    found = findings(path)
    assert [(f["rule"], f["subject"]) for f in found] == [("JM101", "failure-1")]
    assert "touchpoint-1" in found[0]["message"] or "!!!" in found[0]["message"]
    assert invoke("report", str(path)).exit_code == 0
    dot = invoke("render", str(path), "--format", "dot", "-o", "-")
    assert dot.exit_code == 0 and "!!!" in dot.stdout


def test_its_mistakes_are_reported(tmp_path: Path) -> None:
    path = write_journey(tmp_path, AMONG)
    found = {(f["rule"], f["subject"]) for f in findings(path)}
    assert ("JM003", "touchpoint-2") in found  # `next: nowhere` was never checked
    assert any(rule == "JM001" for rule, _ in found)  # effort 7
    assert invoke("check", str(path)).exit_code == 1


def test_generated_ids_can_be_referred_to(tmp_path: Path) -> None:
    path = write_journey(tmp_path, AMONG.replace("        effort: 7\n        next: nowhere\n", "")
                         .replace("to: order", "to: touchpoint-2"))
    doc = json.loads(invoke("report", "--format", "json", str(path)).stdout)["journeys"][0]
    assert [t["id"] for t in doc["friction"]["touchpoints"]] == ["order", "touchpoint-2", "done"]
    assert [p["id"] for p in doc["promises"]] == ["promise-1"]
