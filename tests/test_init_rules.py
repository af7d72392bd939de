"""`init`, `rules`, shell completion, the pre-commit hooks and the GitHub action."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from journeymap.cli import app
from journeymap.findings import RULES
from journeymap.jsonschema import MODELINE, render as schema_text

from conftest import FIXTURES, REPO

runner = CliRunner()
BIN = Path(sys.executable).parent


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


# -- init -------------------------------------------------------------------------------------


def test_init_writes_a_starter_that_passes_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("init")
    assert result.exit_code == 0 and "wrote journey.yaml" in result.stderr
    text = Path("journey.yaml").read_text("utf-8")
    assert text.splitlines()[0] == MODELINE == "# yaml-language-server: $schema=./journey.schema.json"
    assert Path("journey.schema.json").read_text("utf-8") == schema_text()
    assert "journey.schema.json (for editors)" in result.stderr
    checked = invoke("check", "--format", "json", "journey.yaml")
    assert checked.exit_code == 0
    assert json.loads(checked.stdout)["journeys"][0]["findings"] == []


def test_init_writes_the_schema_once_and_never_over_an_edited_one(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke("init", "journeys/a").exit_code == 0
    schema = tmp_path / "journeys" / "journey.schema.json"
    schema.write_text("{}", "utf-8")  # a team's own copy stays theirs
    second = invoke("init", "journeys/b")
    assert second.exit_code == 0 and "for editors" not in second.stderr
    assert schema.read_text("utf-8") == "{}"


def test_schema_explains_bad_values_in_words() -> None:
    import jsonschema

    schema = json.loads(schema_text())
    assert "example.invalid" not in schema_text()
    emotion = schema["$defs"]["emotion"]
    assert "angry" in emotion["errorMessage"] and all("errorMessage" in part for part in emotion["anyOf"])
    duration = schema["$defs"]["duration"]
    assert "1h30m" in duration["patternErrorMessage"] and "pattern" in duration
    # every pattern an editor may report has words beside it
    def patterns(node):
        if isinstance(node, dict):
            if "pattern" in node:
                yield node
            for value in node.values():
                yield from patterns(value)
        elif isinstance(node, list):
            for value in node:
                yield from patterns(value)
    assert all("patternErrorMessage" in node for node in patterns(schema["$defs"]))
    jsonschema.Draft202012Validator.check_schema(schema)


def test_init_names_the_file_and_the_title(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "journeys").mkdir()
    assert invoke("init", "journeys/fridge-delivery").exit_code == 0
    text = (tmp_path / "journeys" / "fridge-delivery.yaml").read_text("utf-8")
    assert "journey: Fridge delivery  #" in text
    assert invoke("init", "تجديد البطاقة.yml").exit_code == 0
    assert "journey: تجديد البطاقة" in Path("تجديد البطاقة.yml").read_text("utf-8")
    assert invoke("check", ".").exit_code == 0


def test_init_quotes_a_title_yaml_would_misread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke("init", "refund: 50% #2").exit_code == 0
    assert 'journey: "Refund: 50% #2"' in Path("refund: 50% #2.yaml").read_text("utf-8")
    assert invoke("check", ".").exit_code == 0


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "journey.yaml"
    path.write_text("journey: mine\n", "utf-8")
    proc = subprocess.run([sys.executable, "-m", "journeymap", "init"], cwd=tmp_path,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert proc.returncode == 2
    assert "journey.yaml already exists" in proc.stderr
    assert path.read_text("utf-8") == "journey: mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journey.yaml"], "no temp file left"


def test_init_creates_missing_folders(tmp_path: Path) -> None:
    result = invoke("init", str(tmp_path / "journeys" / "returns"))
    assert result.exit_code == 0, result.stderr
    assert invoke("check", str(tmp_path / "journeys" / "returns.yaml")).exit_code == 0


def test_init_where_no_file_can_be_written_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "plain-file").write_text("x", "utf-8")
    result = invoke("init", str(tmp_path / "plain-file" / "journey"))
    assert result.exit_code == 2 and "cannot write" in result.stderr


# -- rules ------------------------------------------------------------------------------------


def test_rules_lists_every_rule_with_its_default_severity() -> None:
    lines = invoke("rules").stdout.splitlines()
    assert len(lines) == len(RULES)
    for line, rule in zip(lines, RULES.values()):
        assert line.split(None, 2) == [rule.id, rule.severity.value, rule.title]


def test_rules_explains_one_with_a_bad_and_a_good_example() -> None:
    result = invoke("rules", "jm101")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("JM101: failure without recovery (default severity: error)")
    bad, good = text.index("Bad:"), text.index("Good:")
    assert "Parcel lost in transit     # no `to`" in text[bad:good]
    assert "to: reship" in text[good:]


def test_an_unknown_rule_is_a_usage_error_with_a_hint() -> None:
    result = invoke("rules", "JM11")
    assert result.exit_code == 2 and "did you mean" in result.stderr


# -- shell completion -------------------------------------------------------------------------


def _complete(words: str) -> list[str]:
    script = BIN / "journeymap"
    if not script.exists():
        pytest.skip("the journeymap console script is not installed in this environment")
    env = {**os.environ, "_JOURNEYMAP_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    proc = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=60)
    return proc.stdout.split()


def test_completion_script_and_completions() -> None:
    shown = invoke("--show-completion", "bash")
    assert "_JOURNEYMAP_COMPLETE=complete_bash" in shown.stdout
    assert _complete("journeymap ch") == ["check"]
    assert set(_complete("journeymap check --format ")) == {"text", "json", "sarif", "junit",
                                                          "github", "gitlab", "auto"}


# -- pre-commit and the GitHub action ---------------------------------------------------------


def test_pre_commit_hooks_run_existing_commands_on_journey_files() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    commands = {c.name for c in app.registered_commands} | {c.callback.__name__ for c in app.registered_commands}
    assert {h["id"] for h in hooks} == {"journeymap-check", "journeymap-validate"}
    for hook in hooks:
        program, command = hook["entry"].split()
        assert program == "journeymap" and command in commands and hook["language"] == "python"
        assert re.search(hook["files"], "journeys/fridge.yaml")
        assert re.search(hook["files"], "team/journeys/fridge.yaml")
        assert not re.search(hook["files"], ".github/workflows/ci.yml")


ACTION = yaml.safe_load((REPO / "action.yml").read_text("utf-8"))


def _step(step_id: str) -> dict:
    return next(s for s in ACTION["runs"]["steps"] if s.get("id") == step_id)


def _run_step(step_id: str, tmp_path: Path, **env: str) -> tuple[int, dict[str, str]]:
    """Run one of the action's shell steps locally, with its inputs as the runner would pass them."""
    output = tmp_path / "github_output"
    output.write_text("", "utf-8")
    full = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
            "GITHUB_OUTPUT": str(output), **env}
    proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", _step(step_id)["run"]],
                          cwd=tmp_path, env=full, capture_output=True, text=True, timeout=60)
    outputs = dict(line.split("=", 1) for line in output.read_text("utf-8").splitlines())
    return proc.returncode, outputs


