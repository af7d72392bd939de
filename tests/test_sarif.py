"""SARIF output: valid against the official SARIF 2.1.0 schema, rules from the catalogue, exact places."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from journeymap.check import run
from journeymap.cli import app
from journeymap.findings import RULES
from journeymap.report.sarif import sarif_log

from conftest import FIXTURES, REPO

CI = FIXTURES / "ci" / "reports"
SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
runner = CliRunner()


def assert_valid_sarif(doc: dict) -> None:
    validator = jsonschema.Draft7Validator(SARIF_SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def sarif_of(*paths: str) -> dict:
    return sarif_log(run(list(paths)))


def test_the_vendored_schema_is_the_official_one() -> None:
    assert SARIF_SCHEMA["$id"].endswith("/sarif-spec/master/Schemata/sarif-schema-2.1.0.json")
    assert SARIF_SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    jsonschema.Draft7Validator.check_schema(SARIF_SCHEMA)


@pytest.mark.parametrize("folder", ["tests/fixtures/ci/reports", "tests/fixtures/rules", "journeys"])
def test_output_validates_against_the_sarif_schema(folder: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    doc = sarif_of(folder)
    assert_valid_sarif(doc)
    if folder != "journeys":
        assert doc["runs"][0]["results"], "a folder of failing fixtures must produce results"


def test_the_schema_catches_a_broken_log() -> None:
    doc = sarif_of(str(CI / "mixed.yaml"))
    doc["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(AssertionError):
        assert_valid_sarif(doc)


def test_rules_are_the_catalogue_with_examples_and_default_levels() -> None:
    rules = sarif_of(str(CI / "clean.yaml"))["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    for descriptor, rule in zip(rules, RULES.values()):
        assert descriptor["shortDescription"]["text"] == rule.title
        # SARIF's levels are error, warning and note: an info finding is a note
        level = {"info": "note"}.get(rule.severity.value, rule.severity.value)
        assert descriptor["defaultConfiguration"]["level"] == level
        assert "Bad:" in descriptor["help"]["text"] and "Good:" in descriptor["help"]["text"]
        first_bad_line = rule.bad.strip().splitlines()[0].strip()
        assert first_bad_line in descriptor["help"]["markdown"]


def test_results_point_at_the_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = run(["tests/fixtures/ci/reports/mixed.yaml"])
    driver_rules = list(RULES)
    results = sarif_log(result)["runs"][0]["results"]
    findings = result.files[0].findings
    assert len(results) == len(findings) == 2
    for r, f in zip(results, findings):
        assert r["ruleId"] == f.rule and driver_rules[r["ruleIndex"]] == f.rule
        assert r["level"] == f.severity.value
        place = r["locations"][0]["physicalLocation"]
        assert place["artifactLocation"]["uri"] == "tests/fixtures/ci/reports/mixed.yaml"
        assert place["region"] == {"startLine": f.span.line, "startColumn": f.span.column}
    assert [r["level"] for r in results] == ["error", "warning"]


def test_unicode_labels_survive_and_columns_count_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    text = runner.invoke(app, ["check", "--format", "sarif", "tests/fixtures/ci/reports/mixed.yaml"]).stdout
    assert "طلب بطاقة جديدة" in text and "Lietotne avarē" in text
    assert json.loads(text)["runs"][0]["columnKind"] == "unicodeCodePoints"


def test_file_names_become_relative_percent_encoded_uris(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "my journeys"
    folder.mkdir()
    shutil.copy(CI / "mixed.yaml", folder / "رحلة 1.yaml")
    monkeypatch.chdir(tmp_path)
    doc = sarif_of("my journeys")
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "my%20journeys/%D8%B1%D8%AD%D9%84%D8%A9%201.yaml"
    assert_valid_sarif(doc)


def test_fingerprints_do_not_move_with_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = (CI / "unreachable.yaml").read_text("utf-8")
    Path("a.yaml").write_text(text, "utf-8")
    before = sarif_of("a.yaml")["runs"][0]["results"][0]
    Path("a.yaml").write_text("# a comment that moves every line\n" + text, "utf-8")
    after = sarif_of("a.yaml")["runs"][0]["results"][0]
    assert before["locations"] != after["locations"]
    assert before["partialFingerprints"] == after["partialFingerprints"]


def test_severity_overrides_show_as_result_levels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "journeymap.toml").write_text('[rules]\nJM104 = "error"\n', "utf-8")
    shutil.copy(CI / "unreachable.yaml", tmp_path / "a.yaml")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", "--format", "sarif", "a.yaml"])
    assert result.exit_code == 1
    assert [r["level"] for r in json.loads(result.stdout)["runs"][0]["results"]] == ["error"]


def test_output_file_gets_the_report_and_the_terminal_the_summary(tmp_path: Path) -> None:
    out = tmp_path / "journeymap.sarif"
    proc = subprocess.run(
        [sys.executable, "-m", "journeymap", "check", "--format", "sarif", "--output", str(out),
         "tests/fixtures/ci/reports/mixed.yaml"],
        cwd=REPO, capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "1 error, 1 warning" in proc.stderr
    doc = json.loads(out.read_text("utf-8"))
    assert_valid_sarif(doc)
    assert [r["ruleId"] for r in doc["runs"][0]["results"]] == ["JM101", "JM104"]
    assert not [p.name for p in tmp_path.iterdir() if p.name != out.name], "no temp files left"


def test_output_to_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "--format", "sarif", "--output",
                                 str(tmp_path / "no" / "x.sarif"), str(CI / "clean.yaml")])
    assert result.exit_code == 2
    assert "cannot write" in result.stderr


@pytest.mark.parametrize("baseline", [False, True], ids=["plain", "baseline"])
def test_sarif_is_one_line_unless_pretty(baseline: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # like every JSON output of the tool (journeymap/report/json_stream.dumps)
    monkeypatch.chdir(REPO)
    extra = ["--baseline", str(tmp_path / "before.json")] if baseline else []
    if baseline:
        runner.invoke(app, ["check", "--format", "json", "-o", str(tmp_path / "before.json"), "journeys"])
    args = ["check", "--format", "sarif", *extra, str(CI / "mixed.yaml")]
    compact = runner.invoke(app, args, catch_exceptions=False).stdout
    pretty = runner.invoke(app, [*args, "--pretty"], catch_exceptions=False).stdout
    assert compact.count("\n") == 1 and compact.endswith("}\n")
    assert pretty.startswith('{\n  "$schema"') and pretty.count("\n") > 100
    assert json.loads(compact) == json.loads(pretty)
    assert_valid_sarif(json.loads(compact))


def test_information_uri_is_the_declared_project_url_or_absent() -> None:
    # never a made-up address: pyproject.toml's [project.urls], or no informationUri at all
    import re

    urls = re.findall(r'^\S+\s*=\s*"(https?://[^"]+)"', _project_urls_table(), re.M)
    driver = sarif_of(str(CI / "clean.yaml"))["runs"][0]["tool"]["driver"]
    if urls:
        assert driver["informationUri"] in urls
    else:
        assert "informationUri" not in driver


def _project_urls_table() -> str:
    text = (REPO / "pyproject.toml").read_text("utf-8")
    start = text.find("[project.urls]")
    if start < 0:
        return ""
    end = text.find("\n[", start + 1)
    return text[start:end if end >= 0 else len(text)]


def test_information_uri_follows_the_declared_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata
    from email.message import Message

    from journeymap.report.sarif import project_url

    declared = Message()
    declared["Project-URL"] = "Source, https://git.example.org/journeymap"
    declared["Project-URL"] = "Homepage, https://journeymap.example.org/"
    monkeypatch.setattr(importlib.metadata, "metadata", lambda name: declared)
    assert project_url() == "https://journeymap.example.org/"
    assert sarif_of(str(CI / "clean.yaml"))["runs"][0]["tool"]["driver"]["informationUri"] == project_url()
    monkeypatch.setattr(importlib.metadata, "metadata", lambda name: Message())
    assert project_url() is None
