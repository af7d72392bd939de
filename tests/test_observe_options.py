"""The event-log options (columns, engine, memory limit, Spark master) are one definition, taken
alike by `observe` and by `check`, `report` and `render` with --observed (real DuckDB)."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from journeymap.cli import app
from journeymap.commands.event_log import LOG_OPTIONS

from observe_helpers import REPO

JOURNEY = str(REPO / "journeys" / "complaint-eight-weeks.yaml")
COMMANDS = ("observe", "check", "report", "render")
FLAGS = ("--case-column", "--activity-column", "--timestamp-column", "--engine", "--memory-limit",
         "--spark-master")


def run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def log(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("options") / "events.parquet"
    assert run("simulate", JOURNEY, "--cases", "300", "--seed", "6", "-o", str(path)).exit_code == 0
    return str(path)


def options_of(command: str) -> dict:
    """flag → the click option of ``command`` that typer builds, for the log's flags."""
    found = typer.main.get_command(app).commands[command]  # type: ignore[attr-defined]
    return {opt: p for p in found.params for opt in p.opts if opt in FLAGS}


def test_every_command_that_reads_a_log_has_the_same_options_with_help():
    first = options_of("observe")
    assert list(first) == list(FLAGS) and len(LOG_OPTIONS) == len(FLAGS)
    for command in COMMANDS:
        found = options_of(command)
        assert list(found) == list(FLAGS), command
        for flag, param in found.items():
            assert param.param_type_name == "option" and param.help, (command, flag)
            assert (param.help, param.default, param.metavar) == (
                first[flag].help, first[flag].default, first[flag].metavar), (command, flag)


@pytest.mark.parametrize("args", [
    ("observe", JOURNEY, "{log}"),
    ("check", "--observed", "{log}", JOURNEY),
    ("report", "--observed", "{log}", JOURNEY),
    ("render", "--observed", "{log}", "--format", "dot", "-o", "-", JOURNEY),
])
def test_a_bad_memory_limit_is_a_usage_error_for_every_command(args, log):
    argv = [a.format(log=log) for a in args]
    bad = run(*argv, "--memory-limit", "lots")
    assert bad.exit_code == 2, bad.output
    assert "--memory-limit lots" in bad.stderr and "write it like 2GB" in bad.stderr
    assert "Traceback" not in bad.output
    good = run(*argv, "--memory-limit", "300MB", "--engine", "duckdb")
    assert good.exit_code == 0, good.output


def test_report_and_check_pass_the_options_to_the_comparison(log):
    report = run("report", "--observed", log, "--memory-limit", "200MB", "--format", "json", JOURNEY)
    assert report.exit_code == 0
    observed = json.loads(report.stdout)["journeys"][0]["observed"]
    assert observed["log"]["engine"] == "duckdb" and observed["log"]["cases"] == 300
    checked = run("check", "--observed", log, "--engine", "duckdb", "--format", "json", JOURNEY)
    assert checked.exit_code == 0
    assert run("check", "--observed", log, "--engine", "hadoop", JOURNEY).exit_code == 2
