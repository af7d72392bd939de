"""GitHub Actions annotations: the command syntax, escaping, and `--format auto`.

A small parser here reads the commands back the way the Actions runner does (split on the first
``::`` pair and the property commas, then unescape), so escaping is tested by round trip.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.check import run
from journeymap.cli import app
from journeymap.findings import Finding, Severity
from journeymap.model import Span
from journeymap.report.github import annotation, escape_data, escape_property, render

from conftest import FIXTURES, REPO

CI = FIXTURES / "ci" / "reports"
runner = CliRunner()
_COMMAND = re.compile(r"^::(error|warning) ([^:]*)::(.*)$")


def _unescape(text: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """(command, properties, message) of one workflow command line, as the runner reads it."""
    match = _COMMAND.match(line)
    assert match, line
    props = dict(pair.split("=", 1) for pair in match.group(2).split(","))
    return match.group(1), {k: _unescape(v) for k, v in props.items()}, _unescape(match.group(3))


def test_escape_data_and_properties() -> None:
    assert escape_data("50% off\r\nnow: a, b") == "50%25 off%0D%0Anow: a, b"
    assert escape_property("50% off\r\nnow: a, b") == "50%25 off%0D%0Anow%3A a%2C b"
    assert escape_data("%0A") == "%250A"  # a literal %0A must not turn into a line break


def test_annotation_syntax_for_an_error() -> None:
    f = Finding("JM101", Severity.ERROR, "stranded", Span("journeys/a.yaml", 12, 9), "x", "add `to:`")
    assert annotation(f, "journeys/a.yaml") == (
        "::error file=journeys/a.yaml,line=12,col=9,title=JM101::stranded — add `to:`")


def test_every_awkward_character_round_trips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    awkward = tmp_path / "a, b: c%.yaml"
    shutil.copy(CI / "mixed.yaml", awkward)
    monkeypatch.chdir(tmp_path)
    lines = render(run([awkward.name])).splitlines()
    assert len(lines) == 2, "one line per finding: no raw line breaks"
    parsed = [parse(line) for line in lines]
    assert [p[0] for p in parsed] == ["error", "warning"]
    for _, props, _ in parsed:
        assert props["file"] == "a, b: c%.yaml"
    _, props, message = parsed[1]
    assert props == {"file": "a, b: c%.yaml", "line": "15", "col": "9", "title": "JM104"}
    assert "“50% off: call, then\\nwait”" in message  # the line break shown, not obeyed


def test_unicode_labels_are_not_escaped() -> None:
    text = render(run([str(CI / "mixed.yaml")]))
    assert "طلب بطاقة جديدة" in text and "Lietotne avarē" in text


def test_auto_is_github_inside_actions_and_text_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    path = "tests/fixtures/ci/reports/unreachable.yaml"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    inside = runner.invoke(app, ["check", "--format", "auto", path])
    assert inside.exit_code == 0
    assert inside.stdout.startswith(f"::warning file={path},line=11,col=9,title=JM104::")
    assert "1 warning" in inside.stderr  # the summary, for people reading the log
    monkeypatch.delenv("GITHUB_ACTIONS")
    outside = runner.invoke(app, ["check", "--format", "auto", path])
    assert outside.stdout.startswith(f"{path}:11:9: warning [JM104]")


def test_github_format_in_a_real_process() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "journeymap", "check", "--format", "github",
         "tests/fixtures/ci/reports/mixed.yaml"],
        cwd=REPO, capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert proc.returncode == 1
    assert [parse(line)[0] for line in proc.stdout.splitlines()] == ["error", "warning"]
    assert "1 error, 1 warning" in proc.stderr
