"""JUnit XML: parsed back and counted; one test case per journey and per finding, names unique.

The golden file tests/fixtures/ci/golden/junit.xml is the report of tests/fixtures/ci/reports. After a
deliberate change, regenerate it with:
    JOURNEYMAP_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_junit.py
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.check import run
from journeymap.cli import app
from journeymap.report.junit import render

from conftest import FIXTURES, REPO

CI = FIXTURES / "ci" / "reports"
GOLDEN = FIXTURES / "ci" / "golden" / "junit.xml"
runner = CliRunner()


def junit_of(*paths: str) -> ET.Element:
    return ET.fromstring(render(run(list(paths))).encode("utf-8"))


def test_counts_match_the_test_cases_and_the_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = run(["tests/fixtures/ci/reports"])
    root = ET.fromstring(render(result).encode("utf-8"))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [Path(f.file).as_posix() for f in result.files]
    for suite, fr in zip(suites, result.files):
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases) == 1 + len(fr.findings)
        failed = [c for c in cases if c.find("failure") is not None]
        assert int(suite.get("failures")) == len(failed) == fr.errors + (1 if fr.errors else 0)
    assert int(root.get("tests")) == len(root.findall(".//testcase"))
    assert int(root.get("failures")) == len(root.findall(".//failure")) == result.errors + sum(
        1 for fr in result.files if fr.errors)


def test_journey_case_passes_without_errors_and_fails_with_them() -> None:
    clean = junit_of(str(CI / "clean.yaml")).find("testsuite")
    assert [c.get("name") for c in clean] == ["journey clean"]
    assert clean.find("testcase/failure") is None
    mixed = junit_of(str(CI / "mixed.yaml")).find("testsuite")
    journey_case = mixed.find("testcase")
    assert journey_case.get("name") == "journey mixed"
    assert journey_case.find("failure").get("message").startswith("1 error in ")


def test_errors_fail_and_warnings_pass_with_their_message() -> None:
    cases = {c.get("name"): c for c in junit_of(str(CI / "mixed.yaml")).iter("testcase")}
    error, warning = cases["JM101 lietotne-avarē @13:13"], cases["JM104 call-back @15:9"]
    assert error.find("failure").get("type") == "JM101"
    assert "Lietotne avarē" in error.find("failure").get("message")
    assert ":13:13: error [JM101]" in error.find("failure").text
    assert warning.find("failure") is None
    assert "warning [JM104]" in warning.find("system-out").text
    assert "50% off: call, then\\nwait" in warning.find("system-out").text  # one line, escaped
    assert error.get("line") == "13" and warning.get("line") == "15"


def test_case_names_are_unique_in_each_suite() -> None:
    suite = junit_of(str(CI / "broken.yaml")).find("testsuite")
    names = [c.get("name") for c in suite]
    assert names == ["journey broken", "JM001 journey @7:9", "JM001 journey @8:9"]


def test_control_characters_cannot_break_the_xml() -> None:
    suite = junit_of(str(CI / "control-key.yaml")).find("testsuite")
    failure = suite.find("testcase[2]/failure")
    assert "bad\\x01key" in failure.get("message")


def test_unicode_comes_through_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = runner.invoke(app, ["check", "--format", "junit", "tests/fixtures/ci/reports/mixed.yaml"])
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout.encode("utf-8"))
    assert "ส่งบัตรถึงบ้าน" not in result.stdout  # the deliver step has no finding
    assert any("طلب بطاقة جديدة" in (f.get("message") or "") for f in root.iter("failure"))


def test_matches_the_golden_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    text = render(run(["tests/fixtures/ci/reports"]))
    if os.environ.get("JOURNEYMAP_REGENERATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, "utf-8")
    assert text == GOLDEN.read_text("utf-8")