def test_action_declares_every_input_it_uses() -> None:
    assert ACTION["runs"]["using"] == "composite"
    used = set(re.findall(r"inputs\.([\w-]+)", (REPO / "action.yml").read_text("utf-8")))
    assert used <= set(ACTION["inputs"]), used - set(ACTION["inputs"])
    upload = [s for s in ACTION["runs"]["steps"] if "upload-sarif" in s.get("uses", "")]
    assert upload and upload[0]["with"]["sarif_file"] == "${{ inputs.sarif-file }}"


def test_action_check_step_annotates_and_records_the_exit_code(tmp_path: Path) -> None:
    if not (BIN / "journeymap").exists():
        pytest.skip("the journeymap console script is not installed in this environment")
    shutil.copy(FIXTURES / "ci" / "reports" / "mixed.yaml", tmp_path / "a b.yaml")
    shutil.copy(FIXTURES / "ci" / "reports" / "clean.yaml", tmp_path / "clean.yaml")
    code, outputs = _run_step("check", tmp_path, JM_PATHS="clean.yaml ; touch pwned", JM_CONFIG="",
                              JM_FAIL_ON="")
    assert code == 0 and outputs == {"exit-code": "2"}  # `;` and `touch` are paths, not commands
    assert not (tmp_path / "pwned").exists()
    code, outputs = _run_step("check", tmp_path, JM_PATHS="clean.yaml", JM_CONFIG="", JM_FAIL_ON="")
    assert outputs == {"exit-code": "0"}
    (tmp_path / "clean.yaml").unlink()
    code, outputs = _run_step("sarif", tmp_path, JM_PATHS=".", JM_CONFIG="", JM_SARIF="out.sarif")
    assert code == 0 and outputs == {"sarif-file": "out.sarif"}
    assert json.loads((tmp_path / "out.sarif").read_text("utf-8"))["runs"][0]["results"]


