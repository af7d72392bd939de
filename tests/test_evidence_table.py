"""`report --evidence FILE.csv`: rows joined to touchpoints, every bad row a JM400 at its line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli import app
from journeymap.evidence.table import read_table

from conftest import FIXTURES

HERE = FIXTURES / "evidence"
JOURNEY = str(HERE / "journey.yaml")
runner = CliRunner()


def report(*args: str):
    return runner.invoke(app, ["report", *args], catch_exceptions=False)


def json_report(csv: str | Path, *paths: str) -> tuple[int, dict]:
    result = report("--format", "json", "--evidence", str(csv), *(paths or (JOURNEY,)))
    return result.exit_code, json.loads(result.stdout)


def write_csv(tmp_path: Path, text: str | bytes, name: str = "survey.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_bom_crlf_capitals_and_extra_columns_join(tmp_path: Path) -> None:
    code, doc = json_report(HERE / "survey-bom.csv")
    assert code == 0
    assert doc["evidence_file"] == {"file": str(HERE / "survey-bom.csv"), "rows": 2, "joined": 2,
                                    "findings": []}
    evidence = doc["journeys"][0]["evidence"]
    assert [(e["touchpoint"], e["metric"], e["n"], e["line"]) for e in evidence] == [
        ("call-support", "csat", 400, 2), ("book-visit", "nps", 200, 3)]
    assert evidence[0]["value"] == 82.5 and evidence[0]["source"] == "post-call survey"
    assert evidence[1]["value"] == 45.0 and evidence[1]["flags"] == ["JM401"]
    [thin] = doc["journeys"][0]["findings"]  # raised on the CSV row, pointing at it
    assert (thin["rule"], thin["file"], thin["line"], thin["subject"]) == (
        "JM401", str(HERE / "survey-bom.csv"), 3, "book-visit")


def test_every_bad_row_is_a_finding_at_its_line() -> None:
    code, doc = json_report(HERE / "survey-bad.csv")
    assert code == 1  # rows could not be used: the report says so in its exit code too
    found = doc["evidence_file"]["findings"]
    assert [(f["rule"], f["line"]) for f in found] == [("JM400", n) for n in (2, 3, 4, 5, 6, 7)]
    messages = [f["message"] for f in found]
    assert messages[0] == "row 1: no touchpoint has the id `call-suport`"
    assert found[0]["hint"] == "did you mean `call-support`?"
    assert "52 satisfied of 40 responses" in messages[1]
    assert "add up to 110" in messages[2]
    assert "`-4` is negative" in messages[3]
    assert "`forty` is not a count" in messages[4]
    assert "a summary needs `responses`" in messages[5]
    assert doc["evidence_file"]["joined"] == 1  # the good last row still joined
    assert [e["line"] for e in doc["journeys"][0]["evidence"]] == [8]


def test_semicolons_and_a_decimal_comma(tmp_path: Path) -> None:
    code, doc = json_report(HERE / "survey-semicolon.csv")
    [bad] = doc["evidence_file"]["findings"]
    assert bad["line"] == 2 and bad["hint"] == "decimals take a point: 5.5"
    [ces] = doc["journeys"][0]["evidence"]
    assert (ces["metric"], ces["unit"], ces["value"], ces["line"]) == ("ces", "scale", 5.5, 3)


@pytest.mark.parametrize("text, line, words, hint", [
    ("tp,metric,responses\nvisit,csat,3\n", 1, "the header has no `touchpoint` column", None),
    ("touchpoints,metric\nvisit,csat\n", 1, "no `touchpoint` column", "is it `touchpoints`?"),
    ("", 1, "no header row", None),
    (b"touchpoint,metric,source\nvisit,csat,caf\xe9\n", 2, "not UTF-8", "export or save it as CSV UTF-8"),
    ("touchpoint,metric,responses,satisfied\n,csat,3,1\n", 2, "row 1: no touchpoint id", None),
    ("touchpoint,metric,responses,satisfied\nvisit,,3,1\n", 2, "row 1: no metric", None),
    ("journey,touchpoint,metric,responses,satisfied\nvisits,visit,csat,3,1\n", 2,
     "no journey `visits`", "did you mean `visit`?"),
    ("touchpoint,metric,responses,satisfied\n\nvisit,csat,3,1.5\n", 3, "`1.5` is not a count", None),
    ('touchpoint,metric,source\nvisit,csat,"never closed\n', 2, "not a readable CSV", None),
    ("touchpoint,metric,scale,mean,sd,responses\nvisit,effort,9-1,3,1,40\n", 2, "must run upwards", None),
])
def test_file_and_row_problems(tmp_path: Path, text: str | bytes, line: int, words: str,
                               hint: str | None) -> None:
    code, doc = json_report(write_csv(tmp_path, text))
    found = doc["evidence_file"]["findings"]
    assert code == 1 and len(found) == 1, found
    assert found[0]["rule"] == "JM400" and found[0]["line"] == line and words in found[0]["message"]
    if hint:
        assert found[0]["hint"] == hint
    assert doc["journeys"][0]["title"] == "Call, visit, done"  # the journey is still reported


def test_a_journey_column_picks_the_journey(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(Path(JOURNEY).read_text("utf-8").replace("id: visit\nstages", "id: other\nstages"),
                     "utf-8")
    csv = write_csv(tmp_path, "journey,touchpoint,metric,responses,satisfied\n"
                    "other,visit,csat,500,450\n,call-support,csat,500,400\n")
    code, doc = json_report(csv, JOURNEY, str(other))
    by_id = {j["id"]: [(e["touchpoint"], e["n"]) for e in j["evidence"]] for j in doc["journeys"]}
    assert code == 0
    assert by_id == {"visit": [("call-support", 500)],
                     "other": [("call-support", 500), ("visit", 500)]}


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = report("--evidence", str(tmp_path / "nope.csv"), JOURNEY)
    assert result.exit_code == 2 and "--evidence: cannot read" in result.stderr


def test_the_text_report_lists_the_rows_left_out() -> None:
    result = report("--evidence", str(HERE / "survey-bad.csv"), JOURNEY)
    assert result.exit_code == 1
    words = " ".join(result.stdout.split())  # the terminal wraps long lines
    assert "7 row(s) read, 1 joined to touchpoints, 6 problem(s):" in words
    assert "survey-bad.csv:2:1: error [JM400] row 1: no touchpoint has the id `call-suport`" in words


def test_confidence_option(tmp_path: Path) -> None:
    wide = json.loads(report("--format", "json", "--confidence", "99%", "--evidence",
                             str(HERE / "survey-bom.csv"), JOURNEY).stdout)
    narrow = json.loads(report("--format", "json", "--confidence", "0.9", "--evidence",
                               str(HERE / "survey-bom.csv"), JOURNEY).stdout)
    w, n = wide["journeys"][0]["evidence"][0], narrow["journeys"][0]["evidence"][0]
    assert (w["confidence"], n["confidence"]) == (0.99, 0.9) and w["margin"] > n["margin"]
    bad = report("--confidence", "high", JOURNEY)
    assert bad.exit_code == 2 and "--confidence high" in bad.stderr


def test_read_table_keeps_rows_in_order() -> None:
    table = read_table(str(HERE / "survey-bom.csv"))
    assert [(r.number, r.line, r.touchpoint) for r in table.rows] == [(1, 2, "call-support"),
                                                                      (2, 3, "book-visit")]


def test_as_a_real_process_no_traceback(tmp_path: Path) -> None:
    csv = write_csv(tmp_path, b"\x00\xff\xfe garbage,,,\n;;;\n")
    done = subprocess.run([sys.executable, "-m", "journeymap", "report", "--evidence", str(csv), JOURNEY],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr + done.stdout
    assert "JM400" in done.stdout
