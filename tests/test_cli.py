"""The CLI, driven through typer's CliRunner and as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli import app
from journeymap.cli_support import use_color

from conftest import FIXTURES, GOOD, REPO, write_journey

RULES = FIXTURES / "rules"
runner = CliRunner()



def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_check_good_file_exits_0(tmp_path: Path) -> None:
    path = write_journey(tmp_path, GOOD)
    result = invoke("check", str(path))
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.output


def test_folder_with_one_broken_file_still_checks_the_others(tmp_path: Path) -> None:
    write_journey(tmp_path, GOOD, "a-good.yaml")
    write_journey(tmp_path, "journey: [broken\n", "b-broken.yaml")
    (tmp_path / "sub").mkdir()
    write_journey(tmp_path / "sub", GOOD.replace("            to: ask-for-a-return", "            to: ask-for-a-return\n        next: [wait, print-the-label]\n      - name: wait\n        next: []"), "c.yml")
    result = invoke("check", "--format", "json", str(tmp_path))
    assert result.exit_code == 1
    doc = json.loads(result.output)
    files = {Path(j["file"]).name: [f["rule"] for f in j["findings"]] for j in doc["journeys"]}
    assert files == {"a-good.yaml": [], "b-broken.yaml": ["JM001"], "c.yml": ["JM103"]}
    assert doc["summary"] == {"files": 3, "errors": 2, "warnings": 0, "infos": 0}


def test_json_matches_the_contract() -> None:
    path = RULES / "jm101-stranded.yaml"
    doc = json.loads(invoke("check", "--format", "json", str(path)).output)
    (journey,) = doc["journeys"]
    assert journey["file"] == str(path) and journey["id"] == "jm101-stranded"
    first = journey["findings"][0]
    assert {"rule", "severity", "message", "line", "column", "subject"} <= first.keys()
    assert (first["rule"], first["severity"], first["line"], first["column"], first["subject"]) == \
        ("JM101", "error", 9, 13, "parcel-lost")


def test_text_format_is_path_line_col_severity_rule(tmp_path: Path) -> None:
    result = invoke("check", str(RULES / "jm104-unreachable.yaml"))
    assert result.exit_code == 0  # a warning only
    first = result.output.splitlines()[0]
    assert first.startswith(f"{RULES / 'jm104-unreachable.yaml'}:11:9: warning [JM104] ")
    assert "\033[" not in result.output  # no colour when not on a terminal


def test_validate_skips_the_journey_rules() -> None:
    path = str(RULES / "jm102-no-failures.yaml")
    assert invoke("validate", path).exit_code == 0
    assert invoke("check", path).exit_code == 1


@pytest.mark.parametrize("args", [["check", "does-not-exist.yaml"], ["check"], ["check", "--format", "xml", "x"],
                                  ["frobnicate"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert invoke(*args).exit_code == 2


def test_folder_without_journeys_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("check", str(tmp_path))
    assert result.exit_code == 2 and "no journey files" in result.output


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch) -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(Tty()) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(Tty()) is False


def test_unicode_labels_come_through_text_and_json(tmp_path: Path) -> None:
    path = write_journey(tmp_path, """\
        journey: شكوى
        stages:
          - name: الإبلاغ
            touchpoints:
              - name: ส่งคำขอ
                failures:
                  - name: Līnija aizņemta
              - name: تماس با بانک
        """, "ar.yaml")
    text = invoke("check", str(path)).output
    assert "“Līnija aizņemta”" in text and "“ส่งคำขอ”" in text
    doc = json.loads(invoke("check", "--format", "json", str(path)).output)
    assert doc["journeys"][0]["findings"][0]["subject"] == "līnija-aizņemta"


def run_module(*args: str, **kw) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "journeymap", *args], capture_output=True,
                          text=True, env=env, cwd=REPO, timeout=120, **kw)


def test_real_subprocess_exit_codes_and_version() -> None:
    assert run_module("--version").stdout.startswith("journeymap ")
    ok = run_module("check", str(RULES / "ok-minimal.yaml"))
    assert ok.returncode == 0 and ok.stderr == ""
    bad = run_module("check", str(RULES / "jm001-tag.yaml"))
    assert bad.returncode == 1 and "Traceback" not in bad.stdout + bad.stderr
    assert not Path("/tmp/journeymap-pwned").exists()
    missing = run_module("check", "nope.yaml")
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_help_and_validate_do_not_import_heavy_modules() -> None:
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['journeymap'] + sys.argv[1:]\n"
        "try:\n    runpy.run_module('journeymap', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = [m for m in ('networkx', 'graphviz', 'rich', 'rich.table', 'numpy', 'scipy',\n"
        "                      'duckdb', 'pyspark', 'pyarrow') if m in sys.modules]\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy))\n"
    )
    for args in (["--help"], ["--version"], ["validate", str(RULES / "ok-minimal.yaml")]):
        done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True,
                              cwd=REPO, timeout=120)
        assert done.stderr.strip().endswith("HEAVY="), (args, done.stderr)