@pytest.mark.skipif(not os.environ.get("JOURNEYMAP_NETWORK_TESTS") or not shutil.which("pre-commit"),
                    reason="needs pre-commit and PyPI (set JOURNEYMAP_NETWORK_TESTS=1); see docs/ci.md")
def test_pre_commit_try_repo(tmp_path: Path) -> None:
    """`pre-commit try-repo` installs this repository (committed state plus tracked changes)."""
    subprocess.run(["git", "init", "-q", "."], cwd=tmp_path, check=True)
    (tmp_path / "journeys").mkdir()
    shutil.copy(FIXTURES / "ci" / "reports" / "no-failures.yaml", tmp_path / "journeys" / "a.yaml")
    (tmp_path / "other.yaml").write_text("a: 1\n", "utf-8")  # not under journeys/: not checked
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    proc = subprocess.run(["pre-commit", "try-repo", str(REPO), "journeymap-check", "--all-files"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "journeys/a.yaml:2:1: error [JM102]" in proc.stdout
    assert "other.yaml" not in proc.stdout


def test_action_diff_step_writes_the_markdown_diff_to_the_job_summary(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid", "-c",
                        "commit.gpgsign=false", *args], cwd=tmp_path, check=True, capture_output=True)

    cases = FIXTURES / "diff"
    (tmp_path / "journeys").mkdir()
    (tmp_path / "journeys" / "returns.yaml").write_text((cases / "base.yaml").read_text("utf-8"), "utf-8")
    (tmp_path / "journeys" / "same.yaml").write_text((REPO / "journeys/fridge-delivery.yaml").read_text("utf-8"),
                                                     "utf-8")
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "before")
    (tmp_path / "journeys" / "returns.yaml").write_text((cases / "new-hotspot/new.yaml").read_text("utf-8"), "utf-8")
    (tmp_path / "journeys" / "added.yaml").write_text((cases / "base.yaml").read_text("utf-8"), "utf-8")
    git("add", ".")
    git("commit", "-q", "-m", "after")
    summary = tmp_path / "summary.md"
    code, outputs = _run_step("diff", tmp_path, JM_PATHS="journeys", JM_CONFIG="", JM_DIFF_BASE="",
                              GITHUB_STEP_SUMMARY=str(summary))
    assert code == 0 and outputs == {"diff-worse": "true"}
    text = summary.read_text("utf-8")
    assert "❌ **the journey changed; worse: 1 new hotspot**" in text and "```mermaid" in text
    assert "### `journeys/added.yaml`: a new journey" in text
    assert "fridge" not in text.lower()  # unchanged journeys are left out
    # a base that is not in the checkout is said on stderr, and the job goes on
    code, outputs = _run_step("diff", tmp_path, JM_PATHS="journeys", JM_CONFIG="", JM_DIFF_BASE="origin/main",
                              GITHUB_STEP_SUMMARY=str(summary))
    assert code == 0 and outputs == {"diff-worse": "false"}
