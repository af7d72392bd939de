"""`check --baseline GITREF|FILE.json`: only findings new against the baseline fail the run.

The journey is the technician visit (one JM204 error, JM301 and JM302 warnings): a branch that
leaves them as they are passes, even when its edits move every line; a branch that adds an error
fails, and only that error is marked new.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from conftest import REPO
from journeymap.cli import app

BEFORE = (REPO / "journeys" / "technician-visit.yaml").read_text(encoding="utf-8")
SCHEMA = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
MOVED = "# Edited after the workshop.\n# Nothing below changed but the lines it is on.\n\n" + BEFORE
STRANDED = BEFORE.replace("share: 0.25, to: retest-line}", "share: 0.25}")  # JM101: a new error
# JM204 fixed and the angry call no longer a hotspot (absent), the call ahead's friction changed (its
# JM301 updated), a failure stranded (new)
MIXED = STRANDED.replace("channel: home phone                      # the broken line: JM204",
                         "channel: mobile")
runner = CliRunner()


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
                    "-c", "commit.gpgsign=false", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose journeys/visit.yaml is the technician visit at HEAD; cwd is its root."""
    (tmp_path / "journeys").mkdir()
    (tmp_path / "journeys" / "visit.yaml").write_text(BEFORE, encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "the technician visit")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _edit(repo: Path, text: str) -> None:
    (repo / "journeys" / "visit.yaml").write_text(text, encoding="utf-8")


def _check(*args: str):
    return runner.invoke(app, ["check", *args], catch_exceptions=False)


def test_without_a_baseline_the_known_error_fails(repo: Path) -> None:
    assert _check("journeys/").exit_code == 1


def test_findings_in_the_baseline_do_not_fail_even_when_lines_move(repo: Path) -> None:
    _edit(repo, MOVED)
    done = _check("--baseline", "HEAD", "journeys/")
    assert done.exit_code == 0, done.output
    assert "[JM204]" in done.stdout and "new since" not in done.stdout.split("\n")[0]
    assert "; 0 new since HEAD (5 unchanged, 0 updated, 0 gone)" in done.stdout


def test_a_new_error_fails_and_only_it_is_marked_new(repo: Path) -> None:
    _edit(repo, STRANDED)
    done = _check("--baseline", "HEAD", "journeys/")
    assert done.exit_code == 1, done.output
    marked = [line for line in done.stdout.splitlines() if line.endswith("(new since HEAD)")]
    assert [m.split("[")[1][:5] for m in marked] == ["JM101", "JM104"], marked
    assert all("(new since" not in line for line in done.stdout.splitlines() if "[JM204]" in line)


def test_a_new_warning_fails_only_with_fail_on_warning(repo: Path) -> None:
    rebook = "        duration: 5m\n        next: call-ahead\n"
    assert rebook in BEFORE
    _edit(repo, BEFORE.replace(rebook, "        duration: 5m\n        asks: [account number]\n"
                                       "        next: call-ahead\n"))  # asked a third time: JM302
    assert _check("--baseline", "HEAD", "journeys/").exit_code == 0
    assert _check("--baseline", "HEAD", "--fail-on", "warning", "journeys/").exit_code == 1


def test_a_saved_json_report_is_a_baseline_too(repo: Path, tmp_path: Path) -> None:
    saved = repo / "before.json"
    assert _check("--format", "json", "-o", str(saved), "journeys/").exit_code == 1
    _edit(repo, MOVED)
    assert _check("--baseline", str(saved), "journeys/").exit_code == 0
    _edit(repo, STRANDED)
    done = _check("--baseline", str(saved), "--format", "json", "journeys/")
    assert done.exit_code == 1
    doc = json.loads(done.stdout)
    states = {f["rule"]: f["baseline_state"] for f in doc["journeys"][0]["findings"]}
    assert states["JM101"] == "new" and states["JM204"] == "unchanged"
    assert doc["summary"]["baseline"]["new"] == 2 and doc["summary"]["baseline"]["source"] == str(saved)


def test_sarif_carries_every_baseline_state_and_validates(repo: Path) -> None:
    _edit(repo, MIXED)
    done = _check("--baseline", "HEAD", "--format", "sarif", "journeys/")
    assert done.exit_code == 1
    log = json.loads(done.stdout)
    jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(log)
    states = {(r["ruleId"], r.get("properties", {}).get("subject")): r["baselineState"]
              for r in log["runs"][0]["results"]}
    assert states[("JM101", "line-test-passes-customer-told-to-wait-24-hours")] == "new"
    assert states[("JM301", "call-ahead")] == "updated"
    assert states[("JM302", "book-visit")] == "unchanged"
    absent = [r for r in log["runs"][0]["results"] if r["baselineState"] == "absent"]
    assert sorted(r["ruleId"] for r in absent) == ["JM204", "JM301"]
    assert absent[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "journeys/visit.yaml"


def test_github_annotations_show_only_new_findings(repo: Path) -> None:
    _edit(repo, STRANDED)
    done = _check("--baseline", "HEAD", "--format", "github", "journeys/")
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 2 and all("JM204" not in a for a in annotations)


def test_a_journey_new_since_the_revision_has_only_new_findings(repo: Path) -> None:
    (repo / "journeys" / "second.yaml").write_text(BEFORE.replace("id: technician-visit", "id: second"),
                                                   encoding="utf-8")
    done = _check("--baseline", "HEAD", "journeys/")
    assert done.exit_code == 1
    assert sum(line.endswith("(new since HEAD)") for line in done.stdout.splitlines()) == 5


@pytest.mark.parametrize("baseline, words", [
    ("no-such-branch", "no git revision `no-such-branch`"),
    ("missing.json", "no such baseline file: missing.json"),
    ("--upload-pack=x", "is not a git revision"),
])
def test_a_baseline_that_cannot_be_read_is_exit_2(repo: Path, baseline: str, words: str) -> None:
    done = _check(f"--baseline={baseline}", "journeys/")
    assert done.exit_code == 2 and words in done.output, done.output


def test_a_json_file_that_is_not_a_report_is_exit_2(repo: Path) -> None:
    (repo / "bad.json").write_text('{"summary": {}}', encoding="utf-8")
    done = _check("--baseline", "bad.json", "journeys/")
    assert done.exit_code == 2 and "is not a saved `journeymap check --format json` report" in done.output
