"""Configuration: where it is found, what it changes, and how its mistakes are reported."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli import app
from journeymap.config import ConfigError, Severity, find_config, load_config

from conftest import FIXTURES

CI = FIXTURES / "ci" / "reports"
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git checkout with journeys/ holding a warning-only journey and a failing one; cwd is it."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "journeys").mkdir()
    shutil.copy(CI / "unreachable.yaml", tmp_path / "journeys" / "unreachable.yaml")
    shutil.copy(CI / "no-failures.yaml", tmp_path / "journeys" / "no-failures.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- discovery --------------------------------------------------------------------------------


def test_nothing_found_means_the_defaults(project: Path) -> None:
    config = load_config()
    assert config.source is None and config.fail_on is Severity.ERROR and not config.severities


def test_journeymap_toml_wins_over_pyproject_in_the_same_folder(project: Path) -> None:
    write(project / "pyproject.toml", '[tool.journeymap]\nfail-on = "error"\n')
    write(project / "journeymap.toml", 'fail-on = "warning"\n')
    assert find_config() == project / "journeymap.toml"
    assert load_config().fail_on is Severity.WARNING


def test_the_nearest_folder_wins(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(project / "journeymap.toml", 'fail-on = "warning"\n')
    write(project / "team" / "pyproject.toml", '[tool.journeymap.rules]\nJM104 = "off"\n')
    monkeypatch.chdir(write(project / "team" / "sub" / "x", "").parent)
    assert find_config() == project / "team" / "pyproject.toml"
    assert load_config().severities == {"JM104": None}


def test_a_pyproject_without_the_table_is_passed_over(project: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    write(project / "journeymap.toml", 'exclude = ["drafts"]\n')
    write(project / "sub" / "pyproject.toml", '[project]\nname = "x"\n')
    monkeypatch.chdir(project / "sub")
    assert find_config() == project / "journeymap.toml"


def test_the_search_stops_at_the_repository_root(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "journeymap.toml", 'rulez = 1\n')  # broken, and above the repository
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "repo")
    assert find_config() is None


def test_config_option_beats_discovery(project: Path) -> None:
    write(project / "journeymap.toml", 'fail-on = "error"\n')
    other = write(project / "ci" / "strict.toml", 'fail-on = "warning"\n')
    assert invoke("check", "journeys/unreachable.yaml").exit_code == 0
    assert invoke("check", "--config", str(other), "journeys/unreachable.yaml").exit_code == 1


# -- what it changes --------------------------------------------------------------------------


def test_severity_overrides_change_exit_codes(project: Path) -> None:
    assert invoke("check", "journeys/unreachable.yaml").exit_code == 0  # JM104 is a warning
    write(project / "journeymap.toml", '[rules]\nJM104 = "error"\n')
    result = invoke("check", "journeys/unreachable.yaml")
    assert result.exit_code == 1 and "error [JM104]" in result.stdout

    assert invoke("check", "journeys/no-failures.yaml").exit_code == 1  # JM102 is an error
    write(project / "journeymap.toml", '[rules]\njm102 = "warning"\n')
    result = invoke("check", "journeys/no-failures.yaml")
    assert result.exit_code == 0 and "warning [JM102]" in result.stdout
    write(project / "journeymap.toml", '[rules]\nJM102 = "off"\n')
    assert "no problems found" in invoke("check", "journeys/no-failures.yaml").stdout


def test_fail_on_warning_from_the_config_and_the_option(project: Path) -> None:
    assert invoke("check", "--fail-on", "warning", "journeys/unreachable.yaml").exit_code == 1
    write(project / "journeymap.toml", 'fail-on = "warning"\n')
    assert invoke("check", "journeys/unreachable.yaml").exit_code == 1
    assert invoke("check", "--fail-on", "error", "journeys/unreachable.yaml").exit_code == 0


def test_include_and_exclude_choose_the_files(project: Path) -> None:
    write(project / "journeys" / "drafts" / "idea.yaml", "journey: [not yet\n")
    write(project / "notes" / "other.yaml", "a: 1\n")
    assert invoke("check", ".").exit_code == 1
    write(project / "journeymap.toml",
          'include = ["journeys/**/*.yaml"]\nexclude = ["drafts", "no-*.yaml"]\n')
    result = invoke("check", "--format", "json", ".")
    assert result.exit_code == 0, result.output
    assert "unreachable.yaml" in result.stdout and "no-failures" not in result.stdout


def test_files_all_excluded_is_not_an_error(project: Path) -> None:
    """pre-commit passes files one by one; those the config excludes are simply skipped."""
    write(project / "journeymap.toml", 'exclude = ["journeys/no-failures.yaml"]\n')
    result = invoke("check", "journeys/no-failures.yaml")
    assert result.exit_code == 0
    assert "nothing to check" in result.stderr and "journeymap.toml" in result.stderr


def test_globs_are_relative_to_the_config_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(project / "journeymap.toml", 'exclude = ["journeys/no-failures.yaml"]\n')
    monkeypatch.chdir(project / "journeys")
    assert invoke("check", "no-failures.yaml", "unreachable.yaml").exit_code == 0


def test_weights_and_threshold_reach_the_config(project: Path) -> None:
    write(project / "journeymap.toml", 'hotspot-threshold = 2.5\n[weights]\neffort = 2\nwaiting = 0.5\n')
    config = load_config()
    assert config.hotspot_threshold == 2.5
    assert config.weights == {"effort": 2.0, "waiting": 0.5}


def test_threshold_and_weights_reach_the_scoring(project: Path) -> None:
    shutil.copy(CI / "clean.yaml", project / "journeys" / "clean.yaml")
    assert invoke("check", "--fail-on", "warning", "journeys/clean.yaml").exit_code == 0
    write(project / "journeymap.toml", 'hotspot-threshold = 0.01\n')
    result = invoke("check", "--fail-on", "warning", "journeys/clean.yaml")
    assert result.exit_code == 1 and "warning [JM301]" in result.stdout
    write(project / "journeymap.toml", 'hotspot-threshold = 0.01\n[weights]\n' + "".join(
        f"{name} = 0\n" for name in ("effort", "emotion", "waiting", "channel_switch", "hand_off",
                                     "asked_again", "loop", "failure")))
    assert "JM301" not in invoke("check", "journeys/clean.yaml").stdout


# -- mistakes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "line", "words"), [
    ('fail-on = "warning"\nrulez = 1\n', 2, "unknown setting `rulez` — did you mean `rules`?"),
    ('hotspot_threshold = 2\n', 1, "did you mean `hotspot-threshold`?"),
    ('[rules]\nJM104 = "eror"\n', 2, "did you mean `error`?"),
    ('[rules]\n\nJM10 = "off"\n', 3, "`JM10` is not a rule id"),
    ('[rules]\nJM001 = "warning"\n', 2, "JM001 cannot be configured"),
    ('fail-on = "warnings"\n', 1, "did you mean `warning`?"),
    ('[weights]\neffort = -1\n', 2, "must be a number 0 or more"),
    ('[weights]\neffort = 1\nwait = 2\n', 3, "`wait` is not a friction component — did you mean `waiting`?"),
    ('include = "journeys", 1\n', 1, "not valid TOML"),
    ('exclude = [1]\n', 1, "`exclude` must be a list of globs"),
    ('rules = 3\n', 1, "`rules` must be a table"),
])
def test_mistakes_are_usage_errors_with_file_and_line(project: Path, text: str, line: int,
                                                      words: str) -> None:
    write(project / "journeymap.toml", text)
    result = invoke("check", "journeys")
    assert result.exit_code == 2
    assert f"journeymap: error: configuration: journeymap.toml:{line}: " in result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.output


def test_mistakes_in_pyproject_point_at_its_line(project: Path) -> None:
    write(project / "pyproject.toml",
          '[project]\nname = "x"\n\n[tool.journeymap.rules]\nJM104 = "loud"\n')
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert caught.value.line == 5 and caught.value.file == "pyproject.toml"


def test_named_config_must_exist_and_have_the_table(project: Path) -> None:
    result = invoke("check", "--config", "nope.toml", "journeys")
    assert result.exit_code == 2 and "nope.toml: no such configuration file" in result.stderr
    write(project / "pyproject.toml", '[project]\nname = "x"\n')
    result = invoke("check", "--config", "pyproject.toml", "journeys")
    assert result.exit_code == 2 and "has no [tool.journeymap] table" in result.stderr


def test_a_config_mistake_in_a_real_process(project: Path) -> None:
    write(project / "journeymap.toml", '[rules]\nJM104 = "loud"\n')
    proc = subprocess.run([sys.executable, "-m", "journeymap", "check", "journeys"], cwd=project,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.startswith("journeymap: error: configuration: journeymap.toml:2:")
    assert proc.stdout == ""
