"""simulate/observe/check --observed from the command line: bad logs get a clear message and an
exit code (0/1/2), never a traceback; outputs are written whole or not at all."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli import app

from observe_helpers import REPO

JOURNEY = str(REPO / "journeys" / "complaint-eight-weeks.yaml")
FIRST = "Phone to complain about the missed service"


def run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def small_log(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("log") / "events.csv"
    result = run("simulate", JOURNEY, "--cases", "300", "--seed", "4", "-o", str(path))
    assert result.exit_code == 0 and path.exists()
    return path


def observed_json(*args: str) -> dict:
    result = run("observe", JOURNEY, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["journeys"][0]


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return str(path)


@pytest.mark.parametrize("name, text, message", [
    ("empty.csv", "", "the event log is empty: "),
    ("header.csv", "case_id,activity,timestamp\n", "holds no events"),
    ("times.csv", f"case_id,activity,timestamp\n1,{FIRST},yesterday\n2,{FIRST},soon\n",
     "no value of the timestamp column `timestamp` is a timestamp (e.g. `soon`)"),
    ("types.jsonl", '{"case_id": 1, "activity": "log-complaint", "timestamp": 1735725600}\n',
     "holds BIGINT values, not timestamps"),
    ("columns.csv", "case,act,when\n1,a,2025-01-01\n",
     "no activity column (looked for `activity` or `concept:name`"),
    ("broken.jsonl", '{"case_id": \n', "cannot read the event log"),
    ("notes.txt", "hello\n", "cannot tell the format of"),
])
def test_bad_logs_are_usage_errors_with_a_clear_message(tmp_path, name, text, message):
    result = run("observe", JOURNEY, write(tmp_path, name, text))
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output
    if name == "columns.csv":
        assert "its columns are: `case`, `act`, `when`" in result.stderr
        assert "--activity-column" in result.stderr


def test_a_missing_log_and_an_invalid_journey(tmp_path, small_log):
    assert run("observe", JOURNEY, str(tmp_path / "nowhere.csv")).exit_code == 2
    bad = write(tmp_path, "bad.yaml", "journey: x\nstages: []\n")
    result = run("observe", bad, str(small_log))
    assert result.exit_code == 1 and "not a valid journey" in result.stderr


def test_some_unparseable_timestamps_are_skipped_and_said(tmp_path):
    log = write(tmp_path, "some.csv", "case_id,activity,timestamp\n"
                f"1,{FIRST},2025-01-01T10:00:00Z\n1,confirmation-email,not a time\n")
    result = run("observe", JOURNEY, log)
    assert result.exit_code == 0
    assert "skipped: 1 row with unparseable timestamp, e.g. `not a time`" in result.stdout


def test_events_out_of_order_and_duplicates_give_the_same_figures(tmp_path, small_log):
    header, *rows = small_log.read_text("utf-8").splitlines()
    random.Random(1).shuffle(rows)
    shuffled = write(tmp_path, "shuffled.csv", "\n".join([header, *rows, *rows[:50]]) + "\n")
    base, mixed = observed_json(str(small_log)), observed_json(shuffled)
    assert mixed["log"]["duplicates"] == 50 and base["log"]["duplicates"] == 0
    for key in ("moves", "promises", "touchpoints", "variants", "fitness", "endings"):
        assert mixed[key] == base[key], key
    assert mixed["log"]["events"] == base["log"]["events"] == len(rows)


def test_xes_column_names_and_named_columns(tmp_path, small_log):
    header, *rows = small_log.read_text("utf-8").splitlines()
    xes = write(tmp_path, "xes.csv", "\n".join(
        ["case:concept:name,concept:name,time:timestamp,channel,org:resource", *rows]) + "\n")
    named = write(tmp_path, "named.csv", "\n".join(["ticket,step,at,channel,owner", *rows]) + "\n")
    base = observed_json(str(small_log))
    assert observed_json(xes)["moves"] == base["moves"]
    custom = observed_json(named, "--case-column", "ticket", "--activity-column", "step",
                           "--timestamp-column", "AT")
    assert custom["moves"] == base["moves"] and custom["log"]["columns"]["timestamp"] == "at"


def test_folders_and_globs_of_files(tmp_path, small_log):
    header, *rows = small_log.read_text("utf-8").splitlines()
    folder = tmp_path / "daily"
    folder.mkdir()
    half = len(rows) // 2
    (folder / "a.csv").write_text("\n".join([header, *rows[:half]]) + "\n", "utf-8")
    (folder / "b.csv").write_text("\n".join([header, *rows[half:]]) + "\n", "utf-8")
    base = observed_json(str(small_log))
    assert observed_json(str(folder))["moves"] == base["moves"]
    assert observed_json(str(folder / "*.csv"))["variants"] == base["variants"]


def test_one_huge_case_of_one_activity(tmp_path):
    import duckdb

    path = tmp_path / "huge.parquet"
    duckdb.sql("COPY (SELECT 'one' AS case_id, 'Customer phones to chase' AS activity, "
               "TIMESTAMP '2025-01-01' + to_microseconds(i) AS timestamp FROM range(400000) r(i)) "
               f"TO '{path}'")
    result = run("observe", JOURNEY, str(path))
    assert result.exit_code == 0
    assert "chase-call → chase-call: 399,999 times, by 1 case" in result.stdout
    assert "fitness: 0.0%" in result.stdout


def test_simulate_writes_whole_files_and_refuses_bad_options(tmp_path):
    target = tmp_path / "events.csv"
    target.write_text("keep me", "utf-8")
    assert run("simulate", JOURNEY, "-n", "10", "-o", str(tmp_path / "events.xlsx")).exit_code == 2
    assert run("simulate", JOURNEY, "-n", "10", "--jitter", "1.5", "-o", str(target)).exit_code == 2
    assert run("simulate", JOURNEY, "-n", "0", "-o", str(target)).exit_code == 2
    assert target.read_text("utf-8") == "keep me"
    assert run("simulate", JOURNEY, "-n", "50", "--seed", "9", "-o", str(target)).exit_code == 0
    first = target.read_text("utf-8")
    run("simulate", JOURNEY, "-n", "50", "--seed", "9", "-o", str(target))
    assert target.read_text("utf-8") == first and first.startswith("case_id,activity,timestamp,channel,owner\n")
    assert [p.name for p in tmp_path.iterdir()] == ["events.csv"]  # no temporary file left


def test_simulate_jitter_keeps_the_declared_median(tmp_path):
    log = tmp_path / "j.parquet"
    assert run("simulate", JOURNEY, "-n", "4000", "--seed", "2", "--jitter", "0.5", "-o", str(log)).exit_code == 0
    moves = observed_json(str(log))["moves"]
    m = next(m for m in moves if (m["from"], m["to"]) == ("complaints-callback", "service-visit"))
    assert m["p90_seconds"] > m["declared_seconds"] * 1.3
    assert m["median_seconds"] == pytest.approx(m["declared_seconds"], rel=0.05)


def test_check_observed_gates_ci_on_a_late_promise(tmp_path, small_log):
    assert run("check", "--observed", str(small_log), JOURNEY).exit_code == 0
    header, *rows = small_log.read_text("utf-8").splitlines()
    late = [r for r in rows if "Complaints team calls back" not in r]  # the promise never kept
    log = write(tmp_path, "late.csv", "\n".join([header, *late]) + "\n")
    result = run("check", "--observed", log, "--format", "json", JOURNEY)
    assert result.exit_code == 1
    rules = [f["rule"] for f in json.loads(result.stdout)["journeys"][0]["findings"]]
    assert "JM503" in rules and "JM502" in rules
    assert run("check", "--observed", str(tmp_path / "none.csv"), JOURNEY).exit_code == 2
    other = str(REPO / "journeys" / "fridge-delivery.yaml")
    unrelated = run("check", "--observed", str(small_log), other)
    assert unrelated.exit_code == 0 and "fridge-delivery.yaml: no event of the log matches" in unrelated.stderr


def test_as_a_real_process_with_calibrate(tmp_path, small_log):
    out = tmp_path / "calibrated.yaml"
    done = subprocess.run([sys.executable, "-m", "journeymap", "observe", JOURNEY, str(small_log),
                           "--calibrate", str(out)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "fitness: 100.0% of cases" in done.stdout and f"wrote {out}" in done.stderr
    assert out.read_text("utf-8").startswith("# The complaint that waits eight weeks.")


def test_report_observed_adds_the_comparison(small_log, tmp_path):
    text = run("report", JOURNEY, "--observed", str(small_log))
    assert text.exit_code == 0
    assert "Friction:" in text.stdout and "Observed in the event log" in text.stdout
    assert "fitness: 100.0% of cases" in text.stdout
    doc = json.loads(run("report", JOURNEY, "--observed", str(small_log), "-f", "json").stdout)
    (entry,) = doc["journeys"]
    assert entry["friction"] and entry["observed"]["log"]["cases"] == 300
    assert run("report", JOURNEY, "--observed", str(tmp_path / "none.csv")).exit_code == 2


def test_the_benchmark_prints_its_ratios_and_targets(capsys):
    sys.path.insert(0, str(REPO / "bench"))
    import observe as bench  # bench/observe.py

    assert 5.0 < bench.events_per_case() < 6.0  # the complaint journey: about 5.5 events a case
    figure = {"seconds": 1.0, "peak_mb": 100, "runs": 3, "failed": False}
    bench.print_table([{"events": 1_000_000, "observe": figure, "observe-4GB": figure,
                        "bare": {**figure, "seconds": 0.25}, "observe/bare": 4.0,
                        "observe-4GB/bare": 4.0, "lag": {**figure, "seconds": 0.5},
                        "observe/lag": 2.0}])
    out = capsys.readouterr().out
    assert "1,000,000" in out and "4.0x" in out and "observe/bare <= 3x" in out
    assert "observe / lag = 2.0x" in out


def test_cases_cut_at_max_events_stay_open(tmp_path):
    journey = write(tmp_path, "loop.yaml", """journey: Forever
stages:
  - name: S
    touchpoints:
      - name: Try
        wait: 1h
        failures: [{name: Again, share: 0.99, to: try}]
      - name: Done
        outcome: success
""")
    log = tmp_path / "loop.csv"
    made = run("simulate", journey, "-n", "1000", "--seed", "1", "--max-events", "50", "-o", str(log))
    cut = int(made.stderr.split("; ")[1].split(" cases cut")[0].replace(",", ""))
    assert 500 < cut < 700 and "after 50 events (still open)" in made.stderr
    doc = json.loads(run("observe", journey, str(log), "-f", "json").stdout)["journeys"][0]
    assert doc["endings"]["open"] == cut and doc["endings"]["success"] == 1000 - cut
