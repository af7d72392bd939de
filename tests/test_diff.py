"""`journeymap diff`: fixture pairs for each kind of change, renames, "no change", exit codes,
Markdown golden files, `--base` in a real git repository.

Each folder in tests/fixtures/diff/ is a case: its new.yaml (compared with base.yaml, or with the
case's own old.yaml) says in `# expect:` lines what the text report must say, and in
`# expect-exit:` the exit code. Add a folder to add a case.

The Markdown golden files in tests/golden/diff/ are regenerated after an intended change with

    JOURNEYMAP_REGEN_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_diff.py -k golden

then review `git diff tests/golden/diff/` before committing.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, REPO
from journeymap.cli import app

CASES = FIXTURES / "diff"
BASE = CASES / "base.yaml"
GOLDEN = REPO / "tests" / "golden" / "diff"
runner = CliRunner()


def _cases() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if p.is_dir())


def _old(case: str) -> Path:
    own = CASES / case / "old.yaml"
    return own if own.exists() else BASE


def _expectations(case: str) -> tuple[int, list[str]]:
    lines = (CASES / case / "new.yaml").read_text(encoding="utf-8").splitlines()
    code = next(int(line.split(":", 1)[1]) for line in lines if line.startswith("# expect-exit:"))
    return code, [line.split(": ", 1)[1] for line in lines if line.startswith("# expect: ")]


def _relative(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


@pytest.fixture
def at_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # labels in reports are the paths as given: keep them relative


@pytest.mark.parametrize("case", _cases())
def test_each_kind_of_change_is_found_worded_and_gets_its_exit_code(case: str, at_repo: None) -> None:
    code, expected = _expectations(case)
    assert expected, f"{case}/new.yaml has no `# expect:` lines"
    done = runner.invoke(app, ["diff", _relative(_old(case)), _relative(CASES / case / "new.yaml")],
                         catch_exceptions=False)
    assert done.exit_code == code, done.output
    for line in expected:
        assert line in done.stdout, f"{case}: missing {line!r} in\n{done.stdout}"


def test_reordered_keys_and_comments_are_no_change(at_repo: None) -> None:
    done = runner.invoke(app, ["diff", "--format", "json", _relative(BASE),
                               _relative(CASES / "key-order-and-comments" / "new.yaml")], catch_exceptions=False)
    doc = json.loads(done.stdout)
    journey = doc["journeys"][0]
    assert done.exit_code == 0 and journey["status"] == "unchanged" and journey["changes"] == []
    assert journey["scores"]["friction"] == [] and journey["scores"]["findings"] == {"new": [], "fixed": []}
    assert doc["summary"] == {"journeys": 1, "changed": 0, "worse": False, "tolerance_pp": 1.0}


def test_a_rename_is_one_change_not_a_removal_and_an_addition(at_repo: None) -> None:
    for case in ("touchpoint-renamed-same-id", "touchpoint-new-id-same-name"):
        done = runner.invoke(app, ["diff", "-f", "json", _relative(BASE), _relative(CASES / case / "new.yaml")],
                             catch_exceptions=False)
        changes = json.loads(done.stdout)["journeys"][0]["changes"]
        assert [(c["part"], c["kind"]) for c in changes] == [("touchpoint", "renamed")], changes
        assert json.loads(done.stdout)["journeys"][0]["scores"]["findings"] == {"new": [], "fixed": []}


def test_tolerance_decides_when_a_less_likely_promise_is_worse(at_repo: None) -> None:
    args = ["diff", _relative(BASE), _relative(CASES / "promise-less-likely" / "new.yaml")]
    assert runner.invoke(app, args, catch_exceptions=False).exit_code == 1  # −10 pp, default 1 pp
    assert runner.invoke(app, [*args, "--tolerance", "10.5"], catch_exceptions=False).exit_code == 0
    assert runner.invoke(app, [*args, "--tolerance", "9.5"], catch_exceptions=False).exit_code == 1


def test_json_carries_scores_before_and_after(at_repo: None) -> None:
    done = runner.invoke(app, ["diff", "-f", "json", _relative(BASE),
                               _relative(CASES / "promise-less-likely" / "new.yaml")], catch_exceptions=False)
    journey = json.loads(done.stdout)["journeys"][0]
    promise = journey["scores"]["promises"][0]
    assert promise["id"] == "refund-in-a-week" and promise["status_before"] == "kept"
    assert promise["status_after"] == "at-risk"
    assert promise["probability_before"] == pytest.approx(1.0) and promise["probability_after"] == pytest.approx(0.9)
    assert promise["change_pp"] == pytest.approx(-10.0)
    assert journey["worse"] and journey["worse"][0].startswith("promise `refund-in-a-week` less likely")


GOLDEN_CASES = ["touchpoint-added", "new-hotspot", "promise-less-likely", "failure-without-recovery",
                "key-order-and-comments"]


@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_markdown_matches_golden_file(case: str, at_repo: None) -> None:
    done = runner.invoke(app, ["diff", "--format", "markdown", _relative(_old(case)),
                               _relative(CASES / case / "new.yaml")], catch_exceptions=False)
    golden = GOLDEN / f"{case}.md"
    if os.environ.get("JOURNEYMAP_REGEN_GOLDEN"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_text(done.stdout, encoding="utf-8")
    assert done.stdout == golden.read_text(encoding="utf-8"), (
        "the Markdown changed; if intended, regenerate with JOURNEYMAP_REGEN_GOLDEN=1")


def test_markdown_starts_with_a_summary_and_draws_the_new_journey(at_repo: None) -> None:
    done = runner.invoke(app, ["diff", "-f", "markdown", _relative(BASE),
                               _relative(CASES / "touchpoint-added" / "new.yaml")], catch_exceptions=False)
    text = done.stdout
    assert text.startswith("## journeymap diff\n\n✅ **the journey changed; nothing got worse**")
    assert "```mermaid\nflowchart LR\n" in text
    assert "class t3 added" in text  # the new touchpoint (third in the file) drawn green


def test_folders_are_matched_by_journey_id(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    (old / "returns.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    (old / "gone.yaml").write_text((REPO / "journeys/fridge-delivery.yaml").read_text(encoding="utf-8"),
                                   encoding="utf-8")
    # the same journey (id: returns) under another file name, changed; and a journey added
    (new / "parcel-returns.yaml").write_text((CASES / "new-hotspot/new.yaml").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    (new / "tech.yaml").write_text((REPO / "journeys/technician-visit.yaml").read_text(encoding="utf-8"),
                                   encoding="utf-8")
    done = runner.invoke(app, ["diff", "-f", "json", str(old), str(new)], catch_exceptions=False)
    by_id = {j["id"]: j for j in json.loads(done.stdout)["journeys"]}
    assert by_id["returns"]["status"] == "changed" and by_id["returns"]["scores"]["hotspots"]["new"] == ["call-support"]
    assert by_id["fridge-delivery"]["status"] == "removed" and by_id["fridge-delivery"]["worse"] == []
    assert by_id["technician-visit"]["status"] == "added"
    assert any("JM204" in reason for reason in by_id["technician-visit"]["worse"])  # its errors are new
    assert done.exit_code == 1


@pytest.mark.parametrize("args, words", [
    (["diff", "nope.yaml", "journeys/fridge-delivery.yaml"], "no such file or folder: nope.yaml"),
    (["diff", "journeys/", "journeys/fridge-delivery.yaml"], "a folder with a folder"),
    (["diff", "journeys/fridge-delivery.yaml"], "give OLD and NEW"),
    (["diff", "journeys/fridge-delivery.yaml", "journeys/fridge-delivery.yaml", "--base", "HEAD"],
     "with --base, give one journey file"),
    (["diff", "journeys/fridge-delivery.yaml", "--base", "--upload-pack=evil"], "is not a git revision"),
])
def test_usage_errors_exit_2_with_a_message(args: list[str], words: str, at_repo: None) -> None:
    done = runner.invoke(app, args, catch_exceptions=False)
    assert done.exit_code == 2 and words in done.output, done.output


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
                    "-c", "commit.gpgsign=false", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository whose journeys/returns.yaml was base.yaml one commit ago and now has a new
    hotspot; the current folder is its root."""
    (tmp_path / "journeys").mkdir()
    target = tmp_path / "journeys" / "returns.yaml"
    _git(tmp_path, "init", "-q")
    target.write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "returns journey")
    target.write_text((CASES / "new-hotspot/new.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    _git(tmp_path, "commit", "-q", "-am", "support calls get worse")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_base_compares_with_the_file_at_a_git_revision(repo: Path) -> None:
    done = runner.invoke(app, ["diff", "journeys/returns.yaml", "--base", "HEAD~1"], catch_exceptions=False)
    assert done.exit_code == 1, done.output
    assert "HEAD~1:journeys/returns.yaml → journeys/returns.yaml" in done.stdout
    assert "hotspot new: `call-support` “Call support”" in done.stdout
    same = runner.invoke(app, ["diff", "journeys/returns.yaml", "--base", "HEAD"], catch_exceptions=False)
    assert same.exit_code == 0 and same.stdout == "no change; nothing got worse\n"


def test_base_from_a_subfolder_and_as_a_real_process(repo: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "journeymap", "diff", "returns.yaml", "--base", "HEAD~1",
                           "--format", "json"], cwd=repo / "journeys", capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["journeys"][0]["scores"]["hotspots"]["new"] == ["call-support"]


def test_a_missing_ref_or_a_file_absent_at_the_ref_is_exit_2(repo: Path) -> None:
    missing = runner.invoke(app, ["diff", "journeys/returns.yaml", "--base", "no-such-branch"],
                            catch_exceptions=False)
    assert missing.exit_code == 2 and "no git revision `no-such-branch`" in missing.output
    (repo / "journeys" / "new.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    absent = runner.invoke(app, ["diff", "journeys/new.yaml", "--base", "HEAD~1"], catch_exceptions=False)
    assert absent.exit_code == 2 and "journeys/new.yaml does not exist at `HEAD~1`" in absent.output


def test_base_outside_a_git_repository_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    path = tmp_path / "returns.yaml"
    path.write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    done = runner.invoke(app, ["diff", str(path), "--base", "HEAD"], catch_exceptions=False)
    assert done.exit_code == 2 and "needs a git repository" in done.output


def test_right_to_left_names_come_through_the_markdown_intact(tmp_path: Path) -> None:
    source = (REPO / "journeys" / "ar-bank-card-replacement.yaml").read_text(encoding="utf-8")
    old_name = "طلب بطاقة بديلة"
    assert old_name in source
    new = tmp_path / "ar-bank-card-replacement.yaml"  # the same journey id (from the file name)
    renamed = f"      - name: طلب بطاقة جديدة\n        id: {old_name.replace(' ', '-')}\n"  # references stay
    new.write_text(source.replace(f"      - name: {old_name}\n", renamed), encoding="utf-8")
    done = runner.invoke(app, ["diff", "-f", "markdown", str(REPO / "journeys" / "ar-bank-card-replacement.yaml"),
                               str(new)], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    assert f"renamed: “{old_name}” → “طلب بطاقة جديدة”" in done.stdout
    assert "flowchart RL" in done.stdout and '"طلب بطاقة جديدة"' in done.stdout


def test_a_new_version_that_does_not_validate_is_worse(tmp_path: Path) -> None:
    broken = tmp_path / "returns.yaml"
    broken.write_text(BASE.read_text(encoding="utf-8").replace("next: drop-off", "next: drop-of"), encoding="utf-8")
    done = runner.invoke(app, ["diff", str(BASE), str(broken)], catch_exceptions=False)
    assert done.exit_code == 1
    assert "the new version is not a valid journey" in done.stdout
    assert "! new error JM003 on `call-support`" in done.stdout


_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def test_hostile_names_cannot_forge_lines_in_any_format(tmp_path: Path) -> None:
    hostile = tmp_path / "returns.yaml"
    hostile.write_text(BASE.read_text(encoding="utf-8").replace(
        "name: Drop the parcel at a shop", 'name: "Drop\\n::error file=x,line=1::forged\\e[31m"'),
        encoding="utf-8")
    for fmt in ("text", "markdown", "json"):
        done = runner.invoke(app, ["diff", "-f", fmt, str(BASE), str(hostile)], catch_exceptions=False)
        assert done.exit_code == 0, done.output
        assert not _CONTROL.search(done.stdout), fmt
        assert not any(line.lstrip().startswith("::") for line in done.stdout.splitlines()), fmt
    text = runner.invoke(app, ["diff", str(BASE), str(hostile)], catch_exceptions=False).stdout
    assert r"“Drop\n::error file=x,line=1::forged\x1b[31m”" in text  # shown, not dropped


def test_output_onto_an_input_journey_is_refused(tmp_path: Path) -> None:
    journey = tmp_path / "returns.yaml"
    journey.write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    for args in (["diff", str(BASE), str(journey), "-o", str(journey)],
                 ["export", str(journey), "-o", str(journey)]):
        done = runner.invoke(app, args, catch_exceptions=False)
        assert done.exit_code == 2 and "would overwrite the journey file" in done.output, args
    assert journey.read_text(encoding="utf-8") == BASE.read_text(encoding="utf-8")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    locked = tmp_path / "returns.yaml"
    locked.write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    locked.chmod(0)
    done = runner.invoke(app, ["diff", str(BASE), str(locked)], catch_exceptions=False)
    assert done.exit_code == 1 and "cannot read the file" in done.stdout


def test_a_folder_holding_a_file_that_is_not_a_journey_still_compares(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    for folder in (old, new):
        (folder / "returns.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    (new / "binary.yaml").write_bytes(b"\x00\x01\x02")
    done = runner.invoke(app, ["diff", "-f", "json", str(old), str(new)], catch_exceptions=False)
    by_id = {j["id"]: j for j in json.loads(done.stdout)["journeys"]}
    assert by_id["returns"]["status"] == "unchanged"
    assert by_id["binary"]["status"] == "added" and "JM001" in by_id["binary"]["worse"][0]
    assert done.exit_code == 1
