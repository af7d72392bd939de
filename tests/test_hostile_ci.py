"""CI formats under hostile input: SARIF locations, stable JUnit names, file names that are not
UTF-8 or hold control characters (run as real processes, so the bytes are the ones CI reads)."""

from __future__ import annotations

import json
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from typer.testing import CliRunner

from journeymap.cli import app

from conftest import run_journeymap

runner = CliRunner()

JOURNEY = """\
journey: Return a parcel
stages:
  - name: Request
    touchpoints:
      - name: Ask for a return
        effort: 9
        failures:
          - name: The form crashes
      - name: Print the label
"""
# the same journey with one more mistake, on the first line, so no other finding moves
MORE = JOURNEY.replace("journey: Return a parcel\n", "journey: [Return a parcel]\n")


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return run_journeymap(*args, cwd=cwd, timeout=60)


def test_sarif_absolute_uri_has_no_base_id(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"  # outside the current folder: an absolute file: URI
    path.write_text(JOURNEY, encoding="utf-8")
    sarif = json.loads(invoke("check", "--format", "sarif", str(path)).stdout)
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"]
                 for r in sarif["runs"][0]["results"]]
    assert locations and all(loc["uri"].startswith("file:///") for loc in locations)
    assert not any("uriBaseId" in loc for loc in locations)  # SARIF 2.1.0 §3.4.4


def test_sarif_relative_uri_keeps_its_base_id() -> None:
    sarif = json.loads(invoke("check", "--format", "sarif", "journeys/technician-visit.yaml").stdout)
    loc = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc == {"uri": "journeys/technician-visit.yaml", "uriBaseId": "%SRCROOT%"}


def _junit_cases(path: Path) -> dict[str, str]:
    """Test name → what the case says (its failure or output text, without the file's folder)."""
    root = ET.fromstring(invoke("check", "--format", "junit", str(path)).stdout)
    cases = {}
    for case in root.iter("testcase"):
        said = case.find("failure") if case.find("failure") is not None else case.find("system-out")
        text = (said.text or said.get("message", "")) if said is not None else ""
        cases[str(case.get("name"))] = text.rsplit("/", 1)[-1]
    return cases


def test_junit_names_do_not_shift_when_a_finding_is_added(tmp_path: Path) -> None:
    before_path, after_path = tmp_path / "a.yaml", tmp_path / "b" / "a.yaml"
    after_path.parent.mkdir()
    before_path.write_text(JOURNEY, encoding="utf-8")
    after_path.write_text(MORE, encoding="utf-8")
    before, after = _junit_cases(before_path), _junit_cases(after_path)
    assert len(after) == len(before) + 1
    for name, said in before.items():
        if name.startswith("JM"):  # each finding keeps its name: the same name says the same thing
            assert after.get(name) == said, (name, said, after)


def test_junit_names_without_positions_stay_unique(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("colour: red\n", encoding="utf-8")  # journey: and stages: missing, both at 1:1
    root = ET.fromstring(invoke("check", "--format", "junit", str(path)).stdout)
    names = [case.get("name") for case in root.iter("testcase")]
    assert len(names) == 4 and len(set(names)) == 4


def _weird_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "j"
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9.yaml")).write_text(JOURNEY, encoding="utf-8")
    (folder / "tab\x01bell\x1b.yaml").write_text(
        JOURNEY.replace("journey: Return a parcel\n", 'journey: Return a parcel\nid: "a\\x01b\\e"\n'),
        encoding="utf-8")
    return folder


def test_non_utf8_and_control_file_names_in_every_format(tmp_path: Path) -> None:
    folder = _weird_folder(tmp_path)
    for fmt in ("text", "json", "sarif", "gitlab", "junit", "github"):
        done = run_cli("check", "--format", fmt, "j", cwd=tmp_path)
        assert done.returncode == 1, (fmt, done.stderr.decode("utf-8", "replace"))
        assert b"Traceback" not in done.stderr
        text = done.stdout.decode("utf-8")  # valid UTF-8, or this raises
        if fmt in ("json", "sarif", "gitlab"):
            json.loads(text)
        if fmt == "junit":
            ET.fromstring(done.stdout)
        if fmt in ("text", "github"):
            assert "\x1b" not in text and "\x01" not in text
    assert os.listdir(folder)  # nothing renamed or removed


def test_non_utf8_file_name_written_with_output(tmp_path: Path) -> None:
    _weird_folder(tmp_path)
    for fmt in ("json", "junit"):
        done = run_cli("check", "--format", fmt, "-o", f"out.{fmt}", "j", cwd=tmp_path)
        assert done.returncode == 1 and b"Traceback" not in done.stderr
        (tmp_path / f"out.{fmt}").read_bytes().decode("utf-8")


def test_init_with_a_non_utf8_name(tmp_path: Path) -> None:
    done = run_cli("init", os.fsdecode(b"r\xe9turn"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    written = tmp_path / os.fsdecode(b"r\xe9turn.yaml")
    written.read_bytes().decode("utf-8")
    assert run_cli("check", os.fsdecode(b"r\xe9turn.yaml"), cwd=tmp_path).returncode == 0

