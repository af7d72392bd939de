"""docs/evidence.md names exactly the commands that take `--evidence FILE.csv`, and every
`journeymap … --evidence` example in the README and the docs is a command that takes it."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from conftest import REPO
from journeymap.cli import app

runner = CliRunner()
COMMANDS = ("check", "validate", "report", "render", "diff", "serve", "observe")


def _takes_evidence(command: str) -> bool:
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return "--evidence" in result.output


def test_the_docs_name_the_commands_that_take_evidence() -> None:
    text = (REPO / "docs" / "evidence.md").read_text("utf-8")
    found = re.search(r"^Commands that take `--evidence`: (.*?)\.", text, re.M)
    assert found, "docs/evidence.md must say which commands take --evidence"
    named = set(re.findall(r"`(\w+)`", found.group(1)))
    assert named == {c for c in COMMANDS if _takes_evidence(c)}


@pytest.mark.parametrize("doc", ["README.md", *sorted(p.name for p in (REPO / "docs").glob("*.md"))])
def test_every_evidence_example_uses_a_command_that_takes_it(doc: str) -> None:
    path = REPO / doc if doc == "README.md" else REPO / "docs" / doc
    for command in re.findall(r"journeymap (\w+)[^\n`]*--evidence", path.read_text("utf-8")):
        assert _takes_evidence(command), (doc, command)
