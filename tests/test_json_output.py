"""Every JSON document the tool writes (check, validate, check --baseline, report, report
--observed, diff, observe) comes on one line by default, and indented by two spaces with
--pretty: the same document either way, written as json.dumps would write it, with Arabic,
Persian, Thai and Latvian text intact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli import app

JOURNEYS = Path(__file__).parent.parent / "journeys"
COMPLAINT = str(JOURNEYS / "complaint-eight-weeks.yaml")
WORLD = [str(JOURNEYS / name) for name in ("ar-bank-card-replacement.yaml", "fa-failed-payment-refund.yaml",
                                         "th-online-return.yaml", "lv-internet-connection.yaml")]


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


@pytest.fixture(scope="module")
def log(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("log") / "events.csv"
    CliRunner().invoke(app, ["simulate", COMPLAINT, "-n", "200", "--seed", "3", "-o", str(path)],
                       catch_exceptions=False)
    return str(path)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("base") / "before.json"
    path.write_text(run("check", "--format", "json", *WORLD), encoding="utf-8")
    return str(path)


COMMANDS = {
    "check": lambda log, base: ["check", "--format", "json", *WORLD, COMPLAINT],
    "validate": lambda log, base: ["validate", "--format", "json", *WORLD],
    "check --baseline": lambda log, base: ["check", "--format", "json", "--baseline", base, *WORLD],
    "check --observed": lambda log, base: ["check", "--format", "json", COMPLAINT, "--observed", log],
    "report": lambda log, base: ["report", "--format", "json", *WORLD, COMPLAINT],
    "report --observed": lambda log, base: ["report", "--format", "json", COMPLAINT, "--observed", log],
    "diff": lambda log, base: ["diff", WORLD[0], WORLD[1], "--format", "json"],
    "observe": lambda log, base: ["observe", COMPLAINT, log, "--format", "json"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_json_is_one_line_unless_pretty(command: str, log: str, baseline: str) -> None:
    args = COMMANDS[command](log, baseline)
    compact, pretty = run(*args), run(*args, "--pretty")
    doc = json.loads(compact)
    assert doc == json.loads(pretty) and doc["journeys"]
    assert compact == json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert pretty == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    assert compact.count("\n") == 1 and len(compact) < len(pretty)


def test_text_of_every_script_comes_through_both_forms() -> None:
    for pretty in ([], ["--pretty"]):
        text = run("report", "--format", "json", *WORLD, *pretty)
        titles = [j["title"] for j in json.loads(text)["journeys"]]
        for title in titles:
            assert title in text and not title.isascii()
        assert "\\u" not in text
