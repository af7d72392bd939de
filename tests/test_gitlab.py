"""GitLab Code Quality: the fields GitLab requires, unique fingerprints, lines and severities."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli import app
from journeymap.findings import FileResult, Finding, RunResult, Severity
from journeymap.model import Span
from journeymap.report.gitlab import render

from conftest import FIXTURES

CI = FIXTURES / "ci" / "reports"
runner = CliRunner()


def issues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *names: str) -> tuple[int, list[dict]]:
    for name in names:
        shutil.copy(CI / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", "--format", "gitlab", "."], catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)


def test_issues_carry_what_gitlab_requires(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, found = issues(tmp_path, monkeypatch, "mixed.yaml", "broken.yaml", "clean.yaml")
    assert code == 1
    assert [(i["check_name"], i["severity"], i["location"]["path"], i["location"]["lines"]["begin"])
            for i in found] == [("JM001", "major", "broken.yaml", 7), ("JM001", "major", "broken.yaml", 8),
                                ("JM101", "major", "mixed.yaml", 13), ("JM104", "minor", "mixed.yaml", 15)]
    for issue in found:
        assert issue["description"].startswith(issue["check_name"] + " ")
        assert issue["type"] == "issue" and issue["categories"]
    assert "Lietotne avarē" in found[2]["description"]


def test_fingerprints_are_unique_even_for_identical_findings() -> None:
    same = [Finding("JM104", Severity.WARNING, "no one reaches it", Span("a.yaml", line, 9), "x")
            for line in (3, 7, 11)]
    found = json.loads(render(RunResult((FileResult("a.yaml", tuple(same)),))))
    prints = [i["fingerprint"] for i in found]
    assert len(prints) == len(set(prints)) == 3
    assert prints[0] == json.loads(render(RunResult((FileResult("a.yaml", tuple(same[:1])),))))[0]["fingerprint"]


def test_clean_journeys_give_an_empty_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert issues(tmp_path, monkeypatch, "clean.yaml") == (0, [])


def test_report_is_one_line_unless_pretty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # like every JSON output of the tool (journeymap/report/json_stream.dumps)
    shutil.copy(CI / "mixed.yaml", tmp_path / "mixed.yaml")
    monkeypatch.chdir(tmp_path)
    compact = runner.invoke(app, ["check", "--format", "gitlab", "."], catch_exceptions=False).stdout
    pretty = runner.invoke(app, ["check", "--format", "gitlab", "--pretty", "."], catch_exceptions=False).stdout
    assert compact.count("\n") == 1 and compact.startswith('[{"type":"issue"')
    assert pretty.startswith('[\n  {\n    "type": "issue"')
    assert json.loads(compact) == json.loads(pretty) and len(json.loads(compact)) == 2
